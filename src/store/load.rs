//! Reading a project folder. Only a missing or unreadable `thematic.yaml` stops the load; any
//! other damaged file is reported as a [`Problem`], left out, and blocked from being written.

use super::atomic::{Stamp, is_temp_name};
use super::comments::{Comments, first_comment_line};
use super::files::REVIEWS_DIR;
use super::files::{
    CODEBOOK_FILE, CODINGS_DIR, CodebookFile, CodingFile, MEMOS_DIR, PROJECT_FILE, TRANSCRIPTS_DIR,
    VersionProbe,
};
use super::yaml;
use super::{MAX_TEXT_BYTES, Problem, Store, StoreError};
use crate::model::coding::sort_segments;
use crate::model::{
    CoderId, FORMAT_VERSION, Memo, MemoId, Project, ProjectMeta, Transcript, TranscriptId,
    TranscriptMeta,
};
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

/// A loaded project, the store to write it back through, and what was wrong on the way.
#[derive(Debug)]
pub struct Loaded {
    pub project: Project,
    pub store: Store,
    pub problems: Vec<Problem>,
}

pub(super) struct Reader {
    pub(super) root: PathBuf,
    stamps: HashMap<PathBuf, Stamp>,
    blocked: BTreeSet<PathBuf>,
    problems: Vec<Problem>,
    /// Links and non-regular files found while listing: reported once, never read.
    refused: BTreeSet<PathBuf>,
    /// Hand-written comments of the files whose comments are kept.
    comments: HashMap<PathBuf, Comments>,
}

/// Loads the project at `root`.
pub fn load(root: &Path) -> Result<Loaded, StoreError> {
    let mut reader = Reader::new(root)?;
    let meta = reader.read_meta()?;
    let mut project = Project::new(meta);
    reader.read_codebook(&mut project);
    reader.read_transcripts(&mut project);
    reader.read_codings(&mut project);
    reader.read_memos(&mut project);
    reader.read_reviews(&mut project);
    reader.read_audit(&mut project);
    Ok(reader.finish(project))
}

impl Reader {
    /// A reader of the project at `root`, which must hold a `thematic.yaml`.
    pub(super) fn new(root: &Path) -> Result<Reader, StoreError> {
        if !root.exists() {
            return Err(StoreError::NotFound(root.to_path_buf()));
        }
        if !root.join(PROJECT_FILE).is_file() {
            return Err(StoreError::NotAProject(root.to_path_buf()));
        }
        Ok(Reader {
            root: root.to_path_buf(),
            stamps: HashMap::new(),
            blocked: BTreeSet::new(),
            problems: Vec::new(),
            refused: BTreeSet::new(),
            comments: HashMap::new(),
        })
    }

    /// The project read, with the store that writes it back and the problems found.
    pub(super) fn finish(self, project: Project) -> Loaded {
        let store = Store {
            root: self.root,
            stamps: self.stamps,
            blocked: self.blocked,
            lock: None,
            read_only: false,
            opening: false,
            comments: self.comments,
        };
        Loaded {
            project,
            store,
            problems: self.problems,
        }
    }

    /// What was found wrong so far.
    pub(super) fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Reads a file as UTF-8 text, remembering its stamp. On failure, reports and blocks it.
    fn read_text(&mut self, rel: &Path, limit: u64) -> Option<String> {
        let (stamp, text) = read_file(&self.root, rel, limit);
        self.keep(rel, stamp, text)
    }

    /// Records what reading a file gave: its stamp when it was read, or its problem (and
    /// then the file is blocked).
    pub(super) fn keep<T>(
        &mut self,
        rel: &Path,
        stamp: Option<Stamp>,
        result: Result<T, Problem>,
    ) -> Option<T> {
        match result {
            Ok(value) => {
                if let Some(stamp) = stamp {
                    self.stamps.insert(rel.to_path_buf(), stamp);
                }
                Some(value)
            }
            Err(problem) => {
                // A file that parsed badly was still read: remember it was there.
                if let Some(stamp) = stamp {
                    self.stamps.insert(rel.to_path_buf(), stamp);
                }
                self.problems.push(problem);
                self.blocked.insert(rel.to_path_buf());
                None
            }
        }
    }

