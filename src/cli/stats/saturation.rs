//! `thematic stats DIR saturation`: per transcript in interview order, the codes (and
//! sub-themes, themes) seen for the first time, and where saturation was reached.

use super::super::output::Listing;
use super::super::text_table::Table;
use super::{DEFAULT_RUN, name};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Stdout;
use thematic::analysis::tables::{
    LevelCount, SaturationRow, Scope, ScopeSummary, coded_interviews, saturation, saturation_point,
};
use thematic::model::Project;
use thematic::wording::saturation_sentence;

#[derive(Serialize)]
struct SaturationOut {
    transcript: String,
    order: Option<u32>,
    coded: bool,
    new_codes: usize,
    cumulative_codes: usize,
    new_sub_themes: usize,
    cumulative_sub_themes: usize,
    new_themes: usize,
    cumulative_themes: usize,
    first_seen_codes: Vec<String>,
}

pub struct Saturation {
    summary: ScopeSummary,
    run: usize,
    rows: Vec<SaturationRow>,
    out: Vec<SaturationOut>,
    /// Each row's participant, for the sentences.
    participants: Vec<String>,
}

pub fn table(
    project: &Project,
    scope: &Scope,
    summary: ScopeSummary,
    run: Option<usize>,
) -> Saturation {
    let run = run.unwrap_or(DEFAULT_RUN).max(1);
    let rows = saturation(project, scope);
    let out = rows.iter().map(|r| row_out(project, r)).collect();
    let participants = thematic::analysis::tables::participants(project, &rows);
    Saturation {
        summary,
        run,
        rows,
        out,
        participants,
    }
}

fn row_out(project: &Project, r: &SaturationRow) -> SaturationOut {
    SaturationOut {
        transcript: r.transcript.to_string(),
        order: r.order,
        coded: r.coded,
        new_codes: r.codes.new,
        cumulative_codes: r.codes.cumulative,
        new_sub_themes: r.sub_themes.new,
        cumulative_sub_themes: r.sub_themes.cumulative,
        new_themes: r.themes.new,
        cumulative_themes: r.themes.cumulative,
        first_seen_codes: r
            .codes
            .first_seen
            .iter()
            .map(|c| name(project, c))
            .collect(),
    }
}

impl Saturation {
    /// The transcript after which a level was saturated, if it was.
    fn point(&self, pick: fn(&SaturationRow) -> &LevelCount) -> Option<String> {
        saturation_point(&self.rows, self.run, pick).map(|i| self.rows[i].transcript.to_string())
    }
}

impl Listing for Saturation {
    fn table(&self) -> String {
        let mut t = Table::new(&[
            "Transcript",
            "Order",
            "Coded",
            "New codes",
            "Codes so far",
            "New sub-themes",
            "New themes",
            "First seen",
        ])
        .right_align(&[1, 3, 4, 5, 6]);
        for r in &self.out {
            let (new, subs, themes) = if r.coded {
                (
                    r.new_codes.to_string(),
                    r.new_sub_themes.to_string(),
                    r.new_themes.to_string(),
                )
            } else {
                ("—".into(), "—".into(), "—".into())
            };
            t.row(vec![
                r.transcript.clone(),
                r.order.map(|o| o.to_string()).unwrap_or_default(),
                if r.coded { "yes" } else { "not coded" }.to_string(),
                new,
                r.cumulative_codes.to_string(),
                subs,
                themes,
                r.first_seen_codes.join(", "),
            ]);
        }
        let mut text = format!("{}\n\n{}\n", self.summary.line(), t.render());
        for level in thematic::wording::LEVELS_UP {
            let said = saturation_sentence(&self.rows, &self.participants, level, self.run);
            let _ = writeln!(text, "{said}");
        }
        text
    }

    fn csv(&self, w: &mut csv::Writer<Stdout>) -> Result<(), csv::Error> {
        w.write_record([
            "transcript",
            "order",
            "coded",
            "new_codes",
            "cumulative_codes",
            "new_sub_themes",
            "cumulative_sub_themes",
            "new_themes",
            "cumulative_themes",
        ])?;
        for r in &self.out {
            w.write_record([
                r.transcript.clone(),
                r.order.map(|o| o.to_string()).unwrap_or_default(),
                r.coded.to_string(),
                r.new_codes.to_string(),
                r.cumulative_codes.to_string(),
                r.new_sub_themes.to_string(),
                r.cumulative_sub_themes.to_string(),
                r.new_themes.to_string(),
                r.cumulative_themes.to_string(),
            ])?;
        }
        Ok(())
    }

    fn json(&self) -> impl Serialize + '_ {
        serde_json::json!({
            "scope": self.summary,
            "run": self.run,
            "coded_transcripts": coded_interviews(&self.rows),
            "reached_after": {
                "codes": self.point(|r| &r.codes),
                "sub_themes": self.point(|r| &r.sub_themes),
                "themes": self.point(|r| &r.themes),
            },
            "transcripts": self.out
        })
    }

    fn csv_note(&self) -> Option<String> {
        Some(self.summary.line())
    }
}
