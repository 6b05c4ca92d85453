//! Differential test: keyless's reading of the AWS shared files against botocore's.
//!
//! Generates several hundred `config` / `credentials` / environment combinations (a fixed
//! seed, so a failure reproduces), asks botocore (the AWS CLI's library, installed at a
//! pinned version by `scripts/test`) what it makes of each, and requires keyless to agree
//! on: whether the files parse, the set of profile names, the region, and how the active
//! profile gets credentials (or that its configuration is invalid).
//!
//! Where keyless deliberately follows Claude Code's SDK instead of botocore, the generator
//! does not produce the case, and says why here:
//! - `AWS_REGION`: Claude Code and the Rust/JS SDKs read it first; botocore ignores it.
//! - `AWS_DEFAULT_PROFILE`: botocore reads it before `AWS_PROFILE`; the JS SDK ignores it.
//!
//! Both differences are covered by unit tests and doctor finding KD307.

#![allow(clippy::print_stderr)] // the test reports its coverage

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use keyless_config::aws::{AwsFiles, CredentialSource};
use keyless_config::Environment;

/// The Python with botocore, set up by `scripts/test`.
fn oracle_python() -> PathBuf {
    if let Ok(p) = std::env::var("KEYLESS_ORACLE_PYTHON") {
        return PathBuf::from(p);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let p = root.join("target/oracle-venv/bin/python");
    assert!(
        p.exists(),
        "the botocore oracle is not installed: run ./scripts/test (it creates target/oracle-venv), \
         or set KEYLESS_ORACLE_PYTHON to a python with botocore==1.44.8"
    );
    p
}

use keyless_testkit::Rng;

const NAMES: &[&str] = &["dev", "Dev", "prod", "base", "ci", "default", "a.b", "x/y"];

fn kv(rng: &mut Rng, key: &str, value: &str) -> String {
    let key = if rng.chance(10) {
        key.to_ascii_uppercase()
    } else {
        key.to_string()
    };
    match rng.below(4) {
        0 => format!("{key}={value}\n"),
        1 => format!("{key} = {value}\n"),
        2 => format!("{key}: {value}\n"),
        _ => format!("{key}   =   {value}   \n"),
    }
}

fn credential_body(rng: &mut Rng, dir: &Path, in_credentials_file: bool) -> String {
    let mut s = String::new();
    if rng.chance(50) {
        {
            let v = rng.pick(&["us-east-1", "eu-west-3", "ap-northeast-1"]);
            s += &kv(rng, "region", v);
        }
    }
    if rng.chance(15) {
        s += &kv(rng, "output", "json");
    }
    match rng.below(if in_credentials_file { 3 } else { 9 }) {
        0 => {
            s += &kv(rng, "aws_access_key_id", "AKIAIOSFODNN7EXAMPLE");
            s += &kv(
                rng,
                "aws_secret_access_key",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            );
            if rng.chance(30) {
                s += &kv(rng, "aws_session_token", "token");
            }
        }
        1 => {}
        2 => {
            s += &kv(rng, "role_arn", "arn:aws:iam::123456789012:role/r");
            if rng.chance(70) {
                {
                    let v = rng.pick(NAMES);
                    s += &kv(rng, "source_profile", v);
                }
            }
            if rng.chance(25) {
                {
                    let v = rng.pick(&["Environment", "Ec2InstanceMetadata", "Bogus"]);
                    s += &kv(rng, "credential_source", v);
                }
            }
        }
        3 => {
            {
                let v = rng.pick(&["corp", "other"]);
                s += &kv(rng, "sso_session", v);
            }
            s += &kv(rng, "sso_account_id", "123456789012");
            if rng.chance(85) {
                s += &kv(rng, "sso_role_name", "Dev");
            }
            if rng.chance(15) {
                {
                    let v = rng.pick(&["us-east-1", "eu-west-1"]);
                    s += &kv(rng, "sso_region", v);
                }
            }
        }
        4 => {
            s += &kv(rng, "sso_start_url", "https://legacy.awsapps.com/start");
            s += &kv(rng, "sso_region", "us-east-1");
            if rng.chance(85) {
                s += &kv(rng, "sso_account_id", "123456789012");
            }
            s += &kv(rng, "sso_role_name", "Dev");
        }
        5 => {
            let json = dir.join("process.json");
            std::fs::write(
                &json,
                r#"{"Version": 1, "AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "SecretAccessKey": "x"}"#,
            )
            .unwrap();
            s += &kv(
                rng,
                "credential_process",
                &format!("cat {}", json.display()),
            );
        }
        6 => {
            s += &kv(rng, "web_identity_token_file", "/nonexistent/token");
            if rng.chance(80) {
                s += &kv(rng, "role_arn", "arn:aws:iam::123456789012:role/w");
            }
        }
        7 => {
            s += "s3 =\n    max_concurrent_requests = 20\n    signature_version = s3v4\n";
        }
        _ => {
            s += &kv(rng, "aws_access_key_id", "AKIAIOSFODNN7EXAMPLE");
            s += &kv(rng, "aws_secret_access_key", "secret");
        }
    }
    s
}

struct Case {
    dir: PathBuf,
    env: Vec<(String, String)>,
}

fn generate(rng: &mut Rng, dir: &Path) -> Case {
    std::fs::create_dir_all(dir).unwrap();
    let mut config = String::new();
    let mut headers: Vec<String> = Vec::new();
    for _ in 0..rng.below(5) {
        let name = rng.pick(NAMES);
        let header = match rng.below(10) {
            0 => "default".to_string(),
            1 => name.to_string(), // not a profile in config
            2 => format!("profile \"{name}\""),
            3 => "profile default".to_string(),
            _ => format!("profile {name}"),
        };
        // Duplicate sections make botocore refuse the file; keep them rare.
        if headers.contains(&header) && !rng.chance(10) {
            continue;
        }
        headers.push(header.clone());
        if rng.chance(20) {
            config += "# a comment\n; another\n\n";
        }
        config += &format!("[{header}]\n");
        config += &credential_body(rng, dir, false);
    }
    for session in ["corp", "other"] {
        if rng.chance(60) {
            config += &format!("[sso-session {session}]\n");
            config += &kv(rng, "sso_start_url", "https://corp.awsapps.com/start");
            if rng.chance(85) {
                config += &kv(rng, "sso_region", "us-east-1");
            }
        }
    }
    if rng.chance(3) {
        config += "this line is not an option\n";
    }
    let mut credentials = String::new();
    let mut seen = Vec::new();
    for _ in 0..rng.below(3) {
        let name = rng.pick(NAMES);
        if seen.contains(&name) {
            continue;
        }
        seen.push(name);
        credentials += &format!("[{name}]\n");
        credentials += &credential_body(rng, dir, true);
    }
    std::fs::write(dir.join("config"), config).unwrap();
    std::fs::write(dir.join("credentials"), credentials).unwrap();
    let mut env = Vec::new();
    if rng.chance(70) {
        // Mostly a profile that exists, sometimes one that does not.
        let existing: Vec<String> = headers
            .iter()
            .filter_map(|h| keyless_config::aws::config_profile_name(h))
            .chain(seen.iter().map(|s| s.to_string()))
            .collect();
        let name = if !existing.is_empty() && rng.chance(75) {
            existing[rng.below(existing.len())].clone()
        } else {
            rng.pick(NAMES).to_string()
        };
        env.push(("AWS_PROFILE".into(), name));
    }
    if rng.chance(20) {
        env.push(("AWS_DEFAULT_REGION".into(), "ca-central-1".into()));
    }
    if rng.chance(8) {
        env.push(("AWS_ACCESS_KEY_ID".into(), "AKIAIOSFODNN7EXAMPLE".into()));
        env.push(("AWS_SECRET_ACCESS_KEY".into(), "secret".into()));
    }
    if rng.chance(6) {
        env.push((
            "AWS_WEB_IDENTITY_TOKEN_FILE".into(),
            "/nonexistent/token".into(),
        ));
        env.push((
            "AWS_ROLE_ARN".into(),
            "arn:aws:iam::123456789012:role/env".into(),
        ));
    }
    Case {
        dir: dir.to_path_buf(),
        env,
    }
}

fn botocore_method(source: &CredentialSource) -> Option<&'static str> {
    Some(match source {
        CredentialSource::Environment => "env",
        CredentialSource::AssumeRole { .. } => "assume-role",
        CredentialSource::WebIdentity { .. } => "assume-role-with-web-identity",
        CredentialSource::Sso { .. } => "sso",
        CredentialSource::StaticKeys {
            file: keyless_config::aws::AwsFileKind::Credentials,
            ..
        } => "shared-credentials-file",
        CredentialSource::StaticKeys {
            file: keyless_config::aws::AwsFileKind::Config,
            ..
        } => "config-file",
        CredentialSource::Login { .. } => "login",
        CredentialSource::Process { .. } => "custom-process",
        CredentialSource::None => return None,
    })
}

