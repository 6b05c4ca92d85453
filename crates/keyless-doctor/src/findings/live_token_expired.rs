use keyless_catalog::Severity;

use super::live_report;
use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    id: "KD510",
    name: "live-token-expired",
    severity: Severity::Error,
    since: "0.1.0",
    why: "the session token has expired, and Bedrock answers every request with 403 until it is refreshed",
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
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let Some(live) = live_report(cx) else {
        return Vec::new();
    };
    findings(live)
}

fn findings(live: &LiveReport) -> Vec<Finding> {
    live.failures_with(|c| matches!(c, Cause::ExpiredToken))
        .into_iter()
        .map(|(probe, f, _)| {
            let message = match &f.code {
                Some(code) => format!("{code}: {}", f.message),
                None => f.message.clone(),
            };
            RULE.finding(format!(
                "{probe}: the security token has expired ({message})"
            ))
            .fix(Fix::run(
                "refresh the credentials (for SSO, log in again)",
                format!("aws sso login --profile {}", live.profile),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::testing::*;

    #[test]
    fn flags_its_cause_only() {
        let mut r = report();
        assert!(findings(&r).is_empty());
        r.models[0].invoke = Some(Err(service(
            "ExpiredTokenException",
            "The security token included in the request is expired",
        )));
        let f = findings(&r);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].message.contains("ExpiredTokenException"),
            "{}",
            f[0].message
        );
        r.models[0].invoke = Some(Err(service(
            "ValidationException",
            "The provided model identifier is invalid.",
        )));
        assert!(findings(&r).is_empty());
    }
}
