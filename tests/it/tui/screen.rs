//! The coding screen: snapshots, the picker, help, coding and undo, motions, search, switching transcripts, wide characters, escapes, the mouse, and the manual's key table.

use super::*;

#[test]
fn main_screen_snapshot() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    // Down to the first coded lines of p01, so coded text and stripes are on screen.
    press(&mut app, "} } } } w");
    insta::assert_snapshot!("main_screen_100x30", screen(&render(&app)));
}

#[test]
fn small_terminal_snapshot_80x24() {
    let dir = sample();
    let app = open(dir.path(), "alex", 80, 24, true);
    insta::assert_snapshot!("main_screen_80x24", screen(&render(&app)));
}

#[test]
fn monochrome_keeps_every_distinction() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 80, 24, false);
    press(&mut app, "} } } } w s");
    let buffer = render(&app);
    assert!(
        buffer
            .content()
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
        "no colours without colour"
    );
    let modifiers = |code: char| {
        buffer
            .content()
            .iter()
            .filter(|c| style_code(c) == code)
            .count()
    };
    assert!(
        modifiers('c') > 100 && modifiers('r') > 20,
        "coding underlined, selection reversed"
    );
    insta::assert_snapshot!("main_screen_no_color", screen(&buffer));
}

#[test]
fn picker_snapshot_and_coding_a_sentence_with_an_existing_code() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    press(&mut app, "} w s c");
    type_text(&mut app, "front door");
    insta::assert_snapshot!("picker", screen(&render(&app)));
    let before = coding_file(dir.path(), "alex", "p01");
    press(&mut app, "Enter");
    let shown = keys::prose_of(&render(&app));
    assert!(!shown.contains("Esc close"), "the picker closed: {shown}");
    assert!(
        shown.contains("Coded One front door referral"),
        "the status line says so: {shown}"
    );
    let after = coding_file(dir.path(), "alex", "p01");
    assert_ne!(before, after);
    assert!(
        after.contains("text: \"Yeah, of course.\""),
        "the sentence, without the speaker label:\n{after}"
    );
    // Coding with a code does not put it on a quick key: only pinning does (the strip in
    // the text pane's border still says how to pin one).
    assert!(
        keys::prose_of(&render(&app)).contains("P pins a code to the keys 1-9"),
        "{}",
        screen_text(&render(&app))
    );
}

#[test]
fn help_overlay_lists_the_keymaps_keys() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    press(&mut app, "?");
    let text = screen_text(&render(&app));
    assert!(text.contains("Keys: text"), "{text}");
    assert!(text.contains("select this sentence"), "{text}");
    insta::assert_snapshot!("help_overlay", screen(&render(&app)));
    press(&mut app, "x");
    assert!(
        !screen_text(&render(&app)).contains("Keys: text"),
        "any other key closes the help"
    );
}

#[test]
fn create_code_from_the_picker_then_undo_and_redo() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    press(&mut app, "} w s c");
    type_text(&mut app, "Being heard");
    press(&mut app, "Tab Enter");
    assert!(
        app.status.contains("Created \"Being heard\" under Culture"),
        "{}",
        app.status
    );
    let book = std::fs::read_to_string(dir.path().join("codebook.yaml")).unwrap();
    assert!(book.contains("name: Being heard"), "persisted at once");
    let file = coding_file(dir.path(), "alex", "p01");
    press(&mut app, "u");
    assert!(
        app.status.starts_with("Undid: create and code"),
        "{}",
        app.status
    );
    assert!(
        !std::fs::read_to_string(dir.path().join("codebook.yaml"))
            .unwrap()
            .contains("Being heard")
    );
    assert_ne!(coding_file(dir.path(), "alex", "p01"), file);
    press(&mut app, "Ctrl-r");
    assert!(
        std::fs::read_to_string(dir.path().join("codebook.yaml"))
            .unwrap()
            .contains("Being heard")
    );
    assert_eq!(
        coding_file(dir.path(), "alex", "p01").lines().count(),
        file.lines().count()
    );
}

