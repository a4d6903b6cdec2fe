//! `thematic autocode`: code every search hit, every turn of a speaker, or every answer to
//! some questions with one code, as one change in the running coder's files.

use super::args::{find_code, transcript_ids};
use super::command_error::{CommandError, Outcome, user_error};
use super::context::{Context, seen_as};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use thematic::model::{CoderId, Project, TranscriptId};
use thematic::store;
use thematic::suggest::autocode::{self, Source, Unit};
use thematic::workspace::Workspace;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum UnitArg {
    Hit,
    Sentence,
    Turn,
    Paragraph,
}

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["search", "speaker", "question", "at"])))]
pub struct AutocodeArgs {
    pub dir: PathBuf,
    /// The code to apply (a name, path or id).
    #[arg(long)]
    pub code: String,
    /// Code every place these words occur (case-insensitive), widened to --unit.
    #[arg(long)]
    pub search: Option<String>,
    /// Code every turn of this speaker ("Participant 3", "P3", "Interviewer").
    #[arg(long, value_name = "LABEL")]
    pub speaker: Option<String>,
    /// Code the answer to every interviewer turn that contains these words.
    #[arg(long, value_name = "TEXT")]
    pub question: Option<String>,
    /// Code these passages, given as TRANSCRIPT:START-END in characters (a suggestion's
    /// place, as `thematic suggest` lists it), each widened to whole sentences (repeat for
    /// more).
    #[arg(long, value_name = "TRANSCRIPT:START-END")]
    pub at: Vec<String>,
    /// How far a search hit is widened (default: sentence). --speaker and --question code
    /// whole turns.
    #[arg(long, value_enum)]
    pub unit: Option<UnitArg>,
    /// Only these transcripts (repeat for more).
    #[arg(long = "transcript", value_name = "ID")]
    pub transcripts: Vec<String>,
    /// List what would be coded; change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `thematic autocode DIR --code CODE (--search Q | --speaker L | --question T) ...`
pub fn run(ctx: &Context, args: AutocodeArgs) -> Outcome {
    let coder = ctx.coder_or_ask()?;
    let (source, unit) = source_and_unit(&args)?;
    if args.dry_run {
        let loaded = store::load(&args.dir)?;
        may_code(&loaded.project, &coder, &args.dir)?;
        let seen = seen_as(&loaded.project, &coder);
        let code = find_code(&seen, &args.code)?;
        let only = transcript_ids(&seen, "--transcript", &args.transcripts)?;
        let plan = plan(&seen, &coder, &code, &source, unit, &only)?;
        for p in &plan.passages {
            println!(
                "{} [{}, {}) {}",
                p.transcript,
                p.start,
                p.end,
                one_line(&p.text)
            );
        }
        println!("would code {}; nothing changed (--dry-run)", plan.summary());
        return Ok(found_any(&plan));
    }
    let (mut ws, _) = Workspace::open(&args.dir, Some(&coder))?;
    may_code(ws.project(), &coder, &args.dir)?;
    let seen = seen_as(ws.project(), &coder);
    let code = find_code(&seen, &args.code)?;
    let only = transcript_ids(&seen, "--transcript", &args.transcripts)?;
    let plan = plan(&seen, &coder, &code, &source, unit, &only)?;
    drop(seen);
    if let Some(edit) = plan.edit.clone() {
        ws.apply_once(edit)?;
    }
    println!("coded {}", plan.summary());
    Ok(found_any(&plan))
}

/// What to code: what a search, speaker or question finds, or the passages given with --at.
enum What {
    Found(Source),
    At(Vec<String>),
}

fn plan(
    project: &Project,
    coder: &CoderId,
    code: &thematic::model::CodeId,
    what: &What,
    unit: Unit,
    only: &[TranscriptId],
) -> Result<autocode::Plan, CommandError> {
    match what {
        What::Found(source) => Ok(autocode::plan(project, coder, code, source, unit, only)?),
        What::At(given) => {
            let hits = given
                .iter()
                .map(|g| autocode::passage_at(project, g))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| user_error(format!("--at {e}")))?;
            if let Some(outside) = hits
                .iter()
                .find(|h| !only.is_empty() && !only.contains(&h.transcript))
            {
                return Err(user_error(format!(
                    "--at names {}, which --transcript leaves out",
                    outside.transcript
                )));
            }
            Ok(autocode::plan_hits(project, coder, code, &hits, unit))
        }
    }
}

/// Exit status 1 when nothing at all was found, as `thematic search` does.
fn found_any(plan: &autocode::Plan) -> ExitCode {
    if plan.passages.is_empty() && plan.already_coded == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn source_and_unit(args: &AutocodeArgs) -> Result<(What, Unit), CommandError> {
    let unit = args.unit.map(|u| match u {
        UnitArg::Hit => Unit::Hit,
        UnitArg::Sentence => Unit::Sentence,
        UnitArg::Turn => Unit::Turn,
        UnitArg::Paragraph => Unit::Paragraph,
    });
    if !args.at.is_empty() {
        return Ok((What::At(args.at.clone()), unit.unwrap_or(Unit::Sentence)));
    }
    if let Some(words) = &args.search {
        return Ok((
            What::Found(Source::Search(words.clone())),
            unit.unwrap_or(Unit::Sentence),
        ));
    }
    if unit.is_some_and(|u| u != Unit::Turn) {
        return Err(user_error(
            "--unit is for --search and --at; --speaker and --question code whole turns".into(),
        ));
    }
    let source = match (&args.speaker, &args.question) {
        (Some(label), _) => Source::Speaker(label.clone()),
        (_, Some(text)) => Source::Question(text.clone()),
        _ => return Err(user_error("give --search, --speaker or --question".into())),
    };
    Ok((What::Found(source), Unit::Turn))
}

/// Refuses reviewers and people not in the project: auto-coding writes the coder's files.
pub fn may_code(project: &Project, coder: &CoderId, dir: &Path) -> Result<(), CommandError> {
    if project.meta.is_only_reviewer(coder) {
        return Err(user_error(format!(
            "{coder} is a reviewer of this project: reviewers read, review and answer memos but code nothing"
        )));
    }
    if project.meta.coder(coder).is_none() {
        return Err(user_error(format!(
            "coder {coder} is not in this project; add yourself with `thematic add-coder {} {coder}`",
            dir.display()
        )));
    }
    Ok(())
}

/// Text on one line, shortened to 100 characters for a listing.
pub fn one_line(text: &str) -> String {
    thematic::wording::one_line_cut(text, 100)
}
