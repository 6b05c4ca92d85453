//! Planned edits to configuration files, their diffs, and applying them.
//!
//! Every command that writes (`init`, `doctor --fix`) works the same way: build a list of
//! [`Edit`]s, [`plan`] them into [`FileChange`]s (new text computed in memory, nothing
//! written), show the [`unified_diff`] of each, then [`FileChange::write`] them, each
//! through [`crate::fs::write_atomic`] (backup, temporary file, fsync, rename). A plan
//! that would change nothing has no changes, which is what makes `init` idempotent.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::fs::{read_text, FileError, WriteOutcome};
use crate::ini::IniDocument;
use crate::json;

/// One mechanical change to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Set `env.KEY` to a string in a Claude Code settings file.
    SetEnv {
        /// The settings file.
        path: PathBuf,
        /// Variable name.
        key: String,
        /// Value.
        value: String,
    },
    /// Remove `env.KEY` from a settings file.
    RemoveEnv {
        /// The settings file.
        path: PathBuf,
        /// Variable name.
        key: String,
    },
    /// Set a top-level string key in a settings file (`awsAuthRefresh`).
    SetKey {
        /// The settings file.
        path: PathBuf,
        /// Key.
        key: String,
        /// Value.
        value: String,
    },
    /// Set `key = value` in a section of an AWS INI file.
    SetIni {
        /// The INI file.
        path: PathBuf,
        /// Section header as written between the brackets (`profile dev`).
        section: String,
        /// Key.
        key: String,
        /// Value.
        value: String,
    },
    /// Remove keys from a section of an AWS INI file, and the section when nothing else is
    /// left in it. The values removed are redacted in the file's backup: a backup of a
    /// credentials file keeps no secret that the edit took out.
    RemoveIni {
        /// The INI file.
        path: PathBuf,
        /// Section header as written between the brackets.
        section: String,
        /// Keys to remove.
        keys: Vec<String>,
    },
    /// Set a file's permission bits (`chmod`), leaving its content as it is.
    SetMode {
        /// The file.
        path: PathBuf,
        /// The mode, such as `0o600`.
        mode: u32,
    },
}

impl Edit {
    /// The file this edit changes.
    pub fn path(&self) -> &Path {
        match self {
            Self::SetEnv { path, .. }
            | Self::RemoveEnv { path, .. }
            | Self::SetKey { path, .. }
            | Self::SetIni { path, .. }
            | Self::RemoveIni { path, .. }
            | Self::SetMode { path, .. } => path,
        }
    }

    /// Applies the edit to `text`; an error carries the 1-based line when it has one.
    fn apply(&self, text: &str) -> Result<String, (Option<usize>, String)> {
        if matches!(self, Self::SetMode { .. }) {
            return Ok(text.to_string());
        }
        let is_json = !matches!(self, Self::SetIni { .. } | Self::RemoveIni { .. });
        if is_json && !text.trim().is_empty() {
            if let Err(e) = json::parse(text) {
                return Err((
                    Some(e.line),
                    format!("invalid JSON at column {}: {}", e.column, e.message),
                ));
            }
        }
        if !is_json {
            if let Err(e) = IniDocument::parse(text) {
                return Err((Some(e.line), e.message));
            }
        }
        self.apply_valid(text).map_err(|m| (None, m))
    }

    fn apply_valid(&self, text: &str) -> Result<String, String> {
        match self {
            Self::SetEnv { key, value, .. } => {
                json::set(text, &["env", key], &json::quote(value)).map_err(|e| e.0)
            }
            Self::RemoveEnv { key, .. } => {
                if text.trim().is_empty() {
                    return Ok(text.to_string());
                }
                Ok(json::remove(text, &["env", key])
                    .map_err(|e| e.0)?
                    .unwrap_or_else(|| text.to_string()))
            }
            Self::SetKey { key, value, .. } => {
                json::set(text, &[key], &json::quote(value)).map_err(|e| e.0)
            }
            Self::SetIni {
                section,
                key,
                value,
                ..
            } => {
                let mut doc = IniDocument::parse(text).map_err(|e| e.to_string())?;
                if doc
                    .section(section)
                    .and_then(|s| s.get(key))
                    .is_some_and(|p| p.value == *value)
                {
                    return Ok(text.to_string());
                }
                doc.set(section, key, value);
                Ok(doc.to_string())
            }
            Self::RemoveIni { section, keys, .. } => {
                let mut doc = IniDocument::parse(text).map_err(|e| e.to_string())?;
                let mut removed = false;
                for k in keys {
                    removed |= doc.remove(section, k);
                }
                if !removed {
                    return Ok(text.to_string());
                }
                doc.remove_section_if_blank(section);
                Ok(doc.to_string())
            }
            Self::SetMode { .. } => Ok(text.to_string()),
        }
    }
}

/// The planned new content of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// The file.
    pub path: PathBuf,
    /// Its current content (`None`: it does not exist yet).
    pub before: Option<String>,
    /// Its content after the edits.
    pub after: String,
    /// A permission change: (current mode, new mode).
    pub mode: Option<(Option<u32>, u32)>,
    /// Secrets the change removes: redacted in the backup of the old content.
    pub removed_secrets: Vec<String>,
}

