//! Everything the report shows, gathered once from the analysis modules, so that the Markdown
//! and the HTML report cannot disagree with each other or with the TUI and `thematic stats`.

use super::ReportOptions;
use crate::analysis::agreement::{Agreement, CodeAgreement, Comparison, agreement};
use crate::analysis::memos::{MemoFilter, MemoOrder, find_memos, link_label, reviewed_by};
use crate::analysis::node_counts::{Coders, NodeCounts, code_counts};
use crate::analysis::stats::{ProjectStats, project_stats};
use crate::analysis::tables::{
    SaturationRow, Scope, ThemeRow, saturation, saturation_point, theme_table,
};
use crate::model::{Code, CoderId, Memo, Project, Sample, TranscriptId};
use crate::wording::{LEVELS_UP, level_pick};

/// Interviews in a row without anything new that mark saturation: the default of
/// `thematic stats DIR saturation` and of the Analysis view, so the report says the same.
pub const SATURATION_RUN: usize = 3;

/// Segment overlap that counts as a match: the default of `thematic agreement --overlap`.
pub const SEGMENT_OVERLAP: f64 = 0.9;

pub struct Report<'p> {
    pub project: &'p Project,
    pub date: jiff::civil::Date,
    pub coders: Coders,
    pub stats: ProjectStats,
    pub codebook: Vec<Node<'p>>,
    pub themes: Vec<(ThemeRow, &'p Code)>,
    pub agreement: Option<SamplePart<'p>>,
    pub saturation: SaturationPart,
    pub memos: Vec<MemoEntry<'p>>,
}

/// One codebook node with its place in the tree and its counts (zero when never used).
pub struct Node<'p> {
    pub depth: usize,
    pub code: &'p Code,
    pub counts: NodeCounts,
}

/// The double-coding sample recorded in thematic.yaml and the agreement over it.
pub struct SamplePart<'p> {
    pub sample: &'p Sample,
    pub result: Agreement,
    /// With several second coders (`result` is then the primary and the first second
    /// coder): Krippendorff's alpha over every coder of the round, all codes pooled.
    pub alpha_all_coders: Option<f64>,
    /// Per code, lowest kappa first, undefined kappas last.
    pub worst_first: Vec<CodeAgreement>,
}

pub struct SaturationPart {
    pub rows: Vec<SaturationRow>,
    /// Participant label of each row's transcript.
    pub participants: Vec<String>,
    /// Index of the row after which saturation is reached: codes, sub-themes, themes.
    pub points: [Option<usize>; 3],
}

pub struct MemoEntry<'p> {
    pub memo: &'p Memo,
    pub author: String,
    pub links: Vec<String>,
    pub reviewed_by: Vec<String>,
}

pub fn gather<'p>(project: &'p Project, options: &ReportOptions) -> Report<'p> {
    let scope = Scope {
        coders: options.coders.clone(),
        ..Scope::default()
    };
    Report {
        project,
        date: options.date,
        coders: options.coders.clone(),
        stats: project_stats(project),
        codebook: codebook(project, &options.coders),
        themes: theme_table(project, &scope)
            .into_iter()
            .filter_map(|row| project.codebook.get(&row.code).map(|c| (row, c)))
            .collect(),
        agreement: sample_part(project),
        saturation: saturation_part(project, &scope),
        memos: memos(project),
    }
}

fn codebook<'p>(project: &'p Project, coders: &Coders) -> Vec<Node<'p>> {
    let counts = code_counts(project, coders);
    project
        .codebook
        .walk()
        .into_iter()
        .map(|(depth, code)| Node {
            depth,
            code,
            counts: counts.get(&code.id).copied().unwrap_or_default(),
        })
        .collect()
}

/// The agreement as `thematic agreement` computes it by default: the sample's primary and
/// (first) second coder, its finished transcripts, every code either of them used, the
/// default segment overlap; with several second coders, the alpha over all of them too.
fn sample_part(project: &Project) -> Option<SamplePart<'_>> {
    let sample = project.meta.sample()?;
    let finished = finished_transcripts(project, sample);
    let alpha_all_coders = alpha_all_coders(project, sample, &finished);
    let result = agreement(project, &pair(project, sample, finished));
    let mut worst_first = result.per_code.clone();
    worst_first.sort_by(|a, b| {
        // Undefined kappas sort after every defined one; ties keep codebook order.
        let key = |c: &CodeAgreement| c.table.kappa().unwrap_or(f64::INFINITY);
        key(a).total_cmp(&key(b))
    });
    Some(SamplePart {
        sample,
        result,
        alpha_all_coders,
        worst_first,
    })
}

