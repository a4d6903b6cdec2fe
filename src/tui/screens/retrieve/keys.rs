//! What the Retrieve screen's keys do.

use super::{DEFAULT_CONTEXT, MAX_CONTEXT, RetrieveState, at_of};
use crate::analysis::node_counts::Coders;
use crate::analysis::retrieve::{QuoteFilter, QuoteOrder, quotes};
use crate::model::codebook_ops::{self, SegmentAt};
use crate::model::{Code, CodeId, Position};
use crate::tui::action::Action;
use crate::tui::app::{App, Focus, Overlay, View};
use crate::tui::overlays::InputPurpose;
use crate::tui::overlays::picker::{Item, Pick, Picker, PickerKind};
use std::collections::HashSet;

impl App {
    pub fn open_retrieve(&mut self, code: CodeId) {
        let coders = if self.show_all_coders {
            Coders::All
        } else {
            Coders::Only(vec![self.coder.clone()])
        };
        // A state narrowed to some transcripts (from an analysis cell) is not kept.
        let keep = self
            .screens
            .retrieve
            .take()
            .filter(|r| r.code == code && r.filter.transcripts.is_none());
        self.screens.retrieve = Some(keep.unwrap_or(RetrieveState {
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
        let Some(r) = self.screens.retrieve.as_ref() else {
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
        let Some(r) = self.screens.retrieve.as_ref() else {
            return;
        };
        let project = self.project();
        if !project.codebook.contains(&r.code) {
            self.screens.retrieve = None;
            return;
        }
        // Other coders' quotes on transcripts coded blind are not in the project read here.
        let found = quotes(project, &r.code, r.with_children, &r.filter, r.order);
        let Some(r) = self.screens.retrieve.as_mut() else {
            return;
        };
        r.quotes = found;
        r.selected = r.selected.min(r.quotes.len().saturating_sub(1));
        let live: HashSet<SegmentAt> = r.quotes.iter().map(at_of).collect();
        r.marked.retain(|m| live.contains(m));
    }

    pub(crate) fn retrieve_action(&mut self, action: Action) {
        let page = self.size.height.saturating_sub(8) as usize / 4;
        let Some(r) = self.screens.retrieve.as_mut() else {
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
                        text: crate::tui::widgets::line_input::LineInput::default(),
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
                    text: crate::tui::widgets::line_input::LineInput::new(&text),
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

    pub(crate) fn split_marked(&mut self, name: String) {
        let Some(r) = self.screens.retrieve.as_ref() else {
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
            if let Some(r) = self.screens.retrieve.as_mut() {
                r.marked.clear();
            }
            self.select_code(&new_id);
            self.rerun_retrieve();
        }
    }

    /// Opens the quote's transcript in the Code view with the quote selected; Back returns.
    fn jump_to_quote(&mut self) {
        let Some(q) = self
            .screens
            .retrieve
            .as_ref()
            .and_then(|r| r.current())
            .cloned()
        else {
            return;
        };
        let Some(index) = self.code.order.iter().position(|t| t == &q.transcript) else {
            return;
        };
        if q.coder != self.coder && !self.show_all_coders {
            self.show_all_coders = true;
        }
        self.open_transcript(index);
        let height = self.areas().text_height();
        if let Some(view) = self.code.view.as_mut() {
            view.cursor = q.start;
            view.goal_column = None;
            view.follow_cursor(height);
        }
        self.refresh();
        self.back_to = Some(View::Retrieve);
        self.view_mode = View::Code;
        self.code.focus = Focus::Text;
        self.status = format!(
            "{} in context ({}); Backspace goes back to the quotes",
            q.participant, q.transcript
        );
    }
}
