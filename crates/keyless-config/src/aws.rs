//! The AWS shared `config` and `credentials` files, read as the AWS tools read them.
//!
//! Semantics follow botocore (the AWS CLI), which the differential tests use as the
//! oracle, and agree with the Rust and JavaScript SDKs wherever those agree with it:
//!
//! - In `config`, a profile is `[default]` or `[profile NAME]` (the header is split
//!   like a shell word list, so `[profile "a b"]` is the profile `a b`); a bare `[NAME]`
//!   is not a profile. In `credentials`, the header is the profile name as written.
//! - A profile in both files is merged; the credentials file wins on a key set in both.
//! - Profile names are case-sensitive; keys are not.
//! - The active profile is `AWS_PROFILE`, else `default`. (botocore also reads
//!   `AWS_DEFAULT_PROFILE` first; the JavaScript SDK that Claude Code uses and the Rust
//!   SDK do not, so keyless follows them and `doctor` flags the variable.)
//! - The region is `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the profile's
//!   `region` (Claude Code's documented order; botocore skips `AWS_REGION`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::env::Environment;
use crate::fs::{read_text, FileError};
use crate::ini::{IniDocument, Section};

/// Which of the two shared files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AwsFileKind {
    /// `~/.aws/config` (or `AWS_CONFIG_FILE`).
    Config,
    /// `~/.aws/credentials` (or `AWS_SHARED_CREDENTIALS_FILE`).
    Credentials,
}

/// One of the shared files: where it is and, if it exists, its parsed content.
#[derive(Debug, Clone)]
pub struct AwsFile {
    /// Which file.
    pub kind: AwsFileKind,
    /// Its path after `~` expansion.
    pub path: PathBuf,
    /// The document, or `None` if the file does not exist.
    pub doc: Option<IniDocument>,
}

impl AwsFile {
    fn load(kind: AwsFileKind, path: PathBuf) -> Result<Self, FileError> {
        let doc = match read_text(&path)? {
            Some(text) => Some(
                IniDocument::parse(&text).map_err(|e| FileError::at(&path, e.line, e.message))?,
            ),
            None => None,
        };
        Ok(Self { kind, path, doc })
    }

    fn sections(&self) -> &[Section] {
        self.doc.as_ref().map(|d| d.sections()).unwrap_or(&[])
    }
}

/// A profile setting and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The value.
    pub value: String,
    /// The file that set it.
    pub file: AwsFileKind,
    /// 1-based line in that file.
    pub line: usize,
}

/// A profile after merging both files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The profile name.
    pub name: String,
    /// Settings by lower-cased key.
    pub settings: BTreeMap<String, Setting>,
    /// Header of the section in `config` that defines it, and its line.
    pub config_section: Option<(String, usize)>,
    /// Line of the section in `credentials` that defines it.
    pub credentials_line: Option<usize>,
}

impl Profile {
    /// A setting's value.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.settings.get(key).map(|s| s.value.as_str())
    }
}

/// Both shared files.
#[derive(Debug, Clone)]
pub struct AwsFiles {
    /// The config file.
    pub config: AwsFile,
    /// The credentials file.
    pub credentials: AwsFile,
}

/// Splits like Python's `shlex.split` for the simple cases section headers use:
/// whitespace-separated words, single and double quotes, backslash escapes.
/// `None` where `shlex` would raise (an unterminated quote).
pub(crate) fn shlex_split(s: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => cur.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            c @ ('"' | '\\' | '$' | '`') => cur.push(c),
                            c => {
                                cur.push('\\');
                                cur.push(c);
                            }
                        },
                        c => cur.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                cur.push(chars.next()?);
            }
            // shlex in POSIX mode treats `#` at the start of a word as a comment.
            '#' if !in_word => break,
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Some(words)
}

/// The name a `config` section header gives, if it is of the kind `prefix` (`profile`,
/// `sso-session` or `services`), following botocore's `build_profile_map`.
fn named_section(header: &str, prefix: &str) -> Option<String> {
    if !header.starts_with(prefix) {
        return None;
    }
    let parts = shlex_split(header)?;
    if parts.len() == 2 {
        Some(parts[1].clone())
    } else {
        None
    }
}

