//! The coding margin beside the transcript text: each segment shown as a bracket over the
//! wrapped rows it spans, in its code's colour, with the code's name at its first row.
//! Several codes on one segment, and overlapping segments, take separate lanes, and a "+N"
//! says how many did not fit; with every coder shown, each coder has a group of lanes headed
//! by their id.
//!
//! Lanes are given once per transcript, wrap width and change of coding ([`Lanes::new`]: in
//! order of start, then end, each code taking the lowest lane free at its first row), so a
//! bracket keeps its lane while the text scrolls. Each frame then looks only at the segments
//! on the visible rows ([`place`]), for drawing and for mouse clicks alike. The segments are
//! the view's, which come from the project as this coder may see it (blind coding applies).

use crate::model::{CoderId, Colour};
use crate::tui::app::App;
use crate::tui::layout::{Areas, LANE_WIDTH};
use crate::tui::screens::code::draw::fit;
use crate::tui::screens::code::text_view::{Shown, TextView};
use ratatui::Frame;
use ratatui::layout::Rect;
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

/// The narrowest lane: a bracket and two letters of a name.
const MIN_LANE: u16 = 3;

/// Where one segment sits: its wrapped rows, its coder's group, where its codes' lanes start.
#[derive(Debug, Clone, Copy)]
struct SegmentRows {
    first_row: usize,
    last_row: usize,
    group: usize,
    lanes_at: usize,
}

/// The lane of every code of every shown segment, for one transcript at one wrap width.
#[derive(Debug, Clone, Default)]
pub struct Lanes {
    segments: Vec<SegmentRows>,
    /// The lane of each (segment, code), from `segments[i].lanes_at`.
    lanes: Vec<usize>,
    /// Whose segments each group holds: this coder first, then the others by id.
    groups: Vec<CoderId>,
    width: usize,
}

/// Lanes of one group being handed out: those still in use (until a row) and those free.
#[derive(Default)]
struct Handout {
    busy: BinaryHeap<Reverse<(usize, usize)>>,
    free: BinaryHeap<Reverse<usize>>,
    next: usize,
}

impl Handout {
    /// Frees the lanes whose segment ended before `row`.
    fn free_before(&mut self, row: usize) {
        while let Some(&Reverse((last, lane))) = self.busy.peek() {
            if last >= row {
                break;
            }
            self.busy.pop();
            self.free.push(Reverse(lane));
        }
    }

    /// The lowest free lane, kept busy up to and including `last_row`.
    fn take(&mut self, last_row: usize) -> usize {
        let lane = self.free.pop().map_or_else(
            || {
                self.next += 1;
                self.next - 1
            },
            |Reverse(lane)| lane,
        );
        self.busy.push(Reverse((last_row, lane)));
        lane
    }
}

impl Lanes {
    /// Lanes for the segments of `view` as wrapped now; `me` is the coder looking.
    pub fn new(view: &TextView, me: &CoderId) -> Lanes {
        let items = view.segments.items();
        let others: BTreeSet<&CoderId> = items
            .iter()
            .map(|s| &s.coder)
            .filter(|c| *c != me)
            .collect();
        let mut groups: Vec<CoderId> = Vec::with_capacity(others.len() + 1);
        if items.iter().any(|s| &s.coder == me) {
            groups.push(me.clone());
        }
        groups.extend(others.into_iter().cloned());
        let mut handouts: Vec<Handout> = groups.iter().map(|_| Handout::default()).collect();
        let mut segments = Vec::with_capacity(items.len());
        let mut lanes = Vec::with_capacity(items.len());
        for s in items {
            let (first_row, last_row) = rows_of(view, s);
            let group = groups.iter().position(|c| c == &s.coder).unwrap_or(0);
            segments.push(SegmentRows {
                first_row,
                last_row,
                group,
                lanes_at: lanes.len(),
            });
            if let Some(handout) = handouts.get_mut(group) {
                handout.free_before(first_row);
                lanes.extend(s.codes.iter().map(|_| handout.take(last_row)));
            }
        }
        Lanes {
            segments,
            lanes,
            groups,
            width: view.wrapped.width,
        }
    }

