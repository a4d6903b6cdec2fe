//! The command line: the global flags and one module per command, each holding its `Args`
//! (clap) and `run(ctx, args)`; [`run`] dispatches in one `match`, after refusing a global
//! flag the command cannot honour ([`Command::honours`]). Shared by the commands:
//! `context` (global flags, who is coding, the project as they may see it), `args`
//! (`--coders`, `--attr`, `--transcript`, codes by name), `output` (`--format` and standard
//! output), `text_table` (aligned tables) and `command_error` (errors, hints, exit status).

pub mod args;
pub mod command_error;
pub mod context;
pub mod output;
pub mod text_table;

pub mod add_coder;
pub mod add_reviewer;
pub mod agreement;
pub mod autocode;
pub mod check;
pub mod codebook;
pub mod codes;
pub mod dev;
pub mod export;
pub mod import;
pub mod import_refi;
pub mod memos;
pub mod merge_file;
pub mod new_project;
pub mod open;
pub mod play;
pub mod quotes;
pub mod resolve;
pub mod sample;
pub mod search;
pub mod stats;
pub mod suggest;
pub mod sync;

use clap::{Parser, Subcommand};
use command_error::{CommandError, Outcome, user_error};
use context::{Context, Honours, Use, WRITES};
use std::ffi::OsString;

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
pub struct Cli {
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
pub enum Command {
    /// `thematic DIR`: a first word that is not a command is the folder to open.
    #[command(external_subcommand)]
    External(Vec<OsString>),
    /// Open a project (the default command).
    Open(open::Args),
    /// Create a new, empty project folder.
    New(new_project::Args),
    /// Import transcripts (.txt, .md, .docx, .odt, .pdf, .html, .vtt, .srt).
    Import(import::Args),
    /// Validate every file of a project and explain each problem.
    Check(check::Args),
    /// Counts (transcripts, words, codes, segments, memos), or one of the analysis tables:
    /// saturation, matrix, cooccurrence, themes.
    Stats(stats::Args),
    /// Print the codebook: the tree with definitions and counts.
    Codebook(codebook::Args),
    /// Print the quotes of a code (with everything below it), by name, path or id.
    Quotes(quotes::Args),
    /// Find words in every transcript (case-insensitive), with the text around each hit.
    Search(search::Args),
    /// List or export memos, with their links and review threads.
    Memos(memos::Args),
    /// Draw (or set) the double-coding sample and record it in thematic.yaml.
    Sample(sample::Args),
    /// Inter-coder agreement between two coders (by default the sample's).
    Agreement(agreement::Args),
    /// Export the project: REFI-QDA (qdpx, qdc), CSV of segments, or a Markdown/HTML report.
    Export(export::Args),
    /// Import a REFI-QDA project (.qdpx) or codebook (.qdc) into a new project folder, or
    /// with --into merge a colleague's project into an existing one.
    ImportRefi(import_refi::Args),
    /// Play a transcript's recording from a place in the text, with the player set in the
    /// user's config.yaml (`player: "mpv --start={start} {file}"`) or mpv or vlc.
    Play(play::Args),
    /// Tools for developers and for trying thematic at scale.
    #[command(subcommand)]
    Dev(dev::Command),
    /// Add a coder to the project.
    AddCoder(add_coder::Args),
    /// Share your work with the team through git: commit, fetch, merge, check, push.
    Sync(sync::Args),
    /// List the conflicts a merge left, or settle them (--keep mine|theirs, --restore-codes).
    Resolve(resolve::Args),
    /// Change the codebook: add, rename, move, merge, delete, define, tag.
    Codes(codes::Args),
    /// Git's merge driver for thematic's files (set up by `thematic sync`): BASE MINE THEIRS
    /// PATH, as git gives %O %A %B %P.
    #[command(hide = true)]
    MergeFile(merge_file::Args),
    /// Add a reviewer (a supervisor or examiner): reads, reviews and answers memos; codes nothing.
    AddReviewer(add_reviewer::Args),
    /// Code every search hit, every turn of a speaker, or every answer to some questions
    /// with one code, as one change (one undo step).
    Autocode(autocode::AutocodeArgs),
    /// Passages not yet coded with a code that resemble its coded quotes (local, private).
    Suggest(suggest::SuggestArgs),
}

/// Why `sample` takes no `--coder`.
const ROUND_CODERS: &str =
    "the round's coders are named with --primary and --second; leave --coder out";
/// Why `import-refi` without `--into` takes no `--coder`.
const NEW_FROM_FILE: &str = "a new project made from a file is nobody's work in particular; --coder is used with --into, which records who merged";
/// Why `check --fix` cannot run read-only.
const FIX_WRITES: &str =
    "--fix rewrites transcripts and moves segments, so it cannot run read-only";
/// Why `autocode` cannot run read-only.
const CODES_WRITES: &str =
    "it codes in your files; --dry-run lists what it would code and may run read-only";
/// Why `suggest --reject` cannot run read-only.
const REJECT_WRITES: &str = "--reject records what you turned down, so it cannot run read-only";
/// Why `resolve --keep` or `--restore-codes` cannot run read-only.
const RESOLVE_WRITES: &str = "--keep and --restore-codes change files; without them resolve only lists the conflicts and may run read-only";

impl Command {
    /// The command's name as typed.
    fn name(&self) -> &'static str {
        match self {
            Command::External(_) | Command::Open(_) => "open",
            Command::New(_) => "new",
            Command::Import(_) => "import",
            Command::Check(_) => "check",
            Command::Stats(_) => "stats",
            Command::Codebook(_) => "codebook",
            Command::Quotes(_) => "quotes",
            Command::Search(_) => "search",
            Command::Memos(_) => "memos",
            Command::Sample(_) => "sample",
            Command::Agreement(_) => "agreement",
            Command::Export(_) => "export",
            Command::ImportRefi(_) => "import-refi",
            Command::Play(_) => "play",
            Command::Dev(dev) => dev.name(),
            Command::AddCoder(_) => "add-coder",
            Command::Sync(_) => "sync",
            Command::Resolve(_) => "resolve",
            Command::Codes(_) => "codes",
            Command::MergeFile(_) => "merge-file",
            Command::AddReviewer(_) => "add-reviewer",
            Command::Autocode(_) => "autocode",
            Command::Suggest(_) => "suggest",
        }
    }

