//! `thematic new DIR`: an empty project folder, with the coder given by `--coder` listed.

use super::command_error::Outcome;
use super::context::Context;
use std::path::PathBuf;
use std::process::ExitCode;
use thematic::model::{Coder, ProjectMeta};
use thematic::store;

#[derive(clap::Args)]
pub struct Args {
    dir: PathBuf,
    /// The study's name (default: the folder's name).
    #[arg(long)]
    name: Option<String>,
    #[arg(long, default_value = "")]
    description: String,
    /// Display name of the coder given with --coder.
    #[arg(long, value_name = "NAME")]
    coder_name: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Outcome {
    let dir = &args.dir;
    let name = args.name.unwrap_or_else(|| {
        dir.file_name()
            .map_or_else(|| "New study".into(), |n| n.to_string_lossy().into_owned())
    });
    let mut meta = ProjectMeta::new(name);
    meta.description = args.description;
    if let Some(id) = ctx.coder_flag()? {
        meta.coders.push(Coder {
            name: args.coder_name.unwrap_or_else(|| id.to_string()),
            id,
        });
    }
    store::create(dir, meta)?;
    println!("Created project {}", dir.display());
    println!("Next: thematic import {} FILE...", dir.display());
    Ok(ExitCode::SUCCESS)
}
