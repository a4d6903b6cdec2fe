//! The on-disk shapes of the project's files, and where each file lives.

use crate::model::{
    Code, CodeId, Codebook, CoderId, Colour, FileKey, Level, Position, Segment, TranscriptId,
};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

pub const PROJECT_FILE: &str = "thematic.yaml";
pub const CODEBOOK_FILE: &str = "codebook.yaml";
pub const TRANSCRIPTS_DIR: &str = "transcripts";
pub const CODINGS_DIR: &str = "codings";
pub const MEMOS_DIR: &str = "memos";
pub const REVIEWS_DIR: &str = "reviews";
pub const AUDIT_DIR: &str = "audit";

/// Path of a file, relative to the project root.
pub fn relative_path(key: &FileKey) -> PathBuf {
    match key {
        FileKey::Project => PROJECT_FILE.into(),
        FileKey::Codebook => CODEBOOK_FILE.into(),
        FileKey::TranscriptText(id) => PathBuf::from(TRANSCRIPTS_DIR).join(format!("{id}.txt")),
        FileKey::TranscriptMeta(id) => PathBuf::from(TRANSCRIPTS_DIR).join(format!("{id}.yaml")),
        FileKey::Coding(coder, t) => PathBuf::from(CODINGS_DIR)
            .join(coder.as_str())
            .join(format!("{t}.yaml")),
        FileKey::Memo(coder, m) => PathBuf::from(MEMOS_DIR)
            .join(coder.as_str())
            .join(format!("{m}.yaml")),
        FileKey::Review(coder, m) => PathBuf::from(REVIEWS_DIR)
            .join(coder.as_str())
            .join(format!("{m}.yaml")),
        FileKey::Audit(coder) => PathBuf::from(AUDIT_DIR).join(format!("{coder}.yaml")),
    }
}

/// Only the format version, read first so that a newer file is refused with a clear message
/// before its unknown fields are.
#[derive(Deserialize)]
pub struct VersionProbe {
    pub format: Option<u32>,
}

/// `codebook.yaml`.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodebookFile {
    #[serde(default)]
    pub codes: Vec<CodeNode>,
}

/// A code with its children, as nested in `codebook.yaml`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeNode {
    pub id: CodeId,
    pub guid: uuid::Uuid,
    pub name: String,
    pub level: Level,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<Colour>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub inclusion: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub exclusion: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub example: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemplar: Option<crate::model::SegmentRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<CodeNode>,
}

impl CodebookFile {
    pub fn from_codebook(book: &Codebook) -> CodebookFile {
        CodebookFile {
            codes: nodes_of(book, None),
        }
    }

    /// Builds the tree. Codes that cannot be placed (a repeated id, a name repeated among
    /// siblings) are returned as messages; the caller must then not overwrite the file.
    pub fn into_codebook(self) -> (Codebook, Vec<String>) {
        let mut book = Codebook::default();
        let mut problems = Vec::new();
        let mut guids = std::collections::HashSet::new();
        let mut stack: Vec<(Option<CodeId>, Vec<CodeNode>)> = vec![(None, self.codes)];
        while let Some((parent, nodes)) = stack.pop() {
            for node in nodes {
                let (code, children) = node.split();
                if !guids.insert(code.guid) {
                    problems.push(format!("code {} repeats GUID {}", code.id, code.guid));
                }
                let at = Position {
                    parent: parent.clone(),
                    index: book.children(parent.as_ref()).len(),
                };
                let id = code.id.clone();
                let name = code.name.clone();
                match book.insert(code, &at) {
                    Ok(()) => stack.push((Some(id), children)),
                    Err(e) => problems.push(format!("code {id} ({name:?}) cannot be placed: {e}")),
                }
            }
        }
        (book, problems)
    }
}

