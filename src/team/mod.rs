//! A team on one study, over git: setting a project's repository up so that thematic's files
//! merge by ids (the merge driver of [`crate::merge`]), running that driver, syncing
//! ([`sync`]), and the conflicts that remain: listing them in researcher terms and settling
//! them ([`resolve`]), including codes one side removed while the other side used them.

pub mod git;
pub mod summary;
pub mod sync;

use crate::merge::{self, Choices, ConflictRecord, FileKind, Side};
use crate::model::{CodeId, CoderId, Edit, Position};
use crate::store::files::CodebookFile;
use crate::store::{self, StoreError, atomic, files, lock};
use crate::workspace::{Workspace, WorkspaceError};
use git::Git;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    #[error("git is not installed (or not on PATH); install git to sync, then try again")]
    GitMissing,
    #[error("`{command}` failed: {message}")]
    Git { command: String, message: String },
    #[error("{0}")]
    Io(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error("{0}")]
    Refused(String),
}

fn io_error(path: &Path, e: std::io::Error) -> TeamError {
    TeamError::Io(format!("{}: {e}", path.display()))
}

/// The lines `.gitattributes` needs so that git merges thematic's files with thematic.
const ATTRIBUTES: &str =
    "# thematic merges its YAML files by ids (set up by `thematic sync`)\n*.yaml merge=thematic\n";

/// Makes `root` (a project folder) ready for a team: a git repository (created if there is
/// none), local state ignored, and thematic's merge driver registered. Returns whether the
/// repository was created.
pub fn set_up(root: &Path) -> Result<bool, TeamError> {
    let git = Git::new(root);
    let created = if git.succeeds(&["rev-parse", "--show-toplevel"])? {
        false
    } else {
        git.run(&["init", "-q"])?;
        true
    };
    ensure_lines(&root.join(".gitignore"), &format!("{}/\n", lock::LOCAL_DIR))?;
    ensure_lines(&root.join(".gitattributes"), ATTRIBUTES)?;
    register_driver(&git)?;
    Ok(created)
}

/// Registers the merge driver in the repository's configuration, pointing at this binary.
pub fn register_driver(git: &Git) -> Result<(), TeamError> {
    let exe = std::env::current_exe().map_err(|e| TeamError::Io(e.to_string()))?;
    let driver = format!(
        "{} merge-file %O %A %B %P",
        shell_quote(&exe.to_string_lossy())
    );
    let current = git
        .run(&["config", "--get", "merge.thematic.driver"])
        .unwrap_or_default();
    if current.trim() != driver {
        git.run(&["config", "merge.thematic.name", "thematic: merge by ids"])?;
        git.run(&["config", "merge.thematic.driver", &driver])?;
    }
    Ok(())
}

/// Whether the repository around `root` has the merge driver registered (cheap: one git call).
pub fn driver_registered(root: &Path) -> bool {
    Git::new(root)
        .succeeds(&["config", "--get", "merge.thematic.driver"])
        .unwrap_or(false)
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// Appends to `path` whichever of `lines` it lacks.
fn ensure_lines(path: &Path, lines: &str) -> Result<(), TeamError> {
    let mut text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(io_error(path, e)),
    };
    let missing: Vec<&str> = lines
        .lines()
        .filter(|l| !l.starts_with('#') && !text.lines().any(|have| have.trim() == l.trim()))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for line in lines.lines() {
        if line.starts_with('#') || missing.contains(&line) {
            text.push_str(line);
            text.push('\n');
        }
    }
    atomic::write_atomic(path, text.as_bytes()).map_err(|e| io_error(path, e))
}

/// The project folder holding `path` (a path from the current folder): the nearest
/// ancestor with a `thematic.yaml`.
pub fn project_root_of(path: &Path) -> Option<PathBuf> {
    let full = std::env::current_dir().ok()?.join(path);
    full.ancestors()
        .skip(1)
        .find(|dir| dir.join(files::PROJECT_FILE).is_file())
        .map(Path::to_path_buf)
}

