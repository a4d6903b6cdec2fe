//! The coding screen through `App::update` and ratatui's TestBackend: what a user would see
//! and what ends up on disk. Snapshots show the screen's text and, below it, a map of the
//! styles of each cell, so that highlights are checked and not only the symbols:
//!   c coded  C coded by overlapping segments  s selected  h search hit  # cursor
//!   d dim (interviewer)  b bold (speaker label, headings)  f coloured text  r reversed
//!   (nothing) plain

use crate::common;
use common::copy_dir;
use common::keys::{self, Tui, render};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use std::path::{Path, PathBuf};
use thematic::model::{CoderId, Edit, Sample, TranscriptId};
use thematic::tui::action::Action;
use thematic::tui::app::{App, Overlay};
use thematic::tui::keymap::{Key, Keymap};
use thematic::tui::theme::Theme;
use thematic::workspace::Workspace;

fn alex() -> CoderId {
    CoderId::new("alex").unwrap()
}

/// A private copy of sample-project.
fn sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-project"),
        dir.path(),
    );
    dir
}

fn open(dir: &Path, coder: &str, width: u16, height: u16, colour: bool) -> App {
    let coder = CoderId::new(coder).unwrap();
    let (ws, problems) = Workspace::open(dir, Some(&coder)).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let mut app = App::new(
        ws,
        coder,
        Keymap::defaults().unwrap(),
        Theme { colour },
        Rect::new(0, 0, width, height),
    );
    app.ensure_coder_listed();
    app
}

fn press(app: &mut App, keys: &str) {
    for spec in keys.split(' ').filter(|s| !s.is_empty()) {
        let key = Key::parse(spec).unwrap_or_else(|| panic!("bad key {spec}"));
        app.handle_key(KeyEvent::new(key.code, key.modifiers));
    }
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

fn style_code(cell: &ratatui::buffer::Cell) -> char {
    let m = cell.modifier;
    if m.contains(Modifier::REVERSED) && cell.bg != Color::Reset {
        return '#';
    }
    // The theme's own colours, not numbers written here: a changed colour changes the
    // snapshot's picture only if it stops telling these apart.
    let theme = Theme { colour: true };
    let bg = |style: ratatui::style::Style| style.bg.unwrap_or(Color::Reset);
    match cell.bg {
        c if c == bg(theme.selection()) => return 's',
        c if c == bg(theme.search_hit()) => return 'h',
        Color::Rgb(..) if m.contains(Modifier::UNDERLINED) => return 'C',
        c if c == bg(theme.status()) => return ' ',
        Color::Rgb(..) => return 'c',
        _ => {}
    }
    if m.contains(Modifier::REVERSED) {
        'r'
    } else if m.contains(Modifier::UNDERLINED) {
        if m.contains(Modifier::BOLD) { 'C' } else { 'c' }
    } else if m.contains(Modifier::DIM) {
        'd'
    } else if m.contains(Modifier::BOLD) {
        'b'
    } else if cell.fg != Color::Reset {
        'f'
    } else {
        ' '
    }
}

/// The screen's text, then the style map of the same cells.
fn screen(buffer: &Buffer) -> String {
    keys::text_and_styles(buffer, style_code, "--- styles ---\n")
}

fn line_of(buffer: &Buffer, y: u16) -> String {
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol().to_string())
        .collect()
}

fn screen_text(buffer: &Buffer) -> String {
    (0..buffer.area.height)
        .map(|y| line_of(buffer, y))
        .collect::<Vec<_>>()
        .join("\n")
}

fn coding_file(dir: &Path, coder: &str, t: &str) -> String {
    std::fs::read_to_string(dir.join(format!("codings/{coder}/{t}.yaml"))).unwrap_or_default()
}

