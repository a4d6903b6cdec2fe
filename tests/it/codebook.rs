//! Codebook operations and retrieval on a small hand-counted fixture, through the Workspace
//! (so every edit is saved, and undone, on disk).
//!
//! The fixture: transcripts t1, t2, t3 (organisation A, B, A); codebook
//!   Theme T > Sub S > codes a, b;  and top-level code c
//! and segments
//!   alex t1: s1 [a]  s2 [a, b]  s3 [c]      alex t2: s4 [b]
//!   sam  t1: s5 [a]                          sam  t3: s6 [S]
//! Counted by hand (all coders):
//!   a: own 3 segments (s1 s2 s5) in 1 transcript (t1)
//!   b: own 2 (s2 s4) in 2 (t1 t2)
//!   S: own 1 (s6) in 1 (t3); with children 5 segments (s1 s2 s4 s5 s6) in 3 transcripts (100%)
//!   T: own 0; with children 5 in 3
//! alex only: S with children: 3 segments (s1 s2 s4) in 2 transcripts (66.7%).

use crate::common::{self, ProjectBuilder};
use jiff::Timestamp;
use std::collections::HashMap;
use std::path::Path;
use thematic::analysis::node_counts::{Coders, NodeCounts, code_counts};
use thematic::analysis::retrieve::{QuoteFilter, QuoteOrder, quotes};
use thematic::model::codebook_ops::{self, OpError, SegmentAt};
use thematic::model::*;
use thematic::workspace::Workspace;

struct Fixture {
    _dir: tempfile::TempDir,
    ws: Workspace,
    ids: HashMap<&'static str, CodeId>,
    segs: HashMap<&'static str, SegmentAt>,
}

fn coder(id: &str) -> CoderId {
    CoderId::new(id).unwrap()
}

const TEXTS: [&str; 3] = [
    "Participant 1: We share a building now. The lunches help. IT is a mess.\n",
    "Participant 2: The two systems never talk to each other.\n",
    "Participant 3: Trust came slowly, over months of casework.\n",
];

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut project = ProjectBuilder::new("Fixture")
        .coder("alex", "Alex")
        .coder("sam", "Sam")
        .attribute("organisation", &[]);
    for (i, (text, org)) in TEXTS.iter().zip(["A", "B", "A"]).enumerate() {
        let mut meta = TranscriptMeta {
            title: format!("t{}", i + 1),
            participant: format!("Participant {}", i + 1),
            order: Some(i as u32 + 1),
            ..Default::default()
        };
        meta.attributes.insert("organisation".into(), org.into());
        project = project.transcript(common::transcript(&format!("t{}", i + 1), meta, text));
    }
    let mut ws = project.create(dir.path());
    let mut ids: HashMap<&'static str, CodeId> = HashMap::new();
    let mut add =
        |ws: &mut Workspace, key: &'static str, level: Level, parent: Option<&'static str>| {
            let code = Code::new(key.to_uppercase(), level);
            let parent = parent.map(|p| ids[p].clone());
            let index = ws.project().codebook.children(parent.as_ref()).len();
            ids.insert(key, code.id.clone());
            ws.apply(Edit::AddCode {
                code,
                at: Position { parent, index },
            })
            .unwrap();
        };
    add(&mut ws, "T", Level::Theme, None);
    add(&mut ws, "S", Level::SubTheme, Some("T"));
    add(&mut ws, "a", Level::Code, Some("S"));
    add(&mut ws, "b", Level::Code, Some("S"));
    add(&mut ws, "c", Level::Code, None);
    let mut segs = HashMap::new();
    let plan: [(&str, &str, &str, &str, &[&str]); 6] = [
        ("s1", "alex", "t1", "We share a building now.", &["a"]),
        ("s2", "alex", "t1", "The lunches help.", &["a", "b"]),
        ("s3", "alex", "t1", "IT is a mess.", &["c"]),
        ("s4", "alex", "t2", "The two systems never talk", &["b"]),
        ("s5", "sam", "t1", "share a building", &["a"]),
        ("s6", "sam", "t3", "Trust came slowly", &["S"]),
    ];
    for (key, who, t, quote, codes) in plan {
        let tid = TranscriptId::new(t).unwrap();
        let text = ws.project().transcript(&tid).unwrap().text().to_string();
        let start = text[..text.find(quote).unwrap()].chars().count();
        let segment = Segment {
            id: SegmentId::random(),
            start,
            end: start + quote.chars().count(),
            codes: codes.iter().map(|c| ids[c].clone()).collect(),
            text: quote.to_string(),
            created: Timestamp::UNIX_EPOCH,
            updated: None,
        };
        segs.insert(
            key,
            SegmentAt {
                coder: coder(who),
                transcript: tid.clone(),
                id: segment.id.clone(),
            },
        );
        // sam's segments are written under sam's lock, borrowed for the moment.
        ws.apply(Edit::AddSegment {
            coder: coder(who),
            transcript: tid,
            segment,
        })
        .unwrap();
    }
    Fixture {
        _dir: dir,
        ws,
        ids,
        segs,
    }
}