/// The transcripts of `round` all its coders have marked done: all that agreement compares.
fn finished_transcripts(project: &Project, round: &Sample) -> Vec<TranscriptId> {
    crate::analysis::agreement::round_progress(project, round).finished
}

/// The round's primary and (first) second coder over `transcripts`, at the report's overlap.
fn pair(project: &Project, round: &Sample, transcripts: Vec<TranscriptId>) -> Comparison {
    Comparison {
        overlap: SEGMENT_OVERLAP,
        ..crate::analysis::agreement::first_pair(project, round, transcripts)
    }
}

/// With several second coders, Krippendorff's alpha over every coder of `round` on
/// `transcripts` (all codes pooled); None for a round of two coders.
fn alpha_all_coders(
    project: &Project,
    round: &Sample,
    transcripts: &[TranscriptId],
) -> Option<f64> {
    if !round.has_several_seconds() || transcripts.is_empty() {
        return None;
    }
    let coders: Vec<CoderId> = round.coders().into_iter().cloned().collect();
    crate::analysis::agreement::multi_agreement(
        project,
        &coders,
        transcripts,
        None,
        SEGMENT_OVERLAP,
    )
    .overall
    .alpha()
}

/// One round of double coding as the report lists it.
pub struct RoundSummary<'p> {
    pub number: usize,
    pub round: &'p Sample,
    /// Transcripts both coders have finished.
    pub finished: usize,
    /// Kappa now, over the finished transcripts (all codes pooled): the primary's and the
    /// first second coder's.
    pub current_kappa: Option<f64>,
    /// With several second coders, alpha over all of them now, over the finished transcripts.
    pub current_alpha_all_coders: Option<f64>,
}

/// Every round, oldest first, with its figures now; the independent ones are in the round.
pub fn round_summaries(project: &Project) -> Vec<RoundSummary<'_>> {
    project
        .meta
        .rounds
        .iter()
        .enumerate()
        .map(|(i, round)| {
            let finished = finished_transcripts(project, round);
            let current_alpha_all_coders = alpha_all_coders(project, round, &finished);
            let count = finished.len();
            let result = agreement(project, &pair(project, round, finished));
            RoundSummary {
                number: i + 1,
                round,
                finished: count,
                current_kappa: result.overall.kappa(),
                current_alpha_all_coders,
            }
        })
        .collect()
}

fn saturation_part(project: &Project, scope: &Scope) -> SaturationPart {
    let rows = saturation(project, scope);
    let participants = rows
        .iter()
        .map(|r| participant(project, &r.transcript))
        .collect();
    let points = LEVELS_UP.map(|level| saturation_point(&rows, SATURATION_RUN, level_pick(level)));
    SaturationPart {
        rows,
        participants,
        points,
    }
}

pub fn participant(project: &Project, t: &TranscriptId) -> String {
    project
        .transcript(t)
        .map_or_else(|| t.to_string(), |t| t.meta.participant.clone())
}

/// A coder as "Name (id)", or the bare id when the name is the id or unknown.
pub fn coder_name(project: &Project, id: &CoderId) -> String {
    match project.meta.coder(id) {
        Some(c) if c.name != id.as_str() && !c.name.trim().is_empty() => {
            format!("{} ({id})", c.name)
        }
        _ => id.to_string(),
    }
}

fn memos(project: &Project) -> Vec<MemoEntry<'_>> {
    find_memos(project, &MemoFilter::default(), MemoOrder::ByLink)
        .into_iter()
        .map(|memo| MemoEntry {
            memo,
            author: coder_name(project, &memo.author),
            links: memo.links.iter().map(|l| link_label(project, l)).collect(),
            reviewed_by: reviewed_by(project, memo)
                .into_iter()
                .map(|(who, at)| format!("{} on {}", coder_name(project, who), day(at)))
                .collect(),
        })
        .collect()
}

/// The UTC day of a moment, as memos are filtered by day.
pub fn day(at: jiff::Timestamp) -> jiff::civil::Date {
    jiff::tz::TimeZone::UTC.to_datetime(at).date()
}

/// The name of a code, or its id when it has left the codebook.
pub fn code_name(project: &Project, id: &crate::model::CodeId) -> String {
    project.codebook.name_or_id(id)
}

pub use crate::wording::{count, thousands};

/// A figure as the report and `thematic agreement` print it, or "—" when it is undefined.
pub fn figure(x: Option<f64>, percent: bool) -> String {
    crate::wording::figure(x, percent, crate::wording::FIGURE_DECIMALS)
}
