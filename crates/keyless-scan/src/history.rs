//! `keyless scan --history`: every unique blob reachable from any reference (branches,
//! tags, remote-tracking refs, notes, the stash and its reflog, a detached `HEAD`), read
//! with gitoxide and scanned exactly once, each finding attributed to the commits that
//! introduced the blob.
//!
//! Why attribution by tree comparison rather than by diffing patches (`git log -p`): a
//! blob is *introduced* by a commit when it sits at a path where no parent has that same
//! blob. For a merge this is exactly the content no parent had — an "evil merge" that
//! patch-based scanners, which diff a merge against its first parent only or not at all,
//! never see. Comparing tree object IDs also skips every unchanged subtree without
//! reading it, so the walk reads only what changed.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use gix::ObjectId;

use crate::tree::{scan_content, Located, Options, Report};

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
}

/// Where a finding from history lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The blob's object ID (hex).
    pub blob: String,
    /// Every introduction, oldest first.
    pub introduced: Vec<Introduction>,
}

/// How far a history scan has come (for a progress bar).
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// `"commits"` while walking, `"blobs"` while scanning.
    pub phase: &'static str,
    /// Items done.
    pub done: usize,
    /// Items in all, when known.
    pub total: Option<usize>,
}

/// Runs an object read, turning a panic inside gitoxide into an error. A corrupt pack
/// can make gix-pack panic (an arithmetic overflow on a damaged entry header, seen in
/// debug builds); a scanner must report the damaged object and go on to the next.
fn guarded<T>(read: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read))
        .unwrap_or_else(|_| Err("corrupt object (reading it failed inside gitoxide)".into()))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Tree,
    Blob,
}

type Entries = Vec<(Vec<u8>, Kind, ObjectId)>;

struct Walk<'r> {
    repo: &'r gix::Repository,
    skipped: Vec<(String, String)>,
    blobs: HashMap<ObjectId, Vec<Introduction>>,
    /// Blobs reachable from `--since`: not scanned.
    excluded: HashSet<ObjectId>,
}

impl Walk<'_> {
    fn entries(&mut self, id: ObjectId, context: &str) -> Option<Entries> {
        let data = match guarded(|| {
            let obj = self.repo.find_object(id).map_err(|e| e.to_string())?;
            if obj.kind != gix::object::Kind::Tree {
                return Err("not a tree".into());
            }
            Ok(obj.data.clone())
        }) {
            Ok(d) => d,
            Err(e) => {
                self.skipped
                    .push((context.to_string(), format!("cannot read tree {id}: {e}")));
                return None;
            }
        };
        let mut out = Vec::new();
        for e in gix::objs::TreeRefIter::from_bytes(&data) {
            match e {
                Ok(e) if e.mode.is_tree() => {
                    out.push((e.filename.to_vec(), Kind::Tree, e.oid.to_owned()))
                }
                Ok(e) if e.mode.is_blob() => {
                    out.push((e.filename.to_vec(), Kind::Blob, e.oid.to_owned()))
                }
                Ok(_) => {} // symlinks and submodules hold no file content of this repository
                Err(err) => {
                    self.skipped
                        .push((context.to_string(), format!("corrupt tree {id}: {err}")));
                    break;
                }
            }
        }
        Some(out)
    }

    /// Records the blobs of `tree` that are not at the same path in any of `parents`.
    fn introduce(
        &mut self,
        at: &Introduction,
        tree: ObjectId,
        parents: &[Option<ObjectId>],
        prefix: &str,
    ) {
        if parents.contains(&Some(tree)) {
            return;
        }
        let Some(entries) = self.entries(tree, if prefix.is_empty() { "tree" } else { prefix })
        else {
            return;
        };
        let parent_entries: Vec<HashMap<Vec<u8>, (Kind, ObjectId)>> = parents
            .iter()
            .flatten()
            .filter_map(|p| self.entries(*p, prefix))
            .map(|es| es.into_iter().map(|(n, k, o)| (n, (k, o))).collect())
            .collect();
        for (name, kind, oid) in entries {
            let path = if prefix.is_empty() {
                String::from_utf8_lossy(&name).into_owned()
            } else {
                format!("{prefix}/{}", String::from_utf8_lossy(&name))
            };
            let same: Vec<Option<ObjectId>> = parent_entries
                .iter()
                .map(|m| m.get(&name).filter(|(k, _)| *k == kind).map(|(_, o)| *o))
                .collect();
            match kind {
                Kind::Tree => self.introduce(at, oid, &same, &path),
                Kind::Blob => {
                    if same.contains(&Some(oid)) || self.excluded.contains(&oid) {
                        continue;
                    }
                    self.blobs
                        .entry(oid)
                        .or_default()
                        .push(Introduction { path, ..at.clone() });
                }
            }
        }
    }

    /// Every blob in `tree`, recursively (trees already seen are skipped).
    fn all_blobs(
        &mut self,
        tree: ObjectId,
        seen_trees: &mut HashSet<ObjectId>,
        out: &mut HashSet<ObjectId>,
    ) {
        if !seen_trees.insert(tree) {
            return;
        }
        let Some(entries) = self.entries(tree, "--since") else {
            return;
        };
        for (_, kind, oid) in entries {
            match kind {
                Kind::Tree => self.all_blobs(oid, seen_trees, out),
                Kind::Blob => {
                    out.insert(oid);
                }
            }
        }
    }
}

