//! The `thematic` command line: parse arguments, run a command, turn errors into messages and
//! exit statuses (0 success, 1 problems found, 2 could not run).

mod cli;

use clap::{Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "thematic",
    version,
    about = "A keyboard-first workbench for coding interview transcripts",
    // `thematic DIR` opens a project: a first word that is no command is taken as the
    // folder (an "external subcommand"), so that global flags such as --coder work both
    // before and after a command.
    allow_external_subcommands = true,
    override_usage = "thematic [OPTIONS] DIR\n       thematic [OPTIONS] <COMMAND>"
)]
struct Cli {
    /// Who is coding (a coder id such as `alex`); default from the user's config file.
    #[arg(long, global = true, value_name = "ID")]
    coder: Option<String>,
    /// Open without taking the coder's lock; nothing can be changed.
    #[arg(long, global = true)]
    read_only: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// `thematic DIR`: a first word that is not a command is the folder to open.
    #[command(external_subcommand)]
    External(Vec<OsString>),
    /// Open a project (the default command).
    Open { dir: PathBuf },
    /// Create a new, empty project folder.
    New {
        dir: PathBuf,
        /// The study's name (default: the folder's name).
        #[arg(long)]
        name: Option<String>,
        #[arg(long, default_value = "")]
        description: String,
        /// Display name of the coder given with --coder.
        #[arg(long, value_name = "NAME")]
        coder_name: Option<String>,
    },
    /// Import transcripts (.txt, .md, .docx, .odt, .pdf, .html, .vtt, .srt).
    Import(cli::commands::ImportArgs),
    /// Validate every file of a project and explain each problem.
    Check {
        dir: PathBuf,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// For transcripts edited outside thematic: accept the new text and move each
        /// segment to where its quoted text now occurs exactly once; list the rest.
        #[arg(long)]
        fix: bool,
    },
    /// Counts (transcripts, words, codes, segments, memos), or one of the analysis tables:
    /// saturation, matrix, cooccurrence, themes.
    Stats(cli::tables::StatsArgs),
    /// Print the codebook: the tree with definitions and counts.
    Codebook {
        dir: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Names and counts only, without definitions (table format).
        #[arg(long)]
        brief: bool,
        /// Whose coding the counts are of: coder ids separated by commas, or `all` (the
        /// default: every coder whose work you may see).
        #[arg(long, value_name = "A,B|all")]
        coders: Option<String>,
    },
    /// Print the quotes of a code (with everything below it), by name, path or id.
    Quotes(cli::commands::QuotesArgs),
    /// Find words in every transcript (case-insensitive), with the text around each hit.
    Search(cli::codebook::SearchArgs),
    /// List or export memos, with their links and review threads.
    Memos(cli::memos::MemosArgs),
    /// Draw (or set) the double-coding sample and record it in thematic.yaml.
    Sample(cli::agreement::SampleArgs),
    /// Inter-coder agreement between two coders (by default the sample's).
    Agreement(cli::agreement::AgreementArgs),
    /// Export the project: REFI-QDA (qdpx, qdc), CSV of segments, or a Markdown/HTML report.
    Export(cli::interop::ExportArgs),
    /// Import a REFI-QDA project (.qdpx) or codebook (.qdc) into a new project folder, or
    /// with --into merge a colleague's project into an existing one.
    ImportRefi(cli::interop::ImportRefiArgs),
    /// Play a transcript's recording from a place in the text, with the player set in the
    /// user's config.yaml (`player: "mpv --start={start} {file}"`) or mpv or vlc.
    Play(cli::play::PlayArgs),
    /// Tools for developers and for trying thematic at scale.
    #[command(subcommand)]
    Dev(DevCommand),
    /// Add a coder to the project.
    AddCoder {
        dir: PathBuf,
        /// The new coder's id (lowercase letters, digits, - and _).
        id: String,
        #[arg(long)]
        name: Option<String>,
    },
    /// Share your work with the team through git: commit, fetch, merge, check, push.
    Sync(cli::team::SyncArgs),
    /// List the conflicts a merge left, or settle them (--keep mine|theirs, --restore-codes).
    Resolve(cli::team::ResolveArgs),
    /// Change the codebook: add, rename, move, merge, delete, define, tag.
    Codes(cli::team::CodesArgs),
    /// Git's merge driver for thematic's files (set up by `thematic sync`): BASE MINE THEIRS
    /// PATH, as git gives %O %A %B %P.
    #[command(hide = true)]
    MergeFile {
        base: PathBuf,
        mine: PathBuf,
        theirs: PathBuf,
        path: PathBuf,
    },
    /// Add a reviewer (a supervisor or examiner): reads, reviews and answers memos; codes nothing.
    AddReviewer {
        dir: PathBuf,
        /// The reviewer's id (lowercase letters, digits, - and _).
        id: String,
        #[arg(long)]
        name: Option<String>,
    },
    /// Code every search hit, every turn of a speaker, or every answer to some questions
    /// with one code, as one change (one undo step).
    Autocode(cli::autocode::AutocodeArgs),
    /// Passages not yet coded with a code that resemble its coded quotes (local, private).
    Suggest(cli::suggest::SuggestArgs),
}

