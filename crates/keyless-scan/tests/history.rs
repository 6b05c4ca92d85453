//! History scans on real git repositories built here: keys planted everywhere git keeps
//! content (merge-only, deleted, other branches, tags, the stash and its reflog, packed
//! and loose objects, notebook outputs) beside decoys that must never be reported.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{git, secret, write};
use keyless_scan::history::{scan_history, Progress};
use keyless_scan::tree::{Options, Report};

fn plant(n: u64) -> String {
    format!("aws_secret_access_key = {}\n", secret(n))
}

fn no_progress(_: Progress) {}

fn history(r: &Path, since: Option<&str>) -> Report {
    scan_history(r, since, &Options::default(), &no_progress).expect("history scan")
}

fn found(report: &Report) -> BTreeSet<String> {
    report
        .findings
        .iter()
        .map(|f| f.finding.secret.clone())
        .collect()
}

/// Text that looks like credentials to a careless scanner and is not.
fn decoys() -> String {
    [
        // AWS's documented example pair.
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        // IAM unique IDs are not secrets.
        "user_id: AIDAJQABLZS4A3QDU576Q",
        "role_id: AROADBQP57FF2AEXAMPLE",
        // A git object ID and a 40-hex value under a secret-looking name.
        "commit: 4b825dc642cb6eb9a060e54bf8d69288fbee4904",
        "aws_secret_access_key = da39a3ee5e6b4b0d3255bfef95601890afd80709",
        // An npm integrity string and a UUID.
        "\"integrity\": \"sha512-Xx1PmvmZhz6EuQnCB0GOiT1Y/6ZNTNzSLBH1yEELjOCFBhvfZSeyMjkAWVHTeM2jQe5cw4H69TMsdHV8d3kZbw==\"",
        "request_id = 9f1c2f0e-5c3a-4d5b-8e6f-0a1b2c3d4e5f",
    ]
    .join("\n")
        + "\n"
}

fn notebook(output_text: &str) -> String {
    serde_json::json!({
        "cells": [{
            "cell_type": "code",
            "source": ["import boto3\n"],
            "outputs": [
                {"output_type": "stream", "name": "stdout", "text": [output_text]},
                {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="}}
            ]
        }],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5
    })
    .to_string()
}

#[test]
fn every_planted_key_found_once_and_no_decoy() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    git(r, &["init", "-q", "-b", "main"]);
    write(r, "decoys.txt", &decoys());
    write(r, "README.md", "hello\n");
    git(r, &["add", "."]);
    git(r, &["commit", "-qm", "decoys"]);

    // 1. A key committed and deleted in the next commit.
    write(r, "deleted.env", &plant(1));
    git(r, &["add", "."]);
    git(r, &["commit", "-qm", "add"]);
    git(r, &["rm", "-q", "deleted.env"]);
    git(r, &["commit", "-qm", "remove"]);

    // 2. A key in a notebook's output (beside a base64 image).
    write(r, "analysis.ipynb", &notebook(&plant(2)));
    git(r, &["add", "."]);
    git(r, &["commit", "-qm", "notebook"]);

    // Pack everything so far: the keys above live in a pack, the ones below are loose.
    git(r, &["gc", "-q", "--aggressive"]);

    // 3. A key only on a non-default branch.
    git(r, &["checkout", "-q", "-b", "feature"]);
    write(r, "feature.ini", &plant(3));
    git(r, &["add", "."]);
    git(r, &["commit", "-qm", "feature"]);

    // 4. A key reachable only from a tag (its branch deleted).
    git(r, &["checkout", "-q", "-b", "release", "main"]);
    write(r, "release.cfg", &plant(4));
    git(r, &["add", "."]);
    git(r, &["commit", "-qm", "release"]);
    git(r, &["tag", "-a", "v1", "-m", "v1"]);
    git(r, &["checkout", "-q", "main"]);
    git(r, &["branch", "-q", "-D", "release"]);

    // 5. A key in a blob tagged directly (no commit).
    let blob_file = r.join("blob.txt");
    std::fs::write(&blob_file, plant(5)).unwrap();
    let blob = git(r, &["hash-object", "-w", "blob.txt"]);
    std::fs::remove_file(&blob_file).unwrap();
    git(r, &["tag", "blob-tag", &blob]);

    // 6. Keys in the stash: an older stash (reflog only) and the newest.
    write(r, "README.md", &format!("hello\n{}", plant(6)));
    git(r, &["stash", "-q"]);
    write(r, "README.md", &format!("hello\n{}", plant(7)));
    git(r, &["stash", "-q"]);

    // 7. A key introduced by a merge commit only: neither parent has it.
    git(r, &["checkout", "-q", "-b", "left"]);
    write(r, "merged.txt", "left\n");
    git(r, &["add", "."]);
    git(r, &["commit", "-qm", "left"]);
    git(r, &["checkout", "-q", "main"]);
    write(r, "other.txt", "right\n");
    git(r, &["add", "."]);
    git(r, &["commit", "-qm", "right"]);
    git(r, &["merge", "-q", "--no-commit", "--no-ff", "left"]);
    write(r, "merged.txt", &format!("left\n{}", plant(8)));
    git(r, &["add", "merged.txt"]);
    git(r, &["commit", "-qm", "merge left"]);
    let merge = git(r, &["rev-parse", "HEAD"]);

    // 8. A key in a zip (deflated) and one in a tar.gz, committed.
    write(r, "bundle/creds.ini", &plant(9));
    write(r, "bundle/other.env", &plant(12));
    let zipped = std::process::Command::new("python3")
        .args(["-c", "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED); z.write('bundle/creds.ini'); z.close()", "bundle.zip"])
        .current_dir(r)
        .status()
        .unwrap();
    assert!(zipped.success());
    let tarred = std::process::Command::new("tar")
        .args(["-czf", "bundle.tar.gz", "bundle/other.env"])
        .current_dir(r)
        .status()
        .unwrap();
    assert!(tarred.success());
    std::fs::remove_dir_all(r.join("bundle")).unwrap();
    git(r, &["add", "bundle.zip", "bundle.tar.gz"]);
    git(r, &["commit", "-qm", "archives"]);

    let report = history(r, None);
    let planted: BTreeSet<String> = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12]
        .into_iter()
        .map(secret)
        .collect();
    assert_eq!(
        found(&report),
        planted,
        "every planted key, and nothing else"
    );
    assert_eq!(
        report.findings.len(),
        10,
        "each blob scanned once: {:#?}",
        report.findings
    );

    let merged = report
        .findings
        .iter()
        .find(|f| f.finding.secret == secret(8))
        .unwrap();
    let origin = merged.origin.as_ref().unwrap();
    assert_eq!(origin.introduced.len(), 1, "only the merge introduced it");
    assert_eq!(origin.introduced[0].commit.as_deref(), Some(merge.as_str()));
    assert_eq!(merged.path, "merged.txt");

    let deleted = report
        .findings
        .iter()
        .find(|f| f.finding.secret == secret(1))
        .unwrap();
    assert_eq!(deleted.path, "deleted.env");
    let tagged_blob = report
        .findings
        .iter()
        .find(|f| f.finding.secret == secret(5))
        .unwrap();
    assert_eq!(tagged_blob.path, "refs/tags/blob-tag");
    assert!(tagged_blob.origin.as_ref().unwrap().introduced[0]
        .commit
        .is_none());
    let in_notebook = report
        .findings
        .iter()
        .find(|f| f.finding.secret == secret(2))
        .unwrap();
    assert!(
        in_notebook.finding.inside.is_some(),
        "{:?}",
        in_notebook.finding
    );
    let zipped = report
        .findings
        .iter()
        .find(|f| f.finding.secret == secret(9))
        .unwrap();
    assert_eq!(
        (zipped.path.as_str(), zipped.finding.inside.as_deref()),
        ("bundle.zip", Some("bundle/creds.ini"))
    );
}

