use keyless_catalog::Verdict;
use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD106",
        name: "model-unknown",
        severity: Severity::Warning,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for model strings that keyless's catalog cannot confirm: IDs it has never seen (perhaps
newer than the catalog), application-inference-profile or provisioned-model ARNs, and Claude Code
aliases such as `sonnet`.

## Why is this bad?
It may be fine. keyless never calls an unknown ID invalid; it says what it cannot check.
An unknown ID is a warning because a typo looks the same as a brand-new model.

## Example
```json
{ "env": { "ANTHROPIC_MODEL": "us.anthropic.claude-sonnet-9" } }
```

## Fix
Run `keyless doctor --live`, which asks Bedrock about the exact string, or pick an ID from
`keyless models`.
"#,
    },
    why: "keyless cannot vouch for a model string its catalog does not know; Bedrock can",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    super::model_findings(
        cx,
        &RULE,
        &[
            Verdict::Unknown,
            Verdict::NeedsLiveCheck,
            Verdict::ClaudeCodeAlias,
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn unknown_is_a_warning_and_arn_is_info() {
        let fx = Fixture::new().settings(
            r#"{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1", "ANTHROPIC_MODEL": "us.anthropic.claude-sonnet-9", "ANTHROPIC_DEFAULT_OPUS_MODEL": "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/x1"}"#,
        );
        let f = fx.check(&RULE);
        let sev: Vec<_> = f.iter().map(|f| f.severity).collect();
        assert_eq!(sev, [Severity::Warning, Severity::Info]);
        assert!(f[0].message.contains("--live"));
    }

    #[test]
    fn silent_on_known_ids() {
        assert!(good().check(&RULE).is_empty());
    }
}
