use keyless_rules::{RuleMeta, Severity, Status};

use super::bedrock::{grants_destination, grants_profile, locate, routes, STREAM};
use crate::lint::{Finding, LintContext, PolicyType, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KP202",
        name: "profile-without-destination-models",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks that every cross-region inference profile the policy lets you call comes with its
foundation model in every destination region the profile can route to (with
`bedrock:InferenceProfileArn` set to the profile, as Bedrock sets it).

## Why is this bad?
AWS: "When you specify an inference profile in the `Resource` field … you must also specify the
foundation model in each Region associated with it." Bedrock picks the destination per request;
any region you left out turns some requests, unpredictably, into `AccessDeniedException`.

## Example
```json
{ "Effect": "Allow", "Action": "bedrock:InvokeModel*", "Resource": [
  "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0",
  "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0" ] }
```
Use instead: the foundation-model ARN in us-east-1, us-east-2, us-west-1, us-west-2 and
ca-central-1 (the profile's destinations), as `keyless policy bedrock` writes it.

## Fix
Add the regions the finding lists.
"#,
    },
    check,
};

fn check(cx: &LintContext) -> Vec<Finding> {
    if cx.kind != PolicyType::Identity {
        return Vec::new();
    }
    let mut by_profile: Vec<(String, Vec<String>)> = Vec::new();
    for r in routes() {
        if !grants_profile(cx, STREAM, &r) {
            continue;
        }
        let missing: Vec<String> = r
            .profile
            .destinations
            .iter()
            .filter(|d| !grants_destination(cx, STREAM, &r, d))
            .cloned()
            .collect();
        if missing.is_empty() {
            continue;
        }
        match by_profile.iter_mut().find(|(p, _)| *p == r.profile.id) {
            Some((_, m)) => {
                for x in missing {
                    if !m.contains(&x) {
                        m.push(x);
                    }
                }
            }
            None => by_profile.push((r.profile.id.clone(), missing)),
        }
    }
    by_profile
        .into_iter()
        .take(10)
        .map(|(profile, missing)| {
            RULE.finding(
                locate(cx, "inference-profile"),
                format!("`{profile}` can route to {}, but the policy does not allow the foundation model there", missing.join(", ")),
            )
            .fix(format!("allow the foundation model in {} (restricted with bedrock:InferenceProfileArn)", missing.join(", ")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::run_rule;

    #[test]
    fn missing_destination_regions_are_listed() {
        let f = run_rule(
            &RULE,
            r#"{"Statement":{"Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":["arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0","arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0"]}}"#,
        );
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message
                .contains("us-east-2, us-west-1, us-west-2, ca-central-1"),
            "{}",
            f[0].message
        );
        assert!(run_rule(
            &RULE,
            r#"{"Statement":{"Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":["arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0","arn:aws:bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0"]}}"#
        )
        .is_empty());
    }
}