    /// Whether these lanes were given for `view` as it is wrapped and coded now.
    pub fn fits(&self, view: &TextView) -> bool {
        self.width == view.wrapped.width && self.segments.len() == view.segments.len()
    }

    pub fn groups(&self) -> &[CoderId] {
        &self.groups
    }
}

/// The first and last wrapped rows a segment covers.
fn rows_of(view: &TextView, s: &Shown) -> (usize, usize) {
    let first = view.wrapped.row_of(s.start);
    let last = view.wrapped.row_of(s.end.saturating_sub(1).max(s.start));
    (first, last.max(first))
}

/// One code of one segment on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    /// The segment's place in the view's segment index.
    pub segment: usize,
    /// Which of the segment's codes.
    pub code: usize,
    pub group: usize,
    pub lane: usize,
    /// First and last screen rows (0 = the margin's top row) the bracket covers.
    pub top: u16,
    pub bottom: u16,
    /// Whether the segment starts and ends on screen (else it runs on above or below).
    pub starts: bool,
    pub ends: bool,
    /// Whether it has a lane on screen (else it is counted in a "+N").
    pub shown: bool,
}

/// How the margin's columns are shared: groups side by side, each with its lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geometry {
    pub area: Rect,
    /// Columns of one lane.
    pub lane_width: u16,
    pub lanes_per_group: usize,
    /// How many groups have room (the first ones; the rest are not drawn).
    pub groups: usize,
}

impl Geometry {
    fn new(area: Rect, groups: usize) -> Geometry {
        let groups = groups.max(1);
        let lanes = usize::from(area.width / LANE_WIDTH).max(1);
        let mut lanes_per_group = (lanes / groups).max(1);
        let slots = u16::try_from(groups * lanes_per_group).unwrap_or(u16::MAX);
        let mut lane_width = (area.width / slots.max(1)).min(LANE_WIDTH);
        let mut shown = groups;
        if lane_width < MIN_LANE {
            lanes_per_group = 1;
            shown = usize::from(area.width / MIN_LANE).clamp(1, groups);
            lane_width = area.width / u16::try_from(shown).unwrap_or(1).max(1);
        }
        Geometry {
            area,
            lane_width,
            lanes_per_group,
            groups: shown,
        }
    }

    pub fn group_width(&self) -> u16 {
        self.lane_width * u16::try_from(self.lanes_per_group).unwrap_or(1)
    }

    pub fn group_x(&self, group: usize) -> u16 {
        self.area.x + self.group_width() * u16::try_from(group).unwrap_or(0)
    }

    fn lane_x(&self, group: usize, lane: usize) -> u16 {
        self.group_x(group) + self.lane_width * u16::try_from(lane).unwrap_or(0)
    }
}

/// The brackets on screen, for drawing and for mouse clicks.
#[derive(Debug, Clone)]
pub struct Placed {
    pub marks: Vec<Mark>,
    pub geometry: Geometry,
}

/// Places the segments on the rows of `view` now on screen in the margin `area`: the work is
/// proportional to those rows and the segments on them.
pub fn place(view: &TextView, lanes: &Lanes, area: Rect) -> Placed {
    let geometry = Geometry::new(area, lanes.groups.len());
    let mut marks = Vec::new();
    let rows = &view.wrapped.rows;
    let first = view.scroll.min(rows.len());
    let last = (view.scroll + usize::from(area.height))
        .min(rows.len())
        .saturating_sub(1);
    if area.width == 0 || area.height == 0 || first >= rows.len() || !lanes.fits(view) {
        return Placed { marks, geometry };
    }
    // One past the last row's end, so a segment starting at that line's newline counts.
    let (from, to) = (rows[first].start, rows[last].end + 1);
    for (index, _) in view.segments.overlapping_indexed(from, to) {
        let Some(rows) = lanes.segments.get(index) else {
            continue;
        };
        if rows.first_row > last || rows.last_row < first {
            continue;
        }
        let screen = |row: usize| u16::try_from(row - first).unwrap_or(u16::MAX);
        let codes = view.segments.items()[index].codes.len();
        for code in 0..codes {
            let Some(&lane) = lanes.lanes.get(rows.lanes_at + code) else {
                continue;
            };
            marks.push(Mark {
                segment: index,
                code,
                group: rows.group,
                lane,
                top: screen(rows.first_row.max(first)),
                bottom: screen(rows.last_row.min(last)),
                starts: rows.first_row >= first,
                ends: rows.last_row <= last,
                shown: rows.group < geometry.groups && lane < geometry.lanes_per_group,
            });
        }
    }
    Placed { marks, geometry }
}

