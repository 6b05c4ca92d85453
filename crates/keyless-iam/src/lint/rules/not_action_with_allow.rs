use keyless_catalog::Severity;

use crate::lint::{Finding, LintContext, Rule};

pub(crate) const RULE: Rule = Rule {
    id: "KP104",
    name: "not-action-with-allow",
    severity: Severity::Warning,
    since: "0.1.0",
    doc: r#"
## What it does
Checks for `NotAction` in an `Allow` statement.

## Why is this bad?
`Allow` + `NotAction` allows every action of every service except those listed, including
actions AWS adds later. It is almost always meant as a `Deny`.

## Example
```json
{ "Effect": "Allow", "NotAction": "iam:*", "Resource": "*" }
```
Use instead: an `Allow` listing the actions, plus a `Deny` with `NotAction` if you need a guard.

## Fix
Rewrite as an explicit `Action` list.
"#,
    check,
};

fn check(cx: &LintContext) -> Vec<Finding> {
    cx.allows()
        .filter_map(|s| s.action.as_ref().filter(|a| a.not))
        .map(|a| RULE.finding(a.loc, "`NotAction` in an `Allow` statement allows every other action, including future ones").fix("list the allowed actions in `Action`"))
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
}
