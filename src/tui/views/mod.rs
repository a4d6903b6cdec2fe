//! Drawing: pure functions of the App's state, no I/O and no mutation.
pub mod overlay;

use crate::tui::app::{App, View};
use ratatui::Frame;

pub fn draw(app: &App, frame: &mut Frame) {
    match app.view_mode {
        View::Code => crate::tui::screens::code::draw::draw(app, frame),
        View::Codebook => crate::tui::screens::codebook::draw::draw(app, frame),
        View::Retrieve => crate::tui::screens::retrieve::draw::draw(app, frame),
        View::Memos => crate::tui::screens::memos::draw::draw(app, frame),
        View::Agreement => crate::tui::screens::agreement::draw::draw(app, frame),
        View::Analysis => crate::tui::screens::analysis::draw::draw(app, frame),
    }
    overlay::draw(app, frame);
}
