//! Evaluations per second on a file of cases in iam-simulate's `Simulation` format (as
//! written by the differential test with `KEYLESS_IAM_CASES_OUT`). Run by
//! `scripts/bench-policy`, which times iam-simulate on the same file.
//!
//! Usage: cargo bench -p keyless-iam --bench evaluate -- CASES.json [ROUNDS]

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::Instant;

use keyless_iam::{CompiledPolicy, Context, Decision, Policy, PolicySet, Request};
use serde_json::Value;

fn compile(name: &str, v: &Value) -> CompiledPolicy {
    CompiledPolicy::new(name, &Policy::parse(&v.to_string()).expect("cases parse"))
}

fn load(c: &Value) -> (PolicySet, Request) {
    let r = &c["request"];
    let mut context = Context::default();
    for (k, v) in r["contextVariables"].as_object().into_iter().flatten() {
        let values = match v {
            Value::Array(xs) => xs
                .iter()
                .map(|x| x.as_str().unwrap_or_default().to_string())
                .collect(),
            other => vec![other.as_str().unwrap_or_default().to_string()],
        };
        context.insert(k, values);
    }
    let list = |key: &str| -> Vec<CompiledPolicy> {
        c[key]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| compile(p["name"].as_str().unwrap_or("p"), &p["policy"]))
            .collect()
    };
    let scps = c["serviceControlPolicies"]
        .as_array()
        .into_iter()
        .flatten()
        // One inner list per level of the organisation tree.
        .map(|o| {
            o["policies"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| compile("scp", &p["policy"]))
                .collect()
        })
        .collect();
    let set = PolicySet {
        identity: list("identityPolicies"),
        resource: (!c["resourcePolicy"].is_null()).then(|| compile("rp", &c["resourcePolicy"])),
        scps,
        rcps: Vec::new(),
        boundary: list("permissionBoundaryPolicies").into_iter().next(),
        session: None,
    };
    let req = Request {
        principal: r["principal"].as_str().unwrap_or_default().into(),
        action: r["action"].as_str().unwrap_or_default().into(),
        resource: r["resource"]["resource"]
            .as_str()
            .unwrap_or_default()
            .into(),
        resource_account: r["resource"]["accountId"].as_str().map(str::to_string),
        context,
    };
    (set, req)
}

fn main() {
    let args: Vec<String> = std::env::args().filter(|a| a != "--bench").collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: cargo bench -p keyless-iam --bench evaluate -- CASES.json [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(50);
    let cases: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read cases")).expect("JSON");
    let cases: Vec<(PolicySet, Request)> = cases["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(load)
        .collect();
    // Warm up, and keep the optimiser from discarding the work.
    let mut allowed = 0usize;
    for (set, req) in &cases {
        allowed += usize::from(set.decide(req) == Decision::Allowed);
    }
    let start = Instant::now();
    for _ in 0..rounds {
        for (set, req) in &cases {
            allowed += usize::from(
                std::hint::black_box(set.decide(std::hint::black_box(req))) == Decision::Allowed,
            );
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let n = rounds * cases.len();
    println!("{{\"evaluations\": {n}, \"seconds\": {secs:.4}, \"per_second\": {:.0}, \"allowed\": {allowed}}}", n as f64 / secs);
}
