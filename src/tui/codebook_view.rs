//! The Codebook and Retrieve views' part of `App::update`: organising and defining codes,
//! and reviewing a code's quotes.

use crate::analysis::codebook::{Coders, similar_names};
use crate::analysis::retrieve::{Quote, QuoteFilter, QuoteOrder, quotes};
use crate::model::codebook_ops::{self, SegmentAt};
use crate::model::{Code, CodeId, Colour, Edit, Level, Position};
use crate::tui::action::Action;
use crate::tui::app::{App, Focus, Overlay, View};
use crate::tui::picker::{Item, Pick, Picker, PickerKind};
use ratatui_textarea::{TextArea, WrapMode};
use std::collections::HashSet;

/// What a line of text typed in the input overlay is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputPurpose {
    NewCode {
        parent: Option<CodeId>,
        level: Level,
    },
    Rename(CodeId),
    Tags(CodeId),
    FilterText,
    SplitName,
    MemoText,
    MemoDates,
    MemoComment(crate::model::MemoId),
}

impl InputPurpose {
    pub fn prompt(&self) -> &'static str {
        match self {
            InputPurpose::NewCode { .. } => "New code's name",
            InputPurpose::Rename(_) => "New name",
            InputPurpose::Tags(_) => "Tags, separated by commas (e.g. enabler, barrier)",
            InputPurpose::FilterText => "Only quotes containing",
            InputPurpose::SplitName => "Name of the new code for the marked quotes",
            InputPurpose::MemoText => "Only memos containing",
            InputPurpose::MemoDates => {
                "Updated between (YYYY-MM-DD..YYYY-MM-DD; either side may be empty)"
            }
            InputPurpose::MemoComment(_) => "Your comment",
        }
    }
}

/// The four parts of a code's definition, each in its own editor.
pub struct DefinitionEditor {
    pub code: CodeId,
    pub fields: [TextArea<'static>; 4],
    pub focus: usize,
}

pub const DEFINITION_FIELDS: [&str; 4] = [
    "Description",
    "Inclusion criteria",
    "Exclusion criteria",
    "Typical example",
];

impl DefinitionEditor {
    fn new(code: &Code) -> DefinitionEditor {
        let field = |text: &str| {
            let mut area = TextArea::new(text.lines().map(str::to_string).collect());
            area.set_wrap_mode(WrapMode::Word);
            area
        };
        let mut editor = DefinitionEditor {
            code: code.id.clone(),
            fields: [
                field(&code.description),
                field(&code.inclusion),
                field(&code.exclusion),
                field(&code.example),
            ],
            focus: 0,
        };
        editor.focus_on(0);
        editor
    }

    /// Moves the keyboard to part `i`; only that part shows a cursor.
    pub fn focus_on(&mut self, i: usize) {
        self.focus = i % 4;
        for (n, field) in self.fields.iter_mut().enumerate() {
            let style = if n == self.focus {
                ratatui::style::Style::default().add_modifier(ratatui::style::Modifier::REVERSED)
            } else {
                ratatui::style::Style::default()
            };
            field.set_cursor_style(style);
        }
    }

    pub fn texts(&self) -> [String; 4] {
        [0, 1, 2, 3].map(|i| self.fields[i].lines().join("\n").trim_end().to_string())
    }
}

/// The Retrieve view's state: which code, how filtered and sorted, and the quotes found.
#[derive(Debug, Clone)]
pub struct RetrieveState {
    pub code: CodeId,
    pub with_children: bool,
    pub filter: QuoteFilter,
    pub order: QuoteOrder,
    pub quotes: Vec<Quote>,
    pub selected: usize,
    pub marked: HashSet<SegmentAt>,
    /// Sentences of the transcript shown on either side of the selected quote.
    pub context: usize,
}

/// The context shown around a quote at first: one sentence either side.
pub const DEFAULT_CONTEXT: usize = 1;
/// The most sentences of context either side.
pub const MAX_CONTEXT: usize = 8;

impl RetrieveState {
    pub fn current(&self) -> Option<&Quote> {
        self.quotes.get(self.selected)
    }

