//! The store on real folders: round trips of every file kind, damaged files reported and
//! left alone, changes made by others not overwritten, the coder lock, and kills during saves.

use crate::common::{self, ProjectBuilder};
use jiff::Timestamp;
use proptest::prelude::*;
use std::fs;
use std::path::Path;
use thematic::model::memo::{Comment, SegmentRef};
use thematic::model::*;
use thematic::store::{self, Severity, StoreError, atomic};
use thematic::workspace::{Workspace, WorkspaceError};

fn coder(id: &str) -> CoderId {
    CoderId::new(id).unwrap()
}

fn transcript(id: &str, text: &str, attributes: &[(&str, &str)]) -> Transcript {
    let meta = TranscriptMeta {
        title: format!("Interview {id}"),
        participant: "Participant 1".into(),
        order: Some(1),
        date: Some(jiff::civil::date(2025, 3, 3)),
        source: Some(format!("{id}.docx")),
        imported: Some(Timestamp::UNIX_EPOCH),
        attributes: attributes
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..TranscriptMeta::default()
    };
    common::transcript(id, meta, text)
}

/// A new project on disk with one coder, one transcript and a small codebook.
fn small_project(dir: &Path) -> (Workspace, CodeId) {
    let code = Code::new("Greeting", Level::Code);
    let id = code.id.clone();
    let ws = ProjectBuilder::new("Small")
        .coder("alex", "Alex")
        .transcript(transcript(
            "p01",
            "Interviewer: Hi.\n\nParticipant 1: Hello there.\n",
            &[],
        ))
        .code(code, None)
        .create(dir);
    (ws, id)
}

fn add_segment(ws: &mut Workspace, code: &CodeId, start: usize, end: usize) -> Segment {
    let t = ws
        .project()
        .transcript(&TranscriptId::new("p01").unwrap())
        .unwrap();
    let segment = Segment {
        id: SegmentId::random(),
        start,
        end,
        codes: vec![code.clone()],
        text: t.slice(start, end).unwrap().to_string(),
        created: Timestamp::now(),
        updated: None,
    };
    ws.apply(Edit::AddSegment {
        coder: coder("alex"),
        transcript: TranscriptId::new("p01").unwrap(),
        segment: segment.clone(),
    })
    .unwrap();
    segment
}

#[test]
fn an_edit_writes_exactly_the_files_it_touched_and_undo_restores_them() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ws, code) = small_project(dir.path());
    let codebook_before = fs::read(dir.path().join("codebook.yaml")).unwrap();
    let stamp_before = atomic::Stamp::of(&dir.path().join("codebook.yaml")).unwrap();
    add_segment(&mut ws, &code, 33, 45);
    let coding = dir.path().join("codings/alex/p01.yaml");
    let text = fs::read_to_string(&coding).unwrap();
    assert!(text.contains("text: \"Hello there.\""), "{text}");
    assert_eq!(
        atomic::Stamp::of(&dir.path().join("codebook.yaml")).unwrap(),
        stamp_before,
        "codebook untouched"
    );
    ws.undo().unwrap();
    assert!(
        !coding.exists(),
        "undoing the only segment removes the coding file"
    );
    ws.redo().unwrap();
    let reloaded = store::load(dir.path()).unwrap();
    assert_eq!(&reloaded.project, ws.project());
    assert_eq!(
        fs::read(dir.path().join("codebook.yaml")).unwrap(),
        codebook_before
    );
}

