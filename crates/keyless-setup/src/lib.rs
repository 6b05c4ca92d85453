//! `keyless init`: turn a person's choices into the edits that give them a working,
//! keyless Claude Code on Bedrock setup.
//!
//! The planner is pure: it reads the current files, decides, and returns [`Edit`]s plus
//! notes; the binary shows the diff, asks, and writes. It never writes a secret: the
//! only credential settings it produces name where credentials come from (an SSO
//! session, a role, the compute's own role), never a key. Keys it finds are reported,
//! not copied.

use std::fmt;

use keyless_catalog::{diagnose, Catalog, Date, Lifecycle, Verdict};
use keyless_config::aws::{AwsFiles, CredentialSource};
use keyless_config::claude::{settings_path, Scope};
use keyless_config::edit::Edit;
use keyless_config::Environment;

/// How the profile gets its credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// IAM Identity Center.
    Sso {
        /// The access portal URL.
        start_url: String,
        /// The Identity Center region.
        sso_region: String,
        /// The account.
        account_id: String,
        /// The permission set (role) name.
        role_name: String,
        /// Name of the `[sso-session]` section (defaults to the profile name).
        session_name: Option<String>,
    },
    /// Assume a role, from another profile or a named source.
    Role {
        /// The role.
        role_arn: String,
        /// The profile whose credentials call AssumeRole.
        source_profile: Option<String>,
        /// Or `Environment`, `Ec2InstanceMetadata`, `EcsContainer`.
        credential_source: Option<String>,
    },
    /// The compute's own role (EC2, ECS, Lambda): the profile holds the region only.
    InstanceRole,
    /// Use the profile as it is.
    Existing,
}

/// Everything `init` needs.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// Profile name (case-sensitive, as written in `AWS_PROFILE`).
    pub profile: String,
    /// Bedrock region.
    pub region: String,
    /// Primary model: alias or ID.
    pub model: String,
    /// Background (Haiku-class) model: alias or ID.
    pub background_model: String,
    /// Write a model string the catalog does not know as given (an ID newer than the
    /// catalog), instead of refusing it.
    pub allow_unknown_model: bool,
    /// Credential source.
    pub credentials: Credentials,
    /// Which settings file to write.
    pub scope: Scope,
}

/// A refusal to plan, with what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupError {
    /// What is wrong.
    pub message: String,
    /// What to do next.
    pub hint: Option<String>,
}

impl fmt::Display for SetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

fn err(message: impl Into<String>, hint: impl Into<String>) -> SetupError {
    SetupError {
        message: message.into(),
        hint: Some(hint.into()),
    }
}

/// The plan: edits to make and notes to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitPlan {
    /// The edits, AWS config first.
    pub edits: Vec<Edit>,
    /// The inference-profile ID written for the primary model.
    pub model_id: String,
    /// The inference-profile ID written for the background model.
    pub background_model_id: String,
    /// Things the person should know (keys found, legacy models).
    pub notes: Vec<String>,
}

