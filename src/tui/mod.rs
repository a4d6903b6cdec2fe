//! The terminal user interface: one direction of flow, event -> keymap -> Action ->
//! `App::update` -> Edit -> `Workspace::apply`, then `views::draw(&App)`.
pub mod action;
pub mod app;
pub mod hints;
pub mod keymap;
pub mod layout;
pub mod line_input;
pub mod memo_editor;
pub mod picker;
pub mod screens;
pub mod screenshot;
pub mod search_list;
pub mod terminal;
pub mod theme;
pub mod views;
pub mod wrap;

/// The old home of [`screens::codebook::colour_for_new_code`], kept for callers outside the
/// TUI.
pub mod codebook_view {
    pub use super::screens::codebook::colour_for_new_code;
}
