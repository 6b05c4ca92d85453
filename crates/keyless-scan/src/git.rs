//! What git knows about the files being scanned, read with gitoxide (no `git` process):
//! which paths are tracked, which are ignored, and the blobs a commit would add.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A file's standing in the repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// In the index: part of the next commit.
    Tracked,
    /// Not tracked, and matched by an ignore rule.
    Ignored,
    /// Not tracked, not ignored: `git add .` would pick it up.
    Untracked,
    /// Not inside a git repository.
    NoRepository,
}

impl Status {
    /// The name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tracked => "tracked",
            Self::Ignored => "ignored",
            Self::Untracked => "untracked",
            Self::NoRepository => "not in a repository",
        }
    }
}

/// An opened repository.
pub struct Repo {
    repo: gix::Repository,
    workdir: PathBuf,
    /// Tracked paths (relative, `/`-separated) to their staged blob.
    index: HashMap<String, gix::ObjectId>,
    state: gix::worktree::Index,
}

/// A staged blob: in the index, different from `HEAD`.
#[derive(Debug, Clone)]
pub struct Staged {
    /// Path relative to the work tree.
    pub path: String,
    /// Blob content.
    pub data: Vec<u8>,
}

impl Repo {
    /// Opens the repository containing `path`, if any.
    pub fn discover(path: &Path) -> Option<Self> {
        let repo = gix::discover(path).ok()?;
        let workdir = repo.workdir()?.to_path_buf();
        let state = repo.index_or_empty().ok()?;
        let index = state
            .entries()
            .iter()
            .map(|e| (e.path(&state).to_string(), e.id))
            .collect();
        Some(Self {
            repo,
            workdir,
            index,
            state,
        })
    }

    /// The work tree root.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// The status of each of `paths` (relative to the work tree, `/`-separated), and
    /// whether an ignore rule matches it (tracked files included: git ignores rules for
    /// files it already tracks, which is exactly what KS202 looks for).
    pub fn statuses(&self, paths: &[String]) -> Vec<(Status, bool)> {
        let mut stack = self
            .repo
            .excludes(
                &self.state,
                None,
                gix::worktree::stack::state::ignore::Source::WorktreeThenIdMappingIfNotSkipped,
            )
            .ok();
        paths
            .iter()
            .map(|p| {
                let ignored = stack
                    .as_mut()
                    .and_then(|s| {
                        s.at_entry(p.as_str(), Some(gix::index::entry::Mode::FILE))
                            .ok()
                            .map(|pl| pl.is_excluded())
                    })
                    .unwrap_or(false);
                let status = if self.index.contains_key(p) {
                    Status::Tracked
                } else if ignored {
                    Status::Ignored
                } else {
                    Status::Untracked
                };
                (status, ignored)
            })
            .collect()
    }

    /// The blobs a commit would record that `HEAD` does not have (all of the index in a
    /// repository without commits).
    pub fn staged(&self) -> Result<Vec<Staged>, String> {
        let head: HashMap<String, gix::ObjectId> = match self.repo.head_tree() {
            Ok(tree) => tree
                .traverse()
                .breadthfirst
                .files()
                .map_err(|e| format!("cannot read HEAD's tree: {e}"))?
                .into_iter()
                .filter(|e| e.mode.is_blob())
                .map(|e| (e.filepath.to_string(), e.oid))
                .collect(),
            Err(_) => HashMap::new(),
        };
        let mut out = Vec::new();
        for (path, id) in &self.index {
            if head.get(path) == Some(id) {
                continue;
            }
            let obj = self
                .repo
                .find_object(*id)
                .map_err(|e| format!("{path}: cannot read staged blob {id}: {e}"))?;
            out.push(Staged {
                path: path.clone(),
                data: obj.data.clone(),
            });
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }
}