    fn fail<T>(&mut self, rel: &Path, message: String) -> Option<T> {
        self.problems.push(Problem::error(rel, message));
        self.blocked.insert(rel.to_path_buf());
        None
    }

    /// Parses YAML text; on failure reports the problem and blocks the file.
    fn parse_or_report<T: DeserializeOwned>(&mut self, rel: &Path, text: &str) -> Option<T> {
        match yaml::parse(text) {
            Ok(value) => Some(value),
            Err(e) => {
                self.problems
                    .push(Problem::error(rel, e.message.clone()).at(e.line, e.column));
                self.blocked.insert(rel.to_path_buf());
                None
            }
        }
    }

    fn read_yaml<T: DeserializeOwned>(&mut self, rel: &Path) -> Option<T> {
        let text = self.read_text(rel, yaml::MAX_YAML_BYTES as u64)?;
        self.warn_of_comments(rel, &text);
        self.parse_or_report(rel, &text)
    }

    /// Comments in a file whose comments thematic does not keep: said before they are lost.
    fn warn_of_comments(&mut self, rel: &Path, text: &str) {
        if let Some(line) = first_comment_line(text) {
            self.problems.push(comment_warning(rel, line));
        }
    }

    /// Reads a file whose hand-written comments are kept through rewrites.
    fn read_yaml_keeping_comments<T: DeserializeOwned>(&mut self, rel: &Path) -> Option<T> {
        let text = self.read_text(rel, yaml::MAX_YAML_BYTES as u64)?;
        self.keep_comments(rel, &text);
        self.parse_or_report(rel, &text)
    }

    fn keep_comments(&mut self, rel: &Path, text: &str) {
        let comments = Comments::of(text);
        if !comments.is_empty() {
            self.comments.insert(rel.to_path_buf(), comments);
        }
    }

    /// Reads `thematic.yaml`; failures here stop the load, and are reported with the full path
    /// since there is no project yet to be relative to.
    pub(super) fn read_meta(&mut self) -> Result<ProjectMeta, StoreError> {
        let rel = Path::new(PROJECT_FILE);
        let full = self.root.join(rel);
        let unreadable = |problem: Problem| StoreError::Unreadable {
            problem: Problem {
                path: full.clone(),
                ..problem
            },
        };
        let Some(text) = self.read_text(rel, yaml::MAX_YAML_BYTES as u64) else {
            let problem = self
                .problems
                .pop()
                .unwrap_or_else(|| Problem::error(rel, "unreadable"));
            return Err(unreadable(problem));
        };
        let probe: VersionProbe = yaml::parse(&text)
            .map_err(|e| unreadable(Problem::error(rel, e.message).at(e.line, e.column)))?;
        match probe.format {
            Some(found) if found > FORMAT_VERSION => {
                return Err(StoreError::FutureFormat {
                    path: full,
                    found,
                    supported: FORMAT_VERSION,
                });
            }
            Some(0) | None => {
                return Err(unreadable(Problem::error(
                    rel,
                    format!(
                        "missing or invalid `format` (this build reads format {FORMAT_VERSION})"
                    ),
                )));
            }
            Some(_) => {}
        }
        self.keep_comments(rel, &text);
        yaml::parse(&text)
            .map_err(|e| unreadable(Problem::error(rel, e.message).at(e.line, e.column)))
    }

    pub(super) fn read_codebook(&mut self, project: &mut Project) {
        let rel = Path::new(CODEBOOK_FILE);
        if fs::symlink_metadata(self.root.join(rel)).is_err() {
            self.problems.push(Problem::warning(
                rel,
                "missing; starting with an empty codebook",
            ));
            return;
        }
        let Some(file) = self.read_yaml_keeping_comments::<CodebookFile>(rel) else {
            return;
        };
        let (codebook, problems) = file.into_codebook();
        if !problems.is_empty() {
            self.blocked.insert(rel.to_path_buf());
        }
        for message in problems {
            self.problems.push(Problem::error(rel, message));
        }
        project.codebook = codebook;
    }

