use keyless_catalog::Verdict;
use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD104",
        name: "model-end-of-life",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for model variables naming a model that has reached end of life on Bedrock, per the dates
in keyless's catalog (AWS's model lifecycle page).

## Why is this bad?
On or shortly after the EOL date the model is removed from every region; requests fail. Claude
Code itself prints a warning such as `Claude Sonnet 4 was retired on October 14, 2026`.

## Example
```json
{ "env": { "ANTHROPIC_MODEL": "us.anthropic.claude-sonnet-4-20250514-v1:0" } }
```
Use instead: the newest active model of the same family that your region can call, as
`keyless models --region REGION` lists.

## Fix
`keyless doctor --fix` writes the current model of the same family. The answers may differ from
the retired model's; review the choice.
"#,
    },
    why: "after its end-of-life date Bedrock no longer serves the model and every request fails",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    super::model_findings(cx, &RULE, &[Verdict::EndOfLife])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn flags_sonnet_4_in_the_seed_setup() {
        let f = seed().check(&RULE);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message
                .contains("Claude Sonnet 4 reached end of life on Bedrock on 2026-10-14"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].line, Some(6));
    }

    #[test]
    fn silent_on_active_models() {
        assert!(good().check(&RULE).is_empty());
    }
}