    pub fn is_marked(&self, q: &Quote) -> bool {
        self.marked.contains(&at_of(q))
    }
}

fn at_of(q: &Quote) -> SegmentAt {
    SegmentAt {
        coder: q.coder.clone(),
        transcript: q.transcript.clone(),
        id: q.segment.clone(),
    }
}

/// Colours offered by "next colour", readable behind text on dark and light terminals.
const PALETTE: [[u8; 3]; 10] = [
    [0x4e, 0x79, 0xa7],
    [0xf2, 0x8e, 0x2b],
    [0x59, 0xa1, 0x4f],
    [0xe1, 0x57, 0x59],
    [0xb0, 0x7a, 0xa1],
    [0x76, 0xb7, 0xb2],
    [0xed, 0xc9, 0x48],
    [0xff, 0x9d, 0xa7],
    [0x9c, 0x75, 0x5f],
    [0xba, 0xb0, 0xac],
];

/// The palette colour after `current` (the first if it is not in the palette).
pub fn next_colour(current: Option<Colour>) -> Colour {
    let at = current.and_then(|c| PALETTE.iter().position(|p| *p == c.0));
    Colour(PALETTE[at.map_or(0, |i| (i + 1) % PALETTE.len())])
}

/// A new code takes its parent's colour, so a theme's codes look related; a top-level code
/// takes the next palette colour.
pub fn colour_for_new_code(book: &crate::model::Codebook, parent: Option<&CodeId>) -> Colour {
    match parent.and_then(|p| book.get(p)).and_then(|p| p.colour) {
        Some(colour) => colour,
        None => Colour(PALETTE[book.children(None).len() % PALETTE.len()]),
    }
}

impl App {
    pub fn switch_view(&mut self, view: View) {
        if view == View::Retrieve && self.retrieve.is_none() {
            match self.tree.get(self.tree_selected).map(|r| r.id.clone()) {
                Some(code) => self.open_retrieve(code),
                None => self.status = "No codes yet".into(),
            }
            return;
        }
        self.enter_view(view);
    }

    /// Shows `view`, remembering the one left so Back can return to it.
    pub(crate) fn enter_view(&mut self, view: View) {
        if view != self.view_mode {
            self.back_to = Some(self.view_mode);
        }
        self.view_mode = view;
    }

    pub fn go_back(&mut self) {
        match self.back_to.take() {
            Some(view) => {
                self.back_to = Some(self.view_mode);
                self.view_mode = view;
            }
            None => self.status = "Nowhere to go back to".into(),
        }
    }

    fn selected_code(&self) -> Option<CodeId> {
        self.tree.get(self.tree_selected).map(|r| r.id.clone())
    }

    pub(crate) fn select_code_in_tree(&mut self, id: &CodeId) {
        self.select_code(id);
    }

    fn select_code(&mut self, id: &CodeId) {
        let mut at = self.project().codebook.parent(id).cloned();
        while let Some(p) = at {
            self.folded.remove(&p);
            at = self.project().codebook.parent(&p).cloned();
        }
        self.rebuild_tree();
        if let Some(i) = self.tree.iter().position(|r| &r.id == id) {
            self.tree_selected = i;
        }
    }

