//! `keyless doctor --live` when the network fails it: nothing listening, an endpoint that
//! never answers, an endpoint that answers garbage. Each run ends within its deadlines
//! with findings that say so.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::*;

fn setup() -> TestContext {
    let cx = TestContext::new();
    cx.write(
        ".aws/credentials",
        &format!(
            "[dev]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            keyless_testkit::fake_key_id(3),
            keyless_testkit::fake_secret(4)
        ),
    );
    cx.write(".aws/config", "[profile dev]\nregion = us-east-1\n");
    cx.write(
        ".claude/settings.json",
        r#"{"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_PROFILE": "dev", "AWS_REGION": "us-east-1",
  "ANTHROPIC_MODEL": "us.anthropic.claude-sonnet-4-5-20250929-v1:0"}}"#,
    );
    cx
}

fn live(cx: &TestContext, url: &str) -> (serde_json::Value, Duration) {
    let start = Instant::now();
    let o = cx.run(&[
        "doctor",
        "--live",
        "--endpoint-url",
        url,
        "--timeout",
        "1",
        "--json",
    ]);
    let took = start.elapsed();
    let v: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", cx.format(&o)));
    (v, took)
}

fn live_ids(v: &serde_json::Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .filter(|id| id.starts_with("KD5"))
        .collect()
}

#[test]
fn nothing_listening() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cx = setup();
    let (v, took) = live(&cx, &format!("http://127.0.0.1:{port}"));
    assert!(took < Duration::from_secs(5), "{took:?}");
    let ids = live_ids(&v);
    assert!(
        !ids.is_empty() && ids.iter().all(|i| i == "KD512"),
        "{ids:?}"
    );
    // Credentials are the profile's own and need no network.
    assert_eq!(v["live"]["credentials"]["ok"], true, "{v:#}");
    assert_eq!(v["live"]["identity"]["ok"], false);
}

/// The URL of a listener that accepts connections, reads nothing and answers nothing.
fn never_answers() -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in l.incoming().flatten() {
            held.push(c);
        }
    });
    url
}

#[test]
fn an_endpoint_that_never_answers_is_cut_off_at_the_deadline() {
    let url = never_answers();
    let cx = setup();
    let (v, took) = live(&cx, &url);
    // Every probe runs in parallel with a 1 s deadline.
    assert!(took < Duration::from_secs(4), "{took:?}");
    let ids = live_ids(&v);
    assert!(ids.contains(&"KD512".to_string()), "{ids:?}");
    let text = v.to_string();
    assert!(
        text.contains("no answer before the deadline") || text.contains("timeout"),
        "{text}"
    );
}

#[test]
fn an_endpoint_that_answers_garbage() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut c in l.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = c.read(&mut buf);
            let _ = c.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 9\r\nconnection: close\r\n\r\n<garbage>");
        }
    });
    let cx = setup();
    let (v, took) = live(&cx, &url);
    assert!(took < Duration::from_secs(5), "{took:?}");
    let ids = live_ids(&v);
    assert!(ids.contains(&"KD512".to_string()), "{ids:?}");
    assert_eq!(v["live"]["models"][0]["invoke"]["ok"], false, "{v:#}");
}

#[test]
fn a_service_control_policy_deny_is_named_as_such() {
    let cx = setup();
    let policy = cx.generated_policy(&["us.anthropic.claude-sonnet-4-5-20250929-v1:0"]);
    // The organization keeps Bedrock out of us-west-2, one of the profile's destinations.
    cx.write(
        "scp.json",
        r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "*", "Resource": "*"},
  {"Effect": "Deny", "Action": "bedrock:*", "Resource": "*",
   "Condition": {"StringEquals": {"aws:RequestedRegion": "us-west-2"}}}]}"#,
    );
    let scp = cx.path("scp.json");
    let served = Served::start(
        &cx,
        &[
            "--profile",
            "dev",
            "--policy",
            policy.to_str().unwrap(),
            "--scp",
            scp.to_str().unwrap(),
        ],
    );
    let o = cx.run(&["doctor", "--live", "--endpoint-url", &served.url, "--json"]);
    let report = served.stop();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids = live_ids(&v);
    // The deny, named as an SCP's (not a missing identity permission), and the static key.
    assert_eq!(ids, ["KD505", "KD503"], "{v:#}");
    let msg = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "KD505")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        msg.contains("arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0 with an explicit deny in a service control policy"),
        "{msg}"
    );
    assert!(
        report.contains("403 InvokeModelWithResponseStream AccessDeniedException"),
        "{report}"
    );
}

