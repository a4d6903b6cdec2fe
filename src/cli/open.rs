//! `thematic open DIR` (and `thematic DIR`): the coding screen, after offering back changes a
//! stopped session could not save; and who is coding (`--coder`, the config file, or asked).

use super::command_error::{CommandError, Kind};
use super::command_error::{Outcome, user_error};
use super::context::Context;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use thematic::model::CoderId;
use thematic::store::Problem;
use thematic::tui::app::App;
use thematic::workspace::Workspace;

#[derive(clap::Args)]
pub struct Args {
    dir: PathBuf,
}

/// Opens a project in the coding screen.
pub fn run(ctx: &Context, args: Args) -> Outcome {
    use std::io::IsTerminal;
    use thematic::tui::{keymap::Keymap, terminal, theme::Theme};
    let dir = args.dir.as_path();
    if !std::io::stdout().is_terminal() {
        return Err(user_error(format!(
            "the coding screen needs a terminal; for a summary use `thematic stats {}`",
            dir.display()
        )));
    }
    let keymap = Keymap::load(thematic::config::config_dir().as_deref())?;
    let coder = ctx.coder_or_ask()?;
    if !ctx.read_only {
        offer_recovery(dir)?;
    }
    thematic::team::register_if_needed(dir);
    let (workspace, problems) = open_workspace(dir, &coder, ctx.read_only)?;
    let mut app = App::new(
        workspace,
        coder,
        keymap,
        Theme::from_env(),
        ratatui::layout::Rect::new(0, 0, 80, 24),
    );
    // The user's settings for the coding screen; a config that does not load is left alone.
    if let Ok(config) = thematic::config::Config::load() {
        app.code.snap_to_words = config.snap_to_words.unwrap_or(true);
        app.set_pane_sizes(config.panes.unwrap_or_default(), true);
    }
    // Joining the project's coders and saying what needs attention wait, in a two-phase
    // opening, until the whole project has been read.
    thematic::tui::startup::begin(&mut app, problems);
    terminal::run(&mut app)?;
    keep_what_a_signal_left_unsaved(&app)
}

/// The project opened read-only, or with the coder's lock taken (refused, with a hint, when
/// someone holds it).
fn open_workspace(
    dir: &Path,
    coder: &CoderId,
    read_only: bool,
) -> Result<(Workspace, Vec<Problem>), CommandError> {
    let (mut workspace, problems) = Workspace::open_first(dir, Some(coder))?;
    if read_only {
        workspace.store_mut().set_read_only();
    } else {
        workspace.store_mut().lock_coder(coder).map_err(|e| {
            CommandError::from(e).hint(format!(
                "(to look without changing anything: thematic --read-only {})",
                dir.display()
            ))
        })?;
    }
    Ok((workspace, problems))
}

/// Quitting twice with unsaved changes gives them up by choice (the screen said so); a
/// signal does not, so they go to a recovery file.
fn keep_what_a_signal_left_unsaved(app: &App) -> Outcome {
    if !thematic::tui::terminal::stopped_by_signal() || app.ws.unsaved().is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let files = app.ws.unsaved().len();
    let message = match app.ws.recovery().write() {
        Ok(path) => format!(
            "not saved: {files} file(s) could not be written; the unsaved changes are in {} and are offered back the next time this project is opened",
            path.display()
        ),
        Err(e) => format!(
            "not saved: {files} file(s) could not be written, and the recovery file could not be written either ({e}); the changes are lost"
        ),
    };
    Err(CommandError::new(Kind::Io, message))
}

/// Offers back the changes a stopped session could not save (see `store::recovery`).
fn offer_recovery(dir: &Path) -> Result<(), CommandError> {
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
            std::fs::remove_file(&path)
                .map_err(|e| user_error(format!("{}: {e}", path.display())))?;
        } else {
            println!("{} is kept for the files not restored.", path.display());
        }
    }
    Ok(())
}

/// Who is coding: --coder, else the config file, else asked once on the terminal and saved.
pub fn resolve_coder(flag: Option<&str>) -> Result<CoderId, CommandError> {
    use std::io::{BufRead, IsTerminal, Write};
    if let Some(coder) = flag {
        return Ok(CoderId::new(coder)?);
    }
    let mut config = thematic::config::Config::load()?;
    if let Some(coder) = &config.coder {
        return CoderId::new(coder.as_str())
            .map_err(|e| user_error(format!("the coder in your config file: {e}")));
    }
    if !std::io::stdin().is_terminal() {
        return Err(user_error(
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
            return Err(user_error("no coder given".into()));
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
