//! The one-line text input used by every single-line prompt (rename, new code, filters,
//! search, the picker's query, short comments): the keys of any shell or editor line, built on
//! the text area the memo editor already uses, kept to one line.
//!
//! Keys: Left/Right (Ctrl-b/Ctrl-f), Ctrl-Left/Ctrl-Right (Alt-b/Alt-f) by words, Home/End
//! (Ctrl-a/Ctrl-e), Backspace (Ctrl-h), Delete (Ctrl-d), Ctrl-u (delete to the start),
//! Ctrl-k (delete to the end), Ctrl-w and Alt-Backspace (delete the word before), Alt-d
//! (delete the word after), Ctrl-z/Ctrl-y (undo/redo). Enter, Esc and Tab are the prompt's
//! own business, so they are not handled here. Pasted text has its line breaks turned into
//! spaces and other control characters dropped. A line longer than its field scrolls
//! sideways to keep the cursor in view (the text area does that when drawn).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::Widget;
use ratatui_textarea::{CursorMove, TextArea};

/// A single line of editable text with a cursor.
#[derive(Debug, Clone)]
pub struct LineInput {
    area: TextArea<'static>,
}

impl Default for LineInput {
    fn default() -> Self {
        LineInput::new("")
    }
}

impl LineInput {
    /// An input holding `text` (line breaks become spaces), the cursor at its end.
    pub fn new(text: &str) -> LineInput {
        let mut area = TextArea::new(vec![one_line(text)]);
        area.set_cursor_line_style(Style::default());
        area.set_cursor_style(Style::default().add_modifier(Modifier::REVERSED));
        area.move_cursor(CursorMove::End);
        LineInput { area }
    }

    /// The text typed so far.
    pub fn text(&self) -> &str {
        self.area.lines().first().map_or("", String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.text().is_empty()
    }

    /// The cursor's position, in chars from the start.
    pub fn cursor(&self) -> usize {
        self.area.cursor().1
    }

    /// Handles an editing key; true if the text changed. Keys that are not editing keys
    /// (Enter, Esc, Tab, Up, Down, function keys) are left alone and return false.
    pub fn key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let area = &mut self.area;
        match key.code {
            KeyCode::Char(c) if !ctrl && !alt => {
                area.insert_char(c);
                true
            }
            KeyCode::Char('a') if ctrl => moved(area, CursorMove::Head),
            KeyCode::Char('e') if ctrl => moved(area, CursorMove::End),
            KeyCode::Char('b') if ctrl => moved(area, CursorMove::Back),
            KeyCode::Char('f') if ctrl => moved(area, CursorMove::Forward),
            KeyCode::Char('b') if alt => moved(area, CursorMove::WordBack),
            KeyCode::Char('f') if alt => moved(area, CursorMove::WordForward),
            KeyCode::Char('h') if ctrl => area.delete_char(),
            KeyCode::Char('d') if ctrl => area.delete_next_char(),
            KeyCode::Char('u') if ctrl => area.delete_line_by_head(),
            KeyCode::Char('k') if ctrl => area.delete_line_by_end(),
            KeyCode::Char('w') if ctrl => area.delete_word(),
            KeyCode::Char('d') if alt => area.delete_next_word(),
            KeyCode::Char('z') if ctrl => area.undo(),
            KeyCode::Char('y') if ctrl => area.redo(),
            KeyCode::Backspace if alt || ctrl => area.delete_word(),
            KeyCode::Backspace => area.delete_char(),
            KeyCode::Delete => area.delete_next_char(),
            KeyCode::Left if ctrl || alt => moved(area, CursorMove::WordBack),
            KeyCode::Right if ctrl || alt => moved(area, CursorMove::WordForward),
            KeyCode::Left => moved(area, CursorMove::Back),
            KeyCode::Right => moved(area, CursorMove::Forward),
            KeyCode::Home => moved(area, CursorMove::Head),
            KeyCode::End => moved(area, CursorMove::End),
            _ => false,
        }
    }

    /// Inserts pasted text at the cursor, on one line; true if anything was inserted.
    pub fn paste(&mut self, text: &str) -> bool {
        let text = one_line(text);
        !text.is_empty() && self.area.insert_str(text)
    }
}

/// Moves the cursor; never a change of the text.
fn moved(area: &mut TextArea<'static>, to: CursorMove) -> bool {
    area.move_cursor(to);
    false
}

/// `text` on one line: line breaks and tabs become spaces, other control characters go.
fn one_line(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

impl Widget for &LineInput {
    fn render(self, area: Rect, buf: &mut Buffer) {
        self.area.render(area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn press(input: &mut LineInput, code: KeyCode, modifiers: KeyModifiers) {
        input.key(KeyEvent::new(code, modifiers));
    }

    fn typed(input: &mut LineInput, text: &str) {
        for c in text.chars() {
            press(input, KeyCode::Char(c), KeyModifiers::NONE);
        }
    }

    const NONE: KeyModifiers = KeyModifiers::NONE;
    const CTRL: KeyModifiers = KeyModifiers::CONTROL;

    #[test]
    fn moves_inserts_and_deletes_like_a_shell_line() {
        let mut input = LineInput::new("");
        typed(&mut input, "trust in staff");
        press(&mut input, KeyCode::Home, NONE);
        typed(&mut input, "Early ");
        assert_eq!(input.text(), "Early trust in staff");
        press(&mut input, KeyCode::Char('e'), CTRL);
        press(&mut input, KeyCode::Char('w'), CTRL);
        assert_eq!(input.text(), "Early trust in ");
        press(&mut input, KeyCode::Left, NONE);
        press(&mut input, KeyCode::Char('u'), CTRL);
        assert_eq!(input.text(), " ");
        press(&mut input, KeyCode::Char('z'), CTRL);
        assert_eq!(input.text(), "Early trust in ");
        press(&mut input, KeyCode::Char('a'), CTRL);
        press(&mut input, KeyCode::Delete, NONE);
        press(&mut input, KeyCode::Right, CTRL);
        press(&mut input, KeyCode::Char('k'), CTRL);
        assert_eq!(input.text(), "arly ");
        press(&mut input, KeyCode::Backspace, NONE);
        assert_eq!(input.text(), "arly");
        assert!(!input.key(KeyEvent::new(KeyCode::Enter, NONE)));
        assert_eq!(
            input.text(),
            "arly",
            "Enter is the prompt's, not the line's"
        );
    }

    #[test]
    fn paste_stays_on_one_line() {
        let mut input = LineInput::new("a");
        assert!(input.paste("b\nc\x1b[2J\td"));
        assert_eq!(input.text(), "ab c[2J d");
        assert!(!input.paste("\x07"));
    }

    #[test]
    fn a_long_line_scrolls_to_keep_the_cursor_in_view() {
        let mut input = LineInput::new("");
        typed(&mut input, "abcdefghijklmnopqrstuvwxyz");
        let mut terminal = Terminal::new(TestBackend::new(10, 1)).unwrap();
        let shown = |terminal: &mut Terminal<TestBackend>, input: &LineInput| {
            terminal.draw(|f| f.render_widget(input, f.area())).unwrap();
            let buffer = terminal.backend().buffer().clone();
            (0..10)
                .map(|x| buffer[(x, 0)].symbol().to_string())
                .collect::<String>()
        };
        let end = shown(&mut terminal, &input);
        assert!(end.contains("xyz"), "the end is in view: {end:?}");
        press(&mut input, KeyCode::Home, NONE);
        let start = shown(&mut terminal, &input);
        assert!(start.starts_with("abc"), "the start is in view: {start:?}");
    }
}
