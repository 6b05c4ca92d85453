use keyless_rules::{RuleMeta, Severity, Status};

use crate::actions::Lookup;
use crate::lint::{Finding, LintContext, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KP101",
        name: "unknown-action",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks every `Action` and `NotAction` entry without wildcards against the IAM action data for the
services keyless knows (`bedrock`, `sts`, `iam`, `aws-marketplace`, `sso`, `kms`, `logs`).

## Why is this bad?
IAM accepts a policy naming an action that does not exist and never matches it. The classic case
is `bedrock:Converse`: the Converse API is authorised as `bedrock:InvokeModel` (and ConverseStream
as `bedrock:InvokeModelWithResponseStream`), so a policy granting only `bedrock:Converse` grants
nothing.

## Example
```json
{ "Effect": "Allow", "Action": "bedrock:Converse", "Resource": "*" }
```
Use instead:
```json
{ "Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": "*" }
```

## Fix
Use the action named in the finding. Services keyless has no data for are not judged.
"#,
    },
    check,
};

fn check(cx: &LintContext) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in &cx.policy.statements {
        for item in s.action.iter().flat_map(|a| &a.items) {
            if item.value.contains(['*', '?']) {
                continue;
            }
            match cx.data.lookup(&item.value) {
                Lookup::UnknownAction { suggestion } => {
                    let mut f =
                        RULE.finding(item.loc, format!("`{}` is not an IAM action", item.value));
                    if let Some(sug) = suggestion {
                        f = f.fix(format!("use `{sug}`"));
                    }
                    out.push(f);
                }
                Lookup::Malformed => out.push(RULE.finding(
                    item.loc,
                    format!("`{}` is not of the form `service:Action`", item.value),
                )),
                Lookup::Known(..) | Lookup::UnknownService => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::run_rule;

    #[test]
    fn converse_is_flagged_with_its_real_action() {
        let f = run_rule(
            &RULE,
            r#"{"Statement":{"Effect":"Allow","Action":["bedrock:Converse","bedrock:ConverseStream","bedrock:InvokeModel","s3:GetObject","bedrock:Invoke*","nocolon"],"Resource":"*"}}"#,
        );
        let fixes: Vec<_> = f.iter().map(|f| f.fix.clone()).collect();
        assert_eq!(f.len(), 3);
        assert_eq!(fixes[0].as_deref(), Some("use `bedrock:InvokeModel`"));
        assert_eq!(
            fixes[1].as_deref(),
            Some("use `bedrock:InvokeModelWithResponseStream`")
        );
    }
}
