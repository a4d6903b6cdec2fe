//! What the screens share, and the routing of events: `App` holds the workspace and the
//! project this coder may see, the keymap, theme and status line, the active screen and
//! overlay, the code tree the Code and Codebook screens both show, and each screen's state
//! (the Code screen's in `code`, the others' in `screens`); it turns a key into an Action
//! and hands it to the open overlay or the active screen (`screens/<screen>/keys.rs`),
//! carries out what a screen asks of it (`carry_out`), applies edits (`apply`), routes undo
//! and redo, and refreshes what depends on the project after a change.

use crate::analysis::node_counts::NodeCounts;
use crate::model::{CodeId, Coder, CoderId, Edit, Transcript, TranscriptId};
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::layout::Areas;
pub use crate::tui::overlays::Overlay;
pub use crate::tui::screens::code::{Focus, TreeRow};
use crate::tui::screens::code::{current_transcript, last_grapheme};
use crate::tui::theme::Theme;
use crate::workspace::Workspace;
use crossterm::event::{Event, KeyEvent, KeyEventKind};
use ratatui::layout::Rect;
use std::collections::{HashMap, HashSet};

/// The three views, each one key away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Code,
    Codebook,
    Retrieve,
    Memos,
    Agreement,
    Analysis,
}

pub struct App {
    pub ws: Workspace,
    pub coder: CoderId,
    /// The Code screen's own state (see [`crate::tui::screens::code::CodeScreen`]).
    pub code: crate::tui::screens::code::CodeScreen,
    pub keymap: Keymap,
    pub theme: Theme,
    pub tree: Vec<TreeRow>,
    pub tree_selected: usize,
    pub folded: HashSet<CodeId>,
    pub counts: HashMap<CodeId, NodeCounts>,
    /// Per-transcript parts of `counts`, so that coding recounts one transcript.
    pub(crate) count_cache: crate::analysis::node_counts::CountCache,
    /// This coder's pinned quick codes and resume point on this clone (`.thematic/ui/`).
    pub ui: crate::store::ui_state::UiState,
    /// The state file could not be read: it is left as it is, never written over.
    pub(crate) ui_blocked: bool,
    pub show_all_coders: bool,
    /// Blind transcripts this coder chose to reveal to themselves (this session).
    pub revealed: std::collections::BTreeSet<TranscriptId>,
    /// The project as this coder may see it, when blind double coding hides some of it
    /// (see [`crate::model::visibility`]); None when nothing is hidden. Every view reads
    /// [`App::project`]; edits are built from the whole project in `ws`.
    pub(crate) seen: Option<Box<crate::model::Project>>,
    /// The transcripts `seen` hides other coders' work on.
    pub(crate) blind_set: std::collections::BTreeSet<TranscriptId>,
    pub mouse: bool,
    pub overlay: Overlay,
    pub status: String,
    /// What failed to load when the project was opened, listed at the top of the help.
    pub load_problems: Vec<String>,
    pub size: Rect,
    pub should_quit: bool,
    /// A quit was refused because of unsaved changes; the next one goes through.
    pub(crate) quit_armed: bool,
    pub view_mode: View,
    pub back_to: Option<View>,
    /// The other screens' own states, each made when its screen is first opened.
    pub screens: crate::tui::screens::Screens,
    /// The newest comment this person has read on each memo (machine-local, not shared).
    pub(crate) read_marks: crate::store::read_marks::ReadMarks,
    /// This person's memos with comments they have not read, and how many.
    pub unread: std::collections::BTreeMap<crate::model::MemoId, usize>,
}

