//! The Analysis view: tabs for saturation (a chart of cumulative codes by interview, with the
//! saturation point marked, over a table of what each interview added) and the theme table.

use crate::analysis::tables::{
    LevelCount, Measure, SaturationRow, percent_label, saturation_point,
};
use crate::model::Level;
use crate::tui::app::App;
use crate::tui::hints;
use crate::tui::layout::inset;
use crate::tui::screens::analysis::{AnalysisState, AnalysisTab};
use crate::tui::screens::code::draw::fit;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Block, Borders, Chart, Dataset, GraphType, LegendPosition, Paragraph, Wrap,
};

pub fn draw(app: &App, frame: &mut Frame) {
    let size = frame.area();
    let Some(state) = app.screens.analysis.as_ref() else {
        return;
    };
    let theme = &app.theme;
    let main_h = size.height.saturating_sub(2);
    let area = Rect::new(size.x, size.y, size.width, main_h);
    // The scope on top, where it is read first; the tabs on the bottom border, so that a
    // long scope (coders, a filter) is never cut off by them.
    let mut tabs = vec![Span::raw(" ")];
    for tab in AnalysisTab::ALL {
        let style = if tab == state.tab {
            theme.highlight(true)
        } else {
            theme.dim()
        };
        tabs.push(Span::styled(format!(" {} ", tab.label()), style));
    }
    tabs.push(Span::raw(" "));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(Line::from(format!(
            " Analysis · {} · {} ",
            state.tab.label(),
            state.whose
        )))
        .title_bottom(Line::from(tabs));
    frame.render_widget(block, area);
    let inner = inset(area);
    let hint = match state.tab {
        AnalysisTab::Saturation => {
            draw_saturation(app, state, frame, inner);
            hints::ANALYSIS_SATURATION
        }
        AnalysisTab::Matrix => {
            draw_matrix(app, state, frame, inner);
            hints::ANALYSIS_MATRIX
        }
        AnalysisTab::Cooccurrence => {
            draw_cooccurrence(app, state, frame, inner);
            if state.passages.is_some() {
                hints::ANALYSIS_PASSAGES
            } else {
                hints::ANALYSIS_PAIRS
            }
        }
        AnalysisTab::Themes => {
            draw_themes(app, state, frame, inner);
            hints::ANALYSIS_THEMES
        }
        AnalysisTab::Frequencies => {
            draw_frequencies(app, state, frame, inner);
            hints::ANALYSIS_THEMES
        }
    };
    let mut hint = hints::render(&app.keymap, crate::tui::keymap::Context::Analysis, hint);
    if state.tab == AnalysisTab::Themes {
        hint.push_str(" · `thematic stats DIR themes` for the same table as CSV");
    }
    crate::tui::screens::code::draw::draw_footer(app, frame, &hint);
}

fn pick(level: Level) -> fn(&SaturationRow) -> &LevelCount {
    crate::wording::level_pick(level)
}

fn plural(level: Level) -> &'static str {
    crate::wording::level_plural(level)
}

/// The saturation sentence in the words the report and `thematic stats DIR saturation` use
/// ([`crate::wording::saturation_sentence`]), each interview named with its participant.
fn saturation_said(app: &App, rows: &[SaturationRow], level: Level, run: usize) -> String {
    if rows.is_empty() {
        return "No transcripts yet".into();
    }
    let project = app.project();
    let participants = crate::analysis::tables::participants(project, rows);
    crate::wording::saturation_sentence(rows, &participants, level, run)
}

/// Rows the saturation sentence takes: one if it fits the width, else two (the rest cut).
fn sentence_rows(sentence: &str, width: u16) -> u16 {
    if unicode_width::UnicodeWidthStr::width(sentence) <= width as usize {
        1
    } else {
        2
    }
}

