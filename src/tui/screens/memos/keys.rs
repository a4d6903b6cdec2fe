//! What the Memos screen's keys do (its part of `App::update`).

use super::*;
use crate::analysis::memos::{MemoOrder, find_memos};
use crate::model::memo::Comment;
use crate::model::{CoderId, Edit, MemoId, MemoKind, MemoLink, MemoReview};
use crate::tui::action::Action;
use crate::tui::app::{App, Focus, Overlay, View};
use crate::tui::overlays::InputPurpose;

impl App {
    pub(crate) fn open_memos_view(&mut self) {
        if self.screens.memos.is_none() {
            self.screens.memos = Some(MemosState::default());
        }
        self.rerun_memos();
        self.enter_view(View::Memos);
        self.mark_selected_memo_read();
    }

    /// Recomputes the rows after a change or a new filter.
    pub(crate) fn rerun_memos(&mut self) {
        let Some(state) = self.screens.memos.as_ref() else {
            return;
        };
        let project = self.project();
        let mut rows: Vec<(jiff::Timestamp, MemoRow)> =
            find_memos(project, &state.filter, state.order)
                .into_iter()
                .map(|m| (m.updated, MemoRow::Memo(m.id.clone())))
                .collect();
        if state.show_audit {
            let by_author = state.filter.author.as_ref();
            for (coder, entries) in &project.audit {
                if by_author.is_some_and(|a| a != coder) {
                    continue;
                }
                rows.extend(
                    entries
                        .iter()
                        .enumerate()
                        .map(|(i, e)| (e.at, MemoRow::Decision(coder.clone(), i))),
                );
            }
            rows.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
        }
        let selected_before = state.rows.get(state.selected).cloned();
        let rows: Vec<MemoRow> = rows.into_iter().map(|(_, r)| r).collect();
        let selected = selected_before
            .and_then(|r| rows.iter().position(|x| *x == r))
            .unwrap_or(0);
        if let Some(state) = self.screens.memos.as_mut() {
            state.rows = rows;
            state.selected = selected.min(state.rows.len().saturating_sub(1));
        }
    }

    pub fn selected_memo(&self) -> Option<MemoId> {
        match self
            .screens
            .memos
            .as_ref()?
            .rows
            .get(self.screens.memos.as_ref()?.selected)?
        {
            MemoRow::Memo(id) => Some(id.clone()),
            MemoRow::Decision(..) => None,
        }
    }

    /// Memos nobody has marked reviewed yet (all of them, whatever the filter).
    pub fn unreviewed_count(&self) -> usize {
        let project = self.project();
        project
            .memos()
            .filter(|m| !project.is_reviewed(&m.id))
            .count()
    }

    pub(crate) fn memos_action(&mut self, action: Action) {
        self.memos_action_inner(action);
        // Reading a memo in the pane reads its new comments.
        self.mark_selected_memo_read();
    }

