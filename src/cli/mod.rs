//! The command line's commands. Each returns an exit status or a [`Failure`].

pub mod agreement;
pub mod autocode;
pub mod codebook;
pub mod commands;
pub mod interop;
pub mod memos;
pub mod play;
pub mod suggest;
pub mod table;
pub mod tables;
pub mod team;

use std::process::ExitCode;

/// A command that could not run: the message to print and exit status 2.
#[derive(Debug)]
pub struct Failure(pub String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure(e.to_string())
    }
}

pub type Outcome = Result<ExitCode, Failure>;

/// The project as the person running a command may see it: with `--coder` (or the config
/// file's coder), their blind double coding stays blind, as on the coding screen. Without an
/// identity everything is shown, and if that includes work someone is still coding blind,
/// stderr says so.
pub fn seen_by<'p>(
    project: &'p thematic::model::Project,
    coder: Option<&str>,
) -> Result<std::borrow::Cow<'p, thematic::model::Project>, Failure> {
    use thematic::model::visibility;
    let configured = || thematic::config::Config::load().ok().and_then(|c| c.coder);
    match coder.map(str::to_string).or_else(configured) {
        Some(coder) => {
            let viewer = visibility::Viewer::new(thematic::model::CoderId::new(coder)?);
            Ok(visibility::seen_by(project, &viewer))
        }
        None => {
            let blind: Vec<&str> = project
                .meta
                .rounds
                .iter()
                .flat_map(|r| {
                    r.transcripts
                        .iter()
                        .filter(|t| !visibility::finished(project, r, t))
                })
                .map(|t| t.as_str())
                .collect();
            if !blind.is_empty() {
                eprintln!(
                    "Note: no --coder given, so this shows every coder's work, including {} transcript(s) still being double-coded blind ({}).",
                    blind.len(),
                    blind.join(", ")
                );
            }
            Ok(std::borrow::Cow::Borrowed(project))
        }
    }
}

/// A code by name, path ("Theme > Code") or id, as `quotes` takes it.
pub fn find_code(
    project: &thematic::model::Project,
    query: &str,
) -> Result<thematic::model::CodeId, Failure> {
    let found = project.codebook.find(query);
    match found.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => Err(Failure(format!(
            "no code named {query:?} (give a name, a path such as \"Theme > Code\", or an id)"
        ))),
        many => {
            let paths: Vec<String> = many.iter().map(|c| project.codebook.path(&c.id)).collect();
            Err(Failure(format!(
                "{query:?} names {} codes; give the path: {}",
                many.len(),
                paths.join("; ")
            )))
        }
    }
}
