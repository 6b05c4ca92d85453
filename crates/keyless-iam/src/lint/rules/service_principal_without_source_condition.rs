use keyless_rules::{RuleMeta, Severity, Status};

use crate::lint::{Finding, LintContext, PolicyType, Rule};
use crate::policy::{Effect, PrincipalKind, Principals};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KP305",
        name: "service-principal-without-source-condition",
        severity: Severity::Warning,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks trust policies that let an AWS service assume the role, for services documented to send
`aws:SourceArn` / `aws:SourceAccount`, for a condition on one of those keys.

## Why is this bad?
Without it the role is open to the confused-deputy problem: another account's resource in the
same service can be configured to act with your role. EC2 and Lambda do not send these keys, so
they are not flagged (adding the condition there breaks the role).

## Example
```json
{ "Effect": "Allow", "Principal": { "Service": "ecs-tasks.amazonaws.com" }, "Action": "sts:AssumeRole" }
```
Use instead: add `"Condition": { "StringEquals": { "aws:SourceAccount": "111122223333" } }`
(and `ArnLike` on `aws:SourceArn` where you can).

## Fix
`keyless policy trust --ecs --account ID` writes it.
"#,
    },
    check,
};

/// Services documented to pass aws:SourceArn / aws:SourceAccount when assuming a role.
const SENDS_SOURCE: &[&str] = &[
    "ecs-tasks.amazonaws.com",
    "bedrock.amazonaws.com",
    "events.amazonaws.com",
    "states.amazonaws.com",
    "scheduler.amazonaws.com",
    "sns.amazonaws.com",
];

fn check(cx: &LintContext) -> Vec<Finding> {
    if cx.kind != PolicyType::Trust {
        return Vec::new();
    }
    let mut out = Vec::new();
    for s in cx
        .policy
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow)
    {
        let Some(Principals::Map(m)) = s
            .principal
            .as_ref()
            .filter(|p| !p.not)
            .map(|p| &p.principals)
        else {
            continue;
        };
        let services: Vec<&str> = m
            .iter()
            .filter(|(k, _)| *k == PrincipalKind::Service)
            .flat_map(|(_, i)| i.iter().map(|x| x.value.as_str()))
            .collect();
        let has_source = s.conditions.iter().any(|c| {
            c.key.eq_ignore_ascii_case("aws:SourceArn")
                || c.key.eq_ignore_ascii_case("aws:SourceAccount")
        });
        for svc in services {
            if SENDS_SOURCE.contains(&svc) && !has_source {
                out.push(RULE.finding(s.loc, format!("`{svc}` can assume this role on behalf of any account's resources: no `aws:SourceAccount` or `aws:SourceArn` condition")).fix("add StringEquals aws:SourceAccount = your account ID"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::run_rule;

    #[test]
    fn ecs_needs_source_ec2_does_not() {
        assert_eq!(run_rule(&RULE, r#"{"Statement":{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}}"#).len(), 1);
        assert!(run_rule(&RULE, r#"{"Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}"#).is_empty());
        assert!(run_rule(&RULE, r#"{"Statement":{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"1"}}}}"#).is_empty());
    }
}
