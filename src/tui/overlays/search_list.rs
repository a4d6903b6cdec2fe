//! The list of a search's hits across every transcript the coder may see, in interview
//! order, each with a little of the text around it; Enter goes to the hit in the Code view.
//! Only the rows on screen have their context cut from the text. Space marks hits and `c`
//! codes the marked ones (or every hit) with a code, widened to sentences, in one edit.

use crate::analysis::search::{self, Hit};
use crate::model::{Code, CodeId, Edit, Level, Position};
use crate::suggest::autocode::{self, Unit};
use crate::text::sanitize_for_terminal;
use crate::tui::action::Action;
use crate::tui::app::{App, Focus, Overlay, View};
use crate::tui::keymap::{Context, Key};
use crate::tui::overlays::picker::{Picker, PickerKind};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use std::collections::BTreeSet;

/// Most hits listed: enough to read through, bounded so a search for "the" stays quick.
pub const MAX_LISTED: usize = 2_000;
/// Chars of context shown on each side of a hit (cut to the row's width).
const AROUND: usize = 60;

/// A search's hits, and the one chosen.
#[derive(Debug, Clone)]
pub struct SearchList {
    pub query: String,
    pub hits: Vec<Hit>,
    /// Hits in all, and in how many transcripts (more than listed when over the limit).
    pub total: usize,
    pub transcripts: usize,
    pub selected: usize,
    /// The hits marked (by index in `hits`) to be coded; none marked codes every hit.
    pub marked: BTreeSet<usize>,
}

impl SearchList {
    fn move_by(&mut self, delta: isize) {
        let last = self.hits.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, last) as usize;
    }

    /// Marks the chosen hit, or unmarks it, and moves on to the next.
    fn toggle_mark(&mut self) {
        if !self.marked.remove(&self.selected) {
            self.marked.insert(self.selected);
        }
        self.move_by(1);
    }

    /// The marked hits, or every hit when none is marked.
    fn to_code(&self) -> Vec<Hit> {
        if self.marked.is_empty() {
            return self.hits.clone();
        }
        self.marked
            .iter()
            .filter_map(|&i| self.hits.get(i).cloned())
            .collect()
    }
}

impl App {
    /// Lists every hit of the last search (`/`), starting at the one nearest after the cursor.
    pub(crate) fn open_search_list(&mut self) {
        if self.code.last_search.trim().is_empty() {
            let search = self.keymap.keys_for(Context::Text, Action::Search);
            self.status = format!("No search yet: {search} to search, then the list of hits");
            return;
        }
        let found = search::search(self.project(), &self.code.last_search, MAX_LISTED);
        if found.hits.is_empty() {
            self.status = format!("{:?} is in no transcript", self.code.last_search);
            return;
        }
        let here = self
            .transcript()
            .map(|t| t.id.clone())
            .zip(self.code.view.as_ref().map(|v| v.cursor));
        let selected = here
            .and_then(|(t, cursor)| {
                found
                    .hits
                    .iter()
                    .position(|h| h.transcript == t && h.start >= cursor)
            })
            .unwrap_or(0);
        self.overlay = Overlay::SearchList(Box::new(SearchList {
            query: self.code.last_search.clone(),
            hits: found.hits,
            total: found.total,
            transcripts: found.transcripts,
            selected,
            marked: BTreeSet::new(),
        }));
    }

    pub(crate) fn search_list_key(&mut self, key: KeyEvent) {
        // The list's own bindings only (assets/keymap.yaml, `search-list`): a global key
        // such as undo does nothing while the list is open.
        let pressed = Key::from_event(&key);
        let action = self
            .keymap
            .bindings(Context::SearchList)
            .iter()
            .find(|(_, keys)| keys.contains(&pressed))
            .map(|(action, _)| *action);
        let Some(action) = action else {
            return;
        };
        let Overlay::SearchList(list) = &mut self.overlay else {
            return;
        };
        let page = self.size.height.saturating_sub(6).max(1) as isize;
        match action {
            Action::Cancel => self.overlay = Overlay::None,
            Action::Up => list.move_by(-1),
            Action::Down => list.move_by(1),
            Action::PageUp => list.move_by(-page),
            Action::PageDown => list.move_by(page),
            Action::Start => list.selected = 0,
            Action::End => list.move_by(isize::MAX / 2),
            Action::MarkHit => list.toggle_mark(),
            Action::CodeHits => {
                let hits = list.to_code();
                // With none marked, "every hit" can only be the listed ones: say so after.
                let unlisted = if list.marked.is_empty() {
                    list.total.saturating_sub(list.hits.len())
                } else {
                    0
                };
                let items = self.code_picker_items();
                let kind = PickerKind::CodeHits { hits, unlisted };
                self.overlay = Overlay::Picker(Picker::new(kind, items));
            }
            Action::Open => {
                if let Overlay::SearchList(list) =
                    std::mem::replace(&mut self.overlay, Overlay::None)
                {
                    self.go_to_hit(&list);
                }
            }
            _ => {}
        }
    }

    /// Codes the sentences of `hits` with `code` for this coder, as one edit (one undo step),
    /// leaving alone the ones already coded with it. The workspace refuses a reviewer.
    /// `unlisted` hits (past the list's limit) are not coded, and the status line says so.
    pub(crate) fn code_hits(&mut self, hits: &[Hit], unlisted: usize, code: &CodeId) {
        let name = self.code_name(code);
        let plan = autocode::plan_hits(self.project(), &self.coder, code, hits, Unit::Sentence);
        let left = if unlisted > 0 {
            format!(
                "; {unlisted} hits past the list's first {MAX_LISTED} not coded (thematic autocode codes them all)"
            )
        } else {
            String::new()
        };
        let done = format!("Coded {} with {name}{left}", plan.summary());
        match plan.edit {
            Some(edit) => {
                self.apply(edit, &done);
            }
            None => {
                self.status = format!(
                    "Nothing to code with {name}: {} already coded{left}",
                    plan.already_coded
                )
            }
        }
    }

