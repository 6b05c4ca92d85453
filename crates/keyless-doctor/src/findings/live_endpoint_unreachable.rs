use keyless_rules::{RuleMeta, Severity, Status};

use super::live_findings;
use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD512",
        name: "live-endpoint-unreachable",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks (with `--live`) for probes that got no answer before their deadline, could not connect (DNS,
refused, TLS), or got an answer that is not AWS's (a proxy's page, garbage).

## Why is this bad?
Claude Code fails the same way, usually after long retries.

## Example
`bedrock-runtime.xx-invalid-1.amazonaws.com`: no such host.

## Fix
Check the region (`keyless models` lists where Claude runs), `HTTPS_PROXY`, and the endpoint
variables (`ANTHROPIC_BEDROCK_BASE_URL`, `AWS_ENDPOINT_URL_*`).
"#,
    },
    why: "no usable answer from the endpoint: the region has no Bedrock endpoint, the network is down, or something in between answers instead",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    live_findings(cx, findings)
}

fn findings(live: &LiveReport) -> Vec<Finding> {
    live.findings_for(
        |c| matches!(c, Cause::Unreachable),
        |probe, message| {
            RULE.finding(format!("{probe}: {message}")).fix(Fix::run(
                "check the region, the network, proxies and endpoint variables",
                format!("keyless models --region {}", live.region),
            ))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::testing::*;

    #[test]
    fn flags_timeouts_and_garbage() {
        let mut r = report();
        assert!(findings(&r).is_empty());
        r.list_profiles = Some(Err(timeout()));
        assert_eq!(findings(&r).len(), 1);
    }
}
