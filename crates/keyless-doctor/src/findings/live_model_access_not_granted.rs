use keyless_catalog::Severity;

use super::live_report;
use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    id: "KD508",
    name: "live-model-access-not-granted",
    severity: Severity::Error,
    since: "0.1.0",
    why: "the account has not been granted the model (Anthropic's use-case form), so every call to it fails",
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
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let Some(live) = live_report(cx) else {
        return Vec::new();
    };
    findings(live)
}

fn findings(live: &LiveReport) -> Vec<Finding> {
    live.failures_with(|c| matches!(c, Cause::ModelAccess))
        .into_iter()
        .map(|(probe, f, _)| {
            let message = match &f.code {
                Some(code) => format!("{code}: {}", f.message),
                None => f.message.clone(),
            };
            RULE.finding(format!("{probe}: the account has no access to the model yet ({message})")).fix(Fix::say("submit Anthropic's use-case details in the Bedrock console (Model catalog), then wait up to 15 minutes"))
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
        r.models[0].invoke = Some(Err(service("ResourceNotFoundException", "Model use case details have not been submitted for this account. Fill out the Anthropic use case details form before using the model. If you have already filled out the form, try again in 15 minutes.")));
        let f = findings(&r);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].message.contains("ResourceNotFoundException"),
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
