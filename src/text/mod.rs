//! Text handling: normalising imported text, converting between offset kinds, and finding the
//! structure of a transcript (words, sentences, paragraphs, speaker turns).

pub mod normalize;
pub mod offsets;
pub mod structure;
pub mod turns;

pub use normalize::{normalize_import, sanitize_for_terminal};
pub use offsets::TextIndex;
pub use turns::{SpeakerRole, Turn, find_turns};
