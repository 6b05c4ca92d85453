//! What keyless's three rule families share: doctor findings (`KD`), policy lints (`KP`)
//! and scan rules (`KS`).
//!
//! Each rule is one file in its family's crate: its [`RuleMeta`] (stable ID, name, default
//! severity, version, status, documentation) and its check, whose input differs per family
//! (a setup, a policy, a byte span, a file's git facts). This crate owns the part that does
//! not differ, so that it is written once: the metadata type, the [`Rule`] trait that gives
//! a registry its metadata, lookup by ID or name, the invariants every registry keeps, and
//! the documentation generated from the code (one page per rule and an index per family),
//! in the shape of ruff's and clippy's rule pages.
//!
//! It depends on nothing, so a family depends on it alone for these, and not on the model
//! catalog or on another family.

use std::fmt;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Works today, or may not work; act soon.
    Warning,
    /// Does not work, or is a risk that must not stay.
    Error,
}

impl Severity {
    /// The name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a rule still runs. IDs are never reused: a rule that is withdrawn stays in its
/// registry as `Removed`, so that `--explain` and the docs can still say what it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Runs.
    Stable,
    /// No longer runs; kept for its ID and documentation.
    Removed,
}

/// A rule's metadata: everything about it but its check.
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    /// Stable ID: the family's two letters and three digits (`KD101`); never reused.
    pub id: &'static str,
    /// Kebab-case name of the pattern flagged.
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// Version of keyless that introduced the rule.
    pub since: &'static str,
    /// Whether it runs.
    pub status: Status,
    /// Markdown documentation with four sections: `## What it does`, `## Why is this
    /// bad?`, `## Example`, `## Fix`.
    pub doc: &'static str,
}

/// The four sections every rule's documentation has, in order.
pub const DOC_SECTIONS: [&str; 4] = ["What it does", "Why is this bad?", "Example", "Fix"];

impl RuleMeta {
    /// The body of one documentation section (`"Fix"`), trimmed.
    pub fn section(&self, title: &str) -> Option<&'static str> {
        let start = self.doc.find(&format!("## {title}\n"))? + title.len() + 4;
        let rest = &self.doc[start..];
        Some(rest[..rest.find("\n## ").unwrap_or(rest.len())].trim())
    }

    /// The documentation as Markdown under the rule's own heading: a line with its name,
    /// severity and version, then its sections demoted one level.
    pub fn doc_markdown(&self) -> String {
        let doc = self.doc.trim().replace("\n## ", "\n### ");
        let doc = doc
            .strip_prefix("## ")
            .map(|d| format!("### {d}"))
            .unwrap_or(doc);
        let removed = match self.status {
            Status::Stable => "",
            Status::Removed => " · **removed**",
        };
        format!(
            "`{}` · default severity **{}** · since {}{removed}\n\n{doc}\n",
            self.name,
            self.severity.as_str(),
            self.since
        )
    }

    /// The rule's own page (`docs/rules/ID.md`).
    pub fn page_markdown(&self, family_page: &str) -> String {
        format!(
            "# {} {}\n\n<!-- Generated from the rule's source by `keyless generate-docs`; do not edit by hand. -->\n\n{}\nAll rules of this family: [{family_page}](../{family_page}).\n",
            self.id,
            self.name,
            self.doc_markdown()
        )
    }
}

/// A rule of any family: its metadata. The check stays with the family, whose input is its
/// own.
pub trait Rule {
    /// The rule's metadata.
    fn meta(&self) -> &RuleMeta;
}

/// Makes a family's rule type, which holds its `RuleMeta` in a field `meta`, a [`Rule`],
/// and lets it read as its metadata (`rule.id`, `rule.severity`): a rule is its metadata
/// plus its check.
#[macro_export]
macro_rules! rule_with_meta {
    ($rule:ty) => {
        impl ::std::ops::Deref for $rule {
            type Target = $crate::RuleMeta;
            fn deref(&self) -> &$crate::RuleMeta {
                &self.meta
            }
        }

        impl $crate::Rule for $rule {
            fn meta(&self) -> &$crate::RuleMeta {
                &self.meta
            }
        }
    };
}

/// Metadata alone is a rule too: a list of metas is a registry (scan's content and file
/// rules share one that way).
impl Rule for RuleMeta {
    fn meta(&self) -> &RuleMeta {
        self
    }
}

/// The rule whose ID (any case) or name is `id_or_name`.
pub fn lookup<'r, R: Rule + ?Sized>(rules: &[&'r R], id_or_name: &str) -> Option<&'r R> {
    rules.iter().copied().find(|r| {
        let m = r.meta();
        m.id.eq_ignore_ascii_case(id_or_name) || m.name == id_or_name
    })
}