impl App {
    pub fn new(ws: Workspace, coder: CoderId, keymap: Keymap, theme: Theme, size: Rect) -> App {
        let order: Vec<TranscriptId> = ws
            .project()
            .transcripts_in_order()
            .iter()
            .map(|t| t.id.clone())
            .collect();
        let mut app = App {
            code: crate::tui::screens::code::CodeScreen::new(order),
            ws,
            coder,
            keymap,
            theme,
            tree: Vec::new(),
            tree_selected: 0,
            folded: HashSet::new(),
            counts: HashMap::new(),
            count_cache: Default::default(),
            ui: Default::default(),
            ui_blocked: false,
            show_all_coders: false,
            revealed: Default::default(),
            seen: None,
            blind_set: Default::default(),
            mouse: true,
            overlay: Overlay::None,
            status: String::new(),
            load_problems: Vec::new(),
            size,
            should_quit: false,
            quit_armed: false,
            view_mode: View::Code,
            back_to: None,
            screens: Default::default(),
            read_marks: Default::default(),
            unread: Default::default(),
        };
        app.read_marks =
            crate::store::read_marks::load_read_marks(app.ws.store().root(), &app.coder);
        let ui_problem = app.load_ui_state();
        app.refresh();
        if app.code.order.is_empty() {
            app.status =
                "No transcripts yet: import some with `thematic import DIR FILE...`".into();
            app.code.focus = Focus::Codebook;
        } else {
            let resumed = app.resume();
            let help = app.keymap.keys_for(Context::Global, Action::Help);
            let opened = std::mem::take(&mut app.status);
            app.status = format!(
                "Welcome, {}. Press {help} for the keys. {resumed}{opened}",
                app.coder
            );
        }
        if let Some(problem) = ui_problem {
            app.status.push_str(&format!(" {problem}"));
        }
        if !app.unread.is_empty() {
            let memos = app.keymap.keys_for(Context::Global, Action::ViewMemos);
            app.status.push_str(&format!(
                " {} of your memos have comments you have not read ({memos}).",
                app.unread.len()
            ));
        }
        if app.reviewing() {
            app.open_memos_view();
            app.status = format!(
                "Welcome, {}. You are reviewing: memos and their threads can be read, reviewed and answered; nothing can be coded",
                app.coder
            );
        }
        app
    }

    /// The keymap context of what has the keyboard.
    pub fn context(&self) -> Context {
        if let Some(context) = self.suggestions_context() {
            return context;
        }
        match self.view_mode {
            View::Code => self.code.focus.context(),
            View::Codebook => Context::CodebookView,
            View::Retrieve => Context::Retrieve,
            View::Memos => Context::Memos,
            View::Agreement => Context::Agreement,
            View::Analysis => Context::Analysis,
        }
    }

    pub fn areas(&self) -> Areas {
        Areas::with(self.size, &self.code.panes)
    }

    pub fn transcript(&self) -> Option<&Transcript> {
        let id = self.code.order.get(self.code.current?)?;
        self.project().transcript(id)
    }

    pub(crate) fn transcript_id(&self) -> Option<TranscriptId> {
        self.code.order.get(self.code.current?).cloned()
    }

    /// Whether this session is a reviewer's (memos only, no coding).
    pub fn reviewing(&self) -> bool {
        self.ws.project().meta.is_only_reviewer(&self.coder)
    }

    /// What every screen shares and the other screens' own states, lent together (they are
    /// separate fields, so a screen can change its state while it reads the rest).
    pub(crate) fn shared_and_screens(
        &mut self,
    ) -> (
        crate::tui::screens::Shared<'_>,
        &mut crate::tui::screens::Screens,
    ) {
        let shared = crate::tui::screens::Shared {
            project: seen_project(&self.ws, &self.seen),
            whole: self.ws.project(),
            coder: &self.coder,
            blind_count: self.blind_set.len(),
            keymap: &self.keymap,
            status: &mut self.status,
        };
        (shared, &mut self.screens)
    }