impl Placed {
    /// The segment (its place in the view's index) whose bracket or label is at screen cell
    /// (`x`, `y`); on a "+N", the first segment it counts.
    pub fn hit(&self, x: u16, y: u16) -> Option<usize> {
        let g = &self.geometry;
        if !g.area.contains((x, y).into()) {
            return None;
        }
        let row = y - g.area.y;
        let group = usize::from((x - g.area.x) / g.group_width().max(1));
        if let Some((from, to)) = self.more_at(group, row)
            && (from..to).contains(&x)
        {
            return self
                .marks
                .iter()
                .find(|m| !m.shown && m.group == group && m.top == row)
                .map(|m| m.segment);
        }
        let on_row = |m: &&Mark| m.top <= row && row <= m.bottom;
        if let Some(mark) = self.marks.iter().filter(on_row).find(|m| {
            let left = g.lane_x(m.group, m.lane);
            m.shown && left <= x && x < left + g.lane_width
        }) {
            return Some(mark.segment);
        }
        None
    }

    /// The "+N" of `group` on screen row `row`, if codes begin there without a lane: its
    /// text and the columns it takes (right-aligned in the group, before its last column).
    fn more(&self, group: usize, row: u16) -> Option<(String, u16)> {
        let hidden = self.hidden_at(group, row);
        if hidden == 0 {
            return None;
        }
        let g = &self.geometry;
        let text = format!("+{hidden}");
        let width = u16::try_from(text.len()).unwrap_or(u16::MAX);
        let right = g.group_x(group) + g.group_width();
        let x = right.saturating_sub(width + 1).max(g.group_x(group));
        Some((text, x))
    }

    /// The columns of the "+N" of `group` on `row`, as a range.
    fn more_at(&self, group: usize, row: u16) -> Option<(u16, u16)> {
        self.more(group, row)
            .map(|(text, x)| (x, x + u16::try_from(text.len()).unwrap_or(0)))
    }

    /// The column a label may run up to (exclusive): the next bracket right of it on its
    /// row, the "+N" there, or the end of its group. A name so has room where lanes are free.
    fn label_end(&self, label: &Mark) -> u16 {
        let g = &self.geometry;
        let row = label.top;
        let mut end = g.group_x(label.group) + g.group_width();
        if let Some((from, _)) = self.more_at(label.group, row) {
            end = end.min(from);
        }
        self.marks
            .iter()
            .filter(|m| m.shown && m.group == label.group && m.lane > label.lane)
            .filter(|m| m.top <= row && row <= m.bottom)
            .map(|m| g.lane_x(m.group, m.lane))
            .fold(end, u16::min)
    }

    /// How many codes of `group` begin (on screen) at screen row `row` without a lane.
    fn hidden_at(&self, group: usize, row: u16) -> usize {
        self.marks
            .iter()
            .filter(|m| !m.shown && m.group == group && m.top == row)
            .count()
    }
}