#[derive(Subcommand)]
enum DevCommand {
    /// Write a generated study (SPEC section 8's scale at --scale 1): 213 interviews of
    /// 8,000 words, 2 coders, 60 codes, about 30,000 segments, 500 memos, a 20% sample.
    Generate {
        /// The new project folder (must not exist, or be empty).
        dir: PathBuf,
        /// Multiplies the number of interviews and memos (0.2, 1, 5...).
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Words per interview.
        #[arg(long, default_value_t = 8000)]
        words: usize,
        /// Segments the primary coder makes per interview.
        #[arg(long, default_value_t = 120)]
        segments: usize,
        /// Also a 15,000-word interview with 2,000 segments (id `long`).
        #[arg(long)]
        long: bool,
    },
    /// Apply a stream of coding edits as fast as possible, printing a line for each one
    /// saved, until killed (for the crash-consistency tests).
    EditStream {
        dir: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Open a project as the coding screen does and draw its first frame off-screen; print
    /// the time it took and the process's peak memory (for the benchmarks).
    FirstFrame {
        dir: PathBuf,
        #[arg(long, default_value_t = 160)]
        width: u16,
        #[arg(long, default_value_t = 48)]
        height: u16,
    },
    /// Draw the screen as the coding screen would (after pressing --keys) into an SVG
    /// picture, with its colours: the manual's pictures are made this way.
    Screenshot {
        dir: PathBuf,
        /// Terminal size as COLUMNSxROWS.
        #[arg(long, default_value = "140x40")]
        size: String,
        /// Keys to press first, separated by spaces, as keymap.yaml names them
        /// (e.g. "j j Enter s").
        #[arg(long, default_value = "")]
        keys: String,
        /// The SVG file to write (`-` for standard output).
        out: PathBuf,
    },
    /// Measure code suggestions by hiding coding: recall per code and overall.
    EvalSuggest(cli::suggest::EvalArgs),
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`thematic quotes ... | head`)
/// would panic; restoring the default makes the command end quietly, like other tools.
#[cfg(unix)]
fn quiet_on_closed_pipe() {
    // SAFETY: setting a signal's disposition to its default at start-up, before any thread
    // exists, has no memory-safety requirements.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn quiet_on_closed_pipe() {}

/// `thematic DIR [--coder ID] [--read-only]`: read as `thematic open DIR ...`, with the
/// flags given before the folder kept.
fn open_external(coder: Option<&str>, read_only: bool, words: Vec<OsString>) -> cli::Outcome {
    let argv = [OsString::from("thematic"), OsString::from("open")]
        .into_iter()
        .chain(words);
    let again = Cli::parse_from(argv);
    match again.command {
        Some(Command::Open { dir }) => cli::commands::open(
            &dir,
            again.coder.as_deref().or(coder),
            again.read_only || read_only,
        ),
        _ => Err(cli::Failure(
            "no project folder given; try `thematic --help`".into(),
        )),
    }
}

/// A full standard output (`> /dev/full`) makes `println!` panic: say so as an error with
/// exit status 2 instead, like any other failed write.
fn fail_on_full_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if let Some(why) = message.strip_prefix("failed printing to stdout: ") {
            eprintln!("thematic: standard output: {why}");
            std::process::exit(2);
        }
        default(info);
    }));
}