fn counts(f: &Fixture, coders: &Coders, key: &str) -> NodeCounts {
    code_counts(f.ws.project(), coders)
        .get(&f.ids[key])
        .copied()
        .unwrap_or_default()
}

fn codes_of(f: &Fixture, key: &str) -> Vec<CodeId> {
    let at = &f.segs[key];
    f.ws.project()
        .segments(&at.coder, &at.transcript)
        .iter()
        .find(|s| s.id == at.id)
        .unwrap()
        .codes
        .clone()
}

fn reload(f: &Fixture, root: &Path) -> Project {
    let _ = f;
    thematic::store::load(root).unwrap().project
}

#[test]
fn counts_match_the_hand_count() {
    let f = fixture();
    let all = Coders::All;
    let nc = |own_segments, own_transcripts, segments, transcripts| NodeCounts {
        own_segments,
        own_transcripts,
        segments,
        transcripts,
    };
    assert_eq!(counts(&f, &all, "a"), nc(3, 1, 3, 1));
    assert_eq!(counts(&f, &all, "b"), nc(2, 2, 2, 2));
    assert_eq!(counts(&f, &all, "c"), nc(1, 1, 1, 1));
    assert_eq!(counts(&f, &all, "S"), nc(1, 1, 5, 3));
    assert_eq!(counts(&f, &all, "T"), nc(0, 0, 5, 3));
    assert_eq!(counts(&f, &all, "S").percent_of(3), Some(100.0));
    assert_eq!(
        counts(&f, &all, "S").percent_of(0),
        None,
        "0 of 0 is undefined"
    );
    let alex = Coders::Only(vec![coder("alex")]);
    assert_eq!(counts(&f, &alex, "S"), nc(0, 0, 3, 2));
    assert!((counts(&f, &alex, "S").percent_of(3).unwrap() - 66.666).abs() < 0.01);
}

#[test]
fn merge_carries_segments_folds_duplicates_and_undoes() {
    let mut f = fixture();
    let root = f.ws.store().root().to_path_buf();
    let before = f.ws.project().clone();
    let edit = codebook_ops::merge(f.ws.project(), &f.ids["b"], &f.ids["a"]).unwrap();
    f.ws.apply(edit).unwrap();
    assert_eq!(
        codes_of(&f, "s2"),
        vec![f.ids["a"].clone()],
        "a and b on one segment fold into a"
    );
    assert_eq!(codes_of(&f, "s4"), vec![f.ids["a"].clone()]);
    assert!(f.ws.project().codebook.get(&f.ids["b"]).is_none());
    assert_eq!(counts(&f, &Coders::All, "a").own_segments, 4, "s1 s2 s4 s5");
    assert_eq!(counts(&f, &Coders::All, "a").own_transcripts, 2);
    assert_eq!(
        &reload(&f, &root),
        f.ws.project(),
        "saved, including sam's file"
    );
    f.ws.undo().unwrap();
    assert_eq!(f.ws.project().without_audit(), before.without_audit());
    assert_eq!(reload(&f, &root).without_audit(), before.without_audit());
}