    /// Lists a folder's entries as (name, is_dir), sorted, reporting leftovers of interrupted
    /// writes. A missing folder is empty. Links and anything else that is neither a regular
    /// file nor a folder are reported, blocked and left out: their content is never read.
    fn list(&mut self, rel: &Path) -> Vec<(String, bool)> {
        if let Some(message) = super::safe::first_refused(&self.root, rel) {
            // Top-level folders are listed by no one else: report them here, once.
            if self.refused.insert(rel.to_path_buf()) {
                self.problems.push(Problem::error(rel, message));
            }
            return Vec::new();
        }
        let Ok(entries) = fs::read_dir(self.root.join(rel)) else {
            return Vec::new();
        };
        let mut names: Vec<(String, fs::FileType)> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                Some((
                    e.file_name().to_string_lossy().into_owned(),
                    e.file_type().ok()?,
                ))
            })
            .collect();
        names.sort_by(|a, b| a.0.cmp(&b.0));
        let mut listed = Vec::new();
        for (name, file_type) in names {
            if is_temp_name(&name) {
                self.problems.push(Problem::warning(
                    rel.join(&name),
                    "left over from an interrupted save; the real file is intact and this one can be deleted",
                ));
            }
            if name.starts_with('.') {
                continue;
            }
            if !(file_type.is_dir() || file_type.is_file()) {
                let path = rel.join(&name);
                let message = super::safe::refusal(&self.root, &path, &file_type);
                self.problems.push(Problem::error(&path, message));
                self.blocked.insert(path.clone());
                self.refused.insert(path);
                continue;
            }
            listed.push((name, file_type.is_dir()));
        }
        listed
    }

    fn read_transcripts(&mut self, project: &mut Project) {
        let complete = self.transcript_files();
        // Read and index the texts in parallel: they are most of the bytes of a project.
        let root = self.root.clone();
        let read = parallel_map(&complete, |(_, text_rel, meta_rel)| {
            let (meta_stamp, meta) = read_transcript_meta(&root, meta_rel);
            let (text_stamp, text) = read_file(&root, text_rel, MAX_TEXT_BYTES);
            (meta_stamp, meta, text_stamp, text)
        });
        for ((id, text_rel, meta_rel), (meta_stamp, meta, text_stamp, text)) in
            complete.into_iter().zip(read)
        {
            let meta = self.keep_transcript_meta(&meta_rel, meta_stamp, meta);
            let text = self.keep(&text_rel, text_stamp, text);
            match (meta, text) {
                (Some(meta), Some(text)) => {
                    project
                        .transcripts
                        .insert(id.clone(), Transcript::new(id, meta, text));
                }
                _ => {
                    self.blocked.extend([text_rel, meta_rel]);
                }
            }
        }
    }

    /// Records a transcript's details as read by [`read_transcript_meta`].
    pub(super) fn keep_transcript_meta(
        &mut self,
        meta_rel: &Path,
        stamp: Option<Stamp>,
        meta: Result<(TranscriptMeta, Option<usize>), Problem>,
    ) -> Option<TranscriptMeta> {
        self.keep(meta_rel, stamp, meta).map(|(meta, comment)| {
            if let Some(line) = comment {
                self.problems.push(comment_warning(meta_rel, line));
            }
            meta
        })
    }

    /// The transcripts whose two files are both there, as (id, text file, details file),
    /// reporting strays, refused files and halves missing their other half.
    pub(super) fn transcript_files(&mut self) -> Vec<(TranscriptId, PathBuf, PathBuf)> {
        let dir = Path::new(TRANSCRIPTS_DIR);
        let mut stems: BTreeMap<String, (bool, bool)> = BTreeMap::new();
        let listed = self.list(dir);
        for path in self.refused.clone() {
            // A refused half still names its transcript: it is reported once, as refused,
            // not a second time as missing.
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            if path.parent() == Some(dir)
                && let Some((stem, _)) = name.as_deref().and_then(|n| n.rsplit_once('.'))
            {
                stems.entry(stem.into()).or_default();
            }
        }
        for (name, is_dir) in listed {
            match name.rsplit_once('.') {
                Some((stem, "txt")) if !is_dir => stems.entry(stem.into()).or_default().0 = true,
                Some((stem, "yaml")) if !is_dir => stems.entry(stem.into()).or_default().1 = true,
                _ => self.problems.push(Problem::warning(
                    dir.join(&name),
                    "not a transcript file; ignored",
                )),
            }
        }
        let mut complete: Vec<(TranscriptId, PathBuf, PathBuf)> = Vec::new();
        for (stem, (has_text, has_meta)) in stems {
            let text_rel = dir.join(format!("{stem}.txt"));
            let meta_rel = dir.join(format!("{stem}.yaml"));
            let Ok(id) = TranscriptId::new(&stem) else {
                self.problems.push(Problem::error(&text_rel, format!("{stem:?} is not a valid transcript id (lowercase letters, digits, - and _); rename the files")));
                self.blocked.extend([text_rel, meta_rel]);
                continue;
            };
            if self.refused.contains(&text_rel) || self.refused.contains(&meta_rel) {
                self.blocked.extend([text_rel, meta_rel]);
                continue;
            }
            if !(has_text && has_meta) {
                let (present, missing) = if has_text {
                    (&text_rel, &meta_rel)
                } else {
                    (&meta_rel, &text_rel)
                };
                self.problems.push(Problem::error(
                    present,
                    format!(
                        "{} is missing, so this transcript is left out",
                        missing.display()
                    ),
                ));
                self.blocked.extend([text_rel, meta_rel]);
                continue;
            }
            complete.push((id, text_rel, meta_rel));
        }
        complete
    }

    /// Folders named by coder under `codings/` or `memos/`.
    pub(super) fn coder_dirs(&mut self, top: &str) -> Vec<(CoderId, PathBuf)> {
        let top = Path::new(top);
        let mut out = Vec::new();
        for (name, is_dir) in self.list(top) {
            let rel = top.join(&name);
            if !is_dir {
                self.problems.push(Problem::warning(
                    &rel,
                    "expected only coder folders here; ignored",
                ));
                continue;
            }
            match CoderId::new(&name) {
                Ok(coder) => out.push((coder, rel)),
                Err(e) => {
                    self.problems
                        .push(Problem::error(&rel, format!("{e}; this folder is ignored")));
                }
            }
        }
        out
    }

    /// YAML files in a coder's folder, as (stem, relative path).
    fn yaml_files(&mut self, dir: &Path) -> Vec<(String, PathBuf)> {
        let mut out = Vec::new();
        for (name, is_dir) in self.list(dir) {
            let rel = dir.join(&name);
            match name.strip_suffix(".yaml") {
                Some(stem) if !is_dir => out.push((stem.to_string(), rel)),
                _ => self
                    .problems
                    .push(Problem::warning(&rel, "not a .yaml file; ignored")),
            }
        }
        out
    }

    fn read_codings(&mut self, project: &mut Project) {
        // List first (which reports stray files), then read and parse in parallel: coding
        // files are most of a large project.
        let mut files: Vec<(CoderId, String, PathBuf)> = Vec::new();
        for (coder, dir) in self.coder_dirs(CODINGS_DIR) {
            for (stem, rel) in self.yaml_files(&dir) {
                files.push((coder.clone(), stem, rel));
            }
        }
        let root = self.root.clone();
        let parsed = parallel_map(&files, |(_, _, rel)| read_coding_file(&root, rel));
        for ((coder, stem, rel), (stamp, file)) in files.into_iter().zip(parsed) {
            self.add_coding(project, &coder, &stem, &rel, stamp, file);
        }
    }

    /// Adds what [`read_coding_file`] gave for coder `coder`'s file `rel` of transcript
    /// `stem` to `project`, or reports what is wrong with it.
    pub(super) fn add_coding(
        &mut self,
        project: &mut Project,
        coder: &CoderId,
        stem: &str,
        rel: &Path,
        stamp: Option<Stamp>,
        file: Result<(CodingFile, Option<usize>), Problem>,
    ) {
        let Some((mut file, comment)) = self.keep(rel, stamp, file) else {
            return;
        };
        if let Some(line) = comment {
            self.problems.push(comment_warning(rel, line));
        }
        if &file.coder != coder || file.transcript.as_str() != stem {
            self.fail::<()>(rel, format!(
                "says it holds coder {}'s coding of {}, but its path says coder {coder}, transcript {stem}",
                file.coder, file.transcript
            ));
            return;
        }
        sort_segments(&mut file.segments);
        if file.done {
            project
                .done
                .insert((coder.clone(), file.transcript.clone()));
        }
        project
            .codings
            .entry(coder.clone())
            .or_default()
            .insert(file.transcript, file.segments);
    }

    fn read_memos(&mut self, project: &mut Project) {
        // List first (which reports stray files), then read and parse in parallel: a large
        // study has thousands of memos, and parsing them one by one was a tenth of opening.
        let mut files: Vec<(CoderId, String, PathBuf)> = Vec::new();
        for (coder, dir) in self.coder_dirs(MEMOS_DIR) {
            for (stem, rel) in self.yaml_files(&dir) {
                files.push((coder.clone(), stem, rel));
            }
        }
        let root = self.root.clone();
        let parsed = parallel_map(&files, |(_, _, rel)| read_and_parse::<Memo>(&root, rel));
        for ((coder, stem, rel), read) in files.into_iter().zip(parsed) {
            let Some(memo) = self.keep_parsed(&rel, read) else {
                continue;
            };
            if memo.author != coder || memo.id.as_str() != stem {
                self.fail::<()>(&rel, format!(
                    "memo {} by {} does not match its path (expected id {stem}, author {coder})",
                    memo.id, memo.author
                ));
                continue;
            }
            if project.memos.contains_key(&memo.id) {
                self.fail::<()>(
                    &rel,
                    format!("memo id {} is used by another memo file too", memo.id),
                );
                continue;
            }
            let id: MemoId = memo.id.clone();
            project.memos.insert(id, memo);
        }
    }

    /// Records what [`read_and_parse`] gave, reporting in the order [`Reader::read_yaml`]
    /// does: the file's read problem, else its comment warning, then its parse problem.
    fn keep_parsed<T>(&mut self, rel: &Path, read: ParsedFile<T>) -> Option<T> {
        self.keep(rel, read.stamp, read.text)?;
        if let Some(line) = read.comment {
            self.problems.push(comment_warning(rel, line));
        }
        match read.parsed? {
            Ok(value) => Some(value),
            Err(problem) => {
                self.problems.push(problem);
                self.blocked.insert(rel.to_path_buf());
                None
            }
        }
    }

    fn read_reviews(&mut self, project: &mut Project) {
        for (coder, dir) in self.coder_dirs(REVIEWS_DIR) {
            for (stem, rel) in self.yaml_files(&dir) {
                let Some(review) = self.read_yaml::<crate::model::MemoReview>(&rel) else {
                    continue;
                };
                if review.reviewer != coder || review.memo.as_str() != stem {
                    self.fail::<()>(&rel, format!(
                        "review of memo {} by {} does not match its path (expected memo {stem}, reviewer {coder})",
                        review.memo, review.reviewer
                    ));
                    continue;
                }
                project
                    .reviews
                    .insert((coder.clone(), review.memo.clone()), review);
            }
        }
    }

    fn read_audit(&mut self, project: &mut Project) {
        let dir = Path::new(super::files::AUDIT_DIR);
        for (stem, rel) in self.yaml_files(dir) {
            let Some(trail) = self.read_yaml::<crate::model::audit::AuditTrail>(&rel) else {
                continue;
            };
            if trail.coder.as_str() != stem {
                self.fail::<()>(
                    &rel,
                    format!(
                        "the audit trail of {} is in the file of {stem}",
                        trail.coder
                    ),
                );
                continue;
            }
            project.audit.insert(trail.coder, trail.entries);
        }
    }
}