    pub(crate) fn codebook_view_action(&mut self, action: Action) {
        let Some(id) = self.selected_code() else {
            match action {
                Action::NewChild | Action::NewTheme => self.ask_new_code(None, Level::Theme),
                _ => self.status = "No codes yet: n makes one".into(),
            }
            return;
        };
        let book = &self.project().codebook;
        let Some(code) = book.get(&id).cloned() else {
            return;
        };
        match action {
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Start
            | Action::End
            | Action::Fold => {
                self.tree_action(action);
            }
            Action::Retrieve => self.open_retrieve(id),
            Action::NewChild => {
                let level = match code.level {
                    Level::Theme => Level::SubTheme,
                    _ => Level::Code,
                };
                self.ask_new_code(Some(id), level);
            }
            Action::NewTheme => self.ask_new_code(None, Level::Theme),
            Action::Rename => {
                self.overlay = Overlay::Input {
                    purpose: InputPurpose::Rename(id),
                    text: crate::tui::line_input::LineInput::new(&code.name),
                }
            }
            Action::EditTags => {
                self.overlay = Overlay::Input {
                    purpose: InputPurpose::Tags(id),
                    text: crate::tui::line_input::LineInput::new(&code.tags.join(", ")),
                }
            }
            Action::Describe => {
                self.overlay = Overlay::Editor(Box::new(DefinitionEditor::new(&code)))
            }
            Action::Recolour => {
                self.apply_op(
                    codebook_ops::update_code(self.ws.project(), &id, |c| {
                        c.colour = Some(next_colour(c.colour))
                    }),
                    "Colour changed",
                );
            }
            Action::CycleLevel => {
                let next = match code.level {
                    Level::Theme => Level::SubTheme,
                    Level::SubTheme => Level::Code,
                    Level::Code => Level::Theme,
                };
                self.apply_op(
                    codebook_ops::update_code(self.ws.project(), &id, |c| c.level = next),
                    &format!("{:?} is now a {}", code.name, next.label()),
                );
            }
            Action::MoveUp => {
                let done = self.apply_op(
                    codebook_ops::reorder(self.ws.project(), &id, -1),
                    "Moved up",
                );
                if done {
                    self.select_code(&id);
                }
            }
            Action::MoveDown => {
                let done = self.apply_op(
                    codebook_ops::reorder(self.ws.project(), &id, 1),
                    "Moved down",
                );
                if done {
                    self.select_code(&id);
                }
            }
            Action::MoveCode => self.open_code_target_picker(PickerKind::MoveTo(id), true),
            Action::Merge => self.open_code_target_picker(PickerKind::MergeInto(id), false),
            Action::Delete => self.start_delete(id),
            _ => {}
        }
    }

    fn ask_new_code(&mut self, parent: Option<CodeId>, level: Level) {
        self.overlay = Overlay::Input {
            purpose: InputPurpose::NewCode { parent, level },
            text: crate::tui::line_input::LineInput::default(),
        };
    }

    /// A picker of codes outside `of`'s own subtree (where it may move or merge to); for a
    /// move, the top level is offered too.
    fn open_code_target_picker(&mut self, kind: PickerKind, with_top: bool) {
        let of = match &kind {
            PickerKind::MoveTo(id) | PickerKind::MergeInto(id) | PickerKind::DeleteInto(id) => {
                id.clone()
            }
            _ => return,
        };
        let book = &self.project().codebook;
        let excluded: HashSet<CodeId> = book.subtree(&of).into_iter().collect();
        let mut items = Vec::new();
        if with_top {
            items.push(Item {
                label: "(the top level)".into(),
                haystack: "top level".into(),
                pick: Pick::Parent(None),
                colour: None,
            });
        }
        for (_, code) in book.walk() {
            if excluded.contains(&code.id) {
                continue;
            }
            let pick = if with_top {
                Pick::Parent(Some(code.id.clone()))
            } else {
                Pick::Code(code.id.clone())
            };
            items.push(Item {
                label: code.name.clone(),
                haystack: book.path(&code.id),
                pick,
                colour: code.colour,
            });
        }
        self.overlay = Overlay::Picker(Picker::new(kind, items));
    }

