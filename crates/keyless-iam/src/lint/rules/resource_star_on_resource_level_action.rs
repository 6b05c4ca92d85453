use keyless_rules::{RuleMeta, Severity, Status};

use crate::lint::{resource_star, Finding, LintContext, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KP103",
        name: "resource-star-on-resource-level-action",
        severity: Severity::Warning,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks `Allow` statements with `"Resource": "*"` whose actions support resource-level
permissions (per the Service Authorization Reference).

## Why is this bad?
`bedrock:InvokeModel` on `*` allows every model and profile in every region, including ones you
never meant to pay for. Actions without resource-level permissions (`ListInferenceProfiles`,
`ListFoundationModels`, `sts:GetCallerIdentity`) must use `*` and are not flagged.

## Example
```json
{ "Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": "*" }
```
Use instead: the inference-profile and foundation-model ARNs, as `keyless policy bedrock` writes them.

## Fix
Name the resources, or split list-style actions into their own statement on `*`.
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
        let scoped: Vec<String> = cx
            .actions_of(s)
            .into_iter()
            .filter(|(svc, a)| {
                cx.data
                    .action(svc, a)
                    .is_some_and(|a| !a.resources.is_empty())
            })
            .map(|(svc, a)| format!("{svc}:{a}"))
            .collect();
        // `*` or `service:*` is KP102's business; do not repeat it here.
        let only_wildcards = s.action.as_ref().is_some_and(|a| {
            a.items
                .iter()
                .all(|i| i.value == "*" || i.value.ends_with(":*"))
        });
        if !scoped.is_empty() && !only_wildcards {
            let shown = if scoped.len() > 3 {
                format!("{} and {} more", scoped[..3].join(", "), scoped.len() - 3)
            } else {
                scoped.join(", ")
            };
            out.push(
                RULE.finding(
                    star.loc,
                    format!(
                        "`Resource: \"*\"` on {shown}, which {} resource-level permissions",
                        if scoped.len() == 1 {
                            "supports"
                        } else {
                            "support"
                        }
                    ),
                )
                .fix("name the resource ARNs these actions may use"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::run_rule;

    #[test]
    fn one_action_reads_in_the_singular() {
        let f = run_rule(
            &RULE,
            r#"{"Statement":[{"Effect":"Allow","Action":"bedrock:InvokeModel","Resource":"*"}]}"#,
        );
        assert!(
            f[0].message
                .ends_with("bedrock:InvokeModel, which supports resource-level permissions"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn list_actions_on_star_are_fine_invoke_is_not() {
        assert!(run_rule(&RULE, r#"{"Statement":{"Effect":"Allow","Action":["bedrock:ListInferenceProfiles","sts:GetCallerIdentity"],"Resource":"*"}}"#).is_empty());
        let f = run_rule(
            &RULE,
            r#"{"Statement":{"Effect":"Allow","Action":["bedrock:InvokeModel","bedrock:ListInferenceProfiles"],"Resource":"*"}}"#,
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("bedrock:InvokeModel"));
    }
}
