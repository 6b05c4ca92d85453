//! Claude Code's settings files, layered as Claude Code layers them.
//!
//! Precedence, highest first (Claude Code's settings documentation): managed settings,
//! then `.claude/settings.local.json`, then `.claude/settings.json` (both in the project
//! directory), then the user's `~/.claude/settings.json` (or `$CLAUDE_CONFIG_DIR`).
//! Command-line flags sit between managed and local but are not on disk, so keyless
//! cannot see them. An `env` block is an ordinary key that follows the same order, and a
//! value in it overwrites the same variable exported in the shell; so the effective
//! environment is the process environment with every layer's `env` applied from lowest
//! to highest precedence.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::env::Environment;
use crate::fs::{read_text, FileError};
use crate::json::{self, line_of, Node, Value};

/// A settings layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// `~/.claude/settings.json` (or `$CLAUDE_CONFIG_DIR/settings.json`).
    User,
    /// `.claude/settings.json` in the project, shared through version control.
    Project,
    /// `.claude/settings.local.json` in the project, personal and not committed.
    Local,
    /// `managed-settings.json` (and `managed-settings.d/*.json`), set by an administrator.
    Managed,
}

impl Scope {
    /// The name used on the command line (`--scope user|project|local`) and in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Project => "project",
            Self::Local => "local",
            Self::Managed => "managed",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One settings file.
#[derive(Debug, Clone)]
pub struct SettingsFile {
    /// Its layer.
    pub scope: Scope,
    /// Its path.
    pub path: PathBuf,
    /// Its text, if it exists.
    pub text: Option<String>,
    /// Its parsed content, if it exists.
    pub root: Option<Node>,
}

impl SettingsFile {
    /// Reads and parses `path`. A missing file is an empty layer; invalid JSON, or JSON
    /// that is not an object, is an error naming the file and line.
    pub fn load(scope: Scope, path: PathBuf) -> Result<Self, FileError> {
        let text = read_text(&path)?;
        let root = match &text {
            Some(t) => {
                let node = json::parse(t).map_err(|e| {
                    FileError::at(
                        &path,
                        e.line,
                        format!("invalid JSON at column {}: {}", e.column, e.message),
                    )
                })?;
                if !matches!(node.value, Value::Object(_)) {
                    return Err(FileError::at(
                        &path,
                        line_of(t, node.start),
                        format!("settings must be a JSON object, found {}", node.type_name()),
                    ));
                }
                if let Some(env) = node.get("env") {
                    if !matches!(env.node.value, Value::Object(_)) {
                        return Err(FileError::at(
                            &path,
                            line_of(t, env.key_start),
                            format!(
                                "`env` must be an object of strings, found {}",
                                env.node.type_name()
                            ),
                        ));
                    }
                }
                Some(node)
            }
            None => None,
        };
        Ok(Self {
            scope,
            path,
            text,
            root,
        })
    }

    /// 1-based line of byte offset `pos`.
    pub fn line(&self, pos: usize) -> usize {
        self.text.as_deref().map(|t| line_of(t, pos)).unwrap_or(1)
    }

    /// The `env` entries in file order: name, value as a string, line.
    pub fn env_entries(&self) -> Vec<(String, String, usize)> {
        let Some(env) = self.root.as_ref().and_then(|r| r.get("env")) else {
            return Vec::new();
        };
        let Value::Object(members) = &env.node.value else {
            return Vec::new();
        };
        members
            .iter()
            .map(|m| (m.key.clone(), scalar_text(&m.node), self.line(m.key_start)))
            .collect()
    }

    /// A top-level string key and its line.
    pub fn string_key(&self, key: &str) -> Option<(String, usize)> {
        let m = self.root.as_ref()?.get(key)?;
        Some((scalar_text(&m.node), self.line(m.key_start)))
    }
}

fn scalar_text(node: &Node) -> String {
    match &node.value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        Value::Array(_) | Value::Object(_) => String::new(),
    }
}

/// Where an effective value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provenance {
    /// Exported in the shell that runs keyless (and so, Claude Code).
    Process,
    /// A settings file.
    Settings {
        /// The layer.
        scope: Scope,
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
    },
}

impl Provenance {
    /// The file and line, when the value is set in a file.
    pub fn location(&self) -> Option<(&Path, usize)> {
        match self {
            Self::Process => None,
            Self::Settings { path, line, .. } => Some((path, *line)),
        }
    }
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Process => f.write_str("the shell environment"),
            Self::Settings { scope, path, line } => {
                write!(f, "{}:{} ({scope} settings)", path.display(), line)
            }
        }
    }
}

