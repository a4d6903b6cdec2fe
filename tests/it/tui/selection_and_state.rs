//! The picker's definitions, selections by mouse and without word snapping, the memo editor's undo, quick codes and resuming.

use super::*;

#[test]
fn the_picker_shows_the_definition_beside_it_the_full_path_and_leaves_the_passage_in_view() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 140, 40, true);
    // The last turn on screen: the picker must go above it.
    press(&mut app, "} w s");
    let passage = "Yeah, of course.";
    let before = rows_showing(&render(&app), passage);
    assert_eq!(before.len(), 1);
    press(&mut app, "c");
    type_text(&mut app, "referral");
    // Where a new code goes, by its full path: a sub-theme two levels down.
    press(&mut app, "Tab Tab");
    let buffer = render(&app);
    insta::assert_snapshot!("picker_definition_wide", screen(&buffer));
    assert_eq!(
        rows_showing(&buffer, passage),
        before,
        "the passage being coded stays in view"
    );
    let text = screen(&buffer);
    assert!(
        text.contains("Jointly designed processes"),
        "the highlighted code's description is shown: {text}"
    );
    assert!(
        text.contains("+ create “referral” under Culture › "),
        "{text}"
    );
}

#[test]
fn the_picker_at_80x24_shows_the_create_path_whole_and_the_passage() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 80, 24, true);
    press(&mut app, "} w s");
    let passage = "Yeah, of course.";
    let before = rows_showing(&render(&app), passage);
    press(&mut app, "c");
    type_text(&mut app, "Waiting for a referral to be seen");
    for _ in 0..4 {
        press(&mut app, "Tab");
    }
    let Overlay::Picker(picker) = &app.overlay else {
        panic!("picker open")
    };
    let parent = picker.chosen_parent().unwrap().1.clone();
    assert!(parent.contains(" › "), "a nested parent: {parent}");
    let buffer = render(&app);
    insta::assert_snapshot!("picker_80x24", screen(&buffer));
    assert_eq!(rows_showing(&buffer, passage), before);
    // The create row wraps rather than cutting the path: its last words are on screen.
    let last_word = parent.rsplit(' ').next().unwrap();
    assert!(
        screen(&buffer).contains(last_word),
        "{last_word} in\n{}",
        screen(&buffer)
    );
}

#[test]
fn a_triple_click_selects_the_speech_of_a_paragraph() {
    use crossterm::event::{Event, MouseButton, MouseEvent, MouseEventKind};
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    let inner = app.areas().text_inner();
    // Row 5 of the text is "Participant 1: Yeah, of course. …": click on "course" three times.
    let (x, y) = (inner.x + 30, inner.y + 4);
    for kind in [
        MouseEventKind::Down(MouseButton::Left),
        MouseEventKind::Up(MouseButton::Left),
    ]
    .repeat(3)
    {
        app.handle_event(Event::Mouse(MouseEvent {
            kind,
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        }));
    }
    let (start, end) = app.selected_range().unwrap();
    let t = app.transcript().unwrap();
    let text = t.slice(start, end).unwrap();
    assert!(text.starts_with("Yeah, of course."), "{text}");
    assert!(
        text.ends_with("you remember everything you said you'd do."),
        "{text}"
    );
}

#[test]
fn without_word_snapping_a_selection_takes_what_the_cursor_covers() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    app.code.snap_to_words = false;
    press(&mut app, "] Shift-Right Shift-Right");
    let (start, end) = app.selected_range().unwrap();
    assert_eq!(app.transcript().unwrap().slice(start, end), Some("Yea"));
    press(&mut app, "Esc h h");
    app.code.snap_to_words = true;
    press(&mut app, "Shift-Right Shift-Right");
    let (start, end) = app.selected_range().unwrap();
    assert_eq!(app.transcript().unwrap().slice(start, end), Some("Yeah"));
}

#[test]
fn ctrl_z_and_ctrl_y_undo_and_redo_typing_in_the_memo_editor() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    press(&mut app, "W Tab");
    type_text(&mut app, "first thought");
    press(&mut app, "Ctrl-z");
    let Overlay::Memo(editor) = &app.overlay else {
        panic!("memo editor open")
    };
    assert_ne!(editor.body_text(), "first thought", "undone");
    press(&mut app, "Ctrl-y");
    let Overlay::Memo(editor) = &app.overlay else {
        panic!("memo editor open")
    };
    assert_eq!(editor.body_text(), "first thought", "redone");
}

