//! The Memos view: the list of memos (and decisions), and the selected one in full with its
//! links and review thread.

use crate::analysis::memos::{MemoOrder, link_label, reviewed_by, thread};
use crate::text::sanitize_for_terminal;
use crate::tui::app::App;
use crate::tui::layout::inset;
use crate::tui::screens::code::draw::fit;
use crate::tui::screens::memos::MemoRow;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn draw(app: &App, frame: &mut Frame) {
    let size = frame.area();
    let Some(state) = app.screens.memos.as_ref() else {
        return;
    };
    let theme = &app.theme;
    let project = app.project();
    let main_h = size.height.saturating_sub(2);
    let list_w = (size.width * 2 / 5).max(30.min(size.width));
    let list_area = Rect::new(size.x, size.y, list_w, main_h);
    let read_area = Rect::new(size.x + list_w, size.y, size.width - list_w, main_h);
    let mut filters = Vec::new();
    if let Some(a) = &state.filter.author {
        filters.push(format!("by {a}"));
    }
    if let Some(k) = state.filter.kind {
        filters.push(k.label().to_string());
    }
    match state.filter.reviewed {
        Some(true) => filters.push("reviewed".into()),
        Some(false) => filters.push("not yet reviewed".into()),
        None => {}
    }
    if let Some(t) = &state.filter.text {
        filters.push(format!("containing {t:?}"));
    }
    if state.filter.since.is_some() || state.filter.until.is_some() {
        let d = |x: Option<jiff::civil::Date>| x.map(|d| d.to_string()).unwrap_or_default();
        filters.push(format!(
            "{}..{}",
            d(state.filter.since),
            d(state.filter.until)
        ));
    }
    if state.show_audit {
        filters.push("with codebook decisions".into());
    }
    let order = match state.order {
        MemoOrder::Newest => "newest first",
        MemoOrder::ByLink => "by subject",
    };
    let title = format!(
        " Memos · {} · {} not yet reviewed ",
        state.rows.len(),
        app.unreviewed_count()
    );
    let bottom = format!(
        " {} · {order} ",
        if filters.is_empty() {
            "all".to_string()
        } else {
            filters.join(" · ")
        }
    );
    let inner = inset(list_area);
    let offset = (state.selected + 1).saturating_sub(inner.height as usize);
    let mut lines = Vec::new();
    for (i, row) in state
        .rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(inner.height as usize)
    {
        let base = if i == state.selected {
            theme.highlight(true)
        } else {
            Style::default()
        };
        let text = match row {
            MemoRow::Memo(id) => match project.memo(id) {
                Some(m) => {
                    let mark = if project.is_reviewed(id) {
                        "✓"
                    } else {
                        "•"
                    };
                    let new = app
                        .unread
                        .get(id)
                        .map(|n| format!("✉ {n} new · "))
                        .unwrap_or_default();
                    format!(
                        "{mark} {} {:<10} {} · {new}{}",
                        m.updated.strftime("%Y-%m-%d"),
                        m.kind().label(),
                        m.author,
                        m.title
                    )
                }
                None => continue,
            },
            MemoRow::Decision(coder, n) => match project.audit.get(coder).and_then(|e| e.get(*n)) {
                Some(e) => format!(
                    "⚙ {} decision   {coder} · {}",
                    e.at.strftime("%Y-%m-%d"),
                    e.decision
                ),
                None => continue,
            },
        };
        let style = if matches!(row, MemoRow::Decision(..)) {
            theme.dim().patch(base)
        } else {
            base
        };
        lines.push(Line::styled(fit(&text, inner.width as usize), style));
    }
    if state.rows.is_empty() {
        lines.push(Line::styled(
            "No memos match. E writes one, W a journal entry.",
            theme.dim(),
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(fit(&title, list_w.saturating_sub(2) as usize))
        .title_bottom(Line::styled(
            fit(&bottom, list_w.saturating_sub(2) as usize),
            theme.dim(),
        ));
    frame.render_widget(Paragraph::new(lines).block(block), list_area);
    draw_reading(app, frame, read_area);
    let hint = crate::tui::hints::render(
        &app.keymap,
        crate::tui::keymap::Context::Memos,
        crate::tui::hints::MEMOS,
    );
    crate::tui::screens::code::draw::draw_footer(app, frame, &hint);
}

fn draw_reading(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let project = app.project();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(false));
    let Some(state) = app.screens.memos.as_ref() else {
        return;
    };
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let safe = |s: &str| sanitize_for_terminal(s).into_owned();
    let mut lines: Vec<Line> = Vec::new();
    match state.rows.get(state.selected) {
        Some(MemoRow::Memo(id)) => {
            let Some(m) = project.memo(id) else { return };
            lines.push(Line::styled(safe(&m.title), bold));
            lines.push(Line::styled(
                format!(
                    "{} · {} · written {} · changed {}",
                    m.author,
                    m.kind().label(),
                    m.created.strftime("%Y-%m-%d %H:%M"),
                    m.updated.strftime("%Y-%m-%d %H:%M")
                ),
                theme.dim(),
            ));
            for link in &m.links {
                lines.push(Line::styled(
                    format!("About the {}", safe(&link_label(project, link))),
                    theme.dim(),
                ));
                // The label quotes the passage; say how the segment is coded.
                if let Some((_, codes)) = crate::analysis::memos::segment_detail(project, link) {
                    lines.push(Line::styled(
                        format!("The segment is coded {}", safe(&codes.join(", "))),
                        theme.dim(),
                    ));
                }
            }
            // The review state and thread first, so a reviewer sees them without scrolling.
            let reviewed = reviewed_by(project, m);
            let comments = thread(project, m);
            if reviewed.is_empty() {
                let mark = app.keymap.keys_for(
                    crate::tui::keymap::Context::Memos,
                    crate::tui::action::Action::ToggleReviewed,
                );
                lines.push(Line::styled(
                    format!("Not yet reviewed ({mark} marks it reviewed)"),
                    bold,
                ));
            }
            for (who, at) in reviewed {
                lines.push(Line::styled(
                    format!("✓ Reviewed by {who}, {}", at.strftime("%Y-%m-%d %H:%M")),
                    bold,
                ));
            }
            if !comments.is_empty() {
                lines.push(Line::styled("Review thread", bold));
                for (by, c) in comments {
                    let mut text = c.text.lines();
                    lines.push(Line::from(vec![
                        Span::styled(format!("{by}, {}: ", c.at.strftime("%Y-%m-%d %H:%M")), bold),
                        Span::raw(safe(text.next().unwrap_or(""))),
                    ]));
                    // The commenter's line breaks are kept, indented under the first line.
                    lines.extend(text.map(|l| Line::raw(format!("  {}", safe(l)))));
                }
            }
            lines.push(Line::raw(""));
            lines.extend(m.body.lines().map(|l| Line::raw(safe(l))));
        }
        Some(MemoRow::Decision(coder, n)) => {
            if let Some(e) = project.audit.get(coder).and_then(|e| e.get(*n)) {
                lines.push(Line::styled("Codebook decision", bold));
                lines.push(Line::styled(
                    format!("{coder} · {}", e.at.strftime("%Y-%m-%d %H:%M")),
                    theme.dim(),
                ));
                lines.push(Line::raw(""));
                lines.push(Line::raw(safe(&e.decision)));
                for code in &e.codes {
                    let now = project.codebook.get(code).map_or_else(
                        || format!("{code} (no longer in the codebook)"),
                        |_| project.codebook.path(code),
                    );
                    lines.push(Line::styled(format!("· {now}"), theme.dim()));
                }
            }
        }
        None => {}
    }
    let block = block.title_bottom(Line::styled(" J/K scroll ", theme.dim()));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((state.read_scroll, 0))
            .block(block),
        area,
    );
}
