use keyless_rules::{RuleMeta, Severity};

use super::{FileFacts, FileRule};
use crate::git::Status;

pub(crate) const RULE: FileRule = FileRule {
    meta: RuleMeta {
        id: "KS203",
        name: "key-on-disk-not-committed",
        severity: Severity::Warning,
        since: "0.1.0",
        status: keyless_rules::Status::Stable,
        doc: r#"
## What it does
Checks for credentials in files git ignores and does not track (a local `.env`, say): plaintext
keys on disk, not committed.

## Why is this bad?
Not in history, but on disk in plain text: in backups, in container images built from the
directory, one `git add -f` away from a commit.

## Example
An ignored `.env` with `AWS_SECRET_ACCESS_KEY=…`.

## Fix
Move to a keyless setup (`keyless init`) and delete the key; `keyless keys migrate` will move
keys you must keep into the OS keychain.
"#,
    },
    applies,
};

fn applies(f: &FileFacts) -> Option<String> {
    (f.status == Status::Ignored && f.secrets > 0).then(|| {
        format!(
            "{} holds {} credential(s) in plain text (git ignores it; not committed)",
            f.path, f.secrets
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignored_files_with_keys() {
        assert!(applies(&FileFacts {
            path: ".env",
            status: Status::Ignored,
            matches_ignore_rule: true,
            secrets: 1
        })
        .is_some());
        assert!(applies(&FileFacts {
            path: ".env",
            status: Status::Untracked,
            matches_ignore_rule: false,
            secrets: 1
        })
        .is_none());
    }
}
