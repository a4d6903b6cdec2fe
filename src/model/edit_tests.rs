//! Edits and their inverses: hand-written cases for each precondition, and a property test
//! that random sequences of edits (valid or not) either apply and are exactly undone by their
//! inverse, or change nothing.

use super::*;
use crate::model::codebook::Position;
use crate::model::memo::SegmentRef;
use crate::model::transcript::sha256_hex;
use jiff::Timestamp;
use proptest::prelude::*;

const TEXT: &str =
    "Interviewer: How was it?\n\nParticipant 1: Café talk 👩‍⚕️ helped; 医生 agreed. We met weekly.";

fn transcript(id: &str, text: &str) -> Transcript {
    let meta = TranscriptMeta {
        title: id.into(),
        participant: "Participant 1".into(),
        sha256: sha256_hex(text),
        chars: text.chars().count(),
        ..Default::default()
    };
    Transcript::new(TranscriptId::new(id).unwrap(), meta, text.into())
}

fn coder(id: &str) -> CoderId {
    CoderId::new(id).unwrap()
}

fn base() -> Project {
    let mut meta = ProjectMeta::new("Test");
    for id in ["alex", "sam"] {
        meta.coders.push(Coder {
            id: coder(id),
            name: id.into(),
        });
    }
    let mut project = Project::new(meta);
    Edit::AddTranscript(Box::new(transcript("t1", TEXT)))
        .apply(&mut project)
        .unwrap();
    let theme = Code::new("Culture", Level::Theme);
    let code = Code::new("Trust", Level::Code);
    let at_root = Position {
        parent: None,
        index: 0,
    };
    Edit::AddCode {
        code: theme.clone(),
        at: at_root,
    }
    .apply(&mut project)
    .unwrap();
    Edit::AddCode {
        code,
        at: Position {
            parent: Some(theme.id),
            index: 0,
        },
    }
    .apply(&mut project)
    .unwrap();
    project
}

fn segment(project: &Project, start: usize, end: usize, codes: Vec<CodeId>) -> Segment {
    let t = project
        .transcript(&TranscriptId::new("t1").unwrap())
        .unwrap();
    Segment {
        id: SegmentId::random(),
        start,
        end,
        codes,
        text: t.slice(start, end).unwrap_or("").to_string(),
        created: Timestamp::UNIX_EPOCH,
        updated: None,
    }
}

fn first_code(project: &Project) -> CodeId {
    project.codebook.walk()[1].1.id.clone()
}

#[test]
fn segment_must_quote_its_text_and_fit() {
    let mut project = base();
    let code = first_code(&project);
    let t1 = TranscriptId::new("t1").unwrap();
    let mut seg = segment(&project, 41, 50, vec![code.clone()]);
    assert_eq!(seg.text, "Café talk");
    seg.text = "Cafe talk".into();
    let add = |s: Segment| Edit::AddSegment {
        coder: coder("alex"),
        transcript: t1.clone(),
        segment: s,
    };
    assert!(matches!(
        add(seg.clone()).apply(&mut project),
        Err(EditError::SegmentTextMismatch(_))
    ));
    let past_end = segment(&project, 80, 500, vec![code.clone()]);
    assert!(matches!(
        add(past_end).apply(&mut project),
        Err(EditError::SegmentOutOfBounds { .. })
    ));
    let no_codes = segment(&project, 41, 50, vec![]);
    assert!(matches!(
        add(no_codes).apply(&mut project),
        Err(EditError::SegmentWithoutCodes(_))
    ));
    let good = segment(&project, 41, 50, vec![code]);
    let touched = add(good).apply(&mut project).unwrap();
    assert_eq!(
        touched.into_iter().collect::<Vec<_>>(),
        vec![FileKey::Coding(coder("alex"), t1)]
    );
}

#[test]
fn used_codes_cannot_be_removed() {
    let mut project = base();
    let code_id = first_code(&project);
    let t1 = TranscriptId::new("t1").unwrap();
    let seg = segment(&project, 41, 50, vec![code_id.clone()]);
    Edit::AddSegment {
        coder: coder("alex"),
        transcript: t1,
        segment: seg,
    }
    .apply(&mut project)
    .unwrap();
    let code = project.codebook.get(&code_id).unwrap().clone();
    let at = project.codebook.position(&code_id).unwrap();
    let err = Edit::RemoveCode { code, at }
        .apply(&mut project)
        .unwrap_err();
    assert_eq!(
        err,
        EditError::CodeInUse {
            code: code_id,
            uses: 1
        }
    );
}

