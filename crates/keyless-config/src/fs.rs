//! Reading and writing the files keyless touches, safely.
//!
//! Reads are bounded (a settings file is never megabytes long, and a 100 MB file must
//! not be slurped into memory to be parsed), refuse directories and symlink loops with a
//! message that names the file, and treat "not there" as a normal answer rather than an
//! error. Writes are atomic: the new content goes to a temporary file in the same
//! directory, is flushed to disk, and is renamed over the old file, so a crash leaves
//! either the old file or the new one, never half of each. The old file is kept as a
//! backup first. New files get mode 0600 because these files hold account and role
//! details that are nobody else's business.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// The largest file keyless will read. Real AWS and Claude Code settings files are a few
/// kilobytes; anything this large is not a settings file.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// An error about one file, with the line when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line, when the problem is inside the file.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl FileError {
    /// An error about `path` as a whole.
    pub fn new(path: &Path, message: impl Into<String>) -> Self {
        Self {
            path: path.to_path_buf(),
            line: None,
            message: message.into(),
        }
    }

    /// An error at 1-based `line` of `path`.
    pub fn at(path: &Path, line: usize, message: impl Into<String>) -> Self {
        Self {
            path: path.to_path_buf(),
            line: Some(line),
            message: message.into(),
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path.display(), line, self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for FileError {}

/// `ELOOP` on Linux and macOS: too many levels of symbolic links.
fn is_symlink_loop(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(40) | Some(62))
}

/// Reads `path` as UTF-8 text. `Ok(None)` when the file does not exist.
pub fn read_text(path: &Path) -> Result<Option<String>, FileError> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) if is_symlink_loop(&e) => {
            return Err(FileError::new(
                path,
                "symbolic link loop: the link points back at itself",
            ))
        }
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            return Err(FileError::new(
                path,
                "permission denied: keyless cannot read this file (check its owner and mode)",
            ))
        }
        Err(e) => return Err(FileError::new(path, format!("cannot open: {e}"))),
    };
    let meta = file
        .metadata()
        .map_err(|e| FileError::new(path, format!("cannot stat: {e}")))?;
    if meta.is_dir() {
        return Err(FileError::new(path, "is a directory, expected a file"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(FileError::new(
            path,
            format!(
                "file is {} bytes, larger than the {} bytes keyless reads; this is not a settings file",
                meta.len(),
                MAX_FILE_BYTES
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // `take` guards against a file that grows while it is read (or a device file whose
    // reported length is 0).
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| match e.kind() {
            io::ErrorKind::IsADirectory => FileError::new(path, "is a directory, expected a file"),
            _ => FileError::new(path, format!("cannot read: {e}")),
        })?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(FileError::new(
            path,
            "file is too large to be a settings file",
        ));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(text)),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            Err(FileError::at(path, line, "not valid UTF-8 text"))
        }
    }
}

/// Unix permission bits of `path`, if it exists.
pub fn mode(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path)
            .ok()
            .map(|m| m.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// What [`write_atomic`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOutcome {
    /// The file written.
    pub path: PathBuf,
    /// Where the previous content was saved, if the file existed.
    pub backup: Option<PathBuf>,
    /// Whether the file was created by this write.
    pub created: bool,
}

/// `credentials.keyless-backup-20261203T065501Z`: the UTC time, readable and sortable.
fn backup_path(path: &Path) -> PathBuf {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let stamp: String = crate::time::format_rfc3339(secs)
        .chars()
        .filter(|c| !matches!(c, '-' | ':'))
        .collect();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut candidate = path.with_file_name(format!("{name}.keyless-backup-{stamp}"));
    let mut n = 1;
    while candidate.exists() {
        candidate = path.with_file_name(format!("{name}.keyless-backup-{stamp}-{n}"));
        n += 1;
    }
    candidate
}

/// Copies `from` to a new file `to` created with mode 0600, whatever `from`'s mode: a
/// backup of a world-readable credentials file must not be world-readable too.
fn copy_private(from: &Path, to: &Path, redact: &[String]) -> io::Result<()> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut out = opts.open(to)?;
    if redact.is_empty() {
        io::copy(&mut File::open(from)?, &mut out)?;
    } else {
        let mut text = fs::read_to_string(from)?;
        for secret in redact {
            text = text.replace(secret.as_str(), &crate::redact(secret));
        }
        out.write_all(text.as_bytes())?;
    }
    out.sync_all()
}

/// Sets `path`'s permission bits.
pub fn set_mode(path: &Path, mode: u32) -> Result<(), FileError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
            .map_err(|e| FileError::new(path, format!("cannot change its mode: {e}")))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

/// Replaces the content of `path` with `contents` atomically.
///
/// - The parent directory is created (mode 0700) when missing.
/// - An existing file is first copied to `NAME.keyless-backup-<unix time>` (same mode).
/// - The new content is written to a temporary file next to `path`, flushed with
///   `fsync`, and renamed over `path`; the directory is synced after the rename.
/// - A new file gets mode 0600; an existing file keeps its mode.
/// - If `path` is a symbolic link, the link's target is replaced, so the link stays.
pub fn write_atomic(path: &Path, contents: &str) -> Result<WriteOutcome, FileError> {
    write_atomic_with_mode(path, contents, None, &[])
}

