//! The coding screen through `App::update` and ratatui's TestBackend: what a user would see
//! and what ends up on disk. Snapshots show the screen's text and, below it, a map of the
//! styles of each cell, so that highlights are checked and not only the symbols:
//!   c coded  C coded by overlapping segments  s selected  h search hit  # cursor
//!   d dim (interviewer)  b bold (speaker label, headings)  f coloured text  r reversed
//!   (nothing) plain

use crate::common;
use common::copy_dir;
use common::keys::{self, Tui};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use std::path::{Path, PathBuf};
use thematic::model::{CoderId, Edit, Sample, TranscriptId};
use thematic::tui::action::Action;
use thematic::tui::app::{App, Focus, Overlay};
use thematic::tui::keymap::{Key, Keymap};
use thematic::tui::theme::Theme;
use thematic::tui::views;
use thematic::workspace::Workspace;

fn alex() -> CoderId {
    CoderId::new("alex").unwrap()
}

/// A private copy of sample-project.
fn sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-project"),
        dir.path(),
    );
    dir
}

fn open(dir: &Path, coder: &str, width: u16, height: u16, colour: bool) -> App {
    let coder = CoderId::new(coder).unwrap();
    let (ws, problems) = Workspace::open(dir, Some(&coder)).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let mut app = App::new(
        ws,
        coder,
        Keymap::defaults().unwrap(),
        Theme { colour },
        Rect::new(0, 0, width, height),
    );
    app.ensure_coder_listed();
    app
}

fn press(app: &mut App, keys: &str) {
    for spec in keys.split(' ').filter(|s| !s.is_empty()) {
        let key = Key::parse(spec).unwrap_or_else(|| panic!("bad key {spec}"));
        app.handle_key(KeyEvent::new(key.code, key.modifiers));
    }
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

fn render(app: &App) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(app.size.width, app.size.height)).unwrap();
    terminal.draw(|f| views::draw(app, f)).unwrap();
    terminal.backend().buffer().clone()
}

fn style_code(cell: &ratatui::buffer::Cell) -> char {
    let m = cell.modifier;
    if m.contains(Modifier::REVERSED) && cell.bg != Color::Reset {
        return '#';
    }
    // The theme's own colours, not numbers written here: a changed colour changes the
    // snapshot's picture only if it stops telling these apart.
    let theme = Theme { colour: true };
    let bg = |style: ratatui::style::Style| style.bg.unwrap_or(Color::Reset);
    match cell.bg {
        c if c == bg(theme.selection()) => return 's',
        c if c == bg(theme.search_hit()) => return 'h',
        Color::Rgb(..) if m.contains(Modifier::UNDERLINED) => return 'C',
        c if c == bg(theme.status()) => return ' ',
        Color::Rgb(..) => return 'c',
        _ => {}
    }
    if m.contains(Modifier::REVERSED) {
        'r'
    } else if m.contains(Modifier::UNDERLINED) {
        if m.contains(Modifier::BOLD) { 'C' } else { 'c' }
    } else if m.contains(Modifier::DIM) {
        'd'
    } else if m.contains(Modifier::BOLD) {
        'b'
    } else if cell.fg != Color::Reset {
        'f'
    } else {
        ' '
    }
}

/// The screen's text, then the style map of the same cells.
fn screen(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut text = String::new();
    let mut styles = String::new();
    for y in 0..area.height {
        let mut skip = 0;
        for x in 0..area.width {
            let cell = &buffer[(x, y)];
            if skip == 0 {
                text.push_str(cell.symbol());
            }
            skip =
                (skip.max(unicode_width::UnicodeWidthStr::width(cell.symbol()))).saturating_sub(1);
            styles.push(style_code(cell));
        }
        text.push('\n');
        styles.push_str("|\n");
    }
    format!("{text}--- styles ---\n{styles}")
}

fn line_of(buffer: &Buffer, y: u16) -> String {
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol().to_string())
        .collect()
}

fn screen_text(buffer: &Buffer) -> String {
    (0..buffer.area.height)
        .map(|y| line_of(buffer, y))
        .collect::<Vec<_>>()
        .join("\n")
}

fn coding_file(dir: &Path, coder: &str, t: &str) -> String {
    std::fs::read_to_string(dir.join(format!("codings/{coder}/{t}.yaml"))).unwrap_or_default()
}

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
    assert_eq!(
        app.code.view.as_ref().unwrap().adjusting.as_ref(),
        Some(&adjusted.id)
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
    let first = app.code.view.as_ref().unwrap().cursor;
    press(&mut app, "n");
    assert!(app.code.view.as_ref().unwrap().cursor > first);
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
    assert_eq!(app.code.focus, Focus::Text);
    press(&mut app, "t");
    type_text(&mut app, "participant 11");
    press(&mut app, "Enter");
    assert_eq!(app.transcript().unwrap().id.as_str(), "p11");
}

/// Sam joins, and p01 is put in the double-coding sample with alex as its primary coder.
fn sam_joins_with_p01_in_the_sample(dir: &Path) {
    let (mut ws, _) = Workspace::open(dir, None).unwrap();
    let before = ws.project().meta.clone();
    let mut after = before.clone();
    if after.coder(&CoderId::new("sam").unwrap()).is_none() {
        after.coders.push(thematic::model::Coder {
            id: CoderId::new("sam").unwrap(),
            name: "Sam".into(),
        });
    }
    after.rounds = vec![Sample {
        primary: alex(),
        seconds: vec![CoderId::new("sam").unwrap()],
        transcripts: vec![TranscriptId::new("p01").unwrap()],
        fraction: None,
        seed: None,
        stratify: None,
        started: None,
        independent: None,
    }];
    ws.apply(Edit::UpdateProject {
        before: Box::new(before),
        after: Box::new(after),
    })
    .unwrap();
}