impl FileChange {
    /// Writes the change atomically, keeping a backup of the old file. A change of mode
    /// alone is a `chmod` (atomic in itself; the content, and so no backup, is involved).
    pub fn write(&self) -> Result<WriteOutcome, FileError> {
        let new_mode = self.mode.map(|(_, m)| m);
        if self.before.as_deref() == Some(self.after.as_str()) {
            if let Some(m) = new_mode {
                crate::fs::set_mode(&self.path, m)?;
            }
            return Ok(WriteOutcome {
                path: self.path.clone(),
                backup: None,
                created: false,
            });
        }
        crate::fs::write_atomic_with_mode(&self.path, &self.after, new_mode, &self.removed_secrets)
    }

    /// The unified diff of the change, with git's `old mode` / `new mode` lines for a
    /// permission change. A secret the change removes shows only redacted.
    pub fn diff(&self) -> String {
        let mut out = self.raw_diff();
        for secret in &self.removed_secrets {
            out = out.replace(secret.as_str(), &crate::redact(secret));
        }
        out
    }

    fn raw_diff(&self) -> String {
        let name = self.path.display().to_string();
        let mut out = String::new();
        if let Some((old, new)) = self.mode {
            if self.before.as_deref() == Some(self.after.as_str()) {
                out.push_str(&format!("--- {name}\n+++ {name}\n"));
            }
            if let Some(old) = old {
                out.push_str(&format!("old mode {old:04o}\n"));
            }
            out.push_str(&format!("new mode {new:04o}\n"));
            if self.before.as_deref() == Some(self.after.as_str()) {
                return out;
            }
        }
        out.push_str(&unified_diff(
            &name,
            self.before.as_deref().unwrap_or(""),
            &self.after,
            self.before.is_none(),
        ));
        out
    }
}

/// Applies `edits` in memory, grouped per file in first-mention order. Files whose
/// content would not change are left out. Nothing is written.
pub fn plan(edits: &[Edit]) -> Result<Vec<FileChange>, FileError> {
    let mut order: Vec<PathBuf> = Vec::new();
    let mut texts: BTreeMap<PathBuf, (Option<String>, String)> = BTreeMap::new();
    let mut modes: BTreeMap<PathBuf, u32> = BTreeMap::new();
    let mut secrets: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for edit in edits {
        if let Edit::SetMode { path, mode } = edit {
            modes.insert(path.clone(), *mode);
        }
        let path = edit.path().to_path_buf();
        if !texts.contains_key(&path) {
            let before = read_text(&path)?;
            let current = before.clone().unwrap_or_default();
            texts.insert(path.clone(), (before, current));
            order.push(path.clone());
        }
        let entry = texts.get_mut(&path).expect("inserted above");
        if let Edit::RemoveIni { section, keys, .. } = edit {
            if let Ok(doc) = IniDocument::parse(&entry.1) {
                let found = doc.section(section).into_iter().flat_map(|s| {
                    keys.iter()
                        .filter_map(|k| s.get(k))
                        .map(|p| p.value.clone())
                });
                secrets
                    .entry(path.clone())
                    .or_default()
                    .extend(found.filter(|v| !v.is_empty()));
            }
        }
        entry.1 = edit.apply(&entry.1).map_err(|(line, m)| match line {
            Some(l) => FileError::at(&path, l, m),
            None => FileError::new(&path, m),
        })?;
    }
    Ok(order
        .into_iter()
        .filter_map(|path| {
            let (before, after) = texts.remove(&path)?;
            let current = crate::fs::mode(&path);
            let mode = modes
                .get(&path)
                .filter(|&&m| current != Some(m))
                .map(|&m| (current, m));
            let removed_secrets = secrets.remove(&path).unwrap_or_default();
            (before.as_deref() != Some(after.as_str()) || mode.is_some()).then_some(FileChange {
                path,
                before,
                after,
                mode,
                removed_secrets,
            })
        })
        .collect())
}

