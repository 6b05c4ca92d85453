use keyless_rules::{RuleMeta, Severity, Status};

use crate::lint::{Finding, LintContext, Rule};
use crate::policy::Item;

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KP109",
        name: "placeholder-account",
        severity: Severity::Error,
        since: "0.2.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks every ARN in `Resource`, `NotResource` and condition values for an account field that is
a placeholder rather than an account ID: `ACCOUNT_ID` (what `keyless policy bedrock` writes
without `--account`), `YOUR_ACCOUNT_ID`, `<account>`, `xxxxxxxxxxxx`.

## Why is this bad?
IAM compares the ARN as written. A statement whose inference-profile ARN holds `ACCOUNT_ID`
matches no real resource, so every call it was meant to allow is denied, and the denial names
the real account, not the placeholder. This is the first thing that fails when a generated
policy is attached (or given to `keyless sandbox`) as printed.

## Example
```json
{ "Effect": "Allow", "Action": "bedrock:InvokeModel",
  "Resource": "arn:aws:bedrock:us-east-1:ACCOUNT_ID:inference-profile/us.anthropic.claude-sonnet-5" }
```
Use instead: the 12-digit account ID, `*`, or `${aws:PrincipalAccount}`.

## Fix
Generate the policy with `keyless policy bedrock --account 111122223333 ...`, or replace the
placeholder in every ARN.
"#,
    },
    check,
};

/// The account field of an ARN, when it is one of a placeholder's shapes.
fn placeholder_account(arn: &str) -> Option<&str> {
    let account = arn.strip_prefix("arn:")?.split(':').nth(3)?;
    let fine = account.is_empty()
        || account == "aws"
        || account.contains(['*', '?'])
        || account.contains("${")
        || (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()));
    (!fine).then_some(account)
}

fn check(cx: &LintContext) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in &cx.policy.statements {
        let items = s
            .resource
            .iter()
            .flat_map(|r| r.items.iter())
            .chain(s.conditions.iter().flat_map(|c| c.values.iter()));
        for Item { value, loc } in items {
            if let Some(account) = placeholder_account(value) {
                out.push(
                    RULE.finding(
                        *loc,
                        format!("`{value}`: the account `{account}` is a placeholder, not an account ID; the ARN matches no real resource"),
                    )
                    .fix("put the 12-digit account ID in its place (`keyless policy bedrock --account ID`)"),
                );
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
    fn placeholders_in_resources_and_conditions() {
        let f = run_rule(
            &RULE,
            r#"{"Statement":[{"Effect":"Allow","Action":"bedrock:InvokeModel",
                "Resource":["arn:aws:bedrock:us-east-1:ACCOUNT_ID:inference-profile/us.anthropic.claude-sonnet-5",
                            "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-5"],
                "Condition":{"StringLike":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:us-east-1:<account>:inference-profile/x"}}}]}"#,
        );
        assert_eq!(f.len(), 2, "{f:#?}");
        assert!(f[0].message.contains("`ACCOUNT_ID`"));
        assert_eq!(f[0].loc.line, 2);
    }

    #[test]
    fn real_accounts_wildcards_variables_and_aws_managed_are_fine() {
        assert!(run_rule(
            &RULE,
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":[
                "arn:aws:bedrock:us-east-1:111122223333:inference-profile/x",
                "arn:aws:bedrock:*:*:inference-profile/*",
                "arn:aws:iam::${aws:PrincipalAccount}:role/x",
                "arn:aws:iam::aws:policy/ReadOnlyAccess",
                "*"]}]}"#
        )
        .is_empty());
    }
}
