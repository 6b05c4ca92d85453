//! The process environment as a value.
//!
//! Library code never calls `std::env::var`: it is handed an [`Environment`]. That keeps
//! every check a pure function of its inputs, so tests build an environment (a fake
//! home, a chosen `AWS_PROFILE`) without touching the real one, and so a developer's own
//! AWS setup can never leak into a test result.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Environment variables plus the two directories keyless resolves files against.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    vars: BTreeMap<String, String>,
    home: Option<PathBuf>,
    cwd: PathBuf,
}

impl Environment {
    /// The running process's environment, home directory and working directory.
    pub fn from_process() -> Self {
        let vars: BTreeMap<String, String> = std::env::vars().collect();
        let home = vars
            .get("HOME")
            .or_else(|| vars.get("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        Self {
            vars,
            home,
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        }
    }

    /// An environment with only the given variables, `home` and `cwd`.
    pub fn new(home: impl Into<PathBuf>, cwd: impl Into<PathBuf>) -> Self {
        Self {
            vars: BTreeMap::new(),
            home: Some(home.into()),
            cwd: cwd.into(),
        }
    }

    /// Sets a variable (builder style).
    pub fn with(mut self, key: &str, value: &str) -> Self {
        self.vars.insert(key.to_string(), value.to_string());
        self
    }

    /// Sets a variable.
    pub fn set(&mut self, key: &str, value: &str) {
        self.vars.insert(key.to_string(), value.to_string());
    }

    /// A variable's value. An empty value counts as unset, as it does for the AWS SDKs.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.vars
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// All variables.
    pub fn vars(&self) -> &BTreeMap<String, String> {
        &self.vars
    }

    /// The home directory, if known.
    pub fn home(&self) -> Option<&Path> {
        self.home.as_deref()
    }

    /// `path` as a person reads it: `~/.aws/credentials` under the home directory.
    pub fn display_path(&self, path: &Path) -> String {
        display_path(path, self.home())
    }

    /// The working directory (the project whose `.claude/` is read).
    pub fn cwd(&self) -> &Path {
        &self.cwd
    }

    /// Expands a leading `~` (alone or followed by `/`) to the home directory, as the
    /// AWS SDKs do for `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`.
    pub fn expand_home(&self, path: &str) -> PathBuf {
        if let Some(home) = self.home() {
            if path == "~" {
                return home.to_path_buf();
            }
            if let Some(rest) = path.strip_prefix("~/") {
                return home.join(rest);
            }
        }
        PathBuf::from(path)
    }
}

/// `path` with the home directory written `~`, as keyless prints every location (a finding's
/// location and its fix must name a file the same way).
pub fn display_path(path: &Path, home: Option<&Path>) -> String {
    match home.and_then(|h| path.strip_prefix(h).ok()) {
        Some(rest) => format!("~/{}", rest.display()),
        None => path.display().to_string(),
    }
}
