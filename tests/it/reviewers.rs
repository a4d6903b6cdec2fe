//! Reviewers are not coders: listed apart in thematic.yaml, never enrolled as coders by
//! opening the project, and able to review memos but not to code.

use crate::common::{self, thematic as run};

use ratatui::layout::Rect;
use std::path::Path;

use thematic::model::{CoderId, Edit, Segment, SegmentId, TranscriptId};
use thematic::tui::action::Action;
use thematic::tui::app::{App, View};
use thematic::tui::keymap::Keymap;
use thematic::tui::theme::Theme;
use thematic::workspace::{Workspace, WorkspaceError};

fn with_reviewer() -> (tempfile::TempDir, String) {
    let tmp = common::sample_copy();
    let dir = tmp.path().display().to_string();
    let out = run(&["add-reviewer", &dir, "pat", "--name", "Pat Supervisor"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (tmp, dir)
}

fn open(dir: &Path, who: &str) -> App {
    let id = CoderId::new(who).unwrap();
    let (ws, _) = Workspace::open(dir, Some(&id)).unwrap();
    let mut app = App::new(
        ws,
        id,
        Keymap::defaults().unwrap(),
        Theme { colour: false },
        Rect::new(0, 0, 120, 36),
    );
    app.ensure_coder_listed();
    app
}

#[test]
fn add_reviewer_lists_them_apart_from_the_coders() {
    let (tmp, dir) = with_reviewer();
    let yaml = std::fs::read_to_string(tmp.path().join("thematic.yaml")).unwrap();
    assert!(
        yaml.contains("reviewers:\n- id: pat\n  name: Pat Supervisor"),
        "{yaml}"
    );
    assert!(!yaml.split("reviewers:").next().unwrap().contains("id: pat"));
    for again in [
        vec!["add-reviewer", dir.as_str(), "pat"],
        vec!["add-coder", dir.as_str(), "pat"],
        vec!["add-reviewer", dir.as_str(), "sam"],
    ] {
        let out = run(&again);
        assert_eq!(out.status.code(), Some(2), "{again:?}");
    }
}

#[test]
fn a_reviewer_opens_to_review_is_not_enrolled_and_cannot_code() {
    let (tmp, _) = with_reviewer();
    let meta = tmp.path().join("thematic.yaml");
    let before = std::fs::read(&meta).unwrap();
    let mut pat = open(tmp.path(), "pat");
    assert_eq!(
        std::fs::read(&meta).unwrap(),
        before,
        "pat is not added as a coder"
    );
    assert!(pat.reviewing());
    assert_eq!(pat.view_mode, View::Memos, "opens on the memos");
    assert!(pat.status.contains("reviewing"), "{}", pat.status);

    // Selecting text does not offer coding to a reviewer, but a memo.
    pat.update(Action::ViewCode);
    pat.update(Action::SelectSentence);
    assert!(
        pat.status
            .contains("reviewers do not code; E writes a memo here"),
        "{}",
        pat.status
    );
    // Coding is refused, whatever the way in.
    pat.update(Action::MarkDone);
    assert!(pat.status.contains("reviewer"), "{}", pat.status);
    assert!(!tmp.path().join("codings/pat").exists());

    // Reviewing is allowed: marking a memo reviewed writes pat's review file.
    pat.update(Action::ViewMemos);
    pat.update(Action::ToggleReviewed);
    assert!(
        tmp.path()
            .join("reviews/pat")
            .read_dir()
            .map_or(0, |d| d.count())
            == 1,
        "{}",
        pat.status
    );
    assert_eq!(std::fs::read(&meta).unwrap(), before);
}

#[test]
fn the_workspace_refuses_a_reviewer_s_coding_for_every_caller() {
    let (tmp, _) = with_reviewer();
    let pat = CoderId::new("pat").unwrap();
    let (mut ws, _) = Workspace::open(tmp.path(), Some(&pat)).unwrap();
    let t = TranscriptId::new("p01").unwrap();
    let text = ws
        .project()
        .transcript(&t)
        .unwrap()
        .slice(0, 10)
        .unwrap()
        .to_string();
    let code = ws.project().codebook.walk()[1].1.id.clone();
    let result = ws.apply(Edit::AddSegment {
        coder: pat.clone(),
        transcript: t,
        segment: Segment {
            id: SegmentId::random(),
            start: 0,
            end: 10,
            codes: vec![code],
            text,
            created: jiff::Timestamp::now(),
            updated: None,
        },
    });
    assert!(
        matches!(result, Err(WorkspaceError::ReviewerOnly(_))),
        "{result:?}"
    );
}

#[test]
fn memos_markdown_begins_with_an_index_keeps_line_breaks_and_gives_a_segment_s_codes() {
    let (tmp, dir) = with_reviewer();
    // A memo body with single line breaks, as an author types a list of thoughts.
    let memo = tmp.path().join("memos/alex/m-9c424987e640.yaml");
    let yaml = std::fs::read_to_string(&memo).unwrap();
    let yaml = yaml.replace(
        "body: |-\n",
        "body: |-\n  First thought\n  second thought\n\n",
    );
    std::fs::write(&memo, yaml).unwrap();
    let out = run(&["memos", &dir, "--format", "markdown"]);
    let md = String::from_utf8_lossy(&out.stdout);
    let index = md
        .find("| Title | Author | Kind | Reviewed |")
        .expect("an index");
    assert!(index < md.find("\n## ").unwrap(), "the index comes first");
    assert!(
        md.contains(
            "| \"Protective\": a newly qualified PWP looks back at herself | alex | segment | no |"
        ),
        "{md}"
    );
    assert!(md.contains("First thought\\\nsecond thought\n"), "{md}");
    assert!(
        md.contains("- The segment is coded Guarding professional boundaries"),
        "{md}"
    );
}

#[test]
fn a_review_comment_keeps_its_lines() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let (tmp, _) = with_reviewer();
    let mut pat = open(tmp.path(), "pat");
    pat.update(Action::Comment);
    let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
    for c in "Whose story is this?".chars() {
        pat.handle_key(key(KeyCode::Char(c)));
    }
    pat.handle_key(key(KeyCode::Enter));
    for c in "Hers, or yours?".chars() {
        pat.handle_key(key(KeyCode::Char(c)));
    }
    pat.handle_key(key(KeyCode::Esc));
    assert!(pat.status.contains("Comment added"), "{}", pat.status);
    let id = pat.ws.project().memos().next().unwrap().id.clone();
    let review = pat
        .ws
        .project()
        .review(&CoderId::new("pat").unwrap(), &id)
        .unwrap()
        .clone();
    assert_eq!(
        review.comments[0].text,
        "Whose story is this?\nHers, or yours?"
    );
    // Read back from the file, as the author will.
    let (ws, _) = Workspace::open(tmp.path(), None).unwrap();
    let again = ws
        .project()
        .review(&CoderId::new("pat").unwrap(), &id)
        .unwrap();
    assert_eq!(
        again.comments[0].text,
        "Whose story is this?\nHers, or yours?"
    );
}

#[test]
fn an_author_sees_which_memos_have_comments_they_have_not_read() {
    let (tmp, _) = with_reviewer();
    let mut pat = open(tmp.path(), "pat");
    pat.update(Action::Down); // the second memo: alex's segment memo
    let commented = pat.selected_memo().unwrap();
    pat.update(Action::Comment);
    pat.handle_key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('?'),
        crossterm::event::KeyModifiers::NONE,
    ));
    pat.handle_key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Esc,
        crossterm::event::KeyModifiers::NONE,
    ));
    drop(pat);
    let shared = |root: &Path| -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        for dir in ["thematic.yaml", "memos/alex", "reviews/pat"] {
            let p = root.join(dir);
            if p.is_file() {
                files.push((dir.to_string(), std::fs::read(&p).unwrap()));
            } else {
                for e in std::fs::read_dir(&p).unwrap().flatten() {
                    files.push((
                        e.path().display().to_string(),
                        std::fs::read(e.path()).unwrap(),
                    ));
                }
            }
        }
        files.sort();
        files
    };
    let before = shared(tmp.path());

    let mut alex = open(tmp.path(), "alex");
    assert_eq!(alex.unread.get(&commented), Some(&1));
    assert!(
        alex.status
            .contains("1 of your memos have comments you have not read"),
        "{}",
        alex.status
    );
    alex.update(Action::ViewMemos);
    assert!(
        alex.unread.contains_key(&commented),
        "the first memo is shown, not this one"
    );
    alex.update(Action::Down);
    assert_eq!(alex.selected_memo(), Some(commented.clone()));
    assert!(
        alex.unread.is_empty(),
        "reading the memo reads its comments"
    );
    drop(alex);
    let alex = open(tmp.path(), "alex");
    assert!(alex.unread.is_empty(), "remembered");
    assert!(tmp.path().join(".thematic/read/alex.yaml").is_file());
    assert_eq!(shared(tmp.path()), before, "no shared file changes");
}
