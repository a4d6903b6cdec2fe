//! The figures a thematic-analysis paper reports, computed from the coding itself:
//! saturation, code x transcript and code x attribute matrices, co-occurrence of codes, and
//! the theme table. One module for the TUI, the command line and reports.

use super::codebook::Coders;
use crate::model::{CodeId, CoderId, Level, Project, Segment, TranscriptId};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Which segments count: whose, and from transcripts with which attribute values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub coders: Coders,
    /// Attribute name and value, all of which must hold (compared ignoring case).
    pub attributes: Vec<(String, String)>,
}

impl Scope {
    fn transcript_in(&self, project: &Project, t: &TranscriptId) -> bool {
        let Some(t) = project.transcript(t) else {
            return false;
        };
        self.attributes.iter().all(|(k, v)| {
            t.meta
                .attributes
                .get(k)
                .is_some_and(|x| x.eq_ignore_ascii_case(v))
        })
    }

    /// The transcripts in scope, in interview order.
    pub fn transcripts<'p>(&self, project: &'p Project) -> Vec<&'p crate::model::Transcript> {
        project
            .transcripts_in_order()
            .into_iter()
            .filter(|t| self.transcript_in(project, &t.id))
            .collect()
    }

    /// Segments in scope of one transcript, with their coder.
    fn segments<'p>(
        &self,
        project: &'p Project,
        t: &TranscriptId,
    ) -> Vec<(&'p CoderId, &'p Segment)> {
        project
            .codings()
            .iter()
            .filter(|(coder, _)| self.coders.includes(coder))
            .flat_map(|(coder, by_t)| by_t.get(t).into_iter().flatten().map(move |s| (coder, s)))
            .collect()
    }
}

/// The node a code counts as at a level: itself at code level; its nearest ancestor (or
/// itself) of that level for sub-themes and themes.
pub fn at_level(project: &Project, code: &CodeId, level: Level) -> Option<CodeId> {
    if level == Level::Code {
        return project.codebook.contains(code).then(|| code.clone());
    }
    let mut at = Some(code);
    while let Some(id) = at {
        if project.codebook.get(id).is_some_and(|c| c.level == level) {
            return Some(id.clone());
        }
        at = project.codebook.parent(id);
    }
    None
}

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
    pub codes: LevelCount,
    pub sub_themes: LevelCount,
    pub themes: LevelCount,
}

/// New and cumulative codes (and sub-themes and themes) per transcript in interview order.
pub fn saturation(project: &Project, scope: &Scope) -> Vec<SaturationRow> {
    let mut seen: [BTreeSet<CodeId>; 3] = Default::default();
    let levels = [Level::Code, Level::SubTheme, Level::Theme];
    scope
        .transcripts(project)
        .into_iter()
        .map(|t| {
            let codes: BTreeSet<&CodeId> = scope
                .segments(project, &t.id)
                .into_iter()
                .flat_map(|(_, s)| s.codes.iter())
                .collect();
            let counts: Vec<LevelCount> = levels
                .iter()
                .zip(seen.iter_mut())
                .map(|(level, seen)| {
                    let here: BTreeSet<CodeId> = codes
                        .iter()
                        .filter_map(|c| at_level(project, c, *level))
                        .collect();
                    let first_seen: Vec<CodeId> = here
                        .into_iter()
                        .filter(|c| seen.insert(c.clone()))
                        .collect();
                    LevelCount {
                        new: first_seen.len(),
                        cumulative: seen.len(),
                        first_seen,
                    }
                })
                .collect();
            let [codes, sub_themes, themes] = <[LevelCount; 3]>::try_from(counts)
                .unwrap_or_else(|_| unreachable!("three levels"));
            SaturationRow {
                transcript: t.id.clone(),
                order: t.meta.order,
                codes,
                sub_themes,
                themes,
            }
        })
        .collect()
}