fn draw_saturation(app: &App, state: &AnalysisState, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let rows = &state.saturation;
    let count = pick(state.level);
    let sentence = saturation_said(app, rows, state.level, state.run);
    // The sentence is the report's, longer than one row at most widths: it gets a second
    // row rather than losing its figures to the cut.
    let said_h = sentence_rows(&sentence, area.width).min(area.height);
    frame.render_widget(
        Paragraph::new(Line::styled(
            sentence,
            Style::default().add_modifier(Modifier::BOLD),
        ))
        .wrap(Wrap { trim: true }),
        Rect::new(area.x, area.y, area.width, said_h),
    );
    let chart_h = (area.height.saturating_sub(said_h) / 2)
        .max(6)
        .min(area.height.saturating_sub(said_h));
    let points: Vec<(f64, f64)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| ((i + 1) as f64, count(r).cumulative as f64))
        .collect();
    let top = rows.last().map_or(0, |r| count(r).cumulative).max(1);
    let marked: Vec<(f64, f64)> = saturation_point(rows, state.run, count)
        .map(|i| {
            (0..=top * 4)
                .map(|k| ((i + 1) as f64, k as f64 / 4.0))
                .collect()
        })
        .unwrap_or_default();
    let mut datasets = vec![
        Dataset::default()
            .name(format!("cumulative {}", plural(state.level)))
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .data(&points),
    ];
    if !marked.is_empty() {
        datasets.push(
            Dataset::default()
                .name("saturation")
                .marker(Marker::Dot)
                .style(theme.mode())
                .data(&marked),
        );
    }
    let n = rows.len().max(1);
    let chart = Chart::new(datasets)
        .legend_position(Some(LegendPosition::BottomRight))
        .x_axis(
            Axis::default()
                .title("interview")
                .bounds([1.0, n as f64])
                .labels(["1".to_string(), n.to_string()]),
        )
        .y_axis(
            Axis::default()
                .title(plural(state.level))
                .bounds([0.0, top as f64])
                .labels(["0".to_string(), top.to_string()]),
        );
    frame.render_widget(
        chart,
        Rect::new(area.x, area.y + said_h, area.width, chart_h),
    );
    let table_y = area.y + said_h + chart_h;
    let table_h = area.height.saturating_sub(said_h + chart_h);
    let mut lines = vec![Line::styled(
        format!(
            "{:>3}  {:<12} {:>4} {:>5}  first seen here",
            "#", "transcript", "new", "total"
        ),
        theme.dim(),
    )];
    for (i, r) in rows.iter().enumerate().skip(state.scroll) {
        let c = count(r);
        let names: Vec<String> = c.first_seen.iter().map(|id| app.code_name(id)).collect();
        let (new, seen) = if r.coded {
            (c.new.to_string(), names.join(", "))
        } else {
            ("—".to_string(), "not coded".to_string())
        };
        let text = format!(
            "{:>3}  {:<12} {:>4} {:>5}  {}",
            i + 1,
            r.transcript.as_str(),
            new,
            c.cumulative,
            seen
        );
        lines.push(Line::raw(fit(&text, area.width as usize)));
    }
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(area.x, table_y, area.width, table_h),
    );
}

/// The first of `visible` items to show so that `selected` is among them.
fn window(selected: usize, visible: usize) -> usize {
    selected.saturating_sub(visible.saturating_sub(1))
}

