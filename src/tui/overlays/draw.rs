//! Views drawn over the Code view: the help and the picker.

use crate::tui::action::Action;
use crate::tui::app::{App, Overlay};
use crate::tui::keymap::Context;
use crate::tui::overlays::picker::{Pick, Picker, PickerKind};
use crate::tui::screens::code::draw::fit;
use crate::tui::widgets::line_input::LineInput;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub fn draw(app: &App, frame: &mut Frame) {
    match &app.overlay {
        Overlay::Help { scroll } => draw_help(app, frame, *scroll),
        Overlay::Picker(picker) => draw_picker(app, frame, picker),
        Overlay::SearchList(list) => crate::tui::overlays::search_list::draw(app, frame, list),
        Overlay::Input { purpose, text } => draw_input(frame, purpose.prompt(), text),
        Overlay::Confirm { message, .. } => draw_confirm(frame, message),
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
    lines.push((
        "Left Right Home End".into(),
        "move in the query (Ctrl-a Ctrl-e too)".into(),
    ));
    lines.push((
        "Ctrl-u Ctrl-w Ctrl-k".into(),
        "delete to the start / the word before / to the end".into(),
    ));
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
    lines.push(("double-click".into(), "select a word".into()));
    lines.push((
        "triple-click".into(),
        "select a paragraph (a turn's speech)".into(),
    ));
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

/// Widest the picker's list gets, and the narrowest a definition beside it may be.
const PICKER_LIST_W: u16 = 72;
const DEFINITION_MIN_W: u16 = 32;
/// Tallest the picker gets, and the least it needs (query, two rows, borders).
const PICKER_H: u16 = 22;
const PICKER_MIN_H: u16 = 6;

/// Where an overlay `width` by `height` goes on `screen` so as not to cover `avoid` (the
/// first and last screen rows of the passage being coded): on whichever side of it has more
/// room, as tall as fits there (never less than `min_height`; only then may it overlap).
pub fn place_away(
    screen: Rect,
    avoid: Option<(u16, u16)>,
    width: u16,
    height: u16,
    min_height: u16,
) -> Rect {
    let Some((top, bottom)) = avoid else {
        return centered(screen, width, height);
    };
    let w = width.min(screen.width).max(1);
    let x = screen.x + (screen.width - w) / 2;
    let above = top.saturating_sub(screen.y);
    let below = (screen.y + screen.height).saturating_sub(bottom + 1);
    let (room, over) = if below >= above {
        (below, false)
    } else {
        (above, true)
    };
    let h = height.min(room.max(min_height)).min(screen.height).max(1);
    let y = if over {
        // Just above the passage (or from the top when it must overlap).
        top.saturating_sub(h).max(screen.y)
    } else {
        (bottom + 1).min(screen.y + screen.height - h)
    };
    Rect::new(x, y, w, h)
}

/// The screen rows of the passage a picker is about: the selection, else the segment under
/// the cursor. None when neither is on screen.
fn passage_rows(app: &App) -> Option<(u16, u16)> {
    let view = app.code.view.as_ref()?;
    let (start, end) = app
        .selected_range()
        .or_else(|| app.shown_at_cursor().first().map(|s| (s.start, s.end)))?;
    let inner = app.areas().text_inner();
    let first = view.wrapped.row_of(start);
    let last = view.wrapped.row_of(end.saturating_sub(1).max(start));
    let height = inner.height as usize;
    if last < view.scroll || first >= view.scroll + height || height == 0 {
        return None;
    }
    let top = first.max(view.scroll) - view.scroll;
    let bottom = last.min(view.scroll + height - 1) - view.scroll;
    Some((inner.y + top as u16, inner.y + bottom as u16))
}

/// The highlighted code's definition, as lines for a pane `width` columns wide.
fn definition_lines(app: &App, picker: &Picker) -> Vec<Line<'static>> {
    let book = &app.project().codebook;
    let (Some(Pick::Code(id)) | Some(Pick::Parent(Some(id)))) = picker.current() else {
        return Vec::new();
    };
    let Some(code) = book.get(&id) else {
        return Vec::new();
    };
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let dim = Style::default().add_modifier(Modifier::DIM);
    let mut lines = vec![Line::styled(
        crate::text::sanitize_for_terminal(&code.name).into_owned(),
        bold,
    )];
    let parts = [
        ("", &code.description),
        ("Include: ", &code.inclusion),
        ("Exclude: ", &code.exclusion),
        ("Example: ", &code.example),
    ];
    let mut any = false;
    for (label, text) in parts {
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        any = true;
        lines.push(Line::from(vec![
            Span::styled(label.to_string(), bold),
            Span::raw(crate::text::sanitize_for_terminal(&text.replace('\n', " ")).into_owned()),
        ]));
    }
    if !any {
        lines.push(Line::styled(
            "No definition yet (d in the Codebook view writes one)",
            dim,
        ));
    }
    lines
}

fn draw_picker(app: &App, frame: &mut Frame, picker: &Picker) {
    let screen = frame.area();
    let defines = matches!(
        picker.kind,
        PickerKind::Assign
            | PickerKind::MoveTo(_)
            | PickerKind::MergeInto(_)
            | PickerKind::CodeHits { .. }
    );
    let beside = defines && screen.width >= PICKER_LIST_W + DEFINITION_MIN_W + 2;
    let width = if beside {
        screen.width.min(PICKER_LIST_W + 56)
    } else {
        PICKER_LIST_W
    };
    let avoid = if picker.kind == PickerKind::Assign {
        passage_rows(app)
    } else {
        None
    };
    let area = place_away(screen, avoid, width, PICKER_H, PICKER_MIN_H);
    frame.render_widget(Clear, area);
    let hint = match picker.kind {
        PickerKind::Assign => " Enter code · Tab where a new code goes · Esc close ",
        _ => " Enter choose · Esc close ",
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", picker.kind.title()))
        .title_bottom(Line::styled(
            fit(hint, area.width.saturating_sub(2) as usize),
            Style::default().add_modifier(Modifier::DIM),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 || inner.width < 4 {
        return;
    }
    let (list_area, definition_area) = if beside {
        let list_w = PICKER_LIST_W.saturating_sub(2).min(inner.width);
        let def_x = inner.x + list_w + 1;
        (
            Rect::new(inner.x, inner.y, list_w, inner.height),
            Some(Rect::new(
                def_x,
                inner.y,
                (inner.x + inner.width).saturating_sub(def_x),
                inner.height,
            )),
        )
    } else if defines && inner.height >= 14 {
        let def_h = 5;
        (
            Rect::new(inner.x, inner.y, inner.width, inner.height - def_h - 1),
            Some(Rect::new(
                inner.x,
                inner.y + inner.height - def_h,
                inner.width,
                def_h,
            )),
        )
    } else {
        (inner, None)
    };
    draw_picker_list(app, frame, picker, list_area);
    if let Some(def) = definition_area {
        let dim = Style::default().add_modifier(Modifier::DIM);
        if beside {
            let rule = Rect::new(def.x - 1, def.y, 1, def.height);
            frame.render_widget(
                Paragraph::new(vec![Line::styled("│", dim); def.height as usize]),
                rule,
            );
        } else {
            let rule = Rect::new(def.x, def.y - 1, def.width, 1);
            frame.render_widget(
                Paragraph::new(Line::styled("─".repeat(def.width as usize), dim)),
                rule,
            );
        }
        let pane = Rect::new(def.x + 1, def.y, def.width.saturating_sub(1), def.height);
        frame.render_widget(
            Paragraph::new(definition_lines(app, picker))
                .wrap(ratatui::widgets::Wrap { trim: true }),
            pane,
        );
    }
}

/// The query line, the matching rows and the create row, in `area`.
fn draw_picker_list(app: &App, frame: &mut Frame, picker: &Picker, area: Rect) {
    let inner_w = area.width as usize;
    let bold = Style::default().add_modifier(Modifier::BOLD);
    frame.render_widget(
        Paragraph::new(Span::styled("> ", bold)),
        Rect::new(area.x, area.y, 2.min(area.width), 1),
    );
    frame.render_widget(
        &picker.input,
        Rect::new(area.x + 2, area.y, area.width.saturating_sub(2), 1),
    );
    // The create row, when offered, keeps the last lines so it is always in view; it shows
    // the full path of where the code will go, on a second line if need be.
    let create = picker.offers_create().then(|| {
        let parent = picker
            .chosen_parent()
            .map_or("the top level", |(_, name)| name.as_str());
        crate::text::sanitize_for_terminal(&format!(
            "+ create “{}” under {parent}",
            picker.query().trim()
        ))
        .into_owned()
    });
    let create_h = create.as_ref().map_or(0, |text| {
        if unicode_width::UnicodeWidthStr::width(text.as_str()) > inner_w {
            2
        } else {
            1
        }
    });
    let list_h = (area.height as usize).saturating_sub(1 + create_h);
    let offset =
        (picker.selected.min(picker.shown.len().saturating_sub(1)) + 1).saturating_sub(list_h);
    let book = &app.project().codebook;
    let mut lines = Vec::new();
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
    if create.is_none() && picker.shown.is_empty() {
        lines.push(Line::styled(
            "nothing matches",
            Style::default().add_modifier(Modifier::DIM),
        ));
    }
    let list_rect = Rect::new(area.x, area.y + 1, area.width, list_h as u16);
    frame.render_widget(Paragraph::new(lines), list_rect);
    if let Some(text) = create {
        let selected = picker.selected == picker.shown.len();
        let style = if selected {
            bold.add_modifier(Modifier::REVERSED)
        } else {
            bold
        };
        let y = area.y + area.height.saturating_sub(create_h as u16);
        frame.render_widget(
            Paragraph::new(Line::styled(text, style)).wrap(ratatui::widgets::Wrap { trim: false }),
            Rect::new(area.x, y, area.width, (create_h as u16).min(area.height)),
        );
    }
}

fn draw_input(frame: &mut Frame, prompt: &str, text: &LineInput) {
    let area = centered(frame.area(), 70, 3);
    frame.render_widget(Clear, area);
    let inner_w = area.width.saturating_sub(2) as usize;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", fit(prompt, inner_w.saturating_sub(2))));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(text, inner);
}

fn draw_confirm(frame: &mut Frame, message: &str) {
    let area = centered(frame.area(), 70, 3);
    frame.render_widget(Clear, area);
    let inner_w = area.width.saturating_sub(2) as usize;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", fit(message, inner_w.saturating_sub(2))));
    frame.render_widget(Paragraph::new("▏").block(block), area);
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

fn draw_editor(
    frame: &mut Frame,
    editor: &crate::tui::overlays::definition_editor::DefinitionEditor,
) {
    use crate::tui::overlays::definition_editor::DEFINITION_FIELDS;
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

fn draw_memo(frame: &mut Frame, editor: &crate::tui::overlays::memo_editor::MemoEditor) {
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
        let y = inner.y + inner.height - 1;
        let hint = " Enter next · Esc done";
        let hint_w = (hint.len() as u16).min(inner.width.saturating_sub(8));
        let field_w = inner.width.saturating_sub(6 + hint_w);
        frame.render_widget(
            Paragraph::new(Span::styled("Find: ", bold)),
            Rect::new(inner.x, y, 6.min(inner.width), 1),
        );
        frame.render_widget(query, Rect::new(inner.x + 6, y, field_w, 1));
        frame.render_widget(
            Paragraph::new(Span::styled(
                hint,
                Style::default().add_modifier(Modifier::DIM),
            )),
            Rect::new(inner.x + 6 + field_w, y, hint_w, 1),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::place_away;
    use ratatui::layout::Rect;

    #[test]
    fn the_picker_goes_where_the_passage_is_not() {
        let screen = Rect::new(0, 0, 100, 30);
        // A passage near the top: below it, as tall as wanted.
        let below = place_away(screen, Some((3, 5)), 72, 22, 6);
        assert_eq!((below.y, below.height), (6, 22));
        // Near the bottom: above it, ending just over its first row.
        let above = place_away(screen, Some((24, 26)), 72, 22, 6);
        assert_eq!(above.y + above.height, 24);
        // In the middle of a short screen: the larger side, shrunk to fit.
        let short = place_away(Rect::new(0, 0, 80, 24), Some((8, 12)), 72, 22, 6);
        assert_eq!((short.y, short.height), (13, 11));
        // No passage: centred.
        let centred = place_away(screen, None, 72, 22, 6);
        assert_eq!(centred.y, 4);
        for rect in [below, above, short] {
            assert_eq!(rect.width, 72);
            assert!(rect.y + rect.height <= 30);
        }
    }
}