/// Flushes what is still buffered for standard output; a failure is exit status 2.
fn finish_stdout(code: ExitCode) -> ExitCode {
    use std::io::Write;
    match std::io::stdout().flush() {
        Ok(()) => code,
        Err(e) => {
            eprintln!("thematic: standard output: {e}");
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    fail_on_full_stdout();
    let cli = Cli::parse();
    // A closed standard output would swallow every result silently (Rust discards writes to
    // a closed descriptor): refuse before doing anything.
    if let Err(e) = thematic::store::output::stdout_open() {
        eprintln!("thematic: standard output: {e}");
        return ExitCode::from(2);
    }
    let outcome = match cli.command {
        Some(Command::Open { dir }) => {
            cli::commands::open(&dir, cli.coder.as_deref(), cli.read_only)
        }
        Some(Command::External(words)) => open_external(cli.coder.as_deref(), cli.read_only, words),
        None => Err(cli::Failure(
            "no project folder given; try `thematic --help`".into(),
        )),
        Some(Command::New {
            dir,
            name,
            description,
            coder_name,
        }) => cli::commands::new(&dir, name, description, cli.coder.as_deref(), coder_name),
        Some(Command::Import(args)) => cli::commands::import(args),
        Some(Command::Check { dir, format, fix }) => {
            if fix {
                cli::commands::fix_drift(&dir)
            } else {
                cli::commands::check(&dir, format)
            }
        }
        Some(Command::Stats(args)) => cli::tables::stats(args, cli.coder.as_deref()),
        Some(Command::AddCoder { dir, id, name }) => cli::commands::add_coder(&dir, &id, name),
        Some(Command::AddReviewer { dir, id, name }) => {
            cli::commands::add_reviewer(&dir, &id, name)
        }
        Some(Command::Codebook {
            dir,
            format,
            brief,
            coders,
        }) => cli::codebook::codebook(&dir, format, brief, coders.as_deref(), cli.coder.as_deref()),
        Some(Command::Quotes(args)) => cli::codebook::quotes(args, cli.coder.as_deref()),
        Some(Command::Memos(args)) => cli::memos::memos(args, cli.coder.as_deref()),
        Some(Command::Search(args)) => cli::codebook::search(args, cli.coder.as_deref()),
        Some(Command::Sample(args)) => cli::agreement::sample(args),
        Some(Command::Agreement(args)) => cli::agreement::agreement(args, cli.coder.as_deref()),
        Some(Command::Export(args)) => cli::interop::export(args, cli.coder.as_deref()),
        Some(Command::ImportRefi(args)) => cli::interop::import_refi(args, cli.coder.as_deref()),
        Some(Command::Sync(args)) => cli::team::sync(args, cli.coder.as_deref()),
        Some(Command::Resolve(args)) => cli::team::resolve(args, cli.coder.as_deref()),
        Some(Command::Codes(args)) => cli::team::codes(args, cli.coder.as_deref()),
        Some(Command::MergeFile {
            base,
            mine,
            theirs,
            path,
        }) => cli::team::merge_file(&base, &mine, &theirs, &path),
        Some(Command::Play(args)) => cli::play::play(args),
        Some(Command::Dev(DevCommand::Generate {
            dir,
            scale,
            seed,
            words,
            segments,
            long,
        })) => cli::commands::generate(&dir, scale, seed, words, segments, long),
        Some(Command::Dev(DevCommand::EditStream { dir, seed })) => {
            cli::commands::edit_stream(&dir, cli.coder.as_deref(), seed)
        }
        Some(Command::Dev(DevCommand::FirstFrame { dir, width, height })) => {
            cli::commands::first_frame(&dir, cli.coder.as_deref(), width, height)
        }
        Some(Command::Dev(DevCommand::Screenshot {
            dir,
            size,
            keys,
            out,
        })) => cli::commands::screenshot(&dir, cli.coder.as_deref(), &size, &keys, &out),
        Some(Command::Autocode(args)) => cli::autocode::autocode(args, cli.coder.as_deref()),
        Some(Command::Suggest(args)) => cli::suggest::suggest(args, cli.coder.as_deref()),
        Some(Command::Dev(DevCommand::EvalSuggest(args))) => cli::suggest::eval_suggest(args),
    };
    match outcome {
        Ok(code) => finish_stdout(code),
        Err(cli::Failure(message)) => {
            eprintln!("thematic: {message}");
            ExitCode::from(2)
        }
    }
}
