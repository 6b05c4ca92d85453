//! Scanning a directory tree or the staged changes: which files, how (plain text,
//! notebook, skipped as binary or too large), and the file-level findings.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use keyless_rules::Severity;

use crate::archive;
use crate::engine::{scan_bytes, scan_notebook, Finding};
use crate::file_rules::{FileFacts, FILE_RULES};
use crate::git::{Repo, Status};

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
    pub origin: Option<crate::history::Origin>,
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
    if !opts.binary && data[..data.len().min(8192)].contains(&0) {
        return Err("binary (scan with --binary)".into());
    }
    Ok(Scanned {
        findings: scan_bytes(data),
        notes: Vec::new(),
    })
}

fn walk(
    root: &Path,
    rel: &str,
    files: &mut Vec<(PathBuf, String)>,
    skipped: &mut Vec<(String, String)>,
) {
    let dir = root.join(rel);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) => {
            skipped.push((
                if rel.is_empty() {
                    ".".into()
                } else {
                    rel.to_string()
                },
                format!("cannot read directory: {e}"),
            ));
            return;
        }
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let child = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        // Never follow links: a link loop cannot trap the walk, and a link's target is
        // scanned where it lives.
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            if name != ".git" {
                walk(root, &child, files, skipped);
            }
        } else if ft.is_file() {
            files.push((e.path(), child));
        }
    }
}

/// Reads one file's bytes when a worker thread picks it up, so that at most
/// `threads` files are in memory at once.
type Loader = Box<dyn Fn() -> std::io::Result<Vec<u8>> + Send + Sync>;

fn scan_files(items: Vec<(String, Option<Status>, Loader)>, opts: &Options, report: &mut Report) {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    let threads = opts.threads.clamp(1, 64);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((path, status, read)) = items.get(i) else {
                    break;
                };
                let outcome = read()
                    .map_err(|e| format!("cannot read: {e}"))
                    .and_then(|data| {
                        scan_content(path, &data, opts).map(|f| (f, data.len() as u64))
                    });
                results
                    .lock()
                    .expect("no thread panics while holding the lock")
                    .push((i, path.clone(), *status, outcome));
            });
        }
    });
    let mut results = results.into_inner().expect("threads joined");
    results.sort_by_key(|r| r.0);
    for (_, path, status, outcome) in results {
        match outcome {
            Ok((scanned, bytes)) => report.add(&path, status, None, scanned, bytes),
            Err(why) => report.skipped.push((path, why)),
        }
    }
}

impl Report {
    /// Adds what scanning one file (or blob) found: its findings, with `status` and
    /// `origin`, and the members of it that could not be read (as `path!member`).
    pub(crate) fn add(
        &mut self,
        path: &str,
        status: Option<Status>,
        origin: Option<crate::history::Origin>,
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

/// Reads a file unless it is larger than `max` (checked first, so a huge file is never
/// loaded into memory).
fn read_bounded(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    let len = std::fs::metadata(path)?.len();
    if len > max {
        return Err(std::io::Error::other(format!(
            "larger than {max} bytes (raise with --max-file-size)"
        )));
    }
    std::fs::read(path)
}

/// Scans every file under `root` (files git ignores included; `.git` excluded).
pub fn scan_tree(root: &Path, opts: &Options) -> Report {
    let mut report = Report::default();
    if root.is_file() {
        let name = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let p = root.to_path_buf();
        scan_files(
            vec![(name, None, Box::new(move || std::fs::read(&p)))],
            opts,
            &mut report,
        );
        return report;
    }
    let mut files = Vec::new();
    walk(root, "", &mut files, &mut report.skipped);
    let repo = Repo::discover(root);
    // Paths relative to the repository, for its index and ignore rules.
    let prefix = repo
        .as_ref()
        .and_then(|r| {
            root.canonicalize().ok().and_then(|c| {
                r.workdir().canonicalize().ok().and_then(|w| {
                    c.strip_prefix(&w)
                        .ok()
                        .map(|p| p.to_string_lossy().replace('\\', "/"))
                })
            })
        })
        .unwrap_or_default();
    let repo_paths: Vec<String> = files
        .iter()
        .map(|(_, rel)| {
            if prefix.is_empty() {
                rel.clone()
            } else {
                format!("{prefix}/{rel}")
            }
        })
        .collect();
    let statuses: Vec<(Status, bool)> = match &repo {
        Some(r) => r.statuses(&repo_paths),
        None => vec![(Status::NoRepository, false); files.len()],
    };
    let max = opts.max_file_size;
    let items = files
        .iter()
        .zip(&statuses)
        .map(|((abs, rel), (st, _))| {
            let abs = abs.clone();
            (
                rel.clone(),
                Some(*st),
                Box::new(move || read_bounded(&abs, max)) as Loader,
            )
        })
        .collect();
    scan_files(items, opts, &mut report);
    // Counted once: a per-file filter over all findings is quadratic in a large tree.
    let mut secrets_in: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for f in report
        .findings
        .iter()
        .filter(|f| f.finding.allowed.is_none())
    {
        *secrets_in.entry(f.path.clone()).or_default() += 1;
    }
    for ((_, rel), (status, ignored)) in files.iter().zip(&statuses) {
        let secrets = secrets_in.get(rel).copied().unwrap_or(0);
        let facts = FileFacts {
            path: rel,
            status: *status,
            matches_ignore_rule: *ignored,
            secrets,
        };
        for rule in FILE_RULES {
            if let Some(message) = (rule.applies)(&facts) {
                report.file_findings.push(FileFinding {
                    id: rule.id,
                    name: rule.name,
                    severity: rule.severity,
                    path: rel.clone(),
                    message,
                });
            }
        }
    }
    report
}

/// Scans exactly the staged blobs: what the next commit will add or change.
pub fn scan_staged(start: &Path, opts: &Options) -> Result<Report, String> {
    let repo = Repo::discover(start)
        .ok_or_else(|| format!("{} is not inside a git repository", start.display()))?;
    let staged = repo.staged()?;
    let mut report = Report::default();
    let items = staged
        .into_iter()
        .map(|s| {
            let data = s.data;
            (s.path, None, Box::new(move || Ok(data.clone())) as Loader)
        })
        .collect();
    scan_files(items, opts, &mut report);
    Ok(report)
}
