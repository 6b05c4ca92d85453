//! Runs iam-simulate's published core-engine test cases through keyless and reports
//! agreement. The cases are AGPL test data in iam-simulate's source repository (not in its
//! npm package), so they are not part of this repository or of CI: get a copy of
//! `src/core_engine/coreEngineTests/` and point this program at it.
//!
//! Usage: cargo run --release -p keyless-iam --example published_cases -- DIR
//!
//! Cases that use what keyless does not model are counted as skipped: VPC endpoint
//! policies, iam-simulate's own "Discovery" simulation mode, anonymous callers, and
//! requests whose resource is a wildcard pattern rather than one resource.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};

use keyless_iam::{CompiledPolicy, Context, Policy, PolicySet, Request};
use serde_json::Value;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

fn compile(name: &str, v: &Value) -> Result<CompiledPolicy, String> {
    Policy::parse(&v.to_string())
        .map(|p| CompiledPolicy::new(name, &p))
        .map_err(|e| e.to_string())
}

/// Several policies at one layer (boundaries): any may allow, so one policy with all the
/// statements is equivalent.
fn merged(name: &str, vs: &[Value]) -> Result<CompiledPolicy, String> {
    let mut statements = Vec::new();
    let mut version = None;
    for v in vs {
        version = v.get("Version").cloned().or(version);
        match &v["Statement"] {
            Value::Array(xs) => statements.extend(xs.iter().cloned()),
            s @ Value::Object(_) => statements.push(s.clone()),
            _ => {}
        }
    }
    let mut doc = serde_json::json!({"Statement": statements});
    if let Some(v) = version {
        doc["Version"] = v;
    }
    compile(name, &doc)
}

fn run(case: &Value) -> Result<String, String> {
    if case.get("endpointPolicies").is_some() {
        return Err("skip: VPC endpoint policies".into());
    }
    if case["simulation"]["mode"]
        .as_str()
        .is_some_and(|m| m != "Strict")
    {
        return Err("skip: discovery mode".into());
    }
    if case["request"]["principal"].is_object() {
        return Err("skip: anonymous caller (every Bedrock request is signed)".into());
    }
    let requested = match &case["request"]["resource"] {
        Value::Object(o) => o["resource"].as_str().unwrap_or_default().to_string(),
        v => v.as_str().unwrap_or_default().to_string(),
    };
    let wildcard_only = case["request"]["wildcardOnlyAction"] == true
        || case["request"]["action"]
            .as_str()
            .is_some_and(|a| a.eq_ignore_ascii_case("sts:GetCallerIdentity"));
    if requested.contains('*') && !(requested == "*" && wildcard_only) {
        return Err("skip: wildcard request resource (a real request names one resource)".into());
    }
    let r = &case["request"];
    let mut context = Context::default();
    for (k, v) in r["context"].as_object().into_iter().flatten() {
        let values = match v {
            Value::Array(xs) => xs
                .iter()
                .map(|x| {
                    x.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| x.to_string())
                })
                .collect(),
            Value::String(s) => vec![s.clone()],
            other => vec![other.to_string()],
        };
        context.insert(k, values);
    }
    let (resource, account) = match &r["resource"] {
        Value::Object(o) => (
            o["resource"].as_str().unwrap_or("*").to_string(),
            o.get("accountId")
                .and_then(|a| a.as_str())
                .map(str::to_string),
        ),
        Value::String(s) => (s.clone(), None),
        _ => ("*".into(), None),
    };
    let levels = |key: &str| -> Result<Vec<Vec<CompiledPolicy>>, String> {
        case[key]
            .as_array()
            .into_iter()
            .flatten()
            .map(|level| {
                level["policies"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| compile(key, p))
                    .collect()
            })
            .collect()
    };
    let set = PolicySet {
        identity: case["identityPolicies"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| compile("identity", p))
            .collect::<Result<_, _>>()?,
        resource: case
            .get("resourcePolicy")
            .filter(|v| !v.is_null())
            .map(|p| compile("resource", p))
            .transpose()?,
        scps: levels("serviceControlPolicies")?,
        rcps: levels("resourceControlPolicies")?
            .into_iter()
            .flatten()
            .collect(),
        boundary: case["permissionBoundaries"]
            .as_array()
            .filter(|ps| !ps.is_empty())
            .map(|ps| merged("boundary", ps))
            .transpose()?,
        session: case
            .get("sessionPolicy")
            .filter(|v| !v.is_null())
            .map(|p| compile("session", p))
            .transpose()?,
    };
    let req = Request {
        principal: r["principal"].as_str().unwrap_or_default().into(),
        action: r["action"].as_str().unwrap_or_default().into(),
        resource,
        resource_account: account,
        context,
    };
    Ok(set.decide(&req).as_str().to_string())
}

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: cargo run -p keyless-iam --example published_cases -- DIR");
        std::process::exit(2);
    };
    let mut paths = Vec::new();
    files(Path::new(&dir), &mut paths);
    paths.sort();
    let (mut agree, mut differ, mut skipped, mut refused) = (0, 0, 0, 0);
    for path in &paths {
        let cases: Value =
            serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("JSON");
        for case in cases.as_array().into_iter().flatten() {
            if case["skip"] == true {
                skipped += 1;
                continue;
            }
            let want = case["expected"]["response"].as_str().unwrap_or_default();
            match run(case) {
                Ok(got) if got == want => agree += 1,
                Ok(got) => {
                    differ += 1;
                    println!(
                        "DIFFER {}: {} — expected {want}, keyless {got}",
                        path.strip_prefix(&dir).unwrap_or(path).display(),
                        case["name"]
                    );
                }
                Err(e) if e.starts_with("skip") => skipped += 1,
                Err(e) => {
                    refused += 1;
                    println!(
                        "REFUSED {}: {} — {e}",
                        path.strip_prefix(&dir).unwrap_or(path).display(),
                        case["name"]
                    );
                }
            }
        }
    }
    println!("{agree} agree, {differ} differ, {refused} refused by keyless's parser, {skipped} skipped (not modelled: endpoint policies, discovery mode, anonymous callers, wildcard requests)");
}
