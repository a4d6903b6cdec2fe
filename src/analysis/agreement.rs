//! Inter-coder agreement between two coders, over chosen transcripts.
//!
//! The unit is the character (Unicode scalar value). For each code and transcript, each
//! character is coded with that code or not by each coder, which gives a 2x2 table:
//! both, only A, only B, neither. From a table:
//! - percentage agreement = (both + neither) / all, as NVivo's coding comparison defines it;
//! - Cohen's kappa = (po - pe) / (1 - pe), with po the observed agreement and pe the agreement
//!   expected from each coder's own rate of coding; undefined when pe = 1 (nobody coded, or
//!   both coded everything);
//! - Krippendorff's alpha, nominal, for two coders with no missing values, from the
//!   coincidence matrix: 1 - (n - 1) * disagreements / (n0 * n1), with n = 2 * characters
//!   and n0, n1 the number of "not coded" and "coded" values; undefined when every value is
//!   the same.
//!
//! Tables are pooled by summing them (over transcripts for a code, over codes and
//! transcripts overall). Also reported: the mean of per-code kappas weighted by the characters
//! either coder coded, and segment-level agreement (see [`SegmentCounts`]).

use crate::model::{
    CodeId, CoderId, PairFigures, Project, Round, RoundFigures, Segment, TranscriptId,
};
use serde::Serialize;
use std::collections::BTreeSet;

/// The 2x2 table of characters for one code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Table {
    pub both: u64,
    pub only_a: u64,
    pub only_b: u64,
    pub neither: u64,
}

impl Table {
    pub fn total(&self) -> u64 {
        self.both + self.only_a + self.only_b + self.neither
    }

    pub fn add(&mut self, other: &Table) {
        self.both += other.both;
        self.only_a += other.only_a;
        self.only_b += other.only_b;
        self.neither += other.neither;
    }

    /// Characters either coder coded.
    pub fn coded(&self) -> u64 {
        self.both + self.only_a + self.only_b
    }

    /// Percentage (0-100) of characters on which the coders agree; undefined for no text.
    pub fn percent_agreement(&self) -> Option<f64> {
        let n = self.total();
        (n > 0).then(|| (self.both + self.neither) as f64 * 100.0 / n as f64)
    }

    pub fn kappa(&self) -> Option<f64> {
        let n = self.total() as f64;
        if n == 0.0 {
            return None;
        }
        let po = (self.both + self.neither) as f64 / n;
        let a = (self.both + self.only_a) as f64 / n;
        let b = (self.both + self.only_b) as f64 / n;
        let pe = a * b + (1.0 - a) * (1.0 - b);
        // pe is 1 exactly when both coders' rates are 0 or both are 1.
        if (1.0 - pe).abs() < 1e-12 {
            None
        } else {
            Some((po - pe) / (1.0 - pe))
        }
    }

    pub fn alpha(&self) -> Option<f64> {
        let n = 2.0 * self.total() as f64;
        let disagree = (self.only_a + self.only_b) as f64;
        let coded = (2 * self.both) as f64 + disagree;
        let uncoded = (2 * self.neither) as f64 + disagree;
        if coded == 0.0 || uncoded == 0.0 {
            return None;
        }
        Some(1.0 - (n - 1.0) * disagree / (coded * uncoded))
    }
}

/// Segment-level agreement: a segment of one coder matches one of the other's when both carry
/// the code and they overlap by at least the threshold share of the longer one. Each segment
/// matches at most once (the largest overlaps are paired first).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SegmentCounts {
    pub matched: u64,
    pub only_a: u64,
    pub only_b: u64,
}

impl SegmentCounts {
    pub fn add(&mut self, other: &SegmentCounts) {
        self.matched += other.matched;
        self.only_a += other.only_a;
        self.only_b += other.only_b;
    }

