use keyless_rules::{RuleMeta, Severity, Status};

use super::trust::{conditions_on, github_oidc_statements};
use crate::lint::{Finding, LintContext, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KP301",
        name: "github-oidc-audience-missing",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks that a trust policy for GitHub Actions OIDC (`token.actions.githubusercontent.com`)
requires `token.actions.githubusercontent.com:aud` to equal `sts.amazonaws.com`.

## Why is this bad?
The audience says the token was minted for AWS. Without the check, a token GitHub issued for any
other audience (another cloud, another tool) can assume the role.

## Example
```json
{ "Effect": "Allow", "Principal": { "Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" },
  "Action": "sts:AssumeRoleWithWebIdentity",
  "Condition": { "StringLike": { "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main" } } }
```
Use instead: add `"StringEquals": { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }`.

## Fix
`keyless policy trust --github OWNER/REPO --branch main` writes a complete trust policy.
"#,
    },
    check,
};

fn check(cx: &LintContext) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in github_oidc_statements(cx) {
        let aud = conditions_on(s, "token.actions.githubusercontent.com:aud");
        let ok = aud.iter().any(|(op, vals, _)| {
            op.starts_with("StringEquals")
                && !op.contains("Not")
                && vals.iter().all(|v| *v == "sts.amazonaws.com")
        });
        if !ok {
            out.push(
                RULE.finding(s.loc, "the GitHub OIDC trust does not require the audience `sts.amazonaws.com`")
                    .fix("add \"StringEquals\": {\"token.actions.githubusercontent.com:aud\": \"sts.amazonaws.com\"}"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::run_rule;

    const P: &str = r#"{"Statement":{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{COND}}}"#;

    #[test]
    fn audience_required() {
        assert_eq!(run_rule(&RULE, &P.replace("{COND}", r#"{"StringEquals":{"token.actions.githubusercontent.com:sub":"repo:a/b:ref:refs/heads/main"}}"#)).len(), 1);
        assert!(run_rule(&RULE, &P.replace("{COND}", r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}"#)).is_empty());
    }
}
