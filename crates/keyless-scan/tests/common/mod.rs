//! Helpers shared by the integration tests: a `git` runner with a fixed identity and
//! test credentials generated here (never a committed realistic key).
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// Runs git in `dir`, asserts success, returns its trimmed stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Credentials generated at test time.
pub fn key_id(n: u8) -> String {
    let body: String = (0..16)
        .map(|i| b"QRSTUVWXYZ234567"[(i + n as usize) % 16] as char)
        .collect();
    format!("AKIA{body}")
}

pub fn secret(n: u64) -> String {
    keyless_testkit::fake_secret(0x9e3779b97f4a7c15 ^ n)
}

pub fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}
