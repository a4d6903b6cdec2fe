//! `thematic check`: cross-file consistency of a loaded project, each problem explained
//! against the file that holds it. Problems found while reading files come from the loader;
//! this adds what can only be seen once everything is loaded.

use super::files::{CODINGS_DIR, relative_path};
use super::{Problem, Severity, Store};
use crate::model::transcript::sha256_hex;
use crate::model::{CodeId, FileKey, MemoLink, Project, Segment, SegmentRef, Transcript};
use crate::text::normalize::is_unsafe_control;
use std::collections::HashSet;
use std::path::Path;

/// All consistency problems of `project`.
pub fn validate(project: &Project) -> Vec<Problem> {
    validate_with(project, false)
}

/// What `check` reports for a loaded project: the problems found while reading, then the
/// consistency problems, where a file that could not be read gives one root-cause message
/// and one line summing up what depends on it rather than a problem per dependent.
pub fn report(loaded_problems: Vec<Problem>, project: &Project, store: &Store) -> Vec<Problem> {
    let codebook = relative_path(&FileKey::Codebook);
    let codebook_unreadable = store.blocked().any(|p| *p == codebook)
        && loaded_problems
            .iter()
            .any(|p| p.path == codebook && p.severity == Severity::Error);
    let mut problems = loaded_problems;
    problems.extend(validate_with(project, codebook_unreadable));
    problems
}

fn validate_with(project: &Project, codebook_unreadable: bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    check_project(project, &mut problems);
    check_codebook(project, &mut problems);
    for transcript in project.transcripts_in_order() {
        check_transcript(project, transcript, &mut problems);
    }
    let unknown = check_codings(project, codebook_unreadable, &mut problems);
    if unknown > 0 {
        problems.push(Problem::error(
            relative_path(&FileKey::Codebook),
            format!(
                "{unknown} segment(s) refer to codes in the unreadable codebook.yaml; they are found again once codebook.yaml reads"
            ),
        ));
    }
    check_memos(project, &mut problems);
    check_reviews(project, &mut problems);
    problems
}

/// Problems with the store itself: files that cannot be written this session.
pub fn blocked_files(store: &Store) -> Vec<Problem> {
    store
        .blocked()
        .map(|path| {
            Problem::warning(
                path,
                "will not be written until it is fixed and the project reopened",
            )
        })
        .collect()
}

fn check_project(project: &Project, problems: &mut Vec<Problem>) {
    let path = relative_path(&FileKey::Project);
    let mut seen = HashSet::new();
    for coder in &project.meta.coders {
        if !seen.insert(&coder.id) {
            problems.push(Problem::error(
                &path,
                format!("coder {} is listed twice", coder.id),
            ));
        }
    }
    let mut names = HashSet::new();
    for attribute in &project.meta.attributes {
        if !names.insert(attribute.name.as_str()) {
            problems.push(Problem::error(
                &path,
                format!("attribute {:?} is defined twice", attribute.name),
            ));
        }
    }
    for sample in &project.meta.rounds {
        for coder in sample.coders() {
            if project.meta.coder(coder).is_none() {
                problems.push(Problem::error(
                    &path,
                    format!("the double-coding sample names coder {coder}, who is not in `coders`"),
                ));
            }
        }
        check_round_coders(sample, &path, problems);
        for t in &sample.transcripts {
            if project.transcript(t).is_none() {
                problems.push(Problem::error(
                    &path,
                    format!("the double-coding sample names transcript {t}, which does not exist"),
                ));
            }
        }
    }
}

/// A round's coders are all different: the primary is not also a second coder, and no second
/// coder is named twice (either would compare a coder with themselves).
fn check_round_coders(
    round: &crate::model::Round,
    path: &std::path::Path,
    problems: &mut Vec<Problem>,
) {
    if round.is_second(&round.primary) {
        problems.push(Problem::error(
            path,
            format!(
                "the double-coding sample names {} as both its primary and a second coder; they need different coders",
                round.primary
            ),
        ));
    }
    let mut named = HashSet::new();
    for coder in round.second_coders() {
        if !named.insert(coder) {
            problems.push(Problem::error(
                path,
                format!("the double-coding sample names second coder {coder} twice"),
            ));
        }
    }
}

