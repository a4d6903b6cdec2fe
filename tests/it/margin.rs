//! The coding margin and the pane sizes of the Code view, through `App` and ratatui's
//! TestBackend: what a user sees beside the text (brackets, names, lanes, "+N", coder groups)
//! at 80x24, 140x40 and 200x50, where a click or a key takes them, and how pane widths are
//! set and remembered. Snapshots show the screen's text, then a map of each cell's style:
//!   c coded  C coded by overlapping segments  # cursor  d dim  b bold  f coloured text
//!   r reversed  (nothing) plain

use crate::common::keys::{self, Tui, render};

use crossterm::event::{Event, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use std::path::Path;
use thematic::model::{
    Code, CodeId, Coder, CoderId, Colour, Edit, Level, Position, ProjectMeta, Segment, SegmentId,
    TranscriptId,
};
use thematic::tui::app::App;
use thematic::tui::keymap::{Key, Keymap};
use thematic::tui::theme::Theme;
use thematic::workspace::Workspace;

const TEXT: &str = "Interviewer: How did the two teams first meet?

Participant 1: We met in the corridor at first. Then the weekly case meeting started and people sat round one table. Trust grew slowly, one case at a time, and the old talk of your lot and our lot faded. Nobody planned it that way. The shared referral form helped too, because GPs stopped guessing which door to knock on.

Interviewer: What got in the way?

Participant 1: Two record systems. Every note written twice, and a plan for an interface that was costed and then shelved. Pay was different too, and line management stayed with the home organisation, which made appraisals awkward. Some staff left. Those who stayed learned from each other.
";

/// Codes by name, with colours far apart.
const CODES: &[(&str, [u8; 3])] = &[
    ("Co-location", [0x4e, 0x9a, 0x06]),
    ("Informal contact", [0x34, 0x65, 0xa4]),
    ("Case meeting", [0xc4, 0xa0, 0x00]),
    ("Trust", [0xcc, 0x00, 0x00]),
    ("IT systems", [0x75, 0x50, 0x7b]),
    ("Double entry", [0x06, 0x98, 0x9a]),
    ("Barriers", [0xce, 0x5c, 0x00]),
    ("Frustration", [0x8f, 0x59, 0x02]),
    ("Pay", [0xad, 0x7f, 0xa8]),
];

/// Whose segment, where (the first and last words of its text), and its codes.
const SEGMENTS: &[(&str, &str, &str, &[&str])] = &[
    // Two codes on one segment.
    (
        "alex",
        "We met",
        "at first.",
        &["Co-location", "Informal contact"],
    ),
    // Two overlapping segments.
    (
        "alex",
        "Then the weekly",
        "one case at a time",
        &["Case meeting"],
    ),
    ("alex", "Trust grew", "our lot faded.", &["Trust"]),
    // Four codes beginning on one row: more than the lanes.
    ("alex", "Two record", "systems.", &["IT systems"]),
    ("alex", "Two record", "written twice", &["Double entry"]),
    ("alex", "record systems", "systems", &["Barriers"]),
    ("alex", "Every note", "and a plan", &["Frustration"]),
    // The other coder.
    ("sam", "Pay was", "different too", &["Pay"]),
    ("sam", "We met", "the weekly", &["Co-location"]),
];

fn chars_before(needle: &str) -> usize {
    TEXT[..TEXT.find(needle).expect(needle)].chars().count()
}

/// A project with one transcript coded by alex and sam as in [`SEGMENTS`].
fn project(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("p");
    let source = dir.join("t1.txt");
    std::fs::write(&source, TEXT).unwrap();
    let mut meta = ProjectMeta::new("Margin");
    for id in ["alex", "sam"] {
        meta.coders.push(Coder {
            id: CoderId::new(id).unwrap(),
            name: id.into(),
        });
    }
    let loaded = thematic::store::create(&root, meta).unwrap();
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
    let mut ids: Vec<(&str, CodeId)> = Vec::new();
    for (index, (name, rgb)) in CODES.iter().enumerate() {
        let mut code = Code::new(*name, Level::Code);
        code.colour = Some(Colour(*rgb));
        ids.push((name, code.id.clone()));
        ws.apply(Edit::AddCode {
            code,
            at: Position {
                parent: None,
                index,
            },
        })
        .unwrap();
    }
    let t = TranscriptId::new("t1").unwrap();
    for (coder, first, last, codes) in SEGMENTS {
        let start = chars_before(first);
        let end = TEXT[TEXT.find(first).unwrap()..].find(last).unwrap() + TEXT.find(first).unwrap();
        let end = TEXT[..end + last.len()].chars().count();
        let codes = codes
            .iter()
            .map(|n| ids.iter().find(|(name, _)| name == n).unwrap().1.clone())
            .collect();
        ws.apply(Edit::AddSegment {
            coder: CoderId::new(*coder).unwrap(),
            transcript: t.clone(),
            segment: Segment {
                id: SegmentId::random(),
                start,
                end,
                codes,
                text: TEXT.chars().skip(start).take(end - start).collect(),
                created: jiff::Timestamp::UNIX_EPOCH,
                updated: None,
            },
        })
        .unwrap();
    }
    root
}

fn open(dir: &Path, coder: &str, width: u16, height: u16) -> App {
    let coder = CoderId::new(coder).unwrap();
    let (ws, problems) = Workspace::open(dir, Some(&coder)).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    App::new(
        ws,
        coder,
        Keymap::defaults().unwrap(),
        Theme { colour: true },
        Rect::new(0, 0, width, height),
    )
}

fn press(app: &mut App, keys: &str) {
    for spec in keys.split(' ').filter(|s| !s.is_empty()) {
        let key = Key::parse(spec).unwrap_or_else(|| panic!("bad key {spec}"));
        app.handle_key(KeyEvent::new(key.code, key.modifiers));
    }
}

fn click(app: &mut App, kind: MouseEventKind, column: u16, row: u16) {
    app.handle_event(Event::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
}

fn style_code(cell: &ratatui::buffer::Cell) -> char {
    let m = cell.modifier;
    if m.contains(Modifier::REVERSED) && cell.bg != Color::Reset {
        return '#';
    }
    // The status line's colour is the theme's, not a number written here.
    let status = Theme { colour: true }.status().bg.unwrap_or(Color::Reset);
    match cell.bg {
        c if c == status => return ' ',
        Color::Rgb(..) if m.contains(Modifier::UNDERLINED) => return 'C',
        Color::Rgb(..) => return 'c',
        _ => {}
    }
    if m.contains(Modifier::REVERSED) {
        'r'
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
    keys::text_and_styles(buffer, style_code, "\n")
}

/// The text of the margin's cells, row by row.
fn margin_text(app: &App, buffer: &Buffer) -> String {
    let m = app.areas().margin;
    (m.y..m.y + m.height)
        .map(|y| {
            (m.x..m.x + m.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first screen row of the transcript pane showing `needle`.
fn row_showing(app: &App, needle: &str) -> u16 {
    let buffer = keys::render(app);
    let pane = app.areas().text_inner();
    (pane.y..pane.bottom())
        .find(|&y| keys::row_text(&buffer, y).contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in the transcript pane"))
}

#[test]
fn margin_at_140x40_two_codes_overlaps_and_lanes_running_out() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    let app = open(&root, "alex", 140, 40);
    assert_eq!(app.areas().margin.width, 12, "one lane at 140 columns");
    let buffer = render(&app);
    let margin = margin_text(&app, &buffer);
    // The segment with two codes shows the first in the only lane and counts the second.
    let we_met = row_showing(&app, "We met") - app.areas().margin.y;
    let line = margin.lines().nth(we_met as usize).unwrap();
    assert!(line.starts_with("╶Co-loc"), "{margin}");
    // Informal contact on the same segment, and Case meeting beginning on the same row.
    assert!(line.trim_end().ends_with("+2"), "{margin}");
    assert!(
        margin.contains("+3"),
        "four codes begin on one row: {margin}"
    );
    insta::assert_snapshot!("margin_140x40", screen(&buffer));
}

#[test]
fn margin_at_200x50_gives_each_code_a_lane_and_names_run_into_free_lanes() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    let app = open(&root, "alex", 200, 50);
    assert_eq!(app.areas().text_width(), 100, "the text keeps its measure");
    assert_eq!(app.areas().margin.width, 24, "two lanes");
    let buffer = render(&app);
    let margin = margin_text(&app, &buffer);
    let row = |needle: &str| {
        let y = row_showing(&app, needle) - app.areas().margin.y;
        margin.lines().nth(y as usize).unwrap().to_string()
    };
    let we_met = row("We met");
    assert!(
        we_met.starts_with("╶Co-locati… ╶Inform"),
        "two codes of one segment, side by side: {margin}"
    );
    assert!(
        we_met.trim_end().ends_with("+1"),
        "the segment overlapping them has no lane left on that row: {margin}"
    );
    assert!(row("Trust grew").starts_with("┌Trust "), "{margin}");
    assert!(row("Two record").contains("+2"), "{margin}");
    assert!(
        !margin.contains("Pay"),
        "sam's coding is not shown: {margin}"
    );
    insta::assert_snapshot!("margin_200x50", screen(&buffer));
}

#[test]
fn with_every_coder_shown_each_has_a_lane_group_under_their_id() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    let mut app = open(&root, "alex", 200, 50);
    press(&mut app, "A");
    let buffer = render(&app);
    let margin_area = app.areas().margin;
    let header: String = (margin_area.x..margin_area.right())
        .map(|x| buffer[(x, app.areas().text.y)].symbol())
        .collect();
    assert!(
        header.starts_with(" alex ") && header.contains(" sam "),
        "{header}"
    );
    let margin = margin_text(&app, &buffer);
    let pay = row_showing(&app, "Pay was") - margin_area.y;
    let line = margin.lines().nth(pay as usize).unwrap();
    assert_eq!(
        line.find('╶').map(|i| line[..i].chars().count()),
        Some(12),
        "sam's segment in sam's group: {line}"
    );
    insta::assert_snapshot!("margin_200x50_all_coders", screen(&buffer));
}

#[test]
fn at_80x24_the_margin_and_list_fold_away_and_keys_bring_them_back() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    let mut app = open(&root, "alex", 80, 24);
    assert!(!app.areas().margin_shown() && !app.areas().list_shown());
    assert!(!screen(&render(&app)).contains("┌Co"), "no margin");
    press(&mut app, "m");
    assert!(app.areas().margin_shown(), "{}", app.status);
    assert!(app.areas().text_width() >= 24);
    press(&mut app, "\\");
    assert!(app.areas().list_shown(), "{}", app.status);
    let buffer = render(&app);
    assert!(screen(&buffer).contains("Transcripts 1"));
    insta::assert_snapshot!("margin_80x24", screen(&buffer));
    press(&mut app, "m \\");
    assert!(!app.areas().margin_shown() && !app.areas().list_shown());
}

#[test]
fn a_click_on_a_label_or_the_segment_keys_put_the_cursor_on_the_segment() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    let mut tui = Tui {
        app: open(&root, "alex", 200, 50),
    };
    let margin = tui.app.areas().margin;
    let y = row_showing(&tui.app, "Trust grew");
    // The Trust segment's label, in the first lane.
    tui.click(margin.x + 3, y);
    assert!(tui.cursor_on("Trust grew"), "{}", tui.text());
    assert!(!tui.selection_shown(), "a click selects nothing");
    assert!(tui.status().contains("Trust"), "{}", tui.status());
    // From the start of the text, ' steps through the segments in order and " back.
    tui.press("g '");
    assert!(tui.cursor_on("We met"), "{}", tui.text());
    assert!(tui.status().contains("Co-location · Informal contact"));
    tui.press("' '");
    assert!(tui.cursor_on("Trust grew"), "{}", tui.text());
    tui.press("\"");
    assert!(tui.cursor_on("Then the weekly"), "{}", tui.text());
    tui.press("G '");
    assert!(
        tui.status().contains("No segment after"),
        "{}",
        tui.status()
    );
    tui.press("g v w");
    assert!(
        tui.selection_shown(),
        "and a selection shows: {}",
        tui.text()
    );
}

#[test]
fn the_margin_shows_only_what_a_blind_coder_may_see() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    // t1 goes into a round of double coding with alex first and sam second.
    let (mut ws, _) = Workspace::open(&root, None).unwrap();
    let before = ws.project().meta.clone();
    let mut after: ProjectMeta = before.clone();
    // Written as a project file has it, so the test does not depend on the model's fields.
    after.rounds =
        thematic::store::yaml::parse("- primary: alex\n  second: sam\n  transcripts: [t1]\n")
            .unwrap();
    ws.apply(Edit::UpdateProject {
        before: Box::new(before),
        after: Box::new(after),
    })
    .unwrap();
    drop(ws);
    let mut sam = open(&root, "sam", 200, 50);
    assert!(sam.blind(&TranscriptId::new("t1").unwrap()));
    press(&mut sam, "A");
    let margin = margin_text(&sam, &render(&sam));
    assert!(margin.contains("Pay"), "sam's own coding: {margin}");
    for hidden in ["Trust", "Informal", "IT systems", "Case meeting"] {
        assert!(!margin.contains(hidden), "alex's {hidden} shown: {margin}");
    }
}

#[test]
fn the_codebook_pane_is_wider_at_200_columns_than_at_100() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    let narrow = open(&root, "alex", 100, 30).areas().tree.width;
    let wide = open(&root, "alex", 200, 50).areas().tree.width;
    assert!(wide > narrow, "{wide} at 200 columns, {narrow} at 100");
}

#[test]
fn keys_and_a_dragged_border_resize_the_codebook_pane() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    let mut app = open(&root, "alex", 200, 50);
    let before = app.areas().tree.width;
    press(&mut app, ">");
    assert_eq!(app.areas().tree.width, before + 4, "{}", app.status);
    press(&mut app, "< < <");
    assert_eq!(app.areas().tree.width, before - 8);
    assert_eq!(
        drawn_width(&app, "┌ Codebook"),
        before - 8,
        "the codebook pane is drawn that wide"
    );
    // Drag the border between the text and the codebook 20 columns to the left.
    let x = app.areas().tree.x;
    click(&mut app, MouseEventKind::Down(MouseButton::Left), x, 10);
    click(
        &mut app,
        MouseEventKind::Drag(MouseButton::Left),
        x - 20,
        10,
    );
    click(&mut app, MouseEventKind::Up(MouseButton::Left), x - 20, 10);
    assert_eq!(app.areas().tree.width, before - 8 + 20);
    assert_eq!(app.areas().tree.x, x - 20);
    // The text rewraps to the new width and the cursor is still shown.
    // Rewrapped, the pane's rows read as the transcript does, no word cut off at its edge.
    let buffer = keys::render(&app);
    let pane = app.areas().text_inner();
    let shown: Vec<String> = (pane.y..pane.bottom())
        .map(|y| {
            (pane.x..pane.right())
                .map(|x| buffer[(x, y)].symbol())
                .collect()
        })
        .collect();
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let shown = words(&shown.join(" "));
    assert!(shown.len() > 200 && words(TEXT).contains(&shown), "{shown}");
    assert!(keys::cursor_of(&app).is_some(), "the cursor is shown");
    drop(app);
    // At 100 columns the codebook shares the left column; its right border drags.
    let mut narrow = open(&root, "alex", 100, 30);
    let x = narrow.areas().tree.right() - 1;
    click(&mut narrow, MouseEventKind::Down(MouseButton::Left), x, 20);
    click(
        &mut narrow,
        MouseEventKind::Drag(MouseButton::Left),
        x + 6,
        20,
    );
    click(
        &mut narrow,
        MouseEventKind::Up(MouseButton::Left),
        x + 6,
        20,
    );
    assert_eq!(narrow.areas().tree.right(), x + 7);
    assert_eq!(
        keys::focused_pane(&narrow),
        Some("text"),
        "no pane took the click"
    );
}