#[test]
fn visual_mode_quick_keys_in_vivo_remove_and_adjust() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    let t = TranscriptId::new("p01").unwrap();
    let count = |app: &App| app.ws.project().segments(&alex(), &t).len();
    let base = count(&app);
    // Select the sentence "Yeah, of course." and code it in vivo.
    press(&mut app, "] v w w l l l l l l");
    assert_eq!(
        app.selected_range().map(|(s, e)| e - s),
        Some("Yeah, of course.".chars().count())
    );
    press(&mut app, "I");
    assert!(
        app.status.contains("Created \"Yeah, of course\""),
        "{}",
        app.status
    );
    assert_eq!(count(&app), base + 1);
    // Pinned (P on the code at the cursor), key 1 adds the same code to another selection.
    press(&mut app, "P j s 1");
    assert_eq!(count(&app), base + 2);
    assert!(
        app.status.starts_with("Coded Yeah, of course"),
        "{}",
        app.status
    );
    // Adjust: extend the segment's end by one word, then apply.
    let adjusted = app.my_segment_at_cursor().unwrap();
    press(&mut app, "e w");
    // Adjusting, as the status line says, the segment the cursor was on: its text shown
    // selected, with the word added.
    let shown = screen_text(&render(&app));
    assert!(
        shown.contains("ADJUST") && shown.contains(" adjusting "),
        "{shown}"
    );
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let selected = words(&keys::selected_text(&app));
    let segment = words(&adjusted.text);
    assert!(
        selected.starts_with(&segment) && selected.len() > segment.len(),
        "{selected:?} is not {segment:?} and more"
    );
    press(&mut app, "Enter");
    assert!(app.status.starts_with("Segment adjusted"), "{}", app.status);
    let now = app
        .ws
        .project()
        .segments(&alex(), &t)
        .iter()
        .find(|s| s.id == adjusted.id)
        .unwrap()
        .clone();
    assert!(now.end > adjusted.end, "{} > {}", now.end, adjusted.end);
    assert_eq!(
        app.ws
            .project()
            .transcript(&t)
            .unwrap()
            .slice(now.start, now.end),
        Some(now.text.as_str())
    );
    // Remove the code: the only code of the only segment here, so the segment goes.
    press(&mut app, "x");
    assert_eq!(count(&app), base + 1, "{}", app.status);
}

#[test]
fn motions_move_by_word_sentence_paragraph_and_turn() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    let text = app.transcript().unwrap().text().to_string();
    let on = |app: &App, needle: &str| {
        assert!(
            keys::cursor_on(app, needle),
            "the cursor on {needle:?}:\n{}",
            screen_text(&render(app))
        )
    };
    press(&mut app, "]");
    on(&app, "Yeah, of course"); // next turn: its speech
    press(&mut app, ")");
    on(&app, "So I'm the service manager");
    press(&mut app, "w");
    on(&app, "I'm the service manager");
    press(&mut app, "b (");
    on(&app, "Yeah, of course");
    press(&mut app, "}");
    on(&app, "Interviewer: What was the thinking");
    press(&mut app, "G");
    // The last character, before the final newline, on the last row of text shown.
    let last_char = text.trim_end().chars().last().unwrap().to_string();
    on(&app, &last_char);
    let pane = app.areas().text_inner();
    let last_row = (pane.y..pane.bottom())
        .rev()
        .find(|&y| line_of(&render(&app), y).contains(last_char.as_str()));
    assert_eq!(keys::cursor_of(&app).map(|(row, _)| row), last_row);
    press(&mut app, "g");
    on(&app, "Interviewer: Thanks for making time");
}

