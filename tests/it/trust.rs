//! Files you can trust (issue 16), through the library: modes never widen, the audit trail
//! names only saved changes (on a real full disk), and writes never leave the project.

use crate::common::{self, command as thematic};

use jiff::Timestamp;
use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use thematic::model::*;
use thematic::store;
use thematic::workspace::Workspace;

fn coder(id: &str) -> CoderId {
    CoderId::new(id).unwrap()
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn set_mode(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

fn new_code(ws: &mut Workspace, name: &str) -> Result<CodeId, thematic::workspace::WorkspaceError> {
    let code = Code::new(name, Level::Code);
    let id = code.id.clone();
    ws.apply(Edit::AddCode {
        code,
        at: Position {
            parent: None,
            index: 0,
        },
    })?;
    Ok(id)
}

fn segment_in(ws: &Workspace, t: &TranscriptId, code: &CodeId) -> Segment {
    let text = ws.project().transcript(t).unwrap().slice(0, 10).unwrap();
    Segment {
        id: SegmentId::random(),
        start: 0,
        end: 10,
        codes: vec![code.clone()],
        text: text.to_string(),
        created: Timestamp::now(),
        updated: None,
    }
}

#[test]
fn modes_never_widen_through_saves() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("study");
    common::copy_sample(&project);
    set_mode(&project.join("thematic.yaml"), 0o640);
    set_mode(&project.join("codebook.yaml"), 0o640);
    let mut alex_files: Vec<PathBuf> = fs::read_dir(project.join("codings/alex"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    alex_files.sort();
    // One transcript left uncoded, so a new coding file is made below.
    let removed = alex_files.pop().unwrap();
    fs::remove_file(&removed).unwrap();
    for file in &alex_files {
        set_mode(file, 0o600);
    }
    let (mut ws, _) = Workspace::open(&project, Some(&coder("alex"))).unwrap();
    // A rewrite keeps the file's mode.
    let code = new_code(&mut ws, "Agreed at the team meeting").unwrap();
    assert_eq!(mode(&project.join("codebook.yaml")), 0o640);
    // A coding file alex did not have yet takes the mode of alex's other coding files.
    let stem = removed.file_stem().unwrap().to_str().unwrap();
    let uncoded = TranscriptId::new(stem).unwrap();
    let segment = segment_in(&ws, &uncoded, &code);
    ws.apply(Edit::AddSegment {
        coder: coder("alex"),
        transcript: uncoded.clone(),
        segment,
    })
    .unwrap();
    assert_eq!(
        mode(&project.join(format!("codings/alex/{uncoded}.yaml"))),
        0o600
    );
    // A new kind of file (the first audit trail) takes thematic.yaml's mode.
    assert_eq!(mode(&project.join("audit/alex.yaml")), 0o640);
}

/// Mounts a small tmpfs at `at` for as long as the value lives, or says why it cannot.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        fs::create_dir_all(at).unwrap();
        let status = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size}"),
                "thematic-test",
            ])
            .arg(at)
            .status();
        match status {
            Ok(s) if s.success() => Some(Tmpfs(at.to_path_buf())),
            _ => {
                eprintln!("SKIPPED: cannot mount a tmpfs here (needs root and mount rights)");
                None
            }
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Writes zeros into `path` until the file system is full.
fn fill(path: &Path) {
    use std::io::Write;
    let mut file = fs::File::create(path).unwrap();
    let block = vec![0u8; 64 * 1024];
    while file.write_all(&block).is_ok() {}
    let _ = file.write_all(&[0]);
    let _ = file.sync_all();
}

#[test]
fn on_a_full_disk_the_audit_names_only_saved_changes() {
    let dir = tempfile::tempdir().unwrap();
    let Some(mount) = Tmpfs::mount(&dir.path().join("disk"), "4m") else {
        return;
    };
    let project = mount.0.join("study");
    common::copy_sample(&project);
    let (mut ws, _) = Workspace::open(&project, Some(&coder("alex"))).unwrap();
    new_code(&mut ws, "Saved first").unwrap();
    fill(&mount.0.join("filler"));

    let err = new_code(&mut ws, "Never saved").unwrap_err();
    assert!(err.kept(), "{err}");
    let audit = fs::read_to_string(project.join("audit/alex.yaml")).unwrap();
    assert!(audit.contains("Saved first"), "{audit}");
    assert!(!audit.contains("Never saved"), "{audit}");
    assert_eq!(ws.pending_audit().count(), 1);
    let reloaded = store::load(&project).unwrap();
    assert!(
        !fs::read_to_string(project.join("codebook.yaml"))
            .unwrap()
            .contains("Never saved")
    );
    assert!(
        reloaded
            .problems
            .iter()
            .all(|p| !p.message.contains("Never saved"))
    );

    // Space again: the retry saves the code, and only then is it in the audit trail.
    fs::remove_file(mount.0.join("filler")).unwrap();
    ws.retry_saves().unwrap();
    assert!(
        fs::read_to_string(project.join("codebook.yaml"))
            .unwrap()
            .contains("Never saved")
    );
    let audit = fs::read_to_string(project.join("audit/alex.yaml")).unwrap();
    assert!(audit.contains("Never saved"), "{audit}");
    drop(ws);
}

/// Runs `thematic export PROJECT --to FORMAT OUT` through `sh -c` (for redirections):
/// (exit status, stdout, stderr).
fn export_via_shell(project: &Path, format: &str, out: &str, redirect: &str) -> (i32, String) {
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' export '{}' --to {format} {out} {redirect}",
            common::run::BIN,
            project.display()
        ))
        .env("THEMATIC_CONFIG_DIR", common::run::no_config())
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn export(project: &Path, format: &str, out: &Path) -> (i32, String) {
    let output = thematic()
        .args(["export"])
        .arg(project)
        .args(["--to", format])
        .arg(out)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr),
    )
}