/// An effective value and everything that set it, winner first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective {
    /// The value Claude Code will see.
    pub value: String,
    /// Where it came from.
    pub from: Provenance,
    /// Lower-precedence settings of the same name that it overrides.
    pub overrides: Vec<(String, Provenance)>,
}

/// All settings layers, read.
#[derive(Debug, Clone)]
pub struct ClaudeSettings {
    /// Files from lowest to highest precedence (user, project, local, managed).
    pub files: Vec<SettingsFile>,
}

/// The variable that points keyless at another managed-settings directory (tests, and
/// machines with a non-standard layout). Claude Code itself has no such variable.
pub const MANAGED_DIR_VAR: &str = "KEYLESS_CLAUDE_MANAGED_DIR";

/// The user's Claude configuration directory: `$CLAUDE_CONFIG_DIR` or `~/.claude`.
pub fn user_dir(env: &Environment) -> PathBuf {
    env.get("CLAUDE_CONFIG_DIR")
        .map(|p| env.expand_home(p))
        .unwrap_or_else(|| env.expand_home("~/.claude"))
}

/// The path of the settings file for `scope`.
pub fn settings_path(env: &Environment, scope: Scope) -> PathBuf {
    match scope {
        Scope::User => user_dir(env).join("settings.json"),
        Scope::Project => env.cwd().join(".claude/settings.json"),
        Scope::Local => env.cwd().join(".claude/settings.local.json"),
        Scope::Managed => managed_dir(env).join("managed-settings.json"),
    }
}

fn managed_dir(env: &Environment) -> PathBuf {
    if let Some(d) = env.get(MANAGED_DIR_VAR) {
        return PathBuf::from(d);
    }
    if cfg!(target_os = "macos") {
        PathBuf::from("/Library/Application Support/ClaudeCode")
    } else if cfg!(windows) {
        PathBuf::from(r"C:\Program Files\ClaudeCode")
    } else {
        PathBuf::from("/etc/claude-code")
    }
}

impl ClaudeSettings {
    /// Reads every layer. Missing files are empty layers.
    pub fn load(env: &Environment) -> Result<Self, FileError> {
        let mut files = Vec::new();
        for scope in [Scope::User, Scope::Project, Scope::Local] {
            let path = settings_path(env, scope);
            // When the project directory is the home directory, `.claude/settings.json`
            // is the user file: read it once.
            if scope == Scope::Project && path == settings_path(env, Scope::User) {
                continue;
            }
            files.push(SettingsFile::load(scope, path)?);
        }
        // managed-settings.d/*.json are merged in name order, below managed-settings.json.
        let dropins = managed_dir(env).join("managed-settings.d");
        if let Ok(rd) = std::fs::read_dir(&dropins) {
            let mut paths: Vec<PathBuf> = rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            paths.sort();
            for p in paths {
                files.push(SettingsFile::load(Scope::Managed, p)?);
            }
        }
        files.push(SettingsFile::load(
            Scope::Managed,
            settings_path(env, Scope::Managed),
        )?);
        Ok(Self { files })
    }

    /// The file of `scope` (for managed, `managed-settings.json` itself).
    pub fn file(&self, scope: Scope) -> Option<&SettingsFile> {
        self.files.iter().rev().find(|f| f.scope == scope)
    }

    /// The environment Claude Code will run with: the process environment, overridden
    /// by each layer's `env` block from lowest to highest precedence.
    pub fn effective_env(&self, env: &Environment) -> BTreeMap<String, Effective> {
        let mut out: BTreeMap<String, Effective> = BTreeMap::new();
        for (k, v) in env.vars() {
            out.insert(
                k.clone(),
                Effective {
                    value: v.clone(),
                    from: Provenance::Process,
                    overrides: Vec::new(),
                },
            );
        }
        for file in &self.files {
            for (name, value, line) in file.env_entries() {
                let from = Provenance::Settings {
                    scope: file.scope,
                    path: file.path.clone(),
                    line,
                };
                match out.get_mut(&name) {
                    Some(e) => {
                        let old = std::mem::replace(
                            e,
                            Effective {
                                value,
                                from,
                                overrides: Vec::new(),
                            },
                        );
                        e.overrides = std::iter::once((old.value, old.from))
                            .chain(old.overrides)
                            .collect();
                    }
                    None => {
                        out.insert(
                            name,
                            Effective {
                                value,
                                from,
                                overrides: Vec::new(),
                            },
                        );
                    }
                }
            }
        }
        out
    }

