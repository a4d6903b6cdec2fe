//! `thematic codebook DIR`: the code tree with definitions and counts.

use super::command_error::Outcome;
use super::context::Context;
use super::output::{Format, Listing, print};
use super::text_table::Table;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Stdout;
use std::path::PathBuf;
use std::process::ExitCode;
use thematic::analysis::node_counts::{NodeCounts, code_counts, near_duplicates};
use thematic::analysis::tables::ScopeSummary;
use thematic::model::{Code, CodeId, Project};
use thematic::text::sanitize_for_terminal;

#[derive(clap::Args)]
pub struct Args {
    dir: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Names and counts only, without definitions (table format).
    #[arg(long)]
    brief: bool,
    /// Whose coding the counts are of: coder ids separated by commas, or `all` (the
    /// default: every coder whose work you may see).
    #[arg(long, value_name = "A,B|all")]
    coders: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Outcome {
    let loaded = super::context::load(&args.dir)?;
    let seen = ctx.seen_by(&loaded.project)?;
    let project = &*seen;
    let (coders, scope) = super::args::coders_in_scope(project, args.coders.as_deref())?;
    let counts = code_counts(project, &coders);
    let listing = Codebook {
        project,
        counts,
        scope,
        brief: args.brief,
    };
    print(args.format, &listing)?;
    Ok(ExitCode::SUCCESS)
}

struct Codebook<'p> {
    project: &'p Project,
    counts: HashMap<CodeId, NodeCounts>,
    scope: ScopeSummary,
    brief: bool,
}

#[derive(Serialize)]
struct CodebookOut<'a> {
    scope: &'a ScopeSummary,
    transcripts: usize,
    codes: Vec<NodeOut<'a>>,
    near_duplicates: Vec<String>,
}

impl Listing for Codebook<'_> {
    fn table(&self) -> String {
        format!(
            "{}\n\n{}",
            self.scope.line(),
            render_codebook(self.project, &self.counts, self.brief)
        )
    }

    fn csv(&self, w: &mut csv::Writer<Stdout>) -> Result<(), csv::Error> {
        let (project, counts) = (self.project, &self.counts);
        let book = &project.codebook;
        let total = project.transcript_count();
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
        Ok(())
    }

    fn json(&self) -> impl Serialize + '_ {
        let (project, book) = (self.project, &self.project.codebook);
        let tree: Vec<NodeOut> = book
            .children(None)
            .iter()
            .filter_map(|id| book.get(id))
            .map(|c| node(project, c, &self.counts))
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
        CodebookOut {
            scope: &self.scope,
            transcripts: project.transcript_count(),
            codes: tree,
            near_duplicates: warnings,
        }
    }

    fn csv_note(&self) -> Option<String> {
        Some(self.scope.line())
    }
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
