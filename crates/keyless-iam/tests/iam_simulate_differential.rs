//! Differential test: keyless's policy decisions against @cloud-copilot/iam-simulate.
//!
//! Generates at least 10,000 (policies, request) cases from a fixed seed: identity
//! policies, service control policies, permissions boundaries and resource policies with
//! `Action`/`NotAction`, `Resource`/`NotResource` (wildcards, `?`, policy variables),
//! `Principal`/`NotPrincipal`, and conditions over every operator family with `IfExists`
//! and set operators, against requests from the same and other accounts. Each case is
//! decided by iam-simulate (installed at a pinned version by `scripts/test`) and by
//! keyless; they must agree on every case iam-simulate accepts. Documented differences
//! are listed in `docs/iam-evaluation-differences.md`; the generator does not produce them.

#![allow(clippy::print_stderr)] // the test reports its coverage

use std::path::{Path, PathBuf};
use std::process::Command;

use keyless_iam::{CompiledPolicy, Context, Decision, Policy, PolicySet, Request};
use serde_json::{json, Value};

fn node_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-support/node");
    assert!(
        d.join("node_modules/@cloud-copilot/iam-simulate").exists(),
        "iam-simulate is not installed: run ./scripts/test (it runs `npm ci` in test-support/node)"
    );
    d
}

use keyless_testkit::Rng;

const ACCOUNT: &str = "111122223333";
const OTHER: &str = "444455556666";

/// (action, resource ARNs it may target, service condition keys usable with it)
struct ActionDef {
    action: &'static str,
    resources: &'static [&'static str],
}

const ACTIONS: &[ActionDef] = &[
    ActionDef {
        action: "bedrock:InvokeModel",
        resources: &[
            "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
            "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
            "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0",
            "arn:aws:bedrock:us-east-1:111122223333:inference-profile/global.anthropic.claude-opus-4-6-v1",
        ],
    },
    ActionDef {
        action: "bedrock:InvokeModelWithResponseStream",
        resources: &[
            "arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
            "arn:aws:bedrock:eu-west-1:111122223333:inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0",
        ],
    },
    ActionDef { action: "s3:GetObject", resources: &["arn:aws:s3:::bucket/home/alice/notes.txt", "arn:aws:s3:::bucket/public/x", "arn:aws:s3:::other/home/bob/a"] },
    ActionDef { action: "s3:ListBucket", resources: &["arn:aws:s3:::bucket", "arn:aws:s3:::other"] },
    ActionDef { action: "iam:PassRole", resources: &["arn:aws:iam::111122223333:role/BedrockRole", "arn:aws:iam::111122223333:role/Admin"] },
    ActionDef { action: "kms:Decrypt", resources: &["arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"] },
];

const ACTION_PATTERNS: &[&str] = &[
    "*",
    "bedrock:*",
    "bedrock:InvokeModel",
    "bedrock:invokemodel*",
    "bedrock:InvokeModel*",
    "BEDROCK:INVOKEMODELWITHRESPONSESTREAM",
    "bedrock:Invoke?odel",
    "s3:*",
    "s3:Get*",
    "s3:GetObject",
    "s3:ListBucket",
    "s3:List*",
    "iam:PassRole",
    "iam:*",
    "kms:Decrypt",
    "kms:*",
    "bedrock:ListInferenceProfiles",
    "sts:GetCallerIdentity",
];

const RESOURCE_PATTERNS: &[&str] = &[
    "*",
    "arn:aws:bedrock:*::foundation-model/*",
    "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-*",
    "arn:aws:bedrock:*:*:inference-profile/*",
    "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.*",
    "arn:aws:bedrock:*:111122223333:inference-profile/*haiku*",
    "arn:aws:bedrock:us-?ast-1::foundation-model/*",
    "arn:aws:bedrock:US-EAST-1::foundation-model/*",
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::bucket",
    "arn:aws:s3:::bucket/home/${aws:username}/*",
    "arn:aws:s3:::bucket/home/${aws:username, 'nobody'}/*",
    "arn:aws:s3:::*/home/*",
    "arn:aws:s3:::bucket/HOME/*",
    "arn:aws:iam::111122223333:role/Bedrock*",
    "arn:aws:iam::*:role/*",
    "arn:aws:kms:*:111122223333:key/*",
    "arn:aws:*:*:*:*",
];