/// What the merge driver did with one file.
#[derive(Debug)]
pub struct DriverOutcome {
    /// Conflicts left to settle, explained.
    pub conflicts: Vec<String>,
    pub notes: Vec<String>,
    /// The file could not be merged by ids (not one of thematic's, or damaged): it was
    /// merged as text, and this is why.
    pub as_text: Option<String>,
}

/// Git's merge driver: merges `base`, `mine` (`%A`, overwritten with the result) and `theirs`
/// for the file git calls `path`.
pub fn run_merge_driver(
    base: &Path,
    mine: &Path,
    theirs: &Path,
    path: &Path,
) -> Result<DriverOutcome, TeamError> {
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| io_error(p, e));
    let texts = (read(base), read(mine), read(theirs));
    let (Some(kind), (Ok(b), Ok(m), Ok(t))) = (FileKind::of(path), texts) else {
        return merge_as_text(
            base,
            mine,
            theirs,
            "not one of thematic's YAML files".into(),
        );
    };
    let merged = match merge::merge_texts(kind, &b, &m, &t, &Choices::default()) {
        Ok(merged) => merged,
        Err(e) => return merge_as_text(base, mine, theirs, e.to_string()),
    };
    std::fs::write(mine, merged.text.as_bytes()).map_err(|e| io_error(mine, e))?;
    let root = project_root_of(path);
    let rel = root
        .as_ref()
        .and_then(|r| {
            let full = std::env::current_dir().ok()?.join(path);
            full.strip_prefix(r).ok().map(Path::to_path_buf)
        })
        .unwrap_or_else(|| path.to_path_buf());
    let conflicts: Vec<String> = merged
        .clashes
        .iter()
        .filter(|c| c.chosen.is_none())
        .map(|c| merge::explain(c, "you", "the other side"))
        .collect();
    if let Some(root) = &root {
        let record_path = merge::record_path(root, &rel);
        if conflicts.is_empty() {
            let _ = std::fs::remove_file(&record_path);
        } else {
            let record = ConflictRecord {
                path: rel.clone(),
                kind,
                base: b,
                mine: m,
                theirs: t,
                clashes: merged.clashes.clone(),
                mine_name: None,
                theirs_name: None,
            };
            write_record(&record_path, &record)?;
        }
    }
    Ok(DriverOutcome {
        conflicts,
        notes: merged.notes,
        as_text: None,
    })
}

fn write_record(path: &Path, record: &ConflictRecord) -> Result<(), TeamError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    }
    let json = serde_json::to_string_pretty(record).map_err(|e| TeamError::Io(e.to_string()))?;
    atomic::write_atomic(path, json.as_bytes()).map_err(|e| io_error(path, e))
}

/// git's own line-by-line merge, for what cannot be merged by ids.
fn merge_as_text(
    base: &Path,
    mine: &Path,
    theirs: &Path,
    why: String,
) -> Result<DriverOutcome, TeamError> {
    let here = std::env::current_dir().map_err(|e| TeamError::Io(e.to_string()))?;
    let out = Git::new(&here).output(&[
        "merge-file",
        "-L",
        "mine",
        "-L",
        "base",
        "-L",
        "theirs",
        &mine.to_string_lossy(),
        &base.to_string_lossy(),
        &theirs.to_string_lossy(),
    ])?;
    let conflicts = match out.status.code() {
        Some(0) => Vec::new(),
        _ => vec!["the two sides changed the same lines".to_string()],
    };
    Ok(DriverOutcome {
        conflicts,
        notes: Vec::new(),
        as_text: Some(why),
    })
}

/// One conflict left to settle, numbered across the project.
#[derive(Debug, Clone)]
pub struct Open {
    pub number: usize,
    pub path: PathBuf,
    pub explanation: String,
}

/// The conflict records of files git still holds unmerged. A record of a merge that was
/// aborted (`git merge --abort`) or finished by other means is stale, and removed.
fn live_records(root: &Path) -> Vec<ConflictRecord> {
    let git = Git::new(root);
    merge::records(root)
        .into_iter()
        .filter(|record| {
            let path = record.path.to_string_lossy();
            let unmerged = git
                .lines(&["ls-files", "-u", "--", &path])
                .is_ok_and(|l| !l.is_empty());
            if !unmerged {
                let _ = std::fs::remove_file(merge::record_path(root, &record.path));
            }
            unmerged
        })
        .collect()
}

