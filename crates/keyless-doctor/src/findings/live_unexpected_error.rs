use keyless_rules::{RuleMeta, Severity, Status};

use super::live_findings;
use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD517",
        name: "live-unexpected-error",
        severity: Severity::Warning,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks (with `--live`) for any probe error that none of the other live findings explains, with AWS's
code and message.

## Why is this bad?
It will fail Claude Code too; the message is AWS's own.

## Example
`InternalServerException` (500) from Bedrock.

## Fix
Retry; if it persists, search the code and message in AWS's Bedrock troubleshooting guide.
"#,
    },
    why: "AWS answered with an error keyless has no explanation for",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    live_findings(cx, findings)
}

fn findings(live: &LiveReport) -> Vec<Finding> {
    live.findings_for(
        |c| matches!(c, Cause::Other),
        |probe, message| {
            RULE.finding(format!("{probe}: {message}")).fix(Fix::say(
                "retry; if it persists, look up the code in AWS's Bedrock troubleshooting guide",
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
        flags_only(findings, "InternalServerException", "Internal server error");
    }
}
