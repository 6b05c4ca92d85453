//! What the three rule families (doctor findings `KD`, policy lints `KP`, scan rules
//! `KS`) share: the shape of a rule's documentation and the invariants of a registry.
//! It lives beside [`Severity`], which every family uses, so that no family depends on
//! another.

use crate::Severity;

/// One rule's documentation as Markdown: a line with its name, severity and version,
/// then its `## What it does` / `## Why is this bad?` / ... sections, demoted one level
/// so that they sit under the rule's own heading.
pub fn rule_doc_markdown(name: &str, severity: Severity, since: &str, doc: &str) -> String {
    let doc = doc.trim().replace("\n## ", "\n### ");
    let doc = doc
        .strip_prefix("## ")
        .map(|d| format!("### {d}"))
        .unwrap_or(doc);
    format!(
        "`{name}` · default severity **{}** · since {since}\n\n{doc}\n",
        severity.as_str()
    )
}

/// What is wrong with a registry of `(id, name, doc)`: IDs must be unique and read
/// `prefix` + three digits, names unique kebab-case, and every doc must have the four
/// sections, its `What it does` starting with "Checks". Empty when all is well; each
/// family's registry test asserts that.
pub fn registry_problems<'a>(
    prefix: &str,
    rules: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    let mut names = std::collections::BTreeSet::new();
    for (id, name, doc) in rules {
        if !ids.insert(id) {
            problems.push(format!("duplicate id {id}"));
        }
        if !names.insert(name) {
            problems.push(format!("duplicate name {name}"));
        }
        let digits = id.strip_prefix(prefix).unwrap_or("");
        if digits.len() != 3 || !digits.chars().all(|c| c.is_ascii_digit()) {
            problems.push(format!("{id}: not {prefix} and three digits"));
        }
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
        {
            problems.push(format!("{id}: name `{name}` is not kebab-case"));
        }
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Fix",
        ] {
            if !doc.contains(section) {
                problems.push(format!("{id} lacks `{section}`"));
            }
        }
        let what = doc
            .split("## What it does")
            .nth(1)
            .unwrap_or("")
            .trim_start();
        if !what.starts_with("Checks ") {
            problems.push(format!("{id}: `What it does` starts with `Checks`"));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str =
        "## What it does\nChecks x.\n## Why is this bad?\ny\n## Example\nz\n## Fix\nw\n";

    #[test]
    fn a_good_registry_has_no_problems_and_each_fault_is_named() {
        assert!(registry_problems("KX", [("KX101", "a-b", DOC), ("KX102", "c", DOC)]).is_empty());
        let bad = registry_problems(
            "KX",
            [
                ("KX101", "a", DOC),
                ("KX101", "a", "## What it does\nFinds"),
                ("KY1", "B c", DOC),
            ],
        );
        for want in [
            "duplicate id KX101",
            "duplicate name a",
            "KY1: not KX",
            "`B c` is not kebab-case",
            "lacks `## Fix`",
            "starts with `Checks`",
        ] {
            assert!(bad.iter().any(|p| p.contains(want)), "{want}: {bad:?}");
        }
    }

    #[test]
    fn doc_sections_are_demoted_under_the_rule() {
        let md = rule_doc_markdown("a-b", Severity::Error, "0.1.0", DOC);
        assert!(
            md.starts_with("`a-b` · default severity **error** · since 0.1.0\n\n### What it does")
        );
        assert!(md.contains("\n### Fix\n"));
    }
}