    /// Does what a screen asked for after a key (see [`crate::tui::screens::Request`]).
    pub(crate) fn carry_out(&mut self, request: crate::tui::screens::Request) {
        use crate::tui::screens::Request;
        match request {
            Request::PickAttribute => self.open_attribute_picker(),
            Request::Quotes {
                code,
                coders,
                transcripts,
                label,
            } => {
                self.open_retrieve(code);
                if let Some(retrieve) = self.screens.retrieve.as_mut() {
                    retrieve.filter.coders = coders;
                    retrieve.filter.transcripts = Some(transcripts);
                    retrieve.selected = 0;
                }
                self.rerun_retrieve();
                let count = self.screens.retrieve.as_ref().map_or(0, |r| r.quotes.len());
                self.status = format!("{count} quote(s) in {label} · Backspace back to the matrix");
            }
            Request::Apply { edit, done } => {
                self.apply(*edit, &done);
            }
            Request::Note {
                decision,
                codes,
                done,
            } => {
                self.ws.note(&decision, codes);
                self.status = done;
            }
            Request::Overlay(overlay) => self.overlay = *overlay,
        }
    }

    /// The project as this coder may see it: what every view draws from.
    pub fn project(&self) -> &crate::model::Project {
        seen_project(&self.ws, &self.seen)
    }

    /// Who is looking, for the visibility rule.
    pub fn viewer(&self) -> crate::model::visibility::Viewer {
        crate::model::visibility::Viewer {
            coder: self.coder.clone(),
            revealed: self.revealed.clone(),
        }
    }

    /// Whether other coders' work on transcript `t` is hidden from this coder (the model's
    /// rule: blind double coding, until every coder of the round is done or it is revealed).
    pub fn blind(&self, t: &TranscriptId) -> bool {
        self.blind_set.contains(t)
    }

    /// How many transcripts this coder codes blind (others' work on them hidden).
    pub fn blind_count(&self) -> usize {
        self.blind_set.len()
    }

    /// Whether `coder`'s segments in `t` are shown: this coder's, or everyone's that the
    /// project they see holds (blind coding has already taken out what they may not see).
    pub fn shows(&self, coder: &CoderId, _t: &TranscriptId) -> bool {
        coder == &self.coder || self.show_all_coders
    }

    /// Takes what this coder may see from the whole project again. After an edit that kept
    /// the same transcripts blind and changed only this coder's coding, just those
    /// transcripts are copied over, so coding stays proportional to the change.
    fn reseen(&mut self, only_mine: Option<&std::collections::BTreeSet<TranscriptId>>) {
        use crate::model::visibility;
        let full = self.ws.project();
        let viewer = self.viewer();
        let blind = visibility::blind_transcripts(full, &viewer);
        if let (Some(seen), Some(touched), true) =
            (self.seen.as_mut(), only_mine, blind == self.blind_set)
        {
            for t in touched {
                seen.copy_coding_from(full, &self.coder, t);
            }
            return;
        }
        self.seen = match visibility::seen_by(full, &viewer) {
            std::borrow::Cow::Owned(seen) => Some(Box::new(seen)),
            std::borrow::Cow::Borrowed(_) => None,
        };
        self.blind_set = blind;
    }

    // ----- events -----

