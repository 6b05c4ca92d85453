use keyless_rules::{RuleMeta, Severity, Status};

use crate::lint::{Finding, LintContext, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KP104",
        name: "not-action-with-allow",
        severity: Severity::Warning,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for `NotAction` in an `Allow` statement.

## Why is this bad?
`Allow` + `NotAction` allows every action of every service except those listed, including
actions AWS adds later. It is almost always meant as a `Deny`. On `"Resource": "*"` it is an
error: `Allow NotAction iam:*` on `*` is administrator access to every other service (and the
AWS managed `PowerUserAccess` policy is exactly that); on a narrower resource it is a warning.

## Example
```json
{ "Effect": "Allow", "NotAction": "iam:*", "Resource": "*" }
```
Use instead: an `Allow` listing the actions, plus a `Deny` with `NotAction` if you need a guard.

## Fix
Rewrite as an explicit `Action` list.
"#,
    },
    check,
};

fn check(cx: &LintContext) -> Vec<Finding> {
    cx.allows()
        .filter_map(|s| s.action.as_ref().filter(|a| a.not).map(|a| (s, a)))
        .map(|(s, a)| match crate::lint::resource_star(s) {
            Some(_) => RULE
                .finding(a.loc, "`NotAction` in an `Allow` statement on `\"Resource\": \"*\"` allows every other action of every service, including future ones: near-administrator access")
                .severity(Severity::Error),
            None => RULE.finding(a.loc, "`NotAction` in an `Allow` statement allows every other action, including future ones"),
        }
        .fix("list the allowed actions in `Action`"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::run_rule;

    #[test]
    fn only_in_allow() {
        assert_eq!(run_rule(&RULE, r#"{"Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"},{"Effect":"Deny","NotAction":"iam:*","Resource":"*"}]}"#).len(), 1);
    }

    #[test]
    fn an_error_on_every_resource_a_warning_on_fewer() {
        let f = run_rule(
            &RULE,
            r#"{"Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#,
        );
        assert_eq!(f[0].severity, Severity::Error);
        assert!(f[0].message.contains("near-administrator"));
        let f = run_rule(
            &RULE,
            r#"{"Statement":[{"Effect":"Allow","NotAction":"s3:DeleteObject","Resource":"arn:aws:s3:::b/*"}]}"#,
        );
        assert_eq!(f[0].severity, Severity::Warning);
    }
}