#[test]
fn other_coders_are_hidden_on_blind_sample_transcripts_until_revealed() {
    let dir = sample();
    sam_joins_with_p01_in_the_sample(dir.path());
    let mut sam = open(dir.path(), "sam", 100, 30, true);
    assert!(sam.status.contains("code it blind"), "{}", sam.status);
    press(&mut sam, "A");
    assert!(
        sam.code.view.as_ref().unwrap().segments.is_empty(),
        "alex's segments stay hidden on p01"
    );
    assert!(sam.status.contains("coded blind"), "{}", sam.status);
    let title = line_of(&render(&sam), 0);
    assert!(title.contains("coding blind"), "{title}");
    press(&mut sam, "R");
    assert!(
        sam.code.view.as_ref().unwrap().segments.is_empty(),
        "R asks first: nothing is shown yet"
    );
    let asked = screen(&render(&sam));
    assert!(
        asked.contains("Reveal alex's coding of p01?") && asked.contains("recorded"),
        "{asked}"
    );
    press(&mut sam, "n");
    assert!(
        sam.code.view.as_ref().unwrap().segments.is_empty(),
        "n keeps it blind"
    );
    let trail = dir.path().join("audit").join("sam.yaml");
    assert!(
        !std::fs::read_to_string(&trail)
            .unwrap_or_default()
            .contains("revealed")
    );
    press(&mut sam, "R y");
    assert_eq!(
        sam.code.view.as_ref().unwrap().segments.len(),
        24,
        "revealed"
    );
    let recorded = std::fs::read_to_string(&trail).unwrap();
    assert!(
        recorded.contains("revealed the other coders' work on p01 before every coder"),
        "{recorded}"
    );
    // On p02, not in this test's sample, everyone's coding shows with A on: alex's 24
    // segments and sam's own 25.
    press(&mut sam, "t");
    type_text(&mut sam, "p02");
    press(&mut sam, "Enter");
    assert_eq!(sam.code.view.as_ref().unwrap().segments.len(), 24 + 25);
    press(&mut sam, "A");
    assert_eq!(
        sam.code.view.as_ref().unwrap().segments.len(),
        25,
        "own coding only"
    );
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
    assert_eq!(app.code.focus, Focus::Codebook);
    press(&mut app, "Tab");
    assert_eq!(app.code.focus, Focus::List);
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
    assert_eq!(app.code.focus, Focus::Text);
    let row_start = app.code.view.as_ref().unwrap().wrapped.rows[1].start;
    assert_eq!(app.code.view.as_ref().unwrap().cursor, row_start);
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
    let (start, end) = app.selected_range().unwrap();
    assert_eq!(start, row_start);
    assert_eq!(
        end,
        app.code.view.as_ref().unwrap().wrapped.rows[2].start + 10
    );
    // A click in the transcript list opens that transcript.
    let list = app.areas().list;
    app.handle_event(mouse(
        MouseEventKind::Down(MouseButton::Left),
        list.x + 3,
        list.y + 3,
    ));
    assert_eq!(app.transcript().unwrap().id.as_str(), "p03");
    assert_eq!(app.code.focus, Focus::List);
    // With the mouse off, clicks are the terminal's.
    press(&mut app, "M");
    app.handle_event(mouse(
        MouseEventKind::Down(MouseButton::Left),
        list.x + 3,
        list.y + 1,
    ));
    assert_eq!(app.transcript().unwrap().id.as_str(), "p03");
}

/// Selects the code named `name` in the code tree (the Codebook screen, or the Code
/// screen's codebook pane when it has the keys) as a user does: to the top, then down to its
/// row (its place in the codebook, nothing folded).
fn select_in_tree(app: &mut App, name: &str) {
    let row = app
        .project()
        .codebook
        .walk()
        .iter()
        .position(|(_, code)| code.name == name)
        .unwrap_or_else(|| panic!("{name} not in the codebook"));
    press(app, "g");
    press(app, &"j ".repeat(row));
}

fn code_id(app: &App, name: &str) -> thematic::model::CodeId {
    app.ws.project().codebook.find(name)[0].id.clone()
}

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