/// Every file under `dir` and its bytes.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut all = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap().flatten() {
            let file_type = entry.file_type().unwrap();
            if file_type.is_dir() {
                stack.push(entry.path());
            } else if file_type.is_file() {
                all.insert(entry.path(), fs::read(entry.path()).unwrap());
            }
        }
    }
    all
}

#[test]
fn exports_never_clobber_the_project_and_respect_what_is_at_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("study");
    common::copy_sample(&project);
    fs::create_dir_all(project.join(".thematic")).unwrap();
    let before = snapshot(&project);

    // Each of the project's own files, and its local folder: refused, nothing changed.
    let mut own: Vec<PathBuf> = before.keys().cloned().collect();
    own.push(project.join(".thematic/out.csv"));
    for target in &own {
        let (code, said) = export(&project, "markdown", target);
        assert_eq!(code, 2, "{}: {said}", target.display());
        assert!(said.contains("write the export somewhere else"), "{said}");
    }
    // Also through a hard link and a symbolic link to a project file.
    let hard = dir.path().join("hard.yaml");
    fs::hard_link(project.join("codebook.yaml"), &hard).unwrap();
    let soft = dir.path().join("soft.yaml");
    std::os::unix::fs::symlink(project.join("thematic.yaml"), &soft).unwrap();
    for target in [&hard, &soft] {
        let (code, said) = export(&project, "csv", target);
        assert_eq!(code, 2, "{said}");
    }
    assert!(snapshot(&project) == before, "the project is unchanged");
    assert_eq!(store::load(&project).unwrap().problems, vec![]);

    // A missing folder is named.
    let (code, said) = export(&project, "csv", &dir.path().join("nowhere/out.csv"));
    assert_eq!(code, 2);
    assert!(said.contains("does not exist"), "{said}");

    // A 0600 file stays 0600.
    let private = dir.path().join("private.html");
    fs::write(&private, "old").unwrap();
    set_mode(&private, 0o600);
    assert_eq!(export(&project, "html", &private).0, 0);
    assert_eq!(mode(&private), 0o600);
    assert!(fs::read_to_string(&private).unwrap().contains("<html"));

    // A symbolic link stays a link and its target gets the export.
    let real = dir.path().join("real.csv");
    fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink("real.csv", &link).unwrap();
    assert_eq!(export(&project, "csv", &link).0, 0);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::read_to_string(&real)
            .unwrap()
            .starts_with("transcript,")
    );

    // A hard link is not split: both names see the export.
    let other_name = dir.path().join("other.csv");
    fs::hard_link(&real, &other_name).unwrap();
    assert_eq!(export(&project, "qdc", &real).0, 0);
    assert_eq!(fs::read(&real).unwrap(), fs::read(&other_name).unwrap());
    assert!(
        fs::read_to_string(&other_name)
            .unwrap()
            .contains("<CodeBook")
    );

    // A FIFO with a reader is written into, not replaced.
    let fifo = dir.path().join("pipe");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(&fifo).unwrap())
    };
    let (code, said) = export(&project, "csv", &fifo);
    assert_eq!(code, 0, "{said}");
    let streamed = reader.join().unwrap();
    assert!(streamed.starts_with(b"transcript,"));
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());

    // Standard output closed or full: exit 2, "standard output: ...". The full and null
    // devices are made here (as root), not taken from /dev.
    let full = dir.path().join("full");
    let null = dir.path().join("null");
    let devices = [(&full, "7"), (&null, "3")].iter().all(|(path, minor)| {
        Command::new("mknod")
            .arg(path)
            .args(["c", "1", minor])
            .status()
            .is_ok_and(|s| s.success())
    });
    let mut redirects = vec![">&-".to_string()];
    if devices {
        redirects.push(format!("> '{}'", full.display()));
        assert_eq!(
            export_via_shell(&project, "csv", "-", &format!("> '{}'", null.display())).0,
            0,
            "a null device is a fine standard output"
        );
    } else {
        eprintln!("SKIPPED the full-device case: mknod is not allowed here");
    }
    for redirect in &redirects {
        let (code, said) = export_via_shell(&project, "csv", "-", redirect);
        assert_eq!(code, 2, "{redirect}: {said}");
        assert!(said.contains("standard output: "), "{redirect}: {said}");
    }
    // A full standard output is an error for a table too.
    if devices {
        let output = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "'{}' stats '{}' > '{}'",
                common::run::BIN,
                project.display(),
                full.display()
            ))
            .env("THEMATIC_CONFIG_DIR", common::run::no_config())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&output.stderr).contains("standard output: "));
    }
    assert!(snapshot(&project) == before, "the project is unchanged");
}

