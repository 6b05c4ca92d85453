use keyless_catalog::Verdict;
use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD101",
        name: "model-id-missing-version",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for model variables (`ANTHROPIC_MODEL`, `ANTHROPIC_DEFAULT_*_MODEL`, ...) whose value is
shaped like a Bedrock ID of a known Claude model but is not its ID: the version suffix cut off
(`anthropic.claude-sonnet-4-20250514`), truncated (`...-v1` for `...-v1:0`), wrong or added to
an ID that has none (`anthropic.claude-sonnet-4-6-v1:0`), the date missing or wrong, another
case, or whitespace around it.

## Why is this bad?
Claude Code sends the string unchanged in the request path. Bedrock knows the model only as
`anthropic.claude-sonnet-4-20250514-v1:0`, so every request fails with
`400 The provided model identifier is invalid.` This is the first error a reader of the popular
"zero hardcoded keys" guide meets.

## Example
```json
{ "env": { "ANTHROPIC_MODEL": "anthropic.claude-haiku-4-5-20251001" } }
```
Use instead (from a `us-*` region):
```json
{ "env": { "ANTHROPIC_MODEL": "us.anthropic.claude-haiku-4-5-20251001-v1:0" } }
```

## Fix
`keyless doctor --fix` writes the inference-profile ID that works from your region (or a current
model of the same family when the named one has reached end of life). Safe: the old value cannot
work.
"#,
    },
    why: "Bedrock rejects the request with \"The provided model identifier is invalid.\"",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    super::model_findings(cx, &RULE, &[Verdict::MalformedId])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn flags_both_seed_guide_ids_with_their_lines_and_fixes() {
        let fx = seed();
        let f = fx.check(&RULE);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(f[0].line, Some(6));
        assert_eq!(
            f[0].fix.as_ref().unwrap().description,
            "set ANTHROPIC_MODEL to `us.anthropic.claude-sonnet-5`"
        );
        assert_eq!(f[1].line, Some(7));
        assert_eq!(
            f[1].fix.as_ref().unwrap().description,
            "set ANTHROPIC_DEFAULT_HAIKU_MODEL to `us.anthropic.claude-haiku-4-5-20251001-v1:0`"
        );
    }

    #[test]
    fn silent_on_valid_ids_and_outside_bedrock_mode() {
        assert!(good().check(&RULE).is_empty());
        let fx =
            Fixture::new().settings(r#"{"ANTHROPIC_MODEL": "anthropic.claude-sonnet-4-20250514"}"#);
        assert!(fx.check(&RULE).is_empty());
    }
}