    fn memos_action_inner(&mut self, action: Action) {
        let page = self.size.height.saturating_sub(6).max(1) as usize;
        let coders: Vec<CoderId> = self
            .ws
            .project()
            .meta
            .coders
            .iter()
            .map(|c| c.id.clone())
            .collect();
        let Some(state) = self.screens.memos.as_mut() else {
            return;
        };
        let len = state.rows.len();
        if matches!(
            action,
            Action::Up
                | Action::Down
                | Action::PageUp
                | Action::PageDown
                | Action::Start
                | Action::End
        ) {
            state.read_scroll = 0;
        }
        match action {
            Action::ReadDown => state.read_scroll = state.read_scroll.saturating_add(5),
            Action::ReadUp => state.read_scroll = state.read_scroll.saturating_sub(5),
            Action::Up => state.selected = state.selected.saturating_sub(1),
            Action::Down => state.selected = (state.selected + 1).min(len.saturating_sub(1)),
            Action::PageUp => state.selected = state.selected.saturating_sub(page),
            Action::PageDown => state.selected = (state.selected + page).min(len.saturating_sub(1)),
            Action::Start => state.selected = 0,
            Action::End => state.selected = len.saturating_sub(1),
            Action::FilterAuthor => {
                let next = match &state.filter.author {
                    None => coders.first().cloned(),
                    Some(a) => coders
                        .iter()
                        .position(|c| c == a)
                        .and_then(|i| coders.get(i + 1))
                        .cloned(),
                };
                state.filter.author = next;
                self.rerun_memos();
            }
            Action::FilterKind => {
                state.filter.kind = match state.filter.kind {
                    None => Some(MemoKind::Journal),
                    Some(MemoKind::Journal) => Some(MemoKind::Code),
                    Some(MemoKind::Code) => Some(MemoKind::Transcript),
                    Some(MemoKind::Transcript) => Some(MemoKind::Segment),
                    Some(MemoKind::Segment) => None,
                };
                self.rerun_memos();
            }
            Action::FilterReview => {
                state.filter.reviewed = match state.filter.reviewed {
                    None => Some(false),
                    Some(false) => Some(true),
                    Some(true) => None,
                };
                self.rerun_memos();
            }
            Action::FilterText => {
                let text = state.filter.text.clone().unwrap_or_default();
                self.overlay = Overlay::Input {
                    purpose: InputPurpose::MemoText,
                    text: crate::tui::widgets::line_input::LineInput::new(&text),
                };
            }
            Action::FilterDates => {
                let text = match (state.filter.since, state.filter.until) {
                    (None, None) => String::new(),
                    (s, u) => format!(
                        "{}..{}",
                        s.map(|d| d.to_string()).unwrap_or_default(),
                        u.map(|d| d.to_string()).unwrap_or_default()
                    ),
                };
                self.overlay = Overlay::Input {
                    purpose: InputPurpose::MemoDates,
                    text: crate::tui::widgets::line_input::LineInput::new(&text),
                };
            }
            Action::ToggleSort => {
                state.order = match state.order {
                    MemoOrder::Newest => MemoOrder::ByLink,
                    MemoOrder::ByLink => MemoOrder::Newest,
                };
                self.rerun_memos();
            }
            Action::ToggleAudit => {
                state.show_audit = !state.show_audit;
                self.rerun_memos();
            }
            Action::Open => self.open_memo_subject(),
            Action::EditMemo => self.edit_selected_memo(),
            Action::Comment => match self.selected_memo() {
                Some(id) => {
                    let mut text = ratatui_textarea::TextArea::default();
                    text.set_wrap_mode(ratatui_textarea::WrapMode::Word);
                    text.set_placeholder_text("Your comment (several lines if you like)");
                    self.overlay = Overlay::Comment {
                        memo: id,
                        text: Box::new(text),
                    }
                }
                None => self.status = "Choose a memo to comment on".into(),
            },
            Action::ToggleReviewed => self.toggle_reviewed(),
            _ => {}
        }
    }

    fn edit_selected_memo(&mut self) {
        let Some(memo) = self
            .selected_memo()
            .and_then(|id| self.project().memo(&id).cloned())
        else {
            return;
        };
        if memo.author != self.coder {
            self.status = format!("This memo is {}'s; comment on it with c", memo.author);
            return;
        }
        let about = memo.links.first().map_or_else(
            || "reflexive journal".to_string(),
            |l| crate::analysis::memos::link_label(self.project(), l),
        );
        self.overlay = Overlay::Memo(Box::new(
            crate::tui::overlays::memo_editor::MemoEditor::for_memo(&memo, about),
        ));
    }

    /// Your review of memo `id` after `change`, as one edit (a new review, or a change to yours).
    fn review_edit(&self, id: &MemoId, change: impl FnOnce(&mut MemoReview)) -> Edit {
        match self.project().review(&self.coder, id).cloned() {
            Some(before) => {
                let mut after = before.clone();
                change(&mut after);
                Edit::UpdateReview {
                    before: Box::new(before),
                    after: Box::new(after),
                }
            }
            None => {
                let mut review = MemoReview {
                    memo: id.clone(),
                    reviewer: self.coder.clone(),
                    comments: Vec::new(),
                    reviewed: None,
                };
                change(&mut review);
                Edit::AddReview(Box::new(review))
            }
        }
    }

