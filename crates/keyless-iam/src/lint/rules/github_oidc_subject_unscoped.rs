use keyless_rules::{RuleMeta, Severity, Status};

use super::trust::{conditions_on, github_oidc_statements};
use crate::lint::{Finding, LintContext, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KP302",
        name: "github-oidc-subject-unscoped",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks the `token.actions.githubusercontent.com:sub` condition of a GitHub Actions OIDC trust:
it must exist and name one repository, and should name a branch, tag or environment.

## Why is this bad?
Every repository on github.com gets tokens from the same issuer. Without `sub` (or with `*`,
`repo:*`), any workflow in any repository on GitHub can assume the role (Datadog Security Labs,
"No keys attached", 2023). `repo:ORG/*` admits every repository of the organisation, and
`repo:ORG/REPO:*` every branch and every pull request. A wildcard under `StringEquals` matches
nothing at all, and `ForAllValues:`/`ForAnyValue:` on `sub` can fail open.

## Example
```json
"Condition": { "StringLike": { "token.actions.githubusercontent.com:sub": "repo:acme/*" } }
```
Use instead:
```json
"Condition": { "StringEquals": { "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main" } }
```

## Fix
`keyless policy trust --github acme/app --branch main` (or `--environment prod`).
"#,
    },
    check,
};

/// How broad one `sub` value is: (severity, description) or None when it is scoped.
fn breadth(value: &str) -> Option<(Severity, String)> {
    let v = value.trim();
    if v == "*" || v.starts_with("*") || v == "repo:*" || v.starts_with("repo:*") {
        return Some((
            Severity::Error,
            format!("`{v}` admits any repository on GitHub"),
        ));
    }
    let Some(rest) = v.strip_prefix("repo:") else {
        return Some((
            Severity::Error,
            format!("`{v}` does not name a repository (`repo:OWNER/REPO:...`)"),
        ));
    };
    let (repo, qualifier) = rest.split_once(':').unwrap_or((rest, ""));
    let (_owner, name) = repo.split_once('/').unwrap_or((repo, ""));
    if name.is_empty() || name.starts_with('*') {
        return Some((
            Severity::Error,
            format!("`{v}` admits every repository of the owner"),
        ));
    }
    if qualifier.is_empty() || qualifier == "*" || qualifier.starts_with('*') {
        return Some((
            Severity::Warning,
            format!(
                "`{v}` admits every branch, tag, environment and pull request of the repository"
            ),
        ));
    }
    None
}

fn check(cx: &LintContext) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in github_oidc_statements(cx) {
        let subs = conditions_on(s, "token.actions.githubusercontent.com:sub");
        if subs.is_empty() {
            out.push(RULE.finding(s.loc, "the GitHub OIDC trust has no `sub` condition: any repository on GitHub can assume this role").fix("add a `token.actions.githubusercontent.com:sub` condition naming the repository and branch"));
            continue;
        }
        for (op, values, loc) in subs {
            if op.starts_with("For") {
                out.push(RULE.finding(loc, format!("`{op}` on `sub` can match when the claim is absent or hide a wildcard; use StringEquals or StringLike")));
                continue;
            }
            if op.contains("Not") {
                out.push(RULE.finding(
                    loc,
                    format!("`{op}` on `sub` allows every subject except the ones listed"),
                ));
                continue;
            }
            for v in values {
                if op.starts_with("StringEquals") && v.contains(['*', '?']) {
                    out.push(RULE.finding(loc, format!("`{v}` under `{op}` is compared literally, so it never matches; use StringLike")).severity(Severity::Warning));
                    continue;
                }
                if let Some((sev, msg)) = breadth(v) {
                    out.push(
                        RULE.finding(loc, msg)
                            .severity(sev)
                            .fix("name one repository and a branch, tag or environment"),
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

    fn sub(op: &str, v: &str) -> Vec<Finding> {
        run_rule(
            &RULE,
            &format!(
                r#"{{"Statement":{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"{op}":{{"token.actions.githubusercontent.com:sub":"{v}"}}}}}}}}"#
            ),
        )
    }

    #[test]
    fn grades_subjects() {
        assert_eq!(sub("StringLike", "*")[0].severity, Severity::Error);
        assert_eq!(
            sub("StringLike", "repo:acme/*")[0].severity,
            Severity::Error
        );
        assert_eq!(
            sub("StringLike", "repo:acme/app:*")[0].severity,
            Severity::Warning
        );
        assert!(sub("StringEquals", "repo:acme/app:ref:refs/heads/main").is_empty());
        assert!(sub("StringEquals", "repo:acme@1/app@2:environment:prod").is_empty());
        assert!(sub("StringEquals", "repo:acme/app:*")[0]
            .message
            .contains("never matches"));
        assert!(sub(
            "ForAnyValue:StringLike",
            "repo:acme/app:ref:refs/heads/main"
        )[0]
        .message
        .contains("ForAnyValue"));
    }
}
