//! `thematic agreement DIR`: inter-coder agreement between two coders (by default the latest
//! round's), with the round's independent figures; three or more coders, or a round with
//! several second coders, are compared in `agreement/several.rs`.

mod several;

use super::args::{find_code, transcript_ids};
use super::command_error::{CommandError, Outcome, user_error};
use super::context::Context;
use super::output::{Format, Listing, print};
use super::text_table::Table;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Stdout;
use std::path::PathBuf;
use std::process::ExitCode;
use thematic::analysis::agreement::{
    Agreement, Comparison, SegmentCounts, agreement as compare, progress,
};
use thematic::model::{CodeId, CoderId, Project, Sample, TranscriptId};

#[derive(clap::Args)]
pub struct Args {
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
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
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

fn figures(table: &thematic::analysis::agreement::Table, segments: &SegmentCounts) -> FiguresOut {
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

/// The figures frozen with a round (`RoundFigures`, or a pair's `PairFigures`: the same
/// fields).
macro_rules! frozen {
    ($f:expr) => {{
        let f = $f;
        let segments = SegmentCounts {
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
    }};
}
use frozen;

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

/// `--overlap` is a share: above 0, at most 1.
fn check_overlap(overlap: f64) -> Result<(), CommandError> {
    if overlap > 0.0 && overlap <= 1.0 {
        Ok(())
    } else {
        Err(user_error(
            "--overlap must be more than 0 and at most 1".into(),
        ))
    }
}

/// The codes named by `--code` (each with everything below it), or None for every code used.
fn chosen_codes(
    project: &Project,
    queries: &[String],
) -> Result<Option<Vec<CodeId>>, CommandError> {
    if queries.is_empty() {
        return Ok(None);
    }
    let mut ids = Vec::new();
    for query in queries {
        let one = find_code(project, query)?;
        let below = project.codebook.subtree(&one);
        for id in project
            .codebook
            .walk()
            .into_iter()
            .map(|(_, c)| c.id.clone())
            .filter(|id| below.contains(id))
        {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    Ok(Some(ids))
}

pub fn run(ctx: &Context, args: Args) -> Outcome {
    let loaded = super::context::load(&args.dir)?;
    let seen = ctx.seen_by(&loaded.project)?;
    let project = &*seen;
    if args.coders.len() == 1 {
        return Err(user_error(
            "--coders needs two or more coders (A B, or A,B,C)".into(),
        ));
    }
    if args.coders.len() > 2 {
        return several::several(&args, project);
    }
    let (round_number, sample) = chosen_round(&args, project)?;
    if let Some(round) = sample.filter(|s| args.coders.is_empty() && s.has_several_seconds()) {
        return several::several_round(&args, project, round_number, round);
    }
    let (a, b) = pair(&args, project, sample)?;
    check_overlap(args.overlap)?;
    let sample = sample.filter(|s| s.has_coder(&a) && s.has_coder(&b));
    let round_number = round_number.filter(|_| sample.is_some());
    let transcripts = compared_transcripts(&args, project, sample, &a, &b)?;
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
    let comparison = Comparison {
        coder_a: a,
        coder_b: b,
        transcripts,
        codes,
        overlap: args.overlap,
    };
    let result = compare(project, &comparison);
    let independent = sample
        .filter(|_| args.transcripts.is_empty() && args.codes.is_empty())
        .and_then(|s| s.independent.as_ref())
        .map(|f| frozen!(f));
    let out = AgreementOut {
        coders: [
            comparison.coder_a.to_string(),
            comparison.coder_b.to_string(),
        ],
        round: round_number,
        unfinished: unfinished.iter().map(ToString::to_string).collect(),
        pending: pending_out(&pending),
        independent,
        ..two_coder_figures(project, &result, args.overlap)
    };
    print(args.format, &out)?;
    Ok(ExitCode::SUCCESS)
}

/// The round `--round` names (or the latest), with its number.
fn chosen_round<'p>(
    args: &Args,
    project: &'p Project,
) -> Result<(Option<usize>, Option<&'p Sample>), CommandError> {
    match args.round {
        Some(n) => match project.meta.round(n) {
            Some(r) => Ok((Some(n), Some(r))),
            None => Err(user_error(format!(
                "no round {n}: the project has {} round(s) of double coding",
                project.meta.rounds.len()
            ))),
        },
        None => Ok((
            project.meta.sample().map(|_| project.meta.rounds.len()),
            project.meta.sample(),
        )),
    }
}

/// The two coders compared: `--coders A B`, else the round's primary and second coder.
fn pair(
    args: &Args,
    project: &Project,
    sample: Option<&Sample>,
) -> Result<(CoderId, CoderId), CommandError> {
    let (a, b) = match args.coders.as_slice() {
        [a, b] => (CoderId::new(a.as_str())?, CoderId::new(b.as_str())?),
        _ => match sample.and_then(|s| Some((s, s.first_second()?))) {
            Some((s, second)) => (s.primary.clone(), second.clone()),
            None => return Err(user_error("no double-coding sample yet: give --coders A B, or draw one with `thematic sample`".into())),
        },
    };
    for c in [&a, &b] {
        if project.meta.coder(c).is_none() {
            return Err(user_error(format!("no coder {c} in the project")));
        }
    }
    Ok((a, b))
}

/// `--transcripts`, else the round's, else every transcript both coded.
fn compared_transcripts(
    args: &Args,
    project: &Project,
    sample: Option<&Sample>,
    a: &CoderId,
    b: &CoderId,
) -> Result<Vec<TranscriptId>, CommandError> {
    let transcripts: Vec<TranscriptId> = if !args.transcripts.is_empty() {
        transcript_ids(project, "--transcripts", &args.transcripts)?
    } else if let Some(s) = sample {
        s.transcripts.clone()
    } else {
        project
            .transcripts_in_order()
            .iter()
            .map(|t| t.id.clone())
            .filter(|t| !project.segments(a, t).is_empty() && !project.segments(b, t).is_empty())
            .collect()
    };
    if transcripts.is_empty() {
        return Err(user_error(format!(
            "{a} and {b} have no transcript in common to compare"
        )));
    }
    Ok(transcripts)
}

fn pending_out(pending: &[(TranscriptId, Vec<CoderId>)]) -> Vec<PendingOut> {
    pending
        .iter()
        .map(|(t, waiting)| PendingOut {
            transcript: t.to_string(),
            waiting_for: waiting.iter().map(ToString::to_string).collect(),
        })
        .collect()
}

/// The figures of a comparison of two coders, overall, per code and per transcript (the
/// round's part left empty).
fn two_coder_figures(project: &Project, result: &Agreement, overlap: f64) -> AgreementOut {
    let overall = || OverallOut {
        figures: figures(&result.overall, &result.segments),
        weighted_kappa: result.weighted_kappa(),
    };
    AgreementOut {
        coders: Default::default(),
        round: None,
        transcripts: result.transcripts.iter().map(ToString::to_string).collect(),
        unfinished: Vec::new(),
        pending: Vec::new(),
        overlap,
        pooling: POOLING,
        independent: None,
        current: overall(),
        overall: overall(),
        per_code: result
            .per_code
            .iter()
            .map(|c| CodeOut {
                code: project.codebook.name_or_id(&c.code),
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
    }
}

/// A CSV cell of a figure: empty when undefined.
fn number(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

impl Listing for AgreementOut {
    fn table(&self) -> String {
        let mut text = self.heading();
        if self.transcripts.is_empty() {
            text.push_str("No transcript here has been marked done by both coders yet, so there are no figures (--include-unfinished compares them anyway).\n");
            return text;
        }
        text.push_str(&self.overall_lines());
        text.push_str(&self.per_code_table());
        text.push_str(&self.per_transcript_table());
        text
    }

    fn csv(&self, w: &mut csv::Writer<Stdout>) -> Result<(), csv::Error> {
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
        let mut row = |scope: &str, name: &str, id: &str, f: &FiguresOut| {
            w.write_record([
                scope.to_string(),
                name.to_string(),
                id.to_string(),
                number(f.percent_agreement),
                number(f.kappa),
                number(f.alpha),
                f.chars_both.to_string(),
                f.chars_only_a.to_string(),
                f.chars_only_b.to_string(),
                f.chars_neither.to_string(),
                f.segments_matched.to_string(),
                f.segments_only_a.to_string(),
                f.segments_only_b.to_string(),
            ])
        };
        row("overall", "all codes", "", &self.overall.figures)?;
        for c in &self.per_code {
            row("code", &c.path, &c.code_id, &c.figures)?;
        }
        for t in &self.per_transcript {
            row("transcript", &t.transcript, &t.transcript, &t.figures)?;
        }
        Ok(())
    }

    fn json(&self) -> impl Serialize + '_ {
        self
    }
}

impl AgreementOut {
    /// Who is compared on what, and what is left out.
    fn heading(&self) -> String {
        let [a, b] = &self.coders;
        let of_round = self
            .round
            .map(|n| format!(", round {n} of double coding"))
            .unwrap_or_default();
        format!(
            "Agreement between {a} (A) and {b} (B){of_round} on {}\n{}",
            compared(&self.transcripts),
            left_out(&self.unfinished, &self.pending, "both coders have")
        )
    }

    /// The independent and current figures, and the segments matched.
    fn overall_lines(&self) -> String {
        let [a, b] = &self.coders;
        let o = &self.overall.figures;
        let mut text = String::new();
        if let Some(i) = &self.independent {
            let _ = writeln!(
                text,
                "Independent (when both had first finished, before discussion): {}",
                summary(i.percent_agreement, i.kappa, i.alpha)
            );
        }
        let _ = writeln!(
            text,
            "Figures are {POOLING}; undefined figures are shown as —.\n"
        );
        let _ = writeln!(
            text,
            "Current: {}; mean kappa weighted by coded characters {}",
            summary(o.percent_agreement, o.kappa, o.alpha),
            show(self.overall.weighted_kappa, false)
        );
        let _ = writeln!(
            text,
            "Segments (overlap at least {:.0}% of the longer): {} matched, {} only {a}, {} only {b} ({})\n",
            self.overlap * 100.0,
            o.segments_matched,
            o.segments_only_a,
            o.segments_only_b,
            show(o.segment_agreement, true)
        );
        text
    }

    fn per_code_table(&self) -> String {
        let mut table = Table::new(&[
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
        for c in &self.per_code {
            let f = &c.figures;
            table.row(vec![
                c.path.clone(),
                show(f.percent_agreement, true),
                show(f.kappa, false),
                show(f.alpha, false),
                f.chars_both.to_string(),
                f.chars_only_a.to_string(),
                f.chars_only_b.to_string(),
                segments(f),
            ]);
        }
        format!(
            "{}(characters coded by both, by A only, by B only; segments matched / only A / only B)\n\n",
            table.render()
        )
    }

    fn per_transcript_table(&self) -> String {
        let mut per_t =
            Table::new(&["Transcript", "Agreement", "Kappa", "Alpha"]).right_align(&[1, 2, 3]);
        for t in &self.per_transcript {
            per_t.row(vec![
                t.transcript.clone(),
                show(t.figures.percent_agreement, true),
                show(t.figures.kappa, false),
                show(t.figures.alpha, false),
            ]);
        }
        per_t.render()
    }
}

/// The round's transcripts compared although unfinished (`--include-unfinished`), and
/// those left out until `who` ("both coders have", "every coder has") marked them done.
fn left_out(unfinished: &[String], pending: &[PendingOut], who: &str) -> String {
    let mut text = String::new();
    if !unfinished.is_empty() {
        let _ = writeln!(
            text,
            "Including {} transcript(s) not {who} marked done: {} (--include-unfinished)",
            unfinished.len(),
            unfinished.join(", ")
        );
    }
    for p in pending {
        let _ = writeln!(
            text,
            "Pending, not compared: {} is waiting for {} to mark it done",
            p.transcript,
            super::sample::and_list(&p.waiting_for)
        );
    }
    text
}

/// "3 transcript(s): p01, p02, p03", or "no transcript yet".
fn compared(transcripts: &[String]) -> String {
    if transcripts.is_empty() {
        "no transcript yet".to_string()
    } else {
        format!(
            "{} transcript(s): {}",
            transcripts.len(),
            transcripts.join(", ")
        )
    }
}

/// "matched/only A/only B".
fn segments(f: &FiguresOut) -> String {
    format!(
        "{}/{}/{}",
        f.segments_matched, f.segments_only_a, f.segments_only_b
    )
}
