//! The coder's own coding-screen state across sessions: the codes pinned to the quick keys
//! 1-9 (pinned and unpinned on purpose, each keeping its key) and the place they left off,
//! both kept per coder on this clone by [`crate::store::ui_state`].

use crate::model::CodeId;
use crate::store::ui_state::{self, Pin, Resume, UiState};
use crate::tui::action::Action;
use crate::tui::app::{App, Focus, View};
use crate::tui::keymap::Context;

impl App {
    /// Reads this coder's state; a damaged or refused file is left as it is (never written
    /// over) and the session starts fresh. Returns the message to show, if any.
    pub(crate) fn load_ui_state(&mut self) -> Option<String> {
        match ui_state::load_ui_state(self.ws.store().root(), &self.coder) {
            Ok(state) => {
                self.ui = state;
                None
            }
            Err(e) => {
                self.ui = UiState::default();
                self.ui_blocked = true;
                Some(format!(
                    "Your quick codes and place could not be read ({e}): starting fresh, and that file is left as it is until you fix or delete it."
                ))
            }
        }
    }

    /// Writes this coder's state, unless the session is read-only (another session of the
    /// same coder may be running) or the file could not be read. Says so if writing fails.
    pub(crate) fn save_ui_state(&mut self) {
        if self.ui_blocked || self.ws.store().is_read_only() {
            return;
        }
        if let Err(e) = ui_state::save_ui_state(self.ws.store().root(), &self.coder, &self.ui) {
            self.status.push_str(&format!(
                " (could not keep this for your next session: {e})"
            ));
        }
    }

    /// Keeps where the coder is now (transcript, cursor, first row shown) for the next
    /// session: on quitting and on switching transcripts. Nothing is written when it has
    /// not changed.
    pub fn save_place(&mut self) {
        let (Some(t), Some(view)) = (self.transcript(), self.code.view.as_ref()) else {
            return;
        };
        let here = Resume {
            transcript: t.id.clone(),
            cursor: view.cursor,
            scroll: view.scroll,
            length: t.char_len(),
        };
        if self.ui.resume.as_ref() == Some(&here) {
            return;
        }
        self.ui.resume = Some(here);
        self.save_ui_state();
    }

    /// Opens the transcript the coder left off in, at their place (clamped if its text
    /// changed), or the first one. Returns what to add to the welcome.
    pub(crate) fn resume(&mut self) -> String {
        let Some(place) = self.ui.resume.clone() else {
            self.open_transcript(0);
            return String::new();
        };
        let Some(index) = self.code.order.iter().position(|t| t == &place.transcript) else {
            self.open_transcript(0);
            return format!(
                "{}, where you left off, is no longer in the project. ",
                place.transcript
            );
        };
        self.open_transcript(index);
        self.status = self
            .status
            .replacen("Opened ", "Back where you left off: ", 1);
        let height = self.areas().text_height();
        if let Some(view) = self.code.view.as_mut() {
            view.scroll = place
                .scroll
                .min(view.wrapped.rows.len().saturating_sub(height));
        }
        // put_cursor scrolls only as far as needed to show the cursor.
        self.put_cursor(place.cursor);
        let changed = self.transcript().map(|t| t.char_len()) != Some(place.length);
        if changed {
            "Its text has changed since you left, so your place is approximate. ".into()
        } else {
            String::new()
        }
    }

    /// Pins the code in hand to the first free quick key, or unpins it: the codebook's
    /// selected code when the codebook has the keyboard, else the code at the cursor.
    pub(crate) fn pin_code(&mut self) {
        let Some(code) = self.code_to_pin() else {
            self.status = "No code here to pin: put the cursor on coded text, or choose a code in the codebook".into();
            return;
        };
        let name = self.code_name(&code);
        self.status = match self.ui.toggle_pin(&code) {
            Pin::Pinned(key) => format!("{name:?} is on key {key}"),
            Pin::Unpinned(key) => format!("{name:?} unpinned: key {key} is free"),
            Pin::Full => {
                let pin = self.keymap.keys_for(self.context(), Action::PinCode);
                format!("Every key 1-9 has a code: {pin} on one of them unpins it first")
            }
        };
        self.save_ui_state();
    }

    fn code_to_pin(&self) -> Option<CodeId> {
        let in_codebook = self.view_mode == View::Codebook || self.code.focus == Focus::Codebook;
        if in_codebook {
            return self.tree.get(self.tree_selected).map(|r| r.id.clone());
        }
        self.shown_at_cursor()
            .first()
            .and_then(|s| s.codes.first().cloned())
    }

    /// The quick key `code` is on, if it is pinned.
    pub fn quick_key_of(&self, code: &CodeId) -> Option<usize> {
        self.ui.key_of(code)
    }

    /// The strip's entries: each pinned key with its code's name and colour.
    pub fn quick_strip(&self) -> Vec<(usize, String, Option<crate::model::Colour>)> {
        let book = &self.project().codebook;
        (1..=ui_state::QUICK_SLOTS)
            .filter_map(|key| {
                let code = book.get(self.ui.quick(key)?)?;
                Some((key, code.name.clone(), code.colour))
            })
            .collect()
    }

    /// The strip's hint when nothing is pinned.
    pub fn quick_strip_hint(&self) -> String {
        let pin = self.keymap.keys_for(Context::Text, Action::PinCode);
        format!("{pin} pins a code to the keys 1-9")
    }
}
