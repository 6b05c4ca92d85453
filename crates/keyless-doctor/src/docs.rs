//! `docs/findings.md`, generated from the registry.

use crate::registry::RULES;

/// The Markdown reference of every doctor finding.
pub fn findings_markdown() -> String {
    let mut out = String::from(
        "# keyless doctor findings\n\n\
         <!-- Generated from crates/keyless-doctor/src/findings/*.rs by \
         `keyless generate-docs`; do not edit by hand. -->\n\n\
         Each finding has a stable ID. `keyless doctor --explain ID` prints its entry.\n\n\
         | ID | Name | Severity | Why it matters |\n|---|---|---|---|\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| [{}](#{}) | `{}` | {} | {} |\n",
            r.id,
            r.id.to_ascii_lowercase(),
            r.name,
            r.severity.as_str(),
            r.why
        ));
    }
    for r in RULES {
        out.push_str(&format!("\n## {}\n\n", r.id));
        out.push_str(&explain(r));
    }
    out
}

/// One rule's documentation.
pub fn explain(r: &crate::Rule) -> String {
    keyless_catalog::rule_doc_markdown(r.name, r.severity, r.since, r.doc)
}
