//! The Code screen, where transcripts are coded: the transcript list, the text with its
//! cursor and selection ([`text_view`]), the coding margin ([`margin`]), the codebook pane
//! with live counts, the quick-code strip, the Suggestions panel, and pane sizes. Its state
//! is the text view and the list and tree selections held by `App`; its drawing is
//! [`draw`].
pub mod draw;
pub mod margin;
pub mod panes;
pub mod play;
pub mod quick_codes;
pub mod quick_strip;
pub mod suggestions;
pub mod text_view;
