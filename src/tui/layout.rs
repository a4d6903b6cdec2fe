//! Where each pane goes, computed from the terminal size alone, so that drawing and mouse
//! hit-testing agree.

use ratatui::layout::Rect;

/// Columns left of the text for the coding stripes (3) and a space.
pub const GUTTER: u16 = 4;
/// From this width on, the transcript list and the codebook stand on either side of the text.
const WIDE: u16 = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub list: Rect,
    pub tree: Rect,
    pub text: Rect,
    pub detail: Rect,
    pub status: Rect,
}

impl Areas {
    pub fn new(size: Rect) -> Areas {
        let main_height = size.height.saturating_sub(2);
        let detail = Rect::new(size.x, size.y + main_height, size.width, 1.min(size.height));
        let status = Rect::new(
            size.x,
            size.y + main_height + 1,
            size.width,
            u16::from(size.height >= 2),
        );
        if size.width >= WIDE {
            let list_w = 28;
            let tree_w = 38;
            let text_w = size.width - list_w - tree_w;
            Areas {
                list: Rect::new(size.x, size.y, list_w, main_height),
                text: Rect::new(size.x + list_w, size.y, text_w, main_height),
                tree: Rect::new(size.x + list_w + text_w, size.y, tree_w, main_height),
                detail,
                status,
            }
        } else {
            let left_w = (size.width / 3).clamp(22.min(size.width), 34);
            let list_h = (main_height / 3).max(5.min(main_height));
            Areas {
                list: Rect::new(size.x, size.y, left_w, list_h),
                tree: Rect::new(size.x, size.y + list_h, left_w, main_height - list_h),
                text: Rect::new(size.x + left_w, size.y, size.width - left_w, main_height),
                detail,
                status,
            }
        }
    }

    /// The text pane inside its border and right of the gutter.
    pub fn text_inner(&self) -> Rect {
        let inner = inset(self.text);
        let gutter = GUTTER.min(inner.width);
        Rect::new(
            inner.x + gutter,
            inner.y,
            inner.width - gutter,
            inner.height,
        )
    }

    pub fn text_width(&self) -> usize {
        self.text_inner().width.max(1) as usize
    }

    pub fn text_height(&self) -> usize {
        self.text_inner().height.max(1) as usize
    }
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
        for (w, h) in [(80, 24), (200, 50), (120, 30), (20, 5)] {
            let a = Areas::new(Rect::new(0, 0, w, h));
            let area = |r: Rect| r.width as u32 * r.height as u32;
            assert_eq!(
                area(a.list) + area(a.tree) + area(a.text) + area(a.detail) + area(a.status),
                w as u32 * h as u32,
                "{w}x{h}"
            );
        }
        let a = Areas::new(Rect::new(0, 0, 80, 24));
        assert!(a.text_width() >= 48, "{a:?}");
    }
}