/// The index of the transcript after which `run` consecutive transcripts add nothing new at
/// `pick`'s level: where saturation is reached. `None` if it never is.
pub fn saturation_point(
    rows: &[SaturationRow],
    run: usize,
    pick: impl Fn(&SaturationRow) -> &LevelCount,
) -> Option<usize> {
    let run = run.max(1);
    let last_new = rows.iter().rposition(|r| pick(r).new > 0)?;
    (rows.len() - 1 - last_new >= run).then_some(last_new)
}

/// What a matrix cell counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    /// Segments carrying the row's code (or a code below it).
    Segments,
    /// Characters coded with it (overlaps counted once per coder).
    Characters,
    /// Transcripts with at least one such segment.
    Presence,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixRow {
    pub code: CodeId,
    pub cells: Vec<u64>,
    pub total: u64,
    /// Share of the column's transcripts (all of them, for the total) with the code, %.
    pub percent_of_transcripts: Vec<f64>,
    pub percent_total: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matrix {
    pub measure: Measure,
    pub level: Level,
    /// Column names: transcript ids, or attribute values.
    pub columns: Vec<String>,
    /// Transcripts behind each column.
    pub column_transcripts: Vec<Vec<TranscriptId>>,
    pub rows: Vec<MatrixRow>,
    pub column_totals: Vec<u64>,
}

/// Rows are the codebook's nodes of `level`, each counting its own segments and those of the
/// codes below it; columns are transcripts, or (with `by`) the values of an attribute.
pub fn matrix(
    project: &Project,
    scope: &Scope,
    level: Level,
    measure: Measure,
    by: Option<&str>,
) -> Matrix {
    let transcripts = scope.transcripts(project);
    let (columns, column_transcripts): (Vec<String>, Vec<Vec<TranscriptId>>) = match by {
        None => transcripts
            .iter()
            .map(|t| (t.id.to_string(), vec![t.id.clone()]))
            .unzip(),
        Some(attribute) => {
            let mut groups: BTreeMap<String, Vec<TranscriptId>> = BTreeMap::new();
            for t in &transcripts {
                let value = t
                    .meta
                    .attributes
                    .get(attribute)
                    .cloned()
                    .unwrap_or_else(|| "(none)".into());
                groups.entry(value).or_default().push(t.id.clone());
            }
            // The attribute's declared values first, in their order.
            let declared = project
                .meta
                .attributes
                .iter()
                .find(|a| a.name == attribute)
                .map(|a| a.values.clone())
                .unwrap_or_default();
            let mut ordered: Vec<(String, Vec<TranscriptId>)> = declared
                .iter()
                .filter_map(|v| groups.remove(v).map(|g| (v.clone(), g)))
                .collect();
            ordered.extend(groups);
            ordered.into_iter().unzip()
        }
    };
    let nodes: Vec<CodeId> = project
        .codebook
        .walk()
        .into_iter()
        .filter(|(_, c)| c.level == level)
        .map(|(_, c)| c.id.clone())
        .collect();
    let row_of: std::collections::HashMap<&CodeId, usize> =
        nodes.iter().enumerate().map(|(i, id)| (id, i)).collect();
    // The rows a code counts in: itself or any node above it that is a row.
    let mut rows_for: std::collections::HashMap<&CodeId, Vec<usize>> =
        std::collections::HashMap::new();
    let (n_rows, n_cols) = (nodes.len(), columns.len());
    let mut cells = vec![vec![0u64; n_cols]; n_rows];
    let mut present = vec![vec![0usize; n_cols]; n_rows];
    let mut present_total = vec![0usize; n_rows];
    // One pass over each transcript's segments, whatever the number of rows.
    for (col, ts) in column_transcripts.iter().enumerate() {
        for t in ts {
            let mut segments_in = vec![0u64; n_rows];
            let mut ranges: Vec<BTreeMap<&CoderId, Vec<(usize, usize)>>> =
                vec![BTreeMap::new(); n_rows];
            for (coder, segment) in scope.segments(project, t) {
                let mut hit: BTreeSet<usize> = BTreeSet::new();
                for code in &segment.codes {
                    let rows = rows_for.entry(code).or_insert_with(|| {
                        let mut found = Vec::new();
                        let mut at = Some(code);
                        while let Some(id) = at {
                            if let Some(&r) = row_of.get(id) {
                                found.push(r);
                            }
                            at = project.codebook.parent(id);
                        }
                        found
                    });
                    hit.extend(rows.iter().copied());
                }
                for r in hit {
                    segments_in[r] += 1;
                    ranges[r]
                        .entry(coder)
                        .or_default()
                        .push((segment.start, segment.end));
                }
            }
            for r in 0..n_rows {
                if segments_in[r] == 0 {
                    continue;
                }
                present[r][col] += 1;
                present_total[r] += 1;
                cells[r][col] += match measure {
                    Measure::Segments => segments_in[r],
                    Measure::Presence => 1,
                    Measure::Characters => std::mem::take(&mut ranges[r])
                        .into_values()
                        .map(union_length)
                        .sum(),
                };
            }
        }
    }
    let percent = |n: usize, of: usize| {
        if of == 0 {
            0.0
        } else {
            n as f64 * 100.0 / of as f64
        }
    };
    let rows: Vec<MatrixRow> = nodes
        .into_iter()
        .enumerate()
        .map(|(r, code)| MatrixRow {
            total: if measure == Measure::Presence {
                present_total[r] as u64
            } else {
                cells[r].iter().sum()
            },
            percent_total: percent(present_total[r], transcripts.len()),
            percent_of_transcripts: column_transcripts
                .iter()
                .enumerate()
                .map(|(col, ts)| percent(present[r][col], ts.len()))
                .collect(),
            cells: std::mem::take(&mut cells[r]),
            code,
        })
        .collect();
    let column_totals = (0..columns.len())
        .map(|i| rows.iter().map(|r| r.cells[i]).sum())
        .collect();
    Matrix {
        measure,
        level,
        columns,
        column_transcripts,
        rows,
        column_totals,
    }
}

fn union_length(mut ranges: Vec<(usize, usize)>) -> u64 {
    ranges.sort_unstable();
    let (mut total, mut reach) = (0u64, 0usize);
    for (s, e) in ranges {
        let s = s.max(reach);
        if e > s {
            total += (e - s) as u64;
            reach = e;
        }
    }
    total
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pair {
    pub a: CodeId,
    pub b: CodeId,
    /// Pairs of overlapping segments of one coder (a segment carrying both codes counts once).
    pub count: usize,
    pub transcripts: usize,
}

/// Calls `found` for every two overlapping segments of one coder in one transcript (a segment
/// with itself too) with the distinct pairs of different codes they carry between them, in
/// (smaller, larger) id order. The one definition of co-occurrence for counting and listing.
fn overlapping_pairs<'p>(
    project: &'p Project,
    scope: &Scope,
    mut found: impl FnMut(
        &TranscriptId,
        &'p CoderId,
        &'p Segment,
        &'p Segment,
        BTreeSet<(CodeId, CodeId)>,
    ),
) {
    for t in scope.transcripts(project) {
        let segs = scope.segments(project, &t.id);
        for (i, (coder_i, s)) in segs.iter().enumerate() {
            for (coder_j, o) in &segs[i..] {
                if coder_i != coder_j || !(s.start < o.end && o.start < s.end) {
                    continue;
                }
                let same = std::ptr::eq(*s, *o);
                let mut pairs: BTreeSet<(CodeId, CodeId)> = BTreeSet::new();
                for a in &s.codes {
                    for b in &o.codes {
                        if a != b {
                            pairs.insert(if a < b {
                                (a.clone(), b.clone())
                            } else {
                                (b.clone(), a.clone())
                            });
                        }
                    }
                }
                if same && pairs.is_empty() {
                    continue;
                }
                found(&t.id, coder_i, s, o, pairs);
            }
        }
    }
}

/// One place where two codes co-occur: the span of the two overlapping segments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    pub transcript: TranscriptId,
    pub coder: CoderId,
    pub start: usize,
    pub end: usize,
}

