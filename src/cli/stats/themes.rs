//! `thematic stats DIR themes`: each theme and sub-theme with its participants, segments and
//! an exemplar quote.

use super::super::output::Listing;
use super::name;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Stdout;
use thematic::analysis::tables::{Scope, ScopeSummary, ThemeRow, theme_table};
use thematic::model::{Level, Project};

pub struct Themes<'p> {
    project: &'p Project,
    summary: ScopeSummary,
    rows: Vec<ThemeRow>,
}

pub fn table<'p>(project: &'p Project, scope: &Scope, summary: ScopeSummary) -> Themes<'p> {
    Themes {
        project,
        summary,
        rows: theme_table(project, scope),
    }
}

impl Listing for Themes<'_> {
    fn table(&self) -> String {
        let mut text = format!("{}\n\n", self.summary.line());
        for r in &self.rows {
            let indent = if r.level == Level::Theme { "" } else { "  " };
            let tags = if r.tags.is_empty() {
                String::new()
            } else {
                format!(" [{}]", r.tags.join(", "))
            };
            let _ = writeln!(
                text,
                "{indent}{}{tags}: {} participant(s), {} segment(s)",
                name(self.project, &r.code),
                r.participants,
                r.segments
            );
            if let Some(q) = &r.exemplar {
                // The exact quote; its own line breaks stay, indented.
                for line in q.lines() {
                    let line = thematic::text::sanitize_for_terminal(line);
                    let _ = writeln!(text, "{indent}    {line}");
                }
            }
        }
        text
    }

    fn csv(&self, w: &mut csv::Writer<Stdout>) -> Result<(), csv::Error> {
        w.write_record([
            "level",
            "name",
            "tags",
            "participants",
            "segments",
            "exemplar",
        ])?;
        for r in &self.rows {
            w.write_record([
                r.level.label().to_string(),
                name(self.project, &r.code),
                r.tags.join(";"),
                r.participants.to_string(),
                r.segments.to_string(),
                r.exemplar.clone().unwrap_or_default(),
            ])?;
        }
        Ok(())
    }

    fn json(&self) -> impl Serialize + '_ {
        let project = self.project;
        let list: Vec<serde_json::Value> = self.rows.iter().map(|r| serde_json::json!({ "name": name(project, &r.code), "code_id": r.code.to_string(), "level": r.level.label(), "tags": r.tags, "participants": r.participants, "segments": r.segments, "exemplar": r.exemplar })).collect();
        serde_json::json!({ "scope": self.summary, "themes": list })
    }

    fn csv_note(&self) -> Option<String> {
        Some(self.summary.line())
    }
}
