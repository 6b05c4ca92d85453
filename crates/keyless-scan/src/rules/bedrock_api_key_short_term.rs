use keyless_rules::{RuleMeta, Severity, Status};

use super::{is_b64, run_len, Candidate, Match, Rule, Trigger};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KS105",
        name: "bedrock-api-key-short-term",
        severity: Severity::Warning,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for short-term Amazon Bedrock API keys: `bedrock-api-key-` followed by the base64 of a
pre-signed `bedrock.amazonaws.com` URL (it starts `YmVkcm9jay5hbWF6b25hd3MuY29t`).

## Why is this bad?
It is a bearer credential carrying the permissions of the principal that made it, valid for up to
12 hours. In a file it outlives its purpose and travels with the file.

## Example
```sh
AWS_BEARER_TOKEN_BEDROCK=bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29tLz9BY3Rpb249…
```

## Fix
Delete it; Claude Code and the SDKs sign requests with IAM credentials from a profile.
"#,
    },
    triggers: &[Trigger {
        literal: "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t",
        case_sensitive: true,
    }],
    check,
};

fn check(c: &Candidate) -> Option<Match> {
    let n = run_len(c.buf, c.end, |b| is_b64(b) || b == b'=' || b == b'%');
    (n >= 40).then_some(Match {
        start: c.start,
        end: c.end + n,
        detail: None,
    })
}

#[cfg(test)]
mod tests {
    use crate::engine::scan_bytes;

    #[test]
    fn presigned_bearer_keys() {
        let body: String = (0..200)
            .map(|i| {
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                    [(i * 31 % 62) as usize] as char
            })
            .collect();
        let t = format!("token: bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t{body}");
        assert_eq!(
            scan_bytes(t.as_bytes())
                .iter()
                .filter(|f| f.id == "KS105")
                .count(),
            1
        );
        assert!(scan_bytes(b"bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t")
            .iter()
            .all(|f| f.id != "KS105"));
    }
}