/// The profile name a `config` header defines, if any.
pub fn config_profile_name(header: &str) -> Option<String> {
    if header == "default" {
        return Some("default".into());
    }
    // botocore tests `startswith("profile")` before `sso-session` and `services`.
    named_section(header, "profile")
}

impl AwsFiles {
    /// Path of the config file: `AWS_CONFIG_FILE`, else `~/.aws/config`.
    pub fn config_path(env: &Environment) -> PathBuf {
        env.get("AWS_CONFIG_FILE")
            .map(|p| env.expand_home(p))
            .unwrap_or_else(|| env.expand_home("~/.aws/config"))
    }

    /// Path of the credentials file: `AWS_SHARED_CREDENTIALS_FILE`, else
    /// `~/.aws/credentials`.
    pub fn credentials_path(env: &Environment) -> PathBuf {
        env.get("AWS_SHARED_CREDENTIALS_FILE")
            .map(|p| env.expand_home(p))
            .unwrap_or_else(|| env.expand_home("~/.aws/credentials"))
    }

    /// Reads both files. A missing file is fine; an unreadable or malformed one is an
    /// error naming the file and line.
    pub fn load(env: &Environment) -> Result<Self, FileError> {
        Ok(Self {
            config: AwsFile::load(AwsFileKind::Config, Self::config_path(env))?,
            credentials: AwsFile::load(AwsFileKind::Credentials, Self::credentials_path(env))?,
        })
    }

    /// The file of the given kind.
    pub fn file(&self, kind: AwsFileKind) -> &AwsFile {
        match kind {
            AwsFileKind::Config => &self.config,
            AwsFileKind::Credentials => &self.credentials,
        }
    }

    /// Sections of `config` that define profiles, with the profile name. When two
    /// sections define the same name (`[default]` and `[profile default]`), the later
    /// one wins, as in botocore.
    fn config_profiles(&self) -> BTreeMap<String, &Section> {
        let mut out = BTreeMap::new();
        for s in self.config.sections() {
            if let Some(name) = config_profile_name(&s.header) {
                out.insert(name, s);
            }
        }
        out
    }

    /// All profile names, sorted.
    pub fn profile_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.config_profiles().into_keys().collect();
        for s in self.credentials.sections() {
            if !names.contains(&s.header) {
                names.push(s.header.clone());
            }
        }
        names.sort();
        names
    }

    /// The merged profile `name`, if either file defines it.
    pub fn profile(&self, name: &str) -> Option<Profile> {
        let cfg = self.config_profiles().remove(name);
        let cred = self
            .credentials
            .sections()
            .iter()
            .find(|s| s.header == name);
        if cfg.is_none() && cred.is_none() {
            return None;
        }
        let mut settings = BTreeMap::new();
        for (section, file) in [(cfg, AwsFileKind::Config), (cred, AwsFileKind::Credentials)] {
            for p in section.iter().flat_map(|s| &s.properties) {
                settings.insert(
                    p.key.clone(),
                    Setting {
                        value: p.value.clone(),
                        file,
                        line: p.line,
                    },
                );
            }
        }
        Some(Profile {
            name: name.to_string(),
            settings,
            config_section: cfg.map(|s| (s.header.clone(), s.line)),
            credentials_line: cred.map(|s| s.line),
        })
    }

    /// The `[sso-session NAME]` section of `config`.
    pub fn sso_session(&self, name: &str) -> Option<&Section> {
        self.config
            .sections()
            .iter()
            .rev()
            .find(|s| named_section(&s.header, "sso-session").as_deref() == Some(name))
    }

    /// Profile names that differ from `name` only in case (for "did you mean").
    pub fn near_matches(&self, name: &str) -> Vec<String> {
        self.profile_names()
            .into_iter()
            .filter(|n| n != name && n.eq_ignore_ascii_case(name))
            .collect()
    }
}

