//! Coding on the Code screen: what is selected, coding it with a picked, new or in-vivo
//! code, removing a code, adjusting a segment's ends, and where the cursor goes after.

use crate::model::{
    Code, CodeId, CoderId, Edit, Level, Position, Segment, SegmentId, Transcript, TranscriptId,
};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Context;
use crate::tui::overlays::Overlay;
use crate::tui::overlays::picker::{Item, Pick, Picker, PickerKind};
use crate::tui::screens::code::text_view::{Shown, motion};
use crate::tui::screens::code::{Focus, current_transcript, shown_path};
use crate::tui::screens::codebook::colour_for_new_code;

/// Longest name given to an in-vivo code, in chars.
const IN_VIVO_MAX_CHARS: usize = 60;

impl App {
    /// The selected range: from anchor to cursor, including the grapheme under whichever is
    /// later (whole words when the selection snaps: see [`TextView::selected`]), with
    /// surrounding whitespace left out.
    pub fn selected_range(&self) -> Option<(usize, usize)> {
        let t = self.transcript()?;
        let view = self.code.view.as_ref()?;
        let (a, end) = view.selected(t)?;
        trim_range(t, a, end)
    }

    /// This coder's innermost segment containing the cursor.
    pub fn my_segment_at_cursor(&self) -> Option<Segment> {
        let (t, view) = (self.transcript()?, self.code.view.as_ref()?);
        self.ws
            .project()
            .segments(&self.coder, &t.id)
            .iter()
            .filter(|s| s.start <= view.cursor && view.cursor < s.end)
            .min_by_key(|s| s.len())
            .cloned()
    }

    /// Segments shown at the cursor, innermost first.
    pub fn shown_at_cursor(&self) -> Vec<&Shown> {
        let Some(view) = self.code.view.as_ref() else {
            return Vec::new();
        };
        let mut here: Vec<&Shown> = view
            .segments
            .overlapping(view.cursor, view.cursor)
            .collect();
        here.sort_by_key(|s| s.end - s.start);
        here
    }

    // ----- coding -----

    pub(crate) fn open_code_picker(&mut self) {
        if self.selected_range().is_none() && self.my_segment_at_cursor().is_none() {
            self.status = self.nothing_to_code();
            return;
        }
        let items = self.code_picker_items();
        let book = &self.project().codebook;
        // Where a new code would go, named by its full path so the picker can show it whole.
        let mut parents = vec![(None, "the top level".to_string())];
        parents.extend(
            book.walk()
                .into_iter()
                .filter(|(_, c)| c.level != Level::Code)
                .map(|(_, c)| (Some(c.id.clone()), shown_path(book, &c.id))),
        );
        // Default parent: the top level, unless the codebook pane has focus, where the theme or
        // sub-theme selected there (or the parent of the selected code) is meant.
        let selected = (self.code.focus == Focus::Codebook)
            .then(|| self.tree.get(self.tree_selected).map(|r| r.id.clone()))
            .flatten();
        let chosen = selected
            .and_then(|id| {
                let level = book.get(&id)?.level;
                let parent = if level == Level::Code {
                    book.parent(&id).cloned()
                } else {
                    Some(id)
                };
                parents
                    .iter()
                    .position(|(p, _)| p.as_ref() == parent.as_ref())
            })
            .unwrap_or(0);
        self.overlay =
            Overlay::Picker(Picker::new(PickerKind::Assign, items).with_parents(parents, chosen));
    }

    /// Every code, for a picker that codes with one.
    pub(crate) fn code_picker_items(&self) -> Vec<Item> {
        let book = &self.project().codebook;
        book.walk()
            .into_iter()
            .map(|(_, code)| {
                // The name first, then where it sits: matches in the name rank above matches
                // that only the path supplies.
                let within = book
                    .parent(&code.id)
                    .map(|p| book.path(p))
                    .unwrap_or_default();
                Item {
                    label: code.name.clone(),
                    haystack: format!("{} · {within}", code.name),
                    pick: Pick::Code(code.id.clone()),
                    colour: code.colour,
                }
            })
            .collect()
    }

    pub(crate) fn nothing_to_code(&self) -> String {
        let keys = [Action::Visual, Action::SelectSentence, Action::SelectTurn]
            .map(|a| self.keymap.keys_for(Context::Text, a));
        format!(
            "Nothing selected: select with {} (from the cursor), {} (sentence) or {} (turn)",
            keys[0], keys[1], keys[2]
        )
    }

