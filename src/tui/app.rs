//! The TUI's state and `update`, the only place it changes. Drawing (in `views`) reads it.

use super::action::Action;
use super::codebook_view::{DefinitionEditor, InputPurpose, RetrieveState, colour_for_new_code};
use super::keymap::{Context, Key, Keymap};
use super::layout::Areas;
use super::line_input::LineInput;
use super::memo_editor::MemoEditor;
use super::picker::{Item, Pick, Picker, PickerKind};
use super::text_view::{SegmentIndex, Shown, TextView, motion};
use super::theme::Theme;
use crate::analysis::codebook::NodeCounts;
use crate::model::{
    Code, CodeId, Coder, CoderId, Edit, Level, Position, Segment, SegmentId, Transcript,
    TranscriptId,
};
use crate::workspace::Workspace;
use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position as Cell, Rect};
use std::collections::{HashMap, HashSet};

/// Longest name given to an in-vivo code, in chars.
const IN_VIVO_MAX_CHARS: usize = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Text,
    Codebook,
}

impl Focus {
    pub fn context(self) -> Context {
        match self {
            Focus::List => Context::List,
            Focus::Text => Context::Text,
            Focus::Codebook => Context::Codebook,
        }
    }
}

/// A line of the codebook pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeRow {
    pub id: CodeId,
    pub depth: usize,
    pub has_children: bool,
    pub folded: bool,
}

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

pub enum Overlay {
    None,
    Help {
        scroll: usize,
    },
    Picker(Picker),
    Search(LineInput),
    /// Every hit of a search across the transcripts, to choose one to go to.
    SearchList(Box<super::search_list::SearchList>),
    Input {
        purpose: InputPurpose,
        text: LineInput,
    },
    Confirm {
        message: String,
        edit: Box<Edit>,
    },
    /// Asks before showing a blind coder the others' work on a transcript.
    ConfirmReveal {
        message: String,
        transcript: TranscriptId,
    },
    Editor(Box<DefinitionEditor>),
    Memo(Box<MemoEditor>),
    /// A review comment being written: several lines, posted with Esc.
    Comment {
        memo: crate::model::MemoId,
        text: Box<ratatui_textarea::TextArea<'static>>,
    },
}

pub struct App {
    pub ws: Workspace,
    pub coder: CoderId,
    pub keymap: Keymap,
    pub theme: Theme,
    pub focus: Focus,
    /// Transcripts in interview order.
    pub order: Vec<TranscriptId>,
    pub current: Option<usize>,
    pub list_selected: usize,
    pub view: Option<TextView>,
    pub tree: Vec<TreeRow>,
    pub tree_selected: usize,
    pub folded: HashSet<CodeId>,
    pub counts: HashMap<CodeId, NodeCounts>,
    /// Per-transcript parts of `counts`, so that coding recounts one transcript.
    count_cache: crate::analysis::codebook::CountCache,
    /// This coder's pinned quick codes and resume point on this clone (`.thematic/ui/`).
    pub ui: crate::store::ui_state::UiState,
    /// The state file could not be read: it is left as it is, never written over.
    pub(super) ui_blocked: bool,
    pub show_all_coders: bool,
    /// Blind transcripts this coder chose to reveal to themselves (this session).
    pub revealed: std::collections::BTreeSet<TranscriptId>,
    /// The project as this coder may see it, when blind double coding hides some of it
    /// (see [`crate::model::visibility`]); None when nothing is hidden. Every view reads
    /// [`App::project`]; edits are built from the whole project in `ws`.
    pub(super) seen: Option<Box<crate::model::Project>>,
    /// The transcripts `seen` hides other coders' work on.
    blind_set: std::collections::BTreeSet<TranscriptId>,
    pub mouse: bool,
    pub overlay: Overlay,
    pub status: String,
    /// What failed to load when the project was opened, listed at the top of the help.
    pub load_problems: Vec<String>,
    pub size: Rect,
    pub should_quit: bool,
    /// A quit was refused because of unsaved changes; the next one goes through.
    quit_armed: bool,
    pub last_search: String,
    pub view_mode: View,
    pub back_to: Option<View>,
    pub retrieve: Option<RetrieveState>,
    pub memos: Option<super::memos_view::MemosState>,
    pub agreement: Option<super::agreement_view::AgreementState>,
    pub analysis: Option<super::analysis_view::AnalysisState>,
    /// Segments that have a memo on them, marked in the text's stripes.
    pub memo_segments: HashSet<SegmentId>,
    /// Codes with a memo, for the pen in the codebook pane (looked up per row per frame).
    pub memo_codes: HashSet<CodeId>,
    /// The newest comment this person has read on each memo (machine-local, not shared).
    read_marks: crate::store::read_marks::ReadMarks,
    /// This person's memos with comments they have not read, and how many.
    pub unread: std::collections::BTreeMap<crate::model::MemoId, usize>,
    drag_from: Option<usize>,
    /// The last left click in the text (when, where, how many in a row), for double- and
    /// triple-click selection.
    last_click: Option<(std::time::Instant, Cell, u8)>,
    /// The selection was made by a double or triple click: the button's release keeps it.
    click_selected: bool,
    /// Whether keyboard selections snap to whole words (the user's `snap_to_words`).
    pub snap_to_words: bool,
    /// The segment this coder coded last and where: `E` there writes a memo on it.
    last_coded: Option<(TranscriptId, SegmentId)>,
    /// The Suggestions panel, when open (see [`super::suggestions`]).
    pub suggestions: Option<Box<super::suggestions::SuggestionsPanel>>,
    /// The user's pane sizes and what they folded or unfolded (see [`super::layout`]).
    pub panes: super::layout::Panes,
    /// Whether pane sizes are written to the user's config when changed (not in tests).
    pub remember_panes: bool,
    /// The coding margin's lanes for the open transcript at its wrap width.
    pub margin_lanes: super::views::margin::Lanes,
    /// A pane border being dragged with the mouse.
    pub(super) border_drag: Option<super::layout::Border>,
}

/// Longest pause between the clicks of a double or triple click.
const MULTI_CLICK: std::time::Duration = std::time::Duration::from_millis(400);

impl App {
    pub fn new(ws: Workspace, coder: CoderId, keymap: Keymap, theme: Theme, size: Rect) -> App {
        let order: Vec<TranscriptId> = ws
            .project()
            .transcripts_in_order()
            .iter()
            .map(|t| t.id.clone())
            .collect();
        let mut app = App {
            ws,
            coder,
            keymap,
            theme,
            focus: Focus::Text,
            order,
            current: None,
            list_selected: 0,
            view: None,
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
            last_search: String::new(),
            view_mode: View::Code,
            back_to: None,
            retrieve: None,
            memos: None,
            agreement: None,
            analysis: None,
            memo_segments: HashSet::new(),
            memo_codes: HashSet::new(),
            read_marks: Default::default(),
            unread: Default::default(),
            drag_from: None,
            last_click: None,
            click_selected: false,
            snap_to_words: true,
            last_coded: None,
            suggestions: None,
            panes: Default::default(),
            remember_panes: false,
            margin_lanes: Default::default(),
            border_drag: None,
        };
        app.read_marks =
            crate::store::read_marks::load_read_marks(app.ws.store().root(), &app.coder);
        let ui_problem = app.load_ui_state();
        app.refresh();
        if app.order.is_empty() {
            app.status =
                "No transcripts yet: import some with `thematic import DIR FILE...`".into();
            app.focus = Focus::Codebook;
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
            View::Code => self.focus.context(),
            View::Codebook => Context::CodebookView,
            View::Retrieve => Context::Retrieve,
            View::Memos => Context::Memos,
            View::Agreement => Context::Agreement,
            View::Analysis => Context::Analysis,
        }
    }

