//! `keyless models`, `profiles`, help, completions, man page and generated docs.

mod common;

use common::*;

#[test]
fn models_from_a_region() {
    let cx = TestContext::new();
    keyless_snapshot!("models_us_east_1", cx, &["models", "--region", "us-east-1"]);
    keyless_snapshot!("models_eu_west_3", cx, &["models", "--region", "eu-west-3"]);
    let v = json(&cx.run(&["models", "--region", "ap-northeast-1", "--json"]));
    let haiku = v["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["alias"] == "haiku-4.5")
        .unwrap();
    assert_eq!(
        haiku["profiles"][0]["id"],
        "jp.anthropic.claude-haiku-4-5-20251001-v1:0"
    );
    assert!(v["models"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["lifecycle"] != "end-of-life"));
    let all = json(&cx.run(&["models", "--all", "--json"]));
    assert!(all["models"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["lifecycle"] == "end-of-life"));
    let out = cx.run(&["models", "--region", "mars-1"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn models_uses_the_setups_region() {
    let cx = TestContext::seed();
    let out = cx.run(&["models"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Claude models usable from us-east-1"));
}

#[test]
fn profiles_lists_sources() {
    let cx = TestContext::seed();
    keyless_snapshot!("profiles_seed", cx, &["profiles"]);
    let v = json(&cx.run(&["profiles", "--json"]));
    assert_eq!(v["profiles"][0]["name"], "bedrock-dev");
    assert_eq!(
        v["profiles"][0]["credential_source"],
        "static-keys-credentials-file"
    );
}

#[test]
fn help_teaches() {
    let cx = TestContext::new();
    keyless_snapshot!("help", cx, &["--help"]);
    keyless_snapshot!("help_init", cx, &["init", "--help"]);
    let out = cx.run(&["no-such-command"]);
    assert_eq!(out.status.code(), Some(2));
    let out = cx.run(&["--version"]);
    assert!(out.status.success());
}

#[test]
fn completions_and_man_page() {
    let cx = TestContext::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = cx.run(&["completions", shell]);
        assert!(out.status.success());
        let s = String::from_utf8_lossy(&out.stdout);
        assert!(
            s.contains("doctor") && s.contains("sso-start-url"),
            "{shell}"
        );
    }
    let man = String::from_utf8_lossy(&cx.run(&["man"]).stdout).into_owned();
    assert!(
        man.contains(".TH keyless") && man.contains("doctor"),
        "{man}"
    );
}

#[test]
fn findings_reference_is_generated_from_the_code() {
    let cx = TestContext::new();
    let out = cx.run(&[
        "generate-docs",
        "--check",
        "--root",
        repo_root().to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "docs/findings.md is stale: run `cargo run -p keyless -- generate-docs`\n{}",
        cx.format(&out)
    );
}

#[test]
fn models_resolve_gives_the_verdict_and_the_id_to_write() {
    let cx = TestContext::new();
    let out = keyless_snapshot!(
        "models_resolve_anthropic_api_id",
        cx,
        &[
            "models",
            "resolve",
            "claude-sonnet-4-5-20250929",
            "--region",
            "eu-west-1"
        ]
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&cx.run(&[
        "models",
        "resolve",
        "us.anthropic.claude-haiku-4-5-20251001-v1",
        "--region",
        "us-east-1",
        "--json",
    ]));
    assert_eq!(v["verdict"], "malformed-id");
    assert_eq!(v["works"], false);
    assert_eq!(v["model"]["name"], "Claude Haiku 4.5");
    assert_eq!(v["use"], "us.anthropic.claude-haiku-4-5-20251001-v1:0");
    let ok = cx.run(&[
        "models",
        "resolve",
        "eu.anthropic.claude-haiku-4-5-20251001-v1:0",
        "--region",
        "eu-west-1",
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}", cx.format(&ok));
    // Bad input: a verdict for each, never a panic.
    for s in [
        "",
        "   ",
        "ARN:AWS:BEDROCK",
        "arn:aws:bedrock:us-east-1:1:provisioned-model/x",
        "\u{1F600}",
    ] {
        let out = cx.run(&["models", "resolve", s, "--json"]);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{s:?}: {}",
            cx.format(&out)
        );
        assert!(json(&out)["verdict"].is_string(), "{s:?}");
    }
}

/// Issue 10: `--format json` and `--json` are both accepted wherever output can be JSON,
/// and `--format sarif` is `--sarif`.
#[test]
fn format_and_json_are_both_spellings_everywhere() {
    let cx = TestContext::seed();
    for args in [
        vec!["doctor"],
        vec!["models", "--region", "us-east-1"],
        vec!["models", "resolve", "sonnet-4.5"],
        vec!["profiles"],
        vec!["scan"],
    ] {
        let mut a = args.clone();
        a.push("--json");
        let mut b = args.clone();
        b.extend(["--format", "json"]);
        let (x, y) = (cx.run(&a), cx.run(&b));
        assert_eq!(x.status.code(), y.status.code(), "{args:?}");
        assert_eq!(x.stdout, y.stdout, "{args:?}");
        assert!(json(&y).is_object(), "{args:?}");
    }
    let sarif = cx.run(&["scan", "--format", "sarif"]);
    assert_eq!(json(&sarif)["version"], "2.1.0");
    let bedrock = |extra: &[&str]| {
        let mut a = vec![
            "policy",
            "bedrock",
            "--model",
            "haiku",
            "--region",
            "us-east-1",
        ];
        a.extend(extra);
        cx.run(&a).stdout
    };
    assert_eq!(bedrock(&["--json"]), bedrock(&[]));
    assert_eq!(bedrock(&["--json"]), bedrock(&["--format", "json"]));
    assert_eq!(
        cx.run(&["doctor", "--format", "yaml"]).status.code(),
        Some(2)
    );
}

/// Rule IDs are stable: the three registries name exactly the IDs in `rule-ids.txt`
/// (a removed rule stays, with status `Removed`), and `docs/rules/` has one page per ID and
/// nothing else.
#[test]
fn rule_ids_are_stable_and_each_has_its_page() {
    let ids: Vec<&str> = keyless_doctor::registry::RULES
        .iter()
        .map(|r| r.id)
        .chain(keyless_iam::lint::registry::RULES.iter().map(|r| r.id))
        .chain(keyless_scan::registry::all_rules().iter().map(|r| r.id))
        .collect();
    let want =
        std::fs::read_to_string(repo_root().join("crates/keyless/tests/rule-ids.txt")).unwrap();
    assert_eq!(ids.join("\n"), want.trim_end(), "a rule ID was added, removed or renumbered: new IDs go at the end of their family, in rule-ids.txt too");
    let mut pages: Vec<String> = std::fs::read_dir(repo_root().join("docs/rules"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    let mut expected: Vec<String> = ids.iter().map(|i| format!("{i}.md")).collect();
    expected.sort();
    assert_eq!(pages, expected);
}
