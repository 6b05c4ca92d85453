use keyless_config::aws::CredentialSource;
use keyless_config::edit::Edit;
use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD306",
        name: "sso-without-auth-refresh",
        severity: Severity::Info,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks that an SSO profile used by Claude Code has an `awsAuthRefresh` command in the settings.

## Why is this bad?
SSO credentials expire (often hourly). Without `awsAuthRefresh`, every expiry ends the session
with a 403 and you must log in by hand and restart.

## Example
```json
{ "env": { "AWS_PROFILE": "claude" } }
```
Use instead:
```json
{ "awsAuthRefresh": "aws sso login --profile claude", "env": { "AWS_PROFILE": "claude" } }
```

## Fix
`keyless doctor --fix` adds `awsAuthRefresh` to the settings file that turns Bedrock on. Behind a
TLS-inspecting proxy the SSO browser flow can loop; remove the key if it does.
"#,
    },
    why: "with awsAuthRefresh, Claude Code runs the SSO login itself when credentials expire mid-session",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    if !cx.bedrock_mode() || cx.claude.effective_key("awsAuthRefresh").is_some() {
        return Vec::new();
    }
    let name = cx.profile_name();
    if !matches!(
        cx.aws.credential_source(&cx.sdk_env(), &name),
        Ok(CredentialSource::Sso { .. })
    ) {
        return Vec::new();
    }
    let command = format!("aws sso login --profile {name}");
    vec![RULE
        .finding(format!("profile `{name}` uses SSO but no `awsAuthRefresh` is set, so expired credentials end the session"))
        .fix(Fix::say(format!("set awsAuthRefresh to `{command}`")).with_edit(Edit::SetKey {
            path: super::bedrock_settings_file(cx),
            key: "awsAuthRefresh".into(),
            value: command,
        }))]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn sso_without_refresh_gets_an_edit() {
        let fx = Fixture::new()
            .file(".aws/config", "[profile s]\nsso_start_url = https://x/start\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n")
            .settings(r#"{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_PROFILE": "s"}"#);
        let f = fx.check(&RULE);
        assert_eq!(f.len(), 1);
        assert!(
            matches!(&f[0].fix.as_ref().unwrap().edits[0], Edit::SetKey { value, .. } if value == "aws sso login --profile s")
        );
    }

    #[test]
    fn present_refresh_or_non_sso_passes() {
        assert!(good().check(&RULE).is_empty());
        assert!(seed().check(&RULE).is_empty());
    }
}