/// Every conflict left to settle in the project at `root`, explained.
pub fn open_conflicts(root: &Path) -> Vec<Open> {
    let mut out = Vec::new();
    for record in live_records(root) {
        let (mine, theirs) = record.names();
        for clash in record.clashes.iter().filter(|c| c.chosen.is_none()) {
            out.push(Open {
                number: out.len() + 1,
                path: record.path.clone(),
                explanation: merge::explain(clash, &mine, &theirs),
            });
        }
    }
    out
}

/// Names the two sides in every conflict record of the project (done by `sync`, which knows
/// who made the incoming changes).
pub fn name_sides(root: &Path, mine: &str, theirs: &str) -> Result<(), TeamError> {
    for mut record in live_records(root) {
        record.mine_name = Some(mine.to_string());
        record.theirs_name = Some(theirs.to_string());
        write_record(&merge::record_path(root, &record.path), &record)?;
    }
    Ok(())
}

/// Settles conflicts: `numbers` (as [`open_conflicts`] numbers them; empty: all) go `side`'s
/// way. Each file whose conflicts are all settled is written and marked resolved for git.
/// Returns how many conflicts were settled.
pub fn resolve(root: &Path, side: Side, numbers: &[usize]) -> Result<usize, TeamError> {
    let mut number = 0;
    let mut settled = 0;
    for mut record in live_records(root) {
        let mut choices = Choices::default();
        for clash in &record.clashes {
            let choice = match clash.chosen {
                Some(chosen) => Some(chosen),
                None => {
                    number += 1;
                    (numbers.is_empty() || numbers.contains(&number)).then(|| {
                        settled += 1;
                        side
                    })
                }
            };
            choices.each.push(choice);
        }
        let merged = merge::merge_texts(
            record.kind,
            &record.base,
            &record.mine,
            &record.theirs,
            &choices,
        )
        .map_err(|e| TeamError::Refused(format!("{}: {e}", record.path.display())))?;
        let target = root.join(&record.path);
        let record_path = merge::record_path(root, &record.path);
        atomic::write_atomic(&target, merged.text.as_bytes()).map_err(|e| io_error(&target, e))?;
        if merged.unsettled() == 0 {
            let git = Git::new(root);
            git.run(&["add", "--", &record.path.to_string_lossy()])?;
            std::fs::remove_file(&record_path).map_err(|e| io_error(&record_path, e))?;
        } else {
            record.clashes = merged.clashes;
            write_record(&record_path, &record)?;
        }
    }
    Ok(settled)
}

/// Codes that segments or memos use but the codebook no longer has (one side deleted or
/// merged a code while the other used it), with who used each where.
pub fn missing_codes(project: &crate::model::Project) -> BTreeMap<CodeId, Vec<String>> {
    let mut missing: BTreeMap<CodeId, Vec<String>> = BTreeMap::new();
    for (coder, transcript, segment) in project.all_segments() {
        for code in &segment.codes {
            if !project.codebook.contains(code) {
                let place = format!("{coder} in {transcript}");
                let uses = missing.entry(code.clone()).or_default();
                if !uses.contains(&place) {
                    uses.push(place);
                }
            }
        }
    }
    for memo in project.memos() {
        for link in &memo.links {
            if let crate::model::MemoLink::Code(code) = link
                && !project.codebook.contains(code)
            {
                missing
                    .entry(code.clone())
                    .or_default()
                    .push(format!("{}'s memo {:?}", memo.author, memo.title));
            }
        }
    }
    missing
}

