//! `keyless policy` end to end.

mod common;

use common::*;

fn seed_policy() -> String {
    shared()
        .join("fixtures/seed-guide/policy.json")
        .display()
        .to_string()
}

#[test]
fn lint_seed_policy() {
    let cx = TestContext::new();
    let p = seed_policy();
    let out = cx.run(&["policy", "lint", &p]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout).replace(&p, "[SEED]/policy.json");
    insta::assert_snapshot!("policy_lint_seed", text);
    let v = json(&cx.run(&["policy", "lint", &p, "--json"]));
    let ids = ids(&v["files"][0]["findings"]);
    assert_eq!(ids, ["KP203", "KP205"]);
}

#[test]
fn check_seed_policy_names_every_missing_piece() {
    let cx = TestContext::new();
    let out = cx.run(&[
        "policy",
        "check",
        &seed_policy(),
        "--for-claude-code",
        "--model",
        "haiku-4.5",
        "--region",
        "us-east-1",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let calls = v["calls"].as_array().unwrap();
    let denied = |pred: &dyn Fn(&serde_json::Value) -> bool| {
        calls
            .iter()
            .filter(|c| pred(c) && c["required"] == true && c["decision"] != "Allowed")
            .count()
    };
    assert_eq!(
        denied(&|c| c["action"] == "bedrock:ListInferenceProfiles"),
        1,
        "missing ListInferenceProfiles"
    );
    assert_eq!(
        denied(&|c| c["resource"]
            .as_str()
            .unwrap()
            .contains(":inference-profile/")),
        2,
        "missing inference-profile resource"
    );
    for region in ["us-east-2", "us-west-1", "us-west-2", "ca-central-1"] {
        assert_eq!(
            denied(&|c| c["resource"]
                .as_str()
                .unwrap()
                .contains(&format!("{region}::foundation-model"))),
            2,
            "{region}"
        );
    }
    assert_eq!(
        denied(&|c| c["resource"]
            .as_str()
            .unwrap()
            .contains("us-east-1::foundation-model")),
        0
    );
}

#[test]
fn generated_policy_passes_lint_and_check() {
    let cx = TestContext::new();
    let out = cx.run(&[
        "policy",
        "bedrock",
        "--model",
        "sonnet",
        "--model",
        "haiku",
        "--region",
        "us-east-1",
        "--account",
        "111122223333",
        "--claude-code",
    ]);
    assert!(out.status.success());
    cx.write("project/p.json", &String::from_utf8_lossy(&out.stdout));
    let p = cx.path("project/p.json").display().to_string();
    let lint = cx.run(&["policy", "lint", &p]);
    assert!(lint.status.success(), "{}", cx.format(&lint));
    let check = cx.run(&[
        "policy",
        "check",
        &p,
        "--for-claude-code",
        "--model",
        "sonnet",
        "--model",
        "haiku",
        "--region",
        "us-east-1",
    ]);
    assert!(check.status.success(), "{}", cx.format(&check));
    insta::assert_snapshot!(
        "policy_bedrock_us_east_1",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn formats() {
    let cx = TestContext::new();
    let tf = cx.run(&[
        "policy",
        "bedrock",
        "--model",
        "haiku",
        "--region",
        "eu-west-3",
        "--format",
        "terraform",
    ]);
    insta::assert_snapshot!(
        "policy_bedrock_terraform",
        String::from_utf8_lossy(&tf.stdout)
    );
    let cfn = cx.run(&[
        "policy",
        "bedrock",
        "--model",
        "haiku",
        "--region",
        "eu-west-3",
        "--format",
        "cloudformation",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&cfn.stdout).unwrap();
    assert_eq!(
        v["Resources"]["ClaudeBedrockPolicy"]["Type"],
        "AWS::IAM::ManagedPolicy"
    );
    let json_out = cx.run(&[
        "policy",
        "bedrock",
        "--model",
        "haiku",
        "--region",
        "eu-west-3",
    ]);
    assert!(String::from_utf8_lossy(&json_out.stderr).contains("ACCOUNT_ID"));
}

#[test]
fn trust_policies() {
    let cx = TestContext::new();
    let out = cx.run(&[
        "policy",
        "trust",
        "--github",
        "acme/app",
        "--environment",
        "prod",
        "--owner-id",
        "11",
        "--repo-id",
        "22",
        "--account",
        "111122223333",
    ]);
    assert!(out.status.success());
    insta::assert_snapshot!("policy_trust_github", String::from_utf8_lossy(&out.stdout));
    for args in [
        &["--gitlab", "g/p"][..],
        &["--ec2"],
        &["--lambda"],
        &["--ecs"],
        &["--github", "acme/app"],
    ] {
        let mut full = vec!["policy", "trust", "--account", "111122223333"];
        full.extend_from_slice(args);
        let out = cx.run(&full);
        assert!(out.status.success(), "{args:?}");
        cx.write("project/t.json", &String::from_utf8_lossy(&out.stdout));
        let lint = cx.run(&[
            "policy",
            "lint",
            cx.path("project/t.json").to_str().unwrap(),
        ]);
        assert!(lint.status.success(), "{args:?}: {}", cx.format(&lint));
    }
    assert_eq!(cx.run(&["policy", "trust"]).status.code(), Some(2));
}

#[test]
fn simulate_explains() {
    let cx = TestContext::new();
    let p = seed_policy();
    let profile = "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0";
    let out = cx.run(&[
        "policy",
        "simulate",
        "--policy",
        &p,
        "--action",
        "bedrock:InvokeModelWithResponseStream",
        "--resource",
        profile,
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["decision"], "ImplicitlyDenied");
    assert_eq!(v["explanation"]["missing_allow_in"], "identity policy");
    assert_eq!(v["explanation"]["suggested_statement"]["Resource"], profile);
    assert!(v["explanation"]["near_misses"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("resource does not match"));
    let fm = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0";
    let out = cx.run(&[
        "policy",
        "simulate",
        "--policy",
        &p,
        "--action",
        "bedrock:InvokeModel",
        "--resource",
        fm,
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = cx
        .filter(&String::from_utf8_lossy(&out.stdout))
        .replace(&p, "[SEED]/policy.json");
    insta::assert_snapshot!("policy_simulate_allowed", text);
    // Context values with a condition; SCP deny wins.
    cx.write("project/id.json", r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"bedrock:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}"#);
    cx.write("project/scp.json", r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"bedrock:*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","us-west-2"]}}}]}"#);
    let id = cx.path("project/id.json").display().to_string();
    let scp = cx.path("project/scp.json").display().to_string();
    let base = [
        "policy",
        "simulate",
        "--policy",
        &id,
        "--scp",
        &scp,
        "--action",
        "bedrock:InvokeModel",
        "--resource",
        fm,
        "--json",
    ];
    let with = |extra: &[&str]| {
        let mut a = base.to_vec();
        a.extend_from_slice(extra);
        json(&cx.run(&a))["decision"].as_str().unwrap().to_string()
    };
    assert_eq!(
        with(&[
            "--context",
            "aws:SourceIp=10.1.2.3",
            "--context",
            "aws:RequestedRegion=us-east-1"
        ]),
        "Allowed"
    );
    assert_eq!(
        with(&[
            "--context",
            "aws:SourceIp=192.168.0.1",
            "--context",
            "aws:RequestedRegion=us-east-1"
        ]),
        "ImplicitlyDenied"
    );
    assert_eq!(
        with(&[
            "--context",
            "aws:SourceIp=10.1.2.3",
            "--context",
            "aws:RequestedRegion=eu-west-1"
        ]),
        "ExplicitlyDenied"
    );
}

#[test]
fn bad_policies_exit_2_with_location() {
    let cx = TestContext::new();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let cases: Vec<(&str, String, &str)> = vec![
        ("notjson.json", "this is not json".into(), "notjson.json:1:1: not valid JSON"),
        ("noeffect.json", "{\n \"Statement\": [\n  {\"Action\": \"s3:*\"}\n ]\n}".into(), "noeffect.json:3:3: the statement has no `Effect`"),
        ("badop.json", "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\",\n \"Condition\": {\"StringEqualz\": {\"a\": \"b\"}}}}".into(), "badop.json:2:16: unknown condition operator `StringEqualz`"),
        ("deep.json", deep, "deep.json:1:129: not valid JSON: nesting deeper than 128 levels"),
    ];
    for (name, text, needle) in &cases {
        cx.write(&format!("project/{name}"), text);
        let path = cx.path(&format!("project/{name}")).display().to_string();
        for args in [
            vec!["policy", "lint", path.as_str()],
            vec![
                "policy",
                "simulate",
                "--policy",
                path.as_str(),
                "--action",
                "s3:GetObject",
                "--resource",
                "*",
            ],
            vec![
                "policy",
                "check",
                path.as_str(),
                "--for-claude-code",
                "--model",
                "haiku",
                "--region",
                "us-east-1",
            ],
        ] {
            let out = cx.run(&args);
            let stderr = cx.filter(&String::from_utf8_lossy(&out.stderr));
            assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
            assert!(
                stderr.contains(needle),
                "{name}: expected {needle:?} in {stderr}"
            );
            assert!(!stderr.contains("panicked"));
        }
    }
    std::fs::File::create(cx.path("project/big.json"))
        .unwrap()
        .set_len(10 * 1024 * 1024)
        .unwrap();
    let out = cx.run(&[
        "policy",
        "lint",
        cx.path("project/big.json").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("larger than"));
}

/// Issue 10: the statements `policy check` suggests make Claude Code's calls pass, and are
/// as tight as the generator's: a destination model only through its profile.
#[test]
fn check_suggestions_work_and_are_conditioned_on_the_profile() {
    let cx = TestContext::new();
    let args = |file: &str| -> Vec<String> {
        [
            "policy",
            "check",
            file,
            "--for-claude-code",
            "--model",
            "haiku",
            "--region",
            "us-east-1",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let run = |file: &str| {
        let a = args(file);
        cx.run(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let out = run(&seed_policy());
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let suggested: Vec<serde_json::Value> = serde_json::Deserializer::from_str(
        &text[text.find("Add:").unwrap() + 4..text.find("hint:").unwrap()],
    )
    .into_iter::<serde_json::Value>()
    .collect::<Result<_, _>>()
    .unwrap();
    let through_profile: Vec<&serde_json::Value> = suggested
        .iter()
        .filter(|s| s.to_string().contains("foundation-model"))
        .collect();
    assert!(!through_profile.is_empty());
    for s in &through_profile {
        assert!(
            s["Condition"]["StringEquals"]["bedrock:InferenceProfileArn"]
                .as_str()
                .is_some_and(|p| p.contains(":inference-profile/us.anthropic.claude-haiku")),
            "{s:#}"
        );
    }
    // The seed policy plus the suggestions: every call Claude Code needs is allowed.
    let mut seed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(seed_policy()).unwrap()).unwrap();
    seed["Statement"]
        .as_array_mut()
        .unwrap()
        .extend(suggested.iter().cloned());
    cx.write("fixed.json", &seed.to_string());
    let fixed = cx.path("fixed.json");
    let out = run(fixed.to_str().unwrap());
    assert_eq!(out.status.code(), Some(0), "{}", cx.format(&out));
    // The suggestions alone do not allow calling a destination model directly.
    cx.write(
        "suggested.json",
        &serde_json::json!({"Version": "2012-10-17", "Statement": suggested}).to_string(),
    );
    let sim = cx.run(&[
        "policy",
        "simulate",
        "--policy",
        cx.path("suggested.json").to_str().unwrap(),
        "--action",
        "bedrock:InvokeModel",
        "--resource",
        "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
    ]);
    assert_eq!(sim.status.code(), Some(1), "{}", cx.format(&sim));
}

/// Issue 10: `policy bedrock` without --model / --region takes the setup's models and
/// region (what init wrote), and init's defaults in an empty home.
#[test]
fn bedrock_policy_defaults_to_the_setups_models_and_region() {
    let cx = TestContext::new();
    let mut init: Vec<&str> = SSO_INIT.to_vec();
    let i = init.iter().position(|a| *a == "us-east-1").unwrap();
    init[i] = "eu-west-3";
    assert!(cx.run(&init).status.success());
    let out = cx.run(&[
        "policy",
        "bedrock",
        "--claude-code",
        "--account",
        "111122223333",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", cx.format(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("from ANTHROPIC_MODEL, ANTHROPIC_DEFAULT_HAIKU_MODEL"),
        "{stderr}"
    );
    assert!(
        stderr.contains("region eu-west-3 (your setup's)"),
        "{stderr}"
    );
    let policy = String::from_utf8_lossy(&out.stdout);
    assert!(policy.contains("arn:aws:bedrock:eu-west-3:111122223333:inference-profile/global.anthropic.claude-sonnet-4-6"), "{policy}");
    assert!(
        policy.contains("inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0"),
        "{policy}"
    );
    // The policy it wrote allows what the setup sends.
    cx.write("p.json", &policy);
    let check = cx.run(&[
        "policy",
        "check",
        cx.path("p.json").to_str().unwrap(),
        "--for-claude-code",
        "--model",
        "global.anthropic.claude-sonnet-4-6",
        "--model",
        "eu.anthropic.claude-haiku-4-5-20251001-v1:0",
        "--region",
        "eu-west-3",
        "--principal",
        "arn:aws:iam::111122223333:role/claude",
    ]);
    assert_eq!(check.status.code(), Some(0), "{}", cx.format(&check));
    let empty = TestContext::new();
    let out = empty.run(&["policy", "bedrock"]);
    assert_eq!(out.status.code(), Some(0), "{}", empty.format(&out));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("models sonnet, haiku (keyless init's defaults), region us-east-1"));
}