/// The placed brackets for the app's current view, or None when the margin is folded away.
pub fn placed(app: &App, areas: &Areas) -> Option<Placed> {
    let view = app.code.view.as_ref()?;
    if !areas.margin_shown() {
        return None;
    }
    if app.code.margin_lanes.fits(view) {
        Some(place(view, &app.code.margin_lanes, areas.margin))
    } else {
        // Not yet given for this wrap (a resize between update and draw): give them now.
        Some(place(view, &Lanes::new(view, &app.coder), areas.margin))
    }
}

/// Draws the margin, and (with every coder shown) each group's coder id on the pane's top
/// border above it.
pub fn draw(app: &App, frame: &mut Frame, areas: &Areas) {
    let Some(placed) = placed(app, areas) else {
        return;
    };
    let Some(view) = app.code.view.as_ref() else {
        return;
    };
    let theme = &app.theme;
    let items = view.segments.items();
    let g = placed.geometry;
    let colour_of = |m: &Mark| -> Option<Colour> {
        let code = items.get(m.segment)?.codes.get(m.code)?;
        app.project().codebook.get(code)?.colour
    };
    let buffer = frame.buffer_mut();
    for m in placed.marks.iter().filter(|m| m.shown) {
        let x = g.lane_x(m.group, m.lane);
        let style = theme.margin_bracket(colour_of(m));
        for row in m.top..=m.bottom {
            let glyph = match (row == m.top && m.starts, row == m.bottom && m.ends) {
                (true, true) if m.top == m.bottom => "╶",
                (true, _) => "┌",
                (false, true) => "└",
                (false, false) => "│",
            };
            buffer.set_string(x, g.area.y + row, glyph, style);
        }
    }
    for m in placed.marks.iter().filter(|m| m.shown) {
        let Some(shown) = items.get(m.segment) else {
            continue;
        };
        let Some(code) = shown.codes.get(m.code) else {
            continue;
        };
        let here = shown.start <= view.cursor && view.cursor < shown.end.max(shown.start + 1);
        let style = theme.margin_label(colour_of(m), m.starts, here);
        let x = g.lane_x(m.group, m.lane) + 1;
        let room = usize::from(placed.label_end(m).saturating_sub(x + 1));
        let name = fit(&app.code_name(code), room);
        buffer.set_stringn(x, g.area.y + m.top, name, room, style);
    }
    for group in 0..g.groups {
        for row in 0..g.area.height {
            if let Some((more, x)) = placed.more(group, row) {
                let room = usize::from(g.group_x(group) + g.group_width() - x);
                buffer.set_stringn(x, g.area.y + row, more, room, theme.margin_more());
            }
        }
    }
    if app.show_all_coders {
        let focused = app.code.focus == crate::tui::app::Focus::Text;
        for (group, coder) in app
            .code
            .margin_lanes
            .groups()
            .iter()
            .take(g.groups)
            .enumerate()
        {
            let width = usize::from(g.group_width());
            let label = fit(&format!(" {coder} "), width);
            buffer.set_stringn(
                g.group_x(group),
                areas.text.y,
                label,
                width,
                theme.border(focused).patch(theme.margin_header()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CodeId, Segment, SegmentId, Transcript, TranscriptId, TranscriptMeta};
    use crate::tui::screens::code::text_view::SegmentIndex;

    fn view(text: &str, width: usize, segments: &[(&str, usize, usize, usize)]) -> TextView {
        let t = Transcript::new(
            TranscriptId::new("t").unwrap(),
            TranscriptMeta::default(),
            text.to_string(),
        );
        let mut view = TextView::new(&t, width);
        let coders: Vec<(CoderId, Vec<Segment>)> = ["a", "b"]
            .iter()
            .map(|c| {
                let segs = segments
                    .iter()
                    .filter(|s| s.0 == *c)
                    .map(|&(_, start, end, codes)| Segment {
                        id: SegmentId::random(),
                        start,
                        end,
                        codes: (0..codes).map(|_| CodeId::random()).collect(),
                        text: String::new(),
                        created: jiff::Timestamp::UNIX_EPOCH,
                        updated: None,
                    })
                    .collect();
                (CoderId::new(*c).unwrap(), segs)
            })
            .collect();
        let me = CoderId::new("a").unwrap();
        view.segments = SegmentIndex::new(coders.iter().map(|(c, s)| (c, s.as_slice(), *c == me)));
        view
    }

    /// Ten rows of ten columns each ("aaaaaaaaa " ...).
    fn rows_text() -> String {
        (0..10).map(|_| "aaaaaaaaa ").collect()
    }

    #[test]
    fn overlapping_segments_and_codes_take_separate_lanes_and_free_them_after() {
        let v = view(
            &rows_text(),
            10,
            &[("a", 0, 35, 2), ("a", 12, 18, 1), ("a", 40, 45, 1)],
        );
        let lanes = Lanes::new(&v, &CoderId::new("a").unwrap());
        assert_eq!(lanes.lanes, vec![0, 1, 2, 0]);
        assert_eq!(lanes.groups().len(), 1);
    }

    #[test]
    fn a_lane_stays_the_same_while_scrolling() {
        let mut v = view(
            &rows_text(),
            10,
            &[("a", 0, 55, 1), ("a", 30, 95, 1), ("a", 60, 70, 1)],
        );
        let lanes = Lanes::new(&v, &CoderId::new("a").unwrap());
        let area = Rect::new(0, 0, 36, 3);
        let lane_of = |placed: &Placed, segment: usize| {
            placed
                .marks
                .iter()
                .find(|m| m.segment == segment)
                .map(|m| m.lane)
        };
        for scroll in 0..8 {
            v.scroll = scroll;
            let placed = place(&v, &lanes, area);
            if let Some(lane) = lane_of(&placed, 1) {
                assert_eq!(lane, 1, "at scroll {scroll}");
            }
            assert!(placed.marks.iter().all(|m| usize::from(m.bottom) < 3));
        }
    }

    #[test]
    fn lanes_that_run_out_are_counted_and_clicks_find_the_segment() {
        let v = view(
            &rows_text(),
            10,
            &[("a", 0, 20, 2), ("a", 2, 20, 1), ("a", 3, 20, 1)],
        );
        let lanes = Lanes::new(&v, &CoderId::new("a").unwrap());
        let placed = place(&v, &lanes, Rect::new(50, 5, 24, 4));
        assert_eq!(placed.geometry.lanes_per_group, 2);
        assert_eq!(placed.marks.iter().filter(|m| !m.shown).count(), 2);
        assert_eq!(placed.hidden_at(0, 0), 2);
        assert_eq!(placed.hit(50, 5), Some(0));
        assert_eq!(placed.hit(62, 6), Some(0), "the second lane's bracket");
        assert_eq!(placed.hit(50, 8), None, "below the segment");
        // The "+2" stands right-aligned in the group, before its last column; a click on it
        // goes to the first code it counts.
        assert_eq!(placed.more(0, 0), Some(("+2".to_string(), 71)));
        assert_eq!(
            placed.hit(71, 5),
            Some(1),
            "the second segment, without a lane"
        );
        assert_eq!(placed.hit(72, 5), Some(1));
        assert_eq!(placed.hit(70, 5), Some(0), "the second lane's label");
    }

    #[test]
    fn every_coder_has_a_group_with_this_coder_first() {
        let v = view(&rows_text(), 10, &[("b", 0, 20, 1), ("a", 30, 40, 1)]);
        let lanes = Lanes::new(&v, &CoderId::new("a").unwrap());
        let names: Vec<&str> = lanes.groups().iter().map(|c| c.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        let placed = place(&v, &lanes, Rect::new(0, 0, 24, 5));
        assert_eq!(placed.geometry.groups, 2);
        assert_eq!(placed.geometry.lanes_per_group, 1);
        let b = placed.marks.iter().find(|m| m.group == 1).unwrap();
        assert_eq!((b.lane, b.top, b.bottom), (0, 0, 1));
        assert_eq!(placed.hit(12, 1), Some(b.segment));
    }
}