/// [`write_atomic`], with the new file's mode set to `mode_wanted` when given (otherwise the
/// old file's mode, or 0600 for a new file), and each of `redact_in_backup` written into the
/// backup only as its redacted form (`AKIA…MPLE`).
pub fn write_atomic_with_mode(
    path: &Path,
    contents: &str,
    mode_wanted: Option<u32>,
    redact_in_backup: &[String],
) -> Result<WriteOutcome, FileError> {
    let target = match fs::canonicalize(path) {
        Ok(p) => p,
        Err(_) => path.to_path_buf(),
    };
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    if !dir.exists() {
        create_private_dir(&dir)
            .map_err(|e| FileError::new(&dir, format!("cannot create directory: {e}")))?;
    }
    let existing_mode = mode_wanted.or_else(|| mode(&target));
    if target.is_dir() {
        return Err(FileError::new(path, "is a directory, expected a file"));
    }
    let backup = if target.exists() {
        let b = backup_path(&target);
        copy_private(&target, &b, redact_in_backup)
            .map_err(|e| FileError::new(&b, format!("cannot write backup: {e}")))?;
        Some(b)
    } else {
        None
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.keyless-tmp-{}", std::process::id()));
    let result = (|| -> io::Result<()> {
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(existing_mode.unwrap_or(0o600));
        }
        let _ = fs::remove_file(&tmp);
        let mut f = opts.open(&tmp)?;
        #[cfg(unix)]
        if let Some(m) = existing_mode {
            // `mode()` above is filtered by the umask; set the exact bits.
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(fs::Permissions::from_mode(m))?;
        }
        f.write_all(contents.as_bytes())?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, &target)?;
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(FileError::new(path, format!("cannot write: {e}")));
    }
    Ok(WriteOutcome {
        path: path.to_path_buf(),
        backup,
        created: existing_mode.is_none(),
    })
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    {
        fs::create_dir_all(dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn backups_are_private_and_named_by_a_readable_time() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("credentials");
        fs::write(&p, "[dev]\nx = 1\n").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).unwrap();
        let w = write_atomic(&p, "[dev]\nx = 2\n").unwrap();
        let b = w.backup.unwrap();
        assert_eq!(fs::read_to_string(&b).unwrap(), "[dev]\nx = 1\n");
        assert_eq!(
            mode(&b),
            Some(0o600),
            "a backup is never readable by others"
        );
        assert_eq!(mode(&p), Some(0o644), "the file keeps its own mode");
        let name = b.file_name().unwrap().to_string_lossy().to_string();
        let stamp = name.strip_prefix("credentials.keyless-backup-").unwrap();
        assert_eq!(stamp.len(), "20261203T065336Z".len(), "{name}");
        assert!(
            stamp.starts_with("20") && stamp.ends_with('Z') && stamp.as_bytes()[8] == b'T',
            "{name}"
        );
        // An explicit mode wins over the old file's.
        write_atomic_with_mode(&p, "[dev]\nx = 3\n", Some(0o600), &[]).unwrap();
        assert_eq!(mode(&p), Some(0o600));
    }

    #[test]
    fn missing_file_is_none() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(read_text(&d.path().join("nope")).unwrap(), None);
    }

    #[test]
    fn directory_oversize_and_bad_utf8_are_errors_naming_the_file() {
        let d = tempfile::tempdir().unwrap();
        let e = read_text(d.path()).unwrap_err();
        assert!(e.message.contains("directory"), "{e}");

        let big = d.path().join("big");
        let f = File::create(&big).unwrap();
        f.set_len(MAX_FILE_BYTES + 1).unwrap();
        let e = read_text(&big).unwrap_err();
        assert!(e.to_string().starts_with(&big.display().to_string()), "{e}");
        assert!(e.message.contains("larger"), "{e}");

        let bad = d.path().join("bad");
        fs::write(&bad, b"ok\nline two \xff\n").unwrap();
        let e = read_text(&bad).unwrap_err();
        assert_eq!(e.line, Some(2));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_is_reported() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("a");
        let b = d.path().join("b");
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        let e = read_text(&a).unwrap_err();
        assert!(e.message.contains("loop"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_creates_0600_keeps_mode_and_backs_up() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("sub/dir/file");
        let out = write_atomic(&p, "one").unwrap();
        assert!(out.created && out.backup.is_none());
        assert_eq!(mode(&p), Some(0o600));
        assert_eq!(
            fs::metadata(p.parent().unwrap())
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o700
        );

        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        let out = write_atomic(&p, "two").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "two");
        assert_eq!(mode(&p), Some(0o640));
        let backup = out.backup.unwrap();
        assert_eq!(fs::read_to_string(&backup).unwrap(), "one");
        // no temporary file left behind
        let names: Vec<_> = fs::read_dir(p.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|n| !n.contains("keyless-tmp")),
            "{names:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_through_a_symlink_keeps_the_link() {
        let d = tempfile::tempdir().unwrap();
        let real = d.path().join("real");
        fs::write(&real, "old").unwrap();
        let link = d.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, "new").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
    }
}
