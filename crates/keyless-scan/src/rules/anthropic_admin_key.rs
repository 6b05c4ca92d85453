use keyless_rules::{RuleMeta, Severity, Status};

use super::{Candidate, Match, Rule, Trigger};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KS108",
        name: "anthropic-admin-key",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for Anthropic Admin API keys: `sk-ant-admin01-` followed by 93 characters and `AA`.

## Why is this bad?
An admin key manages the whole Anthropic organisation: members, workspaces and API keys.

## Example
```sh
ANTHROPIC_ADMIN_KEY=sk-ant-admin01-…AA
```

## Fix
Revoke it in the Anthropic Console and remove it from the file and its history.
"#,
    },
    triggers: &[Trigger {
        literal: "sk-ant-admin01-",
        case_sensitive: true,
    }],
    check,
};

fn check(c: &Candidate) -> Option<Match> {
    super::anthropic_api_key::key_body(c)
}

#[cfg(test)]
mod tests {
    use crate::engine::scan_bytes;

    #[test]
    fn admin_keys() {
        let body: String = (0..93)
            .map(|i| {
                b"abcdefghijkmnopqrstuvwxyzABCDEFGHIJKLMNPQRSTUVWXYZ0123456789_-"
                    [(i * 41 % 62) as usize] as char
            })
            .collect();
        assert_eq!(
            scan_bytes(format!("k=sk-ant-admin01-{body}AA").as_bytes())
                .iter()
                .filter(|f| f.id == "KS108")
                .count(),
            1
        );
    }
}