#[test]
fn since_scans_only_what_a_branch_adds() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    git(r, &["init", "-q", "-b", "main"]);
    write(r, "old.env", &plant(10));
    git(r, &["add", "."]);
    git(r, &["commit", "-qm", "old key"]);
    git(r, &["checkout", "-q", "-b", "pr"]);
    write(r, "new.env", &plant(11));
    // The same old blob at a new path is not new content.
    write(r, "copy.env", &plant(10));
    git(r, &["add", "."]);
    git(r, &["commit", "-qm", "new key"]);
    let report = history(r, Some("main"));
    assert_eq!(found(&report), BTreeSet::from([secret(11)]));
    assert!(scan_history(r, Some("no-such-rev"), &Options::default(), &no_progress).is_err());
}

#[test]
fn shallow_and_damaged_repositories_are_reported_not_fatal() {
    let d = tempfile::tempdir().unwrap();
    let src = d.path().join("src");
    std::fs::create_dir(&src).unwrap();
    git(&src, &["init", "-q", "-b", "main"]);
    for n in 20..23 {
        write(&src, "k.env", &plant(n));
        git(&src, &["add", "."]);
        git(&src, &["commit", "-qm", "k"]);
    }
    // A shallow clone holds only the newest commit.
    let url = format!("file://{}", src.display());
    git(d.path(), &["clone", "-q", "--depth", "1", &url, "shallow"]);
    let report = history(&d.path().join("shallow"), None);
    assert_eq!(found(&report), BTreeSet::from([secret(22)]));
    assert!(report
        .skipped
        .iter()
        .any(|(what, _)| what == "shallow clone"));

    let packed = d.path().join("packed");
    git(d.path(), &["clone", "-q", "--no-local", &url, "packed"]);

    // A missing loose object: the blob of the first commit.
    let blob = git(&src, &["rev-parse", "HEAD~2:k.env"]);
    let obj = src.join(".git/objects").join(&blob[..2]).join(&blob[2..]);
    std::fs::remove_file(&obj).unwrap();
    let report = history(&src, None);
    assert_eq!(found(&report), BTreeSet::from([secret(21), secret(22)]));
    assert!(
        report.skipped.iter().any(|(_, why)| why.contains(&blob)),
        "{:?}",
        report.skipped
    );

    // A corrupt pack: the scan reports what it could not read and goes on.
    let pack_dir = packed.join(".git/objects/pack");
    let pack = std::fs::read_dir(&pack_dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "pack"))
        .unwrap();
    let mut bytes = std::fs::read(&pack).unwrap();
    let len = bytes.len();
    for b in &mut bytes[len / 3..len - 20] {
        *b = 0xA5;
    }
    std::fs::write(&pack, bytes).unwrap();
    let report = history(&packed, None);
    assert!(!report.skipped.is_empty(), "the damage is reported");
}

