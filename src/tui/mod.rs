//! The terminal user interface: one direction of flow, event -> keymap -> Action ->
//! `App::update` (handed to the open overlay or the active screen) -> Edit ->
//! `Workspace::apply`, then `screens::draw(&App)`.
//!
//! `app.rs` holds what the screens share and routes events; `screens/<screen>/` keeps each
//! screen's state, keys and drawing; `overlays/` what opens over a screen; `widgets/` drawing
//! pieces used by several of them.
pub mod action;
pub mod app;
pub mod hints;
pub mod keymap;
pub mod layout;
pub mod overlays;
pub mod screens;
pub mod screenshot;
pub mod startup;
pub mod terminal;
pub mod theme;
pub mod widgets;

/// Drawing by its old path: `views::draw` is [`screens::draw`], kept for callers outside
/// the TUI (the CLI's screenshot, benchmarks, tests).
pub mod views {
    pub use super::screens::draw;
}

/// The old home of [`screens::codebook::colour_for_new_code`], kept for callers outside the
/// TUI.
pub mod codebook_view {
    pub use super::screens::codebook::colour_for_new_code;
}