#[test]
fn stale_edits_are_refused() {
    let mut project = base();
    let code = project.codebook.walk()[1].1.clone();
    let mut renamed = code.clone();
    renamed.name = "Mutual trust".into();
    let edit = Edit::UpdateCode {
        before: code.clone(),
        after: renamed,
    };
    edit.apply(&mut project).unwrap();
    // Applying the same edit again: the project is no longer in its "before" state.
    assert_eq!(
        edit.apply(&mut project),
        Err(EditError::Stale("code definition"))
    );
}

#[test]
fn failed_batch_rolls_back_its_earlier_steps() {
    let mut project = base();
    let before = project.clone();
    let good = Edit::AddCode {
        code: Code::new("New", Level::Theme),
        at: Position {
            parent: None,
            index: 1,
        },
    };
    let bad = Edit::AddCode {
        code: Code::new("culture", Level::Theme),
        at: Position {
            parent: None,
            index: 0,
        },
    };
    let batch = Edit::Batch {
        label: "two".into(),
        edits: vec![good, bad],
    };
    assert!(matches!(batch.apply(&mut project), Err(EditError::Tree(_))));
    assert_eq!(project, before);
}

#[test]
fn transcripts_in_use_are_kept() {
    let mut project = base();
    let t1 = TranscriptId::new("t1").unwrap();
    let code = first_code(&project);
    let seg = segment(&project, 0, 11, vec![code]);
    Edit::AddSegment {
        coder: coder("sam"),
        transcript: t1.clone(),
        segment: seg,
    }
    .apply(&mut project)
    .unwrap();
    let t = Box::new(project.transcript(&t1).unwrap().clone());
    assert!(matches!(
        Edit::RemoveTranscript(t).apply(&mut project),
        Err(EditError::TranscriptInUse(_, 1))
    ));
}

/// A user action in the abstract, turned into a concrete edit against the current project.
#[derive(Debug, Clone)]
enum Op {
    AddCode {
        parent: usize,
        name: u8,
    },
    RenameCode {
        pick: usize,
        name: u8,
    },
    MoveCode {
        pick: usize,
        parent: usize,
        index: usize,
    },
    RemoveCode {
        pick: usize,
    },
    AddSegment {
        sam: bool,
        a: usize,
        b: usize,
        code: usize,
    },
    ChangeSegment {
        pick: usize,
        a: usize,
        b: usize,
        code: usize,
    },
    RemoveSegment {
        pick: usize,
    },
    AddMemo {
        link: usize,
    },
    EditMemo {
        pick: usize,
    },
    RemoveMemo {
        pick: usize,
    },
    SetAttribute {
        value: u8,
    },
    Review {
        pick: usize,
        reviewed: bool,
    },
    Pair(Box<Op>, Box<Op>),
}

fn op() -> impl Strategy<Value = Op> {
    let leaf = prop_oneof![
        (0..6usize, 0..4u8).prop_map(|(parent, name)| Op::AddCode { parent, name }),
        (0..6usize, 0..4u8).prop_map(|(pick, name)| Op::RenameCode { pick, name }),
        (0..6usize, 0..6usize, 0..4usize).prop_map(|(pick, parent, index)| Op::MoveCode {
            pick,
            parent,
            index
        }),
        (0..6usize).prop_map(|pick| Op::RemoveCode { pick }),
        (any::<bool>(), 0..90usize, 0..90usize, 0..6usize)
            .prop_map(|(sam, a, b, code)| Op::AddSegment { sam, a, b, code }),
        (0..6usize, 0..90usize, 0..90usize, 0..6usize)
            .prop_map(|(pick, a, b, code)| Op::ChangeSegment { pick, a, b, code }),
        (0..6usize).prop_map(|pick| Op::RemoveSegment { pick }),
        (0..4usize).prop_map(|link| Op::AddMemo { link }),
        (0..4usize).prop_map(|pick| Op::EditMemo { pick }),
        (0..4usize).prop_map(|pick| Op::RemoveMemo { pick }),
        (0..3u8).prop_map(|value| Op::SetAttribute { value }),
        (0..4usize, any::<bool>()).prop_map(|(pick, reviewed)| Op::Review { pick, reviewed }),
    ];
    leaf.prop_recursive(1, 4, 2, |inner| {
        (inner.clone(), inner).prop_map(|(a, b)| Op::Pair(Box::new(a), Box::new(b)))
    })
}

