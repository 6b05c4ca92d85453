//! Rules about files rather than their content, one file each: a credentials file or
//! `.env` that is committed, a `.env` tracked although ignored, keys on disk that git
//! does not have.

use crate::git::Status;

pub(crate) mod credentials_file_committed;
pub(crate) mod dotenv_tracked_despite_ignore;
pub(crate) mod key_on_disk_not_committed;

/// A file rule.
#[derive(Debug)]
pub struct FileRule {
    /// ID (`KS2` and two digits), name, severity, version, status, documentation.
    pub meta: keyless_rules::RuleMeta,
    /// Whether it applies to a file: its path, git status, whether an ignore rule matches
    /// it, and how many content findings it has.
    pub applies: fn(&FileFacts) -> Option<String>,
}

keyless_rules::rule_with_meta!(FileRule);

/// What file rules look at.
#[derive(Debug)]
pub struct FileFacts<'a> {
    /// Path relative to the scan root, `/`-separated.
    pub path: &'a str,
    /// Git status.
    pub status: Status,
    /// Whether an ignore rule matches the path (even if the file is tracked).
    pub matches_ignore_rule: bool,
    /// Number of content findings (not allowed by a comment).
    pub secrets: usize,
}

/// Whether the path names a dotenv file (`.env`, `.env.local`, `prod.env`).
pub fn is_dotenv(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == ".env" || name.starts_with(".env.") || name.ends_with(".env")
}

/// Whether the path names an AWS shared credentials or config file.
pub fn is_aws_file(path: &str) -> bool {
    path.ends_with(".aws/credentials")
        || path.ends_with(".aws/config")
        || path.rsplit('/').next() == Some("credentials")
}

/// All file rules.
pub const FILE_RULES: &[&FileRule] = &[
    &credentials_file_committed::RULE,
    &dotenv_tracked_despite_ignore::RULE,
    &key_on_disk_not_committed::RULE,
];