/// Sam joins, and p01 is put in the double-coding sample with alex as its primary coder.
fn sam_joins_with_p01_in_the_sample(dir: &Path) {
    let (mut ws, _) = Workspace::open(dir, None).unwrap();
    let before = ws.project().meta.clone();
    let mut after = before.clone();
    if after.coder(&CoderId::new("sam").unwrap()).is_none() {
        after.coders.push(thematic::model::Coder {
            id: CoderId::new("sam").unwrap(),
            name: "Sam".into(),
        });
    }
    after.rounds = vec![Sample {
        primary: alex(),
        seconds: vec![CoderId::new("sam").unwrap()],
        transcripts: vec![TranscriptId::new("p01").unwrap()],
        fraction: None,
        seed: None,
        stratify: None,
        started: None,
        independent: None,
    }];
    ws.apply(Edit::UpdateProject {
        before: Box::new(before),
        after: Box::new(after),
    })
    .unwrap();
}

/// Selects the code named `name` in the code tree (the Codebook screen, or the Code
/// screen's codebook pane when it has the keys) as a user does: to the top, then down to its
/// row (its place in the codebook, nothing folded).
fn select_in_tree(app: &mut App, name: &str) {
    let row = app
        .project()
        .codebook
        .walk()
        .iter()
        .position(|(_, code)| code.name == name)
        .unwrap_or_else(|| panic!("{name} not in the codebook"));
    press(app, "g");
    press(app, &"j ".repeat(row));
}

fn code_id(app: &App, name: &str) -> thematic::model::CodeId {
    app.ws.project().codebook.find(name)[0].id.clone()
}

/// How many quotes the Retrieve screen lists, as its title says ("... · 12 quote(s)", cut to
/// "12 quote(…" on a narrow screen).
fn quotes_listed(app: &App) -> usize {
    let text = keys::prose_of(&render(app));
    let before = text
        .split(" quote(")
        .next()
        .filter(|b| b.len() < text.len())
        .unwrap_or_else(|| panic!("not the Retrieve screen: {text}"));
    before
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in the title: {text}"))
}

/// How many memos the Memos screen lists, as its title says ("Memos · 6 · ...").
fn memos_listed(app: &App) -> usize {
    let text = keys::prose_of(&render(app));
    let after = text
        .split("Memos · ")
        .nth(1)
        .unwrap_or_else(|| panic!("not the Memos screen: {text}"));
    after
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in the title: {text}"))
}

/// The rows of the screen that show `needle`.
fn rows_showing(buffer: &Buffer, needle: &str) -> Vec<u16> {
    (0..buffer.area.height)
        .filter(|&y| line_of(buffer, y).contains(needle))
        .collect()
}

/// The quick-code strip as the Code screen draws it in the transcript pane's bottom border
/// ("1 One front door…  3 Us-and-them language").
fn quick_strip(app: &App) -> String {
    let pane = app.areas().text;
    let buffer = render(app);
    let y = pane.y + pane.height - 1;
    (pane.x..pane.x + pane.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect::<String>()
        .trim_matches(|c: char| c == '─' || c == '└' || c == '┘' || c.is_whitespace())
        .to_string()
}

/// Searches for `words` and opens the list of hits.
fn search_list_of(app: &mut App, words: &str) {
    press(app, "/");
    type_text(app, words);
    press(app, "Enter L");
    assert!(
        matches!(app.overlay, Overlay::SearchList(_)),
        "{}",
        app.status
    );
}

/// The texts of `coder`'s segments coded with the code named `code`, as saved (read back
/// from the project folder), per transcript.
fn saved_quotes(dir: &Path, coder: &str, code: &str) -> Vec<(String, String)> {
    let coder = CoderId::new(coder).unwrap();
    let loaded = thematic::store::load(dir).unwrap();
    let project = &loaded.project;
    let id = project.codebook.find(code)[0].id.clone();
    let mut quotes = Vec::new();
    for t in project.transcripts_in_order() {
        for s in project.segments(&coder, &t.id) {
            if s.codes.contains(&id) {
                quotes.push((t.id.as_str().to_string(), s.text.clone()));
            }
        }
    }
    quotes
}

fn quote(t: &str, text: &str) -> (String, String) {
    (t.to_string(), text.to_string())
}

const P01_FORM: &str =
    "The front door bit, the single referral form, that's genuinely working, I think.";

const P06_FORM: &str = "You can't get that from a referral form.";

mod agreement_analysis;
mod blind;
mod codebook_retrieve;
mod memos;
mod screen;
mod search_and_undo;
mod selection_and_state;
