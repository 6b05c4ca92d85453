use keyless_rules::{RuleMeta, Severity, Status};

use crate::lint::{resource_star, Finding, LintContext, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KP106",
        name: "pass-role-on-star",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for `Allow` statements that grant `iam:PassRole` (directly or through `iam:*` / `*`) on
`"Resource": "*"`.

## Why is this bad?
Passing any role to a service is a privilege escalation: the caller can hand an administrator
role to a Lambda function, an ECS task or a Bedrock agent and act through it (Access Analyzer
`PASS_ROLE_WITH_STAR_IN_RESOURCE`).

## Example
```json
{ "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*" }
```
Use instead:
```json
{ "Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/BedrockAgentRole",
  "Condition": { "StringEquals": { "iam:PassedToService": "bedrock.amazonaws.com" } } }
```

## Fix
Name the roles and add `iam:PassedToService`.
"#,
    },
    check,
};

fn check(cx: &LintContext) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in cx.allows() {
        let Some(star) = resource_star(s) else {
            continue;
        };
        if cx.actions_of(s).contains(&("iam", "PassRole")) {
            out.push(RULE.finding(star.loc, "`iam:PassRole` on `*` lets the caller pass any role, including administrator roles, to a service").fix("name the roles, and restrict `iam:PassedToService`"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::run_rule;

    #[test]
    fn pass_role_star() {
        assert_eq!(
            run_rule(
                &RULE,
                r#"{"Statement":{"Effect":"Allow","Action":"iam:Pass*","Resource":"*"}}"#
            )
            .len(),
            1
        );
        assert!(run_rule(&RULE, r#"{"Statement":{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::1:role/x"}}"#).is_empty());
    }
}