#[test]
fn search_highlights_and_jumps() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    press(&mut app, "/");
    type_text(&mut app, "front door");
    press(&mut app, "Enter");
    assert!(app.status.contains("hit 1 of"), "{}", app.status);
    let first = keys::cursor_of(&app).unwrap();
    assert!(
        keys::cursor_on(&app, "front door"),
        "the cursor on the first hit"
    );
    press(&mut app, "n");
    assert!(
        keys::cursor_of(&app).unwrap() > first,
        "n moves on to a later hit"
    );
    assert!(
        keys::cursor_on(&app, "front door"),
        "the cursor on the next hit"
    );
    let buffer = render(&app);
    let hits = buffer
        .content()
        .iter()
        .filter(|c| style_code(c) == 'h')
        .count();
    assert!(
        hits >= "front door".len() - 1,
        "hits are highlighted ({hits} cells)"
    );
}

#[test]
fn search_goes_on_through_the_other_transcripts() {
    let dir = sample();
    let query = "front door";
    // Where the phrase is, read from the transcript files themselves (interview order is
    // the ids' order in sample-project): each file's hits, in turn.
    let mut expected = Vec::new();
    for n in 1..=12 {
        let id = format!("p{n:02}");
        let text = std::fs::read_to_string(dir.path().join(format!("transcripts/{id}.txt")))
            .unwrap()
            .to_lowercase();
        for _ in text.matches(query) {
            expected.push(id.clone());
        }
    }
    assert!(expected.len() > 5);
    let mut app = open(dir.path(), "alex", 100, 30, true);
    press(&mut app, "BackTab j j j Enter");
    assert_eq!(
        app.transcript().unwrap().id.as_str(),
        "p04",
        "no hit in p04"
    );
    press(&mut app, "/");
    type_text(&mut app, query);
    press(&mut app, "Enter");
    // Not in p04: the search goes on to p05's hit, then round through all the others.
    let mut visited = vec![app.transcript().unwrap().id.to_string()];
    assert!(app.status.contains("in p05"), "{}", app.status);
    assert!(
        app.status.contains(&format!("{} hits in", expected.len())),
        "{}",
        app.status
    );
    for _ in 1..expected.len() {
        press(&mut app, "n");
        visited.push(app.transcript().unwrap().id.to_string());
    }
    let at = expected.iter().position(|id| id == "p05").unwrap();
    expected.rotate_left(at);
    assert_eq!(visited, expected);
    // And back again with N.
    press(&mut app, "N");
    assert_eq!(
        app.transcript().unwrap().id.to_string(),
        expected[expected.len() - 2]
    );
}

#[test]
fn transcripts_switch_from_the_list_and_the_fuzzy_jump() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    press(&mut app, "BackTab j j Enter");
    assert_eq!(app.transcript().unwrap().id.as_str(), "p03");
    assert_eq!(keys::focused_pane(&app), Some("text"));
    press(&mut app, "t");
    type_text(&mut app, "participant 11");
    press(&mut app, "Enter");
    assert_eq!(app.transcript().unwrap().id.as_str(), "p11");
}

