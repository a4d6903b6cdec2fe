//! Changes that could not be saved when thematic had to stop (a full disk, then SIGTERM or
//! a hang-up): written to a recovery file in the user's state folder, outside the project,
//! and offered back the next time the project is opened.
//!
//! A recovery file holds, for each unsaved project file, the content thematic meant to write
//! (or that the file was to be removed) and the hash of the content it had read. Restoring
//! writes a file only where the project still holds what thematic had read, so a recovery
//! never overwrites someone else's later change; such files are listed and left.

use super::atomic::{self, content_hash};
use serde::{Deserialize, Serialize};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// One unsaved file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveredFile {
    /// Relative to the project root.
    pub path: PathBuf,
    /// Hash of the content thematic had read (`None`: there was no file).
    pub base: Option<u64>,
    /// The content to write (`None`: the file is to be removed).
    pub content: Option<String>,
}

/// The unsaved changes of one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recovery {
    /// The project folder, as an absolute path.
    pub project: PathBuf,
    pub coder: Option<String>,
    /// When the file was written (RFC 3339).
    pub written: String,
    pub files: Vec<RecoveredFile>,
}

/// What restoring did.
#[derive(Debug, Default)]
pub struct Restored {
    pub written: Vec<PathBuf>,
    /// Files changed since thematic read them (or refused as links): left as they are.
    pub left: Vec<(PathBuf, String)>,
}

/// The folder for recovery files: `THEMATIC_STATE_DIR`, else the platform's state folder
/// (`~/.local/state/thematic` on Linux), else its local data folder.
pub fn state_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("THEMATIC_STATE_DIR") {
        return Some(PathBuf::from(dir));
    }
    let dirs = directories::ProjectDirs::from("", "", "thematic")?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .to_path_buf(),
    )
}

impl Recovery {
    /// Writes this recovery into the state folder (made owner-only; the file is 0600, as it
    /// holds participants' words); returns its path.
    pub fn write(&self) -> io::Result<PathBuf> {
        let dir = state_dir().ok_or_else(|| io::Error::other("no state folder for this user"))?;
        {
            use std::os::unix::fs::DirBuilderExt;
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&dir)?;
        }
        let stamp = jiff::Timestamp::now()
            .strftime("%Y%m%dT%H%M%SZ")
            .to_string();
        let name = self
            .project
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect::<String>();
        let path = dir.join(format!(
            "recovery-{name}-{stamp}-{}.json",
            std::process::id()
        ));
        let json = serde_json::to_vec_pretty(self).map_err(io::Error::other)?;
        atomic::write_atomic_with_mode(&path, &json, Some(0o600))?;
        Ok(path)
    }

    /// The recovery files waiting for the project at `root`, oldest first.
    pub fn waiting_for(root: &Path) -> Vec<(PathBuf, Recovery)> {
        let (Some(dir), Ok(root)) = (state_dir(), fs::canonicalize(root)) else {
            return Vec::new();
        };
        let Ok(entries) = fs::read_dir(&dir) else {
            return Vec::new();
        };
        let mut found: Vec<(PathBuf, Recovery)> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("recovery-"))
            })
            .filter_map(|p| {
                let bytes = fs::read(&p).ok()?;
                let recovery: Recovery = serde_json::from_slice(&bytes).ok()?;
                (recovery.project == root).then_some((p, recovery))
            })
            .collect();
        found.sort_by(|a, b| a.1.written.cmp(&b.1.written));
        found
    }

    /// Writes back each file whose project copy is still what thematic had read.
    pub fn restore(&self) -> Restored {
        let mut restored = Restored::default();
        for file in &self.files {
            match restore_one(&self.project, file) {
                Ok(()) => restored.written.push(file.path.clone()),
                Err(why) => restored.left.push((file.path.clone(), why)),
            }
        }
        restored
    }
}

fn restore_one(root: &Path, file: &RecoveredFile) -> Result<(), String> {
    let plain = file
        .path
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if !plain {
        return Err("not a path inside the project".into());
    }
    if let Some(message) = super::safe::first_refused(root, &file.path) {
        return Err(message);
    }
    let path = root.join(&file.path);
    let now = match fs::read(&path) {
        Ok(bytes) => Some(content_hash(&bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e.to_string()),
    };
    if now == file.content.as_deref().map(|c| content_hash(c.as_bytes())) {
        return Ok(()); // Already there.
    }
    if now != file.base {
        return Err("changed since thematic read it; compare by hand".into());
    }
    match &file.content {
        Some(content) => {
            super::safe::prepare_write(root, &file.path)?;
            atomic::write_atomic(&path, content.as_bytes()).map_err(|e| e.to_string())
        }
        None => atomic::remove_durably(&path).map_err(|e| e.to_string()),
    }
}
