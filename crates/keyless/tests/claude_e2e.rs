//! End to end with the real client: `@anthropic-ai/claude-code` (pinned in
//! test-support/node, installed by scripts/test) run as `claude -p` against `keyless
//! sandbox`, in a temporary home, with telemetry and non-essential traffic off.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;
use keyless_testkit::moto::{moto, unique};

const ACCOUNT: &str = "123456789012";
const ANSWER: &str = "Hello from the keyless sandbox.";

/// The real client, installed by scripts/test.
fn claude() -> PathBuf {
    let p = repo_root().join("test-support/node/node_modules/.bin/claude");
    assert!(
        p.exists(),
        "@anthropic-ai/claude-code is not installed: run ./scripts/test (npm ci in test-support/node)"
    );
    p
}

fn quiet(c: &mut Command) -> &mut Command {
    c.env("DISABLE_TELEMETRY", "1")
        .env("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
        .env("DISABLE_AUTOUPDATER", "1")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// `keyless sandbox ARGS -- claude -p hello`.
fn claude_in_sandbox(
    cx: &TestContext,
    sandbox_args: &[&str],
    extra_env: &[(&str, &str)],
) -> Output {
    let claude = claude();
    let mut args: Vec<&str> = vec!["sandbox"];
    args.extend_from_slice(sandbox_args);
    args.extend_from_slice(&["--", claude.to_str().unwrap(), "-p", "hello"]);
    let mut c = cx.command(&args);
    quiet(&mut c);
    for (k, v) in extra_env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn ids(doctor_json: &serde_json::Value) -> Vec<String> {
    doctor_json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_seed_guide_fails_as_on_bedrock_and_doctor_live_names_every_cause() {
    let cx = TestContext::seed();
    let policy = shared().join("fixtures/seed-guide/policy.json");
    let policy = policy.to_str().unwrap();
    let o = claude_in_sandbox(&cx, &["--profile", "bedrock-dev", "--policy", policy], &[]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}\n{err}");
    assert!(
        out.contains("API Error (anthropic.claude-sonnet-4-20250514): 400 The provided model identifier is invalid."),
        "{out}\n{err}"
    );
    assert!(
        err.contains("400 InvokeModelWithResponseStream ValidationException"),
        "{err}"
    );

    let served = Served::start(&cx, &["--profile", "bedrock-dev", "--policy", policy]);
    let o = cx.run(&["doctor", "--live", "--endpoint-url", &served.url, "--json"]);
    let report = served.stop();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let found = ids(&v);
    // What AWS itself says: both model IDs are invalid, the policy does not allow listing
    // inference profiles; and what the files say: a retired model, a deprecated variable,
    // plain-text keys.
    for want in ["KD506", "KD504", "KD104", "KD202", "KD302"] {
        assert!(
            found.contains(&want.to_string()),
            "{want} missing from {found:?}"
        );
    }
    let kd506: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "KD506")
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kd506.len(), 2, "{kd506:?}");
    assert!(kd506
        .iter()
        .any(|m| m.starts_with("ANTHROPIC_MODEL = `anthropic.claude-sonnet-4-20250514`")));
    assert!(kd506.iter().any(
        |m| m.starts_with("ANTHROPIC_SMALL_FAST_MODEL = `anthropic.claude-haiku-4-5-20251001`")
    ));
    assert_eq!(
        v["live"]["identity"]["value"]["arn"],
        format!("arn:aws:iam::{ACCOUNT}:user/bedrock-dev")
    );
    assert!(
        report.contains("403 ListInferenceProfiles AccessDeniedException"),
        "{report}"
    );
}

/// `keyless init` and `keyless policy bedrock --claude-code` for the models init chose.
fn init_and_policy(cx: &TestContext, init: &[&str]) -> PathBuf {
    let mut args = vec!["init", "--region", "us-east-1", "--yes"];
    args.extend_from_slice(init);
    let o = cx.run(&args);
    assert!(o.status.success(), "{}", cx.format(&o));
    let settings: serde_json::Value =
        serde_json::from_str(&cx.read(".claude/settings.json")).unwrap();
    let model = settings["env"]["ANTHROPIC_MODEL"]
        .as_str()
        .unwrap()
        .to_string();
    let haiku = settings["env"]["ANTHROPIC_DEFAULT_HAIKU_MODEL"]
        .as_str()
        .unwrap()
        .to_string();
    cx.generated_policy(&[&model, &haiku])
}

fn policy_set(path: &Path) -> keyless_iam::PolicySet {
    let p = keyless_iam::Policy::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    keyless_iam::PolicySet {
        identity: vec![keyless_iam::CompiledPolicy::new("generated", &p)],
        ..Default::default()
    }
}

/// A policy element that is one string or a list of them.
fn one_or_many(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::String(s) => vec![s.clone()],
        v => v
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string())
            .collect(),
    }
}

