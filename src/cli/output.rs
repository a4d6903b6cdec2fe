//! What commands print: the `--format table|csv|json` choice and the one helper that prints
//! a [`Listing`] in it, and standard output's failures (a closed pipe ends quietly; a full
//! or closed standard output is an error, exit status 2).

use super::command_error::{CommandError, standard_output};
use clap::ValueEnum;
use serde::Serialize;
use std::io::{self, Stdout};

/// `--format`: aligned text for people, CSV or JSON for programs.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

/// A command's result in the three formats; [`print`] chooses.
pub trait Listing {
    /// The aligned text for people, ending in a newline.
    fn table(&self) -> String;
    /// The rows for a CSV writer, header first.
    fn csv(&self, out: &mut csv::Writer<Stdout>) -> Result<(), csv::Error>;
    /// What the JSON output is made of.
    fn json(&self) -> impl Serialize + '_;
    /// A line written to standard error before the CSV (the scope), where a CSV reader will
    /// not trip over it.
    fn csv_note(&self) -> Option<String> {
        None
    }
}

/// Prints `listing` in `format` on standard output.
pub fn print(format: Format, listing: &impl Listing) -> Result<(), CommandError> {
    match format {
        Format::Table => print!("{}", listing.table()),
        Format::Json => print_json(&listing.json())?,
        Format::Csv => {
            if let Some(note) = listing.csv_note() {
                eprintln!("{note}");
            }
            let mut out = csv::Writer::from_writer(io::stdout());
            listing.csv(&mut out)?;
            out.flush()?;
        }
    }
    Ok(())
}

/// Pretty JSON on standard output, with a final newline.
pub fn print_json(value: &impl Serialize) -> Result<(), CommandError> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Sets standard output up before a command runs, and refuses a closed one.
pub fn prepare_stdout() -> Result<(), CommandError> {
    quiet_on_closed_pipe();
    fail_on_full_stdout();
    // A closed standard output would swallow every result silently (Rust discards writes to
    // a closed descriptor): refuse before doing anything.
    thematic::store::output::stdout_open().map_err(|e| {
        CommandError::new(
            super::command_error::Kind::Io,
            format!("standard output: {e}"),
        )
    })
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`thematic quotes ... | head`)
/// would panic; restoring the default makes the command end quietly, like other tools.
#[cfg(unix)]
fn quiet_on_closed_pipe() {
    // SAFETY: setting a signal's disposition to its default at start-up, before any thread
    // exists, has no memory-safety requirements.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn quiet_on_closed_pipe() {}

/// A full standard output (`> /dev/full`) makes `println!` panic: say so as an error with
/// exit status 2 instead, like any other failed write; a closed pipe (where SIGPIPE is
/// blocked) ends quietly, with status 2 too.
fn fail_on_full_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if let Some(why) = message.strip_prefix("failed printing to stdout: ") {
            let closed_pipe = io::Error::from_raw_os_error(libc::EPIPE).to_string();
            if why != closed_pipe {
                eprintln!("thematic: standard output: {why}");
            }
            std::process::exit(2);
        }
        default(info);
    }));
}

/// Flushes what is still buffered for standard output.
pub fn flush_stdout() -> Result<(), CommandError> {
    use std::io::Write;
    io::stdout().flush().map_err(standard_output)
}
