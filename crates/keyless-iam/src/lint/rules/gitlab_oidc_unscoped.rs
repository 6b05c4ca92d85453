use keyless_rules::{RuleMeta, Severity, Status};

use super::trust::{conditions_on, federated};
use crate::lint::{Finding, LintContext, PolicyType, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KP303",
        name: "gitlab-oidc-unscoped",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks a GitLab OIDC trust (`oidc-provider/gitlab.com` or a self-managed GitLab host) for an
`aud` condition and a `sub` condition that names one project and a ref.

## Why is this bad?
As with GitHub, every project on the instance gets tokens from the same issuer. `project_path:group/*`
also matches sub-groups; `ref_type:*` and `ref:*` admit merge-request branches.

## Example
```json
"Condition": { "StringLike": { "gitlab.com:sub": "project_path:mygroup/*" } }
```
Use instead:
```json
"Condition": { "StringEquals": { "gitlab.com:aud": "https://gitlab.com",
  "gitlab.com:sub": "project_path:mygroup/myproject:ref_type:branch:ref:main" } }
```

## Fix
`keyless policy trust --gitlab mygroup/myproject --ref main`.
"#,
    },
    check,
};

fn check(cx: &LintContext) -> Vec<Finding> {
    if cx.kind != PolicyType::Trust {
        return Vec::new();
    }
    let mut out = Vec::new();
    for s in &cx.policy.statements {
        let Some(host) = federated(s).into_iter().find_map(|f| {
            f.split_once("oidc-provider/")
                .map(|(_, h)| h)
                .filter(|h| h.contains("gitlab"))
        }) else {
            continue;
        };
        if conditions_on(s, &format!("{host}:aud")).is_empty() {
            out.push(
                RULE.finding(
                    s.loc,
                    format!("the GitLab OIDC trust has no `{host}:aud` condition"),
                )
                .fix(format!("require `{host}:aud` = `https://{host}`")),
            );
        }
        let subs = conditions_on(s, &format!("{host}:sub"));
        if subs.is_empty() {
            out.push(RULE.finding(s.loc, format!("the GitLab OIDC trust has no `{host}:sub` condition: every project on {host} can assume this role")));
        }
        for (_, values, loc) in subs {
            for v in values {
                let broad = !v.starts_with("project_path:") && !v.starts_with("project_id:")
                    || v.contains("/*")
                    || v.ends_with(":*")
                    || v.contains("ref_type:*");
                if broad {
                    out.push(
                        RULE.finding(loc, format!("`{v}` admits more than one project or ref"))
                            .fix("name the project and `ref_type:branch:ref:BRANCH`"),
                    );
                }
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
    fn gitlab_scoping() {
        let p = r#"{"Statement":{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::1:oidc-provider/gitlab.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{COND}}}"#;
        assert_eq!(
            run_rule(
                &RULE,
                &p.replace(
                    "{COND}",
                    r#"{"StringLike":{"gitlab.com:sub":"project_path:g/*"}}"#
                )
            )
            .len(),
            2
        );
        assert!(run_rule(&RULE, &p.replace("{COND}", r#"{"StringEquals":{"gitlab.com:aud":"https://gitlab.com","gitlab.com:sub":"project_path:g/p:ref_type:branch:ref:main"}}"#)).is_empty());
    }
}
