//! `thematic codes ...`: the Codebook view's operations on the command line (add, rename,
//! move, merge, delete, define, tag), with the same edits, refusals and audit entries.

use super::args::find_code;
use super::command_error::{CommandError, Kind, Outcome, user_error};
use super::context::Context;
use clap::{Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use thematic::model::codebook_ops::{self, OpError};
use thematic::model::{Code, CodeId, Edit, Level, MemoLink, Position, Project};
use thematic::workspace::Workspace;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    op: CodesOp,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum LevelArg {
    Theme,
    SubTheme,
    Code,
}

#[derive(Subcommand)]
pub enum CodesOp {
    /// Create a code.
    Add {
        dir: PathBuf,
        name: String,
        /// The parent code (name, path such as "Theme > Code", or id); default: the top level.
        #[arg(long, value_name = "CODE")]
        under: Option<String>,
        /// Default: a theme at the top level, one level below the parent otherwise.
        #[arg(long, value_enum)]
        level: Option<LevelArg>,
    },
    /// Rename a code.
    Rename {
        dir: PathBuf,
        code: String,
        new_name: String,
    },
    /// Move a code under another, or to the top level.
    Move {
        dir: PathBuf,
        code: String,
        #[arg(
            long,
            value_name = "CODE",
            conflicts_with = "top",
            required_unless_present = "top"
        )]
        under: Option<String>,
        #[arg(long)]
        top: bool,
    },
    /// Merge a code into another: its segments, memo links and children move there.
    Merge {
        dir: PathBuf,
        code: String,
        #[arg(long, value_name = "CODE")]
        into: String,
    },
    /// Delete a code. A code in use is refused unless its coding goes to another code
    /// (--into) or is removed with it (--force).
    Delete {
        dir: PathBuf,
        code: String,
        #[arg(long, value_name = "CODE", conflicts_with = "force")]
        into: Option<String>,
        /// Also take the code off every segment (a segment left with no code is removed)
        /// and every memo.
        #[arg(long)]
        force: bool,
    },
    /// Set parts of a code's definition.
    Define {
        dir: PathBuf,
        code: String,
        #[arg(long)]
        description: Option<String>,
        #[arg(long)]
        inclusion: Option<String>,
        #[arg(long)]
        exclusion: Option<String>,
        #[arg(long)]
        example: Option<String>,
    },
    /// Add or remove a code's tags.
    Tag {
        dir: PathBuf,
        code: String,
        #[arg(long = "add", value_name = "TAG")]
        add: Vec<String>,
        #[arg(long = "remove", value_name = "TAG")]
        remove: Vec<String>,
    },
}

/// `thematic codes ...`: one codebook operation, as the coder running it.
pub fn run(ctx: &Context, args: Args) -> Outcome {
    let coder = ctx.coder_or_ask()?;
    let dir = match &args.op {
        CodesOp::Add { dir, .. }
        | CodesOp::Rename { dir, .. }
        | CodesOp::Move { dir, .. }
        | CodesOp::Merge { dir, .. }
        | CodesOp::Delete { dir, .. }
        | CodesOp::Define { dir, .. }
        | CodesOp::Tag { dir, .. } => dir.clone(),
    };
    let (mut ws, _) = Workspace::open(&dir, Some(&coder))?;
    if ws.project().meta.coder(&coder).is_none() {
        return Err(user_error(format!(
            "coder {coder} is not in this project; add yourself with `thematic add-coder {} {coder}`",
            dir.display()
        )));
    }
    let (edit, done) = prepare(ws.project(), args.op)?;
    ws.apply_once(edit)?;
    println!("{done}");
    Ok(ExitCode::SUCCESS)
}

