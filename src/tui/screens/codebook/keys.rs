//! What the Codebook screen's keys do: organising and defining codes, and the answers to
//! its prompts, confirmations and pickers.

use super::{colour_for_new_code, next_colour};
use crate::analysis::node_counts::similar_names;
use crate::model::codebook_ops::{self};
use crate::model::{Code, CodeId, Edit, Level, Position};
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay, View};
use crate::tui::overlays::InputPurpose;
use crate::tui::overlays::definition_editor::DefinitionEditor;
use crate::tui::overlays::picker::{Item, Pick, Picker, PickerKind};
use std::collections::HashSet;

impl App {
    pub fn switch_view(&mut self, view: View) {
        if view == View::Retrieve && self.screens.retrieve.is_none() {
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

    pub(crate) fn select_code(&mut self, id: &CodeId) {
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
                    text: crate::tui::widgets::line_input::LineInput::new(&code.name),
                }
            }
            Action::EditTags => {
                self.overlay = Overlay::Input {
                    purpose: InputPurpose::Tags(id),
                    text: crate::tui::widgets::line_input::LineInput::new(&code.tags.join(", ")),
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
            text: crate::tui::widgets::line_input::LineInput::default(),
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
                if let Some(state) = self.screens.analysis.as_mut() {
                    state.attributes = choice.iter().cloned().collect();
                }
                self.open_analysis_view();
            }
            (PickerKind::Attribute, Pick::Attribute(choice)) => {
                if let Some(r) = self.screens.retrieve.as_mut() {
                    r.filter.attributes = choice.iter().cloned().collect();
                }
                self.rerun_retrieve();
            }
            _ => return false,
        }
        true
    }

    /// Applies a prepared codebook operation; says what happened.
    pub(crate) fn apply_op(
        &mut self,
        edit: Result<Edit, codebook_ops::OpError>,
        done: &str,
    ) -> bool {
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
                if let Some(r) = self.screens.retrieve.as_mut() {
                    r.filter.text = (!text.is_empty()).then_some(text);
                }
                self.rerun_retrieve();
            }
            InputPurpose::SplitName => self.split_marked(text),
            InputPurpose::MemoText => {
                if let Some(state) = self.screens.memos.as_mut() {
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
}
