//! The Codebook and Retrieve screens.

use super::*;

#[test]
fn codebook_view_snapshot() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 120, 30, true);
    press(&mut app, "B");
    assert_eq!(app.context(), thematic::tui::keymap::Context::CodebookView);
    insta::assert_snapshot!("codebook_view", screen(&render(&app)));
}

#[test]
fn merge_into_a_new_sub_theme_move_define_and_undo_through_the_codebook_view() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 120, 30, true);
    let before = app.ws.project().clone();
    press(&mut app, "B N");
    type_text(&mut app, "Records and systems");
    press(&mut app, "Enter L");
    let new = code_id(&app, "Records and systems");
    assert_eq!(
        app.ws.project().codebook.get(&new).unwrap().level,
        thematic::model::Level::SubTheme
    );
    let two_it = app
        .ws
        .project()
        .codebook
        .find("Two IT systems that don't talk")[0]
        .id
        .clone();
    let expected = thematic::analysis::node_counts::code_counts(
        app.ws.project(),
        &thematic::analysis::node_counts::Coders::All,
    );
    let (a, b) = (
        expected[&two_it].own_segments,
        expected[&code_id(&app, "Double data entry")].own_segments,
    );
    for name in ["Two IT systems that don't talk", "Double data entry"] {
        select_in_tree(&mut app, name);
        press(&mut app, "M");
        type_text(&mut app, "Records and systems");
        press(&mut app, "Enter");
        assert!(app.status.starts_with("Merged"), "{}", app.status);
    }
    // Segments carrying both codes are counted once.
    let merged = app.counts[&new].own_segments;
    assert!(
        merged <= a + b && merged >= a.max(b),
        "{merged} from {a} + {b}"
    );
    select_in_tree(&mut app, "Records and systems");
    press(&mut app, "m");
    type_text(&mut app, "Communication structures");
    press(&mut app, "Enter");
    let comms = code_id(&app, "Communication structures");
    assert_eq!(app.ws.project().codebook.parent(&new), Some(&comms));
    press(&mut app, "d");
    type_text(&mut app, "How records shape joint work.");
    press(&mut app, "Tab");
    type_text(&mut app, "Use for records and IT.");
    insta::assert_snapshot!("definition_editor", screen(&render(&app)));
    press(&mut app, "Esc");
    let book = std::fs::read_to_string(dir.path().join("codebook.yaml")).unwrap();
    assert!(
        book.contains("description: How records shape joint work.")
            && book.contains("inclusion: Use for records and IT."),
        "saved"
    );
    // Six steps: create, level, two merges, move, definition.
    for _ in 0..6 {
        press(&mut app, "u");
    }
    assert!(app.status.contains("Undid: create"), "{}", app.status);
    assert_eq!(
        app.ws.project().without_audit(),
        before.without_audit(),
        "merge, move, definition and creation all undone"
    );
    let reloaded = thematic::store::load(dir.path()).unwrap().project;
    assert_eq!(
        reloaded.without_audit(),
        before.without_audit(),
        "and on disk"
    );
    // The audit trail keeps every decision and every undo, in order, with who and when.
    let trail: Vec<String> = reloaded
        .audit()
        .iter()
        .map(|(who, e)| format!("{who}: {}", e.decision))
        .collect();
    assert_eq!(trail.len(), 12, "{trail:#?}");
    assert_eq!(trail[0], "alex: created the theme \"Records and systems\"");
    assert_eq!(trail[1], "alex: made \"Records and systems\" a sub-theme");
    assert!(
        trail[2].starts_with(
            "alex: merge \"Two IT systems that don't talk\" into \"Records and systems\""
        ),
        "{trail:#?}"
    );
    assert_eq!(
        trail[5],
        "alex: rewrote the definition of \"Records and systems\""
    );
    assert_eq!(
        trail[6],
        "alex: undid: rewrote the definition of \"Records and systems\""
    );
    assert_eq!(
        trail[11],
        "alex: undid: created the theme \"Records and systems\""
    );
}

