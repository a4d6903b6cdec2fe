//! The large generated project (SPEC section 8 scale): open, agreement over the 20% sample,
//! the analysis tables and the Analysis view.
//!
//! Run: `cargo bench --bench large`. Prints the figures; asserts nothing. With
//! `THEMATIC_LARGE_DIR=path` the project is generated there and kept, to try by hand.

use std::time::Instant;
use thematic::analysis::agreement::{Comparison, agreement};

fn main() {
    let temp = tempfile::tempdir().unwrap();
    let keep = std::env::var_os("THEMATIC_LARGE_DIR").map(std::path::PathBuf::from);
    let dir = keep.clone().unwrap_or_else(|| temp.path().to_path_buf());
    let dir = dir.as_path();
    let t = Instant::now();
    let project =
        thematic::generate::generate(dir, &thematic::generate::Options::default()).unwrap();
    let generated = t.elapsed();
    let size: u64 = walk(dir);
    let segments = project.all_segments().count();
    println!(
        "large project: {} transcripts, {} segments, {} memos, {:.1} MB on disk (generated in {generated:.1?})",
        project.transcript_count(),
        segments,
        project.memos().count(),
        size as f64 / 1e6
    );
    let mut loads = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let loaded = thematic::store::load(dir).unwrap();
        loads.push(t.elapsed());
        assert!(loaded.problems.is_empty());
    }
    loads.sort();
    println!(
        "  load the project (store::load)         median {:.1?}   (SPEC: open to first frame < 300 ms)",
        loads[1]
    );
    let sample = project.meta.sample.clone().unwrap();
    let cmp = Comparison {
        coder_a: sample.primary,
        coder_b: sample.second,
        transcripts: sample.transcripts.clone(),
        codes: None,
        overlap: 0.9,
    };
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let result = agreement(&project, &cmp);
        times.push(t.elapsed());
        assert_eq!(result.transcripts.len(), sample.transcripts.len());
    }
    times.sort();
    println!(
        "  agreement over the {}-transcript sample   median {:.1?}   (analysis only; SPEC < 150 ms)",
        sample.transcripts.len(),
        times[2]
    );
    use thematic::analysis::tables::{
        Measure, Scope, cooccurrence, matrix, saturation, theme_table,
    };
    let scope = Scope::default();
    let time = |label: &str, f: &dyn Fn() -> usize| {
        let mut runs: Vec<_> = (0..3)
            .map(|_| {
                let t = Instant::now();
                let n = f();
                (t.elapsed(), n)
            })
            .collect();
        runs.sort();
        println!(
            "  {label:<40} median {:.1?}   ({} rows)",
            runs[1].0, runs[1].1
        );
    };
    time("saturation", &|| saturation(&project, &scope).len());
    time("matrix codes x transcripts (segments)", &|| {
        matrix(
            &project,
            &scope,
            thematic::model::Level::Code,
            Measure::Segments,
            None,
        )
        .rows
        .len()
    });
    time("matrix themes x site (presence)", &|| {
        matrix(
            &project,
            &scope,
            thematic::model::Level::Theme,
            Measure::Presence,
            Some("site"),
        )
        .rows
        .len()
    });
    time("co-occurrence", &|| cooccurrence(&project, &scope).len());
    time("theme table", &|| theme_table(&project, &scope).len());
    let t = Instant::now();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_thematic"))
        .args(["agreement", &dir.display().to_string(), "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    println!(
        "  `thematic agreement` end to end         {:.1?}   (includes loading the whole project)",
        t.elapsed()
    );
    analysis_view(dir, &project);
}

/// The TUI's Analysis view on the large project: opening it computes every table, then a
/// move in the matrix only redraws.
fn analysis_view(dir: &std::path::Path, project: &thematic::model::Project) {
    use ratatui::{Terminal, backend::TestBackend, layout::Rect};
    use thematic::tui::{app::App, keymap::Keymap, theme::Theme, views};
    let coder = project.meta.coders[0].id.clone();
    let (ws, _) = thematic::workspace::Workspace::open(dir, Some(&coder)).unwrap();
    let size = Rect::new(0, 0, 160, 48);
    let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();
    let mut app = App::new(
        ws,
        coder,
        Keymap::defaults().unwrap(),
        Theme { colour: true },
        size,
    );
    let press = |app: &mut App, c: char| {
        app.handle_key(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Char(c),
        ))
    };
    let mut opens = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        press(&mut app, 'Y');
        terminal.draw(|f| views::draw(&app, f)).unwrap();
        opens.push(t.elapsed());
        press(&mut app, 'B');
    }
    opens.sort();
    app.handle_key(crossterm::event::KeyEvent::from(
        crossterm::event::KeyCode::Tab,
    ));
    let mut moves = Vec::new();
    for i in 0..100 {
        let t = Instant::now();
        press(&mut app, if i % 2 == 0 { 'j' } else { 'l' });
        terminal.draw(|f| views::draw(&app, f)).unwrap();
        moves.push(t.elapsed());
    }
    moves.sort();
    println!(
        "  open the Analysis view and draw it      median {:.1?}   (computes all four tables)",
        opens[1]
    );
    println!(
        "  move in the matrix and draw             median {:.2?}  max {:.2?}",
        moves[50], moves[99]
    );
}

fn walk(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                walk(&e.path())
            } else {
                e.metadata().unwrap().len()
            }
        })
        .sum()
}
