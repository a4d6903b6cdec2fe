//! What the Analysis screen's keys do, through the screens' small interface (the pattern
//! for the others): [`AnalysisState::update`] is given the action and [`Shared`] (the
//! project this coder may see, the keymap, the status line) and changes only its own state;
//! what only `App` can do (open a picker, show quotes in Retrieve) it hands back as a
//! [`Request`]. `App`'s part is the few lines below that lend it `Shared` and hand the
//! request to `App::carry_out`.

use super::*;
use crate::analysis::node_counts::Coders;
use crate::analysis::tables::{
    Measure, Scope, code_frequencies, cooccurrence, cooccurring_passages, matrix, project_coders,
    saturation, theme_table,
};
use crate::model::Level;
use crate::tui::action::Action;
use crate::tui::app::{App, View};
use crate::tui::screens::{Request, Shared};

impl App {
    /// Opens the Analysis screen with its figures computed afresh (keeping the tab, level,
    /// measure and filters it had).
    pub(crate) fn open_analysis_view(&mut self) {
        let (shared, screens) = self.shared_and_screens();
        let fresh = AnalysisState::open(&shared, screens.analysis.as_ref());
        self.screens.analysis = Some(fresh);
        self.enter_view(View::Analysis);
    }

    pub(crate) fn analysis_action(&mut self, action: Action) {
        let (mut shared, screens) = self.shared_and_screens();
        let Some(state) = screens.analysis.as_mut() else {
            return;
        };
        if let Some(request) = state.update(&mut shared, action) {
            self.carry_out(request);
        }
    }
}