/// How many quotes the Retrieve screen lists, as its title says ("... · 12 quote(s)", cut to
/// "12 quote(…" on a narrow screen).
fn quotes_listed(app: &App) -> usize {
    let text = keys::prose_of(&render(app));
    let before = text
        .split(" quote(")
        .next()
        .filter(|b| b.len() < text.len())
        .unwrap_or_else(|| panic!("not the Retrieve screen: {text}"));
    before
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in the title: {text}"))
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

/// How many memos the Memos screen lists, as its title says ("Memos · 6 · ...").
fn memos_listed(app: &App) -> usize {
    let text = keys::prose_of(&render(app));
    let after = text
        .split("Memos · ")
        .nth(1)
        .unwrap_or_else(|| panic!("not the Memos screen: {text}"));
    after
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in the title: {text}"))
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

#[test]
fn blind_coding_lifts_when_both_coders_mark_the_transcript_done() {
    let dir = sample();
    sam_joins_with_p01_in_the_sample(dir.path());
    let mut alex_app = open(dir.path(), "alex", 100, 30, true);
    press(&mut alex_app, "F");
    assert!(
        alex_app
            .ws
            .project()
            .is_done(&alex(), &TranscriptId::new("p01").unwrap())
    );
    assert!(
        std::fs::read_to_string(dir.path().join("codings/alex/p01.yaml"))
            .unwrap()
            .contains("done: true")
    );
    drop(alex_app);
    let mut sam = open(dir.path(), "sam", 100, 30, true);
    press(&mut sam, "A");
    assert!(
        sam.code.view.as_ref().unwrap().segments.is_empty(),
        "alex is done, sam is not: still blind"
    );
    press(&mut sam, "F");
    assert!(sam.status.contains("alex has too"), "{}", sam.status);
    assert_eq!(
        sam.code.view.as_ref().unwrap().segments.len(),
        24,
        "both done: alex's coding shows"
    );
    press(&mut sam, "u");
    assert!(
        sam.code.view.as_ref().unwrap().segments.is_empty(),
        "undone: blind again"
    );
}

#[test]
fn agreement_view_worst_first_walk_and_resolve() {
    let dir = sample();
    let mut sam = open(dir.path(), "sam", 120, 34, true);
    press(&mut sam, "V");
    assert_eq!(sam.view_mode, thematic::tui::app::View::Agreement);
    let state = sam.screens.agreement.as_ref().unwrap();
    let kappas: Vec<f64> = state
        .order
        .iter()
        .map(|&i| state.now.per_code[i].table.kappa().unwrap_or(f64::INFINITY))
        .collect();
    assert!(
        kappas.windows(2).all(|w| w[0] <= w[1]),
        "worst first: {kappas:?}"
    );
    // The figures are the command's: the same analysis over the sample.
    let cmp = state.comparison.clone();
    assert_eq!(
        state.now,
        thematic::analysis::agreement::agreement(sam.ws.project(), &cmp)
    );
    insta::assert_snapshot!("agreement_view", screen(&render(&sam)));
    // Walk the worst code's disagreements and adopt alex's coding of the first one.
    press(&mut sam, "Enter");
    let (code, items, _) = sam
        .screens
        .agreement
        .as_ref()
        .unwrap()
        .walk
        .clone()
        .unwrap();
    let first = items[0].clone();
    let segments_before = sam
        .ws
        .project()
        .segments(&CoderId::new("sam").unwrap(), &first.transcript)
        .len();
    let kappa_before = sam
        .screens
        .agreement
        .as_ref()
        .unwrap()
        .now
        .per_code
        .iter()
        .find(|c| c.code == code)
        .unwrap()
        .table
        .kappa();
    press(&mut sam, "a");
    assert!(
        sam.status.starts_with("Resolved: adopted alex's coding"),
        "{}",
        sam.status
    );
    let after = sam.screens.agreement.as_ref().unwrap();
    let kappa_after = after
        .now
        .per_code
        .iter()
        .find(|c| c.code == code)
        .unwrap()
        .table
        .kappa();
    assert_ne!(kappa_before, kappa_after, "figures update as you go");
    assert_eq!(
        after
            .before
            .per_code
            .iter()
            .find(|c| c.code == code)
            .unwrap()
            .table
            .kappa(),
        kappa_before,
        "the before figures stay"
    );
    assert_ne!(
        sam.ws
            .project()
            .segments(&CoderId::new("sam").unwrap(), &first.transcript)
            .len(),
        segments_before
    );
    // Keep mine on the next: nothing changes but the decision is recorded.
    press(&mut sam, "m");
    assert!(sam.status.contains("(recorded)"), "{}", sam.status);
    let trail = std::fs::read_to_string(dir.path().join("audit/sam.yaml")).unwrap();
    assert_eq!(
        trail.matches("resolved a disagreement").count(),
        2,
        "{trail}"
    );
    // The resolution is an edit: undo puts sam's coding back.
    press(&mut sam, "u");
    assert_eq!(
        sam.ws
            .project()
            .segments(&CoderId::new("sam").unwrap(), &first.transcript)
            .len(),
        segments_before
    );
    // ...and the trail says so, as it says when the resolution is redone.
    let trail = std::fs::read_to_string(dir.path().join("audit/sam.yaml")).unwrap();
    assert_eq!(
        trail.matches("undid: resolved a disagreement").count(),
        1,
        "{trail}"
    );
    press(&mut sam, "Ctrl-r");
    let trail = std::fs::read_to_string(dir.path().join("audit/sam.yaml")).unwrap();
    assert_eq!(
        trail.matches("redid: resolved a disagreement").count(),
        1,
        "{trail}"
    );
    assert!(trail.contains("adopted alex's coding"), "{trail}");
}

#[test]
fn analysis_view_charts_saturation_and_tables_the_themes() {
    let dir = sample();
    let mut tui = Tui::open_with(dir.path(), "alex", 110, 34, Theme { colour: false });
    tui.press("Y");
    // By default every coder whose work alex may see (nothing is blind to alex, the sample's
    // primary coder), as on the command line.
    assert!(
        tui.shows("Analysis · Saturation · coding of alex, sam · 12 transcripts"),
        "{}",
        tui.text()
    );
    let sub_theme_count = tui
        .app
        .ws
        .project()
        .codebook
        .walk()
        .into_iter()
        .filter(|(_, c)| c.level == thematic::model::Level::SubTheme)
        .count();
    assert_eq!(sub_theme_count, 14);
    tui.press("L");
    // sample-project's codebook has 14 sub-themes; p04 brings the last of them. The sentence
    // is the report's and `thematic stats DIR saturation`'s.
    assert!(
        tui.shows(
            "Sub-themes: saturation reached after p04 (coded interview 4 of 12, Participant 4): no new sub-theme in the 8 coded interviews that followed (a run of 3 is required; all 12 transcripts coded)."
        ),
        "{}",
        tui.text()
    );
    insta::assert_snapshot!("analysis_saturation_sub_themes", screen(&tui.draw()));
    // A run of 9 after p04's last new sub-theme is more than the 8 interviews that follow.
    tui.press("+ + + + + +");
    assert!(
        tui.shows(
            "Sub-themes: saturation not reached: the last new sub-theme appeared in p04 (coded interview 4 of 12, Participant 4), followed by 8 coded interviews without a new one (a run of 9 is required;"
        ),
        "{}",
        tui.text()
    );
    tui.press("- - - - - - - - - - -");
    assert!(tui.shows("(a run of 1 is required;"), "never below one");
    tui.press("Tab Tab Tab");
    assert!(tui.shows("theme / sub-theme"), "{}", tui.text());
    assert!(
        tui.shows("Expectation and reality of the integration"),
        "{}",
        tui.text()
    );
    insta::assert_snapshot!("analysis_themes", screen(&tui.draw()));
    // Tab goes on to the frequencies, then wraps around to saturation; L went on counting by
    // sub-theme.
    tui.press("Tab Tab");
    assert!(tui.shows("no new sub-theme in the"));
    tui.press("F2");
    assert!(
        tui.shows("p01 ·"),
        "back on the Code screen: {}",
        tui.text()
    );
}

#[test]
fn analysis_matrix_cells_open_their_quotes() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 120, 34, false);
    // Matrix tab, themes level, columns by the first attribute (role), presence.
    press(&mut app, "Y Tab L L a m m");
    let state = app.screens.analysis.as_ref().unwrap();
    assert_eq!(state.by.as_deref(), Some("role"));
    let m = &state.matrix;
    let project = app.ws.project().clone();
    let alex = CoderId::new("alex").unwrap();
    // Counted independently: alex's segments under the first theme, by the role of their
    // transcript, walking each segment's codes up to their theme.
    let theme = m.rows[0].code.clone();
    let under_theme = |code: &thematic::model::CodeId| {
        let mut at = Some(code);
        while let Some(c) = at {
            if c == &theme {
                return true;
            }
            at = project.codebook.parent(c);
        }
        false
    };
    let role_of = |t: &TranscriptId| project.transcript(t).unwrap().meta.attributes["role"].clone();
    let column = m.columns[1].clone();
    let mut transcripts = std::collections::BTreeSet::new();
    let mut segments = 0;
    for (coder, t, s) in project.all_segments() {
        if coder == &alex && role_of(t) == column && s.codes.iter().any(under_theme) {
            transcripts.insert(t.clone());
            segments += 1;
        }
    }
    press(&mut app, "l");
    let screen = screen_text(&render(&app));
    assert!(
        screen.contains(&format!(
            "in {column}: {} transcripts with it (presence)",
            transcripts.len()
        )),
        "{screen}"
    );
    insta::assert_snapshot!("analysis_matrix", screen);
    press(&mut app, "Enter");
    assert_eq!(app.view_mode, thematic::tui::app::View::Retrieve);
    let quotes = &app.screens.retrieve.as_ref().unwrap().quotes;
    assert_eq!(
        quotes.len(),
        segments,
        "every quote behind the cell, and only those"
    );
    assert!(quotes.iter().all(|q| role_of(&q.transcript) == column));
    press(&mut app, "Backspace");
    assert_eq!(app.view_mode, thematic::tui::app::View::Analysis);
}

