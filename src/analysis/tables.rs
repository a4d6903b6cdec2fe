//! The figures a thematic-analysis paper reports, computed from the coding itself:
//! saturation, code x transcript and code x attribute matrices, co-occurrence of codes, and
//! the theme table. One module for the TUI, the command line and reports.
//!
//! Every figure counts the segments of a [`Scope`] (whose coding, which transcripts) and
//! keeps the codebook's levels apart: a node applied to a segment counts at its own level and
//! rolls up to the nodes above it of its level or a higher one, never to a node of a lower
//! level (see [`rolls_up_to`]). The exact definitions are in docs/definitions.md and in the
//! `*_DEFINITION` constants below, which the report's methods summary quotes.

use super::codebook::Coders;
use crate::model::{CodeId, CoderId, Level, Project, Segment, TranscriptId};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Saturation, as docs/definitions.md and the report's methods summary state it.
pub const SATURATION_DEFINITION: &str = "Saturation is counted over coded interviews only, in interview order: an interview is coded when the coders counted made at least one segment in it or marked it done. Saturation is reached after the last coded interview that added a node not seen before, when at least the required run of coded interviews follows it without adding one; interviews nobody coded neither add to nor extend that run.";

/// Levels, as docs/definitions.md and the report's methods summary state them.
pub const LEVELS_DEFINITION: &str = "A node applied to a segment counts at its own level and rolls up to the nodes above it at that level or a higher one; it never counts as a node of a lower level. A sub-theme applied directly is a sub-theme, not a code: \"codes\" are code-level nodes only.";

/// The exemplar quote, as docs/definitions.md and the report's methods summary state it.
pub const EXEMPLAR_DEFINITION: &str = "An exemplar quote is the exact text of one segment, line breaks included, cited with the participant label: the one chosen in the codebook when it is in the table's scope, else the first in interview order.";

/// Which segments count: whose, and from transcripts with which attribute values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub coders: Coders,
    /// Attribute name and value, all of which must hold (compared ignoring case).
    pub attributes: Vec<(String, String)>,
    /// Coding not counted although its coder is: a coder's work on a transcript the viewer
    /// may not see yet (a blind double-coding sample).
    pub hidden: BTreeSet<(CoderId, TranscriptId)>,
}

/// A scope that names something the project does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    #[error("no coder {coder:?} in this project; its coders are: {}", list(.known))]
    UnknownCoder { coder: String, known: Vec<String> },
    #[error("no attribute {attribute:?} in this project; its attributes are: {}", list(.known))]
    UnknownAttribute {
        attribute: String,
        known: Vec<String>,
    },
    #[error("attribute {attribute:?} has no value {value:?}; its values are: {}", list(.known))]
    UnknownValue {
        attribute: String,
        value: String,
        known: Vec<String>,
    },
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".into()
    } else {
        items.join(", ")
    }
}

/// What a table states about its scope: `"scope": {"coders", "transcripts", "filter"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopeSummary {
    /// The coders whose coding is counted.
    pub coders: Vec<String>,
    /// Transcripts in scope (after the filter), coded or not.
    pub transcripts: usize,
    /// Of those, the ones the coders counted coded (a segment, or marked done).
    pub coded: usize,
    /// The attribute filter (name -> value), or null for every transcript.
    pub filter: Option<BTreeMap<String, String>>,
}

impl ScopeSummary {
    /// One line for a table: "Scope: the coding of alex, sam; 12 transcripts, all coded
    /// (every transcript)".
    pub fn line(&self) -> String {
        let filter = match &self.filter {
            None => "every transcript".to_string(),
            Some(f) => {
                let pairs: Vec<String> = f.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("only {}", pairs.join(", "))
            }
        };
        let coders = if self.coders.is_empty() {
            "nobody".to_string()
        } else {
            self.coders.join(", ")
        };
        let plural = if self.transcripts == 1 { "" } else { "s" };
        let coded = if self.coded == self.transcripts {
            "all coded".to_string()
        } else {
            format!("{} coded", self.coded)
        };
        format!(
            "Scope: the coding of {coders}; {} transcript{plural}, {coded} ({filter})",
            self.transcripts
        )
    }
}

/// Every coder of the project: those listed in thematic.yaml, then any other with coding.
pub fn project_coders(project: &Project) -> Vec<CoderId> {
    let mut ids: Vec<CoderId> = project.meta.coders.iter().map(|c| c.id.clone()).collect();
    for coder in project.codings().keys() {
        if !ids.contains(coder) {
            ids.push(coder.clone());
        }
    }
    ids
}

