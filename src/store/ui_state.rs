//! Where each coder left the coding screen and the codes they pinned to the keys 1-9:
//! machine-local state in `.thematic/ui/<coder>.yaml` (the `.thematic` folder is
//! git-ignored), so that it follows the coder on this clone without ever changing a shared
//! file or making a merge conflict.
//!
//! The state is a convenience: a missing file is a fresh start, and a damaged one is
//! reported (path, line, column), left as it is and not written over, so that nothing the
//! coder might want to look at is lost; the session then starts fresh in memory.

use super::lock::LOCAL_DIR;
use crate::model::{CodeId, CoderId, TranscriptId};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// How many codes can be pinned: one per key 1-9.
pub const QUICK_SLOTS: usize = 9;

/// Largest state file read: it holds a handful of ids and numbers.
const MAX_BYTES: u64 = 64 * 1024;

/// One coder's coding-screen state on this clone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiState {
    /// The code on each quick key, key 1 first; `None` for a free key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quick_codes: Vec<Option<CodeId>>,
    /// Where the coder was when they last left a transcript or quit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume: Option<Resume>,
}

/// What pinning a code did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pin {
    /// Now on this key (1-9).
    Pinned(usize),
    /// Taken off this key.
    Unpinned(usize),
    /// Every key has a code already; nothing changed.
    Full,
}

/// A place in a transcript: the cursor, the first row shown, and the transcript's length
/// then (in chars), so that a transcript changed since can be noticed and clamped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resume {
    pub transcript: TranscriptId,
    pub cursor: usize,
    pub scroll: usize,
    pub length: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum UiStateError {
    #[error("{path}: {source}", path = path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}", path = path.display())]
    Refused { path: PathBuf, message: String },
    #[error("{path}{at}: {message}", path = path.display(), at = at(*line, *column))]
    Damaged {
        path: PathBuf,
        line: Option<u64>,
        column: Option<u64>,
        message: String,
    },
    #[error("{0}")]
    Yaml(String),
}

fn at(line: Option<u64>, column: Option<u64>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(", line {l}, column {c}"),
        (Some(l), None) => format!(", line {l}"),
        _ => String::new(),
    }
}

/// The state file of `coder`, relative to the project folder.
pub fn relative_path(coder: &CoderId) -> PathBuf {
    Path::new(LOCAL_DIR)
        .join("ui")
        .join(format!("{coder}.yaml"))
}

impl UiState {
    /// The code pinned to key `n` (1-9), if any.
    pub fn quick(&self, n: usize) -> Option<&CodeId> {
        self.quick_codes.get(n.checked_sub(1)?)?.as_ref()
    }

    /// The key (1-9) `code` is pinned to, if it is.
    pub fn key_of(&self, code: &CodeId) -> Option<usize> {
        self.quick_codes
            .iter()
            .position(|c| c.as_ref() == Some(code))
            .map(|i| i + 1)
    }

    /// Pins `code` to the first free key, or unpins it if it is pinned.
    pub fn toggle_pin(&mut self, code: &CodeId) -> Pin {
        if let Some(key) = self.key_of(code) {
            self.quick_codes[key - 1] = None;
            self.trim();
            return Pin::Unpinned(key);
        }
        let free = self.quick_codes.iter().position(Option::is_none);
        let slot = match free {
            Some(i) => i,
            None if self.quick_codes.len() < QUICK_SLOTS => {
                self.quick_codes.push(None);
                self.quick_codes.len() - 1
            }
            None => return Pin::Full,
        };
        self.quick_codes[slot] = Some(code.clone());
        Pin::Pinned(slot + 1)
    }

    /// Keeps pins only on codes `exists` accepts (a deleted code frees its key) and at most
    /// nine; true if anything changed.
    pub fn keep_pins(&mut self, exists: impl Fn(&CodeId) -> bool) -> bool {
        let before = self.quick_codes.clone();
        self.quick_codes.truncate(QUICK_SLOTS);
        for slot in self.quick_codes.iter_mut() {
            if slot.as_ref().is_some_and(|c| !exists(c)) {
                *slot = None;
            }
        }
        // The same code twice keeps its first key.
        let mut seen = std::collections::HashSet::new();
        for slot in self.quick_codes.iter_mut() {
            if let Some(c) = slot.as_ref()
                && !seen.insert(c.clone())
            {
                *slot = None;
            }
        }
        self.trim();
        self.quick_codes != before
    }

    /// A pin on `from` moves to `into` (a code merged into another keeps its key), unless
    /// `into` is pinned already, when `from`'s key is freed. True if anything changed.
    pub fn follow(&mut self, from: &CodeId, into: &CodeId) -> bool {
        let Some(key) = self.key_of(from) else {
            return false;
        };
        self.quick_codes[key - 1] = if self.key_of(into).is_some() {
            None
        } else {
            Some(into.clone())
        };
        self.trim();
        true
    }

    fn trim(&mut self) {
        while self.quick_codes.last().is_some_and(Option::is_none) {
            self.quick_codes.pop();
        }
    }
}

