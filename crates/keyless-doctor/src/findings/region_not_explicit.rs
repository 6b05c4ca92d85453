use keyless_config::edit::Edit;
use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD207",
        name: "region-not-explicit",
        severity: Severity::Warning,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks that `AWS_REGION` itself is set when the region otherwise comes only from
`AWS_DEFAULT_REGION` or the profile's `region`.

## Why is this bad?
Claude Code up to 2.1.171 ignores the AWS config files for the region and requires `AWS_REGION`;
on those versions the setup fails with `The provided model identifier is invalid`
(anthropics/claude-code#1434). Setting it explicitly works on every version.

## Example
```ini
[profile claude]
region = us-east-1
```
with no `AWS_REGION` in the settings. Use instead: also set `"AWS_REGION": "us-east-1"` in the
settings `env` block.

## Fix
`keyless doctor --fix` adds `AWS_REGION` with the region your profile already uses.
"#,
    },
    why: "Claude Code before 2.1.172 reads the region only from AWS_REGION, not from ~/.aws/config",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    if !cx.bedrock_mode() || cx.var("AWS_REGION").is_some() {
        return Vec::new();
    }
    let Some(region) = cx.region() else {
        return Vec::new();
    };
    let file = super::bedrock_settings_file(cx);
    vec![RULE
        .finding(format!(
            "AWS_REGION is not set; the region `{region}` comes from {}, which Claude Code before 2.1.172 does not read",
            if cx.var("AWS_DEFAULT_REGION").is_some() { "AWS_DEFAULT_REGION" } else { "the AWS profile" }
        ))
        .fix(Fix::say(format!("set AWS_REGION to `{region}`")).with_edit(Edit::SetEnv {
            path: file,
            key: "AWS_REGION".into(),
            value: region,
        }))]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn region_only_in_profile_is_flagged_with_an_edit() {
        let fx = Fixture::new()
            .file(".aws/config", "[default]\nregion = eu-west-1\n")
            .settings(r#"{"CLAUDE_CODE_USE_BEDROCK": "1"}"#);
        let f = fx.check(&RULE);
        assert_eq!(f.len(), 1);
        assert!(
            matches!(&f[0].fix.as_ref().unwrap().edits[0], Edit::SetEnv { value, .. } if value == "eu-west-1")
        );
    }

    #[test]
    fn explicit_region_is_fine() {
        assert!(good().check(&RULE).is_empty());
    }
}
