//! Auto-coding: every search hit (widened to a sentence, turn or paragraph), every turn of a
//! speaker, or every answer to the interviewer's questions that contain some words, coded with
//! one code in one [`Edit::Batch`], so it is one undo step and one save. Text the coder has
//! already coded with the code is left alone and counted.

use crate::analysis::search::{Hit, hits_in};
use crate::model::{CodeId, CoderId, Edit, Project, Segment, SegmentId, Transcript, TranscriptId};
use crate::text::structure::{paragraph_bounds, sentence_bounds};
use crate::text::{SpeakerRole, Turn, find_turns};
use std::collections::BTreeMap;

/// What to code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Every (case-insensitive) occurrence of the words, widened to a [`Unit`].
    Search(String),
    /// Every turn of the speaker with this label (case-insensitive: "Participant 3", "P3").
    Speaker(String),
    /// The answers (every turn up to the next interviewer turn) to the interviewer's turns
    /// containing these words.
    Question(String),
}

/// How far a search hit is widened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Hit,
    Sentence,
    Turn,
    Paragraph,
}

/// One stretch of text to code, in chars of its transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub transcript: TranscriptId,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// What an auto-coding would do.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The passages to code, in interview and reading order.
    pub passages: Vec<Passage>,
    /// Passages found that the coder has already coded with the code.
    pub already_coded: usize,
    /// The one edit coding every passage (`None` when there is nothing to code).
    pub edit: Option<Edit>,
}

impl Plan {
    /// How many transcripts the passages are in.
    pub fn transcripts(&self) -> usize {
        let mut ids: Vec<&TranscriptId> = self.passages.iter().map(|p| &p.transcript).collect();
        ids.dedup();
        ids.len()
    }

    /// "14 passages in 8 transcripts; 3 already coded"
    pub fn summary(&self) -> String {
        let count =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "{} in {}; {} already coded",
            count(self.passages.len(), "passage", "passages"),
            count(self.transcripts(), "transcript", "transcripts"),
            self.already_coded
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AutocodeError {
    #[error("nothing to look for: the words are empty")]
    EmptyQuery,
    #[error("no transcript {0}")]
    UnknownTranscript(TranscriptId),
    #[error("no code {0}")]
    UnknownCode(CodeId),
}

/// Why a passage given as `TRANSCRIPT:START-END` was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PassageError {
    #[error(
        "{0:?}: give TRANSCRIPT:START-END (in characters, as `thematic suggest` lists them), e.g. p03:120-200"
    )]
    Form(String),
    #[error("{given:?}: no transcript {id}")]
    UnknownTranscript { given: String, id: String },
    #[error("{given:?}: {id} has {length} characters; give START < END <= {length}")]
    OutOfRange {
        given: String,
        id: TranscriptId,
        length: usize,
    },
}

/// The passage `given` names, as `TRANSCRIPT:START-END` (a suggestion's place, as `thematic
/// suggest` lists it and its JSON gives `transcript`, `start` and `end`), checked against
/// `project`: the transcript exists and the range is inside it.
pub fn passage_at(project: &Project, given: &str) -> Result<Hit, PassageError> {
    let form = || PassageError::Form(given.to_string());
    let (id, range) = given.rsplit_once(':').ok_or_else(form)?;
    let (start, end) = range.split_once('-').ok_or_else(form)?;
    let (start, end): (usize, usize) = (
        start.trim().parse().map_err(|_| form())?,
        end.trim().parse().map_err(|_| form())?,
    );
    let unknown = || PassageError::UnknownTranscript {
        given: given.to_string(),
        id: id.to_string(),
    };
    let id = TranscriptId::new(id.trim()).map_err(|_| unknown())?;
    let transcript = project.transcript(&id).ok_or_else(unknown)?;
    let length = transcript.char_len();
    if start >= end || end > length {
        return Err(PassageError::OutOfRange {
            given: given.to_string(),
            id,
            length,
        });
    }
    Ok(Hit {
        transcript: id,
        start,
        end,
    })
}

