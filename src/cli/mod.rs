//! The command line's commands. Each returns an exit status or a [`Failure`].

pub mod agreement;
pub mod codebook;
pub mod commands;
pub mod interop;
pub mod memos;
pub mod play;
pub mod table;
pub mod tables;

use std::process::ExitCode;

/// A command that could not run: the message to print and exit status 2.
#[derive(Debug)]
pub struct Failure(pub String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure(e.to_string())
    }
}

pub type Outcome = Result<ExitCode, Failure>;
