//! Transcripts: the text as imported, and its metadata.

use super::ids::TranscriptId;
use crate::text::TextIndex;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What `transcripts/<id>.yaml` holds.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranscriptMeta {
    pub title: String,
    /// How quotes are attributed, e.g. "Participant 13".
    pub participant: String,
    /// Interview order (1, 2, ...), used for saturation; import order when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<u32>,
    /// Interview date, ISO 8601 (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<jiff::civil::Date>,
    /// The file it was imported from (name only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported: Option<Timestamp>,
    /// Attribute values (case variables): role, organisation, site...
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    /// SHA-256 of the text file, to notice edits made outside the tool.
    pub sha256: String,
    /// Length of the text in chars (Unicode scalar values).
    pub chars: usize,
}

#[derive(Debug, Clone)]
pub struct Transcript {
    pub id: TranscriptId,
    pub meta: TranscriptMeta,
    text: String,
    /// Built on first use: opening a study of hundreds of interviews need not index the
    /// text of every one.
    index: std::sync::OnceLock<TextIndex>,
}

/// Two transcripts are the same when their id, details and text are; the index is derived.
impl PartialEq for Transcript {
    fn eq(&self, other: &Transcript) -> bool {
        self.id == other.id && self.meta == other.meta && self.text == other.text
    }
}

impl Eq for Transcript {}

impl Transcript {
    pub fn new(id: TranscriptId, meta: TranscriptMeta, text: String) -> Transcript {
        Transcript {
            id,
            meta,
            text,
            index: std::sync::OnceLock::new(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn index(&self) -> &TextIndex {
        self.index.get_or_init(|| TextIndex::new(&self.text))
    }

    pub fn char_len(&self) -> usize {
        self.index().char_len()
    }

    /// The text of `[start, end)` in chars, or `None` if out of bounds.
    pub fn slice(&self, start: usize, end: usize) -> Option<&str> {
        self.index().slice(&self.text, start, end)
    }

    pub fn word_count(&self) -> usize {
        self.text.split_whitespace().count()
    }
}

/// Hex SHA-256 of a text.
pub fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