#[test]
fn analysis_cooccurrence_ranks_pairs_and_opens_their_passages() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 110, 34, false);
    press(&mut app, "Y Tab Tab");
    let state = app.screens.analysis.as_ref().unwrap();
    assert!(
        state.pairs.windows(2).all(|w| w[0].count >= w[1].count),
        "most frequent first"
    );
    let top = state.pairs[0].clone();
    let project = app.ws.project().clone();
    let name = |id: &thematic::model::CodeId| project.codebook.get(id).unwrap().name.clone();
    // Counted independently: one coder's segments in each transcript that overlap, one
    // carrying the first code and the other the second (or one segment carrying both); every
    // coder alex may see (alex and sam) counts.
    let mut overlaps = 0;
    for (coder, t) in ["alex", "sam"].iter().flat_map(|c| {
        project
            .transcripts_in_order()
            .into_iter()
            .map(move |t| (CoderId::new(*c).unwrap(), t))
    }) {
        let segs = project.segments(&coder, &t.id);
        for (i, s) in segs.iter().enumerate() {
            for o in &segs[i..] {
                let meet = s.start < o.end && o.start < s.end;
                let has = |x: &thematic::model::Segment, c| x.codes.contains(c);
                let pair = (has(s, &top.a) && has(o, &top.b)) || (has(s, &top.b) && has(o, &top.a));
                if meet && pair {
                    overlaps += 1;
                }
            }
        }
    }
    assert_eq!(top.count, overlaps);
    let pairs_screen = screen_text(&render(&app));
    assert!(
        pairs_screen.contains(&format!("{} × {}", name(&top.a), name(&top.b))),
        "{pairs_screen}"
    );
    press(&mut app, "Enter");
    let (passages, _) = app
        .screens
        .analysis
        .as_ref()
        .unwrap()
        .passages
        .clone()
        .unwrap();
    assert_eq!(passages.len(), top.count);
    insta::assert_snapshot!("analysis_cooccurrence_passages", screen(&render(&app)));
    let first = &passages[0];
    let text = project
        .transcript(&first.transcript)
        .unwrap()
        .slice(first.start, first.end)
        .unwrap()
        .trim()
        .to_string();
    let opening: String = text.chars().take(30).collect();
    assert!(screen_text(&render(&app)).contains(&opening));
    press(&mut app, "Esc");
    assert!(app.screens.analysis.as_ref().unwrap().passages.is_none());
}

