//! Memos: on segments and codes, the journal, the Memos screen, review and search.

use super::*;

#[test]
fn a_memo_on_a_segment_saves_as_you_go_and_undoes_in_one_step() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    // The first coded segment of p01, then a memo on it.
    press(&mut app, "/");
    type_text(&mut app, "someone comes to us");
    press(&mut app, "Enter");
    assert!(!app.shown_at_cursor().is_empty(), "on a coded segment");
    let memos_before = app.ws.project().memos().count();
    press(&mut app, "E");
    assert!(matches!(app.overlay, Overlay::Memo(_)));
    type_text(&mut app, "Why seeing the same people matters");
    press(&mut app, "Enter");
    type_text(&mut app, "no: - x: # 医生 👩‍⚕️");
    press(&mut app, "Enter");
    type_text(&mut app, "  leading spaces stay.");
    insta::assert_snapshot!("memo_editor", screen(&render(&app)));
    // Nothing is saved while typing goes on; a pause saves it.
    assert_eq!(app.ws.project().memos().count(), memos_before);
    app.tick(std::time::Instant::now() + std::time::Duration::from_secs(1));
    assert_eq!(
        app.ws.project().memos().count(),
        memos_before + 1,
        "{}",
        app.status
    );
    let memo = app
        .ws
        .project()
        .memos()
        .find(|m| m.title == "Why seeing the same people matters")
        .unwrap()
        .clone();
    assert_eq!(memo.body, "no: - x: # 医生 👩‍⚕️\n  leading spaces stay.");
    assert!(matches!(
        memo.links.as_slice(),
        [thematic::model::MemoLink::Segment(_)]
    ));
    let file = dir.path().join(format!("memos/alex/{}.yaml", memo.id));
    let on_disk: thematic::model::Memo =
        thematic::store::yaml::parse(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(on_disk, memo, "on disk as typed");
    // More typing, then Esc: saved again, and the detail line shows the memo.
    type_text(&mut app, " More.");
    press(&mut app, "Esc");
    assert!(matches!(app.overlay, Overlay::None));
    assert!(
        app.ws
            .project()
            .memo(&memo.id)
            .unwrap()
            .body
            .ends_with("More.")
    );
    let text = screen_text(&render(&app));
    assert!(
        text.contains("✎  Why seeing the same people matters: no: - x: #"),
        "{text}"
    );
    // One undo removes the memo, however many saves it took.
    press(&mut app, "u");
    assert!(app.ws.project().memo(&memo.id).is_none(), "{}", app.status);
    assert!(!file.exists());
}

#[test]
fn journal_entries_and_memos_on_codes() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    press(&mut app, "W");
    type_text(&mut app, "Day one");
    press(&mut app, "Tab");
    type_text(&mut app, "Read all twelve.");
    press(&mut app, "Esc");
    let journal = app
        .ws
        .project()
        .memos()
        .find(|m| m.title == "Day one")
        .unwrap();
    assert!(journal.links.is_empty(), "a journal entry links to nothing");
    assert_eq!(journal.kind(), thematic::model::MemoKind::Journal);
    // In the Codebook view, E writes on the selected code; an empty memo is never created.
    press(&mut app, "B E Esc");
    assert_eq!(app.ws.project().memos().count(), 7);
    press(&mut app, "E");
    type_text(&mut app, "Culture is too broad");
    press(&mut app, "Esc");
    let culture = code_id(&app, "Culture");
    assert_eq!(
        app.memos_on(&thematic::model::MemoLink::Code(culture))
            .len(),
        1
    );
}

