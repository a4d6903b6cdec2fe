//! Drawing pieces used by several screens and overlays: the one-line input and word wrap.
pub mod line_input;
pub mod wrap;
