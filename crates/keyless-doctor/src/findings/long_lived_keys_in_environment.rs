use keyless_config::claude::Provenance;
use keyless_config::redact;
use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD308",
        name: "long-lived-keys-in-environment",
        severity: Severity::Warning,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks the shell environment for `AWS_ACCESS_KEY_ID` holding a long-lived key (`AKIA…`) or for a
Bedrock API key in `AWS_BEARER_TOKEN_BEDROCK`. (Keys in settings files are KD203.)

## Why is this bad?
Environment keys win over `AWS_PROFILE` in every SDK, so your SSO or role profile is silently not
used; and the keys usually come from a dotfile or a `.env` that holds them in plain text.

## Example
```sh
export AWS_ACCESS_KEY_ID=AKIA…
```

## Fix
Unset them and use `AWS_PROFILE` with an SSO or role profile (`keyless init`).
"#,
    },
    why: "long-lived keys exported in the shell override every profile and live in shell history and dotfiles",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for (var, test) in [
        (
            "AWS_ACCESS_KEY_ID",
            (|v: &str| v.starts_with("AKIA")) as fn(&str) -> bool,
        ),
        ("AWS_BEARER_TOKEN_BEDROCK", |_| true),
    ] {
        if let Some(e) = cx
            .var(var)
            .filter(|e| e.from == Provenance::Process && test(&e.value))
        {
            out.push(
                RULE.finding(format!(
                    "{var} = `{}` is exported in the shell and overrides your AWS profile",
                    redact(&e.value)
                ))
                .fix(Fix::run(
                    format!("unset {var} and use a keyless profile"),
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
    fn akia_in_shell_warns_asia_does_not() {
        let f = good()
            .var("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
            .check(&RULE);
        assert_eq!(f.len(), 1);
        assert!(!f[0].message.contains("AKIAIOSFODNN7EXAMPLE"));
        assert!(good()
            .var("AWS_ACCESS_KEY_ID", "ASIAIOSFODNN7EXAMPLE")
            .check(&RULE)
            .is_empty());
    }
}