fn keyless_view(case: &Case) -> serde_json::Value {
    let mut env = Environment::new("/nonexistent-home", "/");
    // As for the oracle: no instance metadata on a test machine.
    env.set("AWS_EC2_METADATA_DISABLED", "true");
    env.set("AWS_CONFIG_FILE", case.dir.join("config").to_str().unwrap());
    env.set(
        "AWS_SHARED_CREDENTIALS_FILE",
        case.dir.join("credentials").to_str().unwrap(),
    );
    for (k, v) in &case.env {
        env.set(k, v);
    }
    let files = match AwsFiles::load(&env) {
        Ok(f) => f,
        Err(_) => return serde_json::json!({"parse_error": true}),
    };
    let (active, _) = keyless_config::aws::active_profile_name(&env);
    let profile = files.profile(&active);
    if profile.is_none() && env.get("AWS_PROFILE").is_some() {
        return serde_json::json!({"profiles": files.profile_names(), "profile_not_found": true});
    }
    let region = keyless_config::aws::resolve_region(&env, profile.as_ref()).map(|(r, _)| r);
    let source = match files.credential_source(&env, &active) {
        Ok(s) => serde_json::json!({"method": botocore_method(&s), "invalid": false}),
        Err(_) => serde_json::json!({"method": serde_json::Value::Null, "invalid": true}),
    };
    serde_json::json!({"profiles": files.profile_names(), "region": region, "source": source})
}

