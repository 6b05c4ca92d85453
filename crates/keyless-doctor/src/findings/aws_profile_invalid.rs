use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD305",
        name: "aws-profile-invalid",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks the active profile's credential settings the way the AWS CLI validates them: `role_arn`
with exactly one of `source_profile` / `credential_source`, a `source_profile` that exists and
does not loop, a known `credential_source`, SSO settings that are complete and agree with their
`[sso-session]`, and a `role_arn` for web identity.

## Why is this bad?
The SDK raises an "invalid configuration" error before any request is made.

## Example
```ini
[profile claude]
role_arn = arn:aws:iam::111122223333:role/Bedrock
```
(no `source_profile` or `credential_source`). Use instead:
```ini
[profile claude]
role_arn = arn:aws:iam::111122223333:role/Bedrock
source_profile = sso-base
```

## Fix
Edit the profile as the message says, or rewrite it with `keyless init --profile NAME`.
"#,
    },
    why: "the AWS SDKs refuse a profile configured this way, so no credentials are ever resolved",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let name = cx.profile_name();
    match cx.aws.credential_source(&cx.sdk_env(), &name) {
        Err(p) => {
            let profile = cx.aws.profile(&name);
            let loc = profile.as_ref().and_then(|p| {
                p.config_section
                    .as_ref()
                    .map(|(_, line)| (cx.aws.config.path.as_path(), *line))
                    .or(p
                        .credentials_line
                        .map(|l| (cx.aws.credentials.path.as_path(), l)))
            });
            vec![RULE
                .finding(format!("profile `{name}`: {}", p.message))
                .at_opt(loc)
                .fix(Fix::run(
                    "fix or rewrite the profile",
                    format!("keyless init --profile {name}"),
                ))]
        }
        Ok(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn role_without_source_is_flagged_at_the_section() {
        let fx = Fixture::new()
            .file(".aws/config", "[default]\nregion=us-east-1\n\n[profile claude]\nrole_arn = arn:aws:iam::111122223333:role/B\n")
            .var("AWS_PROFILE", "claude");
        let f = fx.check(&RULE);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].line, Some(4));
        assert!(f[0]
            .message
            .contains("neither `source_profile` nor `credential_source`"));
    }

    #[test]
    fn valid_profiles_pass() {
        assert!(good().check(&RULE).is_empty());
        assert!(seed().check(&RULE).is_empty());
    }
}
