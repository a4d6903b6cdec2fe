//! `thematic stats DIR`: the project's counts, or one of the analysis tables (saturation,
//! matrix, cooccurrence, themes), each in its own module below, printed through
//! `output::print`.

mod cooccurrence;
mod counts;
mod matrix;
mod saturation;
mod themes;

use super::command_error::{CommandError, Outcome, user_error};
use super::context::Context;
use super::output::{Format, print};
use clap::ValueEnum;
use std::path::PathBuf;
use std::process::ExitCode;
use thematic::model::{CodeId, Project};

#[derive(Clone, Copy, ValueEnum)]
pub enum What {
    Saturation,
    Matrix,
    Cooccurrence,
    Themes,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum LevelArg {
    Code,
    SubTheme,
    Theme,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum MeasureArg {
    Segments,
    Characters,
    Presence,
}

#[derive(clap::Args)]
pub struct Args {
    pub dir: PathBuf,
    /// One of the analysis tables (without it: the project's counts).
    #[arg(value_enum)]
    pub what: Option<What>,
    /// Matrix: columns by this attribute's values (default: by transcript).
    #[arg(long, value_name = "ATTRIBUTE")]
    pub by: Option<String>,
    /// Matrix: rows are codes, sub-themes or themes [default: code].
    #[arg(long, value_enum)]
    pub level: Option<LevelArg>,
    /// Matrix: what a cell counts [default: segments].
    #[arg(long, value_enum)]
    pub measure: Option<MeasureArg>,
    /// Saturation: how many coded transcripts in a row without a new code mark it reached [default: 3].
    #[arg(long)]
    pub run: Option<usize>,
    /// Whose coding the table counts: coder ids separated by commas, or `all` (the default:
    /// every coder whose work you may see).
    #[arg(long, value_name = "A,B|all")]
    pub coders: Option<String>,
    /// Only transcripts with this attribute value, e.g. --attr organisation="Brookfield Council" (repeatable).
    #[arg(long = "attr", value_name = "KEY=VALUE")]
    pub attrs: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The default run of `--run`, the Analysis view and the report.
const DEFAULT_RUN: usize = 3;

impl Args {
    /// The table options given, with the tables that use them.
    fn table_options(&self) -> [(&'static str, bool, &'static [&'static str]); 6] {
        [
            ("--by", self.by.is_some(), &["matrix"]),
            ("--level", self.level.is_some(), &["matrix"]),
            ("--measure", self.measure.is_some(), &["matrix"]),
            ("--run", self.run.is_some(), &["saturation"]),
            (
                "--coders",
                self.coders.is_some(),
                &["saturation", "matrix", "cooccurrence", "themes"],
            ),
            (
                "--attr",
                !self.attrs.is_empty(),
                &["saturation", "matrix", "cooccurrence", "themes"],
            ),
        ]
    }

    /// Refuses an option the table (or the plain counts, `table` None) does not use, rather
    /// than silently ignoring it.
    fn refuse_unused(&self, table: Option<&str>) -> Result<(), CommandError> {
        for (option, given, used_by) in self.table_options() {
            if !given || table.is_some_and(|t| used_by.contains(&t)) {
                continue;
            }
            let what = table.map_or(
                "the project's counts (`thematic stats DIR`)".to_string(),
                |t| format!("the {t} table"),
            );
            return Err(user_error(format!(
                "{option} is not used by {what}; it applies to: {}",
                used_by.join(", ")
            )));
        }
        Ok(())
    }
}

impl What {
    fn name(self) -> &'static str {
        match self {
            What::Saturation => "saturation",
            What::Matrix => "matrix",
            What::Cooccurrence => "cooccurrence",
            What::Themes => "themes",
        }
    }
}

/// `viewer` (--coder, else config.yaml's coder) is who runs the command: the project is
/// theirs to see (blindness), not a filter of whose coding is counted.
pub fn run(ctx: &Context, args: Args) -> Outcome {
    let Some(what) = args.what else {
        args.refuse_unused(None)?;
        return counts::run(ctx, &args);
    };
    args.refuse_unused(Some(what.name()))?;
    let loaded = super::context::load(&args.dir)?;
    let seen = ctx.seen_by(&loaded.project)?;
    let project = &*seen;
    let (scope, summary) = super::args::scope(project, args.coders.as_deref(), &args.attrs)?;
    match what {
        What::Saturation => print(
            args.format,
            &saturation::table(project, &scope, summary, args.run),
        )?,
        What::Matrix => print(
            args.format,
            &matrix::table(project, &scope, summary, &args)?,
        )?,
        What::Cooccurrence => print(args.format, &cooccurrence::table(project, &scope, summary))?,
        What::Themes => print(args.format, &themes::table(project, &scope, summary))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn name(project: &Project, id: &CodeId) -> String {
    project.codebook.name_or_id(id)
}