/// The width of the pane whose top border begins with `title`, corner to corner, as drawn.
fn drawn_width(app: &App, title: &str) -> u16 {
    let buffer = keys::render(app);
    (0..buffer.area.height)
        .find_map(|y| {
            let row: Vec<char> = keys::row_text(&buffer, y).chars().collect();
            let first = title.chars().next()?;
            let start = (0..row.len()).find(|&x| {
                row[x] == first && row[x..].iter().collect::<String>().starts_with(title)
            })?;
            let end = (start..row.len()).find(|&x| row[x] == '┐')?;
            Some((end - start + 1) as u16)
        })
        .unwrap_or_else(|| panic!("no pane titled {title:?}"))
}

/// Pane widths go to the user's config, keeping what else is in it; a config that does not
/// parse, or is a link, is never rewritten. (The only test in this file that touches the
/// config folder, so setting its variable here is safe.)
#[test]
fn pane_widths_are_remembered_in_the_users_config_which_is_never_clobbered() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    let file = config.join("config.yaml");
    std::fs::write(&file, "coder: alex\nplayer: mpv {file}\n").unwrap();
    unsafe { std::env::set_var("THEMATIC_CONFIG_DIR", &config) };
    let mut app = open(&root, "alex", 200, 50);
    app.set_pane_sizes(Default::default(), true);
    press(&mut app, ">");
    assert!(app.status.contains("remembered"), "{}", app.status);
    let width = app.areas().tree.width;
    let saved = thematic::config::Config::load().unwrap();
    assert_eq!(saved.panes.and_then(|p| p.codebook), Some(width));
    assert_eq!(saved.coder.as_deref(), Some("alex"));
    assert_eq!(saved.player.as_deref(), Some("mpv {file}"));
    // Reopened, the pane has the remembered width.
    drop(app);
    let mut again = open(&root, "alex", 200, 50);
    again.set_pane_sizes(saved.panes.unwrap(), true);
    assert_eq!(again.areas().tree.width, width);
    // A config that does not parse is reported and left exactly as it was.
    std::fs::write(&file, "coder: [alex\n").unwrap();
    press(&mut again, "<");
    assert!(again.status.contains("not remembered"), "{}", again.status);
    assert!(again.status.contains("config.yaml"), "{}", again.status);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "coder: [alex\n");
    // A config that is a link (to dotfiles, say) is not replaced by a file.
    let real = dir.path().join("dotfiles.yaml");
    std::fs::write(&real, "coder: alex\n").unwrap();
    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink(&real, &file).unwrap();
    press(&mut again, "<");
    assert!(again.status.contains("not remembered"), "{}", again.status);
    assert!(
        std::fs::symlink_metadata(&file)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "coder: alex\n");
    unsafe { std::env::remove_var("THEMATIC_CONFIG_DIR") };
}