#[test]
fn a_chosen_exemplar_is_saved_and_cited_in_the_theme_table() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 110, 34, false);
    press(&mut app, "B Enter j j");
    let r = app.screens.retrieve.as_ref().unwrap();
    let theme = r.code.clone();
    let quote = r.current().unwrap().clone();
    assert_ne!(Some(&quote), r.quotes.first(), "not the default exemplar");
    press(&mut app, "e");
    // On disk: reloading the project finds the choice, and the theme table cites it.
    let loaded = thematic::store::load(dir.path()).unwrap().project;
    let saved = loaded
        .codebook
        .get(&theme)
        .unwrap()
        .exemplar
        .clone()
        .unwrap();
    assert_eq!(
        (&saved.transcript, &saved.coder, &saved.id),
        (&quote.transcript, &quote.coder, &quote.segment)
    );
    let table = thematic::analysis::tables::theme_table(&loaded, &Default::default());
    let row = table.iter().find(|r| r.code == theme).unwrap();
    assert_eq!(row.exemplar.as_deref(), Some(quote.cite().as_str()));
    // Again: cleared, and undo brings it back.
    press(&mut app, "e");
    assert!(
        app.ws
            .project()
            .codebook
            .get(&theme)
            .unwrap()
            .exemplar
            .is_none()
    );
    press(&mut app, "u");
    assert!(
        app.ws
            .project()
            .codebook
            .get(&theme)
            .unwrap()
            .exemplar
            .is_some()
    );
}

#[test]
fn analysis_figures_filter_by_attribute() {
    let dir = sample();
    let mut tui = Tui::open_with(dir.path(), "alex", 110, 34, Theme { colour: false });
    tui.press("Y f").type_text("Brookfield").press("Enter");
    let wanted = ("organisation".to_string(), "Brookfield Council".to_string());
    let project = tui.app.ws.project().clone();
    let brookfield: Vec<TranscriptId> = project
        .transcripts_in_order()
        .iter()
        .filter(|t| t.meta.attributes.get(&wanted.0) == Some(&wanted.1))
        .map(|t| t.id.clone())
        .collect();
    assert!(!brookfield.is_empty() && brookfield.len() < 12);
    assert!(
        tui.shows("coding of alex, sam · 5 transcripts · only organisation = Brookfield Council"),
        "the title says whose coding and which transcripts: {}",
        tui.text()
    );
    // The saturation table lists Brookfield's interviews, and only those.
    let shown = tui.prose();
    for t in project.transcripts_in_order() {
        assert_eq!(
            shown.contains(&format!(" {} ", t.id)),
            brookfield.contains(&t.id),
            "{} in\n{}",
            t.id,
            tui.text()
        );
    }
    let mut app = tui.app;
    press(&mut app, "?");
    let help = screen_text(&render(&app));
    assert!(
        help.contains("Keys: analysis"),
        "the help names the view's keys: {help}"
    );
}

#[test]
fn opening_a_transcript_edited_elsewhere_says_so() {
    let dir = sample();
    let path = dir.path().join("transcripts/p02.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("[Note added by hand.]\n{text}")).unwrap();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    press(&mut app, "BackTab j Enter");
    assert_eq!(app.transcript().unwrap().id.as_str(), "p02");
    assert!(
        app.status.contains("changed outside thematic") && app.status.contains("check --fix"),
        "{}",
        app.status
    );
    // An untouched transcript says nothing of the kind.
    press(&mut app, "BackTab j Enter");
    assert!(!app.status.contains("outside"), "{}", app.status);
}

#[test]
fn analysis_view_leaves_out_coding_still_blind_to_the_viewer() {
    let dir = sample();
    // alex has not marked p02 done yet, so to sam (the sample's second coder) alex's p02 is
    // still blind.
    let path = dir.path().join("codings/alex/p02.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("done: true\n"));
    std::fs::write(&path, text.replacen("done: true\n", "done: false\n", 1)).unwrap();
    let mut app = open(dir.path(), "sam", 130, 40, false);
    press(&mut app, "Y");
    let state = app.screens.analysis.as_ref().unwrap();
    let project = app.ws.project();
    let p02 = TranscriptId::new("p02").unwrap();
    let visible = thematic::analysis::tables::Scope {
        hidden: [(CoderId::new("alex").unwrap(), p02.clone())].into(),
        ..Default::default()
    };
    let tables = &thematic::analysis::tables::Scope::default();
    assert_eq!(
        state.saturation,
        thematic::analysis::tables::saturation(project, &visible)
    );
    assert_ne!(
        state.saturation,
        thematic::analysis::tables::saturation(project, tables),
        "alex's p02 would change the figures"
    );
    assert_eq!(
        state.themes,
        thematic::analysis::tables::theme_table(project, &visible)
    );
    assert!(
        state.whose.contains("others' blind coding left out"),
        "{}",
        state.whose
    );
    // Once alex marks p02 done too, nothing is blind and everyone's coding counts.
    drop(app);
    std::fs::write(&path, text).unwrap();
    let mut app = open(dir.path(), "sam", 130, 40, false);
    press(&mut app, "Y");
    let state = app.screens.analysis.as_ref().unwrap();
    assert_eq!(
        state.saturation,
        thematic::analysis::tables::saturation(app.ws.project(), tables)
    );
    assert_eq!(state.whose, "coding of alex, sam · 12 transcripts");
}

#[test]
fn analysis_view_counts_one_coder_when_chosen_as_the_command_line_does() {
    let dir = sample();
    let mut tui = Tui::open_with(dir.path(), "alex", 140, 34, Theme { colour: false });
    tui.press("Y c");
    assert!(
        tui.shows("coding of alex · 12 transcripts"),
        "{}",
        tui.text()
    );
    assert!(
        tui.shows(
            "Codes: saturation reached after p07 (coded interview 7 of 12, Participant 7): no new code in the 5 coded interviews that followed"
        ),
        "alex's own figure, as `thematic stats DIR saturation --coders alex` gives it: {}",
        tui.text()
    );
    tui.press("c");
    assert!(
        tui.shows("coding of sam · 12 transcripts"),
        "{}",
        tui.text()
    );
    assert!(
        tui.shows("(a run of 3 is required; 3 of 12 transcripts coded)."),
        "sam coded 3 of 12: {}",
        tui.text()
    );
    tui.press("c");
    assert!(
        tui.shows("coding of alex, sam · 12 transcripts"),
        "back to every coder: {}",
        tui.text()
    );
}

#[test]
fn analysis_frequencies_draw_each_codes_segments_under_its_theme() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 140, 60, true);
    press(&mut app, "Y Tab Tab Tab Tab");
    let state = app.screens.analysis.as_ref().unwrap();
    assert_eq!(
        state.tab,
        thematic::tui::screens::analysis::AnalysisTab::Frequencies
    );
    // Counted again from the raw segments: every coder's segments carrying the code (the
    // sample's code-level nodes have nothing below them; nothing is blind to alex).
    let project = app.ws.project();
    let mut bars = 0;
    for group in &state.frequencies {
        assert_eq!(
            project.codebook.parent(&group.theme),
            None,
            "grouped by theme"
        );
        for (code, shown) in &group.codes {
            let raw = project
                .all_segments()
                .filter(|(_, _, s)| s.codes.contains(code))
                .count() as u64;
            assert_eq!(*shown, raw, "{}", app.code_name(code));
            bars += 1;
        }
    }
    assert_eq!(bars, 37, "one bar per code");
    let screen = screen_text(&render(&app));
    assert!(screen.contains("Culture"), "{screen}");
    assert!(screen.contains("Different attitudes to risk"), "{screen}");
    assert!(screen.contains("████"), "bars are drawn: {screen}");
}

