use keyless_rules::{RuleMeta, Severity, Status};

use super::{run_len, value_after_anchor, Candidate, Match, Rule, Trigger};
use crate::token::is_placeholder;

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KS106",
        name: "bedrock-bearer-token-assignment",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for a value assigned to `AWS_BEARER_TOKEN_BEDROCK` in any syntax, whatever the value's
shape (the API-key rules catch the known shapes; this one catches the rest).

## Why is this bad?
The variable exists to carry a Bedrock API key, a bearer secret. Claude Code uses it instead of
IAM when it is set.

## Example
```sh
export AWS_BEARER_TOKEN_BEDROCK=…
```

## Fix
Remove it and use an AWS profile (`keyless init`).
"#,
    },
    triggers: &[Trigger {
        literal: "AWS_BEARER_TOKEN_BEDROCK",
        case_sensitive: false,
    }],
    check,
};

fn check(c: &Candidate) -> Option<Match> {
    let at = value_after_anchor(c.buf, c.end)?;
    let n = run_len(c.buf, at, |b| {
        !b.is_ascii_whitespace() && !matches!(b, b'"' | b'\'' | b'`' | b',' | b';' | b'}')
    });
    let v = c.buf.get(at..at + n)?;
    if n < 20 || is_placeholder(v) {
        return None;
    }
    // The long-term and short-term key rules report their own shapes more precisely.
    if v.starts_with(b"ABSK") || v.starts_with(b"bedrock-api-key-") {
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
    fn any_value_of_the_variable() {
        // keyless:allow a made-up value (base64 of words), the rule's own test
        let f = scan_bytes(b"AWS_BEARER_TOKEN_BEDROCK=Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0");
        assert_eq!(f.iter().filter(|f| f.id == "KS106").count(), 1);
        assert!(scan_bytes(b"AWS_BEARER_TOKEN_BEDROCK=${TOKEN}").is_empty());
        assert!(scan_bytes(b"unset AWS_BEARER_TOKEN_BEDROCK").is_empty());
    }
}
