use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD307",
        name: "aws-default-profile-ignored",
        severity: Severity::Warning,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for `AWS_DEFAULT_PROFILE` set to a different profile than the one Claude Code uses
(`AWS_PROFILE`, else `default`).

## Why is this bad?
The AWS CLI (botocore) reads `AWS_DEFAULT_PROFILE` before `AWS_PROFILE`; the JavaScript SDK inside
Claude Code ignores it. `aws sts get-caller-identity` then reports one identity while Claude Code
signs with another, and permission errors make no sense.

## Example
```sh
export AWS_DEFAULT_PROFILE=admin   # the CLI uses admin, Claude Code uses default
```

## Fix
Unset `AWS_DEFAULT_PROFILE` and use `AWS_PROFILE` only.
"#,
    },
    why: "the AWS CLI honours AWS_DEFAULT_PROFILE but Claude Code's SDK does not, so the two use different identities",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let Some(e) = cx.var("AWS_DEFAULT_PROFILE") else {
        return Vec::new();
    };
    let used = cx.profile_name();
    if e.value == used {
        return Vec::new();
    }
    vec![RULE
        .finding(format!(
            "AWS_DEFAULT_PROFILE is `{}` but Claude Code uses profile `{used}`; the AWS CLI and Claude Code will act as different identities",
            e.value
        ))
        .at_opt(e.from.location())
        .fix(Fix::say("unset AWS_DEFAULT_PROFILE and set AWS_PROFILE only"))]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn differing_default_profile_warns() {
        assert_eq!(
            good()
                .var("AWS_DEFAULT_PROFILE", "admin")
                .check(&RULE)
                .len(),
            1
        );
        assert!(good()
            .var("AWS_DEFAULT_PROFILE", "claude")
            .check(&RULE)
            .is_empty());
        assert!(good().check(&RULE).is_empty());
    }
}
