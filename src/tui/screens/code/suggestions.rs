//! The Suggestions panel of the coding screen (`X`): passages not yet coded with the code
//! selected in the codebook pane that resemble its quotes ([`crate::suggest`]), one key to
//! code one, another to turn it down for good. The sentence index is built once, when the
//! panel is first opened; after a coding change only the ranking runs again, from the index
//! and the words of the quotes it has already read (about 30 ms on the 213-interview
//! generated study), so the panel keeps up with the coding.

use crate::model::{CodeId, CoderId, Project};
use crate::suggest::rejected::{self, Rejection};
use crate::suggest::{Ask, SuggestIndex, Suggestion};
use crate::tui::action::Action;
use crate::tui::app::{App, View};
use crate::tui::hints::{self, Hint};
use crate::tui::keymap::Context;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// How many suggestions the panel lists.
const SHOWN: usize = 30;

const HINT: Hint = &[
    (&[Action::AcceptSuggestion], "code it"),
    (&[Action::RejectSuggestion], "turn down"),
    (&[Action::ToggleSuggestions, Action::Cancel], "close"),
];

/// The open panel: the code, its suggestions, and the index they come from.
pub struct SuggestionsPanel {
    index: SuggestIndex,
    pub code: CodeId,
    pub items: Vec<Suggestion>,
    pub selected: usize,
    rejected: Vec<Rejection>,
}

impl std::fmt::Debug for SuggestionsPanel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SuggestionsPanel")
            .field("code", &self.code)
            .field("items", &self.items.len())
            .finish()
    }
}

impl SuggestionsPanel {
    /// Indexes `project` (as the coder sees it) and ranks `code`'s suggestions. With `keep`
    /// (the project folder, when it may be written), the index is taken from the project's
    /// cache as far as it holds, and what was read is kept there for the next session; a
    /// cache that cannot be written only costs that next session the reading.
    pub fn open(
        project: &Project,
        coder: &CoderId,
        code: CodeId,
        rejected: Vec<Rejection>,
        keep: Option<&std::path::Path>,
    ) -> SuggestionsPanel {
        let index = match keep {
            Some(root) => SuggestIndex::open(project, root),
            None => SuggestIndex::build(project),
        };
        let mut panel = SuggestionsPanel {
            index,
            code,
            items: Vec::new(),
            selected: 0,
            rejected,
        };
        panel.rank(project, coder);
        if let Some(root) = keep {
            let _ = panel.index.keep(root);
        }
        panel
    }

    /// Ranks again after a change of coding (the index stays).
    pub fn rank(&mut self, project: &Project, coder: &CoderId) {
        let ask = Ask {
            transcripts: &[],
            limit: SHOWN,
            per_transcript: 0,
            rejected: &self.rejected,
        };
        self.items = self.index.suggest(project, coder, &self.code, &ask);
        self.selected = self.selected.min(self.items.len().saturating_sub(1));
    }

    pub fn current(&self) -> Option<&Suggestion> {
        self.items.get(self.selected)
    }
}

impl App {
    /// `X`: opens the panel for the code selected in the codebook pane, or closes it.
    pub fn toggle_suggestions(&mut self) {
        if self.code.suggestions.take().is_some() {
            self.status = "Suggestions closed".into();
            return;
        }
        if self.view_mode != View::Code {
            self.status = "suggestions are on the coding screen (F2)".into();
            return;
        }
        if self.reviewing() {
            self.status = "reviewers do not code, so there is nothing to suggest".into();
            return;
        }
        let Some(code) = self.tree.get(self.tree_selected).map(|row| row.id.clone()) else {
            self.status = "no code selected in the codebook pane".into();
            return;
        };
        let root = self.ws.store().root().to_path_buf();
        let rejected = match rejected::load(&root, &self.coder) {
            Ok(mut all) => all.remove(&code).unwrap_or_default(),
            Err(e) => {
                self.status = format!("Suggestions not opened: {e}");
                return;
            }
        };
        let keep = (!self.ws.store().is_read_only()).then_some(root.as_path());
        let panel = SuggestionsPanel::open(self.project(), &self.coder, code, rejected, keep);
        let name = self.project().codebook.path(&panel.code);
        let count = panel.items.len();
        self.code.suggestions = Some(Box::new(panel));
        self.show_suggestion();
        self.status = format!("{count} suggestion(s) for {name}");
    }

    /// Keys while the panel is open.
    pub fn suggestions_action(&mut self, action: Action) {
        let Some(panel) = self.code.suggestions.as_mut() else {
            return;
        };
        match action {
            Action::Down => {
                panel.selected = (panel.selected + 1).min(panel.items.len().saturating_sub(1));
                self.show_suggestion();
            }
            Action::Up => {
                panel.selected = panel.selected.saturating_sub(1);
                self.show_suggestion();
            }
            Action::Cancel => {
                self.code.suggestions = None;
                self.status = "Suggestions closed".into();
            }
            Action::AcceptSuggestion => self.accept_suggestion(),
            Action::RejectSuggestion => self.reject_suggestion(),
            _ => {}
        }
    }