#[test]
fn a_malformed_file_is_reported_with_line_and_column_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, _) = small_project(dir.path());
    drop(ws);
    let path = dir.path().join("codebook.yaml");
    let broken = "codes:\n- id: c-1\n  name: [unclosed\n";
    fs::write(&path, broken).unwrap();
    let (mut ws, problems) = Workspace::open(dir.path(), Some(&coder("alex"))).unwrap();
    let problem = problems
        .iter()
        .find(|p| p.path == Path::new("codebook.yaml"))
        .expect("reported");
    assert_eq!(problem.severity, Severity::Error);
    assert_eq!(
        (problem.line, problem.column),
        (Some(3), Some(9)),
        "{problem}"
    );
    assert!(
        problem.to_string().starts_with("codebook.yaml:3:9: error:"),
        "{problem}"
    );
    let err = ws
        .apply(Edit::AddCode {
            code: Code::new("New", Level::Theme),
            at: Position {
                parent: None,
                index: 0,
            },
        })
        .unwrap_err();
    assert!(
        matches!(err, WorkspaceError::Store(StoreError::Blocked { .. })),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), broken);
    assert!(
        ws.project().codebook.is_empty(),
        "the refused edit left nothing behind in memory"
    );
    // Work in other files goes on.
    assert!(
        ws.project()
            .transcript(&TranscriptId::new("p01").unwrap())
            .is_some()
    );
}

#[test]
fn a_file_changed_by_someone_else_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ws, _) = small_project(dir.path());
    let path = dir.path().join("codebook.yaml");
    let theirs = fs::read_to_string(&path)
        .unwrap()
        .replace("Greeting", "Greetings");
    fs::write(&path, &theirs).unwrap();
    let err = ws
        .apply(Edit::AddCode {
            code: Code::new("Mine", Level::Theme),
            at: Position {
                parent: None,
                index: 0,
            },
        })
        .unwrap_err();
    assert!(
        matches!(err, WorkspaceError::Store(StoreError::ChangedOnDisk { .. })),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), theirs);
    assert_eq!(ws.project().codebook.len(), 1, "the model was put back");
}

#[test]
fn a_second_instance_cannot_write_the_same_coders_files() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, _) = small_project(dir.path());
    let err = Workspace::open(dir.path(), Some(&coder("alex"))).unwrap_err();
    assert!(matches!(err, StoreError::Lock(_)), "{err}");
    // While another instance holds the lock, that coder's files are refused even if the
    // model accepts the edit.
    let (mut other, _) = Workspace::open(dir.path(), None).unwrap();
    let code = other.project().codebook.walk()[0].1.id.clone();
    let t = other
        .project()
        .transcript(&TranscriptId::new("p01").unwrap())
        .unwrap();
    let segment = Segment {
        id: SegmentId::random(),
        start: 0,
        end: 11,
        codes: vec![code],
        text: t.slice(0, 11).unwrap().into(),
        created: Timestamp::now(),
        updated: None,
    };
    let err = other
        .apply(Edit::AddSegment {
            coder: coder("alex"),
            transcript: t.id.clone(),
            segment,
        })
        .unwrap_err();
    // The instance holding alex's lock is the only one that may write alex's files.
    assert!(
        matches!(err, WorkspaceError::Store(StoreError::Lock(_))),
        "{err}"
    );
    assert!(!dir.path().join("codings/alex/p01.yaml").exists());
    drop(ws);
    assert!(
        Workspace::open(dir.path(), Some(&coder("alex"))).is_ok(),
        "released when the first closes"
    );
}

#[test]
fn a_newer_format_is_refused_before_its_fields_are_read() {
    let dir = tempfile::tempdir().unwrap();
    small_project(dir.path());
    fs::write(
        dir.path().join("thematic.yaml"),
        "format: 7\nname: x\nnew_thing: 1\n",
    )
    .unwrap();
    let err = store::load(dir.path()).unwrap_err();
    assert_eq!(
        err.to_string()
            .replace(&dir.path().display().to_string(), "DIR"),
        "DIR/thematic.yaml: written by a newer thematic (format 7; this build reads format 1); upgrade thematic"
    );
}

