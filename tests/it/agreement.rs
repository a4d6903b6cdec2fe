//! Agreement figures against values computed independently: by hand (in the comments), and
//! by scikit-learn and the krippendorff package for the cases in
//! tests/fixtures/agreement/cases.json (see make_reference.py there for how reference.json
//! was made).

use crate::common::{self, ProjectBuilder};
use jiff::Timestamp;
use serde_json::Value;
use thematic::analysis::agreement::{Comparison, agreement};
use thematic::model::*;

fn fixture(name: &str) -> Value {
    let path = common::fixtures("agreement").join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn coder(id: &str) -> CoderId {
    CoderId::new(id).unwrap()
}

/// A text of exactly `length` chars, repeating `sample` (which holds emoji and CJK, so char
/// offsets differ from byte offsets).
fn text_of(sample: &str, length: usize) -> String {
    sample.chars().cycle().take(length).collect()
}

/// The project of one case: coders a and b, codes X, Y, Z at the top level.
fn project_for(
    case: &Value,
) -> (
    Project,
    Vec<TranscriptId>,
    std::collections::HashMap<String, CodeId>,
) {
    let mut builder = ProjectBuilder::new("agreement")
        .coder("a", "A")
        .coder("b", "B");
    let mut ids = std::collections::HashMap::new();
    for name in ["X", "Y", "Z"] {
        let code = Code::new(name, Level::Code);
        ids.insert(name.to_string(), code.id.clone());
        builder = builder.code(code, None);
    }
    let mut transcripts = Vec::new();
    for (t, info) in case["transcripts"].as_object().unwrap() {
        let text = text_of(
            info["text"].as_str().unwrap(),
            info["length"].as_u64().unwrap() as usize,
        );
        let meta = TranscriptMeta {
            title: t.clone(),
            participant: t.clone(),
            ..Default::default()
        };
        builder = builder.transcript(common::transcript(t, meta, &text));
        transcripts.push(TranscriptId::new(t.as_str()).unwrap());
    }
    let mut project = builder.build();
    for side in ["a", "b"] {
        for (t, segs) in case[side].as_object().unwrap() {
            let tid = TranscriptId::new(t.as_str()).unwrap();
            for seg in segs.as_array().unwrap() {
                let (start, end) = (
                    seg[0].as_u64().unwrap() as usize,
                    seg[1].as_u64().unwrap() as usize,
                );
                let codes = seg[2]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| ids[c.as_str().unwrap()].clone())
                    .collect();
                let text = project
                    .transcript(&tid)
                    .unwrap()
                    .slice(start, end)
                    .unwrap()
                    .to_string();
                let segment = Segment {
                    id: SegmentId::random(),
                    start,
                    end,
                    codes,
                    text,
                    created: Timestamp::UNIX_EPOCH,
                    updated: None,
                };
                Edit::AddSegment {
                    coder: coder(side),
                    transcript: tid.clone(),
                    segment,
                }
                .apply(&mut project)
                .unwrap();
            }
        }
    }
    (project, transcripts, ids)
}

fn same(ours: Option<f64>, reference: &Value, what: &str) {
    match (ours, reference.as_f64()) {
        (None, None) => {}
        (Some(x), Some(y)) => assert!((x - y).abs() < 1e-9, "{what}: {x} vs reference {y}"),
        (x, y) => panic!("{what}: {x:?} vs reference {y:?}"),
    }
}

#[test]
fn figures_match_scikit_learn_and_krippendorff() {
    let cases = fixture("cases.json");
    let reference = fixture("reference.json");
    for case in cases["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let (project, transcripts, ids) = project_for(case);
        let cmp = Comparison {
            coder_a: coder("a"),
            coder_b: coder("b"),
            transcripts,
            codes: None,
            overlap: 0.9,
        };
        let result = agreement(&project, &cmp);
        let expected = &reference["cases"][name];
        let per_code = expected["per_code"].as_object().unwrap();
        assert_eq!(
            result.per_code.len(),
            per_code.len(),
            "{name}: the codes either coder used"
        );
        for (code, figures) in per_code {
            let ours = result
                .per_code
                .iter()
                .find(|c| c.code == ids[code])
                .unwrap();
            same(
                ours.table.percent_agreement(),
                &figures["percent_agreement"],
                &format!("{name} {code} percent"),
            );
            same(
                ours.table.kappa(),
                &figures["kappa"],
                &format!("{name} {code} kappa"),
            );
            same(
                ours.table.alpha(),
                &figures["alpha"],
                &format!("{name} {code} alpha"),
            );
        }
        same(
            result.overall.percent_agreement(),
            &expected["overall"]["percent_agreement"],
            &format!("{name} overall percent"),
        );
        same(
            result.overall.kappa(),
            &expected["overall"]["kappa"],
            &format!("{name} overall kappa"),
        );
        same(
            result.overall.alpha(),
            &expected["overall"]["alpha"],
            &format!("{name} overall alpha"),
        );
    }
}

#[test]
fn segment_level_agreement_by_hand() {
    let cases = fixture("cases.json");
    let (project, transcripts, _) = project_for(&cases["cases"][0]);
    // By hand, at 90% of the longer segment:
    //   X t1: A [10,60) vs B [15,70) share 45 of 55 (82%): no; A [50,80): no  -> 2 only A, 2 only B
    //   X t2: A [0,40) vs B [0,38) share 38 of 40 (95%): a match
    //   Y t1: A [100,150) vs B [120,180) share 30 of 60: no -> 1 only A, 1 only B; Y t2: 1 only B
    //   Z t2: 1 only A
    let cmp = Comparison {
        coder_a: coder("a"),
        coder_b: coder("b"),
        transcripts: transcripts.clone(),
        codes: None,
        overlap: 0.9,
    };
    let s = agreement(&project, &cmp).segments;
    assert_eq!((s.matched, s.only_a, s.only_b), (1, 4, 4));
    assert!((s.percent().unwrap() - 100.0 / 9.0).abs() < 1e-9);
    // At 80%, X t1's first pair (82%) matches too.
    let cmp = Comparison {
        overlap: 0.8,
        ..cmp
    };
    let s = agreement(&project, &cmp).segments;
    assert_eq!((s.matched, s.only_a, s.only_b), (2, 3, 3));
}

