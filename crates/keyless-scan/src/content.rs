//! What scanning one piece of content finds, wherever it came from: a file in the tree, a
//! staged blob, a blob from history. The sources (`tree`, `history`) read the bytes and
//! call [`scan_content`], which opens archives and notebooks and hands text to the engine;
//! the report renders the [`Report`] they fill. Sources and report depend on this module,
//! never on each other.

use keyless_rules::Severity;

use crate::archive;
use crate::engine::{scan_bytes, scan_notebook, Finding};
use crate::git::Status;

/// Where a blob entered the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Introduction {
    /// The commit that introduced it (hex), or `None` when a reference points at the
    /// blob or its tree directly (a tag of a blob).
    pub commit: Option<String>,
    /// Its path in that commit's tree (or the reference name).
    pub path: String,
    /// The commit's committer time (Unix seconds).
    pub time: Option<i64>,
    /// The ignore rule that covered the path in that commit (`.gitignore:3 .env`): the
    /// file was force-added (`git add -f`), as KS202 says of a tracked file in the tree.
    pub ignored_by: Option<String>,
}

/// Where a finding from history lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The blob's object ID (hex).
    pub blob: String,
    /// Every introduction, oldest first.
    pub introduced: Vec<Introduction>,
}

/// Scan options.
#[derive(Debug, Clone)]
pub struct Options {
    /// Scan binary files too.
    pub binary: bool,
    /// Files larger than this are skipped (and reported as skipped).
    pub max_file_size: u64,
    /// Worker threads.
    pub threads: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            binary: false,
            max_file_size: 20 * 1024 * 1024,
            threads: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
        }
    }
}

/// A content finding with its file.
#[derive(Debug, Clone)]
pub struct Located {
    /// Path relative to the scan root (or the repository, for staged scans).
    pub path: String,
    /// The file's git status (`None` for staged blobs).
    pub status: Option<Status>,
    /// The finding.
    pub finding: Finding,
    /// For a finding in git history: the blob and the commits that introduced it.
    pub origin: Option<Origin>,
}

