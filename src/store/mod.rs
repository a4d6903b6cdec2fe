//! The project folder on disk: loading it (tolerating and reporting damaged files), writing
//! exactly the files an edit touched (atomically), the per-coder lock, and `check`.
//!
//! Safety rules, enforced here rather than by callers:
//! - a file that could not be read faithfully when the project was opened is *blocked*: the
//!   store never overwrites or deletes it, so a parse error can never turn into lost work;
//! - a file changed on disk by someone else since it was read is not overwritten either;
//! - a coder's own files (`codings/<coder>/`, `memos/<coder>/`) are written only while that
//!   coder's lock is held.

pub mod atomic;
pub mod check;
pub mod coding_reader;
pub mod comments;
pub mod drift;
pub mod files;
pub mod load;
pub mod load_first;
pub mod lock;
pub mod output;
pub mod read_marks;
pub mod recovery;
pub mod safe;
pub mod ui_state;
pub mod yaml;

use crate::model::{CoderId, FileKey, Project, ProjectMeta, Touched};
use atomic::Stamp;
use files::{CodebookFile, relative_path};
use lock::{CoderLock, LockError};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

pub use load::{Loaded, load};

/// Largest transcript text file the store will read.
pub const MAX_TEXT_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// Something wrong with one file, with where in the file when that is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Relative to the project root.
    pub path: PathBuf,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    pub severity: Severity,
    pub message: String,
}

impl Problem {
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Problem {
        Problem {
            path: path.into(),
            line: None,
            column: None,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(path, message)
        }
    }

    pub fn at(mut self, line: Option<u64>, column: Option<u64>) -> Problem {
        self.line = line;
        self.column = column;
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        let severity = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, ": {severity}: {}", self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} does not exist")]
    NotFound(PathBuf),
    #[error("{0} is not a thematic project (no {PROJECT_FILE}); create one with `thematic new`", PROJECT_FILE = files::PROJECT_FILE)]
    NotAProject(PathBuf),
    #[error("{0} already exists and is not empty")]
    NotEmpty(PathBuf),
    #[error("{problem}")]
    Unreadable { problem: Problem },
    #[error("{path}: written by a newer thematic (format {found}; this build reads format {supported}); upgrade thematic", path = path.display())]
    FutureFormat {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("{path}: {source}", path = path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path} could not be read when the project was opened, so it is not overwritten; fix the file and reopen the project", path = path.display())]
    Blocked { path: PathBuf },
    #[error("{path} was changed by someone else since it was read; reopen the project to see the change (nothing was written)", path = path.display())]
    ChangedOnDisk { path: PathBuf },
    #[error("{path} belongs to coder {owner}; this session may write only the files of coder {session}", path = path.display(), session = session.as_ref().map_or("(none)", |c| c.as_str()))]
    NotYourFile {
        path: PathBuf,
        owner: CoderId,
        session: Option<CoderId>,
    },
    #[error("the project is open read-only")]
    ReadOnly,
    /// The first phase of a two-phase opening is all that is read yet (see [`load_first`]).
    #[error("the project is still being opened; nothing is written until all of it is read")]
    StillOpening,
    /// A link or a non-regular file on the way to a project file: nothing is written through it.
    #[error("{message}; nothing was written")]
    NotFollowed { path: PathBuf, message: String },
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error("{path}: {message}", path = path.display())]
    Serialize { path: PathBuf, message: String },
}

impl StoreError {
    fn io(path: &Path, source: io::Error) -> StoreError {
        StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The open project folder.
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
    /// What each file looked like when last read or written, by relative path.
    stamps: HashMap<PathBuf, Stamp>,
    /// Files that must not be written (see the module documentation).
    blocked: BTreeSet<PathBuf>,
    lock: Option<CoderLock>,
    read_only: bool,
    /// Only the first phase of a two-phase opening has been read (see [`load_first`]):
    /// nothing is written until the whole project is, since the model is partial.
    opening: bool,
    /// Hand-written comments put back into `codebook.yaml` and `thematic.yaml` on rewrites.
    comments: HashMap<PathBuf, comments::Comments>,
}

impl Store {
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn set_read_only(&mut self) {
        self.read_only = true;
    }

