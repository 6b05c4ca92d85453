//! `.env` files in the project directory.
//!
//! The seed guide warns against keys in `.env`; people keep them there anyway, and a
//! `.gitignore` line does not keep them out of a commit made with `git add -f`. Doctor
//! reads the project's top-level `.env` files (`.env`, `.env.local`, `.env.production`,
//! ...) with the same parsing rules as the common dotenv loaders.

use std::path::{Path, PathBuf};

use keyless_config::fs::read_text;
use keyless_config::FileError;

/// One `KEY=value` assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// Variable name.
    pub key: String,
    /// Value with quotes removed.
    pub value: String,
    /// 1-based line.
    pub line: usize,
}

/// A `.env` file and its assignments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotEnvFile {
    /// The file.
    pub path: PathBuf,
    /// Its assignments in order.
    pub assignments: Vec<Assignment>,
}

/// Parses dotenv text: `KEY=value`, `export KEY=value`, single or double quotes,
/// `#` comments. Lines that are not assignments are skipped, as dotenv loaders do.
pub fn parse(text: &str) -> Vec<Assignment> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line
            .strip_prefix("export ")
            .map(str::trim_start)
            .unwrap_or(line);
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let value = value.trim();
        let value = if let Some(v) = value.strip_prefix('"').and_then(|v| v.split_once('"')) {
            v.0.to_string()
        } else if let Some(v) = value.strip_prefix('\'').and_then(|v| v.split_once('\'')) {
            v.0.to_string()
        } else {
            value.split(" #").next().unwrap_or("").trim().to_string()
        };
        out.push(Assignment {
            key: key.to_string(),
            value,
            line: i + 1,
        });
    }
    out
}

/// The project's top-level `.env` files, sorted by name. Files that are not readable
/// text (an encrypted `.env.gpg`, say) are not dotenv files and are passed over.
pub fn find(dir: &Path) -> Result<Vec<DotEnvFile>, FileError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n == ".env"
                    || (n.starts_with(".env.") && !n.ends_with(".gpg") && !n.ends_with(".age"))
            })
        })
        .collect();
    paths.sort();
    Ok(paths
        .into_iter()
        .filter_map(|path| match read_text(&path) {
            Ok(Some(text)) => Some(DotEnvFile {
                assignments: parse(&text),
                path,
            }),
            _ => None,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_forms() {
        let a = parse(
            "# c\nA=1\nexport B = \"two words\" \nC='x#y'\nD=plain # comment\nnot a line\n9X=\n",
        );
        let kv: Vec<(&str, &str, usize)> = a
            .iter()
            .map(|a| (a.key.as_str(), a.value.as_str(), a.line))
            .collect();
        assert_eq!(
            kv,
            [
                ("A", "1", 2),
                ("B", "two words", 3),
                ("C", "x#y", 4),
                ("D", "plain", 5),
                ("9X", "", 7)
            ]
        );
    }
}
