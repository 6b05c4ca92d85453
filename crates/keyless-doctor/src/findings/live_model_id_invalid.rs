use keyless_rules::{RuleMeta, Severity, Status};

use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD506",
        name: "live-model-id-invalid",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks (with `--live`) for a model that Bedrock answers with `The provided model identifier is
invalid.` — the exact ID Claude Code will send, from the region it will use.

## Why is this bad?
Claude Code shows `API Error (ID): 400 The provided model identifier is invalid.` and stops.
Common causes: a missing `-v1:0`, a profile of another geography, a typo.

## Example
`ANTHROPIC_MODEL=anthropic.claude-sonnet-4-20250514` (the seed guide's value).

## Fix
Use the ID `keyless models --region R` lists; `keyless doctor --fix` writes it.
"#,
    },
    why: "Bedrock does not know the model ID Claude Code sends, so every prompt fails with 400",
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
        |c| matches!(c, Cause::InvalidModelId),
        |m| {
            format!(
                "{} = `{}`: Bedrock says the model identifier is invalid in {}",
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
        flags_model(
            |r| findings(r, today),
            "ValidationException",
            "The provided model identifier is invalid.",
        );
    }
}