/// Resolves what a person typed for a model to the string `init` writes: the
/// inference-profile ID that works from `region`.
///
/// Everything goes through the catalog's one diagnosis ([`diagnose`]), so `init` never
/// writes a string `doctor` then flags as an error:
/// - an exact ID that works from the region is written as given (a Legacy one with a note);
/// - an application-inference-profile or provisioned-model ARN is written as given (only
///   Bedrock can check it; the note says so);
/// - anything that names a catalog model (an alias such as `sonnet-4.5`, `haiku 4.5`, a
///   display name, the Anthropic API's ID, a broken or wrong-geography ID, a Claude Code
///   alias such as `sonnet`) becomes that model's profile ID for the region;
/// - a model that reached end of life, or has no profile callable from the region, is
///   refused, as is a string the catalog cannot place, unless `allow_unknown` is set for an
///   ID newer than the catalog.
pub fn resolve_model(
    input: &str,
    region: &str,
    today: Date,
    allow_unknown: bool,
    notes: &mut Vec<String>,
) -> Result<String, SetupError> {
    let catalog = Catalog::embedded();
    let d = diagnose(catalog, input, Some(region), today);
    let choices = || {
        format!(
            "choose one of: {} (or an exact ID from `keyless models --region {region}`)",
            catalog.aliases().join(", ")
        )
    };
    match d.verdict() {
        Verdict::NeedsLiveCheck => {
            notes.extend(d.problems.iter().map(|p| format!("{input}: {}", p.message)));
            return Ok(input.trim().to_string());
        }
        Verdict::Unknown if allow_unknown => {
            notes.push(format!(
                "{input}: written as given (--allow-unknown-model); keyless's catalog (as of {}) does not know it: `keyless doctor --live` asks Bedrock",
                catalog.as_of
            ));
            return Ok(input.to_string());
        }
        _ if d.model.is_some() && !d.has_error() => {
            // An exact ID that works from the region: written as the person wrote it.
            notes.extend(d.problems.iter().map(|p| format!("{input}: {}", p.message)));
            return Ok(input.to_string());
        }
        _ => {}
    }
    let model = catalog.resolve(input, Some(region), today).ok_or_else(|| {
        let what = match d.verdict() {
            Verdict::Unknown => format!(
                "`{input}` is not in keyless's catalog (as of {}); if it is a model newer than the catalog, pass --allow-unknown-model to write it as given",
                catalog.as_of
            ),
            _ => format!("`{input}` does not name a model keyless knows"),
        };
        err(what, choices())
    })?;
    match model.lifecycle_on(today) {
        Lifecycle::EndOfLife => {
            return Err(err(
                format!(
                    "`{input}` is {}, which reached end of life on Bedrock{}",
                    model.name,
                    model
                        .eol_date
                        .map(|d| format!(" on {d}"))
                        .unwrap_or_default()
                ),
                format!("choose a current model: `keyless models --region {region}`"),
            ))
        }
        Lifecycle::Legacy => notes.push(format!(
            "{} is Legacy on Bedrock (new AWS accounts cannot use it{})",
            model.name,
            model
                .eol_date
                .map(|d| format!("; end of life {d}"))
                .unwrap_or_default()
        )),
        Lifecycle::Active => {}
    }
    let profile = model.best_profile(region).ok_or_else(|| {
        err(
            format!(
                "{} has no inference profile callable from {region}",
                model.name
            ),
            format!("`keyless models --region {region}` lists the models you can use there"),
        )
    })?;
    if input.trim() != profile.id {
        notes.push(format!(
            "`{input}` → `{}` ({} from {region})",
            profile.id, model.name
        ));
    }
    if profile.prefix == "global" {
        notes.push(format!(
            "{}: a global profile; Bedrock may serve requests in any commercial region",
            profile.id
        ));
    }
    if profile.regions_inferred {
        notes.push(format!(
            "{}: the catalog's region list for this profile is inferred; `keyless doctor --live` confirms it",
            profile.id
        ));
    }
    Ok(profile.id.clone())
}

/// The config-file section header of a profile.
pub fn section_for(profile: &str) -> String {
    if profile == "default" {
        "default".into()
    } else {
        format!("profile {profile}")
    }
}

const CREDENTIAL_KEYS: &[&str] = &[
    "role_arn",
    "source_profile",
    "credential_source",
    "web_identity_token_file",
    "sso_session",
    "sso_start_url",
    "sso_account_id",
    "sso_role_name",
    "credential_process",
    "login_session",
];

