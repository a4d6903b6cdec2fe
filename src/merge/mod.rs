//! The structural three-way merge of thematic's files, used by git as a merge driver
//! (`thematic merge-file BASE MINE THEIRS PATH`). Each file is parsed as what it holds,
//! merged by ids ([`value`], [`codebook`]) and written back exactly as thematic writes it,
//! so parallel work by several coders merges without textual conflicts, whatever lines
//! it touched.
//!
//! What cannot merge (both renamed one code differently, both rewrote one definition) is a
//! [`Clash`]: the merged file then holds this side's value, so it stays valid, and a
//! [`ConflictRecord`] kept in the project's local folder says, in researcher terms, what the
//! two sides did and lets `thematic resolve` settle it by re-running the merge with a choice.

pub mod codebook;
pub mod value;

use crate::model::audit::AuditTrail;
use crate::model::{Memo, MemoReview, ProjectMeta, TranscriptMeta};
use crate::store::files::{CodebookFile, CodingFile};
use crate::store::yaml;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::Value;
use std::path::{Path, PathBuf};
pub use value::{Choices, Clash, Side};

/// Which of thematic's files a path is, from its place in the project folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    Project,
    Codebook,
    TranscriptMeta,
    Coding,
    Memo,
    Review,
    Audit,
}

impl FileKind {
    /// The kind of the file at `path` (relative to the project or to the repository), if it
    /// is one of thematic's YAML files.
    pub fn of(path: &Path) -> Option<FileKind> {
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            return None;
        }
        let parts: Vec<&str> = path.iter().filter_map(|p| p.to_str()).collect();
        let n = parts.len();
        let up = |k: usize| (n > k).then(|| parts[n - 1 - k]);
        match (parts[n - 1], up(1), up(2)) {
            ("thematic.yaml", _, _) => Some(FileKind::Project),
            ("codebook.yaml", _, _) => Some(FileKind::Codebook),
            (_, Some("transcripts"), _) => Some(FileKind::TranscriptMeta),
            (_, Some("audit"), _) => Some(FileKind::Audit),
            (_, _, Some("codings")) => Some(FileKind::Coding),
            (_, _, Some("memos")) => Some(FileKind::Memo),
            (_, _, Some("reviews")) => Some(FileKind::Review),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("the {side} version cannot be read as {kind:?}: {message}")]
    Unreadable {
        side: &'static str,
        kind: FileKind,
        message: String,
    },
    #[error("the merged result is not a valid file: {0}")]
    Invalid(String),
}

/// A merge's result: the file's new content and the clashes met (settled or not).
#[derive(Debug)]
pub struct Merged {
    pub text: String,
    pub clashes: Vec<Clash>,
    /// Adjustments made without a clash (a code renamed "Name (2)"), to tell the user.
    pub notes: Vec<String>,
}

impl Merged {
    pub fn unsettled(&self) -> usize {
        self.clashes.iter().filter(|c| c.chosen.is_none()).count()
    }
}

/// Merges three versions of a file of `kind`. An empty base means the file did not exist
/// there (added on both sides).
pub fn merge_texts(
    kind: FileKind,
    base: &str,
    mine: &str,
    theirs: &str,
    choices: &Choices,
) -> Result<Merged, MergeError> {
    match kind {
        FileKind::Project => merge_typed::<ProjectMeta>(kind, base, mine, theirs, choices),
        FileKind::TranscriptMeta => {
            merge_typed::<TranscriptMeta>(kind, base, mine, theirs, choices)
        }
        FileKind::Coding => merge_typed::<CodingFile>(kind, base, mine, theirs, choices),
        FileKind::Memo => merge_typed::<Memo>(kind, base, mine, theirs, choices),
        FileKind::Review => merge_typed::<MemoReview>(kind, base, mine, theirs, choices),
        FileKind::Audit => merge_typed::<AuditTrail>(kind, base, mine, theirs, choices),
        FileKind::Codebook => merge_codebook(base, mine, theirs, choices),
    }
}

/// A file's value as JSON, read as its type (so a damaged file is refused, not merged).
fn read_as<T: DeserializeOwned + Serialize>(
    kind: FileKind,
    side: &'static str,
    text: &str,
) -> Result<Option<Value>, MergeError> {
    if side == "base" && text.trim().is_empty() {
        return Ok(None);
    }
    let unreadable = |message: String| MergeError::Unreadable {
        side,
        kind,
        message,
    };
    let typed: T = yaml::parse(text).map_err(|e| unreadable(e.to_string()))?;
    serde_json::to_value(&typed)
        .map(Some)
        .map_err(|e| unreadable(e.to_string()))
}

