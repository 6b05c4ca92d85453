use keyless_catalog::Severity;

use super::live_report;
use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    id: "KD505",
    name: "live-denied-by-scp",
    severity: Severity::Error,
    since: "0.1.0",
    why: "a service control policy of the organization denies the call, and no identity policy can override it",
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
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let Some(live) = live_report(cx) else {
        return Vec::new();
    };
    findings(live)
}

fn findings(live: &LiveReport) -> Vec<Finding> {
    live.failures_with(|c| matches!(c, Cause::DeniedByScp))
        .into_iter()
        .map(|(probe, f, _)| {
            let message = match &f.code {
                Some(code) => format!("{code}: {}", f.message),
                None => f.message.clone(),
            };
            RULE.finding(format!("{probe}: denied by a service control policy ({message})")).fix(Fix::say("ask your organization's administrators to allow Bedrock in every destination region of the profile (`keyless models` lists them)"))
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
        r.models[0].invoke = Some(Err(service("AccessDeniedException", "User: a is not authorized to perform: bedrock:InvokeModel on resource: b with an explicit deny in a service control policy")));
        let f = findings(&r);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].message.contains("AccessDeniedException"),
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
