//! `keyless scan --verify`: found AWS key pairs checked with STS GetCallerIdentity, through the
//! AWS SDK, against moto (authentication on) as the STS peer.

mod common;

use common::*;
use keyless_testkit::moto::{moto, unique};

#[test]
fn verify_names_the_owner_of_a_live_pair_and_refuses_a_dead_one() {
    let m = moto();
    let live = m.user(&unique("leaked"), None);
    // A pair whose secret is wrong: STS refuses its signature.
    let dead_secret = keyless_testkit::fake_secret(42);
    let cx = TestContext::new();
    cx.write(
        "project/.env",
        &format!(
            "AWS_ACCESS_KEY_ID={}\nAWS_SECRET_ACCESS_KEY={}\n",
            live.access_key_id, live.secret_access_key
        ),
    );
    cx.write(
        "project/deploy/old.ini",
        &format!(
            "[ci]\naws_access_key_id = {}\naws_secret_access_key = {dead_secret}\n",
            live.access_key_id
        ),
    );

    let o = cx.run(&["scan", "--verify", "--endpoint-url", &m.url, "--json"]);
    assert_eq!(o.status.code(), Some(1), "{}", cx.format(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    let in_file = |path: &str| -> Vec<&serde_json::Value> {
        findings.iter().filter(|f| f["path"] == path).collect()
    };
    let env = in_file(".env");
    assert_eq!(env.len(), 2, "{v:#}");
    for f in &env {
        assert_eq!(f["verified"]["live"], true, "{f:#}");
        assert_eq!(f["verified"]["arn"], live.arn.as_str());
        assert_eq!(f["verified"]["account"], "123456789012");
    }
    let old = in_file("deploy/old.ini");
    assert_eq!(old.len(), 2, "{v:#}");
    for f in &old {
        assert_eq!(f["verified"]["live"], false, "{f:#}");
        assert_eq!(f["verified"]["code"], "SignatureDoesNotMatch");
    }

    // Human output says it plainly and still never prints a secret.
    let o = cx.run(&["scan", "--verify", "--endpoint-url", &m.url]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains(&format!("the key is live and belongs to {}", live.arn)),
        "{text}"
    );
    assert!(text.contains("not live (SignatureDoesNotMatch)"), "{text}");
    assert!(!text.contains(&live.secret_access_key), "{text}");
    assert!(!text.contains(&dead_secret), "{text}");

    // Never by default: without --verify there is no verdict.
    let o = cx.run(&["scan", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f.get("verified").is_none()));
}

#[test]
fn an_unreachable_sts_is_reported_as_unknown_not_as_dead() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cx = TestContext::new();
    cx.write(
        "project/.env",
        &format!(
            "AWS_ACCESS_KEY_ID={}\nAWS_SECRET_ACCESS_KEY={}\n",
            keyless_testkit::fake_key_id(5),
            keyless_testkit::fake_secret(5)
        ),
    );
    let url = format!("http://127.0.0.1:{port}");
    let o = cx.run(&["scan", "--verify", "--endpoint-url", &url, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = &v["findings"][0];
    assert!(f["verified"]["live"].is_null(), "{f:#}");
    assert!(
        f["verified"]["message"]
            .as_str()
            .unwrap()
            .contains("onnect"),
        "{f:#}"
    );
}

#[test]
fn endpoint_url_needs_verify() {
    let cx = TestContext::new();
    let o = cx.run(&["scan", "--endpoint-url", "http://127.0.0.1:1"]);
    assert_eq!(o.status.code(), Some(2), "{}", cx.format(&o));
}
