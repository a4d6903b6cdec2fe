//! `thematic search DIR QUERY`: every place the words occur, across all transcripts, with
//! the text around each (exit status 1 when there is none).

use super::command_error::Outcome;
use super::context::Context;
use super::output::{Format, Listing, print};
use super::text_table::Table;
use serde::Serialize;
use std::io::Stdout;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    dir: PathBuf,
    /// The words to find (case-insensitive).
    query: String,
    /// Show at most this many hits.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Serialize)]
struct SearchHitOut<'a> {
    transcript: &'a str,
    participant: &'a str,
    start: usize,
    end: usize,
    before: String,
    text: String,
    after: String,
}

struct Hits<'a> {
    rows: Vec<SearchHitOut<'a>>,
    /// Hits in all, shown or not.
    total: usize,
    /// Transcripts with a hit, and in the project.
    transcripts: usize,
    of_transcripts: usize,
}

pub fn run(ctx: &Context, args: Args) -> Outcome {
    let loaded = super::context::load(&args.dir)?;
    let seen = ctx.seen_by(&loaded.project)?;
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
    let hits = Hits {
        rows,
        total: found.total,
        transcripts: found.transcripts,
        of_transcripts: project.transcript_count(),
    };
    print(args.format, &hits)?;
    Ok(if found.total == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

impl Listing for Hits<'_> {
    fn table(&self) -> String {
        let mut table =
            Table::new(&["transcript", "participant", "at", "context"]).right_align(&[2]);
        for row in &self.rows {
            table.row(vec![
                row.transcript.to_string(),
                row.participant.to_string(),
                row.start.to_string(),
                format!("…{}[{}]{}…", row.before, row.text, row.after),
            ]);
        }
        let shown = if self.total > self.rows.len() {
            format!(" (first {} shown; --limit for more)", self.rows.len())
        } else {
            String::new()
        };
        format!(
            "{}{} hit{} in {} of {} transcripts{shown}\n",
            table.render(),
            self.total,
            if self.total == 1 { "" } else { "s" },
            self.transcripts,
            self.of_transcripts
        )
    }

    fn csv(&self, w: &mut csv::Writer<Stdout>) -> Result<(), csv::Error> {
        for row in &self.rows {
            w.serialize(row)?;
        }
        Ok(())
    }

    fn json(&self) -> impl Serialize + '_ {
        &self.rows
    }
}
