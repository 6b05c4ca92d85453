use keyless_rules::{RuleMeta, Severity, Status};

use crate::lint::{principal_is_everyone, Finding, LintContext, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KP304",
        name: "principal-star-without-condition",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for `Allow` statements in trust and resource policies whose principal is everyone
(`"Principal": "*"` or `{"AWS": "*"}`) with no condition.

## Why is this bad?
Any AWS principal in any account (and, for some resources, anonymous callers) gets the access.
On a role's trust policy it means anyone can assume the role.

## Example
```json
{ "Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole" }
```
Use instead: name the principals, or add a condition such as `aws:PrincipalOrgID`.

## Fix
Replace `*` with the account or role ARNs that need access.
"#,
    },
    check,
};

fn check(cx: &LintContext) -> Vec<Finding> {
    cx.allows()
        .filter(|s| principal_is_everyone(s) && s.conditions.is_empty())
        .map(|s| RULE.finding(s.principal.as_ref().map(|p| p.loc).unwrap_or(s.loc), "`Principal: *` with no condition allows every AWS principal in every account").fix("name the principals, or add an `aws:PrincipalOrgID` / `aws:SourceAccount` condition"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::run_rule;

    #[test]
    fn star_principal() {
        assert_eq!(run_rule(&RULE, r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}}"#).len(), 1);
        assert!(run_rule(&RULE, r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}}"#).is_empty());
    }
}
