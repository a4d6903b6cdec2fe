//! `thematic resolve DIR`: list the conflicts a merge left, settle them (`--keep
//! mine|theirs`), or put back codes one side removed while the other used them.

use super::command_error::Outcome;
use super::context::Context;
use clap::ValueEnum;
use std::path::PathBuf;
use std::process::ExitCode;
use thematic::merge::Side;
use thematic::team;

/// Each open conflict on a line, numbered where it can be settled by number.
pub fn print_conflicts(open: &[team::Open]) {
    for o in open {
        let text = thematic::text::sanitize_for_terminal(&o.explanation);
        if o.number > 0 {
            println!("  {}. {}: {text}", o.number, o.path.display());
        } else {
            println!("  {}: {text}", o.path.display());
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Keep {
    Mine,
    Theirs,
}

#[derive(clap::Args)]
pub struct Args {
    dir: PathBuf,
    /// Settle conflicts by keeping this side's change (mine) or the incoming one (theirs).
    #[arg(long, value_enum)]
    pub keep: Option<Keep>,
    /// Only these conflicts (by the numbers listed); default: all.
    #[arg(long = "conflict", value_name = "N")]
    conflicts: Vec<usize>,
    /// Put back codes that one side deleted or merged while the other used them.
    #[arg(long)]
    pub restore_codes: bool,
}

/// `thematic resolve DIR`: lists the conflicts left, or settles them.
pub fn run(ctx: &Context, args: Args) -> Outcome {
    let dir = args.dir.display();
    if args.restore_codes {
        let coder = ctx.coder_or_ask()?;
        let restored = team::restore_missing_codes(&args.dir, &coder)?;
        if restored.is_empty() {
            println!("No code is missing.");
        }
        for name in restored {
            println!("Restored the code {name:?}.");
        }
    }
    if let Some(keep) = args.keep {
        let side = match keep {
            Keep::Mine => Side::Mine,
            Keep::Theirs => Side::Theirs,
        };
        let settled = team::resolve(&args.dir, side, &args.conflicts)?;
        println!("Settled {settled} conflict(s).");
    }
    let open = team::open_conflicts(&args.dir);
    if open.is_empty() {
        if args.keep.is_some() || args.restore_codes {
            println!("Nothing left to settle; run `thematic sync {dir}` to share the result.");
        } else {
            println!("No conflicts to settle.");
        }
        return Ok(ExitCode::SUCCESS);
    }
    println!("Conflicts to settle:");
    print_conflicts(&open);
    println!("Settle them with `thematic resolve {dir} --keep mine|theirs [--conflict N]...`.");
    Ok(ExitCode::from(1))
}