/// Issue 14: credentials in a commit message or an annotated tag's message are history too;
/// each finding names the commit or tag that carries it. A decoy in a message is not
/// reported, and `--since` leaves out the messages of commits it already covers.
#[test]
fn commit_and_tag_messages_are_scanned_and_attributed() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    git(r, &["init", "-q", "-b", "main"]);
    write(r, "a.txt", "nothing here\n");
    git(r, &["add", "a.txt"]);
    git(r, &["commit", "-qm", &format!("base\n\n{}", decoys())]);
    let base = git(r, &["rev-parse", "HEAD"]).trim().to_string();
    write(r, "b.txt", "still nothing\n");
    git(r, &["add", "b.txt"]);
    git(
        r,
        &[
            "commit",
            "-qm",
            &format!("deploy script\n\nused {}", plant(1).trim()),
        ],
    );
    let leaky = git(r, &["rev-parse", "HEAD"]).trim().to_string();
    git(
        r,
        &[
            "tag",
            "-a",
            "v1",
            "-m",
            &format!("release notes\n{}", plant(2).trim()),
        ],
    );

    let report = history(r, None);
    let want: BTreeSet<String> = [secret(1), secret(2)].into_iter().collect();
    assert_eq!(found(&report), want, "{:#?}", report.findings);
    let in_commit = report
        .findings
        .iter()
        .find(|f| f.finding.secret == secret(1))
        .unwrap();
    assert_eq!(in_commit.path, "(commit message)");
    let origin = in_commit.origin.as_ref().unwrap();
    assert_eq!(origin.introduced[0].commit.as_deref(), Some(leaky.as_str()));
    assert_eq!(origin.blob, leaky);
    let in_tag = report
        .findings
        .iter()
        .find(|f| f.finding.secret == secret(2))
        .unwrap();
    assert_eq!(in_tag.path, "(tag message of refs/tags/v1)");

    // Only what the branch adds since `base`: the leaky commit's message, not base's.
    let since = history(r, Some(&base));
    assert!(found(&since).contains(&secret(1)));
}

/// Issue 14: a history finding in a file that an ignore rule covered at that commit says
/// so, with the rule (the file was force-added); a file a negated rule re-includes is not.
#[test]
fn history_findings_in_ignored_files_name_the_rule() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    git(r, &["init", "-q", "-b", "main"]);
    write(r, ".gitignore", "# local files\n.env\n*.ini\n!keep.ini\n");
    write(r, "config/.gitignore", "secrets.yaml\n");
    write(r, ".env", &plant(11));
    write(r, "config/secrets.yaml", &plant(12));
    write(r, "keep.ini", &plant(13));
    git(r, &["add", ".gitignore", "config/.gitignore", "keep.ini"]);
    git(r, &["add", "-f", ".env", "config/secrets.yaml"]);
    git(r, &["commit", "-qm", "oops"]);
    let report = history(r, None);
    let rule_of = |n: u64| {
        let f = report
            .findings
            .iter()
            .find(|f| f.finding.secret == secret(n))
            .unwrap_or_else(|| panic!("{n} not found: {:#?}", report.findings));
        f.origin.as_ref().unwrap().introduced[0].ignored_by.clone()
    };
    assert_eq!(rule_of(11).as_deref(), Some(".gitignore:2 `.env`"));
    assert_eq!(
        rule_of(12).as_deref(),
        Some("config/.gitignore:1 `secrets.yaml`")
    );
    assert_eq!(rule_of(13), None, "re-included by `!keep.ini`");
}

/// The commit being made: the message file a `commit-msg` hook gets. Git's comment lines
/// and the `git commit -v` diff below the scissors line are not the message.
#[test]
fn the_message_of_the_commit_being_made() {
    let text = format!(
        "deploy\n\nkey: {}\n# Please enter the commit message\n# {}\n# ------------------------ >8 ------------------------\n+{}\n",
        plant(21).trim(),
        plant(22).trim(),
        plant(23).trim()
    );
    let report = keyless_scan::tree::scan_commit_message(&text, &Options::default());
    let want: BTreeSet<String> = [secret(21)].into_iter().collect();
    assert_eq!(found(&report), want);
    assert_eq!(report.findings[0].path, "(commit message)");
    assert_eq!(report.findings[0].finding.line, 3);
}
