//! Durable file writes: a kill at any moment leaves either the old file or the new one.
//!
//! The new content goes to a temporary file in the same folder (so the rename cannot cross
//! file systems), is flushed to disk with fsync, and is renamed over the old file; then the
//! folder itself is fsynced so the rename survives a power cut.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Temporary files start with this and are ignored (and reported by `check`) when loading.
pub const TEMP_MARKER: &str = ".tmp-";

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// True for names of temporary files left by an interrupted write.
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with('.') && name.contains(TEMP_MARKER)
}

/// Writes `bytes` to `path` atomically and durably, creating parent folders as needed. An
/// existing file keeps its mode (and its owner, where this user may keep it).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with_mode(path, bytes, None)
}

/// Like [`write_atomic`]; a file that does not exist yet is given `new_mode` (when known),
/// else the default mode for new files.
pub fn write_atomic_with_mode(path: &Path, bytes: &[u8], new_mode: Option<u32>) -> io::Result<()> {
    // A bare file name's parent is "", which cannot be opened to fsync: use ".".
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(
        ".{name}{TEMP_MARKER}{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = write_then_rename(&temp, path, bytes, new_mode);
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result?;
    sync_dir(dir)
}

fn write_then_rename(
    temp: &Path,
    path: &Path,
    bytes: &[u8],
    new_mode: Option<u32>,
) -> io::Result<()> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
    let existing = fs::metadata(path).ok().filter(fs::Metadata::is_file);
    let mode = existing
        .as_ref()
        .map(|m| m.permissions().mode() & 0o7777)
        .or(new_mode);
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    if mode.is_some() {
        // Owner-only until the final mode is set: the content is never wider than either.
        options.mode(0o600);
    }
    let mut file = options.open(temp)?;
    if let Some(existing) = &existing {
        // Keeping the group matters for shared projects; root may keep the owner too. A
        // user who may not is left as the owner, which never widens who can read it.
        let _ = std::os::unix::fs::fchown(&file, Some(existing.uid()), Some(existing.gid()));
    }
    if let Some(mode) = mode {
        file.set_permissions(fs::Permissions::from_mode(mode))?;
    }
    file.write_all(bytes)?;
    // fdatasync: the data and the size needed to read it back; the folder's fsync after the
    // rename makes the new name durable.
    file.sync_data()?;
    drop(file);
    fs::rename(temp, path)
}

/// Removes `path` durably; a file that is already gone is not an error.
pub fn remove_durably(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    }
    sync_dir(path.parent().unwrap_or(Path::new(".")))
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// What a file looked like when the store last read or wrote it, to notice changes made by
/// someone else (another coder's instance, a git pull) before overwriting them.
///
/// The metadata (size, modification and change times, inode) is compared first; when any of
/// it differs, the content's hash decides, so a restored modification time (`cp -p`, a backup
/// restore) cannot hide an edit, and a `touch` alone is not taken for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    /// The inode's change time (seconds, nanoseconds), which no one can set back.
    changed: (i64, i64),
    inode: u64,
    /// Hash of the content, when it was read or written whole.
    content: Option<u64>,
}

impl Stamp {
    /// The stamp of an open file (one `fstat`, no second look-up of the path).
    pub fn of_metadata(meta: &fs::Metadata) -> Stamp {
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            changed: change_time(meta),
            inode: inode(meta),
            content: None,
        }
    }

    /// The stamp of the file at `path`, or `None` if there is no file.
    pub fn of(path: &Path) -> io::Result<Option<Stamp>> {
        match fs::metadata(path) {
            Ok(meta) => Ok(Some(Stamp::of_metadata(&meta))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// This stamp, knowing the file's content was `bytes`.
    pub fn with_content(mut self, bytes: &[u8]) -> Stamp {
        self.content = Some(content_hash(bytes));
        self
    }

    /// The hash of the content this stamp saw, when known.
    pub fn content(&self) -> Option<u64> {
        self.content
    }

    /// Whether the file at `path`, whose stamp is now `now`, is still what this stamp saw.
    pub fn still_matches(&self, now: &Stamp, path: &Path) -> bool {
        let same_metadata = self.len == now.len
            && self.modified == now.modified
            && self.changed == now.changed
            && self.inode == now.inode;
        if same_metadata {
            return true;
        }
        match self.content {
            Some(hash) if self.len == now.len => {
                fs::read(path).is_ok_and(|b| content_hash(&b) == hash)
            }
            _ => false,
        }
    }
}

/// A hash of a file's bytes, to tell an edit from a change of metadata only. Not
/// cryptographic: it guards against accidents (a same-size edit), not an adversary.
pub fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::{DefaultHasher, Hasher};
    let mut hasher = DefaultHasher::new();
    hasher.write(bytes);
    hasher.finish()
}

#[cfg(unix)]
fn change_time(meta: &fs::Metadata) -> (i64, i64) {
    use std::os::unix::fs::MetadataExt;
    (meta.ctime(), meta.ctime_nsec())
}

#[cfg(not(unix))]
fn change_time(_meta: &fs::Metadata) -> (i64, i64) {
    (0, 0)
}

#[cfg(unix)]
fn inode(meta: &fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.ino()
}

#[cfg(not(unix))]
fn inode(_meta: &fs::Metadata) -> u64 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_and_leave_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/file.yaml");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec!["file.yaml"]);
    }

    #[test]
    fn a_rewrite_keeps_the_mode_and_a_new_file_takes_the_given_one() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        let private = dir.path().join("private.yaml");
        write_atomic(&private, b"one").unwrap();
        fs::set_permissions(&private, fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&private, b"two").unwrap();
        assert_eq!(mode(&private), 0o600);
        let fresh = dir.path().join("fresh.yaml");
        write_atomic_with_mode(&fresh, b"x", Some(0o640)).unwrap();
        assert_eq!(mode(&fresh), 0o640);
        write_atomic_with_mode(&fresh, b"y", Some(0o644)).unwrap();
        assert_eq!(mode(&fresh), 0o640, "an existing file's mode wins");
    }

    #[test]
    fn stamps_change_when_a_file_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        assert_eq!(Stamp::of(&path).unwrap(), None);
        write_atomic(&path, b"abc").unwrap();
        let first = Stamp::of(&path).unwrap();
        write_atomic(&path, b"abd").unwrap();
        assert_ne!(Stamp::of(&path).unwrap(), first, "same length, new inode");
        remove_durably(&path).unwrap();
        remove_durably(&path).unwrap();
        assert!(is_temp_name(".f.tmp-12-0") && !is_temp_name("f.yaml"));
    }
}
