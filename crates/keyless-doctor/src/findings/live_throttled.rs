use keyless_rules::{RuleMeta, Severity, Status};

use super::live_findings;
use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD514",
        name: "live-throttled",
        severity: Severity::Warning,
        since: "0.1.0",
        status: Status::Stable,
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
    },
    why: "the account's Bedrock quota is exhausted for now; Claude Code will slow down and retry",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    live_findings(cx, findings)
}

fn findings(live: &LiveReport) -> Vec<Finding> {
    live.findings_for(
        |c| matches!(c, Cause::Throttled),
        |probe, message| {
            RULE.finding(format!("{probe}: throttled ({message})"))
                .fix(Fix::say(
                "wait, use a cross-region profile, or request a quota increase in Service Quotas",
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
            "ThrottlingException",
            "Too many requests, please wait before trying again.",
        );
    }
}