    pub fn areas(&self) -> Areas {
        Areas::with(self.size, &self.panes)
    }

    pub fn transcript(&self) -> Option<&Transcript> {
        let id = self.order.get(self.current?)?;
        self.project().transcript(id)
    }

    pub(super) fn transcript_id(&self) -> Option<TranscriptId> {
        self.order.get(self.current?).cloned()
    }

    /// Whether this session is a reviewer's (memos only, no coding).
    pub fn reviewing(&self) -> bool {
        self.ws.project().meta.is_only_reviewer(&self.coder)
    }

    /// What a selection is for, in the status line: coding it, or for a reviewer (who may
    /// not code) writing a memo on it.
    fn after_selecting(&self) -> String {
        if self.reviewing() {
            let memo = self.keymap.keys_for(Context::Global, Action::MemoHere);
            return format!("reviewers do not code; {memo} writes a memo here");
        }
        let code = self.keymap.keys_for(Context::Text, Action::Assign);
        format!("{code} to code it")
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
        if let (Some(view), Some(t)) = (self.view.as_mut(), project.transcript(&id)) {
            view.rewrap(t, areas.text_width());
            view.follow_cursor(areas.text_height());
            if !self.margin_lanes.fits(view) {
                self.margin_lanes = super::views::margin::Lanes::new(view, &self.coder);
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

    fn handle_key_here(&mut self, key: KeyEvent) {
        match &mut self.overlay {
            Overlay::Picker(_) => return self.picker_key(key),
            Overlay::SearchList(_) => return self.search_list_key(key),
            Overlay::Search(_) => return self.search_key(key),
            Overlay::Help { scroll } => {
                match key.code {
                    KeyCode::Down | KeyCode::Char('j') => *scroll += 1,
                    KeyCode::Up | KeyCode::Char('k') => *scroll = scroll.saturating_sub(1),
                    KeyCode::PageDown | KeyCode::Char(' ') => *scroll += 10,
                    KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
                    _ => self.overlay = Overlay::None,
                }
                return;
            }
            Overlay::Input { text, .. } => {
                match key.code {
                    KeyCode::Esc => self.overlay = Overlay::None,
                    KeyCode::Enter => {
                        if let Overlay::Input { purpose, text } =
                            std::mem::replace(&mut self.overlay, Overlay::None)
                        {
                            self.input_done(purpose, text.text().to_string());
                        }
                    }
                    _ => {
                        text.key(key);
                    }
                }
                return;
            }
            Overlay::Confirm { .. } => {
                let yes = matches!(key.code, KeyCode::Char('y' | 'Y') | KeyCode::Enter);
                self.confirm_key(yes);
                return;
            }
            Overlay::ConfirmReveal { transcript, .. } => {
                let t = transcript.clone();
                self.overlay = Overlay::None;
                if matches!(key.code, KeyCode::Char('y' | 'Y')) {
                    self.reveal(t);
                } else {
                    self.status = format!("{t} stays blind: nothing revealed");
                }
                return;
            }
            Overlay::Editor(editor) => {
                match key.code {
                    KeyCode::Esc => {
                        if let Overlay::Editor(editor) =
                            std::mem::replace(&mut self.overlay, Overlay::None)
                        {
                            self.editor_done(*editor);
                        }
                    }
                    KeyCode::Tab => editor.focus_on(editor.focus + 1),
                    KeyCode::BackTab => editor.focus_on(editor.focus + 3),
                    _ => {
                        let focus = editor.focus;
                        editor.fields[focus].input(key);
                    }
                }
                return;
            }
            Overlay::Memo(editor) if editor.searching.is_some() => {
                match key.code {
                    KeyCode::Esc => editor.searching = None,
                    KeyCode::Enter => {
                        if !editor.find_next() {
                            self.status = "Not found in this memo".into()
                        }
                    }
                    _ => {
                        if let Some(q) = editor.searching.as_mut() {
                            q.key(key);
                        }
                    }
                }
                return;
            }
            Overlay::Comment { text, .. } => {
                if key.code == KeyCode::Esc {
                    if let Overlay::Comment { memo, text } =
                        std::mem::replace(&mut self.overlay, Overlay::None)
                    {
                        self.add_comment(memo, text.lines().join("\n").trim_end().to_string());
                    }
                } else {
                    text.input(key);
                }
                return;
            }
            Overlay::Memo(editor) => {
                match key.code {
                    KeyCode::Char('f') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                        editor.searching = Some(LineInput::default())
                    }
                    KeyCode::Esc => self.close_memo(),
                    KeyCode::Tab | KeyCode::BackTab => editor.focus_on(editor.focus + 1),
                    _ => editor.key(key),
                }
                return;
            }
            Overlay::None => {}
        }
        if let Some(action) = self.keymap.action(self.context(), Key::from_event(&key)) {
            self.update(action);
        }
    }

    fn handle_paste(&mut self, text: &str) {
        match &mut self.overlay {
            Overlay::Picker(p) => p.paste(text),
            Overlay::Search(q) | Overlay::Input { text: q, .. } => {
                q.paste(text);
            }
            Overlay::Memo(editor) if editor.searching.is_some() => {
                if let Some(q) = editor.searching.as_mut() {
                    q.paste(text);
                }
            }
            Overlay::Editor(editor) => {
                let focus = editor.focus;
                editor.fields[focus].insert_str(text);
            }
            Overlay::Memo(editor) => editor.paste(text),
            Overlay::Comment { text: area, .. } => {
                area.insert_str(text);
            }
            _ => {}
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
            Action::CodebookNarrower => self.widen_codebook(-super::panes::CODEBOOK_STEP),
            Action::CodebookWider => self.widen_codebook(super::panes::CODEBOOK_STEP),
            Action::PinCode => self.pin_code(),
            Action::SearchList => self.open_search_list(),
            _ if self.suggestions_context().is_some() => self.suggestions_action(action),
            _ => match (self.view_mode, self.focus) {
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
        let at = order.iter().position(|f| *f == self.focus).unwrap_or(1) as isize;
        self.focus = order[(at + delta).rem_euclid(3) as usize];
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
        let Some(index) = self.order.iter().position(|t| t == &place.transcript) else {
            return;
        };
        if self.view_mode != View::Code {
            self.enter_view(View::Code);
        }
        if self.current != Some(index) {
            self.open_transcript(index);
        }
        if let Some(offset) = place.offset {
            self.put_cursor(offset);
        }
        self.focus = Focus::Text;
    }

    /// Moves the cursor to `offset` (clamped to the text), with no selection, and scrolls to
    /// show it.
    pub(super) fn put_cursor(&mut self, offset: usize) {
        let height = self.areas().text_height();
        let Some(t) = current_transcript(&self.order, self.current, &self.ws) else {
            return;
        };
        let Some(view) = self.view.as_mut() else {
            return;
        };
        view.cursor = offset.min(last_grapheme(t));
        view.anchor = None;
        view.adjusting = None;
        view.goal_column = None;
        view.follow_cursor(height);
    }

    fn toggle_done(&mut self) {
        let t = match self.focus {
            Focus::List => self.order.get(self.list_selected).cloned(),
            _ => self.transcript_id(),
        };
        let Some(t) = t else { return };
        let done = !self.project().is_done(&self.coder, &t);
        let message = if done {
            format!("{t} marked done")
        } else {
            format!("{t} no longer marked done")
        };
        let edit = Edit::SetDone {
            coder: self.coder.clone(),
            transcript: t.clone(),
            done,
        };
        let applied = self.apply(edit, &message);
        let primary = self
            .ws
            .project()
            .meta
            .sample()
            .filter(|s| s.transcripts.contains(&t) && s.primary != self.coder)
            .map(|s| s.primary.clone());
        if applied
            && done
            && !self.blind(&t)
            && let Some(primary) = primary
        {
            self.status =
                format!("{t} marked done; {primary} has too, so their coding is no longer hidden");
        }
    }

    fn reveal_blind(&mut self) {
        let Some(t) = self.transcript_id() else {
            return;
        };
        if self.revealed.remove(&t) {
            self.status = format!("{t}: other coders hidden again");
        } else if self.blind(&t) {
            let full = self.ws.project();
            let others: Vec<String> = full
                .meta
                .rounds
                .iter()
                .filter(|r| r.transcripts.contains(&t) && r.is_second(&self.coder))
                .flat_map(|r| r.coders())
                .filter(|c| **c != self.coder)
                .map(ToString::to_string)
                .collect();
            let others = if others.is_empty() {
                "the other coders".to_string()
            } else {
                others.join(" and ")
            };
            self.overlay = Overlay::ConfirmReveal {
                message: format!(
                    "Reveal {others}'s coding of {t}? Not every coder of its round has marked it done, so your coding of it would no longer be independent. The reveal is recorded in your audit trail and the report. y reveals, any other key keeps it blind"
                ),
                transcript: t,
            };
            return;
        } else {
            self.status = format!("{t} is not coded blind");
        }
        self.refresh();
    }

    /// Shows the others' work on blind transcript `t` to this coder, and records that.
    fn reveal(&mut self, t: TranscriptId) {
        self.ws
            .note(&crate::model::audit::reveal_decision(&t), Vec::new());
        self.revealed.insert(t.clone());
        self.show_all_coders = true;
        self.status = format!(
            "{t}: other coders' work revealed (you were coding blind; recorded in the audit trail)"
        );
        self.refresh();
    }

    // ----- transcripts -----

    pub fn open_transcript(&mut self, index: usize) {
        let Some(id) = self.order.get(index).cloned() else {
            return;
        };
        let width = self.areas().text_width();
        let Some(t) = self.project().transcript(&id) else {
            return;
        };
        let mut view = TextView::new(t, width);
        view.hits = search_hits(t.text(), &self.last_search);
        self.view = Some(view);
        // Switching is where the coder is now: kept for the next session (the first opening,
        // which resumes, has nothing new to keep).
        let switched = self.current.is_some_and(|c| c != index);
        self.current = Some(index);
        if switched {
            self.save_place();
        }
        self.list_selected = index;
        self.refresh_segments();
        let t = self
            .transcript()
            .map(|t| format!("{} · {}", t.id, t.meta.participant))
            .unwrap_or_default();
        self.status = format!("Opened {t}");
        if self.transcript_id().is_some_and(|t| self.blind(&t)) {
            self.status.push_str(
                " (double-coding sample: other coders are hidden while you code it blind)",
            );
        }
        // One transcript's hash is cheap to check here; the whole project's is `check`'s job.
        if self
            .transcript()
            .is_some_and(|t| crate::model::transcript::sha256_hex(t.text()) != t.meta.sha256)
        {
            self.status = format!(
                "{t}: its text was changed outside thematic, so segments may be misplaced; quit and run `thematic check --fix {}`",
                self.ws.store().root().display()
            );
        }
    }

    fn list_action(&mut self, action: Action) {
        let len = self.order.len();
        if len == 0 {
            return;
        }
        let page = self.areas().list.height.saturating_sub(2).max(1) as usize;
        self.list_selected = match action {
            Action::Up => self.list_selected.saturating_sub(1),
            Action::Down => (self.list_selected + 1).min(len - 1),
            Action::PageUp => self.list_selected.saturating_sub(page),
            Action::PageDown => (self.list_selected + page).min(len - 1),
            Action::Start => 0,
            Action::End => len - 1,
            Action::Open => {
                self.open_transcript(self.list_selected);
                self.focus = Focus::Text;
                return;
            }
            _ => return,
        };
    }

    fn open_transcript_picker(&mut self) {
        let items = self
            .order
            .iter()
            .enumerate()
            .filter_map(|(i, id)| {
                let t = self.project().transcript(id)?;
                let label = format!("{id} · {} · {}", t.meta.participant, t.meta.title);
                let attrs: Vec<&str> = t.meta.attributes.values().map(String::as_str).collect();
                Some(Item {
                    haystack: format!("{label} {}", attrs.join(" ")),
                    label,
                    pick: Pick::Transcript(i),
                    colour: None,
                })
            })
            .collect();
        self.overlay = Overlay::Picker(Picker::new(PickerKind::GotoTranscript, items));
    }

    // ----- the codebook pane -----

    pub fn rebuild_tree(&mut self) {
        let book = &self.project().codebook;
        let mut rows = Vec::new();
        let mut hidden_below: Option<usize> = None;
        for (depth, code) in book.walk() {
            if let Some(d) = hidden_below {
                if depth > d {
                    continue;
                }
                hidden_below = None;
            }
            let has_children = !book.children(Some(&code.id)).is_empty();
            let folded = has_children && self.folded.contains(&code.id);
            if folded {
                hidden_below = Some(depth);
            }
            rows.push(TreeRow {
                id: code.id.clone(),
                depth,
                has_children,
                folded,
            });
        }
        self.tree = rows;
        self.tree_selected = self.tree_selected.min(self.tree.len().saturating_sub(1));
    }

    /// Recounts segments per code over the coding currently shown (yours, or everyone's).
    pub fn recount(&mut self) {
        self.count_cache =
            crate::analysis::codebook::CountCache::build(self.project(), |coder, t| {
                self.shows(coder, t)
            });
        self.counts = self.count_cache.totals().clone();
    }

    pub(super) fn tree_action(&mut self, action: Action) {
        let len = self.tree.len();
        if len == 0 {
            return;
        }
        let page = self.areas().tree.height.saturating_sub(2).max(1) as usize;
        match action {
            Action::Up => self.tree_selected = self.tree_selected.saturating_sub(1),
            Action::Down => self.tree_selected = (self.tree_selected + 1).min(len - 1),
            Action::PageUp => self.tree_selected = self.tree_selected.saturating_sub(page),
            Action::PageDown => self.tree_selected = (self.tree_selected + page).min(len - 1),
            Action::Start => self.tree_selected = 0,
            Action::End => self.tree_selected = len - 1,
            Action::Fold => {
                let row = self.tree[self.tree_selected].clone();
                if row.has_children && !self.folded.remove(&row.id) {
                    self.folded.insert(row.id);
                }
                self.rebuild_tree();
            }
            Action::Assign => {
                let code = self.tree[self.tree_selected].id.clone();
                self.assign(code);
            }
            _ => {}
        }
    }

    // ----- the transcript pane -----

    /// Shift+motion keys: the motion, after starting a selection at the cursor if there is
    /// none (as in any editor).
    fn start_extending(&mut self, action: Action) -> Action {
        let motion = match action {
            Action::ExtendLeft => Action::Left,
            Action::ExtendRight => Action::Right,
            Action::ExtendUp => Action::Up,
            Action::ExtendDown => Action::Down,
            Action::ExtendWordNext => Action::WordNext,
            Action::ExtendWordPrev => Action::WordPrev,
            other => return other,
        };
        let snap = self.snap_to_words;
        if let Some(view) = self.view.as_mut()
            && view.anchor.is_none()
        {
            view.anchor = Some(view.cursor);
            view.adjusting = None;
            view.snap = snap;
            let next = self.after_selecting();
            self.status = format!("Selecting: move to extend, {next}");
        }
        motion
    }

    fn text_action(&mut self, action: Action) {
        let action = self.start_extending(action);
        let height = self.areas().text_height();
        // Borrow the transcript and the view as separate fields: cloning the transcript on
        // every keystroke would cost time proportional to its length.
        let Some(t) = current_transcript(&self.order, self.current, &self.ws) else {
            return;
        };
        let Some(view) = self.view.as_mut() else {
            return;
        };
        let cursor = view.cursor;
        let len = t.char_len();
        let mut keep_goal = false;
        // While selecting forwards, sentence keys move the selection's end by whole sentences.
        let growing = view.anchor.filter(|&a| a <= cursor);
        let target = match action {
            Action::SentenceNext if growing.is_some() => {
                Some(motion::sentence_end_next(t, &view.turns, cursor))
            }
            Action::SentencePrev if growing.is_some() => {
                let end = motion::sentence_end_prev(t, &view.turns, cursor);
                Some(if growing.is_some_and(|a| end >= a) {
                    end
                } else {
                    motion::sentence_prev(t, &view.turns, cursor)
                })
            }
            Action::WordEnd => Some(motion::word_end(t, cursor).min(last_grapheme(t))),
            Action::Left => Some(motion::prev_grapheme(t, cursor)),
            Action::Right => Some(motion::next_grapheme(t, cursor).min(last_grapheme(t))),
            Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
                let goal = view
                    .goal_column
                    .unwrap_or_else(|| view.cursor_column(t.text(), t));
                view.goal_column = Some(goal);
                keep_goal = true;
                let row = view.cursor_row() as isize;
                let step = match action {
                    Action::Up => -1,
                    Action::Down => 1,
                    Action::PageUp => -(height.max(2) as isize - 1),
                    _ => height.max(2) as isize - 1,
                };
                let last = view.wrapped.rows.len().saturating_sub(1) as isize;
                let new_row = (row + step).clamp(0, last) as usize;
                if matches!(action, Action::PageUp | Action::PageDown) {
                    view.scroll = (view.scroll as isize + step).clamp(0, last) as usize;
                }
                Some(view.offset_at(t, new_row, goal))
            }
            Action::WordNext => Some(motion::word_next(t, cursor)),
            Action::WordPrev => Some(motion::word_prev(t, cursor)),
            Action::SentenceNext => Some(motion::sentence_next(t, &view.turns, cursor)),
            Action::SentencePrev => Some(motion::sentence_prev(t, &view.turns, cursor)),
            Action::ParagraphNext => Some(motion::paragraph_next(t, cursor)),
            Action::ParagraphPrev => Some(motion::paragraph_prev(t, cursor)),
            Action::TurnNext => Some(motion::turn_next(&view.turns, cursor, len)),
            Action::TurnPrev => Some(motion::turn_prev(&view.turns, cursor)),
            Action::Start => Some(0),
            Action::End => Some(last_grapheme(t)),
            _ => None,
        };
        if let Some(target) = target {
            let view = self.view.as_mut().expect("checked above");
            view.at_a_start = match action {
                Action::SentenceNext | Action::SentencePrev => growing.is_none(),
                _ => matches!(
                    action,
                    Action::WordNext
                        | Action::WordPrev
                        | Action::ParagraphNext
                        | Action::ParagraphPrev
                        | Action::TurnNext
                        | Action::TurnPrev
                ),
            };
            view.cursor = target.min(len);
            if !keep_goal {
                view.goal_column = None;
            }
            view.follow_cursor(height);
            return;
        }
        let sentence = (action == Action::SelectSentence)
            .then(|| motion::sentence(t, &self.view.as_ref().expect("view").turns, cursor));
        match action {
            Action::Visual => self.toggle_visual(),
            Action::SelectSentence => {
                if let Some(range) = sentence {
                    self.select(range, "sentence");
                }
            }
            Action::SelectTurn => {
                match motion::turn_at(&self.view.as_ref().expect("view").turns, cursor) {
                    Some(turn) => {
                        let (start, end) = (turn.speech_start, turn.end);
                        self.select((start, end), "turn");
                    }
                    None => self.status = "No speaker turn here".into(),
                }
            }
            Action::SwapAnchor => {
                if let Some(view) = self.view.as_mut()
                    && let Some(anchor) = view.anchor
                {
                    // A selection that stops before the word at the cursor keeps stopping
                    // there once the cursor is at the other end.
                    let stops_before = view.snap && view.at_a_start && view.cursor > anchor;
                    view.anchor = Some(if stops_before {
                        motion::prev_grapheme(t, view.cursor).max(anchor)
                    } else {
                        view.cursor
                    });
                    view.at_a_start = false;
                    view.cursor = anchor;
                    view.follow_cursor(height);
                }
            }
            Action::Cancel => {
                if let Some(view) = self.view.as_mut() {
                    view.anchor = None;
                    view.adjusting = None;
                }
                self.status = "Selection cancelled".into();
            }
            Action::Assign => {
                if self.view.as_ref().is_some_and(|v| v.adjusting.is_some()) {
                    self.finish_adjust();
                } else {
                    self.open_code_picker();
                }
            }
            Action::QuickCode(n) => match self.ui.quick(usize::from(n)).cloned() {
                Some(code) => self.assign(code),
                None => {
                    let pin = self.keymap.keys_for(Context::Text, Action::PinCode);
                    self.status = format!(
                        "No code on key {n}: {pin} on a code (at the cursor, or in the codebook) pins it to a free key"
                    )
                }
            },
            Action::InVivo => self.in_vivo(),
            Action::RemoveCode => self.remove_code(),
            Action::AdjustSegment => self.start_adjust(),
            Action::Search => self.overlay = Overlay::Search(LineInput::default()),
            Action::SearchNext => self.jump_to_hit(true),
            Action::SearchPrev => self.jump_to_hit(false),
            Action::SegmentNext => self.step_segment(true),
            Action::SegmentPrev => self.step_segment(false),
            _ => {}
        }
    }

    fn toggle_visual(&mut self) {
        let Some(view) = self.view.as_mut() else {
            return;
        };
        if view.anchor.take().is_some() {
            view.adjusting = None;
            self.status = "Selection cancelled".into();
        } else {
            view.anchor = Some(view.cursor);
            view.snap = self.snap_to_words;
            let next = self.after_selecting();
            self.status = format!("Selecting: move to extend, {next}");
        }
    }

    fn select(&mut self, (start, end): (usize, usize), what: &str) {
        let height = self.areas().text_height();
        let Some(t) = current_transcript(&self.order, self.current, &self.ws) else {
            return;
        };
        let Some(view) = self.view.as_mut() else {
            return;
        };
        if end <= start {
            self.status = format!("No {what} here");
            return;
        }
        // The selection includes the grapheme under the cursor, so end the cursor on the last one.
        view.anchor = Some(start);
        view.cursor = motion::prev_grapheme(t, end).max(start);
        view.adjusting = None;
        view.snap = self.snap_to_words;
        view.at_a_start = false;
        view.follow_cursor(height);
        self.status = format!("Selected this {what}: {}", self.after_selecting());
    }

    /// The selected range: from anchor to cursor, including the grapheme under whichever is
    /// later (whole words when the selection snaps: see [`TextView::selected`]), with
    /// surrounding whitespace left out.
    pub fn selected_range(&self) -> Option<(usize, usize)> {
        let t = self.transcript()?;
        let view = self.view.as_ref()?;
        let (a, end) = view.selected(t)?;
        trim_range(t, a, end)
    }

    /// This coder's innermost segment containing the cursor.
    pub fn my_segment_at_cursor(&self) -> Option<Segment> {
        let (t, view) = (self.transcript()?, self.view.as_ref()?);
        self.ws
            .project()
            .segments(&self.coder, &t.id)
            .iter()
            .filter(|s| s.start <= view.cursor && view.cursor < s.end)
            .min_by_key(|s| s.len())
            .cloned()
    }

    /// Segments shown at the cursor, innermost first.
    pub fn shown_at_cursor(&self) -> Vec<&Shown> {
        let Some(view) = self.view.as_ref() else {
            return Vec::new();
        };
        let mut here: Vec<&Shown> = view
            .segments
            .overlapping(view.cursor, view.cursor)
            .collect();
        here.sort_by_key(|s| s.end - s.start);
        here
    }

    // ----- coding -----

    fn open_code_picker(&mut self) {
        if self.selected_range().is_none() && self.my_segment_at_cursor().is_none() {
            self.status = self.nothing_to_code();
            return;
        }
        let items = self.code_picker_items();
        let book = &self.project().codebook;
        // Where a new code would go, named by its full path so the picker can show it whole.
        let mut parents = vec![(None, "the top level".to_string())];
        parents.extend(
            book.walk()
                .into_iter()
                .filter(|(_, c)| c.level != Level::Code)
                .map(|(_, c)| (Some(c.id.clone()), shown_path(book, &c.id))),
        );
        // Default parent: the top level, unless the codebook pane has focus, where the theme or
        // sub-theme selected there (or the parent of the selected code) is meant.
        let selected = (self.focus == Focus::Codebook)
            .then(|| self.tree.get(self.tree_selected).map(|r| r.id.clone()))
            .flatten();
        let chosen = selected
            .and_then(|id| {
                let level = book.get(&id)?.level;
                let parent = if level == Level::Code {
                    book.parent(&id).cloned()
                } else {
                    Some(id)
                };
                parents
                    .iter()
                    .position(|(p, _)| p.as_ref() == parent.as_ref())
            })
            .unwrap_or(0);
        self.overlay =
            Overlay::Picker(Picker::new(PickerKind::Assign, items).with_parents(parents, chosen));
    }

    /// Every code, for a picker that codes with one.
    pub(super) fn code_picker_items(&self) -> Vec<Item> {
        let book = &self.project().codebook;
        book.walk()
            .into_iter()
            .map(|(_, code)| {
                // The name first, then where it sits: matches in the name rank above matches
                // that only the path supplies.
                let within = book
                    .parent(&code.id)
                    .map(|p| book.path(p))
                    .unwrap_or_default();
                Item {
                    label: code.name.clone(),
                    haystack: format!("{} · {within}", code.name),
                    pick: Pick::Code(code.id.clone()),
                    colour: code.colour,
                }
            })
            .collect()
    }

    fn nothing_to_code(&self) -> String {
        let keys = [Action::Visual, Action::SelectSentence, Action::SelectTurn]
            .map(|a| self.keymap.keys_for(Context::Text, a));
        format!(
            "Nothing selected: select with {} (from the cursor), {} (sentence) or {} (turn)",
            keys[0], keys[1], keys[2]
        )
    }

    fn picker_key(&mut self, key: KeyEvent) {
        let Overlay::Picker(picker) = &mut self.overlay else {
            return;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => self.overlay = Overlay::None,
            KeyCode::Enter => {
                let pick = picker.current();
                let query = picker.query().trim().to_string();
                let parent = picker
                    .chosen_parent()
                    .map(|(p, _)| p.clone())
                    .unwrap_or(None);
                let kind = picker.kind.clone();
                self.overlay = Overlay::None;
                if let Some(p) = &pick
                    && self.codebook_pick(&kind, p)
                {
                    return;
                }
                if let PickerKind::CodeHits { hits, unlisted } = kind {
                    match pick {
                        Some(Pick::Code(code)) => self.code_hits(&hits, unlisted, &code),
                        Some(Pick::Create) => self.create_and_code_hits(&query, parent, &hits),
                        _ => self.status = "Nothing matches".into(),
                    }
                    return;
                }
                match pick {
                    Some(Pick::Code(code)) => self.assign(code),
                    Some(Pick::Create) => self.create_and_assign(&query, parent, Level::Code),
                    Some(Pick::Transcript(i)) => {
                        self.open_transcript(i);
                        self.focus = Focus::Text;
                    }
                    Some(Pick::Uncode {
                        coder,
                        segment,
                        code,
                    }) => self.uncode(&coder, &segment, &code),
                    Some(Pick::Parent(_) | Pick::Attribute(_)) => {}
                    None => self.status = "Nothing matches".into(),
                }
            }
            KeyCode::Up => picker.move_selection(-1),
            KeyCode::Down => picker.move_selection(1),
            KeyCode::Char('p') if ctrl => picker.move_selection(-1),
            KeyCode::Char('n') if ctrl => picker.move_selection(1),
            KeyCode::Tab => picker.cycle_parent(1),
            KeyCode::BackTab => picker.cycle_parent(-1),
            _ => picker.key(key),
        }
    }

    /// The edit that codes the selection (or, with none, your segment under the cursor) with
    /// `code`, or the reason there is nothing to do.
    fn coding_edit(&mut self, code: &CodeId) -> Result<Edit, String> {
        let t = self.transcript_id().ok_or("No transcript is open")?;
        let target = match self.selected_range() {
            Some((start, end)) => {
                let same_range = self
                    .ws
                    .project()
                    .segments(&self.coder, &t)
                    .iter()
                    .find(|s| s.start == start && s.end == end)
                    .cloned();
                match same_range {
                    Some(segment) => segment,
                    None => {
                        let segment = self
                            .new_segment(start, end, vec![code.clone()])
                            .ok_or("The selection is outside the transcript")?;
                        return Ok(Edit::AddSegment {
                            coder: self.coder.clone(),
                            transcript: t,
                            segment,
                        });
                    }
                }
            }
            None => self
                .my_segment_at_cursor()
                .ok_or_else(|| self.nothing_to_code())?,
        };
        if target.codes.contains(code) {
            return Err(format!("Already coded {}", self.code_name(code)));
        }
        Ok(add_code_edit(&self.coder, &t, target, code.clone()))
    }

    /// Codes the selection (or, with no selection, the segment under the cursor) with `code`.
    pub fn assign(&mut self, code: CodeId) {
        let name = self.code_name(&code);
        match self.coding_edit(&code) {
            Ok(edit) => {
                let coded = coded_segment(&edit);
                if self.apply(edit, &format!("Coded {name}")) {
                    self.clear_selection();
                    self.after_coding(coded);
                }
            }
            Err(reason) => self.status = reason,
        }
    }

    fn new_segment(&mut self, start: usize, end: usize, codes: Vec<CodeId>) -> Option<Segment> {
        let text = self.transcript()?.slice(start, end)?.to_string();
        Some(Segment {
            id: SegmentId::random(),
            start,
            end,
            codes,
            text,
            created: jiff::Timestamp::now(),
            updated: None,
        })
    }

    fn create_and_assign(&mut self, name: &str, parent: Option<CodeId>, level: Level) {
        let mut code = Code::new(name, level);
        code.colour = Some(colour_for_new_code(
            &self.project().codebook,
            parent.as_ref(),
        ));
        let index = self.project().codebook.children(parent.as_ref()).len();
        let add = Edit::AddCode {
            code: code.clone(),
            at: Position {
                parent: parent.clone(),
                index,
            },
        };
        let coding = match self.coding_edit(&code.id) {
            Ok(edit) => edit,
            Err(reason) => {
                self.status = reason;
                return;
            }
        };
        let place = parent
            .map(|p| self.project().codebook.path(&p))
            .unwrap_or_else(|| "the top level".into());
        let label = format!("create and code {name:?}");
        let coded = coded_segment(&coding);
        if self.apply(
            Edit::Batch {
                label,
                edits: vec![add, coding],
            },
            &format!("Created {name:?} under {place} and coded with it"),
        ) {
            self.clear_selection();
            self.after_coding(coded);
        }
    }

    fn in_vivo(&mut self) {
        let Some((start, end)) = self.selected_range() else {
            self.status = self.nothing_to_code();
            return;
        };
        let Some(words) = self.transcript().and_then(|t| t.slice(start, end)) else {
            return;
        };
        let Some(name) = in_vivo_name(words) else {
            self.status = "The selection has no words to name a code".into();
            return;
        };
        let existing = self
            .ws
            .project()
            .codebook
            .children(None)
            .iter()
            .find(|id| self.code_name(id).eq_ignore_ascii_case(&name))
            .cloned();
        match existing {
            Some(code) => self.assign(code),
            None => self.create_and_assign(&name, None, Level::Code),
        }
    }

    fn remove_code(&mut self) {
        let Some(t) = self.transcript_id() else {
            return;
        };
        let Some(view) = self.view.as_ref() else {
            return;
        };
        let cursor = view.cursor;
        let mine: Vec<Segment> = self
            .ws
            .project()
            .segments(&self.coder, &t)
            .iter()
            .filter(|s| s.start <= cursor && cursor < s.end)
            .cloned()
            .collect();
        let pairs: Vec<(Segment, CodeId)> = mine
            .iter()
            .flat_map(|s| s.codes.iter().map(move |c| (s.clone(), c.clone())))
            .collect();
        match pairs.as_slice() {
            [] => self.status = "None of your segments is here".into(),
            [(segment, code)] => {
                let (segment, code) = (segment.id.clone(), code.clone());
                self.uncode(&self.coder.clone(), &segment, &code);
            }
            _ => {
                let items = pairs
                    .iter()
                    .map(|(s, c)| {
                        let name = self.code_name(c);
                        let quote: String = s.text.chars().take(40).collect();
                        let label = format!("{name} — “{}”", quote.replace('\n', " "));
                        let colour = self.project().codebook.get(c).and_then(|c| c.colour);
                        Item {
                            haystack: label.clone(),
                            label,
                            pick: Pick::Uncode {
                                coder: self.coder.clone(),
                                segment: s.id.clone(),
                                code: c.clone(),
                            },
                            colour,
                        }
                    })
                    .collect();
                self.overlay = Overlay::Picker(Picker::new(PickerKind::RemoveCode, items));
            }
        }
    }

    fn uncode(&mut self, coder: &CoderId, segment: &SegmentId, code: &CodeId) {
        let Some(t) = self.transcript_id() else {
            return;
        };
        let Some(seg) = self
            .ws
            .project()
            .segments(coder, &t)
            .iter()
            .find(|s| &s.id == segment)
            .cloned()
        else {
            return;
        };
        let name = self.code_name(code);
        let edit = if seg.codes.len() == 1 {
            Edit::RemoveSegment {
                coder: coder.clone(),
                transcript: t,
                segment: seg,
            }
        } else {
            let mut after = seg.clone();
            after.codes.retain(|c| c != code);
            after.updated = Some(jiff::Timestamp::now());
            Edit::UpdateSegment {
                coder: coder.clone(),
                transcript: t,
                before: seg,
                after,
            }
        };
        self.apply(edit, &format!("Removed {name} from the segment"));
    }

    fn start_adjust(&mut self) {
        let Some(seg) = self.my_segment_at_cursor() else {
            self.status = "None of your segments is here to adjust".into();
            return;
        };
        let height = self.areas().text_height();
        let Some(t) = current_transcript(&self.order, self.current, &self.ws) else {
            return;
        };
        let Some(view) = self.view.as_mut() else {
            return;
        };
        view.anchor = Some(seg.start);
        view.cursor = motion::prev_grapheme(t, seg.end).max(seg.start);
        view.adjusting = Some(seg.id.clone());
        view.snap = false;
        view.follow_cursor(height);
        let keys = [Action::SwapAnchor, Action::Assign, Action::Cancel]
            .map(|a| self.keymap.keys_for(Context::Text, a));
        self.status = format!(
            "Adjusting: move to change the end, {} for the other end, {} to apply, {} to cancel",
            keys[0], keys[1], keys[2]
        );
    }

    fn finish_adjust(&mut self) {
        let Some(t) = self.transcript_id() else {
            return;
        };
        let Some(id) = self.view.as_ref().and_then(|v| v.adjusting.clone()) else {
            return;
        };
        let Some(before) = self
            .ws
            .project()
            .segments(&self.coder, &t)
            .iter()
            .find(|s| s.id == id)
            .cloned()
        else {
            return;
        };
        let Some((start, end)) = self.selected_range() else {
            return;
        };
        let Some(text) = self
            .transcript()
            .and_then(|tr| tr.slice(start, end))
            .map(str::to_string)
        else {
            return;
        };
        let mut after = before.clone();
        (after.start, after.end, after.text, after.updated) =
            (start, end, text, Some(jiff::Timestamp::now()));
        if after.start == before.start && after.end == before.end {
            self.clear_selection();
            self.status = "The segment is unchanged".into();
            return;
        }
        if self.apply(
            Edit::UpdateSegment {
                coder: self.coder.clone(),
                transcript: t,
                before,
                after,
            },
            "Segment adjusted",
        ) {
            self.clear_selection();
        }
    }

    /// After coding: the segment is remembered (so `E` writes a memo on it), and the cursor,
    /// which a turn or sentence selection leaves past the segment's end (on the blank line
    /// after a turn, say), is put back on its last character.
    fn after_coding(&mut self, coded: Option<(usize, usize, SegmentId)>) {
        let (Some((start, end, id)), Some(t)) = (coded, self.transcript_id()) else {
            return;
        };
        self.last_coded = Some((t, id));
        let height = self.areas().text_height();
        let Some(tr) = current_transcript(&self.order, self.current, &self.ws) else {
            return;
        };
        if let Some(view) = self.view.as_mut()
            && !(start..end).contains(&view.cursor)
        {
            view.cursor = motion::prev_grapheme(tr, end).max(start);
            view.goal_column = None;
            view.follow_cursor(height);
        }
    }

    /// The segment this coder coded last, if it is in the open transcript under the cursor.
    pub fn last_coded_here(&self) -> Option<&Shown> {
        let (t, id) = self.last_coded.as_ref()?;
        if self.transcript_id().as_ref() != Some(t) {
            return None;
        }
        self.shown_at_cursor()
            .into_iter()
            .find(|s| &s.id == id && s.coder == self.coder)
    }

    fn clear_selection(&mut self) {
        if let Some(view) = self.view.as_mut() {
            view.anchor = None;
            view.adjusting = None;
        }
    }

    pub fn code_name(&self, code: &CodeId) -> String {
        self.project().codebook.name_or_id(code)
    }

    /// Applies an edit and saves it; says what happened either way.
    pub(super) fn apply(&mut self, edit: Edit, done: &str) -> bool {
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
        self.memo_segments = links()
            .filter_map(|l| match l {
                crate::model::MemoLink::Segment(r) => Some(r.id.clone()),
                _ => None,
            })
            .collect();
        self.memo_codes = links()
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

    /// Marks the comments on the memo shown in the Memos view read, if it is this person's.
    pub(super) fn mark_selected_memo_read(&mut self) {
        let Some(id) = self.selected_memo() else {
            return;
        };
        if !self.unread.contains_key(&id) {
            return;
        }
        let Some(newest) = crate::analysis::memos::newest_comment(self.project(), &id) else {
            return;
        };
        self.read_marks.insert(id.clone(), newest);
        self.unread.remove(&id);
        if let Err(e) = crate::store::read_marks::save_read_marks(
            self.ws.store().root(),
            &self.coder,
            &self.read_marks,
        ) {
            self.status = format!("Could not remember that you read the comments: {e}");
        }
    }

    fn refresh_segments(&mut self) {
        let Some(t) = self.transcript_id() else {
            return;
        };
        let project = self.project();
        let groups: Vec<(&CoderId, &[Segment], bool)> = project
            .codings()
            .keys()
            .filter(|coder| self.shows(coder, &t))
            .map(|coder| (coder, project.segments(coder, &t), coder == &self.coder))
            .collect();
        let index = SegmentIndex::new(groups);
        if let Some(view) = self.view.as_mut() {
            view.segments = index;
            self.margin_lanes = super::views::margin::Lanes::new(view, &self.coder);
        }
    }

    // ----- search -----

    fn search_key(&mut self, key: KeyEvent) {
        let Overlay::Search(query) = &mut self.overlay else {
            return;
        };
        match key.code {
            KeyCode::Esc => self.overlay = Overlay::None,
            KeyCode::Enter => {
                let query = query.text().to_string();
                self.overlay = Overlay::None;
                self.run_search(query);
                if !self.last_search.is_empty() && self.status.contains("hit") {
                    let list = self.keymap.keys_for(Context::Text, Action::SearchList);
                    self.status.push_str(&format!(" · {list} lists them all"));
                }
            }
            _ => {
                query.key(key);
            }
        }
    }

    fn run_search(&mut self, query: String) {
        self.last_search = query;
        let hits = self
            .transcript()
            .map(|t| search_hits(t.text(), &self.last_search))
            .unwrap_or_default();
        let count = hits.len();
        if let Some(view) = self.view.as_mut() {
            view.hits = hits;
        }
        if self.last_search.is_empty() {
            self.status = "Search cleared".into();
        } else if count == 0 {
            // Not here: on to the next interview that has it, as `n` does at the last hit.
            if !self.hit_in_another_transcript(true) {
                self.status = format!("{:?} is in no transcript", self.last_search);
            }
        } else {
            self.jump_to_hit(true);
        }
    }

    /// Opens the next (or previous) transcript in interview order that has a hit for the
    /// last search, at its first (or last) hit. False if no other transcript has one.
    fn hit_in_another_transcript(&mut self, forward: bool) -> bool {
        let found = crate::analysis::search::search(self.project(), &self.last_search, usize::MAX);
        let with_hits: std::collections::BTreeSet<TranscriptId> =
            found.hits.iter().map(|h| h.transcript.clone()).collect();
        let current = self.current.unwrap_or(0);
        let n = self.order.len();
        let next = (1..n)
            .map(|step| {
                if forward {
                    (current + step) % n
                } else {
                    (current + n - step) % n
                }
            })
            .find(|&i| self.order.get(i).is_some_and(|id| with_hits.contains(id)));
        let Some(index) = next else {
            return false;
        };
        self.open_transcript(index);
        let height = self.areas().text_height();
        let Some(view) = self.view.as_mut() else {
            return false;
        };
        let hit = if forward {
            view.hits.first()
        } else {
            view.hits.last()
        };
        let Some(&(at, _)) = hit else {
            return false;
        };
        let (position, count) = (if forward { 1 } else { view.hits.len() }, view.hits.len());
        view.cursor = at;
        view.goal_column = None;
        view.follow_cursor(height);
        let name = self
            .transcript()
            .map(|t| format!("{} · {}", t.id, t.meta.participant))
            .unwrap_or_default();
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        self.status = format!(
            "{:?}: hit {position} of {count} in {name} ({} in {})",
            self.last_search,
            plural(found.total, "hit"),
            plural(found.transcripts, "transcript")
        );
        true
    }

    fn jump_to_hit(&mut self, forward: bool) {
        let height = self.areas().text_height();
        let Some(view) = self.view.as_mut() else {
            return;
        };
        if view.hits.is_empty() {
            if self.last_search.is_empty() {
                self.status = "No search yet: / to search".into();
            } else if !self.hit_in_another_transcript(forward) {
                self.status = format!("{:?} is in no transcript", self.last_search);
            }
            return;
        }
        let cursor = view.cursor;
        let past_the_last = if forward {
            !view.hits.iter().any(|h| h.0 > cursor)
        } else {
            !view.hits.iter().any(|h| h.0 < cursor)
        };
        if past_the_last && self.hit_in_another_transcript(forward) {
            return;
        }
        let Some(view) = self.view.as_mut() else {
            return;
        };
        let (index, wrapped) = if forward {
            match view.hits.iter().position(|h| h.0 > cursor) {
                Some(i) => (i, false),
                None => (0, true),
            }
        } else {
            match view.hits.iter().rposition(|h| h.0 < cursor) {
                Some(i) => (i, false),
                None => (view.hits.len() - 1, true),
            }
        };
        view.cursor = view.hits[index].0;
        view.goal_column = None;
        view.follow_cursor(height);
        self.status = format!(
            "{:?}: hit {} of {}{}",
            self.last_search,
            index + 1,
            view.hits.len(),
            if wrapped { " (wrapped)" } else { "" }
        );
    }

    // ----- mouse -----

    fn handle_mouse(&mut self, mouse: MouseEvent) {
        let areas = self.areas();
        let at = Cell::new(mouse.column, mouse.row);
        match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) if self.pane_mouse_down(at.x, at.y) => {}
            MouseEventKind::Drag(MouseButton::Left) if self.pane_mouse_drag(at.x) => {}
            MouseEventKind::Up(MouseButton::Left) if self.pane_mouse_up() => {}
            MouseEventKind::Down(MouseButton::Left) => {
                if areas.list.contains(at) {
                    self.focus = Focus::List;
                    let row = (mouse.row.saturating_sub(areas.list.y + 1)) as usize
                        + list_offset(self.list_selected, areas.list);
                    if row < self.order.len() {
                        self.list_selected = row;
                        self.open_transcript(row);
                    }
                } else if areas.tree.contains(at) {
                    self.focus = Focus::Codebook;
                    let row = (mouse.row.saturating_sub(areas.tree.y + 1)) as usize
                        + list_offset(self.tree_selected, areas.tree);
                    if row < self.tree.len() {
                        self.tree_selected = row;
                    }
                } else if let Some(offset) = self.offset_at_screen(at) {
                    self.focus = Focus::Text;
                    let clicks = self.count_click(at);
                    if let Some(view) = self.view.as_mut() {
                        view.cursor = offset;
                        view.anchor = None;
                        view.adjusting = None;
                        view.goal_column = None;
                        view.snap = false;
                    }
                    self.click_selected = false;
                    self.drag_from = Some(offset);
                    match clicks {
                        2 => self.select_clicked(offset, false),
                        3 => self.select_clicked(offset, true),
                        _ => {}
                    }
                }
            }
            MouseEventKind::Drag(MouseButton::Left) => {
                if let (Some(from), Some(offset)) = (self.drag_from, self.offset_at_screen(at))
                    && let Some(view) = self.view.as_mut()
                    && !(self.click_selected && offset == view.cursor)
                {
                    self.click_selected = false;
                    view.anchor = Some(from);
                    view.cursor = offset;
                }
            }
            MouseEventKind::Up(MouseButton::Left) => {
                self.drag_from = None;
                if let Some(view) = self.view.as_mut()
                    && view.anchor == Some(view.cursor)
                    && !self.click_selected
                {
                    view.anchor = None;
                }
                if self.view.as_ref().is_some_and(|v| v.anchor.is_some()) && !self.click_selected {
                    self.status = format!("Selected: {}", self.after_selecting());
                }
            }
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp if areas.text.contains(at) => {
                let down = mouse.kind == MouseEventKind::ScrollDown;
                let height = areas.text_height();
                if let Some(view) = self.view.as_mut() {
                    let last = view.wrapped.rows.len().saturating_sub(height);
                    view.scroll = if down {
                        (view.scroll + 3).min(last)
                    } else {
                        view.scroll.saturating_sub(3)
                    };
                    let row = view
                        .cursor_row()
                        .clamp(view.scroll, view.scroll + height.saturating_sub(1));
                    if row != view.cursor_row() {
                        let start = view.wrapped.rows[row.min(view.wrapped.rows.len() - 1)].start;
                        view.cursor = start;
                    }
                }
            }
            _ => {}
        }
    }

    /// Counts this left click as the first, second or third of a quick run on one cell.
    fn count_click(&mut self, at: Cell) -> u8 {
        let now = std::time::Instant::now();
        let count = match self.last_click {
            Some((when, cell, n)) if cell == at && now.duration_since(when) <= MULTI_CLICK => {
                n % 3 + 1
            }
            _ => 1,
        };
        self.last_click = Some((now, at, count));
        count
    }

    /// A double click selects the word at `offset`, a triple click its paragraph (a speaker
    /// turn's speech, without the label).
    fn select_clicked(&mut self, offset: usize, paragraph: bool) {
        let Some(t) = current_transcript(&self.order, self.current, &self.ws) else {
            return;
        };
        let Some(view) = self.view.as_ref() else {
            return;
        };
        let range = if paragraph {
            let (mut start, end) = motion::paragraph(t, offset);
            if let Some(turn) = motion::turn_at(&view.turns, offset)
                && (start..end).contains(&turn.speech_start)
                && turn.speech_start <= offset
            {
                start = start.max(turn.speech_start);
            }
            trim_range(t, start, end)
        } else {
            motion::word_around(t, offset)
        };
        let Some((start, end)) = range else {
            return;
        };
        let what = if paragraph { "paragraph" } else { "word" };
        self.select((start, end), what);
        if let Some(view) = self.view.as_mut() {
            view.snap = false;
        }
        self.click_selected = true;
    }

    /// The char offset shown at a screen cell of the text pane.
    fn offset_at_screen(&self, at: Cell) -> Option<usize> {
        let areas = self.areas();
        let inner = areas.text_inner();
        if !inner.contains(at) {
            return None;
        }
        let (t, view) = (self.transcript()?, self.view.as_ref()?);
        let row = view.scroll + (at.y - inner.y) as usize;
        let row = row.min(view.wrapped.rows.len().saturating_sub(1));
        Some(
            view.offset_at(t, row, (at.x - inner.x) as usize)
                .min(last_grapheme(t)),
        )
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
pub(super) fn seen_project<'a>(
    ws: &'a Workspace,
    seen: &'a Option<Box<crate::model::Project>>,
) -> &'a crate::model::Project {
    seen.as_deref().unwrap_or(ws.project())
}

/// The open transcript, borrowed from the workspace alone so the view can be borrowed
/// mutably beside it.
fn current_transcript<'a>(
    order: &[TranscriptId],
    current: Option<usize>,
    ws: &'a Workspace,
) -> Option<&'a Transcript> {
    ws.project().transcript(order.get(current?)?)
}