    pub fn handle_event(&mut self, event: Event) {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => self.handle_key(key),
            Event::Mouse(mouse) if self.mouse => self.handle_mouse(mouse),
            Event::Paste(text) => self.handle_paste(&text),
            Event::Resize(w, h) => self.resize(Rect::new(0, 0, w, h)),
            _ => {}
        }
    }

    pub fn resize(&mut self, size: Rect) {
        self.size = size;
        self.rewrap();
    }

    fn rewrap(&mut self) {
        let areas = self.areas();
        let Some(id) = self.transcript_id() else {
            return;
        };
        let project = seen_project(&self.ws, &self.seen);
        if let (Some(view), Some(t)) = (self.code.view.as_mut(), project.transcript(&id)) {
            view.rewrap(t, areas.text_width());
            view.follow_cursor(areas.text_height());
            if !self.code.margin_lanes.fits(view) {
                self.code.margin_lanes =
                    crate::tui::screens::code::margin::Lanes::new(view, &self.coder);
            }
        }
    }

    /// Handles a key. A status message belongs to the view it was said in: when the key
    /// changes the view and says nothing new, the old message is cleared.
    pub fn handle_key(&mut self, key: KeyEvent) {
        let (view, status) = (self.view_mode, self.status.clone());
        self.handle_key_here(key);
        if self.view_mode != view && self.status == status {
            self.status.clear();
        }
    }

    /// Carries out one action.
    pub fn update(&mut self, action: Action) {
        match action {
            Action::Quit => self.request_quit(),
            Action::Help => self.overlay = Overlay::Help { scroll: 0 },
            Action::FocusNext => self.cycle_focus(1),
            Action::FocusPrev => self.cycle_focus(-1),
            Action::Undo => self.undo_redo(true),
            Action::Redo => self.undo_redo(false),
            Action::GotoTranscript => self.open_transcript_picker(),
            Action::ToggleAllCoders => {
                self.show_all_coders = !self.show_all_coders;
                if self.view_mode == View::Analysis {
                    self.open_analysis_view();
                }
                self.status = if self.show_all_coders {
                    "Showing every coder's coding".into()
                } else {
                    format!("Showing {}'s coding only", self.coder)
                };
                if self.show_all_coders && self.transcript_id().is_some_and(|t| self.blind(&t)) {
                    let reveal = self.keymap.keys_for(Context::Global, Action::RevealBlind);
                    self.status.push_str(&format!(
                        " (this transcript is coded blind: {reveal} reveals the others)"
                    ));
                }
                self.refresh();
            }
            Action::RevealBlind => self.reveal_blind(),
            Action::ToggleMouse => {
                self.mouse = !self.mouse;
                self.status = if self.mouse {
                    "Mouse on".into()
                } else {
                    "Mouse off: the terminal can select and copy text".into()
                };
            }
            Action::CrashTest => panic!("crash test requested from the keymap"),
            Action::ViewCode => self.switch_view(View::Code),
            Action::ViewCodebook => self.switch_view(View::Codebook),
            Action::ViewRetrieve => self.switch_view(View::Retrieve),
            Action::ViewMemos => self.open_memos_view(),
            Action::ViewAgreement => self.open_agreement_view(),
            Action::ViewAnalysis => self.open_analysis_view(),
            Action::Back => self.go_back(),
            Action::MemoHere => self.memo_here(),
            Action::MarkDone => self.toggle_done(),
            Action::Journal => self.new_journal_entry(),
            Action::Play => self.play_here(),
            Action::ToggleSuggestions => self.toggle_suggestions(),
            Action::ToggleMargin => self.toggle_margin(),
            Action::ToggleList => self.toggle_list(),
            Action::CodebookNarrower => {
                self.widen_codebook(-crate::tui::screens::code::panes::CODEBOOK_STEP)
            }
            Action::CodebookWider => {
                self.widen_codebook(crate::tui::screens::code::panes::CODEBOOK_STEP)
            }
            Action::PinCode => self.pin_code(),
            Action::SearchList => self.open_search_list(),
            _ if self.suggestions_context().is_some() => self.suggestions_action(action),
            _ => match (self.view_mode, self.code.focus) {
                (View::Codebook, _) => self.codebook_view_action(action),
                (View::Retrieve, _) => self.retrieve_action(action),
                (View::Memos, _) => self.memos_action(action),
                (View::Agreement, _) => self.agreement_action(action),
                (View::Analysis, _) => self.analysis_action(action),
                (View::Code, Focus::Text) => self.text_action(action),
                (View::Code, Focus::List) => self.list_action(action),
                (View::Code, Focus::Codebook) => self.tree_action(action),
            },
        }
    }

    /// Quits, unless changes are still unsaved (a full disk): then saving is tried again,
    /// and if it still fails the researcher is told and must ask a second time.
    fn request_quit(&mut self) {
        if self.ws.unsaved().is_empty() || self.quit_armed {
            self.should_quit = true;
            return;
        }
        match self.ws.retry_saves() {
            Ok(()) => self.should_quit = true,
            Err(e) => {
                self.quit_armed = true;
                let why = match &e {
                    crate::workspace::WorkspaceError::Unsaved(inner) => inner.to_string(),
                    other => other.to_string(),
                };
                self.status = format!(
                    "Still NOT SAVED: q again quits WITHOUT the unsaved changes; or free space and save with your next change ({why})"
                );
            }
        }
    }

    fn cycle_focus(&mut self, delta: isize) {
        let order = [Focus::List, Focus::Text, Focus::Codebook];
        let at = order
            .iter()
            .position(|f| *f == self.code.focus)
            .unwrap_or(1) as isize;
        self.code.focus = order[(at + delta).rem_euclid(3) as usize];
    }

    /// Undoes or redoes a step, says what and where ("Undid: coded 'Trust' on p13, line
    /// 42"), and goes there: the Code view, that transcript, the cursor on the place.
    fn undo_redo(&mut self, undo: bool) {
        let result = if undo { self.ws.undo() } else { self.ws.redo() };
        let edit = match result {
            Ok(edit) => edit,
            Err(e) => {
                self.status = e.to_string();
                self.refresh();
                return;
            }
        };
        let summary = crate::model::edit_summary::summarize(self.ws.project(), &edit);
        self.refresh();
        if let Some(place) = &summary.place {
            self.go_to_place(place);
        }
        self.status = format!(
            "{} {}",
            if undo { "Undid:" } else { "Redid:" },
            summary.text
        );
    }

    /// Shows `place` in the Code view: its transcript, with the cursor on its offset.
    fn go_to_place(&mut self, place: &crate::model::edit_summary::Place) {
        let Some(index) = self.code.order.iter().position(|t| t == &place.transcript) else {
            return;
        };
        if self.view_mode != View::Code {
            self.enter_view(View::Code);
        }
        if self.code.current != Some(index) {
            self.open_transcript(index);
        }
        if let Some(offset) = place.offset {
            self.put_cursor(offset);
        }
        self.code.focus = Focus::Text;
    }

    /// Moves the cursor to `offset` (clamped to the text), with no selection, and scrolls to
    /// show it.
    pub(crate) fn put_cursor(&mut self, offset: usize) {
        let height = self.areas().text_height();
        let Some(t) = current_transcript(&self.code.order, self.code.current, &self.ws) else {
            return;
        };
        let Some(view) = self.code.view.as_mut() else {
            return;
        };
        view.cursor = offset.min(last_grapheme(t));
        view.anchor = None;
        view.adjusting = None;
        view.goal_column = None;
        view.follow_cursor(height);
    }

    pub fn code_name(&self, code: &CodeId) -> String {
        self.project().codebook.name_or_id(code)
    }

    /// Applies an edit and saves it; says what happened either way.
    pub(crate) fn apply(&mut self, edit: Edit, done: &str) -> bool {
        match self.ws.apply(edit) {
            Ok(()) => {
                self.status = format!("{done} (saved)");
                self.quit_armed = false;
                self.refresh_after_edit();
                true
            }
            Err(e) if e.kept() => {
                self.status = format!("{done}: {e}");
                self.refresh_after_edit();
                true
            }
            Err(e) => {
                self.status = format!("Not saved: {e}");
                false
            }
        }
    }

    /// After an edit: one that only changed coding recounts just those transcripts (the
    /// codebook and memos are as they were); anything else refreshes everything.
    fn refresh_after_edit(&mut self) {
        use crate::model::FileKey;
        let mut transcripts = std::collections::BTreeSet::new();
        let touched = self.ws.last_touched().clone();
        // This coder's own memos and reviews are never hidden from them: copied over to the
        // project they see, not re-derived from the whole (a memo saves as it is typed).
        let own_notes = touched.iter().all(|key| match key {
            FileKey::Memo(c, _) | FileKey::Review(c, _) | FileKey::Audit(c) => c == &self.coder,
            _ => false,
        });
        if own_notes {
            if let Some(seen) = self.seen.as_mut() {
                seen.copy_notes_from(self.ws.project(), &touched);
            }
            return self.refresh_views();
        }
        for key in &touched {
            match key {
                FileKey::Coding(c, t) if c == &self.coder => {
                    transcripts.insert(t.clone());
                }
                FileKey::Audit(_) => {}
                _ => return self.refresh(),
            }
        }
        self.reseen(Some(&transcripts));
        let mut cache = std::mem::take(&mut self.count_cache);
        for t in &transcripts {
            cache.update(self.project(), t, |coder, t| self.shows(coder, t));
        }
        self.counts = cache.totals().clone();
        self.count_cache = cache;
        self.refresh_segments();
        self.rerun_agreement();
        self.rerun_retrieve();
        self.refresh_suggestions();
    }

    /// Recomputes what depends on the project after a change.
    pub fn refresh(&mut self) {
        self.reseen(None);
        self.refresh_views();
        self.refresh_suggestions();
    }

    /// Recomputes what the views show from the project as this coder sees it.
    fn refresh_views(&mut self) {
        self.rebuild_tree();
        self.recount();
        let book = &seen_project(&self.ws, &self.seen).codebook;
        if self.ui.keep_pins(|c| book.contains(c)) {
            // A deleted code's key is free again, here and next time.
            self.save_ui_state();
        }
        self.refresh_segments();
        self.rerun_memos();
        let project = seen_project(&self.ws, &self.seen);
        let links = || project.memos().flat_map(|m| m.links.iter());
        self.code.memo_segments = links()
            .filter_map(|l| match l {
                crate::model::MemoLink::Segment(r) => Some(r.id.clone()),
                _ => None,
            })
            .collect();
        self.code.memo_codes = links()
            .filter_map(|l| match l {
                crate::model::MemoLink::Code(c) => Some(c.clone()),
                _ => None,
            })
            .collect();
        self.unread = crate::analysis::memos::unread_comments(
            seen_project(&self.ws, &self.seen),
            &self.coder,
            &self.read_marks,
        );
        self.rerun_agreement();
        self.rerun_retrieve();
    }

    /// Adds the coder to the project if they are not listed yet; says so in the status line.
    pub fn ensure_coder_listed(&mut self) {
        let meta = self.ws.project().meta.clone();
        // A reviewer opens the project to review, never to join its coders.
        if meta.coder(&self.coder).is_some() || meta.reviewer(&self.coder).is_some() {
            return;
        }
        let mut after = meta.clone();
        after.coders.push(Coder {
            id: self.coder.clone(),
            name: self.coder.to_string(),
        });
        if self.apply(
            Edit::UpdateProject {
                before: Box::new(meta),
                after: Box::new(after),
            },
            "",
        ) {
            self.status = format!("Added you ({}) to the project's coders", self.coder);
        }
    }
}

/// The project as the coder may see it, borrowed from these two fields alone so that other
/// fields can be changed beside it.
pub(crate) fn seen_project<'a>(
    ws: &'a Workspace,
    seen: &'a Option<Box<crate::model::Project>>,
) -> &'a crate::model::Project {
    seen.as_deref().unwrap_or(ws.project())
}

/// Case-insensitive hits of `query` in `text`, as char ranges.
pub use crate::analysis::search::hits_in as search_hits;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_is_case_insensitive_in_char_offsets() {
        assert_eq!(
            search_hits("Café CAFÉ café", "café"),
            vec![(0, 4), (5, 9), (10, 14)]
        );
        assert_eq!(search_hits("医生 and 医生", "医生"), vec![(0, 2), (7, 9)]);
        assert!(search_hits("abc", "").is_empty());
    }
}
