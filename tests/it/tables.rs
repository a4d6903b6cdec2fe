//! Saturation, matrices, co-occurrence and the theme table on a hand-counted fixture.
//!
//! Codebook: theme T1 > sub-theme S1 > codes a, b; theme T2 > code c (no sub-theme).
//! Transcripts in interview order t1, t2, t3, t4 (site North, South, North, South), each
//! 100 characters. alex's segments:
//!   t1: [0,10) a   [5,20) b          t2: [0,30) a+c      t3: [50,60) a     t4: [10,20) b
//! sam's: t3: [0,40) c
//! Counted by hand (alex only):
//!   saturation, codes:      t1 new {a,b} 2/2, t2 new {c} 1/3, t3 0/3, t4 0/3 -> reached after t2 (run 2)
//!   sub-themes:             t1 {S1} 1/1, then 0 -> after t1;  themes: t1 {T1} 1/1, t2 {T2} 1/2, 0, 0
//!   matrix (codes, segments by transcript): a 1 1 1 0 (3, in 75%); b 1 0 0 1 (2, 50%); c 0 1 0 0 (1, 25%)
//!   matrix (themes, presence by site): T1 North 2/2 = 100%, South 2/2 = 100%; T2 North 0/2, South 1/2
//!   characters of a: t1 10, t2 30, t3 10 -> 50
//!   co-occurrence: (a, b) overlap in t1 once; (a, c) on one segment in t2 once
//!   theme table: T1 has 5 segments (a, b, a+c, a, b) from t1..t4, so 4 participants;
//!   S1 the same 5 / 4; T2 1 segment / 1 participant

use crate::common::{self, ProjectBuilder};
use jiff::Timestamp;
use std::collections::HashMap;
use thematic::analysis::node_counts::Coders;
use thematic::analysis::tables::*;
use thematic::model::*;

fn coder(id: &str) -> CoderId {
    CoderId::new(id).unwrap()
}

fn fixture() -> (Project, HashMap<&'static str, CodeId>) {
    let mut builder = ProjectBuilder::new("tables")
        .coder("alex", "Alex")
        .coder("sam", "Sam")
        .attribute("site", &["North", "South"]);
    let mut ids: HashMap<&'static str, CodeId> = HashMap::new();
    for (name, level, parent) in [
        ("T1", Level::Theme, None),
        ("S1", Level::SubTheme, Some("T1")),
        ("a", Level::Code, Some("S1")),
        ("b", Level::Code, Some("S1")),
        ("T2", Level::Theme, None),
        ("c", Level::Code, Some("T2")),
    ] {
        let code = Code::new(name, level);
        let parent: Option<&CodeId> = parent.map(|x: &str| &ids[x]);
        builder = builder.code(code.clone(), parent);
        ids.insert(name, code.id);
    }
    for (i, site) in ["North", "South", "North", "South"].iter().enumerate() {
        let text: String = "Participant speaks: words and more words 医 "
            .chars()
            .cycle()
            .take(100)
            .collect();
        let mut meta = TranscriptMeta {
            title: format!("t{}", i + 1),
            participant: format!("Participant {}", i + 1),
            order: Some(i as u32 + 1),
            ..Default::default()
        };
        meta.attributes.insert("site".into(), site.to_string());
        assert_eq!(text.chars().count(), 100);
        builder = builder.transcript(common::transcript(&format!("t{}", i + 1), meta, &text));
    }
    let mut p = builder.build();
    let plan: [(&str, &str, usize, usize, &[&str]); 6] = [
        ("alex", "t1", 0, 10, &["a"]),
        ("alex", "t1", 5, 20, &["b"]),
        ("alex", "t2", 0, 30, &["a", "c"]),
        ("alex", "t3", 50, 60, &["a"]),
        ("alex", "t4", 10, 20, &["b"]),
        ("sam", "t3", 0, 40, &["c"]),
    ];
    for (who, t, start, end, codes) in plan {
        let tid = TranscriptId::new(t).unwrap();
        let text = p
            .transcript(&tid)
            .unwrap()
            .slice(start, end)
            .unwrap()
            .to_string();
        let segment = Segment {
            id: SegmentId::random(),
            start,
            end,
            codes: codes.iter().map(|c| ids[c].clone()).collect(),
            text,
            created: Timestamp::UNIX_EPOCH,
            updated: None,
        };
        Edit::AddSegment {
            coder: coder(who),
            transcript: tid,
            segment,
        }
        .apply(&mut p)
        .unwrap();
    }
    (p, ids)
}

