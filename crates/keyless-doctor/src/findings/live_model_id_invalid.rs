use keyless_catalog::Severity;

use super::live_report;
use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    id: "KD506",
    name: "live-model-id-invalid",
    severity: Severity::Error,
    since: "0.1.0",
    why: "Bedrock does not know the model ID Claude Code sends, so every prompt fails with 400",
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
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let Some(live) = live_report(cx) else {
        return Vec::new();
    };
    findings(live, cx.today)
}

fn findings(live: &LiveReport, today: keyless_catalog::Date) -> Vec<Finding> {
    live.models
        .iter()
        .filter(|m| matches!(&m.invoke, Some(Err(f)) if matches!(crate::live::classify(f), Cause::InvalidModelId)))
        .map(|m| {
            RULE.finding(format!("{} = `{}`: Bedrock says the model identifier is invalid in {}", m.variable, m.id, live.region))
                .fix(replacement(m, live, today))
        })
        .collect()
}

/// The ID to write instead, from the catalog, or the listing to pick one from.
fn replacement(m: &crate::live::LiveModel, live: &LiveReport, today: keyless_catalog::Date) -> Fix {
    let d = keyless_catalog::diagnose(
        keyless_catalog::Catalog::embedded(),
        &m.id,
        Some(&live.region),
        today,
    );
    match d.problems.iter().find_map(|p| p.replacement.clone()) {
        Some(id) => Fix::say(format!("set {} to `{id}`", super::fix_target(&m.variable))),
        None => Fix::run(
            "use the ID listed for your region",
            format!("keyless models --region {}", live.region),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::testing::*;

    #[test]
    fn names_the_variable_and_the_id() {
        let mut r = report();
        assert!(findings(&r, keyless_catalog::Date::parse("2026-11-27").unwrap()).is_empty());
        r.models[0].invoke = Some(Err(service(
            "ValidationException",
            "The provided model identifier is invalid.",
        )));
        let f = findings(&r, keyless_catalog::Date::parse("2026-11-27").unwrap());
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.starts_with("ANTHROPIC_MODEL = `us.m`"),
            "{}",
            f[0].message
        );
    }
}
