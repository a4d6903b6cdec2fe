//! SPEC section 8, row by row, on generated studies at several scales (x0.2, x1, x5 by
//! default): each figure is a median with its spread, and the columns show how it grows
//! with the size of the project.
//!
//! Run: `cargo bench --bench spec` (about 2 minutes on 2 cores; x5 writes 115 MB to a
//! temporary folder). `THEMATIC_BENCH_SCALES=1` for one scale; `THEMATIC_BENCH_DIR=path` keeps
//! the generated projects there (`path/x1`, ...) to try by hand.
//!
//! A custom harness rather than criterion or divan: every row needs a project generated and
//! opened once, then timed in the state a researcher would be in (a transcript open, a
//! selection made), and the output is the SPEC table itself. Timings are wall-clock on a
//! shared machine, so each row gives the median and the 10th-90th percentile (or the range
//! for fewer than ten runs).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::{Terminal, backend::TestBackend, layout::Rect};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use thematic::analysis::agreement::{Comparison, agreement};
use thematic::analysis::tables::{Measure, Scope, matrix, saturation};
use thematic::model::Level;
use thematic::tui::{app::App, keymap::Keymap, theme::Theme, views};
use thematic::workspace::Workspace;

const WIDTH: u16 = 160;
const HEIGHT: u16 = 48;

/// One row's samples.
struct Timing(Vec<Duration>);

impl Timing {
    fn of(runs: usize, mut f: impl FnMut()) -> Timing {
        Timing(
            (0..runs)
                .map(|_| {
                    let t = Instant::now();
                    f();
                    t.elapsed()
                })
                .collect(),
        )
    }

    fn at(&self, p: f64) -> Duration {
        let mut sorted = self.0.clone();
        sorted.sort();
        sorted[((sorted.len() - 1) as f64 * p).round() as usize]
    }

    fn show(&self) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let (lo, hi) = if self.0.len() >= 10 {
            (self.at(0.1), self.at(0.9))
        } else {
            (self.at(0.0), self.at(1.0))
        };
        format!("{:.2} [{:.2}-{:.2}]", ms(self.at(0.5)), ms(lo), ms(hi))
    }
}

struct Column {
    scale: f64,
    transcripts: usize,
    segments: usize,
    megabytes: f64,
    rows: Vec<(&'static str, String)>,
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn size_on_disk(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.file_type() {
                    Ok(t) if t.is_dir() => size_on_disk(&e.path()),
                    _ => e.metadata().map_or(0, |m| m.len()),
                })
                .sum()
        })
        .unwrap_or(0)
}

