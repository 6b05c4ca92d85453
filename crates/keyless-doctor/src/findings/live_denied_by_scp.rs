use keyless_rules::{RuleMeta, Severity, Status};

use super::live_findings;
use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD505",
        name: "live-denied-by-scp",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks (with `--live`) for `AccessDeniedException` whose message says `with an explicit deny in a
service control policy`.

## Why is this bad?
SCPs are set by the organization's administrators; often they deny regions, and a cross-region
inference profile routes to every destination region, so one denied destination fails the call.

## Example
`... is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: … with an
explicit deny in a service control policy`

## Fix
Ask the administrators to allow Bedrock in every destination region of the profile (`keyless
models --region R` lists them), or use a profile whose destinations the SCP allows.
"#,
    },
    why: "a service control policy of the organization denies the call, and no identity policy can override it",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    live_findings(cx, findings)
}

fn findings(live: &LiveReport) -> Vec<Finding> {
    live.findings_for(|c| matches!(c, Cause::DeniedByScp), |probe, message| {
        RULE.finding(format!("{probe}: denied by a service control policy ({message})")).fix(Fix::say("ask your organization's administrators to allow Bedrock in every destination region of the profile (`keyless models` lists them)"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::testing::*;

    #[test]
    fn flags_its_cause_only() {
        flags_only(findings, "AccessDeniedException", "User: a is not authorized to perform: bedrock:InvokeModel on resource: b with an explicit deny in a service control policy");
    }
}
