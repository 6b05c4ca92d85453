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
        // Content and file rules share the KS namespace.
        let problems = keyless_catalog::registry_problems(
            "KS",
            RULES.iter().map(|r| (r.id, r.name, r.doc)).chain(
                crate::file_rules::FILE_RULES
                    .iter()
                    .map(|r| (r.id, r.name, r.doc)),
            ),
        );
        assert!(problems.is_empty(), "{problems:#?}");
        for r in RULES {
            assert!(!r.triggers.is_empty(), "{}", r.id);
        }
    }
}