#[test]
fn overlapping_segments_of_one_coder_count_each_character_once() {
    let cases = fixture("cases.json");
    let (project, transcripts, ids) = project_for(&cases["cases"][0]);
    let cmp = Comparison {
        coder_a: coder("a"),
        coder_b: coder("b"),
        transcripts,
        codes: Some(vec![ids["X"].clone()]),
        overlap: 0.9,
    };
    let result = agreement(&project, &cmp);
    // A's X in t1 is [10,60) and [50,80): 70 characters, not 80. B's X in t1: [15,70) and
    // [120,180): 115. Both: [15,70) = 55. In t2: A [0,40), B [0,38): both 38, only A 2.
    let t1 = &result.per_transcript[0].table;
    assert_eq!(
        (t1.both, t1.only_a, t1.only_b, t1.neither),
        (55, 15, 60, 70)
    );
    let x = &result.per_code[0].table;
    assert_eq!((x.both, x.only_a, x.only_b), (93, 17, 60));
    assert_eq!(
        x.total(),
        450,
        "every character of the three transcripts, for the one code"
    );
    // The transcript nobody coded is undefined on its own, and adds only agreement when pooled.
    let t3 = &result.per_transcript[2].table;
    assert_eq!((t3.kappa(), t3.alpha()), (None, None));
    assert_eq!(t3.percent_agreement(), Some(100.0));
}

#[test]
fn nvivo_example_as_a_project() {
    let case: Value = serde_json::json!({
        "transcripts": {"t1": {"length": 1000, "text": "Participant 1: a long answer 👍 "}},
        "a": {"t1": [[0, 200, ["X"]]]},
        "b": {"t1": [[150, 200, ["X"]]]}
    });
    let (project, transcripts, _) = project_for(&case);
    let cmp = Comparison {
        coder_a: coder("a"),
        coder_b: coder("b"),
        transcripts,
        codes: None,
        overlap: 0.9,
    };
    let result = agreement(&project, &cmp);
    // 1,000 characters, 50 coded by both, 150 by one coder only, 800 by neither: 85%.
    assert_eq!(result.overall.percent_agreement(), Some(85.0));
    assert!(
        (result.weighted_kappa().unwrap() - 0.08 / 0.23).abs() < 1e-9,
        "one code: its own kappa"
    );
}

#[test]
fn the_command_reports_the_same_figures_in_its_documented_json() {
    let cases = fixture("cases.json");
    let reference = fixture("reference.json");
    let (project, _, _) = project_for(&cases["cases"][0]);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("p");
    let mut loaded = thematic::store::create(&root, project.meta.clone()).unwrap();
    loaded.store.persist_all(&project).unwrap();
    let run = |args: &[&str]| {
        let out = crate::common::thematic(args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let root_s = root.display().to_string();
    let json: Value = serde_json::from_slice(&run(&[
        "agreement",
        &root_s,
        "--coders",
        "a",
        "b",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(json["coders"], serde_json::json!(["a", "b"]));
    assert_eq!(
        json["transcripts"],
        serde_json::json!(["t1", "t2"]),
        "by default, the transcripts both coded"
    );
    // Over t1 and t2 only (t3 is not compared here), so the overall table differs from the
    // reference's three-transcript one; the per-code figures for t1+t2 are checked by hand:
    // X: both 93, only A 17, only B 60 over 350 characters.
    let x = json["per_code"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "X")
        .unwrap();
    assert_eq!(
        (
            x["chars_both"].as_u64(),
            x["chars_only_a"].as_u64(),
            x["chars_only_b"].as_u64(),
            x["chars_neither"].as_u64()
        ),
        (Some(93), Some(17), Some(60), Some(180))
    );
    for key in [
        "percent_agreement",
        "kappa",
        "alpha",
        "segments_matched",
        "segments_only_a",
        "segments_only_b",
    ] {
        assert!(json["overall"].get(key).is_some(), "overall.{key}");
    }
    // With all three transcripts, the figures are the reference's.
    let json: Value = serde_json::from_slice(&run(&[
        "agreement",
        &root_s,
        "--coders",
        "a",
        "b",
        "--transcripts",
        "t1,t2,t3",
        "--format",
        "json",
    ]))
    .unwrap();
    same(
        json["overall"]["kappa"].as_f64(),
        &reference["cases"]["mixed"]["overall"]["kappa"],
        "overall kappa",
    );
    same(
        json["overall"]["alpha"].as_f64(),
        &reference["cases"]["mixed"]["overall"]["alpha"],
        "overall alpha",
    );
    let z = json["per_code"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "Z")
        .unwrap();
    same(
        z["kappa"].as_f64(),
        &reference["cases"]["mixed"]["per_code"]["Z"]["kappa"],
        "Z kappa",
    );
    let table = String::from_utf8(run(&[
        "agreement",
        &root_s,
        "--coders",
        "a",
        "b",
        "--transcripts",
        "t1,t2,t3",
    ]))
    .unwrap();
    assert!(
        table.contains("pooled by summing the 2x2 tables over codes and transcripts"),
        "{table}"
    );
    assert!(
        table.contains("t3             100.0%      —      —"),
        "undefined shown as —:\n{table}"
    );
}