#[test]
fn damaged_transcripts_and_codings_are_reported_and_blocked() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ws, code) = small_project(dir.path());
    add_segment(&mut ws, &code, 33, 45);
    drop(ws);
    let root = dir.path();
    fs::write(
        root.join("transcripts/p01.txt"),
        b"Interviewer: Hi.\n\nParticipant 1: \xFFHello",
    )
    .unwrap();
    fs::create_dir_all(root.join("codings/Bad Name")).unwrap();
    fs::write(root.join("codings/alex/.p01.yaml.tmp-1-0"), "torn").unwrap();
    let loaded = store::load(root).unwrap();
    let messages: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("transcripts/p01.txt:3:16: error: not valid UTF-8")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("codings/Bad Name: error: invalid id")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains(".p01.yaml.tmp-1-0: warning: left over")),
        "{messages:#?}"
    );
    let problems = store::check::validate(&loaded.project);
    assert!(
        problems.iter().any(|p| p
            .message
            .contains("codes transcript p01, which does not exist")),
        "{problems:#?}"
    );
}

#[test]
fn check_notices_text_edited_outside_the_tool() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ws, code) = small_project(dir.path());
    add_segment(&mut ws, &code, 33, 45);
    drop(ws);
    fs::write(
        dir.path().join("transcripts/p01.txt"),
        "Interviewer: Hi!!\n\nParticipant 1: Hello there.\n",
    )
    .unwrap();
    let loaded = store::load(dir.path()).unwrap();
    let messages: Vec<String> = store::check::validate(&loaded.project)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("changed outside thematic")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("now appears only at [34, 46)")),
        "{messages:#?}"
    );
}

/// Text with the characters that break naive YAML and offset handling.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("no".to_string()),
        Just("- x: #y".to_string()),
        Just("  leading".to_string()),
        "[a-zA-Z0-9 :#\\-'\"\\n医生👩‍⚕️é]{0,40}",
    ]
}

prop_compose! {
    fn project_parts()(
        names in prop::collection::vec(hostile_text(), 1..6),
        body in hostile_text(),
        text in "[a-z .:\\n医👍é]{20,200}",
        cuts in prop::collection::vec((0usize..200, 1usize..30), 0..8),
        attribute in hostile_text(),
    ) -> (Vec<String>, String, String, Vec<(usize, usize)>, String) {
        (names, body, text, cuts, attribute)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn every_file_kind_round_trips((names, body, text, cuts, attribute) in project_parts()) {
        let dir = tempfile::tempdir().unwrap();
        let mut meta = ProjectMeta::new(names[0].clone());
        meta.description = body.clone();
        meta.coders.push(Coder { id: coder("alex"), name: attribute.clone() });
        meta.attributes.push(AttributeDef { name: "role".into(), description: body.clone(), values: vec![attribute.clone()] });
        let loaded = store::create(dir.path(), meta).unwrap();
        let mut ws = Workspace::from_loaded(loaded.project, loaded.store);
        ws.store_mut().lock_coder(&coder("alex")).unwrap();
        ws.apply(Edit::AddTranscript(Box::new(transcript("t1", &text, &[("role", &attribute)])))).unwrap();
        let mut parent = None;
        let mut code_ids = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let mut code = Code::new(format!("{i} {name}"), Level::Code);
            code.description = body.clone();
            code.example = name.clone();
            code.tags = vec![attribute.clone()];
            code.colour = Some(Colour([i as u8, 2, 3]));
            code_ids.push(code.id.clone());
            ws.apply(Edit::AddCode { code: code.clone(), at: Position { parent: parent.clone(), index: 0 } }).unwrap();
            parent = Some(code.id);
        }
        let chars = text.chars().count();
        let mut first_segment = None;
        for (i, (start, len)) in cuts.iter().enumerate() {
            let start = start % chars;
            let end = (start + len).min(chars);
            if start == end { continue; }
            let t = ws.project().transcript(&TranscriptId::new("t1").unwrap()).unwrap();
            let segment = Segment {
                id: SegmentId::random(), start, end,
                codes: vec![code_ids[i % code_ids.len()].clone()],
                text: t.slice(start, end).unwrap().to_string(),
                created: Timestamp::now(), updated: Some(Timestamp::now()),
            };
            first_segment.get_or_insert(segment.id.clone());
            ws.apply(Edit::AddSegment { coder: coder("alex"), transcript: t.id.clone(), segment }).unwrap();
        }
        let mut links = vec![MemoLink::Code(code_ids[0].clone()), MemoLink::Transcript(TranscriptId::new("t1").unwrap())];
        if let Some(id) = first_segment {
            links.push(MemoLink::Segment(SegmentRef { transcript: TranscriptId::new("t1").unwrap(), coder: coder("alex"), id }));
        }
        let memo_id = MemoId::random();
        ws.apply(Edit::AddMemo(Box::new(Memo {
            id: memo_id.clone(), author: coder("alex"), title: names[0].clone(),
            created: Timestamp::now(), updated: Timestamp::now(), links, body: body.clone(),
        }))).unwrap();
        ws.apply(Edit::AddReview(Box::new(MemoReview {
            memo: memo_id, reviewer: coder("alex"),
            comments: vec![Comment { at: Timestamp::now(), text: attribute.clone() }, Comment { at: Timestamp::now(), text: body.clone() }],
            reviewed: Some(Timestamp::now()),
        }))).unwrap();
        let reloaded = store::load(dir.path()).unwrap();
        prop_assert!(reloaded.problems.is_empty(), "{:?}", reloaded.problems);
        prop_assert_eq!(&reloaded.project, ws.project());
        prop_assert!(store::check::validate(&reloaded.project).is_empty());
    }
}

