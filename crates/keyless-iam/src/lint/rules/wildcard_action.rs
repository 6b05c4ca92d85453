use keyless_rules::{RuleMeta, Severity, Status};

use crate::lint::{Finding, LintContext, Rule};
use crate::policy::Effect;

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KP102",
        name: "wildcard-action",
        severity: Severity::Warning,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks `Allow` statements for `"Action": "*"` or a whole service (`"bedrock:*"`).

## Why is this bad?
`bedrock:*` grants more than 250 actions, including creating and deleting agents, knowledge
bases, guardrails and provisioned throughput (which bills by the hour). Running Claude needs four.

## Example
```json
{ "Effect": "Allow", "Action": "bedrock:*", "Resource": "*" }
```
Use instead: the actions Claude Code needs, as `keyless policy bedrock --claude-code` writes them.

## Fix
List the actions. `keyless sandbox --emit-policy` records the ones a client really calls.
"#,
    },
    check,
};

fn check(cx: &LintContext) -> Vec<Finding> {
    cx.policy
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow)
        .flat_map(|s| s.action.iter().filter(|a| !a.not).flat_map(|a| &a.items))
        .filter(|i| i.value == "*" || i.value.ends_with(":*"))
        .map(|i| {
            RULE.finding(
                i.loc,
                format!(
                    "`{}` allows every action{}",
                    i.value,
                    if i.value == "*" {
                        " of every service"
                    } else {
                        " of the service"
                    }
                ),
            )
            .fix("list the actions the workload calls")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::run_rule;

    #[test]
    fn flags_star_and_service_star_in_allows_only() {
        assert_eq!(run_rule(&RULE, r#"{"Statement":[{"Effect":"Allow","Action":["bedrock:*","*","bedrock:Invoke*"],"Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*"}]}"#).len(), 2);
    }
}