/// The edit an operation makes, and what to say once it is made.
fn prepare(project: &Project, op: CodesOp) -> Result<(Edit, String), CommandError> {
    Ok(match op {
        CodesOp::Add {
            name, under, level, ..
        } => add_code(project, &name, under, level)?,
        CodesOp::Rename { code, new_name, .. } => {
            let id = find_code(project, &code)?;
            let new_name = non_empty(&new_name)?;
            let old = name_of(project, &id);
            let edit = codebook_ops::update_code(project, &id, |c| c.name = new_name.clone())?;
            (edit, format!("renamed {old:?} to {new_name:?}"))
        }
        CodesOp::Move {
            code, under, top, ..
        } => {
            let id = find_code(project, &code)?;
            let parent = if top {
                None
            } else {
                under.map(|u| find_code(project, &u)).transpose()?
            };
            let place = parent
                .as_ref()
                .map_or("the top level".to_string(), |p| project.codebook.path(p));
            let edit = codebook_ops::move_under(project, &id, parent.as_ref())?;
            (
                edit,
                format!("moved {:?} under {place}", name_of(project, &id)),
            )
        }
        CodesOp::Merge { code, into, .. } => {
            let (id, target) = (find_code(project, &code)?, find_code(project, &into)?);
            let edit = codebook_ops::merge(project, &id, &target)?;
            let said = format!(
                "merged {:?} into {:?}",
                name_of(project, &id),
                name_of(project, &target)
            );
            (edit, said)
        }
        CodesOp::Delete {
            code, into, force, ..
        } => delete(project, &code, into, force)?,
        CodesOp::Define {
            code,
            description,
            inclusion,
            exclusion,
            example,
            ..
        } => define(project, &code, [description, inclusion, exclusion, example])?,
        CodesOp::Tag {
            code, add, remove, ..
        } => tag(project, &code, &add, &remove)?,
    })
}

/// `codes add`: a new code under `under` (default: the top level), a level below its parent
/// unless `level` says.
fn add_code(
    project: &Project,
    name: &str,
    under: Option<String>,
    level: Option<LevelArg>,
) -> Result<(Edit, String), CommandError> {
    let name = non_empty(name)?;
    let parent = under.map(|u| find_code(project, &u)).transpose()?;
    let level = match (level, &parent) {
        (Some(l), _) => level_of(l),
        (None, None) => Level::Theme,
        (None, Some(p)) => match project.codebook.get(p).map(|c| c.level) {
            Some(Level::Theme) => Level::SubTheme,
            _ => Level::Code,
        },
    };
    let mut code = Code::new(&name, level);
    code.colour = Some(thematic::tui::codebook_view::colour_for_new_code(
        &project.codebook,
        parent.as_ref(),
    ));
    let index = project.codebook.children(parent.as_ref()).len();
    let said = format!("created the {} {name:?} ({})", level.label(), code.id);
    let at = Position { parent, index };
    Ok((Edit::AddCode { code, at }, said))
}

/// `codes delete`: a used code is refused unless its coding moves (`into`) or goes with it
/// (`force`).
fn delete(
    project: &Project,
    code: &str,
    into: Option<String>,
    force: bool,
) -> Result<(Edit, String), CommandError> {
    let id = find_code(project, code)?;
    let name = name_of(project, &id);
    let target = into.map(|i| find_code(project, &i)).transpose()?;
    let edit = match codebook_ops::delete(project, &id, target.as_ref()) {
        Err(OpError::InUse { .. }) if force => delete_with_coding(project, &id)?,
        Err(OpError::InUse {
            name,
            segments,
            memos,
        }) => {
            return Err(user_error(format!(
                "{name:?} is used by {segments} segment(s) and {memos} memo(s); give --into CODE to move them to another code, or --force to remove them with it"
            )));
        }
        other => other?,
    };
    Ok((edit, format!("deleted {name:?}")))
}

