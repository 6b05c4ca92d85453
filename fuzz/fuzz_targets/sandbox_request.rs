//! Any request the sandbox can receive: it must answer, never panic. The input is split into
//! method, path, query, headers and body; an `Authorization` header in the input is parsed
//! and checked as sent, so the fuzzer reaches the SigV4 code, and a valid key ID makes it
//! reach signature verification.
#![no_main]

use std::sync::{Arc, OnceLock};

use keyless_sandbox::http::HttpRequest;
use keyless_sandbox::service::handle;
use keyless_sandbox::{Config, Policies, Principal, State};
use libfuzzer_sys::fuzz_target;

/// The sandbox takes any string as a key ID; this one is not shaped like AWS's.
const KEY: &str = "FUZZ-KEY";

fn state() -> Arc<State> {
    static S: OnceLock<Arc<State>> = OnceLock::new();
    S.get_or_init(|| {
        let s = State::new(Config::default());
        let allow = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"bedrock:*","Resource":"*"}]}"#;
        s.registry.add(
            KEY,
            Principal {
                arn: "arn:aws:iam::123456789012:user/fuzz".into(),
                secret: "fuzz".into(),
                session_token: None,
                expires: None,
                user_id: "AIDA".into(),
                policies: Arc::new(Policies::parse(&[("p".into(), allow.into())]).unwrap()),
            },
        );
        Arc::new(s)
    })
    .clone()
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(5, '\n');
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    let headers_line = parts.next().unwrap_or("");
    let auth = parts.next().unwrap_or("");
    let body = parts.next().unwrap_or("").as_bytes().to_vec();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let mut headers: Vec<(String, String)> = headers_line
        .split('|')
        .filter_map(|h| h.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    if !auth.is_empty() {
        headers.push((
            "authorization".into(),
            format!("AWS4-HMAC-SHA256 Credential={KEY}/{auth}"),
        ));
    }
    let req = HttpRequest {
        method,
        path: if path.starts_with('/') { path.to_string() } else { format!("/{path}") },
        query: query.to_string(),
        headers,
        body,
    };
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let resp = rt.block_on(handle(state(), req));
    assert!((200..600).contains(&resp.status));
});
