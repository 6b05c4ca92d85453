use keyless_rules::{RuleMeta, Severity, Status};

use super::{boundary_after, boundary_before, is_b64, run_len, Candidate, Match, Rule, Trigger};
use crate::token::{account_from_bedrock_key, is_placeholder};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KS104",
        name: "bedrock-api-key-long-term",
        severity: Severity::Error,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for long-term Amazon Bedrock API keys: `ABSK` followed by 109 to 269 base64 characters.
The account is decoded from the key offline.

## Why is this bad?
A long-term Bedrock API key is a bearer secret tied to an IAM user; AWS recommends it "only for
exploration". Anyone holding it can run models on your bill until it is revoked.

## Example
```sh
AWS_BEARER_TOKEN_BEDROCK=ABSK…
```

## Fix
Revoke the key (delete its IAM service-specific credential) and use IAM credentials through a
profile instead.
"#,
    },
    triggers: &[Trigger {
        literal: "ABSK",
        case_sensitive: true,
    }],
    check,
};

fn check(c: &Candidate) -> Option<Match> {
    let n = run_len(c.buf, c.end, is_b64);
    if !(109..=269).contains(&n) {
        return None;
    }
    let mut end = c.end + n;
    while end < c.buf.len() && c.buf[end] == b'=' && end - (c.end + n) < 2 {
        end += 1;
    }
    if !boundary_before(c.buf, c.start)
        || !boundary_after(c.buf, end)
        || is_placeholder(&c.buf[c.start..end])
    {
        return None;
    }
    let key = std::str::from_utf8(&c.buf[c.start..end]).ok()?;
    Some(Match {
        start: c.start,
        end,
        detail: account_from_bedrock_key(key).map(|a| format!("account {a}")),
    })
}

#[cfg(test)]
mod tests {
    use crate::engine::scan_bytes;
    use crate::token::tests::encode64;

    #[test]
    fn absk_keys_with_account() {
        let secret: String = (0..60)
            .map(|i| (b'a' + (i * 7 % 26) as u8) as char)
            .collect();
        let key = format!(
            "ABSK{}",
            encode64(format!("BedrockAPIKey-k1ab-at-210987654321:{secret}").as_bytes())
        );
        let f = scan_bytes(format!("AWS_BEARER_TOKEN_BEDROCK={key}\n").as_bytes());
        let k: Vec<_> = f.iter().filter(|f| f.id == "KS104").collect();
        assert_eq!(k.len(), 1);
        assert_eq!(k[0].detail.as_deref(), Some("account 210987654321"));
        assert!(scan_bytes(b"ABSKshort").iter().all(|f| f.id != "KS104"));
    }
}
