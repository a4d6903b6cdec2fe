//! The audit trail: codebook decisions (a code created, renamed, defined, moved, merged,
//! split, deleted, and undos of those) with who made them and when, so a reviewer can see how
//! the codebook grew. Each coder's trail is their own file, `audit/<coder>.yaml`, appended to
//! and never rewritten by undo: undoing a decision is itself recorded.

use super::codebook::Code;
use super::edit::Edit;
use super::ids::{CodeId, CoderId};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditEntry {
    pub at: Timestamp,
    /// What was decided, in words, with the codes' names at the time.
    pub decision: String,
    /// The codes concerned, by id (names change; ids do not).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<CodeId>,
}

/// `audit/<coder>.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditTrail {
    pub coder: CoderId,
    #[serde(default)]
    pub entries: Vec<AuditEntry>,
}

/// How the label of a resolution of a disagreement begins, so that the resolution and its
/// undo and redo are recorded like codebook decisions.
pub const RESOLUTION: &str = "resolved a disagreement";

/// How the record of a reveal during blind double coding begins; the transcript id follows.
pub const REVEALED: &str = "revealed the other coders' work on";

/// The record of `coder` revealing the others' work on `t` before everyone had finished it.
pub fn reveal_decision(t: &super::ids::TranscriptId) -> String {
    format!("{REVEALED} {t} before every coder of its round had finished it")
}

/// Transcripts anyone revealed while coding them blind, from every coder's trail.
pub fn revealed(project: &super::project::Project) -> std::collections::BTreeSet<String> {
    project
        .audit()
        .into_iter()
        .filter_map(|(_, e)| e.decision.strip_prefix(REVEALED))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// The codes a segment edit adds or takes away.
fn changed_codes(edit: &Edit) -> Vec<CodeId> {
    match edit {
        Edit::AddSegment { segment, .. } | Edit::RemoveSegment { segment, .. } => {
            segment.codes.clone()
        }
        Edit::UpdateSegment { before, after, .. } => before
            .codes
            .iter()
            .filter(|c| !after.codes.contains(c))
            .chain(after.codes.iter().filter(|c| !before.codes.contains(c)))
            .cloned()
            .collect(),
        _ => Vec::new(),
    }
}

/// The codebook decision an edit makes, if it makes one.
pub fn decision(edit: &Edit) -> Option<(String, Vec<CodeId>)> {
    match edit {
        Edit::Batch { label, edits } if label.starts_with(RESOLUTION) => Some((
            label.clone(),
            dedup(edits.iter().flat_map(changed_codes).collect()),
        )),
        Edit::AddCode { code, .. } => Some((
            format!("created the {} {:?}", code.level.label(), code.name),
            vec![code.id.clone()],
        )),
        Edit::RemoveCode { code, .. } => {
            Some((format!("deleted {:?}", code.name), vec![code.id.clone()]))
        }
        Edit::UpdateCode { before, after } => {
            Some((describe_change(before, after), vec![after.id.clone()]))
        }
        Edit::MoveCode { id, .. } => Some(("moved a code".into(), vec![id.clone()])),
        Edit::Batch { label, edits } => {
            let codes: Vec<CodeId> = edits
                .iter()
                .filter_map(decision)
                .flat_map(|(_, c)| c)
                .collect();
            (!codes.is_empty()).then(|| (label.clone(), dedup(codes)))
        }
        _ => None,
    }
}

fn dedup(mut codes: Vec<CodeId>) -> Vec<CodeId> {
    let mut seen = std::collections::HashSet::new();
    codes.retain(|c| seen.insert(c.clone()));
    codes
}

fn describe_change(before: &Code, after: &Code) -> String {
    let mut parts = Vec::new();
    if before.name != after.name {
        parts.push(format!("renamed {:?} to {:?}", before.name, after.name));
    }
    if (
        &before.description,
        &before.inclusion,
        &before.exclusion,
        &before.example,
    ) != (
        &after.description,
        &after.inclusion,
        &after.exclusion,
        &after.example,
    ) {
        parts.push(format!("rewrote the definition of {:?}", after.name));
    }
    if before.level != after.level {
        parts.push(format!("made {:?} a {}", after.name, after.level.label()));
    }
    if before.tags != after.tags {
        parts.push(format!(
            "tagged {:?} [{}]",
            after.name,
            after.tags.join(", ")
        ));
    }
    if before.colour != after.colour {
        parts.push(format!("recoloured {:?}", after.name));
    }
    if parts.is_empty() {
        format!("changed {:?}", after.name)
    } else {
        parts.join("; ")
    }
}
