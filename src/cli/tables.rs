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
    LevelCount, Measure, NO_VALUE_COLUMN, SaturationRow, Scope, ScopeSummary, check_attribute,
    coded_interviews, cooccurrence, matrix, percent_label, saturation, saturation_point,
    theme_table,
};
use thematic::model::{CodeId, CoderId, Level, Project};
use thematic::wording::saturation_sentence;

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
    /// Matrix: columns by this attribute's values (default: by transcript).
    #[arg(long, value_name = "ATTRIBUTE")]
    pub by: Option<String>,
    /// Matrix: rows are codes, sub-themes or themes [default: code].
    #[arg(long, value_enum)]
    pub level: Option<LevelArg>,
    /// Matrix: what a cell counts [default: segments].
    #[arg(long, value_enum)]
    pub measure: Option<MeasureArg>,
    /// Saturation: how many coded transcripts in a row without a new code mark it reached [default: 3].
    #[arg(long)]
    pub run: Option<usize>,
    /// Whose coding the table counts: coder ids separated by commas, or `all` (the default:
    /// every coder whose work you may see).
    #[arg(long, value_name = "A,B|all")]
    pub coders: Option<String>,
    /// Only transcripts with this attribute value, e.g. --attr organisation="Brookfield Council" (repeatable).
    #[arg(long = "attr", value_name = "KEY=VALUE")]
    pub attrs: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The default run of `--run`, the Analysis view and the report.
const DEFAULT_RUN: usize = 3;

impl StatsArgs {
    /// The table options given, with the tables that use them.
    fn table_options(&self) -> [(&'static str, bool, &'static [&'static str]); 6] {
        [
            ("--by", self.by.is_some(), &["matrix"]),
            ("--level", self.level.is_some(), &["matrix"]),
            ("--measure", self.measure.is_some(), &["matrix"]),
            ("--run", self.run.is_some(), &["saturation"]),
            (
                "--coders",
                self.coders.is_some(),
                &["saturation", "matrix", "cooccurrence", "themes"],
            ),
            (
                "--attr",
                !self.attrs.is_empty(),
                &["saturation", "matrix", "cooccurrence", "themes"],
            ),
        ]
    }

    /// Refuses an option the table (or the plain counts, `table` None) does not use, rather
    /// than silently ignoring it.
    fn refuse_unused(&self, table: Option<&str>) -> Result<(), Failure> {
        for (option, given, used_by) in self.table_options() {
            if !given || table.is_some_and(|t| used_by.contains(&t)) {
                continue;
            }
            let what = table.map_or(
                "the project's counts (`thematic stats DIR`)".to_string(),
                |t| format!("the {t} table"),
            );
            return Err(Failure(format!(
                "{option} is not used by {what}; it applies to: {}",
                used_by.join(", ")
            )));
        }
        Ok(())
    }
}

/// `thematic stats DIR` without a table: the project's counts, which take no table option.
pub fn project_counts(args: StatsArgs, viewer: Option<&str>) -> Outcome {
    args.refuse_unused(None)?;
    super::commands::stats(&args.dir, args.format, viewer)
}

fn name(project: &Project, id: &CodeId) -> String {
    project.codebook.name_or_id(id)
}

/// Whose coding a command counts, from `--coders`, checked against the project (an unknown
/// coder is an error naming those there are), with the scope in words.
pub(super) fn coders_in_scope(
    project: &Project,
    arg: Option<&str>,
) -> Result<(Coders, ScopeSummary), Failure> {
    let scope = Scope {
        coders: parse_coders(arg)?,
        ..Scope::default()
    };
    scope.check(project).map_err(|e| Failure(e.to_string()))?;
    let summary = scope.summary(project);
    Ok((scope.coders, summary))
}

/// `--coders A,B` or `--coders all`; without it, every coder (the project as opened holds
/// only the work its viewer may see).
fn parse_coders(arg: Option<&str>) -> Result<Coders, Failure> {
    let Some(arg) = arg.map(str::trim) else {
        return Ok(Coders::All);
    };
    if arg.eq_ignore_ascii_case("all") {
        return Ok(Coders::All);
    }
    let ids: Vec<CoderId> = arg
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(CoderId::new)
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Err(Failure(
            "--coders: give coder ids separated by commas, or `all`".into(),
        ));
    }
    Ok(Coders::Only(ids))
}

fn parse_attributes(pairs: &[String]) -> Result<Vec<(String, String)>, Failure> {
    let mut attributes: Vec<(String, String)> = Vec::new();
    for pair in pairs {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| Failure(format!("--attr {pair:?}: expected KEY=VALUE")))?;
        let (k, v) = (k.trim().to_string(), v.trim().to_string());
        if attributes.iter().any(|(other, _)| *other == k) {
            return Err(Failure(format!(
                "--attr {k} is given twice; a transcript has one value of it"
            )));
        }
        attributes.push((k, v));
    }
    Ok(attributes)
}

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