/// A removed code as it last was in the history of the project's codebook, with its parent.
pub fn code_from_history(
    root: &Path,
    id: &CodeId,
) -> Result<Option<(crate::model::Code, Option<CodeId>)>, TeamError> {
    let git = Git::new(root);
    let spec = format!("./{}", files::CODEBOOK_FILE);
    let commits = git.lines(&["log", "--format=%H", "-n", "200", "--", &spec])?;
    for commit in commits {
        let Ok(text) = git.run(&["show", &format!("{commit}:{spec}")]) else {
            continue;
        };
        let Ok(file) = store::yaml::parse::<CodebookFile>(&text) else {
            continue;
        };
        let (book, _) = file.into_codebook();
        if let Some(code) = book.get(id) {
            return Ok(Some((code.clone(), book.parent(id).cloned())));
        }
    }
    Ok(None)
}

/// Puts back every code that is used but missing, as it last was, under its old parent if
/// that is still there (else at the top level). Returns the names restored.
pub fn restore_missing_codes(root: &Path, coder: &CoderId) -> Result<Vec<String>, TeamError> {
    let (mut workspace, _) = Workspace::open(root, Some(coder))?;
    let missing = missing_codes(workspace.project());
    let mut restored = Vec::new();
    for id in missing.keys() {
        let Some((code, parent)) = code_from_history(root, id)? else {
            return Err(TeamError::Refused(format!(
                "code {id} is used but was never in this repository's codebook; recode its segments"
            )));
        };
        let book = &workspace.project().codebook;
        let parent = parent.filter(|p| book.contains(p));
        let mut code = code;
        if book
            .check_name_free(parent.as_ref(), &code.name, None)
            .is_err()
        {
            code.name = format!("{} (restored)", code.name);
        }
        let index = book.children(parent.as_ref()).len();
        restored.push(code.name.clone());
        workspace.apply(Edit::AddCode {
            code,
            at: Position { parent, index },
        })?;
    }
    Ok(restored)
}

/// Git's conflict markers left in any file of the project (not in `.git` or local state):
/// one problem per file, at the first marker's line.
pub fn conflict_markers(root: &Path) -> Vec<store::Problem> {
    let mut files = Vec::new();
    walk_project(root, root, &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|rel| {
            let bytes = std::fs::read(root.join(&rel)).ok()?;
            let line = merge::conflict_marker_line(&String::from_utf8_lossy(&bytes))?;
            let message = format!(
                "unresolved git merge conflict in {} at line {line}: git left its conflict markers (<<<<<<<) here; if it is one of thematic's files, abort with `git merge --abort` and sync again with thematic set up (`thematic sync`), or keep one side with `git checkout --ours|--theirs -- {}`",
                rel.display(),
                rel.display()
            );
            Some(store::Problem::error(&rel, message).at(Some(line), None))
        })
        .collect()
}

fn walk_project(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name == ".git" || name == lock::LOCAL_DIR {
            continue;
        }
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk_project(root, &path, out),
            Ok(t) if t.is_file() => {
                let small = entry
                    .metadata()
                    .is_ok_and(|m| m.len() <= store::MAX_TEXT_BYTES);
                if small && let Ok(rel) = path.strip_prefix(root) {
                    out.push(rel.to_path_buf());
                }
            }
            _ => {}
        }
    }
}

/// The conflicts a merge left to settle, as problems `check` reports.
pub fn unsettled_problems(root: &Path) -> Vec<store::Problem> {
    open_conflicts(root)
        .into_iter()
        .map(|o| {
            store::Problem::error(
                &o.path,
                format!(
                    "unsettled merge conflict {}: {}; settle it with `thematic resolve DIR --keep mine|theirs --conflict {}`",
                    o.number, o.explanation, o.number
                ),
            )
        })
        .collect()
}

/// For a project whose `.gitattributes` asks for thematic's merge driver (a fresh clone of a
/// team's study), registers the driver in the repository if it is not yet: then even a plain
/// `git pull` merges by ids. Quietly does nothing without git.
pub fn register_if_needed(root: &Path) {
    let wants = std::fs::read_to_string(root.join(".gitattributes"))
        .is_ok_and(|t| t.lines().any(|l| l.contains("merge=thematic")));
    if wants && !driver_registered(root) {
        let _ = register_driver(&Git::new(root));
    }
}
