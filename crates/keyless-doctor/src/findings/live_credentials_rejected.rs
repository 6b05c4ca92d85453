use keyless_rules::{RuleMeta, Severity, Status};

use super::live_findings;
use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD511",
        name: "live-credentials-rejected",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks (with `--live`) for `UnrecognizedClientException` / `InvalidClientTokenId` (the key ID is not
known) and `InvalidSignatureException` / `SignatureDoesNotMatch` (the secret does not match).

## Why is this bad?
Every request fails with 403 `The security token included in the request is invalid.`

## Example
A key copied with a missing character, or one deleted in IAM after a rotation.

## Fix
Replace static keys with SSO or a role (`keyless init`); if a key must stay, create a new one and
keep it out of plain files (`keyless keys`).
"#,
    },
    why: "AWS does not accept the key: it was deleted, mistyped, or belongs to another partition",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    live_findings(cx, findings)
}

fn findings(live: &LiveReport) -> Vec<Finding> {
    live.findings_for(
        |c| matches!(c, Cause::InvalidCredentials),
        |probe, message| {
            RULE.finding(format!("{probe}: AWS rejected the credentials ({message})"))
                .fix(Fix::run(
                    "stop using this key; write an SSO or role profile",
                    "keyless init",
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
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        );
    }
}