#[test]
fn check_warns_of_an_exemplar_that_no_longer_holds() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ws, code) = small_project(dir.path());
    let segment = add_segment(&mut ws, &code, 33, 45);
    let choose = |ws: &mut Workspace, id: SegmentId| {
        let edit = codebook_ops::update_code(ws.project(), &code, |c| {
            c.exemplar = Some(Box::new(SegmentRef {
                transcript: TranscriptId::new("p01").unwrap(),
                coder: coder("alex"),
                id,
            }))
        })
        .unwrap();
        ws.apply(edit).unwrap();
    };
    let warnings = |dir: &Path| -> Vec<String> {
        let loaded = store::load(dir).unwrap();
        store::check::validate(&loaded.project)
            .iter()
            .map(ToString::to_string)
            .filter(|m| m.contains("exemplar"))
            .collect()
    };
    choose(&mut ws, segment.id.clone());
    assert!(warnings(dir.path()).is_empty(), "the chosen segment exists");
    choose(&mut ws, SegmentId::new("s-000000000000").unwrap());
    let found = warnings(dir.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("codebook.yaml"), "{found:?}");
}

#[test]
fn a_failed_write_keeps_the_change_and_saves_it_when_writing_works_again() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ws, code) = small_project(dir.path());
    // Nothing can be written under codings/alex while a plain file stands in its place
    // (this fails for root too, unlike permissions).
    let folder = dir.path().join("codings/alex");
    let _ = fs::remove_dir_all(&folder);
    fs::write(&folder, "in the way").unwrap();
    let t = TranscriptId::new("p01").unwrap();
    let text = ws
        .project()
        .transcript(&t)
        .unwrap()
        .slice(0, 11)
        .unwrap()
        .to_string();
    let segment = Segment {
        id: SegmentId::random(),
        start: 0,
        end: 11,
        codes: vec![code.clone()],
        text,
        created: Timestamp::now(),
        updated: None,
    };
    let err = ws
        .apply(Edit::AddSegment {
            coder: coder("alex"),
            transcript: t.clone(),
            segment: segment.clone(),
        })
        .unwrap_err();
    assert!(err.kept(), "{err}");
    assert!(err.to_string().contains("NOT SAVED"), "{err}");
    // Kept in memory, listed as unsaved, undoable; nothing half-written.
    assert_eq!(
        ws.project().segments(&coder("alex"), &t),
        std::slice::from_ref(&segment)
    );
    assert_eq!(ws.unsaved().len(), 1);
    assert!(ws.can_undo());
    assert!(ws.retry_saves().is_err());
    // Writing works again: the retry saves it.
    fs::remove_file(&folder).unwrap();
    ws.retry_saves().unwrap();
    assert!(ws.unsaved().is_empty());
    let loaded = store::load(dir.path()).unwrap();
    assert_eq!(loaded.project.segments(&coder("alex"), &t), [segment]);
}