/// (key, kind, sample request values)
const KEYS: &[(&str, &str, &[&str])] = &[
    ("aws:username", "string", &["alice", "bob", "Alice"]),
    ("aws:PrincipalTag/team", "string", &["ml", "web", "ML"]),
    (
        "aws:RequestedRegion",
        "string",
        &["us-east-1", "us-west-2", "eu-west-1"],
    ),
    (
        "aws:SourceIp",
        "ip",
        &["10.1.2.3", "192.168.1.10", "203.0.113.7"],
    ),
    (
        "aws:CurrentTime",
        "date",
        &["2026-11-27T12:00:00Z", "2025-01-01T00:00:00Z"],
    ),
    (
        "aws:MultiFactorAuthAge",
        "numeric",
        &["100", "3600", "86400"],
    ),
    ("aws:SecureTransport", "bool", &["true", "false"]),
    (
        "aws:PrincipalArn",
        "arn",
        &[
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::111122223333:role/dev",
        ],
    ),
    (
        "aws:PrincipalServiceNamesList",
        "set",
        &[
            "ec2.amazonaws.com",
            "lambda.amazonaws.com",
            "bedrock.amazonaws.com",
        ],
    ),
];

fn operator_for(rng: &mut Rng, kind: &str) -> String {
    let family: &[&str] = match kind {
        "string" | "set" => &[
            "StringEquals",
            "StringNotEquals",
            "StringEqualsIgnoreCase",
            "StringNotEqualsIgnoreCase",
            "StringLike",
            "StringNotLike",
        ],
        "ip" => &["IpAddress", "NotIpAddress"],
        "date" => &[
            "DateEquals",
            "DateNotEquals",
            "DateLessThan",
            "DateLessThanEquals",
            "DateGreaterThan",
            "DateGreaterThanEquals",
        ],
        "numeric" => &[
            "NumericEquals",
            "NumericNotEquals",
            "NumericLessThan",
            "NumericLessThanEquals",
            "NumericGreaterThan",
            "NumericGreaterThanEquals",
        ],
        "bool" => &["Bool"],
        _ => &[
            "ArnEquals",
            "ArnLike",
            "ArnNotEquals",
            "ArnNotLike",
            "StringLike",
        ],
    };
    let mut op = rng.pick(family).to_string();
    if kind == "set" || rng.chance(8) {
        op = format!("{}{op}", rng.pick(&["ForAnyValue:", "ForAllValues:"]));
    }
    if rng.chance(20) {
        op.push_str("IfExists");
    }
    if rng.chance(7) {
        op = "Null".into();
    }
    op
}

fn policy_value(rng: &mut Rng, kind: &str) -> String {
    match kind {
        "string" => rng
            .pick(&[
                "alice",
                "al*",
                "ALICE",
                "ml",
                "m?",
                "us-*",
                "us-east-1",
                "${aws:username}",
                "*",
            ])
            .to_string(),
        "set" => rng
            .pick(&[
                "ec2.amazonaws.com",
                "*.amazonaws.com",
                "bedrock.amazonaws.com",
            ])
            .to_string(),
        "ip" => rng
            .pick(&[
                "10.0.0.0/8",
                "192.168.1.0/24",
                "203.0.113.7",
                "0.0.0.0/1",
                "128.0.0.0/1",
            ])
            .to_string(),
        "date" => rng
            .pick(&[
                "2026-01-01T00:00:00Z",
                "2026-11-27T12:00:00Z",
                "2027-01-01",
                "1700000000",
            ])
            .to_string(),
        "numeric" => rng.pick(&["3600", "100", "0", "86400.0"]).to_string(),
        "bool" => rng.pick(&["true", "false"]).to_string(),
        _ => rng
            .pick(&[
                "arn:aws:iam::111122223333:user/*",
                "arn:aws:iam::*:role/dev",
                "arn:aws:iam::111122223333:*",
            ])
            .to_string(),
    }
}

fn list_or_one(rng: &mut Rng, mut xs: Vec<String>) -> Value {
    xs.dedup();
    if xs.len() == 1 && rng.chance(60) {
        json!(xs[0])
    } else {
        json!(xs)
    }
}

