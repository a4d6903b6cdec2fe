//! The report's figures, drawn from the same gathered figures as its tables (so a picture
//! and its table cannot disagree): the saturation curve, code frequencies by theme, the
//! code by attribute matrix and code co-occurrence as heat maps, and the thematic map.
//! Each has a caption that says what is counted and how, in the tables' words.

use super::data::Report;
use crate::analysis::tables::{Measure, Scope, code_frequencies, cooccurrence, matrix};
use crate::interop::charts::{self, Bar, BarGroup, HeatMap, LineChart, Series};
use crate::interop::map;
use crate::model::{CodeId, Level};
use crate::wording::{LEVELS_UP, level_heading, level_pick};
use std::collections::BTreeMap;

/// One figure: a file name for it (Markdown reports write it beside themselves), a title, a
/// caption, and the SVG.
pub struct Figure {
    pub file: String,
    pub title: String,
    pub caption: String,
    pub svg: String,
}

/// A bar's colour for a code without one: the grey the coding screen uses.
const UNCOLOURED: &str = "#8a8f98";

/// Co-occurrence heat maps show at most this many codes (those in the most pairs).
const MOST_COOCCURRING: usize = 20;

pub fn figures(report: &Report) -> Vec<Figure> {
    let mut figures = vec![saturation(report), frequencies(report)];
    figures.extend(attribute_matrix(report));
    figures.extend(cooccurring(report));
    figures.push(thematic_map(report));
    figures
}

fn scope(report: &Report) -> Scope {
    Scope {
        coders: report.coders.clone(),
        ..Scope::default()
    }
}

/// The saturation curve over the interviews that were coded (an interview nobody in scope
/// coded adds nothing and is left off, as the saturation table leaves it out of runs).
fn saturation(report: &Report) -> Figure {
    let part = &report.saturation;
    let coded: Vec<usize> = (0..part.rows.len())
        .filter(|&i| part.rows[i].coded)
        .collect();
    let series = LEVELS_UP
        .iter()
        .map(|&level| Series {
            name: level_heading(level).to_string(),
            values: coded
                .iter()
                .map(|&i| level_pick(level)(&part.rows[i]).cumulative as f64)
                .collect(),
        })
        .collect();
    let marker = part.points[0].and_then(|point| {
        let at = coded.iter().position(|&i| i == point)?;
        Some((
            at,
            format!("codes saturated after {}", part.rows[point].transcript),
        ))
    });
    let not_coded = part.rows.len() - coded.len();
    let chart = LineChart {
        title: "Saturation: cumulative codes, sub-themes and themes by interview".into(),
        x_labels: coded
            .iter()
            .map(|&i| part.rows[i].transcript.to_string())
            .collect(),
        y_label: "distinct nodes so far".into(),
        series,
        marker,
    };
    Figure {
        file: "saturation.svg".into(),
        title: chart.title.clone(),
        caption: format!(
            "Cumulative number of distinct codes, sub-themes and themes applied, over the {} coded interviews in interview order ({}), as in the saturation table{}. {}",
            coded.len(),
            super::scope_words(report),
            if not_coded > 0 {
                format!("; {not_coded} interviews nobody in scope coded are left out")
            } else {
                String::new()
            },
            match &chart.marker {
                Some((_, label)) => format!("The dotted line marks where {label}."),
                None => "Codes have not reached saturation.".into(),
            }
        ),
        svg: charts::line_chart(&chart),
    }
}

/// Code-level nodes' segments, grouped under the theme (top-level node) they sit in.
fn frequencies(report: &Report) -> Figure {
    let project = report.project;
    // The same counts as the Analysis view's Frequencies tab.
    let groups: Vec<BarGroup> = code_frequencies(project, &scope(report))
        .into_iter()
        .map(|group| BarGroup {
            name: project.codebook.name_or_id(&group.theme),
            bars: group
                .codes
                .iter()
                .map(|(code, segments)| Bar {
                    label: project.codebook.name_or_id(code),
                    value: *segments as f64,
                    colour: project
                        .codebook
                        .get(code)
                        .and_then(|c| c.colour)
                        .map_or_else(|| UNCOLOURED.to_string(), |c| c.to_string()),
                })
                .collect(),
        })
        .collect();
    let title = "Code frequencies by theme".to_string();
    Figure {
        file: "code-frequencies.svg".into(),
        caption: format!(
            "Segments carrying each code (each code-level node, with anything below it), grouped under their theme, {}; a segment counts once per code it carries, as in the matrix at code level.",
            super::scope_words(report)
        ),
        svg: charts::grouped_bars(&title, "segments", &groups),
        title,
    }
}

