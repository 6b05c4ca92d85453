use keyless_config::vars::is_truthy;
use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD201",
        name: "bedrock-mode-not-enabled",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks that Claude Code's effective environment sets `CLAUDE_CODE_USE_BEDROCK` to `1` or `true`.

## Why is this bad?
Unset, Claude Code does not use Bedrock at all. Set to anything else (`yes`, `on`), it is off:
since Claude Code 1.0.124 only `1` and `true` count.

## Example
```json
{ "env": { "CLAUDE_CODE_USE_BEDROCK": "yes" } }
```
Use instead:
```json
{ "env": { "CLAUDE_CODE_USE_BEDROCK": "1" } }
```

## Fix
`keyless init` writes a complete Bedrock setup. When the variable is set to another value in a
settings file, `keyless doctor --fix` sets it to `1`.
"#,
    },
    why: "without CLAUDE_CODE_USE_BEDROCK=1 Claude Code talks to Anthropic's API, not Bedrock",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    match cx.var("CLAUDE_CODE_USE_BEDROCK") {
        None => vec![RULE
            .finding("Claude Code is not set up for Bedrock: CLAUDE_CODE_USE_BEDROCK is not set in any settings file or the environment")
            .fix(Fix::run("write a keyless Bedrock setup", "keyless init"))],
        Some(e) if !is_truthy(&e.value) => {
            let mut fix = Fix::say("set CLAUDE_CODE_USE_BEDROCK to `1`");
            if let Some(edit) = super::settings_edit(&e.from, "CLAUDE_CODE_USE_BEDROCK", "1") {
                fix = fix.with_edit(edit);
            }
            vec![RULE
                .finding(format!(
                    "CLAUDE_CODE_USE_BEDROCK is `{}`, which Claude Code reads as off; only `1` or `true` turn Bedrock on",
                    e.value
                ))
                .at_opt(e.from.location())
                .fix(fix)]
        }
        Some(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn unset_and_non_truthy_values_are_flagged() {
        assert_eq!(
            Fixture::new().check(&RULE)[0]
                .fix
                .as_ref()
                .unwrap()
                .command
                .as_deref(),
            Some("keyless init")
        );
        let f = Fixture::new()
            .settings(r#"{"CLAUDE_CODE_USE_BEDROCK": "yes"}"#)
            .check(&RULE);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].line, Some(2));
        assert_eq!(f[0].fix.as_ref().unwrap().edits.len(), 1);
    }

    #[test]
    fn one_and_true_are_on() {
        assert!(good().check(&RULE).is_empty());
        assert!(Fixture::new()
            .var("CLAUDE_CODE_USE_BEDROCK", "TRUE")
            .check(&RULE)
            .is_empty());
    }
}
