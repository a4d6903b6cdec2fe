//! `thematic export DIR --to FORMAT OUT`: a REFI-QDA project or codebook, a CSV of
//! segments, the study report (Markdown or HTML) or the thematic map, written as an export
//! output (never over a project file, never through a link).

use super::command_error::{CommandError, Outcome, user_error};
use super::context::Context;
use clap::ValueEnum;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use thematic::interop::report::{self, ReportOptions};
use thematic::interop::{map, refi, segments_csv};
use thematic::model::{Project, TranscriptId};
use thematic::store::output::{Written, write_output};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder...).
    Qdpx,
    /// REFI-QDA codebook.
    Qdc,
    /// Coded segments, one row per segment per code.
    Csv,
    Markdown,
    /// One self-contained HTML file.
    Html,
    /// The thematic map: SVG, or Graphviz DOT when OUT ends in `.dot` (or `.gv`).
    Map,
}

/// What the boxes of the thematic map are sized by.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MapSize {
    Segments,
    Participants,
}

#[derive(clap::Args)]
pub struct Args {
    /// The project folder.
    pub dir: PathBuf,
    #[arg(long, value_enum)]
    pub to: ExportFormat,
    /// The file to write (`-` for standard output; not for qdpx).
    pub out: PathBuf,
    /// With `--to map`: size each node by its segments (default) or its participants.
    #[arg(long, value_enum)]
    pub size_by: Option<MapSize>,
    /// With `--to markdown|html`: whose coding the report counts, coder ids separated by
    /// commas or `all` (the default: every coder whose work you may see).
    #[arg(long, value_name = "A,B|all")]
    pub coders: Option<String>,
    /// qdpx: one code per coded selection (a segment with three codes becomes three
    /// selections over the same text), for readers that take only a selection's first code.
    #[arg(long)]
    pub one_code_per_selection: bool,
    /// qdpx: only these transcripts (ids, comma-separated or repeated), such as the
    /// double-coding sample for a second coder.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub transcripts: Vec<String>,
    /// qdpx: the transcripts, codebook and attributes without anyone's segments or memos,
    /// for a second coder who codes in another program.
    #[arg(long)]
    pub without_coding: bool,
}

