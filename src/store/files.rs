//! The on-disk shapes of the project's files, and where each file lives.

use crate::model::{
    Code, CodeId, Codebook, CoderId, Colour, FileKey, Level, Position, Project, Segment,
    TranscriptId,
};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

pub const PROJECT_FILE: &str = "thematic.yaml";
pub const CODEBOOK_FILE: &str = "codebook.yaml";
pub const TRANSCRIPTS_DIR: &str = "transcripts";
pub const CODINGS_DIR: &str = "codings";
pub const MEMOS_DIR: &str = "memos";

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
    #[serde(default)]
    pub segments: Vec<Segment>,
}

impl CodingFile {
    pub fn of(project: &Project, coder: &CoderId, transcript: &TranscriptId) -> CodingFile {
        CodingFile {
            transcript: transcript.clone(),
            coder: coder.clone(),
            segments: project.segments(coder, transcript).to_vec(),
        }
    }
}
