//! `thematic sample DIR`: draw (or set) a round of double coding and record it in
//! thematic.yaml.

use super::args::transcript_ids;
use super::command_error::{CommandError, Kind, Outcome, user_error};
use super::context::Context;
use std::path::PathBuf;
use std::process::ExitCode;
use thematic::analysis::sample::draw_sample;
use thematic::model::{CoderId, Edit, Project, Sample, TranscriptId};
use thematic::workspace::Workspace;

#[derive(clap::Args)]
pub struct Args {
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
    /// The coder who codes the sample blind; repeat it (or give a comma list) for a round
    /// with several second coders, each blind to the others' work as to the primary's.
    #[arg(long, value_name = "ID", value_delimiter = ',', required = true)]
    second: Vec<String>,
    /// Set the sample by hand instead of drawing it: transcript ids.
    #[arg(long, value_delimiter = ',', num_args = 1..)]
    transcripts: Vec<String>,
    /// Start the next round of double coding, keeping the earlier ones (without it, only a
    /// round with no blind coding in it yet may be replaced).
    #[arg(long)]
    new_round: bool,
}

/// Why the latest round may not be replaced: the blind coding already done in it, by each
/// second coder who has begun.
fn work_in_round(project: &thematic::model::Project, round: &Sample) -> Option<String> {
    let mut said = Vec::new();
    for second in round.second_coders() {
        let coded: Vec<&str> = round
            .transcripts
            .iter()
            .filter(|t| !project.segments(second, t).is_empty() || project.is_done(second, t))
            .map(|t| t.as_str())
            .collect();
        if !coded.is_empty() {
            said.push(format!(
                "{second} has coded {} of its {} transcript(s) ({})",
                coded.len(),
                round.transcripts.len(),
                coded.join(", ")
            ));
        }
    }
    if said.is_empty() && round.independent.is_some() {
        said.push("its independent figures are recorded".into());
    }
    (!said.is_empty()).then(|| said.join("; "))
}

/// The second coders named with `--second`, each once.
fn second_coders(given: &[String]) -> Result<Vec<CoderId>, CommandError> {
    let mut seconds: Vec<CoderId> = Vec::new();
    for id in given {
        let id = CoderId::new(id.trim())?;
        if seconds.contains(&id) {
            return Err(user_error(format!("second coder {id} is named twice")));
        }
        seconds.push(id);
    }
    Ok(seconds)
}

/// "kim", "kim and lee", "kim, lee and jo".
pub fn and_list(names: &[impl std::fmt::Display]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(ToString::to_string).collect();
            format!("{} and {last}", init.join(", "))
        }
    }
}

pub fn run(_ctx: &Context, args: Args) -> Outcome {
    let (mut ws, _) = Workspace::open(&args.dir, None)?;
    let project = ws.project();
    let (primary, seconds) = round_coders(&args, project)?;
    let (transcripts, drawn) = if args.transcripts.is_empty() {
        (
            draw_sample(project, args.fraction, args.seed, args.stratify.as_deref())?,
            true,
        )
    } else {
        (
            transcript_ids(project, "--transcripts", &args.transcripts)?,
            false,
        )
    };
    if let Some(attribute) = &args.stratify
        && !project.meta.attributes.iter().any(|a| &a.name == attribute)
    {
        return Err(user_error(format!(
            "no attribute {attribute:?} to stratify by"
        )));
    }
    let before = project.meta.clone();
    let mut after = before.clone();
    if !args.new_round
        && let Some(latest) = before.sample()
    {
        refuse_replacing_work(project, latest, before.rounds.len())?;
        after.rounds.pop();
    }
    after.rounds.push(Sample {
        primary: primary.clone(),
        seconds: seconds.clone(),
        transcripts: transcripts.clone(),
        fraction: drawn.then_some(args.fraction),
        seed: drawn.then_some(args.seed),
        stratify: if drawn { args.stratify.clone() } else { None },
        started: Some(jiff::Timestamp::now()),
        independent: None,
    });
    let round = after.rounds.len();
    ws.apply_once(Edit::UpdateProject {
        before: Box::new(before),
        after: Box::new(after),
    })?;
    let how = if drawn {
        format!("drawn with seed {}", args.seed)
    } else {
        "set by hand".into()
    };
    print_round(
        ws.project(),
        round,
        &how,
        (&primary, &seconds),
        &transcripts,
    )
}

/// The round's primary coder (`--primary`, else whoever coded most) and second coders, each
/// in the project, the primary not among the seconds.
fn round_coders(args: &Args, project: &Project) -> Result<(CoderId, Vec<CoderId>), CommandError> {
    let seconds = second_coders(&args.second)?;
    let primary = match &args.primary {
        Some(p) => CoderId::new(p.as_str())?,
        None => project
            .codings()
            .iter()
            .filter(|(c, _)| !seconds.contains(c))
            .max_by_key(|(_, by_t)| by_t.values().map(Vec::len).sum::<usize>())
            .map(|(c, _)| c.clone())
            .ok_or_else(|| {
                user_error(
                    "no coder has coded anything yet; name the primary coder with --primary".into(),
                )
            })?,
    };
    for coder in std::iter::once(&primary).chain(&seconds) {
        if project.meta.coder(coder).is_none() {
            return Err(user_error(format!(
                "coder {coder} is not in the project; add them with `thematic add-coder`"
            )));
        }
    }
    if seconds.contains(&primary) {
        return Err(user_error(format!(
            "{primary} cannot be both the primary and a second coder: the primary and second coders must differ"
        )));
    }
    Ok((primary, seconds))
}

/// Refuses to replace the latest round (number `number`) once blind coding is in it.
fn refuse_replacing_work(
    project: &Project,
    latest: &Sample,
    number: usize,
) -> Result<(), CommandError> {
    match work_in_round(project, latest) {
        Some(work) => Err(user_error(format!(
            "round {number} of double coding ({} and {}) already has coding in it: {work}. Nothing was changed; start the next round with --new-round (every round is kept)",
            latest.primary,
            and_list(latest.second_coders())
        ))),
        None => Ok(()),
    }
}

/// The round recorded: who codes it and its transcripts with their attributes.
fn print_round(
    project: &Project,
    round: usize,
    how: &str,
    (primary, seconds): (&CoderId, &[CoderId]),
    transcripts: &[TranscriptId],
) -> Outcome {
    println!(
        "Double-coding round {round} ({how}): {} of {} transcripts, coded by {primary} and, blind, by {}{}:",
        transcripts.len(),
        project.transcript_count(),
        and_list(seconds),
        if seconds.len() > 1 {
            " (each blind to the others too)"
        } else {
            ""
        }
    );
    for id in transcripts {
        let t = project
            .transcript(id)
            .ok_or_else(|| CommandError::new(Kind::Internal, format!("{id} vanished")))?;
        let attrs: Vec<&str> = project
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