/// Memos are read in parallel once there are enough of them: a damaged memo among many is
/// still reported with its line and column and blocked, a comment is still warned of, and
/// every good memo is loaded.
#[test]
fn many_memos_load_and_a_damaged_one_among_them_is_reported_and_blocked() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, _) = small_project(dir.path());
    drop(ws);
    let memos = dir.path().join("memos/alex");
    fs::create_dir_all(&memos).unwrap();
    let good = |id: &str| {
        format!(
            "id: {id}\nauthor: alex\ntitle: Note {id}\ncreated: \"2026-01-01T00:00:00Z\"\nupdated: \"2026-01-01T00:00:00Z\"\nbody: A note.\n"
        )
    };
    for i in 0..60 {
        let id = format!("m-{i:012x}");
        fs::write(memos.join(format!("{id}.yaml")), good(&id)).unwrap();
    }
    let commented = "m-00000000000a";
    fs::write(
        memos.join(format!("{commented}.yaml")),
        format!("# mine\n{}", good(commented)),
    )
    .unwrap();
    let broken = "id: m-00000000001e\nauthor: alex\ntitle: [unclosed\n";
    let broken_path = memos.join("m-00000000001e.yaml");
    fs::write(&broken_path, broken).unwrap();

    let (mut ws, problems) = Workspace::open(dir.path(), Some(&coder("alex"))).unwrap();
    assert_eq!(ws.project().memos().count(), 59, "{problems:?}");
    let error = problems
        .iter()
        .find(|p| p.path == Path::new("memos/alex/m-00000000001e.yaml"))
        .expect("the broken memo is reported");
    assert_eq!(error.severity, Severity::Error);
    assert_eq!((error.line, error.column), (Some(3), Some(8)), "{error}");
    let warning = problems
        .iter()
        .find(|p| p.path == Path::new("memos/alex/m-00000000000a.yaml"))
        .expect("the comment is warned of");
    assert_eq!(
        (warning.severity, warning.line),
        (Severity::Warning, Some(1))
    );
    assert_eq!(problems.len(), 2, "{problems:?}");
    // The broken memo is blocked: writing it again is refused and leaves it as it was.
    let mut memo = ws.project().memos().next().expect("a good memo").clone();
    memo.id = MemoId::new("m-00000000001e").unwrap();
    let err = ws.apply(Edit::AddMemo(Box::new(memo))).unwrap_err();
    assert!(
        matches!(err, WorkspaceError::Store(StoreError::Blocked { .. })),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&broken_path).unwrap(), broken);
}

/// A project of two transcripts, alex's coding in both, with alex's coding of p02 damaged
/// (line 3, column 11): p01 is what the coding screen shows first, p02 is read only by the
/// second phase of a two-phase opening.
fn project_with_damage_beyond_the_first_frame(dir: &Path) -> (String, std::path::PathBuf, CodeId) {
    let (mut ws, code) = small_project(dir);
    ws.apply(Edit::AddTranscript(Box::new(transcript(
        "p02",
        "Interviewer: And then?\n\nParticipant 1: Then it worked.\n",
        &[],
    ))))
    .unwrap();
    add_segment(&mut ws, &code, 33, 45);
    drop(ws);
    let broken = "transcript: p02\ncoder: alex\nsegments: [unclosed\n".to_string();
    let path = dir.join("codings/alex/p02.yaml");
    fs::write(&path, &broken).unwrap();
    (broken, path, code)
}