    /// The edit that codes the selection (or, with none, your segment under the cursor) with
    /// `code`, or the reason there is nothing to do.
    pub(crate) fn coding_edit(&mut self, code: &CodeId) -> Result<Edit, String> {
        let t = self.transcript_id().ok_or("No transcript is open")?;
        let target = match self.selected_range() {
            Some((start, end)) => {
                let same_range = self
                    .ws
                    .project()
                    .segments(&self.coder, &t)
                    .iter()
                    .find(|s| s.start == start && s.end == end)
                    .cloned();
                match same_range {
                    Some(segment) => segment,
                    None => {
                        let segment = self
                            .new_segment(start, end, vec![code.clone()])
                            .ok_or("The selection is outside the transcript")?;
                        return Ok(Edit::AddSegment {
                            coder: self.coder.clone(),
                            transcript: t,
                            segment,
                        });
                    }
                }
            }
            None => self
                .my_segment_at_cursor()
                .ok_or_else(|| self.nothing_to_code())?,
        };
        if target.codes.contains(code) {
            return Err(format!("Already coded {}", self.code_name(code)));
        }
        Ok(add_code_edit(&self.coder, &t, target, code.clone()))
    }

    /// Codes the selection (or, with no selection, the segment under the cursor) with `code`.
    pub fn assign(&mut self, code: CodeId) {
        let name = self.code_name(&code);
        match self.coding_edit(&code) {
            Ok(edit) => {
                let coded = coded_segment(&edit);
                if self.apply(edit, &format!("Coded {name}")) {
                    self.clear_selection();
                    self.after_coding(coded);
                }
            }
            Err(reason) => self.status = reason,
        }
    }

    pub(crate) fn new_segment(
        &mut self,
        start: usize,
        end: usize,
        codes: Vec<CodeId>,
    ) -> Option<Segment> {
        let text = self.transcript()?.slice(start, end)?.to_string();
        Some(Segment {
            id: SegmentId::random(),
            start,
            end,
            codes,
            text,
            created: jiff::Timestamp::now(),
            updated: None,
        })
    }

    pub(crate) fn create_and_assign(&mut self, name: &str, parent: Option<CodeId>, level: Level) {
        let mut code = Code::new(name, level);
        code.colour = Some(colour_for_new_code(
            &self.project().codebook,
            parent.as_ref(),
        ));
        let index = self.project().codebook.children(parent.as_ref()).len();
        let add = Edit::AddCode {
            code: code.clone(),
            at: Position {
                parent: parent.clone(),
                index,
            },
        };
        let coding = match self.coding_edit(&code.id) {
            Ok(edit) => edit,
            Err(reason) => {
                self.status = reason;
                return;
            }
        };
        let place = parent
            .map(|p| self.project().codebook.path(&p))
            .unwrap_or_else(|| "the top level".into());
        let label = format!("create and code {name:?}");
        let coded = coded_segment(&coding);
        if self.apply(
            Edit::Batch {
                label,
                edits: vec![add, coding],
            },
            &format!("Created {name:?} under {place} and coded with it"),
        ) {
            self.clear_selection();
            self.after_coding(coded);
        }
    }

    pub(crate) fn in_vivo(&mut self) {
        let Some((start, end)) = self.selected_range() else {
            self.status = self.nothing_to_code();
            return;
        };
        let Some(words) = self.transcript().and_then(|t| t.slice(start, end)) else {
            return;
        };
        let Some(name) = in_vivo_name(words) else {
            self.status = "The selection has no words to name a code".into();
            return;
        };
        let existing = self
            .ws
            .project()
            .codebook
            .children(None)
            .iter()
            .find(|id| self.code_name(id).eq_ignore_ascii_case(&name))
            .cloned();
        match existing {
            Some(code) => self.assign(code),
            None => self.create_and_assign(&name, None, Level::Code),
        }
    }