#[test]
fn cjk_and_emoji_keep_highlights_aligned() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    let source = dir.path().join("cjk.txt");
    std::fs::write(
        &source,
        "Interviewer: 你觉得合作怎么样？\n\nParticipant 1: 很好 👩‍⚕️👍 我们每周见面。Then café.\n",
    )
    .unwrap();
    let mut meta = thematic::model::ProjectMeta::new("CJK");
    meta.coders.push(thematic::model::Coder {
        id: alex(),
        name: "Alex".into(),
    });
    let loaded = thematic::store::create(&project, meta).unwrap();
    let mut ws = Workspace::from_loaded(loaded.project, loaded.store);
    let plan = thematic::interop::import::plan_import(
        ws.project(),
        vec![thematic::interop::import::ImportRequest {
            path: source,
            details: Default::default(),
        }],
    )
    .unwrap();
    ws.apply(plan.edit).unwrap();
    drop(ws);
    let mut app = open(&project, "alex", 80, 12, true);
    // Ideographs are words of their own; the emoji are not words, so w skips them. `w w`
    // stops before the third word (a selection takes whole words), `;` takes it to its end.
    press(&mut app, "] v w w ;");
    press(&mut app, "c");
    type_text(&mut app, "Weekly");
    press(&mut app, "Enter");
    let seg = app
        .ws
        .project()
        .segments(&alex(), &TranscriptId::new("cjk").unwrap())[0]
        .clone();
    assert_eq!(seg.text, "很好 👩‍⚕️👍 我们");
    press(&mut app, "k");
    let buffer = render(&app);
    insta::assert_snapshot!("cjk_emoji", screen(&buffer));
    // The coded cells span exactly the columns of the coded text, wide characters included
    // (a wide character's style is carried by its first cell).
    let row = (0..buffer.area.height)
        .find(|&y| line_of(&buffer, y).contains("很"))
        .unwrap();
    let coded: Vec<u16> = (0..buffer.area.width)
        .filter(|&x| matches!(style_code(&buffer[(x, row)]), 'c' | 'C' | '#'))
        .collect();
    let graphemes =
        unicode_segmentation::UnicodeSegmentation::graphemes("很好 👩‍⚕️👍 我们", true).count();
    assert_eq!(coded.len(), graphemes, "{coded:?}");
    let width = unicode_width::UnicodeWidthStr::width("很好 👩‍⚕️👍 我们") as u16;
    assert_eq!(
        coded.last().unwrap() + 2 - coded[0],
        width,
        "from the first cell to the end of 们"
    );
    assert_eq!(buffer[(coded[0], row)].symbol(), "很");
}

#[test]
fn quit_and_focus_and_mouse_toggle() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    press(&mut app, "Tab");
    assert_eq!(keys::focused_pane(&app), Some("codebook"));
    press(&mut app, "Tab");
    assert_eq!(keys::focused_pane(&app), Some("list"));
    press(&mut app, "M");
    assert!(!app.mouse);
    app.update(Action::Quit);
    assert!(app.should_quit);
}

#[test]
fn manual_documents_every_default_binding() {
    let manual = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/coding-screen.md"),
    )
    .unwrap();
    let table = manual
        .split("## Keys")
        .nth(1)
        .unwrap()
        .split("The picker:")
        .next()
        .unwrap();
    let rows: Vec<Vec<&str>> = table
        .lines()
        .filter(|l| l.starts_with('|'))
        .map(|l| l.split('|').collect())
        .collect();
    let mut actions = std::collections::HashSet::new();
    let mut keys_shown = String::new();
    for row in &rows {
        let names = row.get(2).copied().unwrap_or("");
        actions.extend(
            names
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .filter(|t| !t.is_empty())
                .map(str::to_string),
        );
        keys_shown.push_str(row.get(1).copied().unwrap_or(""));
    }
    let keymap = Keymap::defaults().unwrap();
    for context in thematic::tui::keymap::Context::ALL {
        for (action, keys) in keymap.bindings(context) {
            let name = action.name();
            let quick = name.starts_with("quick-code-");
            assert!(
                actions.contains(name) || (quick && actions.contains("quick-code-9")),
                "the manual's key table lacks `{name}`"
            );
            for key in keys {
                let key = key.to_string();
                let arrow = matches!(key.as_str(), "Left" | "Right" | "Up" | "Down");
                assert!(
                    keys_shown.contains(&format!("`{key}`"))
                        || arrow
                        || (quick && keys_shown.contains("`1`-`9`")),
                    "the manual does not show key {key} for `{name}`"
                );
            }
        }
    }
}

