use keyless_rules::{RuleMeta, Severity, Status};

use super::{boundary_after, run_len, Candidate, Match, Rule, Trigger};
use crate::token::is_placeholder;

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KS107",
        name: "anthropic-api-key",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for Anthropic API keys: `sk-ant-api03-` followed by 93 characters and `AA` (108 in all).

## Why is this bad?
It bills Anthropic's API directly, outside AWS and outside your IAM controls; next to a Bedrock
setup it is also a sign of a configuration that is not what it seems.

## Example
```sh
ANTHROPIC_API_KEY=sk-ant-api03-…AA
```

## Fix
Revoke it in the Anthropic Console and remove it; on Bedrock, Claude Code needs no Anthropic key.
"#,
    },
    triggers: &[Trigger {
        literal: "sk-ant-api03-",
        case_sensitive: true,
    }],
    check,
};

pub(crate) fn key_body(c: &Candidate) -> Option<Match> {
    let n = run_len(c.buf, c.end, |b| {
        b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
    });
    let end = c.end + n;
    if n != 95
        || &c.buf[end - 2..end] != b"AA"
        || !boundary_after(c.buf, end)
        || is_placeholder(&c.buf[c.end..end])
    {
        return None;
    }
    Some(Match {
        start: c.start,
        end,
        detail: None,
    })
}

fn check(c: &Candidate) -> Option<Match> {
    key_body(c)
}

#[cfg(test)]
mod tests {
    use crate::engine::scan_bytes;

    pub(crate) fn body() -> String {
        (0..93)
            .map(|i| {
                b"abcdefghijkmnopqrstuvwxyzABCDEFGHIJKLMNPQRSTUVWXYZ0123456789_-"
                    [(i * 37 % 62) as usize] as char
            })
            .collect()
    }

    #[test]
    fn exact_length_and_suffix() {
        let k = format!("sk-ant-api03-{}AA", body());
        assert_eq!(
            scan_bytes(format!("ANTHROPIC_API_KEY={k}").as_bytes())
                .iter()
                .filter(|f| f.id == "KS107")
                .count(),
            1
        );
        assert!(scan_bytes(format!("sk-ant-api03-{}AB", body()).as_bytes()).is_empty());
        assert!(scan_bytes(format!("sk-ant-api03-{}AAx", body()).as_bytes()).is_empty());
    }
}
