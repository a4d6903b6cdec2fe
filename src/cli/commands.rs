//! One function per command.

use super::table::{Table, thousands};
use super::{Failure, Outcome};
use crate::{CheckFormat, Format};
use clap::Args;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use thematic::analysis::stats::project_stats;
use thematic::interop::attributes::{file_name_of, read_attribute_table};
use thematic::interop::import::{ImportDetails, ImportRequest, plan_import_at};
use thematic::model::{Coder, CoderId, Edit, ProjectMeta};
use thematic::store::{self, Problem, Severity, check};
use thematic::workspace::Workspace;

/// Opens a project in the coding screen.
pub fn open(dir: &Path, coder: Option<&str>, read_only: bool) -> Outcome {
    use std::io::IsTerminal;
    use thematic::tui::{app::App, keymap::Keymap, terminal, theme::Theme};
    if !std::io::stdout().is_terminal() {
        return Err(Failure(format!(
            "the coding screen needs a terminal; for a summary use `thematic stats {}`",
            dir.display()
        )));
    }
    let keymap = Keymap::load(thematic::config::config_dir().as_deref())?;
    let coder = resolve_coder(coder)?;
    if !read_only {
        offer_recovery(dir)?;
    }
    thematic::team::register_if_needed(dir);
    let (mut workspace, problems) = Workspace::open_first(dir, Some(&coder))?;
    if read_only {
        workspace.store_mut().set_read_only();
    } else {
        workspace.store_mut().lock_coder(&coder).map_err(|e| {
            Failure(format!(
                "{e}\n(to look without changing anything: thematic --read-only {})",
                dir.display()
            ))
        })?;
    }
    let mut app = App::new(
        workspace,
        coder,
        keymap,
        Theme::from_env(),
        ratatui::layout::Rect::new(0, 0, 80, 24),
    );
    // The user's settings for the coding screen; a config that does not load is left alone.
    if let Ok(config) = thematic::config::Config::load() {
        app.snap_to_words = config.snap_to_words.unwrap_or(true);
        app.set_pane_sizes(config.panes.unwrap_or_default(), true);
    }
    thematic::tui::startup::begin(&mut app, problems);
    terminal::run(&mut app)?;
    // Quitting twice with unsaved changes gives them up by choice (the screen said so); a
    // signal does not, so they go to a recovery file.
    if terminal::stopped_by_signal() && !app.ws.unsaved().is_empty() {
        let files = app.ws.unsaved().len();
        return Err(match app.ws.recovery().write() {
            Ok(path) => Failure(format!(
                "not saved: {files} file(s) could not be written; the unsaved changes are in {} and are offered back the next time this project is opened",
                path.display()
            )),
            Err(e) => Failure(format!(
                "not saved: {files} file(s) could not be written, and the recovery file could not be written either ({e}); the changes are lost"
            )),
        });
    }
    Ok(ExitCode::SUCCESS)
}

/// Offers back the changes a stopped session could not save (see `store::recovery`).
fn offer_recovery(dir: &Path) -> Result<(), Failure> {
    use std::io::{BufRead, IsTerminal, Write};
    use thematic::store::recovery::Recovery;
    for (path, recovery) in Recovery::waiting_for(dir) {
        let names: Vec<String> = recovery
            .files
            .iter()
            .map(|f| f.path.display().to_string())
            .collect();
        println!(
            "Changes that could not be saved on {} ({}) are in {}.",
            recovery.written,
            names.join(", "),
            path.display()
        );
        if !std::io::stdin().is_terminal() {
            println!("Open the project in a terminal to restore them.");
            continue;
        }
        print!("Restore them now? [y/N] ");
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !answer.trim().eq_ignore_ascii_case("y") {
            println!("Left as they are; offered again next time.");
            continue;
        }
        let restored = recovery.restore();
        for file in &restored.written {
            println!("restored {}", file.display());
        }
        for (file, why) in &restored.left {
            println!("not restored {}: {why}", file.display());
        }
        if restored.left.is_empty() {
            std::fs::remove_file(&path).map_err(|e| Failure(format!("{}: {e}", path.display())))?;
        } else {
            println!("{} is kept for the files not restored.", path.display());
        }
    }
    Ok(())
}

