use keyless_rules::{RuleMeta, Severity, Status};

use super::bedrock::{
    foundation_model_arn, grants_profile, invokes_bedrock, locate, routes, INVOKE, STREAM,
};
use crate::lint::{Finding, LintContext, PolicyType, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KP201",
        name: "streaming-not-granted",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks that wherever the policy allows `bedrock:InvokeModel`, it also allows
`bedrock:InvokeModelWithResponseStream`.

## Why is this bad?
Claude Code sends every conversation turn with `InvokeModelWithResponseStream` (and only its
availability probes with `InvokeModel`). A policy with `InvokeModel` alone passes the probes and
fails the first prompt with `AccessDeniedException`.

## Example
```json
{ "Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": "arn:aws:bedrock:*:*:inference-profile/us.anthropic.*" }
```
Use instead:
```json
{ "Effect": "Allow", "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"], "Resource": "…" }
```

## Fix
Add `bedrock:InvokeModelWithResponseStream` to the statement.
"#,
    },
    check,
};

fn check(cx: &LintContext) -> Vec<Finding> {
    if cx.kind != PolicyType::Identity || !invokes_bedrock(cx) {
        return Vec::new();
    }
    let mut missing = Vec::new();
    for r in routes() {
        let arn = r.profile_arn();
        if grants_profile(cx, INVOKE, &r) && !grants_profile(cx, STREAM, &r) {
            missing.push(arn);
        } else {
            for d in &r.profile.destinations {
                let fm = foundation_model_arn(d, &r.model.id);
                if cx.grants(INVOKE, &fm, &[("bedrock:InferenceProfileArn", &arn)])
                    && !cx.grants(STREAM, &fm, &[("bedrock:InferenceProfileArn", &arn)])
                {
                    missing.push(fm);
                }
            }
        }
        if !missing.is_empty() {
            break;
        }
    }
    match missing.first() {
        Some(example) => vec![RULE
            .finding(locate(cx, "bedrock"), format!("`bedrock:InvokeModel` is allowed without `bedrock:InvokeModelWithResponseStream` (for example on {example}); Claude Code streams every reply"))
            .fix("add `bedrock:InvokeModelWithResponseStream` next to `bedrock:InvokeModel`")],
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::run_rule;

    #[test]
    fn invoke_without_stream() {
        assert_eq!(run_rule(&RULE, r#"{"Statement":{"Effect":"Allow","Action":"bedrock:InvokeModel","Resource":"arn:aws:bedrock:*:*:inference-profile/*"}}"#).len(), 1);
        assert!(run_rule(&RULE, r#"{"Statement":{"Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":"arn:aws:bedrock:*:*:inference-profile/*"}}"#).is_empty());
    }
}
