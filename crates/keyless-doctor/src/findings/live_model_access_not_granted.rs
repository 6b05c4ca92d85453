use keyless_rules::{RuleMeta, Severity, Status};

use super::live_findings;
use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD508",
        name: "live-model-access-not-granted",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks (with `--live`) for Bedrock's answers for a model the account may not use yet: `Model use case
details have not been submitted for this account` (404) and `You don't have access to the model
with the specified model ID.` (403).

## Why is this bad?
No IAM change helps: the account must submit Anthropic's use-case details once.

## Example
`ResourceNotFoundException: Model use case details have not been submitted for this account. Fill
out the Anthropic use case details form before using the model.`

## Fix
In the Bedrock console (Model catalog → an Anthropic model), submit the use-case details, then
wait up to 15 minutes.
"#,
    },
    why: "the account has not been granted the model (Anthropic's use-case form), so every call to it fails",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    live_findings(cx, findings)
}

fn findings(live: &LiveReport) -> Vec<Finding> {
    live.findings_for(|c| matches!(c, Cause::ModelAccess), |probe, message| {
        RULE.finding(format!("{probe}: the account has no access to the model yet ({message})")).fix(Fix::say("submit Anthropic's use-case details in the Bedrock console (Model catalog), then wait up to 15 minutes"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::testing::*;

    #[test]
    fn flags_its_cause_only() {
        flags_only(findings, "ResourceNotFoundException", "Model use case details have not been submitted for this account. Fill out the Anthropic use case details form before using the model. If you have already filled out the form, try again in 15 minutes.");
    }
}
