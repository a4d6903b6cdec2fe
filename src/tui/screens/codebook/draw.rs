//! The Codebook view: the tree with counts per node, and the selected node's definition.

use crate::analysis::node_counts::similar_names;
use crate::text::sanitize_for_terminal;
use crate::tui::app::App;
use crate::tui::layout::inset;
use crate::tui::screens::code::draw::fit;
use crate::tui::screens::code::list_offset;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn draw(app: &App, frame: &mut Frame) {
    let size = frame.area();
    let main_h = size.height.saturating_sub(2);
    let tree_w = if size.width >= 110 {
        size.width * 3 / 5
    } else {
        size.width
    };
    let tree_area = Rect::new(
        size.x,
        size.y,
        tree_w,
        if tree_w == size.width {
            main_h * 3 / 5
        } else {
            main_h
        },
    );
    let detail_area = if tree_w == size.width {
        Rect::new(
            size.x,
            size.y + tree_area.height,
            size.width,
            main_h - tree_area.height,
        )
    } else {
        Rect::new(size.x + tree_w, size.y, size.width - tree_w, main_h)
    };
    draw_tree(app, frame, tree_area);
    draw_definition(app, frame, detail_area);
    let hint = crate::tui::hints::render(
        &app.keymap,
        crate::tui::keymap::Context::CodebookView,
        crate::tui::hints::CODEBOOK_VIEW,
    );
    crate::tui::screens::code::draw::draw_footer(app, frame, &hint);
}

