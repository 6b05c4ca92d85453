//! `keyless doctor`: read a person's whole Claude Code on Bedrock setup and say, with file
//! and line, what is wrong and how to fix it.
//!
//! Shaped like ruff: every finding is one file under `findings/`, holding its metadata
//! (a stable ID, a name that reads as the pattern it flags, a default severity), its
//! documentation (what it does, why it matters, an example, the fix), the check, and the
//! check's tests. [`registry::RULES`] lists them all in one place; `docs/findings.md` is
//! generated from that list and a test fails when the two differ.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use keyless_catalog::{Catalog, Date};
use keyless_config::aws::AwsFiles;
use keyless_config::claude::{ClaudeSettings, Effective};
use keyless_config::{Environment, FileError};
use keyless_rules::Severity;

pub mod docs;
pub mod dotenv;
mod findings;
pub mod live;
pub mod probe;
pub mod registry;

pub use keyless_config::edit::{Edit, FileChange};

/// A finding's fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What to do, in one sentence.
    pub description: String,
    /// A command that does it, when one exists.
    pub command: Option<String>,
    /// The mechanical edits `keyless doctor --fix` applies, when they are safe.
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A fix described in words only.
    pub fn say(description: impl Into<String>) -> Self {
        Self {
            description: description.into(),
            command: None,
            edits: Vec::new(),
        }
    }

    /// A fix with a command to run.
    pub fn run(description: impl Into<String>, command: impl Into<String>) -> Self {
        Self {
            description: description.into(),
            command: Some(command.into()),
            edits: Vec::new(),
        }
    }

    /// Adds a mechanical edit.
    pub fn with_edit(mut self, edit: Edit) -> Self {
        self.edits.push(edit);
        self
    }
}

/// One problem found in a setup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable ID (`KD101`).
    pub id: &'static str,
    /// The rule's name (`model-id-missing-version`).
    pub name: &'static str,
    /// How bad.
    pub severity: Severity,
    /// One line: what is wrong.
    pub message: String,
    /// The file it is in.
    pub file: Option<PathBuf>,
    /// 1-based line in that file.
    pub line: Option<usize>,
    /// Why it matters (the rule's one-line summary).
    pub why: &'static str,
    /// How to fix it.
    pub fix: Option<Fix>,
}

/// Static metadata of a rule.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// ID (`KD` and three digits), name, severity, version, status, documentation.
    pub meta: keyless_rules::RuleMeta,
    /// One line on why it matters (shown with each finding).
    pub why: &'static str,
    /// The check.
    pub check: fn(&Context) -> Vec<Finding>,
}

keyless_rules::rule_with_meta!(Rule);

impl Rule {
    /// A finding of this rule with its default severity.
    pub fn finding(&self, message: impl Into<String>) -> Finding {
        Finding {
            id: self.id,
            name: self.name,
            severity: self.severity,
            message: message.into(),
            file: None,
            line: None,
            why: self.why,
            fix: None,
        }
    }
}

impl Finding {
    /// Sets the location.
    pub fn at(mut self, file: impl AsRef<Path>, line: usize) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self.line = Some(line);
        self
    }

    /// Sets the file, without a line.
    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Sets the location from an optional `(file, line)`.
    pub fn at_opt(self, loc: Option<(&Path, usize)>) -> Self {
        match loc {
            Some((f, l)) => self.at(f, l),
            None => self,
        }
    }

    /// Sets the fix.
    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Overrides the severity.
    pub fn severity(mut self, s: Severity) -> Self {
        self.severity = s;
        self
    }
}

/// Everything a check can look at. Built once; checks never touch the file system or
/// the network themselves, except through what is loaded here.
#[derive(Debug)]
pub struct Context {
    /// The process environment and directories.
    pub env: Environment,
    /// The AWS shared files.
    pub aws: AwsFiles,
    /// Claude Code's settings layers.
    pub claude: ClaudeSettings,
    /// The environment Claude Code will run with.
    pub effective_env: BTreeMap<String, Effective>,
    /// The model catalog.
    pub catalog: &'static Catalog,
    /// The date lifecycle checks are made for.
    pub today: Date,
    /// `.env` files in the project directory.
    pub dotenv: Vec<dotenv::DotEnvFile>,
    /// Now, in seconds since the Unix epoch (for token expiry).
    pub now: i64,
    /// What AWS answered, when `doctor --live` ran its probes (the `KD5xx` findings read it).
    pub live: Option<live::LiveReport>,
}