fn merge_typed<T: DeserializeOwned + Serialize + Written>(
    kind: FileKind,
    base: &str,
    mine: &str,
    theirs: &str,
    choices: &Choices,
) -> Result<Merged, MergeError> {
    let b = read_as::<T>(kind, "base", base)?;
    let m = read_as::<T>(kind, "mine", mine)?;
    let t = read_as::<T>(kind, "theirs", theirs)?;
    let mut merger = value::Merger::new(choices);
    let merged = merger.merge(&[], b.as_ref(), m.as_ref(), t.as_ref());
    let mut clashes = merger.clashes;
    let context = Context::of(kind, m.as_ref().or(t.as_ref()));
    for clash in &mut clashes {
        clash.what = context.describe(clash);
    }
    // Unchanged bytes where the result is one side's: hand-written comments survive.
    let text = if merged == m {
        mine.to_string()
    } else if merged == t {
        theirs.to_string()
    } else {
        let value = merged.unwrap_or(Value::Null);
        let typed: T =
            serde_json::from_value(value).map_err(|e| MergeError::Invalid(e.to_string()))?;
        with_both_sides_comments(typed.written()?, mine, theirs)
    };
    Ok(Merged {
        text,
        clashes,
        notes: Vec::new(),
    })
}

/// A merged file written anew keeps the hand-written comments of both sides, attached to the
/// code or key they stood above, as the store keeps them through its own rewrites.
fn with_both_sides_comments(written: String, mine: &str, theirs: &str) -> String {
    use crate::store::comments::Comments;
    Comments::of(mine)
        .with(Comments::of(theirs))
        .apply(&written)
}

fn merge_codebook(
    base: &str,
    mine: &str,
    theirs: &str,
    choices: &Choices,
) -> Result<Merged, MergeError> {
    let kind = FileKind::Codebook;
    let read = |side, text| {
        read_as::<CodebookFile>(kind, side, text).map(|v| v.map(|v| codebook::Flat::of(&v)))
    };
    let b = read("base", base)?.unwrap_or_default();
    let m = read("mine", mine)?.unwrap_or_default();
    let t = read("theirs", theirs)?.unwrap_or_default();
    let mut merger = value::Merger::new(choices);
    let outcome = codebook::merge(&b, &m, &t, &mut merger);
    let same_as = |text: &str| {
        read_as::<CodebookFile>(kind, "mine", text)
            .ok()
            .flatten()
            .is_some_and(|v| v == outcome.file)
    };
    let text = if same_as(mine) {
        mine.to_string()
    } else if same_as(theirs) {
        theirs.to_string()
    } else {
        let typed: CodebookFile = serde_json::from_value(outcome.file.clone())
            .map_err(|e| MergeError::Invalid(e.to_string()))?;
        let (book, problems) = typed.into_codebook();
        if let Some(problem) = problems.into_iter().next() {
            return Err(MergeError::Invalid(problem));
        }
        with_both_sides_comments(
            serde_written(&CodebookFile::from_codebook(&book))?,
            mine,
            theirs,
        )
    };
    Ok(Merged {
        text,
        clashes: merger.clashes,
        notes: outcome.notes,
    })
}

/// The bytes thematic writes for a value (the same functions the store uses): its YAML,
/// unless the kind has a writer of its own.
trait Written: Serialize + Sized {
    fn written(&self) -> Result<String, MergeError> {
        serde_written(self)
    }
}

fn serde_written<T: Serialize>(value: &T) -> Result<String, MergeError> {
    yaml::to_string(value).map_err(|e| MergeError::Invalid(e.to_string()))
}

impl Written for ProjectMeta {}
impl Written for TranscriptMeta {}
impl Written for Memo {}
impl Written for MemoReview {}
impl Written for AuditTrail {}
impl Written for CodingFile {
    fn written(&self) -> Result<String, MergeError> {
        Ok(self.to_yaml())
    }
}

/// What the describer of a clash needs to know about the file.
struct Context {
    kind: FileKind,
    /// The memo's title, or the coding file's coder and transcript.
    title: String,
}

