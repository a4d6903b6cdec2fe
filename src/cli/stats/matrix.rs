//! `thematic stats DIR matrix`: codes (or sub-themes, themes) by transcript or by an
//! attribute's values.

use super::super::command_error::CommandError;
use super::super::output::Listing;
use super::super::text_table::Table;
use super::{Args, LevelArg, MeasureArg, name};
use serde::Serialize;
use std::io::Stdout;
use thematic::analysis::tables::{
    Matrix, Measure, NO_VALUE_COLUMN, Scope, ScopeSummary, check_attribute, matrix, percent_label,
};
use thematic::model::{Level, Project};

pub struct MatrixTable<'p> {
    project: &'p Project,
    summary: ScopeSummary,
    level: Level,
    by: Option<String>,
    m: Matrix,
}

pub fn table<'p>(
    project: &'p Project,
    scope: &Scope,
    summary: ScopeSummary,
    args: &Args,
) -> Result<MatrixTable<'p>, CommandError> {
    let level = match args.level.unwrap_or(LevelArg::Code) {
        LevelArg::Code => Level::Code,
        LevelArg::SubTheme => Level::SubTheme,
        LevelArg::Theme => Level::Theme,
    };
    let measure = match args.measure.unwrap_or(MeasureArg::Segments) {
        MeasureArg::Segments => Measure::Segments,
        MeasureArg::Characters => Measure::Characters,
        MeasureArg::Presence => Measure::Presence,
    };
    if let Some(by) = &args.by {
        check_attribute(project, by)?;
    }
    let m = matrix(project, scope, level, measure, args.by.as_deref());
    Ok(MatrixTable {
        project,
        summary,
        level,
        by: args.by.clone(),
        m,
    })
}

impl Listing for MatrixTable<'_> {
    fn table(&self) -> String {
        let (m, level) = (&self.m, self.level);
        let mut headers: Vec<&str> = vec![level.label()];
        headers.extend(m.columns.iter().map(String::as_str));
        headers.extend(["Total", "% of coded transcripts"]);
        let mut t = Table::new(&headers).right_align(&(1..headers.len()).collect::<Vec<_>>());
        let with_percent = self.by.is_some();
        for r in &m.rows {
            let mut row = vec![name(self.project, &r.code)];
            row.extend(r.cells.iter().zip(&r.percent_of_transcripts).map(|(c, p)| {
                if with_percent {
                    format!("{c} ({})", percent_label(*p))
                } else {
                    c.to_string()
                }
            }));
            row.extend([r.total.to_string(), percent_label(r.percent_total)]);
            t.row(row);
        }
        let mut totals = vec!["Total".to_string()];
        totals.extend(m.column_totals.iter().map(ToString::to_string));
        t.row(totals);
        let mut text = format!("{}\n\n{}", self.summary.line(), t.render());
        if with_percent {
            text.push_str(&format!(
                "(in brackets: the share of that column's coded transcripts with the {}; {NO_VALUE_COLUMN}: transcripts without the attribute)\n",
                level.label()
            ));
        }
        text
    }

    fn csv(&self, w: &mut csv::Writer<Stdout>) -> Result<(), csv::Error> {
        let mut header = vec!["code".to_string()];
        header.extend(self.m.columns.iter().cloned());
        header.extend(["total".into(), "percent_of_transcripts".into()]);
        w.write_record(&header)?;
        for r in &self.m.rows {
            let mut rec = vec![self.project.codebook.path(&r.code)];
            rec.extend(r.cells.iter().map(ToString::to_string));
            rec.extend([
                r.total.to_string(),
                r.percent_total
                    .map(|p| format!("{p:.1}"))
                    .unwrap_or_default(),
            ]);
            w.write_record(&rec)?;
        }
        Ok(())
    }

    fn json(&self) -> impl Serialize + '_ {
        let (m, project) = (&self.m, self.project);
        let rows: Vec<serde_json::Value> = m
            .rows
            .iter()
            .map(|r| serde_json::json!({ "code": name(project, &r.code), "code_id": r.code.to_string(), "path": project.codebook.path(&r.code), "cells": r.cells, "total": r.total, "percent_of_transcripts": r.percent_of_transcripts, "percent_total": r.percent_total }))
            .collect();
        serde_json::json!({ "scope": self.summary, "measure": m.measure, "level": self.level.label(), "by": self.by, "columns": m.columns, "column_transcripts": m.column_transcripts.iter().map(Vec::len).collect::<Vec<_>>(), "rows": rows, "column_totals": m.column_totals })
    }

    fn csv_note(&self) -> Option<String> {
        Some(self.summary.line())
    }
}