fn alex() -> Scope {
    Scope {
        coders: Coders::Only(vec![coder("alex")]),
        ..Scope::default()
    }
}

#[test]
fn saturation_by_hand() {
    let (p, ids) = fixture();
    let rows = saturation(&p, &alex());
    let codes: Vec<(usize, usize)> = rows
        .iter()
        .map(|r| (r.codes.new, r.codes.cumulative))
        .collect();
    assert_eq!(codes, vec![(2, 2), (1, 3), (0, 3), (0, 3)]);
    assert_eq!(rows[1].codes.first_seen, vec![ids["c"].clone()]);
    let subs: Vec<usize> = rows.iter().map(|r| r.sub_themes.new).collect();
    assert_eq!(subs, vec![1, 0, 0, 0]);
    let themes: Vec<(usize, usize)> = rows
        .iter()
        .map(|r| (r.themes.new, r.themes.cumulative))
        .collect();
    assert_eq!(themes, vec![(1, 1), (1, 2), (0, 2), (0, 2)]);
    assert_eq!(
        saturation_point(&rows, 2, |r| &r.codes),
        Some(1),
        "after t2, two transcripts add nothing"
    );
    assert_eq!(saturation_point(&rows, 3, |r| &r.codes), None, "not three");
    assert_eq!(saturation_point(&rows, 3, |r| &r.sub_themes), Some(0));
}

#[test]
fn matrices_by_hand() {
    let (p, ids) = fixture();
    let m = matrix(&p, &alex(), Level::Code, Measure::Segments, None);
    assert_eq!(m.columns, vec!["t1", "t2", "t3", "t4"]);
    let row = |code: &str| m.rows.iter().find(|r| r.code == ids[code]).unwrap().clone();
    assert_eq!(
        (row("a").cells, row("a").total, row("a").percent_total),
        (vec![1, 1, 1, 0], 3, Some(75.0))
    );
    assert_eq!(
        (row("b").cells, row("b").total, row("b").percent_total),
        (vec![1, 0, 0, 1], 2, Some(50.0))
    );
    assert_eq!((row("c").cells, row("c").total), (vec![0, 1, 0, 0], 1));
    assert_eq!(m.column_totals, vec![2, 2, 1, 1]);
    let chars = matrix(&p, &alex(), Level::Code, Measure::Characters, None);
    assert_eq!(
        chars
            .rows
            .iter()
            .find(|r| r.code == ids["a"])
            .unwrap()
            .total,
        50
    );
    let by_site = matrix(&p, &alex(), Level::Theme, Measure::Presence, Some("site"));
    assert_eq!(by_site.columns, vec!["North", "South"], "declared order");
    let t1 = by_site.rows.iter().find(|r| r.code == ids["T1"]).unwrap();
    assert_eq!(
        (t1.cells.clone(), t1.percent_of_transcripts.clone()),
        (vec![2, 2], vec![Some(100.0), Some(100.0)])
    );
    let t2 = by_site.rows.iter().find(|r| r.code == ids["T2"]).unwrap();
    assert_eq!(
        (
            t2.cells.clone(),
            t2.percent_of_transcripts.clone(),
            t2.total
        ),
        (vec![0, 1], vec![Some(0.0), Some(50.0)], 1)
    );
    // Everyone's coding: sam's c in t3 adds a North transcript for T2.
    let all = matrix(
        &p,
        &Scope::default(),
        Level::Theme,
        Measure::Presence,
        Some("site"),
    );
    assert_eq!(
        all.rows.iter().find(|r| r.code == ids["T2"]).unwrap().cells,
        vec![1, 1]
    );
    // An attribute filter keeps only its transcripts.
    let north = Scope {
        coders: Coders::All,
        attributes: vec![("site".into(), "north".into())],
        ..Scope::default()
    };
    assert_eq!(
        matrix(&p, &north, Level::Code, Measure::Segments, None).columns,
        vec!["t1", "t3"]
    );
}

