//! `thematic stats DIR` without a table: counts per project, coder and transcript.

use super::super::command_error::Outcome;
use super::super::context::Context;
use super::super::output::{Listing, print};
use super::super::text_table::{Table, thousands};
use super::Args;
use std::io::Stdout;
use std::process::ExitCode;
use thematic::analysis::stats::{ProjectStats, project_stats};

pub fn run(ctx: &Context, args: &Args) -> Outcome {
    let loaded = super::super::context::load(&args.dir)?;
    let seen = ctx.seen_by(&loaded.project)?;
    print(args.format, &Counts(project_stats(&seen)))?;
    Ok(ExitCode::SUCCESS)
}

struct Counts(ProjectStats);

impl Listing for Counts {
    fn table(&self) -> String {
        render_stats(&self.0)
    }

    fn csv(&self, writer: &mut csv::Writer<Stdout>) -> Result<(), csv::Error> {
        let stats = &self.0;
        let coders: Vec<String> = stats.coders.iter().map(|c| c.coder.clone()).collect();
        let mut header = vec![
            "transcript",
            "participant",
            "order",
            "words",
            "characters",
            "codes",
        ];
        header.extend(coders.iter().map(String::as_str));
        writer.write_record(&header)?;
        for t in &stats.per_transcript {
            let mut record = vec![
                t.id.clone(),
                t.participant.clone(),
                t.order.map(|o| o.to_string()).unwrap_or_default(),
                t.words.to_string(),
                t.characters.to_string(),
                t.codes.to_string(),
            ];
            record.extend(
                coders
                    .iter()
                    .map(|c| t.segments.get(c).copied().unwrap_or(0).to_string()),
            );
            writer.write_record(&record)?;
        }
        Ok(())
    }

    fn json(&self) -> impl serde::Serialize + '_ {
        &self.0
    }
}

fn render_stats(stats: &ProjectStats) -> String {
    let mut out = format!(
        "{}\n\nTranscripts: {} ({} words)\nCodebook:    {} themes, {} sub-themes, {} codes\nSegments:    {}\nMemos:       {}",
        stats.name,
        stats.transcripts,
        thousands(stats.words),
        stats.themes,
        stats.sub_themes,
        stats.codes,
        thousands(stats.segments),
        stats.memos
    );
    let kinds: Vec<String> = stats
        .memo_kinds
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    if !kinds.is_empty() {
        out.push_str(&format!(" ({})", kinds.join(", ")));
    }
    out.push_str("\n\n");
    let mut coders = Table::new(&[
        "Coder",
        "Name",
        "Segments",
        "Transcripts coded",
        "Codes used",
        "Memos",
    ])
    .right_align(&[2, 3, 4, 5]);
    for c in &stats.coders {
        coders.row(vec![
            c.coder.clone(),
            c.name.clone(),
            thousands(c.segments),
            c.transcripts_coded.to_string(),
            c.codes_used.to_string(),
            c.memos.to_string(),
        ]);
    }
    out.push_str(&coders.render());
    out.push('\n');
    let coder_ids: Vec<String> = stats.coders.iter().map(|c| c.coder.clone()).collect();
    let mut headers = vec!["Transcript", "Participant", "Order", "Words", "Codes"];
    headers.extend(coder_ids.iter().map(String::as_str));
    let mut table = Table::new(&headers).right_align(&(2..headers.len()).collect::<Vec<_>>());
    for t in &stats.per_transcript {
        let mut row = vec![
            t.id.clone(),
            t.participant.clone(),
            t.order.map(|o| o.to_string()).unwrap_or_default(),
            thousands(t.words),
            t.codes.to_string(),
        ];
        row.extend(
            coder_ids
                .iter()
                .map(|c| t.segments.get(c).copied().unwrap_or(0).to_string()),
        );
        table.row(row);
    }
    out.push_str(&table.render());
    out
}
