//! The state of the transcript pane: the cursor, the selection, scrolling, and the indexes that
//! keep drawing and motion proportional to what is on screen: wrapped rows, speaker turns, and
//! the visible segments sorted for range queries.

use crate::model::{CodeId, CoderId, Segment, SegmentId, Transcript};
use crate::text::structure::{
    next_word_end, next_word_start, paragraph_bounds, prev_word_start, sentence_bounds, word_at,
};
use crate::text::{Turn, find_turns};
use crate::tui::widgets::wrap::{Wrapped, grapheme_width};
use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

/// A segment shown in the pane, with whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub coder: CoderId,
    pub id: SegmentId,
    pub start: usize,
    pub end: usize,
    pub codes: Vec<CodeId>,
    pub mine: bool,
}

/// Visible segments sorted by start, with the running maximum of their ends, so the segments
/// overlapping a range are found by binary search instead of a scan of the transcript.
#[derive(Debug, Clone, Default)]
pub struct SegmentIndex {
    items: Vec<Shown>,
    max_end: Vec<usize>,
}

impl SegmentIndex {
    pub fn new<'a>(
        groups: impl IntoIterator<Item = (&'a CoderId, &'a [Segment], bool)>,
    ) -> SegmentIndex {
        let mut items: Vec<Shown> = groups
            .into_iter()
            .flat_map(|(coder, segments, mine)| {
                segments.iter().map(move |s| Shown {
                    coder: coder.clone(),
                    id: s.id.clone(),
                    start: s.start,
                    end: s.end,
                    codes: s.codes.clone(),
                    mine,
                })
            })
            .collect();
        items.sort_by_key(|s| (s.start, s.end));
        let mut running = 0;
        let max_end = items
            .iter()
            .map(|s| {
                running = running.max(s.end);
                running
            })
            .collect();
        SegmentIndex { items, max_end }
    }

    /// Segments overlapping `[start, end)` (or containing `start` when the range is empty).
    pub fn overlapping(&self, start: usize, end: usize) -> impl Iterator<Item = &Shown> {
        let first = self.max_end.partition_point(|&e| e <= start);
        let end = end.max(start + 1);
        self.items[first..]
            .iter()
            .take_while(move |s| s.start < end)
            .filter(move |s| s.end > start)
    }

    /// Like [`SegmentIndex::overlapping`], with each segment's place in [`SegmentIndex::items`].
    pub fn overlapping_indexed(
        &self,
        start: usize,
        end: usize,
    ) -> impl Iterator<Item = (usize, &Shown)> {
        let first = self.max_end.partition_point(|&e| e <= start);
        let end = end.max(start + 1);
        self.items[first..]
            .iter()
            .enumerate()
            .map(move |(i, s)| (first + i, s))
            .take_while(move |(_, s)| s.start < end)
            .filter(move |(_, s)| s.end > start)
    }

    /// Every segment shown, sorted by start, then end.
    pub fn items(&self) -> &[Shown] {
        &self.items
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct TextView {
    /// Char offset of the cursor, always on a grapheme boundary.
    pub cursor: usize,
    /// The other end of the selection while selecting.
    pub anchor: Option<usize>,
    /// The segment being adjusted (its range is the selection), if any.
    pub adjusting: Option<SegmentId>,
    /// Whether the selection snaps to whole words (a keyboard selection, unless the user's
    /// config turns it off; never a mouse drag or an adjustment).
    pub snap: bool,
    /// The cursor got where it is by a motion to a start (of a word, sentence, paragraph or
    /// turn): a snapping selection that ends there stops before it, as a caret would.
    pub at_a_start: bool,
    /// First row shown.
    pub scroll: usize,
    /// Display column that up/down try to keep.
    pub goal_column: Option<usize>,
    pub wrapped: Wrapped,
    pub turns: Vec<Turn>,
    pub segments: SegmentIndex,
    /// Search hits in chars, sorted.
    pub hits: Vec<(usize, usize)>,
}

impl TextView {
    pub fn new(transcript: &Transcript, width: usize) -> TextView {
        TextView {
            cursor: 0,
            anchor: None,
            adjusting: None,
            snap: false,
            at_a_start: false,
            scroll: 0,
            goal_column: None,
            wrapped: Wrapped::new(transcript.text(), width),
            turns: find_turns(transcript.text()),
            segments: SegmentIndex::default(),
            hits: Vec::new(),
        }
    }

    pub fn rewrap(&mut self, transcript: &Transcript, width: usize) {
        if self.wrapped.width != width.max(1) {
            self.wrapped = Wrapped::new(transcript.text(), width);
        }
    }

    /// The selection as a half-open char range, if selecting.
    pub fn selection(&self) -> Option<(usize, usize)> {
        self.anchor
            .map(|a| (a.min(self.cursor), a.max(self.cursor)))
    }

    /// The selected char range, before surrounding whitespace is trimmed. Without snapping it
    /// runs from the earlier end to past the grapheme under the later one (as in vi). With
    /// snapping, a cursor moved to the start of a word (by `w`, `)` and the like) ends the
    /// selection before that word when it is the later end (so `v w w` takes two words, and a
    /// sentence extended to the next one's start does not take its first letter), and both
    /// ends then grow to whole words.
    pub fn selected(&self, t: &Transcript) -> Option<(usize, usize)> {
        let (first, last) = self.selection()?;
        if !self.snap {
            return Some((first, motion::next_grapheme(t, last).min(t.char_len())));
        }
        let caret_before = self.at_a_start && last == self.cursor && last > first;
        let end = if caret_before && motion::word_around(t, last).is_some_and(|(s, _)| s == last) {
            last
        } else {
            motion::next_grapheme(t, last).min(t.char_len())
        };
        let start = motion::word_around(t, first).map_or(first, |(s, _)| s.min(first));
        let end = match end.checked_sub(1) {
            Some(before) if end > start => {
                motion::word_around(t, before).map_or(end, |(_, e)| e.max(end))
            }
            _ => end,
        };
        Some((start, end))
    }

    pub fn cursor_row(&self) -> usize {
        self.wrapped.row_of(self.cursor)
    }

    /// Scrolls so the cursor row is on screen with a little context.
    pub fn follow_cursor(&mut self, height: usize) {
        let row = self.cursor_row();
        let margin = if height > 8 { 2 } else { 0 };
        if row < self.scroll + margin {
            self.scroll = row.saturating_sub(margin);
        } else if row + margin >= self.scroll + height {
            self.scroll = (row + margin + 1).saturating_sub(height);
        }
        let last_start = self.wrapped.rows.len().saturating_sub(height.max(1));
        self.scroll = self
            .scroll
            .min(last_start.max(row.saturating_sub(height.saturating_sub(1))));
    }

    /// Display column of the cursor within its row.
    pub fn cursor_column(&self, text: &str, t: &Transcript) -> usize {
        let row = self.wrapped.rows[self.cursor_row()];
        let byte = t
            .index()
            .char_to_byte(text, self.cursor)
            .unwrap_or(row.byte_end)
            .clamp(row.byte_start, row.byte_end);
        text[row.byte_start..byte]
            .graphemes(true)
            .map(grapheme_width)
            .sum()
    }

    /// Char offset at display column `column` of row `row` (clamped to the row's text).
    pub fn offset_at(&self, t: &Transcript, row: usize, column: usize) -> usize {
        let Some(r) = self.wrapped.rows.get(row) else {
            return t.char_len();
        };
        let text = t.text();
        let mut used = 0;
        let mut at = r.start;
        for g in text[r.byte_start..r.byte_end].graphemes(true) {
            let w = grapheme_width(g);
            if used + w > column {
                return at;
            }
            used += w;
            at += g.chars().count();
        }
        // Past the end of the row: the row's end, unless that is where the next row starts.
        if r.end > r.start
            && self
                .wrapped
                .rows
                .get(row + 1)
                .is_some_and(|next| next.start == r.end)
        {
            at.saturating_sub(1).max(r.start)
        } else {
            at
        }
    }
}

/// Motions, all in char offsets on grapheme boundaries.
pub mod motion {
    use super::*;

    fn byte(t: &Transcript, at: usize) -> usize {
        t.index()
            .char_to_byte(t.text(), at)
            .unwrap_or(t.text().len())
    }

    fn char_at(t: &Transcript, byte: usize) -> usize {
        t.index()
            .byte_to_char(t.text(), byte)
            .unwrap_or(t.char_len())
    }

    pub fn next_grapheme(t: &Transcript, at: usize) -> usize {
        let text = t.text();
        let mut cursor = GraphemeCursor::new(byte(t, at), text.len(), true);
        match cursor.next_boundary(text, 0) {
            Ok(Some(b)) => char_at(t, b),
            _ => t.char_len(),
        }
    }

    pub fn prev_grapheme(t: &Transcript, at: usize) -> usize {
        let text = t.text();
        let mut cursor = GraphemeCursor::new(byte(t, at), text.len(), true);
        match cursor.prev_boundary(text, 0) {
            Ok(Some(b)) => char_at(t, b),
            _ => 0,
        }
    }

    pub fn word_next(t: &Transcript, at: usize) -> usize {
        char_at(t, next_word_start(t.text(), byte(t, at)))
    }

    pub fn word_prev(t: &Transcript, at: usize) -> usize {
        char_at(t, prev_word_start(t.text(), byte(t, at)))
    }

    /// The last grapheme of this word (or, from there, of the next word).
    pub fn word_end(t: &Transcript, at: usize) -> usize {
        let end = char_at(t, next_word_end(t.text(), byte(t, at)));
        prev_grapheme(t, end).max(at.min(end))
    }

    /// Char range of the word containing `at`, if it is in one.
    pub fn word_around(t: &Transcript, at: usize) -> Option<(usize, usize)> {
        let (s, e) = word_at(t.text(), byte(t, at))?;
        Some((char_at(t, s), char_at(t, e)))
    }

    /// Where `)` takes the later end of a selection: the last grapheme of this sentence, or
    /// from there of the next one, so a selection grows by whole sentences.
    pub fn sentence_end_next(t: &Transcript, turns: &[Turn], at: usize) -> usize {
        let (_, end) = sentence(t, turns, at);
        let last = prev_grapheme(t, end);
        if end > at && last > at {
            return last;
        }
        let next = sentence_next(t, turns, at);
        let (_, end) = sentence(t, turns, next);
        prev_grapheme(t, end).max(next)
    }

    /// Where `(` takes the later end of a selection: the last grapheme of the sentence before
    /// this one, so a selection shrinks by whole sentences.
    pub fn sentence_end_prev(t: &Transcript, turns: &[Turn], at: usize) -> usize {
        let (start, _) = sentence(t, turns, at);
        let before = sentence_prev(t, turns, start.min(at));
        let (_, end) = sentence(t, turns, before);
        prev_grapheme(t, end).max(before)
    }

    /// Char range of the sentence around `at`. A turn's first sentence starts after the
    /// speaker's label, since the label is not what the speaker said.
    pub fn sentence(t: &Transcript, turns: &[Turn], at: usize) -> (usize, usize) {
        let (s, e) = sentence_bounds(t.text(), byte(t, at));
        let (mut s, e) = (char_at(t, s), char_at(t, e));
        if let Some(turn) = turn_at(turns, at)
            && s < turn.speech_start
            && turn.speech_start < e
        {
            s = turn.speech_start;
        }
        (s, e)
    }

    pub fn sentence_next(t: &Transcript, turns: &[Turn], at: usize) -> usize {
        let (_, end) = sentence(t, turns, at);
        // Skip the space after the sentence (and any blank lines) to the next one's start.
        let mut next = end;
        while next < t.char_len() {
            let (s, e) = sentence(t, turns, next);
            if s > at && e > s {
                return s;
            }
            next = next_grapheme(t, next.max(e));
        }
        t.char_len()
    }

    pub fn sentence_prev(t: &Transcript, turns: &[Turn], at: usize) -> usize {
        let (start, _) = sentence(t, turns, at);
        if start < at {
            return start;
        }
        let mut back = start;
        while back > 0 {
            back = prev_grapheme(t, back);
            let (s, e) = sentence(t, turns, back);
            if s < start && e > s {
                return s;
            }
        }
        0
    }

    pub fn paragraph(t: &Transcript, at: usize) -> (usize, usize) {
        let (s, e) = paragraph_bounds(t.text(), byte(t, at));
        (char_at(t, s), char_at(t, e))
    }

    pub fn paragraph_next(t: &Transcript, at: usize) -> usize {
        let text = t.text();
        let (_, end) = paragraph_bounds(text, byte(t, at));
        let rest = &text[end..];
        let skipped = rest.len() - rest.trim_start_matches('\n').len();
        char_at(t, end + skipped)
    }

    pub fn paragraph_prev(t: &Transcript, at: usize) -> usize {
        let (start, _) = paragraph(t, at);
        if start < at || start == 0 {
            return start;
        }
        let text = t.text();
        let before = text[..byte(t, start)].trim_end_matches('\n');
        let (s, _) = paragraph_bounds(text, before.len().saturating_sub(1));
        char_at(t, s)
    }

    pub fn turn_next(turns: &[Turn], at: usize, len: usize) -> usize {
        turns
            .iter()
            .find(|t| t.start > at)
            .map_or(len, |t| t.speech_start)
    }

    pub fn turn_prev(turns: &[Turn], at: usize) -> usize {
        turns
            .iter()
            .rev()
            .map(|t| t.speech_start)
            .find(|&s| s < at)
            .unwrap_or(0)
    }

    /// The turn containing `at`.
    pub fn turn_at(turns: &[Turn], at: usize) -> Option<&Turn> {
        let i = turns.partition_point(|t| t.start <= at);
        turns.get(i.checked_sub(1)?)
    }
}

#[cfg(test)]
mod tests {
    use super::motion::*;
    use super::*;
    use crate::model::{TranscriptId, TranscriptMeta};

    fn t(text: &str) -> Transcript {
        Transcript::new(
            TranscriptId::new("t").unwrap(),
            TranscriptMeta::default(),
            text.to_string(),
        )
    }

    const TEXT: &str = "Interviewer: Why? Tell me.\n\nParticipant 1: It was 医生 👩‍⚕️ help. We met.\nThen more.\n\nInterviewer: Ok.\n";

    fn at(text: &str, needle: &str) -> usize {
        text[..text.find(needle).unwrap()].chars().count()
    }

    #[test]
    fn graphemes_step_over_emoji_sequences() {
        let tr = t(TEXT);
        let emoji = at(TEXT, "👩");
        assert_eq!(next_grapheme(&tr, emoji), emoji + "👩‍⚕️".chars().count());
        assert_eq!(prev_grapheme(&tr, emoji + 4), emoji);
    }

    #[test]
    fn sentences_and_paragraphs() {
        let tr = t(TEXT);
        let turns = find_turns(TEXT);
        let inside = at(TEXT, "was");
        let (s, e) = sentence(&tr, &turns, inside);
        assert_eq!(
            tr.slice(s, e),
            Some("It was 医生 👩‍⚕️ help."),
            "without the speaker label"
        );
        assert_eq!(sentence_next(&tr, &turns, inside), at(TEXT, "We met"));
        assert_eq!(sentence_prev(&tr, &turns, at(TEXT, "We met")), s);
        assert_eq!(sentence_prev(&tr, &turns, s), at(TEXT, "Tell me"));
        assert_eq!(paragraph_next(&tr, 0), at(TEXT, "Participant"));
        assert_eq!(paragraph_next(&tr, inside), at(TEXT, "Interviewer: Ok"));
        assert_eq!(
            paragraph_prev(&tr, at(TEXT, "Interviewer: Ok")),
            at(TEXT, "Participant")
        );
        assert_eq!(paragraph_prev(&tr, inside), at(TEXT, "Participant"));
    }

    #[test]
    fn turns_move_to_speech() {
        let tr = t(TEXT);
        let turns = find_turns(tr.text());
        assert_eq!(turn_next(&turns, 0, tr.char_len()), at(TEXT, "It was"));
        assert_eq!(turn_prev(&turns, at(TEXT, "Ok")), at(TEXT, "It was"));
        assert_eq!(
            turn_at(&turns, at(TEXT, "医")).unwrap().label,
            "Participant 1"
        );
    }

    #[test]
    fn segment_index_finds_overlaps_including_long_early_segments() {
        let coder = CoderId::new("a").unwrap();
        let seg = |start, end| Segment {
            id: SegmentId::random(),
            start,
            end,
            codes: vec![],
            text: String::new(),
            created: jiff::Timestamp::UNIX_EPOCH,
            updated: None,
        };
        let segs = vec![
            seg(0, 100),
            seg(10, 20),
            seg(30, 40),
            seg(50, 60),
            seg(200, 210),
        ];
        let index = SegmentIndex::new([(&coder, segs.as_slice(), true)]);
        let found: Vec<(usize, usize)> = index
            .overlapping(35, 55)
            .map(|s| (s.start, s.end))
            .collect();
        assert_eq!(found, vec![(0, 100), (30, 40), (50, 60)]);
        assert_eq!(index.overlapping(20, 30).count(), 1);
        assert_eq!(
            index.overlapping(205, 205).count(),
            1,
            "a point inside a segment"
        );
        assert_eq!(index.overlapping(150, 199).count(), 0);
    }

    /// The text a selection from `anchor` to `cursor` takes, spaces around it trimmed.
    fn taken(tr: &Transcript, anchor: usize, cursor: usize, snap: bool) -> String {
        let mut view = TextView::new(tr, 80);
        view.anchor = Some(anchor);
        view.cursor = cursor;
        view.snap = snap;
        // As after `w`, `)` and other motions to a start.
        view.at_a_start = true;
        let (s, e) = view.selected(tr).unwrap();
        tr.slice(s, e).unwrap().trim().to_string()
    }

    #[test]
    fn v_w_w_selects_whole_words() {
        let text = "We saw the nice example today.";
        let tr = t(text);
        let from = at(text, "the");
        let to = word_next(&tr, word_next(&tr, from));
        assert_eq!(to, at(text, "example"));
        assert_eq!(taken(&tr, from, to, true), "the nice");
        assert_eq!(
            taken(&tr, from, to, false),
            "the nice e",
            "without snapping, the letter under the cursor is taken"
        );
        // Shift+Right from inside a word takes the whole word; so does a lone `v`.
        assert_eq!(taken(&tr, from + 1, from + 2, true), "the");
        assert_eq!(taken(&tr, from + 1, from + 1, true), "the");
        // Backwards: the word under the anchor's end is whole too.
        assert_eq!(
            taken(&tr, at(text, "ample"), at(text, "ice"), true),
            "nice example"
        );
        // The end-of-word motion lands on a word's last letter.
        assert_eq!(word_end(&tr, from), at(text, "e nice"));
        assert_eq!(word_end(&tr, at(text, "e nice")), at(text, "e example"));
        assert_eq!(
            taken(&tr, from, word_end(&tr, word_end(&tr, from)), false),
            "the nice"
        );
        // A one-letter word reached by `;` (not a motion to a start) is taken.
        let tr = t("so I said");
        let mut view = TextView::new(&tr, 80);
        (view.anchor, view.cursor, view.snap) = (Some(0), word_end(&tr, 1), true);
        assert_eq!(view.cursor, 3);
        assert_eq!(view.selected(&tr), Some((0, 4)));
    }

    #[test]
    fn a_sentence_selection_never_takes_the_next_sentences_first_letter() {
        // The README screenshot's case: `s`, then `)`.
        let text =
            "Participant 3: It goes to the triage huddle. We decide where it goes. Then lunch.\n";
        let tr = t(text);
        let turns = find_turns(text);
        let (s, e) = sentence(&tr, &turns, at(text, "triage"));
        assert_eq!(tr.slice(s, e), Some("It goes to the triage huddle."));
        let last = prev_grapheme(&tr, e);
        // `)` from the selection's end: the next sentence's start, which snapping leaves out…
        let next = sentence_next(&tr, &turns, last);
        assert_eq!(next, at(text, "We decide"));
        assert_eq!(taken(&tr, s, next, true), "It goes to the triage huddle.");
        // …and what `)` does while selecting: grow to the end of the next sentence, whole.
        let grown = sentence_end_next(&tr, &turns, last);
        for snap in [true, false] {
            assert_eq!(
                taken(&tr, s, grown, snap),
                "It goes to the triage huddle. We decide where it goes."
            );
        }
        // `(` shrinks it back by a whole sentence.
        let shrunk = sentence_end_prev(&tr, &turns, grown);
        assert_eq!(
            taken(&tr, s, shrunk, false),
            "It goes to the triage huddle."
        );
    }

    #[test]
    fn columns_and_offsets_agree_on_wide_characters() {
        let tr = t("ab医生cd");
        let view = TextView::new(&tr, 40);
        assert_eq!(view.offset_at(&tr, 0, 2), 2);
        assert_eq!(
            view.offset_at(&tr, 0, 3),
            2,
            "the right half of 医 is still 医"
        );
        assert_eq!(view.offset_at(&tr, 0, 4), 3);
        assert_eq!(view.offset_at(&tr, 0, 99), 6);
    }
}
