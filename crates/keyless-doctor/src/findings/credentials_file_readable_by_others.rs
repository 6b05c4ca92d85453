use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD303",
        name: "credentials-file-readable-by-others",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks the mode of the AWS credentials file: it must not be readable or writable by the group or
others when it holds any setting.

## Why is this bad?
The AWS CLI creates it as 0600 for a reason: anyone who can read it can use every key in it, and
anyone who can write it can point a profile at their own `credential_process`.

## Example
```
-rw-r--r--  ~/.aws/credentials
```
Use instead:
```
-rw-------  ~/.aws/credentials
```

## Fix
`keyless doctor --fix` sets the mode to 0600 (the same as `chmod 600 ~/.aws/credentials`). Then
rotate any key the file held: someone may have read it already.
"#,
    },
    why: "other users on the machine can read secrets from a group- or world-readable credentials file",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let file = &cx.aws.credentials;
    let Some(doc) = &file.doc else {
        return Vec::new();
    };
    if doc.sections().iter().all(|s| s.properties.is_empty()) {
        return Vec::new();
    }
    match keyless_config::fs::mode(&file.path) {
        Some(mode) if mode & 0o077 != 0 => vec![RULE
            .finding(format!(
                "the credentials file has mode {:04o}; it should be 0600",
                mode
            ))
            .in_file(&file.path)
            .fix(
                Fix::run(
                    "make it private",
                    format!("chmod 600 {}", cx.env.display_path(&file.path)),
                )
                .with_edit(keyless_config::edit::Edit::SetMode {
                    path: file.path.clone(),
                    mode: 0o600,
                }),
            )],
        _ => Vec::new(),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::testing::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn world_readable_credentials_are_flagged() {
        let fx = seed();
        let p = fx.home.path().join(".aws/credentials");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        let f = fx.check(&RULE);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("0644"));
        let fix = f[0].fix.as_ref().unwrap();
        assert_eq!(fix.command.as_deref(), Some("chmod 600 ~/.aws/credentials"));
        // --fix applies it: the mode changes, the content and its bytes do not.
        let before = std::fs::read(&p).unwrap();
        for c in keyless_config::edit::plan(&fix.edits).unwrap() {
            assert!(
                c.diff().contains("old mode 0644\nnew mode 0600\n"),
                "{}",
                c.diff()
            );
            c.write().unwrap();
        }
        assert_eq!(std::fs::read(&p).unwrap(), before);
        assert!(fx.check(&RULE).is_empty());
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(fx.check(&RULE).is_empty());
    }
}
