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

use crate::content::{scan_content, Options, Report, Scanned};
pub use crate::content::{Introduction, Origin};
use crate::error::ScanError;

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

/// Caches delta bases while reading a pack. Without one, every object at the end of a
/// delta chain re-inflates the whole chain: on git's own repository that is most of
/// the run time (git's history: 70 s without, 28 s with). gix sets one up only with its
/// `max-performance` features, which bring more than keyless needs.
fn with_pack_cache(repo: &mut gix::Repository) {
    repo.objects.set_pack_cache(|| {
        Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
            8 * 1024 * 1024,
        ))
    });
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Tree,
    Blob,
}

/// A decoded tree: its bytes and, per entry, the name's offset and length, kind and ID.
struct Tree {
    data: Vec<u8>,
    entries: Vec<(u32, u32, Kind, ObjectId)>,
}

impl Tree {
    fn name(&self, i: usize) -> (&[u8], Kind) {
        let (start, len, kind, _) = self.entries[i];
        (&self.data[start as usize..(start + len) as usize], kind)
    }

    /// The index and ID of the entry `name` of `kind`. Git sorts tree entries by name, a
    /// tree's name compared as if it ended in `/`; the caller passes as `hint` the index
    /// after its previous match, which is right for every entry after the last change,
    /// so a binary search is needed only around changes.
    fn find(&self, hint: usize, name: &[u8], kind: Kind) -> Option<(usize, ObjectId)> {
        if hint < self.entries.len() && self.name(hint) == (name, kind) {
            return Some((hint, self.entries[hint].3));
        }
        let (mut lo, mut hi) = (0, self.entries.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            let (n, k) = self.name(mid);
            match git_order(n, k, name, kind) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some((mid, self.entries[mid].3)),
            }
        }
        None
    }
}

/// Git's tree-entry order: bytewise, with a tree's name followed by `/`.
fn git_order(a: &[u8], ak: Kind, b: &[u8], bk: Kind) -> std::cmp::Ordering {
    let tail = |k: Kind| if k == Kind::Tree { Some(b'/') } else { None };
    let n = a.len().min(b.len());
    a[..n].cmp(&b[..n]).then_with(|| {
        let x = a.get(n).copied().or(tail(ak));
        let y = b.get(n).copied().or(tail(bk));
        x.cmp(&y)
    })
}

/// An introduction, compactly: the history of a large repository holds millions of
/// them, so commits and paths are indices rather than strings (git's own repository:
/// 1.5 GB peak with strings, see the closing note of issue 4).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Intro {
    /// Index into `Walk::commits`, or `NO_COMMIT` for a reference to the object itself.
    commit: u32,
    /// Index into `Walk::paths`.
    path: u32,
    time: Option<i64>,
}

const NO_COMMIT: u32 = u32::MAX;

/// Blobs to scan: slot, ID, and a path (for the file kind: notebook, archive, text).
type Batch = Vec<(u32, ObjectId, String)>;

const BATCH: usize = 256;

struct Walk<'r> {
    repo: &'r gix::Repository,
    /// Where newly found blobs go to be scanned, in batches (one message per blob costs
    /// a thread wake-up per blob).
    tx: Option<std::sync::mpsc::SyncSender<Batch>>,
    pending: Batch,
    skipped: Vec<(String, String)>,
    /// Blobs in the order first seen (newest history first, which is roughly pack order,
    /// so delta bases are still cached when the scan reads them).
    blobs: Vec<(ObjectId, Vec<Intro>)>,
    slot: HashMap<ObjectId, u32>,
    paths: Vec<String>,
    path_ids: HashMap<String, u32>,
    commits: Vec<ObjectId>,
    /// Blobs reachable from `--since`: not scanned.
    excluded: HashSet<ObjectId>,
    /// Commit and tag messages, scanned after the walk.
    messages: Vec<Message>,
}

