use keyless_config::aws::{AwsFileKind, CredentialSource};
use keyless_config::edit::Edit;
use keyless_config::redact;
use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD302",
        name: "static-keys-in-aws-files",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
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
(or `--role-arn`). Once the profile gets its credentials elsewhere, the finding names the exact
lines still holding the key, and `keyless doctor --fix` removes them (the backup it keeps has the
secret redacted). Then deactivate the key in IAM. keyless never copies a key anywhere.
"#,
    },
    why: "long-lived access keys in plain text are valid until someone revokes them, wherever the file ends up",
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
            let key_keys = [
                "aws_access_key_id",
                "aws_secret_access_key",
                "aws_session_token",
                "aws_security_token",
            ];
            let lines: Vec<usize> = key_keys
                .iter()
                .filter_map(|k| section.get(k).map(|p| p.line))
                .collect();
            let where_ = format!(
                "{}:{}",
                cx.env.display_path(&file.path),
                match (lines.iter().min(), lines.iter().max()) {
                    (Some(a), Some(b)) if a != b => format!("{a}-{b}"),
                    (Some(a), _) => a.to_string(),
                    _ => key.line.to_string(),
                }
            );
            // Environment variables aside, where would the SDK get this profile's
            // credentials if the keys were gone? Another source means `init` has been run
            // and the keys are only left over.
            let replaced_by = match cx.aws.profile_credential_source(&name) {
                Ok(CredentialSource::StaticKeys { .. } | CredentialSource::None) | Err(_) => None,
                Ok(other) => Some(describe(&other)),
            };
            let finding = match replaced_by {
                Some(source) => RULE
                    .finding(format!(
                        "profile `{name}` now gets credentials from {source}, but {where_} still holds its {what} in plain text (aws_access_key_id = {})",
                        redact(&key.value)
                    ))
                    .fix(
                        Fix::say(format!(
                            "delete lines {where_} (`keyless doctor --fix` does, keeping a backup with the secret redacted), then deactivate the key {} in IAM: aws iam update-access-key --status Inactive --access-key-id <that key>",
                            redact(&key.value)
                        ))
                        .with_edit(Edit::RemoveIni {
                            path: file.path.clone(),
                            section: section.header.clone(),
                            keys: key_keys.iter().map(|k| k.to_string()).collect(),
                        }),
                    ),
                None => RULE
                    .finding(format!(
                        "profile `{name}` stores {what} in plain text (aws_access_key_id = {})",
                        redact(&key.value)
                    ))
                    .fix(Fix::run(
                        format!("replace the keys of `{name}` with SSO or a role; the finding then names the lines to delete"),
                        format!(
                            "keyless init --profile {name} --sso-start-url URL --sso-region REGION --sso-account-id ID --sso-role-name ROLE"
                        ),
                    )),
            };
            out.push(finding.severity(severity).at(&file.path, key.line));
        }
    }
    out
}

/// A credential source in words, for a finding's message.
fn describe(source: &CredentialSource) -> String {
    match source {
        CredentialSource::Sso { .. } => "IAM Identity Center (SSO)".into(),
        CredentialSource::AssumeRole { role_arn, .. } => format!("the role {role_arn}"),
        CredentialSource::WebIdentity { .. } => "a web identity token".into(),
        CredentialSource::Process { .. } => "its credential_process".into(),
        CredentialSource::Login { .. } => "`aws login`".into(),
        other => other.kind().replace('-', " "),
    }
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
    fn after_init_the_finding_names_the_lines_and_fix_removes_them_without_the_secret() {
        // The seed's keys, once `init` gave the profile SSO in the config file.
        let secret = keyless_testkit::fake_secret(9);
        let fx = Fixture::new()
            .file(
                ".aws/credentials",
                &format!("# mine\n[other]\nregion = x\n\n[bedrock-dev]\naws_access_key_id = {}\naws_secret_access_key = {secret}\n", keyless_testkit::fake_key_id(9)),
            )
            .file(
                ".aws/config",
                "[profile bedrock-dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = R\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n",
            );
        let f = fx.check(&RULE);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("now gets credentials from IAM Identity Center (SSO), but ~/.aws/credentials:6-7 still holds"), "{}", f[0].message);
        assert!(!f[0].message.contains(&secret));
        let fix = f[0].fix.as_ref().unwrap();
        assert!(
            fix.description
                .starts_with("delete lines ~/.aws/credentials:6-7"),
            "{}",
            fix.description
        );
        let changes = keyless_config::edit::plan(&fix.edits).unwrap();
        assert_eq!(changes[0].after, "# mine\n[other]\nregion = x\n\n");
        assert!(
            !changes[0].diff().contains(&secret),
            "{}",
            changes[0].diff()
        );
        let w = changes[0].write().unwrap();
        let backup = std::fs::read_to_string(w.backup.unwrap()).unwrap();
        assert!(!backup.contains(&secret), "{backup}");
        assert!(
            backup.contains(&keyless_config::redact(&secret)),
            "{backup}"
        );
        assert!(fx.check(&RULE).is_empty());
    }

    #[test]
    fn keyless_profiles_pass() {
        assert!(good().check(&RULE).is_empty());
    }
}