/// The rows of the screen that show `needle`.
fn rows_showing(buffer: &Buffer, needle: &str) -> Vec<u16> {
    (0..buffer.area.height)
        .filter(|&y| line_of(buffer, y).contains(needle))
        .collect()
}

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
        assert_eq!(app.code.focus, Focus::Codebook);
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

/// The quick-code strip as the Code screen draws it in the transcript pane's bottom border
/// ("1 One front door…  3 Us-and-them language").
fn quick_strip(app: &App) -> String {
    let pane = app.areas().text;
    let buffer = render(app);
    let y = pane.y + pane.height - 1;
    (pane.x..pane.x + pane.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect::<String>()
        .trim_matches(|c: char| c == '─' || c == '└' || c == '┘' || c.is_whitespace())
        .to_string()
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

#[test]
fn a_session_resumes_at_the_transcript_and_place_left() {
    let dir = sample();
    let place = {
        let mut app = open(dir.path(), "alex", 100, 30, true);
        app.open_transcript(2);
        press(&mut app, "} } } ] ]");
        app.save_place();
        let view = app.code.view.as_ref().unwrap();
        (view.cursor, view.scroll)
    };
    let app = open(dir.path(), "alex", 100, 30, true);
    assert_eq!(app.transcript().unwrap().id.as_str(), "p03");
    let view = app.code.view.as_ref().unwrap();
    assert_eq!((view.cursor, view.scroll), place);
    assert!(
        app.status.contains("Back where you left off: p03"),
        "{}",
        app.status
    );
}

#[test]
fn undo_and_redo_say_what_and_where_and_go_there() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    press(&mut app, "} w s c");
    type_text(&mut app, "front door");
    press(&mut app, "Enter");
    let segment = app.my_segment_at_cursor().unwrap();
    let text = app.transcript().unwrap().text().to_string();
    let byte = text.char_indices().nth(segment.start).unwrap().0;
    let line = text[..byte].matches('\n').count() + 1;
    let said = format!("coded 'One front door referral' on p01, line {line}");
    // Elsewhere: another transcript, another view.
    app.open_transcript(4);
    press(&mut app, "B");
    press(&mut app, "u");
    assert_eq!(app.status, format!("Undid: {said}"));
    assert_eq!(app.view_mode, thematic::tui::app::View::Code);
    assert_eq!(app.transcript().unwrap().id.as_str(), "p01");
    // The cursor is back on the sentence that was coded (now uncoded).
    assert!(
        keys::cursor_on(&app, "Yeah, of course."),
        "{}",
        screen_text(&render(&app))
    );
    assert!(
        app.my_segment_at_cursor()
            .is_none_or(|s| s.id != segment.id)
    );
    app.open_transcript(4);
    press(&mut app, "Ctrl-r");
    assert_eq!(app.status, format!("Redid: {said}"));
    assert_eq!(app.transcript().unwrap().id.as_str(), "p01");
    assert!(
        keys::cursor_on(&app, "Yeah, of course."),
        "{}",
        screen_text(&render(&app))
    );
}

#[test]
fn the_search_list_shows_every_hit_in_context_and_enter_goes_there() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    press(&mut app, "L");
    assert!(app.status.starts_with("No search yet"), "{}", app.status);
    press(&mut app, "/");
    type_text(&mut app, "referral");
    press(&mut app, "Enter");
    assert!(app.status.contains("L lists them all"), "{}", app.status);
    press(&mut app, "L");
    let found = thematic::analysis::search::search(app.project(), "referral", usize::MAX);
    assert!(
        found.transcripts > 2,
        "the sample has it in several transcripts"
    );
    let Overlay::SearchList(list) = &app.overlay else {
        panic!("no list: {}", app.status);
    };
    assert_eq!(
        (list.total, list.hits.len()),
        (found.total, found.hits.len())
    );
    let text = screen_text(&render(&app));
    assert!(
        text.contains(&format!(
            "{} hits in {} transcripts",
            found.total, found.transcripts
        )),
        "{text}"
    );
    assert!(
        text.contains("p09"),
        "each hit names its transcript:\n{text}"
    );
    let (index, hit) = found
        .hits
        .iter()
        .enumerate()
        .find(|(_, h)| h.transcript.as_str() == "p09")
        .unwrap();
    press(&mut app, "g");
    for _ in 0..index {
        press(&mut app, "j");
    }
    press(&mut app, "Enter");
    assert!(matches!(app.overlay, Overlay::None));
    assert_eq!(app.transcript().unwrap().id, hit.transcript);
    assert_eq!(app.code.view.as_ref().unwrap().cursor, hit.start);
    assert!(app.status.contains("hit 1 of "), "{}", app.status);
    assert!(app.status.contains(" in p09"), "{}", app.status);
}

