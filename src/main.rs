//! The `thematic` command line: parse arguments, run a command (`cli`), turn its error into
//! a message and an exit status (0 success, 1 problems found, 2 could not run).

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let ready = cli::output::prepare_stdout();
    let args = cli::Cli::parse();
    cli::command_error::finish(ready.and_then(|()| cli::run(args)))
}
