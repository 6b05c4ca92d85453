use keyless_rules::{RuleMeta, Severity, Status};

use super::live_findings;
use crate::live::{Cause, LiveReport};
use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD504",
        name: "live-access-denied",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks (with `--live`) every `AccessDeniedException` from a probe (ListInferenceProfiles,
GetInferenceProfile, the streaming invocation) and makes each a finding that names the exact action and
resource Bedrock refused, and the statement that allows it.

## Why is this bad?
Claude Code retries a 403 for about 35 seconds and then shows `AccessDeniedException`; the usual
causes are a policy with foundation-model ARNs but no `inference-profile` ARN, a missing
destination region, or `InvokeModel` without `InvokeModelWithResponseStream`.

## Example
`User: arn:aws:sts::…:assumed-role/claude/s is not authorized to perform:
bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-1:…:inference-profile/us.anthropic…`

## Fix
Add the statement shown, or replace the policy with the one `keyless policy bedrock
--claude-code` writes for your models and regions.
"#,
    },
    why: "an identity policy does not allow a call Claude Code makes, so it fails with AccessDeniedException",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    live_findings(cx, findings)
}

fn findings(live: &LiveReport) -> Vec<Finding> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for (probe, _, cause) in live.failures_with(|c| matches!(c, Cause::AccessDenied { .. })) {
        let Cause::AccessDenied { action, resource } = cause else {
            continue;
        };
        if seen.contains(&(action.clone(), resource.clone())) {
            continue;
        }
        seen.push((action.clone(), resource.clone()));
        // The statement that allows exactly this request, as keyless-iam writes it.
        let statement = keyless_iam::evaluate::suggested_statement(&keyless_iam::Request {
            action: action.clone(),
            resource: resource.clone(),
            ..Default::default()
        })
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
        out.push(
            RULE.finding(format!(
                "{probe}: {action} on {resource} is not allowed by any identity policy"
            ))
            .fix(Fix::run(
                format!("add {statement} to the policy, or use the generated one"),
                format!(
                    "keyless policy bedrock --claude-code --region {} --model MODEL",
                    live.region
                ),
            )),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::testing::*;

    #[test]
    fn names_the_missing_permission_once() {
        let mut r = report();
        let denied = service("AccessDeniedException", "User: arn:aws:iam::1:user/u is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-1:1:inference-profile/us.m because no identity-based policy allows the bedrock:InvokeModelWithResponseStream action");
        r.models[0].invoke = Some(Err(denied.clone()));
        r.models.push(r.models[0].clone());
        let f = findings(&r);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("bedrock:InvokeModelWithResponseStream on arn:aws:bedrock:us-east-1:1:inference-profile/us.m"));
        assert!(f[0]
            .fix
            .as_ref()
            .unwrap()
            .description
            .contains("\"Action\": \"bedrock:InvokeModelWithResponseStream\""));
    }
}
