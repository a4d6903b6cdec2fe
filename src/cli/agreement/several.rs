//! `thematic agreement` over three or more coders, or a round with several second coders:
//! Krippendorff's alpha over all of them, per code, and every pair's figures.

use super::super::args::transcript_ids;
use super::super::command_error::{Outcome, user_error};
use super::super::output::{Listing, print};
use super::super::text_table::Table;
use super::{
    Args, FiguresOut, POOLING, PendingOut, check_overlap, chosen_codes, compared, figures, frozen,
    left_out, number, pending_out, segments, show,
};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Stdout;
use std::process::ExitCode;
use thematic::analysis::agreement::SegmentCounts;
use thematic::model::{CoderId, Project, Sample, TranscriptId};

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
/// The agreement of a round with several second coders, as `--coders` gives it for all its
/// coders, over the transcripts every one of them has finished (the others pending).
pub fn several_round(
    args: &Args,
    project: &Project,
    number: Option<usize>,
    round: &Sample,
) -> Outcome {
    let coders: Vec<CoderId> = round.coders().into_iter().cloned().collect();
    let (transcripts, part) = if !args.transcripts.is_empty() {
        (
            transcript_ids(project, "--transcripts", &args.transcripts)?,
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
    FrozenPairOut {
        coders: [p.coders[0].to_string(), p.coders[1].to_string()],
        figures: frozen!(p),
    }
}

/// Three or more coders: Krippendorff's alpha over all of them, and every pair.
pub fn several(args: &Args, project: &Project) -> Outcome {
    let mut coders: Vec<CoderId> = Vec::new();
    for c in &args.coders {
        let id = CoderId::new(c.as_str())?;
        if project.meta.coder(&id).is_none() {
            return Err(user_error(format!("no coder {id} in the project")));
        }
        if coders.contains(&id) {
            return Err(user_error(format!("coder {id} is named twice")));
        }
        coders.push(id);
    }
    check_overlap(args.overlap)?;
    let transcripts: Vec<TranscriptId> = if args.transcripts.is_empty() {
        project
            .transcripts_in_order()
            .iter()
            .map(|t| t.id.clone())
            .filter(|t| coders.iter().all(|c| !project.segments(c, t).is_empty()))
            .collect()
    } else {
        transcript_ids(project, "--transcripts", &args.transcripts)?
    };
    if transcripts.is_empty() {
        return Err(user_error(
            "these coders have no transcript that all of them coded; name some with --transcripts"
                .into(),
        ));
    }
    compare_several(args, project, coders, transcripts, RoundPart::default())
}

/// Compares `coders` over `transcripts` and prints it in the format asked for.
fn compare_several(
    args: &Args,
    project: &Project,
    coders: Vec<CoderId>,
    transcripts: Vec<TranscriptId>,
    mut part: RoundPart,
) -> Outcome {
    use thematic::analysis::agreement::multi_agreement;
    check_overlap(args.overlap)?;
    let codes = chosen_codes(project, &args.codes)?;
    let result = multi_agreement(project, &coders, &transcripts, codes, args.overlap);
    let out = SeveralOut {
        coders: coders.iter().map(ToString::to_string).collect(),
        round: part.number,
        transcripts: result.transcripts.iter().map(ToString::to_string).collect(),
        unfinished: part.unfinished.iter().map(ToString::to_string).collect(),
        pending: pending_out(&part.pending),
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
    print(args.format, &out)?;
    Ok(ExitCode::SUCCESS)
}

impl Listing for SeveralOut {
    fn table(&self) -> String {
        let mut text = self.heading();
        if self.transcripts.is_empty() {
            text.push_str("No transcript here has been marked done by every coder yet, so there are no figures (--include-unfinished compares them anyway).\n");
            return text;
        }
        text.push_str(&self.overall_lines());
        text.push_str(&self.tables());
        text
    }

    fn csv(&self, w: &mut csv::Writer<Stdout>) -> Result<(), csv::Error> {
        w.write_record(["scope", "name", "id", "alpha", "kappa", "percent_agreement"])?;
        w.write_record([
            "overall",
            "all codes",
            "",
            &number(self.overall.alpha),
            "",
            "",
        ])?;
        for c in &self.per_code {
            w.write_record(["code", &c.path, &c.code_id, &number(c.alpha), "", ""])?;
        }
        for p in &self.pairs {
            let name = p.coders.join(" and ");
            w.write_record([
                "pair",
                &name,
                "",
                &number(p.figures.alpha),
                &number(p.figures.kappa),
                &number(p.figures.percent_agreement),
            ])?;
        }
        Ok(())
    }

    fn json(&self) -> impl Serialize + '_ {
        self
    }
}

impl SeveralOut {
    /// Who is compared on what, and what is left out.
    fn heading(&self) -> String {
        let of_round = self
            .round
            .map(|n| format!(", round {n} of double coding,"))
            .unwrap_or_default();
        format!(
            "Agreement among {}{of_round} on {}\n{}",
            self.coders.join(", "),
            compared(&self.transcripts),
            left_out(&self.unfinished, &self.pending, "every coder has")
        )
    }

    /// The independent figures and alpha over all coders.
    fn overall_lines(&self) -> String {
        let mut text = String::new();
        if let Some(i) = &self.independent {
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
            let _ = writeln!(
                text,
                "Independent (when all had first finished, before discussion): alpha over all coders {}; {}",
                show(i.alpha, false),
                pairs.join(", ")
            );
        }
        let _ = writeln!(
            text,
            "Figures are {POOLING}; undefined figures are shown as —.\n"
        );
        let _ = writeln!(
            text,
            "Krippendorff's alpha over all {} coders (nominal): {}\n",
            self.coders.len(),
            show(self.overall.alpha, false)
        );
        text
    }

    /// Alpha per code, then every pair's figures.
    fn tables(&self) -> String {
        let mut table = Table::new(&["Code", "Alpha (all coders)"]).right_align(&[1]);
        for c in &self.per_code {
            table.row(vec![c.path.clone(), show(c.alpha, false)]);
        }
        let mut pairs = Table::new(&["Pair", "Agreement", "Kappa", "Alpha", "Segments"])
            .right_align(&[1, 2, 3]);
        for p in &self.pairs {
            let f = &p.figures;
            pairs.row(vec![
                p.coders.join(" and "),
                show(f.percent_agreement, true),
                show(f.kappa, false),
                show(f.alpha, false),
                segments(f),
            ]);
        }
        format!("{}\n{}", table.render(), pairs.render())
    }
}
