//! `keyless scan` and `keyless hook install` end to end, on real git repositories.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        // Fixed dates make commit IDs, and so history output, reproducible.
        .env("GIT_AUTHOR_DATE", "2026-11-01T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-01T10:00:00Z")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env(
            "PATH",
            format!(
                "{}:{}",
                Path::new(env!("CARGO_BIN_EXE_keyless"))
                    .parent()
                    .unwrap()
                    .display(),
                std::env::var("PATH").unwrap()
            ),
        )
        .output()
        .unwrap()
}

/// Test credentials, generated here (never a committed realistic key).
fn key_id() -> String {
    format!("AKIA{}", "QRSTUVWXYZ234567")
}

fn secret() -> String {
    keyless_testkit::fake_secret(0x243f6a8885a308d3)
}

fn repo_with_keys(cx: &TestContext) {
    let r = &cx.project;
    assert!(git(r, &["init", "-q", "-b", "main"]).status.success());
    cx.write("project/.gitignore", ".env\n");
    cx.write("project/app.py", "print('hi')\n");
    git(r, &["add", "."]);
    git(r, &["commit", "-qm", "init"]);
    cx.write(
        "project/.env",
        &format!(
            "AWS_ACCESS_KEY_ID={}\nAWS_SECRET_ACCESS_KEY={}\n",
            key_id(),
            secret()
        ),
    );
    git(r, &["add", "-f", ".env"]);
}

