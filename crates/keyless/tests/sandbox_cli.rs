//! `keyless sandbox` refusing bad input: exit 2, what is wrong, where, and nothing served.

mod common;

use common::*;

fn with_profile() -> TestContext {
    let cx = TestContext::new();
    cx.write(
        ".aws/credentials",
        &format!(
            "[dev]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            keyless_testkit::fake_key_id(5),
            keyless_testkit::fake_secret(6)
        ),
    );
    cx
}

#[test]
fn a_malformed_policy_names_its_file_and_line() {
    let cx = with_profile();
    cx.write(
        "bad.json",
        "{\"Version\": \"2012-10-17\",\n \"Statement\": [ {\"Effect\": \"Allow\", }\n]}",
    );
    let bad = cx.path("bad.json");
    let o = cx.run(&[
        "sandbox",
        "--profile",
        "dev",
        "--policy",
        bad.to_str().unwrap(),
        "--",
        "true",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", cx.format(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad.json: line 2"), "{err}");
}

#[test]
fn an_unknown_profile_and_a_policy_without_a_profile_are_refused() {
    let cx = with_profile();
    cx.write("p.json", r#"{"Version": "2012-10-17", "Statement": []}"#);
    let p = cx.path("p.json");
    let o = cx.run(&[
        "sandbox",
        "--profile",
        "nope",
        "--policy",
        p.to_str().unwrap(),
        "--",
        "true",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", cx.format(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no profile `nope`"));
    let o = cx.run(&["sandbox", "--policy", p.to_str().unwrap(), "--", "true"]);
    assert_eq!(o.status.code(), Some(2), "{}", cx.format(&o));
}

#[test]
fn emit_policy_refuses_what_is_not_a_record() {
    let cx = with_profile();
    cx.write("r.json", r#"{"schema": 1}"#);
    let o = cx.run(&[
        "sandbox",
        "--emit-policy",
        cx.path("r.json").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", cx.format(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a keyless sandbox record"));
}

#[test]
fn the_commands_exit_status_is_passed_through() {
    let cx = with_profile();
    let o = cx.run(&[
        "sandbox",
        "--profile",
        "dev",
        "--",
        "sh",
        "-c",
        "test -n \"$ANTHROPIC_BEDROCK_BASE_URL\" && exit 7",
    ]);
    assert_eq!(o.status.code(), Some(7), "{}", cx.format(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("keyless sandbox: 0 calls"));
}

#[test]
fn the_call_report_as_json() {
    let cx = with_profile();
    // One unsigned request from the command, to the URL the sandbox gave it.
    let script = "import os, urllib.request, urllib.error\n\
try:\n    urllib.request.urlopen(os.environ['AWS_ENDPOINT_URL_BEDROCK'] + '/foundation-models')\n\
except urllib.error.HTTPError as e:\n    print(e.code)\n";
    let o = cx.run(&[
        "sandbox",
        "--profile",
        "dev",
        "--json",
        "--",
        "python3",
        "-c",
        script,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", cx.format(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "403");
    let v: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(v["schema"], 1);
    assert_eq!(v["account"], "123456789012");
    let calls = v["calls"].as_array().unwrap();
    assert_eq!(calls.len(), 1, "{v:#}");
    assert_eq!(calls[0]["operation"], "ListFoundationModels");
    assert_eq!(calls[0]["status"], 403);
    assert_eq!(calls[0]["error"], "MissingAuthenticationTokenException");
}
