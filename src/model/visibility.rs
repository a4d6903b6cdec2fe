//! Who may see whose coding while a transcript is double-coded blind: one rule, asked by every
//! view, command and export through [`seen_by`], which gives the project as one person may
//! see it.
//!
//! The rule: a second coder of a round of double coding (a round may have several) does not
//! see the other coders' work on a transcript of that round (the primary's, the other second
//! coders', anyone else's) until every coder of the round has marked it done, unless they
//! chose to reveal it (which is recorded). Work means segments, memos linked to those
//! segments or written about that transcript by the others, reviews of those memos, and so
//! every count, quote and figure computed from them. The round's primary coder, whose coding
//! is the one compared against, and people outside the round (other coders, reviewers) are
//! not coding it blind, so they see everything.

use super::ids::{CoderId, TranscriptId};
use super::memo::MemoLink;
use super::project::{Project, Round};
use std::borrow::Cow;
use std::collections::BTreeSet;

/// Who is looking, and which blind transcripts they chose to reveal to themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub coder: CoderId,
    pub revealed: BTreeSet<TranscriptId>,
}

impl Viewer {
    pub fn new(coder: CoderId) -> Viewer {
        Viewer {
            coder,
            revealed: BTreeSet::new(),
        }
    }
}

/// Whether every coder of `round` has marked `t` done.
pub fn finished(project: &Project, round: &Round, t: &TranscriptId) -> bool {
    round.coders().iter().all(|c| project.is_done(c, t))
}

/// The coders of `round` who have not yet marked `t` done.
pub fn waiting_for(project: &Project, round: &Round, t: &TranscriptId) -> Vec<CoderId> {
    round
        .coders()
        .into_iter()
        .filter(|c| !project.is_done(c, t))
        .cloned()
        .collect()
}

/// Whether `viewer` would be blind on `t` were it not for a reveal: they are a second coder
/// of a round holding it that not every coder has finished. With several second coders,
/// each is blind to the primary's work and to every other second coder's.
pub fn coded_blind(project: &Project, viewer: &CoderId, t: &TranscriptId) -> bool {
    project.meta.rounds.iter().any(|round| {
        round.transcripts.contains(t) && round.is_second(viewer) && !finished(project, round, t)
    })
}

/// Whether the other coders' work on `t` is hidden from `viewer`.
pub fn is_blind(project: &Project, viewer: &Viewer, t: &TranscriptId) -> bool {
    !viewer.revealed.contains(t) && coded_blind(project, &viewer.coder, t)
}

/// May `viewer` see `coder`'s work on `t`?
pub fn may_see(project: &Project, viewer: &Viewer, coder: &CoderId, t: &TranscriptId) -> bool {
    coder == &viewer.coder || !is_blind(project, viewer, t)
}

/// The transcripts on which `viewer` is blind.
pub fn blind_transcripts(project: &Project, viewer: &Viewer) -> BTreeSet<TranscriptId> {
    let mut blind = BTreeSet::new();
    for round in &project.meta.rounds {
        for t in &round.transcripts {
            if is_blind(project, viewer, t) {
                blind.insert(t.clone());
            }
        }
    }
    blind
}

/// The project as `viewer` may see it: borrowed unchanged when nothing is hidden from them,
/// otherwise a copy without the other coders' work on the transcripts they code blind.
///
/// The copy is for reading only: edits are built from, and applied to, the whole project.
pub fn seen_by<'p>(project: &'p Project, viewer: &Viewer) -> Cow<'p, Project> {
    let blind = blind_transcripts(project, viewer);
    if blind.is_empty() {
        return Cow::Borrowed(project);
    }
    let mut seen = project.clone();
    hide(&mut seen, &viewer.coder, &blind);
    Cow::Owned(seen)
}