#[test]
fn cooccurrence_and_theme_table_by_hand() {
    let (p, ids) = fixture();
    let pairs = cooccurrence(&p, &alex());
    let named: Vec<(CodeId, CodeId, usize)> = pairs
        .iter()
        .map(|x| (x.a.clone(), x.b.clone(), x.count))
        .collect();
    let key = |a: &str, b: &str| {
        if ids[a] < ids[b] {
            (ids[a].clone(), ids[b].clone())
        } else {
            (ids[b].clone(), ids[a].clone())
        }
    };
    assert_eq!(named.len(), 2, "{named:?}");
    for (a, b) in [("a", "b"), ("a", "c")] {
        let (x, y) = key(a, b);
        assert!(named.contains(&(x, y, 1)), "{a}-{b} once");
    }
    // Across coders text is not co-occurrence: sam's c over alex's a in t3 does not count.
    assert_eq!(cooccurrence(&p, &Scope::default()).len(), 2);
    // Opening a pair lists its passages: a [0,10) and b [5,20) in t1 span [0,20); a+c is one
    // segment [0,30) in t2; the order of the two codes does not matter.
    let ab = cooccurring_passages(&p, &alex(), &ids["b"], &ids["a"]);
    let spans: Vec<(&str, usize, usize)> = ab
        .iter()
        .map(|x| (x.transcript.as_str(), x.start, x.end))
        .collect();
    assert_eq!(spans, vec![("t1", 0, 20)]);
    let ac = cooccurring_passages(&p, &Scope::default(), &ids["a"], &ids["c"]);
    let spans: Vec<(&str, usize, usize)> = ac
        .iter()
        .map(|x| (x.transcript.as_str(), x.start, x.end))
        .collect();
    assert_eq!(
        spans,
        vec![("t2", 0, 30)],
        "not sam's c over alex's a in t3"
    );
    assert!(cooccurring_passages(&p, &alex(), &ids["b"], &ids["c"]).is_empty());
    let table = theme_table(&p, &alex());
    let row = |code: &str| table.iter().find(|r| r.code == ids[code]).unwrap().clone();
    assert_eq!((row("T1").segments, row("T1").participants), (5, 4));
    assert_eq!((row("S1").segments, row("S1").participants), (5, 4));
    assert_eq!((row("T2").segments, row("T2").participants), (1, 1));
    assert!(
        row("T1").exemplar.unwrap().ends_with("(Participant 1)"),
        "the first quote in interview order"
    );
    assert_eq!(table.len(), 3, "themes and sub-themes only");
}

#[test]
fn theme_table_cites_the_chosen_exemplar_when_in_scope() {
    let (mut p, ids) = fixture();
    // alex's a at [50,60) in t3 (Participant 3) is chosen for T1, over the first quote (t1).
    let t3 = TranscriptId::new("t3").unwrap();
    let chosen = p.segments(&coder("alex"), &t3)[0].clone();
    let edit = codebook_ops::update_code(&p, &ids["T1"], |c| {
        c.exemplar = Some(Box::new(SegmentRef {
            transcript: t3.clone(),
            coder: coder("alex"),
            id: chosen.id.clone(),
        }))
    })
    .unwrap();
    edit.apply(&mut p).unwrap();
    let cited = |scope: &Scope| {
        theme_table(&p, scope)
            .into_iter()
            .find(|r| r.code == ids["T1"])
            .unwrap()
            .exemplar
            .unwrap()
    };
    assert!(
        cited(&alex()).ends_with("(Participant 3)"),
        "{}",
        cited(&alex())
    );
    // Out of scope (only South transcripts: t2, t4), the first quote in scope is cited.
    let south = Scope {
        attributes: vec![("site".into(), "South".into())],
        ..alex()
    };
    assert!(
        cited(&south).ends_with("(Participant 2)"),
        "{}",
        cited(&south)
    );
}