fn check_codebook(project: &Project, problems: &mut Vec<Problem>) {
    let path = relative_path(&FileKey::Codebook);
    for (_, code) in project.codebook.walk() {
        if let Some(r) = &code.exemplar
            && !exemplar_holds(project, &code.id, r)
        {
            problems.push(Problem::warning(
                &path,
                format!(
                    "the exemplar of {:?} (segment {} of coder {} in {}) no longer exists or no longer carries the code; the theme table cites the first quote instead",
                    code.name, r.id, r.coder, r.transcript
                ),
            ));
        }
        if code.name.trim().is_empty() {
            problems.push(Problem::error(
                &path,
                format!("code {} has an empty name", code.id),
            ));
        }
        if let Some(parent) = project
            .codebook
            .parent(&code.id)
            .and_then(|p| project.codebook.get(p))
            && parent.level > code.level
        {
            problems.push(Problem::warning(
                &path,
                format!(
                    "{:?} is a {} placed under the {} {:?}",
                    code.name,
                    code.level.label(),
                    parent.level.label(),
                    parent.name
                ),
            ));
        }
    }
}

fn check_transcript(project: &Project, transcript: &Transcript, problems: &mut Vec<Problem>) {
    let text_path = relative_path(&FileKey::TranscriptText(transcript.id.clone()));
    let meta_path = relative_path(&FileKey::TranscriptMeta(transcript.id.clone()));
    if sha256_hex(transcript.text()) != transcript.meta.sha256 {
        problems.push(Problem::error(&text_path, "the text was changed outside thematic (its SHA-256 no longer matches the one recorded at import); coded segments may be misplaced"));
    } else if transcript.meta.chars != transcript.char_len() {
        problems.push(Problem::error(
            &meta_path,
            format!(
                "records {} characters but the text has {}",
                transcript.meta.chars,
                transcript.char_len()
            ),
        ));
    }
    if transcript.text().contains('\r')
        || transcript
            .text()
            .chars()
            .any(|c| c != '\n' && is_unsafe_control(c))
    {
        problems.push(Problem::warning(&text_path, "contains carriage returns or control characters (they are shown as \u{FFFD}); re-import the file to normalise it"));
    }
    for key in transcript.meta.attributes.keys() {
        if !project.meta.attributes.iter().any(|a| &a.name == key) {
            problems.push(Problem::warning(
                &meta_path,
                format!("attribute {key:?} is not defined in thematic.yaml"),
            ));
        }
    }
    if transcript.meta.participant.trim().is_empty() {
        problems.push(Problem::warning(
            &meta_path,
            "no participant label; quotes from it cannot be attributed",
        ));
    }
}

/// Checks every coding file; returns how many segments use codes that are not in the
/// codebook when the codebook could not be read (those are summed up, not listed).
fn check_codings(
    project: &Project,
    codebook_unreadable: bool,
    problems: &mut Vec<Problem>,
) -> usize {
    let mut unknown = 0;
    for (coder, by_transcript) in project.codings() {
        if project.meta.coder(coder).is_none() {
            problems.push(Problem::error(
                Path::new(CODINGS_DIR).join(coder.as_str()),
                format!("coder {coder} is not listed in thematic.yaml"),
            ));
        }
        for (transcript_id, segments) in by_transcript {
            let path = relative_path(&FileKey::Coding(coder.clone(), transcript_id.clone()));
            let Some(transcript) = project.transcript(transcript_id) else {
                problems.push(Problem::error(
                    &path,
                    format!("codes transcript {transcript_id}, which does not exist"),
                ));
                continue;
            };
            let mut ids = HashSet::new();
            for segment in segments {
                if !ids.insert(&segment.id) {
                    problems.push(Problem::error(
                        &path,
                        format!("segment id {} is used twice", segment.id),
                    ));
                }
                if codebook_unreadable
                    && segment.codes.iter().any(|c| !project.codebook.contains(c))
                {
                    unknown += 1;
                    check_span(transcript, segment, &path, problems);
                    continue;
                }
                check_segment(project, transcript, segment, &path, problems);
            }
        }
    }
    unknown
}

