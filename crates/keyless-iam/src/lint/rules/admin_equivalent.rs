use keyless_rules::{RuleMeta, Severity, Status};

use crate::lint::{resource_star, Finding, LintContext, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KP107",
        name: "admin-equivalent",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for `Allow` statements with `"Action": "*"` and `"Resource": "*"` and no condition, the
shape of `AdministratorAccess`.

## Why is this bad?
Whoever holds these credentials owns the account. The seed guide says it too: "Do not use
AdministratorAccess or any wildcard resource."

## Example
```json
{ "Effect": "Allow", "Action": "*", "Resource": "*" }
```
Use instead: `keyless policy bedrock --model M --region R --claude-code`.

## Fix
Replace the statement with the least-privilege policy for the workload.
"#,
    },
    check,
};

fn check(cx: &LintContext) -> Vec<Finding> {
    cx.allows()
        .filter(|s| s.conditions.is_empty())
        .filter(|s| {
            s.action.as_ref().is_some_and(|a| {
                !a.not && a.items.iter().any(|i| i.value == "*" || i.value == "*:*")
            })
        })
        .filter(|s| resource_star(s).is_some())
        .map(|s| {
            RULE.finding(
                s.loc,
                "this statement allows every action on every resource: it is administrator access",
            )
            .fix("replace it with the policy `keyless policy bedrock` generates")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::run_rule;

    #[test]
    fn admin_shape_only_without_condition() {
        assert_eq!(
            run_rule(
                &RULE,
                r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#
            )
            .len(),
            1
        );
        assert!(run_rule(&RULE, r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}}"#).is_empty());
    }
}
