//! Codebook operations as edits: each builds one [`Edit`] (often a batch) against the current
//! project, so that applying it is one step of the undo history, and undoing it puts every
//! segment, memo and node back.

use super::codebook::{Code, Position};
use super::coding::Segment;
use super::edit::Edit;
use super::ids::{CodeId, CoderId, SegmentId, TranscriptId};
use super::memo::MemoLink;
use super::project::Project;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OpError {
    #[error("no code with id {0}")]
    UnknownCode(CodeId),
    #[error("a code cannot be merged into itself")]
    SameCode,
    #[error("{0:?} is inside {1:?}; merge the other way round, or move it out first")]
    IntoOwnSubtree(String, String),
    #[error(
        "{name:?} is used by {segments} segment(s) and {memos} memo(s); choose a code to move them to"
    )]
    InUse {
        name: String,
        segments: usize,
        memos: usize,
    },
    #[error("no segments chosen")]
    NothingChosen,
    #[error("segment {0} does not carry the code being split")]
    NotOnCode(SegmentId),
    #[error("there is nowhere further to move it")]
    NoRoom,
    #[error(transparent)]
    Edit(#[from] super::edit::EditError),
}

/// A segment of some coder in some transcript.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SegmentAt {
    pub coder: CoderId,
    pub transcript: TranscriptId,
    pub id: SegmentId,
}

fn code(project: &Project, id: &CodeId) -> Result<Code, OpError> {
    project
        .codebook
        .get(id)
        .cloned()
        .ok_or_else(|| OpError::UnknownCode(id.clone()))
}

/// Changes a code's definition (rename, describe, recolour, level, tags).
pub fn update_code(
    project: &Project,
    id: &CodeId,
    change: impl FnOnce(&mut Code),
) -> Result<Edit, OpError> {
    let before = code(project, id)?;
    let mut after = before.clone();
    change(&mut after);
    Ok(Edit::UpdateCode { before, after })
}

/// Moves a code under `parent` (None: the top level), at the end of its children.
pub fn move_under(
    project: &Project,
    id: &CodeId,
    parent: Option<&CodeId>,
) -> Result<Edit, OpError> {
    let from = project
        .codebook
        .position(id)
        .ok_or_else(|| OpError::UnknownCode(id.clone()))?;
    let siblings = project.codebook.children(parent).len();
    let index = if from.parent.as_ref() == parent {
        siblings - 1
    } else {
        siblings
    };
    Ok(Edit::MoveCode {
        id: id.clone(),
        from,
        to: Position {
            parent: parent.cloned(),
            index,
        },
    })
}

/// Moves a code up (`-1`) or down (`+1`) among its siblings.
pub fn reorder(project: &Project, id: &CodeId, delta: isize) -> Result<Edit, OpError> {
    let from = project
        .codebook
        .position(id)
        .ok_or_else(|| OpError::UnknownCode(id.clone()))?;
    let len = project.codebook.children(from.parent.as_ref()).len() as isize;
    let index = from.index as isize + delta;
    if index < 0 || index >= len {
        return Err(OpError::NoRoom);
    }
    let to = Position {
        parent: from.parent.clone(),
        index: index as usize,
    };
    Ok(Edit::MoveCode {
        id: id.clone(),
        from,
        to,
    })
}

/// Every segment (all coders) carrying `code`, with where it is.
fn segments_with<'p>(
    project: &'p Project,
    code: &CodeId,
) -> Vec<(CoderId, TranscriptId, &'p Segment)> {
    project
        .all_segments()
        .filter(|(_, _, s)| s.codes.contains(code))
        .map(|(c, t, s)| (c.clone(), t.clone(), s))
        .collect()
}

/// Edits that put `target` in place of `source` on every segment and memo link; a segment
/// or memo that already has `target` keeps it once.
fn retarget(project: &Project, source: &CodeId, target: &CodeId) -> Vec<Edit> {
    let now = jiff::Timestamp::now();
    let mut edits: Vec<Edit> = segments_with(project, source)
        .into_iter()
        .map(|(coder, transcript, before)| {
            let mut after = before.clone();
            after.codes = replace_once(&before.codes, source, target);
            after.updated = Some(now);
            Edit::UpdateSegment {
                coder,
                transcript,
                before: before.clone(),
                after,
            }
        })
        .collect();
    let link = MemoLink::Code(source.clone());
    for memo in project.memos().filter(|m| m.links.contains(&link)) {
        let mut after = memo.clone();
        after.links = replace_once(&memo.links, &link, &MemoLink::Code(target.clone()));
        edits.push(Edit::UpdateMemo {
            before: Box::new(memo.clone()),
            after: Box::new(after),
        });
    }
    edits
}

