//! `thematic check`: every problem with a loaded project, explained.
pub use super::Problem;
