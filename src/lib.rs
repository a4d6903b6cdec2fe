//! `thematic`: a keyboard-first terminal workbench for coding interview transcripts.
//!
//! The library holds everything but the command line: the model, text handling, the project
//! folder store, analysis and interoperability. `main.rs` turns its typed errors into messages.

pub mod analysis;
pub mod config;
pub mod generate;
pub mod interop;
pub mod media;
pub mod merge;
pub mod model;
pub mod parallel;
pub mod store;
pub mod suggest;
pub mod team;
pub mod text;
pub mod tui;
pub mod wording;
pub mod workspace;
