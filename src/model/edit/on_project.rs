//! Applying the project's edits: adding and removing a transcript, changing its details, and
//! changing the project's settings (thematic.yaml).

use super::{EditError, FileKey, Touched, expect, memo_links_to};
use crate::model::ids::TranscriptId;
use crate::model::memo::MemoLink;
use crate::model::project::{Project, ProjectMeta};
use crate::model::transcript::{Transcript, TranscriptMeta, sha256_hex};

fn transcript_files(id: &TranscriptId) -> Touched {
    Touched::from([
        FileKey::TranscriptText(id.clone()),
        FileKey::TranscriptMeta(id.clone()),
    ])
}

/// Adds a transcript whose recorded hash and length are those of its text.
pub(super) fn add_transcript(
    project: &mut Project,
    transcript: &Transcript,
) -> Result<Touched, EditError> {
    if project.transcripts.contains_key(&transcript.id) {
        return Err(EditError::TranscriptExists(transcript.id.clone()));
    }
    let meta = &transcript.meta;
    if meta.sha256 != sha256_hex(transcript.text()) || meta.chars != transcript.char_len() {
        return Err(EditError::TranscriptHashMismatch(transcript.id.clone()));
    }
    project
        .transcripts
        .insert(transcript.id.clone(), transcript.clone());
    Ok(transcript_files(&transcript.id))
}

/// Removes a transcript no segment, memo or round uses.
pub(super) fn remove_transcript(
    project: &mut Project,
    transcript: &Transcript,
) -> Result<Touched, EditError> {
    let id = &transcript.id;
    let current = project
        .transcripts
        .get(id)
        .ok_or_else(|| EditError::UnknownTranscript(id.clone()))?;
    expect(current == transcript, "transcript")?;
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
    Ok(transcript_files(id))
}

pub(super) fn update_transcript_meta(
    project: &mut Project,
    id: &TranscriptId,
    before: &TranscriptMeta,
    after: &TranscriptMeta,
) -> Result<Touched, EditError> {
    let current = project
        .transcripts
        .get_mut(id)
        .ok_or_else(|| EditError::UnknownTranscript(id.clone()))?;
    // The hash and length record the text; they may change only to accept the text as it
    // now is (after it was edited outside the tool).
    let accepts_text =
        after.sha256 == sha256_hex(current.text()) && after.chars == current.char_len();
    if (before.sha256 != after.sha256 || before.chars != after.chars) && !accepts_text {
        return Err(EditError::Immutable("a transcript's hash and length"));
    }
    expect(current.meta == *before, "transcript details")?;
    current.meta = after.clone();
    Ok(Touched::from([FileKey::TranscriptMeta(id.clone())]))
}

/// Changes the project's settings; a coder may leave the list only without coding or memos.
pub(super) fn update_project(
    project: &mut Project,
    before: &ProjectMeta,
    after: &ProjectMeta,
) -> Result<Touched, EditError> {
    expect(project.meta == *before, "project settings")?;
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
    project.meta = after.clone();
    Ok(Touched::from([FileKey::Project]))
}