impl Walk<'_> {
    fn record(&mut self, blob: ObjectId, commit: u32, time: Option<i64>, path: String) {
        let path = match self.path_ids.get(&path) {
            Some(&i) => i,
            None => {
                let i = self.paths.len() as u32;
                self.path_ids.insert(path.clone(), i);
                self.paths.push(path);
                i
            }
        };
        let slot = match self.slot.get(&blob) {
            Some(&slot) => slot,
            None => {
                let slot = self.blobs.len() as u32;
                self.slot.insert(blob, slot);
                self.blobs.push((blob, Vec::new()));
                self.pending
                    .push((slot, blob, self.paths[path as usize].clone()));
                if self.pending.len() == BATCH {
                    self.flush();
                }
                slot
            }
        };
        self.blobs[slot as usize]
            .1
            .push(Intro { commit, path, time });
    }

    /// Sends the pending blobs to the scanners. A closed channel means the scanners are
    /// gone; the walk still finishes so that the report is whole.
    fn flush(&mut self) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(std::mem::take(&mut self.pending));
        }
    }

    fn entries(&mut self, id: ObjectId, context: &str) -> Option<Tree> {
        let data = match guarded(|| {
            let obj = self.repo.find_object(id).map_err(|e| e.to_string())?;
            if obj.kind != gix::object::Kind::Tree {
                return Err("not a tree".into());
            }
            Ok(obj.detach().data)
        }) {
            Ok(d) => d,
            Err(e) => {
                self.skipped
                    .push((context.to_string(), format!("cannot read tree {id}: {e}")));
                return None;
            }
        };
        let mut entries = Vec::new();
        let base = data.as_ptr() as usize;
        for e in gix::objs::TreeRefIter::from_bytes(&data) {
            let kind = match &e {
                Ok(e) if e.mode.is_tree() => Kind::Tree,
                Ok(e) if e.mode.is_blob() => Kind::Blob,
                Ok(_) => continue, // symlinks and submodules hold no file content of this repository
                Err(err) => {
                    self.skipped
                        .push((context.to_string(), format!("corrupt tree {id}: {err}")));
                    break;
                }
            };
            let e = e.expect("checked above");
            let start = e.filename.as_ptr() as usize - base;
            entries.push((
                start as u32,
                e.filename.len() as u32,
                kind,
                e.oid.to_owned(),
            ));
        }
        Some(Tree { data, entries })
    }

    /// Records the blobs of `tree` that are not at the same path in any of `parents`.
    ///
    /// Written to allocate per changed tree, not per entry: this loop runs for every
    /// entry of every changed tree of every commit (git's own history: hundreds of
    /// millions of times).
    fn introduce(
        &mut self,
        at: (u32, Option<i64>),
        tree: ObjectId,
        parents: &[Option<ObjectId>],
        prefix: &str,
    ) {
        if parents.contains(&Some(tree)) {
            return;
        }
        let Some(tree) = self.entries(tree, if prefix.is_empty() { "tree" } else { prefix }) else {
            return;
        };
        let parent_trees: Vec<Tree> = parents
            .iter()
            .flatten()
            .filter_map(|p| self.entries(*p, prefix))
            .collect();
        let mut same = Vec::with_capacity(parent_trees.len());
        let mut cursors = vec![0usize; parent_trees.len()];
        for &(start, len, kind, oid) in &tree.entries {
            let name = &tree.data[start as usize..(start + len) as usize];
            same.clear();
            for (p, cursor) in parent_trees.iter().zip(&mut cursors) {
                let found = p.find(*cursor, name, kind);
                if let Some((at, _)) = found {
                    *cursor = at + 1;
                }
                same.push(found.map(|f| f.1));
            }
            if same.contains(&Some(oid)) {
                continue;
            }
            if kind == Kind::Blob && self.excluded.contains(&oid) {
                continue;
            }
            let name = String::from_utf8_lossy(name);
            let path = if prefix.is_empty() {
                name.into_owned()
            } else {
                format!("{prefix}/{name}")
            };
            match kind {
                Kind::Tree => {
                    let same = same.clone();
                    self.introduce(at, oid, &same, &path)
                }
                Kind::Blob => self.record(oid, at.0, at.1, path),
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
        let Some(tree) = self.entries(tree, "--since") else {
            return;
        };
        for (_, _, kind, oid) in tree.entries {
            match kind {
                Kind::Tree => self.all_blobs(oid, seen_trees, out),
                Kind::Blob => {
                    out.insert(oid);
                }
            }
        }
    }
}

/// A decoded commit: its tree, parents, committer time and message. The message comes
/// with the decoding the walk does anyway, so scanning it costs no object read.
struct CommitFacts {
    id: ObjectId,
    tree: ObjectId,
    parents: Vec<ObjectId>,
    time: i64,
    message: Vec<u8>,
}

fn commit_facts(repo: &gix::Repository, id: ObjectId) -> Result<CommitFacts, String> {
    guarded(|| {
        let c = repo.find_commit(id).map_err(|e| e.to_string())?;
        let tree = c.tree_id().map_err(|e| e.to_string())?.detach();
        let parents = c.parent_ids().map(|p| p.detach()).collect();
        let time = c.time().map(|t| t.seconds).unwrap_or(0);
        let message = c.message_raw_sloppy().to_vec();
        Ok(CommitFacts {
            id,
            tree,
            parents,
            time,
            message,
        })
    })
}

/// The ignore rule that covers `path` in `commit`'s tree: the `.gitignore` at the root and
/// in each directory above the file, as git reads them (the last matching pattern wins; a
/// negated one means "not ignored"). Read only for blobs with findings, so it costs a few
/// tree lookups per finding.
fn ignored_at(repo: &gix::Repository, commit: ObjectId, path: &str) -> Option<String> {
    use gix::bstr::ByteSlice;
    let tree = repo.find_commit(commit).ok()?.tree().ok()?;
    let mut search = gix::ignore::Search::default();
    let mut dirs = vec![String::new()];
    let mut acc = String::new();
    for part in path
        .split('/')
        .rev()
        .skip(1)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        acc.push_str(part);
        acc.push('/');
        dirs.push(acc.clone());
    }
    for dir in dirs {
        let source = format!("{dir}.gitignore");
        let Ok(Some(entry)) = tree.lookup_entry_by_path(&source) else {
            continue;
        };
        let Ok(blob) = entry.object() else { continue };
        search.add_patterns_buffer(
            &blob.data,
            source,
            Some(std::path::Path::new("")),
            gix::ignore::search::Ignore::default(),
        );
    }
    let m = search.pattern_matching_relative_path(
        path.as_bytes().as_bstr(),
        Some(false),
        gix::glob::pattern::Case::Sensitive,
    )?;
    if m.pattern.is_negative() {
        return None;
    }
    Some(format!(
        "{}:{} `{}`",
        m.source
            .map(|s| s.display().to_string())
            .unwrap_or_default(),
        m.sequence_number,
        m.pattern.text
    ))
}