/// One YAML file read and parsed off the main thread, for [`Reader::keep_parsed`].
struct ParsedFile<T> {
    stamp: Option<Stamp>,
    /// Whether the file could be read as text (the text itself is not kept).
    text: Result<(), Problem>,
    /// The line of its first comment, which will not be kept.
    comment: Option<usize>,
    /// `None` when the file could not be read.
    parsed: Option<Result<T, Problem>>,
}

/// Reads and parses the YAML file `rel`, as [`Reader::read_yaml`] does, without reporting.
fn read_and_parse<T: DeserializeOwned>(root: &Path, rel: &Path) -> ParsedFile<T> {
    let (stamp, text) = read_file(root, rel, yaml::MAX_YAML_BYTES as u64);
    match text {
        Ok(text) => ParsedFile {
            stamp,
            text: Ok(()),
            comment: first_comment_line(&text),
            parsed: Some(
                yaml::parse::<T>(&text)
                    .map_err(|e| Problem::error(rel, e.message).at(e.line, e.column)),
            ),
        },
        Err(problem) => ParsedFile {
            stamp,
            text: Err(problem),
            comment: None,
            parsed: None,
        },
    }
}

/// A file read off the main thread: its stamp, and what it holds with the line of its first
/// comment (which is not kept), or its problem.
pub(super) type Read<T> = (Option<Stamp>, Result<(T, Option<usize>), Problem>);

