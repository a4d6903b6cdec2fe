//! The Code view: transcript list, transcript text with coded segments, codebook tree with
//! live counts, the detail line and the status line. Pure functions of the App's state.

use crate::model::{Colour, Transcript};
use crate::text::SpeakerRole;
use crate::text::normalize::REPLACEMENT;
use crate::text::sanitize_for_terminal;
use crate::tui::app::{App, Focus};
use crate::tui::layout::{Areas, GUTTER, inset};
use crate::tui::screens::code::list_offset;
use crate::tui::screens::code::text_view::{Shown, TextView, motion};
use crate::tui::theme::Theme;
use crate::tui::widgets::wrap::Row;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_segmentation::UnicodeSegmentation;

pub fn draw(app: &App, frame: &mut Frame) {
    let areas = app.areas();
    draw_list(app, frame, areas.list);
    draw_tree(app, frame, areas.tree);
    draw_text(app, frame, &areas);
    crate::tui::screens::code::suggestions::draw(app, frame, areas.text);
    crate::tui::screens::code::quick_strip::draw(app, frame, areas.text);
    draw_detail(app, frame, areas.detail);
    draw_status_line(app, frame, areas.status);
}

fn block<'a>(title: String, focused: bool, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(focused))
        .title(Span::styled(
            format!(" {} ", sanitize_for_terminal(&title)),
            theme.border(focused),
        ))
}