    /// Whether only the first phase of a two-phase opening is read (nothing may be written).
    pub fn is_opening(&self) -> bool {
        self.opening
    }

    /// Takes over what the full load `full` of the same folder read (what each file looked
    /// like, the blocked files, the kept comments), keeping this session's lock and
    /// read-only choice: the end of a two-phase opening. Writing is allowed from then on.
    pub fn adopt_full_load(&mut self, full: Store) {
        self.stamps = full.stamps;
        self.blocked = full.blocked;
        self.comments = full.comments;
        self.opening = false;
    }

    /// The coder whose files this session may write.
    pub fn coder(&self) -> Option<&CoderId> {
        self.lock.as_ref().map(CoderLock::coder)
    }

    pub fn blocked(&self) -> impl Iterator<Item = &PathBuf> {
        self.blocked.iter()
    }

    /// Takes `coder`'s lock, so this session may write that coder's files.
    pub fn lock_coder(&mut self, coder: &CoderId) -> Result<(), StoreError> {
        self.lock = Some(CoderLock::acquire(&self.root, coder)?);
        Ok(())
    }

    /// Writes (or removes) exactly the files in `touched`, after checking that every one of
    /// them may be written, so that a refusal leaves the folder untouched.
    ///
    /// Files of coders other than this session's (a merge reaches every coder's segments)
    /// are written under those coders' locks, taken for the moment of writing; if another
    /// instance holds one, nothing is written.
    pub fn persist(&mut self, project: &Project, touched: &Touched) -> Result<(), StoreError> {
        let mut borrowed = Vec::new();
        for key in touched {
            if let FileKey::Coding(owner, _) | FileKey::Memo(owner, _) | FileKey::Review(owner, _) =
                key
                && self.coder() != Some(owner)
                && !self.read_only
                && !borrowed.iter().any(|l: &CoderLock| l.coder() == owner)
            {
                borrowed.push(CoderLock::acquire(&self.root, owner)?);
            }
        }
        for key in touched {
            self.check_writable(key, &borrowed)?;
        }
        for key in touched {
            self.write_file(project, key)?;
        }
        Ok(())
    }

    /// Writes every file of the project (used when creating or importing a whole project).
    pub fn persist_all(&mut self, project: &Project) -> Result<(), StoreError> {
        self.persist(project, &all_files(project))
    }

    fn check_writable(&self, key: &FileKey, borrowed: &[CoderLock]) -> Result<(), StoreError> {
        let rel = relative_path(key);
        if self.opening {
            return Err(StoreError::StillOpening);
        }
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        if self.blocked.contains(&rel) {
            return Err(StoreError::Blocked { path: rel });
        }
        if let Some(message) = safe::first_refused(&self.root, &rel) {
            return Err(StoreError::NotFollowed { path: rel, message });
        }
        if let FileKey::Coding(owner, _)
        | FileKey::Memo(owner, _)
        | FileKey::Review(owner, _)
        | FileKey::Audit(owner) = key
            && self.coder() != Some(owner)
            && !borrowed.iter().any(|l| l.coder() == owner)
        {
            return Err(StoreError::NotYourFile {
                path: rel,
                owner: owner.clone(),
                session: self.coder().cloned(),
            });
        }
        let path = self.root.join(&rel);
        let on_disk = Stamp::of(&path).map_err(|e| StoreError::io(&rel, e))?;
        let unchanged = match (self.stamps.get(&rel), on_disk) {
            (None, None) => true,
            (Some(known), Some(now)) => known.still_matches(&now, &path),
            _ => false,
        };
        if !unchanged {
            return Err(StoreError::ChangedOnDisk { path: rel });
        }
        Ok(())
    }