/// `codes define`: sets the parts of the definition given (description, inclusion,
/// exclusion, example), leaving the others.
fn define(
    project: &Project,
    code: &str,
    parts: [Option<String>; 4],
) -> Result<(Edit, String), CommandError> {
    let id = find_code(project, code)?;
    if parts.iter().all(Option::is_none) {
        return Err(user_error(
            "nothing to change: give --description, --inclusion, --exclusion or --example".into(),
        ));
    }
    let edit = codebook_ops::update_code(project, &id, |c| {
        let set = |field: &mut String, value: Option<String>| {
            if let Some(v) = value {
                *field = v;
            }
        };
        let [description, inclusion, exclusion, example] = parts;
        set(&mut c.description, description);
        set(&mut c.inclusion, inclusion);
        set(&mut c.exclusion, exclusion);
        set(&mut c.example, example);
    })?;
    Ok((edit, format!("defined {:?}", name_of(project, &id))))
}

/// `codes tag`: adds and removes tags, each once.
fn tag(
    project: &Project,
    code: &str,
    add: &[String],
    remove: &[String],
) -> Result<(Edit, String), CommandError> {
    let id = find_code(project, code)?;
    let edit = codebook_ops::update_code(project, &id, |c| {
        c.tags.retain(|t| !remove.contains(t));
        for tag in add.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            if !c.tags.iter().any(|have| have == tag) {
                c.tags.push(tag.to_string());
            }
        }
    })?;
    let tags = match &edit {
        Edit::UpdateCode { after, .. } => after.tags.join(", "),
        _ => String::new(),
    };
    let said = format!("{:?} is tagged [{tags}]", name_of(project, &id));
    Ok((edit, said))
}

fn level_of(level: LevelArg) -> Level {
    match level {
        LevelArg::Theme => Level::Theme,
        LevelArg::SubTheme => Level::SubTheme,
        LevelArg::Code => Level::Code,
    }
}

fn non_empty(name: &str) -> Result<String, CommandError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(user_error("a code needs a name".into()));
    }
    Ok(name.to_string())
}

fn name_of(project: &Project, id: &CodeId) -> String {
    project
        .codebook
        .get(id)
        .map_or_else(|| id.to_string(), |c| c.name.clone())
}

/// Deleting a code in use with --force: the code comes off every segment (a segment with no
/// other code is removed) and every memo, then it is deleted as an unused code is. One batch,
/// so one undo step and one audit entry.
fn delete_with_coding(project: &Project, id: &CodeId) -> Result<Edit, CommandError> {
    let mut scratch = project.clone();
    let mut edits = Vec::new();
    let mut push = |edit: Edit, scratch: &mut Project| -> Result<(), CommandError> {
        edit.apply(scratch)?;
        edits.push(edit);
        Ok(())
    };
    let link = MemoLink::Code(id.clone());
    let memos: Vec<_> = project
        .memos()
        .filter(|m| m.links.contains(&link))
        .cloned()
        .collect();
    for memo in memos {
        let mut after = memo.clone();
        after.links.retain(|l| l != &link);
        push(
            Edit::UpdateMemo {
                before: Box::new(memo),
                after: Box::new(after),
            },
            &mut scratch,
        )?;
    }
    let carrying: Vec<_> = project
        .all_segments()
        .filter(|(_, _, s)| s.codes.contains(id))
        .map(|(c, t, s)| (c.clone(), t.clone(), s.clone()))
        .collect();
    for (coder, transcript, segment) in carrying {
        let edit = if segment.codes.len() == 1 {
            Edit::RemoveSegment {
                coder,
                transcript,
                segment,
            }
        } else {
            let mut after = segment.clone();
            after.codes.retain(|c| c != id);
            after.updated = Some(jiff::Timestamp::now());
            Edit::UpdateSegment {
                coder,
                transcript,
                before: segment,
                after,
            }
        };
        push(edit, &mut scratch)?;
    }
    let Edit::Batch { label, edits: rest } = codebook_ops::delete(&scratch, id, None)? else {
        return Err(CommandError::new(Kind::Internal, "unexpected edit"));
    };
    edits.extend(rest);
    Ok(Edit::Batch {
        label: format!("{label}, with its coding"),
        edits,
    })
}
