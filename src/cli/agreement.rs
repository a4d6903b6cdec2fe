//! `thematic sample` and `thematic agreement`.

use super::{Failure, Outcome};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use thematic::analysis::sample::draw_sample;
use thematic::model::{CoderId, Edit, Sample, TranscriptId};
use thematic::workspace::Workspace;

#[derive(Args)]
pub struct SampleArgs {
    dir: PathBuf,
    /// Share of the transcripts to double-code (rounded up, at least one).
    #[arg(long, default_value_t = 0.2)]
    fraction: f64,
    /// Seed of the draw: the same seed gives the same sample.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Draw in proportion within each value of this attribute (e.g. organisation).
    #[arg(long, value_name = "ATTRIBUTE")]
    stratify: Option<String>,
    /// The coder whose coding is compared against (default: the coder with most segments).
    #[arg(long, value_name = "ID")]
    primary: Option<String>,
    /// The coder who codes the sample blind.
    #[arg(long, value_name = "ID")]
    second: String,
    /// Set the sample by hand instead of drawing it: transcript ids.
    #[arg(long, value_delimiter = ',', num_args = 1..)]
    transcripts: Vec<String>,
}

pub fn sample(args: SampleArgs) -> Outcome {
    let (mut ws, _) = Workspace::open(&args.dir, None)?;
    let project = ws.project();
    let second = CoderId::new(args.second.as_str())?;
    let primary = match &args.primary {
        Some(p) => CoderId::new(p.as_str())?,
        None => project
            .codings()
            .iter()
            .filter(|(c, _)| **c != second)
            .max_by_key(|(_, by_t)| by_t.values().map(Vec::len).sum::<usize>())
            .map(|(c, _)| c.clone())
            .ok_or_else(|| {
                Failure(
                    "no coder has coded anything yet; name the primary coder with --primary".into(),
                )
            })?,
    };
    for coder in [&primary, &second] {
        if project.meta.coder(coder).is_none() {
            return Err(Failure(format!(
                "coder {coder} is not in the project; add them with `thematic add-coder`"
            )));
        }
    }
    if primary == second {
        return Err(Failure("the primary and second coder must differ".into()));
    }
    let (transcripts, drawn) = if args.transcripts.is_empty() {
        (
            draw_sample(project, args.fraction, args.seed, args.stratify.as_deref())?,
            true,
        )
    } else {
        let ids = args
            .transcripts
            .iter()
            .map(|t| TranscriptId::new(t.as_str()))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(missing) = ids.iter().find(|t| project.transcript(t).is_none()) {
            return Err(Failure(format!("no transcript {missing}")));
        }
        (ids, false)
    };
    if let Some(attribute) = &args.stratify
        && !project.meta.attributes.iter().any(|a| &a.name == attribute)
    {
        return Err(Failure(format!(
            "no attribute {attribute:?} to stratify by"
        )));
    }
    let before = project.meta.clone();
    let mut after = before.clone();
    after.sample = Some(Sample {
        primary: primary.clone(),
        second: second.clone(),
        transcripts: transcripts.clone(),
        fraction: drawn.then_some(args.fraction),
        seed: drawn.then_some(args.seed),
        stratify: if drawn { args.stratify.clone() } else { None },
    });
    ws.apply(Edit::UpdateProject {
        before: Box::new(before),
        after: Box::new(after),
    })?;
    let total = ws.project().transcript_count();
    let how = if drawn {
        format!("drawn with seed {}", args.seed)
    } else {
        "set by hand".into()
    };
    println!(
        "Double-coding sample ({how}): {} of {total} transcripts, coded by {primary} and, blind, by {second}:",
        transcripts.len()
    );
    for id in &transcripts {
        let t = ws
            .project()
            .transcript(id)
            .ok_or_else(|| Failure(format!("{id} vanished")))?;
        let attrs: Vec<&str> = ws
            .project()
            .meta
            .attributes
            .iter()
            .filter_map(|a| t.meta.attributes.get(&a.name))
            .map(String::as_str)
            .collect();
        println!("  {id}  {}  {}", t.meta.participant, attrs.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}
