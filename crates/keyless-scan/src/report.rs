//! Machine-readable reports: keyless's JSON, SARIF 2.1.0 for code-scanning dashboards, and
//! baselines. Secrets are redacted unless the caller asks otherwise.

use std::collections::BTreeSet;

use keyless_rules::Severity;
use serde_json::{json, Value};

use crate::content::Report;
use crate::error::ScanError;
use crate::registry::all_rules;

/// How a secret appears in output.
pub fn show(secret: &str, reveal: bool) -> String {
    if reveal {
        secret.to_string()
    } else {
        keyless_config::redact(secret)
    }
}

/// Findings suppressed by a baseline file.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    fingerprints: BTreeSet<String>,
}

impl Baseline {
    /// Parses a baseline file written by [`baseline_json`].
    pub fn parse(text: &str) -> Result<Self, ScanError> {
        let bad = |line, message: &str| ScanError::BadBaseline {
            line,
            message: message.to_string(),
        };
        let root = keyless_config::json::parse(text).map_err(|e| {
            bad(
                Some(e.line),
                &format!("invalid JSON at column {}: {}", e.column, e.message),
            )
        })?;
        let Some(list) = root.pointer(&["fingerprints"]) else {
            return Err(bad(None, "not a keyless baseline: no `fingerprints`"));
        };
        let keyless_config::json::Value::Array(items) = &list.value else {
            return Err(bad(
                Some(keyless_config::json::line_of(text, list.start)),
                "`fingerprints` must be a list",
            ));
        };
        let fingerprints = items
            .iter()
            .filter_map(|i| {
                i.pointer(&["fingerprint"])
                    .and_then(|f| f.as_str())
                    .map(str::to_string)
            })
            .collect();
        Ok(Self { fingerprints })
    }

    /// Whether a fingerprint is in the baseline.
    pub fn contains(&self, fp: &str) -> bool {
        self.fingerprints.contains(fp)
    }
}

/// A baseline of every current finding (fingerprints only; secrets redacted).
pub fn baseline_json(report: &Report) -> Value {
    json!({
        "schema": 1,
        "note": "Findings accepted as known by `keyless scan --write-baseline`. Fingerprints are hashes; no secret is stored.",
        "fingerprints": report.findings.iter().map(|f| json!({
            "fingerprint": f.finding.fingerprint(),
            "rule": f.finding.id,
            "path": f.path,
            "line": f.finding.line,
            "secret": keyless_config::redact(&f.finding.secret),
        })).collect::<Vec<_>>(),
    })
}

fn origin_json(o: &crate::content::Origin) -> Value {
    json!({
        "blob": o.blob,
        "introduced": o.introduced.iter().map(|i| json!({
            "commit": i.commit,
            "path": i.path,
            "time": i.time.map(keyless_config::time::format_rfc3339),
            "ignored_by": i.ignored_by,
        })).collect::<Vec<_>>(),
    })
}

/// keyless's JSON report.
pub fn json_report(report: &Report, reveal: bool, baseline: &Baseline) -> Value {
    json!({
        "schema": 1,
        "findings": report.findings.iter().filter(|f| !baseline.contains(&f.finding.fingerprint())).map(|f| json!({
            "id": f.finding.id,
            "name": f.finding.name,
            "severity": f.finding.severity.as_str(),
            "path": f.path,
            "line": f.finding.line,
            "column": f.finding.column,
            "inside": f.finding.inside,
            "layers": f.finding.layers,
            "git_status": f.status.map(|s| s.as_str()),
            "secret": show(&f.finding.secret, reveal),
            "detail": f.finding.detail,
            "allowed": f.finding.allowed,
            "fingerprint": f.finding.fingerprint(),
            "history": f.origin.as_ref().map(origin_json),
        })).collect::<Vec<_>>(),
        "file_findings": report.file_findings.iter().map(|f| json!({
            "id": f.id, "name": f.name, "severity": f.severity.as_str(), "path": f.path, "message": f.message,
        })).collect::<Vec<_>>(),
        "skipped": report.skipped.iter().map(|(p, why)| json!({"path": p, "reason": why})).collect::<Vec<_>>(),
        "stats": {"files": report.files, "bytes": report.bytes},
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// One section of a rule's documentation on one line, for SARIF's plain-text fields.
fn section_text(r: &keyless_rules::RuleMeta, title: &str) -> String {
    r.section(title).unwrap_or("").replace('\n', " ")
}

/// SARIF 2.1.0.
pub fn sarif_report(report: &Report, reveal: bool, baseline: &Baseline, version: &str) -> Value {
    let mut rules: Vec<Value> = all_rules()
        .into_iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.name,
                "shortDescription": {"text": section_text(r, "What it does")},
                "fullDescription": {"text": section_text(r, "Why is this bad?")},
                "help": {"text": section_text(r, "Fix"), "markdown": r.doc.trim()},
                "defaultConfiguration": {"level": level(r.severity)},
            })
        })
        .collect();
    rules.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    let index_of = |id: &str| rules.iter().position(|r| r["id"] == id).unwrap_or(0);
    let mut results: Vec<Value> = report
        .findings
        .iter()
        .filter(|f| !baseline.contains(&f.finding.fingerprint()))
        .map(|f| {
            let mut text = format!("{} `{}`", f.finding.name, show(&f.finding.secret, reveal));
            if let Some(d) = &f.finding.detail {
                text.push_str(&format!(" ({d})"));
            }
            if let Some(i) = &f.finding.inside {
                text.push_str(&format!(" in {i}"));
            }
            let mut r = json!({
                "ruleId": f.finding.id,
                "ruleIndex": index_of(f.finding.id),
                "level": level(f.finding.severity),
                "message": {"text": text},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": f.path},
                    "region": {"startLine": f.finding.line, "startColumn": f.finding.column},
                }}],
                "partialFingerprints": {"keyless/v1": f.finding.fingerprint()},
            });
            if let Some(o) = &f.origin {
                r["properties"] = json!({"history": origin_json(o)});
            }
            if let Some(reason) = &f.finding.allowed {
                r["suppressions"] = json!([{"kind": "inSource", "justification": reason}]);
            }
            r
        })
        .collect();
    results.extend(report.file_findings.iter().map(|f| {
        json!({
            "ruleId": f.id,
            "ruleIndex": index_of(f.id),
            "level": level(f.severity),
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": f.path}}}],
        })
    }));
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "keyless",
                "version": version,
                "informationUri": "https://github.com/keyless-dev/keyless",
                "rules": rules,
            }},
            "results": results,
        }],
    })
}

/// The Markdown reference of every scan rule.
pub fn docs_markdown() -> String {
    keyless_rules::index_markdown(
        "keyless scan rules",
        "crates/keyless-scan/src/rules/*.rs and file_rules/*.rs",
        "",
        &all_rules(),
        None,
    )
}

/// Every scan rule's own page (`docs/rules/KS101.md`...).
pub fn pages() -> Vec<(String, String)> {
    keyless_rules::pages("scan-rules.md", &all_rules())
}