/// Who is coding: --coder, else the config file, else asked once on the terminal and saved.
pub fn resolve_coder(flag: Option<&str>) -> Result<CoderId, Failure> {
    use std::io::{BufRead, IsTerminal, Write};
    if let Some(coder) = flag {
        return Ok(CoderId::new(coder)?);
    }
    let mut config = thematic::config::Config::load()?;
    if let Some(coder) = &config.coder {
        return CoderId::new(coder.as_str())
            .map_err(|e| Failure(format!("the coder in your config file: {e}")));
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure(
            "who is coding? give --coder ID (a short id such as your initials)".into(),
        ));
    }
    let stdin = std::io::stdin();
    loop {
        print!(
            "Who is coding? Your coder id (lowercase letters, digits, - or _; e.g. your initials): "
        );
        std::io::stdout().flush()?;
        let mut line = String::new();
        if stdin.lock().read_line(&mut line)? == 0 {
            return Err(Failure("no coder given".into()));
        }
        match CoderId::new(line.trim()) {
            Ok(id) => {
                config.coder = Some(id.to_string());
                let path = config.save()?;
                println!(
                    "Saved in {}; change it there or with --coder.",
                    path.display()
                );
                return Ok(id);
            }
            Err(e) => println!("{e}"),
        }
    }
}