    fn start_delete(&mut self, id: CodeId) {
        let project = self.project();
        match codebook_ops::delete(project, &id, None) {
            Ok(edit) => {
                let name = self.code_name(&id);
                self.overlay = Overlay::Confirm {
                    message: format!("Delete {name:?}? It is not used anywhere. (y/n)"),
                    edit: Box::new(edit),
                };
            }
            Err(codebook_ops::OpError::InUse {
                name,
                segments,
                memos,
            }) => {
                self.status = format!(
                    "{name:?} is used by {segments} segment(s) and {memos} memo(s): choose the code they move to"
                );
                self.open_code_target_picker(PickerKind::DeleteInto(id), false);
            }
            Err(e) => self.status = e.to_string(),
        }
    }

    /// Handles a pick from the codebook pickers; true if `pick` was theirs.
    pub(crate) fn codebook_pick(&mut self, kind: &PickerKind, pick: &Pick) -> bool {
        match (kind, pick) {
            (PickerKind::MoveTo(id), Pick::Parent(parent)) => {
                let place = parent.as_ref().map_or_else(
                    || "the top level".to_string(),
                    |p| self.project().codebook.path(p),
                );
                if self.apply_op(
                    codebook_ops::move_under(self.ws.project(), id, parent.as_ref()),
                    &format!("Moved under {place}"),
                ) {
                    let id = id.clone();
                    self.select_code(&id);
                }
            }
            (PickerKind::MergeInto(id), Pick::Code(target)) => {
                let (from, into) = (self.code_name(id), self.code_name(target));
                // A pinned code's key follows it into the code it is merged into: moved
                // before the merge, whose refresh would otherwise free the key.
                let pins = self.ui.clone();
                let followed = self.ui.follow(id, target);
                if self.apply_op(
                    codebook_ops::merge(self.ws.project(), id, target),
                    &format!("Merged {from:?} into {into:?}"),
                ) {
                    if followed {
                        self.save_ui_state();
                    }
                    let target = target.clone();
                    self.select_code(&target);
                } else {
                    self.ui = pins;
                }
            }
            (PickerKind::DeleteInto(id), Pick::Code(target)) => {
                match codebook_ops::delete(self.ws.project(), id, Some(target)) {
                    Ok(edit) => {
                        let (name, into) = (self.code_name(id), self.code_name(target));
                        self.overlay = Overlay::Confirm {
                            message: format!(
                                "Delete {name:?} and move its coding to {into:?}? (y/n)"
                            ),
                            edit: Box::new(edit),
                        };
                    }
                    Err(e) => self.status = e.to_string(),
                }
            }
            (PickerKind::Attribute, Pick::Attribute(choice))
                if self.view_mode == View::Analysis =>
            {
                if let Some(state) = self.analysis.as_mut() {
                    state.attributes = choice.iter().cloned().collect();
                }
                self.open_analysis_view();
            }
            (PickerKind::Attribute, Pick::Attribute(choice)) => {
                if let Some(r) = self.retrieve.as_mut() {
                    r.filter.attributes = choice.iter().cloned().collect();
                }
                self.rerun_retrieve();
            }
            _ => return false,
        }
        true
    }

    /// Applies a prepared codebook operation; says what happened.
    fn apply_op(&mut self, edit: Result<Edit, codebook_ops::OpError>, done: &str) -> bool {
        match edit {
            Ok(edit) => self.apply(edit, done),
            Err(e) => {
                self.status = e.to_string();
                false
            }
        }
    }

    pub(crate) fn confirm_key(&mut self, yes: bool) {
        let Overlay::Confirm { edit, .. } = std::mem::replace(&mut self.overlay, Overlay::None)
        else {
            return;
        };
        if yes {
            let label = edit.describe();
            self.apply(*edit, &format!("Done: {label}"));
        } else {
            self.status = "Nothing changed".into();
        }
    }

