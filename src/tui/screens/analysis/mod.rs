//! The Analysis view: the figures a paper reports, from the same analysis module as
//! `thematic stats`. Saturation (a chart of cumulative codes per interview, with the point
//! where a run of interviews adds nothing new marked) and the theme table. The figures are
//! computed when the view is opened, so the view always shows the coding as it is now.
pub mod draw;
pub mod keys;

use crate::analysis::node_counts::Coders;
use crate::analysis::tables::{Matrix, Measure, Pair, Passage, SaturationRow, ThemeRow};
use crate::model::Level;

/// How many consecutive interviews without a new code count as saturation (SPEC: 3).
pub const DEFAULT_RUN: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnalysisTab {
    Saturation,
    Matrix,
    Cooccurrence,
    Themes,
    Frequencies,
}

impl AnalysisTab {
    pub const ALL: [AnalysisTab; 5] = [
        AnalysisTab::Saturation,
        AnalysisTab::Matrix,
        AnalysisTab::Cooccurrence,
        AnalysisTab::Themes,
        AnalysisTab::Frequencies,
    ];

    pub fn label(self) -> &'static str {
        match self {
            AnalysisTab::Saturation => "Saturation",
            AnalysisTab::Matrix => "Matrix",
            AnalysisTab::Cooccurrence => "Co-occurrence",
            AnalysisTab::Themes => "Themes",
            AnalysisTab::Frequencies => "Frequencies",
        }
    }

    fn step(self, by: isize) -> AnalysisTab {
        let at = Self::ALL.iter().position(|t| *t == self).unwrap_or(0) as isize;
        let n = Self::ALL.len() as isize;
        Self::ALL[(at + by).rem_euclid(n) as usize]
    }
}

#[derive(Debug, Clone)]
pub struct AnalysisState {
    pub tab: AnalysisTab,
    /// The level saturation is counted at.
    pub level: Level,
    pub run: usize,
    pub saturation: Vec<SaturationRow>,
    pub themes: Vec<ThemeRow>,
    pub matrix: Matrix,
    pub measure: Measure,
    /// The attribute the matrix's columns group transcripts by (None: one per transcript).
    pub by: Option<String>,
    /// The selected matrix cell: row and column.
    pub cell: (usize, usize),
    /// Pairs of co-occurring codes, most frequent first, and the selected one.
    pub pairs: Vec<Pair>,
    pub pair: usize,
    /// The passages of the opened pair, with the first one shown.
    pub passages: Option<(Vec<Passage>, usize)>,
    /// Distinct participants of the coded transcripts in scope: the denominator of "% of
    /// participants".
    pub participants: usize,
    /// Only transcripts with these attribute values (chosen with filter-attribute).
    pub attributes: Vec<(String, String)>,
    /// Whose coding counts (chosen with filter-coder): by default every coder whose work
    /// you may see, as on the command line.
    pub coders: Coders,
    /// Whose coding and which transcripts the figures count, for the title.
    pub whose: String,
    /// Segments per code-level node, grouped under their theme (top-level node), in
    /// codebook order: the bar chart of code frequencies.
    pub frequencies: Vec<crate::analysis::tables::ThemeFrequencies>,
    /// First row shown of the tab's table.
    pub scroll: usize,
}

impl AnalysisState {
    fn rows(&self) -> usize {
        match self.tab {
            AnalysisTab::Saturation => self.saturation.len(),
            AnalysisTab::Matrix => self.matrix.rows.len(),
            AnalysisTab::Cooccurrence => self.pairs.len(),
            AnalysisTab::Themes => self.themes.len(),
            AnalysisTab::Frequencies => self.frequencies.iter().map(|g| g.codes.len() + 1).sum(),
        }
    }
}