/// A unified diff (three lines of context) of `before` → `after`.
pub fn unified_diff(name: &str, before: &str, after: &str, new_file: bool) -> String {
    let a: Vec<&str> = before.split_inclusive('\n').collect();
    let b: Vec<&str> = after.split_inclusive('\n').collect();
    let ops = diff_ops(&a, &b);
    let mut out = String::new();
    out.push_str(&format!(
        "--- {}\n+++ {name}\n",
        if new_file { "/dev/null" } else { name }
    ));
    // Group into hunks with 3 lines of context.
    const CTX: usize = 3;
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, o)| !matches!(o, Op::Same(..)))
        .map(|(i, _)| i)
        .collect();
    let mut i = 0;
    while i < changed.len() {
        let start = changed[i].saturating_sub(CTX);
        let mut end = (changed[i] + CTX + 1).min(ops.len());
        while i + 1 < changed.len() && changed[i + 1] <= end + CTX {
            i += 1;
            end = (changed[i] + CTX + 1).min(ops.len());
        }
        let (mut a_start, mut b_start) = (0, 0);
        for o in &ops[..start] {
            match o {
                Op::Same(..) => {
                    a_start += 1;
                    b_start += 1;
                }
                Op::Del(_) => a_start += 1,
                Op::Add(_) => b_start += 1,
            }
        }
        let a_len = ops[start..end]
            .iter()
            .filter(|o| !matches!(o, Op::Add(_)))
            .count();
        let b_len = ops[start..end]
            .iter()
            .filter(|o| !matches!(o, Op::Del(_)))
            .count();
        out.push_str(&format!(
            "@@ -{},{} +{},{} @@\n",
            if a_len == 0 { a_start } else { a_start + 1 },
            a_len,
            if b_len == 0 { b_start } else { b_start + 1 },
            b_len
        ));
        for o in &ops[start..end] {
            let (sign, line) = match o {
                Op::Same(l) => (' ', *l),
                Op::Del(l) => ('-', *l),
                Op::Add(l) => ('+', *l),
            };
            out.push(sign);
            out.push_str(line.trim_end_matches(['\n', '\r']));
            out.push('\n');
            if !line.ends_with('\n') {
                out.push_str("\\ No newline at end of file\n");
            }
        }
        i += 1;
    }
    out
}

enum Op<'a> {
    Same(&'a str),
    Del(&'a str),
    Add(&'a str),
}

/// Longest-common-subsequence diff. Settings files are small; a file too large for the
/// quadratic table is shown as a whole replacement.
fn diff_ops<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<Op<'a>> {
    if a.len().saturating_mul(b.len()) > 4_000_000 {
        return a
            .iter()
            .map(|l| Op::Del(l))
            .chain(b.iter().map(|l| Op::Add(l)))
            .collect();
    }
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    let idx = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[idx(i, j)] = if a[i] == b[j] {
                lcs[idx(i + 1, j + 1)] + 1
            } else {
                lcs[idx(i + 1, j)].max(lcs[idx(i, j + 1)])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut ops = Vec::new();
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push(Op::Same(a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[idx(i + 1, j)] >= lcs[idx(i, j + 1)]) {
            ops.push(Op::Del(a[i]));
            i += 1;
        } else {
            ops.push(Op::Add(b[j]));
            j += 1;
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_shows_only_the_change_with_context() {
        let before = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let after = "a\nb\nc\nd\nE\nf\ng\nh\n";
        assert_eq!(
            unified_diff("x", before, after, false),
            "--- x\n+++ x\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
        );
        assert_eq!(
            unified_diff("x", "", "new\n", true),
            "--- /dev/null\n+++ x\n@@ -0,0 +1,1 @@\n+new\n"
        );
    }

    #[test]
    fn plan_is_empty_when_nothing_changes_and_writes_nothing() {
        let d = tempfile::tempdir().unwrap();
        let s = d.path().join("settings.json");
        std::fs::write(&s, "{\n  \"env\": {\n    \"A\": \"1\"\n  }\n}\n").unwrap();
        let c = d.path().join("config");
        std::fs::write(&c, "[profile p]\nregion = us-east-1\n").unwrap();
        let same = [
            Edit::SetEnv {
                path: s.clone(),
                key: "A".into(),
                value: "1".into(),
            },
            Edit::RemoveEnv {
                path: s.clone(),
                key: "B".into(),
            },
            Edit::SetIni {
                path: c.clone(),
                section: "profile p".into(),
                key: "region".into(),
                value: "us-east-1".into(),
            },
        ];
        assert!(plan(&same).unwrap().is_empty());
        let changes = plan(&[
            Edit::SetEnv {
                path: s.clone(),
                key: "B".into(),
                value: "2".into(),
            },
            Edit::RemoveEnv {
                path: s.clone(),
                key: "A".into(),
            },
        ])
        .unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(
            changes[0].after,
            "{\n  \"env\": {\n    \"B\": \"2\"\n  }\n}\n"
        );
        // planning wrote nothing
        assert!(std::fs::read_to_string(&s).unwrap().contains("\"A\""));
    }

    #[test]
    fn plan_creates_missing_files_and_reports_bad_ones() {
        let d = tempfile::tempdir().unwrap();
        let s = d.path().join("new/settings.json");
        let changes = plan(&[Edit::SetEnv {
            path: s.clone(),
            key: "A".into(),
            value: "x\"y".into(),
        }])
        .unwrap();
        assert_eq!(changes[0].before, None);
        assert_eq!(
            json::parse(&changes[0].after)
                .unwrap()
                .pointer(&["env", "A"])
                .and_then(|n| n.as_str()),
            Some("x\"y")
        );
        let bad = d.path().join("bad.json");
        std::fs::write(&bad, "{oops").unwrap();
        let e = plan(&[Edit::SetEnv {
            path: bad.clone(),
            key: "A".into(),
            value: "1".into(),
        }])
        .unwrap_err();
        assert_eq!(e.path, bad);
    }
}
