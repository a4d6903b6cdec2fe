//! `thematic quotes DIR CODE`: the quotes of a code (and of the codes below it), cited as in
//! a paper, filtered by coder, attribute, text and transcript.

use super::args::{coders_in_scope, find_code, parse_attributes, transcript_ids};
use super::command_error::Outcome;
use super::context::Context;
use super::output::{Format, Listing, print};
use clap::ValueEnum;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Stdout;
use std::path::PathBuf;
use std::process::ExitCode;
use thematic::analysis::retrieve::{Quote, QuoteFilter, QuoteOrder, quotes as find_quotes};
use thematic::model::{CodeId, Project};
use thematic::text::sanitize_for_terminal;

#[derive(Clone, Copy, ValueEnum)]
pub enum Sort {
    Transcript,
    Length,
}

#[derive(clap::Args)]
pub struct Args {
    dir: PathBuf,
    /// The code: its name, its path ("Theme > Sub-theme > Code") or its id.
    code: String,
    /// Only this code's own segments, not those of the codes below it.
    #[arg(long)]
    no_children: bool,
    /// Only transcripts with this attribute value, e.g. --attr organisation="Brookfield Council" (repeatable).
    #[arg(long = "attr", value_name = "KEY=VALUE")]
    attrs: Vec<String>,
    /// Whose quotes: coder ids separated by commas, or `all` (the default: every coder
    /// whose work you may see).
    #[arg(long, value_name = "A,B|all")]
    coders: Option<String>,
    /// Only quotes containing this text (ignoring case).
    #[arg(long)]
    text: Option<String>,
    /// Only this transcript, by id such as p07 (repeatable).
    #[arg(long = "transcript", value_name = "ID")]
    transcripts: Vec<String>,
    /// Order: transcript (interview order) or length (longest first).
    #[arg(long, value_enum, default_value_t = Sort::Transcript)]
    sort: Sort,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn run(ctx: &Context, args: Args) -> Outcome {
    let loaded = super::context::load(&args.dir)?;
    let seen = ctx.seen_by(&loaded.project)?;
    let project = &*seen;
    let code = find_code(project, &args.code)?;
    let attributes = parse_attributes(&args.attrs)?;
    let (coders, _) = coders_in_scope(project, args.coders.as_deref())?;
    let filter = QuoteFilter {
        coders,
        attributes,
        text: args.text.clone(),
        // No --transcript: every transcript.
        transcripts: (!args.transcripts.is_empty())
            .then(|| transcript_ids(project, "--transcript", &args.transcripts))
            .transpose()?,
    };
    let order = match args.sort {
        Sort::Transcript => QuoteOrder::Transcript,
        Sort::Length => QuoteOrder::Length,
    };
    let list = find_quotes(project, &code, !args.no_children, &filter, order);
    print(
        args.format,
        &Quotes {
            project,
            code,
            list,
        },
    )?;
    Ok(ExitCode::SUCCESS)
}

struct Quotes<'p> {
    project: &'p Project,
    code: CodeId,
    list: Vec<Quote>,
}

#[derive(Serialize)]
struct QuoteOut<'a> {
    #[serde(flatten)]
    quote: &'a Quote,
    code_names: Vec<String>,
    citation: String,
}

impl Quotes<'_> {
    /// The names of a quote's codes.
    fn names(&self, q: &Quote) -> Vec<String> {
        q.codes
            .iter()
            .map(|c| {
                self.project
                    .codebook
                    .get(c)
                    .map_or_else(|| c.to_string(), |c| c.name.clone())
            })
            .collect()
    }
}

impl Listing for Quotes<'_> {
    fn table(&self) -> String {
        let project = self.project;
        let mut text = format!(
            "{} — {} quote(s)\n\n",
            project.codebook.path(&self.code),
            self.list.len()
        );
        for q in &self.list {
            let _ = writeln!(text, "{}", sanitize_for_terminal(&q.cite()));
            let attrs: Vec<String> = project
                .meta
                .attributes
                .iter()
                .filter_map(|a| q.attributes.get(&a.name))
                .cloned()
                .collect();
            let _ = writeln!(
                text,
                "    {} · {} · [{}, {}) · {} · {}\n",
                q.transcript,
                q.coder,
                q.start,
                q.end,
                self.names(q).join(", "),
                attrs.join(", ")
            );
        }
        text
    }

    fn csv(&self, w: &mut csv::Writer<Stdout>) -> Result<(), csv::Error> {
        let attribute_names: Vec<String> = self
            .project
            .meta
            .attributes
            .iter()
            .map(|a| a.name.clone())
            .collect();
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
        for q in &self.list {
            let mut record = vec![
                q.transcript.to_string(),
                q.participant.clone(),
                q.coder.to_string(),
                q.start.to_string(),
                q.end.to_string(),
                self.names(q).join("; "),
                q.text.clone(),
            ];
            record.extend(
                attribute_names
                    .iter()
                    .map(|a| q.attributes.get(a).cloned().unwrap_or_default()),
            );
            w.write_record(&record)?;
        }
        Ok(())
    }

    fn json(&self) -> impl Serialize + '_ {
        self.list
            .iter()
            .map(|q| QuoteOut {
                quote: q,
                code_names: self.names(q),
                citation: q.cite(),
            })
            .collect::<Vec<_>>()
    }
}
