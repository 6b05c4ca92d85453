use keyless_rules::{RuleMeta, Severity, Status};

use super::bedrock::{grants_destination, grants_profile, locate, routes, STREAM};
use crate::lint::{Finding, LintContext, PolicyType, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KP204",
        name: "global-profile-without-regionless-arn",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks that a policy allowing a `global.` inference profile also allows the region-less
foundation-model ARN `arn:aws:bedrock:::foundation-model/MODEL` (a `*` region, as in
`arn:aws:bedrock:*::foundation-model/…`, covers it: `*` matches the empty region too).

## Why is this bad?
Requests through a global profile are authorised against the region-less ARN (AWS's own global
example grants it; service control policy denials name it). Regional ARNs alone deny them.

## Example
```json
{ "Effect": "Allow", "Action": "bedrock:InvokeModel*", "Resource": [
  "arn:aws:bedrock:us-east-2:111122223333:inference-profile/global.anthropic.claude-opus-4-6-v1",
  "arn:aws:bedrock:*::foundation-model/anthropic.claude-opus-4-6-v1" ] }
```
Use instead: add `"arn:aws:bedrock:::foundation-model/anthropic.claude-opus-4-6-v1"`.

## Fix
Add the region-less ARN, restricted with `bedrock:InferenceProfileArn`.
"#,
    },
    check,
};

fn check(cx: &LintContext) -> Vec<Finding> {
    if cx.kind != PolicyType::Identity {
        return Vec::new();
    }
    let mut seen: Vec<String> = Vec::new();
    for r in routes().filter(|r| r.profile.prefix == "global") {
        if seen.contains(&r.profile.id) || !grants_profile(cx, STREAM, &r) {
            continue;
        }
        if !grants_destination(cx, STREAM, &r, "") {
            seen.push(r.profile.id.clone());
        }
    }
    seen.into_iter()
        .map(|id| {
            let base = id.trim_start_matches("global.");
            RULE.finding(locate(cx, "global."), format!("`{id}` is allowed but `arn:aws:bedrock:::foundation-model/{base}`, which global routing is authorised against, is not"))
                .fix(format!("allow arn:aws:bedrock:::foundation-model/{base}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::run_rule;

    #[test]
    fn regionless_arn_required() {
        let base = r#"{"Statement":{"Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":["arn:aws:bedrock:*:*:inference-profile/global.anthropic.claude-opus-4-6-v1","arn:aws:bedrock:us-*::foundation-model/anthropic.claude-opus-4-6-v1","arn:aws:bedrock:eu-*::foundation-model/anthropic.claude-opus-4-6-v1"EXTRA]}}"#;
        assert_eq!(run_rule(&RULE, &base.replace("EXTRA", "")).len(), 1);
        assert!(run_rule(
            &RULE,
            &base.replace(
                "EXTRA",
                r#","arn:aws:bedrock:::foundation-model/anthropic.claude-opus-4-6-v1""#
            )
        )
        .is_empty());
    }
}