/// Every call the client made successfully is allowed by the generated policy, and the
/// generated policy allows nothing beyond them but the documented extras.
fn assert_recorded_policy_contained(record: &Path, generated: &Path) {
    let rec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(record).unwrap()).unwrap();
    let set = policy_set(generated);
    let mut observed_actions = std::collections::BTreeSet::new();
    let mut observed_resources = std::collections::BTreeSet::new();
    for call in rec["calls"].as_array().unwrap() {
        if call["status"].as_u64().unwrap() >= 400 {
            continue;
        }
        for c in call["checks"].as_array().unwrap() {
            let action = c["action"].as_str().unwrap();
            if !action.starts_with("bedrock:") {
                continue;
            }
            let mut context = keyless_iam::Context::default();
            context.insert(
                "aws:RequestedRegion",
                vec![c["region"].as_str().unwrap().to_string()],
            );
            for kv in c["context"].as_array().unwrap() {
                context.insert(
                    kv["key"].as_str().unwrap(),
                    vec![kv["value"].as_str().unwrap().to_string()],
                );
            }
            let req = keyless_iam::Request {
                principal: call["principal"].as_str().unwrap().to_string(),
                action: action.to_string(),
                resource: c["resource"].as_str().unwrap().to_string(),
                resource_account: Some(ACCOUNT.into()),
                context,
            };
            assert_eq!(set.decide(&req), keyless_iam::Decision::Allowed, "{req:?}");
            observed_actions.insert(action.to_string());
            observed_resources.insert(c["resource"].as_str().unwrap().to_string());
        }
    }
    // The documented extras of the generated policy (docs/sandbox.md):
    // GetInferenceProfile (Claude Code's documentation asks for it; a one-prompt run does not
    // call it); InvokeModel (Claude Code's availability probes use it for the models on its
    // own probe list, non-streaming SDK calls need it; this client version streams
    // `us.anthropic.claude-sonnet-5` without a probe); and the background model, which a
    // one-prompt run does not invoke.
    let generated: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(generated).unwrap()).unwrap();
    for st in generated["Statement"].as_array().unwrap() {
        let actions = one_or_many(&st["Action"]);
        for a in &actions {
            assert!(
                observed_actions.contains(a)
                    || a == "bedrock:GetInferenceProfile"
                    || a == "bedrock:InvokeModel",
                "the generated policy allows {a}, which the client never called"
            );
        }
        let resources = one_or_many(&st["Resource"]);
        for r in &resources {
            assert!(
                observed_resources.contains(r)
                    || r.contains("haiku")
                    || actions.iter().all(|a| a == "bedrock:GetInferenceProfile"),
                "the generated policy allows {r}, which the client never used"
            );
        }
    }
}

