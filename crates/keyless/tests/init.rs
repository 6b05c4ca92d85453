//! `keyless init` end to end.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::*;

fn mode(p: &std::path::Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn init_in_an_empty_home_then_doctor_passes() {
    let cx = TestContext::new();
    let out = keyless_snapshot!("init_sso_empty_home", cx, SSO_INIT);
    assert!(out.status.success());
    assert_eq!(mode(&cx.home.join(".aws/config")), 0o600);
    assert_eq!(mode(&cx.home.join(".claude/settings.json")), 0o600);
    assert_eq!(mode(&cx.home.join(".aws")), 0o700);
    let doctor = keyless_snapshot!("doctor_after_init", cx, &["doctor"]);
    assert_eq!(doctor.status.code(), Some(0));
    let v = json(&cx.run(&["doctor", "--json"]));
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["severity"] != "error"),
        "{v}"
    );
}

#[test]
fn second_run_changes_nothing() {
    let cx = TestContext::new();
    assert!(cx.run(SSO_INIT).status.success());
    let before = cx.snapshot_tree();
    let out = cx.run(SSO_INIT);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing to change"));
    assert_eq!(cx.snapshot_tree(), before);
}

#[test]
fn init_preserves_everything_it_does_not_own() {
    let cx = TestContext::new();
    let config = "# managed by hand\n[default]\nregion = eu-west-1   ; keep this comment\n\n[profile other]\nrole_arn = arn:aws:iam::111122223333:role/x\nsource_profile = default\ns3 =\n  addressing_style = path\n";
    let settings = "{\n\t\"permissions\": {\"allow\": [\"Bash(ls)\"]},\n\t\"env\": {\n\t\t\"FOO\": \"bar\"\n\t},\n\t\"hooks\": {}\n}\n";
    cx.write(".aws/config", config)
        .write(".claude/settings.json", settings);
    assert!(cx.run(SSO_INIT).status.success());
    let new_config = cx.read(".aws/config");
    assert!(new_config.starts_with(config), "{new_config}");
    let new_settings = cx.read(".claude/settings.json");
    for kept in [
        "\t\"permissions\": {\"allow\": [\"Bash(ls)\"]},\n",
        "\t\t\"FOO\": \"bar\",\n",
        "\t\"hooks\": {}",
    ] {
        assert!(
            new_settings.contains(kept),
            "{kept:?} lost in:\n{new_settings}"
        );
    }
    assert!(
        new_settings.contains("\t\t\"AWS_PROFILE\": \"claude\""),
        "{new_settings}"
    );
}

