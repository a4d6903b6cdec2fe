//! Applying the codebook's edits: adding, removing, changing and moving a code.

use super::{EditError, FileKey, Touched, expect, memo_links_to};
use crate::model::codebook::{Code, Position};
use crate::model::ids::CodeId;
use crate::model::memo::MemoLink;
use crate::model::project::Project;

pub(super) fn add(project: &mut Project, code: &Code, at: &Position) -> Result<Touched, EditError> {
    project.codebook.insert(code.clone(), at)?;
    Ok(Touched::from([FileKey::Codebook]))
}

/// Removes a code that has no children and is used by no segment or memo.
pub(super) fn remove(
    project: &mut Project,
    code: &Code,
    at: &Position,
) -> Result<Touched, EditError> {
    expect(
        project.codebook.get(&code.id) == Some(code),
        "code definition",
    )?;
    expect(
        project.codebook.position(&code.id).as_ref() == Some(at),
        "code position",
    )?;
    let uses =
        project.uses_of_code(&code.id) + memo_links_to(project, &MemoLink::Code(code.id.clone()));
    if uses > 0 {
        return Err(EditError::CodeInUse {
            code: code.id.clone(),
            uses,
        });
    }
    project.codebook.remove_leaf(&code.id)?;
    Ok(Touched::from([FileKey::Codebook]))
}

pub(super) fn update(
    project: &mut Project,
    before: &Code,
    after: &Code,
) -> Result<Touched, EditError> {
    if before.id != after.id {
        return Err(EditError::Immutable("a code's id"));
    }
    expect(
        project.codebook.get(&before.id) == Some(before),
        "code definition",
    )?;
    project.codebook.replace(after.clone())?;
    Ok(Touched::from([FileKey::Codebook]))
}

pub(super) fn move_to(
    project: &mut Project,
    id: &CodeId,
    from: &Position,
    to: &Position,
) -> Result<Touched, EditError> {
    expect(
        project.codebook.position(id).as_ref() == Some(from),
        "code position",
    )?;
    project.codebook.move_to(id, to)?;
    Ok(Touched::from([FileKey::Codebook]))
}
