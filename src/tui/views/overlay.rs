//! Views drawn over the Code view: the help and the picker.

use super::code::fit;
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay};
use crate::tui::keymap::Context;
use crate::tui::picker::{Pick, Picker, PickerKind};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub fn draw(app: &App, frame: &mut Frame) {
    match &app.overlay {
        Overlay::Help { scroll } => draw_help(app, frame, *scroll),
        Overlay::Picker(picker) => draw_picker(app, frame, picker),
        Overlay::SearchList(list) => crate::tui::search_list::draw(app, frame, list),
        Overlay::Input { purpose, text } => draw_input(frame, purpose.prompt(), text),
        Overlay::Confirm { message, .. } => draw_input(frame, message, ""),
        Overlay::ConfirmReveal { message, .. } => draw_question(frame, " Reveal? ", message),
        Overlay::Editor(editor) => draw_editor(frame, editor),
        Overlay::Memo(editor) => draw_memo(frame, editor),
        Overlay::Comment { text, .. } => {
            let area = centered(frame.area(), 76, 12);
            frame.render_widget(Clear, area);
            let block = Block::default()
                .borders(Borders::ALL)
                .title(" Your comment · Enter new line · Esc post it (nothing if empty) ");
            let inner = block.inner(area);
            frame.render_widget(block, area);
            frame.render_widget(text.as_ref(), inner);
        }
        _ => {}
    }
}

fn centered(size: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(size.width.saturating_sub(2)).max(1);
    let h = height.min(size.height.saturating_sub(2)).max(1);
    Rect::new(
        size.x + (size.width - w) / 2,
        size.y + (size.height - h) / 2,
        w,
        h,
    )
}

/// The help lines: the focused pane's keys, then the global ones, then the fixed keys.
pub fn help_lines(app: &App) -> Vec<(String, String)> {
    let mut lines = Vec::new();
    if !app.load_problems.is_empty() {
        lines.push((String::new(), "— problems found when opening —".into()));
        for problem in &app.load_problems {
            lines.push((
                "!".into(),
                crate::text::sanitize_for_terminal(problem).into_owned(),
            ));
        }
    }
    let context = app.context();
    for ctx in [context, Context::Global] {
        lines.push((String::new(), format!("— {} —", ctx.name())));
        for (action, keys) in app.keymap.bindings(ctx) {
            if *action == Action::CrashTest && keys.is_empty() {
                continue;
            }
            let keys: Vec<String> = keys.iter().map(ToString::to_string).collect();
            lines.push((keys.join(" "), action.help().to_string()));
        }
    }
    lines.push((String::new(), "— picker —".into()));
    lines.push(("type".into(), "filter codes by name and path".into()));
    lines.push(("Up Down".into(), "choose".into()));
    lines.push(("Enter".into(), "take it (or create the typed code)".into()));
    lines.push(("Tab".into(), "change where a new code goes".into()));
    lines.push(("Esc".into(), "close".into()));
    lines.push((String::new(), "— mouse —".into()));
    lines.push((
        "click".into(),
        "focus a pane, move the cursor, open a transcript".into(),
    ));
    lines.push(("drag".into(), "select text".into()));
    lines
}

fn draw_help(app: &App, frame: &mut Frame, scroll: usize) {
    let area = centered(frame.area(), 76, 40);
    let lines = help_lines(app);
    let inner_h = area.height.saturating_sub(2) as usize;
    let scroll = scroll.min(lines.len().saturating_sub(inner_h));
    let key_w = lines
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0)
        .min(22);
    let text: Vec<Line> = lines
        .iter()
        .skip(scroll)
        .take(inner_h)
        .map(|(keys, what)| {
            if keys.is_empty() {
                Line::styled(what.clone(), Style::default().add_modifier(Modifier::BOLD))
            } else {
                let rest = (area.width as usize).saturating_sub(key_w + 4);
                Line::from(vec![
                    Span::styled(
                        format!("{:<key_w$}  ", fit(keys, key_w)),
                        Style::default().add_modifier(Modifier::BOLD),
                    ),
                    Span::raw(fit(what, rest)),
                ])
            }
        })
        .collect();
    let title = format!(
        " Keys: {} (j/k scroll, any other key closes) ",
        app.context().name()
    );
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(text).block(
            Block::default()
                .borders(Borders::ALL)
                .title(fit(&title, area.width as usize - 2)),
        ),
        area,
    );
}