    /// Matched as a percentage of matched + unmatched on either side; undefined when
    /// neither coder has a segment.
    pub fn percent(&self) -> Option<f64> {
        let n = self.matched + self.only_a + self.only_b;
        (n > 0).then(|| self.matched as f64 * 100.0 / n as f64)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeAgreement {
    pub code: CodeId,
    pub table: Table,
    pub segments: SegmentCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TranscriptAgreement {
    pub transcript: TranscriptId,
    pub table: Table,
    pub segments: SegmentCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    pub coder_a: CoderId,
    pub coder_b: CoderId,
    pub transcripts: Vec<TranscriptId>,
    /// All codes and transcripts, tables summed.
    pub overall: Table,
    pub segments: SegmentCounts,
    /// Each code over all the chosen transcripts, in codebook order.
    pub per_code: Vec<CodeAgreement>,
    /// Each transcript over all the codes compared.
    pub per_transcript: Vec<TranscriptAgreement>,
}

impl Agreement {
    /// Mean of the defined per-code kappas, each weighted by the characters either coder
    /// coded with that code.
    pub fn weighted_kappa(&self) -> Option<f64> {
        let (sum, weight) =
            self.per_code
                .iter()
                .fold((0.0, 0.0), |(s, w), c| match c.table.kappa() {
                    Some(k) => (s + k * c.table.coded() as f64, w + c.table.coded() as f64),
                    None => (s, w),
                });
        (weight > 0.0).then(|| sum / weight)
    }
}

/// What to compare.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub coder_a: CoderId,
    pub coder_b: CoderId,
    pub transcripts: Vec<TranscriptId>,
    /// Only these codes (None: every code either coder used in the transcripts).
    pub codes: Option<Vec<CodeId>>,
    /// Segment overlap needed for a match, as a share of the longer segment.
    pub overlap: f64,
}

/// Sorted, merged ranges covered by the segments that carry `code`.
fn covered(segments: &[Segment], code: &CodeId, len: usize) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = segments
        .iter()
        .filter(|s| s.codes.contains(code))
        .map(|s| (s.start.min(len), s.end.min(len)))
        .filter(|(s, e)| s < e)
        .collect();
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

fn length(ranges: &[(usize, usize)]) -> u64 {
    ranges.iter().map(|(s, e)| (e - s) as u64).sum()
}

fn intersection(a: &[(usize, usize)], b: &[(usize, usize)]) -> u64 {
    let (mut i, mut j, mut total) = (0, 0, 0u64);
    while i < a.len() && j < b.len() {
        let start = a[i].0.max(b[j].0);
        let end = a[i].1.min(b[j].1);
        if start < end {
            total += (end - start) as u64;
        }
        if a[i].1 < b[j].1 { i += 1 } else { j += 1 }
    }
    total
}

/// The 2x2 table of one code in one transcript of `len` characters.
pub fn table(a: &[Segment], b: &[Segment], code: &CodeId, len: usize) -> Table {
    let ca = covered(a, code, len);
    let cb = covered(b, code, len);
    let both = intersection(&ca, &cb);
    let (la, lb) = (length(&ca), length(&cb));
    Table {
        both,
        only_a: la - both,
        only_b: lb - both,
        neither: len as u64 - (la + lb - both),
    }
}

/// Segment matches of one code in one transcript.
pub fn segment_matches(a: &[Segment], b: &[Segment], code: &CodeId, overlap: f64) -> SegmentCounts {
    let sa: Vec<&Segment> = a.iter().filter(|s| s.codes.contains(code)).collect();
    let sb: Vec<&Segment> = b.iter().filter(|s| s.codes.contains(code)).collect();
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, x) in sa.iter().enumerate() {
        for (j, y) in sb.iter().enumerate() {
            let shared = x.end.min(y.end).saturating_sub(x.start.max(y.start));
            let longer = x.len().max(y.len());
            if longer > 0 && shared as f64 >= overlap * longer as f64 {
                pairs.push((shared as f64 / longer as f64, i, j));
            }
        }
    }
    pairs.sort_by(|p, q| {
        q.0.partial_cmp(&p.0)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then((p.1, p.2).cmp(&(q.1, q.2)))
    });
    let (mut used_a, mut used_b) = (vec![false; sa.len()], vec![false; sb.len()]);
    let mut matched = 0u64;
    for (_, i, j) in pairs {
        if !used_a[i] && !used_b[j] {
            used_a[i] = true;
            used_b[j] = true;
            matched += 1;
        }
    }
    SegmentCounts {
        matched,
        only_a: sa.len() as u64 - matched,
        only_b: sb.len() as u64 - matched,
    }
}

/// The codes any of `coders` used in `transcripts`: codebook order, then any code no longer
/// in the codebook.
pub fn codes_used(
    project: &Project,
    coders: &[&CoderId],
    transcripts: &[TranscriptId],
) -> Vec<CodeId> {
    let used: BTreeSet<&CodeId> = transcripts
        .iter()
        .flat_map(|t| coders.iter().flat_map(move |c| project.segments(c, t)))
        .flat_map(|s| s.codes.iter())
        .collect();
    let mut ordered: Vec<CodeId> = project
        .codebook
        .walk()
        .into_iter()
        .map(|(_, c)| c.id.clone())
        .filter(|id| used.contains(id))
        .collect();
    ordered.extend(
        used.into_iter()
            .filter(|id| !project.codebook.contains(id))
            .cloned(),
    );
    ordered
}

/// Compares two coders.
pub fn agreement(project: &Project, cmp: &Comparison) -> Agreement {
    let transcripts: Vec<&crate::model::Transcript> = cmp
        .transcripts
        .iter()
        .filter_map(|t| project.transcript(t))
        .collect();
    let codes: Vec<CodeId> = match &cmp.codes {
        Some(list) => list.clone(),
        None => codes_used(project, &[&cmp.coder_a, &cmp.coder_b], &cmp.transcripts),
    };
    let mut per_code: Vec<CodeAgreement> = codes
        .iter()
        .map(|c| CodeAgreement {
            code: c.clone(),
            table: Table::default(),
            segments: SegmentCounts::default(),
        })
        .collect();
    let mut per_transcript = Vec::with_capacity(transcripts.len());
    let (mut overall, mut segments) = (Table::default(), SegmentCounts::default());
    for t in &transcripts {
        let (a, b) = (
            project.segments(&cmp.coder_a, &t.id),
            project.segments(&cmp.coder_b, &t.id),
        );
        let mut in_transcript = TranscriptAgreement {
            transcript: t.id.clone(),
            table: Table::default(),
            segments: SegmentCounts::default(),
        };
        for entry in per_code.iter_mut() {
            let cell = table(a, b, &entry.code, t.char_len());
            let matches = segment_matches(a, b, &entry.code, cmp.overlap);
            entry.table.add(&cell);
            entry.segments.add(&matches);
            in_transcript.table.add(&cell);
            in_transcript.segments.add(&matches);
        }
        overall.add(&in_transcript.table);
        segments.add(&in_transcript.segments);
        per_transcript.push(in_transcript);
    }
    Agreement {
        coder_a: cmp.coder_a.clone(),
        coder_b: cmp.coder_b.clone(),
        transcripts: transcripts.iter().map(|t| t.id.clone()).collect(),
        overall,
        segments,
        per_code,
        per_transcript,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(both: u64, only_a: u64, only_b: u64, neither: u64) -> Table {
        Table {
            both,
            only_a,
            only_b,
            neither,
        }
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn nvivo_documented_example() {
        // 1,000 characters: 50 coded by both, 150 by one coder only, 800 by neither.
        let table = t(50, 150, 0, 800);
        assert!(close(table.percent_agreement(), 85.0));
        // By hand: po = 0.85; A codes 0.2, B 0.05; pe = 0.2*0.05 + 0.8*0.95 = 0.77;
        // kappa = (0.85 - 0.77) / 0.23.
        assert!(close(table.kappa(), 0.08 / 0.23));
    }

    #[test]
    fn identical_and_empty_and_one_sided() {
        let same = t(100, 0, 0, 900);
        assert!(
            close(same.kappa(), 1.0)
                && close(same.alpha(), 1.0)
                && close(same.percent_agreement(), 100.0)
        );
        let nobody = t(0, 0, 0, 1000);
        assert_eq!(
            (nobody.kappa(), nobody.alpha()),
            (None, None),
            "undefined, not 0 or 1"
        );
        assert!(close(nobody.percent_agreement(), 100.0));
        let everything = t(1000, 0, 0, 0);
        assert_eq!((everything.kappa(), everything.alpha()), (None, None));
        let one_sided = t(0, 100, 0, 900);
        assert!(close(one_sided.kappa(), 0.0));
        // By hand: n = 2000, n1 = 100, n0 = 1900: 1 - 1999 * 100 / (1900 * 100).
        assert!(close(one_sided.alpha(), 1.0 - 1999.0 / 1900.0));
        assert_eq!(t(0, 0, 0, 0).percent_agreement(), None);
    }

    #[test]
    fn segment_counts_percent() {
        let s = SegmentCounts {
            matched: 3,
            only_a: 1,
            only_b: 2,
        };
        assert!(close(s.percent(), 50.0));
        assert_eq!(SegmentCounts::default().percent(), None);
    }
}

/// The segment overlap `thematic agreement` uses unless told otherwise.
pub const DEFAULT_OVERLAP: f64 = 0.9;

/// A round's transcripts split into those both coders finished and those still waiting.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RoundProgress {
    pub finished: Vec<TranscriptId>,
    /// Each unfinished transcript with the coders it waits for.
    pub pending: Vec<(TranscriptId, Vec<CoderId>)>,
}

/// Which of `transcripts` both `a` and `b` marked done, and who the others wait for.
pub fn progress(
    project: &Project,
    a: &CoderId,
    b: &CoderId,
    transcripts: &[TranscriptId],
) -> RoundProgress {
    progress_of(project, &[a, b], transcripts)
}

/// The transcripts of `round` every coder of it marked done, and who the others wait for.
pub fn round_progress(project: &Project, round: &Round) -> RoundProgress {
    progress_of(project, &round.coders(), &round.transcripts)
}

/// Which of `transcripts` every one of `coders` marked done, and who the others wait for.
pub fn progress_of(
    project: &Project,
    coders: &[&CoderId],
    transcripts: &[TranscriptId],
) -> RoundProgress {
    let mut out = RoundProgress::default();
    for t in transcripts {
        let waiting: Vec<CoderId> = coders
            .iter()
            .filter(|c| !project.is_done(c, t))
            .map(|c| (*c).clone())
            .collect();
        if waiting.is_empty() {
            out.finished.push(t.clone());
        } else {
            out.pending.push((t.clone(), waiting));
        }
    }
    out
}

/// Whether every coder of `round` has marked every one of its transcripts done.
pub fn round_finished(project: &Project, round: &Round) -> bool {
    round_progress(project, round).pending.is_empty()
}

/// The comparison of `round`'s primary with its first second coder over `transcripts`
/// (the default overlap): the pair the Agreement view and the report's per-code table show
/// first.
pub fn first_pair(project: &Project, round: &Round, transcripts: Vec<TranscriptId>) -> Comparison {
    let second = round.first_second().unwrap_or(&round.primary);
    pair_in_round(project, round, &round.primary, second, transcripts)
}

/// The comparison of two coders of `round` over `transcripts` at the default overlap. With
/// several second coders it covers every code any coder of the round used there, as the
/// pairs of `agreement --coders` and of the round's frozen figures do, so that a pair's
/// figures are the same wherever they are shown; with two coders, the codes either used.
pub fn pair_in_round(
    project: &Project,
    round: &Round,
    a: &CoderId,
    b: &CoderId,
    transcripts: Vec<TranscriptId>,
) -> Comparison {
    let codes = round
        .has_several_seconds()
        .then(|| codes_used(project, &round.coders(), &transcripts));
    Comparison {
        coder_a: a.clone(),
        coder_b: b.clone(),
        transcripts,
        codes,
        overlap: DEFAULT_OVERLAP,
    }
}

/// A round's agreement as `thematic agreement` computes it by default (its coders, its
/// transcripts, every code, the default overlap), to be kept as its independent figures.
/// With several second coders, the all-coder alpha and every pair are kept too.
pub fn round_figures(
    project: &Project,
    round: &Round,
    revealed_early: Vec<TranscriptId>,
) -> RoundFigures {
    let result = agreement(
        project,
        &first_pair(project, round, round.transcripts.clone()),
    );
    let (alpha_all_coders, pairs) = if round.has_several_seconds() {
        let coders: Vec<CoderId> = round.coders().into_iter().cloned().collect();
        let multi = multi_agreement(project, &coders, &round.transcripts, None, DEFAULT_OVERLAP);
        let pairs = multi.pairs.iter().map(pair_figures).collect();
        (multi.overall.alpha(), pairs)
    } else {
        (None, Vec::new())
    };
    let o = &result.overall;
    RoundFigures {
        at: jiff::Timestamp::now(),
        percent_agreement: o.percent_agreement(),
        kappa: o.kappa(),
        alpha: o.alpha(),
        chars_both: o.both,
        chars_only_a: o.only_a,
        chars_only_b: o.only_b,
        chars_neither: o.neither,
        segments_matched: result.segments.matched,
        segments_only_a: result.segments.only_a,
        segments_only_b: result.segments.only_b,
        revealed_early,
        alpha_all_coders,
        pairs,
    }
}

/// One pair's overall figures, to be kept with a round.
fn pair_figures(pair: &Agreement) -> PairFigures {
    let o = &pair.overall;
    PairFigures {
        coders: [pair.coder_a.clone(), pair.coder_b.clone()],
        percent_agreement: o.percent_agreement(),
        kappa: o.kappa(),
        alpha: o.alpha(),
        chars_both: o.both,
        chars_only_a: o.only_a,
        chars_only_b: o.only_b,
        chars_neither: o.neither,
        segments_matched: pair.segments.matched,
        segments_only_a: pair.segments.only_a,
        segments_only_b: pair.segments.only_b,
    }
}

/// Characters of one code by how many coders coded them (index k: exactly k coders), for
/// Krippendorff's alpha over any number of coders. Pooled by summing, like [`Table`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CoderCounts {
    pub by_coders: Vec<u64>,
}

impl CoderCounts {
    fn new(coders: usize) -> CoderCounts {
        CoderCounts {
            by_coders: vec![0; coders + 1],
        }
    }