#[test]
fn after_init_and_the_generated_policy_claude_answers_with_a_static_key_profile() {
    let cx = TestContext::new();
    cx.write(
        ".aws/credentials",
        &format!(
            "[dev]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            keyless_testkit::fake_key_id(77),
            keyless_testkit::fake_secret(78)
        ),
    );
    let policy = init_and_policy(&cx, &["--profile", "dev", "--existing"]);
    let record = cx.root.path().join("record.json");
    let o = claude_in_sandbox(
        &cx,
        &[
            "--profile",
            "dev",
            "--policy",
            policy.to_str().unwrap(),
            "--record",
            record.to_str().unwrap(),
        ],
        &[],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}\n{err}");
    assert_eq!(out.trim(), ANSWER, "{err}");
    assert!(err.contains("200 InvokeModelWithResponseStream"), "{err}");
    assert_recorded_policy_contained(&record, &policy);
    // Condition keys keep AWS's spelling in the record.
    let recorded = std::fs::read_to_string(&record).unwrap();
    assert!(
        recorded.contains("bedrock:InferenceProfileArn"),
        "{recorded}"
    );
    assert!(
        !recorded.contains("bedrock:inferenceprofilearn"),
        "{recorded}"
    );

    // The policy the run implies, from the record.
    let o = cx.run(&["sandbox", "--emit-policy", record.to_str().unwrap()]);
    assert!(o.status.success(), "{}", cx.format(&o));
    let emitted: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let text = emitted.to_string();
    assert!(
        text.contains("bedrock:InvokeModelWithResponseStream")
            && text.contains("bedrock:InferenceProfileArn"),
        "{text}"
    );
}

#[test]
fn after_init_with_a_role_profile_claude_assumes_the_role_through_moto() {
    let m = moto();
    let base = m.user(&unique("claude-base"), None);
    let role = m.role(&unique("claude-role"), &base.arn);
    let cx = TestContext::new();
    cx.write(
        ".aws/credentials",
        &format!(
            "[base]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            base.access_key_id, base.secret_access_key
        ),
    );
    cx.write(".aws/config", "[profile base]\nregion = us-east-1\n");
    let policy = init_and_policy(
        &cx,
        &[
            "--profile",
            "claude",
            "--role-arn",
            &role,
            "--source-profile",
            "base",
        ],
    );
    let record = cx.root.path().join("record.json");
    let o = claude_in_sandbox(
        &cx,
        &[
            "--profile",
            "claude",
            "--policy",
            policy.to_str().unwrap(),
            "--record",
            record.to_str().unwrap(),
        ],
        // The sandbox forwards the client's AssumeRole to moto and trusts what moto issues.
        &[("AWS_ENDPOINT_URL_STS", &m.url)],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}\n{err}");
    assert_eq!(out.trim(), ANSWER, "{err}");
    assert!(err.contains("200 AssumeRole"), "{err}");
    let rec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&record).unwrap()).unwrap();
    let role_name = role.rsplit('/').next().unwrap();
    assert!(
        rec["calls"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["operation"] == "InvokeModelWithResponseStream"
                && c["status"] == 200
                && c["principal"]
                    .as_str()
                    .unwrap()
                    .contains(&format!(":assumed-role/{role_name}/"))),
        "{rec:#}"
    );
    assert_recorded_policy_contained(&record, &policy);
}

