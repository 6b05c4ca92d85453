use keyless_catalog::Catalog;
use keyless_rules::{RuleMeta, Severity, Status};

use super::bedrock::{foundation_model_arn, grants_profile, locate, routes, INVOKE, STREAM};
use crate::lint::{Finding, LintContext, PolicyType, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KP203",
        name: "foundation-models-without-profile",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for policies that allow a Claude model's foundation-model ARN but no inference profile of
that model, for models Bedrock serves only through inference profiles.

## Why is this bad?
Claude 4-era models cannot be invoked on demand by their base ID; every call goes through an
inference profile, and IAM authorises the profile ARN first. With foundation-model ARNs alone,
every request is denied. This is the seed guide's policy.

## Example
```json
{ "Effect": "Allow", "Action": "bedrock:InvokeModel*",
  "Resource": "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-*" }
```
Use instead: the profile ARN plus the foundation models in its destination regions
(`keyless policy bedrock --model haiku-4.5 --region us-east-1`).

## Fix
Add `arn:aws:bedrock:REGION:ACCOUNT:inference-profile/PROFILE_ID` for the profiles you use.
"#,
    },
    check,
};

fn check(cx: &LintContext) -> Vec<Finding> {
    if cx.kind != PolicyType::Identity {
        return Vec::new();
    }
    let catalog = Catalog::embedded();
    let mut names = Vec::new();
    // Models with no profile in the catalog cannot be judged.
    for m in catalog
        .models
        .iter()
        .filter(|m| !m.on_demand && !m.profiles.is_empty())
    {
        let fm_granted = catalog.runtime_regions.iter().any(|r| {
            [INVOKE, STREAM]
                .iter()
                .any(|a| cx.grants(a, &foundation_model_arn(r, &m.id), &[]))
        });
        if !fm_granted {
            continue;
        }
        let any_profile = routes()
            .filter(|r| r.model.id == m.id)
            .any(|r| grants_profile(cx, STREAM, &r) || grants_profile(cx, INVOKE, &r));
        if !any_profile {
            names.push(m.name.clone());
        }
    }
    if names.is_empty() {
        return Vec::new();
    }
    vec![RULE
        .finding(
            locate(cx, "foundation-model"),
            format!(
                "the policy allows foundation-model ARNs of {} but no inference profile of them; these models are served only through inference profiles, so every call is denied",
                if names.len() > 3 { format!("{} and {} more models", names[..3].join(", "), names.len() - 3) } else { names.join(", ") }
            ),
        )
        .fix("add the inference-profile ARNs (`keyless policy bedrock` writes them)")]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::run_rule;

    #[test]
    fn seed_policy_is_flagged() {
        let seed = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["bedrock:InvokeModel","bedrock:InvokeModelWithResponseStream"],"Resource":["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-*"]}]}"#;
        let f = run_rule(&RULE, seed);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("Claude Haiku 4.5") || f[0].message.contains("more models"),
            "{}",
            f[0].message
        );
        assert!(run_rule(&RULE, r#"{"Statement":{"Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":["arn:aws:bedrock:*::foundation-model/*","arn:aws:bedrock:*:*:inference-profile/*"]}}"#).is_empty());
    }
}
