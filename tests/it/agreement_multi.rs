//! Agreement among three coders against the `krippendorff` Python package: the cases and the
//! reference figures are in tests/fixtures/agreement/multi.json, generated once by
//! make_multi_reference.py there. Also the command's JSON with more than two coders.

use crate::common::{self, ProjectBuilder};
use jiff::Timestamp;
use serde_json::Value;
use std::path::PathBuf;
use thematic::analysis::agreement::multi_agreement;
use thematic::model::*;

fn fixture() -> Value {
    let path = common::fixtures("agreement").join("multi.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn id(s: &str) -> CoderId {
    CoderId::new(s).unwrap()
}

const CODERS: [&str; 3] = ["a", "b", "c"];

/// The project of one case: coders a, b and c; codes X, Y, Z at the top level.
fn project_for(case: &Value) -> (Project, Vec<TranscriptId>) {
    let mut builder = ProjectBuilder::new("agreement");
    for c in CODERS {
        builder = builder.coder(c, &c.to_uppercase());
    }
    let mut codes = std::collections::HashMap::new();
    for name in ["X", "Y", "Z"] {
        let code = Code::new(name, Level::Code);
        codes.insert(name.to_string(), code.id.clone());
        builder = builder.code(code, None);
    }
    let mut transcripts = Vec::new();
    for (t, info) in case["transcripts"].as_object().unwrap() {
        let length = info["length"].as_u64().unwrap() as usize;
        let text: String = info["text"]
            .as_str()
            .unwrap()
            .chars()
            .cycle()
            .take(length)
            .collect();
        let meta = TranscriptMeta {
            title: t.clone(),
            participant: t.clone(),
            ..Default::default()
        };
        assert_eq!(text.chars().count(), length);
        builder = builder.transcript(common::transcript(t, meta, &text));
        transcripts.push(TranscriptId::new(t.as_str()).unwrap());
    }
    let mut project = builder.build();
    for coder in CODERS {
        for (t, segs) in case["coders"][coder].as_object().unwrap() {
            let tid = TranscriptId::new(t.as_str()).unwrap();
            for seg in segs.as_array().unwrap() {
                let (start, end) = (
                    seg[0].as_u64().unwrap() as usize,
                    seg[1].as_u64().unwrap() as usize,
                );
                let text = project
                    .transcript(&tid)
                    .unwrap()
                    .slice(start, end)
                    .unwrap()
                    .to_string();
                Edit::AddSegment {
                    coder: id(coder),
                    transcript: tid.clone(),
                    segment: Segment {
                        id: SegmentId::random(),
                        start,
                        end,
                        codes: seg[2]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|c| codes[c.as_str().unwrap()].clone())
                            .collect(),
                        text,
                        created: Timestamp::UNIX_EPOCH,
                        updated: None,
                    },
                }
                .apply(&mut project)
                .unwrap();
            }
        }
    }
    (project, transcripts)
}

fn close(got: Option<f64>, want: &Value, what: &str) {
    match want.as_f64() {
        None => assert_eq!(got, None, "{what}"),
        Some(w) => {
            let g = got.unwrap_or_else(|| panic!("{what}: undefined, want {w}"));
            assert!((g - w).abs() < 1e-9, "{what}: {g} vs {w}");
        }
    }
}

#[test]
fn three_coder_alpha_and_pairwise_kappa_match_the_reference() {
    let data = fixture();
    let cases = data["cases"].as_array().unwrap();
    assert!(cases.len() >= 3);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let want = &data["expected"][name];
        let (project, transcripts) = project_for(case);
        let coders: Vec<CoderId> = CODERS.iter().map(|c| id(c)).collect();
        let got = multi_agreement(&project, &coders, &transcripts, None, 0.9);
        close(
            got.overall.alpha(),
            &want["overall"]["alpha"],
            &format!("{name} pooled alpha"),
        );
        let per_code = want["per_code"].as_object().unwrap();
        assert_eq!(
            got.per_code.len(),
            per_code.len(),
            "{name}: codes any coder used"
        );
        for (code, counts) in &got.per_code {
            let code_name = &project.codebook.get(code).unwrap().name;
            close(
                counts.alpha(),
                &per_code[code_name]["alpha"],
                &format!("{name} {code_name}"),
            );
        }
        let pairs = want["pairs"].as_array().unwrap();
        assert_eq!(got.pairs.len(), 3);
        for (pair, reference) in got.pairs.iter().zip(pairs) {
            assert_eq!(
                serde_json::json!([pair.coder_a.as_str(), pair.coder_b.as_str()]),
                reference["coders"]
            );
            close(
                pair.overall.kappa(),
                &reference["kappa"],
                &format!("{name} pair kappa"),
            );
        }
    }
}

