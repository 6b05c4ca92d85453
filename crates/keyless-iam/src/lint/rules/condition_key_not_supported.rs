use keyless_rules::{RuleMeta, Severity, Status};

use crate::lint::{Finding, LintContext, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KP108",
        name: "condition-key-not-supported",
        severity: Severity::Warning,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks that every service-specific condition key in a statement is supported by at least one of
the statement's actions (global `aws:` keys are always accepted).

## Why is this bad?
A key the action never sends is missing from every request: in an `Allow` the statement never
applies, in a `Deny` it never denies (or, with a negated operator, always does). Either way the
policy does not do what it says.

## Example
```json
{ "Effect": "Allow", "Action": "bedrock:ListInferenceProfiles", "Resource": "*",
  "Condition": { "StringLike": { "bedrock:InferenceProfileArn": "arn:aws:bedrock:*:*:inference-profile/us.*" } } }
```

## Fix
Move the condition to a statement whose actions support the key, or drop it.
"#,
    },
    check,
};

fn check(cx: &LintContext) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in &cx.policy.statements {
        let actions = cx.actions_of(s);
        if actions.is_empty() {
            continue;
        }
        for c in &s.conditions {
            let service = c.key.split(':').next().unwrap_or("");
            if !cx.data.services.contains_key(&service.to_ascii_lowercase()) {
                continue;
            }
            let supported = actions.iter().any(|(svc, a)| {
                cx.data
                    .action(svc, a)
                    .is_some_and(|act| cx.data.supports_condition_key(svc, act, &c.key))
            });
            if !supported {
                let names: Vec<String> = actions
                    .iter()
                    .take(3)
                    .map(|(s, a)| format!("{s}:{a}"))
                    .collect();
                out.push(
                    RULE.finding(c.loc, format!("`{}` is not a condition key of {}; requests for them never carry it", c.key, names.join(", ")))
                        .fix("use a key the actions support (see the Service Authorization Reference) or remove the condition"),
                );
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
    fn unsupported_service_key() {
        let f = run_rule(
            &RULE,
            r#"{"Statement":{"Effect":"Allow","Action":"bedrock:ListInferenceProfiles","Resource":"*","Condition":{"StringLike":{"bedrock:InferenceProfileArn":"x","aws:SourceIp":"1.2.3.4"}}}}"#,
        );
        assert_eq!(f.len(), 1);
        assert!(run_rule(&RULE, r#"{"Statement":{"Effect":"Allow","Action":"bedrock:InvokeModel","Resource":"*","Condition":{"StringLike":{"bedrock:InferenceProfileArn":"x"}}}}"#).is_empty());
    }
}
