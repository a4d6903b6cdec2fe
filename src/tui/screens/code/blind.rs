//! Marking a transcript done and revealing a blind transcript's other coders: the two
//! keys of blind double coding (the rule itself is the model's, [`crate::model::visibility`]).

use crate::model::{Edit, TranscriptId};
use crate::tui::app::App;
use crate::tui::overlays::Overlay;
use crate::tui::screens::code::Focus;

impl App {
    pub(crate) fn toggle_done(&mut self) {
        let t = match self.code.focus {
            Focus::List => self.code.order.get(self.code.list_selected).cloned(),
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

    pub(crate) fn reveal_blind(&mut self) {
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
    pub(crate) fn reveal(&mut self, t: TranscriptId) {
        self.ws
            .note(&crate::model::audit::reveal_decision(&t), Vec::new());
        self.revealed.insert(t.clone());
        self.show_all_coders = true;
        self.status = format!(
            "{t}: other coders' work revealed (you were coding blind; recorded in the audit trail)"
        );
        self.refresh();
    }
}
