//! Secrets under an encoding layer: found, with the layer named; decoys under the same
//! layer are not reported.

mod common;

use common::{secret, write};
use keyless_scan::tree::{scan_tree, Options};

fn utf16(text: &str, little_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend(if little_endian {
            [0xFF, 0xFE]
        } else {
            [0xFE, 0xFF]
        });
    }
    for u in text.encode_utf16() {
        out.extend(if little_endian {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    out
}

#[test]
fn utf16_text_is_decoded_and_the_layer_named() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    let ps1 = format!(
        "# deploy\r\n$env:AWS_REGION = \"us-east-1\"\r\n$env:AWS_SECRET_ACCESS_KEY = \"{}\"\r\n",
        secret(31)
    );
    std::fs::write(r.join("deploy.ps1"), utf16(&ps1, true, true)).unwrap();
    let reg = format!(
        "[HKEY_CURRENT_USER\\\\Software\\\\Tool]\r\n\"aws_secret_access_key\"=\"{}\"\r\n",
        secret(32)
    );
    std::fs::write(r.join("export.reg"), utf16(&reg, false, false)).unwrap();
    // Decoys, in UTF-16 too: AWS's example pair and an IAM unique ID.
    let decoy = "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\r\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\r\nuser_id: AIDAJQABLZS4A3QDU576Q\r\n";
    std::fs::write(r.join("example.ps1"), utf16(decoy, true, true)).unwrap();
    // Real binary data stays skipped.
    std::fs::write(
        r.join("blob.bin"),
        [
            0u8, 1, 2, 3, 0, 0, 255, 7, 9, 0, 0, 0, 1, 200, 3, 0, 5, 0, 0, 0,
        ],
    )
    .unwrap();
    write(r, "plain.txt", "nothing\n");

    let report = scan_tree(r, &Options::default());
    let mut found: Vec<(String, Vec<&str>, String)> = report
        .findings
        .iter()
        .map(|f| {
            (
                f.path.clone(),
                f.finding.layers.clone(),
                f.finding.secret.clone(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("deploy.ps1".to_string(), vec!["utf-16le"], secret(31)),
            ("export.reg".to_string(), vec!["utf-16be"], secret(32)),
        ],
        "{:#?}",
        report.findings
    );
    let line = report
        .findings
        .iter()
        .find(|f| f.path == "deploy.ps1")
        .unwrap()
        .finding
        .line;
    assert_eq!(line, 3);
    assert!(
        report.skipped.iter().any(|(p, _)| p == "blob.bin"),
        "{:?}",
        report.skipped
    );
}
