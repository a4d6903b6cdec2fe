//! `thematic export` (REFI-QDA project or codebook, CSV, Markdown or HTML report) and
//! `thematic import-refi` (a .qdpx project or .qdc codebook into a new project folder).

use super::{Failure, Outcome};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use thematic::analysis::codebook::Coders;
use thematic::interop::report::{self, ReportOptions};
use thematic::interop::{map, refi, segments_csv};
use thematic::model::CoderId;
use thematic::model::Project;
use thematic::store::atomic::write_atomic;

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

#[derive(Args)]
pub struct ExportArgs {
    /// The project folder.
    pub dir: PathBuf,
    #[arg(long, value_enum)]
    pub to: ExportFormat,
    /// The file to write (`-` for standard output; not for qdpx).
    pub out: PathBuf,
    /// With `--to map`: size each node by its segments (default) or its participants.
    #[arg(long, value_enum)]
    pub size_by: Option<MapSize>,
}

pub fn export(args: ExportArgs, coder: Option<&str>) -> Outcome {
    if args.size_by.is_some() && args.to != ExportFormat::Map {
        return Err(Failure("--size-by is for --to map only".into()));
    }
    let loaded = thematic::store::load(&args.dir)?;
    let project = &loaded.project;
    let (bytes, what) = match args.to {
        ExportFormat::Map => thematic_map(project, &args.out, args.size_by),
        ExportFormat::Qdpx => {
            let export = refi::export::qdpx(project)?;
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
            (export.bytes, what)
        }
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
                coders: report_coders(coder)?,
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
                markdown_report(project, &options, &args.out)?
            }
        }
    };
    write_out(&args.out, &bytes, args.to == ExportFormat::Qdpx)?;
    if args.out != Path::new("-") {
        println!("wrote {} ({what})", args.out.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The Markdown report, with its figures written as SVG files into `STEM-figures/` beside
/// it (not for standard output, where the figures' links are left for the reader to fill).
fn markdown_report(
    project: &Project,
    options: &ReportOptions,
    out: &Path,
) -> Result<(Vec<u8>, String), Failure> {
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
        return Ok((text.into_bytes(), "report".to_string()));
    }
    let folder = out.parent().unwrap_or(Path::new(".")).join(&folder_name);
    match std::fs::create_dir(&folder) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && folder.is_dir() => {}
        Err(e) => return Err(Failure(format!("{}: {e}", folder.display()))),
    }
    for figure in &figures {
        write_out(&folder.join(&figure.file), figure.svg.as_bytes(), false)?;
    }
    Ok((
        text.into_bytes(),
        format!("report; {} figures in {}", figures.len(), folder.display()),
    ))
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

fn report_coders(coder: Option<&str>) -> Result<Coders, Failure> {
    Ok(match coder {
        Some(id) => Coders::Only(vec![CoderId::new(id)?]),
        None => Coders::All,
    })
}

pub(super) fn write_out(out: &Path, bytes: &[u8], binary: bool) -> Result<(), Failure> {
    if out == Path::new("-") {
        if binary {
            return Err(Failure(
                "a .qdpx file is a zip archive; give a file name, not -".into(),
            ));
        }
        use std::io::Write;
        std::io::stdout().write_all(bytes)?;
        return Ok(());
    }
    write_atomic(out, bytes).map_err(|e| Failure(format!("{}: {e}", out.display())))
}

#[derive(Args)]
pub struct ImportRefiArgs {
    /// A REFI-QDA project (.qdpx) or codebook (.qdc).
    pub file: PathBuf,
    /// The new project folder to create (must not exist, or be empty).
    pub dir: PathBuf,
}

pub fn import_refi(args: ImportRefiArgs) -> Outcome {
    let imported = refi::import::import_file(&args.file)?;
    refi::import::write_new_project(&imported, &args.dir)?;
    print!("{}", imported.summary.render());
    println!("Created project {}", args.dir.display());
    Ok(ExitCode::SUCCESS)
}