/// Where a value came from: an environment variable or a profile setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// An environment variable.
    Env(String),
    /// A profile setting.
    Profile {
        /// The file.
        file: AwsFileKind,
        /// Its 1-based line.
        line: usize,
    },
    /// A default that applies when nothing is set.
    Default,
}

/// The profile the SDKs will use: `AWS_PROFILE`, else `default`.
pub fn active_profile_name(env: &Environment) -> (String, Origin) {
    match env.get("AWS_PROFILE") {
        Some(p) => (p.to_string(), Origin::Env("AWS_PROFILE".into())),
        None => ("default".to_string(), Origin::Default),
    }
}

/// The region a client will use, and where it came from: `AWS_REGION`,
/// `AWS_DEFAULT_REGION`, then the profile's `region`.
pub fn resolve_region(env: &Environment, profile: Option<&Profile>) -> Option<(String, Origin)> {
    for var in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        if let Some(v) = env.get(var) {
            return Some((v.to_string(), Origin::Env(var.into())));
        }
    }
    let s = profile?.settings.get("region")?;
    Some((
        s.value.clone(),
        Origin::Profile {
            file: s.file,
            line: s.line,
        },
    ))
}

/// How a profile gets its credentials, in the order the AWS CLI tries them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialSource {
    /// `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` in the environment.
    Environment,
    /// `role_arn` with `source_profile` or `credential_source`.
    AssumeRole {
        /// The role.
        role_arn: String,
        /// The profile whose credentials call `sts:AssumeRole`.
        source_profile: Option<String>,
        /// Or the named source (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`).
        credential_source: Option<String>,
    },
    /// `web_identity_token_file` with `role_arn` (profile or environment).
    WebIdentity {
        /// The role, if set.
        role_arn: Option<String>,
        /// The token file.
        token_file: String,
    },
    /// IAM Identity Center.
    Sso {
        /// The `sso_session` name, or `None` for the legacy `sso_start_url` form.
        session: Option<String>,
        /// The start URL (from the profile or the session).
        start_url: Option<String>,
    },
    /// Long-lived keys in one of the files.
    StaticKeys {
        /// The file holding them.
        file: AwsFileKind,
        /// Line of `aws_access_key_id`.
        line: usize,
        /// Whether an `aws_session_token` is present too (temporary keys).
        with_session_token: bool,
    },
    /// `login_session` (the `aws login` console credentials).
    Login {
        /// The session name.
        session: String,
    },
    /// `credential_process`.
    Process {
        /// The command.
        command: String,
    },
    /// Nothing in the environment or the profile supplies credentials: the SDK falls
    /// through to container and instance-metadata credentials.
    None,
}

impl CredentialSource {
    /// A stable identifier, used in JSON output.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Environment => "environment",
            Self::AssumeRole { .. } => "assume-role",
            Self::WebIdentity { .. } => "web-identity",
            Self::Sso { .. } => "sso",
            Self::StaticKeys {
                file: AwsFileKind::Credentials,
                ..
            } => "static-keys-credentials-file",
            Self::StaticKeys {
                file: AwsFileKind::Config,
                ..
            } => "static-keys-config-file",
            Self::Login { .. } => "login",
            Self::Process { .. } => "credential-process",
            Self::None => "none",
        }
    }
}

/// A profile configured in a way the AWS tools reject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileProblem {
    /// The profile.
    pub profile: String,
    /// What is wrong.
    pub message: String,
}

const CREDENTIAL_SOURCES: [&str; 3] = ["Environment", "Ec2InstanceMetadata", "EcsContainer"];

impl AwsFiles {
    /// How `profile_name` gets credentials from the files alone, whatever the environment
    /// of this process holds: what the profile itself says (`keyless profiles`, whether
    /// `init` gave it another source than its keys).
    pub fn profile_credential_source(
        &self,
        profile_name: &str,
    ) -> Result<CredentialSource, ProfileProblem> {
        self.credential_source(&Environment::new("/", "/"), profile_name)
    }

