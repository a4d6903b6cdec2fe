//! Every change a user can make is an [`Edit`]: one enum, one [`Edit::apply`], one
//! [`Edit::inverse`]. An edit carries the full state before and after, so its inverse needs
//! no project, and applying an edit first checks that the project is still in the "before"
//! state, so a stale edit is refused rather than half-applied.
//!
//! `apply` returns the files the edit touched, which is exactly what the store persists.

use super::codebook::{Code, Position, TreeError};
use super::coding::{Segment, sort_segments};
use super::ids::{CodeId, CoderId, MemoId, SegmentId, TranscriptId};
use super::memo::{Memo, MemoLink, MemoReview, SegmentRef};
use super::project::{Project, ProjectMeta};
use super::transcript::{Transcript, TranscriptMeta, sha256_hex};
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

    /// Applies the edit, or changes nothing and says why not.
    pub fn apply(&self, project: &mut Project) -> Result<Touched, EditError> {
        let mut touched = Touched::new();
        match self {
            Edit::AddCode { code, at } => {
                project.codebook.insert(code.clone(), at)?;
                touched.insert(FileKey::Codebook);
            }
            Edit::RemoveCode { code, at } => {
                expect(
                    project.codebook.get(&code.id) == Some(code),
                    "code definition",
                )?;
                expect(
                    project.codebook.position(&code.id).as_ref() == Some(at),
                    "code position",
                )?;
                let uses = project.uses_of_code(&code.id)
                    + memo_links_to(project, &MemoLink::Code(code.id.clone()));
                if uses > 0 {
                    return Err(EditError::CodeInUse {
                        code: code.id.clone(),
                        uses,
                    });
                }
                project.codebook.remove_leaf(&code.id)?;
                touched.insert(FileKey::Codebook);
            }
            Edit::UpdateCode { before, after } => {
                if before.id != after.id {
                    return Err(EditError::Immutable("a code's id"));
                }
                expect(
                    project.codebook.get(&before.id) == Some(before),
                    "code definition",
                )?;
                project.codebook.replace(after.clone())?;
                touched.insert(FileKey::Codebook);
            }
            Edit::MoveCode { id, from, to } => {
                expect(
                    project.codebook.position(id).as_ref() == Some(from),
                    "code position",
                )?;
                project.codebook.move_to(id, to)?;
                touched.insert(FileKey::Codebook);
            }
            Edit::AddSegment {
                coder,
                transcript,
                segment,
            } => {
                check_segment(project, coder, transcript, segment)?;
                let segments = segments_mut(project, coder, transcript);
                if segments.iter().any(|s| s.id == segment.id) {
                    return Err(EditError::SegmentExists(segment.id.clone()));
                }
                segments.push(segment.clone());
                sort_segments(segments);
                touched.insert(FileKey::Coding(coder.clone(), transcript.clone()));
            }
            Edit::RemoveSegment {
                coder,
                transcript,
                segment,
            } => {
                let index = find_segment(project, coder, transcript, segment)?;
                let link = MemoLink::Segment(SegmentRef {
                    transcript: transcript.clone(),
                    coder: coder.clone(),
                    id: segment.id.clone(),
                });
                let memos = memo_links_to(project, &link);
                if memos > 0 {
                    return Err(EditError::SegmentHasMemos(segment.id.clone(), memos));
                }
                let segments = segments_mut(project, coder, transcript);
                segments.remove(index);
                prune_empty_coding(project, coder, transcript);
                touched.insert(FileKey::Coding(coder.clone(), transcript.clone()));
            }
            Edit::UpdateSegment {
                coder,
                transcript,
                before,
                after,
            } => {
                if before.id != after.id {
                    return Err(EditError::Immutable("a segment's id"));
                }
                let index = find_segment(project, coder, transcript, before)?;
                check_segment(project, coder, transcript, after)?;
                let segments = segments_mut(project, coder, transcript);
                segments[index] = after.clone();
                sort_segments(segments);
                touched.insert(FileKey::Coding(coder.clone(), transcript.clone()));
            }
            Edit::AddMemo(memo) => {
                if project.memos.contains_key(&memo.id) {
                    return Err(EditError::MemoExists(memo.id.clone()));
                }
                check_memo(project, memo)?;
                project.memos.insert(memo.id.clone(), (**memo).clone());
                touched.insert(FileKey::Memo(memo.author.clone(), memo.id.clone()));
            }
            Edit::RemoveMemo(memo) => {
                let current = project
                    .memos
                    .get(&memo.id)
                    .ok_or_else(|| EditError::UnknownMemo(memo.id.clone()))?;
                expect(current == &**memo, "memo")?;
                if project.reviews_of(&memo.id).next().is_some() {
                    return Err(EditError::MemoHasReviews(memo.id.clone()));
                }
                project.memos.remove(&memo.id);
                touched.insert(FileKey::Memo(memo.author.clone(), memo.id.clone()));
            }
            Edit::AddReview(review) => {
                let key = (review.reviewer.clone(), review.memo.clone());
                if project.reviews.contains_key(&key) {
                    return Err(EditError::ReviewExists {
                        reviewer: key.0,
                        memo: key.1,
                    });
                }
                check_review(project, review)?;
                project.reviews.insert(key, (**review).clone());
                touched.insert(FileKey::Review(
                    review.reviewer.clone(),
                    review.memo.clone(),
                ));
            }
            Edit::RemoveReview(review) => {
                let key = (review.reviewer.clone(), review.memo.clone());
                let current = current_review(project, &key)?;
                expect(current == &**review, "review")?;
                project.reviews.remove(&key);
                touched.insert(FileKey::Review(key.0, key.1));
            }
            Edit::UpdateReview { before, after } => {
                if before.reviewer != after.reviewer || before.memo != after.memo {
                    return Err(EditError::Immutable("a review's reviewer and memo"));
                }
                let key = (before.reviewer.clone(), before.memo.clone());
                let current = current_review(project, &key)?;
                expect(current == &**before, "review")?;
                project.reviews.insert(key.clone(), (**after).clone());
                touched.insert(FileKey::Review(key.0, key.1));
            }
            Edit::UpdateMemo { before, after } => {
                if before.id != after.id || before.author != after.author {
                    return Err(EditError::Immutable("a memo's id and author"));
                }
                let current = project
                    .memos
                    .get(&before.id)
                    .ok_or_else(|| EditError::UnknownMemo(before.id.clone()))?;
                expect(current == &**before, "memo")?;
                check_memo(project, after)?;
                project.memos.insert(after.id.clone(), (**after).clone());
                touched.insert(FileKey::Memo(after.author.clone(), after.id.clone()));
            }
            Edit::AddTranscript(transcript) => {
                if project.transcripts.contains_key(&transcript.id) {
                    return Err(EditError::TranscriptExists(transcript.id.clone()));
                }
                let meta = &transcript.meta;
                if meta.sha256 != sha256_hex(transcript.text())
                    || meta.chars != transcript.char_len()
                {
                    return Err(EditError::TranscriptHashMismatch(transcript.id.clone()));
                }
                project
                    .transcripts
                    .insert(transcript.id.clone(), (**transcript).clone());
                touched.insert(FileKey::TranscriptText(transcript.id.clone()));
                touched.insert(FileKey::TranscriptMeta(transcript.id.clone()));
            }
            Edit::RemoveTranscript(transcript) => {
                let id = &transcript.id;
                let current = project
                    .transcripts
                    .get(id)
                    .ok_or_else(|| EditError::UnknownTranscript(id.clone()))?;
                expect(current == &**transcript, "transcript")?;
                let uses = project.all_segments().filter(|(_, t, _)| *t == id).count()
                    + memo_links_to(project, &MemoLink::Transcript(id.clone()))
                    + project
                        .meta
                        .rounds
                        .iter()
                        .filter(|r| r.transcripts.contains(id))
                        .count();
                if uses > 0 {
                    return Err(EditError::TranscriptInUse(id.clone(), uses));
                }
                project.transcripts.remove(id);
                touched.insert(FileKey::TranscriptText(id.clone()));
                touched.insert(FileKey::TranscriptMeta(id.clone()));
            }
            Edit::UpdateTranscriptMeta { id, before, after } => {
                let current = project
                    .transcripts
                    .get_mut(id)
                    .ok_or_else(|| EditError::UnknownTranscript(id.clone()))?;
                // The hash and length record the text; they may change only to accept the
                // text as it now is (after it was edited outside the tool).
                let accepts_text = after.sha256
                    == crate::model::transcript::sha256_hex(current.text())
                    && after.chars == current.char_len();
                if (before.sha256 != after.sha256 || before.chars != after.chars) && !accepts_text {
                    return Err(EditError::Immutable("a transcript's hash and length"));
                }
                expect(current.meta == **before, "transcript details")?;
                current.meta = (**after).clone();
                touched.insert(FileKey::TranscriptMeta(id.clone()));
            }
            Edit::UpdateProject { before, after } => {
                expect(project.meta == **before, "project settings")?;
                if before.format != after.format {
                    return Err(EditError::Immutable("the format version"));
                }
                for gone in before
                    .coders
                    .iter()
                    .filter(|c| after.coder(&c.id).is_none())
                {
                    let has_work = project.codings.get(&gone.id).is_some_and(|c| !c.is_empty())
                        || project.memos.values().any(|m| m.author == gone.id);
                    if has_work {
                        return Err(EditError::CoderInUse(gone.id.clone()));
                    }
                }
                project.meta = (**after).clone();
                touched.insert(FileKey::Project);
            }
            Edit::SetDone {
                coder,
                transcript,
                done,
            } => {
                if project.meta.coder(coder).is_none() {
                    return Err(EditError::UnknownCoder(coder.clone()));
                }
                if project.transcript(transcript).is_none() {
                    return Err(EditError::UnknownTranscript(transcript.clone()));
                }
                let key = (coder.clone(), transcript.clone());
                expect(project.done.contains(&key) != *done, "done mark")?;
                if *done {
                    project.done.insert(key);
                } else {
                    project.done.remove(&key);
                }
                touched.insert(FileKey::Coding(coder.clone(), transcript.clone()));
            }
            Edit::Batch { edits, .. } => {
                for (done, edit) in edits.iter().enumerate() {
                    match edit.apply(project) {
                        Ok(t) => touched.extend(t),
                        Err(e) => {
                            // Roll back what this batch already did, newest first.
                            for applied in edits[..done].iter().rev() {
                                let _ = applied.inverse().apply(project);
                            }
                            return Err(e);
                        }
                    }
                }
            }
        }
        Ok(touched)
    }
}

