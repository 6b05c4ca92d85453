use keyless_catalog::Severity;

use super::live_report;
use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    id: "KD514",
    name: "live-throttled",
    severity: Severity::Warning,
    since: "0.1.0",
    why: "the account's Bedrock quota is exhausted for now; Claude Code will slow down and retry",
    doc: r#"
## What it does
Checks (with `--live`) for `ThrottlingException` (`Too many requests` / `Too many tokens per day`).

## Why is this bad?
It is not a setup error, but it makes Claude Code slow or fail under load.

## Example
`ThrottlingException: Too many tokens per day, please wait before trying again.`

## Fix
Wait, use a cross-region inference profile (more capacity), or request a quota increase in
Service Quotas.
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
    live.failures_with(|c| matches!(c, Cause::Throttled))
        .into_iter()
        .map(|(probe, f, _)| {
            let message = match &f.code {
                Some(code) => format!("{code}: {}", f.message),
                None => f.message.clone(),
            };
            RULE.finding(format!("{probe}: throttled ({message})"))
                .fix(Fix::say(
                "wait, use a cross-region profile, or request a quota increase in Service Quotas",
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
            "ThrottlingException",
            "Too many requests, please wait before trying again.",
        )));
        let f = findings(&r);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].message.contains("ThrottlingException"),
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
