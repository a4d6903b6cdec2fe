//! The theme table (themes, sub-themes, participants, exemplar quotes) and the code
//! frequencies the bar chart draws.

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeRow {
    pub code: CodeId,
    pub level: Level,
    pub tags: Vec<String>,
    /// Distinct participants (transcripts' participant labels) with its segments.
    pub participants: usize,
    pub segments: usize,
    /// The exemplar quote, cited: “exact text” (Participant N); see [`EXEMPLAR_DEFINITION`].
    pub exemplar: Option<String>,
}

/// One segment as the theme table sees it.
pub(super) struct Found<'p> {
    transcript: &'p crate::model::Transcript,
    coder: &'p CoderId,
    segment: &'p Segment,
}

impl Found<'_> {
    /// “exact text” (Participant N): the transcript's text at the segment, unchanged.
    fn cite(&self) -> String {
        let s = self.segment;
        let text = self.transcript.slice(s.start, s.end).unwrap_or(&s.text);
        format!("“{text}” ({})", self.transcript.meta.participant)
    }
}

/// Themes and their sub-themes, each with tags, participants, segments (carrying it or a
/// node that rolls up to it) and an exemplar quote.
pub fn theme_table(project: &Project, scope: &Scope) -> Vec<ThemeRow> {
    // Every segment in scope, in interview order, then by position.
    let mut found: Vec<Found> = Vec::new();
    for t in scope.transcripts(project) {
        let mut here: Vec<Found> = scope
            .segments(project, &t.id)
            .into_iter()
            .map(|(coder, segment)| Found {
                transcript: t,
                coder,
                segment,
            })
            .collect();
        here.sort_by(|a, b| (a.segment.start, a.coder).cmp(&(b.segment.start, b.coder)));
        found.extend(here);
    }
    // Which segments count for each node, from one pass over the segments: each code's
    // nodes (itself and those it rolls up to) are worked out once.
    let mut nodes_for: std::collections::HashMap<&CodeId, Vec<CodeId>> =
        std::collections::HashMap::new();
    let mut segments_of: std::collections::HashMap<CodeId, Vec<&Found>> =
        std::collections::HashMap::new();
    for f in &found {
        let mut counts_for: BTreeSet<CodeId> = BTreeSet::new();
        for applied in &f.segment.codes {
            let nodes = nodes_for.entry(applied).or_insert_with(|| {
                [Level::SubTheme, Level::Theme]
                    .into_iter()
                    .flat_map(|level| nodes_at_level(project, applied, level))
                    .collect()
            });
            counts_for.extend(nodes.iter().cloned());
        }
        for node in counts_for {
            segments_of.entry(node).or_default().push(f);
        }
    }
    project
        .codebook
        .walk()
        .into_iter()
        .filter(|(_, c)| matches!(c.level, Level::Theme | Level::SubTheme))
        .map(|(_, c)| {
            let mine: Vec<&Found> = segments_of.remove(&c.id).unwrap_or_default();
            let participants: BTreeSet<&str> = mine
                .iter()
                .map(|f| f.transcript.meta.participant.as_str())
                .collect();
            let chosen = c.exemplar.as_ref().and_then(|r| {
                mine.iter().find(|f| {
                    f.transcript.id == r.transcript && *f.coder == r.coder && f.segment.id == r.id
                })
            });
            ThemeRow {
                code: c.id.clone(),
                level: c.level,
                tags: c.tags.clone(),
                participants: participants.len(),
                segments: mine.len(),
                exemplar: chosen.or(mine.first()).map(|f| f.cite()),
            }
        })
        .collect()
}

/// A percentage rounded to whole numbers for a table, "—" when undefined.
pub fn percent_label(p: Option<f64>) -> String {
    p.map_or_else(|| "—".to_string(), |p| format!("{p:.0}%"))
}

/// One theme's codes and the segments carrying each, for the frequency bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeFrequencies {
    pub theme: CodeId,
    pub codes: Vec<(CodeId, u64)>,
}

/// Code-level nodes' segments in scope (the matrix at code level, measure segments), grouped
/// under their theme in codebook order; themes without any code-level node are left out.
pub fn code_frequencies(project: &Project, scope: &Scope) -> Vec<ThemeFrequencies> {
    let table = matrix(project, scope, Level::Code, Measure::Segments, None);
    let totals: HashMap<&CodeId, u64> = table.rows.iter().map(|r| (&r.code, r.total)).collect();
    let book = &project.codebook;
    let mut out: Vec<ThemeFrequencies> = Vec::new();
    for (depth, code) in book.walk() {
        if depth == 0 {
            out.push(ThemeFrequencies {
                theme: code.id.clone(),
                codes: Vec::new(),
            });
        } else if let Some(&total) = totals.get(&code.id)
            && let Some(group) = out.last_mut()
        {
            group.codes.push((code.id.clone(), total));
        }
    }
    out.retain(|g| !g.codes.is_empty());
    out
}