/// What is wrong with a registry: IDs must be unique and read `prefix` + three digits,
/// names unique kebab-case, and every doc must have the four sections in order, its `What
/// it does` starting with "Checks". Empty when all is well; each family's registry test
/// asserts that.
pub fn registry_problems<R: Rule + ?Sized>(prefix: &str, rules: &[&R]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    let mut names = std::collections::BTreeSet::new();
    for r in rules {
        let RuleMeta { id, name, .. } = *r.meta();
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
        for section in DOC_SECTIONS {
            if r.meta().section(section).is_none_or(str::is_empty) {
                problems.push(format!("{id} lacks `## {section}`"));
            }
        }
        let what = r.meta().section("What it does").unwrap_or("");
        if !what.starts_with("Checks ") {
            problems.push(format!("{id}: `What it does` starts with `Checks`"));
        }
    }
    problems
}

/// One more column of a family's index table: its heading and each rule's cell.
pub type Column<'a, R> = (&'a str, &'a dyn Fn(&R) -> String);

/// A family's index page, as the family pages have always read: a table of its rules
/// (with `extra`, one more column such as the doctor's "Why it matters"), then every rule's
/// documentation under its ID. `intro` is the family's own paragraph, with its blank line.
pub fn index_markdown<R: Rule + ?Sized>(
    title: &str,
    generated_from: &str,
    intro: &str,
    rules: &[&R],
    extra: Option<Column<'_, R>>,
) -> String {
    let mut out = format!(
        "# {title}\n\n<!-- Generated from {generated_from} by `keyless generate-docs`; do not edit by hand. -->\n\n{intro}| ID | Name | Severity |{}\n|---|---|---|{}\n",
        extra.map(|(h, _)| format!(" {h} |")).unwrap_or_default(),
        if extra.is_some() { "---|" } else { "" },
    );
    for r in rules {
        let m = r.meta();
        out.push_str(&format!(
            "| [{}](#{}) | `{}` | {} |{}\n",
            m.id,
            m.id.to_ascii_lowercase(),
            m.name,
            m.severity.as_str(),
            extra
                .map(|(_, f)| format!(" {} |", f(r)))
                .unwrap_or_default(),
        ));
    }
    for r in rules {
        let m = r.meta();
        out.push_str(&format!("\n## {}\n\n{}", m.id, m.doc_markdown()));
    }
    out
}

/// Every rule's own page, `(file name, Markdown)`: `KD101.md` and so on, for `docs/rules/`.
pub fn pages<R: Rule + ?Sized>(family_page: &str, rules: &[&R]) -> Vec<(String, String)> {
    rules
        .iter()
        .map(|r| {
            let m = r.meta();
            (format!("{}.md", m.id), m.page_markdown(family_page))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str =
        "## What it does\nChecks x.\n## Why is this bad?\ny\n## Example\nz\n## Fix\nw\n";

    struct R(RuleMeta);
    impl Rule for R {
        fn meta(&self) -> &RuleMeta {
            &self.0
        }
    }

    fn r(id: &'static str, name: &'static str, doc: &'static str) -> R {
        R(RuleMeta {
            id,
            name,
            severity: Severity::Error,
            since: "0.1.0",
            status: Status::Stable,
            doc,
        })
    }

    #[test]
    fn a_good_registry_has_no_problems_and_each_fault_is_named() {
        let (a, b) = (r("KX101", "a-b", DOC), r("KX102", "c", DOC));
        assert!(registry_problems("KX", &[&a, &b]).is_empty());
        let (x, y, z) = (
            r("KX101", "a", DOC),
            r("KX101", "a", "## What it does\nFinds"),
            r("KY1", "B c", DOC),
        );
        let bad = registry_problems("KX", &[&x, &y, &z]);
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
    fn sections_lookup_and_pages() {
        let a = r("KX101", "a-b", DOC);
        assert_eq!(a.meta().section("Fix"), Some("w"));
        assert_eq!(a.meta().section("Why is this bad?"), Some("y"));
        assert_eq!(a.meta().section("Nope"), None);
        let rules: [&R; 1] = [&a];
        assert!(lookup(&rules, "kx101").is_some() && lookup(&rules, "a-b").is_some());
        assert!(lookup(&rules, "KX102").is_none());
        let md = a.meta().doc_markdown();
        assert!(
            md.starts_with("`a-b` · default severity **error** · since 0.1.0\n\n### What it does")
        );
        assert!(md.contains("\n### Fix\n"));
        let page = a.meta().page_markdown("findings.md");
        assert!(page.starts_with("# KX101 a-b\n"));
        assert!(page.ends_with("[findings.md](../findings.md).\n"));
    }
}
