//! The walk through disagreements in the Agreement view, as the second coder of
//! sample-project's round 1 (sam) uses it.

use crate::common;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use thematic::model::CoderId;
use thematic::tui::action::Action;
use thematic::tui::app::App;
use thematic::tui::keymap::Keymap;
use thematic::tui::theme::Theme;
use thematic::tui::views;
use thematic::workspace::Workspace;

fn sam(dir: &std::path::Path) -> App {
    let id = CoderId::new("sam").unwrap();
    let (ws, _) = Workspace::open(dir, Some(&id)).unwrap();
    App::new(
        ws,
        id,
        Keymap::defaults().unwrap(),
        Theme { colour: false },
        Rect::new(0, 0, 130, 50),
    )
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.size.width, app.size.height)).unwrap();
    terminal.draw(|f| views::draw(app, f)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    buffer
        .content
        .chunks(buffer.area.width as usize)
        .map(|row| row.iter().map(|c| c.symbol()).collect::<String>() + "\n")
        .collect()
}

fn walk_position(app: &App) -> (usize, usize, usize) {
    let state = app.screens.agreement.as_ref().unwrap();
    let (_, items, index) = state.walk.as_ref().unwrap();
    (state.selected, *index, items.len())
}

#[test]
fn a_disagreement_says_what_the_other_coder_used_instead() {
    let tmp = common::sample_copy();
    let mut app = sam(tmp.path());
    app.update(Action::ViewAgreement);
    app.update(Action::Open);
    let mut seen_instead = false;
    for _ in 0..30 {
        let text = screen(&app);
        if text.contains("did not code this passage with it; coded it instead: ") {
            seen_instead = true;
            let line = text
                .lines()
                .find(|l| l.contains("coded it instead: "))
                .unwrap()
                .to_string();
            assert!(!line.trim_end().ends_with("instead: │"), "{line}");
        }
        app.update(Action::NextItem);
    }
    assert!(seen_instead);
}

#[test]
fn next_past_the_last_goes_on_to_the_next_code_and_kept_items_are_marked() {
    let tmp = common::sample_copy();
    let mut app = sam(tmp.path());
    app.update(Action::ViewAgreement);
    app.update(Action::Open);
    let (code_row, _, len) = walk_position(&app);
    for _ in 1..len {
        app.update(Action::NextItem);
    }
    assert_eq!(walk_position(&app).1, len - 1, "at the last item");
    // Keep mine on the last item: it stays in the list, marked.
    app.update(Action::KeepMine);
    let kept = screen(&app);
    assert!(kept.contains("✓ Resolved: kept sam's coding"), "{kept}");
    app.update(Action::NextItem);
    let (row, index, _) = walk_position(&app);
    assert!(
        row > code_row,
        "moved on to a later code ({row} after {code_row})"
    );
    assert_eq!(index, 0);
    assert!(
        app.status.starts_with("Next code with disagreements"),
        "{}",
        app.status
    );
    app.update(Action::Cancel);
    app.update(Action::Start);
    app.update(Action::Open);
    for _ in 1..len {
        app.update(Action::NextItem);
    }
    assert!(screen(&app).contains("✓ Resolved: kept sam's coding"));
}

#[test]
fn the_table_is_sorted_again_after_each_resolution() {
    let tmp = common::sample_copy();
    let mut app = sam(tmp.path());
    app.update(Action::ViewAgreement);
    app.update(Action::Open);
    for _ in 0..6 {
        app.update(Action::AdoptTheirs);
        let state = app.screens.agreement.as_ref().unwrap();
        let kappas: Vec<f64> = state
            .order
            .iter()
            .map(|&i| state.now.per_code[i].table.kappa().unwrap_or(f64::INFINITY))
            .collect();
        assert!(
            kappas.windows(2).all(|w| w[0] <= w[1]),
            "worst first after resolving: {kappas:?}"
        );
    }
}

#[test]
fn the_view_gives_each_transcript_s_figures_and_narrows_to_one() {
    let tmp = common::sample_copy();
    let mut app = sam(tmp.path());
    app.update(Action::ViewAgreement);
    let all = screen(&app);
    assert!(
        all.contains("Per transcript: p02 kappa 0.48 · p07 kappa 0.45 · p10 kappa 0.56"),
        "{all}"
    );
    let narrowed: Vec<Vec<String>> = (0..4)
        .map(|_| {
            app.update(Action::CycleTranscript);
            let state = app.screens.agreement.as_ref().unwrap();
            state
                .comparison
                .transcripts
                .iter()
                .map(ToString::to_string)
                .collect()
        })
        .collect();
    assert_eq!(
        narrowed,
        vec![
            vec!["p02"],
            vec!["p07"],
            vec!["p10"],
            vec!["p02", "p07", "p10"]
        ]
    );
    app.update(Action::CycleTranscript);
    assert!(
        screen(&app).contains("· p02 ─"),
        "the title names the one transcript"
    );
    app.update(Action::Open);
    let (_, items, _) = app
        .screens
        .agreement
        .as_ref()
        .unwrap()
        .walk
        .as_ref()
        .unwrap();
    assert!(items.iter().all(|d| d.transcript.as_str() == "p02"));
}

#[test]
fn keeping_mine_records_the_decision_and_moves_on_and_m_writes_a_memo_on_it() {
    let tmp = common::sample_copy();
    let mut app = sam(tmp.path());
    app.update(Action::ViewAgreement);
    app.update(Action::Open);
    let (row, index, len) = walk_position(&app);
    assert!(len >= 2, "the worst code has several disagreements");
    assert_eq!(index, 0);
    let segments = app.ws.project().all_segments().count();
    let kept_before = std::fs::read_to_string(tmp.path().join("audit").join("sam.yaml"))
        .unwrap_or_default()
        .matches("kept sam's coding")
        .count();
    app.update(Action::KeepMine);
    assert_eq!(app.status, "Resolved: kept sam's coding (recorded)");
    assert_eq!(
        walk_position(&app),
        (row, 1, len),
        "kept: still in the list, the walk on to the next one"
    );
    assert_eq!(app.ws.project().all_segments().count(), segments);
    // Written to sam's audit trail in the project folder, as the team sees it.
    let trail = std::fs::read_to_string(tmp.path().join("audit").join("sam.yaml")).unwrap();
    assert_eq!(
        trail.matches("kept sam's coding").count(),
        kept_before + 1,
        "{trail}"
    );
    app.update(Action::MemoHere);
    assert!(matches!(app.overlay, thematic::tui::app::Overlay::Memo(_)));
}
