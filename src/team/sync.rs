//! `thematic sync`: the one command a coder needs to work with a team. It sets the
//! repository up on first use, commits this coder's changes with a message that says what
//! changed, fetches, merges (thematic's files by ids), checks the result and pushes. It stops
//! before pushing when something needs a person: a true conflict, a code one side removed
//! while the other used it, or a project that no longer checks clean.

use super::git::{Git, said};
use super::summary::{self, Change};
use super::{Open, TeamError, missing_codes, name_sides, open_conflicts, set_up};
use crate::model::CoderId;
use crate::store::{self, Severity, check};
use std::path::Path;
use std::time::{Duration, Instant};

/// How a sync ended.
#[derive(Debug)]
pub enum SyncEnd {
    /// Everything is shared: the remote has this clone's work and this clone the remote's.
    Pushed,
    /// The work is committed; there is no remote to share it through yet.
    NoRemote,
    /// A merge left conflicts to settle; nothing was pushed.
    Conflicts(Vec<Open>),
    /// Codes used on one side were removed on the other; nothing was pushed.
    MissingCodes(Vec<String>),
    /// The merged project does not check clean; nothing was pushed.
    Problems(Vec<String>),
}

#[derive(Debug)]
pub struct SyncReport {
    pub created_repository: bool,
    /// The message of the commit of this coder's changes, if there were any.
    pub committed: Option<String>,
    /// What came in from others, one line per change they synced.
    pub incoming: Vec<String>,
    /// Adjustments the merge made on its own (a code renamed "Name (2)").
    pub notes: Vec<String>,
    pub remote: Option<String>,
    /// Time spent merging (git with thematic's merge driver) and checking the result.
    pub merge_time: Duration,
    pub check_time: Duration,
    pub end: SyncEnd,
}

/// Syncs the project at `root` as `coder`.
pub fn sync(root: &Path, coder: &CoderId, message: Option<&str>) -> Result<SyncReport, TeamError> {
    if !root.join(store::files::PROJECT_FILE).is_file() {
        return Err(TeamError::Store(store::StoreError::NotAProject(
            root.to_path_buf(),
        )));
    }
    let created_repository = set_up(root)?;
    let git = Git::new(root);
    let mut report = SyncReport {
        created_repository,
        committed: None,
        incoming: Vec::new(),
        notes: Vec::new(),
        remote: None,
        merge_time: Duration::ZERO,
        check_time: Duration::ZERO,
        end: SyncEnd::NoRemote,
    };
    let merging = git.succeeds(&["rev-parse", "-q", "--verify", "MERGE_HEAD"])?;
    if merging {
        if let Some(open) = still_conflicted(&git)? {
            report.end = SyncEnd::Conflicts(open);
            return Ok(report);
        }
        report.end = check_merged(root, &mut report.check_time)?.unwrap_or(SyncEnd::Pushed);
        if !matches!(report.end, SyncEnd::Pushed) {
            return Ok(report);
        }
    }
    report.committed = commit_own_work(&git, coder, message, merging)?;
    let Some(remote) = remote_of(&git)? else {
        return Ok(report);
    };
    report.remote = Some(remote.clone());
    let branch = git
        .run(&["symbolic-ref", "--short", "HEAD"])?
        .trim()
        .to_string();
    let theirs = format!("{remote}/{branch}");
    // Someone may push between our fetch and our push: fetch and merge again, a few times.
    for _ in 0..4 {
        git.run(&["fetch", "-q", &remote])?;
        let remote_has_branch = git.succeeds(&[
            "rev-parse",
            "-q",
            "--verify",
            &format!("refs/remotes/{theirs}"),
        ])?;
        if remote_has_branch {
            let incoming = git.lines(&[
                "log",
                "--no-merges",
                "--format=%s",
                &format!("HEAD..{theirs}"),
            ])?;
            if !incoming.is_empty() {
                let started = Instant::now();
                let out = git.output(&["merge", "--no-edit", "-q", &theirs])?;
                report.merge_time += started.elapsed();
                report.notes.extend(driver_notes(&out));
                if !out.status.success() {
                    if still_conflicted(&git)?.is_some() {
                        name_sides(root, coder.as_str(), &who(&incoming))?;
                        let open = still_conflicted(&git)?.unwrap_or_default();
                        report.end = SyncEnd::Conflicts(open);
                        report.incoming.extend(incoming);
                        return Ok(report);
                    }
                    return Err(TeamError::Git {
                        command: format!("git merge {theirs}"),
                        message: said(&out),
                    });
                }
                report.incoming.extend(incoming);
                if let Some(end) = check_merged(root, &mut report.check_time)? {
                    report.end = end;
                    return Ok(report);
                }
            }
        }
        let out = git.output(&[
            "push",
            "-q",
            "-u",
            &remote,
            &format!("HEAD:refs/heads/{branch}"),
        ])?;
        if out.status.success() {
            report.end = SyncEnd::Pushed;
            return Ok(report);
        }
        let message = said(&out);
        if !(message.contains("rejected") || message.contains("fetch first")) {
            return Err(TeamError::Git {
                command: format!("git push {remote} {branch}"),
                message,
            });
        }
    }
    Err(TeamError::Refused(
        "others kept pushing while this sync ran; run thematic sync again".into(),
    ))
}

