use keyless_catalog::Severity;
use keyless_config::aws::AwsFileKind;
use keyless_config::redact;

use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    id: "KD302",
    name: "static-keys-in-aws-files",
    severity: Severity::Error,
    since: "0.1.0",
    why: "long-lived access keys in plain text are valid until someone revokes them, wherever the file ends up",
    doc: r#"
## What it does
Checks every profile in `~/.aws/credentials` and `~/.aws/config` for `aws_access_key_id`.
Long-lived keys (no `aws_session_token`) are errors; temporary keys written there by another tool
are warnings.

## Why is this bad?
An access key in a file is the credential the seed guide itself calls the fastest way to get
hacked: it never expires, it is copied by backups and dotfile repositories, and any process
running as you can read it. SSO and roles give the same access with credentials that expire.

## Example
```ini
[bedrock-dev]
aws_access_key_id = AKIA…
aws_secret_access_key = …
```
Use instead (`~/.aws/config`):
```ini
[profile bedrock-dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = BedrockUser
region = us-east-1
```

## Fix
Run `keyless init --profile NAME --sso-start-url … --sso-region … --sso-account-id … --sso-role-name …`
(or `--role-arn`), check it with `keyless doctor`, then delete the key lines and deactivate the key
in IAM. keyless never copies a key anywhere.
"#,
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for file in [&cx.aws.credentials, &cx.aws.config] {
        let Some(doc) = &file.doc else { continue };
        for section in doc.sections() {
            let Some(key) = section.get("aws_access_key_id") else {
                continue;
            };
            let name = match file.kind {
                AwsFileKind::Credentials => section.header.clone(),
                AwsFileKind::Config => {
                    match keyless_config::aws::config_profile_name(&section.header) {
                        Some(n) => n,
                        None => continue,
                    }
                }
            };
            let temporary = section.get("aws_session_token").is_some()
                || section.get("aws_security_token").is_some();
            let (severity, what) = if temporary {
                (Severity::Warning, "temporary access keys")
            } else {
                (Severity::Error, "long-lived access keys")
            };
            out.push(
                RULE.finding(format!(
                    "profile `{name}` stores {what} in plain text (aws_access_key_id = {})",
                    redact(&key.value)
                ))
                .severity(severity)
                .at(&file.path, key.line)
                .fix(Fix::run(
                    format!("replace the keys of `{name}` with SSO or a role, then delete these lines and deactivate the key"),
                    format!(
                        "keyless init --profile {name} --sso-start-url URL --sso-region REGION --sso-account-id ID --sso-role-name ROLE"
                    ),
                )),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn seed_keys_are_an_error_at_their_line() {
        let f = seed().check(&RULE);
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].severity, f[0].line), (Severity::Error, Some(2)));
        assert!(f[0].file.as_ref().unwrap().ends_with(".aws/credentials"));
        assert!(!f[0].message.contains("YOUR_ACCESS_KEY"));
    }

    #[test]
    fn temporary_keys_are_a_warning_and_config_keys_count() {
        let fx = Fixture::new()
            .file(".aws/credentials", "[t]\naws_access_key_id = ASIAEXAMPLEEXAMPLE\naws_secret_access_key = s\naws_session_token = tok\n")
            .file(".aws/config", "[profile c]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n[notaprofile]\naws_access_key_id = x\n");
        let sev: Vec<_> = fx.check(&RULE).iter().map(|f| f.severity).collect();
        assert_eq!(sev, [Severity::Warning, Severity::Error]);
    }

    #[test]
    fn keyless_profiles_pass() {
        assert!(good().check(&RULE).is_empty());
    }
}