    /// Creates the code `name` (under `parent`) and codes the sentences of `hits` with it,
    /// as one edit (one undo step takes back both), as creating a code from the text does.
    pub(super) fn create_and_code_hits(
        &mut self,
        name: &str,
        parent: Option<CodeId>,
        hits: &[Hit],
    ) {
        let mut code = Code::new(name, Level::Code);
        code.colour = Some(crate::tui::screens::codebook::colour_for_new_code(
            &self.project().codebook,
            parent.as_ref(),
        ));
        let index = self.project().codebook.children(parent.as_ref()).len();
        let plan = autocode::plan_hits(self.project(), &self.coder, &code.id, hits, Unit::Sentence);
        let Some(coding) = plan.edit.clone() else {
            self.status = "Nothing to code: no hit is left in the transcripts".into();
            return;
        };
        let add = Edit::AddCode {
            code,
            at: Position { parent, index },
        };
        self.apply(
            Edit::Batch {
                label: format!("create {name:?} and code {} hit(s)", plan.passages.len()),
                edits: vec![add, coding],
            },
            &format!("Created {name:?} and coded {}", plan.summary()),
        );
    }

    /// Opens the chosen hit's transcript in the Code view with the cursor on the hit.
    fn go_to_hit(&mut self, list: &SearchList) {
        let Some(hit) = list.hits.get(list.selected) else {
            return;
        };
        let Some(index) = self.code.order.iter().position(|t| t == &hit.transcript) else {
            return;
        };
        self.code.last_search = list.query.clone();
        if self.view_mode != View::Code {
            self.enter_view(View::Code);
        }
        self.open_transcript(index);
        self.put_cursor(hit.start);
        self.code.focus = Focus::Text;
        let name = self
            .transcript()
            .map(|t| format!("{} · {}", t.id, t.meta.participant))
            .unwrap_or_default();
        let (n, of) = self.code.view.as_ref().map_or((0, 0), |v| {
            let n = v.hits.iter().filter(|h| h.0 <= hit.start).count();
            (n, v.hits.len())
        });
        self.status = format!(
            "{:?}: hit {n} of {of} in {name} (hit {} of {} in the list)",
            list.query,
            list.selected + 1,
            list.total
        );
    }
}

/// Draws the list over the screen: one hit a row, its transcript first.
pub fn draw(app: &App, frame: &mut Frame, list: &SearchList) {
    let size = frame.area();
    let width = size.width.saturating_sub(4).clamp(1, 120);
    let height = size.height.saturating_sub(2).max(3);
    let area = Rect::new(
        size.x + (size.width - width) / 2,
        size.y + (size.height - height) / 2,
        width,
        height,
    );
    frame.render_widget(Clear, area);
    let more = if list.total > list.hits.len() {
        format!(", the first {} listed", list.hits.len())
    } else {
        String::new()
    };
    let marked = if list.marked.is_empty() {
        String::new()
    } else {
        format!(", {} marked", list.marked.len())
    };
    let title = format!(
        " {:?}: {} hit{} in {} transcript{}{more}{marked} · Enter goes there · Space marks · c codes · Esc closes ",
        list.query,
        list.total,
        if list.total == 1 { "" } else { "s" },
        list.transcripts,
        if list.transcripts == 1 { "" } else { "s" },
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border(true))
        .title(crate::tui::screens::code::draw::fit(
            &sanitize_for_terminal(&title),
            width.saturating_sub(2) as usize,
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = inner.height.max(1) as usize;
    let offset = (list.selected + 1).saturating_sub(rows);
    let project = app.project();
    let lines: Vec<Line> = list
        .hits
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows)
        .map(|(i, hit)| {
            let selected = i == list.selected;
            let Some(t) = project.transcript(&hit.transcript) else {
                return Line::raw("");
            };
            hit_line(
                app,
                t,
                hit,
                inner.width as usize,
                selected,
                list.marked.contains(&i),
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// "p05  …the words before HIT the words after…", the hit centred where it fits.
fn hit_line<'a>(
    app: &App,
    t: &crate::model::Transcript,
    hit: &Hit,
    width: usize,
    selected: bool,
    marked: bool,
) -> Line<'a> {
    use unicode_width::UnicodeWidthStr;
    let base = if selected {
        app.theme.highlight(true)
    } else {
        Style::default()
    };
    let (before, found, after) = search::context(t, hit, AROUND);
    let clean = |s: &str| sanitize_for_terminal(s).into_owned();
    // A mark before the transcript: the first column is the hit's mark, or blank.
    let label = format!(
        "{}{:<8} ",
        if marked { "● " } else { "  " },
        hit.transcript.as_str()
    );
    let found = clean(&found);
    let room = width.saturating_sub(label.width() + found.width());
    // Up to half the room before the hit, the rest after it.
    let before: String = {
        let before = clean(&before);
        let mut kept: Vec<char> = Vec::new();
        let mut used = 0;
        for c in before.chars().rev() {
            let w = c.to_string().width();
            if used + w > room / 2 {
                break;
            }
            used += w;
            kept.push(c);
        }
        kept.into_iter().rev().collect()
    };
    let after_room = room.saturating_sub(before.width());
    let after = crate::tui::screens::code::draw::fit(&clean(&after), after_room);
    Line::from(vec![
        Span::styled(label, app.theme.dim().patch(base)),
        Span::styled(before, base),
        Span::styled(
            found,
            base.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        ),
        Span::styled(after, base),
    ])
}
