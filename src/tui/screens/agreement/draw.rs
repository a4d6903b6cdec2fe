//! The Agreement view: codes with their figures (before and now), worst first; or one code's
//! disagreements, both coders' segments side by side in context.

use crate::analysis::agreement::Table;
use crate::text::sanitize_for_terminal;
use crate::tui::app::App;
use crate::tui::hints;
use crate::tui::keymap::Context;
use crate::tui::layout::inset;
use crate::tui::screens::code::draw::fit;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

fn show(x: Option<f64>, percent: bool) -> String {
    crate::wording::figure(x, percent, crate::wording::SCREEN_DECIMALS)
}

fn summary(t: &Table) -> String {
    let (p, k, a) = (t.percent_agreement(), t.kappa(), t.alpha());
    crate::wording::agreement_summary(p, k, a, crate::wording::SCREEN_DECIMALS, " · ")
}

/// What `who` coded the disagreement's passage with instead: the codes of their segments
/// overlapping it, or "nothing".
fn instead(
    app: &App,
    who: &crate::model::CoderId,
    d: &crate::tui::screens::agreement::Disagreement,
) -> String {
    let mut names: Vec<String> = Vec::new();
    for s in app.project().segments(who, &d.transcript) {
        if s.overlaps(d.start, d.end) {
            for c in &s.codes {
                let name = app.code_name(c);
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
    }
    if names.is_empty() {
        "nothing".into()
    } else {
        names.join(", ")
    }
}

/// The independent (percentage agreement, kappa, alpha) of the pair `a` and `b`: the round's
/// main figures for its primary and first second coder, else the pair's own if kept.
fn independent_of_pair(
    i: &crate::model::RoundFigures,
    a: &crate::model::CoderId,
    b: &crate::model::CoderId,
) -> Option<(Option<f64>, Option<f64>, Option<f64>)> {
    let same =
        |p: &[crate::model::CoderId; 2]| (&p[0] == a && &p[1] == b) || (&p[0] == b && &p[1] == a);
    match i.pairs.iter().find(|p| same(&p.coders)) {
        Some(p) => Some((p.percent_agreement, p.kappa, p.alpha)),
        None if i.pairs.is_empty() => Some((i.percent_agreement, i.kappa, i.alpha)),
        None => None,
    }
}

pub fn draw(app: &App, frame: &mut Frame) {
    let size = frame.area();
    let Some(state) = app.screens.agreement.as_ref() else {
        return;
    };
    let theme = &app.theme;
    let main_h = size.height.saturating_sub(2);
    let area = Rect::new(size.x, size.y, size.width, main_h);
    let cmp = &state.comparison;
    let compared = if cmp.transcripts.is_empty() {
        "nothing finished by both yet".to_string()
    } else {
        cmp.transcripts
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let of_pairs = if state.pairs.len() > 1 {
        format!(" (pair {} of {})", state.pair + 1, state.pairs.len())
    } else {
        String::new()
    };
    let title = format!(
        " Agreement · round {} · {} (A) and {} (B){of_pairs} · {compared} ",
        state.round, cmp.coder_a, cmp.coder_b,
    );
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let mut lines = vec![
        Line::styled(
            format!(
                "Now:    {} · weighted kappa {}",
                summary(&state.now.overall),
                show(state.now.weighted_kappa(), false)
            ),
            bold,
        ),
        Line::styled(
            format!(
                "Before: {} · weighted kappa {} (when this view was opened)",
                summary(&state.before.overall),
                show(state.before.weighted_kappa(), false)
            ),
            theme.dim(),
        ),
        Line::styled(
            "Character level; pooled by summing the 2x2 tables over codes and transcripts; — is undefined.",
            theme.dim(),
        ),
    ];
    if let Some((agree, kappa, alpha)) = state
        .independent
        .as_ref()
        .and_then(|i| independent_of_pair(i, &cmp.coder_a, &cmp.coder_b))
    {
        lines.insert(
            1,
            Line::styled(
                format!(
                    "Independent: agreement {} · kappa {} · alpha {} (when {} had first finished, before discussion)",
                    show(agree, true),
                    show(kappa, false),
                    show(alpha, false),
                    if state.coders.len() > 2 { "all" } else { "both" }
                ),
                bold,
            ),
        );
    }
    if state.coders.len() > 2 {
        let independent = state
            .independent
            .as_ref()
            .map(|i| format!(" · independent {}", show(i.alpha_all_coders, false)))
            .unwrap_or_default();
        let names: Vec<&str> = state.coders.iter().map(|c| c.as_str()).collect();
        lines.insert(
            0,
            Line::styled(
                format!(
                    "All {} coders ({}): alpha {}{independent}",
                    state.coders.len(),
                    names.join(", "),
                    show(state.alpha_all_coders, false)
                ),
                bold,
            ),
        );
    }
    if state.now.per_transcript.len() > 1 || state.finished.len() > 1 {
        let each: Vec<String> = state
            .now
            .per_transcript
            .iter()
            .map(|t| format!("{} kappa {}", t.transcript, show(t.table.kappa(), false)))
            .collect();
        lines.push(Line::raw(format!("Per transcript: {}", each.join(" · "))));
    }
    for (t, waiting) in &state.pending {
        let names: Vec<&str> = waiting.iter().map(|c| c.as_str()).collect();
        lines.push(Line::styled(
            format!(
                "Pending, not compared: {t} waits for {} to mark it done",
                names.join(" and ")
            ),
            theme.dim(),
        ));
    }
    lines.push(Line::raw(""));
    let inner = inset(area);
    let hint = match &state.walk {
        None => {
            let name_w = (inner.width as usize).saturating_sub(44);
            lines.push(Line::styled(
                format!(
                    "{:<name_w$} {:>8} {:>13} {:>7} {:>11}",
                    "code (worst first)", "agree", "kappa (was)", "alpha", "segments"
                ),
                bold,
            ));
            let rows_h = inner.height.saturating_sub(lines.len() as u16) as usize;
            let offset = (state.selected + 1).saturating_sub(rows_h);
            for (row, &i) in state.order.iter().enumerate().skip(offset).take(rows_h) {
                let now = &state.now.per_code[i];
                let was = state
                    .before
                    .per_code
                    .iter()
                    .find(|c| c.code == now.code)
                    .and_then(|c| c.table.kappa());
                let name = fit(&app.code_name(&now.code), name_w);
                let s = &now.segments;
                let text = format!(
                    "{name:<name_w$} {:>8} {:>6} ({:>5}) {:>7} {:>11}",
                    show(now.table.percent_agreement(), true),
                    show(now.table.kappa(), false),
                    show(was, false),
                    show(now.table.alpha(), false),
                    format!("{}/{}/{}", s.matched, s.only_a, s.only_b)
                );
                let style = if row == state.selected {
                    theme.highlight(true)
                } else {
                    Style::default()
                };
                lines.push(Line::styled(text, style));
            }
            let pairs = if state.pairs.len() > 1 {
                format!(
                    " · {}",
                    hints::render(&app.keymap, Context::Agreement, hints::AGREEMENT_PAIRS)
                )
            } else {
                String::new()
            };
            format!(
                "{}{pairs} · segments: matched/only A/only B",
                hints::render(&app.keymap, Context::Agreement, hints::AGREEMENT_TABLE)
            )
        }
        Some((code, items, index)) => {
            lines.push(Line::styled(
                format!(
                    "{} · disagreement {} of {}",
                    app.code_name(code),
                    (index + 1).min(items.len()),
                    items.len()
                ),
                bold,
            ));
            if let Some(d) = items.get(*index)
                && let Some(t) = app.project().transcript(&d.transcript)
            {
                let context_start = d.start.saturating_sub(120);
                let context_end = (d.end + 120).min(t.char_len());
                // Line breaks become spaces: the excerpt is read as one flow of speech.
                let flat = |s: Option<&str>| s.unwrap_or("").replace('\n', " ");
                let before = flat(t.slice(context_start, d.start));
                let passage = flat(t.slice(d.start, d.end));
                let after = flat(t.slice(d.end, context_end));
                lines.push(Line::styled(
                    format!(
                        "{} ({}), characters {}-{}",
                        d.transcript, t.meta.participant, d.start, d.end
                    ),
                    theme.dim(),
                ));
                lines.push(Line::from(vec![
                    Span::styled(format!("…{}", sanitize_for_terminal(&before)), theme.dim()),
                    Span::styled(sanitize_for_terminal(&passage).into_owned(), bold),
                    Span::styled(format!("{}…", sanitize_for_terminal(&after)), theme.dim()),
                ]));
                lines.push(Line::raw(""));
                if let Some(how) = state.resolution_of(code, d) {
                    lines.push(Line::styled(format!("✓ Resolved: {how}"), bold));
                }
                for (who, segs) in [(&cmp.coder_a, &d.a), (&cmp.coder_b, &d.b)] {
                    if segs.is_empty() {
                        lines.push(Line::styled(
                            format!(
                                "{who}: did not code this passage with it; coded it instead: {}",
                                instead(app, who, d)
                            ),
                            bold,
                        ));
                    }
                    for s in segs {
                        let codes: Vec<String> = s.codes.iter().map(|c| app.code_name(c)).collect();
                        lines.push(Line::styled(
                            format!("{who}: [{}, {}) {}", s.start, s.end, codes.join(", ")),
                            bold,
                        ));
                        lines.push(Line::raw(format!(
                            "   “{}”",
                            sanitize_for_terminal(&crate::wording::one_line(&s.text))
                        )));
                    }
                }
            }
            hints::render(&app.keymap, Context::Agreement, hints::AGREEMENT_WALK)
        }
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(fit(&title, size.width.saturating_sub(4) as usize));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
    crate::tui::screens::code::draw::draw_footer(app, frame, &hint);
}