fn nodes_of(book: &Codebook, parent: Option<&CodeId>) -> Vec<CodeNode> {
    book.children(parent)
        .iter()
        .filter_map(|id| {
            let code = book.get(id)?.clone();
            Some(CodeNode::join(code, nodes_of(book, Some(id))))
        })
        .collect()
}

impl CodeNode {
    fn join(code: Code, children: Vec<CodeNode>) -> CodeNode {
        CodeNode {
            id: code.id,
            guid: code.guid,
            name: code.name,
            level: code.level,
            colour: code.colour,
            description: code.description,
            inclusion: code.inclusion,
            exclusion: code.exclusion,
            example: code.example,
            tags: code.tags,
            exemplar: code.exemplar.map(|r| *r),
            children,
        }
    }

    fn split(self) -> (Code, Vec<CodeNode>) {
        let code = Code {
            id: self.id,
            guid: self.guid,
            name: self.name,
            level: self.level,
            colour: self.colour,
            description: self.description,
            inclusion: self.inclusion,
            exclusion: self.exclusion,
            example: self.example,
            tags: self.tags,
            exemplar: self.exemplar.map(Box::new),
        };
        (code, self.children)
    }
}

/// `codings/<coder>/<transcript>.yaml`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodingFile {
    pub transcript: TranscriptId,
    pub coder: CoderId,
    /// The coder has marked their coding of this transcript done.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub done: bool,
    #[serde(default)]
    pub segments: Vec<Segment>,
}

impl CodingFile {
    /// The file's YAML, written directly rather than through serde: coding files are the
    /// ones saved on every coding action and can hold thousands of segments, and this is
    /// several times faster than the general serializer while reading back the same.
    /// Strings are double-quoted with JSON's escapes (a subset of YAML's), plus escapes for
    /// the characters YAML does not allow raw.
    pub fn to_yaml(&self) -> String {
        coding_yaml(&self.transcript, &self.coder, self.done, &self.segments)
    }
}

/// The YAML of a coding file, from borrowed segments: what every save writes.
pub fn coding_yaml(
    transcript: &TranscriptId,
    coder: &CoderId,
    done: bool,
    segments: &[Segment],
) -> String {
    use std::fmt::Write;
    let mut out =
        String::with_capacity(64 + segments.iter().map(|s| s.text.len() + 160).sum::<usize>());
    let _ = writeln!(out, "transcript: {}\ncoder: {}", transcript, coder);
    if done {
        out.push_str("done: true\n");
    }
    if segments.is_empty() {
        out.push_str("segments: []\n");
        return out;
    }
    out.push_str("segments:\n");
    for s in segments {
        // Written piece by piece, without intermediate strings: this runs for every
        // segment of the transcript on every save.
        let _ = write!(
            out,
            "- id: {}\n  start: {}\n  end: {}\n  codes: [",
            s.id, s.start, s.end
        );
        for (i, code) in s.codes.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(code.as_str());
        }
        out.push_str("]\n  text: ");
        push_quoted(&mut out, &s.text);
        // RFC 3339 timestamps hold nothing that needs escaping.
        let _ = write!(out, "\n  created: \"{}\"\n", s.created);
        if let Some(updated) = s.updated {
            let _ = writeln!(out, "  updated: \"{updated}\"");
        }
    }
    out
}

/// Bytes that may begin something to escape: C0 controls, `"`, `\\`, DEL, and the lead
/// bytes of C1 controls (C2), U+2028/2029 (E2) and U+FFFE/FFFF (EF).
const MAY_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[0x7f] = true;
    table[0xc2] = true;
    table[0xe2] = true;
    table[0xef] = true;
    table
};

