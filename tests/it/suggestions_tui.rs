//! The Suggestions panel of the coding screen (`X`), driven by keys: it lists passages like
//! the selected code's quotes; `a` codes one (saved, one undo step), `x` turns one down for
//! good; and an auto-coding is one undo step on the coding screen.

use crate::common;
use common::copy_dir;
use common::keys;

use crossterm::event::KeyEvent;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use std::path::{Path, PathBuf};
use thematic::model::{CodeId, CoderId};
use thematic::suggest::autocode::{self, Source, Unit};
use thematic::tui::app::App;
use thematic::tui::keymap::{Key, Keymap};
use thematic::tui::theme::Theme;
use thematic::tui::views;
use thematic::workspace::Workspace;

const CODE: &str = "Trust built through joint casework";

fn sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-project"),
        dir.path(),
    );
    dir
}

fn open(dir: &Path) -> App {
    let coder = CoderId::new("alex").unwrap();
    let (ws, problems) = Workspace::open(dir, Some(&coder)).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    App::new(
        ws,
        coder,
        Keymap::defaults().unwrap(),
        Theme { colour: false },
        Rect::new(0, 0, 120, 32),
    )
}

fn press(app: &mut App, keys: &str) {
    for spec in keys.split(' ').filter(|s| !s.is_empty()) {
        let key = Key::parse(spec).unwrap_or_else(|| panic!("bad key {spec}"));
        app.handle_key(KeyEvent::new(key.code, key.modifiers));
    }
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.size.width, app.size.height)).unwrap();
    terminal.draw(|f| views::draw(app, f)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut text = String::new();
    for y in 0..buffer.area.height {
        let mut skip = 0;
        for x in 0..buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            if skip == 0 {
                text.push_str(symbol);
            }
            skip = skip
                .max(unicode_width::UnicodeWidthStr::width(symbol))
                .saturating_sub(1);
        }
        text.push('\n');
    }
    text
}

fn code_id(app: &App) -> CodeId {
    app.project().codebook.find(CODE)[0].id.clone()
}

/// Selects the code in the codebook pane and opens the panel, with the keys a user would
/// press: Tab to the codebook pane, to its top, down to the code (its place in the codebook
/// as written on disk, nothing folded), X.
fn open_panel(app: &mut App) {
    let id = code_id(app);
    let row = app
        .project()
        .codebook
        .walk()
        .iter()
        .position(|(_, code)| code.id == id)
        .unwrap();
    press(app, "Tab g");
    press(app, &"j ".repeat(row));
    press(app, "X");
}

/// Every one of alex's quotes of the code, as (transcript, start, end), from the files.
fn coded_on_disk(dir: &Path, app: &App) -> Vec<(String, usize, usize)> {
    let loaded = thematic::store::load(dir).unwrap();
    let id = code_id(app);
    let alex = CoderId::new("alex").unwrap();
    let mut found: Vec<_> = loaded
        .project
        .all_segments()
        .filter(|(c, _, s)| **c == alex && s.codes.contains(&id))
        .map(|(_, t, s)| (t.to_string(), s.start, s.end))
        .collect();
    found.sort();
    found
}

#[test]
fn the_panel_lists_suggestions_for_the_selected_code() {
    let dir = sample();
    let mut app = open(dir.path());
    open_panel(&mut app);
    assert!(
        screen(&app).contains("Suggestions for Culture > Shared values and trust"),
        "the panel opens for the code selected: {}",
        screen(&app)
    );
    insta::assert_snapshot!("suggestions_panel", screen(&app));
    press(&mut app, "X");
    assert!(!screen(&app).contains("Suggestions for"), "X closes it");
}

#[test]
fn accepting_codes_the_passage_undo_takes_it_back_and_rejecting_is_for_good() {
    let dir = sample();
    let mut app = open(dir.path());
    let before = coded_on_disk(dir.path(), &app);
    open_panel(&mut app);
    press(&mut app, "j");
    let second = selected_row(&app);
    press(&mut app, "a");
    let after = coded_on_disk(dir.path(), &app);
    assert_eq!(after.len(), before.len() + 1);
    // What is coded on disk is the passage the panel's row showed.
    let (t, start, end) = after.iter().find(|c| !before.contains(c)).unwrap();
    let (shown_t, shown_text) = second.split_once("  ").unwrap();
    assert_eq!(t, shown_t);
    let coded = app
        .project()
        .transcript(&thematic::model::TranscriptId::new(t).unwrap())
        .unwrap()
        .slice(*start, *end)
        .unwrap()
        .to_string();
    assert!(
        coded.starts_with(shown_text.trim_end_matches('…')),
        "{coded:?} is not {second:?}"
    );
    assert!(
        !panel_rows(&app).contains(&second),
        "{:?}",
        panel_rows(&app)
    );

    press(&mut app, "u");
    assert_eq!(coded_on_disk(dir.path(), &app), before);
    assert!(panel_rows(&app).contains(&second), "{:?}", panel_rows(&app));

    press(&mut app, "k k k");
    let top = selected_row(&app);
    assert_eq!(panel_rows(&app).first(), Some(&top));
    press(&mut app, "x");
    assert!(dir.path().join(".thematic/suggest/alex.yaml").is_file());
    assert!(!panel_rows(&app).contains(&top), "{:?}", panel_rows(&app));
    assert_eq!(coded_on_disk(dir.path(), &app), before);
    // Closed and opened again, in a new session too: still turned down.
    press(&mut app, "X");
    drop(app);
    let mut app = open(dir.path());
    open_panel(&mut app);
    assert!(!panel_rows(&app).contains(&top), "{:?}", panel_rows(&app));
}