#[test]
fn init_over_the_seed_setup_reports_keys_and_never_copies_them() {
    let cx = TestContext::seed();
    let credentials = cx.read(".aws/credentials");
    let out = cx.run(SSO_INIT);
    assert!(out.status.success(), "{}", cx.format(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("profile `bedrock-dev` holds access keys in plain text"),
        "{stderr}"
    );
    assert_eq!(cx.read(".aws/credentials"), credentials);
    for f in [".aws/config", ".claude/settings.json"] {
        let t = cx.read(f);
        assert!(
            !t.contains("YOUR_ACCESS_KEY")
                && !t.contains("aws_access_key_id")
                && !t.contains("AWS_ACCESS_KEY_ID"),
            "{t}"
        );
    }
    let settings = cx.read(".claude/settings.json");
    assert!(!settings.contains("ANTHROPIC_SMALL_FAST_MODEL"));
}

#[test]
fn role_and_instance_role_profiles() {
    let cx = TestContext::new();
    assert!(cx.run(SSO_INIT).status.success());
    let out = cx.run(&[
        "init",
        "--yes",
        "--profile",
        "bedrock-role",
        "--region",
        "eu-west-3",
        "--role-arn",
        "arn:aws:iam::111122223333:role/Bedrock",
        "--source-profile",
        "claude",
        "--scope",
        "project",
    ]);
    assert!(out.status.success(), "{}", cx.format(&out));
    assert!(cx.read(".aws/config").contains("[profile bedrock-role]\nrole_arn = arn:aws:iam::111122223333:role/Bedrock\nsource_profile = claude\nregion = eu-west-3\n"));
    let project = cx.read("project/.claude/settings.json");
    assert!(
        project.contains(
            "\"ANTHROPIC_DEFAULT_HAIKU_MODEL\": \"eu.anthropic.claude-haiku-4-5-20251001-v1:0\""
        ),
        "{project}"
    );
    let doctor = cx.run(&["doctor", "--json"]);
    assert_eq!(doctor.status.code(), Some(0), "{}", cx.format(&doctor));

    let cx = TestContext::new();
    let out = cx.run(&[
        "init",
        "--yes",
        "--profile",
        "default",
        "--region",
        "us-west-2",
        "--instance-role",
    ]);
    assert!(out.status.success());
    assert_eq!(cx.read(".aws/config"), "[default]\nregion = us-west-2\n");
    assert_eq!(cx.run(&["doctor"]).status.code(), Some(0));
}

#[test]
fn dry_run_and_unconfirmed_runs_write_nothing() {
    let cx = TestContext::new();
    let before = cx.snapshot_tree();
    let mut args = SSO_INIT.to_vec();
    args[1] = "--dry-run";
    let out = keyless_snapshot!("init_dry_run", cx, &args);
    assert!(out.status.success());
    assert_eq!(cx.snapshot_tree(), before);
    // Without --yes and without a terminal: refuse.
    let no_yes: Vec<&str> = SSO_INIT.iter().copied().filter(|a| *a != "--yes").collect();
    let out = cx.run(&no_yes);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(cx.snapshot_tree(), before);
    // JSON plan.
    let mut args = SSO_INIT.to_vec();
    args[1] = "--dry-run";
    args.push("--json");
    let v = json(&cx.run(&args));
    assert_eq!(v["model"], "us.anthropic.claude-sonnet-5");
    assert_eq!(v["changes"].as_array().unwrap().len(), 2);
}

#[test]
fn bad_choices_exit_2_with_a_hint() {
    let cx = TestContext::new();
    for (args, needle) in [
        (
            &["init", "--yes", "--profile", "p", "--region", "us-east-1"][..],
            "choose how the profile gets credentials",
        ),
        (
            &[
                "init",
                "--yes",
                "--profile",
                "p",
                "--region",
                "mars-1",
                "--instance-role",
            ][..],
            "not a region",
        ),
        (
            &[
                "init",
                "--yes",
                "--profile",
                "p",
                "--region",
                "us-east-1",
                "--instance-role",
                "--model",
                "sonnet-4",
            ][..],
            "end of life",
        ),
        (
            &[
                "init",
                "--yes",
                "--profile",
                "p",
                "--region",
                "us-east-1",
                "--role-arn",
                "arn:aws:iam::1:role/r",
            ][..],
            "exactly one of",
        ),
        (
            &[
                "init",
                "--yes",
                "--profile",
                "p",
                "--region",
                "us-east-1",
                "--existing",
            ][..],
            "does not exist",
        ),
    ] {
        let before = cx.snapshot_tree();
        let out = cx.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(needle) && stderr.contains("hint:"),
            "{args:?}: {stderr}"
        );
        assert_eq!(cx.snapshot_tree(), before);
    }
}

#[test]
fn interactive_init_on_a_terminal() {
    // `script` (util-linux) gives keyless a real pseudo-terminal, so this is the path a
    // person at a keyboard takes: prompts with defaults, an empty line takes the default.
    let cx = TestContext::new();
    let answers =
        "claude\neu-west-3\n\n1\nhttps://x.awsapps.com/start\n\n\n111122223333\nBedrockUser\ny\n";
    let bin = env!("CARGO_BIN_EXE_keyless");
    let mut c = std::process::Command::new("script");
    c.args(["-qe", "--command", &format!("{bin} init"), "/dev/null"])
        .current_dir(&cx.project)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", &cx.home)
        .env("TERM", "dumb")
        .env("KEYLESS_NOW", NOW)
        .env("KEYLESS_CLAUDE_MANAGED_DIR", cx.root.path().join("managed"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut child = c.spawn().expect("script(1) from util-linux");
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), answers.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert!(out.status.success(), "{text}");
    for prompt in [
        "AWS profile name [claude-bedrock]:",
        "Bedrock region [us-east-1]:",
        "SSO region [eu-west-3]:",
        "Write these changes? [Y/n]",
    ] {
        assert!(
            text.contains(prompt),
            "missing prompt {prompt:?} in:\n{text}"
        );
    }
    assert!(cx.read(".aws/config").contains("[profile claude]\nsso_session = claude\nsso_account_id = 111122223333\nsso_role_name = BedrockUser\nregion = eu-west-3\n"));
    assert!(cx.read(".claude/settings.json").contains(
        "\"ANTHROPIC_DEFAULT_HAIKU_MODEL\": \"eu.anthropic.claude-haiku-4-5-20251001-v1:0\""
    ));
}

/// Issue 9's reproduction: aliases a person types are resolved to the inference-profile
/// IDs that work from the region, never written as they are.
#[test]
fn init_resolves_aliases_and_names_to_profile_ids_and_doctor_passes() {
    let cx = TestContext::new();
    let mut args: Vec<&str> = SSO_INIT.to_vec();
    args.extend(["--model", "sonnet-4.5", "--background-model", "haiku 4.5"]);
    let out = cx.run(&args);
    assert!(out.status.success(), "{}", cx.format(&out));
    let settings = cx.read(".claude/settings.json");
    assert!(
        settings.contains("\"ANTHROPIC_MODEL\": \"us.anthropic.claude-sonnet-4-5-20250929-v1:0\""),
        "{settings}"
    );
    assert!(
        settings.contains(
            "\"ANTHROPIC_DEFAULT_HAIKU_MODEL\": \"us.anthropic.claude-haiku-4-5-20251001-v1:0\""
        ),
        "{settings}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`sonnet-4.5` → `us.anthropic.claude-sonnet-4-5-20250929-v1:0`"),
        "{stderr}"
    );
    let v = json(&cx.run(&["doctor", "--json"]));
    let model_errors: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"].as_str().unwrap().starts_with("KD1") && f["severity"] == "error")
        .collect();
    assert!(model_errors.is_empty(), "{model_errors:#?}");
}

