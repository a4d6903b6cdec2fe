//! The quick-code strip: the codes pinned to the keys 1-9, drawn in the bottom border of
//! the transcript pane ("1 Trust  2 Access  …"), so it takes no row from the text.

use crate::text::sanitize_for_terminal;
use crate::tui::app::App;
use crate::tui::screens::code::draw::fit;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

/// Draws the strip over the bottom border of `pane` (the transcript pane).
pub fn draw(app: &App, frame: &mut Frame, pane: Rect) {
    if pane.height < 2 || pane.width < 6 {
        return;
    }
    let room = (pane.width - 4) as usize;
    let strip = app.quick_strip();
    let mut spans = vec![Span::raw(" ")];
    let mut used = 2;
    if strip.is_empty() {
        let hint = fit(&app.quick_strip_hint(), room.saturating_sub(2));
        used += hint.width();
        spans.push(Span::styled(hint, app.theme.dim()));
    }
    for (key, name, colour) in strip {
        let name = sanitize_for_terminal(&name).into_owned();
        let (swatch_style, _) = app.theme.swatch(colour);
        let key = format!("{key} ");
        let left = room.saturating_sub(used + key.width() + 2);
        if left < 2 {
            spans.push(Span::raw("…"));
            used += 1;
            break;
        }
        let name = fit(&name, left.min(20));
        used += key.width() + name.width() + 2;
        spans.push(Span::styled(key, app.theme.mode()));
        spans.push(Span::styled(name, swatch_style));
        spans.push(Span::raw("  "));
    }
    spans.push(Span::raw(" "));
    let width = (used as u16 + 1).min(pane.width - 4);
    let area = Rect::new(pane.x + 2, pane.y + pane.height - 1, width, 1);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
