//! Credential resolution and STS, against moto (authentication on) as the peer.

use std::time::{Duration, Instant};

use keyless_aws::{
    caller_identity, resolve_credentials, verify_key_pair, ErrorKind, KeyPair, Target,
};
use keyless_testkit::moto::{moto, unique};

fn rt() -> tokio::runtime::Runtime {
    keyless_aws::client::runtime().unwrap()
}

fn target(url: &str) -> Target {
    Target {
        endpoint_url: Some(url.to_string()),
        region: Some("us-east-1".into()),
        ..Target::default()
    }
}

#[test]
fn a_live_key_pair_is_verified_and_named() {
    let m = moto();
    let k = m.user(&unique("verify"), None);
    let id = rt()
        .block_on(verify_key_pair(
            &KeyPair {
                access_key_id: k.access_key_id.clone(),
                secret_access_key: k.secret_access_key.clone(),
                session_token: None,
            },
            &target(&m.url),
        ))
        .unwrap();
    assert_eq!(id.arn, k.arn);
    assert_eq!(id.account, "123456789012");
    assert!(id.is_iam_user() && !id.is_root());
}

#[test]
fn a_wrong_secret_and_an_unknown_key_are_refused_with_aws_codes() {
    let m = moto();
    let k = m.user(&unique("wrong"), None);
    let mut wrong = keyless_testkit::fake_secret(7);
    wrong.truncate(40);
    let e = rt()
        .block_on(verify_key_pair(
            &KeyPair {
                access_key_id: k.access_key_id.clone(),
                secret_access_key: wrong.clone(),
                session_token: None,
            },
            &target(&m.url),
        ))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Service);
    assert_eq!(e.code.as_deref(), Some("SignatureDoesNotMatch"), "{e}");
    assert_eq!(e.status, Some(403));

    let unknown = format!(
        "AKIA{}",
        &k.access_key_id[4..].chars().rev().collect::<String>()
    );
    let e = rt()
        .block_on(verify_key_pair(
            &KeyPair {
                access_key_id: unknown,
                secret_access_key: wrong,
                session_token: None,
            },
            &target(&m.url),
        ))
        .unwrap_err();
    assert_eq!(e.code.as_deref(), Some("InvalidClientTokenId"), "{e}");
}

#[test]
fn the_sdk_chain_resolves_static_and_assumed_role_profiles() {
    let m = moto();
    let k = m.user(&unique("chain"), None);
    let role = m.role(&unique("role"), &k.arn);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let credentials = dir.path().join("credentials");
    std::fs::write(
        &config,
        format!(
            "[profile base]\nregion = us-east-1\nendpoint_url = {url}\n\n[profile dev]\nrole_arn = {role}\nsource_profile = base\nregion = us-west-2\nendpoint_url = {url}\n",
            url = m.url
        ),
    )
    .unwrap();
    std::fs::write(
        &credentials,
        format!(
            "[base]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            k.access_key_id, k.secret_access_key
        ),
    )
    .unwrap();
    let t = |profile: &str| Target {
        // The endpoint comes from the profiles (`endpoint_url`), which the SDK's own STS
        // client for AssumeRole honours too.
        profile: Some(profile.into()),
        config_file: Some(config.clone()),
        credentials_file: Some(credentials.clone()),
        ..Target::default()
    };
    let rt = rt();

    let base = rt.block_on(resolve_credentials(&t("base"))).unwrap();
    assert_eq!(base.provider, "ProfileFile");
    assert_eq!(base.source(), "static keys in a profile");
    assert!(base.long_lived());
    assert!(base.expiry.is_none());
    assert_eq!(base.region, "us-east-1");

    let dev = rt.block_on(resolve_credentials(&t("dev"))).unwrap();
    assert_eq!(dev.provider, "AssumeRoleProvider");
    assert!(!dev.long_lived(), "{}", dev.access_key_id);
    assert!(dev.expiry.is_some());
    assert_eq!(dev.region, "us-west-2");
    let id = rt.block_on(caller_identity(&t("dev"))).unwrap();
    assert!(id.arn.contains(":assumed-role/"), "{}", id.arn);
}

#[test]
fn a_hanging_endpoint_ends_at_the_deadline() {
    // A listener that accepts and never answers.
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    let keep = std::thread::spawn(move || {
        let conns: Vec<_> = l.incoming().take(2).collect();
        std::thread::sleep(Duration::from_secs(5));
        drop(conns);
    });
    let start = Instant::now();
    let e = rt()
        .block_on(verify_key_pair(
            &KeyPair {
                access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
                secret_access_key: keyless_testkit::fake_secret(1),
                session_token: None,
            },
            &Target {
                deadline: Duration::from_millis(400),
                ..target(&url)
            },
        ))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Timeout, "{e}");
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    drop(keep);
}
