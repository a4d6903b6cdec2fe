//! The mouse on the Code screen: clicks focus a pane and put the cursor; a drag selects;
//! a double click selects a word and a triple click a paragraph; the wheel scrolls.

use crate::tui::app::App;
use crate::tui::screens::code::coding::trim_range;
use crate::tui::screens::code::text_view::motion;
use crate::tui::screens::code::{Focus, current_transcript, last_grapheme, list_offset};
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Position as Cell;

/// Longest pause between the clicks of a double or triple click.
const MULTI_CLICK: std::time::Duration = std::time::Duration::from_millis(400);

impl App {
    // ----- mouse -----

    pub(crate) fn handle_mouse(&mut self, mouse: MouseEvent) {
        let areas = self.areas();
        let at = Cell::new(mouse.column, mouse.row);
        match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) if self.pane_mouse_down(at.x, at.y) => {}
            MouseEventKind::Drag(MouseButton::Left) if self.pane_mouse_drag(at.x) => {}
            MouseEventKind::Up(MouseButton::Left) if self.pane_mouse_up() => {}
            MouseEventKind::Down(MouseButton::Left) => {
                if areas.list.contains(at) {
                    self.code.focus = Focus::List;
                    let row = (mouse.row.saturating_sub(areas.list.y + 1)) as usize
                        + list_offset(self.code.list_selected, areas.list);
                    if row < self.code.order.len() {
                        self.code.list_selected = row;
                        self.open_transcript(row);
                    }
                } else if areas.tree.contains(at) {
                    self.code.focus = Focus::Codebook;
                    let row = (mouse.row.saturating_sub(areas.tree.y + 1)) as usize
                        + list_offset(self.tree_selected, areas.tree);
                    if row < self.tree.len() {
                        self.tree_selected = row;
                    }
                } else if let Some(offset) = self.offset_at_screen(at) {
                    self.code.focus = Focus::Text;
                    let clicks = self.count_click(at);
                    if let Some(view) = self.code.view.as_mut() {
                        view.cursor = offset;
                        view.anchor = None;
                        view.adjusting = None;
                        view.goal_column = None;
                        view.snap = false;
                    }
                    self.code.click_selected = false;
                    self.code.drag_from = Some(offset);
                    match clicks {
                        2 => self.select_clicked(offset, false),
                        3 => self.select_clicked(offset, true),
                        _ => {}
                    }
                }
            }
            MouseEventKind::Drag(MouseButton::Left) => {
                if let (Some(from), Some(offset)) = (self.code.drag_from, self.offset_at_screen(at))
                    && let Some(view) = self.code.view.as_mut()
                    && !(self.code.click_selected && offset == view.cursor)
                {
                    self.code.click_selected = false;
                    view.anchor = Some(from);
                    view.cursor = offset;
                }
            }
            MouseEventKind::Up(MouseButton::Left) => {
                self.code.drag_from = None;
                if let Some(view) = self.code.view.as_mut()
                    && view.anchor == Some(view.cursor)
                    && !self.code.click_selected
                {
                    view.anchor = None;
                }
                if self.code.view.as_ref().is_some_and(|v| v.anchor.is_some())
                    && !self.code.click_selected
                {
                    self.status = format!("Selected: {}", self.after_selecting());
                }
            }
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp if areas.text.contains(at) => {
                let down = mouse.kind == MouseEventKind::ScrollDown;
                let height = areas.text_height();
                if let Some(view) = self.code.view.as_mut() {
                    let last = view.wrapped.rows.len().saturating_sub(height);
                    view.scroll = if down {
                        (view.scroll + 3).min(last)
                    } else {
                        view.scroll.saturating_sub(3)
                    };
                    let row = view
                        .cursor_row()
                        .clamp(view.scroll, view.scroll + height.saturating_sub(1));
                    if row != view.cursor_row() {
                        let start = view.wrapped.rows[row.min(view.wrapped.rows.len() - 1)].start;
                        view.cursor = start;
                    }
                }
            }
            _ => {}
        }
    }

    /// Counts this left click as the first, second or third of a quick run on one cell.
    pub(crate) fn count_click(&mut self, at: Cell) -> u8 {
        let now = std::time::Instant::now();
        let count = match self.code.last_click {
            Some((when, cell, n)) if cell == at && now.duration_since(when) <= MULTI_CLICK => {
                n % 3 + 1
            }
            _ => 1,
        };
        self.code.last_click = Some((now, at, count));
        count
    }

    /// A double click selects the word at `offset`, a triple click its paragraph (a speaker
    /// turn's speech, without the label).
    pub(crate) fn select_clicked(&mut self, offset: usize, paragraph: bool) {
        let Some(t) = current_transcript(&self.code.order, self.code.current, &self.ws) else {
            return;
        };
        let Some(view) = self.code.view.as_ref() else {
            return;
        };
        let range = if paragraph {
            let (mut start, end) = motion::paragraph(t, offset);
            if let Some(turn) = motion::turn_at(&view.turns, offset)
                && (start..end).contains(&turn.speech_start)
                && turn.speech_start <= offset
            {
                start = start.max(turn.speech_start);
            }
            trim_range(t, start, end)
        } else {
            motion::word_around(t, offset)
        };
        let Some((start, end)) = range else {
            return;
        };
        let what = if paragraph { "paragraph" } else { "word" };
        self.select((start, end), what);
        if let Some(view) = self.code.view.as_mut() {
            view.snap = false;
        }
        self.code.click_selected = true;
    }

    /// The char offset shown at a screen cell of the text pane.
    pub(crate) fn offset_at_screen(&self, at: Cell) -> Option<usize> {
        let areas = self.areas();
        let inner = areas.text_inner();
        if !inner.contains(at) {
            return None;
        }
        let (t, view) = (self.transcript()?, self.code.view.as_ref()?);
        let row = view.scroll + (at.y - inner.y) as usize;
        let row = row.min(view.wrapped.rows.len().saturating_sub(1));
        Some(
            view.offset_at(t, row, (at.x - inner.x) as usize)
                .min(last_grapheme(t)),
        )
    }
}
