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
    /// The interview's recording: a path relative to the project folder when it lies inside
    /// it, else absolute. Only the path is kept; the recording is never copied or changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<String>,
    /// Where the recording's time codes fall in the text, by char offset, in text order:
    /// from VTT/SRT cues and `[00:01:23]` marks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub times: Vec<TimeMark>,
    /// Where each page of a PDF starts in the text, by char offset, so a quote can cite its
    /// page.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<PageMark>,
}

/// A time code at a place in the text: the recording is at `time` from char `at` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeMark {
    pub at: usize,
    pub time: TimeCode,
}

/// A PDF page that starts at char `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMark {
    pub at: usize,
    pub page: u32,
}

/// A time into a recording in whole seconds, written `hh:mm:ss` in the YAML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeCode(pub u64);

impl TimeCode {
    /// `hh:mm:ss`, `mm:ss` (or with `.ttt`/`,ttt` fractions, dropped).
    pub fn parse(s: &str) -> Option<TimeCode> {
        let main = s.trim().split(['.', ',']).next()?;
        let fields: Vec<u64> = main
            .split(':')
            .map(|f| {
                (!f.is_empty() && f.len() <= 3 && f.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| f.parse::<u64>().ok())
                    .flatten()
            })
            .collect::<Option<_>>()?;
        match fields.as_slice() {
            [m, sec] if *sec < 60 => Some(TimeCode(m * 60 + sec)),
            [h, m, sec] if *m < 60 && *sec < 60 => Some(TimeCode(h * 3600 + m * 60 + sec)),
            _ => None,
        }
    }

    pub fn seconds(self) -> u64 {
        self.0
    }
}

impl std::fmt::Display for TimeCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.0;
        write!(f, "{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    }
}

impl Serialize for TimeCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        TimeCode::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("{text:?} is not a time such as 00:14:32"))
        })
    }
}

/// Time marks written in a text: `[hh:mm:ss]` or `[mm:ss]` (fractions allowed), as VTT/SRT
/// import and transcription services write them at the start of a turn.
pub fn find_time_marks(text: &str) -> Vec<TimeMark> {
    let mut marks = Vec::new();
    let mut chars_before = 0;
    let mut scanned = 0;
    for (byte, _) in text.match_indices('[') {
        // A mark is short: look for its `]` close by only, so a text of many `[` without
        // `]` is still scanned once.
        let window = &text.as_bytes()[byte + 1..text.len().min(byte + 18)];
        let Some(close) = window.iter().position(|b| *b == b']') else {
            continue;
        };
        let Some(inside) = text.get(byte + 1..byte + 1 + close) else {
            continue;
        };
        if !inside.contains(':') {
            continue;
        }
        if let Some(time) = TimeCode::parse(inside) {
            chars_before += text[scanned..byte].chars().count();
            scanned = byte;
            marks.push(TimeMark {
                at: chars_before,
                time,
            });
        }
    }
    marks
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

    /// The recording's time at char `offset`: that of the last time mark at or before it.
    pub fn time_at(&self, offset: usize) -> Option<TimeCode> {
        let after = self.meta.times.partition_point(|m| m.at <= offset);
        after.checked_sub(1).map(|i| self.meta.times[i].time)
    }

    /// The PDF page that char `offset` is on, when the transcript came from a PDF.
    pub fn page_at(&self, offset: usize) -> Option<u32> {
        let after = self.meta.pages.partition_point(|m| m.at <= offset);
        after.checked_sub(1).map(|i| self.meta.pages[i].page)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_codes_read_and_write_as_clock_times() {
        assert_eq!(TimeCode::parse("00:14:32"), Some(TimeCode(872)));
        assert_eq!(TimeCode::parse("14:32.500"), Some(TimeCode(872)));
        assert_eq!(TimeCode::parse("1:02:03,9"), Some(TimeCode(3723)));
        assert_eq!(TimeCode::parse("12:60"), None);
        assert_eq!(TimeCode::parse("see: 3"), None);
        assert_eq!(TimeCode::parse(""), None);
        assert_eq!(TimeCode(3723).to_string(), "01:02:03");
    }

    #[test]
    fn marks_are_found_at_char_offsets() {
        let text = "[00:00:05] I: héllo\n\n[note: x] [01:10] P: ok [bad:99:99]";
        let marks = find_time_marks(text);
        assert_eq!(
            marks,
            vec![
                TimeMark {
                    at: 0,
                    time: TimeCode(5)
                },
                TimeMark {
                    at: 31,
                    time: TimeCode(70)
                },
            ]
        );
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[31], '[');
        // Many `[` and no `]`: one pass, no marks.
        assert!(find_time_marks(&"[".repeat(200_000)).is_empty());
        assert_eq!(find_time_marks("[[00:01]").len(), 1);
    }

    #[test]
    fn time_at_takes_the_last_mark_before_the_offset() {
        let meta = TranscriptMeta {
            times: vec![
                TimeMark {
                    at: 10,
                    time: TimeCode(5),
                },
                TimeMark {
                    at: 40,
                    time: TimeCode(70),
                },
            ],
            ..TranscriptMeta::default()
        };
        let t = Transcript::new(TranscriptId::new("t").unwrap(), meta, "x".repeat(60));
        assert_eq!(t.time_at(3), None);
        assert_eq!(t.time_at(10), Some(TimeCode(5)));
        assert_eq!(t.time_at(39), Some(TimeCode(5)));
        assert_eq!(t.time_at(59), Some(TimeCode(70)));
    }
}