/// A code's path from the top, its names joined by "›" (as the picker shows where a new
/// code goes).
pub fn shown_path(book: &crate::model::Codebook, id: &CodeId) -> String {
    let mut names = Vec::new();
    let mut at = Some(id);
    while let Some(code) = at.and_then(|id| book.get(id)) {
        names.push(code.name.as_str());
        at = book.parent(&code.id);
    }
    names.reverse();
    names.join(" › ")
}

/// The first row shown in a bordered list whose selected row must be visible.
pub fn list_offset(selected: usize, area: Rect) -> usize {
    let height = area.height.saturating_sub(2).max(1) as usize;
    (selected + 1).saturating_sub(height)
}

/// The start of the last grapheme before the text's final newline: the furthest the cursor
/// goes.
fn last_grapheme(t: &Transcript) -> usize {
    let end = t.char_len() - usize::from(t.text().ends_with('\n'));
    motion::prev_grapheme(t, end)
}

/// The range and id of the segment a coding edit makes or adds a code to.
fn coded_segment(edit: &Edit) -> Option<(usize, usize, SegmentId)> {
    match edit {
        Edit::AddSegment { segment, .. } => Some((segment.start, segment.end, segment.id.clone())),
        Edit::UpdateSegment { after, .. } => Some((after.start, after.end, after.id.clone())),
        _ => None,
    }
}