#[test]
fn memos_view_review_filters_audit_and_jump() {
    let dir = sample();
    sam_joins_with_p01_in_the_sample(dir.path());
    let mut sam = open(dir.path(), "sam", 120, 32, true);
    press(&mut sam, "O");
    assert_eq!(sam.view_mode, thematic::tui::app::View::Memos);
    assert_eq!(memos_listed(&sam), 6);
    insta::assert_snapshot!("memos_view", screen(&render(&sam)));
    // Comment on, and mark reviewed, the code memo (third, newest first).
    press(&mut sam, "j j c");
    type_text(&mut sam, "Is the rule applied to P11?");
    press(&mut sam, "Esc x");
    assert_eq!(sam.status, "Marked reviewed (saved)");
    let id = sam.selected_memo().unwrap();
    let review = sam
        .ws
        .project()
        .review(&CoderId::new("sam").unwrap(), &id)
        .unwrap()
        .clone();
    assert_eq!(review.comments[0].text, "Is the rule applied to P11?");
    assert!(review.reviewed.is_some());
    assert!(
        dir.path().join(format!("reviews/sam/{id}.yaml")).exists(),
        "in sam's own folder"
    );
    assert_eq!(sam.unreviewed_count(), 5);
    let text = screen_text(&render(&sam));
    assert!(
        text.contains("✓ Reviewed by sam") && text.contains("Is the rule applied to P11?"),
        "{text}"
    );
    // Filters: not yet reviewed, then journal entries only.
    press(&mut sam, "r");
    assert_eq!(memos_listed(&sam), 5);
    press(&mut sam, "r r f");
    assert_eq!(memos_listed(&sam), 3, "journal entries");
    press(&mut sam, "f f f f d");
    type_text(&mut sam, "2025-04-01..");
    press(&mut sam, "Enter");
    assert_eq!(memos_listed(&sam), 3, "updated since April");
    press(&mut sam, "d");
    for _ in 0..12 {
        press(&mut sam, "Backspace");
    }
    press(&mut sam, "Enter");
    // Someone else's memo cannot be edited here, only commented on.
    press(&mut sam, "g e");
    assert!(sam.status.contains("is alex's"), "{}", sam.status);
    // Jump to what a memo is about, and back.
    press(&mut sam, "j j Enter");
    assert_eq!(sam.view_mode, thematic::tui::app::View::Codebook);
    let code = sam.tree[sam.tree_selected].id.clone();
    assert_eq!(
        sam.ws.project().codebook.get(&code).unwrap().name,
        "Different attitudes to risk"
    );
    press(&mut sam, "Backspace");
    assert_eq!(sam.view_mode, thematic::tui::app::View::Memos);
    // Codebook decisions appear among the memos on request.
    press(&mut sam, "B");
    select_in_tree(&mut sam, "Double data entry");
    press(&mut sam, "r");
    for _ in 0.."Double data entry".len() {
        press(&mut sam, "Backspace");
    }
    type_text(&mut sam, "Typing it twice");
    press(&mut sam, "Enter O h");
    let rows = &sam.screens.memos.as_ref().unwrap().rows;
    assert_eq!(rows.len(), 7);
    assert!(
        matches!(
            rows[0],
            thematic::tui::screens::memos::MemoRow::Decision(..)
        ),
        "the newest first"
    );
    press(&mut sam, "g");
    let text = screen_text(&render(&sam));
    assert!(
        text.contains("Codebook decision")
            && text.contains("renamed \"Double data entry\" to \"Typing it twice\""),
        "{text}"
    );
}

#[test]
fn memo_search_and_memo_marks_on_segments() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    press(&mut app, "/");
    type_text(&mut app, "someone comes to us");
    press(&mut app, "Enter E");
    let long_line = "word ".repeat(400);
    type_text(&mut app, "Title");
    press(&mut app, "Tab");
    type_text(
        &mut app,
        &format!("first line\n{long_line}\nthe Needle is here"),
    );
    press(&mut app, "Ctrl-f");
    type_text(&mut app, "needle");
    press(&mut app, "Enter");
    let Overlay::Memo(editor) = &app.overlay else {
        panic!("editor open")
    };
    let ratatui_textarea::DataCursor(row, col) = editor.body.cursor();
    assert_eq!((row, col), (2, 4), "on the match, ignoring case");
    press(&mut app, "Esc Esc");
    let memo = app
        .ws
        .project()
        .memos()
        .find(|m| m.title == "Title")
        .unwrap()
        .clone();
    assert!(
        memo.body.contains(&long_line),
        "a very long line is kept whole"
    );
    let reloaded = thematic::store::load(dir.path()).unwrap().project;
    assert_eq!(
        reloaded.memo(&memo.id),
        Some(&memo),
        "and reads back the same"
    );
    // The segment now carries a pen in its stripe, left of the text.
    let buffer = render(&app);
    let inner = app.areas().text_inner();
    let gutter = inner.x - thematic::tui::layout::GUTTER;
    let pens = (inner.y..inner.y + inner.height)
        .filter(|&y| (gutter..inner.x).any(|x| buffer[(x, y)].symbol() == "✎"))
        .count();
    assert!(pens >= 1, "a pen in the stripes");
}

#[test]
fn the_picker_prefers_codes_whose_name_matches() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    press(&mut app, "] s c");
    type_text(&mut app, "shared case");
    let Overlay::Picker(picker) = &app.overlay else {
        panic!("picker open")
    };
    let first = picker.item(picker.shown[0]).unwrap().label.clone();
    assert_eq!(first, "Shared case-management meeting");
}
