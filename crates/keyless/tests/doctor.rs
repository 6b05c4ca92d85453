//! `keyless doctor` end to end, on the seed guide's setup and others.

mod common;

use common::*;

#[test]
fn seed_guide_setup_human_report() {
    let cx = TestContext::seed();
    let out = keyless_snapshot!("doctor_seed_human", cx, &["doctor"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn seed_guide_setup_json_names_every_cause_with_fixes() {
    let cx = TestContext::seed();
    let out = cx.run(&["doctor", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    insta::assert_snapshot!(
        "doctor_seed_json",
        cx.filter(&String::from_utf8_lossy(&out.stdout))
    );
    assert_eq!(v["schema"], 1);
    let findings = v["findings"].as_array().unwrap();
    let by = |id: &str| {
        findings
            .iter()
            .filter(|f| f["id"] == id)
            .collect::<Vec<_>>()
    };
    // Both model IDs are invalid, each fix names a valid ID.
    let invalid = by("KD101");
    assert_eq!(invalid.len(), 2);
    let fixes: Vec<&str> = invalid
        .iter()
        .map(|f| f["fix"]["description"].as_str().unwrap())
        .collect();
    assert!(
        fixes.contains(&"set ANTHROPIC_MODEL to `us.anthropic.claude-sonnet-5`"),
        "{fixes:?}"
    );
    assert!(
        fixes.contains(
            &"set ANTHROPIC_DEFAULT_HAIKU_MODEL to `us.anthropic.claude-haiku-4-5-20251001-v1:0`"
        ),
        "{fixes:?}"
    );
    for f in &invalid {
        assert!(f["file"]
            .as_str()
            .unwrap()
            .ends_with(".claude/settings.json"));
        assert!(f["line"].as_u64().is_some());
    }
    // Sonnet 4 at end of life; the deprecated variable; keys in plain text.
    assert!(by("KD104")[0]["message"]
        .as_str()
        .unwrap()
        .contains("Claude Sonnet 4"));
    assert_eq!(by("KD202").len(), 1);
    let keys = by("KD302");
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["severity"], "error");
    assert_eq!(keys[0]["line"], 2);
}

#[test]
fn fix_repairs_the_settings_and_touches_nothing_else() {
    let cx = TestContext::seed();
    let settings_before = cx.read(".claude/settings.json");
    let credentials_before = cx.read(".aws/credentials");
    let config_before = cx.read(".aws/config");
    let out = keyless_snapshot!("doctor_fix_seed", cx, &["doctor", "--fix", "--yes"]);
    // Keys in plain text remain: only a person can replace them.
    assert_eq!(out.status.code(), Some(1));
    let settings = cx.read(".claude/settings.json");
    assert!(settings.contains("\"ANTHROPIC_MODEL\": \"us.anthropic.claude-sonnet-5\""));
    assert!(settings.contains(
        "\"ANTHROPIC_DEFAULT_HAIKU_MODEL\": \"us.anthropic.claude-haiku-4-5-20251001-v1:0\""
    ));
    assert!(!settings.contains("ANTHROPIC_SMALL_FAST_MODEL"));
    // Lines it did not own are byte for byte the same.
    for line in [
        "\"CLAUDE_CODE_USE_BEDROCK\": \"1\",",
        "\"AWS_PROFILE\": \"bedrock-dev\",",
        "\"AWS_REGION\": \"us-east-1\",",
    ] {
        assert!(
            settings_before.contains(line) && settings.contains(line),
            "{line}"
        );
    }
    assert_eq!(cx.read(".aws/credentials"), credentials_before);
    assert_eq!(cx.read(".aws/config"), config_before);
    // A backup with the old bytes.
    let backups: Vec<_> = std::fs::read_dir(cx.home.join(".claude"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("keyless-backup-"))
        .collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(
        std::fs::read_to_string(&backups[0]).unwrap(),
        settings_before
    );
    // And doctor no longer reports the model problems.
    let v = json(&cx.run(&["doctor", "--json"]));
    let ids = ids(&v["findings"]);
    for gone in ["KD101", "KD104", "KD202"] {
        assert!(!ids.contains(&gone), "{ids:?}");
    }
}

#[test]
fn fix_dry_run_and_fix_without_a_terminal_write_nothing() {
    let cx = TestContext::seed();
    let before = cx.snapshot_tree();
    let out = cx.run(&["doctor", "--fix", "--dry-run"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("+\"ANTHROPIC_MODEL\": \"us.anthropic.claude-sonnet-5\","));
    assert_eq!(cx.snapshot_tree(), before);
    let out = cx.run(&["doctor", "--fix"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--fix --yes"));
    assert_eq!(cx.snapshot_tree(), before);
}

#[test]
fn empty_home_is_not_set_up() {
    let cx = TestContext::new();
    let out = keyless_snapshot!("doctor_empty_home", cx, &["doctor"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn secrets_are_never_printed_in_full() {
    let cx = TestContext::new();
    // Generated at test time: nothing realistic is committed.
    let id = format!("AKIA{}", "ABCDEFGHIJKLMNOP");
    let secret: String = (0..40)
        .map(|i| (b'a' + (i * 7 % 26) as u8) as char)
        .collect();
    cx.write(
        ".claude/settings.json",
        &format!("{{\"env\": {{\"CLAUDE_CODE_USE_BEDROCK\": \"1\", \"AWS_REGION\": \"us-east-1\", \"AWS_ACCESS_KEY_ID\": \"{id}\", \"AWS_SECRET_ACCESS_KEY\": \"{secret}\"}}}}"),
    );
    cx.write(
        "project/.env",
        &format!("AWS_ACCESS_KEY_ID={id}\nAWS_SECRET_ACCESS_KEY={secret}\n"),
    );
    cx.write(
        ".aws/credentials",
        &format!("[default]\naws_access_key_id = {id}\naws_secret_access_key = {secret}\n"),
    );
    for args in [&["doctor"][..], &["doctor", "--json"]] {
        let out = cx.run(args);
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains(&id) && !all.contains(&secret), "{all}");
        assert!(all.contains("AKIA…MNOP"), "{all}");
        let v = if args.len() == 2 {
            json(&out)
        } else {
            serde_json::Value::Null
        };
        if !v.is_null() {
            let ids = ids(&v["findings"]);
            for want in ["KD203", "KD302", "KD401"] {
                assert!(ids.contains(&want), "{ids:?}");
            }
        }
    }
}

#[test]
fn explain_prints_a_findings_documentation() {
    let cx = TestContext::new();
    keyless_snapshot!(
        "doctor_explain_kd101",
        cx,
        &["doctor", "--explain", "KD101"]
    );
    let out = cx.run(&["doctor", "--explain", "KD999"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let cx = TestContext::seed();
    let plain = cx.run(&["doctor"]);
    assert!(!String::from_utf8_lossy(&plain.stdout).contains('\x1b'));
    let coloured = cx.run(&["--color", "always", "doctor"]);
    assert!(String::from_utf8_lossy(&coloured.stdout).contains("\x1b["));
    let mut c = cx.command(&["doctor"]);
    c.env("NO_COLOR", "1");
    assert!(!String::from_utf8_lossy(&c.output().unwrap().stdout).contains('\x1b'));
}
