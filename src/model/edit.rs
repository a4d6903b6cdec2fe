//! Every change a user can make is an [`Edit`]: one enum, one [`Edit::apply`], one
//! [`Edit::inverse`]. An edit carries the full state before and after, so its inverse needs
//! no project, and applying an edit first checks that the project is still in the "before"
//! state, so a stale edit is refused rather than half-applied.
//!
//! `apply` returns the files the edit touched, which is exactly what the store persists.
//! Each kind of edit is applied in its own module: [`on_codebook`], [`on_coding`] (segments
//! and done marks), [`on_memos`] (memos and their reviews) and [`on_project`] (transcripts
//! and settings); [`compose`] folds two edits into one undo step.

mod compose;
mod on_codebook;
mod on_coding;
mod on_memos;
mod on_project;

use super::codebook::{Code, Position, TreeError};
use super::coding::Segment;
use super::ids::{CodeId, CoderId, MemoId, SegmentId, TranscriptId};
use super::memo::{Memo, MemoLink, MemoReview};
use super::project::{Project, ProjectMeta};
use super::transcript::{Transcript, TranscriptMeta};
use std::collections::BTreeSet;

/// One file of the project folder, named by what it holds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKey {
    /// thematic.yaml
    Project,
    /// codebook.yaml
    Codebook,
    /// transcripts/<id>.txt
    TranscriptText(TranscriptId),
    /// transcripts/<id>.yaml
    TranscriptMeta(TranscriptId),
    /// codings/<coder>/<transcript>.yaml
    Coding(CoderId, TranscriptId),
    /// memos/<author>/<id>.yaml
    Memo(CoderId, MemoId),
    /// reviews/<reviewer>/<memo>.yaml
    Review(CoderId, MemoId),
    /// audit/<coder>.yaml
    Audit(CoderId),
}

/// The files an edit changed.
pub type Touched = BTreeSet<FileKey>;

