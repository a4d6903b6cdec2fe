//! Where each pane goes, computed from the terminal size and the user's pane settings alone,
//! so that drawing and mouse hit-testing agree.
//!
//! The text is kept to a readable measure ([`MEASURE`] columns) with the coding margin beside
//! it; the codebook pane takes what the text does not need, so it grows with the terminal.
//! On a narrow terminal the transcript list and then the margin fold away.

use crate::config::PaneSizes;
use ratatui::layout::Rect;

/// Columns left of the text for the coding stripes (3) and a space.
pub const GUTTER: u16 = 4;
/// From this width on, the transcript list and the codebook stand on either side of the text.
const WIDE: u16 = 120;
/// Below this width the transcript list folds away unless it is asked for.
const LIST_FOLDS_BELOW: u16 = 100;
/// The longest text row: lines much longer than this are hard to read.
pub const MEASURE: u16 = 100;
/// Columns of one lane of the coding margin: a bracket, a code's name, a space.
pub const LANE_WIDTH: u16 = 12;
/// The narrowest text the margin is shown beside without being asked for.
const MIN_TEXT_BESIDE_MARGIN: u16 = 50;
/// The narrowest text the margin is shown beside when asked for.
const MIN_TEXT_FORCED: u16 = 24;
/// The narrowest text pane, borders included.
const MIN_TEXT_PANE: u16 = 30;
/// The narrowest a side pane can be made.
pub const MIN_SIDE_PANE: u16 = 16;
/// The transcript list's width on a wide screen unless the user set one.
const LIST_WIDTH: u16 = 28;

/// What the user chose about the panes; `None` means "as the terminal's size suggests".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Panes {
    pub sizes: PaneSizes,
    pub list: Option<bool>,
    pub margin: Option<bool>,
}

/// A pane border that can be dragged with the mouse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Border {
    Codebook,
    List,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub list: Rect,
    pub tree: Rect,
    pub text: Rect,
    /// The coding margin, right of the text (zero wide when folded away).
    pub margin: Rect,
    pub detail: Rect,
    pub status: Rect,
    /// The text itself, inside the pane's border, right of the gutter.
    inner: Rect,
    /// Side by side (list | text | codebook) rather than stacked on the left.
    wide: bool,
}

impl Areas {
    /// The panes at their default sizes.
    pub fn new(size: Rect) -> Areas {
        Areas::with(size, &Panes::default())
    }

    pub fn with(size: Rect, panes: &Panes) -> Areas {
        let main_height = size.height.saturating_sub(2);
        let detail = Rect::new(size.x, size.y + main_height, size.width, 1.min(size.height));
        let status = Rect::new(
            size.x,
            size.y + main_height + 1,
            size.width,
            u16::from(size.height >= 2),
        );
        let list_shown = panes.list.unwrap_or(size.width >= LIST_FOLDS_BELOW);
        let wide = size.width >= WIDE;
        let (list, tree, text) = if wide {
            let list_w = if list_shown {
                fit_width(
                    panes.sizes.list.unwrap_or(LIST_WIDTH),
                    MIN_SIDE_PANE,
                    size.width / 4,
                )
            } else {
                0
            };
            let rest = size.width - list_w;
            let tree_w = fit_width(
                panes
                    .sizes
                    .codebook
                    .unwrap_or_else(|| default_codebook_width(size.width, list_w)),
                MIN_SIDE_PANE,
                rest.saturating_sub(MIN_TEXT_PANE),
            );
            let text_w = rest - tree_w;
            (
                Rect::new(size.x, size.y, list_w, main_height),
                Rect::new(size.x + list_w + text_w, size.y, tree_w, main_height),
                Rect::new(size.x + list_w, size.y, text_w, main_height),
            )
        } else {
            let left_w = fit_width(
                panes
                    .sizes
                    .codebook
                    .unwrap_or((size.width / 3).clamp(22.min(size.width), 34)),
                MIN_SIDE_PANE,
                size.width.saturating_sub(MIN_TEXT_PANE),
            );
            let list_h = if list_shown {
                (main_height / 3).max(5.min(main_height))
            } else {
                0
            };
            (
                Rect::new(size.x, size.y, if list_shown { left_w } else { 0 }, list_h),
                Rect::new(size.x, size.y + list_h, left_w, main_height - list_h),
                Rect::new(size.x + left_w, size.y, size.width - left_w, main_height),
            )
        };
        let (inner, margin) = text_and_margin(text, panes.margin);
        Areas {
            list,
            tree,
            text,
            margin,
            detail,
            status,
            inner,
            wide,
        }
    }