/// Plans coding `code` for `coder` wherever `source` finds text, in the transcripts `only`
/// (every transcript when empty).
pub fn plan(
    project: &Project,
    coder: &CoderId,
    code: &CodeId,
    source: &Source,
    unit: Unit,
    only: &[TranscriptId],
) -> Result<Plan, AutocodeError> {
    if project.codebook.get(code).is_none() {
        return Err(AutocodeError::UnknownCode(code.clone()));
    }
    let words = match source {
        Source::Search(w) | Source::Speaker(w) | Source::Question(w) => w.trim(),
    };
    if words.is_empty() {
        return Err(AutocodeError::EmptyQuery);
    }
    for id in only {
        if project.transcript(id).is_none() {
            return Err(AutocodeError::UnknownTranscript(id.clone()));
        }
    }
    let wanted = |t: &Transcript| only.is_empty() || only.contains(&t.id);
    Ok(plan_found(project, coder, code, |t| {
        if wanted(t) {
            found_in(t, source, words, unit)
        } else {
            Vec::new()
        }
    }))
}

/// Plans coding `code` for `coder` at each of `hits` (a search list's hits, or the ones the
/// coder marked there), each widened to `unit` as [`plan`] widens a search's hits. The code
/// is not looked up, so a batch may create it first.
pub fn plan_hits(
    project: &Project,
    coder: &CoderId,
    code: &CodeId,
    hits: &[Hit],
    unit: Unit,
) -> Plan {
    let mut by_transcript: BTreeMap<&TranscriptId, Vec<(usize, usize)>> = BTreeMap::new();
    for hit in hits {
        by_transcript
            .entry(&hit.transcript)
            .or_default()
            .push((hit.start, hit.end));
    }
    plan_found(project, coder, code, |t| {
        let Some(found) = by_transcript.get(&t.id) else {
            return Vec::new();
        };
        let turns = find_turns(t.text());
        found
            .iter()
            .filter_map(|&hit| widen(t, &turns, hit, unit))
            .collect()
    })
}

/// The plan coding every range `found` gives for each transcript (in interview order),
/// overlapping ranges joined, skipping those the coder has already coded with `code`.
fn plan_found(
    project: &Project,
    coder: &CoderId,
    code: &CodeId,
    mut found: impl FnMut(&Transcript) -> Vec<(usize, usize)>,
) -> Plan {
    let mut plan = Plan {
        passages: Vec::new(),
        already_coded: 0,
        edit: None,
    };
    let mut edits = Vec::new();
    for t in project.transcripts_in_order() {
        let ranges = merge(found(t));
        if ranges.is_empty() {
            continue;
        }
        let own = project.segments(coder, &t.id);
        for (start, end) in ranges {
            let coded = own
                .iter()
                .any(|s| s.codes.contains(code) && s.overlaps(start, end));
            if coded {
                plan.already_coded += 1;
                continue;
            }
            let Some(text) = t.slice(start, end) else {
                continue;
            };
            edits.push(coding_edit(own, coder, t, code, start, end, text));
            plan.passages.push(Passage {
                transcript: t.id.clone(),
                start,
                end,
                text: text.to_string(),
            });
        }
    }
    if !edits.is_empty() {
        plan.edit = Some(Edit::Batch {
            label: format!("Auto-coded {} passage(s)", edits.len()),
            edits,
        });
    }
    plan
}

/// The edit coding `[start, end)` of transcript `t` with `code` for `coder` (as an accepted
/// suggestion is coded); `None` when the range does not fit the transcript.
pub fn code_passage(
    project: &Project,
    coder: &CoderId,
    t: &TranscriptId,
    code: &CodeId,
    start: usize,
    end: usize,
) -> Option<Edit> {
    let transcript = project.transcript(t)?;
    let text = transcript.slice(start, end).filter(|_| start < end)?;
    let own = project.segments(coder, t);
    Some(coding_edit(own, coder, transcript, code, start, end, text))
}

/// Adds the code to the coder's segment of exactly this range if there is one (so the same
/// text is not two segments), else makes a new segment.
fn coding_edit(
    own: &[Segment],
    coder: &CoderId,
    t: &Transcript,
    code: &CodeId,
    start: usize,
    end: usize,
    text: &str,
) -> Edit {
    if let Some(same) = own.iter().find(|s| s.start == start && s.end == end) {
        let mut after = same.clone();
        after.codes.push(code.clone());
        after.updated = Some(jiff::Timestamp::now());
        return Edit::UpdateSegment {
            coder: coder.clone(),
            transcript: t.id.clone(),
            before: same.clone(),
            after,
        };
    }
    Edit::AddSegment {
        coder: coder.clone(),
        transcript: t.id.clone(),
        segment: Segment {
            id: SegmentId::random(),
            start,
            end,
            codes: vec![code.clone()],
            text: text.to_string(),
            created: jiff::Timestamp::now(),
            updated: None,
        },
    }
}

