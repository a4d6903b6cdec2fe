//! Speaker turns: "Interviewer:", "Participant 7:", "P7:", "I:", "[00:01:23] Dr Shah:" at the
//! start of a line begin a turn that runs until the next one.
//!
//! Known labels (interviewer and participant forms) are always recognised. Any other short,
//! capitalised label ("Jane Doe:", "Speaker 2:") counts only when it begins at least two lines,
//! because a real speaker talks more than once while "Note: ..." usually appears once.

use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerRole {
    Interviewer,
    Participant,
    Other,
}

/// One speaker turn, in char offsets of the transcript text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    /// Start of the line that opens the turn (timestamp included).
    pub start: usize,
    /// First char after the label, its colon and following spaces: where the speech starts.
    pub speech_start: usize,
    /// End of the turn (exclusive): the start of the next turn, or the end of the text.
    pub end: usize,
    pub label: String,
    pub role: SpeakerRole,
}

const MAX_LABEL_CHARS: usize = 40;
const MAX_LABEL_WORDS: usize = 4;

/// A label found at the start of one line, in chars relative to the line start.
struct LineLabel<'a> {
    label: &'a str,
    speech_start: usize,
    role: Option<SpeakerRole>,
}

/// Finds all speaker turns in `text`.
pub fn find_turns(text: &str) -> Vec<Turn> {
    let mut candidates = Vec::new();
    let mut generic_counts: HashMap<&str, usize> = HashMap::new();
    let mut line_start = 0usize;
    for line in text.split('\n') {
        if let Some(found) = label_of_line(line) {
            if found.role.is_none() {
                *generic_counts.entry(found.label).or_default() += 1;
            }
            candidates.push((line_start, found));
        }
        line_start += line.chars().count() + 1;
    }
    let text_chars = line_start.saturating_sub(1);
    let accepted: Vec<(usize, LineLabel)> = candidates
        .into_iter()
        .filter(|(_, found)| found.role.is_some() || generic_counts[found.label] >= 2)
        .collect();
    let mut turns = Vec::with_capacity(accepted.len());
    for (i, (start, found)) in accepted.iter().enumerate() {
        let end = accepted.get(i + 1).map_or(text_chars, |(next, _)| *next);
        turns.push(Turn {
            start: *start,
            speech_start: start + found.speech_start,
            end,
            label: found.label.to_string(),
            role: found.role.unwrap_or(SpeakerRole::Other),
        });
    }
    turns
}

/// A speaker label at the start of one line of a subtitle cue or similar: returns the label
/// and the speech after it. Unlike [`find_turns`], a name-like label is accepted on sight.
pub fn split_speaker(line: &str) -> Option<(&str, &str)> {
    let found = label_of_line(line)?;
    let speech_byte = line
        .char_indices()
        .nth(found.speech_start)
        .map_or(line.len(), |(b, _)| b);
    Some((found.label, &line[speech_byte..]))
}

/// The speaker label at the start of `line`, if it has one.
fn label_of_line(line: &str) -> Option<LineLabel<'_>> {
    let after_stamp = skip_timestamp(line);
    let rest = &line[after_stamp..];
    let label_len = rest.find(':')?;
    let label = rest[..label_len].trim();
    let after_colon = &rest[label_len + 1..];
    // "http://..." or "10:30" are not labels: the colon must be followed by a space or the end.
    if !(after_colon.is_empty() || after_colon.starts_with(' ')) || label.is_empty() {
        return None;
    }
    let role = known_role(label);
    if role.is_none() && !looks_like_name(label) {
        return None;
    }
    let spaces = after_colon.len() - after_colon.trim_start_matches(' ').len();
    let speech_byte = after_stamp + label_len + 1 + spaces;
    Some(LineLabel {
        label,
        speech_start: line[..speech_byte].chars().count(),
        role,
    })
}

/// Bytes taken by a leading timestamp such as "[00:01:23] ", "(12:05) " or "00:01:23 - ".
fn skip_timestamp(line: &str) -> usize {
    let trimmed = line.trim_start_matches(' ');
    let lead = line.len() - trimmed.len();
    let (inner, closing) = match trimmed.chars().next() {
        Some('[') => (&trimmed[1..], Some(']')),
        Some('(') => (&trimmed[1..], Some(')')),
        _ => (trimmed, None),
    };
    let stamp_len = inner
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.' || c == ','))
        .unwrap_or(inner.len());
    let stamp = &inner[..stamp_len];
    if stamp.len() < 4 || !stamp.contains(':') {
        return 0;
    }
    let mut used = lead + (trimmed.len() - inner.len()) + stamp_len;
    if let Some(close) = closing {
        if !line[used..].starts_with(close) {
            return 0;
        }
        used += 1;
    }
    let tail = &line[used..];
    let tail_trimmed = tail.trim_start_matches([' ', '-']);
    used + (tail.len() - tail_trimmed.len())
}