    /// Shows the highlighted suggestion in the transcript pane: its transcript opened, the
    /// cursor at its start, scrolled into the part of the pane the panel leaves visible.
    fn show_suggestion(&mut self) {
        let Some(s) = self
            .code
            .suggestions
            .as_ref()
            .and_then(|p| p.current())
            .cloned()
        else {
            return;
        };
        let Some(index) = self.code.order.iter().position(|t| t == &s.transcript) else {
            return;
        };
        if self.code.current != Some(index) {
            self.open_transcript(index);
        }
        self.put_cursor(s.start);
        // The panel covers the lower half of the pane (as `draw` sizes it): keep the
        // passage in the upper part.
        let height = self.areas().text_height();
        let visible = height.saturating_sub((height / 2).max(6)).max(1);
        if let Some(view) = self.code.view.as_mut() {
            view.follow_cursor(visible);
        }
        self.status = format!(
            "Suggestion {} of {}: {} [{}, {})",
            self.code.suggestions.as_ref().map_or(0, |p| p.selected + 1),
            self.code.suggestions.as_ref().map_or(0, |p| p.items.len()),
            s.transcript,
            s.start,
            s.end
        );
    }

    fn accept_suggestion(&mut self) {
        let Some(panel) = self.code.suggestions.as_ref() else {
            return;
        };
        let Some(s) = panel.current().cloned() else {
            return;
        };
        let code = panel.code.clone();
        let edit = crate::suggest::autocode::code_passage(
            self.ws.project(),
            &self.coder,
            &s.transcript,
            &code,
            s.start,
            s.end,
        );
        let Some(edit) = edit else {
            self.status = "that passage is no longer in the transcript".into();
            return;
        };
        let name = self.project().codebook.path(&code);
        // Saved as any coding is; the panel ranks again from the refresh that follows.
        self.apply(edit, &format!("Coded {name} in {}", s.transcript));
    }

    fn reject_suggestion(&mut self) {
        let Some(panel) = self.code.suggestions.as_mut() else {
            return;
        };
        let Some(s) = panel.current().cloned() else {
            return;
        };
        let rejection = Rejection {
            transcript: s.transcript.clone(),
            start: s.start,
            end: s.end,
            text: s.text.clone(),
        };
        let root = self.ws.store().root().to_path_buf();
        match rejected::reject(&root, &self.coder, &panel.code, rejection.clone()) {
            Ok(()) => {
                panel.rejected.push(rejection);
                self.status = format!(
                    "Turned down; it will not be suggested again ({})",
                    s.transcript
                );
                self.refresh_suggestions();
            }
            Err(e) => self.status = format!("Not turned down: {e}"),
        }
    }

    /// Ranks the open panel's suggestions again (after any change).
    pub fn refresh_suggestions(&mut self) {
        let Some(mut panel) = self.code.suggestions.take() else {
            return;
        };
        if self.project().codebook.contains(&panel.code) {
            panel.rank(self.project(), &self.coder);
            self.code.suggestions = Some(panel);
        }
    }

    /// The keymap context while the panel is open in the Code view.
    pub fn suggestions_context(&self) -> Option<Context> {
        (self.view_mode == View::Code && self.code.suggestions.is_some())
            .then_some(Context::Suggestions)
    }
}

/// Draws the panel over the lower part of the transcript pane.
pub fn draw(app: &App, frame: &mut Frame, text_area: Rect) {
    let Some(panel) = app.code.suggestions.as_ref() else {
        return;
    };
    let height = (text_area.height / 2).max(6).min(text_area.height);
    let area = Rect::new(
        text_area.x,
        text_area.y + text_area.height - height,
        text_area.width,
        height,
    );
    let theme = &app.theme;
    let name = app.project().codebook.path(&panel.code);
    let title = format!(" Suggestions for {name} ({}) ", panel.items.len());
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(Span::styled(
            crate::tui::screens::code::draw::fit(&title, area.width.saturating_sub(2) as usize),
            theme.border(true),
        ));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    // The last two lines: the words that made the selected passage similar, and the keys.
    let rows = inner.height.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = Vec::new();
    if panel.items.is_empty() {
        lines.push(Line::from(Span::styled(
            "Nothing to suggest: code a few passages with this code first.",
            theme.dim(),
        )));
    }
    let first = panel.selected.saturating_sub(rows.saturating_sub(1));
    for (i, s) in panel.items.iter().enumerate().skip(first).take(rows) {
        let marker = if i == panel.selected { "▸ " } else { "  " };
        let flat = crate::wording::one_line(&s.text);
        let line = crate::tui::screens::code::draw::fit(
            &format!("{marker}{}  {flat}", s.transcript),
            width,
        );
        let style = if i == panel.selected {
            theme.highlight(true)
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::from(Span::styled(line, style)));
    }
    let hint = hints::render(&app.keymap, Context::Suggestions, HINT);
    while lines.len() < rows {
        lines.push(Line::from(""));
    }
    let similar = panel.current().map_or(String::new(), |s| {
        format!("similar in: {}", s.terms.join(", "))
    });
    lines.push(Line::from(crate::tui::screens::code::draw::fit(
        &similar, width,
    )));
    lines.push(Line::from(Span::styled(
        crate::tui::screens::code::draw::fit(&hint, width),
        theme.dim(),
    )));
    frame.render_widget(Paragraph::new(lines), inner);
}
