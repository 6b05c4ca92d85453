//! Working-tree and staged scans on real git repositories built here.

use keyless_scan::git::Status;
use keyless_scan::tree::{scan_staged, scan_tree, Options};

mod common;
use common::{git, key_id, secret, write};

#[test]
fn worktree_kinds_and_file_findings() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    git(r, &["init", "-q", "-b", "main"]);
    write(r, ".gitignore", ".env\nlocal/\n");
    write(r, "src/app.py", "import boto3\n");
    git(r, &["add", "."]);
    git(r, &["commit", "-qm", "init"]);
    // A .env force-added despite the ignore rule, with a key pair.
    write(
        r,
        ".env",
        &format!(
            "AWS_ACCESS_KEY_ID={}\nAWS_SECRET_ACCESS_KEY={}\n",
            key_id(1),
            secret(1)
        ),
    );
    git(r, &["add", "-f", ".env"]);
    // An ignored, untracked file with a key: on disk, not committed.
    write(
        r,
        "local/.env",
        &format!("AWS_SECRET_ACCESS_KEY={}\n", secret(2)),
    );
    // An untracked notebook.
    write(
        r,
        "nb.ipynb",
        &format!(
            r#"{{"cells": [{{"cell_type": "code", "source": ["k = '{}'"], "outputs": []}}]}}"#,
            key_id(3)
        ),
    );
    // Decoys.
    write(
        r,
        "decoys.txt",
        &format!(
            "AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nuser AIDA{0} role AROA{0}\ncommit 0123456789abcdef0123456789abcdef01234567\n\"integrity\": \"sha512-aWs0QrstUvwxYz0123456789abcdefghijklmnopQRSTUVWXYZabcdef+/AB==\"\nid 123e4567-e89b-12d3-a456-426614174000\n",
            "QRSTUVWXYZ234567"
        ),
    );
    let report = scan_tree(r, &Options::default());
    let at = |path: &str| -> Vec<(&str, Option<Status>)> {
        report
            .findings
            .iter()
            .filter(|f| f.path == path)
            .map(|f| (f.finding.id, f.status))
            .collect()
    };
    assert_eq!(
        at(".env"),
        [
            ("KS101", Some(Status::Tracked)),
            ("KS102", Some(Status::Tracked))
        ]
    );
    assert_eq!(at("local/.env"), [("KS102", Some(Status::Ignored))]);
    assert_eq!(at("nb.ipynb"), [("KS101", Some(Status::Untracked))]);
    assert!(at("decoys.txt").is_empty(), "{:?}", at("decoys.txt"));
    let files: Vec<(&str, &str)> = report
        .file_findings
        .iter()
        .map(|f| (f.id, f.path.as_str()))
        .collect();
    assert!(files.contains(&("KS201", ".env")), "{files:?}");
    assert!(files.contains(&("KS202", ".env")), "{files:?}");
    assert!(files.contains(&("KS203", "local/.env")), "{files:?}");
    assert_eq!(files.len(), 3);
}

#[test]
fn staged_scan_sees_exactly_what_the_commit_adds() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    git(r, &["init", "-q", "-b", "main"]);
    write(
        r,
        "old.cfg",
        &format!("aws_secret_access_key = {}\n", secret(7)),
    );
    git(r, &["add", "."]);
    git(r, &["commit", "-qm", "old key, already committed"]);
    write(r, "new.cfg", &format!("AWS_ACCESS_KEY_ID={}\n", key_id(5)));
    write(
        r,
        "unstaged.cfg",
        &format!("AWS_ACCESS_KEY_ID={}\n", key_id(6)),
    );
    git(r, &["add", "new.cfg"]);
    let report = scan_staged(r, &Options::default()).unwrap();
    let paths: Vec<&str> = report.findings.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["new.cfg"]);
    // In a repository without commits, everything staged is new.
    let d2 = tempfile::tempdir().unwrap();
    git(d2.path(), &["init", "-q"]);
    write(
        d2.path(),
        "a.env",
        &format!("AWS_ACCESS_KEY_ID={}\n", key_id(8)),
    );
    git(d2.path(), &["add", "."]);
    assert_eq!(
        scan_staged(d2.path(), &Options::default())
            .unwrap()
            .findings
            .len(),
        1
    );
    assert!(scan_staged(
        &tempfile::tempdir().unwrap().path().join("."),
        &Options::default()
    )
    .is_err());
}

#[test]
fn bad_input_is_reported_and_the_scan_goes_on() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    std::os::unix::fs::symlink(r.join("loop"), r.join("loop")).unwrap();
    std::os::unix::fs::symlink(r, r.join("up")).unwrap();
    std::fs::write(
        r.join("latin1.txt"),
        [b"k = ".as_slice(), key_id(9).as_bytes(), b" \xff\xfe\n"].concat(),
    )
    .unwrap();
    let big = r.join("big.txt");
    let mut content = vec![b'a'; 100 * 1024 * 1024];
    content[50 * 1024 * 1024..50 * 1024 * 1024 + 20].copy_from_slice(key_id(10).as_bytes());
    content[50 * 1024 * 1024 - 1] = b' ';
    content[50 * 1024 * 1024 + 20] = b' ';
    std::fs::write(&big, &content).unwrap();
    std::fs::write(r.join("bin.dat"), [0u8, 1, 2, 3]).unwrap();
    let report = scan_tree(r, &Options::default());
    assert_eq!(
        report
            .findings
            .iter()
            .map(|f| f.path.as_str())
            .collect::<Vec<_>>(),
        ["latin1.txt"]
    );
    let skipped: Vec<&str> = report.skipped.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(skipped, ["big.txt", "bin.dat"]);
    let opts = Options {
        max_file_size: 200 * 1024 * 1024,
        ..Options::default()
    };
    let raised = scan_tree(r, &opts);
    assert!(raised.findings.iter().any(|f| f.path == "big.txt"));
}
