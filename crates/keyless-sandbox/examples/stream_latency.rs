//! The sandbox's added latency per streamed request.
//!
//! The same client — the AWS SDK for Rust, InvokeModelWithResponseStream, max_tokens 1 —
//! makes N sequential streamed calls to (a) the sandbox, which verifies the signature,
//! authorises the call with keyless-iam (profile plus every destination region) and frames
//! the answer, and (b) a bare loopback server that returns the same event-stream bytes
//! without looking at the request. The difference of the means is what the sandbox adds.
//!
//! `cargo run --release -p keyless-sandbox --example stream_latency -- [N]`

#![allow(clippy::print_stdout)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use keyless_aws::{bedrock, client, Target};
use keyless_sandbox::{Config, Policies, Principal, State};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const ACCOUNT: &str = "123456789012";
const MODEL: &str = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

fn key(seed: u64) -> String {
    let mut x = seed | 1;
    let body: String = (0..16)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[(x % 32) as usize] as char
        })
        .collect();
    format!("AKIA{body}")
}

/// A server that answers every request with `canned`, reading only up to the headers' end
/// and the declared body.
async fn bare_server(canned: Arc<Vec<u8>>) -> std::net::SocketAddr {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut s, _)) = l.accept().await else {
                continue;
            };
            let _ = s.set_nodelay(true); // as the sandbox does
            let canned = canned.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 8192];
                loop {
                    let Ok(n) = s.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    if buf.len() < end + 4 + len {
                        continue;
                    }
                    buf.drain(..end + 4 + len);
                    // One write, as the sandbox's HTTP server makes for a small answer.
                    let mut answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/vnd.amazon.eventstream\r\ncontent-length: {}\r\n\r\n",
                        canned.len()
                    )
                    .into_bytes();
                    answer.extend_from_slice(&canned);
                    if s.write_all(&answer).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}

fn target(dir: &std::path::Path, url: &str, key: &str, secret: &str) -> Target {
    let config = dir.join(format!("config-{}", url.len() + key.len()));
    let creds = dir.join(format!("credentials-{}", url.replace([':', '/', '.'], "")));
    std::fs::write(
        &config,
        format!("[profile b]\nregion = us-east-1\nendpoint_url = {url}\n"),
    )
    .unwrap();
    std::fs::write(
        &creds,
        format!("[b]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n"),
    )
    .unwrap();
    Target {
        profile: Some("b".into()),
        config_file: Some(config),
        credentials_file: Some(creds),
        deadline: Duration::from_secs(10),
        ..Target::default()
    }
}

async fn run(config: &keyless_aws::SdkConfig, n: usize) -> Vec<Duration> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        bedrock::invoke_stream_probe(config, MODEL).await.unwrap();
        out.push(t.elapsed());
    }
    out
}

fn stats(mut v: Vec<Duration>) -> (f64, f64, f64) {
    v.sort();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    let mean = v.iter().map(|d| us(*d)).sum::<f64>() / v.len() as f64;
    (mean, us(v[v.len() / 2]), us(v[v.len() * 99 / 100]))
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let secret: String = "bench0secret0not0real0made0for0this0run00"
        .chars()
        .take(40)
        .collect();
    let key = key(0xfeed);
    let opts = keyless_iam::generate::BedrockOptions {
        models: vec![MODEL.into()],
        regions: vec!["us-east-1".into()],
        account: Some(ACCOUNT.into()),
        claude_code: true,
        marketplace: false,
    };
    let (policy, _) =
        keyless_iam::generate::bedrock_policy(&opts, keyless_catalog::Date::today()).unwrap();
    let state = Arc::new(State::new(Config::default()));
    state.registry.add(
        &key,
        Principal {
            arn: format!("arn:aws:iam::{ACCOUNT}:user/bench"),
            secret: secret.clone(),
            session_token: None,
            expires: None,
            user_id: "AIDA".into(),
            policies: Arc::new(
                Policies::parse(&[("generated".into(), policy.to_string())]).unwrap(),
            ),
        },
    );
    let (sandbox_cfg, bare_cfg) = rt.block_on(async {
        let l = keyless_sandbox::server::bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let running = keyless_sandbox::start(l, state.clone()).unwrap();
        let sandbox_url = running.url();
        std::mem::forget(running);
        // The bare server's bytes: exactly what the sandbox streams for this call.
        let sandbox_cfg =
            client::sdk_config(&target(dir.path(), &sandbox_url, &key, &secret)).await;
        let canned = keyless_sandbox::bedrock::anthropic_stream(
            "msg_bdrk_bench",
            "anthropic.claude-sonnet-4-5-20250929-v1:0",
            "Hello ",
            "max_tokens",
            4,
            1,
        );
        let bare = bare_server(Arc::new(canned)).await;
        let bare_cfg = client::sdk_config(&target(
            dir.path(),
            &format!("http://{bare}"),
            &key,
            &secret,
        ))
        .await;
        (sandbox_cfg, bare_cfg)
    });
    // Warm up both (connection pools, lazy statics).
    rt.block_on(run(&sandbox_cfg, 50));
    rt.block_on(run(&bare_cfg, 50));
    let mut sb = Vec::new();
    let mut bare = Vec::new();
    // Interleave rounds so drift in the machine's load hits both equally.
    for _ in 0..10 {
        sb.extend(rt.block_on(run(&sandbox_cfg, n / 10)));
        bare.extend(rt.block_on(run(&bare_cfg, n / 10)));
    }
    let (sm, s50, s99) = stats(sb);
    let (bm, b50, b99) = stats(bare);
    println!("streamed InvokeModelWithResponseStream, AWS SDK for Rust client, {n} calls each, sequential:");
    println!("  sandbox      mean {sm:8.1} µs   p50 {s50:8.1} µs   p99 {s99:8.1} µs");
    println!("  bare server  mean {bm:8.1} µs   p50 {b50:8.1} µs   p99 {b99:8.1} µs");
    println!(
        "  added by the sandbox: mean {:.1} µs, p50 {:.1} µs",
        sm - bm,
        s50 - b50
    );
}
