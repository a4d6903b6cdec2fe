//! `thematic dev ...`: tools for developers and for trying thematic at scale: a generated
//! study, a stream of edits for the crash tests, the first frame's time, screenshots, and
//! the suggestions' evaluation (in `suggest.rs`).

use super::command_error::CommandError;
use super::command_error::{Outcome, user_error};
use super::context::{Context, Honours, Use};
use super::text_table::thousands;
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use thematic::model::CoderId;
use thematic::workspace::Workspace;

#[derive(Subcommand)]
pub enum Command {
    /// Write a generated study (SPEC section 8's scale at --scale 1): 213 interviews of
    /// 8,000 words, 2 coders, 60 codes, about 30,000 segments, 500 memos, a 20% sample.
    Generate {
        /// The new project folder (must not exist, or be empty).
        dir: PathBuf,
        /// Multiplies the number of interviews and memos (0.2, 1, 5...).
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Words per interview.
        #[arg(long, default_value_t = 8000)]
        words: usize,
        /// Segments the primary coder makes per interview.
        #[arg(long, default_value_t = 120)]
        segments: usize,
        /// Also a 15,000-word interview with 2,000 segments (id `long`).
        #[arg(long)]
        long: bool,
    },
    /// Apply a stream of coding edits as fast as possible, printing a line for each one
    /// saved, until killed (for the crash-consistency tests).
    EditStream {
        dir: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Open a project as the coding screen does and draw its first frame off-screen; print
    /// the time it took and the process's peak memory (for the benchmarks).
    FirstFrame {
        dir: PathBuf,
        #[arg(long, default_value_t = 160)]
        width: u16,
        #[arg(long, default_value_t = 48)]
        height: u16,
    },
    /// Draw the screen as the coding screen would (after pressing --keys) into an SVG
    /// picture, with its colours: the manual's pictures are made this way.
    Screenshot {
        dir: PathBuf,
        /// Terminal size as COLUMNSxROWS.
        #[arg(long, default_value = "140x40")]
        size: String,
        /// Keys to press first, separated by spaces, as keymap.yaml names them
        /// (e.g. "j j Enter s").
        #[arg(long, default_value = "")]
        keys: String,
        /// The SVG file to write (`-` for standard output).
        out: PathBuf,
    },
    /// Measure code suggestions by hiding coding: recall per code and overall.
    EvalSuggest(super::suggest::EvalArgs),
}

impl Command {
    pub fn name(&self) -> &'static str {
        match self {
            Command::Generate { .. } => "dev generate",
            Command::EditStream { .. } => "dev edit-stream",
            Command::FirstFrame { .. } => "dev first-frame",
            Command::Screenshot { .. } => "dev screenshot",
            Command::EvalSuggest(_) => "dev eval-suggest",
        }
    }

    /// The global flags each tool honours: the screen's tools open read-only as `--coder`;
    /// the edit stream writes as `--coder`.
    pub fn honours(&self) -> Honours {
        match self {
            Command::Generate { .. } => Honours {
                coder: Use::Refused(
                    "the generated study's coders are made with it; leave --coder out",
                ),
                read_only: Use::Refused(super::context::WRITES),
            },
            Command::EditStream { .. } => Honours::CODER_WRITES,
            Command::FirstFrame { .. } | Command::Screenshot { .. } => Honours::READER,
            Command::EvalSuggest(_) => Honours {
                coder: Use::Refused("the coder whose coding is evaluated is named with --of"),
                read_only: Use::Honoured,
            },
        }
    }
}

pub fn run(ctx: &Context, command: Command) -> Outcome {
    let coder = ctx.coder.as_deref();
    match command {
        Command::Generate {
            dir,
            scale,
            seed,
            words,
            segments,
            long,
        } => generate(&dir, scale, seed, words, segments, long),
        Command::EditStream { dir, seed } => edit_stream(&dir, coder, seed),
        Command::FirstFrame { dir, width, height } => first_frame(&dir, coder, width, height),
        Command::Screenshot {
            dir,
            size,
            keys,
            out,
        } => screenshot(&dir, coder, &size, &keys, &out),
        Command::EvalSuggest(args) => super::suggest::eval_suggest(args),
    }
}