    pub fn add(&mut self, other: &CoderCounts) {
        for (mine, theirs) in self.by_coders.iter_mut().zip(&other.by_coders) {
            *mine += theirs;
        }
    }

    /// Krippendorff's alpha, nominal, m coders, no missing values: with the coincidence
    /// matrix of "coded" and "not coded", 1 - (n - 1) * o01 / (n0 * n1), where a character
    /// coded by k of m coders adds k(m - k)/(m - 1) to o01, n1 counts coded values, n0
    /// uncoded ones and n = n0 + n1. For two coders this is [`Table::alpha`]. Undefined when
    /// every value is the same.
    pub fn alpha(&self) -> Option<f64> {
        let m = self.by_coders.len().checked_sub(1).filter(|m| *m >= 2)? as f64;
        let (mut o01, mut n0, mut n1) = (0.0, 0.0, 0.0);
        for (k, &chars) in self.by_coders.iter().enumerate() {
            let (k, chars) = (k as f64, chars as f64);
            o01 += chars * k * (m - k) / (m - 1.0);
            n1 += chars * k;
            n0 += chars * (m - k);
        }
        if n0 == 0.0 || n1 == 0.0 {
            return None;
        }
        Some(1.0 - (n0 + n1 - 1.0) * o01 / (n0 * n1))
    }
}

/// How many of `coverage` (each coder's merged ranges) cover each character of a text of
/// `len` characters, tallied.
fn count_coverage(coverage: &[Vec<(usize, usize)>], len: usize) -> CoderCounts {
    let mut counts = CoderCounts::new(coverage.len());
    let mut events: Vec<(usize, i64)> = coverage
        .iter()
        .flatten()
        .flat_map(|&(s, e)| [(s, 1), (e, -1)])
        .collect();
    events.sort_unstable();
    let (mut at, mut depth, mut covered) = (0usize, 0i64, 0u64);
    for (pos, delta) in events {
        if pos > at && depth > 0 {
            counts.by_coders[depth as usize] += (pos - at) as u64;
            covered += (pos - at) as u64;
        }
        at = pos;
        depth += delta;
    }
    counts.by_coders[0] += len as u64 - covered;
    counts
}

/// Agreement among any number of coders: Krippendorff's alpha over all of them, per code and
/// pooled, and Cohen's kappa (with the other two-coder figures) for every pair.
#[derive(Debug, Clone, PartialEq)]
pub struct MultiAgreement {
    pub coders: Vec<CoderId>,
    pub transcripts: Vec<TranscriptId>,
    pub overall: CoderCounts,
    pub per_code: Vec<(CodeId, CoderCounts)>,
    /// Every pair, in the order the coders were given, over the same codes.
    pub pairs: Vec<Agreement>,
}

/// Compares `coders` (two or more) over `transcripts`, on `codes` (None: every code any of
/// them used there).
pub fn multi_agreement(
    project: &Project,
    coders: &[CoderId],
    transcripts: &[TranscriptId],
    codes: Option<Vec<CodeId>>,
    overlap: f64,
) -> MultiAgreement {
    let all: Vec<&CoderId> = coders.iter().collect();
    let codes = codes.unwrap_or_else(|| codes_used(project, &all, transcripts));
    let (overall, per_code) = coder_counts(project, coders, transcripts, &codes);
    let mut pairs = Vec::new();
    for (i, a) in coders.iter().enumerate() {
        for b in &coders[i + 1..] {
            pairs.push(agreement(
                project,
                &Comparison {
                    coder_a: a.clone(),
                    coder_b: b.clone(),
                    transcripts: transcripts.to_vec(),
                    codes: Some(codes.clone()),
                    overlap,
                },
            ));
        }
    }
    MultiAgreement {
        coders: coders.to_vec(),
        transcripts: transcripts
            .iter()
            .filter(|t| project.transcript(t).is_some())
            .cloned()
            .collect(),
        overall,
        per_code,
        pairs,
    }
}

/// Krippendorff's alpha over all of `coders` on `transcripts`, every code any of them used
/// there pooled: [`multi_agreement`]'s `overall`, without the pairs.
pub fn all_coder_alpha(
    project: &Project,
    coders: &[CoderId],
    transcripts: &[TranscriptId],
) -> Option<f64> {
    let all: Vec<&CoderId> = coders.iter().collect();
    let codes = codes_used(project, &all, transcripts);
    coder_counts(project, coders, transcripts, &codes).0.alpha()
}

/// The coder counts of `codes` over `transcripts`: pooled, and per code.
fn coder_counts(
    project: &Project,
    coders: &[CoderId],
    transcripts: &[TranscriptId],
    codes: &[CodeId],
) -> (CoderCounts, Vec<(CodeId, CoderCounts)>) {
    let mut per_code: Vec<(CodeId, CoderCounts)> = codes
        .iter()
        .map(|c| (c.clone(), CoderCounts::new(coders.len())))
        .collect();
    let mut overall = CoderCounts::new(coders.len());
    for t in transcripts.iter().filter_map(|t| project.transcript(t)) {
        let len = t.char_len();
        for (code, counts) in per_code.iter_mut() {
            let coverage: Vec<Vec<(usize, usize)>> = coders
                .iter()
                .map(|c| covered(project.segments(c, &t.id), code, len))
                .collect();
            let cell = count_coverage(&coverage, len);
            counts.add(&cell);
            overall.add(&cell);
        }
    }
    (overall, per_code)
}

/// Every pair of `round`'s coders, primary first: (primary, each second coder), then the
/// second coders with one another, in the order named.
pub fn round_pairs(round: &Round) -> Vec<(CoderId, CoderId)> {
    let coders = round.coders();
    let mut pairs = Vec::new();
    for (i, a) in coders.iter().enumerate() {
        for b in &coders[i + 1..] {
            pairs.push(((*a).clone(), (*b).clone()));
        }
    }
    pairs
}

#[cfg(test)]
mod multi_tests {
    use super::*;

    #[test]
    fn two_coder_alpha_is_the_two_by_two_tables() {
        let t = Table {
            both: 50,
            only_a: 100,
            only_b: 50,
            neither: 800,
        };
        let counts = CoderCounts {
            by_coders: vec![800, 150, 50],
        };
        assert!((counts.alpha().unwrap() - t.alpha().unwrap()).abs() < 1e-12);
    }

    #[test]
    fn coverage_counts_each_character_once_per_coder() {
        // Coder 1 covers 0..10, coder 2 covers 5..15, coder 3 covers 5..8: of 20 characters,
        // 15..20 by nobody (5), 0..5 and 10..15 by one (10), 8..10 by two (2), 5..8 by all (3).
        let c = count_coverage(&[vec![(0, 10)], vec![(5, 15)], vec![(5, 8)]], 20);
        assert_eq!(c.by_coders, vec![5, 10, 2, 3]);
        assert_eq!(c.by_coders.iter().sum::<u64>(), 20);
    }
}