/// The char ranges `source` finds in `t`, possibly overlapping, in no particular order.
fn found_in(t: &Transcript, source: &Source, words: &str, unit: Unit) -> Vec<(usize, usize)> {
    match source {
        Source::Search(_) => {
            let turns = find_turns(t.text());
            hits_in(t.text(), words)
                .into_iter()
                .filter_map(|hit| widen(t, &turns, hit, unit))
                .collect()
        }
        Source::Speaker(_) => {
            let wanted = words.to_lowercase();
            find_turns(t.text())
                .iter()
                .filter(|turn| turn.label.to_lowercase() == wanted)
                .filter_map(|turn| speech(t, turn.speech_start, turn.end))
                .collect()
        }
        Source::Question(_) => answers(t, words),
    }
}

/// The answers to the interviewer turns containing `words`: from the first turn after such a
/// question to the end of the last turn before the next interviewer turn.
fn answers(t: &Transcript, words: &str) -> Vec<(usize, usize)> {
    let turns = find_turns(t.text());
    let mut found = Vec::new();
    for (i, turn) in turns.iter().enumerate() {
        if turn.role != SpeakerRole::Interviewer || !turn_contains(t, turn, words) {
            continue;
        }
        let answer: Vec<&Turn> = turns[i + 1..]
            .iter()
            .take_while(|next| next.role != SpeakerRole::Interviewer)
            .collect();
        if let (Some(first), Some(last)) = (answer.first(), answer.last())
            && let Some(range) = speech(t, first.speech_start, last.end)
        {
            found.push(range);
        }
    }
    found
}

fn turn_contains(t: &Transcript, turn: &Turn, words: &str) -> bool {
    t.slice(turn.speech_start, turn.end)
        .is_some_and(|said| !hits_in(said, words).is_empty())
}

/// `[start, end)` without the whitespace at either end; `None` if nothing is left.
fn speech(t: &Transcript, start: usize, end: usize) -> Option<(usize, usize)> {
    let text = t.slice(start, end)?;
    let lead = text.chars().take_while(|c| c.is_whitespace()).count();
    let trail = text.chars().rev().take_while(|c| c.is_whitespace()).count();
    let (start, end) = (start + lead, end.saturating_sub(trail));
    (start < end).then_some((start, end))
}

/// A hit widened to its sentence, turn or paragraph, never taking in the speaker's label.
fn widen(
    t: &Transcript,
    turns: &[Turn],
    (start, end): (usize, usize),
    unit: Unit,
) -> Option<(usize, usize)> {
    let text = t.text();
    let index = t.index();
    let to_chars = |(from, to): (usize, usize)| {
        Some((
            index.byte_to_char(text, from)?,
            index.byte_to_char(text, to)?,
        ))
    };
    let widened = match unit {
        Unit::Hit => (start, end),
        Unit::Sentence => {
            let (s, _) = to_chars(sentence_bounds(text, index.char_to_byte(text, start)?))?;
            let last = end.saturating_sub(1).max(start);
            let (_, e) = to_chars(sentence_bounds(text, index.char_to_byte(text, last)?))?;
            (s, e.max(end))
        }
        Unit::Paragraph => {
            let (s, e) = to_chars(paragraph_bounds(text, index.char_to_byte(text, start)?))?;
            (s, e.max(end))
        }
        Unit::Turn => turn_of(turns, start).map_or((start, end), |turn| {
            (turn.speech_start.min(start), turn.end.max(end))
        }),
    };
    let from = match turn_of(turns, start) {
        Some(turn) if turn.speech_start <= start => widened.0.max(turn.speech_start),
        _ => widened.0,
    };
    speech(t, from, widened.1)
}

/// The turn that char `at` is in.
fn turn_of(turns: &[Turn], at: usize) -> Option<&Turn> {
    let after = turns.partition_point(|turn| turn.start <= at);
    after
        .checked_sub(1)
        .map(|i| &turns[i])
        .filter(|turn| at < turn.end)
}

/// Sorts ranges and joins overlapping ones, so two hits in one sentence code it once.
fn merge(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start < last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}