impl Context {
    /// Loads everything from `env`. Any unreadable or malformed file is an error that
    /// names the file and line.
    pub fn load(env: Environment, now: i64) -> Result<Self, FileError> {
        let today = Date::from_unix(now);
        let aws = AwsFiles::load(&env)?;
        let claude = ClaudeSettings::load(&env)?;
        let effective_env = claude.effective_env(&env);
        let dotenv = dotenv::find(env.cwd())?;
        Ok(Self {
            env,
            aws,
            claude,
            effective_env,
            catalog: Catalog::embedded(),
            today,
            dotenv,
            now,
            live: None,
        })
    }

    /// The effective value of a variable Claude Code will see.
    pub fn var(&self, name: &str) -> Option<&Effective> {
        self.effective_env.get(name).filter(|e| !e.value.is_empty())
    }

    /// Whether Claude Code will run in Bedrock mode.
    pub fn bedrock_mode(&self) -> bool {
        self.var("CLAUDE_CODE_USE_BEDROCK")
            .is_some_and(|e| keyless_config::vars::is_truthy(&e.value))
    }

    /// The AWS profile Claude Code will use and the effective variable that set it.
    pub fn profile_name(&self) -> String {
        self.var("AWS_PROFILE")
            .map(|e| e.value.clone())
            .unwrap_or_else(|| "default".into())
    }

    /// The environment Claude Code's AWS SDK sees: the effective variables.
    pub fn sdk_env(&self) -> Environment {
        let mut env = self.env.clone();
        for (k, v) in &self.effective_env {
            env.set(k, &v.value);
        }
        env
    }

    /// The region a model variable's model is called in: the background (Haiku-class)
    /// model's own `ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION` when set, else the setup's.
    pub fn region_for_model(&self, var: &str) -> Option<String> {
        if matches!(
            var,
            "ANTHROPIC_SMALL_FAST_MODEL" | "ANTHROPIC_DEFAULT_HAIKU_MODEL"
        ) {
            if let Some(r) = self.var("ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION") {
                return Some(r.value.trim().to_string());
            }
        }
        self.region()
    }

    /// The models Claude Code will call: `(variable, ID, region)` for each model variable
    /// set, distinct IDs and regions only, without the aliases Claude Code resolves itself
    /// (`sonnet`) and without empty values (which it ignores). `default_region` stands in
    /// when the setup names none. What `doctor --live` probes.
    pub fn called_models(&self, default_region: &str) -> Vec<(String, String, String)> {
        let mut out: Vec<(String, String, String)> = Vec::new();
        for var in keyless_config::vars::model_variables() {
            let Some(e) = self.var(var) else { continue };
            let id = e.value.trim().to_string();
            if id.is_empty() {
                continue;
            }
            let region = self
                .region_for_model(var)
                .unwrap_or_else(|| default_region.to_string());
            if out.iter().any(|(_, i, r)| *i == id && *r == region) {
                continue;
            }
            let d = keyless_catalog::diagnose(self.catalog, &id, Some(&region), self.today);
            if d.verdict() == keyless_catalog::Verdict::ClaudeCodeAlias {
                continue;
            }
            out.push((var.to_string(), id, region));
        }
        out
    }

    /// The region Claude Code will use: `AWS_REGION`, `AWS_DEFAULT_REGION`, then the
    /// active profile's `region`.
    pub fn region(&self) -> Option<String> {
        let env = self.sdk_env();
        let profile = self.aws.profile(&self.profile_name());
        keyless_config::aws::resolve_region(&env, profile.as_ref()).map(|(r, _)| r)
    }
}

/// Runs every rule and returns the findings, errors first, then by file and line.
pub fn run(cx: &Context) -> Vec<Finding> {
    let mut out: Vec<Finding> = registry::RULES.iter().flat_map(|r| (r.check)(cx)).collect();
    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.file.cmp(&b.file))
            .then_with(|| a.line.cmp(&b.line))
            .then_with(|| a.id.cmp(b.id))
    });
    out
}

#[cfg(test)]
pub(crate) mod testing {
    //! A fake home and project for rule tests.
    use super::*;

    pub struct Fixture {
        pub home: tempfile::TempDir,
        pub project: tempfile::TempDir,
        pub vars: Vec<(String, String)>,
    }

    impl Fixture {
        pub fn new() -> Self {
            Self {
                home: tempfile::tempdir().unwrap(),
                project: tempfile::tempdir().unwrap(),
                vars: Vec::new(),
            }
        }

        pub fn file(self, rel: &str, text: &str) -> Self {
            let (base, rel) = match rel.strip_prefix("project/") {
                Some(r) => (self.project.path(), r),
                None => (self.home.path(), rel),
            };
            let p = base.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
            self
        }

