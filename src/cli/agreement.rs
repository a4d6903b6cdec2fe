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
fn second_coders(given: &[String]) -> Result<Vec<CoderId>, Failure> {
    let mut seconds: Vec<CoderId> = Vec::new();
    for id in given {
        let id = CoderId::new(id.trim())?;
        if seconds.contains(&id) {
            return Err(Failure(format!("second coder {id} is named twice")));
        }
        seconds.push(id);
    }
    Ok(seconds)
}

/// "kim", "kim and lee", "kim, lee and jo".
fn and_list(coders: &[CoderId]) -> String {
    match coders {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(CoderId::as_str).collect();
            format!("{} and {last}", init.join(", "))
        }
    }
}

/// Transcript ids given on the command line, each checked to exist.
pub(super) fn transcript_ids(
    project: &thematic::model::Project,
    given: &[String],
) -> Result<Vec<TranscriptId>, Failure> {
    let ids = given
        .iter()
        .map(|t| TranscriptId::new(t.as_str()))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(missing) = ids.iter().find(|t| project.transcript(t).is_none()) {
        return Err(Failure(format!(
            "{:?}: no such transcript (see `thematic stats` for the ids)",
            missing.as_str()
        )));
    }
    Ok(ids)
}

pub fn sample(args: SampleArgs) -> Outcome {
    let (mut ws, _) = Workspace::open(&args.dir, None)?;
    let project = ws.project();
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
                Failure(
                    "no coder has coded anything yet; name the primary coder with --primary".into(),
                )
            })?,
    };
    for coder in std::iter::once(&primary).chain(&seconds) {
        if project.meta.coder(coder).is_none() {
            return Err(Failure(format!(
                "coder {coder} is not in the project; add them with `thematic add-coder`"
            )));
        }
    }
    if seconds.contains(&primary) {
        return Err(Failure(format!(
            "{primary} cannot be both the primary and a second coder: the primary and second coders must differ"
        )));
    }
    let (transcripts, drawn) = if args.transcripts.is_empty() {
        (
            draw_sample(project, args.fraction, args.seed, args.stratify.as_deref())?,
            true,
        )
    } else {
        (transcript_ids(project, &args.transcripts)?, false)
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
    if !args.new_round
        && let Some(latest) = before.sample()
    {
        let number = before.rounds.len();
        if let Some(work) = work_in_round(project, latest) {
            return Err(Failure(format!(
                "round {number} of double coding ({} and {}) already has coding in it: {work}. Nothing was changed; start the next round with --new-round (every round is kept)",
                latest.primary,
                and_list(latest.second_coders())
            )));
        }
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
    let round_number = after.rounds.len();
    ws.apply_once(Edit::UpdateProject {
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
        "Double-coding round {round_number} ({how}): {} of {total} transcripts, coded by {primary} and, blind, by {}{}:",
        transcripts.len(),
        and_list(&seconds),
        if seconds.len() > 1 {
            " (each blind to the others too)"
        } else {
            ""
        }
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

#[derive(Args)]
pub struct AgreementArgs {
    dir: PathBuf,
    /// The coders to compare (default: the round's primary and second coder); with three or
    /// more, Krippendorff's alpha over all of them and every pair's figures.
    #[arg(long, num_args = 1.., value_delimiter = ',', value_names = ["A", "B"])]
    coders: Vec<String>,
    /// Transcripts to compare (default: the sample's; else every transcript both coded).
    #[arg(long, value_delimiter = ',', num_args = 1..)]
    transcripts: Vec<String>,
    /// Only this code and those below it, by name, path or id (repeatable).
    #[arg(long = "code")]
    codes: Vec<String>,
    /// Segment overlap needed for a match, as a share of the longer segment.
    #[arg(long, default_value_t = 0.9)]
    overlap: f64,
    /// Which round of double coding (1 is the first; default: the latest).
    #[arg(long, value_name = "N")]
    round: Option<usize>,
    /// Also compare transcripts that not both coders have marked done (marked as such).
    #[arg(long)]
    include_unfinished: bool,
    #[arg(long, value_enum, default_value_t = crate::Format::Table)]
    format: crate::Format,
}

/// The pooling statement printed with every report, so a reader knows what "overall" means.
pub const POOLING: &str =
    "character level; pooled by summing the 2x2 tables over codes and transcripts";

#[derive(serde::Serialize)]
struct FiguresOut {
    percent_agreement: Option<f64>,
    kappa: Option<f64>,
    alpha: Option<f64>,
    chars_both: u64,
    chars_only_a: u64,
    chars_only_b: u64,
    chars_neither: u64,
    segments_matched: u64,
    segments_only_a: u64,
    segments_only_b: u64,
    segment_agreement: Option<f64>,
}

fn figures(
    table: &thematic::analysis::agreement::Table,
    segments: &thematic::analysis::agreement::SegmentCounts,
) -> FiguresOut {
    FiguresOut {
        percent_agreement: table.percent_agreement(),
        kappa: table.kappa(),
        alpha: table.alpha(),
        chars_both: table.both,
        chars_only_a: table.only_a,
        chars_only_b: table.only_b,
        chars_neither: table.neither,
        segments_matched: segments.matched,
        segments_only_a: segments.only_a,
        segments_only_b: segments.only_b,
        segment_agreement: segments.percent(),
    }
}

#[derive(serde::Serialize)]
struct CodeOut {
    code: String,
    code_id: String,
    path: String,
    #[serde(flatten)]
    figures: FiguresOut,
}

#[derive(serde::Serialize)]
struct TranscriptOut {
    transcript: String,
    #[serde(flatten)]
    figures: FiguresOut,
}

#[derive(serde::Serialize)]
struct OverallOut {
    #[serde(flatten)]
    figures: FiguresOut,
    weighted_kappa: Option<f64>,
}

#[derive(serde::Serialize)]
struct PendingOut {
    transcript: String,
    waiting_for: Vec<String>,
}

#[derive(serde::Serialize)]
struct AgreementOut {
    coders: [String; 2],
    /// The round compared (1 is the first), if the comparison is a round's.
    round: Option<usize>,
    transcripts: Vec<String>,
    /// Transcripts compared although not both coders have marked them done.
    unfinished: Vec<String>,
    /// Transcripts of the round left out because not both coders have marked them done.
    pending: Vec<PendingOut>,
    overlap: f64,
    pooling: &'static str,
    /// The round's figures when both coders had first finished it, before discussion.
    independent: Option<FiguresOut>,
    /// The figures as the coding stands now (the same as `overall`).
    current: OverallOut,
    overall: OverallOut,
    per_code: Vec<CodeOut>,
    per_transcript: Vec<TranscriptOut>,
}

fn show(x: Option<f64>, percent: bool) -> String {
    thematic::wording::figure(x, percent, thematic::wording::FIGURE_DECIMALS)
}

/// "agreement 87.5%, kappa 0.826, alpha 0.826".
fn summary(percent: Option<f64>, kappa: Option<f64>, alpha: Option<f64>) -> String {
    use thematic::wording::{FIGURE_DECIMALS, agreement_summary};
    agreement_summary(percent, kappa, alpha, FIGURE_DECIMALS, ", ")
}

fn frozen(f: &thematic::model::RoundFigures) -> FiguresOut {
    let segments = thematic::analysis::agreement::SegmentCounts {
        matched: f.segments_matched,
        only_a: f.segments_only_a,
        only_b: f.segments_only_b,
    };
    FiguresOut {
        percent_agreement: f.percent_agreement,
        kappa: f.kappa,
        alpha: f.alpha,
        chars_both: f.chars_both,
        chars_only_a: f.chars_only_a,
        chars_only_b: f.chars_only_b,
        chars_neither: f.chars_neither,
        segments_matched: f.segments_matched,
        segments_only_a: f.segments_only_a,
        segments_only_b: f.segments_only_b,
        segment_agreement: segments.percent(),
    }
}

/// The codes named by `--code` (each with everything below it), or None for every code used.
fn chosen_codes(
    project: &thematic::model::Project,
    queries: &[String],
) -> Result<Option<Vec<thematic::model::CodeId>>, Failure> {
    if queries.is_empty() {
        return Ok(None);
    }
    let mut ids = Vec::new();
    for query in queries {
        let found = project.codebook.find(query);
        let [one] = found.as_slice() else {
            return Err(Failure(format!(
                "{query:?} names {} codes; give a path or an id",
                found.len()
            )));
        };
        for id in project
            .codebook
            .walk()
            .into_iter()
            .map(|(_, c)| c.id.clone())
            .filter(|id| project.codebook.subtree(&one.id).contains(id))
        {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    Ok(Some(ids))
}

pub fn agreement(args: AgreementArgs, coder: Option<&str>) -> Outcome {
    use thematic::analysis::agreement::{Comparison, agreement as compare, progress};
    let loaded = thematic::store::load(&args.dir)?;
    let seen = super::seen_by(&loaded.project, coder)?;
    let project = &*seen;
    if args.coders.len() == 1 {
        return Err(Failure(
            "--coders needs two or more coders (A B, or A,B,C)".into(),
        ));
    }
    if args.coders.len() > 2 {
        return several(&args, project);
    }
    let (round_number, sample) = match args.round {
        Some(n) => match project.meta.round(n) {
            Some(r) => (Some(n), Some(r)),
            None => {
                return Err(Failure(format!(
                    "no round {n}: the project has {} round(s) of double coding",
                    project.meta.rounds.len()
                )));
            }
        },
        None => (
            project.meta.sample().map(|_| project.meta.rounds.len()),
            project.meta.sample(),
        ),
    };
    if let Some(round) = sample.filter(|s| args.coders.is_empty() && s.has_several_seconds()) {
        return several_round(&args, project, round_number, round);
    }
    let (a, b) = match args.coders.as_slice() {
        [a, b] => (CoderId::new(a.as_str())?, CoderId::new(b.as_str())?),
        _ => match sample.and_then(|s| Some((s, s.first_second()?))) {
            Some((s, second)) => (s.primary.clone(), second.clone()),
            None => return Err(Failure("no double-coding sample yet: give --coders A B, or draw one with `thematic sample`".into())),
        },
    };
    for c in [&a, &b] {
        if project.meta.coder(c).is_none() {
            return Err(Failure(format!("no coder {c} in the project")));
        }
    }
    if !(args.overlap > 0.0 && args.overlap <= 1.0) {
        return Err(Failure(
            "--overlap must be more than 0 and at most 1".into(),
        ));
    }
    let sample = sample.filter(|s| s.has_coder(&a) && s.has_coder(&b));
    let round_number = round_number.filter(|_| sample.is_some());
    let transcripts: Vec<TranscriptId> = if !args.transcripts.is_empty() {
        transcript_ids(project, &args.transcripts)?
    } else if let Some(s) = sample {
        s.transcripts.clone()
    } else {
        project
            .transcripts_in_order()
            .iter()
            .map(|t| t.id.clone())
            .filter(|t| !project.segments(&a, t).is_empty() && !project.segments(&b, t).is_empty())
            .collect()
    };
    if transcripts.is_empty() {
        return Err(Failure(format!(
            "{a} and {b} have no transcript in common to compare"
        )));
    }
    // A round's transcripts are compared once both coders have finished them, unless asked:
    // figures over a transcript one coder has not coded yet say nothing about agreement.
    let from_round = sample.is_some() && args.transcripts.is_empty();
    let split = progress(project, &a, &b, &transcripts);
    let (transcripts, unfinished, pending) = if !from_round {
        (transcripts, Vec::new(), Vec::new())
    } else if args.include_unfinished {
        let unfinished: Vec<TranscriptId> = split.pending.into_iter().map(|(t, _)| t).collect();
        (transcripts, unfinished, Vec::new())
    } else {
        (split.finished, Vec::new(), split.pending)
    };
    let codes = chosen_codes(project, &args.codes)?;
    let result = compare(
        project,
        &Comparison {
            coder_a: a.clone(),
            coder_b: b.clone(),
            transcripts,
            codes,
            overlap: args.overlap,
        },
    );
    let name = |id: &thematic::model::CodeId| project.codebook.name_or_id(id);
    let overall = || OverallOut {
        figures: figures(&result.overall, &result.segments),
        weighted_kappa: result.weighted_kappa(),
    };
    let out = AgreementOut {
        coders: [a.to_string(), b.to_string()],
        round: round_number,
        transcripts: result.transcripts.iter().map(ToString::to_string).collect(),
        unfinished: unfinished.iter().map(ToString::to_string).collect(),
        pending: pending
            .iter()
            .map(|(t, waiting)| PendingOut {
                transcript: t.to_string(),
                waiting_for: waiting.iter().map(ToString::to_string).collect(),
            })
            .collect(),
        overlap: args.overlap,
        pooling: POOLING,
        independent: sample
            .filter(|_| args.transcripts.is_empty() && args.codes.is_empty())
            .and_then(|s| s.independent.as_ref())
            .map(frozen),
        current: overall(),
        overall: overall(),
        per_code: result
            .per_code
            .iter()
            .map(|c| CodeOut {
                code: name(&c.code),
                code_id: c.code.to_string(),
                path: project.codebook.path(&c.code),
                figures: figures(&c.table, &c.segments),
            })
            .collect(),
        per_transcript: result
            .per_transcript
            .iter()
            .map(|t| TranscriptOut {
                transcript: t.transcript.to_string(),
                figures: figures(&t.table, &t.segments),
            })
            .collect(),
    };
    match args.format {
        crate::Format::Json => println!("{}", serde_json::to_string_pretty(&out)?),
        crate::Format::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout());
            w.write_record([
                "scope",
                "name",
                "id",
                "percent_agreement",
                "kappa",
                "alpha",
                "chars_both",
                "chars_only_a",
                "chars_only_b",
                "chars_neither",
                "segments_matched",
                "segments_only_a",
                "segments_only_b",
            ])?;
            let num = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
            let mut row =
                |scope: &str, name: &str, id: &str, f: &FiguresOut| -> Result<(), csv::Error> {
                    w.write_record([
                        scope.to_string(),
                        name.to_string(),
                        id.to_string(),
                        num(f.percent_agreement),
                        num(f.kappa),
                        num(f.alpha),
                        f.chars_both.to_string(),
                        f.chars_only_a.to_string(),
                        f.chars_only_b.to_string(),
                        f.chars_neither.to_string(),
                        f.segments_matched.to_string(),
                        f.segments_only_a.to_string(),
                        f.segments_only_b.to_string(),
                    ])
                };
            row("overall", "all codes", "", &out.overall.figures)?;
            for c in &out.per_code {
                row("code", &c.path, &c.code_id, &c.figures)?;
            }
            for t in &out.per_transcript {
                row("transcript", &t.transcript, &t.transcript, &t.figures)?;
            }
            w.flush()?;
        }
        crate::Format::Table => {
            let o = &out.overall.figures;
            let of_round = out
                .round
                .map(|n| format!(", round {n} of double coding"))
                .unwrap_or_default();
            let compared = if out.transcripts.is_empty() {
                "no transcript yet".to_string()
            } else {
                format!(
                    "{} transcript(s): {}",
                    out.transcripts.len(),
                    out.transcripts.join(", ")
                )
            };
            println!("Agreement between {a} (A) and {b} (B){of_round} on {compared}");
            if !out.unfinished.is_empty() {
                println!(
                    "Including {} transcript(s) not both coders have marked done: {} (--include-unfinished)",
                    out.unfinished.len(),
                    out.unfinished.join(", ")
                );
            }
            for p in &out.pending {
                println!(
                    "Pending, not compared: {} is waiting for {} to mark it done",
                    p.transcript,
                    p.waiting_for.join(" and ")
                );
            }
            if out.transcripts.is_empty() {
                println!(
                    "No transcript here has been marked done by both coders yet, so there are no figures (--include-unfinished compares them anyway)."
                );
                return Ok(ExitCode::SUCCESS);
            }
            if let Some(i) = &out.independent {
                println!(
                    "Independent (when both had first finished, before discussion): {}",
                    summary(i.percent_agreement, i.kappa, i.alpha)
                );
            }
            println!("Figures are {POOLING}; undefined figures are shown as —.\n");
            println!(
                "Current: {}; mean kappa weighted by coded characters {}",
                summary(o.percent_agreement, o.kappa, o.alpha),
                show(out.overall.weighted_kappa, false)
            );
            println!(
                "Segments (overlap at least {:.0}% of the longer): {} matched, {} only {a}, {} only {b} ({})\n",
                args.overlap * 100.0,
                o.segments_matched,
                o.segments_only_a,
                o.segments_only_b,
                show(o.segment_agreement, true)
            );
            let mut table = super::table::Table::new(&[
                "Code",
                "Agreement",
                "Kappa",
                "Alpha",
                "Both",
                "Only A",
                "Only B",
                "Segments",
            ])
            .right_align(&[1, 2, 3, 4, 5, 6]);
            for c in &out.per_code {
                let f = &c.figures;
                table.row(vec![
                    c.path.clone(),
                    show(f.percent_agreement, true),
                    show(f.kappa, false),
                    show(f.alpha, false),
                    f.chars_both.to_string(),
                    f.chars_only_a.to_string(),
                    f.chars_only_b.to_string(),
                    format!(
                        "{}/{}/{}",
                        f.segments_matched, f.segments_only_a, f.segments_only_b
                    ),
                ]);
            }
            print!("{}", table.render());
            println!(
                "(characters coded by both, by A only, by B only; segments matched / only A / only B)\n"
            );
            let mut per_t =
                super::table::Table::new(&["Transcript", "Agreement", "Kappa", "Alpha"])
                    .right_align(&[1, 2, 3]);
            for t in &out.per_transcript {
                per_t.row(vec![
                    t.transcript.clone(),
                    show(t.figures.percent_agreement, true),
                    show(t.figures.kappa, false),
                    show(t.figures.alpha, false),
                ]);
            }
            print!("{}", per_t.render());
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(serde::Serialize)]
struct AlphaOut {
    alpha: Option<f64>,
}

#[derive(serde::Serialize)]
struct CodeAlphaOut {
    code: String,
    code_id: String,
    path: String,
    alpha: Option<f64>,
}

#[derive(serde::Serialize)]
struct PairOut {
    coders: [String; 2],
    #[serde(flatten)]
    figures: FiguresOut,
    weighted_kappa: Option<f64>,
}

/// A pair's figures frozen with a round.
#[derive(serde::Serialize)]
struct FrozenPairOut {
    coders: [String; 2],
    #[serde(flatten)]
    figures: FiguresOut,
}

/// A round's independent figures when it has several second coders.
#[derive(serde::Serialize)]
struct SeveralIndependentOut {
    /// Krippendorff's alpha over all coders of the round, all codes pooled.
    alpha: Option<f64>,
    pairs: Vec<FrozenPairOut>,
}

#[derive(serde::Serialize)]
struct SeveralOut {
    coders: Vec<String>,
    /// The round compared (1 is the first), if the comparison is a round's.
    round: Option<usize>,
    transcripts: Vec<String>,
    /// Transcripts of the round compared although not every coder has marked them done.
    unfinished: Vec<String>,
    /// Transcripts of the round left out because not every coder has marked them done.
    pending: Vec<PendingOut>,
    overlap: f64,
    pooling: &'static str,
    /// The round's figures when every coder had first finished it, before discussion.
    independent: Option<SeveralIndependentOut>,
    overall: AlphaOut,
    per_code: Vec<CodeAlphaOut>,
    pairs: Vec<PairOut>,
}

/// What is known of the round a comparison of several coders belongs to.
#[derive(Default)]
struct RoundPart {
    number: Option<usize>,
    unfinished: Vec<TranscriptId>,
    pending: Vec<(TranscriptId, Vec<CoderId>)>,
    independent: Option<SeveralIndependentOut>,
}

/// The agreement of a round with several second coders, as `--coders` gives it for all its
/// coders, over the transcripts every one of them has finished (the others pending).
fn several_round(
    args: &AgreementArgs,
    project: &thematic::model::Project,
    number: Option<usize>,
    round: &Sample,
) -> Outcome {
    let coders: Vec<CoderId> = round.coders().into_iter().cloned().collect();
    let (transcripts, part) = if !args.transcripts.is_empty() {
        (
            transcript_ids(project, &args.transcripts)?,
            RoundPart::default(),
        )
    } else {
        let split = thematic::analysis::agreement::round_progress(project, round);
        let (transcripts, unfinished, pending) = if args.include_unfinished {
            let unfinished = split.pending.into_iter().map(|(t, _)| t).collect();
            (round.transcripts.clone(), unfinished, Vec::new())
        } else {
            (split.finished, Vec::new(), split.pending)
        };
        let independent = round
            .independent
            .as_ref()
            .filter(|_| args.codes.is_empty())
            .map(|i| SeveralIndependentOut {
                alpha: i.alpha_all_coders,
                pairs: i.pairs.iter().map(frozen_pair).collect(),
            });
        let part = RoundPart {
            number,
            unfinished,
            pending,
            independent,
        };
        (transcripts, part)
    };
    compare_several(args, project, coders, transcripts, part)
}

fn frozen_pair(p: &thematic::model::PairFigures) -> FrozenPairOut {
    let segments = thematic::analysis::agreement::SegmentCounts {
        matched: p.segments_matched,
        only_a: p.segments_only_a,
        only_b: p.segments_only_b,
    };
    FrozenPairOut {
        coders: [p.coders[0].to_string(), p.coders[1].to_string()],
        figures: FiguresOut {
            percent_agreement: p.percent_agreement,
            kappa: p.kappa,
            alpha: p.alpha,
            chars_both: p.chars_both,
            chars_only_a: p.chars_only_a,
            chars_only_b: p.chars_only_b,
            chars_neither: p.chars_neither,
            segments_matched: p.segments_matched,
            segments_only_a: p.segments_only_a,
            segments_only_b: p.segments_only_b,
            segment_agreement: segments.percent(),
        },
    }
}

/// Three or more coders: Krippendorff's alpha over all of them, and every pair.
fn several(args: &AgreementArgs, project: &thematic::model::Project) -> Outcome {
    let mut coders: Vec<CoderId> = Vec::new();
    for c in &args.coders {
        let id = CoderId::new(c.as_str())?;
        if project.meta.coder(&id).is_none() {
            return Err(Failure(format!("no coder {id} in the project")));
        }
        if coders.contains(&id) {
            return Err(Failure(format!("coder {id} is named twice")));
        }
        coders.push(id);
    }
    if !(args.overlap > 0.0 && args.overlap <= 1.0) {
        return Err(Failure(
            "--overlap must be more than 0 and at most 1".into(),
        ));
    }
    let transcripts: Vec<TranscriptId> = if args.transcripts.is_empty() {
        project
            .transcripts_in_order()
            .iter()
            .map(|t| t.id.clone())
            .filter(|t| coders.iter().all(|c| !project.segments(c, t).is_empty()))
            .collect()
    } else {
        transcript_ids(project, &args.transcripts)?
    };
    if transcripts.is_empty() {
        return Err(Failure(
            "these coders have no transcript that all of them coded; name some with --transcripts"
                .into(),
        ));
    }
    compare_several(args, project, coders, transcripts, RoundPart::default())
}

/// Compares `coders` over `transcripts` and prints it in the format asked for.
fn compare_several(
    args: &AgreementArgs,
    project: &thematic::model::Project,
    coders: Vec<CoderId>,
    transcripts: Vec<TranscriptId>,
    mut part: RoundPart,
) -> Outcome {
    use thematic::analysis::agreement::multi_agreement;
    if !(args.overlap > 0.0 && args.overlap <= 1.0) {
        return Err(Failure(
            "--overlap must be more than 0 and at most 1".into(),
        ));
    }
    let codes = chosen_codes(project, &args.codes)?;
    let result = multi_agreement(project, &coders, &transcripts, codes, args.overlap);
    let out = SeveralOut {
        coders: coders.iter().map(ToString::to_string).collect(),
        round: part.number,
        transcripts: result.transcripts.iter().map(ToString::to_string).collect(),
        unfinished: part.unfinished.iter().map(ToString::to_string).collect(),
        pending: part
            .pending
            .iter()
            .map(|(t, waiting)| PendingOut {
                transcript: t.to_string(),
                waiting_for: waiting.iter().map(ToString::to_string).collect(),
            })
            .collect(),
        overlap: args.overlap,
        pooling: POOLING,
        independent: part.independent.take(),
        overall: AlphaOut {
            alpha: result.overall.alpha(),
        },
        per_code: result
            .per_code
            .iter()
            .map(|(code, counts)| CodeAlphaOut {
                code: project.codebook.name_or_id(code),
                code_id: code.to_string(),
                path: project.codebook.path(code),
                alpha: counts.alpha(),
            })
            .collect(),
        pairs: result
            .pairs
            .iter()
            .map(|p| PairOut {
                coders: [p.coder_a.to_string(), p.coder_b.to_string()],
                figures: figures(&p.overall, &p.segments),
                weighted_kappa: p.weighted_kappa(),
            })
            .collect(),
    };
    match args.format {
        crate::Format::Json => println!("{}", serde_json::to_string_pretty(&out)?),
        crate::Format::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout());
            w.write_record(["scope", "name", "id", "alpha", "kappa", "percent_agreement"])?;
            let num = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
            w.write_record(["overall", "all codes", "", &num(out.overall.alpha), "", ""])?;
            for c in &out.per_code {
                w.write_record(["code", &c.path, &c.code_id, &num(c.alpha), "", ""])?;
            }
            for p in &out.pairs {
                let name = p.coders.join(" and ");
                w.write_record([
                    "pair",
                    &name,
                    "",
                    &num(p.figures.alpha),
                    &num(p.figures.kappa),
                    &num(p.figures.percent_agreement),
                ])?;
            }
            w.flush()?;
        }
        crate::Format::Table => {
            let of_round = out
                .round
                .map(|n| format!(", round {n} of double coding,"))
                .unwrap_or_default();
            let compared = if out.transcripts.is_empty() {
                "no transcript yet".to_string()
            } else {
                format!(
                    "{} transcript(s): {}",
                    out.transcripts.len(),
                    out.transcripts.join(", ")
                )
            };
            println!(
                "Agreement among {}{of_round} on {compared}",
                out.coders.join(", ")
            );
            if !out.unfinished.is_empty() {
                println!(
                    "Including {} transcript(s) not every coder has marked done: {} (--include-unfinished)",
                    out.unfinished.len(),
                    out.unfinished.join(", ")
                );
            }
            for (t, waiting) in &part.pending {
                println!(
                    "Pending, not compared: {t} is waiting for {} to mark it done",
                    and_list(waiting)
                );
            }
            if out.transcripts.is_empty() {
                println!(
                    "No transcript here has been marked done by every coder yet, so there are no figures (--include-unfinished compares them anyway)."
                );
                return Ok(ExitCode::SUCCESS);
            }
            if let Some(i) = &out.independent {
                let pairs: Vec<String> = i
                    .pairs
                    .iter()
                    .map(|p| {
                        format!(
                            "{} kappa {}",
                            p.coders.join(" and "),
                            show(p.figures.kappa, false)
                        )
                    })
                    .collect();
                println!(
                    "Independent (when all had first finished, before discussion): alpha over all coders {}; {}",
                    show(i.alpha, false),
                    pairs.join(", ")
                );
            }
            println!("Figures are {POOLING}; undefined figures are shown as —.\n");
            println!(
                "Krippendorff's alpha over all {} coders (nominal): {}\n",
                out.coders.len(),
                show(out.overall.alpha, false)
            );
            let mut table =
                super::table::Table::new(&["Code", "Alpha (all coders)"]).right_align(&[1]);
            for c in &out.per_code {
                table.row(vec![c.path.clone(), show(c.alpha, false)]);
            }
            print!("{}", table.render());
            println!();
            let mut pairs =
                super::table::Table::new(&["Pair", "Agreement", "Kappa", "Alpha", "Segments"])
                    .right_align(&[1, 2, 3]);
            for p in &out.pairs {
                let f = &p.figures;
                pairs.row(vec![
                    p.coders.join(" and "),
                    show(f.percent_agreement, true),
                    show(f.kappa, false),
                    show(f.alpha, false),
                    format!(
                        "{}/{}/{}",
                        f.segments_matched, f.segments_only_a, f.segments_only_b
                    ),
                ]);
            }
            print!("{}", pairs.render());
        }
    }
    Ok(ExitCode::SUCCESS)
}