#[test]
fn quick_codes_are_pinned_on_purpose_keep_their_keys_and_last_across_sessions() {
    let dir = sample();
    let t = TranscriptId::new("p01").unwrap();
    let count = |app: &App| app.ws.project().segments(&alex(), &t).len();
    {
        let mut app = open(dir.path(), "alex", 100, 30, true);
        let base = count(&app);
        press(&mut app, "} w s 1");
        assert_eq!(count(&app), base, "nothing is on key 1 yet");
        assert!(app.status.contains("No code on key 1"), "{}", app.status);
        let strip = screen_text(&render(&app));
        assert!(strip.contains("P pins a code to the keys 1-9"), "{strip}");
        press(&mut app, "c");
        type_text(&mut app, "front door");
        press(&mut app, "Enter");
        assert_eq!(count(&app), base + 1);
        // P on the code at the cursor pins it to key 1; in the codebook pane, others follow.
        press(&mut app, "P");
        assert!(app.status.contains("is on key 1"), "{}", app.status);
        press(&mut app, "Tab");
        assert_eq!(keys::focused_pane(&app), Some("codebook"));
        for name in [
            "Double data entry",
            "Us-and-them language",
            "Double data entry",
        ] {
            select_in_tree(&mut app, name);
            press(&mut app, "P");
        }
        assert!(app.status.contains("unpinned"), "{}", app.status);
        let us = code_id(&app, "Us-and-them language");
        assert_eq!(app.quick_key_of(&us), Some(3), "unpinning 2 moves no one");
        assert!(
            !quick_strip(&app).contains("2 "),
            "key 2 is free: {}",
            quick_strip(&app)
        );
        let text = screen_text(&render(&app));
        assert!(
            text.contains("1 One front door") && text.contains("3 Us-and-them language"),
            "the strip shows the pinned keys:\n{text}"
        );
        assert!(
            text.contains("#3"),
            "the codebook marks the key too:\n{text}"
        );
        // Key 3 codes with its code, and coding changes no key.
        press(&mut app, "Tab Tab j s 3");
        assert!(
            app.status.starts_with("Coded Us-and-them language"),
            "{}",
            app.status
        );
        assert_eq!(app.quick_key_of(&us), Some(3));
    }
    let state = std::fs::read_to_string(dir.path().join(".thematic/ui/alex.yaml")).unwrap();
    assert!(state.contains("quick_codes:"), "{state}");
    // The next session has them on the same keys; a merged code's key follows it.
    let mut app = open(dir.path(), "alex", 100, 30, true);
    let us = code_id(&app, "Us-and-them language");
    let front = code_id(&app, "One front door referral");
    let strip = quick_strip(&app);
    assert!(
        strip.starts_with("1 One front door") && strip.contains("3 Us-and-them language"),
        "{strip}"
    );
    assert!(app.project().codebook.contains(&front) && app.project().codebook.contains(&us));
    press(&mut app, "B");
    select_in_tree(&mut app, "One front door referral");
    press(&mut app, "M");
    type_text(&mut app, "Corridor conversations");
    press(&mut app, "Enter");
    assert!(app.status.starts_with("Merged"), "{}", app.status);
    let corridor = code_id(&app, "Corridor conversations resolve cases");
    assert!(app.project().codebook.contains(&corridor));
    press(&mut app, "F2");
    let strip = quick_strip(&app);
    assert!(strip.starts_with("1 Corridor conversati"), "{strip}");
    press(&mut app, "B");
    // A deleted code frees its key.
    press(&mut app, "u");
    assert!(app.project().codebook.contains(&front));
    let unused = "Pinned then deleted";
    press(&mut app, "N");
    type_text(&mut app, unused);
    press(&mut app, "Enter");
    let new = code_id(&app, unused);
    press(&mut app, "P");
    assert!(app.quick_key_of(&new).is_some(), "{}", app.status);
    press(&mut app, "D y");
    assert!(!app.project().codebook.contains(&new), "{}", app.status);
    assert_eq!(app.quick_key_of(&new), None);
}

#[test]
fn a_damaged_ui_state_file_is_reported_left_as_it_is_and_the_session_starts_fresh() {
    let dir = sample();
    let path = dir.path().join(".thematic/ui/alex.yaml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let damaged = "quick_codes: [c-1\nresume: {transcript: p03\n";
    std::fs::write(&path, damaged).unwrap();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    assert!(
        app.status.contains("could not be read") && app.status.contains("alex.yaml, line"),
        "{}",
        app.status
    );
    assert_eq!(app.transcript().unwrap().id.as_str(), "p01");
    press(&mut app, "Tab");
    select_in_tree(&mut app, "Double data entry");
    press(&mut app, "P");
    let strip = quick_strip(&app);
    assert!(strip.starts_with("1 Double data entry"), "{strip}");
    app.open_transcript(3);
    app.save_place();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        damaged,
        "never written over"
    );
}

/// What the transcript pane shows: its rows of text and the cursor's cell.
fn transcript_pane(app: &App) -> (Vec<String>, Option<(u16, u16)>) {
    let buffer = render(app);
    let pane = app.areas().text_inner();
    let rows = (pane.y..pane.bottom())
        .map(|y| {
            (pane.x..pane.right())
                .map(|x| buffer[(x, y)].symbol())
                .collect()
        })
        .collect();
    (rows, keys::cursor_of(app))
}

#[test]
fn a_session_resumes_at_the_transcript_and_place_left() {
    let dir = sample();
    let place = {
        let mut app = open(dir.path(), "alex", 100, 30, true);
        app.open_transcript(2);
        press(&mut app, "} } } ] ]");
        app.save_place();
        transcript_pane(&app)
    };
    let app = open(dir.path(), "alex", 100, 30, true);
    assert_eq!(app.transcript().unwrap().id.as_str(), "p03");
    assert_eq!(
        transcript_pane(&app),
        place,
        "the same rows shown, the cursor on the same cell"
    );
    assert!(
        app.status.contains("Back where you left off: p03"),
        "{}",
        app.status
    );
}
