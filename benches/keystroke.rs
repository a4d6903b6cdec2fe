//! Key handling plus drawing on a long transcript, the coding screen's hot path.
//!
//! A 15,000-word transcript with 2,000 coded segments (SPEC section 8) is generated into a
//! temporary project; then 3,000 keystrokes (moves, word and sentence motions, selections)
//! are each handled by `App` and drawn to a 160x48 TestBackend, and timed one by one.
//! Also timed: switching to the transcript and drawing it, and assigning a code (saved).
//!
//! The coding margin is on (one lane at 160x48; two in the 200x50 run).
//!
//! Run: `cargo bench --bench keystroke`. Targets: median < 2 ms, p99 < 8 ms per keystroke;
//! switch < 10 ms; assign < 5 ms.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use std::time::{Duration, Instant};
use thematic::generate::{Rng, transcript_text};
use thematic::model::transcript::sha256_hex;
use thematic::model::*;
use thematic::tui::app::App;
use thematic::tui::keymap::Keymap;
use thematic::tui::theme::Theme;
use thematic::tui::views;
use thematic::workspace::Workspace;

const WORDS: usize = 15_000;
const SEGMENTS: usize = 2_000;
const CODES: usize = 60;
const KEYSTROKES: usize = 3_000;

fn build(dir: &std::path::Path) -> (Workspace, Vec<CodeId>) {
    let mut rng = Rng::new(0x5eed_cafe);
    let mut meta = ProjectMeta::new("Benchmark");
    meta.coders.push(Coder {
        id: CoderId::new("alex").unwrap(),
        name: "Alex".into(),
    });
    let loaded = thematic::store::create(dir, meta).unwrap();
    let mut ws = Workspace::from_loaded(loaded.project, loaded.store);
    let alex = CoderId::new("alex").unwrap();
    ws.store_mut().lock_coder(&alex).unwrap();
    let text = transcript_text(&mut rng, WORDS, "Participant 7");
    let t = TranscriptId::new("long").unwrap();
    let meta = TranscriptMeta {
        title: "long".into(),
        participant: "Participant 7".into(),
        sha256: sha256_hex(&text),
        chars: text.chars().count(),
        ..Default::default()
    };
    ws.apply(Edit::AddTranscript(Box::new(Transcript::new(
        t.clone(),
        meta,
        text,
    ))))
    .unwrap();
    let mut codes = Vec::new();
    for i in 0..CODES {
        let mut code = Code::new(format!("Code {i:02}"), Level::Code);
        code.colour = Some(Colour([
            (i * 37 % 256) as u8,
            (i * 91 % 256) as u8,
            (i * 53 % 256) as u8,
        ]));
        codes.push(code.id.clone());
        ws.apply(Edit::AddCode {
            code,
            at: Position {
                parent: None,
                index: i,
            },
        })
        .unwrap();
    }
    let chars = ws.project().transcript(&t).unwrap().char_len();
    let mut edits = Vec::new();
    for _ in 0..SEGMENTS {
        let start = rng.below(chars - 400);
        let end = start + 20 + rng.below(300);
        let text = ws
            .project()
            .transcript(&t)
            .unwrap()
            .slice(start, end)
            .unwrap()
            .to_string();
        let segment = Segment {
            id: SegmentId::random(),
            start,
            end,
            codes: vec![codes[rng.below(CODES)].clone()],
            text,
            created: Timestamp::now(),
            updated: None,
        };
        edits.push(Edit::AddSegment {
            coder: alex.clone(),
            transcript: t.clone(),
            segment,
        });
    }
    ws.apply(Edit::Batch {
        label: "segments".into(),
        edits,
    })
    .unwrap();
    (ws, codes)
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, _codes) = build(dir.path());
    let alex = CoderId::new("alex").unwrap();
    let size = Rect::new(0, 0, 160, 48);
    let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();

    let start = Instant::now();
    let mut app = App::new(
        ws,
        alex,
        Keymap::defaults().unwrap(),
        Theme { colour: true },
        size,
    );
    terminal.draw(|f| views::draw(&app, f)).unwrap();
    let open_and_draw = start.elapsed();
    assert!(
        app.areas().margin_shown(),
        "the keystroke figures are taken with the coding margin on"
    );

    // Walk down the transcript with a mix of motions and selections.
    let pattern = [
        'j', 'j', 'w', 'w', 'l', ')', 'v', 'w', 'w', 'v', 'k', 'j', '}', 'b', 'j', ']', 's', 'v',
    ];
    let mut times = Vec::with_capacity(KEYSTROKES);
    for i in 0..KEYSTROKES {
        let k = key(pattern[i % pattern.len()]);
        let t = Instant::now();
        app.handle_key(k);
        terminal.draw(|f| views::draw(&app, f)).unwrap();
        times.push(t.elapsed());
        if i % 600 == 599 {
            app.handle_key(key('g'));
        }
    }
    times.sort();
    let median = percentile(&times, 0.5);
    let p99 = percentile(&times, 0.99);
    let max = *times.last().unwrap();

    // The same walk on a 200x50 terminal: the text at its full measure, two margin lanes.
    let wide = Rect::new(0, 0, 200, 50);
    app.resize(wide);
    let mut wide_terminal = Terminal::new(TestBackend::new(wide.width, wide.height)).unwrap();
    let mut wide_times = Vec::with_capacity(KEYSTROKES / 3);
    for i in 0..KEYSTROKES / 3 {
        let t = Instant::now();
        app.handle_key(key(pattern[i % pattern.len()]));
        wide_terminal.draw(|f| views::draw(&app, f)).unwrap();
        wide_times.push(t.elapsed());
    }
    wide_times.sort();
    app.resize(size);

    // The first walk's keys again at 160x48, with the margin on and then off, interleaved
    // key by key so that a busy machine weighs on both alike: what the margin costs.
    let mut with_margin = Vec::with_capacity(KEYSTROKES / 3);
    let mut without_margin = Vec::with_capacity(KEYSTROKES / 3);
    for i in 0..KEYSTROKES / 3 {
        let margin = i % 2 == 0;
        app.code.panes.margin = Some(margin);
        app.resize(size);
        let t = Instant::now();
        app.handle_key(key(pattern[(i / 2) % pattern.len()]));
        terminal.draw(|f| views::draw(&app, f)).unwrap();
        if margin {
            with_margin.push(t.elapsed());
        } else {
            without_margin.push(t.elapsed());
        }
    }
    app.code.panes.margin = None;
    app.resize(size);
    with_margin.sort();
    without_margin.sort();

    // Switch: reopen the transcript (rewrap, turns, segment index) and draw.
    let mut switches = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        app.open_transcript(0);
        terminal.draw(|f| views::draw(&app, f)).unwrap();
        switches.push(t.elapsed());
    }
    switches.sort();

    // Assign: select a sentence and code it with the first code, saved to disk; then undo.
    let mut assigns = Vec::new();
    for i in 0..50 {
        app.handle_key(key('}'));
        app.handle_key(key('s'));
        let code = app.tree[i % app.tree.len()].id.clone();
        let t = Instant::now();
        app.assign(code);
        assigns.push(t.elapsed());
    }
    assigns.sort();

    // The saving part alone: one segment's codes changed through Workspace::apply.
    let mut saves = Vec::new();
    let t_id = app.transcript().unwrap().id.clone();
    let alex = CoderId::new("alex").unwrap();
    for i in 0..50 {
        let before = app.ws.project().segments(&alex, &t_id)[i].clone();
        let mut after = before.clone();
        after.codes.reverse();
        after.updated = Some(Timestamp::now());
        let t = Instant::now();
        app.ws
            .apply(Edit::UpdateSegment {
                coder: alex.clone(),
                transcript: t_id.clone(),
                before,
                after,
            })
            .unwrap();
        saves.push(t.elapsed());
    }
    saves.sort();

    let segments = app.code.view.as_ref().map_or(0, |v| v.segments.len());
    let words = app.transcript().map_or(0, |t| t.word_count());
    println!(
        "keystroke benchmark: {words} words, {segments} segments, {CODES} codes, {}x{} terminal",
        size.width, size.height
    );
    println!("  open + first draw        {:>8.2?}", open_and_draw);
    println!(
        "  keystroke + draw (n={KEYSTROKES}) median {median:.2?}  p99 {p99:.2?}  max {max:.2?}   (target: median < 2 ms, p99 < 8 ms)"
    );
    println!(
        "  keystroke + draw at 200x50 (n={}) median {:.2?}  p99 {:.2?}",
        wide_times.len(),
        percentile(&wide_times, 0.5),
        percentile(&wide_times, 0.99)
    );
    println!(
        "  the same keys, margin on / off, interleaved: median {:.2?} / {:.2?}  p99 {:.2?} / {:.2?}",
        percentile(&with_margin, 0.5),
        percentile(&without_margin, 0.5),
        percentile(&with_margin, 0.99),
        percentile(&without_margin, 0.99)
    );
    println!(
        "  switch transcript + draw median {:.2?}  max {:.2?}   (target < 10 ms)",
        percentile(&switches, 0.5),
        switches.last().unwrap()
    );
    println!(
        "  assign a code, saved     median {:.2?}  max {:.2?}   (target < 5 ms)",
        percentile(&assigns, 0.5),
        assigns.last().unwrap()
    );
    println!(
        "    of which the edit and its save alone: median {:.2?}",
        percentile(&saves, 0.5)
    );
}
