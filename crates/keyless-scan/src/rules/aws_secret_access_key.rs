use keyless_rules::{RuleMeta, Severity, Status};

use super::{secret_key_at, value_after_anchor, Candidate, Match, Rule, Trigger};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KS102",
        name: "aws-secret-access-key",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for AWS secret access keys (40 characters of base64): after a key name in any syntax
(`aws_secret_access_key =`, `AWS_SECRET_ACCESS_KEY=`, `"secretAccessKey": "…"`, `SecretAccessKey:`,
`secret_access_key => …`), or anywhere within five lines of an access key ID. Hex-only strings
(git object IDs, hashes), placeholders and low-entropy strings are rejected.

## Why is this bad?
With the key ID, this is the credential. gitleaks has no rule for it; most scanners find the key
ID and miss the secret.

## Example
```sh
export AWS_SECRET_ACCESS_KEY=…
```

## Fix
Deactivate the key pair in IAM and delete it; use SSO or a role instead (`keyless init`). A
secret that reached git history must be rotated.
"#,
    },
    triggers: &[
        Trigger {
            literal: "aws_secret_access_key",
            case_sensitive: false,
        },
        Trigger {
            literal: "secret_access_key",
            case_sensitive: false,
        },
        Trigger {
            literal: "secretaccesskey",
            case_sensitive: false,
        },
        Trigger {
            literal: "aws_secret_key",
            case_sensitive: false,
        },
    ],
    check,
};

/// For the engine's second stage.
pub(crate) const RULE_REF: &Rule = &RULE;

fn check(c: &Candidate) -> Option<Match> {
    let at = value_after_anchor(c.buf, c.end)?;
    let end = secret_key_at(c.buf, at)?;
    Some(Match {
        start: at,
        end,
        detail: None,
    })
}

/// Secrets near key IDs: 40-character tokens within five lines of a key ID position.
pub(crate) fn paired(buf: &[u8], key_positions: &[usize]) -> Vec<Match> {
    let line_of = |p: usize| buf[..p].iter().filter(|&&b| b == b'\n').count();
    let key_lines: Vec<usize> = key_positions.iter().map(|&p| line_of(p)).collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 0;
    while i < buf.len() {
        if buf[i] == b'\n' {
            line += 1;
            i += 1;
            continue;
        }
        if super::is_b64(buf[i]) {
            let n = super::run_len(buf, i, super::is_b64);
            if n == 40 && key_lines.iter().any(|&k| k.abs_diff(line) <= 5) {
                if let Some(end) = secret_key_at(buf, i) {
                    out.push(Match {
                        start: i,
                        end,
                        detail: Some("next to an access key ID".into()),
                    });
                }
            }
            i += n.max(1);
            continue;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::engine::scan_bytes;

    /// A random-looking 40-character secret built at test time.
    pub(crate) fn secret() -> String {
        keyless_testkit::fake_secret(0x9e3779b97f4a7c15)
    }

    fn found(text: &str) -> usize {
        scan_bytes(text.as_bytes())
            .iter()
            .filter(|f| f.id == "KS102")
            .count()
    }

    #[test]
    fn every_syntax() {
        let s = secret();
        for t in [
            format!("aws_secret_access_key = {s}"),
            format!("AWS_SECRET_ACCESS_KEY={s}"),
            format!("export AWS_SECRET_ACCESS_KEY=\"{s}\""),
            format!("{{\"secretAccessKey\": \"{s}\"}}"),
            format!("SecretAccessKey: {s}"),
            format!("secret_access_key => '{s}'"),
            format!("aws_secret_access_key := `{s}`"),
        ] {
            assert_eq!(found(&t), 1, "{t}");
        }
    }

    #[test]
    fn paired_with_a_key_id_and_rejections() {
        let s = secret();
        let id = format!("AKIA{}", "QRSTUVWXYZ234567");
        assert_eq!(found(&format!("id: {id}\nkey: {s}\n")), 1);
        assert_eq!(found(&format!("{s}\n")), 0, "a lone token is not a secret");
        let sha = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(
            found(&format!(
                "id: {id}\ncommit {sha}\naws_secret_access_key = {sha}"
            )),
            0
        );
        assert_eq!(
            found("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            0
        );
        assert_eq!(found("aws_secret_access_key = ${AWS_SECRET}"), 0);
    }
}