/// Reads `coder`'s state. A missing file is a fresh (default) state; a link, a non-regular
/// file or a file that does not parse is an error, for the caller to report.
pub fn load_ui_state(root: &Path, coder: &CoderId) -> Result<UiState, UiStateError> {
    use std::io::Read;
    let rel = relative_path(coder);
    let path = root.join(&rel);
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(UiState::default());
    }
    let (file, meta) =
        super::safe::open_regular(root, &rel).map_err(|message| UiStateError::Refused {
            path: path.clone(),
            message,
        })?;
    if meta.len() > MAX_BYTES {
        return Err(UiStateError::Refused {
            path,
            message: format!("{} bytes is more than the {MAX_BYTES} allowed", meta.len()),
        });
    }
    let mut text = String::new();
    file.take(MAX_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|source| UiStateError::Io {
            path: path.clone(),
            source,
        })?;
    super::yaml::parse(&text).map_err(|e| UiStateError::Damaged {
        path,
        line: e.line,
        column: e.column,
        message: e.message,
    })
}

/// Saves `coder`'s state atomically and durably, inside the project's `.thematic` folder
/// only: a link anywhere on the way is refused.
pub fn save_ui_state(root: &Path, coder: &CoderId, state: &UiState) -> Result<(), UiStateError> {
    let rel = relative_path(coder);
    let path = root.join(&rel);
    super::safe::prepare_write(root, &rel).map_err(|message| UiStateError::Refused {
        path: path.clone(),
        message,
    })?;
    let text = super::yaml::to_string(state).map_err(|e| UiStateError::Yaml(e.to_string()))?;
    super::atomic::write_atomic(&path, text.as_bytes())
        .map_err(|source| UiStateError::Io { path, source })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(id: &str) -> CodeId {
        CodeId::new(id).unwrap()
    }

    #[test]
    fn pins_keep_their_keys_and_free_keys_are_reused() {
        let mut s = UiState::default();
        assert_eq!(s.toggle_pin(&code("c-a")), Pin::Pinned(1));
        assert_eq!(s.toggle_pin(&code("c-b")), Pin::Pinned(2));
        assert_eq!(s.toggle_pin(&code("c-c")), Pin::Pinned(3));
        assert_eq!(s.toggle_pin(&code("c-b")), Pin::Unpinned(2), "again unpins");
        assert_eq!(s.quick(3), Some(&code("c-c")), "the others keep their keys");
        assert_eq!(
            s.toggle_pin(&code("c-d")),
            Pin::Pinned(2),
            "the free key first"
        );
        for i in 0..6 {
            s.toggle_pin(&code(&format!("c-x{i}")));
        }
        assert_eq!(s.toggle_pin(&code("c-full")), Pin::Full);
        assert_eq!(s.quick(9), Some(&code("c-x5")));
    }

    #[test]
    fn deleted_codes_free_their_keys_and_merged_ones_follow() {
        let mut s = UiState::default();
        for id in ["c-a", "c-b", "c-c"] {
            s.toggle_pin(&code(id));
        }
        assert!(s.follow(&code("c-a"), &code("c-z")));
        assert_eq!(s.quick(1), Some(&code("c-z")));
        assert!(s.follow(&code("c-b"), &code("c-z")), "into a pinned code");
        assert_eq!(s.quick(2), None);
        assert!(s.keep_pins(|c| c != &code("c-c")));
        assert!(
            s.quick_codes
                .iter()
                .all(|c| c.as_ref() != Some(&code("c-c")))
        );
        assert_eq!(
            s.quick_codes,
            vec![Some(code("c-z"))],
            "trailing free keys go"
        );
        assert!(!s.keep_pins(|_| true));
    }

    #[test]
    fn state_round_trips_and_damage_is_reported_with_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let alex = CoderId::new("alex").unwrap();
        assert_eq!(
            load_ui_state(dir.path(), &alex).unwrap(),
            UiState::default()
        );
        let mut state = UiState::default();
        state.toggle_pin(&code("c-a"));
        state.resume = Some(Resume {
            transcript: TranscriptId::new("p02").unwrap(),
            cursor: 120,
            scroll: 3,
            length: 900,
        });
        save_ui_state(dir.path(), &alex, &state).unwrap();
        assert_eq!(load_ui_state(dir.path(), &alex).unwrap(), state);

        let path = dir.path().join(relative_path(&alex));
        std::fs::write(&path, "quick_codes:\n  - c-a\nresume: [oops\n").unwrap();
        let err = load_ui_state(dir.path(), &alex).unwrap_err();
        assert!(
            matches!(err, UiStateError::Damaged { line: Some(_), .. }),
            "{err}"
        );
        assert!(err.to_string().contains("alex.yaml, line"), "{err}");
    }

    #[test]
    fn links_and_fifos_are_refused_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let alex = CoderId::new("alex").unwrap();
        let ui = dir.path().join(LOCAL_DIR).join("ui");
        std::fs::create_dir_all(&ui).unwrap();
        let fifo = ui.join("alex.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(matches!(
                load_ui_state(dir.path(), &alex),
                Err(UiStateError::Refused { .. })
            ));
            std::fs::remove_file(&fifo).unwrap();
        } else {
            eprintln!("skipped the FIFO case: mkfifo is not available");
        }
        let elsewhere = tempfile::tempdir().unwrap();
        let outside = elsewhere.path().join("target.yaml");
        std::fs::write(&outside, "quick_codes: []\n").unwrap();
        std::os::unix::fs::symlink(&outside, &fifo).unwrap();
        assert!(matches!(
            load_ui_state(dir.path(), &alex),
            Err(UiStateError::Refused { .. })
        ));
        assert!(save_ui_state(dir.path(), &alex, &UiState::default()).is_err());
        assert_eq!(
            std::fs::read_to_string(&outside).unwrap(),
            "quick_codes: []\n",
            "nothing written through the link"
        );
    }
}