#[test]
fn the_command_gives_all_coder_alpha_and_every_pair_in_json() {
    let data = fixture();
    let case = &data["cases"][0];
    let name = case["name"].as_str().unwrap();
    let want = &data["expected"][name];
    let (project, _) = project_for(case);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("p");
    let mut loaded = thematic::store::create(&root, project.meta.clone()).unwrap();
    loaded.store.persist_all(&project).unwrap();
    let out = crate::common::command()
        .args([
            "agreement",
            root.to_str().unwrap(),
            "--coders",
            "a",
            "b",
            "c",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["coders"], serde_json::json!(["a", "b", "c"]));
    close(
        json["overall"]["alpha"].as_f64(),
        &want["overall"]["alpha"],
        "overall.alpha",
    );
    for code in json["per_code"].as_array().unwrap() {
        let code_name = code["code"].as_str().unwrap();
        close(
            code["alpha"].as_f64(),
            &want["per_code"][code_name]["alpha"],
            code_name,
        );
    }
    let pairs = json["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 3);
    for (pair, reference) in pairs.iter().zip(want["pairs"].as_array().unwrap()) {
        assert_eq!(pair["coders"], reference["coders"]);
        close(pair["kappa"].as_f64(), &reference["kappa"], "pair kappa");
        assert!(pair["percent_agreement"].is_number());
    }
    // The table says the same in words.
    let out = crate::common::command()
        .args(["agreement", root.to_str().unwrap(), "--coders", "a,b,c"])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("Krippendorff's alpha over all 3 coders"),
        "{table}"
    );
}

/// The first fixture case as round 1 of its project (a primary, b and c second coders, every
/// transcript), written to a folder; `done` says who has marked what done.
fn round_of_case(done: impl Fn(&str, &str) -> bool) -> (tempfile::TempDir, PathBuf, Value) {
    let data = fixture();
    let case = &data["cases"][0];
    let want = data["expected"][case["name"].as_str().unwrap()].clone();
    let (mut project, transcripts) = project_for(case);
    project.meta.rounds = vec![Round {
        primary: id("a"),
        seconds: vec![id("b"), id("c")],
        transcripts: transcripts.clone(),
        fraction: None,
        seed: None,
        stratify: None,
        started: None,
        independent: None,
    }];
    for coder in CODERS {
        for t in &transcripts {
            if done(coder, t.as_str()) {
                Edit::SetDone {
                    coder: id(coder),
                    transcript: t.clone(),
                    done: true,
                }
                .apply(&mut project)
                .unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("p");
    let mut loaded = thematic::store::create(&root, project.meta.clone()).unwrap();
    loaded.store.persist_all(&project).unwrap();
    (dir, root, want)
}

fn agreement_json(root: &std::path::Path, extra: &[&str]) -> Value {
    let out = crate::common::command()
        .arg("agreement")
        .arg(root)
        .args(extra)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_round_with_two_second_coders_compares_its_finished_transcripts_as_coders_does() {
    // t3 waits for b and c; t1 and t2 are finished by all three.
    let (_dir, root, _) = round_of_case(|coder, t| t != "t3" || coder == "a");
    let round = agreement_json(&root, &[]);
    assert_eq!(round["round"], 1);
    assert_eq!(round["coders"], serde_json::json!(["a", "b", "c"]));
    assert_eq!(round["transcripts"], serde_json::json!(["t1", "t2"]));
    assert_eq!(
        round["pending"],
        serde_json::json!([{"transcript": "t3", "waiting_for": ["b", "c"]}])
    );
    assert!(round["independent"].is_null());
    let by_hand = agreement_json(&root, &["--coders", "a,b,c", "--transcripts", "t1,t2"]);
    for field in ["coders", "transcripts", "overall", "per_code", "pairs"] {
        assert_eq!(round[field], by_hand[field], "{field}");
    }
    assert_eq!(round["pairs"].as_array().unwrap().len(), 3);
}

#[test]
fn a_finished_round_with_two_second_coders_freezes_the_reference_alpha_and_every_pair() {
    // Everything is done but c's mark on t3, which c then sets in the workspace.
    let (_dir, root, want) = round_of_case(|coder, t| t != "t3" || coder != "c");
    let c = id("c");
    let (mut ws, _) = thematic::workspace::Workspace::open(&root, Some(&c)).unwrap();
    ws.apply(Edit::SetDone {
        coder: c.clone(),
        transcript: TranscriptId::new("t3").unwrap(),
        done: true,
    })
    .unwrap();
    let frozen = ws.project().meta.rounds[0].independent.clone().unwrap();
    close(
        frozen.alpha_all_coders,
        &want["overall"]["alpha"],
        "frozen all-coder alpha",
    );
    let pairs = want["pairs"].as_array().unwrap();
    assert_eq!(frozen.pairs.len(), 3);
    for (pair, reference) in frozen.pairs.iter().zip(pairs) {
        assert_eq!(
            serde_json::json!([pair.coders[0].as_str(), pair.coders[1].as_str()]),
            reference["coders"]
        );
        close(pair.kappa, &reference["kappa"], "frozen pair kappa");
    }
    // The round's main figures are its primary's and first second coder's: pair a and b.
    assert_eq!(frozen.kappa, frozen.pairs[0].kappa);

    // Written to thematic.yaml, read back by the command.
    let json = agreement_json(&root, &[]);
    assert_eq!(json["pending"], serde_json::json!([]));
    close(
        json["overall"]["alpha"].as_f64(),
        &want["overall"]["alpha"],
        "round alpha",
    );
    close(
        json["independent"]["alpha"].as_f64(),
        &want["overall"]["alpha"],
        "independent alpha",
    );
    for (pair, reference) in json["independent"]["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .zip(pairs)
    {
        assert_eq!(pair["coders"], reference["coders"]);
        close(
            pair["kappa"].as_f64(),
            &reference["kappa"],
            "independent pair kappa",
        );
    }
}
