//! Blind double coding, proved everywhere at once: a coder who codes transcripts blind must
//! see exactly what they would see if the other coders' work on those transcripts did not
//! exist. Two copies of a project are made: one as it is, one with that work physically
//! removed from the files. Every TUI view (TestBackend, styles included) and every reading
//! command run as the blind coder must give the same result on both; a view or command
//! that skips the visibility rule shows the hidden work on the first copy and fails.
//!
//! So that the comparison cannot pass by showing nothing, the same walk done as a coder
//! outside the round (who may see everything) must differ between the copies in every
//! view that shows coding.

use crate::common;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::path::{Path, PathBuf};

use thematic::model::CoderId;
use thematic::tui::action::Action;
use thematic::tui::app::App;
use thematic::tui::keymap::Keymap;
use thematic::tui::theme::Theme;
use thematic::tui::views;
use thematic::workspace::Workspace;

/// The transcripts of the new round that kim codes blind.
const BLIND: [&str; 2] = ["p01", "p04"];

fn thematic(args: &[&str]) -> std::process::Output {
    let out = common::thematic(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// sample-project with kim added and a second round (alex and kim) on p01 and p04, which
/// alex coded long ago and kim has not started. Returns (as it is, with the hidden work
/// removed).
fn projects() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let full = tmp.path().join("full");
    common::copy_sample(&full);
    let f = full.to_str().unwrap();
    thematic(&["add-coder", f, "kim", "--name", "Kim"]);
    thematic(&[
        "sample",
        f,
        "--new-round",
        "--primary",
        "alex",
        "--second",
        "kim",
        "--transcripts",
        "p01,p04",
    ]);
    let stripped = tmp.path().join("stripped");
    common::copy_dir(&full, &stripped);
    remove_others_work(&stripped);
    (tmp, full, stripped)
}

/// Removes, by editing the files, every segment of alex and sam on the blind transcripts
/// (keeping their done marks) and every memo linked to those segments or transcripts.
fn remove_others_work(root: &Path) {
    for coder in ["alex", "sam"] {
        for t in BLIND {
            let path = root.join("codings").join(coder).join(format!("{t}.yaml"));
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let head = text.split("segments:").next().unwrap();
            std::fs::write(&path, format!("{head}segments: []\n")).unwrap();
        }
    }
    for author in std::fs::read_dir(root.join("memos")).unwrap().flatten() {
        for memo in std::fs::read_dir(author.path()).unwrap().flatten() {
            let text = std::fs::read_to_string(memo.path()).unwrap();
            let linked = BLIND
                .iter()
                .any(|t| text.contains(&format!("transcript: {t}")));
            if linked {
                std::fs::remove_file(memo.path()).unwrap();
            }
        }
    }
}

fn open(dir: &Path, coder: &str) -> App {
    let coder = CoderId::new(coder).unwrap();
    let (ws, problems) = Workspace::open(dir, Some(&coder)).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    App::new(
        ws,
        coder,
        Keymap::defaults().unwrap(),
        Theme { colour: true },
        Rect::new(0, 0, 140, 44),
    )
}

fn render(app: &App) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(app.size.width, app.size.height)).unwrap();
    terminal.draw(|f| views::draw(app, f)).unwrap();
    terminal.backend().buffer().clone()
}

