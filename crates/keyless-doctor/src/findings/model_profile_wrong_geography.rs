use keyless_catalog::Verdict;
use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD103",
        name: "model-profile-wrong-geography",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for inference-profile IDs that cannot be called from the region Claude Code uses, such as
an `eu.` profile used from `us-west-2`, or a prefix the model has no profile for.

## Why is this bad?
Each system-defined profile exists only in its source regions. From any other region Bedrock
answers `The provided model identifier is invalid.`

## Example
```json
{ "env": { "AWS_REGION": "us-west-2", "ANTHROPIC_MODEL": "eu.anthropic.claude-haiku-4-5-20251001-v1:0" } }
```
Use instead:
```json
{ "env": { "AWS_REGION": "us-west-2", "ANTHROPIC_MODEL": "us.anthropic.claude-haiku-4-5-20251001-v1:0" } }
```

## Fix
`keyless doctor --fix` writes the profile that is callable from your region. If you meant to use
the other geography, change `AWS_REGION` instead.
"#,
    },
    why: "an inference profile can only be called from its own source regions",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    super::model_findings(cx, &RULE, &[Verdict::WrongGeography])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn flags_eu_profile_from_us_region() {
        let fx = Fixture::new().settings(
            r#"{"CLAUDE_CODE_USE_BEDROCK": "true", "AWS_REGION": "us-west-2", "ANTHROPIC_MODEL": "eu.anthropic.claude-haiku-4-5-20251001-v1:0"}"#,
        );
        let f = fx.check(&RULE);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("us-west-2"), "{}", f[0].message);
        assert!(f[0]
            .fix
            .as_ref()
            .unwrap()
            .description
            .contains("us.anthropic.claude-haiku"));
    }

    #[test]
    fn silent_when_region_matches() {
        assert!(good().check(&RULE).is_empty());
    }
}
