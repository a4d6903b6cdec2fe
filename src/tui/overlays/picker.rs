//! A fuzzy picker: type to filter a list (with the one-line input's editing keys), Up/Down
//! to choose, Enter to take it.

use crate::model::{CodeId, CoderId, SegmentId};
use crate::tui::widgets::line_input::LineInput;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    Code(CodeId),
    /// Create a code named by the query, under the chosen parent.
    Create,
    Transcript(usize),
    Uncode {
        coder: CoderId,
        segment: SegmentId,
        code: CodeId,
    },
    /// Where a code goes (None: the top level).
    Parent(Option<CodeId>),
    /// An attribute filter (None: no filter).
    Attribute(Option<(String, String)>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerKind {
    Assign,
    GotoTranscript,
    RemoveCode,
    MoveTo(CodeId),
    MergeInto(CodeId),
    DeleteInto(CodeId),
    Attribute,
    /// Code these hits of the search list (widened to sentences) with the chosen code.
    /// `unlisted`: hits of the search past the list's limit, which are not coded.
    CodeHits {
        hits: Vec<crate::analysis::search::Hit>,
        unlisted: usize,
    },
}

impl PickerKind {
    pub fn title(&self) -> &'static str {
        match self {
            PickerKind::Assign => "Code with",
            PickerKind::GotoTranscript => "Go to transcript",
            PickerKind::RemoveCode => "Remove code",
            PickerKind::MoveTo(_) => "Move under",
            PickerKind::MergeInto(_) => "Merge into",
            PickerKind::DeleteInto(_) => "Delete, moving its coding to",
            PickerKind::Attribute => "Only quotes from transcripts with",
            PickerKind::CodeHits { .. } => "Code the hits' sentences with",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Item {
    pub label: String,
    /// What the query is matched against (name and path, say).
    pub haystack: String,
    pub pick: Pick,
    pub colour: Option<crate::model::Colour>,
}

pub struct Picker {
    pub kind: PickerKind,
    /// What is typed, edited like any one-line input.
    pub input: LineInput,
    items: Vec<Item>,
    /// Indices of items matching the query, best first.
    pub shown: Vec<usize>,
    pub selected: usize,
    /// Candidate parents for a new code (None: top level) and the one chosen.
    pub parents: Vec<(Option<CodeId>, String)>,
    pub parent: usize,
    matcher: Matcher,
}

impl std::fmt::Debug for Picker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Picker")
            .field("kind", &self.kind)
            .field("query", &self.query())
            .field("shown", &self.shown.len())
            .finish()
    }
}

impl Picker {
    pub fn new(kind: PickerKind, items: Vec<Item>) -> Picker {
        let mut picker = Picker {
            kind,
            input: LineInput::default(),
            shown: Vec::new(),
            items,
            selected: 0,
            parents: Vec::new(),
            parent: 0,
            matcher: Matcher::new(Config::DEFAULT),
        };
        picker.refilter();
        picker
    }

    pub fn with_parents(mut self, parents: Vec<(Option<CodeId>, String)>, chosen: usize) -> Picker {
        self.parent = chosen.min(parents.len().saturating_sub(1));
        self.parents = parents;
        self
    }

    pub fn item(&self, index: usize) -> Option<&Item> {
        self.items.get(index)
    }

    /// The text typed so far.
    pub fn query(&self) -> &str {
        self.input.text()
    }

    /// Whether the list offers "create a code named by the query".
    pub fn offers_create(&self) -> bool {
        let wanted = self.query().trim().to_lowercase();
        matches!(self.kind, PickerKind::Assign | PickerKind::CodeHits { .. })
            && !wanted.is_empty()
            && !self
                .items
                .iter()
                .any(|i| matches!(i.pick, Pick::Code(_)) && i.label.to_lowercase() == wanted)
    }

    /// Number of rows: matches, plus the create row when offered.
    pub fn row_count(&self) -> usize {
        self.shown.len() + usize::from(self.offers_create())
    }

    /// What the highlighted row picks.
    pub fn current(&self) -> Option<Pick> {
        match self.shown.get(self.selected) {
            Some(&i) => Some(self.items[i].pick.clone()),
            None if self.offers_create() && self.selected == self.shown.len() => Some(Pick::Create),
            None => None,
        }
    }

    /// An editing key for the query; the list is filtered again if the text changed.
    pub fn key(&mut self, key: crossterm::event::KeyEvent) {
        if self.input.key(key) {
            self.refilter();
        }
    }

    /// Pasted text, inserted at the query's cursor.
    pub fn paste(&mut self, text: &str) {
        if self.input.paste(text) {
            self.refilter();
        }
    }

    /// Types `text` at the cursor, as if each character were a key.
    pub fn type_str(&mut self, text: &str) {
        self.paste(text);
    }

    /// Deletes the character before the cursor.
    pub fn backspace(&mut self) {
        use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        self.key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
    }

    pub fn move_selection(&mut self, delta: isize) {
        let rows = self.row_count();
        if rows == 0 {
            self.selected = 0;
            return;
        }
        self.selected = (self.selected as isize + delta).rem_euclid(rows as isize) as usize;
    }

    pub fn cycle_parent(&mut self, delta: isize) {
        if !self.parents.is_empty() {
            self.parent =
                (self.parent as isize + delta).rem_euclid(self.parents.len() as isize) as usize;
        }
    }

    pub fn chosen_parent(&self) -> Option<&(Option<CodeId>, String)> {
        self.parents.get(self.parent)
    }

    fn refilter(&mut self) {
        self.selected = 0;
        let query = self.query().to_string();
        if query.trim().is_empty() {
            self.shown = (0..self.items.len()).collect();
            return;
        }
        let pattern = Pattern::parse(&query, CaseMatching::Ignore, Normalization::Smart);
        let haystacks: Vec<(usize, &str)> = self
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| (i, item.haystack.as_str()))
            .collect();
        let matched =
            pattern.match_list(haystacks.iter().map(|(i, h)| Hay(*i, h)), &mut self.matcher);
        // Fuzzy matching over paths finds something almost everywhere; keep the matches that
        // score at least half as well as the best.
        let best = matched.first().map_or(0, |(_, score)| *score);
        self.shown = matched
            .into_iter()
            .filter(|(_, score)| *score * 2 >= best)
            .map(|(hay, _)| hay.0)
            .collect();
        // A loose fuzzy match must not be one Enter away when the typed words name no
        // existing code: then the "create" row is chosen instead.
        let words: Vec<String> = query
            .to_lowercase()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        // Items whose own label holds every typed word come first (in score order), then the
        // rest: a code named by the words outranks one that only its path matches.
        let in_label = |i: &usize| {
            let label = self.items[*i].label.to_lowercase();
            words.iter().all(|w| label.contains(w.as_str()))
        };
        let (mut first, rest): (Vec<usize>, Vec<usize>) =
            self.shown.iter().partition(|i| in_label(i));
        first.extend(rest);
        self.shown = first;
        let good = self.shown.first().is_some_and(|&i| {
            let hay = self.items[i].haystack.to_lowercase();
            words.iter().all(|w| hay.contains(w.as_str()))
        });
        if !good && self.offers_create() {
            self.selected = self.shown.len();
        }
    }
}