    pub(crate) fn add_comment(&mut self, id: MemoId, text: String) {
        if text.trim().is_empty() {
            return;
        }
        let edit = self.review_edit(&id, |r| {
            r.comments.push(Comment {
                at: jiff::Timestamp::now(),
                text,
            })
        });
        self.apply(edit, "Comment added");
    }

    fn toggle_reviewed(&mut self) {
        let Some(id) = self.selected_memo() else {
            return;
        };
        let was = self
            .ws
            .project()
            .review(&self.coder, &id)
            .is_some_and(|r| r.reviewed.is_some());
        let edit = self.review_edit(&id, |r| {
            r.reviewed = if was {
                None
            } else {
                Some(jiff::Timestamp::now())
            }
        });
        self.apply(
            edit,
            if was {
                "Reviewed mark removed"
            } else {
                "Marked reviewed"
            },
        );
    }

    pub(crate) fn set_memo_dates(&mut self, text: &str) {
        let (since, until) = text.split_once("..").unwrap_or((text, ""));
        let parse = |s: &str| -> Result<Option<jiff::civil::Date>, String> {
            let s = s.trim();
            if s.is_empty() {
                Ok(None)
            } else {
                s.parse()
                    .map(Some)
                    .map_err(|_| format!("{s:?} is not a date (YYYY-MM-DD)"))
            }
        };
        match (parse(since), parse(until)) {
            (Ok(since), Ok(until)) => {
                if let Some(state) = self.screens.memos.as_mut() {
                    state.filter.since = since;
                    state.filter.until = until;
                }
                self.rerun_memos();
            }
            (Err(e), _) | (_, Err(e)) => self.status = e,
        }
    }

    /// Goes to what the selected memo is about; Back returns to the memos.
    fn open_memo_subject(&mut self) {
        let Some(memo) = self
            .selected_memo()
            .and_then(|id| self.project().memo(&id).cloned())
        else {
            return;
        };
        let Some(link) = memo.links.first() else {
            self.status = "A journal entry is about no one place".into();
            return;
        };
        match link {
            MemoLink::Code(code) => {
                if !self.project().codebook.contains(code) {
                    self.status = "That code no longer exists".into();
                    return;
                }
                let code = code.clone();
                self.view_mode = View::Codebook;
                self.select_code_in_tree(&code);
            }
            MemoLink::Transcript(t)
            | MemoLink::Segment(crate::model::SegmentRef { transcript: t, .. }) => {
                let Some(index) = self.code.order.iter().position(|x| x == t) else {
                    return;
                };
                self.open_transcript(index);
                if let MemoLink::Segment(r) = link
                    && let Some(seg) = self
                        .ws
                        .project()
                        .segments(&r.coder, &r.transcript)
                        .iter()
                        .find(|s| s.id == r.id)
                        .cloned()
                {
                    if r.coder != self.coder {
                        self.show_all_coders = true;
                        self.refresh();
                    }
                    let height = self.areas().text_height();
                    if let Some(view) = self.code.view.as_mut() {
                        view.cursor = seg.start;
                        view.follow_cursor(height);
                    }
                }
                self.view_mode = View::Code;
                self.code.focus = Focus::Text;
            }
        }
        self.back_to = Some(View::Memos);
        self.status = "Backspace goes back to the memos".into();
    }
}

impl App {
    /// Marks the comments on the memo shown in the Memos view read, if it is this person's.
    pub(crate) fn mark_selected_memo_read(&mut self) {
        let Some(id) = self.selected_memo() else {
            return;
        };
        if !self.unread.contains_key(&id) {
            return;
        }
        let Some(newest) = crate::analysis::memos::newest_comment(self.project(), &id) else {
            return;
        };
        self.read_marks.insert(id.clone(), newest);
        self.unread.remove(&id);
        if let Err(e) = crate::store::read_marks::save_read_marks(
            self.ws.store().root(),
            &self.coder,
            &self.read_marks,
        ) {
            self.status = format!("Could not remember that you read the comments: {e}");
        }
    }
}