fn pick<T: Clone>(items: &[T], i: usize) -> Option<T> {
    (!items.is_empty()).then(|| items[i % items.len()].clone())
}

fn to_edit(op: &Op, project: &Project) -> Option<Edit> {
    let codes: Vec<Code> = project
        .codebook
        .walk()
        .into_iter()
        .map(|(_, c)| c.clone())
        .collect();
    let t1 = TranscriptId::new("t1").unwrap();
    let segs: Vec<(CoderId, Segment)> = project
        .all_segments()
        .map(|(c, _, s)| (c.clone(), s.clone()))
        .collect();
    let memos: Vec<Memo> = project.memos().cloned().collect();
    let names = ["Trust", "Silos", "Café ☕", "医生"];
    Some(match op {
        Op::AddCode { parent, name } => {
            let parent = if *parent == 0 {
                None
            } else {
                pick(&codes, *parent).map(|c| c.id)
            };
            let index = project.codebook.children(parent.as_ref()).len();
            Edit::AddCode {
                code: Code::new(names[*name as usize], Level::Code),
                at: Position { parent, index },
            }
        }
        Op::RenameCode { pick: p, name } => {
            let before = pick(&codes, *p)?;
            let mut after = before.clone();
            after.name = names[*name as usize].into();
            after.tags.push("enabler".into());
            Edit::UpdateCode { before, after }
        }
        Op::MoveCode {
            pick: p,
            parent,
            index,
        } => {
            let code = pick(&codes, *p)?;
            let from = project.codebook.position(&code.id)?;
            let parent = if *parent == 0 {
                None
            } else {
                pick(&codes, *parent).map(|c| c.id)
            };
            Edit::MoveCode {
                id: code.id,
                from,
                to: Position {
                    parent,
                    index: *index,
                },
            }
        }
        Op::RemoveCode { pick: p } => {
            let code = pick(&codes, *p)?;
            let at = project.codebook.position(&code.id)?;
            Edit::RemoveCode { code, at }
        }
        Op::AddSegment { sam, a, b, code } => {
            let seg = segment(project, *a.min(b), *a.max(b), vec![pick(&codes, *code)?.id]);
            Edit::AddSegment {
                coder: coder(if *sam { "sam" } else { "alex" }),
                transcript: t1,
                segment: seg,
            }
        }
        Op::ChangeSegment {
            pick: p,
            a,
            b,
            code,
        } => {
            let (who, before) = pick(&segs, *p)?;
            let mut after = segment(project, *a.min(b), *a.max(b), before.codes.clone());
            after.id = before.id.clone();
            let extra = pick(&codes, *code)?.id;
            if !after.codes.contains(&extra) {
                after.codes.push(extra);
            }
            Edit::UpdateSegment {
                coder: who,
                transcript: t1,
                before,
                after,
            }
        }
        Op::RemoveSegment { pick: p } => {
            let (who, segment) = pick(&segs, *p)?;
            Edit::RemoveSegment {
                coder: who,
                transcript: t1,
                segment,
            }
        }
        Op::AddMemo { link } => {
            let links = match link {
                0 => vec![],
                1 => vec![MemoLink::Code(pick(&codes, 0)?.id)],
                2 => vec![MemoLink::Transcript(t1)],
                _ => {
                    let (who, s) = pick(&segs, 0)?;
                    vec![MemoLink::Segment(SegmentRef {
                        transcript: t1,
                        coder: who,
                        id: s.id,
                    })]
                }
            };
            Edit::AddMemo(Box::new(Memo {
                id: MemoId::random(),
                author: coder("alex"),
                title: "Why".into(),
                created: Timestamp::UNIX_EPOCH,
                updated: Timestamp::UNIX_EPOCH,
                links,
                body: "no\n- x: #".into(),
            }))
        }
        Op::EditMemo { pick: p } => {
            let before = pick(&memos, *p)?;
            let mut after = before.clone();
            after.body.push_str("\nmore 医生");
            Edit::UpdateMemo {
                before: Box::new(before),
                after: Box::new(after),
            }
        }
        Op::RemoveMemo { pick: p } => Edit::RemoveMemo(Box::new(pick(&memos, *p)?)),
        Op::SetAttribute { value } => {
            let before = project.transcript(&t1)?.meta.clone();
            let mut after = before.clone();
            after.attributes.insert("role".into(), format!("r{value}"));
            Edit::UpdateTranscriptMeta {
                id: t1,
                before: Box::new(before),
                after: Box::new(after),
            }
        }
        Op::Review { pick: p, reviewed } => {
            // Sam comments on a memo: a new review, or one more comment on sam's review.
            let memo = pick(&memos, *p)?;
            let comment = crate::model::memo::Comment {
                at: Timestamp::UNIX_EPOCH,
                text: "why so? 医生".into(),
            };
            match project.review(&coder("sam"), &memo.id).cloned() {
                None => Edit::AddReview(Box::new(crate::model::MemoReview {
                    memo: memo.id,
                    reviewer: coder("sam"),
                    comments: vec![comment],
                    reviewed: reviewed.then_some(Timestamp::UNIX_EPOCH),
                })),
                Some(before) => {
                    let mut after = before.clone();
                    after.comments.push(comment);
                    after.reviewed = reviewed.then_some(Timestamp::UNIX_EPOCH);
                    Edit::UpdateReview {
                        before: Box::new(before),
                        after: Box::new(after),
                    }
                }
            }
        }
        Op::Pair(a, b) => {
            // The second edit is prepared against the state after the first, as a merge would be.
            let first = to_edit(a, project)?;
            let mut scratch = project.clone();
            first.apply(&mut scratch).ok()?;
            let second = to_edit(b, &scratch)?;
            Edit::Batch {
                label: "pair".into(),
                edits: vec![first, second],
            }
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_edit_is_undone_by_its_inverse(ops in prop::collection::vec(op(), 1..40)) {
        let initial = base();
        let mut project = initial.clone();
        let mut applied: Vec<Edit> = Vec::new();
        // The project before the newest applied edit, to check composing it with the next.
        let mut before_last: Option<Project> = None;
        for op in &ops {
            let Some(edit) = to_edit(op, &project) else { continue };
            let before = project.clone();
            match edit.apply(&mut project) {
                Ok(touched) => {
                    prop_assert!(!touched.is_empty());
                    let mut undone = project.clone();
                    edit.inverse().apply(&mut undone).map_err(|e| TestCaseError::fail(format!("{e}")))?;
                    prop_assert_eq!(&undone, &before);
                    // Two edits in a row, folded into one step (composed or batched), do
                    // what the two did, and its undo restores the state before both.
                    if let (Some(last), Some(start)) = (applied.last(), &before_last) {
                        let step = last.clone().then(edit.clone());
                        let mut redone = start.clone();
                        step.apply(&mut redone).map_err(|e| TestCaseError::fail(format!("{e}")))?;
                        prop_assert_eq!(&redone, &project);
                        step.inverse().apply(&mut redone).map_err(|e| TestCaseError::fail(format!("{e}")))?;
                        prop_assert_eq!(&redone, start);
                    }
                    before_last = Some(before);
                    applied.push(edit);
                }
                Err(_) => prop_assert_eq!(&project, &before, "a refused edit changed the project"),
            }
        }
        for edit in applied.iter().rev() {
            edit.inverse().apply(&mut project).map_err(|e| TestCaseError::fail(format!("{e}")))?;
        }
        prop_assert_eq!(project, initial);
    }
}

fn memo(project: &Project, title: &str, body: &str) -> Memo {
    Memo {
        id: MemoId::random(),
        author: coder("alex"),
        title: title.into(),
        created: Timestamp::UNIX_EPOCH,
        updated: Timestamp::UNIX_EPOCH,
        links: vec![MemoLink::Code(first_code(project))],
        body: body.into(),
    }
}

/// Applies `edits` one by one and returns the project after them.
fn after(project: &Project, edits: &[&Edit]) -> Project {
    let mut project = project.clone();
    for edit in edits {
        edit.apply(&mut project).unwrap();
    }
    project
}

#[test]
fn a_memo_written_in_three_saves_composes_into_one_addition() {
    let start = base();
    let draft = memo(&start, "Trust", "first");
    let add = Edit::AddMemo(Box::new(draft.clone()));
    let mut second = draft.clone();
    second.body = "first, then more".into();
    let save = Edit::UpdateMemo {
        before: Box::new(draft),
        after: Box::new(second.clone()),
    };
    let mut third = second.clone();
    third.title = "Trust and time".into();
    let save_again = Edit::UpdateMemo {
        before: Box::new(second),
        after: Box::new(third.clone()),
    };
    let end = after(&start, &[&add, &save, &save_again]);
    let step = add.compose(&save).unwrap().compose(&save_again).unwrap();
    assert_eq!(step, Edit::AddMemo(Box::new(third)));
    // The one step does what the three did, and its undo restores the start exactly.
    assert_eq!(after(&start, &[&step]), end);
    assert_eq!(after(&end, &[&step.inverse()]), start);
}

#[test]
fn only_edits_that_continue_each_other_compose() {
    let start = base();
    let code = start.codebook.walk()[1].1.clone();
    let mut renamed = code.clone();
    renamed.name = "Mutual trust".into();
    let rename = Edit::UpdateCode {
        before: code.clone(),
        after: renamed.clone(),
    };
    let mut other = code.clone();
    other.name = "Distrust".into();
    // Starts from the code as it was, not as the first edit left it.
    let unrelated = Edit::UpdateCode {
        before: code.clone(),
        after: other,
    };
    assert_eq!(rename.compose(&unrelated), None);
    let draft = memo(&start, "Trust", "body");
    assert_eq!(rename.compose(&Edit::AddMemo(Box::new(draft))), None);
    let mut described = renamed.clone();
    described.description = "Trust between the two teams".into();
    let describe = Edit::UpdateCode {
        before: renamed,
        after: described.clone(),
    };
    assert_eq!(
        rename.compose(&describe),
        Some(Edit::UpdateCode {
            before: code,
            after: described
        })
    );
}

#[test]
fn a_stale_composed_step_is_refused_as_a_whole() {
    let start = base();
    let code = start.codebook.walk()[1].1.clone();
    let mut once = code.clone();
    once.name = "Mutual trust".into();
    let mut twice = once.clone();
    twice.description = "Between the two teams".into();
    let first = Edit::UpdateCode {
        before: code.clone(),
        after: once.clone(),
    };
    let second = Edit::UpdateCode {
        before: once,
        after: twice.clone(),
    };
    let step = first.clone().then(second);
    let mut project = after(&start, &[&step]);
    // Someone else renames the code after the step: undoing it is now stale.
    let mut theirs = twice.clone();
    theirs.name = "Confidence".into();
    Edit::UpdateCode {
        before: twice,
        after: theirs,
    }
    .apply(&mut project)
    .unwrap();
    let before_undo = project.clone();
    assert_eq!(
        step.inverse().apply(&mut project),
        Err(EditError::Stale("code definition"))
    );
    assert_eq!(project, before_undo, "nothing of the step was undone");
}

#[test]
fn edits_that_do_not_compose_are_grouped_in_a_batch_that_undoes_all_or_nothing() {
    let start = base();
    let code = first_code(&start);
    let t1 = TranscriptId::new("t1").unwrap();
    let seg = segment(&start, 41, 50, vec![code.clone()]);
    let coding = Edit::AddSegment {
        coder: coder("alex"),
        transcript: t1.clone(),
        segment: seg.clone(),
    };
    let note = Edit::AddMemo(Box::new(memo(&start, "Why", "because")));
    let step = coding.clone().then(note.clone());
    let Edit::Batch { label, edits } = &step else {
        panic!("a batch: {step:?}");
    };
    assert_eq!(label, "code segment");
    assert_eq!(edits, &vec![coding.clone(), note.clone()]);
    // A third edit folds into the batch's last edit when it continues it.
    let mut longer = seg.clone();
    longer.end = 55;
    longer.text = start.transcript(&t1).unwrap().slice(41, 55).unwrap().into();
    let widen = Edit::UpdateSegment {
        coder: coder("alex"),
        transcript: t1.clone(),
        before: seg.clone(),
        after: longer.clone(),
    };
    let step = Edit::Batch {
        label: "code".into(),
        edits: vec![note.clone(), coding.clone()],
    }
    .then(widen.clone());
    let Edit::Batch { edits, .. } = &step else {
        panic!("a batch: {step:?}");
    };
    assert_eq!(edits.len(), 2, "the widening folded into the coding");
    let end = after(&start, &[&note, &coding, &widen]);
    assert_eq!(after(&start, &[&step]), end);
    assert_eq!(after(&end, &[&step.inverse()]), start);
    // Undoing after the segment changed elsewhere refuses the whole batch.
    let mut project = end.clone();
    let mut moved = longer.clone();
    moved.codes = vec![code.clone(), start.codebook.walk()[0].1.id.clone()];
    Edit::UpdateSegment {
        coder: coder("alex"),
        transcript: t1,
        before: longer,
        after: moved,
    }
    .apply(&mut project)
    .unwrap();
    let before_undo = project.clone();
    assert!(step.inverse().apply(&mut project).is_err());
    assert_eq!(project, before_undo);
}
