//! `thematic stats DIR saturation|matrix|cooccurrence|themes`.

use super::table::Table;
use super::{Failure, Outcome};
use crate::Format;
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use thematic::analysis::codebook::Coders;
use thematic::analysis::tables::{
    Measure, Scope, cooccurrence, matrix, saturation, saturation_point, theme_table,
};
use thematic::model::{CodeId, CoderId, Level, Project};

#[derive(Clone, Copy, ValueEnum)]
pub enum What {
    Saturation,
    Matrix,
    Cooccurrence,
    Themes,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum LevelArg {
    Code,
    SubTheme,
    Theme,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum MeasureArg {
    Segments,
    Characters,
    Presence,
}

#[derive(Args)]
pub struct StatsArgs {
    pub dir: PathBuf,
    /// One of the analysis tables (without it: the project's counts).
    #[arg(value_enum)]
    pub what: Option<What>,
    /// Matrix columns by this attribute's values (default: by transcript).
    #[arg(long, value_name = "ATTRIBUTE")]
    pub by: Option<String>,
    /// Matrix rows: codes, sub-themes or themes.
    #[arg(long, value_enum, default_value_t = LevelArg::Code)]
    pub level: LevelArg,
    /// What a matrix cell counts.
    #[arg(long, value_enum, default_value_t = MeasureArg::Segments)]
    pub measure: MeasureArg,
    /// Saturation: how many consecutive transcripts without a new code mark it reached.
    #[arg(long, default_value_t = 3)]
    pub run: usize,
    /// Only transcripts with this attribute value, e.g. --attr organisation="Brookfield Council" (repeatable).
    #[arg(long = "attr", value_name = "KEY=VALUE")]
    pub attrs: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

fn name(project: &Project, id: &CodeId) -> String {
    project.codebook.name_or_id(id)
}

#[derive(Serialize)]
struct SaturationOut {
    transcript: String,
    order: Option<u32>,
    new_codes: usize,
    cumulative_codes: usize,
    new_sub_themes: usize,
    cumulative_sub_themes: usize,
    new_themes: usize,
    cumulative_themes: usize,
    first_seen_codes: Vec<String>,
}

pub fn stats(args: StatsArgs, coder: Option<&str>) -> Outcome {
    let loaded = thematic::store::load(&args.dir)?;
    let seen = super::seen_by(&loaded.project, coder)?;
    let project = &*seen;
    let mut attributes = Vec::new();
    for pair in &args.attrs {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| Failure(format!("--attr {pair:?}: expected KEY=VALUE")))?;
        attributes.push((k.trim().to_string(), v.trim().to_string()));
    }
    let coders = match coder {
        Some(c) => Coders::Only(vec![CoderId::new(c)?]),
        None => Coders::All,
    };
    let scope = Scope { coders, attributes };
    let csv_out = || csv::Writer::from_writer(std::io::stdout());
    match args.what {
        None => unreachable!("plain stats is handled by the caller"),
        Some(What::Saturation) => {
            let rows = saturation(project, &scope);
            let out: Vec<SaturationOut> = rows
                .iter()
                .map(|r| SaturationOut {
                    transcript: r.transcript.to_string(),
                    order: r.order,
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
                })
                .collect();
            let point = |pick: fn(
                &thematic::analysis::tables::SaturationRow,
            ) -> &thematic::analysis::tables::LevelCount| {
                saturation_point(&rows, args.run, pick).map(|i| rows[i].transcript.to_string())
            };
            let (codes, subs, themes) = (
                point(|r| &r.codes),
                point(|r| &r.sub_themes),
                point(|r| &r.themes),
            );
            match args.format {
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &serde_json::json!({ "run": args.run, "reached_after": { "codes": codes, "sub_themes": subs, "themes": themes }, "transcripts": out })
                    )?
                ),
                Format::Csv => {
                    let mut w = csv_out();
                    w.write_record([
                        "transcript",
                        "order",
                        "new_codes",
                        "cumulative_codes",
                        "new_sub_themes",
                        "cumulative_sub_themes",
                        "new_themes",
                        "cumulative_themes",
                    ])?;
                    for r in &out {
                        w.write_record([
                            r.transcript.clone(),
                            r.order.map(|o| o.to_string()).unwrap_or_default(),
                            r.new_codes.to_string(),
                            r.cumulative_codes.to_string(),
                            r.new_sub_themes.to_string(),
                            r.cumulative_sub_themes.to_string(),
                            r.new_themes.to_string(),
                            r.cumulative_themes.to_string(),
                        ])?;
                    }
                    w.flush()?;
                }
                Format::Table => {
                    let mut t = Table::new(&[
                        "Transcript",
                        "Order",
                        "New codes",
                        "Codes so far",
                        "New sub-themes",
                        "New themes",
                        "First seen",
                    ])
                    .right_align(&[1, 2, 3, 4, 5]);
                    for r in &out {
                        t.row(vec![
                            r.transcript.clone(),
                            r.order.map(|o| o.to_string()).unwrap_or_default(),
                            r.new_codes.to_string(),
                            r.cumulative_codes.to_string(),
                            r.new_sub_themes.to_string(),
                            r.new_themes.to_string(),
                            r.first_seen_codes.join(", "),
                        ]);
                    }
                    print!("{}", t.render());
                    let say = |what: &str, at: Option<String>| match at {
                        Some(t) => println!(
                            "{what}: saturation reached after {t} (no new one in the next {} or more transcripts)",
                            args.run
                        ),
                        None => println!(
                            "{what}: saturation not reached ({} transcripts in a row without a new one never happens)",
                            args.run
                        ),
                    };
                    println!();
                    say("Codes", codes);
                    say("Sub-themes", subs);
                    say("Themes", themes);
                }
            }
        }
        Some(What::Matrix) => {
            let level = match args.level {
                LevelArg::Code => Level::Code,
                LevelArg::SubTheme => Level::SubTheme,
                LevelArg::Theme => Level::Theme,
            };
            let measure = match args.measure {
                MeasureArg::Segments => Measure::Segments,
                MeasureArg::Characters => Measure::Characters,
                MeasureArg::Presence => Measure::Presence,
            };
            if let Some(by) = &args.by
                && !project.meta.attributes.iter().any(|a| &a.name == by)
            {
                return Err(Failure(format!("no attribute {by:?}")));
            }
            let m = matrix(project, &scope, level, measure, args.by.as_deref());
            match args.format {
                Format::Json => {
                    let rows: Vec<serde_json::Value> = m
                        .rows
                        .iter()
                        .map(|r| serde_json::json!({ "code": name(project, &r.code), "code_id": r.code.to_string(), "path": project.codebook.path(&r.code), "cells": r.cells, "total": r.total, "percent_of_transcripts": r.percent_of_transcripts, "percent_total": r.percent_total }))
                        .collect();
                    println!(
                        "{}",
                        serde_json::to_string_pretty(
                            &serde_json::json!({ "measure": m.measure, "level": level.label(), "columns": m.columns, "rows": rows, "column_totals": m.column_totals })
                        )?
                    );
                }
                Format::Csv => {
                    let mut w = csv_out();
                    let mut header = vec!["code".to_string()];
                    header.extend(m.columns.iter().cloned());
                    header.extend(["total".into(), "percent_of_transcripts".into()]);
                    w.write_record(&header)?;
                    for r in &m.rows {
                        let mut rec = vec![project.codebook.path(&r.code)];
                        rec.extend(r.cells.iter().map(ToString::to_string));
                        rec.extend([r.total.to_string(), format!("{:.1}", r.percent_total)]);
                        w.write_record(&rec)?;
                    }
                    w.flush()?;
                }
                Format::Table => {
                    let mut headers: Vec<&str> = vec![level.label()];
                    headers.extend(m.columns.iter().map(String::as_str));
                    headers.extend(["Total", "% of transcripts"]);
                    let mut t =
                        Table::new(&headers).right_align(&(1..headers.len()).collect::<Vec<_>>());
                    let with_percent = args.by.is_some();
                    for r in &m.rows {
                        let mut row = vec![name(project, &r.code)];
                        row.extend(r.cells.iter().zip(&r.percent_of_transcripts).map(|(c, p)| {
                            if with_percent {
                                format!("{c} ({p:.0}%)")
                            } else {
                                c.to_string()
                            }
                        }));
                        row.extend([r.total.to_string(), format!("{:.0}%", r.percent_total)]);
                        t.row(row);
                    }
                    let mut totals = vec!["Total".to_string()];
                    totals.extend(m.column_totals.iter().map(ToString::to_string));
                    t.row(totals);
                    print!("{}", t.render());
                    if with_percent {
                        println!(
                            "(in brackets: the share of that column's transcripts with the {})",
                            level.label()
                        );
                    }
                }
            }
        }
        Some(What::Cooccurrence) => {
            let pairs = cooccurrence(project, &scope);
            match args.format {
                Format::Json => {
                    let list: Vec<serde_json::Value> = pairs.iter().map(|p| serde_json::json!({ "a": name(project, &p.a), "a_id": p.a.to_string(), "b": name(project, &p.b), "b_id": p.b.to_string(), "count": p.count, "transcripts": p.transcripts })).collect();
                    println!("{}", serde_json::to_string_pretty(&list)?);
                }
                Format::Csv => {
                    let mut w = csv_out();
                    w.write_record(["a", "b", "count", "transcripts"])?;
                    for p in &pairs {
                        w.write_record([
                            project.codebook.path(&p.a),
                            project.codebook.path(&p.b),
                            p.count.to_string(),
                            p.transcripts.to_string(),
                        ])?;
                    }
                    w.flush()?;
                }
                Format::Table => {
                    let mut t = Table::new(&["Code", "With code", "Times", "Transcripts"])
                        .right_align(&[2, 3]);
                    for p in &pairs {
                        t.row(vec![
                            name(project, &p.a),
                            name(project, &p.b),
                            p.count.to_string(),
                            p.transcripts.to_string(),
                        ]);
                    }
                    print!("{}", t.render());
                    println!(
                        "(codes on overlapping text of one coder in one transcript; most frequent first)"
                    );
                }
            }
        }
        Some(What::Themes) => {
            let rows = theme_table(project, &scope);
            match args.format {
                Format::Json => {
                    let list: Vec<serde_json::Value> = rows.iter().map(|r| serde_json::json!({ "name": name(project, &r.code), "code_id": r.code.to_string(), "level": r.level.label(), "tags": r.tags, "participants": r.participants, "segments": r.segments, "exemplar": r.exemplar })).collect();
                    println!("{}", serde_json::to_string_pretty(&list)?);
                }
                Format::Csv => {
                    let mut w = csv_out();
                    w.write_record([
                        "level",
                        "name",
                        "tags",
                        "participants",
                        "segments",
                        "exemplar",
                    ])?;
                    for r in &rows {
                        w.write_record([
                            r.level.label().to_string(),
                            name(project, &r.code),
                            r.tags.join(";"),
                            r.participants.to_string(),
                            r.segments.to_string(),
                            r.exemplar.clone().unwrap_or_default(),
                        ])?;
                    }
                    w.flush()?;
                }
                Format::Table => {
                    for r in &rows {
                        let indent = if r.level == Level::Theme { "" } else { "  " };
                        let tags = if r.tags.is_empty() {
                            String::new()
                        } else {
                            format!(" [{}]", r.tags.join(", "))
                        };
                        println!(
                            "{indent}{}{tags}: {} participant(s), {} segment(s)",
                            name(project, &r.code),
                            r.participants,
                            r.segments
                        );
                        if let Some(q) = &r.exemplar {
                            println!("{indent}    {}", thematic::text::sanitize_for_terminal(q));
                        }
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
