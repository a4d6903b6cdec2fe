//! The Code view's room to read: folding the transcript list and the coding margin, the
//! codebook pane's width (keys and a dragged border, remembered in the user's config), and
//! going to a segment from the margin (a click on its bracket or label, or the keys that step
//! through the segments).

use crate::config::{Config, PaneSizes};
use crate::tui::app::{App, Focus};
use crate::tui::layout::{Border, MIN_SIDE_PANE};
use crate::tui::screens::code::margin;

/// Columns the codebook pane grows or shrinks by per key press.
pub const CODEBOOK_STEP: i32 = 4;

impl App {
    /// The user's pane sizes (from their config) and whether changes are written back there.
    pub fn set_pane_sizes(&mut self, sizes: PaneSizes, remember: bool) {
        self.code.panes.sizes = sizes;
        self.code.remember_panes = remember;
        self.resize(self.size);
    }

    pub(crate) fn toggle_margin(&mut self) {
        let shown = self.areas().margin_shown();
        self.code.panes.margin = Some(!shown);
        self.resize(self.size);
        let (on, off) = ("Coding margin on", "Coding margin off");
        self.status = match (shown, self.areas().margin_shown()) {
            (true, _) => off.into(),
            (false, true) => on.into(),
            (false, false) => {
                let narrower = self.keymap.keys_for(
                    crate::tui::keymap::Context::Text,
                    crate::tui::action::Action::CodebookNarrower,
                );
                format!(
                    "No room for the coding margin at this width: widen the terminal or narrow the codebook ({narrower})"
                )
            }
        };
    }

    pub(crate) fn toggle_list(&mut self) {
        let shown = self.areas().list_shown();
        self.code.panes.list = Some(!shown);
        if shown && self.code.focus == Focus::List {
            self.code.focus = Focus::Text;
        }
        self.resize(self.size);
        self.status = if shown {
            "Transcript list folded away".into()
        } else {
            "Transcript list shown".into()
        };
    }

    /// Makes the codebook pane `delta` columns wider (narrower when negative).
    pub(crate) fn widen_codebook(&mut self, delta: i32) {
        let now = i32::from(self.areas().tree.width);
        let want = u16::try_from((now + delta).max(i32::from(MIN_SIDE_PANE))).unwrap_or(u16::MAX);
        self.set_pane_width(Border::Codebook, want);
        self.remember_pane_sizes();
    }

    /// Sets a side pane's width, as far as the screen allows (the layout has the last word).
    fn set_pane_width(&mut self, border: Border, want: u16) {
        match border {
            Border::Codebook => self.code.panes.sizes.codebook = Some(want),
            Border::List => self.code.panes.sizes.list = Some(want),
        }
        let areas = self.areas();
        match border {
            Border::Codebook => self.code.panes.sizes.codebook = Some(areas.tree.width),
            Border::List => self.code.panes.sizes.list = Some(areas.list.width),
        }
        self.resize(self.size);
        let width = match border {
            Border::Codebook => areas.tree.width,
            Border::List => areas.list.width,
        };
        let pane = match border {
            Border::Codebook => "Codebook pane",
            Border::List => "Transcript list",
        };
        self.status = format!("{pane} {width} columns wide");
    }

    /// Writes the pane sizes to the user's config, if this session keeps them; says so when
    /// that fails (the config file is then left exactly as it was).
    fn remember_pane_sizes(&mut self) {
        if !self.code.remember_panes {
            return;
        }
        let sizes = self.code.panes.sizes;
        match Config::update(|config| config.panes = Some(sizes)) {
            Ok(_) => self.status.push_str(" (remembered)"),
            Err(e) => self.status = format!("Pane sizes not remembered: {e}"),
        }
    }

    /// A left button press: starts dragging a pane border, or goes to the segment whose
    /// bracket or label in the margin was clicked. False when it was neither.
    pub(crate) fn pane_mouse_down(&mut self, x: u16, y: u16) -> bool {
        let areas = self.areas();
        if let Some(border) = areas.border_at(x, y) {
            self.code.border_drag = Some(border);
            return true;
        }
        if !areas.margin.contains((x, y).into()) {
            return false;
        }
        let hit = margin::placed(self, &areas).and_then(|placed| placed.hit(x, y));
        if let Some(index) = hit {
            self.code.focus = Focus::Text;
            self.go_to_segment(index);
        }
        true
    }

    /// A drag with the left button: moves the border being dragged, if any.
    pub(crate) fn pane_mouse_drag(&mut self, x: u16) -> bool {
        let Some(border) = self.code.border_drag else {
            return false;
        };
        let width = self.areas().dragged_width(border, x, self.size);
        self.set_pane_width(border, width);
        true
    }

    /// The left button let go: a border drag ends and its width is remembered.
    pub(crate) fn pane_mouse_up(&mut self) -> bool {
        if self.code.border_drag.take().is_none() {
            return false;
        }
        self.remember_pane_sizes();
        true
    }

    /// Moves the cursor to the start of the next (or previous) segment shown, the order the
    /// margin's labels are in.
    pub(crate) fn step_segment(&mut self, next: bool) {
        let Some(view) = self.code.view.as_ref() else {
            return;
        };
        let items = view.segments.items();
        let cursor = view.cursor;
        let index = if next {
            Some(items.partition_point(|s| s.start <= cursor))
        } else {
            items.partition_point(|s| s.start < cursor).checked_sub(1)
        };
        match index.filter(|&i| i < items.len()) {
            Some(i) => self.go_to_segment(i),
            None => {
                self.status = if next {
                    "No segment after the cursor".into()
                } else {
                    "No segment before the cursor".into()
                }
            }
        }
    }

    /// Puts the cursor on the start of segment `index` of the view's index, and says which.
    fn go_to_segment(&mut self, index: usize) {
        let height = self.areas().text_height();
        let Some(view) = self.code.view.as_mut() else {
            return;
        };
        let Some(shown) = view.segments.items().get(index).cloned() else {
            return;
        };
        view.cursor = shown.start;
        view.goal_column = None;
        view.follow_cursor(height);
        let names: Vec<String> = shown.codes.iter().map(|c| self.code_name(c)).collect();
        let whose = if shown.mine {
            String::new()
        } else {
            format!(" ({})", shown.coder)
        };
        self.status = format!("Segment: {}{whose}", names.join(" · "));
    }
}
