//! What an edit did and where, in words a researcher reads after undo or redo: "coded
//! 'Trust' on p13, line 42", with the place (transcript and char offset) the screen can go
//! to. [`super::Edit::describe`] stays the short label for the audit trail.

use super::{CodeId, Edit, Project, Segment, TranscriptId};

/// Where an edit happened: a transcript, and a char offset in it when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub transcript: TranscriptId,
    pub offset: Option<usize>,
}

/// An edit in words, and where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub text: String,
    pub place: Option<Place>,
}

/// Describes `edit` against `project` (either side of it: names come from the codebook, or
/// from the edit itself when it created or deleted the code).
pub fn summarize(project: &Project, edit: &Edit) -> Summary {
    let names = |codes: &[CodeId]| quoted_names(project, edit, codes);
    let on = |t: &TranscriptId, s: &Segment| -> (String, Option<Place>) {
        let line = line_at(project, t, s.start)
            .map(|l| format!(", line {l}"))
            .unwrap_or_default();
        (
            format!("{t}{line}"),
            Some(Place {
                transcript: t.clone(),
                offset: Some(s.start),
            }),
        )
    };
    match edit {
        Edit::AddSegment {
            transcript,
            segment,
            ..
        } => {
            let (where_, place) = on(transcript, segment);
            Summary {
                text: format!("coded {} on {where_}", names(&segment.codes)),
                place,
            }
        }
        Edit::RemoveSegment {
            transcript,
            segment,
            ..
        } => {
            let (where_, place) = on(transcript, segment);
            Summary {
                text: format!(
                    "removed the segment coded {} on {where_}",
                    names(&segment.codes)
                ),
                place,
            }
        }
        Edit::UpdateSegment {
            transcript,
            before,
            after,
            ..
        } => {
            let (where_, place) = on(transcript, after);
            let added: Vec<CodeId> = after
                .codes
                .iter()
                .filter(|c| !before.codes.contains(c))
                .cloned()
                .collect();
            let removed: Vec<CodeId> = before
                .codes
                .iter()
                .filter(|c| !after.codes.contains(c))
                .cloned()
                .collect();
            let text = if (before.start, before.end) != (after.start, after.end) {
                format!(
                    "adjusted the segment coded {} on {where_}",
                    names(&after.codes)
                )
            } else if !added.is_empty() {
                format!("coded {} on {where_}", names(&added))
            } else if !removed.is_empty() {
                format!("removed {} from the segment on {where_}", names(&removed))
            } else {
                format!("changed the segment on {where_}")
            };
            Summary { text, place }
        }
        Edit::SetDone { transcript, .. } | Edit::UpdateTranscriptMeta { id: transcript, .. } => {
            Summary {
                text: edit.describe(),
                place: Some(Place {
                    transcript: transcript.clone(),
                    offset: None,
                }),
            }
        }
        Edit::Batch { label, edits } if label.is_empty() => group_summary(project, edits),
        Edit::Batch { label, edits } => {
            // One place (create a code and code a passage with it) is shown; a batch that
            // touched many (a merge) has no one place to go to.
            let mut places = edits
                .iter()
                .filter_map(|e| summarize(project, e).place.filter(|p| p.offset.is_some()));
            let place = places.next().filter(|_| places.next().is_none());
            let text = match &place {
                Some(p) => format!("{label} on {}", place_words(project, p)),
                None => label.clone(),
            };
            Summary { text, place }
        }
        _ => Summary {
            text: edit.describe(),
            place: None,
        },
    }
}

/// Several edits made as one step, described by the first and how many more:
/// "coded 'Trust' on p13, line 42, and 3 more changes".
pub fn group_summary(project: &Project, edits: &[Edit]) -> Summary {
    let Some(first) = edits.first() else {
        return Summary {
            text: "nothing".into(),
            place: None,
        };
    };
    let mut summary = summarize(project, first);
    match edits.len() {
        1 => {}
        2 => summary.text.push_str(", and 1 more change"),
        n => summary
            .text
            .push_str(&format!(", and {} more changes", n - 1)),
    }
    summary
}

fn place_words(project: &Project, place: &Place) -> String {
    match place
        .offset
        .and_then(|o| line_at(project, &place.transcript, o))
    {
        Some(line) => format!("{}, line {line}", place.transcript),
        None => place.transcript.to_string(),
    }
}

