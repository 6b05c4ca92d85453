use keyless_rules::{RuleMeta, Severity, Status};

use super::live_findings;
use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD513",
        name: "live-clock-skew",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks (with `--live`) for `Signature expired` / `Signature not yet current` / `RequestExpired`.

## Why is this bad?
SigV4 signatures carry the time; AWS refuses any more than five minutes from its own.

## Example
`InvalidSignatureException: Signature expired: 20261127T080000Z is now earlier than …`

## Fix
Synchronise the clock (`timedatectl set-ntp true`, or your OS's time settings).
"#,
    },
    why: "the machine's clock is more than five minutes off, so AWS refuses every signature",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    live_findings(cx, findings)
}

fn findings(live: &LiveReport) -> Vec<Finding> {
    live.findings_for(
        |c| matches!(c, Cause::ClockSkew),
        |probe, message| {
            RULE.finding(format!("{probe}: the clock is off ({message})"))
                .fix(Fix::run(
                    "synchronise the system clock",
                    "timedatectl set-ntp true",
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
        flags_only(findings, "InvalidSignatureException", "Signature expired: 20261127T080000Z is now earlier than 20261127T085500Z (20261127T090000Z - 5 min.)");
    }
}