    fn write_file(&mut self, project: &Project, key: &FileKey) -> Result<(), StoreError> {
        let rel = relative_path(key);
        let path = self.root.join(&rel);
        let content = self.content_to_write(project, key, &rel)?;
        if content.is_some() {
            safe::prepare_write(&self.root, &rel).map_err(|message| StoreError::NotFollowed {
                path: rel.clone(),
                message,
            })?;
        }
        let written = match &content {
            Some(bytes) => atomic::write_atomic_with_mode(&path, bytes, self.mode_for_new(&rel)),
            None => atomic::remove_durably(&path),
        };
        if let Err(e) = written {
            // If the new content did reach the file (the rename, not the folder's fsync,
            // failed), record its stamp, or a retry would take it for someone else's change.
            let on_disk = std::fs::read(&path).ok();
            if let Some(bytes) = &content
                && on_disk.as_deref() == Some(bytes.as_slice())
                && let Ok(Some(stamp)) = Stamp::of(&path)
            {
                self.stamps.insert(rel.clone(), stamp.with_content(bytes));
            }
            return Err(StoreError::io(&rel, e));
        }
        match Stamp::of(&path).map_err(|e| StoreError::io(&rel, e))? {
            Some(stamp) => match &content {
                Some(bytes) => self.stamps.insert(rel, stamp.with_content(bytes)),
                None => self.stamps.insert(rel, stamp),
            },
            None => self.stamps.remove(&rel),
        };
        Ok(())
    }
}

impl Store {
    /// The unsaved `files` of `project` as a recovery: the content each should hold and the
    /// hash of what was read, so restoring never overwrites a later change.
    pub fn recovery_of(&self, project: &Project, files: &Touched) -> recovery::Recovery {
        let root = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        let files = files
            .iter()
            .filter_map(|key| {
                let rel = relative_path(key);
                let content = self.content_to_write(project, key, &rel).ok()?;
                Some(recovery::RecoveredFile {
                    base: self.stamps.get(&rel).and_then(Stamp::content),
                    path: rel,
                    content: content.map(|b| String::from_utf8_lossy(&b).into_owned()),
                })
            })
            .collect();
        recovery::Recovery {
            project: root,
            coder: self.coder().map(|c| c.to_string()),
            written: jiff::Timestamp::now().to_string(),
            files,
        }
    }

    /// The bytes `key`'s file should hold, with its hand-written comments put back.
    fn content_to_write(
        &self,
        project: &Project,
        key: &FileKey,
        rel: &Path,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let content = file_content(project, key, rel)?;
        Ok(match (content, self.comments.get(rel)) {
            (Some(bytes), Some(comments)) => Some(
                comments
                    .apply(&String::from_utf8_lossy(&bytes))
                    .into_bytes(),
            ),
            (content, _) => content,
        })
    }

