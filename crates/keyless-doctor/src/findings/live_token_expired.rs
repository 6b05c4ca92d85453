use keyless_rules::{RuleMeta, Severity, Status};

use super::live_findings;
use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD510",
        name: "live-token-expired",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks (with `--live`) for `ExpiredTokenException` / `ExpiredToken`: the credentials were temporary and
their time is up.

## Why is this bad?
Bedrock reports it as a 403, which looks like a permission problem; Claude Code keeps retrying.

## Example
`ExpiredTokenException: The security token included in the request is expired`

## Fix
Refresh the credentials: `aws sso login --profile NAME` for SSO; for exported keys, stop exporting
them and let the profile refresh them (`keyless init`).
"#,
    },
    why: "the session token has expired, and Bedrock answers every request with 403 until it is refreshed",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    live_findings(cx, findings)
}

fn findings(live: &LiveReport) -> Vec<Finding> {
    live.findings_for(
        |c| matches!(c, Cause::ExpiredToken),
        |probe, message| {
            RULE.finding(format!(
                "{probe}: the security token has expired ({message})"
            ))
            .fix(Fix::run(
                "refresh the credentials (for SSO, log in again)",
                format!("aws sso login --profile {}", live.profile),
            ))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::testing::*;

    #[test]
    fn flags_its_cause_only() {
        flags_only(
            findings,
            "ExpiredTokenException",
            "The security token included in the request is expired",
        );
    }
}
