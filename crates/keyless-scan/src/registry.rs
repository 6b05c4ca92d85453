//! Every scan rule, in one list (the order of `docs/scan-rules.md`).
//!
//! IDs: `KS1xx` secrets in content, `KS2xx` findings about files.

use crate::rules::Rule;
use crate::rules::*;

/// All content rules.
pub const RULES: &[&Rule] = &[
    &aws_access_key_id::RULE,
    &aws_secret_access_key::RULE,
    &aws_session_token::RULE,
    &bedrock_api_key_long_term::RULE,
    &bedrock_api_key_short_term::RULE,
    &bedrock_bearer_token_assignment::RULE,
    &anthropic_api_key::RULE,
    &anthropic_admin_key::RULE,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_unique_and_documented() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "{}", r.id);
            assert!(r.id.len() == 5 && r.id.starts_with("KS"), "{}", r.id);
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Fix",
            ] {
                assert!(r.doc.contains(section), "{} lacks {section}", r.id);
            }
            assert!(
                r.doc
                    .split("## What it does")
                    .nth(1)
                    .unwrap()
                    .trim_start()
                    .starts_with("Checks "),
                "{}",
                r.id
            );
            assert!(!r.triggers.is_empty());
        }
    }
}
