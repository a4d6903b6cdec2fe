//! The Agreement view: the codes with their agreement figures, worst first; and, for one code,
//! a walk through the disagreements (segments of one coder with no match in the other's),
//! each resolvable: keep mine, adopt theirs, keep both, drop mine. Resolutions change only
//! the viewing coder's own segments, are edits (undoable), and are recorded in the audit
//! trail; the figures from when the view was opened stay beside the current ones.
pub mod draw;
pub mod keys;

use crate::analysis::agreement::{Agreement, Comparison};
use crate::model::{CodeId, CoderId, Project, Segment, TranscriptId};

/// One disagreement: a passage where one coder applied the code and the other did not match
/// it. The segments of each coder overlapping the passage (with the code) are given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    pub transcript: TranscriptId,
    pub start: usize,
    pub end: usize,
    pub a: Vec<Segment>,
    pub b: Vec<Segment>,
}

#[derive(Debug, Clone)]
pub struct AgreementState {
    pub comparison: Comparison,
    pub before: Agreement,
    pub now: Agreement,
    /// Indices into `now.per_code`, worst kappa first (undefined last).
    pub order: Vec<usize>,
    pub selected: usize,
    /// The code being walked through, its disagreements and the one shown.
    pub walk: Option<(CodeId, Vec<Disagreement>, usize)>,
    /// The round's transcripts not compared yet, with the coders each waits for.
    pub pending: Vec<(TranscriptId, Vec<CoderId>)>,
    /// The round's figures frozen when both coders had first finished it.
    pub independent: Option<crate::model::RoundFigures>,
    /// Which round this is (1 is the first).
    pub round: usize,
    /// Disagreements resolved in this session (code, transcript, start, end) and how, so a
    /// kept one is marked when the walk comes back to it.
    pub resolved: Vec<(CodeId, TranscriptId, usize, usize, String)>,
    /// Every finished transcript of the round; `comparison` holds one of them when the view
    /// is narrowed to it.
    pub finished: Vec<TranscriptId>,
    /// Every coder of the round, primary first.
    pub coders: Vec<CoderId>,
    /// Every pair of the round's coders (one for a round of two); `pair` is the one compared.
    pub pairs: Vec<(CoderId, CoderId)>,
    pub pair: usize,
    /// With several second coders: Krippendorff's alpha over all the round's coders now, on
    /// the transcripts compared.
    pub alpha_all_coders: Option<f64>,
}

impl AgreementState {
    /// How the disagreement `d` on `code` was resolved in this session, if it was.
    pub fn resolution_of(&self, code: &CodeId, d: &Disagreement) -> Option<&str> {
        self.resolved
            .iter()
            .rev()
            .find(|(c, t, s, e, _)| c == code && t == &d.transcript && *s == d.start && *e == d.end)
            .map(|(.., how)| how.as_str())
    }
}

/// Segments of `coder` in `t` carrying `code`.
fn with_code(project: &Project, coder: &CoderId, t: &TranscriptId, code: &CodeId) -> Vec<Segment> {
    project
        .segments(coder, t)
        .iter()
        .filter(|s| s.codes.contains(code))
        .cloned()
        .collect()
}

/// The disagreements on `code`: every segment without a match on the other side, grouped with
/// the other coder's segments that overlap it, in transcript order.
pub fn disagreements(project: &Project, cmp: &Comparison, code: &CodeId) -> Vec<Disagreement> {
    let mut found = Vec::new();
    for t in &cmp.transcripts {
        let a = with_code(project, &cmp.coder_a, t, code);
        let b = with_code(project, &cmp.coder_b, t, code);
        let matched = |x: &Segment, others: &[Segment]| {
            others.iter().any(|y| {
                let shared = x.end.min(y.end).saturating_sub(x.start.max(y.start));
                shared as f64 >= cmp.overlap * x.len().max(y.len()) as f64
            })
        };
        let mut seen: Vec<(usize, usize)> = Vec::new();
        for x in a
            .iter()
            .filter(|x| !matched(x, &b))
            .chain(b.iter().filter(|y| !matched(y, &a)))
        {
            let overlaps = |s: &Segment| s.start < x.end && x.start < s.end;
            let group_a: Vec<Segment> = a.iter().filter(|s| overlaps(s)).cloned().collect();
            let group_b: Vec<Segment> = b.iter().filter(|s| overlaps(s)).cloned().collect();
            let start = group_a
                .iter()
                .chain(&group_b)
                .map(|s| s.start)
                .min()
                .unwrap_or(x.start);
            let end = group_a
                .iter()
                .chain(&group_b)
                .map(|s| s.end)
                .max()
                .unwrap_or(x.end);
            if seen.contains(&(start, end)) {
                continue;
            }
            seen.push((start, end));
            found.push(Disagreement {
                transcript: t.clone(),
                start,
                end,
                a: group_a,
                b: group_b,
            });
        }
    }
    found.sort_by(|p, q| {
        (
            cmp.transcripts.iter().position(|t| t == &p.transcript),
            p.start,
        )
            .cmp(&(
                cmp.transcripts.iter().position(|t| t == &q.transcript),
                q.start,
            ))
    });
    found
}

/// With more than two `coders`, Krippendorff's alpha over all of them on the transcripts of
/// `comparison`; None for two coders, whose alpha is the pair's.
fn all_coders_alpha(
    project: &crate::model::Project,
    coders: &[CoderId],
    comparison: &Comparison,
) -> Option<f64> {
    (coders.len() > 2)
        .then(|| {
            crate::analysis::agreement::all_coder_alpha(project, coders, &comparison.transcripts)
        })
        .flatten()
}

fn worst_first(result: &Agreement) -> Vec<usize> {
    let mut order: Vec<usize> = (0..result.per_code.len()).collect();
    order.sort_by(|&i, &j| {
        let key = |k: usize| result.per_code[k].table.kappa().unwrap_or(f64::INFINITY);
        key(i)
            .partial_cmp(&key(j))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    order
}

/// How a disagreement is resolved by the coder viewing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    KeepMine,
    AdoptTheirs,
    KeepBoth,
    DropMine,
}
