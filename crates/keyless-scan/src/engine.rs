//! The matcher: one Aho-Corasick automaton over every rule's trigger literals finds
//! candidate positions in a single pass; each rule then validates its candidates (length,
//! alphabet, boundaries, entropy, placeholders). Most bytes are touched once, by the
//! automaton; rules run only where a trigger matched.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use keyless_rules::Severity;

use crate::registry::RULES;
use crate::rules::{Candidate, Rule};

/// One secret found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Rule ID (`KS101`).
    pub id: &'static str,
    /// Rule name.
    pub name: &'static str,
    /// Severity.
    pub severity: Severity,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (bytes).
    pub column: usize,
    /// The secret (never printed in full; see [`keyless_config::redact`]).
    pub secret: String,
    /// What else is known (the account it belongs to).
    pub detail: Option<String>,
    /// The reason given in a `keyless:allow` comment, if the line carries one.
    pub allowed: Option<String>,
    /// Where inside a container (a notebook cell, an archive member).
    pub inside: Option<String>,
    /// The encodings the secret was found under, outermost first (`utf-16le`); empty for
    /// plain text.
    pub layers: Vec<&'static str>,
}

impl Finding {
    /// A stable fingerprint for baselines: the rule and a hash of the secret (the secret
    /// itself is never stored).
    pub fn fingerprint(&self) -> String {
        let h = keyless_config::sha1_hex(format!("{}:{}", self.id, self.secret).as_bytes());
        format!("{}:{}", self.id, &h[..16])
    }
}

struct Matcher {
    ac: AhoCorasick,
    /// Pattern index → (rule, trigger index).
    owners: Vec<(&'static Rule, usize)>,
}

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| {
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        for rule in RULES {
            for (i, t) in rule.triggers.iter().enumerate() {
                patterns.push(t.literal);
                owners.push((*rule, i));
            }
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .expect("the trigger literals form a valid automaton");
        Matcher { ac, owners }
    })
}

/// The comment that marks a line as reviewed: `keyless:allow <reason>`.
pub const ALLOW_MARKER: &str = "keyless:allow";