/// Start-up in a fresh process, as a researcher opening the project: `thematic dev
/// first-frame` loads, builds the screen and draws it; the process reports its peak memory.
/// Also the time until the whole project was read and taken over (a two-phase opening).
fn first_frames(dir: &Path, runs: usize) -> (Timing, Timing, u64) {
    let mut peak = 0;
    let mut times = Vec::new();
    let mut whole = Vec::new();
    for _ in 0..runs {
        let out = Command::new(env!("CARGO_BIN_EXE_thematic"))
            .args(["dev", "first-frame", &dir.display().to_string()])
            .output()
            .expect("thematic runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let ms = json["first_frame_ms"].as_f64().unwrap_or(0.0);
        times.push(Duration::from_secs_f64(ms / 1e3));
        let full_ms = json["full_load_ms"].as_f64().unwrap_or(ms);
        whole.push(Duration::from_secs_f64(full_ms / 1e3));
        peak = peak.max(json["peak_rss_kb"].as_u64().unwrap_or(0));
    }
    (Timing(times), Timing(whole), peak)
}

fn measure(scale: f64, keep: Option<&Path>) -> Column {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let dir: PathBuf = match keep {
        Some(root) => root.join(format!("x{scale}")),
        None => temp.path().join("study"),
    };
    let _ = std::fs::remove_dir_all(&dir);
    let options = thematic::generate::Options {
        scale,
        long: true,
        ..Default::default()
    };
    let project = thematic::generate::generate(&dir, &options).expect("generated");
    // Let the disk finish writing the generated files first: their writeback would
    // otherwise slow every fsync the save rows measure.
    let _ = Command::new("sync").status();
    let bytes = size_on_disk(&dir);
    let mut rows = Vec::new();

    let (frames, whole, peak_kb) = first_frames(&dir, 7);
    rows.push(("open to first frame (ms)", frames.show()));
    rows.push(("whole project read and drawn (ms)", whole.show()));
    let budget_mb = 3.0 * bytes as f64 / 1e6 + 40.0;
    rows.push((
        "peak memory, MB (budget 3 x size + 40)",
        format!("{:.0} (budget {budget_mb:.0})", peak_kb as f64 / 1e3),
    ));

    // The coding screen on the long interview (15,000 words, 2,000 segments).
    let coder = project.meta.coders[0].id.clone();
    let (ws, _) = Workspace::open(&dir, Some(&coder)).expect("opens");
    let size = Rect::new(0, 0, WIDTH, HEIGHT);
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");
    let mut app = App::new(
        ws,
        coder,
        Keymap::defaults().expect("keymap"),
        Theme { colour: true },
        size,
    );
    let long = app
        .code
        .order
        .iter()
        .position(|t| t.as_str() == "long")
        .expect("the long interview");
    let other = (long + 1) % app.code.order.len();
    app.open_transcript(long);
    terminal.draw(|f| views::draw(&app, f)).expect("draw");
    let pattern = [
        'j', 'j', 'w', 'w', 'l', ')', 'v', 'w', 'w', 'v', 'k', 'j', '}', 'b', 'j', ']', 's', 'v',
    ];
    let mut i = 0;
    let keys = Timing::of(2_000, || {
        app.handle_key(key(pattern[i % pattern.len()]));
        terminal.draw(|f| views::draw(&app, f)).expect("draw");
        i += 1;
    });
    rows.push(("keystroke + draw, median (ms)", keys.show()));
    rows.push((
        "keystroke + draw, p99 (ms)",
        format!("{:.2}", keys.at(0.99).as_secs_f64() * 1e3),
    ));
    let mut flip = false;
    let switches = Timing::of(30, || {
        flip = !flip;
        app.open_transcript(if flip { other } else { long });
        terminal.draw(|f| views::draw(&app, f)).expect("draw");
    });
    rows.push(("switch transcript + draw (ms)", switches.show()));
    app.open_transcript(long);
    // Only the assignment and its save are timed, not the keys that make the selection.
    let mut assigns = Vec::new();
    for n in 0..30 {
        app.handle_key(key('}'));
        app.handle_key(key('s'));
        let code = app.tree[n % app.tree.len()].id.clone();
        let t = Instant::now();
        app.assign(code);
        assigns.push(t.elapsed());
    }
    let assigns = Timing(assigns);
    rows.push(("assign a code, persisted (ms)", assigns.show()));

    // Whole-project analyses.
    let project = app.ws.project().clone();
    let sample = project.meta.sample().cloned().expect("a sample");
    let cmp = Comparison {
        coder_a: sample.primary.clone(),
        coder_b: sample.seconds[0].clone(),
        transcripts: sample.transcripts.clone(),
        codes: None,
        overlap: 0.9,
    };
    let agree = Timing::of(7, || {
        agreement(&project, &cmp);
    });
    rows.push(("agreement over the 20% sample (ms)", agree.show()));
    let search = Timing::of(7, || {
        thematic::analysis::search::search(&project, "joint working", 50);
    });
    rows.push(("full-text search, all transcripts (ms)", search.show()));
    let scope = Scope::default();
    let sat = Timing::of(5, || {
        saturation(&project, &scope);
    });
    rows.push(("saturation (ms)", sat.show()));
    let mat = Timing::of(5, || {
        matrix(&project, &scope, Level::Code, Measure::Segments, None);
    });
    rows.push(("matrix codes x transcripts (ms)", mat.show()));
    let by_site = Timing::of(5, || {
        matrix(
            &project,
            &scope,
            Level::Theme,
            Measure::Presence,
            Some("site"),
        );
    });
    rows.push(("matrix themes x site (ms)", by_site.show()));
    Column {
        scale,
        transcripts: project.transcript_count(),
        segments: project.all_segments().count(),
        megabytes: bytes as f64 / 1e6,
        rows,
    }
}

fn main() {
    let scales: Vec<f64> = std::env::var("THEMATIC_BENCH_SCALES")
        .unwrap_or_else(|_| "0.2,1,5".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let keep = std::env::var_os("THEMATIC_BENCH_DIR").map(PathBuf::from);
    let columns: Vec<Column> = scales
        .iter()
        .map(|&s| measure(s, keep.as_deref()))
        .collect();
    let targets = [
        ("open to first frame (ms)", "< 300 (x1)"),
        ("keystroke + draw, median (ms)", "< 2"),
        ("keystroke + draw, p99 (ms)", "< 8"),
        ("switch transcript + draw (ms)", "< 10"),
        ("assign a code, persisted (ms)", "< 5"),
        ("agreement over the 20% sample (ms)", "< 150 (x1)"),
        ("full-text search, all transcripts (ms)", "< 100 (x1)"),
        ("peak memory, MB (budget 3 x size + 40)", "within budget"),
    ];
    println!("SPEC section 8 on generated studies (release build; median [p10-p90, or min-max]):");
    print!("{:<42}", "");
    for c in &columns {
        print!(
            " | {:<26}",
            format!("x{} ({} transcripts)", c.scale, c.transcripts)
        );
    }
    println!(" | target");
    print!("{:<42}", "segments / size on disk");
    for c in &columns {
        print!(
            " | {:<26}",
            format!("{} / {:.1} MB", c.segments, c.megabytes)
        );
    }
    println!(" |");
    if let Some(first) = columns.first() {
        for (i, (name, _)) in first.rows.iter().enumerate() {
            print!("{name:<42}");
            for c in &columns {
                print!(" | {:<26}", c.rows[i].1);
            }
            let target = targets
                .iter()
                .find(|(n, _)| n == name)
                .map_or("", |(_, t)| t);
            println!(" | {target}");
        }
    }
}