    /// Which global flags the command honours (docs/commands.md lists them). Reading
    /// commands honour `--read-only` by changing nothing and `--coder` by showing only what
    /// that coder may see; a command that writes refuses `--read-only`.
    pub fn honours(&self) -> Honours {
        let reads_unless = |writes: bool, why: &'static str| {
            if writes {
                Use::Refused(why)
            } else {
                Use::Honoured
            }
        };
        match self {
            Command::External(_)
            | Command::Open(_)
            | Command::Stats(_)
            | Command::Codebook(_)
            | Command::Quotes(_)
            | Command::Search(_)
            | Command::Memos(_)
            | Command::Agreement(_)
            | Command::Export(_) => Honours::READER,
            Command::New(_) | Command::Sync(_) | Command::Codes(_) => Honours::CODER_WRITES,
            Command::Import(_)
            | Command::AddCoder(_)
            | Command::AddReviewer(_)
            | Command::MergeFile(_) => Honours::WRITES,
            Command::Check(args) => Honours {
                coder: Use::SameForEveryone,
                read_only: reads_unless(args.fix, FIX_WRITES),
            },
            Command::Sample(_) => Honours {
                coder: Use::Refused(ROUND_CODERS),
                read_only: Use::Refused(WRITES),
            },
            Command::ImportRefi(args) => Honours {
                coder: if args.into {
                    Use::Honoured
                } else {
                    Use::Refused(NEW_FROM_FILE)
                },
                read_only: Use::Refused(WRITES),
            },
            Command::Play(_) => Honours {
                coder: Use::SameForEveryone,
                read_only: Use::Honoured,
            },
            Command::Dev(dev) => dev.honours(),
            Command::Resolve(args) => Honours {
                coder: if args.restore_codes {
                    Use::Honoured
                } else {
                    Use::SameForEveryone
                },
                read_only: reads_unless(args.restore_codes || args.keep.is_some(), RESOLVE_WRITES),
            },
            Command::Autocode(args) => Honours {
                coder: Use::Honoured,
                read_only: reads_unless(!args.dry_run, CODES_WRITES),
            },
            Command::Suggest(args) => Honours {
                coder: Use::Honoured,
                read_only: reads_unless(!args.reject.is_empty(), REJECT_WRITES),
            },
        }
    }
}