/// An item index with the text it is matched on.
struct Hay<'a>(usize, &'a str);

impl AsRef<str> for Hay<'_> {
    fn as_ref(&self) -> &str {
        self.1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(names: &[&str]) -> Vec<Item> {
        names
            .iter()
            .map(|n| Item {
                label: n.to_string(),
                haystack: n.to_string(),
                pick: Pick::Code(CodeId::random()),
                colour: None,
            })
            .collect()
    }

    #[test]
    fn filters_fuzzily_and_offers_create() {
        let mut picker = Picker::new(
            PickerKind::Assign,
            items(&[
                "Shared values and trust",
                "Two IT systems",
                "Trust built through casework",
            ]),
        );
        assert_eq!(picker.row_count(), 3);
        picker.type_str("trst");
        assert_eq!(picker.shown.len(), 2);
        assert!(picker.offers_create());
        assert_eq!(
            picker.current(),
            Some(Pick::Create),
            "a loose match is not chosen by default"
        );
        picker.move_selection(1);
        assert!(matches!(picker.current(), Some(Pick::Code(_))));
        for _ in 0..4 {
            picker.backspace();
        }
        picker.type_str("trust");
        assert_eq!(
            picker.selected, 0,
            "a match containing the typed words is chosen"
        );
        while !picker.query().is_empty() {
            picker.backspace();
        }
        picker.type_str("Two IT systems");
        assert!(
            !picker.offers_create(),
            "an exact name is picked, not created"
        );
    }
}
