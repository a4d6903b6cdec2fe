//! `thematic import DIR FILE...`: transcripts into the project as one change, with their
//! details from flags or an attributes table.

use super::args::parse_attributes;
use super::command_error::{Outcome, user_error};
use super::context::Context;
use super::text_table::thousands;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use thematic::interop::attributes::{file_name_of, read_attribute_table};
use thematic::interop::import::{ImportDetails, ImportRequest, plan_import_at};
use thematic::workspace::Workspace;

#[derive(clap::Args)]
pub struct Args {
    /// The project folder.
    dir: PathBuf,
    /// Transcript files to import.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Participant label used to attribute quotes (one file only), e.g. "Participant 7".
    #[arg(long)]
    participant: Option<String>,
    /// Title (one file only; default: the file name).
    #[arg(long)]
    title: Option<String>,
    /// Transcript id (one file only; default: from the file name).
    #[arg(long)]
    id: Option<String>,
    /// Interview order (one file only; default: after the existing ones).
    #[arg(long)]
    order: Option<u32>,
    /// Interview date, YYYY-MM-DD (applies to every file).
    #[arg(long)]
    date: Option<jiff::civil::Date>,
    /// An attribute for every file, e.g. --attr role=Manager (repeatable).
    #[arg(long = "attr", value_name = "KEY=VALUE")]
    attrs: Vec<String>,
    /// A CSV of details per file: file,participant,role,... (columns participant, title, id,
    /// order and date fill those fields; any other column is an attribute).
    #[arg(long, value_name = "CSV")]
    attributes: Option<PathBuf>,
    /// The interview's recording (one file only; default: a media file with the
    /// transcript's name beside it). Only its path is kept; it is never copied.
    #[arg(long, value_name = "FILE")]
    media: Option<PathBuf>,
}

pub fn run(_ctx: &Context, args: Args) -> Outcome {
    let single = [
        args.participant.is_some(),
        args.title.is_some(),
        args.id.is_some(),
        args.order.is_some(),
        args.media.is_some(),
    ];
    if args.files.len() > 1 && single.iter().any(|s| *s) {
        return Err(user_error("--participant, --title, --id, --order and --media name one transcript; with several files use --attributes CSV".into()));
    }
    let flag_attributes: BTreeMap<String, String> =
        parse_attributes(&args.attrs)?.into_iter().collect();
    let mut table = match &args.attributes {
        Some(path) => read_attribute_table(path)?,
        None => BTreeMap::new(),
    };
    let mut requests = Vec::new();
    for path in &args.files {
        let name = file_name_of(&path.to_string_lossy());
        let mut details = table.remove(&name).unwrap_or_else(|| {
            if args.attributes.is_some() {
                eprintln!("warning: {name} has no row in the attributes table");
            }
            ImportDetails::default()
        });
        details.participant = args.participant.clone().or(details.participant);
        details.title = args.title.clone().or(details.title);
        details.id = args.id.clone().or(details.id);
        details.order = args.order.or(details.order);
        details.media = args.media.clone().or(details.media);
        details.date = args.date.or(details.date);
        details.attributes.extend(flag_attributes.clone());
        requests.push(ImportRequest {
            path: path.clone(),
            details,
        });
    }
    for unused in table.keys() {
        eprintln!("warning: the attributes table lists {unused}, which is not being imported");
    }
    let (mut workspace, _) = Workspace::open(&args.dir, None)?;
    let plan =
        plan_import_at(workspace.project(), Some(&args.dir), requests).map_err(|errors| {
            let why = user_error("nothing was imported:".into());
            errors
                .iter()
                .fold(why, |e, line| e.hint(format!("  {line}")))
        })?;
    workspace.apply_once(plan.edit)?;
    for (id, path, words) in &plan.added {
        let t = workspace
            .project()
            .transcript(id)
            .ok_or_else(|| user_error(format!("{id} vanished")))?;
        println!(
            "imported {} as {id} ({}, {} words{})",
            path.display(),
            t.meta.participant,
            thousands(*words),
            import_extras(&t.meta)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// What an import kept besides the text: time codes, pages, the recording.
fn import_extras(meta: &thematic::model::TranscriptMeta) -> String {
    let mut extras = String::new();
    if !meta.times.is_empty() {
        extras.push_str(&format!(", {} time codes", meta.times.len()));
    }
    if !meta.pages.is_empty() {
        extras.push_str(&format!(", {} pages", meta.pages.len()));
    }
    if let Some(media) = &meta.media {
        extras.push_str(&format!(", recording {media}"));
    }
    extras
}
