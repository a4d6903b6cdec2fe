//! Drawing: pure functions of the App's state, no I/O and no mutation.
pub mod code;
pub mod overlay;

use super::app::App;
use ratatui::Frame;

pub fn draw(app: &App, frame: &mut Frame) {
    code::draw(app, frame);
    overlay::draw(app, frame);
}