impl AnalysisState {
    /// The figures computed afresh over the coding as it is now, keeping the tab, level,
    /// run, measure, columns and filters of the `previous` state.
    pub fn open(shared: &Shared, previous: Option<&AnalysisState>) -> AnalysisState {
        let (scope, whose) = scope_of(shared, previous);
        let project = shared.project;
        let (tab, level, run, measure, by, attributes) = previous.map_or(
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
        AnalysisState {
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
        }
    }

    /// Carries out one of the Analysis screen's keys; returns what `App` must do, if
    /// anything.
    pub fn update(&mut self, shared: &mut Shared, action: Action) -> Option<Request> {
        let last = self.rows().saturating_sub(1);
        match action {
            Action::NextTable => {
                self.tab = self.tab.step(1);
                self.scroll = 0;
            }
            Action::PrevTable => {
                self.tab = self.tab.step(-1);
                self.scroll = 0;
            }
            Action::FilterAttribute => return Some(Request::PickAttribute),
            Action::FilterCoder => self.cycle_coders(shared),
            Action::RunLonger | Action::RunShorter => {
                self.run = if action == Action::RunLonger {
                    self.run + 1
                } else {
                    self.run.saturating_sub(1).max(1)
                };
                let plural = if self.run == 1 { "" } else { "s" };
                *shared.status = format!(
                    "Saturation needs {} interview{plural} in a row without a new code",
                    self.run
                );
            }
            Action::CycleLevel => {
                self.level = match self.level {
                    Level::Code => Level::SubTheme,
                    Level::SubTheme => Level::Theme,
                    Level::Theme => Level::Code,
                };
                *shared.status = format!("Counting by {}", self.level.label());
                self.rerun_matrix(shared);
            }
            _ if self.tab == AnalysisTab::Matrix => return self.matrix_action(shared, action),
            _ if self.tab == AnalysisTab::Cooccurrence => self.cooccurrence_action(shared, action),
            Action::Down => self.scroll = (self.scroll + 1).min(last),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::PageDown => self.scroll = (self.scroll + 10).min(last),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(10),
            Action::Start => self.scroll = 0,
            Action::End => self.scroll = last,
            _ => {}
        }
        None
    }

    /// Every coder you may see, then each coder alone in turn (as `--coders ID`), then every
    /// coder again. Blind coding stays left out whoever is chosen.
    fn cycle_coders(&mut self, shared: &mut Shared) {
        let coders = project_coders(shared.whole);
        self.coders = match &self.coders {
            Coders::All => coders
                .first()
                .map_or(Coders::All, |c| Coders::Only(vec![c.clone()])),
            Coders::Only(list) => list
                .first()
                .and_then(|c| coders.iter().position(|x| x == c))
                .and_then(|i| coders.get(i + 1))
                .map_or(Coders::All, |next| Coders::Only(vec![next.clone()])),
        };
        *shared.status = match &self.coders {
            Coders::All => "Counting every coder whose work you may see".into(),
            Coders::Only(list) => {
                let names: Vec<&str> = list.iter().map(|c| c.as_str()).collect();
                format!("Counting {}'s coding only", names.join(", "))
            }
        };
        *self = AnalysisState::open(shared, Some(self));
    }

    fn rerun_matrix(&mut self, shared: &Shared) {
        let (scope, _) = scope_of(shared, Some(self));
        let fresh = matrix(
            shared.project,
            &scope,
            self.level,
            self.measure,
            self.by.as_deref(),
        );
        self.cell = (
            self.cell.0.min(fresh.rows.len().saturating_sub(1)),
            self.cell.1.min(fresh.columns.len().saturating_sub(1)),
        );
        self.matrix = fresh;
    }

    fn matrix_action(&mut self, shared: &mut Shared, action: Action) -> Option<Request> {
        let rows = self.matrix.rows.len().saturating_sub(1);
        let cols = self.matrix.columns.len().saturating_sub(1);
        let (row, col) = &mut self.cell;
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
                self.measure = match self.measure {
                    Measure::Segments => Measure::Characters,
                    Measure::Characters => Measure::Presence,
                    Measure::Presence => Measure::Segments,
                };
                self.rerun_matrix(shared);
            }
            Action::CycleBy => self.cycle_matrix_columns(shared),
            Action::Open => return self.open_matrix_cell(shared),
            _ => {}
        }
        None
    }

    /// One column per transcript, then grouped by each of the project's attributes in turn.
    fn cycle_matrix_columns(&mut self, shared: &mut Shared) {
        let names: Vec<String> = shared
            .whole
            .meta
            .attributes
            .iter()
            .map(|a| a.name.clone())
            .collect();
        self.by = match &self.by {
            None => names.first().cloned(),
            Some(by) => names
                .iter()
                .position(|n| n == by)
                .and_then(|i| names.get(i + 1).cloned()),
        };
        self.cell.1 = 0;
        *shared.status = match &self.by {
            Some(by) => format!("Columns: transcripts grouped by {by}"),
            None => "Columns: one per transcript".into(),
        };
        self.rerun_matrix(shared);
    }

    /// The quotes behind the selected cell: the row's code (with the codes below it) in the
    /// column's transcripts, asked of the Retrieve screen.
    fn open_matrix_cell(&self, shared: &mut Shared) -> Option<Request> {
        let (row, col) = self.cell;
        let r = self.matrix.rows.get(row)?;
        let transcripts = self.matrix.column_transcripts.get(col)?;
        let column = self.matrix.columns.get(col)?;
        if r.cells.get(col).copied().unwrap_or(0) == 0 {
            *shared.status = "Nothing coded in this cell".into();
            return None;
        }
        let (scope, _) = scope_of(shared, Some(self));
        Some(Request::Quotes {
            code: r.code.clone(),
            coders: scope.coders,
            transcripts: transcripts.clone(),
            label: column.clone(),
        })
    }

    fn cooccurrence_action(&mut self, shared: &mut Shared, action: Action) {
        if let Some((passages, at)) = self.passages.as_mut() {
            let last = passages.len().saturating_sub(1);
            match action {
                Action::Down => *at = (*at + 1).min(last),
                Action::Up => *at = at.saturating_sub(1),
                Action::PageDown => *at = (*at + 5).min(last),
                Action::PageUp => *at = at.saturating_sub(5),
                Action::Start => *at = 0,
                Action::End => *at = last,
                Action::Cancel | Action::Open => self.passages = None,
                _ => {}
            }
            return;
        }
        let last = self.pairs.len().saturating_sub(1);
        match action {
            Action::Down => self.pair = (self.pair + 1).min(last),
            Action::Up => self.pair = self.pair.saturating_sub(1),
            Action::PageDown => self.pair = (self.pair + 10).min(last),
            Action::PageUp => self.pair = self.pair.saturating_sub(10),
            Action::Start => self.pair = 0,
            Action::End => self.pair = last,
            Action::Open => self.open_pair(shared),
            _ => {}
        }
    }

    /// The passages where the selected pair of codes co-occur.
    fn open_pair(&mut self, shared: &mut Shared) {
        let (scope, _) = scope_of(shared, Some(self));
        let Some(pair) = self.pairs.get(self.pair) else {
            *shared.status = "No codes co-occur yet".into();
            return;
        };
        let passages = cooccurring_passages(shared.project, &scope, &pair.a, &pair.b);
        *shared.status = format!(
            "{} passage(s) · j/k next/previous · Esc back to the pairs",
            passages.len()
        );
        self.passages = Some((passages, 0));
    }
}

