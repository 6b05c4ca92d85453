use keyless_rules::{RuleMeta, Severity, Status};

use super::{boundary_after, boundary_before, Candidate, Match, Rule, Trigger};
use crate::token::{account_from_key_id, is_placeholder};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KS101",
        name: "aws-access-key-id",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for AWS access key IDs that belong to credentials: `AKIA…` (long-lived), `ASIA…`
(temporary), `ABIA…` and `ACCA…`, followed by 16 base32 characters. Non-secret unique IDs
(`AIDA…` users, `AROA…` roles, `ANPA…` policies) are not reported. The account is decoded from the
key ID where the format allows (keys issued since 2019).

## Why is this bad?
A key ID is half a credential and the index into the other half: where it appears, the secret
usually sits nearby, and the account it names is the one to check.

## Example
```ini
aws_access_key_id = AKIA…
```

## Fix
Deactivate and delete the key in IAM (`aws iam update-access-key --status Inactive`, then
`delete-access-key`), remove it from the file, and use a profile with SSO or a role
(`keyless init`). If it was ever committed, removing the file does not help: the key must be
rotated.
"#,
    },
    triggers: &[
        Trigger {
            literal: "AKIA",
            case_sensitive: true,
        },
        Trigger {
            literal: "ASIA",
            case_sensitive: true,
        },
        Trigger {
            literal: "ABIA",
            case_sensitive: true,
        },
        Trigger {
            literal: "ACCA",
            case_sensitive: true,
        },
    ],
    check,
};

fn check(c: &Candidate) -> Option<Match> {
    let end = c.start + 20;
    let body = c.buf.get(c.end..end)?;
    if !body
        .iter()
        .all(|&b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
    {
        return None;
    }
    if !boundary_before(c.buf, c.start)
        || !boundary_after(c.buf, end)
        || is_placeholder(&c.buf[c.start..end])
    {
        return None;
    }
    let id = std::str::from_utf8(&c.buf[c.start..end]).ok()?;
    Some(Match {
        start: c.start,
        end,
        detail: account_from_key_id(id).map(|a| format!("account {a}")),
    })
}

#[cfg(test)]
mod tests {
    use crate::engine::scan_bytes;

    fn ids(text: &str) -> Vec<String> {
        scan_bytes(text.as_bytes())
            .into_iter()
            .filter(|f| f.id == "KS101")
            .map(|f| f.secret)
            .collect()
    }

    #[test]
    fn true_and_false_positives() {
        // Generated at test time; never a committed realistic key.
        let body = "QRSTUVWXYZ234567";
        for prefix in ["AKIA", "ASIA", "ABIA", "ACCA"] {
            assert_eq!(
                ids(&format!("k={prefix}{body}")),
                [format!("{prefix}{body}")],
                "{prefix}"
            );
        }
        assert_eq!(
            ids(&format!("\"AKIA{body}\\n\"")).len(),
            1,
            "inside a JSON string with \\n"
        );
        for fp in [
            "AKIAIOSFODNN7EXAMPLE".to_string(),
            format!("AIDA{body}"),
            format!("AROA{body}"),
            format!("XAKIA{body}"),
            format!("AKIA{body}X"),
            // A placeholder, assembled here so no key-shaped literal is committed.
            format!("AKIA{}", "X".repeat(16)),
            "AKIA0123456789ABCDEF".into(),
            "akia".to_string() + &body.to_lowercase(),
        ] {
            assert!(ids(&fp).is_empty(), "{fp}");
        }
    }
}