    /// The effective top-level string setting `key` (for example `awsAuthRefresh`).
    pub fn effective_key(&self, key: &str) -> Option<Effective> {
        let mut result: Option<Effective> = None;
        for file in &self.files {
            if let Some((value, line)) = file.string_key(key) {
                let from = Provenance::Settings {
                    scope: file.scope,
                    path: file.path.clone(),
                    line,
                };
                let overrides = result
                    .take()
                    .map(|old| {
                        std::iter::once((old.value, old.from))
                            .chain(old.overrides)
                            .collect()
                    })
                    .unwrap_or_default();
                result = Some(Effective {
                    value,
                    from,
                    overrides,
                });
            }
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(p: &Path, s: &str) {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, s).unwrap();
    }

    #[test]
    fn layers_apply_in_precedence_order_with_provenance() {
        let home = tempfile::tempdir().unwrap();
        let proj = tempfile::tempdir().unwrap();
        let managed = tempfile::tempdir().unwrap();
        write(
            &home.path().join(".claude/settings.json"),
            "{\n  \"env\": {\n    \"AWS_REGION\": \"us-east-1\",\n    \"A\": \"user\"\n  }\n}\n",
        );
        write(
            &proj.path().join(".claude/settings.json"),
            "{\"env\": {\"A\": \"project\", \"B\": \"project\"}}",
        );
        write(
            &proj.path().join(".claude/settings.local.json"),
            "{\"env\": {\"A\": \"local\"}, \"awsAuthRefresh\": \"aws sso login\"}",
        );
        write(
            &managed.path().join("managed-settings.json"),
            "{\"env\": {\"M\": \"1\"}}",
        );
        let env = Environment::new(home.path(), proj.path())
            .with("A", "shell")
            .with(MANAGED_DIR_VAR, managed.path().to_str().unwrap());
        let s = ClaudeSettings::load(&env).unwrap();
        let eff = s.effective_env(&env);
        assert_eq!(eff["A"].value, "local");
        assert_eq!(eff["A"].overrides.len(), 3);
        assert_eq!(eff["A"].overrides.last().unwrap().1, Provenance::Process);
        assert_eq!(
            eff["AWS_REGION"].from,
            Provenance::Settings {
                scope: Scope::User,
                path: home.path().join(".claude/settings.json"),
                line: 3
            }
        );
        assert_eq!(eff["B"].value, "project");
        assert_eq!(eff["M"].value, "1");
        assert_eq!(
            s.effective_key("awsAuthRefresh").unwrap().value,
            "aws sso login"
        );
    }

    #[test]
    fn claude_config_dir_moves_the_user_file() {
        let home = tempfile::tempdir().unwrap();
        let env = Environment::new(home.path(), "/nonexistent").with("CLAUDE_CONFIG_DIR", "~/cc");
        assert_eq!(
            settings_path(&env, Scope::User),
            home.path().join("cc/settings.json")
        );
    }

    #[test]
    fn bad_files_are_errors_with_line() {
        let home = tempfile::tempdir().unwrap();
        let p = home.path().join(".claude/settings.json");
        write(&p, "{\n  \"env\": {\n    \"A\": \"1\",\n  }\n}\n");
        let env =
            Environment::new(home.path(), "/nonexistent").with(MANAGED_DIR_VAR, "/nonexistent");
        let e = ClaudeSettings::load(&env).unwrap_err();
        // The comma is the character to delete: its line, not the bracket's.
        assert_eq!((e.path.as_path(), e.line), (p.as_path(), Some(3)));
        write(&p, "[1]");
        assert!(ClaudeSettings::load(&env)
            .unwrap_err()
            .message
            .contains("JSON object"));
        write(&p, "{\"env\": []}");
        assert!(ClaudeSettings::load(&env)
            .unwrap_err()
            .message
            .contains("`env` must be an object"));
        std::fs::remove_file(&p).unwrap();
        std::fs::create_dir_all(&p).unwrap();
        assert!(ClaudeSettings::load(&env)
            .unwrap_err()
            .message
            .contains("directory"));
    }
}
