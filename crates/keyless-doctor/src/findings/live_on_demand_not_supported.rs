use keyless_rules::{RuleMeta, Severity, Status};

use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD507",
        name: "live-on-demand-not-supported",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks (with `--live`) for `Invocation of model ID … with on-demand throughput isn't supported`.

## Why is this bad?
Newer Claude models have no on-demand capacity in a single region; they are called through a
cross-region inference profile (`us.`, `eu.`, `apac.`, `global.`…).

## Example
`ANTHROPIC_MODEL=anthropic.claude-sonnet-4-5-20250929-v1:0`

## Fix
Use the profile ID (`keyless models --region R`); `keyless doctor --fix` writes it.
"#,
    },
    why: "the model can only be called through an inference profile, and the setting names the bare model",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    cx.live
        .as_ref()
        .map(|live| findings(live, cx.today))
        .unwrap_or_default()
}

fn findings(live: &LiveReport, today: keyless_catalog::Date) -> Vec<Finding> {
    super::live_model_findings(
        live,
        today,
        &RULE,
        |c| matches!(c, Cause::OnDemandNotSupported),
        |m| {
            format!(
                "{} = `{}`: Bedrock needs an inference profile for this model in {}",
                m.variable, m.id, m.region
            )
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::testing::*;

    #[test]
    fn names_the_variable_and_the_id() {
        let today = keyless_catalog::Date::parse("2026-11-27").unwrap();
        flags_model(|r| findings(r, today), "ValidationException", "Invocation of model ID anthropic.x with on-demand throughput isn\u{2019}t supported. Retry your request with the ID or ARN of an inference profile that contains this model.");
    }
}
