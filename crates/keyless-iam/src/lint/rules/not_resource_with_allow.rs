use keyless_rules::{RuleMeta, Severity, Status};

use crate::lint::{Finding, LintContext, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KP105",
        name: "not-resource-with-allow",
        severity: Severity::Warning,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for `NotResource` in an `Allow` statement.

## Why is this bad?
It allows the actions on every resource except those listed, in every account and region, now
and later.

## Example
```json
{ "Effect": "Allow", "Action": "bedrock:InvokeModel", "NotResource": "arn:aws:bedrock:*::foundation-model/anthropic.claude-3*" }
```

## Fix
List the resources that are allowed in `Resource`.
"#,
    },
    check,
};

fn check(cx: &LintContext) -> Vec<Finding> {
    cx.allows()
        .filter_map(|s| s.resource.as_ref().filter(|r| r.not))
        .map(|r| {
            RULE.finding(
                r.loc,
                "`NotResource` in an `Allow` statement allows every other resource",
            )
            .fix("list the allowed resources in `Resource`")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::run_rule;

    #[test]
    fn flags_allow_not_resource() {
        assert_eq!(run_rule(&RULE, r#"{"Statement":{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::x/*"}}"#).len(), 1);
    }
}
