use keyless_catalog::Catalog;
use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD206",
        name: "region-without-bedrock",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks that the region Claude Code will use is a region name and has a Bedrock runtime endpoint.

## Why is this bad?
A misspelt region (`us-east1`) or one without Bedrock gives connection errors or
`UnrecognizedClientException`. Claude Code 2.1.172+ also treats a value with a slash, dot or space
as unset and silently falls back to `us-east-1`.

## Example
```json
{ "env": { "AWS_REGION": "us-east1" } }
```
Use instead:
```json
{ "env": { "AWS_REGION": "us-east-1" } }
```

## Fix
Set a region from `keyless models` (which lists where each model can be called from).
"#,
    },
    why: "a region with no Bedrock runtime endpoint, or a value that is not a region, cannot serve any request",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    if !cx.bedrock_mode() {
        return Vec::new();
    }
    let Some(region) = cx.region() else {
        return Vec::new();
    };
    let loc = cx
        .var("AWS_REGION")
        .or_else(|| cx.var("AWS_DEFAULT_REGION"))
        .and_then(|e| e.from.location());
    let message = if !Catalog::looks_like_region(&region) {
        format!("`{region}` is not a region name (expected something like `us-east-1`)")
    } else if !cx.catalog.has_runtime(&region) {
        format!(
            "{region} has no Bedrock runtime endpoint (catalog as of {})",
            cx.catalog.as_of
        )
    } else {
        return Vec::new();
    };
    vec![RULE.finding(message).at_opt(loc).fix(Fix::run(
        "choose a region where Bedrock serves Claude",
        "keyless models",
    ))]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn flags_malformed_and_bedrock_less_regions() {
        for r in ["us-east1", "eu-west-1 ", "cn-north-1"] {
            let fx = Fixture::new().settings(&format!(
                r#"{{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "{r}"}}"#
            ));
            assert_eq!(fx.check(&RULE).len(), 1, "{r}");
        }
    }

    #[test]
    fn silent_on_bedrock_regions() {
        assert!(good().check(&RULE).is_empty());
    }
}