/// A decoded commit: its tree, parents and committer time.
fn commit_facts(
    repo: &gix::Repository,
    id: ObjectId,
) -> Result<(ObjectId, Vec<ObjectId>, i64), String> {
    guarded(|| {
        let c = repo.find_commit(id).map_err(|e| e.to_string())?;
        let tree = c.tree_id().map_err(|e| e.to_string())?.detach();
        let parents = c.parent_ids().map(|p| p.detach()).collect();
        let time = c.time().map(|t| t.seconds).unwrap_or(0);
        Ok((tree, parents, time))
    })
}

/// Every commit reachable from `tips`, minus those in `stop`.
fn reachable(
    repo: &gix::Repository,
    tips: &[ObjectId],
    stop: &HashSet<ObjectId>,
    skipped: &mut Vec<(String, String)>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Vec<(ObjectId, ObjectId, Vec<ObjectId>, i64)> {
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut stack: Vec<ObjectId> = tips.to_vec();
    let mut out = Vec::new();
    while let Some(id) = stack.pop() {
        if stop.contains(&id) || !seen.insert(id) {
            continue;
        }
        match commit_facts(repo, id) {
            Ok((tree, parents, time)) => {
                stack.extend(parents.iter().copied());
                out.push((id, tree, parents, time));
                if out.len().is_multiple_of(1024) {
                    progress(Progress {
                        phase: "commits",
                        done: out.len(),
                        total: None,
                    });
                }
            }
            Err(e) => skipped.push((format!("commit {id}"), format!("cannot read: {e}"))),
        }
    }
    out
}

/// The starting points: every reference, peeled, with the reflog of `refs/stash` (older
/// stashes live only there) and a detached `HEAD`.
fn tips(repo: &gix::Repository, skipped: &mut Vec<(String, String)>) -> Vec<(String, ObjectId)> {
    let mut out = Vec::new();
    match repo.references() {
        Ok(platform) => match platform.all() {
            Ok(iter) => {
                for r in iter {
                    match r {
                        Ok(mut r) => {
                            let name = r.name().as_bstr().to_string();
                            match r.peel_to_id() {
                                Ok(id) => out.push((name.clone(), id.detach())),
                                Err(e) => skipped
                                    .push((name.clone(), format!("cannot resolve reference: {e}"))),
                            }
                            if name == "refs/stash" {
                                if let Ok(Some(log)) = r.log_iter().all() {
                                    for line in log.flatten() {
                                        out.push((format!("{name} (reflog)"), line.new_oid()));
                                    }
                                }
                            }
                        }
                        Err(e) => skipped.push(("references".into(), e.to_string())),
                    }
                }
            }
            Err(e) => skipped.push(("references".into(), e.to_string())),
        },
        Err(e) => skipped.push(("references".into(), e.to_string())),
    }
    if let Ok(id) = repo.head_id() {
        out.push(("HEAD".into(), id.detach()));
    }
    out
}

/// Scans every blob reachable from any reference, or with `since`, only those not
/// reachable from that revision.
pub fn scan_history(
    start: &Path,
    since: Option<&str>,
    opts: &Options,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Report, String> {
    let mut repo = gix::discover(start)
        .map_err(|e| format!("{} is not inside a git repository: {e}", start.display()))?;
    repo.object_cache_size_if_unset(64 * 1024 * 1024);
    let mut w = Walk {
        repo: &repo,
        skipped: Vec::new(),
        blobs: HashMap::new(),
        excluded: HashSet::new(),
    };
    if repo.is_shallow() {
        w.skipped.push((
            "shallow clone".into(),
            "commits before the shallow boundary are not in this repository; run `git fetch --unshallow` to scan them".into(),
        ));
    }
    let mut stop = HashSet::new();
    if let Some(rev) = since {
        let id = repo
            .rev_parse_single(rev)
            .map_err(|e| format!("--since {rev}: {e}"))?
            .detach();
        let base = reachable(&repo, &[id], &HashSet::new(), &mut w.skipped, progress);
        let mut seen_trees = HashSet::new();
        let mut excluded = HashSet::new();
        for (_, tree, _, _) in &base {
            w.all_blobs(*tree, &mut seen_trees, &mut excluded);
        }
        w.excluded = excluded;
        stop = base.into_iter().map(|c| c.0).collect();
    }
    let tips = tips(&repo, &mut w.skipped);
    let mut commit_tips = Vec::new();
    for (name, id) in tips {
        match guarded(|| {
            repo.find_header(id)
                .map(|h| h.kind())
                .map_err(|e| e.to_string())
        }) {
            Ok(gix::object::Kind::Commit) => commit_tips.push(id),
            Ok(gix::object::Kind::Blob) if !w.excluded.contains(&id) => {
                w.blobs.entry(id).or_default().push(Introduction {
                    commit: None,
                    path: name,
                    time: None,
                })
            }
            Ok(gix::object::Kind::Tree) => {
                let at = Introduction {
                    commit: None,
                    path: name.clone(),
                    time: None,
                };
                w.introduce(&at, id, &[], &name);
            }
            Ok(_) => {}
            Err(e) => w.skipped.push((name, format!("cannot read {id}: {e}"))),
        }
    }
    let commits = reachable(&repo, &commit_tips, &stop, &mut w.skipped, progress);
    let total = commits.len();
    for (n, (id, tree, parents, time)) in commits.into_iter().enumerate() {
        // A parent that is missing (a shallow boundary, a broken repository) counts as
        // empty: everything in this commit is then attributed to it.
        let parent_trees: Vec<Option<ObjectId>> = parents
            .iter()
            .map(|p| commit_facts(&repo, *p).ok().map(|f| f.0))
            .collect();
        let at = Introduction {
            commit: Some(id.to_string()),
            path: String::new(),
            time: Some(time),
        };
        w.introduce(&at, tree, &parent_trees, "");
        if n.is_multiple_of(256) {
            progress(Progress {
                phase: "commits",
                done: n,
                total: Some(total),
            });
        }
    }
    let Walk { skipped, blobs, .. } = w;
    let mut blobs: Vec<(ObjectId, Vec<Introduction>)> = blobs.into_iter().collect();
    for (_, intro) in &mut blobs {
        intro.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.path.cmp(&b.path)));
        intro.dedup();
    }
    blobs.sort_by(|a, b| a.1[0].path.cmp(&b.1[0].path).then(a.0.cmp(&b.0)));
    let mut report = scan_blobs(&repo, blobs, opts, progress);
    report.skipped.splice(0..0, skipped);
    Ok(report)
}