#[test]
fn escape_sequences_in_a_transcript_never_reach_the_terminal() {
    let dir = sample();
    // Someone edits a transcript outside the tool and leaves terminal escapes in it.
    let path = dir.path().join("transcripts/p01.txt");
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "Thanks",
        "\u{1b}[2J\u{1b}]0;pwned\u{7}\u{9b}31mThanks",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let coder = alex();
    let (ws, _) = Workspace::open(dir.path(), Some(&coder)).unwrap();
    let app = App::new(
        ws,
        coder,
        Keymap::defaults().unwrap(),
        Theme { colour: true },
        Rect::new(0, 0, 100, 30),
    );
    let buffer = render(&app);
    for cell in buffer.content() {
        assert!(
            !cell.symbol().chars().any(|c| c.is_control()),
            "a control character reached the screen: {:?}",
            cell.symbol()
        );
    }
    assert!(screen_text(&buffer).contains("\u{FFFD}[2J\u{FFFD}]0;pwned\u{FFFD}\u{FFFD}31mThanks"));
}

#[test]
fn mouse_clicks_focus_and_move_and_drags_select() {
    use crossterm::event::{Event, MouseButton, MouseEvent, MouseEventKind};
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    let mouse = |kind, column, row| {
        Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    let inner = app.areas().text_inner();
    // Click on the first character of the second text row, drag to the 10th of the third.
    app.handle_event(mouse(
        MouseEventKind::Down(MouseButton::Left),
        inner.x,
        inner.y + 1,
    ));
    assert_eq!(keys::focused_pane(&app), Some("text"));
    assert_eq!(
        keys::cursor_of(&app),
        Some((inner.y + 1, inner.x)),
        "the cursor on the cell clicked"
    );
    app.handle_event(mouse(
        MouseEventKind::Drag(MouseButton::Left),
        inner.x + 9,
        inner.y + 2,
    ));
    app.handle_event(mouse(
        MouseEventKind::Up(MouseButton::Left),
        inner.x + 9,
        inner.y + 2,
    ));
    // Selected on screen: from the cell clicked through the cell released on.
    let selected = keys::selected_cells(&app);
    assert_eq!(selected.first(), Some(&(inner.y + 1, inner.x)));
    assert_eq!(selected.last(), Some(&(inner.y + 2, inner.x + 9)));
    // A click in the transcript list opens that transcript.
    let list = app.areas().list;
    app.handle_event(mouse(
        MouseEventKind::Down(MouseButton::Left),
        list.x + 3,
        list.y + 3,
    ));
    assert_eq!(app.transcript().unwrap().id.as_str(), "p03");
    assert_eq!(keys::focused_pane(&app), Some("list"));
    // With the mouse off, clicks are the terminal's.
    press(&mut app, "M");
    app.handle_event(mouse(
        MouseEventKind::Down(MouseButton::Left),
        list.x + 3,
        list.y + 1,
    ));
    assert_eq!(app.transcript().unwrap().id.as_str(), "p03");
}

/// While the project loads, the transcript list shows no done or sample mark for the
/// transcripts whose coding is not read yet (p02 is in the sample and marked done by alex:
/// ◆ would say "not done"); once loaded, p02 shows ✓.
#[test]
fn done_marks_are_blank_until_the_project_is_loaded() {
    let dir = sample();
    let (mut ws, problems) = Workspace::open_first(dir.path(), Some(&alex())).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert!(ws.is_opening(), "two phases");
    ws.store_mut().set_read_only();
    let mut app = App::new(
        ws,
        alex(),
        Keymap::defaults().unwrap(),
        Theme { colour: true },
        Rect::new(0, 0, 120, 30),
    );
    thematic::tui::startup::begin(&mut app, Vec::new());
    let row = |app: &App, id: &str| {
        let screen = keys::text_of(&render(app));
        screen
            .lines()
            .find(|l| l.contains(&format!("{id} Participant")))
            .unwrap_or_else(|| panic!("{id} listed"))
            .to_string()
    };
    let loading = row(&app, "p02");
    assert!(
        !loading.contains('◆') && !loading.contains('✓'),
        "while loading: {loading}"
    );
    thematic::tui::startup::handle_event(&mut app, crossterm::event::Event::FocusGained).unwrap();
    assert!(row(&app, "p02").contains("✓p02"), "{}", row(&app, "p02"));
}