        pub fn var(mut self, k: &str, v: &str) -> Self {
            self.vars.push((k.into(), v.into()));
            self
        }

        /// A Claude settings file with a Bedrock env block plus `extra` members.
        pub fn settings(self, env_json: &str) -> Self {
            self.file(
                ".claude/settings.json",
                &format!("{{\n  \"env\": {env_json}\n}}\n"),
            )
        }

        pub fn context(&self) -> Context {
            let mut env = Environment::new(self.home.path(), self.project.path()).with(
                keyless_config::claude::MANAGED_DIR_VAR,
                "/nonexistent-keyless-test",
            );
            for (k, v) in &self.vars {
                env.set(k, v);
            }
            // 2026-11-27T12:00:00Z
            Context::load(env, 1_795_780_800).unwrap()
        }

        /// Findings of one rule.
        pub fn check(&self, rule: &Rule) -> Vec<Finding> {
            (rule.check)(&self.context())
        }
    }

    /// The seed guide's setup, as `shared/fixtures/seed-guide/` lays it out.
    pub fn seed() -> Fixture {
        Fixture::new()
            .file(".aws/credentials", "[bedrock-dev]\naws_access_key_id = YOUR_ACCESS_KEY\naws_secret_access_key = YOUR_SECRET_KEY\n")
            .file(".aws/config", "[profile bedrock-dev]\nregion = us-east-1\noutput = json\n")
            .file(
                ".claude/settings.json",
                "{\n\"env\": {\n\"CLAUDE_CODE_USE_BEDROCK\": \"1\",\n\"AWS_PROFILE\": \"bedrock-dev\",\n\"AWS_REGION\": \"us-east-1\",\n\"ANTHROPIC_MODEL\": \"anthropic.claude-sonnet-4-20250514\",\n\"ANTHROPIC_SMALL_FAST_MODEL\": \"anthropic.claude-haiku-4-5-20251001\"\n}\n}\n",
            )
    }

    /// A good setup: SSO profile, valid IDs.
    pub fn good() -> Fixture {
        Fixture::new()
            .file(
                ".aws/config",
                "[profile claude]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = BedrockUser\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
            )
            .file(
                ".claude/settings.json",
                "{\n  \"awsAuthRefresh\": \"aws sso login --profile claude\",\n  \"env\": {\n    \"CLAUDE_CODE_USE_BEDROCK\": \"1\",\n    \"AWS_PROFILE\": \"claude\",\n    \"AWS_REGION\": \"us-east-1\",\n    \"ANTHROPIC_MODEL\": \"us.anthropic.claude-opus-4-6-v1\",\n    \"ANTHROPIC_DEFAULT_HAIKU_MODEL\": \"us.anthropic.claude-haiku-4-5-20251001-v1:0\"\n  }\n}\n",
            )
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::*;

    /// `doctor --live` probes every model variable the static checks read (it had its own
    /// list, which lacked ANTHROPIC_DEFAULT_FABLE_MODEL and ANTHROPIC_DEFAULT_MODEL), the
    /// background model in its own region, each (ID, region) once, aliases and empty
    /// values left to Claude Code.
    #[test]
    fn called_models_follow_the_one_list_of_model_variables() {
        let fx = Fixture::new().settings(
            r#"{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1",
                "ANTHROPIC_MODEL": "sonnet",
                "ANTHROPIC_DEFAULT_SONNET_MODEL": "us.anthropic.claude-sonnet-5",
                "ANTHROPIC_DEFAULT_FABLE_MODEL": "us.anthropic.claude-fable-5",
                "ANTHROPIC_DEFAULT_MODEL": "us.anthropic.claude-sonnet-5",
                "ANTHROPIC_DEFAULT_HAIKU_MODEL": "eu.anthropic.claude-haiku-4-5-20251001-v1:0",
                "ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION": "eu-west-1",
                "CLAUDE_CODE_SUBAGENT_MODEL": ""}"#,
        );
        let called = fx.context().called_models("us-east-1");
        let vars: Vec<&str> = called.iter().map(|(v, _, _)| v.as_str()).collect();
        assert_eq!(
            vars,
            [
                "ANTHROPIC_DEFAULT_SONNET_MODEL",
                "ANTHROPIC_DEFAULT_HAIKU_MODEL",
                "ANTHROPIC_DEFAULT_FABLE_MODEL"
            ]
        );
        assert_eq!(called[1].2, "eu-west-1");
        assert_eq!(called[0].2, "us-east-1");
    }
}