fn draw_tree(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let book = &app.project().codebook;
    let total = app.project().transcript_count();
    let scope = if app.show_all_coders {
        "everyone's coding"
    } else {
        "your coding"
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(format!(
            " Codebook · {} codes · counts of {scope} ",
            book.len()
        ));
    let inner = inset(area);
    // A bar per node (the map as a tree, with sizes) where the pane has room for it.
    let bar_w = if inner.width >= 72 { BAR_WIDTH } else { 0 };
    let numbers_w = 22usize + if bar_w > 0 { bar_w + 1 } else { 0 };
    let name_w = (inner.width as usize).saturating_sub(numbers_w + 1);
    let most = most_segments_by_depth(app);
    let mut lines = vec![Line::styled(
        format!(
            "{:<name_w$} {:>8} {:>7} {:>5}",
            "", "segments", "transc.", "%"
        ),
        Style::default().add_modifier(Modifier::BOLD | Modifier::DIM),
    )];
    let offset = list_offset(
        app.tree_selected,
        Rect::new(0, 0, area.width, area.height.saturating_sub(1)),
    );
    for (i, row) in app
        .tree
        .iter()
        .enumerate()
        .skip(offset)
        .take(inner.height.saturating_sub(1) as usize)
    {
        let Some(code) = book.get(&row.id) else {
            continue;
        };
        let counts = app.counts.get(&row.id).copied().unwrap_or_default();
        let fold = match (row.has_children, row.folded) {
            (true, true) => "▸ ",
            (true, false) => "▾ ",
            _ => "  ",
        };
        let (swatch_style, swatch) = theme.swatch(code.colour);
        let tags = if code.tags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", code.tags.join(", "))
        };
        let prefix = format!("{}{fold}", "  ".repeat(row.depth));
        let used = prefix.chars().count() + swatch.chars().count();
        let label = fit(&format!("{}{tags}", code.name), name_w.saturating_sub(used));
        let pad =
            name_w.saturating_sub(used + unicode_width::UnicodeWidthStr::width(label.as_str()));
        let base = if i == app.tree_selected {
            theme.highlight(true)
        } else {
            Style::default()
        };
        let level_style = if code.level == crate::model::Level::Theme {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
        lines.push(Line::from(vec![
            Span::styled(prefix, base),
            Span::styled(swatch, swatch_style.patch(base)),
            Span::styled(label, level_style.patch(base)),
            Span::styled(" ".repeat(pad), base),
            Span::styled(
                format!(
                    " {:>8} {:>7} {:>5}",
                    counts.segments,
                    counts.transcripts,
                    crate::analysis::tables::percent_label(counts.percent_of(total))
                ),
                base,
            ),
            Span::styled(
                if bar_w > 0 {
                    let most = most.get(row.depth).copied().unwrap_or(0);
                    format!(" {}", bar(counts.segments, most, bar_w))
                } else {
                    String::new()
                },
                // Not the selection's style: the bar keeps its colour on the selected row.
                swatch_style,
            ),
        ]));
    }
    if app.tree.is_empty() {
        lines.push(Line::styled(
            "No codes yet: press n to create a theme",
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// Cells of the segments bar beside each node of the tree.
const BAR_WIDTH: usize = 12;

/// The most segments of any node at each depth of the tree: a node's bar is measured
/// against the others of its depth (themes with themes, codes with codes).
fn most_segments_by_depth(app: &App) -> Vec<usize> {
    let mut most: Vec<usize> = Vec::new();
    for row in &app.tree {
        if most.len() <= row.depth {
            most.resize(row.depth + 1, 0);
        }
        let segments = app.counts.get(&row.id).map_or(0, |c| c.segments);
        most[row.depth] = most[row.depth].max(segments);
    }
    most
}

/// `value` of `most` as a bar `width` cells wide, in eighths of a cell, padded to the width.
fn bar(value: usize, most: usize, width: usize) -> String {
    const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    // Rounded to the nearest eighth, but never nothing for a value above zero.
    let eighths = if most == 0 || value == 0 {
        0
    } else {
        ((value * width * 8 + most / 2) / most).clamp(1, width * 8)
    };
    let mut out = "█".repeat(eighths / 8);
    out.push_str(EIGHTHS[eighths % 8]);
    let drawn = eighths / 8 + usize::from(eighths % 8 > 0);
    out.push_str(&" ".repeat(width.saturating_sub(drawn)));
    out
}

fn draw_definition(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let book = &app.project().codebook;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(false))
        .title(" Definition ");
    let Some(code) = app
        .tree
        .get(app.tree_selected)
        .and_then(|r| book.get(&r.id))
    else {
        frame.render_widget(block, area);
        return;
    };
    let counts = app.counts.get(&code.id).copied().unwrap_or_default();
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let mut lines = vec![
        Line::styled(
            sanitize_for_terminal(&book.path(&code.id)).into_owned(),
            bold,
        ),
        Line::styled(
            format!(
                "{} · {} segment(s) of its own, {} with the codes below · in {} transcript(s){}",
                code.level.label(),
                counts.own_segments,
                counts.segments,
                counts.transcripts,
                if code.tags.is_empty() {
                    String::new()
                } else {
                    format!(" · tags: {}", code.tags.join(", "))
                }
            ),
            theme.dim(),
        ),
        Line::raw(""),
    ];
    for (label, text) in [
        ("Description", &code.description),
        ("Include when", &code.inclusion),
        ("Exclude when", &code.exclusion),
        ("Example", &code.example),
    ] {
        lines.push(Line::styled(label.to_string(), bold));
        if text.trim().is_empty() {
            lines.push(Line::styled("(not written yet: d to define)", theme.dim()));
        } else {
            lines.extend(
                text.lines()
                    .map(|l| Line::raw(sanitize_for_terminal(l).into_owned())),
            );
        }
        lines.push(Line::raw(""));
    }
    let memos = app.memos_on(&crate::model::MemoLink::Code(code.id.clone()));
    if !memos.is_empty() {
        lines.push(Line::styled(
            format!("Memos ({}; E to write yours)", memos.len()),
            bold,
        ));
        for memo in memos {
            lines.push(Line::styled(
                format!(
                    "✎ {} · {} · {}",
                    sanitize_for_terminal(&memo.title),
                    memo.author,
                    memo.updated.strftime("%Y-%m-%d")
                ),
                bold,
            ));
            lines.extend(
                memo.body
                    .lines()
                    .map(|l| Line::raw(sanitize_for_terminal(l).into_owned())),
            );
        }
        lines.push(Line::raw(""));
    }
    let similar = similar_names(book, &code.name, Some(&code.id));
    if !similar.is_empty() {
        lines.push(Line::styled(
            format!("Similar names elsewhere: {}", similar.join(", ")),
            bold,
        ));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn bars_measure_in_eighths_and_keep_their_width() {
        assert_eq!(bar(0, 10, 4), "    ");
        assert_eq!(bar(10, 10, 4), "████");
        assert_eq!(bar(5, 10, 4), "██  ");
        assert_eq!(bar(1, 10, 4), "▍   ");
        assert_eq!(bar(3, 0, 2), "  ");
    }
}