/// `items` with `from` replaced by `to`, keeping the first occurrence of `to` only.
fn replace_once<T: Clone + PartialEq>(items: &[T], from: &T, to: &T) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for item in items {
        let item = if item == from { to } else { item };
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
    out
}

/// Builds a batch step by step on a scratch copy of the project, so each edit is prepared
/// against the state the previous ones leave.
struct Builder {
    scratch: Project,
    edits: Vec<Edit>,
}

impl Builder {
    fn new(project: &Project) -> Builder {
        Builder {
            scratch: project.clone(),
            edits: Vec::new(),
        }
    }

    fn push(&mut self, edit: Edit) -> Result<(), OpError> {
        edit.apply(&mut self.scratch)?;
        self.edits.push(edit);
        Ok(())
    }

    /// Moves every child of `from` under `to` (None: the top level), in order.
    fn move_children(&mut self, from: &CodeId, to: Option<&CodeId>) -> Result<(), OpError> {
        while let Some(child) = self.scratch.codebook.children(Some(from)).first().cloned() {
            let edit = move_under(&self.scratch, &child, to)?;
            self.push(edit)?;
        }
        Ok(())
    }

    fn remove(&mut self, id: &CodeId) -> Result<(), OpError> {
        let at = self
            .scratch
            .codebook
            .position(id)
            .ok_or_else(|| OpError::UnknownCode(id.clone()))?;
        let code = code(&self.scratch, id)?;
        self.push(Edit::RemoveCode { code, at })
    }

    fn finish(self, label: String) -> Edit {
        Edit::Batch {
            label,
            edits: self.edits,
        }
    }
}

/// Merges `source` into `target`: its segments and memo links move to `target` (a segment
/// with both keeps one), its children move under `target`, and `source` is removed.
pub fn merge(project: &Project, source: &CodeId, target: &CodeId) -> Result<Edit, OpError> {
    let from = code(project, source)?;
    let into = code(project, target)?;
    if source == target {
        return Err(OpError::SameCode);
    }
    if project.codebook.subtree(source).contains(target) {
        return Err(OpError::IntoOwnSubtree(into.name, from.name));
    }
    let mut builder = Builder::new(project);
    builder.move_children(source, Some(target))?;
    for edit in retarget(&builder.scratch, source, target) {
        builder.push(edit)?;
    }
    builder.remove(source)?;
    Ok(builder.finish(format!("merge {:?} into {:?}", from.name, into.name)))
}

/// Splits the chosen segments off `source` onto a new code placed at `at`.
pub fn split(
    project: &Project,
    source: &CodeId,
    new_code: Code,
    at: Position,
    chosen: &[SegmentAt],
) -> Result<Edit, OpError> {
    let from = code(project, source)?;
    if chosen.is_empty() {
        return Err(OpError::NothingChosen);
    }
    let label = format!("split {:?} off {:?}", new_code.name, from.name);
    let new_id = new_code.id.clone();
    let mut edits = vec![Edit::AddCode { code: new_code, at }];
    let now = jiff::Timestamp::now();
    for pick in chosen {
        let before = project
            .segments(&pick.coder, &pick.transcript)
            .iter()
            .find(|s| s.id == pick.id && s.codes.contains(source))
            .ok_or_else(|| OpError::NotOnCode(pick.id.clone()))?;
        let mut after = before.clone();
        after.codes = replace_once(&before.codes, source, &new_id);
        after.updated = Some(now);
        edits.push(Edit::UpdateSegment {
            coder: pick.coder.clone(),
            transcript: pick.transcript.clone(),
            before: before.clone(),
            after,
        });
    }
    Ok(Edit::Batch { label, edits })
}

/// Deletes a code. Its children move up to its parent. A code in use (by segments or memos)
/// is deleted only with `reassign_to`, which receives them, as in a merge.
pub fn delete(
    project: &Project,
    id: &CodeId,
    reassign_to: Option<&CodeId>,
) -> Result<Edit, OpError> {
    let doomed = code(project, id)?;
    let segments = segments_with(project, id).len();
    let memos = project
        .memos()
        .filter(|m| m.links.contains(&MemoLink::Code(id.clone())))
        .count();
    match reassign_to {
        Some(target) => {
            let mut edit = merge(project, id, target)?;
            if let Edit::Batch { label, .. } = &mut edit {
                *label = format!(
                    "delete {:?}, its coding moved to {:?}",
                    doomed.name,
                    project.codebook.get(target).map_or("", |c| &c.name)
                );
            }
            Ok(edit)
        }
        None if segments + memos > 0 => Err(OpError::InUse {
            name: doomed.name,
            segments,
            memos,
        }),
        None => {
            let mut builder = Builder::new(project);
            let parent = project.codebook.parent(id).cloned();
            builder.move_children(id, parent.as_ref())?;
            builder.remove(id)?;
            Ok(builder.finish(format!("delete {:?}", doomed.name)))
        }
    }
}