#[test]
fn an_sso_profile_without_a_login_is_one_finding_with_the_login_command() {
    let cx = TestContext::new();
    cx.write(
        ".aws/config",
        "[profile claude]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = BedrockUser\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://my-org.awsapps.com/start\nsso_region = us-east-1\n",
    );
    cx.write(
        ".claude/settings.json",
        r#"{"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_PROFILE": "claude", "AWS_REGION": "us-east-1",
  "ANTHROPIC_MODEL": "us.anthropic.claude-sonnet-4-5-20250929-v1:0"}}"#,
    );
    // Nothing listens there: no request may leave without credentials anyway.
    let (v, _) = live(&cx, "http://127.0.0.1:9");
    assert_eq!(live_ids(&v), ["KD501"], "{v:#}");
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "KD501")
        .unwrap();
    assert_eq!(f["fix"]["command"], "aws sso login --profile claude");
}

#[test]
fn the_seed_guides_setup_live_against_its_policy() {
    let cx = TestContext::seed();
    let policy = shared().join("fixtures/seed-guide/policy.json");
    let served = Served::start(
        &cx,
        &[
            "--profile",
            "bedrock-dev",
            "--policy",
            policy.to_str().unwrap(),
        ],
    );
    let o = cx.run(&["doctor", "--live", "--endpoint-url", &served.url]);
    let url = served.url.clone();
    served.stop();
    insta::assert_snapshot!(cx.format(&o).replace(&url, "[SANDBOX]"));
}

#[test]
fn the_background_model_is_probed_in_its_own_region() {
    let cx = setup();
    cx.write(
        ".claude/settings.json",
        r#"{"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_PROFILE": "dev", "AWS_REGION": "us-east-1",
  "ANTHROPIC_MODEL": "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
  "ANTHROPIC_DEFAULT_HAIKU_MODEL": "eu.anthropic.claude-haiku-4-5-20251001-v1:0",
  "ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION": "eu-west-1"}}"#,
    );
    let policy = cx.generated_policy(&["us.anthropic.claude-sonnet-4-5-20250929-v1:0"]);
    let served = Served::start(
        &cx,
        &["--profile", "dev", "--policy", policy.to_str().unwrap()],
    );
    let o = cx.run(&["doctor", "--live", "--endpoint-url", &served.url, "--json"]);
    let report = served.stop();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let models = v["live"]["models"].as_array().unwrap();
    assert_eq!(models[1]["region"], "eu-west-1", "{v:#}");
    // The eu profile is a valid ID from eu-west-1: the sandbox authorises it there, and the
    // policy (generated for us-east-1 only) names what is missing.
    let denied = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "KD504")
        .map(|f| f["message"].as_str().unwrap().to_string())
        .unwrap_or_default();
    assert!(
        denied.contains("arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0"),
        "{v:#}\n{report}"
    );
}

/// Issue 10: an instance-role profile whose metadata service never answers. The other
/// probes wait on the same credential chain and hit their deadlines; that is one cause
/// (KD501), not an unreachable endpoint per probe.
#[test]
fn a_metadata_service_that_never_answers_is_one_cause_not_an_endpoint_per_probe() {
    let imds_url = never_answers();
    let cx = TestContext::new();
    cx.write(
        ".aws/config",
        "[profile box]\nregion = us-east-1\ncredential_source = Ec2InstanceMetadata\n",
    );
    cx.write(
        ".claude/settings.json",
        r#"{"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_PROFILE": "box", "AWS_REGION": "us-east-1",
  "ANTHROPIC_MODEL": "us.anthropic.claude-sonnet-5",
  "ANTHROPIC_DEFAULT_HAIKU_MODEL": "us.anthropic.claude-haiku-4-5-20251001-v1:0"}}"#,
    );
    let o = cx
        .command(&[
            "doctor",
            "--live",
            "--endpoint-url",
            "http://127.0.0.1:9",
            "--timeout",
            "2",
            "--json",
        ])
        .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds_url)
        .output()
        .unwrap();
    let v: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", cx.format(&o)));
    assert_eq!(live_ids(&v), ["KD501"], "{v:#}");
    assert_eq!(
        v["live"]["models"][0]["invoke"]["error"]["message"], "not sent: no credentials",
        "{v:#}"
    );
}
