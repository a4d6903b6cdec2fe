//! Folding two edits into one undo step. [`Edit::compose`] gives the single edit that does
//! what one edit then the next do, for the pairs that fold (a change of a thing followed by
//! another change of the same thing, an addition followed by a change of what was added, a
//! change followed by a removal); [`Edit::then`] always gives one step, composed where a
//! rule folds the pair and otherwise a [`Edit::Batch`].
//!
//! A pair folds only when the second edit starts exactly where the first ended (its
//! "before" is the first's "after"), so the composed edit keeps both guarantees of every
//! edit: its inverse restores exactly the state before the first, and applying it (or its
//! inverse) to a project that has changed since is refused as a whole.

use super::Edit;

impl Edit {
    /// The one edit that does what `self` then `next` do, or `None` when no rule folds them.
    pub fn compose(&self, next: &Edit) -> Option<Edit> {
        use Edit::*;
        let folded = match (self, next) {
            (AddCode { code, at }, UpdateCode { before, after }) if before == code => AddCode {
                code: after.clone(),
                at: at.clone(),
            },
            (UpdateCode { before, after: mid }, UpdateCode { before: b, after }) if b == mid => {
                UpdateCode {
                    before: before.clone(),
                    after: after.clone(),
                }
            }
            (UpdateCode { before, after: mid }, RemoveCode { code, at }) if code == mid => {
                RemoveCode {
                    code: before.clone(),
                    at: at.clone(),
                }
            }
            (
                AddSegment {
                    coder,
                    transcript,
                    segment,
                },
                UpdateSegment {
                    coder: c,
                    transcript: t,
                    before,
                    after,
                },
            ) if (c, t, before) == (coder, transcript, segment) => AddSegment {
                coder: coder.clone(),
                transcript: transcript.clone(),
                segment: after.clone(),
            },
            (
                UpdateSegment {
                    coder,
                    transcript,
                    before,
                    after: mid,
                },
                UpdateSegment {
                    coder: c,
                    transcript: t,
                    before: b,
                    after,
                },
            ) if (c, t, b) == (coder, transcript, mid) => UpdateSegment {
                coder: coder.clone(),
                transcript: transcript.clone(),
                before: before.clone(),
                after: after.clone(),
            },
            (AddMemo(added), UpdateMemo { before, after }) if before == added => {
                AddMemo(after.clone())
            }
            (UpdateMemo { before, after: mid }, UpdateMemo { before: b, after }) if b == mid => {
                UpdateMemo {
                    before: before.clone(),
                    after: after.clone(),
                }
            }
            (UpdateMemo { before, after: mid }, RemoveMemo(removed)) if removed == mid => {
                RemoveMemo(before.clone())
            }
            (AddReview(added), UpdateReview { before, after }) if before == added => {
                AddReview(after.clone())
            }
            (UpdateReview { before, after: mid }, UpdateReview { before: b, after })
                if b == mid =>
            {
                UpdateReview {
                    before: before.clone(),
                    after: after.clone(),
                }
            }
            (
                UpdateTranscriptMeta {
                    id,
                    before,
                    after: mid,
                },
                UpdateTranscriptMeta {
                    id: i,
                    before: b,
                    after,
                },
            ) if (i, b) == (id, mid) => UpdateTranscriptMeta {
                id: id.clone(),
                before: before.clone(),
                after: after.clone(),
            },
            (UpdateProject { before, after: mid }, UpdateProject { before: b, after })
                if b == mid =>
            {
                UpdateProject {
                    before: before.clone(),
                    after: after.clone(),
                }
            }
            _ => return None,
        };
        Some(folded)
    }

    /// `self` then `next` as one undo step: composed where a rule folds them (into the last
    /// edit of `self` when it is a batch), otherwise a batch of both, labelled as `self` is.
    pub fn then(self, next: Edit) -> Edit {
        if let Some(folded) = self.compose(&next) {
            return folded;
        }
        match self {
            Edit::Batch { label, mut edits } => {
                match edits.last().and_then(|last| last.compose(&next)) {
                    Some(folded) => {
                        edits.pop();
                        edits.push(folded);
                    }
                    None => edits.push(next),
                }
                Edit::Batch { label, edits }
            }
            first => Edit::Batch {
                label: first.describe(),
                edits: vec![first, next],
            },
        }
    }
}
