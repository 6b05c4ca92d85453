use keyless_config::aws::{sso_cache_path, CredentialSource};
use keyless_config::fs::read_text;
use keyless_config::json;
use keyless_config::time::parse_rfc3339;
use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD304",
        name: "sso-login-needed",
        severity: Severity::Warning,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks that an active IAM Identity Center (SSO) profile has a token that has not expired in
the AWS CLI's token cache (`~/.aws/sso/cache/<sha1>.json`).

## Why is this bad?
Without a token the SDK fails with `The SSO session associated with this profile has expired or
is otherwise invalid`. It is not a configuration error: logging in is all it takes, so this is a
warning.

## Example
A profile with `sso_session = corp` and no `aws sso login` since the token's `expiresAt`.

## Fix
`aws sso login --profile NAME`. Setting `awsAuthRefresh` (see KD306) lets Claude Code run it for
you when it finds the credentials expired.
"#,
    },
    why: "an SSO profile with no valid cached token cannot sign requests until you log in",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let name = cx.profile_name();
    let Ok(CredentialSource::Sso { session, start_url }) =
        cx.aws.credential_source(&cx.sdk_env(), &name)
    else {
        return Vec::new();
    };
    let Some(identifier) = session.or(start_url) else {
        return Vec::new();
    };
    let path = sso_cache_path(&cx.env, &identifier);
    let expires = read_text(&path)
        .ok()
        .flatten()
        .and_then(|t| json::parse(&t).ok())
        .and_then(|root| {
            root.get("expiresAt")
                .and_then(|m| m.node.as_str().and_then(parse_rfc3339))
        });
    let problem = match expires {
        None => "has not logged in (no cached SSO token)".to_string(),
        Some(t) if t <= cx.now => "has an expired SSO token".to_string(),
        Some(_) => return Vec::new(),
    };
    vec![RULE
        .finding(format!(
            "profile `{name}` {problem}; requests will fail until you log in"
        ))
        .fix(Fix::run(
            "log in to IAM Identity Center",
            format!("aws sso login --profile {name}"),
        ))]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    fn cache(fx: Fixture, expires: &str) -> Fixture {
        // sha1("corp")
        fx.file(
            ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json",
            &format!("{{\"accessToken\": \"x\", \"expiresAt\": \"{expires}\"}}"),
        )
    }

    #[test]
    fn missing_and_expired_tokens_warn_with_login_command() {
        let f = good().check(&RULE);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert_eq!(
            f[0].fix.as_ref().unwrap().command.as_deref(),
            Some("aws sso login --profile claude")
        );
        let f = cache(good(), "2026-11-27T11:00:00Z").check(&RULE);
        assert!(f[0].message.contains("expired"));
    }

    #[test]
    fn valid_token_passes() {
        assert!(cache(good(), "2026-11-27T20:00:00Z")
            .check(&RULE)
            .is_empty());
    }
}
