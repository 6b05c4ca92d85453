use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD204",
        name: "anthropic-api-key-with-bedrock",
        severity: Severity::Warning,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for `ANTHROPIC_API_KEY`, `ANTHROPIC_AUTH_TOKEN` or an `apiKeyHelper` setting while
`CLAUDE_CODE_USE_BEDROCK` is on.

## Why is this bad?
On Bedrock, requests are signed with AWS credentials. An `Authorization` header from
`ANTHROPIC_AUTH_TOKEN` or `apiKeyHelper` replaced the SigV4 signature and produced 403s until
Claude Code 2.1.101; an `ANTHROPIC_API_KEY` is simply a live secret lying around, billed to a
different account than the one you think you are using.

## Example
```json
{ "apiKeyHelper": "~/bin/get-key", "env": { "CLAUDE_CODE_USE_BEDROCK": "1" } }
```

## Fix
Remove the key or helper from the settings and the shell for Bedrock sessions.
"#,
    },
    why: "an Anthropic API key or apiKeyHelper beside Bedrock mode is unused at best and breaks request signing at worst",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    if !cx.bedrock_mode() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for var in ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"] {
        if let Some(e) = cx.var(var) {
            out.push(
                RULE.finding(format!(
                    "{var} is set ({}) while Claude Code uses Bedrock",
                    e.from
                ))
                .at_opt(e.from.location())
                .fix(Fix::say(format!("unset {var} for Bedrock sessions"))),
            );
        }
    }
    if let Some(h) = cx.claude.effective_key("apiKeyHelper") {
        out.push(
            RULE.finding("`apiKeyHelper` is set while Claude Code uses Bedrock; its header can replace the AWS signature")
                .at_opt(h.from.location())
                .fix(Fix::say("remove `apiKeyHelper` from this settings file")),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn flags_key_and_helper_in_bedrock_mode_only() {
        let fx = good()
            .var("ANTHROPIC_API_KEY", "sk-ant-xxxxxxxxxxxxxxxx")
            .file(
                "project/.claude/settings.local.json",
                "{\"apiKeyHelper\": \"echo k\"}",
            );
        assert_eq!(fx.check(&RULE).len(), 2);
        let off = Fixture::new().var("ANTHROPIC_API_KEY", "sk-ant-xxxxxxxxxxxxxxxx");
        assert!(off.check(&RULE).is_empty());
    }

    #[test]
    fn silent_on_clean_setup() {
        assert!(good().check(&RULE).is_empty());
    }
}