#[test]
fn retrieve_filter_jump_into_context_and_back() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 120, 34, true);
    press(&mut app, "B");
    select_in_tree(&mut app, "Communication structures");
    press(&mut app, "Enter");
    let code = code_id(&app, "Communication structures");
    // The view starts with your own coding, as the Code view does.
    let own = thematic::analysis::retrieve::QuoteFilter {
        coders: thematic::analysis::node_counts::Coders::Only(vec![alex()]),
        ..Default::default()
    };
    let all = thematic::analysis::retrieve::quotes(
        app.ws.project(),
        &code,
        true,
        &own,
        Default::default(),
    );
    assert_eq!(quotes_listed(&app), all.len());
    press(&mut app, "a");
    type_text(&mut app, "organisation = Larchmere");
    press(&mut app, "Enter");
    let larchmere: Vec<_> = all
        .iter()
        .filter(|q| q.attributes["organisation"] == "Larchmere NHS Foundation Trust")
        .cloned()
        .collect();
    assert!(!larchmere.is_empty() && larchmere.len() < all.len());
    assert_eq!(quotes_listed(&app), larchmere.len());
    insta::assert_snapshot!("retrieve_view", screen(&render(&app)));
    press(&mut app, "j Enter");
    // The second of Larchmere's quotes, in its transcript, the cursor on its first words.
    let q = &larchmere[1];
    let t = app.ws.project().transcript(&q.transcript).unwrap().clone();
    let opening: String = t
        .slice(q.start, q.end)
        .unwrap()
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    let shown = screen_text(&render(&app));
    assert!(shown.contains(&format!("┌ {} · ", q.transcript)), "{shown}");
    assert!(keys::cursor_on(&app, &opening), "on {opening:?}: {shown}");
    press(&mut app, "Backspace");
    let shown = keys::prose_of(&render(&app));
    assert!(
        shown.contains(&format!("In context: {} ·", q.transcript)),
        "back where we were: {shown}"
    );
    assert_eq!(quotes_listed(&app), larchmere.len());
}

#[test]
fn split_marked_quotes_and_delete_with_reassignment() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 120, 34, true);
    press(&mut app, "B");
    select_in_tree(&mut app, "Double data entry");
    press(&mut app, "Enter");
    let total = quotes_listed(&app);
    press(&mut app, "Space Space s");
    type_text(&mut app, "Typing it twice");
    press(&mut app, "Enter");
    assert!(
        app.status.starts_with("Split 2 quote(s) off"),
        "{}",
        app.status
    );
    let new = code_id(&app, "Typing it twice");
    assert_eq!(app.counts[&new].own_segments, 2);
    assert_eq!(quotes_listed(&app), total - 2);
    // Delete the new code: it is used, so its coding must go somewhere.
    press(&mut app, "B");
    select_in_tree(&mut app, "Typing it twice");
    press(&mut app, "D");
    assert!(
        app.status.contains("is used by 2 segment(s)"),
        "{}",
        app.status
    );
    type_text(&mut app, "Double data entry");
    press(&mut app, "Enter");
    assert!(matches!(app.overlay, Overlay::Confirm { .. }));
    press(&mut app, "y");
    assert!(app.ws.project().codebook.find("Typing it twice").is_empty());
    assert_eq!(
        app.counts[&code_id(&app, "Double data entry")].own_segments,
        total
    );
}

#[test]
fn retrieve_keeps_blind_coding_blind() {
    let dir = sample();
    sam_joins_with_p01_in_the_sample(dir.path());
    let mut sam = open(dir.path(), "sam", 120, 34, true);
    press(&mut sam, "A B");
    select_in_tree(&mut sam, "Culture");
    press(&mut sam, "Enter");
    let shown = &sam.screens.retrieve.as_ref().unwrap().quotes;
    assert!(
        !shown.is_empty(),
        "alex's quotes elsewhere are shown with everyone's coding on"
    );
    assert!(
        shown.iter().all(|q| q.transcript.as_str() != "p01"),
        "but none from p01, which sam codes blind"
    );
}