/// Plans `init`.
pub fn plan(env: &Environment, opts: &InitOptions, today: Date) -> Result<InitPlan, SetupError> {
    let file_error = |e: keyless_config::FileError| SetupError {
        message: e.to_string(),
        hint: Some("fix the file, then run `keyless init` again; nothing was written".into()),
    };
    let aws = AwsFiles::load(env).map_err(file_error)?;
    // Every settings layer must be valid before anything is planned, as for `doctor`.
    keyless_config::claude::ClaudeSettings::load(env).map_err(file_error)?;
    let catalog = Catalog::embedded();
    if !Catalog::looks_like_region(&opts.region) || !catalog.has_runtime(&opts.region) {
        return Err(err(
            format!("`{}` is not a region with a Bedrock runtime", opts.region),
            "pass --region with a region from `keyless models`",
        ));
    }
    if opts.profile.is_empty()
        || !opts
            .profile
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-/.%@:+".contains(c))
    {
        return Err(err(
            format!("`{}` is not a valid profile name", opts.profile),
            "use letters, digits and _-/.%@:+ only",
        ));
    }
    let mut notes = Vec::new();
    let model_id = resolve_model(
        &opts.model,
        &opts.region,
        today,
        opts.allow_unknown_model,
        &mut notes,
    )?;
    let background_model_id = resolve_model(
        &opts.background_model,
        &opts.region,
        today,
        opts.allow_unknown_model,
        &mut notes,
    )?;

    let config = aws.config.path.clone();
    let section = section_for(&opts.profile);
    let existing = aws.profile(&opts.profile);
    let set = |key: &str, value: &str| Edit::SetIni {
        path: config.clone(),
        section: section.clone(),
        key: key.into(),
        value: value.into(),
    };
    let mut edits = Vec::new();

    // Refuse to graft one credential source onto a profile that has another.
    let ours: &[&str] = match &opts.credentials {
        Credentials::Sso { .. } => &["sso_session", "sso_account_id", "sso_role_name"],
        Credentials::Role {
            source_profile: Some(_),
            ..
        } => &["role_arn", "source_profile"],
        Credentials::Role { .. } => &["role_arn", "credential_source"],
        Credentials::InstanceRole | Credentials::Existing => &[],
    };
    if let (Some(p), false) = (&existing, matches!(opts.credentials, Credentials::Existing)) {
        let theirs: Vec<&str> = CREDENTIAL_KEYS
            .iter()
            .copied()
            .filter(|k| p.settings.contains_key(*k) && !ours.contains(k))
            .collect();
        if !theirs.is_empty() {
            return Err(err(
                format!(
                    "profile `{}` already gets credentials another way ({}); keyless will not mix two sources in one profile",
                    opts.profile,
                    theirs.join(", ")
                ),
                "use --existing to keep it, or choose a new --profile name",
            ));
        }
    }

    match &opts.credentials {
        Credentials::Sso {
            start_url,
            sso_region,
            account_id,
            role_name,
            session_name,
        } => {
            let session = session_name.clone().unwrap_or_else(|| opts.profile.clone());
            let ssec = format!("sso-session {session}");
            for (k, v) in [
                ("sso_start_url", start_url.as_str()),
                ("sso_region", sso_region.as_str()),
                ("sso_registration_scopes", "sso:account:access"),
            ] {
                edits.push(Edit::SetIni {
                    path: config.clone(),
                    section: ssec.clone(),
                    key: k.into(),
                    value: v.into(),
                });
            }
            edits.push(set("sso_session", &session));
            edits.push(set("sso_account_id", account_id));
            edits.push(set("sso_role_name", role_name));
            edits.push(set("region", &opts.region));
        }
        Credentials::Role {
            role_arn,
            source_profile,
            credential_source,
        } => {
            match (source_profile, credential_source) {
                (Some(src), None) => {
                    if aws.profile(src).is_none() {
                        return Err(err(
                            format!("--source-profile `{src}` does not exist"),
                            format!("create it first (for example `keyless init --profile {src} --sso-start-url ...`)"),
                        ));
                    }
                    edits.push(set("role_arn", role_arn));
                    edits.push(set("source_profile", src));
                }
                (None, Some(cs)) => {
                    if !["Environment", "Ec2InstanceMetadata", "EcsContainer"].contains(&cs.as_str()) {
                        return Err(err(
                            format!("--credential-source `{cs}` is not one the AWS SDKs know"),
                            "use Environment, Ec2InstanceMetadata or EcsContainer",
                        ));
                    }
                    edits.push(set("role_arn", role_arn));
                    edits.push(set("credential_source", cs));
                }
                _ => {
                    return Err(err(
                        "--role-arn needs exactly one of --source-profile or --credential-source",
                        "for example: --role-arn arn:aws:iam::111122223333:role/Bedrock --source-profile sso-base",
                    ))
                }
            }
            edits.push(set("region", &opts.region));
        }
        Credentials::InstanceRole => edits.push(set("region", &opts.region)),
        Credentials::Existing => {
            if existing.is_none() {
                return Err(err(
                    format!("--existing: profile `{}` does not exist", opts.profile),
                    "choose a credential source: --sso-start-url ..., --role-arn ... or --instance-role",
                ));
            }
        }
    }

    // Keys are reported, never copied.
    for name in aws.profile_names() {
        if let Ok(CredentialSource::StaticKeys { file, line, .. }) =
            aws.profile_credential_source(&name)
        {
            let path = &aws.file(file).path;
            notes.push(format!(
                "profile `{name}` holds access keys in plain text ({}:{line}); keyless did not copy them. \
                 Once the profile gets credentials elsewhere, `keyless doctor --fix` removes those lines \
                 (its backup keeps no secret); then deactivate the key in IAM.",
                path.display()
            ));
        }
    }

    let settings = settings_path(env, opts.scope);
    let env_edit = |key: &str, value: &str| Edit::SetEnv {
        path: settings.clone(),
        key: key.into(),
        value: value.into(),
    };
    edits.push(env_edit("CLAUDE_CODE_USE_BEDROCK", "1"));
    edits.push(env_edit("AWS_PROFILE", &opts.profile));
    edits.push(env_edit("AWS_REGION", &opts.region));
    edits.push(env_edit("ANTHROPIC_MODEL", &model_id));
    edits.push(env_edit(
        "ANTHROPIC_DEFAULT_HAIKU_MODEL",
        &background_model_id,
    ));
    edits.push(Edit::RemoveEnv {
        path: settings.clone(),
        key: "ANTHROPIC_SMALL_FAST_MODEL".into(),
    });
    let is_sso = matches!(opts.credentials, Credentials::Sso { .. })
        || (matches!(opts.credentials, Credentials::Existing)
            && matches!(
                aws.profile_credential_source(&opts.profile),
                Ok(CredentialSource::Sso { .. })
            ));
    if is_sso {
        edits.push(Edit::SetKey {
            path: settings.clone(),
            key: "awsAuthRefresh".into(),
            value: format!("aws sso login --profile {}", opts.profile),
        });
    }
    Ok(InitPlan {
        edits,
        model_id,
        background_model_id,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyless_config::edit::plan as plan_edits;

    fn today() -> Date {
        Date::parse("2026-11-27").unwrap()
    }

    fn sso_opts() -> InitOptions {
        InitOptions {
            profile: "claude".into(),
            region: "us-east-1".into(),
            model: "sonnet".into(),
            background_model: "haiku".into(),
            allow_unknown_model: false,
            credentials: Credentials::Sso {
                start_url: "https://corp.awsapps.com/start".into(),
                sso_region: "us-east-1".into(),
                account_id: "111122223333".into(),
                role_name: "BedrockUser".into(),
                session_name: None,
            },
            scope: Scope::User,
        }
    }

    #[test]
    fn sso_plan_writes_profile_session_and_settings_without_keys() {
        let home = tempfile::tempdir().unwrap();
        let env = Environment::new(home.path(), home.path());
        let p = plan(&env, &sso_opts(), today()).unwrap();
        assert_eq!(p.model_id, "us.anthropic.claude-sonnet-5");
        assert_eq!(
            p.background_model_id,
            "us.anthropic.claude-haiku-4-5-20251001-v1:0"
        );
        let changes = plan_edits(&p.edits).unwrap();
        assert_eq!(changes.len(), 2);
        let config = &changes[0].after;
        assert_eq!(
            config,
            "[sso-session claude]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n[profile claude]\nsso_session = claude\nsso_account_id = 111122223333\nsso_role_name = BedrockUser\nregion = us-east-1\n"
        );
        let settings = &changes[1].after;
        assert!(
            settings.contains("\"awsAuthRefresh\": \"aws sso login --profile claude\""),
            "{settings}"
        );
        assert!(!settings.contains("SMALL_FAST"));
        assert!(!config.contains("aws_access_key_id") && !settings.contains("AWS_ACCESS_KEY_ID"));
    }

    #[test]
    fn second_run_changes_nothing() {
        let home = tempfile::tempdir().unwrap();
        let env = Environment::new(home.path(), home.path());
        for c in plan_edits(&plan(&env, &sso_opts(), today()).unwrap().edits).unwrap() {
            c.write().unwrap();
        }
        assert!(plan_edits(&plan(&env, &sso_opts(), today()).unwrap().edits)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn refuses_to_mix_sources_and_reports_keys() {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(home.path().join(".aws")).unwrap();
        std::fs::write(home.path().join(".aws/config"), "[profile claude]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\n[profile base]\n").unwrap();
        std::fs::write(
            home.path().join(".aws/credentials"),
            "[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n",
        )
        .unwrap();
        let env = Environment::new(home.path(), home.path());
        let e = plan(&env, &sso_opts(), today()).unwrap_err();
        assert!(e.message.contains("role_arn, source_profile"), "{e}");
        let mut o = sso_opts();
        o.credentials = Credentials::Existing;
        let p = plan(&env, &o, today()).unwrap();
        assert!(
            p.notes
                .iter()
                .any(|n| n.contains("profile `base` holds access keys")),
            "{:?}",
            p.notes
        );
        assert!(
            !p.edits.iter().any(|e| matches!(e, Edit::SetKey { .. })),
            "role profile gets no awsAuthRefresh"
        );
    }

    #[test]
    fn bad_inputs_are_refused_with_hints() {
        let home = tempfile::tempdir().unwrap();
        let env = Environment::new(home.path(), home.path());
        let mut o = sso_opts();
        o.region = "us-east1".into();
        assert!(plan(&env, &o, today()).is_err());
        let mut o = sso_opts();
        o.model = "sonnet-4".into();
        assert!(plan(&env, &o, today())
            .unwrap_err()
            .message
            .contains("end of life"));
        let mut o = sso_opts();
        o.model = "gpt-5".into();
        assert!(plan(&env, &o, today())
            .unwrap_err()
            .hint
            .unwrap()
            .contains("haiku-4.5"));
        let mut o = sso_opts();
        o.credentials = Credentials::Role {
            role_arn: "arn:aws:iam::1:role/r".into(),
            source_profile: None,
            credential_source: None,
        };
        assert!(plan(&env, &o, today()).is_err());
    }

    #[test]
    fn instance_role_profile_holds_only_the_region() {
        let home = tempfile::tempdir().unwrap();
        let env = Environment::new(home.path(), home.path());
        let mut o = sso_opts();
        o.credentials = Credentials::InstanceRole;
        o.profile = "default".into();
        o.region = "eu-west-3".into();
        let changes = plan_edits(&plan(&env, &o, today()).unwrap().edits).unwrap();
        assert_eq!(changes[0].after, "[default]\nregion = eu-west-3\n");
    }
}
