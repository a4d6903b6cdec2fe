//! Writing memos: one key opens the editor on the memo for what is under the cursor (a
//! segment, a code, a transcript) or on a new journal entry. The editor saves as you go:
//! shortly after typing pauses, and on closing, so nothing typed is lost if the terminal
//! dies. Consecutive saves of one memo make one step of the undo history.

use crate::model::{Edit, Memo, MemoId, MemoLink, SegmentRef};
use crate::tui::app::{App, Focus, Overlay, View};
use ratatui::style::{Modifier, Style};
use ratatui_textarea::{TextArea, WrapMode};
use std::time::{Duration, Instant};

/// How long typing must pause before the memo is saved.
pub const AUTOSAVE_AFTER: Duration = Duration::from_millis(700);

pub struct MemoEditor {
    /// The memo's id once it exists on disk (a new memo gets one at its first save).
    pub id: Option<MemoId>,
    pub links: Vec<MemoLink>,
    /// What the memo is about, for the editor's title.
    pub about: String,
    pub title: TextArea<'static>,
    pub body: TextArea<'static>,
    /// 0: the title, 1: the body.
    pub focus: usize,
    /// When the text last changed and has not been saved since.
    pub unsaved_since: Option<Instant>,
    /// The text being searched for in the body, while searching (Ctrl-f).
    pub searching: Option<crate::tui::widgets::line_input::LineInput>,
}

impl MemoEditor {
    fn new(memo: Option<&Memo>, links: Vec<MemoLink>, about: String) -> MemoEditor {
        let mut title = TextArea::new(vec![memo.map_or_else(String::new, |m| m.title.clone())]);
        title.set_placeholder_text("Title");
        let mut body = TextArea::new(
            memo.map_or_else(Vec::new, |m| m.body.lines().map(str::to_string).collect()),
        );
        body.set_wrap_mode(WrapMode::Word);
        body.set_placeholder_text("What did you decide, notice or assume, and why?");
        let mut editor = MemoEditor {
            id: memo.map(|m| m.id.clone()),
            links: memo.map_or(links, |m| m.links.clone()),
            about,
            title,
            body,
            focus: if memo.is_some() { 1 } else { 0 },
            unsaved_since: None,
            searching: None,
        };
        editor.focus_on(editor.focus);
        editor
    }

    /// The editor on a new memo linked to `link`.
    pub fn linked(link: MemoLink, about: String) -> MemoEditor {
        MemoEditor::new(None, vec![link], about)
    }

    /// The editor on an existing memo.
    pub fn for_memo(memo: &Memo, about: String) -> MemoEditor {
        MemoEditor::new(Some(memo), Vec::new(), about)
    }

    pub fn focus_on(&mut self, i: usize) {
        self.focus = i % 2;
        let on = Style::default().add_modifier(Modifier::REVERSED);
        self.title.set_cursor_style(if self.focus == 0 {
            on
        } else {
            Style::default()
        });
        self.body.set_cursor_style(if self.focus == 1 {
            on
        } else {
            Style::default()
        });
    }

    pub fn title_text(&self) -> String {
        self.title.lines().join(" ").trim().to_string()
    }

    pub fn body_text(&self) -> String {
        self.body.lines().join("\n")
    }

    /// Passes a key to the focused part; Enter in the title moves to the body. Ctrl-z and
    /// Ctrl-y undo and redo the typing in that part (the text area's own history).
    pub fn key(&mut self, key: crossterm::event::KeyEvent) {
        use crossterm::event::{KeyCode, KeyModifiers};
        if self.focus == 0 && key.code == KeyCode::Enter {
            self.focus_on(1);
            return;
        }
        let target = if self.focus == 0 {
            &mut self.title
        } else {
            &mut self.body
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let changed = match key.code {
            KeyCode::Char('z') if ctrl => target.undo(),
            KeyCode::Char('y') if ctrl => target.redo(),
            _ => target.input(key),
        };
        if changed {
            self.unsaved_since.get_or_insert_with(Instant::now);
        }
    }

    /// Moves the body's cursor to the next occurrence of the search text (ignoring case),
    /// wrapping round to the top; false if there is none.
    pub fn find_next(&mut self) -> bool {
        let Some(query) = self
            .searching
            .as_ref()
            .map(|q| q.text().to_string())
            .filter(|q| !q.is_empty())
        else {
            return false;
        };
        let lines: Vec<String> = self.body.lines().to_vec();
        let ratatui_textarea::DataCursor(row, col) = self.body.cursor();
        for step in 0..=lines.len() {
            let r = (row + step) % lines.len().max(1);
            let Some(line) = lines.get(r) else {
                return false;
            };
            let from = if step == 0 { col + 1 } else { 0 };
            if let Some(&(c, _)) = crate::tui::app::search_hits(line, &query)
                .iter()
                .find(|(c, _)| *c >= from || step == lines.len())
            {
                self.body
                    .move_cursor(ratatui_textarea::CursorMove::Jump(r as u16, c as u16));
                self.focus_on(1);
                return true;
            }
        }
        false
    }

    pub fn paste(&mut self, text: &str) {
        let target = if self.focus == 0 {
            &mut self.title
        } else {
            &mut self.body
        };
        if target.insert_str(text) {
            self.unsaved_since.get_or_insert_with(Instant::now);
        }
    }
}

impl App {
    /// Opens the memo for what is under the cursor in the current view: your memo on it if
    /// there is one, else a new one linked to it.
    pub fn memo_here(&mut self) {
        if self.view_mode == View::Agreement {
            self.memo_on_disagreement();
            return;
        }
        let Some((link, about)) = self.link_here() else {
            self.new_journal_entry();
            return;
        };
        let existing = self
            .ws
            .project()
            .memos()
            .filter(|m| m.author == self.coder && m.links.contains(&link))
            .max_by_key(|m| m.updated)
            .cloned();
        self.overlay = Overlay::Memo(Box::new(MemoEditor::new(
            existing.as_ref(),
            vec![link],
            about,
        )));
    }

