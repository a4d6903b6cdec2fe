//! The words people read in more than one place, written once: counts with thousands
//! separators, agreement figures and their decimals, level names, agreement summaries and
//! the saturation sentence. The report, the commands and the TUI call these, so the same
//! number or finding is said the same way everywhere it is shown.

use crate::analysis::tables::{LevelCount, SaturationRow, coded_interviews, saturation_point};
use crate::model::Level;

/// Decimals of kappa and alpha in the report and the commands ("0.826").
pub const FIGURE_DECIMALS: usize = 3;

/// Decimals of kappa and alpha on screen, where columns are narrow ("0.83").
pub const SCREEN_DECIMALS: usize = 2;

/// `text` on one line, as a quote is cited or listed: every run of whitespace (line breaks
/// included) becomes one space, and leading and trailing whitespace goes.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// [`one_line`], shortened to `max` characters with "…" when longer (for listings).
pub fn one_line_cut(text: &str, max: usize) -> String {
    let flat = one_line(text);
    if flat.chars().count() > max {
        format!(
            "{}…",
            flat.chars().take(max.saturating_sub(1)).collect::<String>()
        )
    } else {
        flat
    }
}

/// 13276 -> "13,276".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 segment", "2 segments", "13,276 words".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// An agreement figure: a percentage with one decimal ("87.5%"), kappa or alpha with
/// `decimals`, or "—" when it is undefined (which is not zero).
pub fn figure(x: Option<f64>, percent: bool, decimals: usize) -> String {
    match x {
        None => "—".into(),
        Some(v) if percent => format!("{v:.1}%"),
        Some(v) => format!("{v:.decimals$}"),
    }
}

/// "agreement 87.5%{sep}kappa 0.826{sep}alpha 0.826".
pub fn agreement_summary(
    percent: Option<f64>,
    kappa: Option<f64>,
    alpha: Option<f64>,
    decimals: usize,
    separator: &str,
) -> String {
    format!(
        "agreement {}{separator}kappa {}{separator}alpha {}",
        figure(percent, true, decimals),
        figure(kappa, false, decimals),
        figure(alpha, false, decimals)
    )
}

/// "code", "sub-theme", "theme".
pub fn level_name(level: Level) -> &'static str {
    level.label()
}

/// "codes", "sub-themes", "themes".
pub fn level_plural(level: Level) -> &'static str {
    match level {
        Level::Code => "codes",
        Level::SubTheme => "sub-themes",
        Level::Theme => "themes",
    }
}

/// "Codes", "Sub-themes", "Themes": a level as a heading or at the start of a sentence.
pub fn level_heading(level: Level) -> &'static str {
    match level {
        Level::Code => "Codes",
        Level::SubTheme => "Sub-themes",
        Level::Theme => "Themes",
    }
}

/// The levels from the most detailed up, as saturation tables list them.
pub const LEVELS_UP: [Level; 3] = [Level::Code, Level::SubTheme, Level::Theme];

/// Picks one level's counts out of a saturation row.
pub fn level_pick(level: Level) -> fn(&SaturationRow) -> &LevelCount {
    match level {
        Level::Code => |r| &r.codes,
        Level::SubTheme => |r| &r.sub_themes,
        Level::Theme => |r| &r.themes,
    }
}

/// Whether, and where, `level` reached saturation over `rows` (interviews in order; a run of
/// `run` coded interviews without anything new is needed), e.g. "Codes: saturation reached
/// after p07 (coded interview 7 of 12, Participant 7): no new code in the 5 coded interviews
/// that followed (a run of 3 is required; all 12 transcripts coded)." `participants` holds
/// each row's participant label. Only coded interviews count.
pub fn saturation_sentence(
    rows: &[SaturationRow],
    participants: &[String],
    level: Level,
    run: usize,
) -> String {
    let (label, word) = (level_heading(level), level_name(level));
    let coded = coded_interviews(rows);
    let at = |i: usize| {
        let who = participants.get(i).map_or("", String::as_str);
        format!(
            "{} (coded interview {} of {coded}, {who})",
            rows[i].transcript,
            coded_interviews(&rows[..=i])
        )
    };
    let base = if coded == rows.len() {
        format!("all {} transcripts coded", rows.len())
    } else {
        format!("{coded} of {} transcripts coded", rows.len())
    };
    let pick = level_pick(level);
    if let Some(i) = saturation_point(rows, run, pick) {
        return format!(
            "{label}: saturation reached after {}: no new {word} in the {} coded interviews that followed (a run of {run} is required; {base}).",
            at(i),
            coded_interviews(&rows[i + 1..])
        );
    }
    match rows.iter().rposition(|r| r.coded && pick(r).new > 0) {
        Some(last) => format!(
            "{label}: saturation not reached: the last new {word} appeared in {}, followed by {} without a new one (a run of {run} is required; {base}).",
            at(last),
            count(
                coded_interviews(&rows[last + 1..]),
                "coded interview",
                "coded interviews"
            )
        ),
        None => format!("{label}: saturation not reached: no {word} has been applied yet."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_joins_lines_and_cuts_long_text_at_characters_not_bytes() {
        assert_eq!(
            one_line("  We met\r\n\tevery   week.\n"),
            "We met every week."
        );
        assert_eq!(one_line_cut("a b c", 10), "a b c");
        assert_eq!(one_line_cut("ééééé\néé", 4), "ééé…");
    }

    #[test]
    fn thousands_groups_by_three_from_the_right() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(13276), "13,276");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn counts_are_singular_for_one_only() {
        assert_eq!(count(0, "memo", "memos"), "0 memos");
        assert_eq!(count(1, "memo", "memos"), "1 memo");
        assert_eq!(count(2500, "word", "words"), "2,500 words");
    }

    #[test]
    fn figures_round_to_their_decimals_and_undefined_is_a_dash() {
        assert_eq!(figure(Some(0.82649), false, FIGURE_DECIMALS), "0.826");
        assert_eq!(figure(Some(0.82649), false, SCREEN_DECIMALS), "0.83");
        assert_eq!(figure(Some(87.54), true, FIGURE_DECIMALS), "87.5%");
        assert_eq!(figure(None, false, 3), "—");
        assert_eq!(
            agreement_summary(Some(90.0), Some(0.5), None, 2, " · "),
            "agreement 90.0% · kappa 0.50 · alpha —"
        );
    }

    #[test]
    fn level_words() {
        let said: Vec<String> = LEVELS_UP
            .iter()
            .map(|&l| format!("{}/{}/{}", level_name(l), level_plural(l), level_heading(l)))
            .collect();
        assert_eq!(
            said,
            [
                "code/codes/Codes",
                "sub-theme/sub-themes/Sub-themes",
                "theme/themes/Themes"
            ]
        );
    }
}
