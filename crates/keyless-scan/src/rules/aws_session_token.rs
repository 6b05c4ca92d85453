use keyless_rules::{RuleMeta, Severity, Status};

use super::{is_b64, run_len, value_after_anchor, Candidate, Match, Rule, Trigger};
use crate::token::{entropy, is_placeholder};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KS103",
        name: "aws-session-token",
        severity: Severity::Warning,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for AWS session tokens after their key name (`aws_session_token`, `AWS_SESSION_TOKEN`,
`SessionToken`, `aws_security_token`): a long base64 value.

## Why is this bad?
With its `ASIA…` key ID and secret it is a working credential until it expires (up to 12 hours,
36 for some roles). Finding one in a file usually means a tool wrote temporary credentials to
disk, where they outlive their purpose.

## Example
```ini
aws_session_token = IQoJb3JpZ2luX2Vj…
```

## Fix
Delete it; hand credentials to programs through `credential_process` or the environment of one
process (`keyless exec`), never a file.
"#,
    },
    triggers: &[
        Trigger {
            literal: "aws_session_token",
            case_sensitive: false,
        },
        Trigger {
            literal: "sessiontoken",
            case_sensitive: false,
        },
        Trigger {
            literal: "session_token",
            case_sensitive: false,
        },
        Trigger {
            literal: "aws_security_token",
            case_sensitive: false,
        },
    ],
    check,
};

fn check(c: &Candidate) -> Option<Match> {
    let at = value_after_anchor(c.buf, c.end)?;
    let n = run_len(c.buf, at, |b| is_b64(b) || b == b'=');
    let token = c.buf.get(at..at + n)?;
    if n < 100 || is_placeholder(token) || entropy(token) < 4.5 {
        return None;
    }
    Some(Match {
        start: at,
        end: at + n,
        detail: None,
    })
}

#[cfg(test)]
mod tests {
    use crate::engine::scan_bytes;

    #[test]
    fn long_tokens_after_their_name() {
        let token: String = (0..300)
            .map(|i| {
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                    [(i * 7919 % 64) as usize] as char
            })
            .collect();
        let f = scan_bytes(format!("aws_session_token = {token}\n").as_bytes());
        assert_eq!(f.iter().filter(|f| f.id == "KS103").count(), 1);
        assert!(scan_bytes(b"AWS_SESSION_TOKEN=short")
            .iter()
            .all(|f| f.id != "KS103"));
        assert!(
            scan_bytes(format!("session_token = {}", "A".repeat(200)).as_bytes())
                .iter()
                .all(|f| f.id != "KS103")
        );
    }
}
