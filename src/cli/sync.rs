//! `thematic sync DIR`: share your work with the team through git: commit, fetch, merge by
//! ids, check, push.

use super::command_error::Outcome;
use super::context::Context;
use super::resolve::print_conflicts;
use std::path::PathBuf;
use std::process::ExitCode;
use thematic::team::{self, sync::SyncEnd};

#[derive(clap::Args)]
pub struct Args {
    dir: PathBuf,
    /// Say in your own words what you did (default: a summary of the changes).
    #[arg(long, short)]
    message: Option<String>,
    /// Print the time spent merging and checking (for the benchmark).
    #[arg(long, hide = true)]
    timings: bool,
}

/// `thematic sync DIR`.
pub fn run(ctx: &Context, args: Args) -> Outcome {
    let coder = ctx.coder_or_ask()?;
    let report = team::sync::sync(&args.dir, &coder, args.message.as_deref())?;
    let dir = args.dir.display();
    if report.created_repository {
        println!("Created a git repository in {dir}.");
    }
    match &report.committed {
        Some(message) => println!("Committed: {message}"),
        None => println!("Nothing new of yours to commit."),
    }
    for line in &report.incoming {
        println!("From the team: {line}");
    }
    for note in &report.notes {
        println!("Note: {note}");
    }
    if args.timings {
        println!(
            "timings: merge {:.3} s, check {:.3} s",
            report.merge_time.as_secs_f64(),
            report.check_time.as_secs_f64()
        );
    }
    let status = match &report.end {
        SyncEnd::Pushed => {
            let remote = report.remote.as_deref().unwrap_or("the remote");
            println!("Synced with {remote}: everyone's work is shared.");
            ExitCode::SUCCESS
        }
        SyncEnd::NoRemote => {
            println!(
                "There is no remote to share with yet. Create an empty private repository on your git host, then:\n  git -C {dir} remote add origin URL\n  thematic sync {dir}"
            );
            ExitCode::SUCCESS
        }
        SyncEnd::Conflicts(open) => {
            println!("Stopped before sharing: the merge needs your decision.");
            print_conflicts(open);
            println!(
                "Settle them with `thematic resolve {dir} --keep mine|theirs [--conflict N]...`, then run `thematic sync {dir}` again."
            );
            ExitCode::from(1)
        }
        SyncEnd::MissingCodes(lines) => {
            println!("Stopped before sharing:");
            for line in lines {
                println!("  {line}");
            }
            println!(
                "Put the codes back with `thematic resolve {dir} --restore-codes` (then, if it was merged, merge it again with `thematic codes merge`), and run `thematic sync {dir}` again."
            );
            ExitCode::from(1)
        }
        SyncEnd::Problems(lines) => {
            println!(
                "Stopped before sharing: the merged project has problems (see `thematic check {dir}`):"
            );
            for line in lines.iter().take(20) {
                println!("  {line}");
            }
            ExitCode::from(1)
        }
    };
    Ok(status)
}
