//! A project open for work: the model, the store it came from, and the undo history. Every
//! change goes through [`Workspace::apply`], which applies an [`Edit`] to the model and
//! persists exactly the files it touched. If a file may not be written (damaged when read,
//! changed by someone else, another coder's), the model is put back as it was. If the
//! writing itself fails (a full disk, a removed drive), the change is kept in memory, marked
//! unsaved, and written with the next change or [`Workspace::retry_saves`]: the researcher
//! loses nothing, and is told.

use crate::model::{CoderId, Edit, EditError, Project};
use crate::store::{self, Problem, Store, StoreError};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("nothing to undo")]
    NothingToUndo,
    #[error("nothing to redo")]
    NothingToRedo,
    #[error("NOT SAVED ({0}); the change is kept and saving is retried with every change")]
    Unsaved(StoreError),
    /// A one-shot command's change could not be written: there is no later retry.
    #[error("not saved: {0}")]
    NotSaved(StoreError),
    #[error(
        "{0} is a reviewer of this project: memos can be read, reviewed and answered, but nothing can be coded or changed"
    )]
    ReviewerOnly(CoderId),
}

impl WorkspaceError {
    /// Whether the change was made (in memory) even though this error came back.
    pub fn kept(&self) -> bool {
        matches!(self, WorkspaceError::Unsaved(_))
    }
}

/// Test hook: `THEMATIC_TEST_SLOW_OPENING_MS` (milliseconds, at most 10 s) delays the second
/// phase of a two-phase opening, so that end-to-end tests can type while it loads. Only in
/// debug builds (the ones `cargo test` runs): a release binary reads no test setting.
#[cfg(not(debug_assertions))]
fn slow_opening_for_tests() {}

#[cfg(debug_assertions)]
fn slow_opening_for_tests() {
    let delay = std::env::var("THEMATIC_TEST_SLOW_OPENING_MS")
        .ok()
        .and_then(|ms| ms.parse::<u64>().ok())
        .map_or(0, |ms| ms.min(10_000));
    if delay > 0 {
        std::thread::sleep(std::time::Duration::from_millis(delay));
    }
}

#[derive(Debug)]
pub struct Workspace {
    project: Project,
    store: Store,
    undo: Vec<Edit>,
    redo: Vec<Edit>,
    last_touched: crate::model::Touched,
    /// Files whose content in memory is not yet on disk (writing them failed).
    unsaved: crate::model::Touched,
    /// Audit decisions whose change is not on disk yet: written when it is, so the trail
    /// never names a change that was not saved.
    pending_audit: Vec<(String, Vec<crate::model::CodeId>)>,
    /// The rest of a two-phase opening ([`Workspace::open_first`]), loading on its own
    /// thread; `None` once the whole project is here.
    rest: Option<Rest>,
}

/// The full load of a project whose first phase is open, running on its own thread.
#[derive(Debug)]
struct Rest {
    loading: std::thread::JoinHandle<Result<store::Loaded, StoreError>>,
    /// How many transcripts are being read, for "loading N transcripts".
    transcripts: usize,
}

impl Workspace {
    /// Opens the project at `root`. With a coder, takes that coder's lock so their files can
    /// be written; the load problems are returned for the caller to show.
    pub fn open(
        root: &Path,
        coder: Option<&CoderId>,
    ) -> Result<(Workspace, Vec<Problem>), StoreError> {
        let loaded = store::load(root)?;
        let mut workspace = Workspace::from_loaded(loaded.project, loaded.store);
        if let Some(coder) = coder {
            workspace.store.lock_coder(coder)?;
        }
        Ok((workspace, loaded.problems))
    }

    /// Opens the project at `root` in two phases, for the coding screen of `coder` (no coder:
    /// the project's first): what its
    /// first frame needs now (see [`store::load_first`]), and the whole project on a thread
    /// of its own, taken over by [`Workspace::finish_opening`]. Until then the project is
    /// partial and nothing can be written. When the first phase meets a problem, or the
    /// thread cannot start, the whole project is read now and its problems returned, as
    /// [`Workspace::open`] (without a lock) does.
    pub fn open_first(
        root: &Path,
        coder: Option<&CoderId>,
    ) -> Result<(Workspace, Vec<Problem>), StoreError> {
        if let Some(first) = store::load_first::load_first(root, coder)? {
            let folder = root.to_path_buf();
            let started = std::thread::Builder::new()
                .name("opening".into())
                .spawn(move || {
                    slow_opening_for_tests();
                    store::load(&folder)
                });
            if let Ok(loading) = started {
                let transcripts = first.project.transcript_count();
                let mut workspace = Workspace::from_loaded(first.project, first.store);
                workspace.rest = Some(Rest {
                    loading,
                    transcripts,
                });
                return Ok((workspace, Vec::new()));
            }
        }
        Workspace::open(root, None)
    }

    /// Whether the whole project is still being read (a two-phase opening): the project
    /// holds only what the first frame needs, and nothing can be changed.
    pub fn is_opening(&self) -> bool {
        self.store.is_opening()
    }

