//! The Retrieve view: every quote of a code, formatted as in a paper, with its source.

use super::code::fit;
use crate::analysis::codebook::Coders;
use crate::analysis::retrieve::QuoteOrder;
use crate::text::sanitize_for_terminal;
use crate::tui::app::App;
use crate::tui::layout::inset;
use crate::tui::wrap::Wrapped;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// Rows each quote takes in the list: two of text, one of source, one blank.
pub const QUOTE_ROWS: usize = 4;

pub fn draw(app: &App, frame: &mut Frame) {
    let size = frame.area();
    let theme = &app.theme;
    let Some(r) = app.retrieve.as_ref() else {
        return;
    };
    let project = app.project();
    let main_h = size.height.saturating_sub(2);
    let detail_h = (main_h / 3).clamp(3, 9);
    let list_area = Rect::new(size.x, size.y, size.width, main_h - detail_h);
    let detail_area = Rect::new(size.x, size.y + list_area.height, size.width, detail_h);
    let coders = match &r.filter.coders {
        Coders::All => "all coders".to_string(),
        Coders::Only(list) => list
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    };
    let mut filters = vec![coders];
    filters.extend(
        r.filter
            .attributes
            .iter()
            .map(|(k, v)| format!("{k} = {v}")),
    );
    if let Some(ts) = &r.filter.transcripts {
        let names: Vec<&str> = ts.iter().map(|t| t.as_str()).collect();
        filters.push(format!("in {}", names.join(", ")));
    }
    if let Some(text) = &r.filter.text {
        filters.push(format!("containing {text:?}"));
    }
    let order = match r.order {
        QuoteOrder::Transcript => "interview order",
        QuoteOrder::Length => "longest first",
    };
    let scope = if r.with_children {
        "with the codes below"
    } else {
        "this code only"
    };
    let marked = if r.marked.is_empty() {
        String::new()
    } else {
        format!(" · {} marked", r.marked.len())
    };
    let title = format!(
        " {} · {scope} · {} quote(s){marked} ",
        project.codebook.path(&r.code),
        r.quotes.len()
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(fit(&title, size.width.saturating_sub(4) as usize))
        .title_bottom(Line::styled(
            fit(
                &format!(" {} · {order} ", filters.join(" · ")),
                size.width.saturating_sub(4) as usize,
            ),
            theme.dim(),
        ));
    let inner = inset(list_area);
    let width = inner.width.saturating_sub(4) as usize;
    let per_page = (inner.height as usize / QUOTE_ROWS).max(1);
    let offset = (r.selected + 1).saturating_sub(per_page);
    let mut lines = Vec::new();
    for (i, q) in r.quotes.iter().enumerate().skip(offset).take(per_page) {
        let selected = i == r.selected;
        let base = if selected {
            theme.highlight(true)
        } else {
            Style::default()
        };
        let mark = if r.is_marked(q) { "● " } else { "  " };
        let cite = sanitize_for_terminal(&q.cite()).into_owned();
        let wrapped = Wrapped::new(&cite, width.max(1));
        for (row_n, row) in wrapped.rows.iter().take(2).enumerate() {
            let mut text = cite[row.byte_start..row.byte_end].to_string();
            if row_n == 1 && wrapped.rows.len() > 2 {
                text = fit(&format!("{text} …"), width);
            }
            let lead = if row_n == 0 { mark } else { "  " };
            lines.push(Line::from(vec![
                Span::styled(lead, base),
                Span::styled(text, base),
            ]));
        }
        if wrapped.rows.len() < 2 {
            lines.push(Line::raw(""));
        }
        let attrs: Vec<&str> = project
            .meta
            .attributes
            .iter()
            .filter_map(|a| q.attributes.get(&a.name))
            .map(String::as_str)
            .collect();
        let codes: Vec<String> = q.codes.iter().map(|c| app.code_name(c)).collect();
        let source = format!(
            "    {} · {} · {} · {}",
            q.transcript,
            q.coder,
            attrs.join(", "),
            codes.join(", ")
        );
        lines.push(Line::styled(
            fit(&source, inner.width as usize),
            theme.dim(),
        ));
        lines.push(Line::raw(""));
    }
    if r.quotes.is_empty() {
        lines.push(Line::styled(
            "No quotes match. c coder · a attribute · / text · w codes below",
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines).block(block), list_area);
    // The selected quote in full.
    let detail_block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(false))
        .title(" Quote ");
    let full: Vec<Line> = r
        .current()
        .map(|q| {
            let text = sanitize_for_terminal(&q.cite()).into_owned();
            let w = inset(detail_area).width.max(1) as usize;
            let wrapped = Wrapped::new(&text, w);
            wrapped
                .rows
                .iter()
                .map(|row| Line::raw(text[row.byte_start..row.byte_end].to_string()))
                .collect()
        })
        .unwrap_or_default();
    frame.render_widget(Paragraph::new(full).block(detail_block), detail_area);
    let hint = crate::tui::hints::render(
        &app.keymap,
        crate::tui::keymap::Context::Retrieve,
        crate::tui::hints::RETRIEVE,
    );
    super::code::draw_footer(app, frame, &hint);
}
