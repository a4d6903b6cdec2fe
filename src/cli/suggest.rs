//! `thematic suggest`: passages that resemble a code's quotes and are not yet coded with it
//! by the running coder, and `thematic dev eval-suggest`, which measures how many hidden
//! coded passages the suggestions find.

use super::args::{find_code, transcript_ids};
use super::autocode::{may_code, one_line};
use super::command_error::{CommandError, Outcome, user_error};
use super::context::{Context, seen_as};
use super::text_table::Table;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use thematic::model::{CoderId, TranscriptId};
use thematic::store;
use thematic::suggest::rejected::{self, Rejection};
use thematic::suggest::{Ask, SuggestIndex, eval};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum SuggestFormat {
    Table,
    Json,
}

#[derive(clap::Args)]
pub struct SuggestArgs {
    pub dir: PathBuf,
    /// The code (a name, path or id).
    pub code: String,
    /// Only in these transcripts (repeat for more).
    #[arg(long = "transcript", value_name = "ID")]
    pub transcripts: Vec<String>,
    /// At most this many suggestions.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t = SuggestFormat::Table)]
    pub format: SuggestFormat,
    /// Turn down a suggestion, given as TRANSCRIPT:START-END (as listed): it is remembered
    /// for you and this code and never suggested again.
    #[arg(long, value_name = "TRANSCRIPT:START-END")]
    pub reject: Vec<String>,
    /// The consistency view instead: passages coded with other codes (by anyone whose
    /// work you may see) that most resemble this code's quotes, each beside the quote it is
    /// most like.
    #[arg(long, conflicts_with = "reject")]
    pub overlaps: bool,
}

