//! The projects tests work on: sample-project (the repository's own, read in place or
//! copied into a temporary folder), and small projects built on disk from the parts a test
//! names (coders, attributes, transcripts, codes), on disk through the real store and
//! Workspace, or in memory through the same edits.

use std::path::{Path, PathBuf};
use thematic::model::transcript::sha256_hex;
use thematic::model::{
    AttributeDef, Code, CodeId, Coder, CoderId, Edit, Position, Project, ProjectMeta, Transcript,
    TranscriptId, TranscriptMeta,
};
use thematic::workspace::Workspace;

/// The repository's sample-project (read it in place; copy it to change it).
pub fn sample_project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-project")
}

/// The folder of fixture files, `tests/fixtures/<under>` (e.g. "import", "agreement").
pub fn fixtures(under: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(under)
}

/// Copies a project folder, leaving out its local `.thematic` folder (locks).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != ".thematic" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A copy of sample-project at `to`.
pub fn copy_sample(to: &Path) {
    copy_dir(&sample_project(), to);
}

/// A private copy of sample-project in a temporary folder of its own (removed when dropped).
pub fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_sample(dir.path());
    dir
}

/// A transcript of `text` with the `meta` given, its text's hash and length filled in (as
/// an import would).
pub fn transcript(id: &str, meta: TranscriptMeta, text: &str) -> Transcript {
    let meta = TranscriptMeta {
        sha256: sha256_hex(text),
        chars: text.chars().count(),
        ..meta
    };
    Transcript::new(TranscriptId::new(id).unwrap(), meta, text.to_string())
}

/// A small project made on disk: `thematic.yaml` with the coders and attributes given, then
/// each transcript and code added as an edit, as the first coder (whose lock is taken).
pub struct ProjectBuilder {
    meta: ProjectMeta,
    transcripts: Vec<Transcript>,
    codes: Vec<(Code, Option<CodeId>)>,
}

impl ProjectBuilder {
    pub fn new(name: &str) -> ProjectBuilder {
        ProjectBuilder {
            meta: ProjectMeta::new(name),
            transcripts: Vec::new(),
            codes: Vec::new(),
        }
    }

    /// A coder; the first one added is the one the project is built as.
    pub fn coder(mut self, id: &str, name: &str) -> ProjectBuilder {
        self.meta.coders.push(Coder {
            id: CoderId::new(id).unwrap(),
            name: name.into(),
        });
        self
    }

    /// A transcript attribute with its known values in order (none: free text).
    pub fn attribute(mut self, name: &str, values: &[&str]) -> ProjectBuilder {
        self.meta.attributes.push(AttributeDef {
            name: name.into(),
            description: String::new(),
            values: values.iter().map(|v| v.to_string()).collect(),
        });
        self
    }

    pub fn transcript(mut self, transcript: Transcript) -> ProjectBuilder {
        self.transcripts.push(transcript);
        self
    }

    /// A code, last among `parent`'s children (the top level for `None`); codes are added
    /// in the order given, so a parent comes before its children.
    pub fn code(mut self, code: Code, parent: Option<&CodeId>) -> ProjectBuilder {
        self.codes.push((code, parent.cloned()));
        self
    }

    /// Creates the project in `dir` (which must not hold one) and opens it.
    pub fn create(self, dir: &Path) -> Workspace {
        let builder = self.meta.coders.first().map(|c| c.id.clone());
        let loaded = thematic::store::create(dir, self.meta).unwrap();
        let mut ws = Workspace::from_loaded(loaded.project, loaded.store);
        if let Some(coder) = builder {
            ws.store_mut().lock_coder(&coder).unwrap();
        }
        for transcript in self.transcripts {
            ws.apply(Edit::AddTranscript(Box::new(transcript))).unwrap();
        }
        for (code, parent) in self.codes {
            let at = last_child_of(ws.project(), parent);
            ws.apply(Edit::AddCode { code, at }).unwrap();
        }
        ws
    }

    /// The project in memory only, the same edits applied to it.
    pub fn build(self) -> Project {
        let mut project = Project::new(self.meta);
        for transcript in self.transcripts {
            Edit::AddTranscript(Box::new(transcript))
                .apply(&mut project)
                .unwrap();
        }
        for (code, parent) in self.codes {
            let at = last_child_of(&project, parent);
            Edit::AddCode { code, at }.apply(&mut project).unwrap();
        }
        project
    }
}

/// The place after `parent`'s last child (the top level's, for `None`).
fn last_child_of(project: &Project, parent: Option<CodeId>) -> Position {
    let index = project.codebook.children(parent.as_ref()).len();
    Position { parent, index }
}
