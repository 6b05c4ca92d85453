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

/// What documents a rule, content or file rule alike.
#[derive(Debug, Clone, Copy)]
pub struct RuleDoc {
    /// Stable ID (`KS101`).
    pub id: &'static str,
    /// Name (`aws-access-key-id`).
    pub name: &'static str,
    /// Default severity.
    pub severity: keyless_catalog::Severity,
    /// Version that introduced it.
    pub since: &'static str,
    /// Markdown documentation.
    pub doc: &'static str,
}

/// Every rule, content rules (`KS1xx`) then file rules (`KS2xx`).
pub fn all_rules() -> impl Iterator<Item = RuleDoc> {
    RULES
        .iter()
        .map(|r| RuleDoc {
            id: r.id,
            name: r.name,
            severity: r.severity,
            since: r.since,
            doc: r.doc,
        })
        .chain(crate::file_rules::FILE_RULES.iter().map(|r| RuleDoc {
            id: r.id,
            name: r.name,
            severity: r.severity,
            since: r.since,
            doc: r.doc,
        }))
}

/// The rule with `id` (case-insensitive) or `name`.
pub fn lookup(id_or_name: &str) -> Option<RuleDoc> {
    all_rules().find(|r| r.id.eq_ignore_ascii_case(id_or_name) || r.name == id_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_unique_and_documented() {
        // Content and file rules share the KS namespace.
        let problems =
            keyless_catalog::registry_problems("KS", all_rules().map(|r| (r.id, r.name, r.doc)));
        assert!(problems.is_empty(), "{problems:#?}");
        for r in RULES {
            assert!(!r.triggers.is_empty(), "{}", r.id);
        }
    }
}
