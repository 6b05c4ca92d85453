use keyless_rules::{RuleMeta, Severity, Status};

use super::live_findings;
use crate::live::LiveReport;
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD503",
        name: "live-long-lived-user-keys",
        severity: Severity::Warning,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks (with `--live`) for credentials that are an IAM user's long-lived access key (`AKIA…`), as STS
reports them.

## Why is this bad?
Long-lived keys end up in files, shell history and git. Temporary credentials from IAM Identity
Center or a role expire within hours and are never written by hand.

## Example
`[dev]` in `~/.aws/credentials` with `aws_access_key_id = AKIA…` for `arn:aws:iam::…:user/dev`.

## Fix
Move to SSO or a role (`keyless init`); until then keep the key out of plain files with
`keyless keys`, and rotate it.
"#,
    },
    why: "an IAM user's access key works until someone deletes it; a leak is a standing door into the account",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    live_findings(cx, findings)
}

fn findings(live: &LiveReport) -> Vec<Finding> {
    let (Ok(c), Some(Ok(id))) = (&live.credentials, &live.identity) else {
        return Vec::new();
    };
    if !c.long_lived || !id.arn.contains(":user/") {
        return Vec::new();
    }
    vec![RULE
        .finding(format!(
            "profile `{}` uses a long-lived access key ({}) of IAM user {}",
            live.profile, c.key_id, id.arn
        ))
        .fix(Fix::run(
            "use IAM Identity Center or a role instead",
            "keyless init",
        ))]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::testing::*;

    #[test]
    fn flags_an_iam_users_akia_key() {
        let mut r = report();
        assert!(findings(&r).is_empty());
        r.credentials.as_mut().unwrap().long_lived = true;
        r.identity = Some(Ok(identity("arn:aws:iam::123456789012:user/dev")));
        assert_eq!(findings(&r).len(), 1);
    }
}