#[test]
fn a_damaged_coding_file_read_in_the_second_phase_is_reported_and_blocked_as_at_any_opening() {
    let dir = tempfile::tempdir().unwrap();
    let (broken, path, code) = project_with_damage_beyond_the_first_frame(dir.path());
    let (_, reference) = Workspace::open(dir.path(), None).unwrap();
    assert!(
        reference
            .iter()
            .any(|p| p.path == Path::new("codings/alex/p02.yaml")),
        "{reference:?}"
    );

    let (mut ws, problems) = Workspace::open_first(dir.path(), Some(&coder("alex"))).unwrap();
    ws.store_mut().lock_coder(&coder("alex")).unwrap();
    assert!(problems.is_empty(), "not known before the second phase");
    assert!(ws.is_opening());
    let p01 = TranscriptId::new("p01").unwrap();
    let p02 = TranscriptId::new("p02").unwrap();
    assert_eq!(ws.project().segments(&coder("alex"), &p01).len(), 1);
    assert!(ws.project().transcript(&p02).is_some(), "listed");
    // Nothing can be changed while the project is partial.
    let codebook = fs::read(dir.path().join("codebook.yaml")).unwrap();
    let err = ws
        .apply(Edit::AddCode {
            code: Code::new("Later", Level::Code),
            at: Position {
                parent: None,
                index: 0,
            },
        })
        .unwrap_err();
    assert!(
        matches!(err, WorkspaceError::Store(StoreError::StillOpening)),
        "{err}"
    );
    assert_eq!(
        fs::read(dir.path().join("codebook.yaml")).unwrap(),
        codebook
    );

    let problems = ws.finish_opening().expect("an opening to finish").unwrap();
    assert!(!ws.is_opening());
    assert_eq!(
        problems, reference,
        "the same problems as a one-phase opening"
    );
    let damaged = problems
        .iter()
        .find(|p| p.path == Path::new("codings/alex/p02.yaml"))
        .unwrap();
    assert_eq!(damaged.severity, Severity::Error);
    assert_eq!(
        (damaged.line, damaged.column),
        (Some(3), Some(11)),
        "{damaged}"
    );
    assert!(
        damaged
            .to_string()
            .starts_with("codings/alex/p02.yaml:3:11: error:"),
        "{damaged}"
    );
    // The damaged file is blocked; the rest of the project can be changed.
    let t = ws.project().transcript(&p02).unwrap();
    assert_eq!(
        t.text(),
        "Interviewer: And then?\n\nParticipant 1: Then it worked.\n"
    );
    let segment = Segment {
        id: SegmentId::random(),
        start: 0,
        end: 11,
        codes: vec![code],
        text: t.slice(0, 11).unwrap().to_string(),
        created: Timestamp::now(),
        updated: None,
    };
    let err = ws
        .apply(Edit::AddSegment {
            coder: coder("alex"),
            transcript: p02,
            segment,
        })
        .unwrap_err();
    assert!(
        matches!(err, WorkspaceError::Store(StoreError::Blocked { .. })),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), broken);
    ws.apply(Edit::AddCode {
        code: Code::new("Later", Level::Code),
        at: Position {
            parent: None,
            index: 0,
        },
    })
    .unwrap();
    assert!(ws.finish_opening().is_none(), "finished once");
}

#[test]
fn a_problem_in_what_the_first_frame_needs_means_reading_it_all_first() {
    let dir = tempfile::tempdir().unwrap();
    let (_, path, _) = project_with_damage_beyond_the_first_frame(dir.path());
    // Now the damaged file is alex's coding of the transcript the screen opens first.
    let p01 = dir.path().join("codings/alex/p01.yaml");
    fs::rename(&p01, dir.path().join("keep.yaml")).unwrap();
    fs::write(&p01, "transcript: p01\ncoder: alex\nsegments: [unclosed\n").unwrap();
    fs::remove_file(path).unwrap();
    let (_, reference) = Workspace::open(dir.path(), None).unwrap();
    let (ws, problems) = Workspace::open_first(dir.path(), Some(&coder("alex"))).unwrap();
    assert!(!ws.is_opening(), "read whole");
    assert_eq!(problems, reference);
    assert!(
        problems
            .iter()
            .any(|p| p.path == Path::new("codings/alex/p01.yaml")
                && (p.line, p.column) == (Some(3), Some(11))),
        "{problems:?}"
    );
}
