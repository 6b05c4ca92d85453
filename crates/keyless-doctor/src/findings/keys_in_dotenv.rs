use keyless_config::redact;
use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD401",
        name: "keys-in-dotenv",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks the project directory's `.env` files (`.env`, `.env.local`, `.env.production`, ...) for
AWS access keys, secret keys, session tokens, Bedrock API keys and Anthropic API keys. AWS's
documented example keys (`…EXAMPLE…`) are ignored.

## Why is this bad?
`.gitignore` keeps a `.env` out of `git add .`, not out of `git add -f`, a misconfigured ignore
file, a backup or a container image. The seed guide itself warns against it.

## Example
```sh
# .env
AWS_ACCESS_KEY_ID=AKIA…
AWS_SECRET_ACCESS_KEY=…
```

## Fix
Delete the lines, rotate the key, and use `AWS_PROFILE` with a keyless profile. `keyless scan`
checks whether the file was ever committed.
"#,
    },
    why: "a key in a project .env is one `git add -f` away from being in history forever",
    check,
};

fn looks_like_secret(key: &str, value: &str) -> bool {
    if value.contains("EXAMPLE") || value.len() < 16 {
        return false;
    }
    match key {
        "AWS_ACCESS_KEY_ID" => {
            value.len() == 20
                && (value.starts_with("AKIA") || value.starts_with("ASIA"))
                && value[4..]
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c))
        }
        "AWS_SECRET_ACCESS_KEY" | "AWS_SESSION_TOKEN" | "AWS_BEARER_TOKEN_BEDROCK" => {
            !value.starts_with('$')
        }
        "ANTHROPIC_API_KEY" => value.starts_with("sk-ant-"),
        _ => false,
    }
}

fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for file in &cx.dotenv {
        for a in &file.assignments {
            if looks_like_secret(&a.key, &a.value) {
                out.push(
                    RULE.finding(format!(
                        "{} = `{}` is stored in plain text",
                        a.key,
                        redact(&a.value)
                    ))
                    .at(&file.path, a.line)
                    .fix(Fix::run(
                        "delete it, rotate the key, and check the git history",
                        "keyless scan --history",
                    )),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn real_looking_keys_are_flagged_examples_are_not() {
        // Built at test time so no realistic key is committed.
        let id = format!("AKIA{}", "Q".repeat(16));
        let fx = Fixture::new().file(
            "project/.env",
            &format!("AWS_ACCESS_KEY_ID={id}\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nANTHROPIC_API_KEY=sk-ant-api03-{}\nOTHER=1\n", "x".repeat(40)),
        );
        let f = fx.check(&RULE);
        let lines: Vec<_> = f.iter().map(|f| f.line.unwrap()).collect();
        assert_eq!(lines, [1, 3]);
        assert!(!f[0].message.contains(&id));
    }

    #[test]
    fn no_dotenv_no_findings() {
        assert!(good().check(&RULE).is_empty());
    }
}