/// The 1-based line of the transcript's text that char `offset` is on.
pub fn line_at(project: &Project, t: &TranscriptId, offset: usize) -> Option<usize> {
    let transcript = project.transcript(t)?;
    let byte = transcript
        .index()
        .char_to_byte(transcript.text(), offset.min(transcript.char_len()))?;
    Some(memchr_count(&transcript.text().as_bytes()[..byte]) + 1)
}

fn memchr_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// 'A', 'A' and 'B', or 'A', 'B' and 'C'.
fn quoted_names(project: &Project, edit: &Edit, codes: &[CodeId]) -> String {
    let quoted: Vec<String> = codes
        .iter()
        .map(|c| format!("'{}'", code_name(project, edit, c)))
        .collect();
    match quoted.as_slice() {
        [] => "with no code".into(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn code_name(project: &Project, edit: &Edit, code: &CodeId) -> String {
    if let Some(c) = project.codebook.get(code) {
        return c.name.clone();
    }
    fn in_edit(edit: &Edit, code: &CodeId) -> Option<String> {
        match edit {
            Edit::AddCode { code: c, .. } | Edit::RemoveCode { code: c, .. } if &c.id == code => {
                Some(c.name.clone())
            }
            Edit::Batch { edits, .. } => edits.iter().find_map(|e| in_edit(e, code)),
            _ => None,
        }
    }
    in_edit(edit, code).unwrap_or_else(|| code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::transcript::sha256_hex;
    use crate::model::{
        Code, CoderId, Level, Position, ProjectMeta, SegmentId, Transcript, TranscriptMeta,
    };

    const TEXT: &str =
        "Interviewer: How was it?\n\nParticipant 1: Café talk helped.\nWe met weekly.";

    fn project() -> (Project, Vec<CodeId>) {
        let mut project = Project::new(ProjectMeta::new("Test"));
        let meta = TranscriptMeta {
            title: "t1".into(),
            participant: "Participant 1".into(),
            sha256: sha256_hex(TEXT),
            chars: TEXT.chars().count(),
            ..Default::default()
        };
        let id = TranscriptId::new("t1").unwrap();
        project
            .transcripts
            .insert(id.clone(), Transcript::new(id, meta, TEXT.into()));
        let mut codes = Vec::new();
        for name in ["Trust", "Access", "Waiting"] {
            let code = Code::new(name, Level::Code);
            codes.push(code.id.clone());
            Edit::AddCode {
                code,
                at: Position {
                    parent: None,
                    index: 0,
                },
            }
            .apply(&mut project)
            .unwrap();
        }
        (project, codes)
    }

    fn add(codes: &[CodeId], start: usize) -> Edit {
        Edit::AddSegment {
            coder: CoderId::new("alex").unwrap(),
            transcript: TranscriptId::new("t1").unwrap(),
            segment: Segment {
                id: SegmentId::random(),
                start,
                end: start + 4,
                codes: codes.to_vec(),
                text: String::new(),
                created: jiff::Timestamp::UNIX_EPOCH,
                updated: None,
            },
        }
    }

    #[test]
    fn coding_is_described_by_its_codes_transcript_and_line() {
        let (project, codes) = project();
        let we = TEXT.chars().count() - "We met weekly.".chars().count();
        let summary = summarize(&project, &add(&codes[..1], we));
        assert_eq!(summary.text, "coded 'Trust' on t1, line 4");
        assert_eq!(summary.place.and_then(|p| p.offset), Some(we));
        let cafe = TEXT[..TEXT.find("Café").unwrap()].chars().count();
        assert_eq!(
            summarize(&project, &add(&codes, cafe)).text,
            "coded 'Trust', 'Access' and 'Waiting' on t1, line 3"
        );
    }

    #[test]
    fn a_group_is_described_by_its_first_edit_and_the_count() {
        let (project, codes) = project();
        let edits = vec![add(&codes[1..2], 0), add(&codes[..1], 30), add(&codes, 40)];
        let summary = group_summary(&project, &edits);
        assert_eq!(
            summary.text,
            "coded 'Access' on t1, line 1, and 2 more changes"
        );
        assert_eq!(summary.place.and_then(|p| p.offset), Some(0));
        let merge = Edit::Batch {
            label: "merge".into(),
            edits,
        };
        assert_eq!(summarize(&project, &merge).place, None, "no one place");
    }
}