/// `thematic suggest DIR CODE ...`
pub fn run(ctx: &Context, args: SuggestArgs) -> Outcome {
    let coder = ctx.coder_or_ask()?;
    let loaded = store::load(&args.dir)?;
    if !args.overlaps {
        may_code(&loaded.project, &coder, &args.dir)?;
    }
    let seen = seen_as(&loaded.project, &coder);
    let project = &*seen;
    let code = find_code(project, &args.code)?;
    let only = transcript_ids(project, "--transcript", &args.transcripts)?;
    if !args.reject.is_empty() {
        for given in &args.reject {
            let rejection = parse_rejection(project, given)?;
            println!(
                "turned down {} [{}, {}) for this code; it will not be suggested again",
                rejection.transcript, rejection.start, rejection.end
            );
            rejected::reject(&args.dir, &coder, &code, rejection)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    // A read-only run writes nothing, not even the index kept for the next run.
    let keep_in = (!ctx.read_only).then_some(args.dir.as_path());
    if args.overlaps {
        return overlaps(
            project,
            &args.dir,
            keep_in,
            &coder,
            &code,
            args.limit,
            args.format,
        );
    }
    let turned_down = rejected::load(&args.dir, &coder)?;
    let index = SuggestIndex::open(project, &args.dir);
    let ask = Ask {
        transcripts: &only,
        limit: args.limit,
        per_transcript: 0,
        rejected: turned_down.get(&code).map_or(&[], Vec::as_slice),
    };
    let found = index.suggest(project, &coder, &code, &ask);
    match args.format {
        SuggestFormat::Json => println!("{}", serde_json::to_string_pretty(&found)?),
        SuggestFormat::Table => {
            let mut table =
                Table::new(&["score", "where", "similar in", "passage"]).right_align(&[0]);
            for s in &found {
                table.row(vec![
                    format!("{:.2}", s.score),
                    format!("{}:{}-{}", s.transcript, s.start, s.end),
                    s.terms.join(", "),
                    one_line(&s.text),
                ]);
            }
            print!("{}", table.render());
            println!(
                "{} suggestion(s) for {}",
                found.len(),
                project.codebook.path(&code)
            );
            if let Some(first) = found.first() {
                let place = format!("{}:{}-{}", first.transcript, first.start, first.end);
                let (dir, code) = (
                    shell_word(&args.dir.to_string_lossy()),
                    shell_word(&args.code),
                );
                println!("accept one:    thematic autocode {dir} --code {code} --at {place}");
                println!("turn one down: thematic suggest {dir} {code} --reject {place}");
                println!(
                    "(or in the coding screen: X, then a to accept, x to turn down; keys as in the default keymap)"
                );
            }
        }
    }
    // Said first, kept after: writing the cache is no part of the answer.
    keep_index(&index, keep_in);
    Ok(ExitCode::SUCCESS)
}

/// `thematic suggest DIR CODE --overlaps`: the consistency view.
fn overlaps(
    project: &thematic::model::Project,
    dir: &Path,
    keep_in: Option<&Path>,
    coder: &CoderId,
    code: &thematic::model::CodeId,
    limit: usize,
    format: SuggestFormat,
) -> Outcome {
    let index = SuggestIndex::open(project, dir);
    let found = index.overlaps(project, coder, code, limit);
    match format {
        SuggestFormat::Json => println!("{}", serde_json::to_string_pretty(&found)?),
        SuggestFormat::Table => {
            let mut table =
                Table::new(&["score", "coded with", "where", "passage", "like this quote"])
                    .right_align(&[0]);
            for o in &found {
                let names: Vec<String> = o
                    .codes
                    .iter()
                    .map(|c| {
                        project
                            .codebook
                            .get(c)
                            .map_or_else(|| c.to_string(), |c| c.name.clone())
                    })
                    .collect();
                table.row(vec![
                    format!("{:.2}", o.score),
                    names.join("; "),
                    format!("{}:{}-{} ({})", o.transcript, o.start, o.end, o.coder),
                    one_line(&o.text),
                    one_line(&o.like),
                ]);
            }
            print!("{}", table.render());
            println!(
                "{} passage(s) coded with other codes that resemble the quotes of {}",
                found.len(),
                project.codebook.path(code)
            );
        }
    }
    keep_index(&index, keep_in);
    Ok(ExitCode::SUCCESS)
}

/// `word` as one word for a POSIX shell: as it is when it is plain, else in single quotes.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Keeps the sentence index for the next run. Failing to is no failure of the command (the
/// next run reads the transcripts again), but it is said, once, on stderr. `None`: a
/// read-only run, which keeps nothing.
fn keep_index(index: &SuggestIndex, dir: Option<&Path>) {
    let Some(dir) = dir else { return };
    if let Err(e) = index.keep(dir) {
        eprintln!("note: the suggestion index could not be kept for the next run: {e}");
    }
}

/// `p03:120-200` -> the passage of p03 from char 120 to 200.
fn parse_rejection(
    project: &thematic::model::Project,
    given: &str,
) -> Result<Rejection, CommandError> {
    let bad = || {
        user_error(format!(
            "--reject {given:?}: give TRANSCRIPT:START-END, e.g. p03:120-200"
        ))
    };
    let (t, range) = given.rsplit_once(':').ok_or_else(bad)?;
    let (start, end) = range.split_once('-').ok_or_else(bad)?;
    let (start, end): (usize, usize) = (
        start.trim().parse().map_err(|_| bad())?,
        end.trim().parse().map_err(|_| bad())?,
    );
    let id = TranscriptId::new(t).map_err(|e| user_error(format!("--reject {given:?}: {e}")))?;
    let transcript = project
        .transcript(&id)
        .ok_or_else(|| user_error(format!("--reject {given:?}: no transcript {id}")))?;
    let text = transcript
        .slice(start, end)
        .filter(|_| start < end)
        .ok_or_else(|| {
            user_error(format!(
                "--reject {given:?}: {id} has {} characters",
                transcript.char_len()
            ))
        })?;
    Ok(Rejection {
        transcript: id,
        start,
        end,
        text: text.to_string(),
    })
}

#[derive(clap::Args)]
pub struct EvalArgs {
    pub dir: PathBuf,
    /// Evaluate this coder's coding (default: the project's first coder).
    #[arg(long = "of", value_name = "CODER")]
    pub of: Option<String>,
    /// How many of the most used codes.
    #[arg(long, default_value_t = 10)]
    pub codes: usize,
    /// Suggestions asked for in each transcript.
    #[arg(long, default_value_t = 10)]
    pub per_transcript: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Random halves drawn per code, pooled.
    #[arg(long, default_value_t = 5)]
    pub draws: u64,
    #[arg(long, value_enum, default_value_t = SuggestFormat::Table)]
    pub format: SuggestFormat,
}

/// `thematic dev eval-suggest DIR`: recall of hidden coding, per code and overall.
pub fn eval_suggest(args: EvalArgs) -> Outcome {
    let loaded = store::load(&args.dir)?;
    let project = &loaded.project;
    let coder = match &args.of {
        Some(id) => CoderId::new(id.as_str())?,
        None => project
            .meta
            .coders
            .first()
            .map(|c| c.id.clone())
            .ok_or_else(|| user_error("the project has no coders".into()))?,
    };
    let evaluation = eval::evaluate(
        project,
        &eval::Options {
            coder,
            codes: args.codes,
            per_transcript: args.per_transcript,
            seed: args.seed,
            draws: args.draws,
        },
    );
    match args.format {
        SuggestFormat::Json => println!("{}", serde_json::to_string_pretty(&evaluation)?),
        SuggestFormat::Table => {
            let mut table = Table::new(&[
                "code",
                "transcripts hidden",
                "segments hidden",
                "found",
                "recall",
                "plain BM25",
            ])
            .right_align(&[1, 2, 3, 4, 5]);
            for c in &evaluation.codes {
                table.row(vec![
                    c.name.clone(),
                    c.transcripts.to_string(),
                    c.hidden.to_string(),
                    c.found.to_string(),
                    format!("{:.2}", c.recall()),
                    format!("{:.2}", c.baseline_recall()),
                ]);
            }
            table.row(vec![
                "overall".into(),
                String::new(),
                evaluation.hidden().to_string(),
                evaluation
                    .codes
                    .iter()
                    .map(|c| c.found)
                    .sum::<usize>()
                    .to_string(),
                format!("{:.2}", evaluation.recall()),
                format!("{:.2}", evaluation.baseline_recall()),
            ]);
            print!("{}", table.render());
            println!(
                "coder {}, {} suggestions per transcript, {} draw(s) from seed {} pooled",
                evaluation.coder, evaluation.per_transcript, evaluation.draws, args.seed
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
