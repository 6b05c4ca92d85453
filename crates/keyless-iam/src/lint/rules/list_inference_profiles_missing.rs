use keyless_rules::{RuleMeta, Severity, Status};

use super::bedrock::invokes_bedrock;
use crate::lint::{Finding, LintContext, PolicyType, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KP205",
        name: "list-inference-profiles-missing",
        severity: Severity::Warning,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks that a policy granting Bedrock invocation also grants `bedrock:ListInferenceProfiles` on
`"Resource": "*"`.

## Why is this bad?
Claude Code calls `ListInferenceProfiles` at start to choose the profile prefix. Without it,
"Claude Code applies the prefix without checking availability", and a wrong prefix fails with
400. The action has no resource-level permissions, so it only works on `*`.

## Example
A policy with `bedrock:InvokeModel*` on profile ARNs and nothing else.

## Fix
Add `{"Effect": "Allow", "Action": ["bedrock:ListInferenceProfiles", "bedrock:GetInferenceProfile"], "Resource": "*"}`
(`GetInferenceProfile` may be scoped to profile ARNs).
"#,
    },
    check,
};

fn check(cx: &LintContext) -> Vec<Finding> {
    if cx.kind != PolicyType::Identity
        || !invokes_bedrock(cx)
        || cx.grants("bedrock:ListInferenceProfiles", "*", &[])
    {
        return Vec::new();
    }
    let loc = cx
        .policy
        .statements
        .first()
        .map(|s| s.loc)
        .unwrap_or_default();
    vec![RULE
        .finding(loc, "the policy allows Bedrock invocation but not `bedrock:ListInferenceProfiles`, which Claude Code calls at start")
        .fix("add `bedrock:ListInferenceProfiles` on `\"Resource\": \"*\"`")]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::run_rule;

    #[test]
    fn needs_list_on_star() {
        assert_eq!(run_rule(&RULE, r#"{"Statement":{"Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":"arn:aws:bedrock:*:*:inference-profile/*"}}"#).len(), 1);
        assert_eq!(run_rule(&RULE, r#"{"Statement":[{"Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":"*"},{"Effect":"Allow","Action":"bedrock:ListInferenceProfiles","Resource":"arn:aws:bedrock:*:*:inference-profile/*"}]}"#).len(), 1);
        assert!(run_rule(&RULE, r#"{"Statement":[{"Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":"*"},{"Effect":"Allow","Action":"bedrock:List*","Resource":"*"}]}"#).is_empty());
    }
}
