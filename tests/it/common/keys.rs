//! Driving the TUI in a test as its user does, and reading back what they would see.
//!
//! `Tui::open(dir, "alex", 100, 30)` opens a project as a coder on a screen of that size;
//! `press("v w w c")` sends keys by the names the keymap uses (`Enter`, `Esc`, `Ctrl-z`,
//! `S-Right`, `Space`...), `type_text` types a string, `act` carries out an action, `click`
//! sends a mouse event. What is on screen is read from a TestBackend drawing: `text()` (rows
//! with their borders), `prose()` (the rows without frames, joined so a sentence wrapped over
//! two rows reads whole), `status()` (the bottom rows), `row_of` and `style_of` (the drawn
//! cells of a piece of text). Colours are compared with the theme's, never written out.
//!
//! A module of the test harness's `common` (`use crate::common::keys::Tui`).

#![allow(dead_code)]

use crossterm::event::{Event, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use std::path::Path;
use thematic::model::CoderId;
use thematic::tui::action::Action;
use thematic::tui::app::App;
use thematic::tui::keymap::{Key, Keymap};
use thematic::tui::theme::Theme;
use thematic::workspace::Workspace;

/// An open TUI session on a TestBackend of a fixed size.
pub struct Tui {
    pub app: App,
}

impl Tui {
    /// Opens `dir` as `coder` (listed as a coder if new), in colour, at `width` x `height`.
    pub fn open(dir: &Path, coder: &str, width: u16, height: u16) -> Tui {
        Tui::open_with(dir, coder, width, height, Theme { colour: true })
    }

    /// As [`Tui::open`], with the theme given (`Theme { colour: false }` is NO_COLOR).
    pub fn open_with(dir: &Path, coder: &str, width: u16, height: u16, theme: Theme) -> Tui {
        let coder = CoderId::new(coder).expect("a valid coder id");
        let (ws, problems) = Workspace::open(dir, Some(&coder)).expect("the project opens");
        assert!(problems.is_empty(), "{problems:?}");
        let mut app = App::new(
            ws,
            coder,
            Keymap::defaults().expect("the default keymap"),
            theme,
            Rect::new(0, 0, width, height),
        );
        app.ensure_coder_listed();
        Tui { app }
    }

    /// Sends keys named as in the keymap, separated by spaces: `"v w w c"`, `"Ctrl-z"`.
    pub fn press(&mut self, keys: &str) -> &mut Tui {
        press(&mut self.app, keys);
        self
    }

    /// Types `text` one character at a time (into a prompt, the picker, an editor).
    pub fn type_text(&mut self, text: &str) -> &mut Tui {
        for c in text.chars() {
            let key = KeyEvent::new(crossterm::event::KeyCode::Char(c), KeyModifiers::NONE);
            self.app.handle_event(Event::Key(key));
        }
        self
    }

    /// Carries out an action as its key would.
    pub fn act(&mut self, action: Action) -> &mut Tui {
        self.app.update(action);
        self
    }

    /// A left click (down and up) on a screen cell.
    pub fn click(&mut self, column: u16, row: u16) -> &mut Tui {
        self.mouse(MouseEventKind::Down(MouseButton::Left), column, row);
        self.mouse(MouseEventKind::Up(MouseButton::Left), column, row)
    }

    /// One mouse event at a screen cell.
    pub fn mouse(&mut self, kind: MouseEventKind, column: u16, row: u16) -> &mut Tui {
        self.app.handle_event(Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }));
        self
    }

    /// The terminal is resized to `width` x `height`.
    pub fn resize(&mut self, width: u16, height: u16) -> &mut Tui {
        self.app.handle_event(Event::Resize(width, height));
        self
    }

    /// The screen as drawn now.
    pub fn draw(&self) -> Buffer {
        render(&self.app)
    }

    /// The screen's rows, frames included, one line each.
    pub fn text(&self) -> String {
        text_of(&self.draw())
    }

    /// The screen's words: each row without box-drawing frames, trimmed, rows joined with a
    /// space, so a sentence the screen wraps over rows is found whole.
    pub fn prose(&self) -> String {
        prose_of(&self.draw())
    }

    /// Whether `needle` is on screen, whole (see [`Tui::prose`]).
    pub fn shows(&self, needle: &str) -> bool {
        self.prose().contains(needle)
    }

    /// The bottom two rows (the status line and the key hints), trimmed.
    pub fn status(&self) -> String {
        let buffer = self.draw();
        let h = buffer.area.height;
        (h.saturating_sub(2)..h)
            .map(|y| row_text(&buffer, y).trim().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The first row showing `needle`, and the column it starts at.
    pub fn row_of(&self, needle: &str) -> Option<(u16, u16)> {
        find(&self.draw(), needle)
    }

    /// The screen cell (row, column) of the text cursor (see [`cursor_of`]).
    pub fn cursor(&self) -> Option<(u16, u16)> {
        cursor_of(&self.app)
    }

    /// Whether the text at the cursor begins with `needle` (see [`cursor_on`]).
    pub fn cursor_on(&self, needle: &str) -> bool {
        cursor_on(&self.app, needle)
    }

    /// Whether any cell of the transcript pane is drawn in the theme's selection colour.
    pub fn selection_shown(&self) -> bool {
        let buffer = self.draw();
        let pane = self.app.areas().text_inner();
        let selected = self.app.theme.selection().bg;
        selected.is_some()
            && (pane.y..pane.bottom())
                .any(|y| (pane.x..pane.right()).any(|x| Some(buffer[(x, y)].bg) == selected))
    }

    /// The style drawn on the first cell of the first `needle` on screen.
    pub fn style_of(&self, needle: &str) -> Option<Style> {
        let buffer = self.draw();
        let (y, x) = find(&buffer, needle)?;
        Some(buffer[(x, y)].style())
    }
}

/// The screen cell (row, column) of the text cursor: the transcript pane's one cell drawn
/// reversed (in colour, where a selection is a background colour, not reversed).
pub fn cursor_of(app: &App) -> Option<(u16, u16)> {
    let buffer = render(app);
    let pane = app.areas().text_inner();
    (pane.y..pane.bottom()).find_map(|y| {
        (pane.x..pane.right())
            .find(|&x| buffer[(x, y)].modifier.contains(Modifier::REVERSED))
            .map(|x| (y, x))
    })
}

/// Whether the text at the cursor, read on from it (over the rows below, as wrapped, the
/// gutter's stripes left out), begins with `needle`; whitespace is compared as one space.
pub fn cursor_on(app: &App, needle: &str) -> bool {
    let Some((y, x)) = cursor_of(app) else {
        return false;
    };
    let buffer = render(app);
    let pane = app.areas().text_inner();
    let row = |y: u16, from: u16| -> String {
        (from..pane.right())
            .map(|x| buffer[(x, y)].symbol())
            .collect::<String>()
            .trim_start_matches(|c: char| c == '▌' || c == '│' || c.is_whitespace())
            .to_string()
    };
    let mut rest = vec![row(y, x)];
    rest.extend((y + 1..pane.bottom()).map(|y| row(y, pane.x)));
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    words(&rest.join(" ")).starts_with(&words(needle))
}

/// Sends keys named as in the keymap, separated by spaces.
pub fn press(app: &mut App, keys: &str) {
    for spec in keys.split(' ').filter(|s| !s.is_empty()) {
        let key = Key::parse(spec).unwrap_or_else(|| panic!("bad key {spec}"));
        app.handle_event(Event::Key(KeyEvent::new(key.code, key.modifiers)));
    }
}

/// `app` drawn on a TestBackend of its size.
pub fn render(app: &App) -> Buffer {
    let size = app.size;
    let mut terminal =
        Terminal::new(TestBackend::new(size.width, size.height)).expect("a test terminal");
    terminal
        .draw(|f| thematic::tui::views::draw(app, f))
        .expect("drawing");
    terminal.backend().buffer().clone()
}

/// The screen's text, then `separator`, then a map of the same cells drawn by `style` (one
/// character a cell, each row closed by `|`): the form the TUI snapshots take, so that
/// highlights are checked and not only the symbols. A wide character's second cell adds no
/// text but keeps its place in the map.
pub fn text_and_styles(
    buffer: &Buffer,
    style: impl Fn(&ratatui::buffer::Cell) -> char,
    separator: &str,
) -> String {
    let area = buffer.area;
    let mut text = String::new();
    let mut styles = String::new();
    for y in 0..area.height {
        let mut skip = 0;
        for x in 0..area.width {
            let cell = &buffer[(x, y)];
            if skip == 0 {
                text.push_str(cell.symbol());
            }
            skip =
                (skip.max(unicode_width::UnicodeWidthStr::width(cell.symbol()))).saturating_sub(1);
            styles.push(style(cell));
        }
        text.push('\n');
        styles.push_str("|\n");
    }
    format!("{text}{separator}{styles}")
}

/// Row `y` as text: each cell's symbol (a wide character's second cell adds nothing).
pub fn row_text(buffer: &Buffer, y: u16) -> String {
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect()
}

/// Every row, one line each.
pub fn text_of(buffer: &Buffer) -> String {
    (0..buffer.area.height)
        .map(|y| row_text(buffer, y))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The rows without frames, trimmed and joined with spaces.
pub fn prose_of(buffer: &Buffer) -> String {
    let frame = |c: char| ('\u{2500}'..='\u{257f}').contains(&c);
    (0..buffer.area.height)
        .map(|y| {
            let row: String = row_text(buffer, y)
                .chars()
                .map(|c| if frame(c) { ' ' } else { c })
                .collect();
            row.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .filter(|row| !row.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where `needle` first starts on screen: (row, column).
fn find(buffer: &Buffer, needle: &str) -> Option<(u16, u16)> {
    (0..buffer.area.height).find_map(|y| {
        let cells: Vec<&str> = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect();
        (0..cells.len()).find_map(|x| {
            let rest: String = cells[x..].concat();
            rest.starts_with(needle).then_some((y, x as u16))
        })
    })
}

/// Which coding-screen pane is drawn focused: `"list"`, `"codebook"` or `"text"`, read from
/// the colour (or, without colour, the weight) of each pane's top-left corner.
pub fn focused_pane(app: &App) -> Option<&'static str> {
    let buffer = render(app);
    let areas = app.areas();
    let focused = app.theme.border(true);
    [
        ("list", areas.list),
        ("codebook", areas.tree),
        ("text", areas.text),
    ]
    .into_iter()
    .find(|(_, r)| {
        r.width > 0
            && r.height > 0
            && buffer.area.contains((r.x, r.y).into())
            && is_focused(&buffer[(r.x, r.y)], focused)
    })
    .map(|(name, _)| name)
}

fn is_focused(cell: &ratatui::buffer::Cell, focused: Style) -> bool {
    focused.fg.is_none_or(|c| cell.fg == c)
        && cell.modifier.contains(focused.add_modifier)
        && !cell.modifier.contains(Modifier::DIM)
}

/// The transcript pane's title as drawn on its top border (frames left out, trimmed).
pub fn text_pane_title(app: &App) -> String {
    let buffer = render(app);
    let r = app.areas().text;
    (r.x..r.right())
        .map(|x| buffer[(x, r.y)].symbol())
        .collect::<String>()
        .trim_matches(|c: char| ('\u{2500}'..='\u{257f}').contains(&c) || c.is_whitespace())
        .to_string()
}

/// The transcript pane's cells drawn in the theme's selection colour, (row, column), in
/// reading order.
pub fn selected_cells(app: &App) -> Vec<(u16, u16)> {
    let buffer = render(app);
    let pane = app.areas().text_inner();
    let Some(selected) = app.theme.selection().bg else {
        return vec![];
    };
    (pane.y..pane.bottom())
        .flat_map(|y| (pane.x..pane.right()).map(move |x| (y, x)))
        .filter(|&(y, x)| buffer[(x, y)].bg == selected)
        .collect()
}

/// The text drawn in the selection colour in the transcript pane, rows joined by a space.
pub fn selected_text(app: &App) -> String {
    let buffer = render(app);
    let mut rows: Vec<String> = Vec::new();
    let mut last_row = None;
    for (y, x) in selected_cells(app) {
        if last_row != Some(y) {
            rows.push(String::new());
            last_row = Some(y);
        }
        rows.last_mut().unwrap().push_str(buffer[(x, y)].symbol());
    }
    rows.iter().map(|r| r.trim()).collect::<Vec<_>>().join(" ")
}

/// How many rows of the whole transcript (drawn on a screen tall enough to show it all, then
/// put back to its size) carry a coding stripe in the gutter (colour: `▌`).
pub fn coded_rows(app: &mut App) -> usize {
    let size = app.size;
    app.handle_event(Event::Resize(size.width, 3000));
    let buffer = render(app);
    let text = app.areas().text;
    let inner = app.areas().text_inner();
    let rows = (inner.y..inner.bottom())
        .filter(|&y| (text.x + 1..inner.x).any(|x| buffer[(x, y)].symbol() == "▌"))
        .count();
    app.handle_event(Event::Resize(size.width, size.height));
    rows
}
