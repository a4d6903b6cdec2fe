//! The coding screen's play key (`p`): the recording starts at the time of the turn under
//! the cursor, through the configured player (a stand-in script that records its arguments),
//! and the status line says so; without a recording it says that instead. A test binary of
//! its own, since it sets THEMATIC_CONFIG_DIR for the process.

use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};
use thematic::model::{Coder, CoderId, ProjectMeta};
use thematic::tui::app::App;
use thematic::tui::keymap::{Key, Keymap};
use thematic::tui::theme::Theme;
use thematic::workspace::Workspace;

fn press(app: &mut App, keys: &str) {
    for spec in keys.split(' ').filter(|s| !s.is_empty()) {
        let key = Key::parse(spec).unwrap_or_else(|| panic!("bad key {spec}"));
        app.handle_key(KeyEvent::new(key.code, key.modifiers));
    }
}

fn wait_for(path: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(s) = fs::read_to_string(path) {
            return s;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{} was never written", path.display());
}

#[test]
fn p_plays_the_recording_from_the_turn_at_the_cursor() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    fs::create_dir_all(&config).unwrap();
    let log = config.join("args.txt");
    let player = config.join("player");
    fs::write(
        &player,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{0}.tmp'\nmv '{0}.tmp' '{0}'\n",
            log.display()
        ),
    )
    .unwrap();
    fs::set_permissions(&player, fs::Permissions::from_mode(0o755)).unwrap();
    fs::write(
        config.join("config.yaml"),
        format!(
            "player: \"'{}' --start={{start}} {{file}}\"\n",
            player.display()
        ),
    )
    .unwrap();
    // SAFETY: the only test in this binary, set before any thread of ours reads the
    // environment.
    unsafe { std::env::set_var("THEMATIC_CONFIG_DIR", &config) };

    let project = dir.path().join("study");
    let mut meta = ProjectMeta::new("Recordings");
    meta.coders.push(Coder {
        id: CoderId::new("alex").unwrap(),
        name: "Alex".into(),
    });
    let loaded = thematic::store::create(&project, meta).unwrap();
    let mut ws = Workspace::from_loaded(loaded.project, loaded.store);
    let sources = dir.path().join("sources");
    fs::create_dir_all(&sources).unwrap();
    let vtt = sources.join("p3.vtt");
    fs::write(
        &vtt,
        "WEBVTT\n\n00:00:02.000 --> 00:00:05.000\n<v Interviewer>Could you describe it?\n\n00:14:32.000 --> 00:14:40.000\n<v Participant 3>It is one page.\n",
    )
    .unwrap();
    fs::write(sources.join("p3.mp3"), b"not really audio").unwrap();
    let bare = sources.join("bare.txt");
    fs::write(&bare, "Interviewer: No recording here.\n").unwrap();
    let plan = thematic::interop::import::plan_import(
        ws.project(),
        [vtt, bare]
            .into_iter()
            .map(|path| thematic::interop::import::ImportRequest {
                path,
                details: Default::default(),
            })
            .collect(),
    )
    .unwrap();
    ws.apply(plan.edit).unwrap();
    drop(ws);

    let coder = CoderId::new("alex").unwrap();
    let (ws, _) = Workspace::open(&project, Some(&coder)).unwrap();
    let mut app = App::new(
        ws,
        coder,
        Keymap::defaults().unwrap(),
        Theme { colour: false },
        Rect::new(0, 0, 100, 20),
    );
    let opened = app.transcript().map(|t| t.id.to_string());
    assert_eq!(
        opened.as_deref(),
        Some("p3"),
        "the first transcript is open"
    );
    // The first turn: the interview's first time code.
    press(&mut app, "p");
    assert!(
        app.status.starts_with("Playing p3.mp3 from 00:00:02"),
        "{}",
        app.status
    );
    let args = wait_for(&log);
    let recording = sources.join("p3.mp3").canonicalize().unwrap();
    assert_eq!(args, format!("--start=2\n{}\n", recording.display()));
    fs::remove_file(&log).unwrap();

    // The next turn (the participant's), by its own time.
    press(&mut app, "] p");
    assert!(
        app.status.starts_with("Playing p3.mp3 from 00:14:32"),
        "{}",
        app.status
    );
    assert_eq!(
        wait_for(&log),
        format!("--start=872\n{}\n", recording.display())
    );

    // A transcript with no recording says so and starts nothing.
    // goto-transcript (t), then p in the text.
    press(&mut app, "t b a r e Enter p");
    assert_eq!(
        app.transcript().map(|t| t.id.to_string()).as_deref(),
        Some("bare")
    );
    assert!(
        app.status.contains("bare has no recording linked"),
        "{}",
        app.status
    );
}
