//! The Code screen, where transcripts are coded: the transcript list, the text with its
//! cursor and selection ([`text_view`]), the coding margin ([`margin`]), the codebook pane
//! with live counts, the quick-code strip, the Suggestions panel, and pane sizes. Its own
//! state is [`CodeScreen`] (held by `App` as `app.code`); the code tree and its counts stay
//! in `App` because the Codebook screen draws them too. Its drawing is [`draw`].
pub mod blind;
pub mod coding;
pub mod draw;
pub mod keys;
pub mod margin;
pub mod mouse;
pub mod panes;
pub mod play;
pub mod quick_codes;
pub mod quick_strip;
pub mod search;
pub mod suggestions;
pub mod text_view;

use crate::model::{CodeId, CoderId, Segment, SegmentId, Transcript, TranscriptId};
use crate::tui::app::App;
use crate::tui::app::search_hits;
use crate::tui::keymap::Context;
use crate::tui::screens::code::text_view::motion;
use crate::tui::screens::code::text_view::{SegmentIndex, TextView};
use crate::workspace::Workspace;
use ratatui::layout::{Position, Rect};
use std::collections::HashSet;

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

/// What only the Code screen keeps: the transcript list, the open text, the mouse's
/// gestures in it, the search, the Suggestions panel and the pane sizes. Other screens and
/// overlays reach it only to send the coder back here (a jump to a segment, a search hit).
pub struct CodeScreen {
    /// Which pane has the keyboard.
    pub focus: Focus,
    /// Transcripts in interview order.
    pub order: Vec<TranscriptId>,
    /// The open transcript, as an index into `order`.
    pub current: Option<usize>,
    pub list_selected: usize,
    pub view: Option<TextView>,
    /// The last search, highlighted in every transcript opened.
    pub last_search: String,
    /// Segments that have a memo on them, marked in the text's stripes.
    pub memo_segments: HashSet<SegmentId>,
    /// Codes with a memo, for the pen in the codebook pane (looked up per row per frame).
    pub memo_codes: HashSet<CodeId>,
    pub(crate) drag_from: Option<usize>,
    /// The last left click in the text (when, where, how many in a row), for double- and
    /// triple-click selection.
    pub(crate) last_click: Option<(std::time::Instant, Position, u8)>,
    /// The selection was made by a double or triple click: the button's release keeps it.
    pub(crate) click_selected: bool,
    /// Whether keyboard selections snap to whole words (the user's `snap_to_words`).
    pub snap_to_words: bool,
    /// The segment this coder coded last and where: `E` there writes a memo on it.
    pub(crate) last_coded: Option<(TranscriptId, SegmentId)>,
    /// The Suggestions panel, when open (see [`suggestions`]).
    pub suggestions: Option<Box<suggestions::SuggestionsPanel>>,
    /// The user's pane sizes and what they folded or unfolded (see [`crate::tui::layout`]).
    pub panes: crate::tui::layout::Panes,
    /// Whether pane sizes are written to the user's config when changed (not in tests).
    pub remember_panes: bool,
    /// The coding margin's lanes for the open transcript at its wrap width.
    pub margin_lanes: margin::Lanes,
    /// A pane border being dragged with the mouse.
    pub(crate) border_drag: Option<crate::tui::layout::Border>,
}

impl CodeScreen {
    /// The screen before anything is open: the keyboard in the text, nothing selected.
    pub fn new(order: Vec<TranscriptId>) -> CodeScreen {
        CodeScreen {
            focus: Focus::Text,
            order,
            current: None,
            list_selected: 0,
            view: None,
            last_search: String::new(),
            memo_segments: HashSet::new(),
            memo_codes: HashSet::new(),
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

impl App {
    // ----- transcripts -----

    pub fn open_transcript(&mut self, index: usize) {
        let Some(id) = self.code.order.get(index).cloned() else {
            return;
        };
        let width = self.areas().text_width();
        let Some(t) = self.project().transcript(&id) else {
            return;
        };
        let mut view = TextView::new(t, width);
        view.hits = search_hits(t.text(), &self.code.last_search);
        self.code.view = Some(view);
        // Switching is where the coder is now: kept for the next session (the first opening,
        // which resumes, has nothing new to keep).
        let switched = self.code.current.is_some_and(|c| c != index);
        self.code.current = Some(index);
        if switched {
            self.save_place();
        }
        self.code.list_selected = index;
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
            crate::analysis::node_counts::CountCache::build(self.project(), |coder, t| {
                self.shows(coder, t)
            });
        self.counts = self.count_cache.totals().clone();
    }

    pub(crate) fn refresh_segments(&mut self) {
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
        if let Some(view) = self.code.view.as_mut() {
            view.segments = index;
            self.code.margin_lanes =
                crate::tui::screens::code::margin::Lanes::new(view, &self.coder);
        }
    }
}

/// The open transcript, borrowed from the workspace alone so the view can be borrowed
/// mutably beside it.
pub(crate) fn current_transcript<'a>(
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
pub(crate) fn last_grapheme(t: &Transcript) -> usize {
    let end = t.char_len() - usize::from(t.text().ends_with('\n'));
    motion::prev_grapheme(t, end)
}