pub fn new(
    dir: &Path,
    name: Option<String>,
    description: String,
    coder: Option<&str>,
    coder_name: Option<String>,
) -> Outcome {
    let name = name.unwrap_or_else(|| {
        dir.file_name()
            .map_or_else(|| "New study".into(), |n| n.to_string_lossy().into_owned())
    });
    let mut meta = ProjectMeta::new(name);
    meta.description = description;
    if let Some(coder) = coder {
        let id = CoderId::new(coder)?;
        meta.coders.push(Coder {
            name: coder_name.unwrap_or_else(|| id.to_string()),
            id,
        });
    }
    store::create(dir, meta)?;
    println!("Created project {}", dir.display());
    println!("Next: thematic import {} FILE...", dir.display());
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct ImportArgs {
    /// The project folder.
    dir: PathBuf,
    /// Transcript files to import.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Participant label used to attribute quotes (one file only), e.g. "Participant 7".
    #[arg(long)]
    participant: Option<String>,
    /// Title (one file only; default: the file name).
    #[arg(long)]
    title: Option<String>,
    /// Transcript id (one file only; default: from the file name).
    #[arg(long)]
    id: Option<String>,
    /// Interview order (one file only; default: after the existing ones).
    #[arg(long)]
    order: Option<u32>,
    /// Interview date, YYYY-MM-DD (applies to every file).
    #[arg(long)]
    date: Option<jiff::civil::Date>,
    /// An attribute for every file, e.g. --attr role=Manager (repeatable).
    #[arg(long = "attr", value_name = "KEY=VALUE")]
    attrs: Vec<String>,
    /// A CSV of details per file: file,participant,role,... (columns participant, title, id,
    /// order and date fill those fields; any other column is an attribute).
    #[arg(long, value_name = "CSV")]
    attributes: Option<PathBuf>,
    /// The interview's recording (one file only; default: a media file with the
    /// transcript's name beside it). Only its path is kept; it is never copied.
    #[arg(long, value_name = "FILE")]
    media: Option<PathBuf>,
}

pub fn import(args: ImportArgs) -> Outcome {
    let single = [
        args.participant.is_some(),
        args.title.is_some(),
        args.id.is_some(),
        args.order.is_some(),
        args.media.is_some(),
    ];
    if args.files.len() > 1 && single.iter().any(|s| *s) {
        return Err(Failure("--participant, --title, --id, --order and --media name one transcript; with several files use --attributes CSV".into()));
    }
    let mut flag_attributes = BTreeMap::new();
    for pair in &args.attrs {
        let (key, value) = pair
            .split_once('=')
            .filter(|(k, _)| !k.trim().is_empty())
            .ok_or_else(|| Failure(format!("--attr {pair:?}: expected KEY=VALUE")))?;
        flag_attributes.insert(key.trim().to_string(), value.trim().to_string());
    }
    let mut table = match &args.attributes {
        Some(path) => read_attribute_table(path)?,
        None => BTreeMap::new(),
    };
    let mut requests = Vec::new();
    for path in &args.files {
        let name = file_name_of(&path.to_string_lossy());
        let mut details = table.remove(&name).unwrap_or_else(|| {
            if args.attributes.is_some() {
                eprintln!("warning: {name} has no row in the attributes table");
            }
            ImportDetails::default()
        });
        details.participant = args.participant.clone().or(details.participant);
        details.title = args.title.clone().or(details.title);
        details.id = args.id.clone().or(details.id);
        details.order = args.order.or(details.order);
        details.media = args.media.clone().or(details.media);
        details.date = args.date.or(details.date);
        details.attributes.extend(flag_attributes.clone());
        requests.push(ImportRequest {
            path: path.clone(),
            details,
        });
    }
    for unused in table.keys() {
        eprintln!("warning: the attributes table lists {unused}, which is not being imported");
    }
    let (mut workspace, _) = Workspace::open(&args.dir, None)?;
    let plan =
        plan_import_at(workspace.project(), Some(&args.dir), requests).map_err(|errors| {
            let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
            Failure(format!("nothing was imported:\n  {}", lines.join("\n  ")))
        })?;
    workspace.apply_once(plan.edit)?;
    for (id, path, words) in &plan.added {
        let t = workspace
            .project()
            .transcript(id)
            .ok_or_else(|| Failure(format!("{id} vanished")))?;
        println!(
            "imported {} as {id} ({}, {} words{})",
            path.display(),
            t.meta.participant,
            thousands(*words),
            import_extras(&t.meta)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// What an import kept besides the text: time codes, pages, the recording.
fn import_extras(meta: &thematic::model::TranscriptMeta) -> String {
    let mut extras = String::new();
    if !meta.times.is_empty() {
        extras.push_str(&format!(", {} time codes", meta.times.len()));
    }
    if !meta.pages.is_empty() {
        extras.push_str(&format!(", {} pages", meta.pages.len()));
    }
    if let Some(media) = &meta.media {
        extras.push_str(&format!(", recording {media}"));
    }
    extras
}

pub fn check(dir: &Path, format: CheckFormat) -> Outcome {
    // Conflict markers make every later reading of the file fail in a cascade: say so once.
    let markers = thematic::team::conflict_markers(dir);
    if !markers.is_empty() {
        return report_merge_markers(dir, markers, format);
    }
    let loaded = store::load(dir)?;
    let mut problems = check::report(loaded.problems, &loaded.project, &loaded.store);
    problems.extend(thematic::team::unsettled_problems(dir));
    problems.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    match format {
        CheckFormat::Text => {
            for problem in &problems {
                let located = Problem {
                    path: dir.join(&problem.path),
                    ..problem.clone()
                };
                println!(
                    "{}",
                    thematic::text::sanitize_for_terminal(&located.to_string())
                );
            }
            let t = loaded.project.transcript_count();
            let s = loaded.project.all_segments().count();
            println!(
                "{}: {} transcripts, {} codebook entries, {} segments, {} memos: {errors} error(s), {warnings} warning(s)",
                dir.display(),
                t,
                loaded.project.codebook.len(),
                s,
                loaded.project.memos().count()
            );
        }
        CheckFormat::Json => {
            let report = serde_json::json!({
                "project": dir.display().to_string(),
                "errors": errors,
                "warnings": warnings,
                "problems": problems,
            });
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `check` on a project with git's conflict markers in it: those alone, the rest of the
/// checks waiting until the merge is settled.
fn report_merge_markers(dir: &Path, markers: Vec<Problem>, format: CheckFormat) -> Outcome {
    match format {
        CheckFormat::Text => {
            for problem in &markers {
                let located = Problem {
                    path: dir.join(&problem.path),
                    ..problem.clone()
                };
                println!(
                    "{}",
                    thematic::text::sanitize_for_terminal(&located.to_string())
                );
            }
            println!(
                "{}: {} file(s) with unresolved merge conflicts; the other checks run once they are settled",
                dir.display(),
                markers.len()
            );
        }
        CheckFormat::Json => {
            let report = serde_json::json!({
                "project": dir.display().to_string(),
                "errors": markers.len(),
                "warnings": 0,
                "problems": markers,
            });
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
    }
    Ok(ExitCode::from(1))
}

pub fn stats(dir: &Path, format: Format, coder: Option<&str>) -> Outcome {
    let loaded = store::load(dir)?;
    let seen = super::seen_by(&loaded.project, coder)?;
    let project = &*seen;
    match format {
        Format::Table => print!("{}", render_stats(project)),
        Format::Json => println!("{}", serde_json::to_string_pretty(&project_stats(project))?),
        Format::Csv => {
            let stats = project_stats(project);
            let mut writer = csv::Writer::from_writer(std::io::stdout());
            let coders: Vec<String> = stats.coders.iter().map(|c| c.coder.clone()).collect();
            let mut header = vec![
                "transcript",
                "participant",
                "order",
                "words",
                "characters",
                "codes",
            ];
            header.extend(coders.iter().map(String::as_str));
            writer.write_record(&header)?;
            for t in &stats.per_transcript {
                let mut record = vec![
                    t.id.clone(),
                    t.participant.clone(),
                    t.order.map(|o| o.to_string()).unwrap_or_default(),
                    t.words.to_string(),
                    t.characters.to_string(),
                    t.codes.to_string(),
                ];
                record.extend(
                    coders
                        .iter()
                        .map(|c| t.segments.get(c).copied().unwrap_or(0).to_string()),
                );
                writer.write_record(&record)?;
            }
            writer.flush()?;
        }
    }
    report_load_problems(&loaded.problems, dir);
    Ok(ExitCode::SUCCESS)
}

fn report_load_problems(problems: &[Problem], dir: &Path) {
    if !problems.is_empty() {
        eprintln!(
            "warning: {} problem(s) found while reading; run `thematic check {}`",
            problems.len(),
            dir.display()
        );
    }
}

fn render_stats(project: &thematic::model::Project) -> String {
    let stats = project_stats(project);
    let mut out = format!(
        "{}\n\nTranscripts: {} ({} words)\nCodebook:    {} themes, {} sub-themes, {} codes\nSegments:    {}\nMemos:       {}",
        stats.name,
        stats.transcripts,
        thousands(stats.words),
        stats.themes,
        stats.sub_themes,
        stats.codes,
        thousands(stats.segments),
        stats.memos
    );
    let kinds: Vec<String> = stats
        .memo_kinds
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    if !kinds.is_empty() {
        out.push_str(&format!(" ({})", kinds.join(", ")));
    }
    out.push_str("\n\n");
    let mut coders = Table::new(&[
        "Coder",
        "Name",
        "Segments",
        "Transcripts coded",
        "Codes used",
        "Memos",
    ])
    .right_align(&[2, 3, 4, 5]);
    for c in &stats.coders {
        coders.row(vec![
            c.coder.clone(),
            c.name.clone(),
            thousands(c.segments),
            c.transcripts_coded.to_string(),
            c.codes_used.to_string(),
            c.memos.to_string(),
        ]);
    }
    out.push_str(&coders.render());
    out.push('\n');
    let coder_ids: Vec<String> = stats.coders.iter().map(|c| c.coder.clone()).collect();
    let mut headers = vec!["Transcript", "Participant", "Order", "Words", "Codes"];
    headers.extend(coder_ids.iter().map(String::as_str));
    let mut table = Table::new(&headers).right_align(&(2..headers.len()).collect::<Vec<_>>());
    for t in &stats.per_transcript {
        let mut row = vec![
            t.id.clone(),
            t.participant.clone(),
            t.order.map(|o| o.to_string()).unwrap_or_default(),
            thousands(t.words),
            t.codes.to_string(),
        ];
        row.extend(
            coder_ids
                .iter()
                .map(|c| t.segments.get(c).copied().unwrap_or(0).to_string()),
        );
        table.row(row);
    }
    out.push_str(&table.render());
    out
}

#[derive(Args)]
pub struct QuotesArgs {
    pub dir: PathBuf,
    /// The code: its name, its path ("Theme > Sub-theme > Code") or its id.
    pub code: String,
    /// Only this code's own segments, not those of the codes below it.
    #[arg(long)]
    pub no_children: bool,
    /// Only transcripts with this attribute value, e.g. --attr organisation="Brookfield Council" (repeatable).
    #[arg(long = "attr", value_name = "KEY=VALUE")]
    pub attrs: Vec<String>,
    /// Whose quotes: coder ids separated by commas, or `all` (the default: every coder
    /// whose work you may see).
    #[arg(long, value_name = "A,B|all")]
    pub coders: Option<String>,
    /// Only quotes containing this text (ignoring case).
    #[arg(long)]
    pub text: Option<String>,
    /// Only this transcript, by id such as p07 (repeatable).
    #[arg(long = "transcript", value_name = "ID")]
    pub transcripts: Vec<String>,
    /// Order: transcript (interview order) or length (longest first).
    #[arg(long, value_enum, default_value_t = crate::cli::codebook::Sort::Transcript)]
    pub sort: crate::cli::codebook::Sort,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn add_coder(dir: &Path, id: &str, name: Option<String>) -> Outcome {
    let id = add_person(dir, id, name, Role::Coder)?;
    println!("added coder {id}");
    Ok(ExitCode::SUCCESS)
}

/// `thematic add-reviewer`: lists a reviewer in thematic.yaml, apart from the coders.
pub fn add_reviewer(dir: &Path, id: &str, name: Option<String>) -> Outcome {
    let id = add_person(dir, id, name, Role::Reviewer)?;
    println!(
        "added reviewer {id}: `thematic {} --coder {id}` opens the project for reviewing memos",
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Coder,
    Reviewer,
}

/// Lists a new coder or reviewer in thematic.yaml, refusing an id already listed in either
/// role, as one saved edit.
fn add_person(dir: &Path, id: &str, name: Option<String>, role: Role) -> Result<CoderId, Failure> {
    let id = CoderId::new(id)?;
    let (mut workspace, _) = Workspace::open(dir, None)?;
    let before = workspace.project().meta.clone();
    match (
        role,
        before.coder(&id).is_some(),
        before.reviewer(&id).is_some(),
    ) {
        (Role::Coder, true, _) => {
            return Err(Failure(format!("coder {id} is already in the project")));
        }
        (Role::Coder, _, true) => {
            return Err(Failure(format!(
                "{id} is a reviewer of the project; a reviewer does not code"
            )));
        }
        (Role::Reviewer, _, true) => {
            return Err(Failure(format!("reviewer {id} is already in the project")));
        }
        (Role::Reviewer, true, _) => {
            return Err(Failure(format!(
                "{id} is a coder of the project, and coders can already review memos"
            )));
        }
        _ => {}
    }
    let mut after = before.clone();
    let person = Coder {
        name: name.unwrap_or_else(|| id.to_string()),
        id: id.clone(),
    };
    match role {
        Role::Coder => after.coders.push(person),
        Role::Reviewer => after.reviewers.push(person),
    }
    workspace.apply_once(Edit::UpdateProject {
        before: Box::new(before),
        after: Box::new(after),
    })?;
    Ok(id)
}

pub fn generate(
    dir: &Path,
    scale: f64,
    seed: u64,
    words: usize,
    segments: usize,
    long: bool,
) -> Outcome {
    if !(scale > 0.0 && scale <= 50.0) {
        return Err(Failure(format!(
            "--scale {scale}: give a number above 0 and at most 50"
        )));
    }
    if !(100..=200_000).contains(&words) || !(1..=10_000).contains(&segments) {
        return Err(Failure(
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
pub fn first_frame(dir: &Path, coder: Option<&str>, width: u16, height: u16) -> Outcome {
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
) -> Result<(thematic::tui::app::App, std::time::Duration), Failure> {
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
            .ok_or_else(|| Failure("the project has no coder; give --coder".into()))?,
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
pub fn screenshot(dir: &Path, coder: Option<&str>, size: &str, keys: &str, out: &Path) -> Outcome {
    use crossterm::event::KeyEvent;
    use ratatui::{Terminal, backend::TestBackend};
    use thematic::tui::{keymap::Key, screenshot, views};
    let (width, height) = parse_size(size)?;
    let (mut app, _) = offscreen_app(dir, coder, width, height, false)?;
    for spec in keys.split_whitespace() {
        let key = Key::parse(spec)
            .ok_or_else(|| Failure(format!("--keys: `{spec}` is not a key name")))?;
        app.handle_key(KeyEvent::new(key.code, key.modifiers));
    }
    let mut terminal = Terminal::new(TestBackend::new(width, height))?;
    terminal.draw(|f| views::draw(&app, f))?;
    let svg = screenshot::buffer_to_svg(terminal.backend().buffer());
    super::interop::write_out(out, svg.as_bytes(), false, dir)?;
    if out != Path::new("-") {
        eprintln!("wrote {} ({width}x{height})", out.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `140x40` as (140, 40); at least 40x10, at most 1000x500.
fn parse_size(size: &str) -> Result<(u16, u16), Failure> {
    let bad = || Failure(format!("--size: `{size}` is not COLUMNSxROWS, e.g. 140x40"));
    let (w, h) = size.split_once(['x', 'X']).ok_or_else(bad)?;
    let (w, h): (u16, u16) = (w.parse().map_err(|_| bad())?, h.parse().map_err(|_| bad())?);
    if !(40..=1000).contains(&w) || !(10..=500).contains(&h) {
        return Err(Failure(format!(
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
pub fn edit_stream(dir: &Path, coder: Option<&str>, seed: u64) -> Outcome {
    use std::io::Write;
    use thematic::model::{Edit, Segment, SegmentId};
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
        return Err(Failure("the project needs codes and transcripts".into()));
    }
    let mut out = std::io::stdout().lock();
    loop {
        let t = transcripts[rng.below(transcripts.len())].clone();
        let code = codes[rng.below(codes.len())].clone();
        let own = ws.project().segments(&coder, &t).to_vec();
        let (edit, line) = match rng.below(10) {
            0..=4 => {
                let len = ws.project().transcript(&t).map_or(0, |x| x.char_len());
                let start = rng.below(len.saturating_sub(80).max(1));
                let text = ws
                    .project()
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
            _ => continue,
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

/// `thematic check DIR --fix`: re-anchors the segments of transcripts edited outside the
/// tool (through the Workspace, so every write is atomic and every coder's lock respected).
pub fn fix_drift(dir: &Path) -> Outcome {
    let (mut workspace, _) = Workspace::open(dir, None)?;
    let drifts = thematic::store::drift::drifts(workspace.project());
    if drifts.is_empty() {
        println!("No transcript was changed outside thematic; nothing to re-anchor.");
        return check(dir, CheckFormat::Text);
    }
    let mut left = 0;
    for drift in &drifts {
        let Some(id) = drift.transcript.clone() else {
            continue;
        };
        let Some(edit) = thematic::store::drift::fix(workspace.project(), drift) else {
            continue;
        };
        workspace.apply_once(edit)?;
        println!(
            "{id}: new text accepted; {} segment(s) re-anchored by their quoted text",
            drift.moved.len()
        );
        for (coder, segment) in &drift.lost {
            left += 1;
            println!(
                "  {coder}'s segment {} [{}, {}) was not moved: its quote is not found exactly once; \
                 in the coding screen ({coder}), open {id}, put the cursor on it and press e to move its start and end onto the right words",
                segment.id, segment.start, segment.end
            );
        }
    }
    println!("{left} segment(s) left to fix by hand.");
    check(dir, CheckFormat::Text)
}
