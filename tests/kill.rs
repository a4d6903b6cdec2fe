//! A kill -9 at any moment of a save leaves every file whole: the old version or the new one.
//!
//! The test runs itself again as a child process that saves in a loop (adding and undoing a
//! segment in a coding file of a few hundred segments, through the real `Workspace`), kills
//! it at a random moment, and then loads the project. Rounds: `THEMATIC_KILL_ROUNDS`
//! (default 25, as in CI; the long mode in README uses 1000).

use jiff::Timestamp;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use thematic::model::*;
use thematic::store::{self, Severity};
use thematic::workspace::Workspace;

const CHILD_ENV: &str = "THEMATIC_KILL_CHILD_PROJECT";
const BASE_SEGMENTS: usize = 400;

fn alex() -> CoderId {
    CoderId::new("alex").unwrap()
}

fn t1() -> TranscriptId {
    TranscriptId::new("t1").unwrap()
}

fn segment_at(project: &Project, code: &CodeId, start: usize) -> Segment {
    let text = project
        .transcript(&t1())
        .unwrap()
        .slice(start, start + 20)
        .unwrap()
        .to_string();
    Segment {
        id: SegmentId::random(),
        start,
        end: start + 20,
        codes: vec![code.clone()],
        text,
        created: Timestamp::now(),
        updated: None,
    }
}

fn build_project(dir: &Path) {
    let mut meta = ProjectMeta::new("Kill test");
    meta.coders.push(Coder {
        id: alex(),
        name: "Alex".into(),
    });
    let loaded = store::create(dir, meta).unwrap();
    let mut ws = Workspace::from_loaded(loaded.project, loaded.store);
    ws.store_mut().lock_coder(&alex()).unwrap();
    let text: String = (0..BASE_SEGMENTS + 10)
        .map(|i| format!("Participant 1: sentence number {i:05} about café 医生.\n"))
        .collect();
    let meta = TranscriptMeta {
        title: "t1".into(),
        participant: "Participant 1".into(),
        sha256: thematic::model::transcript::sha256_hex(&text),
        chars: text.chars().count(),
        ..Default::default()
    };
    ws.apply(Edit::AddTranscript(Box::new(Transcript::new(
        t1(),
        meta,
        text,
    ))))
    .unwrap();
    let code = Code::new("Code", Level::Code);
    let code_id = code.id.clone();
    ws.apply(Edit::AddCode {
        code,
        at: Position {
            parent: None,
            index: 0,
        },
    })
    .unwrap();
    let edits = (0..BASE_SEGMENTS)
        .map(|i| Edit::AddSegment {
            coder: alex(),
            transcript: t1(),
            segment: segment_at(ws.project(), &code_id, i * 40),
        })
        .collect();
    ws.apply(Edit::Batch {
        label: "base".into(),
        edits,
    })
    .unwrap();
}

/// The child: save forever.
fn save_in_a_loop(dir: &Path) -> ! {
    let (mut ws, _) = Workspace::open(dir, Some(&alex())).expect("child opens the project");
    let code = ws.project().codebook.walk()[0].1.id.clone();
    loop {
        let segment = segment_at(ws.project(), &code, 7);
        ws.apply(Edit::AddSegment {
            coder: alex(),
            transcript: t1(),
            segment,
        })
        .unwrap();
        ws.undo().unwrap();
    }
}

#[test]
fn kill_during_save_leaves_old_or_new_file() {
    if let Some(dir) = std::env::var_os(CHILD_ENV) {
        save_in_a_loop(Path::new(&dir));
    }
    let rounds: usize = std::env::var("THEMATIC_KILL_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(25);
    let dir = tempfile::tempdir().unwrap();
    build_project(dir.path());
    let mut with_leftover_temp = 0;
    // The child toggles between the count it found and one more; a kill between its add and
    // its undo leaves one more for the next round to start from.
    let mut expected = BASE_SEGMENTS;
    for round in 0..rounds {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "kill_during_save_leaves_old_or_new_file",
                "--nocapture",
            ])
            .env(CHILD_ENV, dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Vary the moment of the kill across the write cycle.
        std::thread::sleep(Duration::from_millis(30 + (round as u64 * 7919) % 120));
        child.kill().unwrap();
        child.wait().unwrap();
        let loaded = store::load(dir.path()).unwrap();
        let errors: Vec<String> = loaded
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .map(ToString::to_string)
            .collect();
        assert!(errors.is_empty(), "round {round}: {errors:#?}");
        let count = loaded.project.segments(&alex(), &t1()).len();
        assert!(
            count == expected || count == expected + 1,
            "round {round}: {count} segments, expected {expected} or one more"
        );
        expected = count;
        assert!(
            store::check::validate(&loaded.project).is_empty(),
            "round {round}"
        );
        if !loaded.problems.is_empty() {
            with_leftover_temp += 1;
            // Clean up as a user would after reading the warning.
            for p in &loaded.problems {
                std::fs::remove_file(dir.path().join(&p.path)).unwrap();
            }
        }
    }
    eprintln!(
        "{rounds} kills survived; {with_leftover_temp} left a temporary file behind (reported as a warning)"
    );
}
