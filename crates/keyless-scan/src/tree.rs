//! Scanning a directory tree or the staged changes: which files, how (plain text,
//! notebook, skipped as binary or too large), and the file-level findings.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::content::FileFinding;
pub use crate::content::{scan_content, Located, Options, Report};
use crate::error::ScanError;
use crate::file_rules::{FileFacts, FILE_RULES};
use crate::git::{Repo, Status};

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
pub fn scan_staged(start: &Path, opts: &Options) -> Result<Report, ScanError> {
    let repo = Repo::discover(start).ok_or_else(|| ScanError::NotARepository {
        path: start.to_path_buf(),
        detail: None,
    })?;
    let staged = repo.staged().map_err(ScanError::Git)?;
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

/// The message of the commit being made, as Git hands it to a `commit-msg` hook: comment
/// lines (`#`) and everything below the scissors line (`git commit -v` puts the diff there)
/// are dropped, as Git drops them, so the staged changes are not reported twice.
pub fn scan_commit_message(text: &str, opts: &Options) -> Report {
    let mut message = String::new();
    for line in text.split_inclusive('\n') {
        if line.starts_with("# ------------------------ >8 ------------------------") {
            break;
        }
        if line.starts_with('#') {
            // Kept as an empty line, so that positions stay those of the file.
            message.push('\n');
            continue;
        }
        message.push_str(line);
    }
    let mut report = Report::default();
    match scan_content("(commit message)", message.as_bytes(), opts) {
        Ok(scanned) => report.add(
            "(commit message)",
            None,
            None,
            scanned,
            message.len() as u64,
        ),
        Err(why) => report.skipped.push(("(commit message)".into(), why)),
    }
    report
}