    pub(crate) fn input_done(&mut self, purpose: InputPurpose, text: String) {
        let text = text.trim().to_string();
        match purpose {
            InputPurpose::NewCode { parent, level } => {
                if text.is_empty() {
                    return;
                }
                let mut code = Code::new(&text, level);
                code.colour = Some(colour_for_new_code(
                    &self.project().codebook,
                    parent.as_ref(),
                ));
                let id = code.id.clone();
                let index = self.project().codebook.children(parent.as_ref()).len();
                let similar = similar_names(&self.project().codebook, &text, None).join(", ");
                if self.apply(
                    Edit::AddCode {
                        code,
                        at: Position { parent, index },
                    },
                    &format!("Created {text:?}"),
                ) {
                    self.select_code(&id);
                    if !similar.is_empty() {
                        self.status =
                            format!("Created {text:?}; note the similar names: {similar}");
                    }
                }
            }
            InputPurpose::Rename(id) => {
                if text.is_empty() {
                    return;
                }
                let similar = similar_names(&self.project().codebook, &text, Some(&id)).join(", ");
                if self.apply_op(
                    codebook_ops::update_code(self.ws.project(), &id, |c| c.name = text.clone()),
                    &format!("Renamed to {text:?}"),
                ) && !similar.is_empty()
                {
                    self.status = format!("Renamed to {text:?}; note the similar names: {similar}");
                }
            }
            InputPurpose::Tags(id) => {
                let mut tags: Vec<String> = text
                    .split(',')
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect();
                tags.dedup();
                self.apply_op(
                    codebook_ops::update_code(self.ws.project(), &id, |c| c.tags = tags),
                    "Tags saved",
                );
            }
            InputPurpose::FilterText => {
                if let Some(r) = self.retrieve.as_mut() {
                    r.filter.text = (!text.is_empty()).then_some(text);
                }
                self.rerun_retrieve();
            }
            InputPurpose::SplitName => self.split_marked(text),
            InputPurpose::MemoText => {
                if let Some(state) = self.memos.as_mut() {
                    state.filter.text = (!text.is_empty()).then_some(text);
                }
                self.rerun_memos();
            }
            InputPurpose::MemoDates => self.set_memo_dates(&text),
            InputPurpose::MemoComment(id) => self.add_comment(id, text),
        }
    }

    pub(crate) fn editor_done(&mut self, editor: DefinitionEditor) {
        let [description, inclusion, exclusion, example] = editor.texts();
        let Some(before) = self.project().codebook.get(&editor.code).cloned() else {
            return;
        };
        if before.description == description
            && before.inclusion == inclusion
            && before.exclusion == exclusion
            && before.example == example
        {
            self.status = "Definition unchanged".into();
            return;
        }
        let edit = codebook_ops::update_code(self.ws.project(), &editor.code, |c| {
            c.description = description;
            c.inclusion = inclusion;
            c.exclusion = exclusion;
            c.example = example;
        });
        self.apply_op(edit, &format!("Definition of {:?} written", before.name));
    }

    // ----- the Retrieve view -----

    pub fn open_retrieve(&mut self, code: CodeId) {
        let coders = if self.show_all_coders {
            Coders::All
        } else {
            Coders::Only(vec![self.coder.clone()])
        };
        // A state narrowed to some transcripts (from an analysis cell) is not kept.
        let keep = self
            .retrieve
            .take()
            .filter(|r| r.code == code && r.filter.transcripts.is_none());
        self.retrieve = Some(keep.unwrap_or(RetrieveState {
            code,
            with_children: true,
            filter: QuoteFilter {
                coders,
                ..Default::default()
            },
            order: QuoteOrder::Transcript,
            quotes: Vec::new(),
            selected: 0,
            marked: HashSet::new(),
            context: DEFAULT_CONTEXT,
        }));
        self.rerun_retrieve();
        self.enter_view(View::Retrieve);
    }