pub fn run(ctx: &Context, args: Args) -> Outcome {
    if args.size_by.is_some() && args.to != ExportFormat::Map {
        return Err(user_error("--size-by is for --to map only".into()));
    }
    let report = matches!(args.to, ExportFormat::Markdown | ExportFormat::Html);
    if args.coders.is_some() && !report {
        return Err(user_error(
            "--coders is for --to markdown or html only".into(),
        ));
    }
    let loaded = super::context::load(&args.dir)?;
    let seen = ctx.seen_by(&loaded.project)?;
    let project = &*seen;
    // A Markdown report's figures, written beside it once the report itself is written (so
    // a refused output leaves nothing behind).
    let mut figures = None;
    let (bytes, what) = match args.to {
        ExportFormat::Map => thematic_map(project, &args.out, args.size_by),
        ExportFormat::Qdpx => qdpx(project, &args)?,
        ExportFormat::Qdc => {
            let xml = refi::export::qdc(project);
            (
                xml.into_bytes(),
                format!("REFI-QDA codebook: {} codes", project.codebook.len()),
            )
        }
        ExportFormat::Csv => {
            let mut bytes = Vec::new();
            let rows = segments_csv::write_segments(project, &mut bytes)?;
            (bytes, format!("{rows} rows, one per segment per code"))
        }
        ExportFormat::Markdown | ExportFormat::Html => {
            let options = ReportOptions {
                coders: super::args::coders_in_scope(project, args.coders.as_deref())?.0,
                date: jiff::tz::TimeZone::UTC
                    .to_datetime(jiff::Timestamp::now())
                    .date(),
            };
            if args.to == ExportFormat::Html {
                let text = report::html(project, &options);
                (
                    text.into_bytes(),
                    "report with its figures inline".to_string(),
                )
            } else {
                let (text, what, pending) = markdown_report(project, &options, &args.out);
                figures = pending;
                (text, what)
            }
        }
    };
    match write_out(&args.out, &bytes, args.to == ExportFormat::Qdpx, &args.dir)? {
        Written::Stdout => {}
        Written::File(target) | Written::Stream(target) if target != args.out => {
            println!(
                "wrote {} (to {}) ({what})",
                args.out.display(),
                target.display()
            )
        }
        _ => println!("wrote {} ({what})", args.out.display()),
    }
    if let Some((folder, figures)) = figures {
        write_figures(&folder, &figures, &args.dir)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `--to qdpx`: the project (or the part `--transcripts` and `--without-coding` leave) as a
/// REFI-QDA archive, and what is in it; what REFI-QDA cannot hold is noted on stderr.
fn qdpx(project: &Project, args: &Args) -> Result<(Vec<u8>, String), CommandError> {
    let options = refi::export::QdpxOptions {
        one_code_per_selection: args.one_code_per_selection,
    };
    let transcripts = args
        .transcripts
        .iter()
        .map(|t| TranscriptId::new(t.trim()))
        .collect::<Result<Vec<_>, _>>()?;
    let handout = refi::export::narrowed(project, &transcripts, args.without_coding)?;
    let export = refi::export::qdpx(&handout, options)?;
    let what = format!(
        "REFI-QDA project: {} transcripts, {} codes, {} coded selections, {} notes, {} users",
        export.counts.sources,
        export.counts.codes,
        export.counts.selections,
        export.counts.notes,
        export.counts.users
    );
    for left in &export.left_out {
        eprintln!("note: not in REFI-QDA: {left}");
    }
    Ok((export.bytes, what))
}

/// Figures to write into a folder once the report that links them is written.
type PendingFigures = Option<(PathBuf, Vec<report::Figure>)>;

/// The Markdown report, its figures linked from `STEM-figures/` beside it, and the figures
/// to write there (none for standard output, where the links are left for the reader).
fn markdown_report(
    project: &Project,
    options: &ReportOptions,
    out: &Path,
) -> (Vec<u8>, String, PendingFigures) {
    let stem = out
        .file_stem()
        .map_or_else(|| "report".into(), |s| s.to_string_lossy().into_owned());
    let folder_name = format!("{stem}-figures");
    let (text, figures) = report::markdown_with_figures(project, options, &folder_name);
    if out == Path::new("-") {
        eprintln!(
            "note: the report's {} figures are not written with -; give a file name to have them beside it",
            figures.len()
        );
        return (text.into_bytes(), "report".to_string(), None);
    }
    let folder = out.parent().unwrap_or(Path::new(".")).join(&folder_name);
    let what = format!("report; {} figures in {}", figures.len(), folder.display());
    (text.into_bytes(), what, Some((folder, figures)))
}

/// Writes the figures into `folder` (made if missing), each as an export output.
fn write_figures(
    folder: &Path,
    figures: &[report::Figure],
    project: &Path,
) -> Result<(), CommandError> {
    match std::fs::create_dir(folder) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && folder.is_dir() => {}
        Err(e) => return Err(user_error(format!("{}: {e}", folder.display()))),
    }
    for figure in figures {
        write_out(
            &folder.join(&figure.file),
            figure.svg.as_bytes(),
            false,
            project,
        )?;
    }
    Ok(())
}

/// The thematic map of the whole codebook, as SVG or (for a `.dot`/`.gv` file) DOT.
fn thematic_map(project: &Project, out: &Path, size_by: Option<MapSize>) -> (Vec<u8>, String) {
    let size_by = match size_by {
        Some(MapSize::Participants) => map::SizeBy::Participants,
        _ => map::SizeBy::Segments,
    };
    let laid_out = map::layout(project, size_by);
    let title = format!("Thematic map: {}", project.meta.name);
    let dot = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("dot") || e.eq_ignore_ascii_case("gv"));
    let text = if dot {
        map::dot(&laid_out, &title)
    } else {
        map::svg(&laid_out, &title)
    };
    let what = format!(
        "thematic map, {}: {} nodes sized by {}",
        if dot { "Graphviz DOT" } else { "SVG" },
        laid_out.nodes.len(),
        size_by.label()
    );
    (text.into_bytes(), what)
}

pub(super) fn write_out(
    out: &Path,
    bytes: &[u8],
    binary: bool,
    project: &Path,
) -> Result<Written, CommandError> {
    if out == Path::new("-") && binary {
        return Err(user_error(
            "a .qdpx file is a zip archive; give a file name, not -".into(),
        ));
    }
    Ok(write_output(out, bytes, project)?)
}
