//! One lock file per coder, so that two instances never write the same coder's files.
//!
//! The lock is an operating-system file lock (`flock` on Unix), which the system releases when
//! the process ends, even after a kill -9: there are no stale locks to clean up. The file
//! also records who holds it, for the message shown to the second instance.

use crate::model::CoderId;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// Folder (inside the project) for machine-local state that is not part of the project.
pub const LOCAL_DIR: &str = ".thematic";

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "coder {coder} already has this project open ({holder}); close that instance or open read-only"
    )]
    Held { coder: CoderId, holder: String },
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

impl CoderLock {
    pub fn coder(&self) -> &CoderId {
        &self.coder
    }

    /// Takes the lock for `coder` in the project at `root`, without waiting.
    pub fn acquire(root: &Path, coder: &CoderId) -> Result<CoderLock, LockError> {
        let dir = root.join(LOCAL_DIR).join("locks");
        let path = dir.join(format!("{coder}.lock"));
        let io_err = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        fs::create_dir_all(&dir).map_err(io_err)?;
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_err)?;
        match file.try_lock() {
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
}
