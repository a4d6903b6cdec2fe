//! The coding screen's start-up: the first frame from a two-phase opening
//! ([`crate::workspace::Workspace::open_first`]), and taking over the whole project when it
//! has been read.
//!
//! While the rest of the project loads, the screen shows the coder's transcript, its coding
//! and the codebook; what needs every transcript (the codebook's counts, the other
//! transcripts' counts and done marks, memo marks) is blank rather than partial, and the
//! status line says what is loading. The first key, click or paste waits for the load to
//! finish (a resize does not), so every key acts on the whole project, and the problems
//! the load found are reported as at any opening. The store refuses every write until
//! then, whatever asks. A project that cannot be read to the end (its `thematic.yaml`
//! removed meanwhile) closes the screen with the reason, as opening it would have.

use super::action::Action;
use super::app::App;
use super::keymap::Context;
use crate::store::{Problem, StoreError};
use crossterm::event::Event;
use std::time::Duration;

/// How often the event loop looks whether the load has finished, while it has not.
const LOADING_POLL: Duration = Duration::from_millis(15);

/// How long the event loop waits for an event otherwise (so that a signal is noticed).
const IDLE_POLL: Duration = Duration::from_millis(200);

/// Sets up the screen of `app`, just built on a workspace from `Workspace::open_first`
/// that found `problems`: settled now when the project was read whole, else drawn from the
/// partial project until [`finish`].
pub fn begin(app: &mut App, problems: Vec<Problem>) {
    let Some(transcripts) = app.ws.transcripts_loading() else {
        settle(app, problems);
        return;
    };
    // Counts over every transcript are not known yet: blank, never counts of a part.
    app.counts.clear();
    app.status.insert_str(0, &loading_note(transcripts));
}

/// Said first in the status line while loading, so that a narrow screen shows it too.
fn loading_note(transcripts: usize) -> String {
    format!("Loading {transcripts} transcripts… ")
}

/// How long the event loop may wait for an event.
pub fn poll_interval(app: &App) -> Duration {
    if app.ws.transcripts_loading().is_some() {
        LOADING_POLL
    } else {
        IDLE_POLL
    }
}

/// Takes over the whole project if it has been read meanwhile. Returns whether it did (the
/// screen is then to be drawn again), or why it could not be read.
pub fn poll(app: &mut App) -> std::io::Result<bool> {
    if !app.ws.opening_finished() {
        return Ok(false);
    }
    finish(app).map_err(unfinished)?;
    Ok(true)
}

/// Handles `event`, first waiting for the whole project unless the event only resizes.
pub fn handle_event(app: &mut App, event: Event) -> std::io::Result<()> {
    if !matches!(event, Event::Resize(..)) {
        finish(app).map_err(unfinished)?;
    }
    app.handle_event(event);
    Ok(())
}

/// The session ends when the project cannot be read to the end: the partial project is
/// never worked on (the other transcripts' texts are not in it).
fn unfinished(e: StoreError) -> std::io::Error {
    std::io::Error::other(format!(
        "the project could not be read to the end, so the coding screen was closed with nothing changed: {e}"
    ))
}

/// Waits for the whole project and takes it over: what the screen shows is worked out again
/// from it, exactly as when [`App::new`] is given a whole project, and the load's problems
/// are reported. Does nothing when nothing is loading. If the project could not be read to
/// the end, it stays partial, so nothing can be written.
pub fn finish(app: &mut App) -> Result<(), StoreError> {
    let Some(transcripts) = app.ws.transcripts_loading() else {
        return Ok(());
    };
    let Some(result) = app.ws.finish_opening() else {
        return Ok(());
    };
    let problems = result?;
    let note = loading_note(transcripts);
    let welcome = app
        .status
        .strip_prefix(note.as_str())
        .unwrap_or(&app.status)
        .to_string();
    take_over(app, welcome);
    settle(app, problems);
    Ok(())
}

/// Works out everything the screen shows from the whole project, as `App::new` does, and
/// puts the coder back where the first frame showed them.
fn take_over(app: &mut App, welcome: String) {
    app.code.order = app
        .ws
        .project()
        .transcripts_in_order()
        .iter()
        .map(|t| t.id.clone())
        .collect();
    app.refresh();
    if !app.code.order.is_empty() {
        // The resume point has not moved (no key was handled): the same place, with the
        // transcript's text and coding as the whole project has them.
        app.resume();
    }
    app.status = welcome;
    if !app.unread.is_empty() {
        let memos = app.keymap.keys_for(Context::Global, Action::ViewMemos);
        app.status.push_str(&format!(
            " {} of your memos have comments you have not read ({memos}).",
            app.unread.len()
        ));
    }
}

/// What follows a whole project's opening: the coder joins the project's coders (unless the
/// session is read-only), and the problems found and any unsettled merge are said.
fn settle(app: &mut App, problems: Vec<Problem>) {
    let dir = app.ws.store().root().to_path_buf();
    if !app.ws.store().is_read_only() {
        app.ensure_coder_listed();
    }
    if !problems.is_empty() {
        app.status = format!(
            "{} problem(s) found while opening; {} lists them (or run `thematic check {}`)",
            problems.len(),
            app.keymap.keys_for(Context::Global, Action::Help),
            dir.display()
        );
        app.load_problems = problems.iter().map(ToString::to_string).collect();
    }
    let unsettled = crate::team::open_conflicts(&dir).len();
    if unsettled > 0 {
        app.status = format!(
            "{unsettled} merge conflict(s) to settle; see `thematic resolve {}`",
            dir.display()
        );
    }
}