fn expect(holds: bool, what: &'static str) -> Result<(), EditError> {
    if holds {
        Ok(())
    } else {
        Err(EditError::Stale(what))
    }
}

fn memo_links_to(project: &Project, link: &MemoLink) -> usize {
    project
        .memos
        .values()
        .filter(|m| m.links.contains(link))
        .count()
}

fn segments_mut<'p>(
    project: &'p mut Project,
    coder: &CoderId,
    transcript: &TranscriptId,
) -> &'p mut Vec<Segment> {
    project
        .codings
        .entry(coder.clone())
        .or_default()
        .entry(transcript.clone())
        .or_default()
}

fn prune_empty_coding(project: &mut Project, coder: &CoderId, transcript: &TranscriptId) {
    if let Some(by_transcript) = project.codings.get_mut(coder) {
        if by_transcript.get(transcript).is_some_and(Vec::is_empty) {
            by_transcript.remove(transcript);
        }
        if by_transcript.is_empty() {
            project.codings.remove(coder);
        }
    }
}

fn find_segment(
    project: &Project,
    coder: &CoderId,
    transcript: &TranscriptId,
    segment: &Segment,
) -> Result<usize, EditError> {
    let segments = project.segments(coder, transcript);
    let index = segments
        .iter()
        .position(|s| s.id == segment.id)
        .ok_or_else(|| EditError::UnknownSegment(segment.id.clone()))?;
    expect(segments[index] == *segment, "segment")?;
    Ok(index)
}

