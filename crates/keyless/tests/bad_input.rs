//! Malformed input: a clear error naming the file (and line), exit 2, nothing written,
//! no panic — for every command that reads the files.

mod common;

use common::*;

const COMMANDS: &[&[&str]] = &[
    &["doctor"],
    &["doctor", "--json"],
    &["doctor", "--fix", "--yes"],
    SSO_INIT,
];

fn expect_refusal(cx: &TestContext, needle: &str) {
    for args in COMMANDS {
        let before = cx.snapshot_tree();
        let out = cx.run(args);
        let stderr = cx.filter(&String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", cx.format(&out));
        assert!(
            stderr.contains(needle),
            "{args:?}: expected {needle:?} in {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(cx.snapshot_tree(), before, "{args:?} wrote something");
    }
}

#[test]
fn malformed_settings_json_names_file_and_line() {
    let cx = TestContext::new();
    cx.write(
        ".claude/settings.json",
        "{\n  \"env\": {\n    \"AWS_REGION\": \"us-east-1\",\n  }\n}\n",
    );
    expect_refusal(&cx, "[HOME]/.claude/settings.json:3: invalid JSON");
    let out = keyless_snapshot!("bad_settings_json", cx, &["doctor"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn malformed_ini_line_names_file_and_line() {
    let cx = TestContext::new();
    cx.write(
        ".aws/config",
        "[default]\nregion = us-east-1\nthis is not a setting\n",
    );
    expect_refusal(&cx, "[HOME]/.aws/config:3: expected `key = value`");
}

#[test]
fn settings_file_that_is_a_directory() {
    let cx = TestContext::new();
    std::fs::create_dir_all(cx.path(".claude/settings.json")).unwrap();
    expect_refusal(&cx, "[HOME]/.claude/settings.json: is a directory");
}

#[test]
fn symlink_loop() {
    let cx = TestContext::new();
    std::fs::create_dir_all(cx.home.join(".aws")).unwrap();
    std::os::unix::fs::symlink(
        cx.home.join(".aws/credentials"),
        cx.home.join(".aws/credentials"),
    )
    .unwrap();
    expect_refusal(&cx, "[HOME]/.aws/credentials: symbolic link loop");
}

#[test]
fn hundred_megabyte_file() {
    let cx = TestContext::new();
    std::fs::create_dir_all(cx.home.join(".aws")).unwrap();
    let f = std::fs::File::create(cx.home.join(".aws/config")).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap();
    expect_refusal(&cx, "[HOME]/.aws/config: file is 104857600 bytes");
}

#[test]
fn not_utf8() {
    let cx = TestContext::new();
    std::fs::create_dir_all(cx.home.join(".aws")).unwrap();
    std::fs::write(
        cx.home.join(".aws/credentials"),
        b"[default]\nregion = \xff\n",
    )
    .unwrap();
    expect_refusal(&cx, "[HOME]/.aws/credentials:2: not valid UTF-8");
}

#[test]
fn unreadable_file() {
    // root can read anything; the permission path is covered only for other users.
    if std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(true)
    {
        let cx = TestContext::new();
        cx.write(".claude/settings.json", "[1, 2]");
        expect_refusal(
            &cx,
            "[HOME]/.claude/settings.json:1: settings must be a JSON object",
        );
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let cx = TestContext::new();
    cx.write(".claude/settings.json", "{}");
    std::fs::set_permissions(
        cx.path(".claude/settings.json"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    expect_refusal(&cx, "permission denied");
}

#[test]
fn bad_clock_variable_is_a_usage_error() {
    let cx = TestContext::new();
    let mut c = cx.command(&["doctor"]);
    c.env("KEYLESS_NOW", "tomorrow");
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
