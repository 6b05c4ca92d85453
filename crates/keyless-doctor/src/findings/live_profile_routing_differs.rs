use keyless_rules::{RuleMeta, Severity, Status};

use super::live_findings;
use crate::live::LiveReport;
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD516",
        name: "live-profile-routing-differs",
        severity: Severity::Info,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks (with `--live`) the destination regions `GetInferenceProfile` reports for each
inference profile Claude Code will call against those in keyless's model catalog.

## Why is this bad?
AWS adds destination regions over time. A policy that lists foundation-model ARNs per region
fails intermittently when a request is routed to a region it does not list.

## Example
The catalog lists `us-east-1, us-east-2, us-west-2`; Bedrock also routes to `ca-central-1`.

## Fix
Regenerate the policy from live data, or use the region wildcard the generated policy offers;
report the difference so the catalog is updated.
"#,
    },
    why: "Bedrock routes the inference profile to other regions than keyless's catalog says; a generated policy may miss one",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    live_findings(cx, findings)
}

fn findings(live: &LiveReport) -> Vec<Finding> {
    let catalog = keyless_catalog::Catalog::embedded();
    let mut out = Vec::new();
    for m in &live.models {
        let Some(Ok(live_dest)) = &m.profile else {
            continue;
        };
        let Some(p) = catalog
            .models
            .iter()
            .flat_map(|x| x.profiles.iter())
            .find(|p| p.id == m.id)
        else {
            continue;
        };
        if p.prefix == "global" {
            continue;
        }
        let mut a: Vec<&String> = live_dest.iter().collect();
        let mut b: Vec<&String> = p.destinations.iter().collect();
        a.sort();
        a.dedup();
        b.sort();
        b.dedup();
        if a != b {
            out.push(
                RULE.finding(format!(
                    "{} routes to {} per Bedrock; the catalog says {}",
                    m.id,
                    a.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
                    b.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                ))
                .fix(Fix::say(
                    "regenerate the policy with the regions Bedrock reports",
                )),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::testing::*;

    #[test]
    fn compares_with_the_catalog() {
        let mut r = report();
        r.models[0].id = "us.anthropic.claude-sonnet-4-5-20250929-v1:0".into();
        let catalog = keyless_catalog::Catalog::embedded();
        let dest = catalog
            .models
            .iter()
            .flat_map(|m| m.profiles.iter())
            .find(|p| p.id == r.models[0].id)
            .unwrap()
            .destinations
            .clone();
        r.models[0].profile = Some(Ok(dest.clone()));
        assert!(findings(&r).is_empty());
        let mut more = dest;
        more.push("xx-test-9".into());
        r.models[0].profile = Some(Ok(more));
        assert_eq!(findings(&r).len(), 1);
    }
}
