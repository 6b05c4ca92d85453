use keyless_catalog::Verdict;
use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD102",
        name: "model-base-id-without-profile",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for model variables set to a base foundation-model ID (`anthropic.claude-...-v1:0`) of a
model that Bedrock serves only through cross-region inference profiles.

## Why is this bad?
Bedrock answers `Invocation of model ID ... with on-demand throughput isn't supported. Retry your
request with the ID or ARN of an inference profile that contains this model.` The request never
reaches the model.

## Example
```json
{ "env": { "ANTHROPIC_DEFAULT_HAIKU_MODEL": "anthropic.claude-haiku-4-5-20251001-v1:0" } }
```
Use instead (from `eu-west-3`):
```json
{ "env": { "ANTHROPIC_DEFAULT_HAIKU_MODEL": "eu.anthropic.claude-haiku-4-5-20251001-v1:0" } }
```

## Fix
`keyless doctor --fix` writes the profile ID Claude Code would pick for your region (`us.` from
`us-*`, `eu.` from `eu-*`, `apac.`/`jp.`/`au.` from Asia-Pacific, `global.` otherwise). Your IAM
policy must allow that profile and its destination regions: `keyless policy bedrock` writes it.
"#,
    },
    why: "Claude 4-era models cannot be invoked on demand by their base ID, only through an inference profile",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    super::model_findings(cx, &RULE, &[Verdict::NeedsInferenceProfile])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn flags_base_id_and_names_the_regional_profile() {
        let fx = Fixture::new().settings(
            r#"{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "eu-west-3", "ANTHROPIC_MODEL": "anthropic.claude-haiku-4-5-20251001-v1:0"}"#,
        );
        let f = fx.check(&RULE);
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .fix
            .as_ref()
            .unwrap()
            .description
            .contains("eu.anthropic.claude-haiku-4-5-20251001-v1:0"));
        assert_eq!(f[0].fix.as_ref().unwrap().edits.len(), 1);
    }

    #[test]
    fn silent_on_profiles() {
        assert!(good().check(&RULE).is_empty());
    }
}