/// A finding about a file as a whole (`KS2xx`).
#[derive(Debug, Clone)]
pub struct FileFinding {
    /// Rule ID.
    pub id: &'static str,
    /// Rule name.
    pub name: &'static str,
    /// Severity.
    pub severity: Severity,
    /// The file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// What a scan found and what it could not read.
#[derive(Debug, Default)]
pub struct Report {
    /// Content findings, by path then position.
    pub findings: Vec<Located>,
    /// File findings.
    pub file_findings: Vec<FileFinding>,
    /// Files not scanned, and why.
    pub skipped: Vec<(String, String)>,
    /// Files scanned.
    pub files: usize,
    /// Bytes scanned.
    pub bytes: u64,
}

/// What scanning one file found, and what inside it (archive members) could not be read.
#[derive(Debug, Default)]
pub struct Scanned {
    /// The findings.
    pub findings: Vec<Finding>,
    /// Members not read, and why (`member` or `outer!inner` for nested archives).
    pub notes: Vec<(String, String)>,
}

/// How deep archives inside archives are opened.
const MAX_ARCHIVE_DEPTH: usize = 3;

/// Scans one file's bytes with the right method for its kind: a notebook's cells, an
/// archive's members, or the text itself.
pub fn scan_content(path: &str, data: &[u8], opts: &Options) -> Result<Scanned, String> {
    scan_nested(path, data, opts, 0)
}

fn scan_nested(path: &str, data: &[u8], opts: &Options, depth: usize) -> Result<Scanned, String> {
    if data.len() as u64 > opts.max_file_size {
        return Err(format!(
            "larger than {} bytes (raise with --max-file-size)",
            opts.max_file_size
        ));
    }
    if let Some(format) = archive::format_of(path).filter(|_| depth < MAX_ARCHIVE_DEPTH) {
        let limits = archive::Limits {
            member: opts.max_file_size,
            total: opts.max_file_size.saturating_mul(8),
            members: 100_000,
        };
        let members = archive::members(format, data, limits)
            .map_err(|e| format!("cannot open the archive: {e}"))?;
        let mut out = Scanned::default();
        for (name, content) in members {
            match content.and_then(|c| scan_nested(&name, &c, opts, depth + 1)) {
                Ok(inner) => {
                    out.findings.extend(inner.findings.into_iter().map(|mut f| {
                        f.inside = Some(match f.inside.take() {
                            Some(i) => format!("{name}, {i}"),
                            None => name.clone(),
                        });
                        f
                    }));
                    out.notes.extend(
                        inner
                            .notes
                            .into_iter()
                            .map(|(p, why)| (format!("{name}!{p}"), why)),
                    );
                }
                Err(why) => out.notes.push((name, why)),
            }
        }
        return Ok(out);
    }
    if path.ends_with(".ipynb") {
        return Ok(Scanned {
            findings: scan_notebook(data),
            notes: Vec::new(),
        });
    }
    if let Some((text, layer)) = decode_utf16(data) {
        let mut findings = scan_bytes(text.as_bytes());
        for f in &mut findings {
            f.layers.insert(0, layer);
        }
        return Ok(Scanned {
            findings,
            notes: Vec::new(),
        });
    }
    if !opts.binary && data[..data.len().min(8192)].contains(&0) {
        return Err("binary (scan with --binary)".into());
    }
    Ok(Scanned {
        findings: scan_bytes(data),
        notes: Vec::new(),
    })
}

impl Report {
    /// Adds what scanning one file (or blob) found: its findings, with `status` and
    /// `origin`, and the members of it that could not be read (as `path!member`).
    pub(crate) fn add(
        &mut self,
        path: &str,
        status: Option<Status>,
        origin: Option<Origin>,
        scanned: Scanned,
        bytes: u64,
    ) {
        self.files += 1;
        self.bytes += bytes;
        self.skipped.extend(
            scanned
                .notes
                .into_iter()
                .map(|(inner, why)| (format!("{path}!{inner}"), why)),
        );
        for finding in scanned.findings {
            self.findings.push(Located {
                path: path.to_string(),
                status,
                finding,
                origin: origin.clone(),
            });
        }
    }
}

/// UTF-16 text (PowerShell scripts, Windows exports, `reg export`), which the NUL bytes of
/// its ASCII range would otherwise make look binary: by its byte-order mark, or without
/// one by the NULs of ASCII text falling on every other byte. Decoded to UTF-8, or `None`
/// when it is not UTF-16 text (more than one character in 50 not decodable).
fn decode_utf16(data: &[u8]) -> Option<(String, &'static str)> {
    let (le, body) = match data {
        [0xFF, 0xFE, rest @ ..] => (true, rest),
        [0xFE, 0xFF, rest @ ..] => (false, rest),
        _ => {
            let head = &data[..data.len().min(512) & !1];
            // Text without a NUL is not BOM-less UTF-16: one memchr, before any counting.
            if head.len() < 16 || !head.contains(&0) {
                return None;
            }
            let zeros = |parity: usize| {
                head.iter()
                    .skip(parity)
                    .step_by(2)
                    .filter(|&&b| b == 0)
                    .count()
            };
            let (even, odd) = (zeros(0), zeros(1));
            let half = head.len() / 2;
            if odd * 10 >= half * 7 && even * 10 <= half {
                (true, data)
            } else if even * 10 >= half * 7 && odd * 10 <= half {
                (false, data)
            } else {
                return None;
            }
        }
    };
    let units = body.chunks_exact(2).map(|c| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let mut bad = 0usize;
    let text: String = char::decode_utf16(units)
        .map(|r| {
            r.unwrap_or_else(|_| {
                bad += 1;
                char::REPLACEMENT_CHARACTER
            })
        })
        .collect();
    let chars = text.chars().count().max(1);
    (bad * 50 <= chars && !text.contains('\0'))
        .then_some((text, if le { "utf-16le" } else { "utf-16be" }))
}