#[test]
fn a_status_message_is_cleared_when_its_view_changes() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    press(&mut app, "A");
    assert!(
        app.status.starts_with("Showing every coder"),
        "{}",
        app.status
    );
    press(&mut app, "B");
    assert_eq!(
        app.status, "",
        "the Code view's message is not the Codebook's"
    );
    press(&mut app, "A");
    assert!(!app.status.is_empty());
    press(&mut app, "O");
    assert!(
        !app.status.contains("Showing"),
        "not in the Memos view: {}",
        app.status
    );
}

#[test]
fn retrieve_shows_the_quote_in_its_context_and_more_on_a_key() {
    use thematic::analysis::node_counts::Coders;
    use thematic::analysis::retrieve::{QuoteFilter, QuoteOrder, quotes};
    use thematic::tui::screens::retrieve::draw::context_around;
    let dir = sample();
    let mut tui = Tui::open(dir.path(), "alex", 120, 34);
    tui.press("B");
    select_in_tree(&mut tui.app, "Communication structures");
    tui.press("Enter");
    // The first quote, as `thematic quotes` lists alex's quotes of the theme (with what is
    // under it, in transcript order).
    let project = tui.app.ws.project().clone();
    let code = project.codebook.find("Communication structures")[0]
        .id
        .clone();
    let filter = QuoteFilter {
        coders: Coders::Only(vec![alex()]),
        ..Default::default()
    };
    let q = quotes(&project, &code, true, &filter, QuoteOrder::Transcript)[0].clone();
    let t = project.transcript(&q.transcript).unwrap().clone();
    assert!(
        tui.shows(&format!(
            "In context: {} · 1 sentence either side",
            q.transcript
        )),
        "{}",
        tui.text()
    );
    // The sentence before the quote is shown, not only the quote.
    let (from, _) = context_around(&t, q.start, q.end, 1);
    assert!(from < q.start);
    let before = t
        .slice(from, q.start)
        .unwrap()
        .split_whitespace()
        .last()
        .unwrap();
    assert!(tui.shows(before), "{before:?} in\n{}", tui.text());
    tui.press("+ +");
    assert!(tui.shows("3 sentences either side"), "{}", tui.text());
    let wider = context_around(&t, q.start, q.end, 3);
    assert!(wider.0 <= from);
    insta::assert_snapshot!("retrieve_context_expanded", screen(&tui.draw()));
    tui.press("- - - - -");
    assert!(tui.shows("· its sentences ·"), "{}", tui.text());
    // Enter: the quote in the transcript, the cursor on it (the status line says where).
    tui.press("Enter");
    assert!(tui.shows(&format!("{} ·", q.transcript)), "{}", tui.text());
    let opening: String = t
        .slice(q.start, q.end)
        .unwrap()
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(tui.cursor_on(&opening), "on {opening:?}: {}", tui.text());
}

/// Searches for `words` and opens the list of hits.
fn search_list_of(app: &mut App, words: &str) {
    press(app, "/");
    type_text(app, words);
    press(app, "Enter L");
    assert!(
        matches!(app.overlay, Overlay::SearchList(_)),
        "{}",
        app.status
    );
}

/// The texts of `coder`'s segments coded with the code named `code`, as saved (read back
/// from the project folder), per transcript.
fn saved_quotes(dir: &Path, coder: &str, code: &str) -> Vec<(String, String)> {
    let coder = CoderId::new(coder).unwrap();
    let loaded = thematic::store::load(dir).unwrap();
    let project = &loaded.project;
    let id = project.codebook.find(code)[0].id.clone();
    let mut quotes = Vec::new();
    for t in project.transcripts_in_order() {
        for s in project.segments(&coder, &t.id) {
            if s.codes.contains(&id) {
                quotes.push((t.id.as_str().to_string(), s.text.clone()));
            }
        }
    }
    quotes
}

fn quote(t: &str, text: &str) -> (String, String) {
    (t.to_string(), text.to_string())
}

const P01_FORM: &str =
    "The front door bit, the single referral form, that's genuinely working, I think.";
const P06_FORM: &str = "You can't get that from a referral form.";