fn generate(
    dir: &Path,
    scale: f64,
    seed: u64,
    words: usize,
    segments: usize,
    long: bool,
) -> Outcome {
    if !(scale > 0.0 && scale <= 50.0) {
        return Err(user_error(format!(
            "--scale {scale}: give a number above 0 and at most 50"
        )));
    }
    if !(100..=200_000).contains(&words) || !(1..=10_000).contains(&segments) {
        return Err(user_error(
            "--words must be 100-200000 and --segments 1-10000".into(),
        ));
    }
    let options = thematic::generate::Options {
        scale,
        seed,
        words,
        segments,
        long,
    };
    let project = thematic::generate::generate(dir, &options)?;
    println!(
        "Generated {}: {} transcripts, {} segments, {} memos, {} codes; sample of {}",
        dir.display(),
        project.transcript_count(),
        thousands(project.all_segments().count()),
        project.memos().count(),
        project.codebook.len(),
        project.meta.sample().map_or(0, |s| s.transcripts.len())
    );
    Ok(ExitCode::SUCCESS)
}

/// `thematic dev first-frame`: the coding screen's start-up (load the project, build the
/// screen, draw it) into an off-screen buffer, timed, with the peak resident memory.
fn first_frame(dir: &Path, coder: Option<&str>, width: u16, height: u16) -> Outcome {
    use ratatui::{Terminal, backend::TestBackend};
    use thematic::tui::views;
    let started = std::time::Instant::now();
    let (mut app, loaded) = offscreen_app(dir, coder, width, height, true)?;
    thematic::tui::startup::begin(&mut app, Vec::new());
    let mut terminal = Terminal::new(TestBackend::new(width, height))?;
    terminal.draw(|f| views::draw(&app, f))?;
    let total = started.elapsed();
    // The rest of a two-phase opening, taken over and drawn as the coding screen does.
    thematic::tui::startup::finish(&mut app)?;
    terminal.draw(|f| views::draw(&app, f))?;
    println!(
        "{{\"load_ms\": {:.2}, \"first_frame_ms\": {:.2}, \"full_load_ms\": {:.2}, \"peak_rss_kb\": {}}}",
        loaded.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3,
        started.elapsed().as_secs_f64() * 1e3,
        peak_rss_kb().unwrap_or(0)
    );
    Ok(ExitCode::SUCCESS)
}

/// The coding screen of the project at `dir`, opened read-only for `coder` (default: the
/// project's first coder) at `width` x `height`, off-screen; and how long loading took.
fn offscreen_app(
    dir: &Path,
    coder: Option<&str>,
    width: u16,
    height: u16,
    two_phase: bool,
) -> Result<(thematic::tui::app::App, std::time::Duration), CommandError> {
    use ratatui::layout::Rect;
    use thematic::tui::{app::App, keymap::Keymap, theme::Theme};
    let started = std::time::Instant::now();
    let (mut workspace, _) = if two_phase {
        let coder = coder.map(CoderId::new).transpose()?;
        Workspace::open_first(dir, coder.as_ref())?
    } else {
        Workspace::open(dir, None)?
    };
    workspace.store_mut().set_read_only();
    let loaded = started.elapsed();
    let coder = match coder {
        Some(c) => CoderId::new(c)?,
        None => workspace
            .project()
            .meta
            .coders
            .first()
            .map(|c| c.id.clone())
            .ok_or_else(|| user_error("the project has no coder; give --coder".into()))?,
    };
    let app = App::new(
        workspace,
        coder,
        Keymap::defaults()?,
        Theme { colour: true },
        Rect::new(0, 0, width, height),
    );
    Ok((app, loaded))
}

