use keyless_rules::{RuleMeta, Severity, Status};

use super::live_findings;
use crate::live::LiveReport;
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD502",
        name: "live-root-user",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks (with `--live`) whom STS `GetCallerIdentity` says the credentials belong to: the root
user (`arn:aws:iam::ACCOUNT:root`).

## Why is this bad?
Root credentials can do anything in the account, including closing it; no policy, permission
boundary or SCP limits them. AWS's first security recommendation is to have no root access keys.

## Example
`aws_access_key_id` in `~/.aws/credentials` created from the root user's security credentials page.

## Fix
Delete the root access key (IAM console → Security credentials), then use IAM Identity Center or
a role with the least-privilege Bedrock policy (`keyless init`, `keyless policy bedrock`).
"#,
    },
    why: "the account's root user cannot be limited by any IAM policy and should never hold access keys",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    live_findings(cx, findings)
}

fn findings(live: &LiveReport) -> Vec<Finding> {
    match &live.identity {
        Some(Ok(id)) if id.arn.ends_with(":root") => vec![RULE
            .finding(format!(
                "profile `{}` signs as the root user of account {}",
                live.profile, id.account
            ))
            .fix(Fix::run(
                "delete the root access key and use SSO or a role",
                "keyless init",
            ))],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::testing::*;

    #[test]
    fn flags_root_only() {
        let mut r = report();
        assert!(findings(&r).is_empty());
        r.identity = Some(Ok(identity("arn:aws:iam::123456789012:root")));
        assert_eq!(findings(&r).len(), 1);
    }
}