    /// How `profile_name` gets credentials in environment `env`, or what makes the
    /// configuration invalid. A profile that does not exist yields
    /// [`CredentialSource::None`] unless the environment supplies credentials.
    pub fn credential_source(
        &self,
        env: &Environment,
        profile_name: &str,
    ) -> Result<CredentialSource, ProfileProblem> {
        if env.get("AWS_ACCESS_KEY_ID").is_some() {
            return Ok(CredentialSource::Environment);
        }
        let profile = self.profile(profile_name);
        let get = |k: &str| profile.as_ref().and_then(|p| p.get(k)).map(str::to_string);
        let problem = |m: String| ProfileProblem {
            profile: profile_name.to_string(),
            message: m,
        };
        if let Some(role_arn) = get("role_arn") {
            if get("web_identity_token_file").is_none() {
                self.check_role_chain(env, profile_name, &mut vec![profile_name.to_string()])
                    .map_err(problem)?;
                return Ok(CredentialSource::AssumeRole {
                    role_arn,
                    source_profile: get("source_profile"),
                    credential_source: get("credential_source"),
                });
            }
        }
        let token_file = env
            .get("AWS_WEB_IDENTITY_TOKEN_FILE")
            .map(str::to_string)
            .or_else(|| get("web_identity_token_file"));
        if let Some(token_file) = token_file {
            let role_arn = env
                .get("AWS_ROLE_ARN")
                .map(str::to_string)
                .or_else(|| get("role_arn"));
            if role_arn.is_none() {
                return Err(problem(
                    "`web_identity_token_file` is set but no `role_arn` (or AWS_ROLE_ARN) names the role to assume"
                        .into(),
                ));
            }
            return Ok(CredentialSource::WebIdentity {
                role_arn,
                token_file,
            });
        }
        if get("sso_role_name").is_some() || get("sso_account_id").is_some() {
            let session = get("sso_session");
            let mut have: BTreeMap<String, String> = profile
                .iter()
                .flat_map(|p| &p.settings)
                .map(|(k, s)| (k.clone(), s.value.clone()))
                .collect();
            let mut required = vec![
                "sso_start_url",
                "sso_region",
                "sso_role_name",
                "sso_account_id",
            ];
            if let Some(name) = &session {
                let Some(section) = self.sso_session(name) else {
                    return Err(problem(format!(
                        "`sso_session = {name}` names no `[sso-session {name}]` section in the config file"
                    )));
                };
                for p in &section.properties {
                    if let Some(v) = have.get(&p.key) {
                        if *v != p.value {
                            return Err(problem(format!(
                                "`{}` differs between the profile and `[sso-session {name}]`",
                                p.key
                            )));
                        }
                    }
                    have.insert(p.key.clone(), p.value.clone());
                }
                required.push("sso_session");
            }
            let missing: Vec<&str> = required
                .into_iter()
                .filter(|k| !have.contains_key(*k))
                .collect();
            if !missing.is_empty() {
                return Err(problem(format!(
                    "configured for SSO but missing {}",
                    missing
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            return Ok(CredentialSource::Sso {
                session,
                start_url: have.get("sso_start_url").cloned(),
            });
        }
        if let Some(cred) = self
            .credentials
            .sections()
            .iter()
            .find(|s| s.header == profile_name)
        {
            if let Some(p) = cred.get("aws_access_key_id") {
                return Ok(CredentialSource::StaticKeys {
                    file: AwsFileKind::Credentials,
                    line: p.line,
                    with_session_token: cred.get("aws_session_token").is_some()
                        || cred.get("aws_security_token").is_some(),
                });
            }
        }
        if let Some(session) = get("login_session") {
            return Ok(CredentialSource::Login { session });
        }
        if let Some(command) = get("credential_process") {
            return Ok(CredentialSource::Process { command });
        }
        if let Some(section) = self.config_profiles().get(profile_name) {
            if let Some(p) = section.get("aws_access_key_id") {
                return Ok(CredentialSource::StaticKeys {
                    file: AwsFileKind::Config,
                    line: p.line,
                    with_session_token: section.get("aws_session_token").is_some()
                        || section.get("aws_security_token").is_some(),
                });
            }
        }
        Ok(CredentialSource::None)
    }

    /// Validates the `role_arn` chain starting at `name` as botocore does.
    fn check_role_chain(
        &self,
        env: &Environment,
        name: &str,
        visited: &mut Vec<String>,
    ) -> Result<(), String> {
        let profile = self
            .profile(name)
            .ok_or_else(|| format!("profile `{name}` does not exist"))?;
        let source_profile = profile.get("source_profile");
        let credential_source = profile.get("credential_source");
        match (source_profile, credential_source) {
            (Some(_), Some(_)) => Err(format!(
                "profile `{name}` sets both `source_profile` and `credential_source`; keep one"
            )),
            (None, None) => Err(format!(
                "profile `{name}` sets `role_arn` but neither `source_profile` nor `credential_source`, \
                 so nothing can call sts:AssumeRole"
            )),
            (None, Some(cs)) => {
                if !CREDENTIAL_SOURCES.contains(&cs) {
                    return Err(format!(
                        "`credential_source = {cs}` in profile `{name}` is not one of {}",
                        CREDENTIAL_SOURCES.join(", ")
                    ));
                }
                // The named source must be able to supply credentials here.
                let unavailable = match cs {
                    "Environment" => env.get("AWS_ACCESS_KEY_ID").is_none().then_some("AWS_ACCESS_KEY_ID is not set"),
                    "EcsContainer" => (env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").is_none()
                        && env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI").is_none())
                    .then_some("no AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI is set (not in an ECS task?)"),
                    _ => env
                        .get("AWS_EC2_METADATA_DISABLED")
                        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
                        .then_some("AWS_EC2_METADATA_DISABLED=true turns instance metadata off"),
                };
                match unavailable {
                    Some(why) => Err(format!("`credential_source = {cs}` in profile `{name}` cannot supply credentials: {why}")),
                    None => Ok(()),
                }
            }
            (Some(src), None) => {
                let Some(source) = self.profile(src) else {
                    return Err(format!(
                        "`source_profile = {src}` in profile `{name}` names a profile that does not exist"
                    ));
                };
                let has_static = source.get("aws_access_key_id").is_some();
                if visited.iter().any(|v| v == src) {
                    // A profile may name itself to use its own static keys; any other
                    // revisit is a loop.
                    if src == name && has_static {
                        return Ok(());
                    }
                    return Err(format!(
                        "`source_profile` chain loops: {} -> {src}",
                        visited.join(" -> ")
                    ));
                }
                visited.push(src.to_string());
                if has_static {
                    return Ok(());
                }
                if source.get("role_arn").is_some() && source.get("web_identity_token_file").is_none() {
                    return self.check_role_chain(env, src, visited);
                }
                // Otherwise the source profile must get credentials some other way (SSO,
                // process, web identity...), judged without environment credentials.
                match self.credential_source(&Environment::default(), src) {
                    Ok(CredentialSource::None) => Err(format!(
                        "`source_profile = {src}` in profile `{name}` names a profile with no credentials of its own"
                    )),
                    Ok(_) => Ok(()),
                    Err(p) => Err(p.message),
                }
            }
        }
    }
}

/// Path of the SSO token cache file for a start URL or session name, as the AWS CLI
/// names it: `~/.aws/sso/cache/<sha1 hex of the identifier>.json`.
pub fn sso_cache_path(env: &Environment, identifier: &str) -> PathBuf {
    let hash = sha1_smol::Sha1::from(identifier.as_bytes())
        .digest()
        .to_string();
    env.expand_home("~/.aws/sso/cache")
        .join(format!("{hash}.json"))
}

/// Where a profile came from, as a `path:line` string for messages.
pub fn describe_location(path: &Path, line: usize) -> String {
    format!("{}:{}", path.display(), line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(config: &str, credentials: &str) -> (tempfile::TempDir, Environment, AwsFiles) {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join(".aws")).unwrap();
        std::fs::write(d.path().join(".aws/config"), config).unwrap();
        std::fs::write(d.path().join(".aws/credentials"), credentials).unwrap();
        let env = Environment::new(d.path(), d.path());
        let f = AwsFiles::load(&env).unwrap();
        (d, env, f)
    }

    #[test]
    fn shlex_matches_python_for_headers() {
        assert_eq!(shlex_split("profile a").unwrap(), ["profile", "a"]);
        assert_eq!(shlex_split("profile \"a b\"").unwrap(), ["profile", "a b"]);
        assert_eq!(shlex_split("profile 'x'y").unwrap(), ["profile", "xy"]);
        assert_eq!(shlex_split("profile \"a"), None);
        assert_eq!(shlex_split("profile a#b").unwrap(), ["profile", "a#b"]);
        assert_eq!(shlex_split("profile #b").unwrap(), ["profile"]);
    }

    #[test]
    fn merge_and_precedence() {
        let (_d, env, f) = files(
            "[profile dev]\nregion = us-west-2\noutput = json\n[dev]\nregion=ignored\n[default]\nregion=eu-west-1\n",
            "[dev]\nregion = us-east-2\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n[profile x]\nk=v\n",
        );
        let dev = f.profile("dev").unwrap();
        assert_eq!(dev.get("region"), Some("us-east-2"));
        assert_eq!(dev.settings["output"].file, AwsFileKind::Config);
        assert_eq!(f.profile_names(), ["default", "dev", "profile x"]);
        assert!(f.profile("Dev").is_none());
        assert_eq!(f.near_matches("Dev"), ["dev"]);
        let (region, origin) = resolve_region(&env, Some(&dev)).unwrap();
        assert_eq!(
            (region.as_str(), origin),
            (
                "us-east-2",
                Origin::Profile {
                    file: AwsFileKind::Credentials,
                    line: 2
                }
            )
        );
        let env2 = env
            .clone()
            .with("AWS_DEFAULT_REGION", "ap-south-1")
            .with("AWS_REGION", "ca-central-1");
        assert_eq!(resolve_region(&env2, Some(&dev)).unwrap().0, "ca-central-1");
    }

    #[test]
    fn classifies_credential_sources() {
        let (_d, env, f) = files(
            "[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\
             [sso-session corp]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n\
             [profile role]\nrole_arn = arn:aws:iam::111122223333:role/r\nsource_profile = keys\n\
             [profile both]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = keys\ncredential_source = Environment\n\
             [profile proc]\ncredential_process = /bin/echo\n\
             [profile cfgkeys]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n\
             [profile loop1]\nrole_arn = a\nsource_profile = loop2\n[profile loop2]\nrole_arn = b\nsource_profile = loop1\n\
             [profile regiononly]\nregion = us-east-1\n",
            "[keys]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n",
        );
        let kind = |p: &str| {
            f.credential_source(&env, p)
                .map(|s| s.kind().to_string())
                .unwrap_or_else(|e| format!("invalid: {}", e.message))
        };
        assert_eq!(kind("sso"), "sso");
        assert_eq!(kind("role"), "assume-role");
        assert!(kind("both").starts_with("invalid"), "{}", kind("both"));
        assert_eq!(kind("proc"), "credential-process");
        assert_eq!(kind("keys"), "static-keys-credentials-file");
        assert_eq!(kind("cfgkeys"), "static-keys-config-file");
        assert!(kind("loop1").contains("loops"), "{}", kind("loop1"));
        assert_eq!(kind("regiononly"), "none");
        assert_eq!(kind("missing"), "none");
        let env_keys = env
            .clone()
            .with("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
        assert_eq!(
            f.credential_source(&env_keys, "sso").unwrap(),
            CredentialSource::Environment
        );
    }

    #[test]
    fn sso_cache_path_is_sha1_of_identifier() {
        let env = Environment::new("/home/u", "/");
        // sha1("corp") computed independently with `printf corp | sha1sum`
        assert_eq!(
            sso_cache_path(&env, "corp"),
            PathBuf::from("/home/u/.aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json")
        );
    }
}