/// The worked examples of docs/definitions.md that the tests above do not already check.
#[test]
fn the_definitions_pages_examples() {
    let (p, ids) = fixture();
    // Scope: `--coders alex --attr site=north`.
    let north = Scope {
        attributes: vec![("site".into(), "north".into())],
        ..alex()
    };
    assert_eq!(
        serde_json::to_value(north.summary(&p)).unwrap(),
        serde_json::json!({"coders": ["alex"], "transcripts": 2, "coded": 2, "filter": {"site": "north"}})
    );
    // Saturation with sam's coding only: t3 is the one coded interview; nothing is reached.
    let sam = Scope {
        coders: Coders::Only(vec![coder("sam")]),
        ..Scope::default()
    };
    let rows = saturation(&p, &sam);
    let coded: Vec<bool> = rows.iter().map(|r| r.coded).collect();
    assert_eq!(coded, vec![false, false, true, false]);
    assert_eq!(rows[2].codes.first_seen, vec![ids["c"].clone()]);
    assert_eq!(rows[2].themes.first_seen, vec![ids["T2"].clone()]);
    for run in 1..4 {
        assert_eq!(
            saturation_point(&rows, run, |r| &r.codes),
            None,
            "run {run}"
        );
    }
    assert_eq!(sam.summary(&p).coded, 1);
    let m = matrix(&p, &sam, Level::Code, Measure::Presence, None);
    let c_row = m.rows.iter().find(|r| r.code == ids["c"]).unwrap();
    assert_eq!(
        (c_row.total, c_row.percent_total),
        (1, Some(100.0)),
        "100% of the 1 coded, not 25% of 4"
    );
    // Project counts: alex 5 segments, 4 transcripts coded, 3 codes used; sam 1, 1, 1.
    let stats = thematic::analysis::stats::project_stats(&p);
    let per_coder: Vec<(usize, usize, usize)> = stats
        .coders
        .iter()
        .map(|c| (c.segments, c.transcripts_coded, c.codes_used))
        .collect();
    assert_eq!(per_coder, vec![(5, 4, 3), (1, 1, 1)]);
    // Codebook counts (everyone's): T1 5 segments in 4 transcripts; c own 2 in 2 (50%).
    let counts = thematic::analysis::node_counts::code_counts(&p, &Coders::All);
    let t1 = counts[&ids["T1"]];
    assert_eq!((t1.own_segments, t1.segments, t1.transcripts), (0, 5, 4));
    let c = counts[&ids["c"]];
    assert_eq!((c.own_segments, c.segments, c.transcripts), (2, 2, 2));
    assert_eq!(c.percent_of(4), Some(50.0));
    // A sub-theme applied directly counts for itself and its theme, in no code's row.
    let mut p = p;
    let t2 = TranscriptId::new("t2").unwrap();
    let text = p
        .transcript(&t2)
        .unwrap()
        .slice(60, 70)
        .unwrap()
        .to_string();
    Edit::AddSegment {
        coder: coder("alex"),
        transcript: t2,
        segment: Segment {
            id: SegmentId::random(),
            start: 60,
            end: 70,
            codes: vec![ids["S1"].clone()],
            text,
            created: Timestamp::UNIX_EPOCH,
            updated: None,
        },
    }
    .apply(&mut p)
    .unwrap();
    let codes = matrix(&p, &alex(), Level::Code, Measure::Segments, None);
    assert_eq!(
        codes.column_totals,
        vec![2, 2, 1, 1],
        "no code row gains it"
    );
    let subs = matrix(&p, &alex(), Level::SubTheme, Measure::Segments, None);
    assert_eq!(subs.rows[0].cells, vec![2, 2, 1, 1], "S1 gains it in t2");
    let stats = thematic::analysis::stats::project_stats(&p);
    assert_eq!(stats.coders[0].codes_used, 3, "S1 is not a code used");
    let rows = saturation(&p, &alex());
    assert_eq!(rows[1].codes.new, 1, "t2 still adds only c at code level");
}