    /// Makes the selected quote the exemplar of the code being retrieved (the theme table
    /// cites it), or, if it already is, goes back to the first quote.
    fn set_exemplar(&mut self) {
        let Some(r) = self.retrieve.as_ref() else {
            return;
        };
        let Some(q) = r.current() else {
            self.status = "No quote selected".into();
            return;
        };
        let chosen = crate::model::SegmentRef {
            transcript: q.transcript.clone(),
            coder: q.coder.clone(),
            id: q.segment.clone(),
        };
        let code = r.code.clone();
        let already = self
            .ws
            .project()
            .codebook
            .get(&code)
            .is_some_and(|c| c.exemplar.as_deref() == Some(&chosen));
        let (value, message) = if already {
            (
                None,
                "Exemplar cleared: the theme table cites the first quote",
            )
        } else {
            (
                Some(Box::new(chosen)),
                "Exemplar set: the theme table cites this quote",
            )
        };
        self.apply_op(
            codebook_ops::update_code(self.ws.project(), &code, |c| c.exemplar = value),
            message,
        );
    }

    pub(crate) fn rerun_retrieve(&mut self) {
        let Some(r) = self.retrieve.as_ref() else {
            return;
        };
        let project = self.project();
        if !project.codebook.contains(&r.code) {
            self.retrieve = None;
            return;
        }
        // Other coders' quotes on transcripts coded blind are not in the project read here.
        let found = quotes(project, &r.code, r.with_children, &r.filter, r.order);
        let Some(r) = self.retrieve.as_mut() else {
            return;
        };
        r.quotes = found;
        r.selected = r.selected.min(r.quotes.len().saturating_sub(1));
        let live: HashSet<SegmentAt> = r.quotes.iter().map(at_of).collect();
        r.marked.retain(|m| live.contains(m));
    }

    pub(crate) fn retrieve_action(&mut self, action: Action) {
        let page = self.size.height.saturating_sub(8) as usize / 4;
        let Some(r) = self.retrieve.as_mut() else {
            return;
        };
        let len = r.quotes.len();
        match action {
            Action::Up => r.selected = r.selected.saturating_sub(1),
            Action::Down => r.selected = (r.selected + 1).min(len.saturating_sub(1)),
            Action::PageUp => r.selected = r.selected.saturating_sub(page.max(1)),
            Action::PageDown => r.selected = (r.selected + page.max(1)).min(len.saturating_sub(1)),
            Action::Start => r.selected = 0,
            Action::End => r.selected = len.saturating_sub(1),
            Action::Mark => {
                if let Some(q) = r.current() {
                    let at = at_of(q);
                    if !r.marked.remove(&at) {
                        r.marked.insert(at);
                    }
                    r.selected = (r.selected + 1).min(len.saturating_sub(1));
                }
            }
            Action::Split => {
                if r.marked.is_empty() {
                    self.status = "Mark the quotes to split off first (Space)".into();
                } else {
                    self.overlay = Overlay::Input {
                        purpose: InputPurpose::SplitName,
                        text: crate::tui::line_input::LineInput::default(),
                    };
                }
            }
            Action::ToggleSort => {
                r.order = match r.order {
                    QuoteOrder::Transcript => QuoteOrder::Length,
                    QuoteOrder::Length => QuoteOrder::Transcript,
                };
                self.rerun_retrieve();
            }
            Action::ToggleChildren => {
                r.with_children = !r.with_children;
                self.rerun_retrieve();
            }
            Action::SetExemplar => self.set_exemplar(),
            Action::MoreContext => r.context = (r.context + 1).min(MAX_CONTEXT),
            Action::LessContext => r.context = r.context.saturating_sub(1),
            Action::FilterCoder => {
                let coders: Vec<_> = self
                    .ws
                    .project()
                    .meta
                    .coders
                    .iter()
                    .map(|c| c.id.clone())
                    .collect();
                r.filter.coders = match &r.filter.coders {
                    Coders::All => coders
                        .first()
                        .map_or(Coders::All, |c| Coders::Only(vec![c.clone()])),
                    Coders::Only(list) => {
                        let at = list
                            .first()
                            .and_then(|c| coders.iter().position(|x| x == c));
                        match at.and_then(|i| coders.get(i + 1)) {
                            Some(next) => Coders::Only(vec![next.clone()]),
                            None => Coders::All,
                        }
                    }
                };
                self.rerun_retrieve();
            }
            Action::FilterAttribute => self.open_attribute_picker(),
            Action::FilterText => {
                let text = r.filter.text.clone().unwrap_or_default();
                self.overlay = Overlay::Input {
                    purpose: InputPurpose::FilterText,
                    text: crate::tui::line_input::LineInput::new(&text),
                };
            }
            Action::Open => self.jump_to_quote(),
            _ => {}
        }
    }

