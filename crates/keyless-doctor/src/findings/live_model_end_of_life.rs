use keyless_catalog::Severity;

use super::live_report;
use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    id: "KD515",
    name: "live-model-end-of-life",
    severity: Severity::Error,
    since: "0.1.0",
    why: "Bedrock has retired the model; it answers every call with 404",
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
        .filter(|m| matches!(&m.invoke, Some(Err(f)) if matches!(crate::live::classify(f), Cause::EndOfLife)))
        .map(|m| {
            RULE.finding(format!("{} = `{}`: Bedrock says this model has reached end of life (in {})", m.variable, m.id, live.region))
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
        r.models[0].invoke = Some(Err(service("ResourceNotFoundException", "This model version has reached the end of its life. Please refer to the AWS documentation for more details.")));
        let f = findings(&r, keyless_catalog::Date::parse("2026-11-27").unwrap());
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.starts_with("ANTHROPIC_MODEL = `us.m`"),
            "{}",
            f[0].message
        );
    }
}