/// Every attribute name: those declared in thematic.yaml, then any other a transcript has.
pub fn project_attributes(project: &Project) -> Vec<String> {
    let mut names: Vec<String> = project
        .meta
        .attributes
        .iter()
        .map(|a| a.name.clone())
        .collect();
    let used: BTreeSet<&String> = project
        .transcripts_in_order()
        .into_iter()
        .flat_map(|t| t.meta.attributes.keys())
        .collect();
    for name in used {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    names
}

/// The values of one attribute: its declared values, then any other a transcript has.
pub fn attribute_values(project: &Project, attribute: &str) -> Vec<String> {
    let mut values: Vec<String> = project
        .meta
        .attributes
        .iter()
        .find(|a| a.name == attribute)
        .map(|a| a.values.clone())
        .unwrap_or_default();
    let used: BTreeSet<&String> = project
        .transcripts_in_order()
        .into_iter()
        .filter_map(|t| t.meta.attributes.get(attribute))
        .collect();
    for value in used {
        if !values.contains(value) {
            values.push(value.clone());
        }
    }
    values
}

/// Checks that an attribute exists (for the matrix's `--by`).
pub fn check_attribute(project: &Project, attribute: &str) -> Result<(), ScopeError> {
    let known = project_attributes(project);
    if known.iter().any(|a| a == attribute) {
        Ok(())
    } else {
        Err(ScopeError::UnknownAttribute {
            attribute: attribute.to_string(),
            known,
        })
    }
}

impl Scope {
    /// Checks that every coder, attribute and attribute value named exists, so that a typo
    /// is an error rather than an empty table.
    pub fn check(&self, project: &Project) -> Result<(), ScopeError> {
        if let Coders::Only(ids) = &self.coders {
            let known = project_coders(project);
            if let Some(unknown) = ids.iter().find(|id| !known.contains(id)) {
                return Err(ScopeError::UnknownCoder {
                    coder: unknown.to_string(),
                    known: known.iter().map(ToString::to_string).collect(),
                });
            }
        }
        for (attribute, value) in &self.attributes {
            check_attribute(project, attribute)?;
            let known = attribute_values(project, attribute);
            if !known.iter().any(|v| v.eq_ignore_ascii_case(value)) {
                return Err(ScopeError::UnknownValue {
                    attribute: attribute.clone(),
                    value: value.clone(),
                    known,
                });
            }
        }
        Ok(())
    }

    /// Whose coding and which transcripts this scope counts, for a table to state.
    pub fn summary(&self, project: &Project) -> ScopeSummary {
        let coders = match &self.coders {
            Coders::All => project_coders(project),
            Coders::Only(ids) => ids.clone(),
        };
        let transcripts = self.transcripts(project);
        ScopeSummary {
            coders: coders.iter().map(ToString::to_string).collect(),
            transcripts: transcripts.len(),
            coded: transcripts
                .iter()
                .filter(|t| self.coded(project, &t.id))
                .count(),
            filter: (!self.attributes.is_empty())
                .then(|| self.attributes.iter().cloned().collect()),
        }
    }

    /// Whether `coder`'s work on `t` counts.
    pub fn counts(&self, coder: &CoderId, t: &TranscriptId) -> bool {
        self.coders.includes(coder) && !self.hidden.contains(&(coder.clone(), t.clone()))
    }

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
            .filter(|(coder, _)| self.counts(coder, t))
            .flat_map(|(coder, by_t)| by_t.get(t).into_iter().flatten().map(move |s| (coder, s)))
            .collect()
    }

    /// Whether the scope's coders coded `t`: at least one segment in it, or marked it done.
    pub fn coded(&self, project: &Project, t: &TranscriptId) -> bool {
        !self.segments(project, t).is_empty()
            || project_coders(project)
                .iter()
                .any(|c| self.counts(c, t) && project.is_done(c, t))
    }
}

/// How high a level is: codes below sub-themes below themes.
fn rank(level: Level) -> u8 {
    match level {
        Level::Code => 0,
        Level::SubTheme => 1,
        Level::Theme => 2,
    }
}

/// Whether a segment carrying `applied` counts for node `node`: `node` is `applied` itself,
/// or a node above it whose level is the same as `applied`'s or higher.
pub fn rolls_up_to(project: &Project, applied: &CodeId, node: &CodeId) -> bool {
    let (Some(a), Some(n)) = (project.codebook.get(applied), project.codebook.get(node)) else {
        return false;
    };
    if applied == node {
        return true;
    }
    if rank(n.level) < rank(a.level) {
        return false;
    }
    let mut at = project.codebook.parent(applied);
    while let Some(id) = at {
        if id == node {
            return true;
        }
        at = project.codebook.parent(id);
    }
    false
}