/// Reads and parses a transcript's details file: the details and the line of its first
/// comment (which is not kept), or the problem.
pub(super) fn read_transcript_meta(root: &Path, meta_rel: &Path) -> Read<TranscriptMeta> {
    let (stamp, meta) = read_file(root, meta_rel, yaml::MAX_YAML_BYTES as u64);
    let meta = meta.and_then(|m| {
        yaml::parse::<TranscriptMeta>(&m)
            .map(|parsed| (parsed, first_comment_line(&m)))
            .map_err(|e| Problem::error(meta_rel, e.message).at(e.line, e.column))
    });
    (stamp, meta)
}

/// Reads and parses one coding file: by the fast reader when it is in the shape thematic
/// writes, else by the general parser (with the line of its first comment).
pub(super) fn read_coding_file(root: &Path, rel: &Path) -> Read<CodingFile> {
    let (stamp, text) = read_file(root, rel, yaml::MAX_YAML_BYTES as u64);
    let file = text.and_then(|text| match super::coding_reader::read_coding(&text) {
        Some(file) => Ok((file, None)),
        None => yaml::parse::<CodingFile>(&text)
            .map(|file| (file, first_comment_line(&text)))
            .map_err(|e| Problem::error(rel, e.message).at(e.line, e.column)),
    });
    (stamp, file)
}