    pub fn new_journal_entry(&mut self) {
        let about = format!(
            "reflexive journal, {}",
            jiff::Timestamp::now().strftime("%Y-%m-%d")
        );
        self.overlay = Overlay::Memo(Box::new(MemoEditor::new(None, Vec::new(), about)));
    }

    /// What a memo written now would be about.
    fn link_here(&self) -> Option<(MemoLink, String)> {
        let project = self.project();
        match (self.view_mode, self.code.focus) {
            (View::Memos | View::Agreement | View::Analysis, _) => None,
            (View::Retrieve, _) => {
                let q = self.screens.retrieve.as_ref()?.current()?;
                let link = MemoLink::Segment(SegmentRef {
                    transcript: q.transcript.clone(),
                    coder: q.coder.clone(),
                    id: q.segment.clone(),
                });
                Some((
                    link,
                    format!("a quote of {} in {}", q.participant, q.transcript),
                ))
            }
            (View::Codebook, _) | (View::Code, Focus::Codebook) => {
                let id = self.tree.get(self.tree_selected)?.id.clone();
                let about = format!("the code {}", project.codebook.path(&id));
                Some((MemoLink::Code(id), about))
            }
            (View::Code, Focus::List) => {
                let id = self.code.order.get(self.code.list_selected)?.clone();
                let about = format!("transcript {id}");
                Some((MemoLink::Transcript(id), about))
            }
            (View::Code, Focus::Text) => {
                let t = self.transcript()?;
                // Right after coding, the segment just made, even where others overlap it.
                let here = self.shown_at_cursor();
                if let Some(shown) = self.last_coded_here().or(here.first().copied()) {
                    let link = MemoLink::Segment(SegmentRef {
                        transcript: t.id.clone(),
                        coder: shown.coder.clone(),
                        id: shown.id.clone(),
                    });
                    let quote: String = t
                        .slice(shown.start, shown.end)
                        .unwrap_or("")
                        .chars()
                        .take(40)
                        .collect();
                    return Some((
                        link,
                        format!("the segment “{}…” in {}", quote.replace('\n', " "), t.id),
                    ));
                }
                Some((
                    MemoLink::Transcript(t.id.clone()),
                    format!("transcript {}", t.id),
                ))
            }
        }
    }

    /// Called on every turn of the event loop: saves a memo whose typing has paused.
    pub fn tick(&mut self, now: Instant) {
        if let Overlay::Memo(editor) = &self.overlay
            && editor
                .unsaved_since
                .is_some_and(|t| now.duration_since(t) >= AUTOSAVE_AFTER)
        {
            self.save_memo();
        }
    }

    /// Saves the open memo if it changed. A memo with neither title nor body is not created.
    pub fn save_memo(&mut self) {
        let Overlay::Memo(editor) = &mut self.overlay else {
            return;
        };
        if editor.unsaved_since.is_none() {
            return;
        }
        let (title, body) = (editor.title_text(), editor.body_text());
        let now = jiff::Timestamp::now();
        let edit = match editor.id.as_ref().and_then(|id| self.ws.project().memo(id)) {
            Some(before) => {
                let mut after = before.clone();
                after.title = title;
                after.body = body;
                after.updated = now;
                Edit::UpdateMemo {
                    before: Box::new(before.clone()),
                    after: Box::new(after),
                }
            }
            None if title.is_empty() && body.trim().is_empty() => return,
            None => {
                let id = MemoId::random();
                editor.id = Some(id.clone());
                let title = if title.is_empty() {
                    body.lines().next().unwrap_or("").chars().take(60).collect()
                } else {
                    title
                };
                Edit::AddMemo(Box::new(Memo {
                    id,
                    author: self.coder.clone(),
                    title,
                    created: now,
                    updated: now,
                    links: editor.links.clone(),
                    body,
                }))
            }
        };
        editor.unsaved_since = None;
        match self.ws.apply_merging(edit) {
            Ok(()) => self.status = "Memo saved".into(),
            // Kept in memory; the workspace writes it with the next change or on quitting.
            Err(e) if e.kept() => self.status = format!("Memo: {e}"),
            Err(e) => {
                self.status = format!("Memo NOT saved: {e}");
                if let Overlay::Memo(editor) = &mut self.overlay {
                    // Keep it marked unsaved so closing tries again and the text stays on screen.
                    editor.unsaved_since = Some(Instant::now());
                }
            }
        }
        self.refresh();
    }

    /// Closes the editor, saving first.
    pub fn close_memo(&mut self) {
        self.save_memo();
        if let Overlay::Memo(editor) = &self.overlay
            && editor.unsaved_since.is_some()
        {
            return; // Saving failed: stay open so nothing is lost.
        }
        self.overlay = Overlay::None;
    }

    /// The memos linked to a code, transcript or segment (anyone's), newest first.
    pub fn memos_on(&self, link: &MemoLink) -> Vec<&Memo> {
        let mut found: Vec<&Memo> = self
            .ws
            .project()
            .memos()
            .filter(|m| m.links.contains(link))
            .collect();
        found.sort_by_key(|m| std::cmp::Reverse(m.updated));
        found
    }
}
