//! Why a scan could not run, with what to do about it. A file or blob that cannot be read
//! is not this: it is listed in the report as skipped, and the scan goes on.

use std::path::PathBuf;

/// A scan that could not run.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// `--staged` and `--history` need a repository.
    #[error("{} is not inside a git repository{}", path.display(), detail.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    NotARepository {
        /// Where the search started.
        path: PathBuf,
        /// What gitoxide said, when it said more.
        detail: Option<String>,
    },
    /// `--since REV` names no commit.
    #[error("--since {rev}: {detail}")]
    BadRevision {
        /// The revision as given.
        rev: String,
        /// Why it does not resolve.
        detail: String,
    },
    /// The repository could not be read.
    #[error("cannot read the repository: {0}")]
    Git(String),
    /// A `--baseline` file that is not one keyless wrote.
    #[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
    BadBaseline {
        /// The line, when the JSON parser knows it.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },
}

impl ScanError {
    /// What the person can do next.
    pub fn hint(&self) -> &'static str {
        match self {
            Self::NotARepository { .. } => {
                "run it inside a git repository, or pass the repository's path"
            }
            Self::BadRevision { .. } => {
                "name a branch, tag or commit that exists here (`git log --oneline` lists them)"
            }
            Self::Git(_) => "check the repository with `git fsck`",
            Self::BadBaseline { .. } => "write one with `keyless scan --write-baseline FILE`",
        }
    }
}