    /// The mode a new file at `rel` takes: that of a file of its kind (same folder and
    /// extension, else the same kind in another coder's folder), else that of
    /// `thematic.yaml`, so a project restricted once stays restricted. `None` when the
    /// file exists (it keeps its own) or nothing is known.
    fn mode_for_new(&self, rel: &Path) -> Option<u32> {
        use std::os::unix::fs::PermissionsExt;
        let path = self.root.join(rel);
        if std::fs::symlink_metadata(&path).is_ok() {
            return None;
        }
        let extension = rel.extension();
        let regular_mode = |dir: &Path| {
            std::fs::read_dir(dir).ok()?.flatten().find_map(|entry| {
                let name = entry.path();
                let meta = entry.metadata().ok()?;
                (meta.is_file() && name.extension() == extension && !is_hidden(&name))
                    .then(|| meta.permissions().mode() & 0o777)
            })
        };
        let parent = path.parent()?;
        regular_mode(parent)
            .or_else(|| {
                // codings/<coder>/x.yaml: another coder's folder of the same kind.
                let kind_dir = parent.parent().filter(|_| rel.components().count() == 3)?;
                std::fs::read_dir(kind_dir)
                    .ok()?
                    .flatten()
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                    .find_map(|e| regular_mode(&e.path()))
            })
            .or_else(|| {
                let meta = std::fs::symlink_metadata(self.root.join(files::PROJECT_FILE)).ok()?;
                meta.is_file().then(|| meta.permissions().mode() & 0o777)
            })
    }
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// The bytes a file should hold, or `None` if it should not exist.
fn file_content(
    project: &Project,
    key: &FileKey,
    rel: &Path,
) -> Result<Option<Vec<u8>>, StoreError> {
    let to_yaml = |value: &dyn erased::Yaml| {
        value.yaml().map_err(|message| StoreError::Serialize {
            path: rel.to_path_buf(),
            message,
        })
    };
    let bytes = match key {
        FileKey::Project => Some(to_yaml(&project.meta)?),
        FileKey::Codebook => Some(to_yaml(&CodebookFile::from_codebook(&project.codebook))?),
        FileKey::TranscriptText(id) => project.transcript(id).map(|t| t.text().as_bytes().to_vec()),
        FileKey::TranscriptMeta(id) => match project.transcript(id) {
            Some(t) => Some(to_yaml(&t.meta)?),
            None => None,
        },
        FileKey::Coding(coder, transcript) => {
            if project.segments(coder, transcript).is_empty() && !project.is_done(coder, transcript)
            {
                None
            } else {
                Some(
                    files::coding_yaml(
                        transcript,
                        coder,
                        project.is_done(coder, transcript),
                        project.segments(coder, transcript),
                    )
                    .into_bytes(),
                )
            }
        }
        FileKey::Memo(_, id) => match project.memo(id) {
            Some(memo) => Some(to_yaml(memo)?),
            None => None,
        },
        FileKey::Review(reviewer, memo) => match project.review(reviewer, memo) {
            Some(review) => Some(to_yaml(review)?),
            None => None,
        },
        FileKey::Audit(coder) => match project.audit.get(coder) {
            Some(entries) if !entries.is_empty() => {
                Some(to_yaml(&crate::model::audit::AuditTrail {
                    coder: coder.clone(),
                    entries: entries.clone(),
                })?)
            }
            _ => None,
        },
    };
    Ok(bytes)
}

/// Serialising through one function keeps `file_content` short.
mod erased {
    pub trait Yaml {
        fn yaml(&self) -> Result<Vec<u8>, String>;
    }
    impl<T: serde::Serialize> Yaml for T {
        fn yaml(&self) -> Result<Vec<u8>, String> {
            super::yaml::to_string(self)
                .map(String::into_bytes)
                .map_err(|e| e.to_string())
        }
    }
}

/// Every file a project consists of.
pub fn all_files(project: &Project) -> Touched {
    let mut keys = Touched::new();
    keys.insert(FileKey::Project);
    keys.insert(FileKey::Codebook);
    for t in project.transcripts_in_order() {
        keys.insert(FileKey::TranscriptText(t.id.clone()));
        keys.insert(FileKey::TranscriptMeta(t.id.clone()));
    }
    for (coder, transcript) in &project.done {
        keys.insert(FileKey::Coding(coder.clone(), transcript.clone()));
    }
    for (coder, by_transcript) in project.codings() {
        for transcript in by_transcript.keys() {
            keys.insert(FileKey::Coding(coder.clone(), transcript.clone()));
        }
    }
    for memo in project.memos() {
        keys.insert(FileKey::Memo(memo.author.clone(), memo.id.clone()));
    }
    for review in project.reviews() {
        keys.insert(FileKey::Review(
            review.reviewer.clone(),
            review.memo.clone(),
        ));
    }
    keys
}

/// Creates a new, empty project folder at `root` (which may exist if empty).
pub fn create(root: &Path, meta: ProjectMeta) -> Result<Loaded, StoreError> {
    if root.exists() {
        let mut entries = std::fs::read_dir(root).map_err(|e| StoreError::io(root, e))?;
        if entries.next().is_some() {
            return Err(StoreError::NotEmpty(root.to_path_buf()));
        }
    }
    for dir in [files::TRANSCRIPTS_DIR, files::CODINGS_DIR, files::MEMOS_DIR] {
        std::fs::create_dir_all(root.join(dir)).map_err(|e| StoreError::io(&root.join(dir), e))?;
    }
    atomic::write_atomic(
        &root.join(".gitignore"),
        format!("{}/\n", lock::LOCAL_DIR).as_bytes(),
    )
    .map_err(|e| StoreError::io(Path::new(".gitignore"), e))?;
    let project = Project::new(meta);
    let mut store = Store {
        root: root.to_path_buf(),
        stamps: HashMap::new(),
        blocked: BTreeSet::new(),
        lock: None,
        read_only: false,
        opening: false,
        comments: HashMap::new(),
    };
    store.persist(
        &project,
        &[FileKey::Project, FileKey::Codebook].into_iter().collect(),
    )?;
    Ok(Loaded {
        project,
        store,
        problems: Vec::new(),
    })
}