/// Every screen a user reaches by walking each view, labelled by view: the coding screen
/// on every transcript, the codebook, the quotes of every code, every memo, the agreement
/// table and walk, and every analysis table; all with every coder's coding switched on.
fn walk(app: &mut App) -> Vec<(&'static str, Buffer)> {
    let mut screens = Vec::new();
    app.update(Action::ToggleAllCoders);
    for i in 0..app.project().transcripts_in_order().len() {
        app.open_transcript(i);
        screens.push(("code", render(app)));
    }
    app.update(Action::ViewCodebook);
    for row in 0..app.tree.len() {
        app.update(Action::ViewCodebook);
        app.tree_selected = row;
        screens.push(("codebook", render(app)));
        app.update(Action::Retrieve);
        screens.push(("retrieve", render(app)));
    }
    app.update(Action::ViewMemos);
    screens.push(("memos", render(app)));
    for _ in 0..12 {
        app.update(Action::Down);
        screens.push(("memos", render(app)));
    }
    app.update(Action::ViewAgreement);
    screens.push(("agreement", render(app)));
    app.update(Action::Open);
    for _ in 0..6 {
        screens.push(("agreement", render(app)));
        app.update(Action::NextItem);
    }
    app.update(Action::ViewAnalysis);
    for _ in 0..6 {
        screens.push(("analysis", render(app)));
        app.update(Action::NextTable);
    }
    screens
}

fn text(buffer: &Buffer) -> String {
    let w = buffer.area.width as usize;
    buffer
        .content
        .chunks(w)
        .map(|row| row.iter().map(|c| c.symbol()).collect::<String>() + "\n")
        .collect()
}

#[test]
fn a_blind_coder_sees_every_view_as_if_the_hidden_work_did_not_exist() {
    let (_tmp, full, stripped) = projects();
    let on_full = walk(&mut open(&full, "kim"));
    let on_stripped = walk(&mut open(&stripped, "kim"));
    assert_eq!(on_full.len(), on_stripped.len());
    for ((view, a), (_, b)) in on_full.iter().zip(&on_stripped) {
        assert!(
            a == b,
            "the {view} view shows kim something of the work hidden from her:\n{}\n---- as if it did not exist ----\n{}",
            text(a),
            text(b)
        );
    }
}

#[test]
fn the_same_walk_by_someone_outside_the_round_shows_the_work_in_every_view() {
    let (_tmp, full, stripped) = projects();
    let on_full = walk(&mut open(&full, "sam"));
    let on_stripped = walk(&mut open(&stripped, "sam"));
    for view in ["code", "codebook", "retrieve", "memos", "analysis"] {
        let differs = on_full
            .iter()
            .zip(&on_stripped)
            .any(|((v, a), (_, b))| *v == view && a != b);
        assert!(
            differs,
            "the {view} view never shows the work the test hides"
        );
    }
}

/// Each reading command, with the project folder as its last-but-one or only path.
fn commands(dir: &str) -> Vec<Vec<String>> {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let mut all = vec![
        s(&["stats", dir]),
        s(&["stats", dir, "--format", "json"]),
        s(&["stats", dir, "saturation", "--format", "json"]),
        s(&["stats", dir, "matrix", "--format", "csv"]),
        s(&["stats", dir, "cooccurrence", "--format", "csv"]),
        s(&["stats", dir, "themes", "--format", "json"]),
        s(&["codebook", dir, "--format", "json"]),
        s(&["memos", dir, "--format", "json"]),
        s(&["memos", dir, "--format", "markdown"]),
        s(&["agreement", dir, "--format", "json"]),
        s(&["agreement", dir, "--include-unfinished", "--format", "json"]),
        s(&["agreement", dir, "--round", "1", "--format", "json"]),
        s(&["search", dir, "the"]),
        s(&["export", dir, "-", "--to", "csv"]),
        s(&["export", dir, "-", "--to", "markdown"]),
        s(&["export", dir, "-", "--to", "html"]),
    ];
    for code in [
        "Culture",
        "Structures",
        "Practice",
        "Expectation and reality",
    ] {
        all.push(s(&["quotes", dir, code, "--format", "json"]));
    }
    // Suggestions and the consistency view read quotes too (read-only: no index is kept).
    for code in [
        "Trust built through joint casework",
        "Two IT systems that don't talk",
    ] {
        for view in [&[][..], &["--overlaps"][..]] {
            let mut args = vec!["suggest", dir, code, "--format", "json", "--read-only"];
            args.extend(view);
            all.push(s(&args));
        }
    }
    all
}