/// The commands of the README's quick start, in order: every line of its ```sh blocks,
/// continuation lines joined. Read from README.md itself, so that the README and this test
/// cannot drift apart.
fn readme_quick_start() -> Vec<String> {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let start = readme
        .find("## Quick start")
        .expect("the README has a quick start");
    let section = &readme[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let mut commands = Vec::new();
    let mut in_sh = false;
    let mut pending = String::new();
    for line in section.lines().map(str::trim) {
        if line.starts_with("```") {
            in_sh = !in_sh && line == "```sh";
            continue;
        }
        if !in_sh || line.is_empty() {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(head) => pending.push_str(head),
            None => {
                pending.push_str(line);
                commands.push(std::mem::take(&mut pending));
            }
        }
    }
    commands
}

/// Issue 10: the README's quick start, run as written in a fresh home with the real client,
/// ends in success. The person's part is played as a person would: `init` runs on a
/// terminal (a pseudo-terminal from `script`) and the default model and the confirmation are
/// accepted; `aws sso login` is simulated by the token it caches; `cargo install` is the
/// binary under test.
#[test]
fn the_readme_quick_start_as_written_ends_in_success() {
    let cx = TestContext::new();
    let commands = readme_quick_start();
    let names: Vec<&str> = commands
        .iter()
        .map(|c| c.split_whitespace().take(2).last().unwrap_or(""))
        .collect();
    assert_eq!(
        names,
        ["install", "init", "policy", "sandbox"],
        "the quick start changed: {commands:#?}"
    );
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_keyless"))
        .parent()
        .unwrap()
        .to_path_buf();
    let claude_dir = claude().parent().unwrap().to_path_buf();
    let path = format!(
        "{}:{}:{}",
        bin_dir.display(),
        claude_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let shell = |line: &str, stdin: Option<&str>| -> Output {
        let mut c = if stdin.is_some() {
            // A terminal, as the person has: `script` gives the command a pseudo-terminal.
            let mut c = Command::new("script");
            c.args(["-qec", line, "/dev/null"]);
            c
        } else {
            let mut c = Command::new("sh");
            c.args(["-c", line]);
            c
        };
        c.current_dir(&cx.project)
            .env_clear()
            .env("PATH", &path)
            .env("HOME", &cx.home)
            .env("TERM", "dumb")
            .env("KEYLESS_NOW", NOW)
            .env("KEYLESS_CLAUDE_MANAGED_DIR", cx.root.path().join("managed"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        quiet(&mut c);
        let mut child = c.spawn().unwrap();
        use std::io::Write;
        let mut input = child.stdin.take().unwrap();
        input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
        drop(input);
        child.wait_with_output().unwrap()
    };
    // 2. See what you have: a fresh home has nothing, and doctor says so without failing
    // to run.
    let doctor = shell("keyless doctor", None);
    assert!(
        matches!(doctor.status.code(), Some(0 | 1)),
        "{}",
        cx.format(&doctor)
    );
    for line in &commands {
        if line.starts_with("cargo install") {
            continue;
        }
        if line.starts_with("keyless init") {
            // 3. On a terminal: Enter for the default model, `y` to write.
            let o = shell(line, Some("\ny\n"));
            assert_eq!(o.status.code(), Some(0), "{line}\n{}", cx.format(&o));
            // 4. `aws sso login --profile claude` leaves a token in the SSO cache...
            let settings = cx.read(".aws/config");
            let session = settings
                .lines()
                .find_map(|l| l.strip_prefix("[sso-session ")?.strip_suffix(']'))
                .expect("init wrote an sso-session");
            let hash = String::from_utf8(
                Command::new("sh")
                    .args([
                        "-c",
                        &format!("printf %s '{session}' | sha1sum | cut -d' ' -f1"),
                    ])
                    .output()
                    .unwrap()
                    .stdout,
            )
            .unwrap();
            cx.write(
                &format!(".aws/sso/cache/{}.json", hash.trim()),
                &format!(
                    r#"{{"startUrl": "https://my-org.awsapps.com/start", "region": "us-east-1", "accessToken": "{}", "expiresAt": "2099-01-01T00:00:00Z"}}"#,
                    keyless_testkit::fake_secret(77)
                ),
            );
            // ... and then `keyless doctor` exits 0.
            let o = shell("keyless doctor", None);
            assert_eq!(o.status.code(), Some(0), "{}", cx.format(&o));
            continue;
        }
        let o = shell(line, None);
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(0), "{line}\n{out}\n{err}");
        if line.starts_with("keyless sandbox") {
            // 5. The real client, with the SSO profile, through the sandbox: it answers.
            assert!(out.contains(ANSWER), "{out}\n{err}");
            assert!(err.contains("sso:GetRoleCredentials"), "{err}");
            assert!(
                err.contains("InvokeModelWithResponseStream us.anthropic.claude-sonnet-5"),
                "{err}"
            );
        }
    }
}
