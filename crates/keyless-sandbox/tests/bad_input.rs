//! What a client sends wrong — malformed HTTP, no or broken signatures, stale dates,
//! truncated and oversized bodies, unknown paths, bad JSON, thousands of connections at
//! once — gets the answer Bedrock gives, and the sandbox keeps serving.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use keyless_sandbox::sigv4::{self, Authorization, SignedRequest};
use keyless_sandbox::{Config, Policies, Principal, State};
use keyless_testkit::{fake_key_id, fake_secret};

const MODEL: &str = "us.anthropic.claude-sonnet-4-5-20250929-v1%3A0";

struct Sandbox {
    rt: tokio::runtime::Runtime,
    addr: std::net::SocketAddr,
    key: String,
    secret: String,
}

fn sandbox(max_body: usize) -> Sandbox {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let state = Arc::new(State::new(Config {
        max_body,
        ..Config::default()
    }));
    let key = fake_key_id(7);
    let secret = fake_secret(8);
    let allow_all = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"bedrock:*","Resource":"*"}]}"#;
    state.registry.add(
        &key,
        Principal {
            arn: "arn:aws:iam::123456789012:user/dev".into(),
            secret: secret.clone(),
            session_token: None,
            expires: None,
            user_id: "AIDA".into(),
            policies: Arc::new(Policies::parse(&[("p".into(), allow_all.into())]).unwrap()),
        },
    );
    let running = rt.block_on(async {
        let l = keyless_sandbox::server::bind("127.0.0.1:0".parse().unwrap()).unwrap();
        keyless_sandbox::start(l, state).unwrap()
    });
    let addr = running.addr;
    std::mem::forget(running); // served until the runtime drops with the test
    Sandbox {
        rt,
        addr,
        key,
        secret,
    }
}

fn amz_now(offset: i64) -> String {
    let t = keyless_config::time::format_rfc3339(keyless_sandbox::http::now() + offset);
    t.replace(['-', ':'], "")
}

impl Sandbox {
    /// A signed request, as raw bytes (`body` may differ from what was signed).
    fn signed(
        &self,
        method: &str,
        path: &str,
        body: &[u8],
        date_offset: i64,
        secret: &str,
    ) -> Vec<u8> {
        let date = amz_now(date_offset);
        let host = self.addr.to_string();
        let headers = vec![
            ("host".to_string(), host.clone()),
            ("x-amz-date".to_string(), date.clone()),
        ];
        let auth = Authorization {
            access_key_id: self.key.clone(),
            date: date[..8].to_string(),
            region: "us-east-1".into(),
            service: "bedrock".into(),
            signed_headers: vec!["host".into(), "x-amz-date".into()],
            signature: String::new(),
        };
        let req = SignedRequest {
            method,
            path,
            query: "",
            headers: &headers,
            body,
        };
        let canonical = sigv4::canonical_request(&req, &auth).unwrap();
        let sig = sigv4::signature(secret, &auth, &date, &canonical);
        let mut out = format!(
            "{method} {path} HTTP/1.1\r\nhost: {host}\r\nx-amz-date: {date}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nauthorization: AWS4-HMAC-SHA256 Credential={}/{}/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature={sig}\r\nconnection: close\r\n\r\n",
            body.len(),
            self.key,
            &date[..8]
        )
        .into_bytes();
        out.extend_from_slice(body);
        out
    }

    fn send(&self, raw: &[u8]) -> (u16, String) {
        let mut s = TcpStream::connect(self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.write_all(raw).unwrap();
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        let text = String::from_utf8_lossy(&buf).into_owned();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, text)
    }

    fn healthy(&self) {
        let body = br#"{"anthropic_version":"bedrock-2023-05-31","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#;
        let (status, text) = self.send(&self.signed(
            "POST",
            &format!("/model/{MODEL}/invoke"),
            body,
            0,
            &self.secret,
        ));
        assert_eq!(status, 200, "{text}");
        assert!(text.contains("Hello from the keyless sandbox."), "{text}");
    }
}