/// Writes the scope where a CSV reader will not trip over it: on standard error.
pub(super) fn scope_note(summary: &ScopeSummary) {
    eprintln!("{}", summary.line());
}

pub fn stats(args: StatsArgs, viewer: Option<&str>) -> Outcome {
    // `viewer` (--coder, else config.yaml's coder) is who runs the command: the project is
    // theirs to see (blindness), not a filter of whose coding is counted.
    let table = match args.what {
        None => return project_counts(args, viewer),
        Some(What::Saturation) => "saturation",
        Some(What::Matrix) => "matrix",
        Some(What::Cooccurrence) => "cooccurrence",
        Some(What::Themes) => "themes",
    };
    args.refuse_unused(Some(table))?;
    let loaded = thematic::store::load(&args.dir)?;
    let seen = super::seen_by(&loaded.project, viewer)?;
    let project = &*seen;
    let scope = Scope {
        coders: parse_coders(args.coders.as_deref())?,
        attributes: parse_attributes(&args.attrs)?,
        ..Scope::default()
    };
    scope.check(project).map_err(|e| Failure(e.to_string()))?;
    let summary = scope.summary(project);
    let csv_out = || csv::Writer::from_writer(std::io::stdout());
    match args.what {
        None => unreachable!("plain stats is handled above"),
        Some(What::Saturation) => {
            let run = args.run.unwrap_or(DEFAULT_RUN).max(1);
            let rows = saturation(project, &scope);
            let out: Vec<SaturationOut> = rows
                .iter()
                .map(|r| SaturationOut {
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
                })
                .collect();
            let point = |pick: fn(&SaturationRow) -> &LevelCount| {
                saturation_point(&rows, run, pick).map(|i| rows[i].transcript.to_string())
            };
            let (codes, subs, themes) = (
                point(|r| &r.codes),
                point(|r| &r.sub_themes),
                point(|r| &r.themes),
            );
            match args.format {
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "scope": summary,
                        "run": run,
                        "coded_transcripts": coded_interviews(&rows),
                        "reached_after": { "codes": codes, "sub_themes": subs, "themes": themes },
                        "transcripts": out
                    }))?
                ),
                Format::Csv => {
                    scope_note(&summary);
                    let mut w = csv_out();
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
                    for r in &out {
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
                    w.flush()?;
                }
                Format::Table => {
                    println!("{}\n", summary.line());
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
                    for r in &out {
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
                    print!("{}", t.render());
                    println!();
                    let participants: Vec<String> = rows
                        .iter()
                        .map(|r| {
                            project.transcript(&r.transcript).map_or_else(
                                || r.transcript.to_string(),
                                |t| t.meta.participant.clone(),
                            )
                        })
                        .collect();
                    for level in thematic::wording::LEVELS_UP {
                        let said = saturation_sentence(&rows, &participants, level, run);
                        println!("{said}");
                    }
                }
            }
        }
        Some(What::Matrix) => {
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
                check_attribute(project, by).map_err(|e| Failure(e.to_string()))?;
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
                            &serde_json::json!({ "scope": summary, "measure": m.measure, "level": level.label(), "by": args.by, "columns": m.columns, "column_transcripts": m.column_transcripts.iter().map(Vec::len).collect::<Vec<_>>(), "rows": rows, "column_totals": m.column_totals })
                        )?
                    );
                }
                Format::Csv => {
                    scope_note(&summary);
                    let mut w = csv_out();
                    let mut header = vec!["code".to_string()];
                    header.extend(m.columns.iter().cloned());
                    header.extend(["total".into(), "percent_of_transcripts".into()]);
                    w.write_record(&header)?;
                    for r in &m.rows {
                        let mut rec = vec![project.codebook.path(&r.code)];
                        rec.extend(r.cells.iter().map(ToString::to_string));
                        rec.extend([
                            r.total.to_string(),
                            r.percent_total
                                .map(|p| format!("{p:.1}"))
                                .unwrap_or_default(),
                        ]);
                        w.write_record(&rec)?;
                    }
                    w.flush()?;
                }
                Format::Table => {
                    println!("{}\n", summary.line());
                    let mut headers: Vec<&str> = vec![level.label()];
                    headers.extend(m.columns.iter().map(String::as_str));
                    headers.extend(["Total", "% of coded transcripts"]);
                    let mut t =
                        Table::new(&headers).right_align(&(1..headers.len()).collect::<Vec<_>>());
                    let with_percent = args.by.is_some();
                    for r in &m.rows {
                        let mut row = vec![name(project, &r.code)];
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
                    print!("{}", t.render());
                    if with_percent {
                        println!(
                            "(in brackets: the share of that column's coded transcripts with the {}; {NO_VALUE_COLUMN}: transcripts without the attribute)",
                            level.label()
                        );
                    }
                }
            }
        }
        Some(What::Cooccurrence) => {
            let pairs = cooccurrence(project, &scope);
            let level = |id: &CodeId| project.codebook.get(id).map(|c| c.level.label());
            match args.format {
                Format::Json => {
                    let list: Vec<serde_json::Value> = pairs.iter().map(|p| serde_json::json!({ "a": name(project, &p.a), "a_id": p.a.to_string(), "a_level": level(&p.a), "b": name(project, &p.b), "b_id": p.b.to_string(), "b_level": level(&p.b), "count": p.count, "transcripts": p.transcripts })).collect();
                    println!(
                        "{}",
                        serde_json::to_string_pretty(
                            &serde_json::json!({ "scope": summary, "pairs": list })
                        )?
                    );
                }
                Format::Csv => {
                    scope_note(&summary);
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
                    println!("{}\n", summary.line());
                    let mut t = Table::new(&["Node", "With node", "Times", "Transcripts"])
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
                        "(nodes applied to overlapping text by one coder in one transcript, each at its own level; most frequent first)"
                    );
                }
            }
        }
        Some(What::Themes) => {
            let rows = theme_table(project, &scope);
            match args.format {
                Format::Json => {
                    let list: Vec<serde_json::Value> = rows.iter().map(|r| serde_json::json!({ "name": name(project, &r.code), "code_id": r.code.to_string(), "level": r.level.label(), "tags": r.tags, "participants": r.participants, "segments": r.segments, "exemplar": r.exemplar })).collect();
                    println!(
                        "{}",
                        serde_json::to_string_pretty(
                            &serde_json::json!({ "scope": summary, "themes": list })
                        )?
                    );
                }
                Format::Csv => {
                    scope_note(&summary);
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
                    println!("{}\n", summary.line());
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
                            // The exact quote; its own line breaks stay, indented.
                            for line in q.lines() {
                                let line = thematic::text::sanitize_for_terminal(line);
                                println!("{indent}    {line}");
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