/// The coding the figures count: every coder whose work you may see, as on the command
/// line (work hidden from you by blind double coding is not in the project the screen
/// reads), narrowed to the coders chosen with `c` and the attribute values chosen with
/// `f` in `state`; and the title that says so.
fn scope_of(shared: &Shared, state: Option<&AnalysisState>) -> (Scope, String) {
    let scope = Scope {
        coders: state.map_or(Coders::All, |s| s.coders.clone()),
        attributes: state.map(|s| s.attributes.clone()).unwrap_or_default(),
        ..Scope::default()
    };
    let whose = scope_title(shared.project, &scope, shared.blind_count);
    (scope, whose)
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

#[cfg(test)]
mod tests {
    //! The Analysis screen through its interface alone, with no `App`: what a key changes
    //! and what it asks of `App`.
    use super::*;
    use crate::model::transcript::sha256_hex;
    use crate::model::{
        Code, CodeId, CoderId, Edit, Position, Project, ProjectMeta, Segment, SegmentId,
        Transcript, TranscriptId, TranscriptMeta,
    };
    use crate::tui::keymap::Keymap;

    const TEXT: &str = "Participant 1: Café talk helped.\nWe met weekly.";

    /// Two transcripts; alex coded "Trust" once, in t1 only.
    fn project() -> (Project, CodeId) {
        let mut meta = ProjectMeta::new("Test");
        meta.coders.push(crate::model::Coder {
            id: CoderId::new("alex").unwrap(),
            name: "Alex".into(),
        });
        let mut project = Project::new(meta);
        for (n, who) in [("t1", "P1"), ("t2", "P2")] {
            let meta = TranscriptMeta {
                title: n.into(),
                participant: who.into(),
                sha256: sha256_hex(TEXT),
                chars: TEXT.chars().count(),
                ..Default::default()
            };
            let id = TranscriptId::new(n).unwrap();
            project
                .transcripts
                .insert(id.clone(), Transcript::new(id, meta, TEXT.into()));
        }
        let code = Code::new("Trust", Level::Code);
        let trust = code.id.clone();
        let at = Position {
            parent: None,
            index: 0,
        };
        Edit::AddCode { code, at }.apply(&mut project).unwrap();
        let segment = Segment {
            id: SegmentId::random(),
            start: 15,
            end: 19,
            codes: vec![trust.clone()],
            text: "Café".into(),
            created: jiff::Timestamp::UNIX_EPOCH,
            updated: None,
        };
        let coder = CoderId::new("alex").unwrap();
        let transcript = TranscriptId::new("t1").unwrap();
        Edit::AddSegment {
            coder,
            transcript,
            segment,
        }
        .apply(&mut project)
        .unwrap();
        (project, trust)
    }

    #[test]
    fn keys_change_the_screen_and_ask_app_only_for_what_reaches_past_it() {
        let (project, trust) = project();
        let keymap = Keymap::defaults().unwrap();
        let alex = CoderId::new("alex").unwrap();
        let mut status = String::new();
        let mut shared = Shared {
            project: &project,
            whole: &project,
            coder: &alex,
            blind_count: 0,
            keymap: &keymap,
            status: &mut status,
        };
        let mut state = AnalysisState::open(&shared, None);
        assert_eq!(state.tab, AnalysisTab::Saturation);
        assert_eq!(state.participants, 1, "only P1's transcript is coded");

        assert!(state.update(&mut shared, Action::RunLonger).is_none());
        assert_eq!(state.run, DEFAULT_RUN + 1);
        assert_eq!(
            *shared.status,
            "Saturation needs 4 interviews in a row without a new code"
        );
        assert!(matches!(
            state.update(&mut shared, Action::FilterAttribute),
            Some(Request::PickAttribute)
        ));

        state.update(&mut shared, Action::NextTable);
        assert_eq!(state.tab, AnalysisTab::Matrix);
        let t1 = state.matrix.columns.iter().position(|c| c == "t1").unwrap();
        let t2 = state.matrix.columns.iter().position(|c| c == "t2").unwrap();
        state.cell = (0, t1);
        let Some(Request::Quotes {
            code,
            coders,
            transcripts,
            label,
        }) = state.update(&mut shared, Action::Open)
        else {
            panic!("Enter on a coded cell asks for its quotes");
        };
        assert_eq!(code, trust);
        assert_eq!(coders, Coders::All);
        assert_eq!(transcripts, vec![TranscriptId::new("t1").unwrap()]);
        assert_eq!(label, "t1");
        state.cell = (0, t2);
        assert!(state.update(&mut shared, Action::Open).is_none());
        assert_eq!(*shared.status, "Nothing coded in this cell");
    }
}