impl Context {
    fn of(kind: FileKind, value: Option<&Value>) -> Context {
        let field = |k: &str| {
            value
                .and_then(|v| v.get(k))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let title = match kind {
            FileKind::Memo => format!("the memo {:?}", field("title")),
            FileKind::Coding => format!("{}'s coding of {}", field("coder"), field("transcript")),
            FileKind::Review => format!("{}'s review of memo {}", field("reviewer"), field("memo")),
            FileKind::Audit => format!("{}'s audit trail", field("coder")),
            FileKind::TranscriptMeta => "the transcript's details".to_string(),
            FileKind::Project | FileKind::Codebook => "the project settings".to_string(),
        };
        Context { kind, title }
    }

    fn describe(&self, clash: &Clash) -> String {
        let show = |v: &Option<Value>| match v {
            None => "removed it".to_string(),
            Some(Value::String(s)) => format!("made it {s:?}"),
            Some(other) => {
                let text = other.to_string();
                let short: String = text.chars().take(57).collect();
                if short.len() < text.len() {
                    format!("made it {short}...")
                } else {
                    format!("made it {text}")
                }
            }
        };
        let what = match (self.kind, clash.at.as_slice()) {
            (FileKind::Coding, [s, id]) if s == "segments" => format!("segment {id}"),
            (FileKind::Coding, [s, id, field]) if s == "segments" => {
                format!("the {field} of segment {id}")
            }
            (FileKind::Coding, [field]) if field == "done" => "the done mark".to_string(),
            (_, []) => "the whole file".to_string(),
            (_, path) => format!("`{}`", path.join(".")),
        };
        format!(
            "in {}, {{mine}} and {{theirs}} both changed {what}: {{mine}} {}; {{theirs}} {}",
            self.title,
            show(&clash.mine),
            show(&clash.theirs)
        )
    }
}

/// What a conflicted merge leaves behind in `.thematic/conflicts/`, so that `check` can
/// explain it and `resolve` settle it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConflictRecord {
    /// The file, relative to the project folder.
    pub path: PathBuf,
    pub kind: FileKind,
    pub base: String,
    pub mine: String,
    pub theirs: String,
    pub clashes: Vec<Clash>,
    /// Who made this side's changes, when known (`thematic sync` knows).
    #[serde(default)]
    pub mine_name: Option<String>,
    /// Who made the incoming changes, when known.
    #[serde(default)]
    pub theirs_name: Option<String>,
}

impl ConflictRecord {
    /// The two sides' names for explanations.
    pub fn names(&self) -> (String, String) {
        (
            self.mine_name.clone().unwrap_or_else(|| "you".into()),
            self.theirs_name
                .clone()
                .unwrap_or_else(|| "the other side".into()),
        )
    }
}

/// Where the record of a conflict in `path` (relative to the project) is kept.
pub fn record_path(project_root: &Path, path: &Path) -> PathBuf {
    project_root
        .join(crate::store::lock::LOCAL_DIR)
        .join("conflicts")
        .join(path)
}

/// Every conflict record of the project, in path order.
pub fn records(project_root: &Path) -> Vec<ConflictRecord> {
    let dir = project_root
        .join(crate::store::lock::LOCAL_DIR)
        .join("conflicts");
    let mut found = Vec::new();
    collect(&dir, &mut found);
    found.sort();
    found
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            serde_json::from_str::<ConflictRecord>(&text).ok()
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => collect(&path, out),
            Ok(t) if t.is_file() => out.push(path),
            _ => {}
        }
    }
}

/// A clash's explanation with the two sides named.
pub fn explain(clash: &Clash, mine: &str, theirs: &str) -> String {
    clash
        .what
        .replace("{mine}", mine)
        .replace("{theirs}", theirs)
}

/// The line (1-based) of the first git conflict marker in `text`, if there is one.
pub fn conflict_marker_line(text: &str) -> Option<u64> {
    text.lines()
        .position(|line| line.starts_with("<<<<<<< ") || line == "<<<<<<<")
        .map(|i| i as u64 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merge_written_anew_keeps_both_sides_hand_comments() {
        let base = "format: 1\nname: Study\ncoders:\n- id: alex\n  name: Alex\n";
        // Each side adds a coder and a comment of its own.
        let mine = "format: 1\n# agreed at the team meeting\nname: Study\ncoders:\n- id: alex\n  name: Alex\n- id: kim\n  name: Kim\n";
        let theirs = "format: 1\nname: Study\ncoders:\n# joined in May\n- id: alex\n  name: Alex\n- id: lee\n  name: Lee\n";
        let merged =
            merge_texts(FileKind::Project, base, mine, theirs, &Choices::default()).unwrap();
        assert_eq!(merged.unsettled(), 0);
        assert!(
            merged.text.contains("- id: kim") && merged.text.contains("- id: lee"),
            "{}",
            merged.text
        );
        assert!(
            merged
                .text
                .contains("# agreed at the team meeting\nname: Study"),
            "{}",
            merged.text
        );
        assert!(
            merged.text.contains("# joined in May\n- id: alex"),
            "{}",
            merged.text
        );
    }

    #[test]
    fn kinds_come_from_the_place_in_the_project() {
        let kind = |p: &str| FileKind::of(Path::new(p));
        assert_eq!(kind("study/thematic.yaml"), Some(FileKind::Project));
        assert_eq!(kind("codebook.yaml"), Some(FileKind::Codebook));
        assert_eq!(kind("codings/alex/p01.yaml"), Some(FileKind::Coding));
        assert_eq!(kind("x/memos/alex/m-1.yaml"), Some(FileKind::Memo));
        assert_eq!(kind("reviews/sam/m-1.yaml"), Some(FileKind::Review));
        assert_eq!(kind("audit/sam.yaml"), Some(FileKind::Audit));
        assert_eq!(kind("transcripts/p01.yaml"), Some(FileKind::TranscriptMeta));
        assert_eq!(kind("transcripts/p01.txt"), None);
    }
}