/// A message a commit or an annotated tag carries, to scan like a file: credentials
/// pasted into `git commit -m` or a release note live in history as surely as files do.
struct Message {
    /// Shown as the finding's path: `(commit message)`, `(tag message of refs/tags/v1)`.
    label: String,
    /// The object holding it (commit or tag), hex.
    object: ObjectId,
    /// The commit it belongs to, for attribution.
    commit: Option<ObjectId>,
    time: Option<i64>,
    text: Vec<u8>,
}

/// Every commit reachable from `tips`, minus those in `stop`.
fn reachable(
    repo: &gix::Repository,
    tips: &[ObjectId],
    stop: &HashSet<ObjectId>,
    skipped: &mut Vec<(String, String)>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Vec<CommitFacts> {
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut stack: Vec<ObjectId> = tips.to_vec();
    let mut out = Vec::new();
    while let Some(id) = stack.pop() {
        if stop.contains(&id) || !seen.insert(id) {
            continue;
        }
        match commit_facts(repo, id) {
            Ok(facts) => {
                stack.extend(facts.parents.iter().copied());
                out.push(facts);
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
fn tips(
    repo: &gix::Repository,
    skipped: &mut Vec<(String, String)>,
    tag_messages: &mut Vec<Message>,
) -> Vec<(String, ObjectId)> {
    let mut out = Vec::new();
    match repo.references() {
        Ok(platform) => match platform.all() {
            Ok(iter) => {
                for r in iter {
                    match r {
                        Ok(mut r) => {
                            let name = r.name().as_bstr().to_string();
                            // An annotated tag is an object with a message of its own;
                            // peeling would skip it.
                            if let Some(direct) = r.target().try_id().map(|i| i.to_owned()) {
                                if let Ok(tag) = repo.find_tag(direct) {
                                    if let Ok(decoded) = tag.decode() {
                                        tag_messages.push(Message {
                                            label: format!("(tag message of {name})"),
                                            object: direct,
                                            commit: None,
                                            time: None,
                                            text: decoded.message.to_vec(),
                                        });
                                    }
                                }
                            }
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
) -> Result<Report, ScanError> {
    let mut repo = gix::discover(start).map_err(|e| ScanError::NotARepository {
        path: start.to_path_buf(),
        detail: Some(e.to_string()),
    })?;
    // Small caches, measured on git's own history (850k objects, before the walk and the
    // scan overlapped): 8 MiB of objects and 8 MiB of delta bases per thread gave 28.4 s
    // and 814 MB peak; 64 MiB each, 26.9 s and 1.09 GB. Memory is the scarcer resource on
    // a CI runner.
    repo.object_cache_size_if_unset(8 * 1024 * 1024);
    with_pack_cache(&mut repo);
    // The walk (one thread) sends new blobs to the scanning threads as soon as it finds
    // them, so inflating and scanning overlap the walk instead of following it; at most
    // 1,024 batches wait, which bounds memory when the walk runs ahead (64 cost a second
    // on git.git: the walk stalled). One
    // object store is shared by every thread: a `gix::open` per thread would map the
    // packs again, and each mapping counts toward resident memory.
    let shared = repo.clone().into_sync();
    let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(1024);
    let rx = Mutex::new(rx);
    let results = Mutex::new(Vec::new());
    let scanned = AtomicUsize::new(0);
    let walked = std::thread::scope(|s| {
        for _ in 0..opts.threads.clamp(1, 64) {
            s.spawn(|| scan_worker(&shared, &rx, &results, &scanned, opts, progress));
        }
        let mut w = Walk {
            repo: &repo,
            tx: Some(tx),
            pending: Vec::new(),
            skipped: Vec::new(),
            blobs: Vec::new(),
            slot: HashMap::new(),
            paths: Vec::new(),
            path_ids: HashMap::new(),
            commits: Vec::new(),
            excluded: HashSet::new(),
            messages: Vec::new(),
        };
        let outcome = walk_all(&mut w, since, progress);
        w.flush();
        // Closing the channel lets the workers finish.
        w.tx = None;
        outcome.map(|()| (w.skipped, w.blobs, w.paths, w.commits, w.messages))
    });
    let (skipped, mut blobs, paths, commits, messages) = walked?;
    for (_, intro) in &mut blobs {
        intro.sort_by(|a, b| {
            a.time
                .cmp(&b.time)
                .then_with(|| paths[a.path as usize].cmp(&paths[b.path as usize]))
        });
        intro.dedup();
    }
    let mut results = results.into_inner().expect("threads joined");
    results.sort_by_key(|r| r.0);
    let mut report = Report {
        skipped,
        ..Report::default()
    };
    for (slot, outcome) in results {
        let (id, intro) = &blobs[slot as usize];
        let first = &paths[intro[0].path as usize];
        match outcome {
            Ok((scanned, bytes)) => {
                // Attribution is built only for blobs with findings.
                let origin = (!scanned.findings.is_empty()).then(|| Origin {
                    blob: id.to_string(),
                    introduced: intro
                        .iter()
                        .map(|i| {
                            let commit = commits.get(i.commit as usize);
                            let path = &paths[i.path as usize];
                            Introduction {
                                commit: commit.map(|c| c.to_string()),
                                path: path.clone(),
                                time: i.time,
                                ignored_by: commit.and_then(|c| ignored_at(&repo, *c, path)),
                            }
                        })
                        .collect(),
                });
                report.add(first, None, origin, scanned, bytes);
            }
            Err(why) => report
                .skipped
                .push((format!("{first} (blob {})", &id.to_string()[..12]), why)),
        }
    }
    for m in messages {
        let findings = crate::engine::scan_bytes(&m.text);
        if findings.is_empty() {
            continue;
        }
        let origin = Origin {
            blob: m.object.to_string(),
            introduced: vec![Introduction {
                commit: m.commit.map(|c| c.to_string()),
                path: m.label.clone(),
                time: m.time,
                ignored_by: None,
            }],
        };
        for finding in findings {
            report.findings.push(crate::content::Located {
                path: m.label.clone(),
                status: None,
                finding,
                origin: Some(origin.clone()),
            });
        }
    }
    report.findings.sort_by(|a, b| {
        (&a.path, a.finding.line, a.finding.column).cmp(&(
            &b.path,
            b.finding.line,
            b.finding.column,
        ))
    });
    Ok(report)
}

/// Walks every reference and commit, recording each blob's introductions (and sending
/// each new blob to the scanners).
fn walk_all(
    w: &mut Walk<'_>,
    since: Option<&str>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<(), ScanError> {
    let repo = w.repo;
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
            .map_err(|e| ScanError::BadRevision {
                rev: rev.to_string(),
                detail: e.to_string(),
            })?
            .detach();
        let base = reachable(repo, &[id], &HashSet::new(), &mut w.skipped, progress);
        let mut seen_trees = HashSet::new();
        let mut excluded = HashSet::new();
        for c in &base {
            w.all_blobs(c.tree, &mut seen_trees, &mut excluded);
        }
        w.excluded = excluded;
        stop = base.into_iter().map(|c| c.id).collect();
    }
    let mut tag_messages = Vec::new();
    let tips = tips(repo, &mut w.skipped, &mut tag_messages);
    if since.is_none() {
        w.messages.extend(tag_messages);
    }
    let mut commit_tips = Vec::new();
    for (name, id) in tips {
        match guarded(|| {
            repo.find_header(id)
                .map(|h| h.kind())
                .map_err(|e| e.to_string())
        }) {
            Ok(gix::object::Kind::Commit) => commit_tips.push(id),
            Ok(gix::object::Kind::Blob) if !w.excluded.contains(&id) => {
                w.record(id, NO_COMMIT, None, name)
            }
            Ok(gix::object::Kind::Tree) => w.introduce((NO_COMMIT, None), id, &[], &name),
            Ok(_) => {}
            Err(e) => w.skipped.push((name, format!("cannot read {id}: {e}"))),
        }
    }
    let commits = reachable(repo, &commit_tips, &stop, &mut w.skipped, progress);
    let tree_of: HashMap<ObjectId, ObjectId> = commits.iter().map(|c| (c.id, c.tree)).collect();
    let total = commits.len();
    for (n, c) in commits.into_iter().enumerate() {
        let CommitFacts {
            id,
            tree,
            parents,
            time,
            message,
        } = c;
        w.messages.push(Message {
            label: "(commit message)".into(),
            object: id,
            commit: Some(id),
            time: Some(time),
            text: message,
        });
        // A parent that is missing (a shallow boundary, a broken repository) counts as
        // empty: everything in this commit is then attributed to it. A parent reachable
        // from `--since` is read on demand.
        let parent_trees: Vec<Option<ObjectId>> = parents
            .iter()
            .map(|p| {
                tree_of
                    .get(p)
                    .copied()
                    .or_else(|| commit_facts(repo, *p).ok().map(|f| f.tree))
            })
            .collect();
        let index = w.commits.len() as u32;
        w.commits.push(id);
        w.introduce((index, Some(time)), tree, &parent_trees, "");
        if n.is_multiple_of(256) {
            progress(Progress {
                phase: "commits",
                done: n,
                total: Some(total),
            });
        }
    }
    Ok(())
}

/// The outcome of scanning one blob: what it held and its size, or why it was skipped.
type BlobOutcome = Result<(Scanned, u64), String>;

/// A scanning thread: reads blobs from the walk until it closes the channel.
fn scan_worker(
    shared: &gix::ThreadSafeRepository,
    rx: &Mutex<std::sync::mpsc::Receiver<Batch>>,
    results: &Mutex<Vec<(u32, BlobOutcome)>>,
    scanned: &AtomicUsize,
    opts: &Options,
    progress: &(dyn Fn(Progress) + Sync),
) {
    let mut repo = shared.to_thread_local();
    with_pack_cache(&mut repo);
    loop {
        let next = rx.lock().expect("no thread panics holding the lock").recv();
        let Ok(batch) = next else { break };
        let mut done = Vec::with_capacity(batch.len());
        for (slot, id, path) in batch {
            let n = scanned.fetch_add(1, Ordering::Relaxed);
            if n.is_multiple_of(512) {
                progress(Progress {
                    phase: "blobs",
                    done: n,
                    total: None,
                });
            }
            let outcome = guarded(|| match repo.find_header(id) {
                Err(e) => Err(format!("cannot read blob {id}: {e}")),
                Ok(h) if h.size() > opts.max_file_size => Err(format!(
                    "larger than {} bytes (raise with --max-file-size)",
                    opts.max_file_size
                )),
                Ok(_) => match repo.find_object(id) {
                    Err(e) => Err(format!("cannot read blob {id}: {e}")),
                    Ok(obj) => {
                        scan_content(&path, &obj.data, opts).map(|f| (f, obj.data.len() as u64))
                    }
                },
            });
            done.push((slot, outcome));
        }
        results
            .lock()
            .expect("no thread panics holding the lock")
            .extend(done);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(names: &[(&str, Kind)]) -> Tree {
        let mut data = Vec::new();
        let mut entries = Vec::new();
        for (i, (n, k)) in names.iter().enumerate() {
            entries.push((
                data.len() as u32,
                n.len() as u32,
                *k,
                ObjectId::from([i as u8; 20]),
            ));
            data.extend_from_slice(n.as_bytes());
        }
        Tree { data, entries }
    }

    #[test]
    fn git_order_puts_a_tree_after_names_that_extend_it_with_a_lower_byte() {
        // Git's order for a blob `a`, blob `a-b`, blob `a.c` and tree `a` (as `a/`).
        let names = [
            ("a", Kind::Blob),
            ("a-b", Kind::Blob),
            ("a.c", Kind::Blob),
            ("a", Kind::Tree),
            ("b", Kind::Blob),
        ];
        for w in names.windows(2) {
            assert_eq!(
                git_order(w[0].0.as_bytes(), w[0].1, w[1].0.as_bytes(), w[1].1),
                std::cmp::Ordering::Less,
                "{w:?}"
            );
        }
        let t = tree(&names);
        // Found by binary search when the hint misses, and by kind.
        assert_eq!(
            t.find(0, b"a", Kind::Tree),
            Some((3, ObjectId::from([3; 20])))
        );
        assert_eq!(
            t.find(4, b"a-b", Kind::Blob),
            Some((1, ObjectId::from([1; 20])))
        );
        assert_eq!(
            t.find(2, b"a.c", Kind::Blob),
            Some((2, ObjectId::from([2; 20])))
        );
        assert_eq!(t.find(0, b"a.c", Kind::Tree), None);
        assert_eq!(t.find(9, b"zz", Kind::Blob), None);
    }
}
