//! Exchange with the world outside the project folder: transcript importers now; REFI-QDA,
//! CSV and reports later.

pub mod attributes;
pub mod import;
pub mod subtitles;
