use keyless_catalog::Severity;

use super::live_report;
use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    id: "KD517",
    name: "live-unexpected-error",
    severity: Severity::Warning,
    since: "0.1.0",
    why: "AWS answered with an error keyless has no explanation for",
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
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let Some(live) = live_report(cx) else {
        return Vec::new();
    };
    findings(live)
}

fn findings(live: &LiveReport) -> Vec<Finding> {
    live.failures_with(|c| matches!(c, Cause::Other))
        .into_iter()
        .map(|(probe, f, _)| {
            let message = match &f.code {
                Some(code) => format!("{code}: {}", f.message),
                None => f.message.clone(),
            };
            RULE.finding(format!("{probe}: {message}")).fix(Fix::say(
                "retry; if it persists, look up the code in AWS's Bedrock troubleshooting guide",
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
            "InternalServerException",
            "Internal server error",
        )));
        let f = findings(&r);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].message.contains("InternalServerException"),
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
