//! Rounds of double coding on a copy of sample-project, through the real binary: a round
//! with coding in it is never replaced, a new round is pending until both coders finish its
//! transcripts, and the first round keeps its independent figures.

use crate::common::{self, thematic as run};

use serde_json::Value;
use std::path::Path;
use thematic::model::{CoderId, Edit, TranscriptId};
use thematic::workspace::Workspace;

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
    let tmp = common::sample_copy();
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

// Rounds with several second coders.

fn project_with_kim_and_lee() -> (tempfile::TempDir, String) {
    let (tmp, dir) = project_with_kim();
    ok(&["add-coder", &dir, "lee"]);
    (tmp, dir)
}

/// Round 2 of sample-project: alex primary, kim and lee both second coders, on p01 and p04.
fn round_with_two_seconds(dir: &str, seconds: &[&str]) -> String {
    let mut args = vec![
        "sample",
        dir,
        "--new-round",
        "--primary",
        "alex",
        "--transcripts",
        "p01,p04",
    ];
    for s in seconds {
        args.extend(["--second", s]);
    }
    ok(&args)
}

/// Gives `coder` a copy of alex's coding of `t`, keeping only every `keep`-th segment, so
/// that the coders agree in part.
fn code_like_alex(dir: &str, coder: &str, t: &str, keep: usize) {
    let alex = std::fs::read_to_string(Path::new(dir).join(format!("codings/alex/{t}.yaml")))
        .unwrap()
        .replace("coder: alex", &format!("coder: {coder}"));
    let (head, segments) = alex.split_once("segments:\n").unwrap();
    let kept: Vec<&str> = segments
        .split("\n- ")
        .enumerate()
        .filter(|(i, _)| i % keep == 0)
        .map(|(_, s)| s.trim_start_matches("- "))
        .collect();
    let folder = Path::new(dir).join("codings").join(coder);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join(format!("{t}.yaml")),
        format!("{head}segments:\n- {}\n", kept.join("\n- ").trim_end()),
    )
    .unwrap();
}

#[test]
fn a_round_with_one_second_coder_is_written_exactly_as_before() {
    let (tmp, _dir) = project_with_kim();
    let original = std::fs::read_to_string(common::sample_project().join("thematic.yaml")).unwrap();
    let rewritten = std::fs::read_to_string(tmp.path().join("thematic.yaml")).unwrap();
    // add-coder rewrote the file: only kim's two lines differ.
    assert_eq!(
        rewritten.replace("- id: kim\n  name: kim\n", ""),
        original,
        "rounds are written as they were"
    );
    assert!(rewritten.contains("  second: sam\n"));
}

#[test]
fn second_is_read_as_one_coder_or_a_list_and_written_back_the_same_way() {
    use thematic::model::ProjectMeta;
    use thematic::store::yaml;
    let head = "format: 1\nname: p\ncoders:\n- id: alex\n  name: alex\n";
    let one = format!("{head}rounds:\n- primary: alex\n  second: sam\n  transcripts:\n  - p01\n");
    let meta: ProjectMeta = yaml::parse(&one).unwrap();
    assert_eq!(
        meta.rounds[0].second_coders(),
        [CoderId::new("sam").unwrap()]
    );
    assert_eq!(yaml::to_string(&meta).unwrap(), one);

    let many = format!(
        "{head}rounds:\n- primary: alex\n  second:\n  - kim\n  - lee\n  transcripts:\n  - p01\n"
    );
    let meta: ProjectMeta = yaml::parse(&many).unwrap();
    let round = &meta.rounds[0];
    assert_eq!(round.second_coders().len(), 2);
    let coders: Vec<&str> = round.coders().iter().map(|c| c.as_str()).collect();
    assert_eq!(coders, ["alex", "kim", "lee"], "primary first");
    assert!(round.is_second(&CoderId::new("lee").unwrap()));
    assert!(!round.is_second(&CoderId::new("alex").unwrap()));
    assert_eq!(yaml::to_string(&meta).unwrap(), many);
    // The flow form a person may type reads the same.
    let flow =
        format!("{head}rounds:\n- primary: alex\n  second: [kim, lee]\n  transcripts: [p01]\n");
    assert_eq!(yaml::parse::<ProjectMeta>(&flow).unwrap(), meta);

    for bad in [
        "second: []",
        "second: [kim, \"no spaces\"]",
        "second: {a: b}",
    ] {
        let text = format!("{head}rounds:\n- primary: alex\n  {bad}\n  transcripts: [p01]\n");
        let err = yaml::parse::<ProjectMeta>(&text).unwrap_err();
        assert!(err.line.is_some(), "{bad}: {err:?}");
    }
}