#[test]
fn merging_a_theme_into_its_own_code_is_refused() {
    let f = fixture();
    let err = codebook_ops::merge(f.ws.project(), &f.ids["S"], &f.ids["a"]).unwrap_err();
    assert!(matches!(err, OpError::IntoOwnSubtree(..)), "{err}");
    assert_eq!(
        codebook_ops::merge(f.ws.project(), &f.ids["a"], &f.ids["a"]).unwrap_err(),
        OpError::SameCode
    );
}

#[test]
fn merging_a_parent_moves_its_children() {
    let mut f = fixture();
    let edit = codebook_ops::merge(f.ws.project(), &f.ids["S"], &f.ids["c"]).unwrap();
    f.ws.apply(edit).unwrap();
    let book = &f.ws.project().codebook;
    assert_eq!(
        book.children(Some(&f.ids["c"])),
        &[f.ids["a"].clone(), f.ids["b"].clone()]
    );
    assert_eq!(codes_of(&f, "s6"), vec![f.ids["c"].clone()]);
    assert_eq!(
        counts(&f, &Coders::All, "c"),
        NodeCounts {
            own_segments: 2,
            own_transcripts: 2,
            segments: 6,
            transcripts: 3
        }
    );
}

#[test]
fn split_moves_chosen_segments_to_a_new_code() {
    let mut f = fixture();
    let new = Code::new("a2", Level::Code);
    let at = Position {
        parent: Some(f.ids["S"].clone()),
        index: 2,
    };
    let edit = codebook_ops::split(
        f.ws.project(),
        &f.ids["a"],
        new.clone(),
        at,
        &[f.segs["s5"].clone()],
    )
    .unwrap();
    f.ws.apply(edit).unwrap();
    assert_eq!(codes_of(&f, "s5"), vec![new.id.clone()]);
    assert_eq!(codes_of(&f, "s1"), vec![f.ids["a"].clone()]);
    assert_eq!(counts(&f, &Coders::All, "a").own_segments, 2);
    assert_eq!(
        counts(&f, &Coders::All, "S").segments,
        5,
        "the theme's total is unchanged"
    );
    f.ws.undo().unwrap();
    assert_eq!(counts(&f, &Coders::All, "a").own_segments, 3);
    let wrong = codebook_ops::split(
        f.ws.project(),
        &f.ids["b"],
        Code::new("x", Level::Code),
        Position {
            parent: None,
            index: 0,
        },
        &[f.segs["s1"].clone()],
    );
    assert!(matches!(wrong, Err(OpError::NotOnCode(_))));
}

#[test]
fn delete_is_refused_while_used_unless_reassigned() {
    let mut f = fixture();
    let err = codebook_ops::delete(f.ws.project(), &f.ids["c"], None).unwrap_err();
    assert_eq!(
        err,
        OpError::InUse {
            name: "C".into(),
            segments: 1,
            memos: 0
        }
    );
    let edit = codebook_ops::delete(f.ws.project(), &f.ids["c"], Some(&f.ids["a"])).unwrap();
    f.ws.apply(edit).unwrap();
    assert_eq!(codes_of(&f, "s3"), vec![f.ids["a"].clone()]);
    // An unused code with children: the children move up to its parent.
    let unused = Code::new("Group", Level::SubTheme);
    let gid = unused.id.clone();
    f.ws.apply(Edit::AddCode {
        code: unused,
        at: Position {
            parent: Some(f.ids["T"].clone()),
            index: 1,
        },
    })
    .unwrap();
    let mv = codebook_ops::move_under(f.ws.project(), &f.ids["b"], Some(&gid)).unwrap();
    f.ws.apply(mv).unwrap();
    let edit = codebook_ops::delete(f.ws.project(), &gid, None).unwrap();
    f.ws.apply(edit).unwrap();
    assert_eq!(
        f.ws.project().codebook.parent(&f.ids["b"]),
        Some(&f.ids["T"])
    );
}