fn add_code_edit(coder: &CoderId, t: &TranscriptId, before: Segment, code: CodeId) -> Edit {
    let mut after = before.clone();
    after.codes.push(code);
    after.updated = Some(jiff::Timestamp::now());
    Edit::UpdateSegment {
        coder: coder.clone(),
        transcript: t.clone(),
        before,
        after,
    }
}

/// `[start, end)` without leading and trailing whitespace; `None` if nothing is left.
fn trim_range(t: &Transcript, start: usize, end: usize) -> Option<(usize, usize)> {
    let text = t.slice(start, end)?;
    let lead = text.chars().take_while(|c| c.is_whitespace()).count();
    let trail = text.chars().rev().take_while(|c| c.is_whitespace()).count();
    let (s, e) = (start + lead, end.saturating_sub(trail));
    (s < e).then_some((s, e))
}

/// A code name from selected words: whitespace collapsed, outer quotes and punctuation
/// dropped, cut at a word boundary.
pub fn in_vivo_name(words: &str) -> Option<String> {
    let collapsed = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed = collapsed.trim_matches(|c: char| !c.is_alphanumeric());
    if trimmed.is_empty() {
        return None;
    }
    if trimmed.chars().count() <= IN_VIVO_MAX_CHARS {
        return Some(trimmed.to_string());
    }
    let mut name = String::new();
    for word in trimmed.split(' ') {
        if name.chars().count() + word.chars().count() + 1 > IN_VIVO_MAX_CHARS - 1 {
            break;
        }
        if !name.is_empty() {
            name.push(' ');
        }
        name.push_str(word);
    }
    if name.is_empty() {
        name = trimmed.chars().take(IN_VIVO_MAX_CHARS - 1).collect();
    }
    name.push('…');
    Some(name)
}

/// Case-insensitive hits of `query` in `text`, as char ranges.
pub use crate::analysis::search::hits_in as search_hits;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_vivo_names_come_from_the_words() {
        assert_eq!(
            in_vivo_name("  “tell it once,”\n "),
            Some("tell it once".into())
        );
        assert_eq!(in_vivo_name("..."), None);
        let long =
            "we kept seeing the same people again and again and again, you know, every single week";
        let name = in_vivo_name(long).unwrap();
        assert!(
            name.ends_with('…') && name.chars().count() <= IN_VIVO_MAX_CHARS,
            "{name}"
        );
        assert!(long.starts_with(name.trim_end_matches('…')));
    }

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