fn line_bounds(buf: &[u8], pos: usize) -> (usize, usize) {
    let start = buf[..pos]
        .iter()
        .rposition(|&b| b == b'\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    let end = buf[pos..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| pos + i)
        .unwrap_or(buf.len());
    (start, end)
}

/// The reason of a `keyless:allow` marker on the line of `pos`, or on a comment-only line
/// just above it (a marker trailing code covers that line only).
fn allow_reason(buf: &[u8], pos: usize) -> Option<String> {
    let (start, end) = line_bounds(buf, pos);
    let mut lines = vec![&buf[start..end]];
    if start > 0 {
        let (ps, pe) = line_bounds(buf, start - 1);
        let above = String::from_utf8_lossy(&buf[ps..pe]);
        let t = above.trim_start();
        if ["#", "//", "--", ";", "/*", "<!--", "*"]
            .iter()
            .any(|c| t.starts_with(c))
        {
            lines.push(&buf[ps..pe]);
        }
    }
    for l in lines {
        let text = String::from_utf8_lossy(l);
        if let Some(i) = text.find(ALLOW_MARKER) {
            let reason = text[i + ALLOW_MARKER.len()..]
                .trim()
                .trim_end_matches(['*', '/', '-', '>', '#'])
                .trim()
                .to_string();
            return Some(if reason.is_empty() {
                "(no reason given)".into()
            } else {
                reason
            });
        }
    }
    None
}

/// Scans a buffer. Findings are sorted by position; one secret found by several triggers
/// is reported once.
pub fn scan_bytes(buf: &[u8]) -> Vec<Finding> {
    let m = matcher();
    let mut found: Vec<(usize, usize, &'static Rule, crate::rules::Match)> = Vec::new();
    for hit in m.ac.find_overlapping_iter(buf) {
        let (rule, trigger) = m.owners[hit.pattern().as_usize()];
        let t = &rule.triggers[trigger];
        if t.case_sensitive && &buf[hit.start()..hit.end()] != t.literal.as_bytes() {
            continue;
        }
        let c = Candidate {
            buf,
            start: hit.start(),
            end: hit.end(),
            trigger,
        };
        if let Some(mt) = (rule.check)(&c) {
            found.push((mt.start, mt.end, rule, mt));
        }
    }
    // Second-stage rules that need the first stage's findings (a secret key paired with a
    // key ID a few lines away).
    let key_lines: Vec<usize> = found
        .iter()
        .filter(|f| f.2.id == "KS101")
        .map(|f| f.0)
        .collect();
    if !key_lines.is_empty() {
        for mt in crate::rules::aws_secret_access_key::paired(buf, &key_lines) {
            let rule = crate::rules::aws_secret_access_key::RULE_REF;
            found.push((mt.start, mt.end, rule, mt));
        }
    }
    found.sort_by_key(|f| (f.0, f.2.id));
    found.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    // Overlaps: keep the longer (the anchored form of a match wins over a bare token).
    let mut out: Vec<Finding> = Vec::new();
    let mut last_end = 0usize;
    let mut last_rule = "";
    for (start, end, rule, mt) in found {
        if start < last_end && rule.id == last_rule {
            continue;
        }
        let line = buf[..start].iter().filter(|&&b| b == b'\n').count() + 1;
        let col = start
            - buf[..start]
                .iter()
                .rposition(|&b| b == b'\n')
                .map(|i| i + 1)
                .unwrap_or(0)
            + 1;
        out.push(Finding {
            id: rule.id,
            name: rule.name,
            severity: rule.severity,
            line,
            column: col,
            secret: String::from_utf8_lossy(&buf[start..end]).into_owned(),
            detail: mt.detail,
            allowed: allow_reason(buf, start),
            inside: None,
            layers: Vec::new(),
        });
        last_end = end;
        last_rule = rule.id;
    }
    out
}

/// Scans a Jupyter notebook: cell sources and text outputs, not base64 images (whose
/// random text would otherwise look like keys). Findings name the cell; lines count
/// within the cell. Falls back to a plain scan when the notebook is not valid JSON.
pub fn scan_notebook(buf: &[u8]) -> Vec<Finding> {
    let Ok(text) = std::str::from_utf8(buf) else {
        return scan_bytes(buf);
    };
    let Ok(root) = keyless_config::json::parse(text) else {
        return scan_bytes(buf);
    };
    let Some(cells) = root.pointer(&["cells"]) else {
        return scan_bytes(buf);
    };
    let keyless_config::json::Value::Array(cells) = &cells.value else {
        return scan_bytes(buf);
    };
    let join = |n: &keyless_config::json::Node| -> String {
        match &n.value {
            keyless_config::json::Value::String(s) => s.clone(),
            keyless_config::json::Value::Array(xs) => {
                xs.iter().filter_map(|x| x.as_str()).collect()
            }
            _ => String::new(),
        }
    };
    let mut out = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        let mut parts: Vec<(String, String)> = Vec::new();
        if let Some(src) = cell.pointer(&["source"]) {
            parts.push(("source".into(), join(src)));
        }
        if let Some(keyless_config::json::Node {
            value: keyless_config::json::Value::Array(outputs),
            ..
        }) = cell.pointer(&["outputs"])
        {
            for (j, o) in outputs.iter().enumerate() {
                if let Some(t) = o.pointer(&["text"]) {
                    parts.push((format!("output {}", j + 1), join(t)));
                }
                if let Some(t) = o.pointer(&["data", "text/plain"]) {
                    parts.push((format!("output {}", j + 1), join(t)));
                }
            }
        }
        for (what, body) in parts {
            for mut f in scan_bytes(body.as_bytes()) {
                f.inside = Some(format!("cell {} {what}", i + 1));
                out.push(f);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_comments_carry_their_reason() {
        let id = format!("AKIA{}", "QRSTUVWXYZ234567");
        let text = format!("# keyless:allow rotated 2026-11-01\nid = {id}\nother = {id} # keyless:allow test fixture\nbare = {id}\n");
        let f = scan_bytes(text.as_bytes());
        let reasons: Vec<_> = f
            .iter()
            .filter(|f| f.id == "KS101")
            .map(|f| f.allowed.clone())
            .collect();
        assert_eq!(
            reasons,
            [
                Some("rotated 2026-11-01".into()),
                Some("test fixture".into()),
                None
            ]
        );
    }

    #[test]
    fn notebooks_scan_cells_not_images() {
        let id = format!("AKIA{}", "QRSTUVWXYZ234567");
        // A base64 "image" that happens to contain a key-shaped string is not scanned.
        let nb = format!(
            r#"{{"cells": [{{"cell_type": "code", "source": ["import boto3\n", "key = '{id}'\n"], "outputs": [{{"data": {{"image/png": "iVBOR{id}AAAA", "text/plain": ["<Figure>"]}}}}]}}, {{"cell_type": "code", "source": "print(1)", "outputs": [{{"name": "stdout", "text": ["{id}\n"]}}]}}]}}"#
        );
        let f = scan_notebook(nb.as_bytes());
        let places: Vec<_> = f
            .iter()
            .filter(|f| f.id == "KS101")
            .map(|f| (f.inside.clone().unwrap(), f.line))
            .collect();
        assert_eq!(
            places,
            [
                ("cell 1 source".to_string(), 2),
                ("cell 2 output 1".to_string(), 1)
            ]
        );
    }
}
