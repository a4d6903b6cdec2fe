//! `thematic add-coder DIR ID`: a coder listed in thematic.yaml; and what it shares with
//! `add-reviewer`: a person listed in one role, refused if already listed in either.

use super::command_error::{CommandError, Outcome, user_error};
use super::context::Context;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use thematic::model::{Coder, CoderId, Edit};
use thematic::workspace::Workspace;

#[derive(clap::Args)]
pub struct Args {
    dir: PathBuf,
    /// The new coder's id (lowercase letters, digits, - and _).
    id: String,
    #[arg(long)]
    name: Option<String>,
}

pub fn run(_ctx: &Context, args: Args) -> Outcome {
    let id = add_person(&args.dir, &args.id, args.name, Role::Coder)?;
    println!("added coder {id}");
    Ok(ExitCode::SUCCESS)
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Coder,
    Reviewer,
}

/// Lists a new coder or reviewer in thematic.yaml, refusing an id already listed in either
/// role, as one saved edit.
pub fn add_person(
    dir: &Path,
    id: &str,
    name: Option<String>,
    role: Role,
) -> Result<CoderId, CommandError> {
    let id = CoderId::new(id)?;
    let (mut workspace, _) = Workspace::open(dir, None)?;
    let before = workspace.project().meta.clone();
    match (
        role,
        before.coder(&id).is_some(),
        before.reviewer(&id).is_some(),
    ) {
        (Role::Coder, true, _) => {
            return Err(user_error(format!("coder {id} is already in the project")));
        }
        (Role::Coder, _, true) => {
            return Err(user_error(format!(
                "{id} is a reviewer of the project; a reviewer does not code"
            )));
        }
        (Role::Reviewer, _, true) => {
            return Err(user_error(format!(
                "reviewer {id} is already in the project"
            )));
        }
        (Role::Reviewer, true, _) => {
            return Err(user_error(format!(
                "{id} is a coder of the project, and coders can already review memos"
            )));
        }
        _ => {}
    }
    let mut after = before.clone();
    let person = Coder {
        name: name.unwrap_or_else(|| id.to_string()),
        id: id.clone(),
    };
    match role {
        Role::Coder => after.coders.push(person),
        Role::Reviewer => after.reviewers.push(person),
    }
    workspace.apply_once(Edit::UpdateProject {
        before: Box::new(before),
        after: Box::new(after),
    })?;
    Ok(id)
}
