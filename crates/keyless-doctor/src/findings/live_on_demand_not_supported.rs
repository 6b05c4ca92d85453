use keyless_catalog::Severity;

use super::live_report;
use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    id: "KD507",
    name: "live-on-demand-not-supported",
    severity: Severity::Error,
    since: "0.1.0",
    why: "the model can only be called through an inference profile, and the setting names the bare model",
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
        .filter(|m| matches!(&m.invoke, Some(Err(f)) if matches!(crate::live::classify(f), Cause::OnDemandNotSupported)))
        .map(|m| {
            RULE.finding(format!("{} = `{}`: Bedrock needs an inference profile for this model in {}", m.variable, m.id, live.region))
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
        r.models[0].invoke = Some(Err(service("ValidationException", "Invocation of model ID anthropic.x with on-demand throughput isn\u{2019}t supported. Retry your request with the ID or ARN of an inference profile that contains this model.")));
        let f = findings(&r, keyless_catalog::Date::parse("2026-11-27").unwrap());
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.starts_with("ANTHROPIC_MODEL = `us.m`"),
            "{}",
            f[0].message
        );
    }
}