/// Scans each blob once, in parallel; each thread opens its own view of the repository.
fn scan_blobs(
    repo: &gix::Repository,
    blobs: Vec<(ObjectId, Vec<Introduction>)>,
    opts: &Options,
    progress: &(dyn Fn(Progress) + Sync),
) -> Report {
    // Each thread opens the repository itself: without gix's `parallel` feature (which
    // would pull in a thread pool keyless does not need) a repository handle is not `Sync`.
    let git_dir = repo.git_dir().to_path_buf();
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    let total = blobs.len();
    std::thread::scope(|s| {
        for _ in 0..opts.threads.clamp(1, 64) {
            s.spawn(|| {
                let repo = match gix::open(&git_dir) {
                    Ok(r) => r,
                    Err(e) => {
                        results
                            .lock()
                            .expect("no thread panics holding the lock")
                            .push((usize::MAX, Err(format!("cannot open the repository: {e}"))));
                        return;
                    }
                };
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((id, intro)) = blobs.get(i) else {
                        break;
                    };
                    if i.is_multiple_of(512) {
                        progress(Progress {
                            phase: "blobs",
                            done: i,
                            total: Some(total),
                        });
                    }
                    let path = &intro[0].path;
                    let outcome = guarded(|| match repo.find_header(*id) {
                        Err(e) => Err(format!("cannot read blob {id}: {e}")),
                        Ok(h) if h.size() > opts.max_file_size => Err(format!(
                            "larger than {} bytes (raise with --max-file-size)",
                            opts.max_file_size
                        )),
                        Ok(_) => match repo.find_object(*id) {
                            Err(e) => Err(format!("cannot read blob {id}: {e}")),
                            Ok(obj) => scan_content(path, &obj.data, opts)
                                .map(|f| (f, obj.data.len() as u64)),
                        },
                    });
                    results
                        .lock()
                        .expect("no thread panics holding the lock")
                        .push((i, outcome));
                }
            });
        }
    });
    let mut results = results.into_inner().expect("threads joined");
    results.sort_by_key(|r| r.0);
    let mut report = Report::default();
    for (i, outcome) in results {
        let Some((id, intro)) = blobs.get(i) else {
            if let Err(why) = outcome {
                report.skipped.push((git_dir.display().to_string(), why));
            }
            continue;
        };
        match outcome {
            Ok((scanned, bytes)) => {
                report.files += 1;
                report.bytes += bytes;
                report.skipped.extend(
                    scanned
                        .notes
                        .into_iter()
                        .map(|(inner, why)| (format!("{}!{inner}", intro[0].path), why)),
                );
                for finding in scanned.findings {
                    report.findings.push(Located {
                        path: intro[0].path.clone(),
                        status: None,
                        finding,
                        origin: Some(Origin {
                            blob: id.to_string(),
                            introduced: intro.clone(),
                        }),
                    });
                }
            }
            Err(why) => report.skipped.push((
                format!("{} (blob {})", intro[0].path, &id.to_string()[..12]),
                why,
            )),
        }
    }
    report
}