/// Runs the command the arguments name, as the person the global flags say.
pub fn run(cli: Cli) -> Outcome {
    let ctx = Context {
        coder: cli.coder,
        read_only: cli.read_only,
    };
    let Some(command) = cli.command else {
        return Err(no_folder());
    };
    ctx.refuse_unhonoured(command.name(), command.honours())?;
    match command {
        Command::External(words) => open_external(ctx, words),
        Command::Open(args) => open::run(&ctx, args),
        Command::New(args) => new_project::run(&ctx, args),
        Command::Import(args) => import::run(&ctx, args),
        Command::Check(args) => check::run(&ctx, args),
        Command::Stats(args) => stats::run(&ctx, args),
        Command::Codebook(args) => codebook::run(&ctx, args),
        Command::Quotes(args) => quotes::run(&ctx, args),
        Command::Search(args) => search::run(&ctx, args),
        Command::Memos(args) => memos::run(&ctx, args),
        Command::Sample(args) => sample::run(&ctx, args),
        Command::Agreement(args) => agreement::run(&ctx, args),
        Command::Export(args) => export::run(&ctx, args),
        Command::ImportRefi(args) => import_refi::run(&ctx, args),
        Command::Play(args) => play::run(&ctx, args),
        Command::Dev(command) => dev::run(&ctx, command),
        Command::AddCoder(args) => add_coder::run(&ctx, args),
        Command::Sync(args) => sync::run(&ctx, args),
        Command::Resolve(args) => resolve::run(&ctx, args),
        Command::Codes(args) => codes::run(&ctx, args),
        Command::MergeFile(args) => merge_file::run(&ctx, args),
        Command::AddReviewer(args) => add_reviewer::run(&ctx, args),
        Command::Autocode(args) => autocode::run(&ctx, args),
        Command::Suggest(args) => suggest::run(&ctx, args),
    }
}

fn no_folder() -> CommandError {
    user_error("no project folder given; try `thematic --help`".into())
}

/// `thematic DIR [--coder ID] [--read-only]`: read as `thematic open DIR ...`, with the
/// flags given before the folder kept.
fn open_external(before: Context, words: Vec<OsString>) -> Outcome {
    let argv = [OsString::from("thematic"), OsString::from("open")]
        .into_iter()
        .chain(words);
    let again = Cli::parse_from(argv);
    match again.command {
        Some(Command::Open(args)) => {
            let ctx = Context {
                coder: again.coder.or(before.coder),
                read_only: again.read_only || before.read_only,
            };
            open::run(&ctx, args)
        }
        _ => Err(no_folder()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How a command line's command takes the global flags: `h` honoured, `s` taken as who
    /// is asking (the result is the same for everyone), `r` refused; --coder, then
    /// --read-only.
    fn honoured(line: &str) -> (char, char) {
        let words = std::iter::once("thematic").chain(line.split_whitespace());
        let cli = Cli::try_parse_from(words).unwrap_or_else(|e| panic!("{line}: {e}"));
        let honours = cli.command.expect("a command").honours();
        let letter = |usage| match usage {
            Use::Honoured => 'h',
            Use::SameForEveryone => 's',
            Use::Refused(_) => 'r',
        };
        (letter(honours.coder), letter(honours.read_only))
    }

    /// The table docs/commands.md gives, command by command.
    #[test]
    fn each_command_honours_the_global_flags_the_manual_says() {
        let table = [
            ("study", ('h', 'h')),
            ("open study", ('h', 'h')),
            ("new study", ('h', 'r')),
            ("import study a.txt", ('s', 'r')),
            ("check study", ('s', 'h')),
            ("check study --fix", ('s', 'r')),
            ("stats study", ('h', 'h')),
            ("stats study themes", ('h', 'h')),
            ("codebook study", ('h', 'h')),
            ("quotes study Trust", ('h', 'h')),
            ("search study trust", ('h', 'h')),
            ("memos study", ('h', 'h')),
            ("agreement study", ('h', 'h')),
            ("export study --to csv out.csv", ('h', 'h')),
            ("sample study --second sam", ('r', 'r')),
            ("import-refi a.qdpx new", ('r', 'r')),
            ("import-refi a.qdpx study --into", ('h', 'r')),
            ("play study p01", ('s', 'h')),
            ("add-coder study kim", ('s', 'r')),
            ("add-reviewer study rhea", ('s', 'r')),
            ("sync study", ('h', 'r')),
            ("resolve study", ('s', 'h')),
            ("resolve study --keep mine", ('s', 'r')),
            ("resolve study --restore-codes", ('h', 'r')),
            ("codes add study New", ('h', 'r')),
            ("merge-file a b c d", ('s', 'r')),
            ("autocode study --code C --search s", ('h', 'r')),
            ("autocode study --code C --search s --dry-run", ('h', 'h')),
            ("suggest study C", ('h', 'h')),
            ("suggest study C --reject p01:1-5", ('h', 'r')),
            ("dev generate g", ('r', 'r')),
            ("dev edit-stream study", ('h', 'r')),
            ("dev first-frame study", ('h', 'h')),
            ("dev screenshot study out.svg", ('h', 'h')),
            ("dev eval-suggest study", ('r', 'h')),
        ];
        for (line, expected) in table {
            assert_eq!(honoured(line), expected, "{line}");
        }
    }
}