    pub(crate) fn remove_code(&mut self) {
        let Some(t) = self.transcript_id() else {
            return;
        };
        let Some(view) = self.code.view.as_ref() else {
            return;
        };
        let cursor = view.cursor;
        let mine: Vec<Segment> = self
            .ws
            .project()
            .segments(&self.coder, &t)
            .iter()
            .filter(|s| s.start <= cursor && cursor < s.end)
            .cloned()
            .collect();
        let pairs: Vec<(Segment, CodeId)> = mine
            .iter()
            .flat_map(|s| s.codes.iter().map(move |c| (s.clone(), c.clone())))
            .collect();
        match pairs.as_slice() {
            [] => self.status = "None of your segments is here".into(),
            [(segment, code)] => {
                let (segment, code) = (segment.id.clone(), code.clone());
                self.uncode(&self.coder.clone(), &segment, &code);
            }
            _ => {
                let items = pairs
                    .iter()
                    .map(|(s, c)| {
                        let name = self.code_name(c);
                        let quote: String = s.text.chars().take(40).collect();
                        let label = format!("{name} — “{}”", quote.replace('\n', " "));
                        let colour = self.project().codebook.get(c).and_then(|c| c.colour);
                        Item {
                            haystack: label.clone(),
                            label,
                            pick: Pick::Uncode {
                                coder: self.coder.clone(),
                                segment: s.id.clone(),
                                code: c.clone(),
                            },
                            colour,
                        }
                    })
                    .collect();
                self.overlay = Overlay::Picker(Picker::new(PickerKind::RemoveCode, items));
            }
        }
    }

    pub(crate) fn uncode(&mut self, coder: &CoderId, segment: &SegmentId, code: &CodeId) {
        let Some(t) = self.transcript_id() else {
            return;
        };
        let Some(seg) = self
            .ws
            .project()
            .segments(coder, &t)
            .iter()
            .find(|s| &s.id == segment)
            .cloned()
        else {
            return;
        };
        let name = self.code_name(code);
        let edit = if seg.codes.len() == 1 {
            Edit::RemoveSegment {
                coder: coder.clone(),
                transcript: t,
                segment: seg,
            }
        } else {
            let mut after = seg.clone();
            after.codes.retain(|c| c != code);
            after.updated = Some(jiff::Timestamp::now());
            Edit::UpdateSegment {
                coder: coder.clone(),
                transcript: t,
                before: seg,
                after,
            }
        };
        self.apply(edit, &format!("Removed {name} from the segment"));
    }

    pub(crate) fn start_adjust(&mut self) {
        let Some(seg) = self.my_segment_at_cursor() else {
            self.status = "None of your segments is here to adjust".into();
            return;
        };
        let height = self.areas().text_height();
        let Some(t) = current_transcript(&self.code.order, self.code.current, &self.ws) else {
            return;
        };
        let Some(view) = self.code.view.as_mut() else {
            return;
        };
        view.anchor = Some(seg.start);
        view.cursor = motion::prev_grapheme(t, seg.end).max(seg.start);
        view.adjusting = Some(seg.id.clone());
        view.snap = false;
        view.follow_cursor(height);
        let keys = [Action::SwapAnchor, Action::Assign, Action::Cancel]
            .map(|a| self.keymap.keys_for(Context::Text, a));
        self.status = format!(
            "Adjusting: move to change the end, {} for the other end, {} to apply, {} to cancel",
            keys[0], keys[1], keys[2]
        );
    }

    pub(crate) fn finish_adjust(&mut self) {
        let Some(t) = self.transcript_id() else {
            return;
        };
        let Some(id) = self.code.view.as_ref().and_then(|v| v.adjusting.clone()) else {
            return;
        };
        let Some(before) = self
            .ws
            .project()
            .segments(&self.coder, &t)
            .iter()
            .find(|s| s.id == id)
            .cloned()
        else {
            return;
        };
        let Some((start, end)) = self.selected_range() else {
            return;
        };
        let Some(text) = self
            .transcript()
            .and_then(|tr| tr.slice(start, end))
            .map(str::to_string)
        else {
            return;
        };
        let mut after = before.clone();
        (after.start, after.end, after.text, after.updated) =
            (start, end, text, Some(jiff::Timestamp::now()));
        if after.start == before.start && after.end == before.end {
            self.clear_selection();
            self.status = "The segment is unchanged".into();
            return;
        }
        if self.apply(
            Edit::UpdateSegment {
                coder: self.coder.clone(),
                transcript: t,
                before,
                after,
            },
            "Segment adjusted",
        ) {
            self.clear_selection();
        }
    }