fn draw_picker(app: &App, frame: &mut Frame, picker: &Picker) {
    let area = centered(frame.area(), 72, 22);
    frame.render_widget(Clear, area);
    let inner_w = area.width.saturating_sub(2) as usize;
    let mut lines = vec![Line::from(vec![
        Span::styled("> ", Style::default().add_modifier(Modifier::BOLD)),
        Span::raw(fit(&picker.query, inner_w.saturating_sub(3))),
        Span::styled("▏", Style::default().add_modifier(Modifier::DIM)),
    ])];
    // The create row, when offered, keeps the last line so it is always in view.
    let list_h = area.height.saturating_sub(4) as usize
        - usize::from(picker.offers_create()).min(area.height.saturating_sub(4) as usize);
    let offset =
        (picker.selected.min(picker.shown.len().saturating_sub(1)) + 1).saturating_sub(list_h);
    let book = &app.project().codebook;
    for (row, &index) in picker.shown.iter().enumerate().skip(offset).take(list_h) {
        let Some(item) = picker.item(index) else {
            continue;
        };
        let selected = row == picker.selected;
        let base = if selected {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default()
        };
        let (swatch_style, swatch) = app.theme.swatch(item.colour);
        let path = match &item.pick {
            Pick::Code(id) => book
                .parent(id)
                .map(|p| format!("  {}", book.path(p)))
                .unwrap_or_default(),
            _ => String::new(),
        };
        let label = fit(&item.label, inner_w.saturating_sub(2));
        let room =
            inner_w.saturating_sub(2 + unicode_width::UnicodeWidthStr::width(label.as_str()));
        lines.push(Line::from(vec![
            Span::styled(swatch, swatch_style.patch(base)),
            Span::styled(label, base),
            Span::styled(
                fit(&path, room),
                Style::default().add_modifier(Modifier::DIM).patch(base),
            ),
        ]));
    }
    if picker.offers_create() {
        let selected = picker.selected == picker.shown.len();
        let base = if selected {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default()
        };
        let parent = picker
            .chosen_parent()
            .map_or("the top level", |(_, name)| name.as_str());
        let text = format!("+ create “{}” under {parent}", picker.query.trim());
        lines.push(Line::styled(
            fit(&text, inner_w),
            base.add_modifier(Modifier::BOLD),
        ));
    } else if picker.shown.is_empty() {
        lines.push(Line::styled(
            "nothing matches",
            Style::default().add_modifier(Modifier::DIM),
        ));
    }
    let hint = match picker.kind {
        PickerKind::Assign => " Enter code · Tab where a new code goes · Esc close ",
        _ => " Enter choose · Esc close ",
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", picker.kind.title()))
        .title_bottom(Line::styled(
            fit(hint, inner_w),
            Style::default().add_modifier(Modifier::DIM),
        ));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn draw_input(frame: &mut Frame, prompt: &str, text: &str) {
    let area = centered(frame.area(), 70, 3);
    frame.render_widget(Clear, area);
    let inner_w = area.width.saturating_sub(2) as usize;
    let line = Line::from(vec![
        Span::raw(fit(text, inner_w.saturating_sub(1))),
        Span::styled("▏", Style::default().add_modifier(Modifier::DIM)),
    ]);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", fit(prompt, inner_w.saturating_sub(2))));
    frame.render_widget(Paragraph::new(line).block(block), area);
}

/// A question too long for one line, wrapped in a box.
fn draw_question(frame: &mut Frame, title: &str, text: &str) {
    let width = 72u16;
    let inner = width.saturating_sub(2) as usize;
    // Word wrapping leaves line ends short: one more line than the characters need.
    let lines = (unicode_width::UnicodeWidthStr::width(text) / inner + 2) as u16;
    let area = centered(frame.area(), width, lines + 2);
    frame.render_widget(Clear, area);
    let block = Block::default().borders(Borders::ALL).title(title);
    frame.render_widget(
        Paragraph::new(text.to_string())
            .wrap(ratatui::widgets::Wrap { trim: true })
            .block(block),
        area,
    );
}

fn draw_editor(frame: &mut Frame, editor: &crate::tui::codebook_view::DefinitionEditor) {
    use crate::tui::codebook_view::DEFINITION_FIELDS;
    let area = centered(frame.area(), 90, 28);
    frame.render_widget(Clear, area);
    let outer = Block::default()
        .borders(Borders::ALL)
        .title(" Definition · Tab next part · Esc save and close ");
    let inner = crate::tui::layout::inset(area);
    frame.render_widget(outer, area);
    let each = (inner.height / 4).max(3);
    for (i, field) in editor.fields.iter().enumerate() {
        let rect = Rect::new(
            inner.x,
            inner.y + each * i as u16,
            inner.width,
            each.min(inner.height.saturating_sub(each * i as u16)),
        );
        if rect.height == 0 {
            continue;
        }
        let focused = i == editor.focus;
        let style = if focused {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::DIM)
        };
        let block = Block::default()
            .borders(Borders::TOP)
            .border_style(style)
            .title(Span::styled(format!(" {} ", DEFINITION_FIELDS[i]), style));
        let inner_rect = block.inner(rect);
        frame.render_widget(block, rect);
        frame.render_widget(field, inner_rect);
    }
}

fn draw_memo(frame: &mut Frame, editor: &crate::tui::memo_editor::MemoEditor) {
    let area = centered(frame.area(), 90, 26);
    frame.render_widget(Clear, area);
    let saved = if editor.unsaved_since.is_some() {
        "typing…"
    } else {
        "saved"
    };
    let title = format!(
        " Memo on {} · {saved} · Tab title/body · Ctrl-f find · Esc close ",
        editor.about
    );
    let outer = Block::default()
        .borders(Borders::ALL)
        .title(fit(&title, area.width.saturating_sub(2) as usize));
    let inner = crate::tui::layout::inset(area);
    frame.render_widget(outer, area);
    if inner.height < 3 {
        return;
    }
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let title_rect = Rect::new(inner.x, inner.y, inner.width, 1);
    frame.render_widget(&editor.title, title_rect);
    let rule = Rect::new(inner.x, inner.y + 1, inner.width, 1);
    frame.render_widget(
        Paragraph::new(Line::styled(
            "─".repeat(inner.width as usize),
            if editor.focus == 1 {
                bold
            } else {
                Style::default().add_modifier(Modifier::DIM)
            },
        )),
        rule,
    );
    let find_h = u16::from(editor.searching.is_some());
    let body_rect = Rect::new(inner.x, inner.y + 2, inner.width, inner.height - 2 - find_h);
    frame.render_widget(&editor.body, body_rect);
    if let Some(query) = &editor.searching {
        let line = Line::from(vec![
            Span::styled("Find: ", bold),
            Span::raw(fit(query, inner.width.saturating_sub(30) as usize)),
            Span::styled(
                "▏ Enter next · Esc done",
                Style::default().add_modifier(Modifier::DIM),
            ),
        ]);
        frame.render_widget(
            Paragraph::new(line),
            Rect::new(inner.x, inner.y + inner.height - 1, inner.width, 1),
        );
    }
}
