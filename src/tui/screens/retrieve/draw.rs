//! The Retrieve view: every quote of a code, formatted as in a paper, with its source; and
//! below, the selected quote in its context (the sentences around it in the transcript,
//! more or fewer by a key).

use crate::analysis::node_counts::Coders;
use crate::analysis::retrieve::QuoteOrder;
use crate::text::sanitize_for_terminal;
use crate::tui::app::App;
use crate::tui::layout::inset;
use crate::tui::screens::code::draw::fit;
use crate::tui::widgets::wrap::Wrapped;
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
    let Some(r) = app.screens.retrieve.as_ref() else {
        return;
    };
    let project = app.project();
    let main_h = size.height.saturating_sub(2);
    // More context takes more of the screen, leaving the list a few quotes.
    let detail_h = match r.context {
        0 | 1 => (main_h / 3).clamp(3, 9),
        2 => main_h / 2,
        _ => main_h * 2 / 3,
    }
    .min(main_h.saturating_sub(QUOTE_ROWS as u16 + 2))
    .max(3.min(main_h));
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
    draw_context(app, frame, detail_area);
    let hint = crate::tui::hints::render(
        &app.keymap,
        crate::tui::keymap::Context::Retrieve,
        crate::tui::hints::RETRIEVE,
    );
    crate::tui::screens::code::draw::draw_footer(app, frame, &hint);
}

/// The selected quote in its context: the text around it, the quote itself in bold.
fn draw_context(app: &App, frame: &mut Frame, area: Rect) {
    use crate::tui::action::Action;
    use crate::tui::keymap::Context;
    let theme = &app.theme;
    let Some(r) = app.screens.retrieve.as_ref() else {
        return;
    };
    let keys = |a: Action| app.keymap.keys_for(Context::Retrieve, a);
    let quote = r.current();
    let transcript = quote.and_then(|q| app.project().transcript(&q.transcript));
    let either_side = match r.context {
        0 => "its sentences".to_string(),
        1 => "1 sentence either side".to_string(),
        n => format!("{n} sentences either side"),
    };
    let title = match (quote, transcript) {
        (Some(q), Some(_)) => format!(
            " In context: {} · {either_side} · {}/{} more/less · {} opens it in the transcript ",
            q.transcript,
            keys(Action::MoreContext),
            keys(Action::LessContext),
            keys(Action::Open)
        ),
        _ => " In context ".to_string(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(false))
        .title(fit(&title, area.width.saturating_sub(2) as usize));
    let inner = inset(area);
    let (Some(q), Some(t)) = (quote, transcript) else {
        frame.render_widget(block, area);
        return;
    };
    let (from, to) = context_around(t, q.start, q.end, r.context);
    // Line by line, so that the context keeps its line breaks (the paragraphs of turns).
    let clean = |a: usize, b: usize| {
        let lines: Vec<String> = t
            .slice(a, b)
            .unwrap_or_default()
            .split('\n')
            .map(|line| sanitize_for_terminal(line).into_owned())
            .collect();
        lines.join("\n")
    };
    let (before, quoted, after) = (
        clean(from, q.start),
        clean(q.start, q.end),
        clean(q.end, to),
    );
    let text = format!("{before}{quoted}{after}");
    let (quote_start, quote_end) = (before.len(), before.len() + quoted.len());
    let wrapped = Wrapped::new(&text, inner.width.max(1) as usize);
    // Start a row above the quote when the whole context does not fit.
    let quote_row = wrapped
        .rows
        .iter()
        .position(|row| row.byte_end > quote_start)
        .unwrap_or(0);
    let height = inner.height as usize;
    let skip = if wrapped.rows.len() <= height {
        0
    } else {
        quote_row.saturating_sub(1).min(wrapped.rows.len() - height)
    };
    let quote_style = Style::default().add_modifier(ratatui::style::Modifier::BOLD);
    let lines: Vec<Line> = wrapped
        .rows
        .iter()
        .skip(skip)
        .take(height)
        .map(|row| {
            let cut =
                |a: usize, b: usize| text[a.max(row.byte_start)..b.min(row.byte_end)].to_string();
            let mut spans = Vec::new();
            if row.byte_start < quote_start {
                spans.push(Span::styled(cut(row.byte_start, quote_start), theme.dim()));
            }
            if row.byte_end > quote_start && row.byte_start < quote_end {
                spans.push(Span::styled(cut(quote_start, quote_end), quote_style));
            }
            if row.byte_end > quote_end {
                spans.push(Span::styled(cut(quote_end, row.byte_end), theme.dim()));
            }
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The chars `[from, to)` of `t` around the quote `[start, end)`: the sentences it is in,
/// and `sentences` more on either side (not past the start or end of the text).
pub fn context_around(
    t: &crate::model::Transcript,
    start: usize,
    end: usize,
    sentences: usize,
) -> (usize, usize) {
    use crate::text::structure::sentence_bounds;
    let text = t.text();
    let index = t.index();
    let byte = |c: usize| {
        index
            .char_to_byte(text, c.min(t.char_len()))
            .unwrap_or(text.len())
    };
    let char_of = |b: usize| index.byte_to_char(text, b).unwrap_or(t.char_len());
    // The start of the char before byte `b` (a valid place to look up a sentence).
    let before = |b: usize| text[..b].char_indices().next_back().map_or(0, |(i, _)| i);
    let (start_b, end_b) = (byte(start), byte(end.max(start)));
    let mut from = sentence_bounds(text, start_b).0.min(start_b);
    for _ in 0..sentences {
        let prev = text[..from].trim_end().len();
        if prev == 0 {
            from = 0;
            break;
        }
        from = sentence_bounds(text, before(prev)).0;
    }
    let mut to = sentence_bounds(text, before(end_b.max(1))).1.max(end_b);
    for _ in 0..sentences {
        let next = text.len() - text[to..].trim_start().len();
        if next >= text.len() {
            break;
        }
        to = sentence_bounds(text, next).1.max(next);
    }
    (char_of(from), char_of(to.max(from)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Transcript, TranscriptId, TranscriptMeta};

    fn transcript(text: &str) -> Transcript {
        let id = TranscriptId::new("t").unwrap();
        let meta: TranscriptMeta = crate::store::yaml::parse(&format!(
            "participant: P\ntitle: T\nsha256: x\nchars: {}\n",
            text.chars().count()
        ))
        .unwrap();
        Transcript::new(id, meta, text.to_string())
    }

    #[test]
    fn context_grows_by_whole_sentences_and_stops_at_the_ends() {
        let text = "One is here. Two is here. Three is the quote. Four is here. Five.";
        let t = transcript(text);
        let quote = text.find("the quote").unwrap();
        let (s, e) = (quote, quote + "the quote".len());
        let cut = |(a, b): (usize, usize)| text[a..b].to_string();
        assert_eq!(cut(context_around(&t, s, e, 0)), "Three is the quote.");
        assert_eq!(
            cut(context_around(&t, s, e, 1)),
            "Two is here. Three is the quote. Four is here."
        );
        assert_eq!(cut(context_around(&t, s, e, 5)), text);
        let whole = (0, text.chars().count());
        assert_eq!(context_around(&t, 0, whole.1, 3), whole);
    }

    #[test]
    fn context_keeps_to_char_boundaries() {
        let text = "Café é. Ça va? 医生说好。 Next one.";
        let t = transcript(text);
        let chars = text.chars().count();
        for start in 0..chars {
            for n in 0..3 {
                let (a, b) = context_around(&t, start, (start + 2).min(chars), n);
                assert!(a <= start && b <= chars && a <= b, "{start} {n}: {a}..{b}");
            }
        }
    }
}
