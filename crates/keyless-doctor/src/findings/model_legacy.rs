use keyless_catalog::Verdict;
use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD105",
        name: "model-legacy",
        severity: Severity::Warning,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for model variables naming a model in Bedrock's Legacy state.

## Why is this bad?
AWS: "New customers can't use Legacy models and existing customers may lose access to Legacy
models after 15 days of inactivity." The setup works today for some accounts and will stop on the
end-of-life date.

## Example
```json
{ "env": { "ANTHROPIC_MODEL": "us.anthropic.claude-sonnet-4-5-20250929-v1:0" } }
```
Use instead: an active model (`keyless models --region REGION`).

## Fix
Choose a newer model of the same family. `--fix` does not change a model that still works.
"#,
    },
    why: "a Legacy model is closed to new AWS accounts and has an announced end-of-life date",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    super::model_findings(cx, &RULE, &[Verdict::Legacy])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn warns_with_the_eol_date_and_offers_no_edit() {
        let fx = Fixture::new().settings(
            r#"{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1", "ANTHROPIC_MODEL": "us.anthropic.claude-sonnet-4-5-20250929-v1:0"}"#,
        );
        let f = fx.check(&RULE);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(f[0].message.contains("2027-04-08"));
    }

    #[test]
    fn silent_on_active_models() {
        assert!(good().check(&RULE).is_empty());
    }
}
