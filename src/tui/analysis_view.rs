//! The Analysis view: the figures a paper reports, from the same analysis module as
//! `thematic stats`. Saturation (a chart of cumulative codes per interview, with the point
//! where a run of interviews adds nothing new marked) and the theme table. The figures are
//! computed when the view is opened, so the view always shows the coding as it is now.

use super::action::Action;
use super::app::{App, View};
use crate::analysis::codebook::Coders;
use crate::analysis::tables::{SaturationRow, Scope, ThemeRow, saturation, theme_table};
use crate::model::Level;

/// How many consecutive interviews without a new code count as saturation (SPEC: 3).
pub const DEFAULT_RUN: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnalysisTab {
    Saturation,
    Themes,
}

impl AnalysisTab {
    pub const ALL: [AnalysisTab; 2] = [AnalysisTab::Saturation, AnalysisTab::Themes];

    pub fn label(self) -> &'static str {
        match self {
            AnalysisTab::Saturation => "Saturation",
            AnalysisTab::Themes => "Themes",
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
    /// Distinct participants in scope: the denominator of "% of participants".
    pub participants: usize,
    /// Whose coding the figures count, for the title.
    pub whose: String,
    /// First row shown of the tab's table.
    pub scroll: usize,
}

impl AnalysisState {
    fn rows(&self) -> usize {
        match self.tab {
            AnalysisTab::Saturation => self.saturation.len(),
            AnalysisTab::Themes => self.themes.len(),
        }
    }
}

impl App {
    /// The coding the figures count: yours, or everyone's when every coder is shown (`A`) and
    /// no transcript is still blind to you, so the view never reveals a blind sample.
    fn analysis_scope(&self) -> (Scope, String) {
        let project = self.ws.project();
        let any_blind = project
            .transcripts_in_order()
            .iter()
            .any(|t| self.blind(&t.id));
        if self.show_all_coders && !any_blind {
            return (Scope::default(), "everyone's coding".into());
        }
        let scope = Scope {
            coders: Coders::Only(vec![self.coder.clone()]),
            ..Scope::default()
        };
        (scope, format!("{}'s coding", self.coder))
    }

    pub(super) fn open_analysis_view(&mut self) {
        let (scope, whose) = self.analysis_scope();
        let project = self.ws.project();
        let (tab, level, run) = self
            .analysis
            .as_ref()
            .map_or((AnalysisTab::Saturation, Level::Code, DEFAULT_RUN), |s| {
                (s.tab, s.level, s.run)
            });
        self.analysis = Some(AnalysisState {
            tab,
            level,
            run,
            saturation: saturation(project, &scope),
            themes: theme_table(project, &scope),
            participants: scope
                .transcripts(project)
                .iter()
                .map(|t| t.meta.participant.as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            whose,
            scroll: 0,
        });
        self.enter_view(View::Analysis);
    }

    pub(super) fn analysis_action(&mut self, action: Action) {
        let Some(state) = self.analysis.as_mut() else {
            return;
        };
        let last = state.rows().saturating_sub(1);
        match action {
            Action::NextTable => {
                state.tab = state.tab.step(1);
                state.scroll = 0;
            }
            Action::PrevTable => {
                state.tab = state.tab.step(-1);
                state.scroll = 0;
            }
            Action::CycleLevel => {
                state.level = match state.level {
                    Level::Code => Level::SubTheme,
                    Level::SubTheme => Level::Theme,
                    Level::Theme => Level::Code,
                };
                self.status = format!("Saturation counted by {}", state.level.label());
            }
            Action::Down => state.scroll = (state.scroll + 1).min(last),
            Action::Up => state.scroll = state.scroll.saturating_sub(1),
            Action::PageDown => state.scroll = (state.scroll + 10).min(last),
            Action::PageUp => state.scroll = state.scroll.saturating_sub(10),
            Action::Start => state.scroll = 0,
            Action::End => state.scroll = last,
            _ => {}
        }
    }
}
