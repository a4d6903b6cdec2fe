//! Files you can trust (issue 16), through the library: modes never widen, the audit trail
//! names only saved changes (on a real full disk), and writes never leave the project.

mod common;

use jiff::Timestamp;
use std::fs;
use std::os::unix::fs::PermissionsExt;
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
        let _ = Command::new("umount").arg(&self.0).status();
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
