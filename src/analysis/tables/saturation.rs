//! Saturation: new and cumulative nodes per coded interview, and where saturation is reached.

use super::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelCount {
    pub new: usize,
    pub cumulative: usize,
    /// The ids first seen here.
    pub first_seen: Vec<CodeId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SaturationRow {
    pub transcript: TranscriptId,
    pub order: Option<u32>,
    /// Whether the scope's coders coded it (a segment, or marked done). An interview not
    /// coded adds nothing and does not extend a run without anything new.
    pub coded: bool,
    pub codes: LevelCount,
    pub sub_themes: LevelCount,
    pub themes: LevelCount,
}

pub(super) const SATURATION_LEVELS: [Level; 3] = [Level::Code, Level::SubTheme, Level::Theme];

/// New and cumulative codes (and sub-themes and themes) per transcript in interview order;
/// transcripts the scope's coders did not code are rows with `coded: false` and nothing new.
pub fn saturation(project: &Project, scope: &Scope) -> Vec<SaturationRow> {
    let mut seen: [BTreeSet<CodeId>; 3] = Default::default();
    scope
        .transcripts(project)
        .into_iter()
        .map(|t| {
            let coded = scope.coded(project, &t.id);
            let applied: BTreeSet<&CodeId> = scope
                .segments(project, &t.id)
                .into_iter()
                .flat_map(|(_, s)| s.codes.iter())
                .collect();
            let [codes, sub_themes, themes] = std::array::from_fn(|i| {
                let here: BTreeSet<CodeId> = applied
                    .iter()
                    .flat_map(|c| nodes_at_level(project, c, SATURATION_LEVELS[i]))
                    .collect();
                let first_seen: Vec<CodeId> = here
                    .into_iter()
                    .filter(|c| seen[i].insert(c.clone()))
                    .collect();
                LevelCount {
                    new: first_seen.len(),
                    cumulative: seen[i].len(),
                    first_seen,
                }
            });
            SaturationRow {
                transcript: t.id.clone(),
                order: t.meta.order,
                coded,
                codes,
                sub_themes,
                themes,
            }
        })
        .collect()
}

/// The participant label of each row's transcript (its id where the transcript is gone),
/// as the saturation sentence names where saturation was reached.
pub fn participants(project: &Project, rows: &[SaturationRow]) -> Vec<String> {
    rows.iter()
        .map(|r| {
            project
                .transcript(&r.transcript)
                .map_or_else(|| r.transcript.to_string(), |t| t.meta.participant.clone())
        })
        .collect()
}

/// How many of the rows are coded interviews.
pub fn coded_interviews(rows: &[SaturationRow]) -> usize {
    rows.iter().filter(|r| r.coded).count()
}

/// The index of the coded transcript after which `run` consecutive coded transcripts add
/// nothing new at `pick`'s level: where saturation is reached. `None` if it never is.
/// Transcripts not coded are skipped: they neither add nor extend a run.
pub fn saturation_point(
    rows: &[SaturationRow],
    run: usize,
    pick: impl Fn(&SaturationRow) -> &LevelCount,
) -> Option<usize> {
    let run = run.max(1);
    let last_new = rows.iter().rposition(|r| r.coded && pick(r).new > 0)?;
    let after = coded_interviews(&rows[last_new + 1..]);
    (after >= run).then_some(last_new)
}