#[test]
fn broken_requests_get_bedrocks_errors_and_the_sandbox_keeps_serving() {
    let sb = sandbox(64 * 1024);
    let _rt = &sb.rt;
    sb.healthy();

    // Not HTTP at all.
    let (status, _) = sb.send(b"\x16\x03\x01\x02\x00garbage\r\n\r\n");
    assert_eq!(status, 400);
    sb.healthy();

    // No signature.
    let (status, text) =
        sb.send(b"GET /foundation-models HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
    assert_eq!(status, 403);
    assert!(
        text.contains("MissingAuthenticationTokenException")
            && text.contains("Missing Authentication Token"),
        "{text}"
    );

    // A signature header that is not SigV4.
    let (status, text) = sb.send(b"GET /foundation-models HTTP/1.1\r\nhost: x\r\nauthorization: Basic Zm9v\r\nconnection: close\r\n\r\n");
    assert_eq!(status, 400);
    assert!(text.contains("IncompleteSignatureException"), "{text}");

    // The wrong secret.
    let (status, text) = sb.send(&sb.signed("GET", "/foundation-models", b"", 0, &fake_secret(9)));
    assert_eq!(status, 403);
    assert!(
        text.contains("InvalidSignatureException")
            && text.contains("The request signature we calculated does not match"),
        "{text}"
    );

    // Signed ten minutes ago.
    let (status, text) = sb.send(&sb.signed("GET", "/foundation-models", b"", -600, &sb.secret));
    assert_eq!(status, 403);
    assert!(text.contains("Signature expired:"), "{text}");

    // A body changed after signing.
    let mut raw = sb.signed(
        "POST",
        &format!("/model/{MODEL}/invoke"),
        b"{\"a\":1}",
        0,
        &sb.secret,
    );
    let n = raw.len();
    raw[n - 2] = b'2';
    let (status, text) = sb.send(&raw);
    assert_eq!(status, 403, "{text}");

    // Signed, but not JSON.
    let (status, text) = sb.send(&sb.signed(
        "POST",
        &format!("/model/{MODEL}/invoke"),
        b"{not json",
        0,
        &sb.secret,
    ));
    assert_eq!(status, 400);
    assert!(
        text.contains("ValidationException") && text.contains("Malformed input request"),
        "{text}"
    );

    // Signed, JSON, but not a Messages request.
    let (status, text) = sb.send(&sb.signed(
        "POST",
        &format!("/model/{MODEL}/invoke"),
        b"{\"prompt\":\"x\"}",
        0,
        &sb.secret,
    ));
    assert_eq!(status, 400);
    assert!(
        text.contains("required key [anthropic_version] not found"),
        "{text}"
    );

    // An operation Bedrock does not have.
    let (status, text) = sb.send(&sb.signed("GET", "/no-such-thing", b"", 0, &sb.secret));
    assert_eq!(status, 404);
    assert!(text.contains("UnknownOperationException"), "{text}");

    // Oversized.
    let big = vec![b'x'; 100 * 1024];
    let (status, text) = sb.send(&sb.signed(
        "POST",
        &format!("/model/{MODEL}/invoke"),
        &big,
        0,
        &sb.secret,
    ));
    assert_eq!(status, 413, "{}", &text[..text.len().min(300)]);

    // Truncated: a body shorter than its Content-Length, then the client goes away.
    {
        let raw = sb.signed(
            "POST",
            &format!("/model/{MODEL}/invoke"),
            &[b'{'; 500],
            0,
            &sb.secret,
        );
        let mut s = TcpStream::connect(sb.addr).unwrap();
        s.write_all(&raw[..raw.len() - 400]).unwrap();
        drop(s);
    }
    sb.healthy();
}

/// The soft limit on open files, from /proc (each connection costs a descriptor on both
/// ends, and both ends are in this process).
fn open_file_limit() -> usize {
    std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("Max open files"))
                .and_then(|l| l.split_whitespace().nth(3).map(str::to_string))
        })
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024)
}

#[test]
fn thousands_of_concurrent_connections_are_all_answered() {
    let sb = sandbox(64 * 1024);
    let n = 2000.min(open_file_limit().saturating_sub(200) / 2);
    assert!(
        n >= 400,
        "the open-file limit ({}) is too low for this test",
        open_file_limit()
    );
    // Open them all, each sending its request at once, and read the answers only when all
    // are open: every one is in flight at the same time.
    let raw = sb.signed("GET", "/foundation-models", b"", 0, &sb.secret);
    let conns: Vec<TcpStream> = (0..n)
        .map(|_| {
            let mut c = TcpStream::connect(sb.addr).unwrap();
            c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
            c.write_all(&raw).unwrap();
            c
        })
        .collect();
    let mut ok = 0;
    let mut other = std::collections::BTreeMap::new();
    for mut c in conns {
        let mut buf = Vec::new();
        let r = c.read_to_end(&mut buf);
        if buf.starts_with(b"HTTP/1.1 200") {
            ok += 1;
        } else {
            let key = format!(
                "{:?} {}",
                r.map_err(|e| e.kind()),
                String::from_utf8_lossy(&buf[..buf.len().min(60)])
            );
            *other.entry(key).or_insert(0) += 1;
        }
    }
    assert_eq!(ok, n, "{ok} of {n} answered; others: {other:?}");
    sb.healthy();
}
