//! The sandbox's SigV4 verification against AWS's own signer (`aws-sigv4`, the crate every
//! AWS SDK for Rust request is signed with): generated requests — odd paths, repeated and
//! encoded query parameters, extra headers, bodies — signed by AWS's code must verify, and
//! every single-point change to what was signed must not.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use keyless_sandbox::sigv4::{parse_authorization, verify, SignedRequest};
use keyless_testkit::{fake_key_id, fake_secret, Rng};

const SEGMENTS: &[&str] = &[
    "model",
    "us.anthropic.claude-sonnet-4-5-20250929-v1%3A0",
    "invoke",
    "a%20b",
    "x~y_z.-",
    "%E2%9C%93",
    "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.x",
];
const QUERY: &[&str] = &[
    "type=SYSTEM_DEFINED",
    "maxResults=10",
    "nextToken=a%2Bb%3D%3D",
    "b=2",
    "a=1",
    "a=0",
    "empty=",
];

struct Case {
    method: &'static str,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn case(rng: &mut Rng) -> Case {
    let n = 1 + rng.below(4);
    let path = (0..n)
        .map(|_| rng.pick(SEGMENTS))
        .collect::<Vec<_>>()
        .join("/");
    let q = rng.below(4);
    let query = (0..q)
        .map(|_| rng.pick(QUERY))
        .collect::<Vec<_>>()
        .join("&");
    let mut headers = vec![("host".to_string(), "127.0.0.1:8080".to_string())];
    if rng.chance(50) {
        headers.push(("content-type".into(), "application/json".into()));
    }
    if rng.chance(30) {
        headers.push(("x-amzn-bedrock-trace".into(), "  ENABLED   x ".into()));
    }
    if rng.chance(30) {
        headers.push(("anthropic-beta".into(), "claude-code-20250219".into()));
    }
    let body = if rng.chance(50) {
        format!("{{\"max_tokens\":{},\"messages\":[]}}", rng.below(1000)).into_bytes()
    } else {
        Vec::new()
    };
    Case {
        method: if body.is_empty() && rng.chance(50) {
            "GET"
        } else {
            "POST"
        },
        path: format!("/{path}"),
        query,
        headers,
        body,
    }
}

/// Signs with AWS's signer; returns the headers to send (ours plus AWS's additions).
fn aws_sign(
    c: &Case,
    key: &str,
    secret: &str,
    time: SystemTime,
    token: Option<&str>,
) -> Vec<(String, String)> {
    let identity: Identity =
        Credentials::new(key, secret, token.map(str::to_string), None, "test").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("bedrock")
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let uri = if c.query.is_empty() {
        format!("http://127.0.0.1:8080{}", c.path)
    } else {
        format!("http://127.0.0.1:8080{}?{}", c.path, c.query)
    };
    let signable = SignableRequest::new(
        c.method,
        uri,
        c.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(&c.body),
    )
    .unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut headers = c.headers.clone();
    for (n, v) in instructions.headers() {
        headers.push((n.to_ascii_lowercase(), v.to_string()));
    }
    headers
}

fn check(c: &Case, headers: &[(String, String)], secret: &str, now: i64) -> Result<(), String> {
    let auth_value = headers
        .iter()
        .find(|(n, _)| n == "authorization")
        .map(|(_, v)| v.clone())
        .unwrap();
    let auth = parse_authorization(&auth_value).map_err(|r| r.message)?;
    let req = SignedRequest {
        method: c.method,
        path: &c.path,
        query: &c.query,
        headers,
        body: &c.body,
    };
    verify(&req, &auth, secret, now).map_err(|r| r.message)
}

#[test]
fn what_aws_signs_verifies_and_what_is_changed_does_not() {
    let cases: usize = std::env::var("KEYLESS_SIGV4_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let mut rng = Rng(0x5167_4ead);
    let key = fake_key_id(1);
    let secret = fake_secret(2);
    let now = SystemTime::now();
    let now_secs = now.duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    for i in 0..cases {
        let c = case(&mut rng);
        let token = rng.chance(30).then(|| fake_secret(i as u64 + 10));
        let headers = aws_sign(&c, &key, &secret, now, token.as_deref());
        check(&c, &headers, &secret, now_secs).unwrap_or_else(|e| {
            panic!(
                "case {i} ({} {}?{}) did not verify: {e}",
                c.method, c.path, c.query
            )
        });

        // The wrong secret.
        assert!(
            check(&c, &headers, &fake_secret(999), now_secs).is_err(),
            "case {i}: wrong secret"
        );
        // A changed body.
        let mut changed = Case {
            body: [c.body.clone(), b" ".to_vec()].concat(),
            ..clone_case(&c)
        };
        assert!(
            check(&changed, &headers, &secret, now_secs).is_err(),
            "case {i}: body"
        );
        // A changed path.
        changed = Case {
            path: format!("{}x", c.path),
            ..clone_case(&c)
        };
        assert!(
            check(&changed, &headers, &secret, now_secs).is_err(),
            "case {i}: path"
        );
        // A changed signed header.
        let mut h = headers.clone();
        h[0].1.push('1');
        assert!(
            check(&c, &h, &secret, now_secs).is_err(),
            "case {i}: host header"
        );
        // Six minutes later.
        assert!(
            check(&c, &headers, &secret, now_secs + 360).is_err(),
            "case {i}: skew"
        );
    }
    // A request signed five minutes less a second ago still verifies.
    let c = case(&mut rng);
    let headers = aws_sign(&c, &key, &secret, now - Duration::from_secs(299), None);
    check(&c, &headers, &secret, now_secs).unwrap();
}

fn clone_case(c: &Case) -> Case {
    Case {
        method: c.method,
        path: c.path.clone(),
        query: c.query.clone(),
        headers: c.headers.clone(),
        body: c.body.clone(),
    }
}
