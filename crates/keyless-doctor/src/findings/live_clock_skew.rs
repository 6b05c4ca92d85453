use keyless_catalog::Severity;

use super::live_report;
use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    id: "KD513",
    name: "live-clock-skew",
    severity: Severity::Error,
    since: "0.1.0",
    why: "the machine's clock is more than five minutes off, so AWS refuses every signature",
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
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let Some(live) = live_report(cx) else {
        return Vec::new();
    };
    findings(live)
}

fn findings(live: &LiveReport) -> Vec<Finding> {
    live.failures_with(|c| matches!(c, Cause::ClockSkew))
        .into_iter()
        .map(|(probe, f, _)| {
            let message = match &f.code {
                Some(code) => format!("{code}: {}", f.message),
                None => f.message.clone(),
            };
            RULE.finding(format!("{probe}: the clock is off ({message})"))
                .fix(Fix::run(
                    "synchronise the system clock",
                    "timedatectl set-ntp true",
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
        r.models[0].invoke = Some(Err(service("InvalidSignatureException", "Signature expired: 20261127T080000Z is now earlier than 20261127T085500Z (20261127T090000Z - 5 min.)")));
        let f = findings(&r);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].message.contains("InvalidSignatureException"),
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