#[test]
fn init_refuses_what_it_cannot_resolve_and_writes_nothing() {
    let cx = TestContext::new();
    let before = cx.snapshot_tree();
    for model in ["gpt-5", "us.anthropic.claude-sonnet-9", "sonnet-4"] {
        let mut args: Vec<&str> = SSO_INIT.to_vec();
        args.extend(["--model", model]);
        let out = cx.run(&args);
        assert_eq!(out.status.code(), Some(2), "{model}: {}", cx.format(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(model), "{model}: {stderr}");
        assert_eq!(cx.snapshot_tree(), before, "{model}: something was written");
    }
    let mut args: Vec<&str> = SSO_INIT.to_vec();
    args.extend(["--model", "gpt-5"]);
    let stderr = String::from_utf8_lossy(&cx.run(&args).stderr).to_string();
    assert!(
        stderr.contains("haiku-4.5") && stderr.contains("sonnet"),
        "{stderr}"
    );
    // An ID newer than the catalog, when the person says so.
    args.pop();
    args.extend(["us.anthropic.claude-sonnet-9", "--allow-unknown-model"]);
    let out = cx.run(&args);
    assert!(out.status.success(), "{}", cx.format(&out));
    assert!(cx
        .read(".claude/settings.json")
        .contains("\"ANTHROPIC_MODEL\": \"us.anthropic.claude-sonnet-9\""));
}

/// Issue 10: the seed home's KD302 advice used to loop (init, then the same advice). After
/// `init`, doctor names the exact lines, `doctor --fix` removes them with a backup that
/// holds no secret, and doctor no longer reports keys.
#[test]
fn the_seed_keys_go_after_init_without_a_loop() {
    let cx = TestContext::seed();
    let secret = keyless_testkit::fake_secret(21);
    cx.write(
        ".aws/credentials",
        &format!(
            "[bedrock-dev]\naws_access_key_id = {}\naws_secret_access_key = {secret}\n",
            keyless_testkit::fake_key_id(21)
        ),
    );
    let mut args: Vec<&str> = SSO_INIT.to_vec();
    let i = args.iter().position(|a| *a == "claude").unwrap();
    args[i] = "bedrock-dev";
    assert!(cx.run(&args).status.success());
    let v = json(&cx.run(&["doctor", "--json"]));
    let kd302: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "KD302")
        .collect();
    assert_eq!(kd302.len(), 1, "{v:#}");
    let message = kd302[0]["message"].as_str().unwrap();
    assert!(
        message.contains("now gets credentials from IAM Identity Center (SSO)"),
        "{message}"
    );
    assert!(message.contains("~/.aws/credentials:2-3"), "{message}");
    assert_eq!(kd302[0]["fix"]["automatic"], true, "{v:#}");
    let fixed = cx.run(&["doctor", "--fix", "--yes"]);
    let text = cx.format(&fixed);
    assert!(!text.contains(&secret), "{text}");
    let v = json(&cx.run(&["doctor", "--json"]));
    assert!(
        !v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "KD302"),
        "{v:#}"
    );
    assert!(!cx
        .read(".aws/credentials")
        .contains("aws_secret_access_key"));
    for entry in std::fs::read_dir(cx.path(".aws")).unwrap() {
        let p = entry.unwrap().path();
        let body = std::fs::read_to_string(&p).unwrap_or_default();
        assert!(!body.contains(&secret), "{} keeps the secret", p.display());
    }
}