    /// After coding: the segment is remembered (so `E` writes a memo on it), and the cursor,
    /// which a turn or sentence selection leaves past the segment's end (on the blank line
    /// after a turn, say), is put back on its last character.
    pub(crate) fn after_coding(&mut self, coded: Option<(usize, usize, SegmentId)>) {
        let (Some((start, end, id)), Some(t)) = (coded, self.transcript_id()) else {
            return;
        };
        self.code.last_coded = Some((t, id));
        let height = self.areas().text_height();
        let Some(tr) = current_transcript(&self.code.order, self.code.current, &self.ws) else {
            return;
        };
        if let Some(view) = self.code.view.as_mut()
            && !(start..end).contains(&view.cursor)
        {
            view.cursor = motion::prev_grapheme(tr, end).max(start);
            view.goal_column = None;
            view.follow_cursor(height);
        }
    }

    /// The segment this coder coded last, if it is in the open transcript under the cursor.
    pub fn last_coded_here(&self) -> Option<&Shown> {
        let (t, id) = self.code.last_coded.as_ref()?;
        if self.transcript_id().as_ref() != Some(t) {
            return None;
        }
        self.shown_at_cursor()
            .into_iter()
            .find(|s| &s.id == id && s.coder == self.coder)
    }

    pub(crate) fn clear_selection(&mut self) {
        if let Some(view) = self.code.view.as_mut() {
            view.anchor = None;
            view.adjusting = None;
        }
    }
}

/// The range and id of the segment a coding edit makes or adds a code to.
pub(crate) fn coded_segment(edit: &Edit) -> Option<(usize, usize, SegmentId)> {
    match edit {
        Edit::AddSegment { segment, .. } => Some((segment.start, segment.end, segment.id.clone())),
        Edit::UpdateSegment { after, .. } => Some((after.start, after.end, after.id.clone())),
        _ => None,
    }
}

pub(crate) fn add_code_edit(
    coder: &CoderId,
    t: &TranscriptId,
    before: Segment,
    code: CodeId,
) -> Edit {
    let mut after = before.clone();
    after.codes.push(code);
    after.updated = Some(jiff::Timestamp::now());
    Edit::UpdateSegment {
        coder: coder.clone(),
        transcript: t.clone(),
        before,
        after,
    }
}

/// `[start, end)` without leading and trailing whitespace; `None` if nothing is left.
pub(crate) fn trim_range(t: &Transcript, start: usize, end: usize) -> Option<(usize, usize)> {
    let text = t.slice(start, end)?;
    let lead = text.chars().take_while(|c| c.is_whitespace()).count();
    let trail = text.chars().rev().take_while(|c| c.is_whitespace()).count();
    let (s, e) = (start + lead, end.saturating_sub(trail));
    (s < e).then_some((s, e))
}

/// A code name from selected words: whitespace collapsed, outer quotes and punctuation
/// dropped, cut at a word boundary.
pub fn in_vivo_name(words: &str) -> Option<String> {
    let collapsed = crate::wording::one_line(words);
    let trimmed = collapsed.trim_matches(|c: char| !c.is_alphanumeric());
    if trimmed.is_empty() {
        return None;
    }
    if trimmed.chars().count() <= IN_VIVO_MAX_CHARS {
        return Some(trimmed.to_string());
    }
    let mut name = String::new();
    for word in trimmed.split(' ') {
        if name.chars().count() + word.chars().count() + 1 > IN_VIVO_MAX_CHARS - 1 {
            break;
        }
        if !name.is_empty() {
            name.push(' ');
        }
        name.push_str(word);
    }
    if name.is_empty() {
        name = trimmed.chars().take(IN_VIVO_MAX_CHARS - 1).collect();
    }
    name.push('…');
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_vivo_names_come_from_the_words() {
        assert_eq!(
            in_vivo_name("  “tell it once,”\n "),
            Some("tell it once".into())
        );
        assert_eq!(in_vivo_name("..."), None);
        let long =
            "we kept seeing the same people again and again and again, you know, every single week";
        let name = in_vivo_name(long).unwrap();
        assert!(
            name.ends_with('…') && name.chars().count() <= IN_VIVO_MAX_CHARS,
            "{name}"
        );
        assert!(long.starts_with(name.trim_end_matches('…')));
    }
}
