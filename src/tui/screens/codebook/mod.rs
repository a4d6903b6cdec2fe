//! The Codebook screen: the code tree with counts per node and the selected code's
//! definition; organising codes (new, rename, move, merge, split, delete, colour) and
//! defining them. Its state is the tree selection `App` shares with the Code screen's
//! codebook pane; here are the prompts it asks, the definition editor and new codes' colours.
pub mod draw;
pub mod keys;

use crate::model::{Code, CodeId, Colour, Level};
use ratatui_textarea::{TextArea, WrapMode};

/// What a line of text typed in the input overlay is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputPurpose {
    NewCode {
        parent: Option<CodeId>,
        level: Level,
    },
    Rename(CodeId),
    Tags(CodeId),
    FilterText,
    SplitName,
    MemoText,
    MemoDates,
    MemoComment(crate::model::MemoId),
}

impl InputPurpose {
    pub fn prompt(&self) -> &'static str {
        match self {
            InputPurpose::NewCode { .. } => "New code's name",
            InputPurpose::Rename(_) => "New name",
            InputPurpose::Tags(_) => "Tags, separated by commas (e.g. enabler, barrier)",
            InputPurpose::FilterText => "Only quotes containing",
            InputPurpose::SplitName => "Name of the new code for the marked quotes",
            InputPurpose::MemoText => "Only memos containing",
            InputPurpose::MemoDates => {
                "Updated between (YYYY-MM-DD..YYYY-MM-DD; either side may be empty)"
            }
            InputPurpose::MemoComment(_) => "Your comment",
        }
    }
}

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
    fn new(code: &Code) -> DefinitionEditor {
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

/// Colours offered by "next colour", readable behind text on dark and light terminals.
const PALETTE: [[u8; 3]; 10] = [
    [0x4e, 0x79, 0xa7],
    [0xf2, 0x8e, 0x2b],
    [0x59, 0xa1, 0x4f],
    [0xe1, 0x57, 0x59],
    [0xb0, 0x7a, 0xa1],
    [0x76, 0xb7, 0xb2],
    [0xed, 0xc9, 0x48],
    [0xff, 0x9d, 0xa7],
    [0x9c, 0x75, 0x5f],
    [0xba, 0xb0, 0xac],
];

/// The palette colour after `current` (the first if it is not in the palette).
pub fn next_colour(current: Option<Colour>) -> Colour {
    let at = current.and_then(|c| PALETTE.iter().position(|p| *p == c.0));
    Colour(PALETTE[at.map_or(0, |i| (i + 1) % PALETTE.len())])
}

/// A new code takes its parent's colour, so a theme's codes look related; a top-level code
/// takes the next palette colour.
pub fn colour_for_new_code(book: &crate::model::Codebook, parent: Option<&CodeId>) -> Colour {
    match parent.and_then(|p| book.get(p)).and_then(|p| p.colour) {
        Some(colour) => colour,
        None => Colour(PALETTE[book.children(None).len() % PALETTE.len()]),
    }
}