    /// The text pane inside its border and right of the gutter, up to the reading measure.
    pub fn text_inner(&self) -> Rect {
        self.inner
    }

    pub fn text_width(&self) -> usize {
        self.inner.width.max(1) as usize
    }

    pub fn text_height(&self) -> usize {
        self.inner.height.max(1) as usize
    }

    /// Whether the transcript list is shown.
    pub fn list_shown(&self) -> bool {
        self.list.width > 0 && self.list.height > 0
    }

    /// Whether the coding margin is shown.
    pub fn margin_shown(&self) -> bool {
        self.margin.width > 0 && self.margin.height > 0
    }

    /// The pane border under screen cell (`x`, `y`), if one can be dragged there: either of
    /// the two border columns where two panes meet.
    pub fn border_at(&self, x: u16, y: u16) -> Option<Border> {
        let rows = self.text.y..self.text.y + self.text.height;
        if !rows.contains(&y) {
            return None;
        }
        let text_left = self.text.x;
        let text_right = self.text.right().saturating_sub(1);
        if self.wide {
            if self.tree.width > 0 && (x == self.tree.x || x == text_right) {
                return Some(Border::Codebook);
            }
            if self.list_shown() && (x == text_left || x + 1 == self.list.right()) {
                return Some(Border::List);
            }
        } else if x == text_left || x + 1 == self.tree.right() {
            return Some(Border::Codebook);
        }
        None
    }

    /// The width a pane takes when its border is dragged to column `x` of a screen `size`.
    pub fn dragged_width(&self, border: Border, x: u16, size: Rect) -> u16 {
        match border {
            Border::Codebook if self.wide => size.right().saturating_sub(x),
            Border::Codebook | Border::List => (x + 1).saturating_sub(size.x),
        }
    }
}

/// `want` within `min..=max`, where `max` wins when the two cross (a tiny terminal).
fn fit_width(want: u16, min: u16, max: u16) -> u16 {
    want.min(max).max(min.min(max))
}

/// On a wide screen, the codebook takes what the list, the text at its measure and a
/// two-lane margin leave, between 32 columns and two fifths of the screen.
fn default_codebook_width(width: u16, list_w: u16) -> u16 {
    let text_pane = 2 + GUTTER + MEASURE + 1 + 2 * LANE_WIDTH;
    width
        .saturating_sub(list_w + text_pane)
        .clamp(32, (width * 2 / 5).max(32))
}

/// How many margin lanes fit beside the text in `room` columns: three when the text keeps
/// its full measure, two beside a comfortable line, one beside a short one.
fn lanes_for(room: u16, forced: bool) -> u16 {
    let fits = |lanes: u16, text: u16| room >= 1 + lanes * LANE_WIDTH + text;
    if fits(3, MEASURE) {
        3
    } else if fits(2, 72) {
        2
    } else if fits(1, MIN_TEXT_BESIDE_MARGIN) || (forced && fits(1, MIN_TEXT_FORCED)) {
        1
    } else {
        0
    }
}

/// The text (inside the border, after the gutter) and the margin right of it.
fn text_and_margin(pane: Rect, margin: Option<bool>) -> (Rect, Rect) {
    let inner = inset(pane);
    let gutter = GUTTER.min(inner.width);
    let room = inner.width - gutter;
    let lanes = match margin {
        Some(false) => 0,
        Some(true) => lanes_for(room, true),
        None => lanes_for(room, false),
    };
    let margin_w = if lanes > 0 { 1 + lanes * LANE_WIDTH } else { 0 };
    let text_w = (room - margin_w).min(MEASURE);
    let text = Rect::new(inner.x + gutter, inner.y, text_w, inner.height);
    let margin = Rect::new(
        text.right() + u16::from(lanes > 0),
        inner.y,
        margin_w.saturating_sub(1),
        inner.height,
    );
    (text, margin)
}

