//! One lock file per coder, so that two instances never write the same coder's files.
//!
//! The lock is an operating-system file lock (`flock` on Unix), which the system releases when
//! the process ends, even after a kill -9: there are no stale locks to clean up. The file
//! also records who holds it, for the message shown to the second instance.

use crate::model::CoderId;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Folder (inside the project) for machine-local state that is not part of the project.
pub const LOCAL_DIR: &str = ".thematic";

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "coder {coder} already has this project open ({holder}); close that instance or open read-only"
    )]
    Held { coder: CoderId, holder: String },
    #[error("cannot lock: {0}")]
    NotFollowed(String),
    #[error("cannot lock {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Held for as long as the value lives.
#[derive(Debug)]
pub struct CoderLock {
    coder: CoderId,
    _file: File,
}

/// How long a lock that is taken is tried again before it counts as held.
const LOCK_PATIENCE: std::time::Duration = std::time::Duration::from_millis(250);

/// Tries the lock, and again for a moment if it is taken. A lock just released can still
/// look taken: a child process being started by another thread (the player, `git`) holds a
/// copy of every open file until it runs its program, and the lock with it. A lock held by
/// another instance of thematic stays held and is reported after this short wait.
fn try_lock_a_moment(file: &File) -> Result<(), TryLockError> {
    let started = std::time::Instant::now();
    loop {
        match file.try_lock() {
            Err(TryLockError::WouldBlock) if started.elapsed() < LOCK_PATIENCE => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            result => return result,
        }
    }
}

impl CoderLock {
    pub fn coder(&self) -> &CoderId {
        &self.coder
    }

    /// Takes the lock for `coder` in the project at `root`, without waiting.
    pub fn acquire(root: &Path, coder: &CoderId) -> Result<CoderLock, LockError> {
        let rel = Path::new(LOCAL_DIR)
            .join("locks")
            .join(format!("{coder}.lock"));
        let path = root.join(&rel);
        let io_err = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        // A cloned project may hold a link at `.thematic`, `locks` or the lock itself: the
        // lock is made only in real folders, opened without following a link and without
        // blocking on a FIFO, and never truncated on opening.
        super::safe::prepare_write(root, &rel).map_err(LockError::NotFollowed)?;
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
            .open(&path)
            .map_err(|e| match e.raw_os_error() {
                Some(libc::ELOOP | libc::ENXIO) => LockError::NotFollowed(
                    super::safe::first_refused(root, &rel)
                        .unwrap_or_else(|| format!("{}: {e}", rel.display())),
                ),
                _ => io_err(e),
            })?;
        let meta = file.metadata().map_err(io_err)?;
        if !meta.is_file() {
            return Err(LockError::NotFollowed(super::safe::refusal(
                root,
                &rel,
                &meta.file_type(),
            )));
        }
        match try_lock_a_moment(&file) {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                return Err(LockError::Held {
                    coder: coder.clone(),
                    holder: if holder.is_empty() {
                        "another process".into()
                    } else {
                        holder.into()
                    },
                });
            }
            Err(TryLockError::Error(e)) => return Err(io_err(e)),
        }
        let who = format!(
            "process {} since {}",
            std::process::id(),
            jiff::Timestamp::now().strftime("%Y-%m-%d %H:%M:%S UTC")
        );
        // Recording the holder is a courtesy for the message above; failing to is harmless.
        // Only a file that looks like a lock (one name, a line long) is rewritten: a hard
        // link to someone's file is locked but its content left alone.
        if !looks_like_a_lock(&meta) {
            return Ok(CoderLock {
                coder: coder.clone(),
                _file: file,
            });
        }
        let _ = file.set_len(0).and_then(|()| {
            file.rewind()?;
            file.write_all(who.as_bytes())
        });
        Ok(CoderLock {
            coder: coder.clone(),
            _file: file,
        })
    }
}

/// A lock file holds one short line and has no other name.
fn looks_like_a_lock(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.nlink() == 1 && meta.len() <= 256
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_for_the_same_coder_is_refused_until_released() {
        let dir = tempfile::tempdir().unwrap();
        let alex = CoderId::new("alex").unwrap();
        let first = CoderLock::acquire(dir.path(), &alex).unwrap();
        let err = CoderLock::acquire(dir.path(), &alex).unwrap_err();
        assert!(matches!(err, LockError::Held { .. }));
        assert!(err.to_string().contains("process"), "{err}");
        // Another coder is independent.
        let sam = CoderId::new("sam").unwrap();
        assert!(CoderLock::acquire(dir.path(), &sam).is_ok());
        drop(first);
        assert!(CoderLock::acquire(dir.path(), &alex).is_ok());
    }

    #[test]
    fn a_lock_released_a_moment_later_is_taken_rather_than_reported_held() {
        // What a child process started by another thread does for the moment between its
        // start and its program: it keeps a lock just released by its parent.
        let dir = tempfile::tempdir().unwrap();
        let alex = CoderId::new("alex").unwrap();
        let first = CoderLock::acquire(dir.path(), &alex).unwrap();
        let releaser = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(60));
            drop(first);
        });
        let second = CoderLock::acquire(dir.path(), &alex);
        releaser.join().unwrap();
        assert!(second.is_ok(), "{:?}", second.err());
    }

    #[test]
    fn a_linked_lock_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("p");
        let target = dir.path().join("precious.txt");
        fs::write(&target, "seven hundred and fifty bytes of someone's work").unwrap();
        fs::create_dir_all(root.join(".thematic/locks")).unwrap();
        std::os::unix::fs::symlink(&target, root.join(".thematic/locks/alex.lock")).unwrap();
        let alex = CoderId::new("alex").unwrap();
        let err = CoderLock::acquire(&root, &alex).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(
            fs::read_to_string(&target).unwrap(),
            "seven hundred and fifty bytes of someone's work"
        );
        // A linked `.thematic` is refused too, and nothing is created behind it.
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        let root2 = dir.path().join("q");
        fs::create_dir(&root2).unwrap();
        std::os::unix::fs::symlink(&elsewhere, root2.join(".thematic")).unwrap();
        assert!(CoderLock::acquire(&root2, &alex).is_err());
        assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
    }
}
