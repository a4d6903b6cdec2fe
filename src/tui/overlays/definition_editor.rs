//! The definition editor: a code's description, inclusion and exclusion criteria and
//! example, each in its own multi-line editor, Tab between them, saved on Esc.

use crate::model::{Code, CodeId};
use ratatui_textarea::{TextArea, WrapMode};

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
    pub fn new(code: &Code) -> DefinitionEditor {
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