#[test]
fn an_edit_hidden_behind_a_restored_mtime_is_noticed_and_a_touch_is_not_an_edit() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("study");
    common::copy_sample(&project);
    let (mut ws, _) = Workspace::open(&project, Some(&coder("alex"))).unwrap();
    let codebook = project.join("codebook.yaml");

    // A touch changes the times but not the content: saving goes ahead.
    let file = fs::File::options().write(true).open(&codebook).unwrap();
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .unwrap();
    drop(file);
    new_code(&mut ws, "After a touch").unwrap();

    // A same-size edit with its modification time put back, as `cp -p` or a restore does.
    let before = fs::metadata(&codebook).unwrap().modified().unwrap();
    let text = fs::read_to_string(&codebook).unwrap();
    let edited = text.replacen("After a touch", "After a TOUCH", 1);
    assert_eq!(edited.len(), text.len());
    fs::write(&codebook, &edited).unwrap();
    let file = fs::File::options().write(true).open(&codebook).unwrap();
    file.set_modified(before).unwrap();
    drop(file);
    assert_eq!(fs::metadata(&codebook).unwrap().modified().unwrap(), before);

    let err = new_code(&mut ws, "Would overwrite the edit").unwrap_err();
    assert!(err.to_string().contains("changed by someone else"), "{err}");
    assert_eq!(fs::read_to_string(&codebook).unwrap(), edited);
}

/// The line numbers (0-based) of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in:\n{text}"))
}

