//! `thematic codebook` and `thematic quotes`.

use super::commands::QuotesArgs;
use super::table::Table;
use super::{Failure, Outcome};
use crate::Format;
use clap::ValueEnum;
use serde::Serialize;
use std::path::Path;
use std::process::ExitCode;
use thematic::analysis::codebook::{NodeCounts, code_counts, near_duplicates};
use thematic::analysis::retrieve::{Quote, QuoteFilter, QuoteOrder, quotes as find_quotes};
use thematic::model::{Code, CodeId, Project};
use thematic::store;
use thematic::text::sanitize_for_terminal;

#[derive(Clone, Copy, ValueEnum)]
pub enum Sort {
    Transcript,
    Length,
}

#[derive(Serialize)]
struct NodeOut<'a> {
    id: &'a str,
    guid: String,
    name: &'a str,
    path: String,
    level: &'static str,
    colour: Option<String>,
    tags: &'a [String],
    description: &'a str,
    inclusion: &'a str,
    exclusion: &'a str,
    example: &'a str,
    counts: NodeCounts,
    /// Undefined (null) when the project has no transcripts.
    percent_of_transcripts: Option<f64>,
    children: Vec<NodeOut<'a>>,
}

fn node<'a>(
    project: &'a Project,
    code: &'a Code,
    counts: &std::collections::HashMap<CodeId, NodeCounts>,
) -> NodeOut<'a> {
    let c = counts.get(&code.id).copied().unwrap_or_default();
    let book = &project.codebook;
    NodeOut {
        id: code.id.as_str(),
        guid: code.guid.to_string(),
        name: &code.name,
        path: book.path(&code.id),
        level: code.level.label(),
        colour: code.colour.map(|c| c.to_string()),
        tags: &code.tags,
        description: &code.description,
        inclusion: &code.inclusion,
        exclusion: &code.exclusion,
        example: &code.example,
        counts: c,
        percent_of_transcripts: c.percent_of(project.transcript_count()).map(round1),
        children: book
            .children(Some(&code.id))
            .iter()
            .filter_map(|id| book.get(id))
            .map(|child| node(project, child, counts))
            .collect(),
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

pub fn codebook(
    dir: &Path,
    format: Format,
    brief: bool,
    coders: Option<&str>,
    viewer: Option<&str>,
) -> Outcome {
    let loaded = store::load(dir)?;
    let seen = super::seen_by(&loaded.project, viewer)?;
    let project = &*seen;
    let (coders, scope) = super::tables::coders_in_scope(project, coders)?;
    let counts = code_counts(project, &coders);
    let book = &project.codebook;
    let total = project.transcript_count();
    match format {
        Format::Json => {
            let tree: Vec<NodeOut> = book
                .children(None)
                .iter()
                .filter_map(|id| book.get(id))
                .map(|c| node(project, c, &counts))
                .collect();
            let warnings: Vec<String> = near_duplicates(book)
                .iter()
                .map(|d| {
                    format!(
                        "{:?} and {:?}: {}",
                        book.path(&d.a),
                        book.path(&d.b),
                        d.reason
                    )
                })
                .collect();
            #[derive(Serialize)]
            struct CodebookOut<'a> {
                scope: &'a thematic::analysis::tables::ScopeSummary,
                transcripts: usize,
                codes: Vec<NodeOut<'a>>,
                near_duplicates: Vec<String>,
            }
            let out = CodebookOut {
                scope: &scope,
                transcripts: total,
                codes: tree,
                near_duplicates: warnings,
            };
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
        Format::Csv => {
            super::tables::scope_note(&scope);
            let mut w = csv::Writer::from_writer(std::io::stdout());
            w.write_record([
                "path",
                "name",
                "level",
                "tags",
                "colour",
                "id",
                "guid",
                "description",
                "inclusion",
                "exclusion",
                "example",
                "own_segments",
                "segments",
                "transcripts",
                "percent_of_transcripts",
            ])?;
            for (_, code) in book.walk() {
                let c = counts.get(&code.id).copied().unwrap_or_default();
                w.write_record([
                    book.path(&code.id),
                    code.name.clone(),
                    code.level.label().into(),
                    code.tags.join(";"),
                    code.colour.map(|c| c.to_string()).unwrap_or_default(),
                    code.id.to_string(),
                    code.guid.to_string(),
                    code.description.clone(),
                    code.inclusion.clone(),
                    code.exclusion.clone(),
                    code.example.clone(),
                    c.own_segments.to_string(),
                    c.segments.to_string(),
                    c.transcripts.to_string(),
                    c.percent_of(total)
                        .map(|p| format!("{p:.1}"))
                        .unwrap_or_default(),
                ])?;
            }
            w.flush()?;
        }
        Format::Table => {
            println!("{}\n", scope.line());
            print!("{}", render_codebook(project, &counts, brief));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn render_codebook(
    project: &Project,
    counts: &std::collections::HashMap<CodeId, NodeCounts>,
    brief: bool,
) -> String {
    let book = &project.codebook;
    let total = project.transcript_count();
    let mut out = String::new();
    let mut table = Table::new(&["Code", "Level", "Tags", "Segments", "Transcripts", "%"])
        .right_align(&[3, 4, 5]);
    for (depth, code) in book.walk() {
        let c = counts.get(&code.id).copied().unwrap_or_default();
        table.row(vec![
            format!("{}{}", "  ".repeat(depth), code.name),
            code.level.label().into(),
            code.tags.join(", "),
            c.segments.to_string(),
            c.transcripts.to_string(),
            thematic::analysis::tables::percent_label(c.percent_of(total)),
        ]);
    }
    out.push_str(&table.render());
    if !brief {
        out.push_str("\nDefinitions\n");
        for (_, code) in book.walk() {
            out.push_str(&format!(
                "\n{} ({})\n",
                sanitize_for_terminal(&book.path(&code.id)),
                code.level.label()
            ));
            for (label, text) in [
                ("Description", &code.description),
                ("Include", &code.inclusion),
                ("Exclude", &code.exclusion),
                ("Example", &code.example),
            ] {
                if !text.trim().is_empty() {
                    out.push_str(&format!(
                        "  {label}: {}\n",
                        sanitize_for_terminal(&text.replace('\n', " "))
                    ));
                }
            }
        }
    }
    let duplicates = near_duplicates(book);
    if !duplicates.is_empty() {
        out.push_str("\nPossible duplicate codes\n");
        for d in duplicates {
            out.push_str(&format!(
                "  {} / {}: {}\n",
                book.path(&d.a),
                book.path(&d.b),
                d.reason
            ));
        }
    }
    out
}

#[derive(Serialize)]
struct QuoteOut<'a> {
    #[serde(flatten)]
    quote: &'a Quote,
    code_names: Vec<String>,
    citation: String,
}

pub fn quotes(args: QuotesArgs, coder: Option<&str>) -> Outcome {
    let loaded = store::load(&args.dir)?;
    let seen = super::seen_by(&loaded.project, coder)?;
    let project = &*seen;
    let found = project.codebook.find(&args.code);
    let code = match found.as_slice() {
        [one] => one.id.clone(),
        [] => {
            let wanted = args.code.to_lowercase();
            let close: Vec<String> = project
                .codebook
                .walk()
                .into_iter()
                .filter(|(_, c)| c.name.to_lowercase().contains(&wanted))
                .map(|(_, c)| project.codebook.path(&c.id))
                .take(8)
                .collect();
            let hint = if close.is_empty() {
                String::new()
            } else {
                format!("; did you mean: {}", close.join("; "))
            };
            return Err(Failure(format!(
                "no code named {:?} (give a name, a path such as \"Theme > Code\", or an id){hint}",
                args.code
            )));
        }
        many => {
            let paths: Vec<String> = many.iter().map(|c| project.codebook.path(&c.id)).collect();
            return Err(Failure(format!(
                "{:?} names {} codes; give the path: {}",
                args.code,
                many.len(),
                paths.join("; ")
            )));
        }
    };
    let mut attributes = Vec::new();
    for pair in &args.attrs {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| Failure(format!("--attr {pair:?}: expected KEY=VALUE")))?;
        attributes.push((k.trim().to_string(), v.trim().to_string()));
    }
    let (coders, _) = super::tables::coders_in_scope(project, args.coders.as_deref())?;
    let filter = QuoteFilter {
        coders,
        attributes,
        text: args.text.clone(),
        // No --transcript: every transcript.
        transcripts: (!args.transcripts.is_empty())
            .then(|| super::agreement::transcript_ids(project, &args.transcripts))
            .transpose()?,
    };
    let order = match args.sort {
        Sort::Transcript => QuoteOrder::Transcript,
        Sort::Length => QuoteOrder::Length,
    };
    let list = find_quotes(project, &code, !args.no_children, &filter, order);
    let names = |q: &Quote| {
        q.codes
            .iter()
            .map(|c| {
                project
                    .codebook
                    .get(c)
                    .map_or_else(|| c.to_string(), |c| c.name.clone())
            })
            .collect::<Vec<_>>()
    };
    match args.format {
        Format::Json => {
            let out: Vec<QuoteOut> = list
                .iter()
                .map(|q| QuoteOut {
                    quote: q,
                    code_names: names(q),
                    citation: q.cite(),
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
        Format::Csv => {
            let attribute_names: Vec<String> = project
                .meta
                .attributes
                .iter()
                .map(|a| a.name.clone())
                .collect();
            let mut w = csv::Writer::from_writer(std::io::stdout());
            let mut header: Vec<String> = [
                "transcript",
                "participant",
                "coder",
                "start",
                "end",
                "codes",
                "text",
            ]
            .map(String::from)
            .to_vec();
            header.extend(attribute_names.iter().cloned());
            w.write_record(&header)?;
            for q in &list {
                let mut record = vec![
                    q.transcript.to_string(),
                    q.participant.clone(),
                    q.coder.to_string(),
                    q.start.to_string(),
                    q.end.to_string(),
                    names(q).join("; "),
                    q.text.clone(),
                ];
                record.extend(
                    attribute_names
                        .iter()
                        .map(|a| q.attributes.get(a).cloned().unwrap_or_default()),
                );
                w.write_record(&record)?;
            }
            w.flush()?;
        }
        Format::Table => {
            println!(
                "{} — {} quote(s)\n",
                project.codebook.path(&code),
                list.len()
            );
            for q in &list {
                println!("{}", sanitize_for_terminal(&q.cite()));
                let attrs: Vec<String> = project
                    .meta
                    .attributes
                    .iter()
                    .filter_map(|a| q.attributes.get(&a.name))
                    .cloned()
                    .collect();
                println!(
                    "    {} · {} · [{}, {}) · {} · {}\n",
                    q.transcript,
                    q.coder,
                    q.start,
                    q.end,
                    names(q).join(", "),
                    attrs.join(", ")
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct SearchArgs {
    pub dir: std::path::PathBuf,
    /// The words to find (case-insensitive).
    pub query: String,
    /// Show at most this many hits.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(serde::Serialize)]
struct SearchHitOut<'a> {
    transcript: &'a str,
    participant: &'a str,
    start: usize,
    end: usize,
    before: String,
    text: String,
    after: String,
}

/// `thematic search DIR QUERY`: every place the words occur, across all transcripts.
pub fn search(args: SearchArgs, coder: Option<&str>) -> Outcome {
    let loaded = store::load(&args.dir)?;
    let seen = super::seen_by(&loaded.project, coder)?;
    let project = &*seen;
    let found = thematic::analysis::search::search(project, &args.query, args.limit);
    let rows: Vec<SearchHitOut> = found
        .hits
        .iter()
        .filter_map(|hit| {
            let t = project.transcript(&hit.transcript)?;
            let (before, text, after) = thematic::analysis::search::context(t, hit, 40);
            Some(SearchHitOut {
                transcript: t.id.as_str(),
                participant: &t.meta.participant,
                start: hit.start,
                end: hit.end,
                before,
                text,
                after,
            })
        })
        .collect();
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout());
            for row in &rows {
                w.serialize(row)?;
            }
            w.flush()?;
        }
        Format::Table => {
            let mut table =
                Table::new(&["transcript", "participant", "at", "context"]).right_align(&[2]);
            for row in &rows {
                table.row(vec![
                    row.transcript.to_string(),
                    row.participant.to_string(),
                    row.start.to_string(),
                    format!("…{}[{}]{}…", row.before, row.text, row.after),
                ]);
            }
            print!("{}", table.render());
            let shown = if found.total > rows.len() {
                format!(" (first {} shown; --limit for more)", rows.len())
            } else {
                String::new()
            };
            println!(
                "{} hit{} in {} of {} transcripts{shown}",
                found.total,
                if found.total == 1 { "" } else { "s" },
                found.transcripts,
                project.transcript_count()
            );
        }
    }
    Ok(if found.total == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
