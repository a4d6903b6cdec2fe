//! Exchange with the world outside the project folder: transcript importers (text, Markdown,
//! Word, OpenDocument, PDF, HTML, captions), REFI-QDA
//! projects and codebooks, CSV of segments, and the study report.

pub mod attributes;
pub mod charts;
pub mod html;
pub mod import;
pub mod map;
pub mod odt;
pub mod pdf;
pub mod refi;
pub mod report;
pub mod segments_csv;
pub mod subtitles;