/// A segment must lie inside its transcript, quote exactly the text at its offsets, and carry
/// at least one known code, each once.
fn check_segment(
    project: &Project,
    coder: &CoderId,
    transcript_id: &TranscriptId,
    segment: &Segment,
) -> Result<(), EditError> {
    if project.meta.coder(coder).is_none() {
        return Err(EditError::UnknownCoder(coder.clone()));
    }
    let transcript = project
        .transcript(transcript_id)
        .ok_or_else(|| EditError::UnknownTranscript(transcript_id.clone()))?;
    if segment.start >= segment.end || segment.end > transcript.char_len() {
        return Err(EditError::SegmentOutOfBounds {
            transcript: transcript_id.clone(),
            start: segment.start,
            end: segment.end,
            len: transcript.char_len(),
        });
    }
    if transcript.slice(segment.start, segment.end) != Some(segment.text.as_str()) {
        return Err(EditError::SegmentTextMismatch(segment.id.clone()));
    }
    if segment.codes.is_empty() {
        return Err(EditError::SegmentWithoutCodes(segment.id.clone()));
    }
    for (i, code) in segment.codes.iter().enumerate() {
        if !project.codebook.contains(code) {
            return Err(EditError::UnknownCodeOnSegment {
                segment: segment.id.clone(),
                code: code.clone(),
            });
        }
        if segment.codes[..i].contains(code) {
            return Err(EditError::RepeatedCode(segment.id.clone(), code.clone()));
        }
    }
    Ok(())
}

fn current_review<'p>(
    project: &'p Project,
    key: &(CoderId, MemoId),
) -> Result<&'p MemoReview, EditError> {
    project
        .reviews
        .get(key)
        .ok_or_else(|| EditError::UnknownReview {
            reviewer: key.0.clone(),
            memo: key.1.clone(),
        })
}

fn check_review(project: &Project, review: &MemoReview) -> Result<(), EditError> {
    if project.meta.person(&review.reviewer).is_none() {
        return Err(EditError::UnknownCoder(review.reviewer.clone()));
    }
    if project.memo(&review.memo).is_none() {
        return Err(EditError::UnknownMemo(review.memo.clone()));
    }
    Ok(())
}

fn check_memo(project: &Project, memo: &Memo) -> Result<(), EditError> {
    if project.meta.coder(&memo.author).is_none() {
        return Err(EditError::UnknownCoder(memo.author.clone()));
    }
    for link in &memo.links {
        let exists = match link {
            MemoLink::Code(id) => project.codebook.contains(id),
            MemoLink::Transcript(id) => project.transcript(id).is_some(),
            MemoLink::Segment(r) => project
                .segments(&r.coder, &r.transcript)
                .iter()
                .any(|s| s.id == r.id),
        };
        if !exists {
            return Err(EditError::BrokenMemoLink {
                memo: memo.id.clone(),
                link: link.clone(),
            });
        }
    }
    Ok(())
}