/// botocore's answer in the same shape: an error raised by the provider that recognised
/// the profile means "invalid", except that the login provider needs an optional
/// dependency (`botocore[crt]`) to go further, so recognising the profile is the answer.
fn normalise_oracle(v: &serde_json::Value) -> serde_json::Value {
    if v.get("parse_error").is_some() || v.get("profile_not_found").is_some() {
        return v.clone();
    }
    let method = &v["source"]["method"];
    let error = &v["source"]["error"];
    let invalid = !error.is_null() && method != "login";
    serde_json::json!({
        "profiles": v["profiles"],
        "region": v["region"],
        "source": {"method": if invalid { serde_json::Value::Null } else { method.clone() }, "invalid": invalid},
    })
}

#[test]
fn keyless_reads_aws_files_exactly_as_botocore_does() {
    let cases_n: usize = std::env::var("KEYLESS_DIFF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(800);
    let seed: u64 = std::env::var("KEYLESS_DIFF_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_cafe_f00d_1234);
    let root = tempfile::tempdir().unwrap();
    let mut rng = Rng(seed);
    let cases: Vec<Case> = (0..cases_n)
        .map(|i| generate(&mut rng, &root.path().join(format!("case{i:04}"))))
        .collect();
    let manifest = serde_json::json!({
        "cases": cases.iter().map(|c| {
            let env: serde_json::Map<String, serde_json::Value> =
                c.env.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect();
            serde_json::json!({"dir": c.dir.display().to_string(), "env": env})
        }).collect::<Vec<_>>()
    });
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/botocore_resolve.py");
    let mut child = Command::new(oracle_python())
        .arg(&script)
        .env("HOME", root.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the botocore oracle");
    std::io::Write::write_all(
        child.stdin.as_mut().unwrap(),
        manifest.to_string().as_bytes(),
    )
    .unwrap();
    drop(child.stdin.take());
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let answers: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), cases_n);

    let mut mismatches = Vec::new();
    let (mut parse_errors, mut not_found, mut invalid, mut kinds) =
        (0, 0, 0, std::collections::BTreeMap::<String, usize>::new());
    for (case, answer) in cases.iter().zip(&answers) {
        // Lossless: every generated file reads back byte for byte.
        for f in ["config", "credentials"] {
            let text = std::fs::read_to_string(case.dir.join(f)).unwrap();
            if let Ok(doc) = keyless_config::ini::IniDocument::parse(&text) {
                assert_eq!(
                    doc.to_string(),
                    text,
                    "round trip of {}",
                    case.dir.join(f).display()
                );
            }
        }
        let want = normalise_oracle(answer);
        let got = keyless_view(case);
        if want.get("parse_error").is_some() {
            parse_errors += 1;
        } else if want.get("profile_not_found").is_some() {
            not_found += 1;
        } else if want["source"]["invalid"] == true {
            invalid += 1;
        } else {
            *kinds
                .entry(want["source"]["method"].to_string())
                .or_default() += 1;
        }
        if want != got {
            mismatches.push(format!(
                "{}\n--- config\n{}--- credentials\n{}--- env {:?}\nbotocore: {answer}\nkeyless:  {got}\n",
                case.dir.display(),
                std::fs::read_to_string(case.dir.join("config")).unwrap(),
                std::fs::read_to_string(case.dir.join("credentials")).unwrap(),
                case.env
            ));
        }
    }
    eprintln!("{cases_n} cases (seed {seed:#x}): {parse_errors} parse errors, {not_found} AWS_PROFILE not found, {invalid} invalid profiles, sources {kinds:?}");
    // The generator must exercise every outcome, or the comparison proves little.
    assert!(
        parse_errors > 0 && invalid > 0 && not_found > 0,
        "generator too narrow"
    );
    for m in [
        "\"sso\"",
        "\"assume-role\"",
        "\"shared-credentials-file\"",
        "\"config-file\"",
        "\"custom-process\"",
        "\"assume-role-with-web-identity\"",
        "\"env\"",
        "null",
    ] {
        assert!(
            kinds.contains_key(m),
            "generator never produced {m}: {kinds:?}"
        );
    }
    assert!(
        mismatches.is_empty(),
        "{} of {cases_n} cases differ from botocore; first ones:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
