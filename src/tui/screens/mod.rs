//! The screens, one folder each: its state (`mod.rs`), what its keys do (`keys.rs`) and how
//! it is drawn (`draw.rs`). `App` (in `app.rs`) holds what they share and hands each key or
//! action to the active one; [`draw`] draws the active screen and any overlay over it.
pub mod agreement;
pub mod analysis;
pub mod code;
pub mod codebook;
pub mod memos;
pub mod retrieve;

use crate::tui::app::{App, View};
use ratatui::Frame;

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
