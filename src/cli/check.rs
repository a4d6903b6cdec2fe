//! `thematic check DIR`: every file of the project validated and each problem explained
//! (exit status 1 when there are any); with `--fix`, transcripts edited outside thematic
//! accepted and their segments re-anchored.

use super::command_error::{CommandError, Outcome};
use super::context::Context;
use super::output::print_json;
use clap::ValueEnum;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use thematic::store::{self, Problem, Severity, check};
use thematic::workspace::Workspace;

#[derive(clap::Args)]
pub struct Args {
    dir: PathBuf,
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    format: CheckFormat,
    /// For transcripts edited outside thematic: accept the new text and move each
    /// segment to where its quoted text now occurs exactly once; list the rest.
    #[arg(long)]
    pub fix: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

pub fn run(_ctx: &Context, args: Args) -> Outcome {
    if args.fix {
        fix_drift(&args.dir)
    } else {
        check(&args.dir, args.format)
    }
}

fn check(dir: &Path, format: CheckFormat) -> Outcome {
    // Conflict markers make every later reading of the file fail in a cascade: say so once.
    let markers = thematic::team::conflict_markers(dir);
    if !markers.is_empty() {
        return report_merge_markers(dir, markers, format);
    }
    let loaded = store::load(dir)?;
    let mut problems = check::report(loaded.problems, &loaded.project, &loaded.store);
    problems.extend(thematic::team::unsettled_problems(dir));
    problems.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    match format {
        CheckFormat::Text => {
            print_located(dir, &problems);
            let t = loaded.project.transcript_count();
            let s = loaded.project.all_segments().count();
            println!(
                "{}: {} transcripts, {} codebook entries, {} segments, {} memos: {errors} error(s), {warnings} warning(s)",
                dir.display(),
                t,
                loaded.project.codebook.len(),
                s,
                loaded.project.memos().count()
            );
        }
        CheckFormat::Json => {
            print_json_report(dir, errors, warnings, &problems)?;
        }
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `check` on a project with git's conflict markers in it: those alone, the rest of the
/// checks waiting until the merge is settled.
fn report_merge_markers(dir: &Path, markers: Vec<Problem>, format: CheckFormat) -> Outcome {
    match format {
        CheckFormat::Text => {
            print_located(dir, &markers);
            println!(
                "{}: {} file(s) with unresolved merge conflicts; the other checks run once they are settled",
                dir.display(),
                markers.len()
            );
        }
        CheckFormat::Json => {
            print_json_report(dir, markers.len(), 0, &markers)?;
        }
    }
    Ok(ExitCode::from(1))
}

/// `thematic check DIR --fix`: re-anchors the segments of transcripts edited outside the
/// tool (through the Workspace, so every write is atomic and every coder's lock respected).
fn fix_drift(dir: &Path) -> Outcome {
    let (mut workspace, _) = Workspace::open(dir, None)?;
    let drifts = thematic::store::drift::drifts(workspace.project());
    if drifts.is_empty() {
        println!("No transcript was changed outside thematic; nothing to re-anchor.");
        return check(dir, CheckFormat::Text);
    }
    let mut left = 0;
    for drift in &drifts {
        let Some(id) = drift.transcript.clone() else {
            continue;
        };
        let Some(edit) = thematic::store::drift::fix(workspace.project(), drift) else {
            continue;
        };
        workspace.apply_once(edit)?;
        println!(
            "{id}: new text accepted; {} segment(s) re-anchored by their quoted text",
            drift.moved.len()
        );
        for (coder, segment) in &drift.lost {
            left += 1;
            println!(
                "  {coder}'s segment {} [{}, {}) was not moved: its quote is not found exactly once; \
                 in the coding screen ({coder}), open {id}, put the cursor on it and press e to move its start and end onto the right words",
                segment.id, segment.start, segment.end
            );
        }
    }
    println!("{left} segment(s) left to fix by hand.");
    check(dir, CheckFormat::Text)
}

/// Each problem on a line, its path under the project folder as given.
fn print_located(dir: &Path, problems: &[Problem]) {
    for problem in problems {
        let located = Problem {
            path: dir.join(&problem.path),
            ..problem.clone()
        };
        println!(
            "{}",
            thematic::text::sanitize_for_terminal(&located.to_string())
        );
    }
}

/// `--format json`: the project, the counts and the problems.
fn print_json_report(
    dir: &Path,
    errors: usize,
    warnings: usize,
    problems: &[Problem],
) -> Result<(), CommandError> {
    print_json(&serde_json::json!({
        "project": dir.display().to_string(),
        "errors": errors,
        "warnings": warnings,
        "problems": problems,
    }))
}