#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    AddCode {
        code: Code,
        at: Position,
    },
    /// Removes a code that has no children and is used by no segment or memo.
    RemoveCode {
        code: Code,
        at: Position,
    },
    UpdateCode {
        before: Code,
        after: Code,
    },
    MoveCode {
        id: CodeId,
        from: Position,
        to: Position,
    },
    AddSegment {
        coder: CoderId,
        transcript: TranscriptId,
        segment: Segment,
    },
    RemoveSegment {
        coder: CoderId,
        transcript: TranscriptId,
        segment: Segment,
    },
    UpdateSegment {
        coder: CoderId,
        transcript: TranscriptId,
        before: Segment,
        after: Segment,
    },
    AddMemo(Box<Memo>),
    RemoveMemo(Box<Memo>),
    UpdateMemo {
        before: Box<Memo>,
        after: Box<Memo>,
    },
    AddReview(Box<MemoReview>),
    RemoveReview(Box<MemoReview>),
    UpdateReview {
        before: Box<MemoReview>,
        after: Box<MemoReview>,
    },
    AddTranscript(Box<Transcript>),
    RemoveTranscript(Box<Transcript>),
    UpdateTranscriptMeta {
        id: TranscriptId,
        before: Box<TranscriptMeta>,
        after: Box<TranscriptMeta>,
    },
    UpdateProject {
        before: Box<ProjectMeta>,
        after: Box<ProjectMeta>,
    },
    /// Marks a coder's coding of a transcript done (or not done).
    SetDone {
        coder: CoderId,
        transcript: TranscriptId,
        done: bool,
    },
    /// Several edits that undo and redo as one (a merge, an import of many files).
    Batch {
        label: String,
        edits: Vec<Edit>,
    },
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    #[error(transparent)]
    Tree(#[from] TreeError),
    #[error("no transcript {0}")]
    UnknownTranscript(TranscriptId),
    #[error("a transcript with id {0} already exists")]
    TranscriptExists(TranscriptId),
    #[error("transcript {0} is still used by {1} segment(s) or memo(s)")]
    TranscriptInUse(TranscriptId, usize),
    #[error("transcript {0}: its hash or length does not match its text")]
    TranscriptHashMismatch(TranscriptId),
    #[error("coder {0} is not listed in thematic.yaml")]
    UnknownCoder(CoderId),
    #[error("coder {0} still has codings or memos")]
    CoderInUse(CoderId),
    #[error("segment [{start}, {end}) does not fit transcript {transcript} of {len} characters")]
    SegmentOutOfBounds {
        transcript: TranscriptId,
        start: usize,
        end: usize,
        len: usize,
    },
    #[error("segment {0} quotes text that differs from the transcript at its offsets")]
    SegmentTextMismatch(SegmentId),
    #[error("segment {0} has no codes")]
    SegmentWithoutCodes(SegmentId),
    #[error("segment {0} names code {1} twice")]
    RepeatedCode(SegmentId, CodeId),
    #[error("segment {segment} uses unknown code {code}")]
    UnknownCodeOnSegment { segment: SegmentId, code: CodeId },
    #[error("segment {0} already exists")]
    SegmentExists(SegmentId),
    #[error("no segment {0}")]
    UnknownSegment(SegmentId),
    #[error("segment {0} has {1} memo(s) linked to it; move or delete them first")]
    SegmentHasMemos(SegmentId, usize),
    #[error("code {code} is still used by {uses} segment(s) or memo(s)")]
    CodeInUse { code: CodeId, uses: usize },
    #[error("memo {0} already exists")]
    MemoExists(MemoId),
    #[error("no memo {0}")]
    UnknownMemo(MemoId),
    #[error("memo {0} has review comments; it cannot be deleted")]
    MemoHasReviews(MemoId),
    #[error("no review of memo {memo} by {reviewer}")]
    UnknownReview { reviewer: CoderId, memo: MemoId },
    #[error("{reviewer} already has a review of memo {memo}")]
    ReviewExists { reviewer: CoderId, memo: MemoId },
    #[error("memo {memo} links to something that does not exist: {link:?}")]
    BrokenMemoLink { memo: MemoId, link: MemoLink },
    #[error("{0} cannot change")]
    Immutable(&'static str),
    #[error("the project changed since this edit was prepared ({0}); nothing was changed")]
    Stale(&'static str),
}

impl Edit {
    /// Whether the edit only reviews memos (marks, comments, answers): all a reviewer may do.
    pub fn is_review(&self) -> bool {
        match self {
            Edit::AddReview(_) | Edit::RemoveReview(_) | Edit::UpdateReview { .. } => true,
            Edit::Batch { edits, .. } => edits.iter().all(Edit::is_review),
            _ => false,
        }
    }
    /// The edit that undoes this one.
    pub fn inverse(&self) -> Edit {
        match self.clone() {
            Edit::AddCode { code, at } => Edit::RemoveCode { code, at },
            Edit::RemoveCode { code, at } => Edit::AddCode { code, at },
            Edit::UpdateCode { before, after } => Edit::UpdateCode {
                before: after,
                after: before,
            },
            Edit::MoveCode { id, from, to } => Edit::MoveCode {
                id,
                from: to,
                to: from,
            },
            Edit::AddSegment {
                coder,
                transcript,
                segment,
            } => Edit::RemoveSegment {
                coder,
                transcript,
                segment,
            },
            Edit::RemoveSegment {
                coder,
                transcript,
                segment,
            } => Edit::AddSegment {
                coder,
                transcript,
                segment,
            },
            Edit::UpdateSegment {
                coder,
                transcript,
                before,
                after,
            } => Edit::UpdateSegment {
                coder,
                transcript,
                before: after,
                after: before,
            },
            Edit::AddMemo(memo) => Edit::RemoveMemo(memo),
            Edit::RemoveMemo(memo) => Edit::AddMemo(memo),
            Edit::UpdateMemo { before, after } => Edit::UpdateMemo {
                before: after,
                after: before,
            },
            Edit::AddReview(r) => Edit::RemoveReview(r),
            Edit::RemoveReview(r) => Edit::AddReview(r),
            Edit::UpdateReview { before, after } => Edit::UpdateReview {
                before: after,
                after: before,
            },
            Edit::AddTranscript(t) => Edit::RemoveTranscript(t),
            Edit::RemoveTranscript(t) => Edit::AddTranscript(t),
            Edit::UpdateTranscriptMeta { id, before, after } => Edit::UpdateTranscriptMeta {
                id,
                before: after,
                after: before,
            },
            Edit::UpdateProject { before, after } => Edit::UpdateProject {
                before: after,
                after: before,
            },
            Edit::SetDone {
                coder,
                transcript,
                done,
            } => Edit::SetDone {
                coder,
                transcript,
                done: !done,
            },
            Edit::Batch { label, edits } => Edit::Batch {
                label,
                edits: edits.iter().rev().map(Edit::inverse).collect(),
            },
        }
    }

    /// A short description for the status line and the undo history.
    pub fn describe(&self) -> String {
        match self {
            Edit::AddCode { code, .. } => format!("create {} {:?}", code.level.label(), code.name),
            Edit::RemoveCode { code, .. } => format!("delete {:?}", code.name),
            Edit::UpdateCode { after, .. } => format!("change {:?}", after.name),
            Edit::MoveCode { .. } => "move code".into(),
            Edit::AddSegment { .. } => "code segment".into(),
            Edit::RemoveSegment { .. } => "remove segment".into(),
            Edit::UpdateSegment { .. } => "change segment".into(),
            Edit::AddMemo(m) => format!("add memo {:?}", m.title),
            Edit::RemoveMemo(m) => format!("delete memo {:?}", m.title),
            Edit::UpdateMemo { after, .. } => format!("edit memo {:?}", after.title),
            Edit::AddReview(r) | Edit::UpdateReview { after: r, .. } => {
                format!("review memo {}", r.memo)
            }
            Edit::RemoveReview(r) => format!("remove review of memo {}", r.memo),
            Edit::AddTranscript(t) => format!("import {}", t.id),
            Edit::RemoveTranscript(t) => format!("remove {}", t.id),
            Edit::UpdateTranscriptMeta { id, .. } => format!("edit details of {id}"),
            Edit::UpdateProject { .. } => "edit project settings".into(),
            Edit::SetDone {
                transcript, done, ..
            } => format!(
                "mark {transcript} {}",
                if *done { "done" } else { "not done" }
            ),
            Edit::Batch { label, .. } => label.clone(),
        }
    }

    /// Applies the edit, or changes nothing and says why not. Each kind of edit is applied
    /// by its own module (on_codebook, on_coding, on_memos, on_project); a batch applies its edits in
    /// order and rolls back the ones already applied when one is refused.
    pub fn apply(&self, project: &mut Project) -> Result<Touched, EditError> {
        match self {
            Edit::AddCode { code, at } => on_codebook::add(project, code, at),
            Edit::RemoveCode { code, at } => on_codebook::remove(project, code, at),
            Edit::UpdateCode { before, after } => on_codebook::update(project, before, after),
            Edit::MoveCode { id, from, to } => on_codebook::move_to(project, id, from, to),
            Edit::AddSegment {
                coder,
                transcript,
                segment,
            } => on_coding::add(project, coder, transcript, segment),
            Edit::RemoveSegment {
                coder,
                transcript,
                segment,
            } => on_coding::remove(project, coder, transcript, segment),
            Edit::UpdateSegment {
                coder,
                transcript,
                before,
                after,
            } => on_coding::update(project, coder, transcript, before, after),
            Edit::SetDone {
                coder,
                transcript,
                done,
            } => on_coding::set_done(project, coder, transcript, *done),
            Edit::AddMemo(memo) => on_memos::add(project, memo),
            Edit::RemoveMemo(memo) => on_memos::remove(project, memo),
            Edit::UpdateMemo { before, after } => on_memos::update(project, before, after),
            Edit::AddReview(review) => on_memos::add_review(project, review),
            Edit::RemoveReview(review) => on_memos::remove_review(project, review),
            Edit::UpdateReview { before, after } => on_memos::update_review(project, before, after),
            Edit::AddTranscript(t) => on_project::add_transcript(project, t),
            Edit::RemoveTranscript(t) => on_project::remove_transcript(project, t),
            Edit::UpdateTranscriptMeta { id, before, after } => {
                on_project::update_transcript_meta(project, id, before, after)
            }
            Edit::UpdateProject { before, after } => {
                on_project::update_project(project, before, after)
            }
            Edit::Batch { edits, .. } => apply_batch(edits, project),
        }
    }
}

/// Applies `edits` in order, all or nothing: when one is refused, those already applied are
/// rolled back, newest first.
fn apply_batch(edits: &[Edit], project: &mut Project) -> Result<Touched, EditError> {
    let mut touched = Touched::new();
    for (done, edit) in edits.iter().enumerate() {
        match edit.apply(project) {
            Ok(t) => touched.extend(t),
            Err(e) => {
                for applied in edits[..done].iter().rev() {
                    let _ = applied.inverse().apply(project);
                }
                return Err(e);
            }
        }
    }
    Ok(touched)
}

/// Ok when the project is still in the state an edit expects, else `Stale(what)`.
fn expect(holds: bool, what: &'static str) -> Result<(), EditError> {
    if holds {
        Ok(())
    } else {
        Err(EditError::Stale(what))
    }
}

/// How many memos link to `link`.
fn memo_links_to(project: &Project, link: &MemoLink) -> usize {
    project
        .memos
        .values()
        .filter(|m| m.links.contains(link))
        .count()
}