#[test]
fn rename_recolour_level_tags_move_and_reorder_undo() {
    let mut f = fixture();
    let before = f.ws.project().clone();
    let a = f.ids["a"].clone();
    let edit = codebook_ops::update_code(f.ws.project(), &a, |c| {
        c.name = "Shared building".into();
        c.colour = Some(Colour([1, 2, 3]));
        c.level = Level::SubTheme;
        c.tags = vec!["enabler".into()];
        c.description = "Working under one roof.".into();
    })
    .unwrap();
    f.ws.apply(edit).unwrap();
    f.ws.apply(codebook_ops::move_under(f.ws.project(), &a, None).unwrap())
        .unwrap();
    assert_eq!(f.ws.project().codebook.children(None).last(), Some(&a));
    f.ws.apply(codebook_ops::reorder(f.ws.project(), &a, -1).unwrap())
        .unwrap();
    assert_eq!(f.ws.project().codebook.position(&a).unwrap().index, 1);
    assert_eq!(
        codebook_ops::reorder(f.ws.project(), &f.ids["T"], -1).unwrap_err(),
        OpError::NoRoom
    );
    for _ in 0..3 {
        f.ws.undo().unwrap();
    }
    assert_eq!(f.ws.project().without_audit(), before.without_audit());
}

#[test]
fn quotes_of_a_theme_with_filters_and_orders() {
    let f = fixture();
    let project = f.ws.project();
    let all = quotes(
        project,
        &f.ids["T"],
        true,
        &QuoteFilter::default(),
        QuoteOrder::Transcript,
    );
    assert_eq!(all.len(), 5);
    for q in &all {
        let t = project.transcript(&q.transcript).unwrap();
        assert_eq!(
            t.slice(q.start, q.end),
            Some(q.text.as_str()),
            "the quote is the transcript's text at its offsets"
        );
    }
    assert_eq!(all[0].cite(), "“We share a building now.” (Participant 1)");
    assert_eq!(all.last().unwrap().transcript.as_str(), "t3");
    let org_a = QuoteFilter {
        attributes: vec![("organisation".into(), "a".into())],
        ..Default::default()
    };
    assert_eq!(
        quotes(project, &f.ids["T"], true, &org_a, QuoteOrder::Transcript).len(),
        4,
        "s1 s2 s5 s6"
    );
    let alex = QuoteFilter {
        coders: Coders::Only(vec![coder("alex")]),
        ..Default::default()
    };
    assert_eq!(
        quotes(project, &f.ids["T"], true, &alex, QuoteOrder::Transcript).len(),
        3
    );
    let words = QuoteFilter {
        text: Some("BUILDING".into()),
        ..Default::default()
    };
    assert_eq!(
        quotes(project, &f.ids["T"], true, &words, QuoteOrder::Transcript).len(),
        2
    );
    let t3 = QuoteFilter {
        transcripts: Some(vec![TranscriptId::new("t3").unwrap()]),
        ..Default::default()
    };
    let in_t3 = quotes(project, &f.ids["T"], true, &t3, QuoteOrder::Transcript);
    assert!(!in_t3.is_empty());
    assert!(in_t3.iter().all(|q| q.transcript.as_str() == "t3"));
    assert_eq!(
        in_t3.len(),
        all.iter().filter(|q| q.transcript.as_str() == "t3").count(),
        "every t3 quote, and only those"
    );
    let own = quotes(
        project,
        &f.ids["S"],
        false,
        &QuoteFilter::default(),
        QuoteOrder::Transcript,
    );
    assert_eq!(own.len(), 1, "without children, only s6");
    let longest = quotes(
        project,
        &f.ids["T"],
        true,
        &QuoteFilter::default(),
        QuoteOrder::Length,
    );
    assert_eq!(longest[0].text, "The two systems never talk");
}
