use keyless_rules::{RuleMeta, Severity};

use super::{is_dotenv, FileFacts, FileRule};
use crate::git::Status;

pub(crate) const RULE: FileRule = FileRule {
    meta: RuleMeta {
        id: "KS202",
        name: "dotenv-tracked-despite-ignore",
        severity: Severity::Error,
        since: "0.1.0",
        status: keyless_rules::Status::Stable,
        doc: r#"
## What it does
Checks for a `.env` file that `.gitignore` lists but git tracks anyway: it was force-added
(`git add -f`) or added before the ignore rule existed.

## Why is this bad?
The ignore rule gives a false sense of safety: git ignores rules for files it already tracks, so
every change to the file is committed. Most scanners skip ignored files and miss it entirely.

## Example
`.gitignore` has `.env`; `git ls-files` lists `.env`.

## Fix
`git rm --cached .env` and commit; rotate any key it ever held.
"#,
    },
    applies,
};

fn applies(f: &FileFacts) -> Option<String> {
    (f.status == Status::Tracked && f.matches_ignore_rule && is_dotenv(f.path))
        .then(|| format!("{} is listed in an ignore file but git tracks it (force-added, or added before the rule)", f.path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracked_and_ignored() {
        let f = |status, ignored| {
            applies(&FileFacts {
                path: ".env",
                status,
                matches_ignore_rule: ignored,
                secrets: 0,
            })
        };
        assert!(f(Status::Tracked, true).is_some());
        assert!(f(Status::Tracked, false).is_none());
        assert!(f(Status::Ignored, true).is_none());
    }
}