/// Fits `text` into `width` columns, ending in "…" when cut.
pub fn fit(text: &str, width: usize) -> String {
    let text = sanitize_for_terminal(text);
    if unicode_width::UnicodeWidthStr::width(text.as_ref()) <= width {
        return text.into_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in text.graphemes(true) {
        let w = unicode_width::UnicodeWidthStr::width(g);
        if used + w + 1 > width {
            break;
        }
        out.push_str(g);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

fn draw_list(app: &App, frame: &mut Frame, area: Rect) {
    if area.is_empty() {
        return;
    }
    let focused = app.code.focus == Focus::List;
    let theme = &app.theme;
    let title = format!("Transcripts {}", app.code.order.len());
    let inner = inset(area);
    let offset = list_offset(app.code.list_selected, area);
    let sample = app.project().meta.sample();
    // While the project loads, only the first transcript's done marks have been read: the
    // others' marks are blank, not "not done" (◆ where ✓ is due).
    let loading = app.ws.transcripts_loading().is_some();
    let lines: Vec<Line> = app
        .code
        .order
        .iter()
        .enumerate()
        .skip(offset)
        .take(inner.height as usize)
        .map(|(i, id)| {
            let project = app.project();
            let t = project.transcript(id);
            let mine = project.segments(&app.coder, id).len();
            let marker = if app.code.current == Some(i) {
                "▸"
            } else {
                " "
            };
            // ✓ your coding of it is marked done; ◆ it is in the double-coding sample.
            let double = if loading && app.code.current != Some(i) {
                " "
            } else if project.is_done(&app.coder, id) {
                "✓"
            } else if sample.is_some_and(|s| s.transcripts.contains(id)) {
                "◆"
            } else {
                " "
            };
            let participant = t.map_or("", |t| t.meta.participant.as_str());
            let count = if mine > 0 {
                format!("{mine:>4}")
            } else {
                String::new()
            };
            let name_w = (inner.width as usize).saturating_sub(2 + count.len() + 1);
            let name = fit(&format!("{id} {participant}"), name_w);
            let pad = name_w.saturating_sub(unicode_width::UnicodeWidthStr::width(name.as_str()));
            let text = format!("{marker}{double}{name}{}{count}", " ".repeat(pad + 1));
            let style = if i == app.code.list_selected {
                theme.highlight(focused)
            } else {
                Style::default()
            };
            Line::styled(text, style)
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(block(title, focused, theme)),
        area,
    );
}

fn draw_tree(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.code.focus == Focus::Codebook;
    let theme = &app.theme;
    let book = &app.project().codebook;
    let scope = if app.show_all_coders {
        "everyone"
    } else {
        app.coder.as_str()
    };
    let title = format!("Codebook · {scope}");
    let inner = inset(area);
    let offset = list_offset(app.tree_selected, area);
    let lines: Vec<Line> = app
        .tree
        .iter()
        .enumerate()
        .skip(offset)
        .take(inner.height as usize)
        .filter_map(|(i, row)| {
            let code = book.get(&row.id)?;
            let count = app.counts.get(&row.id).copied().unwrap_or_default();
            let n = if row.has_children {
                count.segments
            } else {
                count.own_segments
            };
            let count = if n > 0 {
                format!(" {n}")
            } else {
                String::new()
            };
            let fold = match (row.has_children, row.folded) {
                (true, true) => "▸ ",
                (true, false) => "▾ ",
                _ => "  ",
            };
            let (swatch_style, swatch) = theme.swatch(code.colour);
            let has_memo = app.code.memo_codes.contains(&row.id);
            let swatch = if has_memo { "✎ " } else { swatch };
            let indent = "  ".repeat(row.depth);
            let quick = app
                .quick_key_of(&row.id)
                .map_or(String::new(), |q| format!("#{q}"));
            let fixed = indent.len()
                + fold.chars().count()
                + swatch.chars().count()
                + count.len()
                + quick.len()
                + 1;
            let name = fit(&code.name, (inner.width as usize).saturating_sub(fixed));
            let pad = (inner.width as usize)
                .saturating_sub(fixed + unicode_width::UnicodeWidthStr::width(name.as_str()) - 1);
            let selected = i == app.tree_selected;
            let base = if selected {
                theme.highlight(focused)
            } else {
                Style::default()
            };
            Some(Line::from(vec![
                Span::styled(format!("{indent}{fold}"), base),
                Span::styled(swatch, swatch_style.patch(base)),
                Span::styled(name, base),
                Span::styled(" ".repeat(pad.saturating_sub(1)), base),
                Span::styled(quick, theme.dim().patch(base)),
                Span::styled(count, base),
            ]))
        })
        .collect();
    let empty = lines.is_empty();
    let paragraph = if empty {
        Paragraph::new(Line::styled(
            "No codes yet: select text and press c to create one",
            theme.dim(),
        ))
        .wrap(ratatui::widgets::Wrap { trim: true })
    } else {
        Paragraph::new(lines)
    };
    frame.render_widget(paragraph.block(block(title, focused, theme)), area);
}

fn transcript_title(app: &App, t: &Transcript) -> String {
    let blind = if app.blind(&t.id) {
        " · coding blind"
    } else {
        ""
    };
    let mut title = format!("{}{blind} · {}", t.id, t.meta.participant);
    // Attribute values in the order the project defines its attributes.
    let schema = &app.project().meta.attributes;
    let mut attrs: Vec<&str> = schema
        .iter()
        .filter_map(|a| t.meta.attributes.get(&a.name))
        .map(String::as_str)
        .collect();
    attrs.extend(
        t.meta
            .attributes
            .iter()
            .filter(|(k, _)| !schema.iter().any(|a| &a.name == *k))
            .map(|(_, v)| v.as_str()),
    );
    if !attrs.is_empty() {
        title.push_str(&format!(" · {}", attrs.join(", ")));
    }
    title
}

fn draw_text(app: &App, frame: &mut Frame, areas: &Areas) {
    let focused = app.code.focus == Focus::Text;
    let theme = &app.theme;
    let (Some(t), Some(view)) = (app.transcript(), app.code.view.as_ref()) else {
        let message =
            Paragraph::new("No transcript open.").block(block("Transcript".into(), focused, theme));
        frame.render_widget(message, areas.text);
        return;
    };
    let rows = view.wrapped.rows.len();
    let percent = if rows <= 1 {
        100
    } else {
        (view.scroll + areas.text_height()).min(rows) * 100 / rows
    };
    // How far down the text the last row on screen is.
    let percent = format!(" · {percent}% through");
    let mut room = (areas.text.width as usize).saturating_sub(6 + percent.len());
    if app.show_all_coders && areas.margin_shown() {
        // The coders' ids stand on the border above the margin.
        room =
            room.min(usize::from(areas.margin.x - areas.text.x).saturating_sub(4 + percent.len()));
    }
    let title = format!("{}{percent}", fit(&transcript_title(app, t), room));
    frame.render_widget(block(title, focused, theme), areas.text);
    let inner = areas.text_inner();
    let gutter = Rect::new(inner.x - GUTTER.min(inner.x), inner.y, GUTTER, inner.height);
    let selection = app.selected_range();
    let colour_of = |s: &Shown| -> Option<Colour> {
        s.codes
            .first()
            .and_then(|c| app.project().codebook.get(c))
            .and_then(|c| c.colour)
    };
    for (screen_row, row) in view
        .wrapped
        .rows
        .iter()
        .skip(view.scroll)
        .take(inner.height as usize)
        .enumerate()
    {
        let y = inner.y + screen_row as u16;
        let mut on_row: Vec<&Shown> = view
            .segments
            .overlapping(row.start, row.end.max(row.start + 1))
            .collect();
        on_row.sort_by_key(|s| (s.start, s.end));
        frame.render_widget(
            Paragraph::new(stripes(theme, &on_row, colour_of, |id| {
                app.code.memo_segments.contains(id)
            })),
            Rect::new(gutter.x, y, gutter.width, 1),
        );
        let line = text_row(app, t, view, row, &on_row, selection, focused, colour_of);
        frame.render_widget(Paragraph::new(line), Rect::new(inner.x, y, inner.width, 1));
    }
    crate::tui::screens::code::margin::draw(app, frame, areas);
}

/// The coding stripes for one row: one column per segment on the row, up to three.
fn stripes<'a>(
    theme: &Theme,
    on_row: &[&Shown],
    colour_of: impl Fn(&Shown) -> Option<Colour>,
    has_memo: impl Fn(&crate::model::SegmentId) -> bool,
) -> Line<'a> {
    let mut spans: Vec<Span> = on_row
        .iter()
        .take(3)
        .enumerate()
        .map(|(i, s)| {
            if i == 2 && on_row.len() > 3 {
                Span::raw("+")
            } else {
                let (style, glyph) = theme.stripe(colour_of(s));
                // A segment with a memo shows a pen instead of a plain stripe.
                Span::styled(if has_memo(&s.id) { "✎" } else { glyph }, style)
            }
        })
        .collect();
    spans.push(Span::raw(" ".repeat(4 - spans.len().min(3))));
    Line::from(spans)
}

#[allow(clippy::too_many_arguments)]
fn text_row<'a>(
    app: &App,
    t: &'a Transcript,
    view: &TextView,
    row: &Row,
    on_row: &[&Shown],
    selection: Option<(usize, usize)>,
    focused: bool,
    colour_of: impl Fn(&Shown) -> Option<Colour>,
) -> Line<'a> {
    let theme = &app.theme;
    let text = &t.text()[row.byte_start..row.byte_end];
    let turn = motion::turn_at(&view.turns, row.start);
    let interviewer = turn.is_some_and(|tr| tr.role == SpeakerRole::Interviewer);
    let first_hit = view.hits.partition_point(|h| h.1 <= row.start);
    let mut spans: Vec<Span> = Vec::new();
    let mut pending = String::new();
    let mut pending_style = Style::default();
    let mut at = row.start;
    let push = |spans: &mut Vec<Span>,
                s: &str,
                style: Style,
                pending: &mut String,
                pending_style: &mut Style| {
        if style != *pending_style && !pending.is_empty() {
            spans.push(Span::styled(std::mem::take(pending), *pending_style));
        }
        *pending_style = style;
        pending.push_str(s);
    };
    for g in text.graphemes(true) {
        let mut style = Style::default();
        if let Some(tr) = turn {
            if at < tr.speech_start {
                style = theme.label(interviewer);
            } else if interviewer {
                style = theme.interviewer();
            }
        }
        let covering: Vec<&&Shown> = on_row
            .iter()
            .filter(|s| s.start <= at && at < s.end)
            .collect();
        if let Some(inner) = covering.iter().min_by_key(|s| s.end - s.start) {
            style = style.patch(theme.coded(colour_of(inner), covering.len()));
        }
        if view.hits[first_hit.min(view.hits.len())..]
            .iter()
            .take_while(|h| h.0 <= at)
            .any(|h| h.0 <= at && at < h.1)
        {
            style = style.patch(theme.search_hit());
        }
        if selection.is_some_and(|(s, e)| s <= at && at < e) {
            style = style.patch(theme.selection());
        }
        if focused && at == view.cursor {
            style = theme.cursor(style);
        }
        // Controls and bidirectional overrides (in a file edited outside the tool) would
        // act on the terminal or reorder what it shows.
        let safe = if g
            .chars()
            .any(|c| c.is_control() || crate::text::normalize::is_unsafe_control(c))
        {
            REPLACEMENT.to_string()
        } else {
            g.to_string()
        };
        push(&mut spans, &safe, style, &mut pending, &mut pending_style);
        at += g.chars().count();
    }
    // The cursor on a line's end (its newline, or an empty line) shows as a block.
    let next_starts_here = view
        .wrapped
        .rows
        .get(view.wrapped.row_of(row.start) + 1)
        .is_some_and(|n| n.start == row.end);
    if focused && view.cursor == row.end && !next_starts_here {
        push(
            &mut spans,
            " ",
            theme.cursor(Style::default()),
            &mut pending,
            &mut pending_style,
        );
    }
    if !pending.is_empty() {
        spans.push(Span::styled(pending, pending_style));
    }
    Line::from(spans)
}

