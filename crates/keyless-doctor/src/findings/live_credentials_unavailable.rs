use keyless_rules::{RuleMeta, Severity, Status};

use super::live_findings;
use crate::live::LiveReport;
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD501",
        name: "live-credentials-unavailable",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks (with `--live`) that the credentials resolve for the profile Claude Code will use through the AWS SDK's
own default chain (environment, profile keys, SSO, assumed role, `credential_process`, web
identity, container, instance metadata) and reports when nothing comes back.

## Why is this bad?
Claude Code uses the same chain: it fails every request with `Could not load credentials from
any providers`, or with the SSO error when a login has lapsed.

## Example
An SSO profile whose cached token expired: `The SSO session associated with this profile has
expired or is otherwise invalid`.

## Fix
For SSO, `aws sso login --profile NAME`. Otherwise run `keyless doctor` (without `--live`) for
what is wrong with the profile, or write one with `keyless init`.
"#,
    },
    why: "the AWS SDK's chain found no usable credentials for the profile, so no request can be signed",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    live_findings(cx, findings)
}

fn findings(live: &LiveReport) -> Vec<Finding> {
    let Err(f) = &live.credentials else {
        return Vec::new();
    };
    let sso = f.message.contains("SSO") || f.message.contains("sso");
    let fix = if sso {
        Fix::run(
            "log in to IAM Identity Center again",
            format!("aws sso login --profile {}", live.profile),
        )
    } else {
        Fix::run("see what is wrong with the profile", "keyless doctor")
    };
    vec![RULE
        .finding(format!(
            "no credentials for profile `{}`: {}",
            live.profile, f.message
        ))
        .fix(fix)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::testing::*;

    #[test]
    fn reports_the_sdk_message_and_the_sso_login() {
        let mut r = report();
        r.credentials = Err(failure(
            "the SSO session associated with this profile has expired (SSO)",
        ));
        let f = findings(&r);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].fix.as_ref().unwrap().command.as_deref(),
            Some("aws sso login --profile dev")
        );
        assert!(findings(&report()).is_empty());
    }
}
