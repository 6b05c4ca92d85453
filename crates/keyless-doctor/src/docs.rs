//! `docs/findings.md` and the findings' own pages, generated from the registry.

use crate::registry::RULES;

/// The Markdown reference of every doctor finding.
pub fn findings_markdown() -> String {
    let why = |r: &crate::Rule| r.why.to_string();
    keyless_rules::index_markdown(
        "keyless doctor findings",
        "crates/keyless-doctor/src/findings/*.rs",
        "Each finding has a stable ID. `keyless doctor --explain ID` prints its entry.\n\n",
        RULES,
        Some(("Why it matters", &why)),
    )
}

/// Every finding's own page (`docs/rules/KD101.md`...).
pub fn pages() -> Vec<(String, String)> {
    keyless_rules::pages("findings.md", RULES)
}

/// One rule's documentation.
pub fn explain(r: &crate::Rule) -> String {
    r.doc_markdown()
}
