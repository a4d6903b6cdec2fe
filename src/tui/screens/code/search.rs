//! Searching on the Code screen: a search's hits in the open transcript, and stepping
//! from hit to hit and on to the next transcript that has one.

use crate::model::TranscriptId;
use crate::tui::app::{App, search_hits};

impl App {
    pub(crate) fn run_search(&mut self, query: String) {
        self.code.last_search = query;
        let hits = self
            .transcript()
            .map(|t| search_hits(t.text(), &self.code.last_search))
            .unwrap_or_default();
        let count = hits.len();
        if let Some(view) = self.code.view.as_mut() {
            view.hits = hits;
        }
        if self.code.last_search.is_empty() {
            self.status = "Search cleared".into();
        } else if count == 0 {
            // Not here: on to the next interview that has it, as `n` does at the last hit.
            if !self.hit_in_another_transcript(true) {
                self.status = format!("{:?} is in no transcript", self.code.last_search);
            }
        } else {
            self.jump_to_hit(true);
        }
    }

    /// Opens the next (or previous) transcript in interview order that has a hit for the
    /// last search, at its first (or last) hit. False if no other transcript has one.
    pub(crate) fn hit_in_another_transcript(&mut self, forward: bool) -> bool {
        let found =
            crate::analysis::search::search(self.project(), &self.code.last_search, usize::MAX);
        let with_hits: std::collections::BTreeSet<TranscriptId> =
            found.hits.iter().map(|h| h.transcript.clone()).collect();
        let current = self.code.current.unwrap_or(0);
        let n = self.code.order.len();
        let next = (1..n)
            .map(|step| {
                if forward {
                    (current + step) % n
                } else {
                    (current + n - step) % n
                }
            })
            .find(|&i| {
                self.code
                    .order
                    .get(i)
                    .is_some_and(|id| with_hits.contains(id))
            });
        let Some(index) = next else {
            return false;
        };
        self.open_transcript(index);
        let height = self.areas().text_height();
        let Some(view) = self.code.view.as_mut() else {
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
            self.code.last_search,
            plural(found.total, "hit"),
            plural(found.transcripts, "transcript")
        );
        true
    }

    pub(crate) fn jump_to_hit(&mut self, forward: bool) {
        let height = self.areas().text_height();
        let Some(view) = self.code.view.as_mut() else {
            return;
        };
        if view.hits.is_empty() {
            if self.code.last_search.is_empty() {
                self.status = "No search yet: / to search".into();
            } else if !self.hit_in_another_transcript(forward) {
                self.status = format!("{:?} is in no transcript", self.code.last_search);
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
        let Some(view) = self.code.view.as_mut() else {
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
            self.code.last_search,
            index + 1,
            view.hits.len(),
            if wrapped { " (wrapped)" } else { "" }
        );
    }
}
