use keyless_rules::{RuleMeta, Severity, Status};

use super::live_findings;
use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD509",
        name: "live-marketplace-subscription",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks (with `--live`) for Bedrock's Marketplace refusals: the caller lacks `aws-marketplace:ViewSubscriptions`
and `aws-marketplace:Subscribe`, or the agreement is still being created.

## Why is this bad?
Bedrock subscribes the account to a third-party model on its first use, with the caller's own
permissions; without them, or while the agreement is pending, the call fails.

## Example
`Model access is denied due to IAM user or service role is not authorized to perform the required
AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable
access to this model.`

## Fix
Let an administrator make the first call, or add the Marketplace statement once
(`keyless policy bedrock --marketplace`); if the agreement is pending, wait 15 minutes.
"#,
    },
    why: "the first use of a model needs AWS Marketplace permissions, or its subscription is still being created",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    live_findings(cx, findings)
}

fn findings(live: &LiveReport) -> Vec<Finding> {
    live.findings_for(|c| matches!(c, Cause::Marketplace), |probe, message| {
        RULE.finding(format!("{probe}: AWS Marketplace subscription missing or pending ({message})")).fix(Fix::run("grant the Marketplace actions for the first use, or wait for the pending agreement", "keyless policy bedrock --claude-code --marketplace --model MODEL --region REGION"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::testing::*;

    #[test]
    fn flags_its_cause_only() {
        flags_only(findings, "AccessDeniedException", "Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model.");
    }
}