fn run_as(coder: &str, args: &[String]) -> String {
    let mut with_coder: Vec<&str> = vec!["--coder", coder];
    with_coder.extend(args.iter().map(String::as_str));
    let out = common::thematic(&with_coder);
    format!(
        "exit {:?}\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn every_reading_command_run_as_the_blind_coder_gives_what_it_would_without_the_hidden_work() {
    let (_tmp, full, stripped) = projects();
    let (f, s) = (full.to_str().unwrap(), stripped.to_str().unwrap());
    let mut any_differs_for_sam = false;
    for (on_full, on_stripped) in commands(f).iter().zip(commands(s)) {
        let a = run_as("kim", on_full).replace(f, "DIR");
        let b = run_as("kim", &on_stripped).replace(s, "DIR");
        assert_eq!(a, b, "{on_full:?} as kim shows hidden work");
        any_differs_for_sam |= run_as("sam", on_full).replace(f, "DIR")
            != run_as("sam", &on_stripped).replace(s, "DIR");
    }
    assert!(
        any_differs_for_sam,
        "the commands never show the hidden work to anyone"
    );
}

#[test]
fn a_blind_coder_s_own_notes_show_at_once() {
    let (_tmp, full, _) = projects();
    let mut kim = open(&full, "kim");
    assert!(kim.blind(&thematic::model::TranscriptId::new("p01").unwrap()));
    kim.update(Action::Journal);
    for c in "Kim's first thought".chars() {
        kim.handle_key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char(c),
            crossterm::event::KeyModifiers::NONE,
        ));
    }
    kim.handle_key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Esc,
        crossterm::event::KeyModifiers::NONE,
    ));
    kim.update(Action::ViewMemos);
    assert!(
        text(&render(&kim)).contains("Kim's first thought"),
        "{}",
        text(&render(&kim))
    );
}

// A round with two second coders: each is blind to the primary's work and to the other
// second coder's.

/// Gives `coder` a copy of alex's coding of `t`.
fn copy_alex_coding(root: &Path, coder: &str, t: &str) {
    let text = std::fs::read_to_string(root.join(format!("codings/alex/{t}.yaml")))
        .unwrap()
        .replace("coder: alex", &format!("coder: {coder}"));
    let folder = root.join("codings").join(coder);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join(format!("{t}.yaml")), text).unwrap();
}

/// Removes, by editing the files, every segment of `coders` on the blind transcripts and
/// every memo linked to those transcripts.
fn remove_work_of(root: &Path, coders: &[&str]) {
    for coder in coders {
        for t in BLIND {
            let path = root.join("codings").join(coder).join(format!("{t}.yaml"));
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let head = text.split("segments:").next().unwrap();
            std::fs::write(&path, format!("{head}segments: []\n")).unwrap();
        }
    }
    for author in std::fs::read_dir(root.join("memos")).unwrap().flatten() {
        for memo in std::fs::read_dir(author.path()).unwrap().flatten() {
            let text = std::fs::read_to_string(memo.path()).unwrap();
            if BLIND
                .iter()
                .any(|t| text.contains(&format!("transcript: {t}")))
            {
                std::fs::remove_file(memo.path()).unwrap();
            }
        }
    }
}

/// sample-project with kim and lee added and a second round on p01 and p04 with alex as
/// primary and both kim and lee as second coders; kim has coded both transcripts, lee p01.
/// Returns (as it is, without what kim may not see, without what lee may not see).
fn projects_with_two_seconds() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let full = tmp.path().join("full");
    common::copy_sample(&full);
    let f = full.to_str().unwrap();
    thematic(&["add-coder", f, "kim", "--name", "Kim"]);
    thematic(&["add-coder", f, "lee", "--name", "Lee"]);
    thematic(&[
        "sample",
        f,
        "--new-round",
        "--primary",
        "alex",
        "--second",
        "kim",
        "--second",
        "lee",
        "--transcripts",
        "p01,p04",
    ]);
    copy_alex_coding(&full, "kim", "p01");
    copy_alex_coding(&full, "kim", "p04");
    copy_alex_coding(&full, "lee", "p01");
    let for_kim = tmp.path().join("for-kim");
    common::copy_dir(&full, &for_kim);
    remove_work_of(&for_kim, &["alex", "sam", "lee"]);
    let for_lee = tmp.path().join("for-lee");
    common::copy_dir(&full, &for_lee);
    remove_work_of(&for_lee, &["alex", "sam", "kim"]);
    (tmp, full, for_kim, for_lee)
}

