use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD301",
        name: "aws-profile-not-found",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks that the profile named by `AWS_PROFILE` exists in `~/.aws/config` or
`~/.aws/credentials`. Profile names are case-sensitive; a near match is named.

## Why is this bad?
The SDK stops with `The config profile (Name) could not be found` (or, in Claude Code, an API
error about credentials) on the first request.

## Example
```json
{ "env": { "AWS_PROFILE": "Bedrock-Dev" } }
```
with `[profile bedrock-dev]` in `~/.aws/config`.

## Fix
Use the profile's exact name, or create the profile with `keyless init --profile NAME`.
"#,
    },
    why: "an AWS_PROFILE naming no profile makes every AWS SDK call fail before it starts",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let Some(e) = cx.var("AWS_PROFILE") else {
        return Vec::new();
    };
    if cx.aws.profile(&e.value).is_some() {
        return Vec::new();
    }
    let near = cx.aws.near_matches(&e.value);
    let message = match near.first() {
        Some(n) => format!("AWS_PROFILE is `{}`, but no such profile exists; profile names are case-sensitive: did you mean `{n}`?", e.value),
        None => format!(
            "AWS_PROFILE is `{}`, but neither {} nor {} defines it",
            e.value,
            cx.aws.config.path.display(),
            cx.aws.credentials.path.display()
        ),
    };
    let fix = match near.first() {
        Some(n) => {
            let mut fix = Fix::say(format!("set AWS_PROFILE to `{n}`"));
            if let Some(edit) = super::settings_edit(&e.from, "AWS_PROFILE", n) {
                fix = fix.with_edit(edit);
            }
            fix
        }
        None => Fix::run(
            "create the profile",
            format!("keyless init --profile {}", e.value),
        ),
    };
    vec![RULE.finding(message).at_opt(e.from.location()).fix(fix)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn case_mismatch_names_the_near_match() {
        let fx = Fixture::new()
            .file(".aws/config", "[profile bedrock-dev]\nregion = us-east-1\n")
            .settings(r#"{"AWS_PROFILE": "Bedrock-Dev"}"#);
        let f = fx.check(&RULE);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("did you mean `bedrock-dev`"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].fix.as_ref().unwrap().edits.len(), 1);
    }

    #[test]
    fn missing_profile_without_near_match_suggests_init() {
        let f = Fixture::new().var("AWS_PROFILE", "nope").check(&RULE);
        assert_eq!(
            f[0].fix.as_ref().unwrap().command.as_deref(),
            Some("keyless init --profile nope")
        );
    }

    #[test]
    fn existing_profiles_pass() {
        assert!(good().check(&RULE).is_empty());
        assert!(seed().check(&RULE).is_empty());
    }
}