/// Where codes `a` and `b` co-occur, in interview order: one passage for each overlap that
/// `cooccurrence` counts, so there are exactly `count` of them.
pub fn cooccurring_passages(
    project: &Project,
    scope: &Scope,
    a: &CodeId,
    b: &CodeId,
) -> Vec<Passage> {
    let wanted = if a < b {
        (a.clone(), b.clone())
    } else {
        (b.clone(), a.clone())
    };
    let mut list = Vec::new();
    overlapping_pairs(project, scope, |t, coder, s, o, pairs| {
        if pairs.contains(&wanted) {
            list.push(Passage {
                transcript: t.clone(),
                coder: coder.clone(),
                start: s.start.min(o.start),
                end: s.end.max(o.end),
            });
        }
    });
    list
}

/// Codes applied to overlapping text by the same coder in the same transcript, counted per
/// pair of codes, most frequent first.
pub fn cooccurrence(project: &Project, scope: &Scope) -> Vec<Pair> {
    let mut counts: BTreeMap<(CodeId, CodeId), (usize, BTreeSet<TranscriptId>)> = BTreeMap::new();
    overlapping_pairs(project, scope, |t, _, _, _, pairs| {
        for pair in pairs {
            let entry = counts.entry(pair).or_default();
            entry.0 += 1;
            entry.1.insert(t.clone());
        }
    });
    let mut list: Vec<Pair> = counts
        .into_iter()
        .map(|((a, b), (count, ts))| Pair {
            a,
            b,
            count,
            transcripts: ts.len(),
        })
        .collect();
    list.sort_by(|p, q| {
        q.count
            .cmp(&p.count)
            .then(q.transcripts.cmp(&p.transcripts))
            .then((&p.a, &p.b).cmp(&(&q.a, &q.b)))
    });
    list
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeRow {
    pub code: CodeId,
    pub level: Level,
    pub tags: Vec<String>,
    /// Distinct participants (transcripts' participant labels) with its segments.
    pub participants: usize,
    pub segments: usize,
    /// The first quote in interview order, cited: “…” (Participant N).
    pub exemplar: Option<String>,
}

/// The quote chosen for `code` if it is still among its quotes (in scope), else the first.
fn exemplar<'q>(
    code: &crate::model::Code,
    quotes: &'q [super::retrieve::Quote],
) -> Option<&'q super::retrieve::Quote> {
    code.exemplar
        .as_ref()
        .and_then(|r| {
            quotes
                .iter()
                .find(|q| q.transcript == r.transcript && q.coder == r.coder && q.segment == r.id)
        })
        .or_else(|| quotes.first())
}

/// Themes and their sub-themes, each with tags, participants, segments and an exemplar quote.
pub fn theme_table(project: &Project, scope: &Scope) -> Vec<ThemeRow> {
    let filter = super::retrieve::QuoteFilter {
        coders: scope.coders.clone(),
        attributes: scope.attributes.clone(),
        text: None,
        transcripts: None,
    };
    project
        .codebook
        .walk()
        .into_iter()
        .filter(|(_, c)| matches!(c.level, Level::Theme | Level::SubTheme))
        .map(|(_, c)| {
            let quotes = super::retrieve::quotes(
                project,
                &c.id,
                true,
                &filter,
                super::retrieve::QuoteOrder::Transcript,
            );
            let participants: BTreeSet<&str> =
                quotes.iter().map(|q| q.participant.as_str()).collect();
            ThemeRow {
                code: c.id.clone(),
                level: c.level,
                tags: c.tags.clone(),
                participants: participants.len(),
                segments: quotes.len(),
                exemplar: exemplar(c, &quotes).map(super::retrieve::Quote::cite),
            }
        })
        .collect()
}