#[test]
fn with_two_second_coders_each_sees_every_view_as_if_the_others_work_did_not_exist() {
    let (_tmp, full, for_kim, for_lee) = projects_with_two_seconds();
    for (who, stripped) in [("kim", &for_kim), ("lee", &for_lee)] {
        let on_full = walk(&mut open(&full, who));
        let on_stripped = walk(&mut open(stripped, who));
        assert_eq!(on_full.len(), on_stripped.len());
        for ((view, a), (_, b)) in on_full.iter().zip(&on_stripped) {
            assert!(
                a == b,
                "the {view} view shows {who} something of the work hidden from them:\n{}\n---- as if it did not exist ----\n{}",
                text(a),
                text(b)
            );
        }
    }
    // The primary is not coding blind: alex sees lee's work (and kim's) in the code view.
    let on_full = walk(&mut open(&full, "alex"));
    let without_kim = walk(&mut open(&for_lee, "alex"));
    assert!(
        on_full
            .iter()
            .zip(&without_kim)
            .any(|((v, a), (_, b))| *v == "code" && a != b),
        "the primary does not see the second coders' work"
    );
}

#[test]
fn with_two_second_coders_every_reading_command_hides_the_others_work_from_each() {
    let (_tmp, full, for_kim, for_lee) = projects_with_two_seconds();
    let f = full.to_str().unwrap();
    for (who, stripped) in [("kim", &for_kim), ("lee", &for_lee)] {
        let s = stripped.to_str().unwrap();
        for (on_full, on_stripped) in commands(f).iter().zip(commands(s)) {
            let a = run_as(who, on_full).replace(f, "DIR");
            let b = run_as(who, &on_stripped).replace(s, "DIR");
            assert_eq!(a, b, "{on_full:?} as {who} shows hidden work");
        }
    }
}

/// The first frame of a two-phase opening (drawn while the rest of the project loads) is
/// drawn from a partial project, and the visibility rule holds for it too: kim's first
/// frame with every coder shown is the same as if the hidden work did not exist, while
/// alex's differs.
#[test]
fn the_first_frame_drawn_while_the_project_loads_hides_the_same_work() {
    let (_tmp, full, stripped) = projects();
    let first_frame = |dir: &Path, coder: &str| {
        let coder = CoderId::new(coder).unwrap();
        let (mut ws, problems) = Workspace::open_first(dir, Some(&coder)).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert!(ws.is_opening(), "two phases");
        ws.store_mut().set_read_only();
        let mut app = App::new(
            ws,
            coder,
            Keymap::defaults().unwrap(),
            Theme { colour: true },
            Rect::new(0, 0, 140, 44),
        );
        thematic::tui::startup::begin(&mut app, Vec::new());
        app.update(Action::ToggleAllCoders);
        assert_eq!(app.transcript().map(|t| t.id.as_str()), Some("p01"));
        render(&app)
    };
    let (a, b) = (first_frame(&full, "kim"), first_frame(&stripped, "kim"));
    assert!(
        a == b,
        "kim's first frame shows work hidden from her:\n{}\n---- as if it did not exist ----\n{}",
        text(&a),
        text(&b)
    );
    assert!(
        first_frame(&full, "alex") != first_frame(&stripped, "alex"),
        "alex, who is not blind, sees his own coding of p01"
    );
}
