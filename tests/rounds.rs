//! Rounds of double coding on a copy of sample-project, through the real binary: a round
//! with coding in it is never replaced, a new round is pending until both coders finish its
//! transcripts, and the first round keeps its independent figures.

mod common;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use thematic::model::{CoderId, Edit, TranscriptId};
use thematic::workspace::Workspace;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thematic"))
        .args(args)
        .env("THEMATIC_CONFIG_DIR", "/nonexistent-thematic-test-config")
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).unwrap()
}

fn project_with_kim() -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_sample(tmp.path());
    let dir = tmp.path().display().to_string();
    ok(&["add-coder", &dir, "kim"]);
    (tmp, dir)
}

const NEW_ROUND: [&str; 6] = [
    "--primary",
    "alex",
    "--second",
    "kim",
    "--transcripts",
    "p01,p04",
];

fn mark_done(dir: &str, coder: &str, transcripts: &[&str]) {
    let coder = CoderId::new(coder).unwrap();
    let (mut ws, _) = Workspace::open(Path::new(dir), Some(&coder)).unwrap();
    for t in transcripts {
        ws.apply(Edit::SetDone {
            coder: coder.clone(),
            transcript: TranscriptId::new(*t).unwrap(),
            done: true,
        })
        .unwrap();
    }
}

#[test]
fn a_round_with_coding_in_it_is_not_replaced() {
    let (tmp, dir) = project_with_kim();
    let before = std::fs::read(tmp.path().join("thematic.yaml")).unwrap();
    let mut args = vec!["sample", dir.as_str()];
    args.extend(NEW_ROUND);
    let out = run(&args);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("round 1") && err.contains("--new-round"),
        "{err}"
    );
    assert!(err.contains("sam has coded 3 of its 3"), "{err}");
    assert_eq!(
        std::fs::read(tmp.path().join("thematic.yaml")).unwrap(),
        before,
        "nothing changed"
    );
}

#[test]
fn a_new_round_is_pending_until_both_coders_finish_and_round_one_keeps_its_figures() {
    let (_tmp, dir) = project_with_kim();
    let round_one = json(&["agreement", &dir, "--format", "json"]);
    assert_eq!(round_one["round"], 1);
    let kappa_one = round_one["independent"]["kappa"].as_f64().unwrap();
    assert!((kappa_one - 0.493).abs() < 0.001, "{kappa_one}");

    let mut args = vec!["sample", dir.as_str(), "--new-round"];
    args.extend(NEW_ROUND);
    let said = ok(&args);
    assert!(said.contains("round 2"), "{said}");

    let two = json(&["agreement", &dir, "--format", "json"]);
    assert_eq!(two["round"], 2);
    assert_eq!(two["coders"], serde_json::json!(["alex", "kim"]));
    assert_eq!(two["transcripts"], serde_json::json!([]));
    assert_eq!(
        two["pending"],
        serde_json::json!([
            {"transcript": "p01", "waiting_for": ["alex", "kim"]},
            {"transcript": "p04", "waiting_for": ["alex", "kim"]},
        ])
    );
    assert!(two["independent"].is_null());
    let table = ok(&["agreement", &dir]);
    assert!(
        table.contains("Pending, not compared: p01 is waiting for alex and kim to mark it done"),
        "{table}"
    );

    // Compared anyway when asked, and said to be unfinished.
    let anyway = json(&[
        "agreement",
        &dir,
        "--include-unfinished",
        "--format",
        "json",
    ]);
    assert_eq!(anyway["transcripts"], serde_json::json!(["p01", "p04"]));
    assert_eq!(anyway["unfinished"], serde_json::json!(["p01", "p04"]));

    mark_done(&dir, "alex", &["p01", "p04"]);
    mark_done(&dir, "kim", &["p01"]);
    let half = json(&["agreement", &dir, "--format", "json"]);
    assert_eq!(half["transcripts"], serde_json::json!(["p01"]));
    assert_eq!(
        half["pending"],
        serde_json::json!([{"transcript": "p04", "waiting_for": ["kim"]}])
    );
    assert!(half["independent"].is_null(), "not finished yet");

    mark_done(&dir, "kim", &["p04"]);
    let done = json(&["agreement", &dir, "--format", "json"]);
    assert_eq!(done["pending"], serde_json::json!([]));
    assert_eq!(
        done["independent"]["chars_only_a"], done["current"]["chars_only_a"],
        "frozen when kim finished the round: {done}"
    );
    assert!(done["independent"]["chars_only_a"].as_u64().unwrap() > 0);

    // Round 1 is untouched, and both rounds stay in thematic.yaml.
    let again = json(&["agreement", &dir, "--round", "1", "--format", "json"]);
    assert_eq!(again["independent"], round_one["independent"]);
    assert_eq!(again["current"], round_one["current"]);
    let yaml = std::fs::read_to_string(Path::new(&dir).join("thematic.yaml")).unwrap();
    assert_eq!(yaml.matches("- primary: alex").count(), 2, "{yaml}");
    let out = run(&["agreement", &dir, "--round", "3"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_round_nobody_has_coded_yet_may_be_drawn_again() {
    let (_tmp, dir) = project_with_kim();
    let mut args = vec!["sample", dir.as_str(), "--new-round"];
    args.extend(NEW_ROUND);
    ok(&args);
    ok(&[
        "sample",
        &dir,
        "--primary",
        "alex",
        "--second",
        "kim",
        "--transcripts",
        "p05",
    ]);
    let yaml = std::fs::read_to_string(Path::new(&dir).join("thematic.yaml")).unwrap();
    assert_eq!(yaml.matches("- primary: alex").count(), 2, "{yaml}");
    assert!(yaml.contains("- p05") && !yaml.contains("- p04"), "{yaml}");
}

#[test]
fn an_older_project_s_sample_is_read_as_round_one_and_written_back_as_rounds() {
    let (tmp, dir) = project_with_kim();
    let path = tmp.path().join("thematic.yaml");
    let yaml = std::fs::read_to_string(&path).unwrap();
    let head = yaml.split("rounds:").next().unwrap();
    let old = format!(
        "{head}sample:\n  primary: alex\n  second: sam\n  transcripts:\n  - p02\n  - p07\n  - p10\n  fraction: 0.2\n  seed: 2\n"
    );
    std::fs::write(&path, old).unwrap();
    let one = json(&["agreement", &dir, "--format", "json"]);
    assert_eq!(one["round"], 1);
    assert_eq!(one["transcripts"], serde_json::json!(["p02", "p07", "p10"]));
    ok(&["add-coder", &dir, "lee"]);
    let rewritten = std::fs::read_to_string(&path).unwrap();
    assert!(
        rewritten.contains("rounds:\n- primary: alex\n  second: sam")
            && !rewritten.contains("sample:"),
        "{rewritten}"
    );
}
