//! What the Code screen's keys do: the transcript list, the codebook pane, and the text
//! (motions, selections, and the coding keys, which [`super::coding`] carries out).

use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Context;
use crate::tui::overlays::Overlay;
use crate::tui::overlays::picker::{Item, Pick, Picker, PickerKind};
use crate::tui::screens::code::text_view::motion;
use crate::tui::screens::code::{Focus, current_transcript, last_grapheme};
use crate::tui::widgets::line_input::LineInput;

impl App {
    pub(crate) fn list_action(&mut self, action: Action) {
        let len = self.code.order.len();
        if len == 0 {
            return;
        }
        let page = self.areas().list.height.saturating_sub(2).max(1) as usize;
        self.code.list_selected = match action {
            Action::Up => self.code.list_selected.saturating_sub(1),
            Action::Down => (self.code.list_selected + 1).min(len - 1),
            Action::PageUp => self.code.list_selected.saturating_sub(page),
            Action::PageDown => (self.code.list_selected + page).min(len - 1),
            Action::Start => 0,
            Action::End => len - 1,
            Action::Open => {
                self.open_transcript(self.code.list_selected);
                self.code.focus = Focus::Text;
                return;
            }
            _ => return,
        };
    }

    pub(crate) fn open_transcript_picker(&mut self) {
        let items = self
            .code
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

    pub(crate) fn tree_action(&mut self, action: Action) {
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
    pub(crate) fn start_extending(&mut self, action: Action) -> Action {
        let motion = match action {
            Action::ExtendLeft => Action::Left,
            Action::ExtendRight => Action::Right,
            Action::ExtendUp => Action::Up,
            Action::ExtendDown => Action::Down,
            Action::ExtendWordNext => Action::WordNext,
            Action::ExtendWordPrev => Action::WordPrev,
            other => return other,
        };
        let snap = self.code.snap_to_words;
        if let Some(view) = self.code.view.as_mut()
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

    pub(crate) fn text_action(&mut self, action: Action) {
        let action = self.start_extending(action);
        let height = self.areas().text_height();
        // Borrow the transcript and the view as separate fields: cloning the transcript on
        // every keystroke would cost time proportional to its length.
        let Some(t) = current_transcript(&self.code.order, self.code.current, &self.ws) else {
            return;
        };
        let Some(view) = self.code.view.as_mut() else {
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
            let view = self.code.view.as_mut().expect("checked above");
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
            .then(|| motion::sentence(t, &self.code.view.as_ref().expect("view").turns, cursor));
        match action {
            Action::Visual => self.toggle_visual(),
            Action::SelectSentence => {
                if let Some(range) = sentence {
                    self.select(range, "sentence");
                }
            }
            Action::SelectTurn => {
                match motion::turn_at(&self.code.view.as_ref().expect("view").turns, cursor) {
                    Some(turn) => {
                        let (start, end) = (turn.speech_start, turn.end);
                        self.select((start, end), "turn");
                    }
                    None => self.status = "No speaker turn here".into(),
                }
            }
            Action::SwapAnchor => {
                if let Some(view) = self.code.view.as_mut()
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
                if let Some(view) = self.code.view.as_mut() {
                    view.anchor = None;
                    view.adjusting = None;
                }
                self.status = "Selection cancelled".into();
            }
            Action::Assign => {
                if self
                    .code
                    .view
                    .as_ref()
                    .is_some_and(|v| v.adjusting.is_some())
                {
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

    pub(crate) fn toggle_visual(&mut self) {
        let Some(view) = self.code.view.as_mut() else {
            return;
        };
        if view.anchor.take().is_some() {
            view.adjusting = None;
            self.status = "Selection cancelled".into();
        } else {
            view.anchor = Some(view.cursor);
            view.snap = self.code.snap_to_words;
            let next = self.after_selecting();
            self.status = format!("Selecting: move to extend, {next}");
        }
    }

    pub(crate) fn select(&mut self, (start, end): (usize, usize), what: &str) {
        let height = self.areas().text_height();
        let Some(t) = current_transcript(&self.code.order, self.code.current, &self.ws) else {
            return;
        };
        let Some(view) = self.code.view.as_mut() else {
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
        view.snap = self.code.snap_to_words;
        view.at_a_start = false;
        view.follow_cursor(height);
        self.status = format!("Selected this {what}: {}", self.after_selecting());
    }

    /// What a selection is for, in the status line: coding it, or for a reviewer (who may
    /// not code) writing a memo on it.
    pub(crate) fn after_selecting(&self) -> String {
        if self.reviewing() {
            let memo = self.keymap.keys_for(Context::Global, Action::MemoHere);
            return format!("reviewers do not code; {memo} writes a memo here");
        }
        let code = self.keymap.keys_for(Context::Text, Action::Assign);
        format!("{code} to code it")
    }
}
