//! `thematic import-refi FILE DIR`: a REFI-QDA project (.qdpx) or codebook (.qdc) into a
//! new project folder, or with `--into` a colleague's project merged into ours as one edit.

use super::command_error::{Outcome, user_error};
use super::context::Context;
use std::path::PathBuf;
use std::process::ExitCode;
use thematic::interop::refi;
use thematic::model::{CoderId, Project, TranscriptId};
use thematic::workspace::Workspace;

#[derive(clap::Args)]
pub struct Args {
    /// A REFI-QDA project (.qdpx) or codebook (.qdc).
    pub file: PathBuf,
    /// The new project folder to create (must not exist, or be empty); with --into, the
    /// existing project to merge into.
    pub dir: PathBuf,
    /// Merge into the existing project DIR: transcripts matched by their text, codes by
    /// GUID, path or name, coders by id or display name; what is already here is skipped.
    #[arg(long)]
    pub into: bool,
    /// With --into: take the file's user NAME (display name or id) as our coder ID,
    /// e.g. --coder-as "Sam Okafor=sam" (repeatable).
    #[arg(long, value_name = "NAME=ID", requires = "into")]
    pub coder_as: Vec<String>,
    /// With --into: the file's coding replaces this coder's existing segments on the
    /// transcripts it codes (repeatable). Without it, such a merge is refused.
    #[arg(long, value_name = "ID", requires = "into")]
    pub replace_coder: Vec<String>,
    /// With --into: mark each transcript the file's coders coded as done for them (they
    /// finished it in their own program), so that agreement compares it.
    #[arg(long, requires = "into")]
    pub done: bool,
}

pub fn run(ctx: &Context, args: Args) -> Outcome {
    if args.into {
        return merge_refi(&args, ctx);
    }
    let imported = refi::import::import_file(&args.file)?;
    refi::import::write_new_project(&imported, &args.dir)?;
    print!("{}", imported.summary.render());
    println!("Created project {}", args.dir.display());
    Ok(ExitCode::SUCCESS)
}

/// Adds to a merge's batch a done mark for every (coder, transcript) it adds segments to
/// that is not done already; returns how many.
fn mark_done(project: &Project, edit: &mut thematic::model::Edit) -> usize {
    use thematic::model::Edit;
    let Edit::Batch { edits, .. } = edit else {
        return 0;
    };
    let coded: std::collections::BTreeSet<(CoderId, TranscriptId)> = edits
        .iter()
        .filter_map(|e| match e {
            Edit::AddSegment {
                coder, transcript, ..
            } => Some((coder.clone(), transcript.clone())),
            _ => None,
        })
        .filter(|(coder, transcript)| !project.is_done(coder, transcript))
        .collect();
    let marked = coded.len();
    edits.extend(coded.into_iter().map(|(coder, transcript)| Edit::SetDone {
        coder,
        transcript,
        done: true,
    }));
    marked
}

/// `import-refi FILE DIR --into`: a colleague's project merged into ours as one edit. The
/// person running it (`--coder`, when a coder of the project) is who the audit trail
/// records adding the file's new codes.
fn merge_refi(args: &Args, ctx: &Context) -> Outcome {
    let mut options = refi::merge::MergeOptions::default();
    for pair in &args.coder_as {
        let (name, id) = pair
            .rsplit_once('=')
            .filter(|(n, i)| !n.trim().is_empty() && !i.trim().is_empty())
            .ok_or_else(|| user_error(format!("--coder-as {pair:?}: expected NAME=ID")))?;
        let id =
            CoderId::new(id.trim()).map_err(|e| user_error(format!("--coder-as {pair:?}: {e}")))?;
        options.coder_as.push((name.trim().to_string(), id));
    }
    for id in &args.replace_coder {
        options.replace_coders.push(
            CoderId::new(id.as_str())
                .map_err(|e| user_error(format!("--replace-coder {id:?}: {e}")))?,
        );
    }
    let (mut workspace, _) = Workspace::open(&args.dir, None)?;
    if let Some(id) = ctx.coder_flag()?
        && workspace.project().meta.coder(&id).is_some()
    {
        workspace.store_mut().lock_coder(&id)?;
    }
    let imported = refi::import::import_file(&args.file)?;
    let mut plan = refi::merge::plan_merge(workspace.project(), &imported.project, &options)?;
    let marked = if args.done {
        mark_done(workspace.project(), &mut plan.edit)
    } else {
        0
    };
    workspace.apply_once(plan.edit)?;
    let read = &imported.summary;
    print!("Merged {} {}", read.kind, read.file);
    if !read.origin.is_empty() {
        print!(" (written by {})", read.origin);
    }
    println!(" into {}", args.dir.display());
    print!("{}", plan.summary.render());
    if args.done {
        println!("Marked done: {marked} transcript(s) of the file's coders");
    }
    let mut not_read = read.not_imported.clone();
    not_read.extend(read.warnings.iter().cloned());
    if !not_read.is_empty() {
        println!("Not read from the file ({}):", not_read.len());
        for line in not_read {
            println!("  - {line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