#[test]
fn hand_written_comments_survive_a_rename_a_move_and_a_new_code() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("study");
    common::copy_sample(&project);
    let codebook = project.join("codebook.yaml");
    let settings = project.join("thematic.yaml");
    let child = "c-ba96eccd62c6";
    let text = fs::read_to_string(&codebook).unwrap();
    let text = text.replacen(
        &format!("  - id: {child}"),
        &format!("  # agreed at the team meeting\n  - id: {child}"),
        1,
    );
    let text = text.replacen(
        "  name: Culture\n",
        "  name: Culture  # the broadest theme\n",
        1,
    );
    fs::write(&codebook, format!("# Wellbeing study codebook\n{text}")).unwrap();
    let meta = fs::read_to_string(&settings).unwrap();
    fs::write(
        &settings,
        meta.replacen("- id: sam\n", "# Sam joined in March\n- id: sam\n", 1),
    )
    .unwrap();

    let (mut ws, problems) = Workspace::open(&project, Some(&coder("alex"))).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let id = ws
        .project()
        .codebook
        .walk()
        .iter()
        .map(|(_, c)| c.id.clone())
        .find(|c| c.as_str() == child)
        .unwrap();
    let comment_above_child = |what: &str| {
        let book = fs::read_to_string(&codebook).unwrap();
        let comment = line_of(&book, "# agreed at the team meeting");
        assert_eq!(
            comment + 1,
            line_of(&book, &format!("id: {child}")),
            "{what}:\n{book}"
        );
        assert!(book.starts_with("# Wellbeing study codebook\n"), "{what}");
        assert!(
            book.contains("name: Culture  # the broadest theme\n"),
            "{what}"
        );
        book
    };

    // Rename.
    let before = ws.project().codebook.get(&id).unwrap().clone();
    let mut after = before.clone();
    after.name = "Shared values, renamed".into();
    ws.apply(Edit::UpdateCode { before, after }).unwrap();
    comment_above_child("rename");
    // Move to the top level (a different indentation).
    let from = ws.project().codebook.position(&id).unwrap();
    ws.apply(Edit::MoveCode {
        id: id.clone(),
        from,
        to: Position {
            parent: None,
            index: 0,
        },
    })
    .unwrap();
    let book = comment_above_child("move");
    assert!(
        book.contains("# agreed at the team meeting\n- id: c-ba96eccd62c6"),
        "{book}"
    );
    // A new code.
    new_code(&mut ws, "Brand new").unwrap();
    comment_above_child("new code");
    // thematic.yaml rewritten (a coder added): its comment stays above sam.
    let mut meta = ws.project().meta.clone();
    meta.coders.push(Coder {
        id: coder("kim"),
        name: "Kim".into(),
    });
    ws.apply(Edit::UpdateProject {
        before: Box::new(ws.project().meta.clone()),
        after: Box::new(meta),
    })
    .unwrap();
    let written = fs::read_to_string(&settings).unwrap();
    assert_eq!(
        line_of(&written, "# Sam joined in March") + 1,
        line_of(&written, "id: sam"),
        "{written}"
    );
    assert!(written.contains("id: kim"));
    // The files still read cleanly, comments and all.
    assert_eq!(store::load(&project).unwrap().problems, vec![]);
}

#[test]
fn comments_that_will_not_be_kept_are_reported_before_they_are_lost() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("study");
    common::copy_sample(&project);
    let coding = project.join("codings/alex/p01.yaml");
    let text = fs::read_to_string(&coding).unwrap();
    fs::write(&coding, format!("# my own note\n{text}")).unwrap();
    let loaded = store::load(&project).unwrap();
    let warning = loaded
        .problems
        .iter()
        .find(|p| p.path == Path::new("codings/alex/p01.yaml"))
        .expect("the comment is reported");
    assert!(warning.message.contains("will not be kept"), "{warning}");
    assert_eq!(warning.line, Some(1));
}

/// `thematic check PROJECT`: (exit status, stdout).
fn check(project: &Path) -> (Option<i32>, String) {
    let out = thematic().arg("check").arg(project).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn an_unreadable_codebook_is_one_root_cause_and_one_summary_not_a_cascade() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("study");
    common::copy_sample(&project);
    let codebook = project.join("codebook.yaml");
    let text = fs::read_to_string(&codebook).unwrap();
    fs::write(
        &codebook,
        text.replacen("  level: theme", "  level: [oops", 1),
    )
    .unwrap();
    let (code, report) = check(&project);
    assert_eq!(code, Some(1));
    let codebook_lines: Vec<&str> = report
        .lines()
        .filter(|l| l.contains("codebook.yaml"))
        .collect();
    assert!(
        codebook_lines
            .iter()
            .any(|l| l.contains("codebook.yaml:5:")),
        "the root cause with line and column:\n{report}"
    );
    assert!(
        report.contains("segment(s) refer to codes in the unreadable codebook.yaml"),
        "{report}"
    );
    assert!(report.lines().count() < 12, "no cascade:\n{report}");
    assert!(!report.contains("which is not in the codebook"), "{report}");
}

#[test]
fn a_segment_ending_before_it_starts_is_described_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("study");
    common::copy_sample(&project);
    let coding = project.join("codings/alex/p01.yaml");
    let text = fs::read_to_string(&coding).unwrap();
    let start = text.find("  start: ").unwrap();
    let line_end = start + text[start..].find('\n').unwrap();
    let text = format!("{}  start: 999999{}", &text[..start], &text[line_end..]);
    fs::write(&coding, text).unwrap();
    let (code, report) = check(&project);
    assert_eq!(code, Some(1));
    assert!(report.contains("ends before it starts (end "), "{report}");
    assert!(!report.contains("outside the"), "{report}");
}