/// The first attribute of the project: codes by the attribute's values, cells the share of
/// that value's transcripts in which the code was applied.
fn attribute_matrix(report: &Report) -> Option<Figure> {
    let project = report.project;
    let attribute = project.meta.attributes.first()?;
    let table = matrix(
        project,
        &scope(report),
        Level::Code,
        Measure::Presence,
        Some(&attribute.name),
    );
    let rows = table
        .rows
        .iter()
        .map(|r| project.codebook.name_or_id(&r.code))
        .collect();
    let cells = table
        .rows
        .iter()
        .map(|r| {
            r.percent_of_transcripts
                .iter()
                .map(|p| p.map(f64::round))
                .collect()
        })
        .collect();
    let title = format!("Codes by {}", attribute.name);
    Some(Figure {
        file: "codes-by-attribute.svg".into(),
        caption: format!(
            "For each code and each value of the attribute “{}”, the percentage of that value's transcripts with at least one segment carrying the code ({}); the matrix table (level code, measure presence, by the attribute) gives the counts.",
            attribute.name,
            super::scope_words(report)
        ),
        svg: charts::heat_map(&HeatMap {
            title: title.clone(),
            rows,
            columns: table.columns.clone(),
            cells,
            blank_zeros: false,
        }),
        title,
    })
}

/// Code co-occurrence as a symmetric heat map of the codes in the most pairs.
fn cooccurring(report: &Report) -> Option<Figure> {
    let project = report.project;
    let pairs = cooccurrence(project, &scope(report));
    if pairs.is_empty() {
        return None;
    }
    let mut weight: BTreeMap<&CodeId, usize> = BTreeMap::new();
    for pair in &pairs {
        *weight.entry(&pair.a).or_default() += pair.count;
        *weight.entry(&pair.b).or_default() += pair.count;
    }
    let mut codes: Vec<&CodeId> = weight.keys().copied().collect();
    codes.sort_by(|a, b| weight[b].cmp(&weight[a]).then_with(|| a.cmp(b)));
    codes.truncate(MOST_COOCCURRING);
    // Codebook order reads better than weight order.
    let order: Vec<CodeId> = project
        .codebook
        .walk()
        .iter()
        .map(|(_, c)| c.id.clone())
        .collect();
    codes.sort_by_key(|id| order.iter().position(|o| o == *id));
    let index: BTreeMap<&CodeId, usize> = codes.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    let mut cells = vec![vec![None; codes.len()]; codes.len()];
    for pair in &pairs {
        if let (Some(&a), Some(&b)) = (index.get(&pair.a), index.get(&pair.b)) {
            cells[a][b] = Some(pair.count as f64);
            cells[b][a] = Some(pair.count as f64);
        }
    }
    for row in cells.iter_mut() {
        for cell in row.iter_mut() {
            cell.get_or_insert(0.0);
        }
    }
    for (i, row) in cells.iter_mut().enumerate() {
        row[i] = None;
    }
    let names: Vec<String> = codes
        .iter()
        .map(|c| project.codebook.name_or_id(c))
        .collect();
    let shown = if weight.len() > codes.len() {
        format!("the {} codes in the most pairs", codes.len())
    } else {
        "every code in a pair".to_string()
    };
    let title = "Code co-occurrence".to_string();
    Some(Figure {
        file: "code-cooccurrence.svg".into(),
        caption: format!(
            "How often two codes were applied to overlapping text by the same coder in the same transcript (a segment carrying both counts once), as in the co-occurrence table, {}; {shown}, in codebook order; the diagonal is left blank.",
            super::scope_words(report)
        ),
        svg: charts::heat_map(&HeatMap {
            title: title.clone(),
            rows: names.clone(),
            columns: names,
            cells,
            blank_zeros: true,
        }),
        title,
    })
}

fn thematic_map(report: &Report) -> Figure {
    let laid_out = map::layout(report.project, map::SizeBy::Segments);
    let title = format!("Thematic map: {}", report.project.meta.name);
    Figure {
        file: "thematic-map.svg".into(),
        caption: "Themes, their sub-themes and codes; each box grows with the segments (every coder's) carrying the node or anything below it, the count in brackets. Enablers have rounded ends and a thick border, barriers square corners and a thick dashed border.".into(),
        svg: map::svg(&laid_out, &title),
        title,
    }
}
