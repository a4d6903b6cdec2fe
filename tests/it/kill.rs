//! A kill -9 at any moment of a save leaves every file whole: the old version or the new one.
//!
//! The test runs itself again as a child process that saves in a loop (adding and undoing a
//! segment in a coding file of a few hundred segments, through the real `Workspace`), kills
//! it at a random moment, and then loads the project. Rounds: `THEMATIC_KILL_ROUNDS`
//! (default 25, as in CI; the long mode in README uses 1000).

use crate::common::{self, ProjectBuilder};
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
    let text: String = (0..BASE_SEGMENTS + 10)
        .map(|i| format!("Participant 1: sentence number {i:05} about café 医生.\n"))
        .collect();
    let meta = TranscriptMeta {
        title: "t1".into(),
        participant: "Participant 1".into(),
        ..Default::default()
    };
    let code = Code::new("Code", Level::Code);
    let code_id = code.id.clone();
    let mut ws = ProjectBuilder::new("Kill test")
        .coder("alex", "Alex")
        .transcript(common::transcript("t1", meta, &text))
        .code(code, None)
        .create(dir);
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

/// This test's name as the test binary lists it (its module path, without the binary's
/// name), for the child to run exactly it; checked against the binary's own list, since a
/// child that matched no test would save nothing and every round would pass.
fn save_loop_test_name() -> String {
    let module = module_path!()
        .split_once("::")
        .map_or(module_path!(), |(_, module)| module);
    let name = format!("{module}::kill_during_save_leaves_old_or_new_file");
    let listed = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", &name, "--list"])
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.lines().any(|line| line == format!("{name}: test")),
        "the test binary does not list {name}:\n{listed}"
    );
    name
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
    let this_test = save_loop_test_name();
    let dir = tempfile::tempdir().unwrap();
    build_project(dir.path());
    let mut with_leftover_temp = 0;
    // The child toggles between the count it found and one more; a kill between its add and
    // its undo leaves one more for the next round to start from.
    let mut expected = BASE_SEGMENTS;
    for round in 0..rounds {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", &this_test, "--nocapture"])
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

/// The real binary (`thematic dev edit-stream`) adding, recoding and removing segments across
/// three transcripts, killed with SIGKILL at a random moment, over and over: after every kill
/// each file parses, `thematic check` finds no error, and every edit the binary reported as
/// saved is on disk (the one edit in flight at the kill may or may not be).
#[test]
fn the_binary_killed_mid_stream_keeps_every_saved_edit() {
    use std::collections::BTreeMap;
    use std::io::BufRead;
    let rounds: usize = std::env::var("THEMATIC_KILL_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(25);
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("study");
    let out = crate::common::command()
        .args([
            "dev",
            "generate",
            &project.display().to_string(),
            "--scale",
            "0.02",
            "--words",
            "1500",
            "--segments",
            "30",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    // What the project must hold: (transcript, segment) -> code, from the saved lines.
    let mut expected: BTreeMap<(String, String), String> = BTreeMap::new();
    let loaded = store::load(&project).unwrap();
    for (coder, t, s) in loaded.project.all_segments() {
        if coder == &alex() {
            expected.insert((t.to_string(), s.id.to_string()), s.codes[0].to_string());
        }
    }
    let mut edits_saved = 0;
    let mut in_flight_seen = 0;
    for round in 0..rounds {
        let mut child = crate::common::command()
            .args([
                "--coder",
                "alex",
                "dev",
                "edit-stream",
                &project.display().to_string(),
                "--seed",
                &round.to_string(),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<String>>()
        });
        std::thread::sleep(Duration::from_millis(20 + (round as u64 * 7919) % 150));
        child.kill().unwrap();
        child.wait().unwrap();
        let lines = reader.join().unwrap();
        let apply = |model: &mut BTreeMap<(String, String), String>, line: &str| {
            let parts: Vec<&str> = line.split(' ').collect();
            let [op, t, id, code] = parts[..] else {
                panic!("unexpected line {line:?}");
            };
            let key = (t.to_string(), id.to_string());
            match op {
                "add" | "update" => {
                    model.insert(key, code.to_string());
                }
                "remove" => {
                    model.remove(&key);
                }
                _ => panic!("unexpected line {line:?}"),
            }
        };
        // Edits followed by "saved" must be there; the one announced last without "saved"
        // (if any, and if its line arrived whole) may or may not be.
        let mut in_flight: Option<String> = None;
        for line in &lines {
            if line == "saved" {
                if let Some(edit) = in_flight.take() {
                    apply(&mut expected, &edit);
                    edits_saved += 1;
                }
            } else if let Some(edit) = line.strip_prefix("try ") {
                in_flight = Some(edit.to_string());
            }
        }
        let mut with_in_flight = expected.clone();
        if let Some(edit) = in_flight.as_deref().filter(|e| e.split(' ').count() == 4) {
            apply(&mut with_in_flight, edit);
        }
        let loaded = store::load(&project).unwrap();
        let errors: Vec<String> = loaded
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .map(ToString::to_string)
            .collect();
        assert!(errors.is_empty(), "round {round}: {errors:#?}");
        assert!(
            store::check::validate(&loaded.project).is_empty(),
            "round {round}"
        );
        let mut on_disk: BTreeMap<(String, String), String> = BTreeMap::new();
        for (coder, t, s) in loaded.project.all_segments() {
            if coder == &alex() {
                on_disk.insert((t.to_string(), s.id.to_string()), s.codes[0].to_string());
            }
        }
        assert!(
            on_disk == expected || on_disk == with_in_flight,
            "round {round}: the project is neither the saved edits nor them and the one in flight"
        );
        if on_disk != expected {
            in_flight_seen += 1;
        }
        // Carry on from what is on disk, as the next session would.
        expected = on_disk;
        for p in &loaded.problems {
            let _ = std::fs::remove_file(project.join(&p.path));
        }
    }
    let check = crate::common::command()
        .args(["check", &project.display().to_string()])
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    eprintln!(
        "{rounds} kills of the binary survived; {edits_saved} edits reported saved were all on disk; \
         {in_flight_seen} kills came after an edit was written but before it was reported"
    );
}