/// `thematic dev screenshot`: the coding screen after `keys`, drawn off-screen at `size`
/// (COLUMNSxROWS) and written as an SVG picture.
fn screenshot(dir: &Path, coder: Option<&str>, size: &str, keys: &str, out: &Path) -> Outcome {
    use crossterm::event::KeyEvent;
    use ratatui::{Terminal, backend::TestBackend};
    use thematic::tui::{keymap::Key, screenshot, views};
    let (width, height) = parse_size(size)?;
    let (mut app, _) = offscreen_app(dir, coder, width, height, false)?;
    for spec in keys.split_whitespace() {
        let key = Key::parse(spec)
            .ok_or_else(|| user_error(format!("--keys: `{spec}` is not a key name")))?;
        app.handle_key(KeyEvent::new(key.code, key.modifiers));
    }
    let mut terminal = Terminal::new(TestBackend::new(width, height))?;
    terminal.draw(|f| views::draw(&app, f))?;
    let svg = screenshot::buffer_to_svg(terminal.backend().buffer());
    super::export::write_out(out, svg.as_bytes(), false, dir)?;
    if out != Path::new("-") {
        eprintln!("wrote {} ({width}x{height})", out.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `140x40` as (140, 40); at least 40x10, at most 1000x500.
fn parse_size(size: &str) -> Result<(u16, u16), CommandError> {
    let bad = || user_error(format!("--size: `{size}` is not COLUMNSxROWS, e.g. 140x40"));
    let (w, h) = size.split_once(['x', 'X']).ok_or_else(bad)?;
    let (w, h): (u16, u16) = (w.parse().map_err(|_| bad())?, h.parse().map_err(|_| bad())?);
    if !(40..=1000).contains(&w) || !(10..=500).contains(&h) {
        return Err(user_error(format!(
            "--size: {w}x{h} is outside 40x10 to 1000x500"
        )));
    }
    Ok((w, h))
}

/// The process's peak resident set (VmHWM), from /proc on Linux.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// `thematic dev edit-stream`: adds, recodes and removes this coder's segments in a loop
/// through the Workspace (each edit saved durably before the next), printing `try add|update|
/// remove TRANSCRIPT SEGMENT CODE` before each edit and `saved` after it. Killed at a random
/// moment, every edit followed by `saved` must be in the project.
fn edit_stream(dir: &Path, coder: Option<&str>, seed: u64) -> Outcome {
    use std::io::Write;
    let coder = CoderId::new(coder.unwrap_or("alex"))?;
    let (mut ws, _) = Workspace::open(dir, Some(&coder))?;
    let mut rng = thematic::generate::Rng::new(seed);
    let codes: Vec<_> = ws
        .project()
        .codebook
        .walk()
        .iter()
        .map(|(_, c)| c.id.clone())
        .collect();
    let transcripts: Vec<_> = ws
        .project()
        .transcripts_in_order()
        .iter()
        .map(|t| t.id.clone())
        .take(3)
        .collect();
    if codes.is_empty() || transcripts.is_empty() {
        return Err(user_error("the project needs codes and transcripts".into()));
    }
    let mut out = std::io::stdout().lock();
    loop {
        let t = transcripts[rng.below(transcripts.len())].clone();
        let code = codes[rng.below(codes.len())].clone();
        let Some((edit, line)) = random_edit(ws.project(), &mut rng, &coder, &t, &code) else {
            continue;
        };
        // Announce the edit, save it, then say it is saved: a kill in between leaves exactly
        // one edit whose fate is open.
        writeln!(out, "try {line}")?;
        out.flush()?;
        ws.apply_once(edit)?;
        writeln!(out, "saved")?;
        out.flush()?;
    }
}

/// One random edit of `coder`'s segments in transcript `t` with `code` (add, recode or
/// remove), and its line for the stream; None when the draw makes no edit.
fn random_edit(
    project: &thematic::model::Project,
    rng: &mut thematic::generate::Rng,
    coder: &CoderId,
    t: &thematic::model::TranscriptId,
    code: &thematic::model::CodeId,
) -> Option<(thematic::model::Edit, String)> {
    use thematic::model::{Edit, Segment, SegmentId};
    let (t, code) = (t.clone(), code.clone());
    let own = project.segments(coder, &t).to_vec();
    let (edit, line) = match rng.below(10) {
        0..=4 => {
            let len = project.transcript(&t).map_or(0, |x| x.char_len());
            let start = rng.below(len.saturating_sub(80).max(1));
            let text = project
                .transcript(&t)
                .and_then(|x| x.slice(start, start + 60))
                .unwrap_or_default()
                .to_string();
            let segment = Segment {
                id: SegmentId::random(),
                start,
                end: start + text.chars().count(),
                codes: vec![code.clone()],
                text,
                created: jiff::Timestamp::now(),
                updated: None,
            };
            let line = format!("add {t} {} {code}", segment.id);
            (
                Edit::AddSegment {
                    coder: coder.clone(),
                    transcript: t.clone(),
                    segment,
                },
                line,
            )
        }
        5..=7 if !own.is_empty() => {
            let before = own[rng.below(own.len())].clone();
            let mut after = before.clone();
            after.codes = vec![code.clone()];
            after.updated = Some(jiff::Timestamp::now());
            let line = format!("update {t} {} {code}", before.id);
            (
                Edit::UpdateSegment {
                    coder: coder.clone(),
                    transcript: t.clone(),
                    before,
                    after,
                },
                line,
            )
        }
        _ if own.len() > 40 => {
            let segment = own[rng.below(own.len())].clone();
            let line = format!("remove {t} {} -", segment.id);
            (
                Edit::RemoveSegment {
                    coder: coder.clone(),
                    transcript: t.clone(),
                    segment,
                },
                line,
            )
        }
        _ => return None,
    };
    Some((edit, line))
}