    /// How many transcripts a two-phase opening is reading, while it is.
    pub fn transcripts_loading(&self) -> Option<usize> {
        self.rest.as_ref().map(|rest| rest.transcripts)
    }

    /// Whether the whole project has been read and waits for [`Workspace::finish_opening`].
    pub fn opening_finished(&self) -> bool {
        self.rest
            .as_ref()
            .is_some_and(|rest| rest.loading.is_finished())
    }

    /// Waits for the whole project and takes it over: the end of a two-phase opening. Gives
    /// the problems the full load found (exactly those of [`Workspace::open`]), or `None`
    /// when there was no opening to finish. If the full load failed, the project stays
    /// partial and nothing can be written for the rest of the session.
    pub fn finish_opening(&mut self) -> Option<Result<Vec<Problem>, StoreError>> {
        let rest = self.rest.take()?;
        // A panic while reading is passed on, never swallowed (see `store::load`).
        let loaded = match rest.loading.join() {
            Ok(loaded) => loaded,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        Some(loaded.map(|loaded| {
            self.project = loaded.project;
            self.store.adopt_full_load(loaded.store);
            loaded.problems
        }))
    }

    pub fn from_loaded(project: Project, store: Store) -> Workspace {
        Workspace {
            project,
            store,
            undo: Vec::new(),
            redo: Vec::new(),
            last_touched: crate::model::Touched::new(),
            unsaved: crate::model::Touched::new(),
            pending_audit: Vec::new(),
            rest: None,
        }
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Applies and saves `edit`, making it the newest step of the undo history.
    pub fn apply(&mut self, edit: Edit) -> Result<(), WorkspaceError> {
        let result = self.commit(&edit);
        if result.as_ref().is_err_and(|e| !e.kept()) {
            return result;
        }
        self.record(&edit, "", result.is_ok());
        let finishing = matches!(edit, Edit::SetDone { done: true, .. });
        self.undo.push(edit);
        self.redo.clear();
        if finishing && result.is_ok() {
            self.freeze_finished_rounds();
        }
        result
    }

    /// [`Workspace::apply`] for a one-shot command, which exits after it: a change that
    /// could not be written is reported as not saved, since nothing will retry it.
    pub fn apply_once(&mut self, edit: Edit) -> Result<(), WorkspaceError> {
        match self.apply(edit) {
            Err(WorkspaceError::Unsaved(e)) => Err(WorkspaceError::NotSaved(e)),
            result => result,
        }
    }

    /// The unsaved changes, for a recovery file when the session must end without them.
    /// The audit decisions of those changes go with them.
    pub fn recovery(&self) -> crate::store::recovery::Recovery {
        let mut files = self.unsaved.clone();
        let mut project = std::borrow::Cow::Borrowed(&self.project);
        if let Some(coder) = self.store.coder()
            && !self.pending_audit.is_empty()
        {
            let trail = project.to_mut().audit.entry(coder.clone()).or_default();
            for (decision, codes) in &self.pending_audit {
                trail.push(crate::model::audit::AuditEntry {
                    at: jiff::Timestamp::now(),
                    decision: decision.clone(),
                    codes: codes.clone(),
                });
            }
            files.insert(crate::model::FileKey::Audit(coder.clone()));
        }
        self.store.recovery_of(&project, &files)
    }

    /// Keeps the agreement of every round that both coders have now finished for the first
    /// time as its independent figures (before any disagreement is discussed). This is a
    /// record, not a step of the undo history: undoing the last done mark leaves it.
    fn freeze_finished_rounds(&mut self) {
        use crate::analysis::agreement::{round_figures, round_finished};
        let before = self.project.meta.clone();
        let mut after = before.clone();
        let revealed = crate::model::audit::revealed(&self.project);
        for round in after.rounds.iter_mut() {
            if round.independent.is_none() && round_finished(&self.project, round) {
                let early = round
                    .transcripts
                    .iter()
                    .filter(|t| revealed.contains(t.as_str()))
                    .cloned()
                    .collect();
                round.independent = Some(round_figures(&self.project, round, early));
            }
        }
        if after != before {
            // A failure here leaves the round unfrozen; the next done mark tries again.
            let _ = self.commit(&Edit::UpdateProject {
                before: Box::new(before),
                after: Box::new(after),
            });
        }
    }

    /// Files kept in memory because writing them failed.
    pub fn unsaved(&self) -> &crate::model::Touched {
        &self.unsaved
    }

    /// Writes the files a failed save left unsaved.
    pub fn retry_saves(&mut self) -> Result<(), WorkspaceError> {
        if self.unsaved.is_empty() {
            return Ok(());
        }
        let pending = self.unsaved.clone();
        self.store
            .persist(&self.project, &pending)
            .map_err(WorkspaceError::Unsaved)?;
        self.unsaved.clear();
        self.record_pending();
        Ok(())
    }

    /// Records a decision that changed no file (such as keeping one's coding after a
    /// disagreement) in this coder's audit trail.
    pub fn note(&mut self, decision: &str, codes: Vec<crate::model::CodeId>) {
        let Some(coder) = self.store.coder().cloned() else {
            return;
        };
        let entry = crate::model::audit::AuditEntry {
            at: jiff::Timestamp::now(),
            decision: decision.to_string(),
            codes,
        };
        self.project
            .audit
            .entry(coder.clone())
            .or_default()
            .push(entry);
        let touched = [crate::model::FileKey::Audit(coder.clone())]
            .into_iter()
            .collect();
        if self.store.persist(&self.project, &touched).is_err()
            && let Some(entries) = self.project.audit.get_mut(&coder)
        {
            entries.pop();
        }
    }

    /// Appends a codebook decision to this coder's audit trail once its change is saved
    /// (`saved`), else when it is. A trail that cannot be written is not an error for the
    /// edit; it is skipped (the store reports why when the project is checked).
    fn record(&mut self, edit: &Edit, prefix: &str, saved: bool) {
        if let Some((decision, codes)) = crate::model::audit::decision(edit) {
            let decision = format!("{prefix}{decision}");
            if saved {
                self.note(&decision, codes);
            } else {
                self.pending_audit.push((decision, codes));
            }
        }
    }

    /// Writes the decisions whose changes have now been saved.
    fn record_pending(&mut self) {
        for (decision, codes) in std::mem::take(&mut self.pending_audit) {
            self.note(&decision, codes);
        }
    }

    /// Decisions not in the audit trail because their change is not saved yet.
    pub fn pending_audit(&self) -> impl Iterator<Item = &str> {
        self.pending_audit.iter().map(|(d, _)| d.as_str())
    }

    /// Like [`Workspace::apply`], but an edit that continues the newest step (a memo saved
    /// again and again while being written) is folded into it by [`Edit::compose`], making
    /// one step of the undo history rather than one per save.
    pub fn apply_merging(&mut self, edit: Edit) -> Result<(), WorkspaceError> {
        let result = self.commit(&edit);
        if result.as_ref().is_err_and(|e| !e.kept()) {
            return result;
        }
        self.redo.clear();
        let merged = self.undo.last().and_then(|last| last.compose(&edit));
        match merged {
            Some(step) => {
                self.undo.pop();
                self.undo.push(step);
            }
            None => self.undo.push(edit),
        }
        result
    }

    /// Undoes the newest step; returns the step undone (as it was made), for the caller to
    /// say what it was and where (see [`crate::model::edit_summary`]).
    pub fn undo(&mut self) -> Result<Edit, WorkspaceError> {
        let edit = self.undo.pop().ok_or(WorkspaceError::NothingToUndo)?;
        match self.commit(&edit.inverse()) {
            Err(e) if !e.kept() => {
                self.undo.push(edit);
                Err(e)
            }
            result => {
                self.record(&edit, "undid: ", result.is_ok());
                self.redo.push(edit.clone());
                result.map(|()| edit)
            }
        }
    }

    /// Redoes the newest undone step; returns the step redone.
    pub fn redo(&mut self) -> Result<Edit, WorkspaceError> {
        let edit = self.redo.pop().ok_or(WorkspaceError::NothingToRedo)?;
        match self.commit(&edit) {
            Err(e) if !e.kept() => {
                self.redo.push(edit);
                Err(e)
            }
            result => {
                self.record(&edit, "redid: ", result.is_ok());
                self.undo.push(edit.clone());
                result.map(|()| edit)
            }
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// The files the last successful change wrote, so that views can update only what it
    /// touched.
    pub fn last_touched(&self) -> &crate::model::Touched {
        &self.last_touched
    }

    fn commit(&mut self, edit: &Edit) -> Result<(), WorkspaceError> {
        // A reviewer's session writes reviews only: the rule holds for every view and command.
        if let Some(session) = self.store.coder()
            && self.project.meta.is_only_reviewer(session)
            && !edit.is_review()
        {
            return Err(WorkspaceError::ReviewerOnly(session.clone()));
        }
        let touched = edit.apply(&mut self.project)?;
        self.last_touched = touched.clone();
        // Files left unsaved by an earlier failure go out with this change.
        let mut to_write = touched.clone();
        to_write.extend(self.unsaved.iter().cloned());
        match self.store.persist(&self.project, &to_write) {
            Ok(()) => {
                self.unsaved.clear();
                self.record_pending();
                Ok(())
            }
            // Writing failed (disk full, I/O error): keep the change and try again later.
            Err(e @ StoreError::Io { .. }) => {
                self.unsaved = to_write;
                Err(WorkspaceError::Unsaved(e))
            }
            Err(e) => {
                // Not allowed to write: put the model back, and bring any file already
                // written back in line with it.
                if edit.inverse().apply(&mut self.project).is_ok() {
                    let _ = self.store.persist(&self.project, &touched);
                }
                Err(e.into())
            }
        }
    }
}
