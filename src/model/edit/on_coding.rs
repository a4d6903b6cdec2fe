//! Applying the coding's edits: adding, removing and changing a segment, and marking a
//! coder's transcript done. A segment must lie inside its transcript, quote exactly the text
//! at its offsets, and carry at least one known code, each once.

use super::{EditError, FileKey, Touched, expect, memo_links_to};
use crate::model::coding::{Segment, sort_segments};
use crate::model::ids::{CoderId, TranscriptId};
use crate::model::memo::{MemoLink, SegmentRef};
use crate::model::project::Project;

fn touched(coder: &CoderId, transcript: &TranscriptId) -> Touched {
    Touched::from([FileKey::Coding(coder.clone(), transcript.clone())])
}

pub(super) fn add(
    project: &mut Project,
    coder: &CoderId,
    transcript: &TranscriptId,
    segment: &Segment,
) -> Result<Touched, EditError> {
    check_segment(project, coder, transcript, segment)?;
    let segments = segments_mut(project, coder, transcript);
    if segments.iter().any(|s| s.id == segment.id) {
        return Err(EditError::SegmentExists(segment.id.clone()));
    }
    segments.push(segment.clone());
    sort_segments(segments);
    Ok(touched(coder, transcript))
}

/// Removes a segment no memo is linked to.
pub(super) fn remove(
    project: &mut Project,
    coder: &CoderId,
    transcript: &TranscriptId,
    segment: &Segment,
) -> Result<Touched, EditError> {
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
    Ok(touched(coder, transcript))
}

pub(super) fn update(
    project: &mut Project,
    coder: &CoderId,
    transcript: &TranscriptId,
    before: &Segment,
    after: &Segment,
) -> Result<Touched, EditError> {
    if before.id != after.id {
        return Err(EditError::Immutable("a segment's id"));
    }
    let index = find_segment(project, coder, transcript, before)?;
    check_segment(project, coder, transcript, after)?;
    let segments = segments_mut(project, coder, transcript);
    segments[index] = after.clone();
    sort_segments(segments);
    Ok(touched(coder, transcript))
}

/// Marks a coder's coding of a transcript done (or not done).
pub(super) fn set_done(
    project: &mut Project,
    coder: &CoderId,
    transcript: &TranscriptId,
    done: bool,
) -> Result<Touched, EditError> {
    if project.meta.coder(coder).is_none() {
        return Err(EditError::UnknownCoder(coder.clone()));
    }
    if project.transcript(transcript).is_none() {
        return Err(EditError::UnknownTranscript(transcript.clone()));
    }
    let key = (coder.clone(), transcript.clone());
    expect(project.done.contains(&key) != done, "done mark")?;
    if done {
        project.done.insert(key);
    } else {
        project.done.remove(&key);
    }
    Ok(touched(coder, transcript))
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
