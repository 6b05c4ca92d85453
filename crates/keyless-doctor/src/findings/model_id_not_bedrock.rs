use keyless_catalog::Verdict;
use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD107",
        name: "model-id-not-bedrock",
        severity: Severity::Error,
        since: "0.2.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for model variables whose value is not a Bedrock model ID at all: the Anthropic API's ID
of a model (`claude-sonnet-4-5-20250929`, `claude-sonnet-4-5`), an alias or display name
(`sonnet-4.5`, `haiku 4.5`, `Claude Sonnet 4.5`), a Claude Code alias written in another case or
with whitespace, or any string without Bedrock's `provider.model` form. (An empty value is
no finding: Claude Code ignores an empty variable, and so does the doctor.)

## Why is this bad?
These strings name a model a person has in mind, and they work elsewhere: the Anthropic API
takes `claude-sonnet-4-5-20250929`, docs and chat say "Sonnet 4.5". On Bedrock, Claude Code puts
the string into the request path unchanged, and every request fails with
`400 The provided model identifier is invalid.` The catalog knows which model was meant, so the
finding names the exact ID to write.

## Example
```json
{ "env": { "ANTHROPIC_MODEL": "claude-sonnet-4-5-20250929" } }
```
Use instead (from a `us-*` region):
```json
{ "env": { "ANTHROPIC_MODEL": "us.anthropic.claude-sonnet-4-5-20250929-v1:0" } }
```

## Fix
`keyless doctor --fix` writes the inference-profile ID of the same model that works from your
region (or a current model of the family when that one has reached end of life).
`keyless models resolve STRING` shows the verdict for any string.
"#,
    },
    why: "Claude Code sends the string to Bedrock unchanged, and Bedrock answers \"The provided model identifier is invalid.\"",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    super::model_findings(cx, &RULE, &[Verdict::AnthropicApiId, Verdict::NotAnId])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    fn bedrock(model: &str) -> Fixture {
        Fixture::new().settings(&format!(
            r#"{{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1", "ANTHROPIC_MODEL": "{model}"}}"#
        ))
    }

    #[test]
    fn the_anthropic_api_id_is_an_error_naming_the_bedrock_id() {
        let f = bedrock("claude-sonnet-4-5-20250929").check(&RULE);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Error);
        assert!(f[0]
            .message
            .contains("Anthropic API's ID for Claude Sonnet 4.5"));
        assert_eq!(
            f[0].fix.as_ref().unwrap().description,
            "set ANTHROPIC_MODEL to `us.anthropic.claude-sonnet-4-5-20250929-v1:0`"
        );
    }

    #[test]
    fn aliases_and_names_are_errors_with_the_id_to_write() {
        for s in [
            "sonnet-4.5",
            "haiku 4.5",
            "Claude Haiku 4.5",
            "claude-haiku-4-5",
        ] {
            let f = bedrock(s).check(&RULE);
            assert_eq!(f.len(), 1, "{s}: {f:#?}");
            assert_eq!(f[0].severity, Severity::Error, "{s}");
            assert!(
                f[0].fix
                    .as_ref()
                    .unwrap()
                    .description
                    .ends_with("claude-haiku-4-5-20251001-v1:0`")
                    || s.starts_with("sonnet"),
                "{s}: {:?}",
                f[0].fix
            );
        }
    }

    #[test]
    fn valid_ids_claude_code_aliases_and_empty_values_are_silent() {
        assert!(bedrock("").check(&RULE).is_empty());
        assert!(bedrock("sonnet").check(&RULE).is_empty());
        assert!(bedrock("us.anthropic.claude-sonnet-5")
            .check(&RULE)
            .is_empty());
        assert!(good().check(&RULE).is_empty());
    }
}
