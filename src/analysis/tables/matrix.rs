//! The code x transcript and code x attribute matrices.

use super::*;

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
pub(super) fn matrix_columns(
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

pub(super) fn union_length(mut ranges: Vec<(usize, usize)>) -> u64 {
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