/// The warning for a comment in a file whose comments thematic does not keep.
fn comment_warning(rel: &Path, line: usize) -> Problem {
    Problem::warning(
        rel,
        "has a comment, which will not be kept: thematic keeps comments only in codebook.yaml and thematic.yaml, and drops this one the next time it saves this file",
    )
    .at(Some(line as u64), None)
}

/// Reads one file: its stamp, and its text or the problem with it (too large, unreadable,
/// not UTF-8, with the line and column of the first bad byte).
pub(super) fn read_file(
    root: &Path,
    rel: &Path,
    limit: u64,
) -> (Option<Stamp>, Result<String, Problem>) {
    use std::io::Read;
    let cannot = |e: std::io::Error| Problem::error(rel, format!("cannot read: {e}"));
    // One open and one fstat per file: a large project has thousands of them. A link or a
    // FIFO is refused there, before anything is read (a FIFO would block forever).
    let (mut file, meta) = match super::safe::open_regular(root, rel) {
        Ok(opened) => opened,
        Err(message) => return (None, Err(Problem::error(rel, message))),
    };
    let stamp = Some(Stamp::of_metadata(&meta));
    if meta.len() > limit {
        return (
            None,
            Err(Problem::error(
                rel,
                format!("{} bytes is more than the {limit} allowed", meta.len()),
            )),
        );
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    if let Err(e) = (&mut file).take(limit + 1).read_to_end(&mut bytes) {
        return (None, Err(cannot(e)));
    }
    if bytes.len() as u64 > limit {
        return (
            None,
            Err(Problem::error(
                rel,
                format!("more than the {limit} bytes allowed"),
            )),
        );
    }
    let stamp = stamp.map(|s| s.with_content(&bytes));
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid =
            std::str::from_utf8(&e.as_bytes()[..e.utf8_error().valid_up_to()]).unwrap_or_default();
        let line = valid.matches('\n').count() as u64 + 1;
        let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
        Problem::error(rel, "not valid UTF-8 text (save it as UTF-8 and reopen)")
            .at(Some(line), Some(column))
    });
    (stamp, text)
}

/// `f` over `items` on the machine's cores, results in order (a panic in a worker is passed
/// on: see [`crate::parallel`]), in shares of 32 files or more (a few files are read on
/// this thread).
pub(super) fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    crate::parallel::map(items, 32, f)
}
