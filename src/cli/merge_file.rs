//! `thematic merge-file BASE MINE THEIRS PATH`: git's merge driver for thematic's files
//! (set up by `thematic sync`).

use super::command_error::Outcome;
use super::context::Context;
use std::path::PathBuf;
use std::process::ExitCode;
use thematic::team;

#[derive(clap::Args)]
pub struct Args {
    base: PathBuf,
    mine: PathBuf,
    theirs: PathBuf,
    path: PathBuf,
}

/// What git runs to merge one of thematic's files (`%O %A %B %P`). Exit 0 merged, 1
/// conflicts left (explained, and recorded for `thematic resolve`).
pub fn run(_ctx: &Context, args: Args) -> Outcome {
    let path = &args.path;
    let outcome = team::run_merge_driver(&args.base, &args.mine, &args.theirs, path)?;
    let shown = path.display();
    if let Some(why) = &outcome.as_text {
        eprintln!("thematic: {shown}: merged line by line ({why})");
    }
    for note in &outcome.notes {
        eprintln!("thematic: note: {shown}: {note}");
    }
    for conflict in &outcome.conflicts {
        eprintln!("thematic: conflict in {shown}: {conflict}");
    }
    Ok(if outcome.conflicts.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