fn draw_matrix(app: &App, state: &AnalysisState, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let m = &state.matrix;
    let measure = match m.measure {
        Measure::Segments => "segments",
        Measure::Characters => "coded characters",
        Measure::Presence => "transcripts with it (presence)",
    };
    let columns = state
        .by
        .as_deref()
        .map_or("one per transcript".to_string(), |by| format!("by {by}"));
    let heading = format!(
        "{} x transcripts ({columns}) · cells: {measure} · % of coded transcripts with it",
        plural(m.level)
    );
    let mut lines = vec![Line::styled(
        fit(&heading, area.width as usize),
        Style::default().add_modifier(Modifier::BOLD),
    )];
    const NAME: usize = 34;
    let col_w = m
        .columns
        .iter()
        .map(|c| unicode_width::UnicodeWidthStr::width(c.as_str()))
        .max()
        .unwrap_or(4)
        .clamp(5, 14)
        + 1;
    let room = (area.width as usize).saturating_sub(NAME + 9 + 7);
    let visible = (room / col_w).max(1);
    let (row_sel, col_sel) = state.cell;
    let first_col = window(col_sel, visible);
    let shown: Vec<usize> = (first_col..m.columns.len()).take(visible).collect();
    let mut header = vec![Span::raw(format!("{:<NAME$}", ""))];
    for &c in &shown {
        header.push(Span::styled(
            format!("{:>col_w$}", fit(&m.columns[c], col_w - 1)),
            theme.dim(),
        ));
    }
    header.push(Span::styled(
        format!("{:>9}{:>7}", "total", "%"),
        theme.dim(),
    ));
    lines.push(Line::from(header));
    let body_h = (area.height as usize).saturating_sub(4);
    for (i, row) in m
        .rows
        .iter()
        .enumerate()
        .skip(window(row_sel, body_h))
        .take(body_h)
    {
        let name = app.code_name(&row.code);
        let name_style = if i == row_sel {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
        let mut spans = vec![Span::styled(
            format!("{:<NAME$}", fit(&name, NAME - 1)),
            name_style,
        )];
        for &c in &shown {
            let value = row.cells.get(c).copied().unwrap_or(0);
            let text = format!("{value:>w$}", w = col_w);
            let style = if (i, c) == (row_sel, col_sel) {
                theme.highlight(true)
            } else if value == 0 {
                theme.dim()
            } else {
                Style::default()
            };
            spans.push(Span::styled(text, style));
        }
        spans.push(Span::raw(format!(
            "{:>9}{:>7}",
            row.total,
            percent_label(row.percent_total)
        )));
        lines.push(Line::from(spans));
    }
    let mut totals = vec![Span::styled(format!("{:<NAME$}", "total"), theme.dim())];
    for &c in &shown {
        let value = m.column_totals.get(c).copied().unwrap_or(0);
        totals.push(Span::styled(format!("{value:>col_w$}"), theme.dim()));
    }
    lines.push(Line::from(totals));
    if let (Some(row), Some(column)) = (m.rows.get(row_sel), m.columns.get(col_sel)) {
        let name = app.code_name(&row.code);
        let value = row.cells.get(col_sel).copied().unwrap_or(0);
        let share = row.percent_of_transcripts.get(col_sel).copied().flatten();
        lines.push(Line::raw(fit(
            &format!(
                "{name} in {column}: {value} {measure}; in {} of its coded transcripts",
                percent_label(share)
            ),
            area.width as usize,
        )));
    }
    if shown.len() < m.columns.len() {
        lines.push(Line::styled(
            format!(
                "columns {}-{} of {}",
                first_col + 1,
                first_col + shown.len(),
                m.columns.len()
            ),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn draw_cooccurrence(app: &App, state: &AnalysisState, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let width = area.width as usize;
    let bold = Style::default().add_modifier(Modifier::BOLD);
    if state.pairs.is_empty() {
        frame.render_widget(
            Paragraph::new(
                "No two codes overlap yet: code a passage with two codes, or overlap two segments.",
            ),
            area,
        );
        return;
    }
    let list_h = if state.passages.is_some() {
        (area.height / 3).max(4)
    } else {
        area.height
    };
    let mut lines = vec![Line::styled(
        fit(
            &format!(
                "{:>6} {:>11}  codes applied to overlapping text (one coder, one transcript)",
                "times", "transcripts"
            ),
            width,
        ),
        bold,
    )];
    let body = (list_h as usize).saturating_sub(1);
    for (i, pair) in state
        .pairs
        .iter()
        .enumerate()
        .skip(window(state.pair, body))
        .take(body)
    {
        let text = format!(
            "{:>6} {:>11}  {} × {}",
            pair.count,
            pair.transcripts,
            app.code_name(&pair.a),
            app.code_name(&pair.b)
        );
        let style = if i == state.pair {
            theme.highlight(true)
        } else {
            Style::default()
        };
        lines.push(Line::styled(fit(&text, width), style));
    }
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(area.x, area.y, area.width, list_h),
    );
    let Some((passages, at)) = state.passages.as_ref() else {
        return;
    };
    let project = app.project();
    let below = Rect::new(
        area.x,
        area.y + list_h,
        area.width,
        area.height.saturating_sub(list_h),
    );
    let mut lines = vec![Line::styled(
        fit(&format!("passage {} of {}", at + 1, passages.len()), width),
        theme.dim(),
    )];
    // A screenful at most: the passages below the first shown cannot all fit.
    for passage in passages
        .iter()
        .skip(*at)
        .take(below.height as usize / 3 + 1)
    {
        let Some(t) = project.transcript(&passage.transcript) else {
            continue;
        };
        let text = t.slice(passage.start, passage.end).unwrap_or("");
        lines.push(Line::styled(
            format!(
                "{} · {} · {}",
                passage.transcript, passage.coder, t.meta.participant
            ),
            bold,
        ));
        lines.push(Line::raw(format!(
            "“{}”",
            crate::text::sanitize_for_terminal(text.trim())
        )));
        lines.push(Line::raw(""));
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
        below,
    );
}

fn draw_themes(app: &App, state: &AnalysisState, frame: &mut Frame, area: Rect) {
    let total = state.participants;
    let mut lines = vec![Line::styled(
        format!(
            "{:<44} {:<10} {:>13} {:>8}  exemplar",
            "theme / sub-theme", "tags", "participants", "segments"
        ),
        Style::default().add_modifier(Modifier::BOLD),
    )];
    for row in state.themes.iter().skip(state.scroll) {
        let name = app.code_name(&row.code);
        let name = match row.level {
            Level::Theme => name,
            _ => format!("  {name}"),
        };
        let share = percent_label(crate::analysis::tables::percent(row.participants, total));
        let text = format!(
            "{:<44} {:<10} {:>5} ({:>4}) {:>8}  {}",
            fit(&name, 44),
            fit(&row.tags.join(","), 10),
            row.participants,
            share,
            row.segments,
            // The exact quote on one line: its line breaks shown as " / ".
            row.exemplar.as_deref().map_or("—".to_string(), |q| q
                .lines()
                .collect::<Vec<_>>()
                .join(" / "))
        );
        let style = if row.level == Level::Theme {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
        lines.push(Line::styled(fit(&text, area.width as usize), style));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// Code frequencies by theme: each theme's name, then a horizontal bar per code (ratatui's
/// BarChart) in the code's colour, as long as its segments; scrolled by rows.
fn draw_frequencies(app: &App, state: &AnalysisState, frame: &mut Frame, area: Rect) {
    use ratatui::widgets::{Bar, BarChart, BarGroup};
    let most = state
        .frequencies
        .iter()
        .flat_map(|g| g.codes.iter().map(|(_, n)| *n))
        .max()
        .unwrap_or(0)
        .max(1);
    let label_width = (area.width as usize / 3).clamp(12, 40);
    let mut skip = state.scroll;
    let mut y = area.y;
    for group in &state.frequencies {
        if y >= area.bottom() {
            break;
        }
        if skip > 0 {
            skip -= 1;
        } else {
            let heading = Line::styled(
                fit(&app.code_name(&group.theme), area.width as usize),
                Style::default().add_modifier(Modifier::BOLD),
            );
            frame.render_widget(Paragraph::new(heading), Rect::new(area.x, y, area.width, 1));
            y += 1;
        }
        let shown: Vec<_> = group.codes.iter().skip(skip).collect();
        skip = skip.saturating_sub(group.codes.len());
        let rows = (shown.len() as u16).min(area.bottom().saturating_sub(y));
        if rows == 0 {
            continue;
        }
        let bars: Vec<Bar> = shown
            .iter()
            .take(rows as usize)
            .map(|(code, segments)| {
                let colour = app.project().codebook.get(code).and_then(|c| c.colour);
                let (style, _) = app.theme.swatch(colour);
                Bar::default()
                    .label(Line::raw(format!(
                        "  {:<width$}",
                        fit(&app.code_name(code), label_width - 2),
                        width = label_width - 2
                    )))
                    .value(*segments)
                    .text_value(segments.to_string())
                    .style(style)
            })
            .collect();
        let chart = BarChart::default()
            .direction(ratatui::layout::Direction::Horizontal)
            .data(BarGroup::default().bars(&bars))
            .bar_width(1)
            .bar_gap(0)
            .group_gap(0)
            .max(most);
        frame.render_widget(chart, Rect::new(area.x, y, area.width, rows));
        y += rows;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TranscriptId;

    /// Rows whose code level adds `new[i]` codes at interview i (other levels empty); None
    /// is an interview nobody coded.
    fn rows(new: &[Option<usize>]) -> Vec<SaturationRow> {
        let mut total = 0;
        new.iter()
            .enumerate()
            .map(|(i, &n)| {
                total += n.unwrap_or(0);
                let none = LevelCount {
                    new: 0,
                    cumulative: 0,
                    first_seen: vec![],
                };
                SaturationRow {
                    transcript: TranscriptId::new(format!("p{:02}", i + 1)).unwrap(),
                    order: None,
                    coded: n.is_some(),
                    codes: LevelCount {
                        new: n.unwrap_or(0),
                        cumulative: total,
                        first_seen: vec![],
                    },
                    sub_themes: none.clone(),
                    themes: none,
                }
            })
            .collect()
    }

    fn coded(new: &[usize]) -> Vec<SaturationRow> {
        rows(&new.iter().map(|&n| Some(n)).collect::<Vec<_>>())
    }

    /// The shared sentence, with each interview's participant written as "P" + its number.
    fn said(rows: &[SaturationRow], level: Level, run: usize) -> String {
        let who: Vec<String> = (1..=rows.len()).map(|i| format!("P{i}")).collect();
        crate::wording::saturation_sentence(rows, &who, level, run)
    }

    #[test]
    fn the_screen_says_saturation_in_the_reports_words() {
        assert_eq!(
            said(&coded(&[5, 2, 1, 0, 0, 0]), Level::Code, 3),
            "Codes: saturation reached after p03 (coded interview 3 of 6, P3): no new code in the 3 coded interviews that followed (a run of 3 is required; all 6 transcripts coded)."
        );
    }

    #[test]
    fn interviews_nobody_coded_neither_add_nor_extend_a_run() {
        // p01 adds 5, p02 adds 1; p03..p05 are not coded, p06 and p07 add nothing.
        let sat = rows(&[Some(5), Some(1), None, None, None, Some(0), Some(0)]);
        assert_eq!(
            said(&sat, Level::Code, 3),
            "Codes: saturation not reached: the last new code appeared in p02 (coded interview 2 of 4, P2), followed by 2 coded interviews without a new one (a run of 3 is required; 4 of 7 transcripts coded)."
        );
        assert_eq!(
            said(&sat, Level::Code, 2),
            "Codes: saturation reached after p02 (coded interview 2 of 4, P2): no new code in the 2 coded interviews that followed (a run of 2 is required; 4 of 7 transcripts coded)."
        );
    }
}