    pub(crate) fn open_attribute_picker(&mut self) {
        let project = self.project();
        let mut items = vec![Item {
            label: "(any value: no attribute filter)".into(),
            haystack: "any none all".into(),
            pick: Pick::Attribute(None),
            colour: None,
        }];
        for def in &project.meta.attributes {
            let mut values: Vec<String> = def.values.clone();
            for t in project.transcripts_in_order() {
                if let Some(v) = t.meta.attributes.get(&def.name)
                    && !values.contains(v)
                {
                    values.push(v.clone());
                }
            }
            for value in values {
                let label = format!("{} = {value}", def.name);
                items.push(Item {
                    haystack: label.clone(),
                    label,
                    pick: Pick::Attribute(Some((def.name.clone(), value))),
                    colour: None,
                });
            }
        }
        self.overlay = Overlay::Picker(Picker::new(PickerKind::Attribute, items));
    }

    fn split_marked(&mut self, name: String) {
        let Some(r) = self.retrieve.as_ref() else {
            return;
        };
        if name.is_empty() {
            return;
        }
        let source = r.code.clone();
        let book = &self.project().codebook;
        let Some(code) = book.get(&source) else {
            return;
        };
        // The chosen quotes may sit on codes below the one shown: split each off its own code.
        let chosen: Vec<SegmentAt> = r.marked.iter().cloned().collect();
        let direct: Vec<SegmentAt> = chosen
            .iter()
            .filter(|m| {
                r.quotes
                    .iter()
                    .any(|q| at_of(q) == **m && q.codes.contains(&source))
            })
            .cloned()
            .collect();
        if direct.len() != chosen.len() {
            self.status = format!(
                "Only quotes coded {:?} itself can be split off it; turn off the codes below (w) and mark again",
                code.name
            );
            return;
        }
        let mut new = Code::new(&name, code.level);
        new.colour = code.colour;
        let parent = book.parent(&source).cloned();
        let index = book.position(&source).map_or(0, |p| p.index + 1);
        let new_id = new.id.clone();
        let edit = codebook_ops::split(
            self.ws.project(),
            &source,
            new,
            Position { parent, index },
            &direct,
        );
        if self.apply_op(
            edit,
            &format!("Split {} quote(s) off to {name:?}", direct.len()),
        ) {
            if let Some(r) = self.retrieve.as_mut() {
                r.marked.clear();
            }
            self.select_code(&new_id);
            self.rerun_retrieve();
        }
    }

    /// Opens the quote's transcript in the Code view with the quote selected; Back returns.
    fn jump_to_quote(&mut self) {
        let Some(q) = self.retrieve.as_ref().and_then(|r| r.current()).cloned() else {
            return;
        };
        let Some(index) = self.order.iter().position(|t| t == &q.transcript) else {
            return;
        };
        if q.coder != self.coder && !self.show_all_coders {
            self.show_all_coders = true;
        }
        self.open_transcript(index);
        let height = self.areas().text_height();
        if let Some(view) = self.view.as_mut() {
            view.cursor = q.start;
            view.goal_column = None;
            view.follow_cursor(height);
        }
        self.refresh();
        self.back_to = Some(View::Retrieve);
        self.view_mode = View::Code;
        self.focus = Focus::Text;
        self.status = format!(
            "{} in context ({}); Backspace goes back to the quotes",
            q.participant, q.transcript
        );
    }
}