/// Appends `text` as a YAML double-quoted scalar. Runs of characters that need no escape
/// are copied whole: this is the hot loop of every save of a long transcript's coding.
fn push_quoted(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    out.push('"');
    let bytes = text.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Skip plain bytes with one table look-up each: the tight loop of a save.
        while i < bytes.len() && !MAY_ESCAPE[bytes[i] as usize] {
            i += 1;
        }
        let Some(&b) = bytes.get(i) else {
            break;
        };
        let escape_len = match b {
            b'"' | b'\\' | 0x00..=0x1f | 0x7f => 1,
            // U+0080..U+009F (C1 controls, NEL) are C2 80..C2 9F.
            0xc2 if matches!(bytes.get(i + 1), Some(0x80..=0x9f)) => 2,
            // U+2028, U+2029 (E2 80 A8/A9) and U+FFFE, U+FFFF (EF BF BE/BF).
            0xe2 if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) =>
            {
                3
            }
            0xef if bytes.get(i + 1) == Some(&0xbf)
                && matches!(bytes.get(i + 2), Some(0xbe | 0xbf)) =>
            {
                3
            }
            _ => 0,
        };
        if escape_len == 0 {
            i += 1;
            continue;
        }
        out.push_str(&text[run..i]);
        let c = text[i..].chars().next().unwrap_or('\u{fffd}');
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            // Controls, DEL, C1 (with NEL), the Unicode line and paragraph separators and
            // the non-characters are not printable in YAML, so they are escaped.
            c => {
                use std::fmt::Write as _;
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
        }
        i += escape_len;
        run = i;
    }
    out.push_str(&text[run..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SegmentId;
    use proptest::prelude::*;

    /// The obvious char-by-char escaper, to check the run-copying one against.
    fn reference_quoted(text: &str) -> String {
        let mut out = String::from("\"");
        for c in text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c if c < ' '
                    || ('\u{7f}'..='\u{9f}').contains(&c)
                    || matches!(c, '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}') =>
                {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    proptest! {
        #[test]
        fn quoting_copies_runs_and_escapes_what_yaml_cannot_print(
            text in "[a\"\\\n\t\r\u{0}\u{1b}\u{7f}\u{80}\u{85}\u{9f}\u{a0}\u{2028}\u{2029}\u{fffe}\u{ffff}\u{fffd}é😀]{0,30}"
        ) {
            let mut out = String::new();
            push_quoted(&mut out, &text);
            prop_assert_eq!(out, reference_quoted(&text));
        }
    }

    fn file_with(texts: Vec<String>) -> CodingFile {
        let segments = texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| Segment {
                id: SegmentId::random(),
                start: i,
                end: i + 1,
                codes: vec![CodeId::random(), CodeId::random()],
                text,
                created: jiff::Timestamp::from_second(1_700_000_000 + i as i64).unwrap(),
                updated: (i % 2 == 0).then(jiff::Timestamp::now),
            })
            .collect();
        CodingFile {
            transcript: TranscriptId::new("p01").unwrap(),
            coder: CoderId::new("alex").unwrap(),
            done: true,
            segments,
        }
    }

    #[test]
    fn coding_yaml_reads_back_the_same() {
        let texts = [
            "plain",
            "no",
            "- x: #y",
            "\"quoted\" and \\ back",
            "line\nbreak\r\n",
            "tab\there",
            "\u{1b}[31m\u{7f}\u{85}\u{9b}",
            "\u{2028}\u{2029}\u{feff}\u{fffe}",
            "医生 👩‍⚕️",
            "",
        ];
        let file = file_with(texts.iter().map(|s| s.to_string()).collect());
        let yaml = file.to_yaml();
        let back: CodingFile =
            crate::store::yaml::parse(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
        assert_eq!(back.segments, file.segments);
        assert!(back.done, "the done mark reads back");
        let empty = file_with(vec![]);
        let back: CodingFile = crate::store::yaml::parse(&empty.to_yaml()).unwrap();
        assert!(back.segments.is_empty());
    }

    proptest! {
        #[test]
        fn any_text_round_trips(texts in prop::collection::vec(any::<String>(), 0..5)) {
            let file = file_with(texts);
            let back: CodingFile = crate::store::yaml::parse(&file.to_yaml()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(back.segments, file.segments);
        }
    }
}
