//! The Codebook screen: the code tree with counts per node and the selected code's
//! definition; organising codes (new, rename, move, merge, split, delete, colour) and
//! defining them (in the definition editor, [`crate::tui::overlays::definition_editor`]).
//! Its state is the tree selection `App` shares with the Code screen's codebook pane; here
//! are new codes' colours.
pub mod draw;
pub mod keys;

use crate::model::{CodeId, Colour};

/// Colours offered by "next colour", readable behind text on dark and light terminals.
const PALETTE: [[u8; 3]; 10] = [
    [0x4e, 0x79, 0xa7],
    [0xf2, 0x8e, 0x2b],
    [0x59, 0xa1, 0x4f],
    [0xe1, 0x57, 0x59],
    [0xb0, 0x7a, 0xa1],
    [0x76, 0xb7, 0xb2],
    [0xed, 0xc9, 0x48],
    [0xff, 0x9d, 0xa7],
    [0x9c, 0x75, 0x5f],
    [0xba, 0xb0, 0xac],
];

/// The palette colour after `current` (the first if it is not in the palette).
pub fn next_colour(current: Option<Colour>) -> Colour {
    let at = current.and_then(|c| PALETTE.iter().position(|p| *p == c.0));
    Colour(PALETTE[at.map_or(0, |i| (i + 1) % PALETTE.len())])
}

/// A new code takes its parent's colour, so a theme's codes look related; a top-level code
/// takes the next palette colour.
pub fn colour_for_new_code(book: &crate::model::Codebook, parent: Option<&CodeId>) -> Colour {
    match parent.and_then(|p| book.get(p)).and_then(|p| p.colour) {
        Some(colour) => colour,
        None => Colour(PALETTE[book.children(None).len() % PALETTE.len()]),
    }
}
