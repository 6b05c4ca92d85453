use keyless_rules::{RuleMeta, Severity, Status};

use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD515",
        name: "live-model-end-of-life",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks (with `--live`) for `This model version has reached the end of its life.`

## Why is this bad?
A retired model never comes back; Claude Code fails at the first prompt.

## Example
`us.anthropic.claude-sonnet-4-20250514-v1:0` after 2026-10-14.

## Fix
Move to the successor `keyless models --region R` lists; `keyless doctor --fix` writes it.
"#,
    },
    why: "Bedrock has retired the model; it answers every call with 404",
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
        |c| matches!(c, Cause::EndOfLife),
        |m| {
            format!(
                "{} = `{}`: Bedrock says this model has reached end of life (in {})",
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
        flags_model(|r| findings(r, today), "ResourceNotFoundException", "This model version has reached the end of its life. Please refer to the AWS documentation for more details.");
    }
}