/// Takes the work of everyone but `viewer` on `blind` transcripts out of `project`.
fn hide(project: &mut Project, viewer: &CoderId, blind: &BTreeSet<TranscriptId>) {
    for (coder, by_transcript) in project.codings.iter_mut() {
        if coder != viewer {
            by_transcript.retain(|t, _| !blind.contains(t));
        }
    }
    project
        .codings
        .retain(|_, by_transcript| !by_transcript.is_empty());
    let hidden_memo = |memo: &super::memo::Memo| {
        memo.links.iter().any(|link| match link {
            MemoLink::Segment(r) => &r.coder != viewer && blind.contains(&r.transcript),
            MemoLink::Transcript(t) => &memo.author != viewer && blind.contains(t),
            MemoLink::Code(_) => false,
        })
    };
    let hidden: BTreeSet<_> = project
        .memos
        .values()
        .filter(|m| hidden_memo(m))
        .map(|m| m.id.clone())
        .collect();
    project.memos.retain(|id, _| !hidden.contains(id));
    project
        .reviews
        .retain(|(_, memo), _| !hidden.contains(memo));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Coder, ProjectMeta, Round, Segment, Transcript, TranscriptMeta};

    fn id(s: &str) -> CoderId {
        CoderId::new(s).unwrap()
    }

    fn project() -> Project {
        let mut meta = ProjectMeta::new("p");
        for c in ["alex", "sam", "kim"] {
            meta.coders.push(Coder {
                id: id(c),
                name: c.into(),
            });
        }
        let t = TranscriptId::new("t1").unwrap();
        meta.rounds.push(Round {
            primary: id("alex"),
            seconds: vec![id("sam")],
            transcripts: vec![t.clone()],
            fraction: None,
            seed: None,
            stratify: None,
            started: None,
            independent: None,
        });
        let mut p = Project::new(meta);
        let text = "Hello there, a transcript.";
        p.transcripts.insert(
            t.clone(),
            Transcript::new(
                t.clone(),
                TranscriptMeta {
                    sha256: crate::model::transcript::sha256_hex(text),
                    chars: text.chars().count(),
                    ..TranscriptMeta::default()
                },
                text.into(),
            ),
        );
        for c in ["alex", "sam"] {
            let seg = Segment {
                id: crate::model::SegmentId::new("s1").unwrap(),
                start: 0,
                end: 5,
                codes: vec![],
                text: "Hello".into(),
                created: jiff::Timestamp::UNIX_EPOCH,
                updated: None,
            };
            p.codings
                .entry(id(c))
                .or_default()
                .insert(t.clone(), vec![seg]);
        }
        p
    }

    #[test]
    fn the_second_coder_of_an_unfinished_round_sees_only_their_own_work() {
        let p = project();
        let t = TranscriptId::new("t1").unwrap();
        let seen = seen_by(&p, &Viewer::new(id("sam")));
        assert!(seen.segments(&id("alex"), &t).is_empty(), "sam sees alex");
        assert_eq!(seen.segments(&id("sam"), &t).len(), 1);
        // The primary coder, and anyone outside the round, see everything.
        for who in ["alex", "kim"] {
            assert!(matches!(
                seen_by(&p, &Viewer::new(id(who))),
                Cow::Borrowed(_)
            ));
        }
    }

    #[test]
    fn each_second_coder_of_a_round_is_blind_to_the_primary_and_to_every_other_second() {
        let mut p = project();
        let t = TranscriptId::new("t1").unwrap();
        p.meta.rounds[0].seconds.push(id("kim"));
        let kim_coding = p.codings[&id("sam")].clone();
        p.codings.insert(id("kim"), kim_coding);
        for (viewer, own) in [("sam", "sam"), ("kim", "kim")] {
            let seen = seen_by(&p, &Viewer::new(id(viewer)));
            for other in ["alex", "sam", "kim"] {
                let segments = seen.segments(&id(other), &t).len();
                assert_eq!(segments, usize::from(other == own), "{viewer} sees {other}");
            }
        }
        assert!(matches!(
            seen_by(&p, &Viewer::new(id("alex"))),
            Cow::Borrowed(_)
        ));
        // Finished only when all three have marked it done.
        for c in ["alex", "sam"] {
            p.done.insert((id(c), t.clone()));
        }
        assert!(is_blind(&p, &Viewer::new(id("sam")), &t));
        assert!(is_blind(&p, &Viewer::new(id("kim")), &t));
        assert_eq!(waiting_for(&p, &p.meta.rounds[0], &t), vec![id("kim")]);
        p.done.insert((id("kim"), t.clone()));
        assert!(!is_blind(&p, &Viewer::new(id("sam")), &t));
        assert!(!is_blind(&p, &Viewer::new(id("kim")), &t));
    }

    #[test]
    fn blindness_lifts_when_every_coder_of_the_round_is_done_or_on_reveal() {
        let mut p = project();
        let t = TranscriptId::new("t1").unwrap();
        p.done.insert((id("alex"), t.clone()));
        assert!(is_blind(&p, &Viewer::new(id("sam")), &t));
        let mut revealing = Viewer::new(id("sam"));
        revealing.revealed.insert(t.clone());
        assert!(!is_blind(&p, &revealing, &t));
        p.done.insert((id("sam"), t.clone()));
        assert!(!is_blind(&p, &Viewer::new(id("sam")), &t));
        assert!(matches!(
            seen_by(&p, &Viewer::new(id("sam"))),
            Cow::Borrowed(_)
        ));
    }
}
