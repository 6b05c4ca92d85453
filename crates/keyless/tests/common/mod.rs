//! Test harness for the `keyless` binary, after uv's `TestContext` and `uv_snapshot!`:
//! every test gets its own home, project directory and clock, and runs the real binary
//! with a cleared environment so the developer's own AWS or Claude setup cannot leak in.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// The fixed clock for tests (the catalog's "as of" date, at noon UTC).
pub const NOW: &str = "2026-11-27T12:00:00Z";

pub struct TestContext {
    pub root: tempfile::TempDir,
    pub home: PathBuf,
    pub project: PathBuf,
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// `shared/` beside the repository (read-only references and fixtures).
pub fn shared() -> PathBuf {
    let p = repo_root().join("../shared");
    assert!(
        p.join("fixtures/seed-guide").exists(),
        "shared/fixtures/seed-guide not found beside the repository at {}",
        p.display()
    );
    p
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dest);
        } else {
            std::fs::write(&dest, std::fs::read(e.path()).unwrap()).unwrap();
        }
    }
}

impl TestContext {
    pub fn new() -> Self {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        let project = root.path().join("project");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(&project).unwrap();
        Self {
            root,
            home,
            project,
        }
    }

    /// A home laid out exactly as the seed guide says (`shared/fixtures/seed-guide/home`),
    /// with the modes a text editor gives new files (0644).
    pub fn seed() -> Self {
        let cx = Self::new();
        copy_tree(&shared().join("fixtures/seed-guide/home"), &cx.home);
        cx
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        match rel.strip_prefix("project/") {
            Some(r) => self.project.join(r),
            None => self.home.join(rel),
        }
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// `keyless ARGS` in the project directory with a clean environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_keyless"));
        c.args(args)
            .current_dir(&self.project)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("KEYLESS_NOW", NOW)
            .env(
                "KEYLESS_CLAUDE_MANAGED_DIR",
                self.root.path().join("managed"),
            );
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// `keyless policy bedrock --claude-code` for `models` from us-east-1 in account
    /// 123456789012, written to `ROOT/policy.json`.
    pub fn generated_policy(&self, models: &[&str]) -> PathBuf {
        let mut args = vec![
            "policy",
            "bedrock",
            "--claude-code",
            "--region",
            "us-east-1",
            "--account",
            "123456789012",
        ];
        for m in models {
            args.extend_from_slice(&["--model", m]);
        }
        let o = self.run(&args);
        assert!(o.status.success(), "{}", self.format(&o));
        let path = self.root.path().join("policy.json");
        std::fs::write(&path, &o.stdout).unwrap();
        path
    }

    /// Replaces what changes from run to run.
    pub fn filter(&self, text: &str) -> String {
        let mut s = text.replace(&self.home.display().to_string(), "[HOME]");
        s = s.replace(&self.project.display().to_string(), "[PROJECT]");
        s = s.replace(&self.root.path().display().to_string(), "[ROOT]");
        // backup names carry a timestamp
        let mut out = String::new();
        let mut rest = s.as_str();
        while let Some(i) = rest.find("keyless-backup-") {
            out.push_str(&rest[..i + "keyless-backup-".len()]);
            rest = &rest[i + "keyless-backup-".len()..];
            // `20261203T065336Z`, then `-N` when two backups fall in one second.
            let digits = rest
                .find(|c: char| !c.is_ascii_digit() && !matches!(c, '-' | 'T' | 'Z'))
                .unwrap_or(rest.len());
            out.push_str("[TIME]");
            rest = &rest[digits..];
        }
        out.push_str(rest);
        out.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
    }

    /// Status, stdout and stderr in one string, for snapshots.
    pub fn format(&self, o: &Output) -> String {
        format!(
            "success: {}\nexit_code: {}\n----- stdout -----\n{}\n----- stderr -----\n{}",
            o.status.success(),
            o.status.code().unwrap_or(-1),
            self.filter(&String::from_utf8_lossy(&o.stdout)),
            self.filter(&String::from_utf8_lossy(&o.stderr))
        )
    }

    /// Every file under the root with its bytes and mode: a fingerprint to prove that a
    /// failed command wrote nothing.
    pub fn snapshot_tree(&self) -> BTreeMap<PathBuf, (Vec<u8>, u32)> {
        fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, (Vec<u8>, u32)>) {
            use std::os::unix::fs::PermissionsExt;
            let Ok(rd) = std::fs::read_dir(dir) else {
                return;
            };
            for e in rd.flatten() {
                let p = e.path();
                let meta = std::fs::symlink_metadata(&p).unwrap();
                if meta.is_dir() {
                    walk(&p, out);
                } else if meta.file_type().is_symlink() {
                    out.insert(
                        p.clone(),
                        (
                            std::fs::read_link(&p)
                                .unwrap()
                                .display()
                                .to_string()
                                .into_bytes(),
                            0,
                        ),
                    );
                } else {
                    // Big sparse files are compared by length only.
                    let bytes = if meta.len() > 1 << 20 {
                        meta.len().to_le_bytes().to_vec()
                    } else {
                        std::fs::read(&p).unwrap()
                    };
                    out.insert(p.clone(), (bytes, meta.permissions().mode()));
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(self.root.path(), &mut out);
        out
    }
}

/// Runs a command and compares its formatted output with a stored snapshot.
#[macro_export]
macro_rules! keyless_snapshot {
    ($name:expr, $cx:expr, $args:expr) => {{
        let output = $cx.run($args);
        insta::assert_snapshot!($name, $cx.format(&output));
        output
    }};
}

/// The SSO init arguments used across tests.
pub const SSO_INIT: &[&str] = &[
    "init",
    "--yes",
    "--profile",
    "claude",
    "--region",
    "us-east-1",
    "--sso-start-url",
    "https://example.awsapps.com/start",
    "--sso-region",
    "us-east-1",
    "--sso-account-id",
    "111122223333",
    "--sso-role-name",
    "BedrockUser",
];

/// The `id` of each object in the JSON list `list` (findings, file findings...).
pub fn ids(list: &serde_json::Value) -> Vec<&str> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect()
}

pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&o.stdout)))
}

/// A sandbox serving until stopped; its URL is the first line of its stdout.
pub struct Served {
    child: Child,
    /// Its URL.
    pub url: String,
}

impl Served {
    /// `keyless sandbox ARGS`, serving.
    pub fn start(cx: &TestContext, args: &[&str]) -> Self {
        let mut all = vec!["sandbox"];
        all.extend_from_slice(args);
        let mut child = cx
            .command(&all)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut first)
            .unwrap();
        let url = first.trim().to_string();
        assert!(
            url.starts_with("http://127.0.0.1:"),
            "sandbox printed {url:?}"
        );
        Self { child, url }
    }

    /// SIGTERM, then the call report from stderr.
    pub fn stop(self) -> String {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        let out = self.child.wait_with_output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}