#[test]
fn sample_draws_one_round_for_several_second_coders() {
    let (tmp, dir) = project_with_kim_and_lee();
    let said = round_with_two_seconds(&dir, &["kim", "lee"]);
    assert!(
        said.contains("coded by alex and, blind, by kim and lee (each blind to the others too)"),
        "{said}"
    );
    let yaml = std::fs::read_to_string(tmp.path().join("thematic.yaml")).unwrap();
    assert!(
        yaml.contains(
            "- primary: alex\n  second:\n  - kim\n  - lee\n  transcripts:\n  - p01\n  - p04\n"
        ),
        "{yaml}"
    );
    // Round 1 is still written as it was.
    assert!(yaml.contains("- primary: alex\n  second: sam\n"), "{yaml}");
    assert!(ok(&["check", &dir]).contains(" 0 error(s)"));

    // A comma list is the same round (redrawn: nobody has coded in it yet).
    ok(&[
        "sample",
        &dir,
        "--primary",
        "alex",
        "--second",
        "kim,lee",
        "--transcripts",
        "p01,p04",
    ]);
    let again = std::fs::read_to_string(tmp.path().join("thematic.yaml")).unwrap();
    let rounds = |y: &str| {
        y.split("rounds:")
            .nth(1)
            .unwrap()
            .replace(char::is_numeric, "")
    };
    assert_eq!(rounds(&again), rounds(&yaml), "only the start time differs");

    for (args, says) in [
        (vec!["--second", "kim,kim"], "named twice"),
        (
            vec!["--second", "kim", "--second", "alex"],
            "both the primary and a second",
        ),
        (vec!["--second", "kim,nobody"], "not in the project"),
    ] {
        let before = std::fs::read(tmp.path().join("thematic.yaml")).unwrap();
        let mut all = vec![
            "sample",
            dir.as_str(),
            "--primary",
            "alex",
            "--transcripts",
            "p05",
        ];
        all.extend(args);
        let out = run(&all);
        assert_eq!(out.status.code(), Some(2), "{all:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{err}");
        assert_eq!(
            std::fs::read(tmp.path().join("thematic.yaml")).unwrap(),
            before
        );
    }

    // Once one of the second coders has coded in it, the round is kept.
    code_like_alex(&dir, "lee", "p04", 2);
    let out = run(&[
        "sample",
        &dir,
        "--primary",
        "alex",
        "--second",
        "kim",
        "--transcripts",
        "p05",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("(alex and kim and lee)"), "{err}");
    assert!(
        err.contains("lee has coded 1 of its 2 transcript(s) (p04)"),
        "{err}"
    );
}

#[test]
fn check_refuses_a_round_whose_primary_is_a_second_coder_or_names_one_twice() {
    let (tmp, dir) = project_with_kim_and_lee();
    round_with_two_seconds(&dir, &["kim", "lee"]);
    let path = tmp.path().join("thematic.yaml");
    let good = std::fs::read_to_string(&path).unwrap();
    for (second, says) in [
        (
            "  second:\n  - kim\n  - kim\n",
            "names second coder kim twice",
        ),
        (
            "  second:\n  - kim\n  - alex\n",
            "alex as both its primary and a second coder",
        ),
        (
            "  second: alex\n",
            "alex as both its primary and a second coder",
        ),
    ] {
        let bad = good.replace("  second:\n  - kim\n  - lee\n", second);
        assert_ne!(bad, good);
        std::fs::write(&path, &bad).unwrap();
        let out = run(&["check", &dir]);
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_ne!(out.status.code(), Some(0), "{said}");
        assert!(said.contains(says), "{second}: {said}");
    }
}

#[test]
fn agreement_on_a_round_with_two_seconds_waits_for_every_coder_and_compares_all_of_them() {
    let (_tmp, dir) = project_with_kim_and_lee();
    round_with_two_seconds(&dir, &["kim", "lee"]);
    let none = json(&["agreement", &dir, "--format", "json"]);
    assert_eq!(none["round"], 2);
    assert_eq!(none["coders"], serde_json::json!(["alex", "kim", "lee"]));
    assert_eq!(
        none["pending"],
        serde_json::json!([
            {"transcript": "p01", "waiting_for": ["alex", "kim", "lee"]},
            {"transcript": "p04", "waiting_for": ["alex", "kim", "lee"]},
        ])
    );
    let table = ok(&["agreement", &dir]);
    assert!(
        table.contains(
            "Pending, not compared: p01 is waiting for alex, kim and lee to mark it done"
        ),
        "{table}"
    );

    code_like_alex(&dir, "kim", "p01", 2);
    code_like_alex(&dir, "lee", "p01", 3);
    code_like_alex(&dir, "kim", "p04", 1);
    code_like_alex(&dir, "lee", "p04", 2);
    mark_done(&dir, "alex", &["p01", "p04"]);
    mark_done(&dir, "kim", &["p01", "p04"]);
    mark_done(&dir, "lee", &["p04"]);
    let half = json(&["agreement", &dir, "--format", "json"]);
    assert_eq!(half["transcripts"], serde_json::json!(["p04"]));
    assert_eq!(
        half["pending"],
        serde_json::json!([{"transcript": "p01", "waiting_for": ["lee"]}])
    );
    assert!(
        half["independent"].is_null(),
        "lee has not finished the round"
    );
    // What --coders gives for the same coders over the same finished transcripts.
    let by_hand = json(&[
        "agreement",
        &dir,
        "--coders",
        "alex,kim,lee",
        "--transcripts",
        "p04",
        "--format",
        "json",
    ]);
    for field in ["coders", "transcripts", "overall", "per_code", "pairs"] {
        assert_eq!(half[field], by_hand[field], "{field}");
    }
    let alpha = half["overall"]["alpha"].as_f64().unwrap();
    assert!(alpha > 0.0 && alpha < 1.0, "{alpha}");
    assert_eq!(half["pairs"].as_array().unwrap().len(), 3);

    // When lee finishes, the round's figures are frozen: the all-coder alpha and every pair.
    mark_done(&dir, "lee", &["p01"]);
    let done = json(&["agreement", &dir, "--format", "json"]);
    assert_eq!(done["pending"], serde_json::json!([]));
    assert_eq!(done["independent"]["alpha"], done["overall"]["alpha"]);
    let pairs = done["independent"]["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 3);
    for (frozen, now) in pairs.iter().zip(done["pairs"].as_array().unwrap()) {
        assert_eq!(frozen["coders"], now["coders"]);
        assert_eq!(frozen["kappa"], now["kappa"]);
    }
    let yaml = std::fs::read_to_string(Path::new(&dir).join("thematic.yaml")).unwrap();
    assert!(
        yaml.contains("alpha_all_coders:") && yaml.contains("pairs:"),
        "{yaml}"
    );
    assert!(ok(&["check", &dir]).contains(" 0 error(s)"));
    let table = ok(&["agreement", &dir]);
    assert!(
        table.contains(
            "Independent (when all had first finished, before discussion): alpha over all coders"
        ),
        "{table}"
    );
    // Two of the round's coders may still be compared as a pair.
    let pair = json(&["agreement", &dir, "--coders", "kim,lee", "--format", "json"]);
    assert_eq!(pair["round"], 2);
    assert_eq!(pair["transcripts"], serde_json::json!(["p01", "p04"]));

    // The report names all three and gives the all-coder alpha.
    let report = ok(&["export", &dir, "-", "--to", "markdown"]);
    assert!(
        report.contains("round 2 (Alex Morgan (alex), kim and lee"),
        "{report}"
    );
    assert!(
        report.contains("Krippendorff's alpha over all its coders"),
        "{report}"
    );
    assert!(
        report.contains("Krippendorff's alpha over all 3 coders"),
        "{report}"
    );
    assert!(
        report.contains("before every coder of its round had finished it"),
        "{report}"
    );
}

#[test]
fn the_agreement_view_of_a_round_with_two_seconds_shows_all_coder_alpha_and_cycles_pairs() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use thematic::tui::action::Action;
    use thematic::tui::app::App;
    use thematic::tui::keymap::Keymap;
    use thematic::tui::theme::Theme;

    let (_tmp, dir) = project_with_kim_and_lee();
    round_with_two_seconds(&dir, &["kim", "lee"]);
    code_like_alex(&dir, "kim", "p01", 2);
    code_like_alex(&dir, "lee", "p01", 3);
    for coder in ["alex", "kim", "lee"] {
        mark_done(&dir, coder, &["p01"]);
    }
    let alex = CoderId::new("alex").unwrap();
    let (ws, _) = Workspace::open(Path::new(&dir), Some(&alex)).unwrap();
    let mut app = App::new(
        ws,
        alex,
        Keymap::defaults().unwrap(),
        Theme { colour: false },
        ratatui::layout::Rect::new(0, 0, 150, 40),
    );
    let screen = |app: &App| {
        let mut terminal = Terminal::new(TestBackend::new(150, 40)).unwrap();
        terminal
            .draw(|f| thematic::tui::views::draw(app, f))
            .unwrap();
        let buffer = terminal.backend().buffer().clone();
        buffer
            .content
            .chunks(150)
            .map(|row| row.iter().map(|c| c.symbol()).collect::<String>() + "\n")
            .collect::<String>()
    };
    app.update(Action::ViewAgreement);
    let first = screen(&app);
    let alpha = json(&["agreement", &dir, "--format", "json"])["overall"]["alpha"]
        .as_f64()
        .unwrap();
    assert!(
        first.contains(&format!("All 3 coders (alex, kim, lee): alpha {alpha:.2}")),
        "{first}"
    );
    assert!(
        first.contains("alex (A) and kim (B) (pair 1 of 3)"),
        "{first}"
    );
    assert!(first.contains("c next pair of coders"), "{first}");
    assert!(first.contains("Pending, not compared: p04"), "{first}");
    // Each pair's figures are those of `agreement` (and `--coders`) for that pair.
    let pairs = json(&["agreement", &dir, "--format", "json"])["pairs"].clone();
    let now_line = |shown: &str| {
        shown
            .lines()
            .find(|l| l.contains("Now:"))
            .unwrap()
            .to_string()
    };
    let kappa = |i: usize| format!("kappa {:.2} ", pairs[i]["kappa"].as_f64().unwrap());
    assert!(now_line(&first).contains(&kappa(0)), "{first}");
    for (want, pair) in [
        ("alex (A) and lee (B) (pair 2 of 3)", 1),
        ("kim (A) and lee (B) (pair 3 of 3)", 2),
        ("alex (A) and kim (B) (pair 1 of 3)", 0),
    ] {
        app.update(Action::CyclePair);
        let shown = screen(&app);
        assert!(shown.contains(want), "{want}:\n{shown}");
        assert!(
            now_line(&shown).contains(&kappa(pair)),
            "{}\n{shown}",
            kappa(pair)
        );
    }
    // Resolving stays pairwise: alex cannot resolve kim's and lee's disagreements.
    app.update(Action::CyclePair);
    app.update(Action::CyclePair);
    app.update(Action::Open);
    app.update(Action::KeepMine);
    assert!(
        app.status.contains("Only the two coders being compared"),
        "{}",
        app.status
    );
}
