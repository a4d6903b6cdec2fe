//! thematic's integration tests, as one test binary (one link instead of one per file).
//!
//! Each module is what used to be a file of its own under `tests/`, with the same name, so
//! `cargo test --test it cli::` runs what `cargo test --test cli` ran. `common` holds what
//! they share: the project builder (`common::project`) and the helper that runs the binary
//! (`common::run`). See docs/architecture.md ("Tests") for the layout and the long modes.
//!
//! Sharing one process has rules: a test that needs the process's environment changed keeps
//! a binary of its own (tests/play_key.rs); a child process gets its environment through
//! `Command::env` (the run helper gives every run a config folder of its own); a test that
//! runs this binary again names itself by its module path (see kill.rs).

mod common;

mod agreement;
mod agreement_multi;
mod autocode;
mod blindness;
mod cli;
mod codebook;
mod docs_links;
mod e2e;
mod exports;
mod figures;
mod fuzz;
mod git_merge;
mod harness;
mod hostile;
mod hostile_clone;
mod import;
mod import_formats;
mod kill;
mod margin;
mod play;
mod recovery;
mod refi;
mod refi_merge;
mod report;
mod reviewers;
mod rounds;
mod store;
mod suggest;
mod suggestions_tui;
mod tables;
mod tables_cli;
mod tables_properties;
mod team;
mod trust;
mod tui;
mod walk;
