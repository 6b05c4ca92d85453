use keyless_config::claude::Scope;
use keyless_config::redact;
use keyless_config::vars::{lookup, VarKind};
use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD203",
        name: "secret-in-settings-env",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks the `env` block of every Claude Code settings file for secrets: `AWS_ACCESS_KEY_ID`,
`AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_BEARER_TOKEN_BEDROCK`, `ANTHROPIC_API_KEY`,
`ANTHROPIC_AUTH_TOKEN`.

## Why is this bad?
Settings files are plain text, are often committed (`.claude/settings.json` is meant to be
shared), and their `env` reaches every subprocess Claude Code runs. A Bedrock API key or access
key there is exactly the hardcoded secret an IAM-only setup exists to avoid.

## Example
```json
{ "env": { "AWS_ACCESS_KEY_ID": "AKIA…", "AWS_SECRET_ACCESS_KEY": "…" } }
```
Use instead: a profile with SSO or a role, named by `AWS_PROFILE`:
```json
{ "env": { "AWS_PROFILE": "claude" } }
```

## Fix
Run `keyless init` to set up a keyless profile, delete the variable, and rotate the key: it has
been on disk in plain text. `--fix` does not delete secrets for you, since the setup may depend on
them until the new profile works.
"#,
    },
    why: "a key in settings.json is a plaintext long-lived secret handed to every process Claude Code starts",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for file in &cx.claude.files {
        for (name, value, line) in file.env_entries() {
            if value.is_empty() || lookup(&name).is_none_or(|v| v.kind != VarKind::Secret) {
                continue;
            }
            let shared = if file.scope == Scope::Project {
                " (a file meant to be committed)"
            } else {
                ""
            };
            out.push(
                RULE.finding(format!("{name} = `{}` is stored in {} settings{shared}", redact(&value), file.scope))
                    .at(&file.path, line)
                    .fix(Fix::run(
                        format!("remove {name} from this file, use an AWS profile instead, and rotate the secret"),
                        "keyless init",
                    )),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn flags_secrets_redacted_with_location() {
        let fx = Fixture::new().file(
            "project/.claude/settings.json",
            "{\"env\": {\n\"AWS_ACCESS_KEY_ID\": \"AKIAIOSFODNN7EXAMPLE\",\n\"AWS_BEARER_TOKEN_BEDROCK\": \"ABSKexampleexampleexample\",\n\"AWS_REGION\": \"us-east-1\"}}",
        );
        let f = fx.check(&RULE);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].line, Some(2));
        assert!(
            f[0].message.contains("AKIA…MPLE") && !f[0].message.contains("AKIAIOSFODNN7EXAMPLE"),
            "{}",
            f[0].message
        );
        assert!(f[0].message.contains("committed"));
    }

    #[test]
    fn silent_without_secrets() {
        assert!(good().check(&RULE).is_empty());
        assert!(seed().check(&RULE).is_empty());
    }
}