#[test]
fn the_marked_hits_of_the_search_list_are_coded_as_sentences_in_one_undo_step() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    let code = "Double data entry";
    let before = saved_quotes(dir.path(), "alex", code);
    search_list_of(&mut app, "referral form");
    // The hits are p01, p03 and p06: mark the first and the last.
    press(&mut app, "g Space j Space");
    let Overlay::SearchList(list) = &app.overlay else {
        panic!("the list closed: {}", app.status);
    };
    assert_eq!(list.hits.len(), 3);
    assert_eq!(list.marked.iter().copied().collect::<Vec<_>>(), vec![0, 2]);
    let text = screen_text(&render(&app));
    assert!(text.contains("2 marked"), "{text}");
    let marked_rows: Vec<&str> = text.lines().filter(|l| l.contains('●')).collect();
    assert_eq!(marked_rows.len(), 2, "{text}");
    assert!(marked_rows[0].contains("p01") && marked_rows[1].contains("p06"));
    press(&mut app, "c");
    assert!(matches!(app.overlay, Overlay::Picker(_)));
    type_text(&mut app, code);
    press(&mut app, "Enter");
    assert!(matches!(app.overlay, Overlay::None));
    assert_eq!(
        app.status,
        format!("Coded 2 passages in 2 transcripts; 0 already coded with {code} (saved)")
    );
    let mut expected = before.clone();
    expected.extend([quote("p01", P01_FORM), quote("p06", P06_FORM)]);
    expected.sort();
    let mut after = saved_quotes(dir.path(), "alex", code);
    after.sort();
    assert_eq!(
        after, expected,
        "exactly the two marked sentences are coded"
    );
    press(&mut app, "u");
    assert!(app.status.starts_with("Undid"), "{}", app.status);
    assert_eq!(
        saved_quotes(dir.path(), "alex", code),
        before,
        "one undo takes both away"
    );
    // Space again unmarks.
    search_list_of(&mut app, "referral form");
    press(&mut app, "g Space k Space");
    let Overlay::SearchList(list) = &app.overlay else {
        panic!("the list closed");
    };
    assert!(list.marked.is_empty());
}

#[test]
fn with_no_hit_marked_every_hit_is_coded_and_text_already_coded_is_skipped() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    let code = "Clear joint referral pathway";
    let before = saved_quotes(dir.path(), "alex", code);
    search_list_of(&mut app, "referral form");
    press(&mut app, "c");
    type_text(&mut app, code);
    press(&mut app, "Enter");
    assert_eq!(
        app.status,
        format!("Coded 3 passages in 3 transcripts; 0 already coded with {code} (saved)")
    );
    let after = saved_quotes(dir.path(), "alex", code);
    assert_eq!(after.len(), before.len() + 3);
    for (t, text) in [("p01", P01_FORM), ("p06", P06_FORM)] {
        assert!(after.contains(&quote(t, text)), "{after:?}");
    }
    assert!(
        after.iter().any(|(t, text)| t == "p03"
            && text.starts_with("So before the joint service there were")
            && text.ends_with("referral forms between the two teams.")),
        "{after:?}"
    );

    // Alex has p03's sentence coded with "One front door referral" already.
    let code = "One front door referral";
    let before = saved_quotes(dir.path(), "alex", code);
    search_list_of(&mut app, "referral form");
    press(&mut app, "c");
    type_text(&mut app, code);
    press(&mut app, "Enter");
    assert_eq!(
        app.status,
        format!("Coded 2 passages in 2 transcripts; 1 already coded with {code} (saved)")
    );
    let after = saved_quotes(dir.path(), "alex", code);
    assert_eq!(after.len(), before.len() + 2, "{after:?}");
    // Again: everything is coded now, and nothing changes.
    search_list_of(&mut app, "referral form");
    press(&mut app, "c");
    type_text(&mut app, code);
    press(&mut app, "Enter");
    assert_eq!(
        app.status,
        format!("Nothing to code with {code}: 3 already coded")
    );
    assert_eq!(saved_quotes(dir.path(), "alex", code), after);
}

#[test]
fn a_reviewer_cannot_code_the_search_hits() {
    let dir = sample();
    let meta = dir.path().join("thematic.yaml");
    let mut yaml = std::fs::read_to_string(&meta).unwrap();
    yaml.push_str("reviewers:\n- id: pat\n  name: Pat Supervisor\n");
    std::fs::write(&meta, yaml).unwrap();
    let before = coding_file(dir.path(), "alex", "p01");
    let mut app = open(dir.path(), "pat", 100, 30, true);
    press(&mut app, "F2");
    search_list_of(&mut app, "referral form");
    press(&mut app, "c");
    type_text(&mut app, "Double data entry");
    press(&mut app, "Enter");
    assert!(
        app.status.starts_with("Not saved: pat is a reviewer"),
        "{}",
        app.status
    );
    assert!(!dir.path().join("codings/pat").exists());
    assert_eq!(coding_file(dir.path(), "alex", "p01"), before);
}

#[test]
fn coding_every_hit_of_a_long_list_says_the_unlisted_hits_were_not_coded() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    search_list_of(&mut app, "e");
    let Overlay::SearchList(list) = &app.overlay else {
        panic!("no list");
    };
    let unlisted = list.total - list.hits.len();
    assert!(unlisted > 0, "the sample has over 2,000 e's");
    press(&mut app, "c");
    type_text(&mut app, "Double data entry");
    press(&mut app, "Enter");
    assert!(
        app.status.contains(&format!(
            "; {unlisted} hits past the list's first 2000 not coded (thematic autocode codes them all)"
        )),
        "{}",
        app.status
    );
}
