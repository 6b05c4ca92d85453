use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD205",
        name: "region-missing",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks that a region reaches Claude Code: `AWS_REGION`, `AWS_DEFAULT_REGION`, or the `region` of
the active AWS profile.

## Why is this bad?
Claude Code 2.1.172+ falls back to `us-east-1`; older versions fail. Either way the inference
profile IDs, the IAM policy's ARNs and the region no longer agree, and requests fail with an
invalid model identifier or an access denial.

## Example
```json
{ "env": { "CLAUDE_CODE_USE_BEDROCK": "1", "AWS_PROFILE": "claude" } }
```
with no `region` in `[profile claude]`. Use instead:
```json
{ "env": { "CLAUDE_CODE_USE_BEDROCK": "1", "AWS_PROFILE": "claude", "AWS_REGION": "us-east-1" } }
```

## Fix
Set `AWS_REGION` in the settings `env` block (keyless init does). `--fix` cannot guess your region.
"#,
    },
    why: "with no region, Claude Code falls back to us-east-1, which may not be where your models and policy are",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    if !cx.bedrock_mode() || cx.region().is_some() {
        return Vec::new();
    }
    let file = super::bedrock_settings_file(cx);
    vec![RULE
        .finding(format!(
            "no region is set: neither AWS_REGION, AWS_DEFAULT_REGION nor a `region` in profile `{}`",
            cx.profile_name()
        ))
        .fix(Fix::say(format!("add \"AWS_REGION\": \"<region>\" to the env block of {}", file.display())))]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn flags_bedrock_mode_without_any_region() {
        let f = Fixture::new()
            .settings(r#"{"CLAUDE_CODE_USE_BEDROCK": "1"}"#)
            .check(&RULE);
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn profile_region_or_env_satisfies_it() {
        assert!(good().check(&RULE).is_empty());
        let fx = Fixture::new()
            .file(".aws/config", "[default]\nregion = eu-west-1\n")
            .settings(r#"{"CLAUDE_CODE_USE_BEDROCK": "1"}"#);
        assert!(fx.check(&RULE).is_empty());
    }
}