#[test]
fn an_auto_coding_is_one_undo_step_on_the_coding_screen() {
    let dir = sample();
    let mut app = open(dir.path());
    let before = coded_on_disk(dir.path(), &app);
    let alex = CoderId::new("alex").unwrap();
    let plan = autocode::plan(
        app.project(),
        &alex,
        &code_id(&app),
        &Source::Search("trust".into()),
        Unit::Sentence,
        &[],
    )
    .unwrap();
    assert!(plan.passages.len() > 5, "{}", plan.passages.len());
    app.ws.apply(plan.edit.unwrap()).unwrap();
    app.refresh();
    assert!(coded_on_disk(dir.path(), &app).len() >= before.len() + plan.passages.len() - 1);
    press(&mut app, "u");
    assert_eq!(coded_on_disk(dir.path(), &app), before);
}

/// Moving in the panel shows the highlighted passage: its transcript is opened and the
/// cursor put on it, in the part of the transcript pane the panel leaves visible.
#[test]
fn moving_in_the_panel_shows_the_passage_in_the_transcript() {
    let dir = sample();
    let mut app = open(dir.path());
    open_panel(&mut app);
    let items = app.code.suggestions.as_ref().unwrap().items.clone();
    let other = items
        .iter()
        .position(|s| s.transcript != items[0].transcript)
        .expect("suggestions in two transcripts");
    for (i, s) in items.iter().enumerate().take(other + 1) {
        if i > 0 {
            press(&mut app, "j");
        }
        assert_eq!(app.code.suggestions.as_ref().unwrap().selected, i);
        assert_eq!(shown_transcript(&app), s.transcript.as_str(), "#{i}");
        assert_eq!(app.code.view.as_ref().unwrap().cursor, s.start, "#{i}");
        // The passage's first words are on screen, above the panel.
        let shown = screen(&app);
        let panel_top = shown
            .lines()
            .position(|l| l.contains("Suggestions for"))
            .unwrap();
        let words: String = s
            .text
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        let at = shown.lines().position(|l| l.contains(&words));
        assert!(
            at.is_some_and(|row| row < panel_top),
            "#{i}: {words:?} not above the panel:\n{shown}"
        );
    }
    press(&mut app, "k");
    assert_eq!(shown_transcript(&app), items[other - 1].transcript.as_str());
}

/// The rows of the Suggestions panel as drawn (inside its frame, the `▸` marker left out,
/// trimmed), between its title and the line of words it matched on.
fn panel_rows(app: &App) -> Vec<String> {
    panel_rows_marked(app)
        .into_iter()
        .map(|(_, row)| row)
        .collect()
}

/// [`panel_rows`], each with whether it is the highlighted one.
fn panel_rows_marked(app: &App) -> Vec<(bool, String)> {
    let shown = screen(app);
    let lines: Vec<Vec<char>> = shown.lines().map(|l| l.chars().collect()).collect();
    let starts =
        |l: &[char], needle: &str, x: usize| l[x..].iter().collect::<String>().starts_with(needle);
    let Some((top, left)) = lines.iter().enumerate().find_map(|(y, l)| {
        (0..l.len())
            .find(|&x| starts(l, "┌ Suggestions for", x))
            .map(|x| (y, x))
    }) else {
        return vec![];
    };
    let right = (left..lines[top].len())
        .find(|&x| lines[top][x] == '┐')
        .unwrap();
    lines[top + 1..]
        .iter()
        .map(|l| l[left + 1..right].iter().collect::<String>())
        .take_while(|row| !row.starts_with("similar in:"))
        .map(|row| {
            let marked = row.starts_with('▸');
            (marked, row.trim_start_matches('▸').trim().to_string())
        })
        .collect()
}

/// The panel's highlighted row (the one marked `▸`), as [`panel_rows`] gives it.
fn selected_row(app: &App) -> String {
    panel_rows_marked(app)
        .into_iter()
        .find_map(|(marked, row)| marked.then_some(row))
        .expect("a highlighted row")
}

/// The transcript the transcript pane shows: the id its title begins with.
fn shown_transcript(app: &App) -> String {
    let title = keys::text_pane_title(app);
    title
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// From the search list (keys from the keymap's `search-list` context): Space marks two
/// hits, `c` opens the picker, and a name no code has creates that code and codes the
/// marked hits' sentences with it, as creating a code from the text does; one undo takes
/// back both.
#[test]
fn coding_search_hits_can_create_the_code_in_one_undo_step() {
    use crossterm::event::{KeyCode, KeyModifiers};
    use thematic::tui::app::Overlay;
    let dir = sample();
    let mut app = open(dir.path());
    let typed = |app: &mut App, text: &str| {
        for c in text.chars() {
            app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    };
    let before = app.project().clone();
    press(&mut app, "/");
    typed(&mut app, "referral");
    press(&mut app, "Enter L");
    assert!(
        matches!(app.overlay, Overlay::SearchList(_)),
        "{}",
        app.status
    );
    press(&mut app, "Space j Space c");
    typed(&mut app, "Referral routes");
    press(&mut app, "Enter");
    let made = app.project().codebook.find("Referral routes");
    assert_eq!(made.len(), 1, "{}", app.status);
    let id = made[0].id.clone();
    let alex = CoderId::new("alex").unwrap();
    let coded: Vec<_> = app
        .project()
        .all_segments()
        .filter(|(c, _, s)| **c == alex && s.codes.contains(&id))
        .map(|(_, _, s)| s.text.to_lowercase())
        .collect();
    assert!(
        (1..=2).contains(&coded.len()) && coded.iter().all(|t| t.contains("referral")),
        "{coded:?} / {}",
        app.status
    );
    press(&mut app, "u");
    assert_eq!(app.project().codebook, before.codebook, "one undo step");
    assert_eq!(
        app.project().all_segments().count(),
        before.all_segments().count()
    );
}
