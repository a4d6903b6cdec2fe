//! Transcripts edited outside thematic: their recorded hash no longer matches the text. Each
//! segment whose quoted text is no longer at its offsets is re-anchored where that text now
//! occurs exactly once; the others are left where they were and listed.

use super::check::find_unique;
use crate::model::transcript::sha256_hex;
use crate::model::{CoderId, Edit, Project, Segment, TranscriptId};

/// What re-anchoring one transcript would do.
#[derive(Debug, Clone, Default)]
pub struct Drift {
    pub transcript: Option<TranscriptId>,
    /// Segments moved to where their quote now is: (coder, before, after).
    pub moved: Vec<(CoderId, Segment, Segment)>,
    /// Segments whose quote is not found exactly once: (coder, segment).
    pub lost: Vec<(CoderId, Segment)>,
}

/// One [`Drift`] per transcript whose text changed outside the tool.
pub fn drifts(project: &Project) -> Vec<Drift> {
    let mut all = Vec::new();
    for t in project.transcripts_in_order() {
        if sha256_hex(t.text()) == t.meta.sha256 {
            continue;
        }
        let mut drift = Drift {
            transcript: Some(t.id.clone()),
            ..Drift::default()
        };
        for (coder, by_transcript) in project.codings() {
            for segment in by_transcript.get(&t.id).into_iter().flatten() {
                if t.slice(segment.start, segment.end) == Some(segment.text.as_str()) {
                    continue;
                }
                match find_unique(t.text(), &segment.text) {
                    Some(at) => {
                        let mut after = segment.clone();
                        after.start = at;
                        after.end = at + segment.text.chars().count();
                        drift.moved.push((coder.clone(), segment.clone(), after));
                    }
                    None => drift.lost.push((coder.clone(), segment.clone())),
                }
            }
        }
        all.push(drift);
    }
    all
}

/// The edit that applies a drift: the text accepted as it now is (its new hash and length
/// recorded) and the re-anchored segments moved. `None` when the transcript is gone.
pub fn fix(project: &Project, drift: &Drift) -> Option<Edit> {
    let id = drift.transcript.clone()?;
    let t = project.transcript(&id)?;
    let mut after = t.meta.clone();
    after.sha256 = sha256_hex(t.text());
    after.chars = t.char_len();
    // The time map follows the text's own time marks to where they now are.
    after.times = crate::model::transcript::find_time_marks(t.text());
    let mut edits = vec![Edit::UpdateTranscriptMeta {
        id: id.clone(),
        before: Box::new(t.meta.clone()),
        after: Box::new(after),
    }];
    for (coder, before, moved) in &drift.moved {
        edits.push(Edit::UpdateSegment {
            coder: coder.clone(),
            transcript: id.clone(),
            before: before.clone(),
            after: moved.clone(),
        });
    }
    Some(Edit::Batch {
        label: format!("re-anchor {id}"),
        edits,
    })
}
