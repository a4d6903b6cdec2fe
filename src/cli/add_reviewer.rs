//! `thematic add-reviewer DIR ID`: a reviewer (a supervisor or examiner) listed in
//! thematic.yaml, apart from the coders: reads, reviews and answers memos; codes nothing.

use super::add_coder::{Role, add_person};
use super::command_error::Outcome;
use super::context::Context;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    dir: PathBuf,
    /// The reviewer's id (lowercase letters, digits, - and _).
    id: String,
    #[arg(long)]
    name: Option<String>,
}

pub fn run(_ctx: &Context, args: Args) -> Outcome {
    let id = add_person(&args.dir, &args.id, args.name, Role::Reviewer)?;
    println!(
        "added reviewer {id}: `thematic {} --coder {id}` opens the project for reviewing memos",
        args.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