/// Reports a segment whose offsets cannot be right; false when it has such a problem.
fn check_span(
    transcript: &Transcript,
    segment: &Segment,
    path: &Path,
    problems: &mut Vec<Problem>,
) -> bool {
    let id = &segment.id;
    let (start, end) = (segment.start, segment.end);
    let message = if end < start {
        format!("segment {id} ends before it starts (end {end} < start {start})")
    } else if end == start {
        format!("segment {id} is empty (start and end are both {start})")
    } else if end > transcript.char_len() {
        format!(
            "segment {id} spans [{start}, {end}), outside the {} characters of {}",
            transcript.char_len(),
            transcript.id
        )
    } else {
        return true;
    };
    problems.push(Problem::error(path, message));
    false
}

fn check_segment(
    project: &Project,
    transcript: &Transcript,
    segment: &Segment,
    path: &Path,
    problems: &mut Vec<Problem>,
) {
    let id = &segment.id;
    if segment.codes.is_empty() {
        problems.push(Problem::error(path, format!("segment {id} has no codes")));
    }
    let mut seen = HashSet::new();
    for code in &segment.codes {
        if !project.codebook.contains(code) {
            problems.push(Problem::error(
                path,
                format!("segment {id} uses code {code}, which is not in the codebook"),
            ));
        } else if !seen.insert(code) {
            problems.push(Problem::warning(
                path,
                format!("segment {id} lists code {code} twice"),
            ));
        }
    }
    if !check_span(transcript, segment, path, problems) {
        return;
    }
    if transcript.slice(segment.start, segment.end) != Some(segment.text.as_str()) {
        let hint = match find_unique(transcript.text(), &segment.text) {
            Some(at) => format!(
                "its quoted text now appears only at [{at}, {}), where it can be re-anchored",
                at + segment.text.chars().count()
            ),
            None => "its quoted text is not found exactly once in the transcript".into(),
        };
        problems.push(Problem::error(
            path,
            format!(
                "segment {id} [{}, {}) quotes text that differs from the transcript there; {hint}",
                segment.start, segment.end
            ),
        ));
    }
}

/// Char offset of `needle` in `haystack` if it occurs exactly once.
pub fn find_unique(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let mut found = haystack.match_indices(needle);
    let (first, _) = found.next()?;
    if found.next().is_some() {
        return None;
    }
    Some(haystack[..first].chars().count())
}

/// Whether the exemplar's segment exists and carries `code` or a code below it.
fn exemplar_holds(project: &Project, code: &CodeId, r: &SegmentRef) -> bool {
    let below = project.codebook.subtree(code);
    project
        .segments(&r.coder, &r.transcript)
        .iter()
        .any(|s| s.id == r.id && s.codes.iter().any(|c| below.contains(c)))
}

fn check_memos(project: &Project, problems: &mut Vec<Problem>) {
    for memo in project.memos() {
        let path = relative_path(&FileKey::Memo(memo.author.clone(), memo.id.clone()));
        if project.meta.coder(&memo.author).is_none() {
            problems.push(Problem::error(
                &path,
                format!("author {} is not listed in thematic.yaml", memo.author),
            ));
        }
        for link in &memo.links {
            let target = match link {
                MemoLink::Code(id) => {
                    (!project.codebook.contains(id)).then(|| format!("code {id}"))
                }
                MemoLink::Transcript(id) => project
                    .transcript(id)
                    .is_none()
                    .then(|| format!("transcript {id}")),
                MemoLink::Segment(r) => (!project
                    .segments(&r.coder, &r.transcript)
                    .iter()
                    .any(|s| s.id == r.id))
                .then(|| format!("segment {} of coder {} in {}", r.id, r.coder, r.transcript)),
            };
            if let Some(target) = target {
                problems.push(Problem::error(
                    &path,
                    format!("links to {target}, which does not exist"),
                ));
            }
        }
        if memo.updated < memo.created {
            problems.push(Problem::warning(
                &path,
                "was updated before it was created; check the clock",
            ));
        }
    }
}

fn check_reviews(project: &Project, problems: &mut Vec<Problem>) {
    for review in project.reviews() {
        let path = relative_path(&FileKey::Review(
            review.reviewer.clone(),
            review.memo.clone(),
        ));
        if project.meta.person(&review.reviewer).is_none() {
            problems.push(Problem::error(
                &path,
                format!(
                    "reviewer {} is not listed in thematic.yaml",
                    review.reviewer
                ),
            ));
        }
        if project.memo(&review.memo).is_none() {
            problems.push(Problem::error(
                &path,
                format!("reviews memo {}, which does not exist", review.memo),
            ));
        }
    }
}
