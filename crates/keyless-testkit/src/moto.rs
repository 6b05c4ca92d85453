//! The moto server `scripts/test` starts: keyless's STS/IAM peer, with authentication on.
//!
//! Tests get real keys from it (made by moto's IAM at test time, never written in the
//! repository) and point the AWS SDK at it. There is no fallback: a test that needs moto
//! and cannot reach it fails and says how to start it.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A running moto server.
#[derive(Debug, Clone)]
pub struct Moto {
    /// Its endpoint (`http://127.0.0.1:PORT`).
    pub url: String,
    admin: PathBuf,
    python: PathBuf,
    script: PathBuf,
}

/// A key pair moto issued to an IAM user.
#[derive(Debug, Clone)]
pub struct MotoKey {
    /// `AKIA...`.
    pub access_key_id: String,
    /// The secret.
    pub secret_access_key: String,
    /// The user's ARN.
    pub arn: String,
}

/// The moto server of this test run.
pub fn moto() -> Moto {
    let (Ok(url), Ok(admin)) = (
        std::env::var("KEYLESS_TEST_MOTO_URL"),
        std::env::var("KEYLESS_TEST_MOTO_ADMIN"),
    ) else {
        panic!(
            "this test needs moto (the STS/IAM peer): run ./scripts/test, which installs and \
             starts it and sets KEYLESS_TEST_MOTO_URL and KEYLESS_TEST_MOTO_ADMIN"
        );
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let python = std::env::var("KEYLESS_ORACLE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target/oracle-venv/bin/python"));
    Moto {
        url,
        admin: PathBuf::from(admin),
        python,
        script: root.join("test-support/moto/moto_admin.py"),
    }
}

/// A name no other test (nor an earlier run against the same server) has used.
pub fn unique(prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}-{}-{}-{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

impl Moto {
    fn run(&self, args: &[&str]) -> serde_json::Value {
        let out = Command::new(&self.python)
            .arg(&self.script)
            .args(args)
            .output()
            .expect("run moto_admin.py");
        assert!(
            out.status.success(),
            "moto_admin.py {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("moto_admin.py prints JSON")
    }

    /// A new IAM user with a key; `policy` is the path of its inline policy (default: allow all).
    pub fn user(&self, name: &str, policy: Option<&std::path::Path>) -> MotoKey {
        let admin = self.admin.to_string_lossy();
        let mut args = vec!["user", &self.url, &admin, name];
        let p;
        if let Some(policy) = policy {
            p = policy.to_string_lossy().into_owned();
            args.push(&p);
        }
        let v = self.run(&args);
        MotoKey {
            access_key_id: v["AccessKeyId"].as_str().unwrap().to_string(),
            secret_access_key: v["SecretAccessKey"].as_str().unwrap().to_string(),
            arn: v["Arn"].as_str().unwrap().to_string(),
        }
    }

    /// A new role that `trusted` (a principal's ARN) may assume; its ARN. (moto matches a
    /// trust policy's principal literally, so the account's `:root` would not do.)
    pub fn role(&self, name: &str, trusted: &str) -> String {
        let admin = self.admin.to_string_lossy();
        let v = self.run(&["role", &self.url, &admin, name, trusted]);
        v["Arn"].as_str().unwrap().to_string()
    }
}
