//! How a node applied to a segment counts at its own level and rolls up to the nodes above
//! it (never to a lower level).

use super::*;

/// How high a level is: codes below sub-themes below themes.
pub(super) fn rank(level: Level) -> u8 {
    match level {
        Level::Code => 0,
        Level::SubTheme => 1,
        Level::Theme => 2,
    }
}

/// Whether a segment carrying `applied` counts for node `node`: `node` is `applied` itself,
/// or a node above it whose level is the same as `applied`'s or higher.
pub fn rolls_up_to(project: &Project, applied: &CodeId, node: &CodeId) -> bool {
    let (Some(a), Some(n)) = (project.codebook.get(applied), project.codebook.get(node)) else {
        return false;
    };
    if applied == node {
        return true;
    }
    if rank(n.level) < rank(a.level) {
        return false;
    }
    let mut at = project.codebook.parent(applied);
    while let Some(id) = at {
        if id == node {
            return true;
        }
        at = project.codebook.parent(id);
    }
    false
}

/// The nodes of `level` a segment carrying `applied` counts for: `applied` itself if it is
/// of that level, and every node of that level above it, when `level` is not below
/// `applied`'s own.
pub fn nodes_at_level(project: &Project, applied: &CodeId, level: Level) -> Vec<CodeId> {
    let Some(code) = project.codebook.get(applied) else {
        return Vec::new();
    };
    if rank(level) < rank(code.level) {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut at = Some(applied);
    while let Some(id) = at {
        if project.codebook.get(id).is_some_and(|c| c.level == level) {
            found.push(id.clone());
        }
        at = project.codebook.parent(id);
    }
    found
}
