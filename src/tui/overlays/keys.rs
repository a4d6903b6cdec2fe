//! Keys and pastes while an overlay is open: each overlay takes them before the keymap does;
//! what it asks for on Enter (code with this, go there, apply this edit) is carried out here.

use crate::model::Level;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::{Context, Key};
use crate::tui::overlays::Overlay;
use crate::tui::overlays::picker::{Pick, PickerKind};
use crate::tui::screens::code::Focus;
use crate::tui::widgets::line_input::LineInput;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

impl App {
    pub(crate) fn handle_key_here(&mut self, key: KeyEvent) {
        match &mut self.overlay {
            Overlay::Picker(_) => return self.picker_key(key),
            Overlay::SearchList(_) => return self.search_list_key(key),
            Overlay::Search(_) => return self.search_key(key),
            Overlay::Help { scroll } => {
                match key.code {
                    KeyCode::Down | KeyCode::Char('j') => *scroll += 1,
                    KeyCode::Up | KeyCode::Char('k') => *scroll = scroll.saturating_sub(1),
                    KeyCode::PageDown | KeyCode::Char(' ') => *scroll += 10,
                    KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
                    _ => self.overlay = Overlay::None,
                }
                return;
            }
            Overlay::Input { text, .. } => {
                match key.code {
                    KeyCode::Esc => self.overlay = Overlay::None,
                    KeyCode::Enter => {
                        if let Overlay::Input { purpose, text } =
                            std::mem::replace(&mut self.overlay, Overlay::None)
                        {
                            self.input_done(purpose, text.text().to_string());
                        }
                    }
                    _ => {
                        text.key(key);
                    }
                }
                return;
            }
            Overlay::Confirm { .. } => {
                let yes = matches!(key.code, KeyCode::Char('y' | 'Y') | KeyCode::Enter);
                self.confirm_key(yes);
                return;
            }
            Overlay::ConfirmReveal { transcript, .. } => {
                let t = transcript.clone();
                self.overlay = Overlay::None;
                if matches!(key.code, KeyCode::Char('y' | 'Y')) {
                    self.reveal(t);
                } else {
                    self.status = format!("{t} stays blind: nothing revealed");
                }
                return;
            }
            Overlay::Editor(editor) => {
                match key.code {
                    KeyCode::Esc => {
                        if let Overlay::Editor(editor) =
                            std::mem::replace(&mut self.overlay, Overlay::None)
                        {
                            self.editor_done(*editor);
                        }
                    }
                    KeyCode::Tab => editor.focus_on(editor.focus + 1),
                    KeyCode::BackTab => editor.focus_on(editor.focus + 3),
                    _ => {
                        let focus = editor.focus;
                        editor.fields[focus].input(key);
                    }
                }
                return;
            }
            Overlay::Memo(editor) if editor.searching.is_some() => {
                match key.code {
                    KeyCode::Esc => editor.searching = None,
                    KeyCode::Enter => {
                        if !editor.find_next() {
                            self.status = "Not found in this memo".into()
                        }
                    }
                    _ => {
                        if let Some(q) = editor.searching.as_mut() {
                            q.key(key);
                        }
                    }
                }
                return;
            }
            Overlay::Comment { text, .. } => {
                if key.code == KeyCode::Esc {
                    if let Overlay::Comment { memo, text } =
                        std::mem::replace(&mut self.overlay, Overlay::None)
                    {
                        self.add_comment(memo, text.lines().join("\n").trim_end().to_string());
                    }
                } else {
                    text.input(key);
                }
                return;
            }
            Overlay::Memo(editor) => {
                match key.code {
                    KeyCode::Char('f') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                        editor.searching = Some(LineInput::default())
                    }
                    KeyCode::Esc => self.close_memo(),
                    KeyCode::Tab | KeyCode::BackTab => editor.focus_on(editor.focus + 1),
                    _ => editor.key(key),
                }
                return;
            }
            Overlay::None => {}
        }
        if let Some(action) = self.keymap.action(self.context(), Key::from_event(&key)) {
            self.update(action);
        }
    }

    pub(crate) fn handle_paste(&mut self, text: &str) {
        match &mut self.overlay {
            Overlay::Picker(p) => p.paste(text),
            Overlay::Search(q) | Overlay::Input { text: q, .. } => {
                q.paste(text);
            }
            Overlay::Memo(editor) if editor.searching.is_some() => {
                if let Some(q) = editor.searching.as_mut() {
                    q.paste(text);
                }
            }
            Overlay::Editor(editor) => {
                let focus = editor.focus;
                editor.fields[focus].insert_str(text);
            }
            Overlay::Memo(editor) => editor.paste(text),
            Overlay::Comment { text: area, .. } => {
                area.insert_str(text);
            }
            _ => {}
        }
    }

    pub(crate) fn picker_key(&mut self, key: KeyEvent) {
        let Overlay::Picker(picker) = &mut self.overlay else {
            return;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => self.overlay = Overlay::None,
            KeyCode::Enter => {
                let pick = picker.current();
                let query = picker.query().trim().to_string();
                let parent = picker
                    .chosen_parent()
                    .map(|(p, _)| p.clone())
                    .unwrap_or(None);
                let kind = picker.kind.clone();
                self.overlay = Overlay::None;
                if let Some(p) = &pick
                    && self.codebook_pick(&kind, p)
                {
                    return;
                }
                if let PickerKind::CodeHits { hits, unlisted } = kind {
                    match pick {
                        Some(Pick::Code(code)) => self.code_hits(&hits, unlisted, &code),
                        Some(Pick::Create) => self.create_and_code_hits(&query, parent, &hits),
                        _ => self.status = "Nothing matches".into(),
                    }
                    return;
                }
                match pick {
                    Some(Pick::Code(code)) => self.assign(code),
                    Some(Pick::Create) => self.create_and_assign(&query, parent, Level::Code),
                    Some(Pick::Transcript(i)) => {
                        self.open_transcript(i);
                        self.code.focus = Focus::Text;
                    }
                    Some(Pick::Uncode {
                        coder,
                        segment,
                        code,
                    }) => self.uncode(&coder, &segment, &code),
                    Some(Pick::Parent(_) | Pick::Attribute(_)) => {}
                    None => self.status = "Nothing matches".into(),
                }
            }
            KeyCode::Up => picker.move_selection(-1),
            KeyCode::Down => picker.move_selection(1),
            KeyCode::Char('p') if ctrl => picker.move_selection(-1),
            KeyCode::Char('n') if ctrl => picker.move_selection(1),
            KeyCode::Tab => picker.cycle_parent(1),
            KeyCode::BackTab => picker.cycle_parent(-1),
            _ => picker.key(key),
        }
    }

    pub(crate) fn search_key(&mut self, key: KeyEvent) {
        let Overlay::Search(query) = &mut self.overlay else {
            return;
        };
        match key.code {
            KeyCode::Esc => self.overlay = Overlay::None,
            KeyCode::Enter => {
                let query = query.text().to_string();
                self.overlay = Overlay::None;
                self.run_search(query);
                if !self.code.last_search.is_empty() && self.status.contains("hit") {
                    let list = self.keymap.keys_for(Context::Text, Action::SearchList);
                    self.status.push_str(&format!(" · {list} lists them all"));
                }
            }
            _ => {
                query.key(key);
            }
        }
    }
}
