//! The screens, one folder each: its state (`mod.rs`), what its keys do (`keys.rs`) and how
//! it is drawn (`draw.rs`). `App` (in `app.rs`) holds what they share and hands each key or
//! action to the active one; [`draw`] draws the active screen and any overlay over it.
pub mod agreement;
pub mod analysis;
pub mod code;
pub mod codebook;
pub mod memos;
pub mod retrieve;

use crate::analysis::node_counts::Coders;
use crate::model::{CodeId, Project, TranscriptId};
use crate::tui::app::{App, View};
use crate::tui::keymap::Keymap;
use ratatui::Frame;

/// The states of the screens other than Code (which is `App::code`), each made when its
/// screen is first opened and kept while the session lasts.
#[derive(Default)]
pub struct Screens {
    pub retrieve: Option<retrieve::RetrieveState>,
    pub memos: Option<memos::MemosState>,
    pub agreement: Option<agreement::AgreementState>,
    pub analysis: Option<analysis::AnalysisState>,
}

/// What every screen may read of `App`, and the status line it may write: lent to a
/// screen's `update` with its own state (see [`analysis::keys`], the first screen handled
/// this way).
pub struct Shared<'a> {
    /// The project as this coder may see it (blind double coding taken out).
    pub project: &'a Project,
    /// The whole project, for lists that name what exists (coders, attributes).
    pub whole: &'a Project,
    /// Who is looking.
    pub coder: &'a crate::model::CoderId,
    /// How many transcripts this coder codes blind.
    pub blind_count: usize,
    pub keymap: &'a Keymap,
    /// The status line: what the key did, in words.
    pub status: &'a mut String,
}

/// What a screen asks `App` to do after a key, because it reaches past the screen
/// (carried out by `App::carry_out`).
pub enum Request {
    /// Open the attribute-value picker; the choice comes back to the active screen.
    PickAttribute,
    /// Show the quotes of `code` (with the codes below it) by `coders` in `transcripts`
    /// in the Retrieve screen; `label` names those transcripts in the status line.
    Quotes {
        code: CodeId,
        coders: Coders,
        transcripts: Vec<TranscriptId>,
        label: String,
    },
    /// Apply this edit (saved, undoable, then everything that depends on it refreshed);
    /// `done` says what it did in the status line.
    Apply {
        edit: Box<crate::model::Edit>,
        done: String,
    },
    /// Record this decision in the coder's audit trail (no coding changes); `done` is the
    /// status line.
    Note {
        decision: String,
        codes: Vec<CodeId>,
        done: String,
    },
    /// Open this overlay over the screen.
    Overlay(Box<crate::tui::overlays::Overlay>),
}

/// Draws the active screen, then the overlay open over it (if any). A pure function of
/// `App`: no I/O and no mutation.
pub fn draw(app: &App, frame: &mut Frame) {
    match app.view_mode {
        View::Code => code::draw::draw(app, frame),
        View::Codebook => codebook::draw::draw(app, frame),
        View::Retrieve => retrieve::draw::draw(app, frame),
        View::Memos => memos::draw::draw(app, frame),
        View::Agreement => agreement::draw::draw(app, frame),
        View::Analysis => analysis::draw::draw(app, frame),
    }
    crate::tui::overlays::draw::draw(app, frame);
}