fn known_role(label: &str) -> Option<SpeakerRole> {
    let lower = label.to_lowercase();
    let word = match lower.rsplit_once(' ') {
        Some((w, n)) if n.chars().all(|c| c.is_ascii_digit()) => w,
        _ => lower.as_str(),
    };
    let interviewer = [
        "interviewer",
        "int",
        "i",
        "q",
        "facilitator",
        "moderator",
        "researcher",
    ];
    let participant = ["participant", "interviewee", "respondent", "r", "a", "p"];
    if interviewer.contains(&word) {
        return Some(SpeakerRole::Interviewer);
    }
    // "Participant", "Participant 7", "R" and "A" all name the person interviewed.
    if participant.contains(&word) {
        return Some(SpeakerRole::Participant);
    }
    // "P7", "R12": a letter and a number written together.
    let mut chars = word.chars();
    if let Some(first) = chars.next() {
        let digits = chars.as_str();
        if matches!(first, 'p' | 'r')
            && !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit())
        {
            return Some(SpeakerRole::Participant);
        }
    }
    None
}

/// A short capitalised name such as "Jane Doe", "Dr Shah" or "Speaker 2".
fn looks_like_name(label: &str) -> bool {
    let words: Vec<&str> = label.split(' ').collect();
    label.chars().count() <= MAX_LABEL_CHARS
        && words.len() <= MAX_LABEL_WORDS
        && label.chars().next().is_some_and(char::is_uppercase)
        && words.iter().all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '.' | '\'' | '-' | '’'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str) -> Vec<(String, SpeakerRole)> {
        find_turns(text)
            .into_iter()
            .map(|t| (t.label, t.role))
            .collect()
    }

    #[test]
    fn recognises_common_labels() {
        let text = "Interviewer: hi\nParticipant 7: hello\nP7: again\nI: ok\nQ: and?\nR: yes";
        use SpeakerRole::*;
        assert_eq!(
            labels(text),
            vec![
                ("Interviewer".into(), Interviewer),
                ("Participant 7".into(), Participant),
                ("P7".into(), Participant),
                ("I".into(), Interviewer),
                ("Q".into(), Interviewer),
                ("R".into(), Participant),
            ]
        );
    }

    #[test]
    fn turn_offsets_are_chars_and_cover_continuation_lines() {
        let text = "Intro line\nInterviewer: Café?\n\nParticipant 1: Oui.\nMore.";
        let turns = find_turns(text);
        assert_eq!(turns.len(), 2);
        let chars: Vec<char> = text.chars().collect();
        let speech: String = chars[turns[0].speech_start..turns[0].end].iter().collect();
        assert_eq!(speech, "Café?\n\n");
        let second: String = chars[turns[1].start..turns[1].end].iter().collect();
        assert_eq!(second, "Participant 1: Oui.\nMore.");
    }

    #[test]
    fn names_count_only_when_they_recur() {
        let text =
            "Note: recorded at home\nJane Doe: hello\nDr Shah: hi\nJane Doe: bye\nDr Shah: ok";
        let found: Vec<String> = labels(text).into_iter().map(|(l, _)| l).collect();
        assert_eq!(found, vec!["Jane Doe", "Dr Shah", "Jane Doe", "Dr Shah"]);
    }

    #[test]
    fn timestamps_before_labels() {
        let text =
            "[00:01:23] Interviewer: first\n00:02:10 - Participant 2: second\n(1:05) I: third";
        let turns = find_turns(text);
        assert_eq!(turns.len(), 3);
        assert_eq!(turns[0].label, "Interviewer");
        assert_eq!(turns[1].label, "Participant 2");
        assert_eq!(turns[2].role, SpeakerRole::Interviewer);
        assert_eq!(turns[0].speech_start, "[00:01:23] Interviewer: ".len());
    }

    #[test]
    fn colons_inside_sentences_are_not_labels() {
        assert!(find_turns("It was 10:30 when: nothing\nSee http://x.org").is_empty());
        assert!(find_turns("well, the thing is: no\nwell, the thing is: no").is_empty());
    }
}