/// The files git still marks conflicted, if any: thematic's own conflicts (explained) first,
/// then any file git merged line by line with conflict markers.
fn still_conflicted(git: &Git) -> Result<Option<Vec<Open>>, TeamError> {
    let unmerged = git.lines(&["diff", "--name-only", "--diff-filter=U", "--relative"])?;
    if unmerged.is_empty() {
        return Ok(None);
    }
    let mut open = open_conflicts(git.dir());
    for path in unmerged {
        if !open.iter().any(|o| o.path.to_string_lossy() == path) {
            open.push(Open {
                number: 0,
                path: path.into(),
                explanation: "git could not merge this file by ids and left conflict markers in it; see `thematic check`".into(),
            });
        }
    }
    Ok(Some(open))
}

/// Who made the incoming changes: the coder ids that begin sync's commit messages.
fn who(subjects: &[String]) -> String {
    let mut names: Vec<&str> = subjects
        .iter()
        .filter_map(|s| s.split_once(": ").map(|(who, _)| who))
        .filter(|w| CoderId::new(*w).is_ok())
        .collect();
    names.sort();
    names.dedup();
    match names.as_slice() {
        [] => "the other side".into(),
        [one] => one.to_string(),
        many => many.join(" and "),
    }
}

/// Lines the merge driver printed for the user.
fn driver_notes(out: &std::process::Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("thematic: note: "))
        .map(str::to_string)
        .collect()
}

/// Commits everything changed in the project folder; returns the message, if anything was.
fn commit_own_work(
    git: &Git,
    coder: &CoderId,
    message: Option<&str>,
    concluding_merge: bool,
) -> Result<Option<String>, TeamError> {
    git.run(&["add", "-A", "--", "."])?;
    let staged = !git.succeeds(&["diff", "--cached", "--quiet", "--", "."])?;
    if !staged && !concluding_merge {
        return Ok(None);
    }
    let text = match message {
        Some(m) => format!("{coder}: {m}"),
        // What a concluded merge brings in is the others' work, already described by them.
        None if concluding_merge => format!("{coder}: merged the team's work, conflicts settled"),
        None => {
            let words = summary::describe(&staged_changes(git)?);
            let words = if words.is_empty() {
                "synced".to_string()
            } else {
                words
            };
            format!("{coder}: {words}")
        }
    };
    git.run(&["commit", "-q", "-m", &text])?;
    Ok(Some(text))
}

/// The staged changes of the project folder, with each file's text before and after.
fn staged_changes(git: &Git) -> Result<Vec<Change>, TeamError> {
    let has_head = git.succeeds(&["rev-parse", "-q", "--verify", "HEAD"])?;
    let names = git.run(&[
        "diff",
        "--cached",
        "--name-only",
        "--relative",
        "-z",
        "--",
        ".",
    ])?;
    let mut changes = Vec::new();
    for path in names.split('\0').filter(|p| !p.is_empty()) {
        let wanted = path.ends_with(".yaml") || path.ends_with(".txt");
        if !wanted {
            continue;
        }
        let before = if has_head {
            git.run(&["show", &format!("HEAD:./{path}")]).ok()
        } else {
            None
        };
        // Only whether a transcript's text is new matters, not its content.
        let after = if path.ends_with(".txt") {
            git.dir().join(path).exists().then(String::new)
        } else {
            std::fs::read_to_string(git.dir().join(path)).ok()
        };
        let before = if path.ends_with(".txt") {
            before.map(|_| String::new())
        } else {
            before
        };
        changes.push(Change {
            path: path.to_string(),
            before,
            after,
        });
    }
    Ok(changes)
}

/// The remote to sync with: the branch's upstream's, else `origin`, else the only one.
fn remote_of(git: &Git) -> Result<Option<String>, TeamError> {
    if let Ok(upstream) = git.run(&["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"])
        && let Some((remote, _)) = upstream.trim().split_once('/')
    {
        return Ok(Some(remote.to_string()));
    }
    let remotes = git.lines(&["remote"])?;
    if remotes.iter().any(|r| r == "origin") {
        return Ok(Some("origin".into()));
    }
    Ok(remotes.into_iter().next())
}

/// Checks the merged project; `Some` says why it must not be pushed.
fn check_merged(root: &Path, spent: &mut Duration) -> Result<Option<SyncEnd>, TeamError> {
    let started = Instant::now();
    let loaded = store::load(root)?;
    let missing = missing_codes(&loaded.project);
    let mut problems = loaded.problems;
    problems.extend(check::validate(&loaded.project));
    *spent += started.elapsed();
    if !missing.is_empty() {
        let lines = missing
            .iter()
            .map(|(id, uses)| {
                let name = super::code_from_history(root, id)
                    .ok()
                    .flatten()
                    .map_or_else(|| id.to_string(), |(c, _)| format!("{:?}", c.name));
                format!(
                    "the code {name} was deleted (or merged into another) on one side while the other side used it: {}",
                    uses.join(", ")
                )
            })
            .collect();
        return Ok(Some(SyncEnd::MissingCodes(lines)));
    }
    let errors: Vec<String> = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(ToString::to_string)
        .collect();
    Ok((!errors.is_empty()).then_some(SyncEnd::Problems(errors)))
}
