use keyless_rules::{RuleMeta, Severity};

use super::{is_aws_file, is_dotenv, FileFacts, FileRule};
use crate::git::Status;

pub(crate) const RULE: FileRule = FileRule {
    meta: RuleMeta {
        id: "KS201",
        name: "credentials-file-committed",
        severity: Severity::Error,
        since: "0.1.0",
        status: keyless_rules::Status::Stable,
        doc: r#"
## What it does
Checks for an AWS credentials/config file or a `.env` file that git tracks and that holds a
credential found by a `KS1xx` rule.

## Why is this bad?
The file is, or will be at the next commit, in the repository's history: every clone, fork and
CI cache has the key. The guide's warning: "those keys are in your history forever".

## Example
`.env` committed with `AWS_ACCESS_KEY_ID=AKIA…` and `AWS_SECRET_ACCESS_KEY=…`.

## Fix
Rotate the keys first (removing the file does not help once it was committed), then
`git rm --cached FILE`, add it to `.gitignore`, and use an AWS profile (`keyless init`).
"#,
    },
    applies,
};

fn applies(f: &FileFacts) -> Option<String> {
    (f.status == Status::Tracked && f.secrets > 0 && (is_dotenv(f.path) || is_aws_file(f.path)))
        .then(|| {
            format!(
                "{} is tracked by git and holds {} credential(s)",
                f.path, f.secrets
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracked_dotenv_with_secrets() {
        let f = |path, status, secrets| {
            applies(&FileFacts {
                path,
                status,
                matches_ignore_rule: false,
                secrets,
            })
        };
        assert!(f(".env", Status::Tracked, 2).is_some());
        assert!(f("deploy/.aws/credentials", Status::Tracked, 1).is_some());
        assert!(f(".env", Status::Ignored, 2).is_none());
        assert!(f(".env", Status::Tracked, 0).is_none());
        assert!(f("src/main.rs", Status::Tracked, 1).is_none());
    }
}
