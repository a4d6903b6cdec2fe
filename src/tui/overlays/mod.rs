//! What is drawn over a screen and takes the keys while it is open: the help, the pickers,
//! one-line prompts, confirmations, the definition and memo editors, a review comment and
//! the list of search hits. `App` holds the open one ([`Overlay`]); [`keys`] routes keys
//! and pastes to it, [`draw`] draws it.

pub mod definition_editor;
pub mod draw;
pub mod keys;
pub mod memo_editor;
pub mod picker;
pub mod search_list;

use crate::model::{CodeId, Level};
use crate::model::{Edit, TranscriptId};
use crate::tui::overlays::definition_editor::DefinitionEditor;
use crate::tui::overlays::memo_editor::MemoEditor;
use crate::tui::overlays::picker::Picker;
use crate::tui::widgets::line_input::LineInput;

/// The overlay open over the active screen, if any.
pub enum Overlay {
    None,
    Help {
        scroll: usize,
    },
    Picker(Picker),
    Search(LineInput),
    /// Every hit of a search across the transcripts, to choose one to go to.
    SearchList(Box<crate::tui::overlays::search_list::SearchList>),
    Input {
        purpose: InputPurpose,
        text: LineInput,
    },
    Confirm {
        message: String,
        edit: Box<Edit>,
    },
    /// Asks before showing a blind coder the others' work on a transcript.
    ConfirmReveal {
        message: String,
        transcript: TranscriptId,
    },
    Editor(Box<DefinitionEditor>),
    Memo(Box<MemoEditor>),
    /// A review comment being written: several lines, posted with Esc.
    Comment {
        memo: crate::model::MemoId,
        text: Box<ratatui_textarea::TextArea<'static>>,
    },
}

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