#[test]
fn a_new_segment_shows_in_the_margin_at_once_and_monochrome_keeps_brackets_and_names() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    let coder = CoderId::new("alex").unwrap();
    let (ws, _) = Workspace::open(&root, Some(&coder)).unwrap();
    let mut app = App::new(
        ws,
        coder,
        Keymap::defaults().unwrap(),
        Theme { colour: false },
        Rect::new(0, 0, 200, 50),
    );
    // Code the sentence "Nobody planned it that way." with a new code.
    for _ in 0..500 {
        if keys::cursor_on(&app, "Nobody planned") {
            break;
        }
        press(&mut app, "w");
    }
    assert!(keys::cursor_on(&app, "Nobody planned"));
    press(&mut app, "s c");
    for c in "Unplanned".chars() {
        app.handle_key(KeyEvent::new(
            crossterm::event::KeyCode::Char(c),
            KeyModifiers::NONE,
        ));
    }
    press(&mut app, "Enter");
    assert!(app.status.contains("saved"), "{}", app.status);
    let buffer = render(&app);
    let margin = margin_text(&app, &buffer);
    let y = row_showing(&app, "Nobody planned") - app.areas().margin.y;
    let line = margin.lines().nth(y as usize).unwrap();
    assert!(line.contains("Unplanned"), "{margin}");
    // Without colour the brackets and names are still drawn, as plain text.
    let m = app.areas().margin;
    let x = m.x + line[..line.find("Unplanned").unwrap()].chars().count() as u16;
    assert_eq!(buffer[(x, m.y + y)].fg, Color::Reset);
    assert!(margin.contains('┌') && margin.contains('└'), "{margin}");
}
