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

/// Every rule's metadata, content rules (`KS1xx`) then file rules (`KS2xx`): the two kinds
/// share one ID space and one documentation.
pub fn all_rules() -> Vec<&'static keyless_rules::RuleMeta> {
    RULES
        .iter()
        .map(|r| &r.meta)
        .chain(crate::file_rules::FILE_RULES.iter().map(|r| &r.meta))
        .collect()
}

/// The rule with `id` (case-insensitive) or `name`.
pub fn lookup(id_or_name: &str) -> Option<&'static keyless_rules::RuleMeta> {
    keyless_rules::lookup(&all_rules(), id_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_unique_and_documented() {
        // Content and file rules share the KS namespace.
        let problems = keyless_rules::registry_problems("KS", &all_rules());
        assert!(problems.is_empty(), "{problems:#?}");
        for r in RULES {
            assert!(!r.triggers.is_empty(), "{}", r.id);
        }
    }
}