fn statement(rng: &mut Rng, resource_policy: bool, allow_bias: usize) -> Value {
    let mut s = serde_json::Map::new();
    if rng.chance(30) {
        s.insert("Sid".into(), json!(format!("S{}", rng.below(100))));
    }
    s.insert(
        "Effect".into(),
        json!(if rng.chance(allow_bias) {
            "Allow"
        } else {
            "Deny"
        }),
    );
    let n = 1 + rng.below(3);
    let actions: Vec<String> = (0..n)
        .map(|_| rng.pick(ACTION_PATTERNS).to_string())
        .collect();
    s.insert(
        if rng.chance(10) {
            "NotAction"
        } else {
            "Action"
        }
        .into(),
        list_or_one(rng, actions),
    );
    let n = 1 + rng.below(3);
    let resources: Vec<String> = (0..n)
        .map(|_| rng.pick(RESOURCE_PATTERNS).to_string())
        .collect();
    s.insert(
        if rng.chance(8) {
            "NotResource"
        } else {
            "Resource"
        }
        .into(),
        list_or_one(rng, resources),
    );
    if resource_policy {
        let p = match rng.below(7) {
            0 => json!("*"),
            1 => json!({"AWS": "*"}),
            2 => json!({"AWS": ACCOUNT}),
            3 => json!({"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}),
            4 => {
                json!({"AWS": [format!("arn:aws:iam::{ACCOUNT}:user/alice"), format!("arn:aws:iam::{OTHER}:user/bob")]})
            }
            5 => json!({"AWS": format!("arn:aws:iam::{ACCOUNT}:role/dev")}),
            _ => json!({"AWS": format!("arn:aws:iam::{OTHER}:root")}),
        };
        s.insert("Principal".into(), p);
    }
    if rng.chance(55) {
        let mut cond = serde_json::Map::new();
        for _ in 0..1 + rng.below(2) {
            let (key, kind, _) = rng.pick(KEYS);
            let op = operator_for(rng, kind);
            let vals: Vec<String> = if op == "Null" {
                vec![rng.pick(&["true", "false"]).to_string()]
            } else {
                (0..1 + rng.below(2))
                    .map(|_| policy_value(rng, kind))
                    .collect()
            };
            let entry = cond.entry(op).or_insert_with(|| json!({}));
            entry
                .as_object_mut()
                .unwrap()
                .insert(key.to_string(), list_or_one(rng, vals));
        }
        s.insert("Condition".into(), Value::Object(cond));
    }
    Value::Object(s)
}

fn policy(rng: &mut Rng, resource_policy: bool, allow_bias: usize) -> Value {
    let n = 1 + rng.below(3);
    let statements: Vec<Value> = (0..n)
        .map(|_| statement(rng, resource_policy, allow_bias))
        .collect();
    let mut p = json!({"Statement": if n == 1 && rng.chance(30) { statements[0].clone() } else { json!(statements) }});
    // Variables need Version 2012-10-17 (docs/iam-evaluation-differences.md §1).
    if rng.chance(85) || p.to_string().contains("${") {
        p["Version"] = json!("2012-10-17");
    }
    p
}

struct Case {
    sim: Value,
    set: PolicySet,
    req: Request,
}

fn generate(rng: &mut Rng) -> Case {
    let def = &ACTIONS[rng.below(ACTIONS.len())];
    let resource = rng.pick(def.resources).to_string();
    let principal = rng.pick(&[
        format!("arn:aws:iam::{ACCOUNT}:user/alice"),
        format!("arn:aws:iam::{ACCOUNT}:user/bob"),
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/dev/session1"),
        format!("arn:aws:iam::{OTHER}:user/bob"),
    ]);
    let resource_account = if rng.chance(85) { ACCOUNT } else { OTHER }.to_string();
    let mut context = serde_json::Map::new();
    let mut ctx = Context::default();
    for (key, kind, samples) in KEYS {
        if rng.chance(45) {
            if *kind == "set" {
                let n = 1 + rng.below(3);
                let mut vals: Vec<String> = (0..n).map(|_| rng.pick(samples).to_string()).collect();
                vals.sort();
                vals.dedup();
                context.insert(key.to_string(), json!(vals));
                ctx.insert(key, vals);
            } else {
                let v = rng.pick(samples).to_string();
                context.insert(key.to_string(), json!(v));
                ctx.insert(key, vec![v]);
            }
        }
    }
    let identity: Vec<Value> = (0..rng.below(3)).map(|_| policy(rng, false, 80)).collect();
    // Service control policies in one to three levels of the organisation tree.
    let scp_levels: Vec<Value> = if rng.chance(20) {
        (0..1 + rng.below(3))
            .map(|_| policy(rng, false, 85))
            .collect()
    } else {
        Vec::new()
    };
    let boundary = rng.chance(15).then(|| policy(rng, false, 80));
    let resource_policy =
        (def.action.starts_with("s3:") && rng.chance(60)).then(|| policy(rng, true, 75));

    let mut sim = json!({
        "request": {
            "principal": principal,
            "action": def.action,
            "resource": {"resource": resource, "accountId": resource_account},
            "contextVariables": context,
        },
        "identityPolicies": identity.iter().enumerate().map(|(i, p)| json!({"name": format!("id{i}"), "policy": p})).collect::<Vec<_>>(),
        "serviceControlPolicies": scp_levels.iter().enumerate().map(|(i, p)| json!({"orgIdentifier": format!("ou-{i}"), "policies": [{"name": "scp", "policy": p}]})).collect::<Vec<_>>(),
        "resourceControlPolicies": [],
    });
    if let Some(b) = &boundary {
        sim["permissionBoundaryPolicies"] = json!([{"name": "pb", "policy": b}]);
    }
    if let Some(r) = &resource_policy {
        sim["resourcePolicy"] = r.clone();
    }
    let compile = |name: &str, v: &Value| {
        CompiledPolicy::new(
            name,
            &Policy::parse(&v.to_string()).expect("generated policies parse"),
        )
    };
    let set = PolicySet {
        identity: identity
            .iter()
            .enumerate()
            .map(|(i, p)| compile(&format!("id{i}"), p))
            .collect(),
        resource: resource_policy.as_ref().map(|p| compile("rp", p)),
        scps: scp_levels.iter().map(|p| vec![compile("scp", p)]).collect(),
        rcps: Vec::new(),
        boundary: boundary.as_ref().map(|p| compile("pb", p)),
        session: None,
    };
    let req = Request {
        principal: sim["request"]["principal"].as_str().unwrap().to_string(),
        action: def.action.to_string(),
        resource,
        resource_account: Some(resource_account),
        context: ctx,
    };
    Case { sim, set, req }
}

fn run_oracle(cases: &[Case], dir: &Path) -> Vec<String> {
    let file = dir.join("cases.json");
    let payload = json!({"cases": cases.iter().map(|c| &c.sim).collect::<Vec<_>>()});
    std::fs::write(&file, payload.to_string()).unwrap();
    let node = node_dir();
    let out = Command::new("node")
        .arg(node.join("iam_simulate_oracle.mjs"))
        .arg(&file)
        .current_dir(&node)
        .output()
        .expect("node");
    assert!(
        out.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn keyless_decides_like_iam_simulate() {
    let n: usize = std::env::var("KEYLESS_IAM_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let seed: u64 = std::env::var("KEYLESS_IAM_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x1a3_5eed);
    let mut rng = Rng(seed);
    let cases: Vec<Case> = (0..n).map(|_| generate(&mut rng)).collect();
    let dir = tempfile::tempdir().unwrap();
    let answers = run_oracle(&cases, dir.path());
    // For scripts/bench-policy: the same cases, for keyless's and iam-simulate's timings.
    if let Ok(out) = std::env::var("KEYLESS_IAM_CASES_OUT") {
        std::fs::copy(dir.path().join("cases.json"), out).unwrap();
    }
    assert_eq!(answers.len(), n);
    let mut errors = Vec::new();
    let mut mismatches = Vec::new();
    let mut tally = std::collections::BTreeMap::<&str, usize>::new();
    for (case, want) in cases.iter().zip(&answers) {
        if want.starts_with("error") {
            errors.push(want.clone());
            continue;
        }
        let got = case.set.decide(&case.req);
        // The explaining path must agree with the fast path.
        assert_eq!(case.set.evaluate(&case.req).decision, got);
        *tally.entry(got.as_str()).or_default() += 1;
        if got.as_str() != want {
            mismatches.push(format!(
                "iam-simulate {want}, keyless {}\n{}\n",
                got.as_str(),
                serde_json::to_string_pretty(&case.sim).unwrap()
            ));
        }
    }
    eprintln!(
        "{n} cases (seed {seed:#x}): {tally:?}, {} refused by iam-simulate",
        errors.len()
    );
    if let Ok(path) = std::env::var("KEYLESS_IAM_MISMATCHES") {
        std::fs::write(path, mismatches.join("\n=====\n")).unwrap();
    }
    assert!(
        errors.len() * 100 <= n,
        "iam-simulate refused {} cases; first: {:?}",
        errors.len(),
        errors.first()
    );
    for d in [
        Decision::Allowed,
        Decision::ImplicitlyDenied,
        Decision::ExplicitlyDenied,
    ] {
        assert!(
            tally.get(d.as_str()).copied().unwrap_or(0) * 20 >= n,
            "too few {} cases: {tally:?}",
            d.as_str()
        );
    }
    assert!(
        mismatches.is_empty(),
        "{} of {n} cases differ; first:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
