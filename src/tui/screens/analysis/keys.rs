//! What the Analysis screen's keys do (its part of `App::update`).

use super::*;
use crate::analysis::codebook::Coders;
use crate::analysis::tables::{
    Measure, Scope, code_frequencies, cooccurrence, cooccurring_passages, matrix, project_coders,
    saturation, theme_table,
};
use crate::model::Level;
use crate::tui::action::Action;
use crate::tui::app::{App, View};

impl App {
    /// The coding the figures count: every coder whose work you may see, as on the command
    /// line (work hidden from you by blind double coding is not in the project the view
    /// reads), narrowed to the coders chosen with `c` and the attribute values chosen with
    /// `f`; and the title that says so.
    fn analysis_scope(&self) -> (Scope, String) {
        let project = self.project();
        let scope = Scope {
            coders: self
                .analysis
                .as_ref()
                .map_or(Coders::All, |s| s.coders.clone()),
            attributes: self
                .analysis
                .as_ref()
                .map(|s| s.attributes.clone())
                .unwrap_or_default(),
            ..Scope::default()
        };
        let whose = scope_title(project, &scope, self.blind_count());
        (scope, whose)
    }

    pub(crate) fn open_analysis_view(&mut self) {
        let (scope, whose) = self.analysis_scope();
        let project = self.project();
        let (tab, level, run, measure, by, attributes) = self.analysis.as_ref().map_or(
            (
                AnalysisTab::Saturation,
                Level::Code,
                DEFAULT_RUN,
                Measure::Segments,
                None,
                Vec::new(),
            ),
            |s| {
                (
                    s.tab,
                    s.level,
                    s.run,
                    s.measure,
                    s.by.clone(),
                    s.attributes.clone(),
                )
            },
        );
        let coders = scope.coders.clone();
        self.analysis = Some(AnalysisState {
            tab,
            level,
            run,
            saturation: saturation(project, &scope),
            themes: theme_table(project, &scope),
            matrix: matrix(project, &scope, level, measure, by.as_deref()),
            measure,
            by,
            cell: (0, 0),
            pairs: cooccurrence(project, &scope),
            frequencies: code_frequencies(project, &scope),
            pair: 0,
            passages: None,
            participants: scope
                .transcripts(project)
                .iter()
                .filter(|t| scope.coded(project, &t.id))
                .map(|t| t.meta.participant.as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            whose,
            attributes,
            coders,
            scroll: 0,
        });
        self.enter_view(View::Analysis);
    }

    pub(crate) fn analysis_action(&mut self, action: Action) {
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
            Action::FilterAttribute => self.open_attribute_picker(),
            Action::FilterCoder => self.cycle_analysis_coders(),
            Action::RunLonger | Action::RunShorter => {
                state.run = if action == Action::RunLonger {
                    state.run + 1
                } else {
                    state.run.saturating_sub(1).max(1)
                };
                let plural = if state.run == 1 { "" } else { "s" };
                self.status = format!(
                    "Saturation needs {} interview{plural} in a row without a new code",
                    state.run
                );
            }
            Action::CycleLevel => {
                state.level = match state.level {
                    Level::Code => Level::SubTheme,
                    Level::SubTheme => Level::Theme,
                    Level::Theme => Level::Code,
                };
                self.status = format!("Counting by {}", state.level.label());
                self.rerun_matrix();
            }
            _ if state.tab == AnalysisTab::Matrix => self.matrix_action(action),
            _ if state.tab == AnalysisTab::Cooccurrence => self.cooccurrence_action(action),
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

impl App {
    /// Every coder you may see, then each coder alone in turn (as `--coders ID`), then every
    /// coder again. Blind coding stays left out whoever is chosen.
    fn cycle_analysis_coders(&mut self) {
        let coders = project_coders(self.ws.project());
        let Some(state) = self.analysis.as_mut() else {
            return;
        };
        state.coders = match &state.coders {
            Coders::All => coders
                .first()
                .map_or(Coders::All, |c| Coders::Only(vec![c.clone()])),
            Coders::Only(list) => list
                .first()
                .and_then(|c| coders.iter().position(|x| x == c))
                .and_then(|i| coders.get(i + 1))
                .map_or(Coders::All, |next| Coders::Only(vec![next.clone()])),
        };
        self.status = match &state.coders {
            Coders::All => "Counting every coder whose work you may see".into(),
            Coders::Only(list) => {
                let names: Vec<&str> = list.iter().map(|c| c.as_str()).collect();
                format!("Counting {}'s coding only", names.join(", "))
            }
        };
        let status = std::mem::take(&mut self.status);
        self.open_analysis_view();
        self.status = status;
    }

    fn rerun_matrix(&mut self) {
        let (scope, _) = self.analysis_scope();
        let project = self.project();
        let Some(state) = self.analysis.as_ref() else {
            return;
        };
        let fresh = matrix(
            project,
            &scope,
            state.level,
            state.measure,
            state.by.as_deref(),
        );
        if let Some(state) = self.analysis.as_mut() {
            state.cell = (
                state.cell.0.min(fresh.rows.len().saturating_sub(1)),
                state.cell.1.min(fresh.columns.len().saturating_sub(1)),
            );
            state.matrix = fresh;
        }
    }

    fn matrix_action(&mut self, action: Action) {
        let Some(state) = self.analysis.as_mut() else {
            return;
        };
        let rows = state.matrix.rows.len().saturating_sub(1);
        let cols = state.matrix.columns.len().saturating_sub(1);
        let (row, col) = &mut state.cell;
        match action {
            Action::Down => *row = (*row + 1).min(rows),
            Action::Up => *row = row.saturating_sub(1),
            Action::PageDown => *row = (*row + 10).min(rows),
            Action::PageUp => *row = row.saturating_sub(10),
            Action::Start => *row = 0,
            Action::End => *row = rows,
            Action::Right => *col = (*col + 1).min(cols),
            Action::Left => *col = col.saturating_sub(1),
            Action::CycleMeasure => {
                state.measure = match state.measure {
                    Measure::Segments => Measure::Characters,
                    Measure::Characters => Measure::Presence,
                    Measure::Presence => Measure::Segments,
                };
                self.rerun_matrix();
            }
            Action::CycleBy => self.cycle_matrix_columns(),
            Action::Open => self.open_matrix_cell(),
            _ => {}
        }
    }

    /// One column per transcript, then grouped by each of the project's attributes in turn.
    fn cycle_matrix_columns(&mut self) {
        let names: Vec<String> = self
            .ws
            .project()
            .meta
            .attributes
            .iter()
            .map(|a| a.name.clone())
            .collect();
        let Some(state) = self.analysis.as_mut() else {
            return;
        };
        state.by = match &state.by {
            None => names.first().cloned(),
            Some(by) => names
                .iter()
                .position(|n| n == by)
                .and_then(|i| names.get(i + 1).cloned()),
        };
        state.cell.1 = 0;
        self.status = match &state.by {
            Some(by) => format!("Columns: transcripts grouped by {by}"),
            None => "Columns: one per transcript".into(),
        };
        self.rerun_matrix();
    }

    /// The quotes behind the selected cell: the row's code (with the codes below it) in the
    /// column's transcripts, in the Retrieve view.
    fn open_matrix_cell(&mut self) {
        let Some(state) = self.analysis.as_ref() else {
            return;
        };
        let (row, col) = state.cell;
        let (Some(r), Some(ts), Some(column)) = (
            state.matrix.rows.get(row),
            state.matrix.column_transcripts.get(col),
            state.matrix.columns.get(col),
        ) else {
            return;
        };
        if r.cells.get(col).copied().unwrap_or(0) == 0 {
            self.status = "Nothing coded in this cell".into();
            return;
        }
        let (code, ts, column) = (r.code.clone(), ts.clone(), column.clone());
        let (scope, _) = self.analysis_scope();
        self.open_retrieve(code);
        if let Some(retrieve) = self.retrieve.as_mut() {
            retrieve.filter.coders = scope.coders;
            retrieve.filter.transcripts = Some(ts);
            retrieve.selected = 0;
        }
        self.rerun_retrieve();
        let count = self.retrieve.as_ref().map_or(0, |r| r.quotes.len());
        self.status = format!("{count} quote(s) in {column} · Backspace back to the matrix");
    }
}

impl App {
    fn cooccurrence_action(&mut self, action: Action) {
        let Some(state) = self.analysis.as_mut() else {
            return;
        };
        if let Some((passages, at)) = state.passages.as_mut() {
            let last = passages.len().saturating_sub(1);
            match action {
                Action::Down => *at = (*at + 1).min(last),
                Action::Up => *at = at.saturating_sub(1),
                Action::PageDown => *at = (*at + 5).min(last),
                Action::PageUp => *at = at.saturating_sub(5),
                Action::Start => *at = 0,
                Action::End => *at = last,
                Action::Cancel | Action::Open => state.passages = None,
                _ => {}
            }
            return;
        }
        let last = state.pairs.len().saturating_sub(1);
        match action {
            Action::Down => state.pair = (state.pair + 1).min(last),
            Action::Up => state.pair = state.pair.saturating_sub(1),
            Action::PageDown => state.pair = (state.pair + 10).min(last),
            Action::PageUp => state.pair = state.pair.saturating_sub(10),
            Action::Start => state.pair = 0,
            Action::End => state.pair = last,
            Action::Open => self.open_pair(),
            _ => {}
        }
    }

    /// The passages where the selected pair of codes co-occur.
    fn open_pair(&mut self) {
        let (scope, _) = self.analysis_scope();
        let project = self.project();
        let Some(state) = self.analysis.as_ref() else {
            return;
        };
        let Some(pair) = state.pairs.get(state.pair) else {
            self.status = "No codes co-occur yet".into();
            return;
        };
        let passages = cooccurring_passages(project, &scope, &pair.a, &pair.b);
        self.status = format!(
            "{} passage(s) · j/k next/previous · Esc back to the pairs",
            passages.len()
        );
        if let Some(state) = self.analysis.as_mut() {
            state.passages = Some((passages, 0));
        }
    }
}

/// "coding of alex, sam · 12 transcripts", with " (sam's blind sample left out)" when
/// some coding is hidden and " · only organisation = Brookfield Council" for a filter.
/// "coding of alex, sam · 12 transcripts", saying when others' work on `blind` transcripts
/// (still coded blind by the viewer) is left out, and the attribute filter.
fn scope_title(project: &crate::model::Project, scope: &Scope, blind: usize) -> String {
    let summary = scope.summary(project);
    let mut title = format!(
        "coding of {} · {} transcript{}",
        summary.coders.join(", "),
        summary.transcripts,
        if summary.transcripts == 1 { "" } else { "s" }
    );
    if blind > 0 || !scope.hidden.is_empty() {
        title.push_str(&format!(
            " (others' blind coding left out on {blind} transcript{})",
            if blind == 1 { "" } else { "s" }
        ));
    }
    if let Some(filter) = &summary.filter {
        let only: Vec<String> = filter.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        title.push_str(&format!(" · only {}", only.join(", ")));
    }
    title
}