#[test]
fn human_report_and_exit_status() {
    let cx = TestContext::new();
    repo_with_keys(&cx);
    let out = cx.run(&["scan"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    insta::assert_snapshot!("scan_human", cx.filter(&text));
    assert!(
        !text.contains(&secret()) && !text.contains(&key_id()),
        "secrets must be redacted"
    );
    let shown = cx.run(&["scan", "--show-secrets"]);
    assert!(String::from_utf8_lossy(&shown.stdout).contains(&secret()));
}

#[test]
fn json_sarif_and_schema_validation() {
    let cx = TestContext::new();
    repo_with_keys(&cx);
    let v = json(&cx.run(&["scan", "--json"]));
    assert_eq!(ids(&v["findings"]), ["KS101", "KS102"]);
    assert_eq!(v["findings"][0]["git_status"], "tracked");
    let files = ids(&v["file_findings"]);
    assert_eq!(files, ["KS201", "KS202"]);
    let sarif = cx.run(&["scan", "--sarif"]);
    let path = cx.root.path().join("out.sarif");
    std::fs::write(&path, &sarif.stdout).unwrap();
    let node = repo_root().join("test-support/node");
    assert!(
        node.join("node_modules/ajv").exists(),
        "run ./scripts/test (npm ci in test-support/node)"
    );
    let valid = Command::new("node")
        .arg(node.join("validate_sarif.mjs"))
        .arg(&path)
        .current_dir(&node)
        .output()
        .unwrap();
    assert!(
        valid.status.success(),
        "SARIF invalid: {}",
        String::from_utf8_lossy(&valid.stdout)
    );
    let s: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(s["runs"][0]["results"].as_array().unwrap().len(), 4);
}

#[test]
fn baseline_and_allow_comments() {
    let cx = TestContext::new();
    repo_with_keys(&cx);
    let b = cx.root.path().join("baseline.json");
    let out = cx.run(&["scan", "--write-baseline", b.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let base = std::fs::read_to_string(&b).unwrap();
    assert!(!base.contains(&secret()), "baselines hold no secrets");
    // Baselined findings are gone; the file findings remain (the .env is still tracked).
    let v = json(&cx.run(&["scan", "--json", "--baseline", b.to_str().unwrap()]));
    assert!(v["findings"].as_array().unwrap().is_empty());
    // An allow comment keeps the finding, with its reason, and does not fail the scan.
    cx.write(
        "project/fixture.txt",
        &format!(
            "# keyless:allow documented test fixture\nk = {}\n",
            key_id()
        ),
    );
    let v = json(&cx.run(&["scan", "fixture.txt", "--json"]));
    assert_eq!(v["findings"][0]["allowed"], "documented test fixture");
    assert_eq!(cx.run(&["scan", "fixture.txt"]).status.code(), Some(0));
}

#[test]
fn pre_commit_hook_refuses_a_commit_with_a_key() {
    let cx = TestContext::new();
    let r = &cx.project;
    git(r, &["init", "-q", "-b", "main"]);
    let out = cx.run(&["hook", "install"]);
    assert!(out.status.success(), "{}", cx.format(&out));
    assert_eq!(
        cx.run(&["hook", "install"]).status.code(),
        Some(0),
        "idempotent"
    );
    cx.write("project/ok.txt", "nothing secret\n");
    git(r, &["add", "ok.txt"]);
    assert!(git(r, &["commit", "-qm", "fine"]).status.success());
    cx.write(
        "project/config.ini",
        &format!("aws_secret_access_key = {}\n", secret()),
    );
    git(r, &["add", "config.ini"]);
    let refused = git(r, &["commit", "-qm", "leak"]);
    assert!(!refused.status.success(), "the hook must refuse the commit");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&refused.stdout),
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(said.contains("KS102"), "{said}");
    // Git started without keyless on PATH (a GUI client, an editor) still runs the scan,
    // through the binary that installed the hook.
    cx.write(
        "project/config2.ini",
        &format!("aws_secret_access_key = {}\n", secret()),
    );
    git(r, &["add", "config2.ini"]);
    let refused = Command::new("git")
        .args(["commit", "-qm", "leak again"])
        .current_dir(r)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&refused.stdout),
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(said.contains("KS102"), "{said}");
    git(r, &["reset", "-q", "config2.ini"]);
    // The commit-msg hook: a key pasted into the message stops the commit too (with
    // nothing dangerous staged, so that it is the message hook that refuses).
    git(r, &["reset", "-q", "config.ini"]);
    cx.write("project/notes.txt", "release notes\n");
    git(r, &["add", "notes.txt"]);
    let refused = git(
        r,
        &[
            "commit",
            "-qm",
            &format!("fix\n\naws_secret_access_key = {}", secret()),
        ],
    );
    assert!(
        !refused.status.success(),
        "the commit-msg hook must refuse it"
    );
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&refused.stdout),
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(said.contains("(commit message)"), "{said}");
    assert!(r.join(".git/hooks/commit-msg").exists());
    // Installing again over keyless's own hook needs no --force.
    assert!(cx.run(&["hook", "install"]).status.success());
    // Another tool's hook is not replaced without --force.
    std::fs::write(r.join(".git/hooks/pre-commit"), "#!/bin/sh\necho other\n").unwrap();
    assert_eq!(cx.run(&["hook", "install"]).status.code(), Some(2));
    assert!(cx.run(&["hook", "install", "--force"]).status.success());
}

#[test]
fn staged_outside_a_repository_is_a_usage_error() {
    let cx = TestContext::new();
    assert_eq!(cx.run(&["scan", "--staged"]).status.code(), Some(2));
    assert_eq!(cx.run(&["scan", "nope"]).status.code(), Some(2));
}

#[test]
fn history_names_the_commit_and_says_to_rotate() {
    let cx = TestContext::new();
    let r = &cx.project;
    git(r, &["init", "-q", "-b", "main"]);
    cx.write(
        "project/.env",
        &format!("AWS_SECRET_ACCESS_KEY={}\n", secret()),
    );
    cx.write("project/.gitignore", ".env\n");
    git(r, &["add", ".gitignore"]);
    git(r, &["add", "-f", ".env"]);
    git(r, &["commit", "-qm", "oops"]);
    let commit = String::from_utf8(git(r, &["rev-parse", "HEAD"]).stdout).unwrap();
    git(r, &["rm", "-q", ".env"]);
    git(r, &["commit", "-qm", "remove the key"]);
    // The working tree is clean now; history is not.
    assert_eq!(cx.run(&["scan"]).status.code(), Some(0));
    let out = cx.run(&["scan", "--history"]);
    assert_eq!(out.status.code(), Some(1), "{}", cx.format(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("introduced in commit {}", &commit[..12])),
        "{text}"
    );
    assert!(text.contains("rotate the key now"), "{text}");
    assert!(
        text.contains("the file was ignored (.gitignore:1 `.env`) when it was committed"),
        "{text}"
    );
    assert!(!text.contains(&secret()), "redacted by default");
    insta::assert_snapshot!("scan_history_human", cx.filter(&text));
    assert!(
        out.stderr.is_empty(),
        "no progress bar when piped: {:?}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&cx.run(&["scan", "--history", "--json"]));
    assert_eq!(
        v["findings"][0]["history"]["introduced"][0]["commit"],
        commit.trim()
    );
    assert_eq!(v["findings"][0]["path"], ".env");
    // --since needs --history; a bad revision is a usage error.
    assert_eq!(cx.run(&["scan", "--since", "main"]).status.code(), Some(2));
    assert_eq!(
        cx.run(&["scan", "--history", "--since", "nope"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        cx.run(&["scan", "--history", "--since", "main"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn explain_prints_a_rules_documentation() {
    let cx = TestContext::new();
    let out = cx.run(&["scan", "--explain", "ks102"]);
    assert!(out.status.success(), "{}", cx.format(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("# KS102 aws-secret-access-key"), "{text}");
    assert!(text.contains("### Fix"), "{text}");
    let by_name = cx.run(&["scan", "--explain", "dotenv-tracked-despite-ignore"]);
    assert!(String::from_utf8_lossy(&by_name.stdout).starts_with("# KS202"));
    assert_eq!(
        cx.run(&["scan", "--explain", "KS999"]).status.code(),
        Some(2)
    );
}

/// Issue 10: a tree of binaries is one line of news, not one per file; `--verbose` lists
/// them. AWS's example key and its test variants are no findings.
#[test]
fn skipped_files_are_counted_and_example_key_variants_are_not_findings() {
    let cx = TestContext::new();
    for i in 0..5 {
        std::fs::create_dir_all(cx.path("tree")).unwrap();
        std::fs::write(
            cx.path(&format!("tree/img{i}.bin")),
            [0u8, 159, 146, 150, 0, 1],
        )
        .unwrap();
    }
    // A test variant of AWS's documented example pair, assembled here.
    cx.write(
        "tree/test_fixtures.py",
        &format!(
            "KEY = '{}'\nSECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'\n",
            ["AKIA", "IOSFODNN7", "EXAMPLF"].concat()
        ),
    );
    let tree = cx.path("tree");
    let out = cx.run(&["scan", tree.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", cx.format(&out));
    let skipped: Vec<&str> = stdout.lines().filter(|l| l.contains("skipped")).collect();
    assert_eq!(skipped.len(), 2, "{stdout}");
    assert!(
        skipped[0].contains("skipped 5 files: 5 binary (scan with --binary); --verbose lists them"),
        "{stdout}"
    );
    assert!(stdout.contains("no credentials found: 0 credential findings, 0 file findings in 1 file (81 bytes); 5 skipped"), "{stdout}");
    let verbose = cx.run(&["scan", "--verbose", tree.to_str().unwrap()]);
    let listed = String::from_utf8_lossy(&verbose.stdout)
        .lines()
        .filter(|l| l.starts_with("skipped ") && l.contains("img"))
        .count();
    assert_eq!(listed, 5);
}

/// Each reason a scan cannot run says what to do about that reason (a bad `--since` used
/// to be told to run inside a git repository); a bad baseline names its line.
#[test]
fn scan_errors_carry_their_own_hint() {
    let cx = TestContext::new();
    let r = &cx.project;
    git(r, &["init", "-q", "-b", "main"]);
    cx.write("project/a.txt", "x\n");
    git(r, &["add", "a.txt"]);
    git(r, &["commit", "-qm", "a"]);
    let out = cx.run(&["scan", "--history", "--since", "no-such-branch"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--since no-such-branch"), "{err}");
    assert!(err.contains("name a branch, tag or commit"), "{err}");
    cx.write("project/base.json", "{\n  \"fingerprints\": 3\n}\n");
    let out = cx.run(&["scan", "--baseline", "base.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("base.json: line 2: `fingerprints` must be a list"),
        "{err}"
    );
    assert!(err.contains("--write-baseline"), "{err}");
    let elsewhere = TestContext::new();
    let out = elsewhere.run(&["scan", "--staged"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not inside a git repository"));
}