/// The nodes of `level` a segment carrying `applied` counts for: `applied` itself if it is
/// of that level, and every node of that level above it, when `level` is not below
/// `applied`'s own.
pub fn nodes_at_level(project: &Project, applied: &CodeId, level: Level) -> Vec<CodeId> {
    let Some(code) = project.codebook.get(applied) else {
        return Vec::new();
    };
    if rank(level) < rank(code.level) {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut at = Some(applied);
    while let Some(id) = at {
        if project.codebook.get(id).is_some_and(|c| c.level == level) {
            found.push(id.clone());
        }
        at = project.codebook.parent(id);
    }
    found
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
    /// Whether the scope's coders coded it (a segment, or marked done). An interview not
    /// coded adds nothing and does not extend a run without anything new.
    pub coded: bool,
    pub codes: LevelCount,
    pub sub_themes: LevelCount,
    pub themes: LevelCount,
}

const SATURATION_LEVELS: [Level; 3] = [Level::Code, Level::SubTheme, Level::Theme];

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

/// What a matrix cell counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    /// Segments carrying the row's node (or a node that rolls up to it).
    Segments,
    /// Characters coded with it (overlaps of one coder counted once).
    Characters,
    /// Transcripts with at least one such segment.
    Presence,
}

/// `n` of `of` in percent; undefined (None) when `of` is 0.
pub fn percent(n: usize, of: usize) -> Option<f64> {
    (of > 0).then(|| n as f64 * 100.0 / of as f64)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixRow {
    pub code: CodeId,
    pub cells: Vec<u64>,
    pub total: u64,
    /// Share of the column's coded transcripts with the node, %; None when it has none.
    pub percent_of_transcripts: Vec<Option<f64>>,
    /// Share of the coded transcripts in scope with the node, %; None when there are none.
    pub percent_total: Option<f64>,
}

/// The column of transcripts that lack the attribute the matrix is grouped by.
pub const NO_VALUE_COLUMN: &str = "(none)";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matrix {
    pub measure: Measure,
    pub level: Level,
    /// Column names: transcript ids, or attribute values (and [`NO_VALUE_COLUMN`]).
    pub columns: Vec<String>,
    /// Transcripts behind each column.
    pub column_transcripts: Vec<Vec<TranscriptId>>,
    pub rows: Vec<MatrixRow>,
    pub column_totals: Vec<u64>,
}

/// The columns of a matrix: one per transcript, or (with `by`) one per value of that
/// attribute, declared values first, then [`NO_VALUE_COLUMN`] for transcripts without it.
fn matrix_columns(
    project: &Project,
    transcripts: &[&crate::model::Transcript],
    by: Option<&str>,
) -> Vec<(String, Vec<TranscriptId>)> {
    let Some(attribute) = by else {
        return transcripts
            .iter()
            .map(|t| (t.id.to_string(), vec![t.id.clone()]))
            .collect();
    };
    let mut groups: BTreeMap<String, Vec<TranscriptId>> = BTreeMap::new();
    let mut without = Vec::new();
    for t in transcripts {
        match t.meta.attributes.get(attribute) {
            Some(value) => groups.entry(value.clone()).or_default().push(t.id.clone()),
            None => without.push(t.id.clone()),
        }
    }
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
    if !without.is_empty() {
        ordered.push((NO_VALUE_COLUMN.to_string(), without));
    }
    ordered
}

/// Rows are the codebook's nodes of `level`, each counting the segments that carry it or a
/// node that rolls up to it ([`rolls_up_to`]); columns are transcripts, or (with `by`) the
/// values of an attribute.
pub fn matrix(
    project: &Project,
    scope: &Scope,
    level: Level,
    measure: Measure,
    by: Option<&str>,
) -> Matrix {
    let transcripts = scope.transcripts(project);
    let (columns, column_transcripts): (Vec<String>, Vec<Vec<TranscriptId>>) =
        matrix_columns(project, &transcripts, by)
            .into_iter()
            .unzip();
    let nodes: Vec<CodeId> = project
        .codebook
        .walk()
        .into_iter()
        .filter(|(_, c)| c.level == level)
        .map(|(_, c)| c.id.clone())
        .collect();
    let row_of: std::collections::HashMap<&CodeId, usize> =
        nodes.iter().enumerate().map(|(i, id)| (id, i)).collect();
    // The rows a node applied counts in, worked out once per node.
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
                        nodes_at_level(project, code, level)
                            .iter()
                            .filter_map(|id| row_of.get(id).copied())
                            .collect()
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
    // The denominators of the percentages: coded transcripts (an interview nobody coded
    // says nothing about whether a code is there).
    let coded_in: Vec<usize> = column_transcripts
        .iter()
        .map(|ts| ts.iter().filter(|t| scope.coded(project, t)).count())
        .collect();
    let rows: Vec<MatrixRow> = nodes
        .into_iter()
        .enumerate()
        .map(|(r, code)| MatrixRow {
            total: cells[r].iter().sum(),
            percent_total: percent(present_total[r], coded_in.iter().sum()),
            percent_of_transcripts: column_transcripts
                .iter()
                .enumerate()
                .map(|(col, _)| percent(present[r][col], coded_in[col]))
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
    /// The exemplar quote, cited: “exact text” (Participant N); see [`EXEMPLAR_DEFINITION`].
    pub exemplar: Option<String>,
}

/// One segment as the theme table sees it.
struct Found<'p> {
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