fn draw_detail(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let mut spans: Vec<Span> = Vec::new();
    if let Some((s, e)) = app.selected_range() {
        let what = if app
            .code
            .view
            .as_ref()
            .is_some_and(|v| v.adjusting.is_some())
        {
            "adjusting"
        } else {
            "selected"
        };
        spans.push(Span::styled(
            format!(" {what} {} chars ", e - s),
            theme.mode(),
        ));
        spans.push(Span::raw(" "));
    }
    let here = app.shown_at_cursor();
    if here.is_empty() {
        if spans.is_empty() {
            spans.push(Span::styled(" no coding here", theme.dim()));
        }
    } else {
        spans.push(Span::styled(" codes here: ", theme.dim()));
        let mut first = true;
        for shown in here {
            for code in &shown.codes {
                if !first {
                    spans.push(Span::styled(" · ", theme.dim()));
                }
                first = false;
                let colour = app.project().codebook.get(code).and_then(|c| c.colour);
                let (style, swatch) = theme.swatch(colour);
                spans.push(Span::styled(swatch, style));
                spans.push(Span::raw(
                    sanitize_for_terminal(&app.code_name(code)).into_owned(),
                ));
                if !shown.mine {
                    spans.push(Span::styled(format!(" ({})", shown.coder), theme.dim()));
                }
            }
        }
    }
    // A memo on the segment here (or else on the transcript) is shown after the codes.
    let memo = app.shown_at_cursor().iter().find_map(|shown| {
        let link = crate::model::MemoLink::Segment(crate::model::SegmentRef {
            transcript: app.transcript()?.id.clone(),
            coder: shown.coder.clone(),
            id: shown.id.clone(),
        });
        app.memos_on(&link).first().copied()
    });
    if let Some(memo) = memo {
        let first = memo
            .body
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        spans.push(Span::styled("  ✎ ", app.theme.mode()));
        spans.push(Span::raw(
            sanitize_for_terminal(&format!(" {}: {first}", memo.title)).into_owned(),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The two bottom rows of a full-screen view: the view's key hint, dimmed, and the status line.
pub fn draw_footer(app: &App, frame: &mut Frame, hint: &str) {
    let size = frame.area();
    let bottom = size.y + size.height.saturating_sub(2);
    frame.render_widget(
        Paragraph::new(Line::styled(
            fit(hint, size.width as usize),
            app.theme.dim(),
        )),
        Rect::new(size.x, bottom, size.width, 1.min(size.height)),
    );
    draw_status_line(
        app,
        frame,
        Rect::new(
            size.x,
            bottom + 1,
            size.width,
            1.min(size.height.saturating_sub(1)),
        ),
    );
}

pub fn draw_status_line(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    if let crate::tui::app::Overlay::Search(query) = &app.overlay {
        let line = Line::from(vec![Span::styled("/", theme.mode())]);
        frame.render_widget(Paragraph::new(line).style(theme.status()), area);
        let field = Rect::new(
            area.x + 1,
            area.y,
            area.width.saturating_sub(1),
            area.height,
        );
        frame.render_widget(query, field);
        return;
    }
    let mode = match (app.view_mode, app.code.view.as_ref()) {
        (crate::tui::app::View::Codebook, _) => "CODEBOOK",
        (crate::tui::app::View::Retrieve, _) => "QUOTES",
        (crate::tui::app::View::Memos, _) => "MEMOS",
        (crate::tui::app::View::Agreement, _) => "AGREEMENT",
        (crate::tui::app::View::Analysis, _) => "ANALYSIS",
        (_, Some(v)) if v.adjusting.is_some() => "ADJUST",
        (_, Some(v)) if v.anchor.is_some() => "SELECT",
        _ => "READ",
    };
    let mode = if app.view_mode == crate::tui::app::View::Memos {
        format!("MEMOS · {} unreviewed", app.unreviewed_count())
    } else {
        mode.to_string()
    };
    let read_only = if app.ws.store().is_read_only() {
        " READ-ONLY"
    } else if app.reviewing() {
        " REVIEWER"
    } else if !app.ws.unsaved().is_empty() {
        " UNSAVED"
    } else {
        ""
    };
    // A sign that stays while anything failed to load; the help lists what.
    let problems = match app.load_problems.len() {
        0 => String::new(),
        1 => " 1 PROBLEM".to_string(),
        n => format!(" {n} PROBLEMS"),
    };
    let left = format!(" {}{read_only}{problems} ", app.coder);
    let help = format!(
        " {} help ",
        app.keymap.keys_for(
            crate::tui::keymap::Context::Global,
            crate::tui::action::Action::Help
        )
    );
    let used = left.chars().count() + mode.len() + 2 + help.chars().count() + 1;
    let message = fit(&app.status, (area.width as usize).saturating_sub(used));
    let pad = (area.width as usize)
        .saturating_sub(used + unicode_width::UnicodeWidthStr::width(message.as_str()));
    let line = Line::from(vec![
        Span::styled(left, theme.mode()),
        Span::styled(format!(" {mode} "), theme.status()),
        Span::raw(" "),
        Span::raw(message),
        Span::raw(" ".repeat(pad)),
        Span::styled(help, theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(line).style(theme.status()), area);
}
