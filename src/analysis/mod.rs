//! Pure functions over the model, shared by the TUI, the command line and reports, so that
//! a number on screen and in an export is the same number.

pub mod agreement;
pub mod memos;
pub mod node_counts;
pub mod retrieve;
pub mod sample;
pub mod search;
pub mod stats;
pub mod tables;