/// A rectangle inside a one-cell border.
pub fn inset(r: Rect) -> Rect {
    Rect::new(
        r.x + 1.min(r.width),
        r.y + 1.min(r.height),
        r.width.saturating_sub(2),
        r.height.saturating_sub(2),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_tile_the_screen_at_80x24_and_wide() {
        for (w, h) in [
            (80, 24),
            (200, 50),
            (120, 30),
            (20, 5),
            (100, 30),
            (140, 40),
        ] {
            let a = Areas::new(Rect::new(0, 0, w, h));
            let area = |r: Rect| r.width as u32 * r.height as u32;
            assert_eq!(
                area(a.list) + area(a.tree) + area(a.text) + area(a.detail) + area(a.status),
                w as u32 * h as u32,
                "{w}x{h}"
            );
            assert!(a.text.contains(a.text_inner().as_position()) || w < 40);
            assert!(
                a.margin.right() < a.text.right() || !a.margin_shown(),
                "{w}x{h}: {a:?}"
            );
        }
        let a = Areas::new(Rect::new(0, 0, 80, 24));
        assert!(a.text_width() >= 48, "{a:?}");
    }

    #[test]
    fn at_80_columns_the_list_and_the_margin_fold_away_and_can_come_back() {
        let size = Rect::new(0, 0, 80, 24);
        let a = Areas::new(size);
        assert!(!a.list_shown() && !a.margin_shown(), "{a:?}");
        assert_eq!(
            a.tree.height, 22,
            "the codebook takes the whole left column"
        );
        let asked = Areas::with(
            size,
            &Panes {
                list: Some(true),
                margin: Some(true),
                ..Panes::default()
            },
        );
        assert!(asked.list_shown() && asked.margin_shown(), "{asked:?}");
        assert!(asked.text_width() >= 24);
    }

    #[test]
    fn text_keeps_a_readable_measure_and_the_codebook_grows_with_the_width() {
        let at = |w: u16, h: u16| Areas::new(Rect::new(0, 0, w, h));
        assert!(at(200, 50).tree.width > at(100, 30).tree.width);
        assert!(at(260, 50).tree.width > at(200, 50).tree.width);
        for w in [140, 200, 260, 400] {
            let a = at(w, 40);
            assert!(a.text_width() <= MEASURE as usize, "{w}: {a:?}");
            assert!(a.margin_shown(), "{w}: {a:?}");
            assert_eq!(a.margin.x, a.text_inner().right() + 1);
        }
        assert_eq!(at(200, 50).text_width(), MEASURE as usize);
    }

    #[test]
    fn a_set_codebook_width_is_kept_within_bounds_and_borders_drag() {
        let size = Rect::new(0, 0, 200, 50);
        let with = |codebook| {
            Areas::with(
                size,
                &Panes {
                    sizes: PaneSizes {
                        codebook: Some(codebook),
                        list: None,
                    },
                    ..Panes::default()
                },
            )
        };
        assert_eq!(with(60).tree.width, 60);
        assert_eq!(with(1).tree.width, MIN_SIDE_PANE);
        assert!(with(1000).text.width >= MIN_TEXT_PANE);
        let a = with(60);
        assert_eq!(a.border_at(a.tree.x, 10), Some(Border::Codebook));
        assert_eq!(a.border_at(a.tree.x - 1, 10), Some(Border::Codebook));
        assert_eq!(a.border_at(a.tree.x + 3, 10), None);
        assert_eq!(a.border_at(a.list.right() - 1, 10), Some(Border::List));
        assert_eq!(a.dragged_width(Border::Codebook, 150, size), 50);
        let narrow = Areas::new(Rect::new(0, 0, 100, 30));
        assert_eq!(
            narrow.border_at(narrow.tree.right() - 1, 20),
            Some(Border::Codebook)
        );
        assert_eq!(narrow.dragged_width(Border::Codebook, 39, size), 40);
    }
}
