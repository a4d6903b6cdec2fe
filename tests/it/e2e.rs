//! End to end: the real binary in a pseudo-terminal, driven by keys, its screen read back
//! with a terminal emulator (vt100), and the project's files checked on disk. Also the ways
//! out: quit, Ctrl-C, SIGTERM, a panic: the terminal must be restored after each.

use crate::common;
use common::copy_dir;

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROWS: u16 = 30;
const COLS: u16 = 100;

struct Session {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    _slave: Box<dyn portable_pty::SlavePty + Send>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
}

impl Session {
    fn start(args: &[&str], config_dir: &Path) -> Session {
        Session::start_program(common::run::BIN, args, config_dir)
    }

    fn start_program(program: &str, args: &[&str], config_dir: &Path) -> Session {
        Session::start_with(program, args, config_dir, &[])
    }

    fn start_with(
        program: &str,
        args: &[&str],
        config_dir: &Path,
        env: &[(&str, &str)],
    ) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut command = CommandBuilder::new(program);
        command.args(args);
        command.env("TERM", "xterm-256color");
        command.env("THEMATIC_CONFIG_DIR", config_dir);
        command.env_remove("NO_COLOR");
        for (name, value) in env {
            command.env(name, value);
        }
        let child = pair.slave.spawn_command(command).expect("spawn thematic");
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            ROWS.try_into().unwrap(),
            COLS.try_into().unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (Arc::clone(&parser), Arc::clone(&raw));
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Session {
            child,
            master: pair.master,
            _slave: pair.slave,
            writer,
            parser,
            raw,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{text:?} never appeared; screen:\n{}", self.screen());
    }

    fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(60));
    }

    /// Sends each key separately, so Esc is never read as Alt.
    fn keys(&mut self, keys: &[&str]) {
        for k in keys {
            self.send(k);
        }
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(100));
                return status;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("thematic did not exit; screen:\n{}", self.screen());
    }

    fn output(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    /// Checks the terminal was handed back: alternate screen left, mouse and bracketed paste
    /// off after the last time they were turned on, and the tty back in cooked mode.
    fn assert_restored(&self) {
        let out = self.output();
        let last = |seq: &str| out.rfind(seq);
        assert!(
            last("\x1b[?1049l") > last("\x1b[?1049h"),
            "alternate screen left"
        );
        assert!(
            last("\x1b[?2004l") > last("\x1b[?2004h"),
            "bracketed paste off"
        );
        assert!(
            last("\x1b[?1000l") >= last("\x1b[?1000h"),
            "mouse capture off"
        );
        if let Some(tty) = self.master.tty_name() {
            let stty = std::process::Command::new("stty")
                .arg("-a")
                .arg("-F")
                .arg(&tty)
                .output()
                .unwrap();
            let modes = String::from_utf8_lossy(&stty.stdout);
            assert!(
                modes.contains(" icanon") && modes.contains(" echo "),
                "cooked mode again: {modes}"
            );
        }
    }
}

/// A copy of sample-project and an empty config folder.
fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("study");
    copy_dir(&common::sample_project(), &project);
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    (dir, project, config)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn code_a_sentence_with_an_existing_code_quit_and_find_it_on_disk() {
    let (_dir, project, config) = setup();
    let p = project.display().to_string();
    let mut s = Session::start(&[&p, "--coder", "alex"], &config);
    s.wait_for("Welcome, alex");
    s.keys(&["}", "w", "s"]);
    s.wait_for("selected 16 chars");
    s.send("c");
    s.wait_for("Code with");
    s.send("front door");
    s.wait_for("One front door referral");
    s.send("\r");
    s.wait_for("Coded One front door referral (saved)");
    s.send("q");
    assert_eq!(s.wait_exit().exit_code(), 0);
    s.assert_restored();
    let coding = read(&project.join("codings/alex/p01.yaml"));
    assert!(coding.contains("text: \"Yeah, of course.\""), "{coding}");
}

#[test]
fn create_a_code_undo_redo_quit_and_reopen() {
    let (_dir, project, config) = setup();
    let p = project.display().to_string();
    let mut s = Session::start(&[&p, "--coder", "alex"], &config);
    s.wait_for("Welcome, alex");
    s.keys(&["]", "s", "c"]);
    s.wait_for("Code with");
    s.send("Telling it once");
    s.wait_for("create “Telling it once” under the top level");
    s.send("\r");
    s.wait_for("Created \"Telling it once\"");
    assert!(read(&project.join("codebook.yaml")).contains("name: Telling it once"));
    s.send("u");
    s.wait_for("Undid: create and code");
    assert!(!read(&project.join("codebook.yaml")).contains("Telling it once"));
    s.send("\x12"); // Ctrl-R
    s.wait_for("Redid: create and code");
    s.send("q");
    assert_eq!(s.wait_exit().exit_code(), 0);
    s.assert_restored();
    // Reopen: the code is there, with its segment counted.
    let mut again = Session::start(&[&p, "--coder", "alex"], &config);
    again.wait_for("Welcome, alex");
    again.send("\t");
    again.send("G");
    again.wait_for("Telling it once");
    again.send("q");
    assert_eq!(again.wait_exit().exit_code(), 0);
    let book = read(&project.join("codebook.yaml"));
    assert!(book.contains("name: Telling it once"), "{book}");
}

#[test]
fn ctrl_c_quits_and_restores() {
    let (_dir, project, config) = setup();
    let p = project.display().to_string();
    let mut s = Session::start(&[&p, "--coder", "alex"], &config);
    s.wait_for("Welcome, alex");
    s.send("\x03");
    assert_eq!(s.wait_exit().exit_code(), 0);
    s.assert_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    let (_dir, project, config) = setup();
    let p = project.display().to_string();
    let mut s = Session::start(&[&p, "--coder", "alex"], &config);
    s.wait_for("Welcome, alex");
    let pid = s.child.process_id().unwrap();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    s.wait_exit();
    s.assert_restored();
}

#[test]
fn a_panic_restores_the_terminal_and_prints_its_message() {
    let (_dir, project, config) = setup();
    std::fs::write(config.join("keymap.yaml"), "global:\n  crash-test: [F12]\n").unwrap();
    let p = project.display().to_string();
    let mut s = Session::start(&[&p, "--coder", "alex"], &config);
    s.wait_for("Welcome, alex");
    s.send("\x1b[24~"); // F12
    let status = s.wait_exit();
    assert!(!status.success());
    s.assert_restored();
    let out = s.output();
    let message = out
        .rfind("crash test requested")
        .expect("the panic message is printed");
    let left = out.rfind("\x1b[?1049l").unwrap();
    assert!(message > left, "printed after leaving the alternate screen");
    assert_eq!(
        out.matches("\x1b[?1049l").count(),
        1,
        "the alternate screen is left once"
    );
}

#[test]
fn a_second_instance_for_the_same_coder_is_refused() {
    let (_dir, project, config) = setup();
    let p = project.display().to_string();
    let mut first = Session::start(&[&p, "--coder", "alex"], &config);
    first.wait_for("Welcome, alex");
    let mut second = Session::start(&[&p, "--coder", "alex"], &config);
    second.wait_for("already has this project open");
    assert_eq!(second.wait_exit().exit_code(), 2);
    // Read-only is allowed, and says so.
    let mut viewer = Session::start(&[&p, "--coder", "alex", "--read-only"], &config);
    viewer.wait_for("READ-ONLY");
    viewer.send("q");
    viewer.wait_exit();
    first.send("q");
    assert_eq!(first.wait_exit().exit_code(), 0);
}

#[test]
fn the_coder_is_asked_for_once_and_remembered() {
    let (_dir, project, config) = setup();
    let p = project.display().to_string();
    let mut s = Session::start(&[&p], &config);
    s.wait_for("Who is coding?");
    s.send("jo\r");
    s.wait_for("Added you (jo) to the project's coders");
    s.send("q");
    assert_eq!(s.wait_exit().exit_code(), 0);
    assert!(read(&config.join("config.yaml")).contains("coder: jo"));
    assert!(read(&project.join("thematic.yaml")).contains("id: jo"));
    let mut again = Session::start(&[&p], &config);
    again.wait_for("Welcome, jo");
    again.send("q");
    again.wait_exit();
}

#[test]
fn a_hangup_exits_promptly_and_restores() {
    let (_dir, project, config) = setup();
    let p = project.display().to_string();
    let mut s = Session::start(&[&p, "--coder", "alex"], &config);
    s.wait_for("Welcome, alex");
    let pid = s.child.process_id().unwrap();
    std::process::Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .unwrap();
    s.wait_exit();
    s.assert_restored();
}

#[test]
fn a_memo_typed_in_the_terminal_is_on_disk() {
    let (_dir, project, config) = setup();
    let p = project.display().to_string();
    let mut s = Session::start(&[&p, "--coder", "alex"], &config);
    s.wait_for("Welcome, alex");
    s.send("W");
    s.wait_for("Memo on reflexive journal");
    s.send("First impressions");
    s.send("\t");
    s.send("Managers talk strategy; practitioners talk workarounds.");
    s.wait_for("saved");
    s.send("\x1b");
    std::thread::sleep(Duration::from_millis(200));
    s.send("q");
    assert_eq!(s.wait_exit().exit_code(), 0);
    let memos: Vec<String> = std::fs::read_dir(project.join("memos/alex"))
        .unwrap()
        .map(|e| read(&e.unwrap().path()))
        .filter(|text| text.contains("title: First impressions"))
        .collect();
    assert_eq!(memos.len(), 1);
    assert!(
        memos[0].contains("Managers talk strategy; practitioners talk workarounds."),
        "{}",
        memos[0]
    );
}

#[test]
fn reopening_returns_to_the_transcript_and_place_left() {
    let (_dir, project, config) = setup();
    let p = project.display().to_string();
    let mut s = Session::start(&[&p, "--coder", "alex"], &config);
    s.wait_for("Welcome, alex");
    s.send("\x1b[Z"); // Shift-Tab: the transcript list
    s.keys(&["j", "j", "\r"]);
    s.wait_for("Opened p03");
    s.send("G");
    s.wait_for("100% through");
    s.send("q");
    assert_eq!(s.wait_exit().exit_code(), 0);
    s.assert_restored();
    let state = read(&project.join(".thematic/ui/alex.yaml"));
    assert!(state.contains("transcript: p03"), "{state}");
    let mut again = Session::start(&[&p, "--coder", "alex"], &config);
    again.wait_for("Back where you left off: p03");
    again.wait_for("100% through");
    again.send("q");
    assert_eq!(again.wait_exit().exit_code(), 0);
    again.assert_restored();
}

#[test]
fn a_generated_study_opens_in_the_terminal_and_takes_a_code() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("generated");
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    let p = project.display().to_string();
    let out = crate::common::command()
        .args([
            "dev",
            "generate",
            &p,
            "--scale",
            "0.05",
            "--words",
            "1500",
            "--segments",
            "20",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = thematic::store::load(&project).unwrap().project;
    let alex = thematic::model::CoderId::new("alex").unwrap();
    let t = thematic::model::TranscriptId::new("t0001").unwrap();
    let code = before
        .codebook
        .walk()
        .iter()
        .find(|(_, c)| c.name == "Code 3.2.1")
        .map(|(_, c)| c.id.clone())
        .unwrap();
    let uses = |p: &thematic::model::Project| {
        p.segments(&alex, &t)
            .iter()
            .filter(|s| s.codes.contains(&code))
            .count()
    };

    let mut s = Session::start(&[&p, "--coder", "alex"], &config);
    s.wait_for("Welcome, alex");
    s.wait_for("t0001");
    s.keys(&["s"]);
    s.wait_for("selected");
    s.send("c");
    s.wait_for("Code with");
    s.send("Code 3.2.1");
    s.wait_for("Sub-theme 3.2");
    s.send("\r");
    s.wait_for("Coded Code 3.2.1 (saved)");
    s.send("q");
    assert_eq!(s.wait_exit().exit_code(), 0);
    s.assert_restored();

    let after = thematic::store::load(&project).unwrap();
    assert!(after.problems.is_empty(), "{:?}", after.problems);
    assert_eq!(uses(&after.project), uses(&before) + 1);
    let coded = after
        .project
        .segments(&alex, &t)
        .iter()
        .find(|s| s.codes.contains(&code) && !before.segments(&alex, &t).contains(s))
        .unwrap()
        .clone();
    let text = after
        .project
        .transcript(&t)
        .unwrap()
        .slice(coded.start, coded.end)
        .unwrap();
    assert_eq!(coded.text, text);
    assert!(text.ends_with('.'), "a whole sentence: {text:?}");
}

/// Escape sequences and controls in transcript text: one transcript imported (normalised),
/// one written into the folder by hand (as another tool might). Neither may reach the
/// terminal: no window title, no bell, no bracketed-paste end, no C1 CSI, no bidi override.
#[test]
fn escape_sequences_in_transcripts_never_reach_the_terminal() {
    let (dir, project, config) = setup();
    let hostile = "Interviewer: title\x1b]0;PWNED\x07 clear\x1b[2J\x1b[H home \
                   paste\x1b[201~ bell\x07 c1\u{9b}31m red \u{202e}desrever\u{202c} end.\n\
                   P1: more \x1b[31mred\x1b[0m and \x1bc reset \x1b[?1049l leave.\n";
    let file = dir.path().join("hostile.txt");
    std::fs::write(&file, hostile).unwrap();
    let out = crate::common::command()
        .args([
            "import",
            &project.display().to_string(),
            &file.display().to_string(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The same text straight into a transcript file, bypassing import.
    std::fs::write(project.join("transcripts/p01.txt"), hostile).unwrap();

    let p = project.display().to_string();
    let mut s = Session::start(&[&p, "--coder", "alex"], &config);
    s.wait_for("Welcome, alex");
    s.wait_for("PWNED");
    s.send("t");
    s.wait_for("Go to");
    s.send("hostile");
    s.send("\r");
    s.wait_for("Opened hostile");
    s.wait_for("desrever");
    s.send("q");
    assert_eq!(s.wait_exit().exit_code(), 0);
    s.assert_restored();
    let raw = s.raw.lock().unwrap().clone();
    let contains = |needle: &[u8]| raw.windows(needle.len()).any(|w| w == needle);
    assert!(!contains(b"\x1b]"), "an OSC sequence reached the terminal");
    assert!(!contains(b"\x07"), "a bell reached the terminal");
    assert!(
        !contains(b"\x1b[201~"),
        "a bracketed-paste end reached the terminal"
    );
    assert!(
        !contains("\u{9b}".as_bytes()),
        "a C1 CSI reached the terminal"
    );
    assert!(
        !contains("\u{202e}".as_bytes()),
        "a bidi override reached the terminal"
    );
    assert!(!contains(b"\x1bc"), "a terminal reset reached the terminal");
    assert!(
        !contains(b"\x1b[31m"),
        "the transcript's own colour reached the terminal"
    );
}

/// A full disk, as the process sees it: the shell's file-size limit (with SIGXFSZ ignored)
/// makes every write of a coding file fail. Coding must say NOT SAVED, keep the segment on
/// screen, refuse to quit silently, and leave the files on disk whole and as they were.
#[test]
fn a_failed_write_is_reported_kept_and_never_corrupts() {
    let (_dir, project, config) = setup();
    let p = project.display().to_string();
    let before = read(&project.join("codings/alex/p01.yaml"));
    let script = "trap '' XFSZ; ulimit -f 3; exec \"$0\" \"$@\"";
    let mut s = Session::start_program(
        "sh",
        &["-c", script, common::run::BIN, &p, "--coder", "alex"],
        &config,
    );
    s.wait_for("Welcome, alex");
    s.keys(&["}", "w", "s"]);
    s.wait_for("selected 16 chars");
    s.send("c");
    s.wait_for("Code with");
    s.send("front door");
    s.wait_for("One front door referral");
    s.send("\r");
    s.wait_for("NOT SAVED");
    s.wait_for("UNSAVED");
    // The first q tries again, fails, and warns; the second quits.
    s.send("q");
    s.wait_for("q again quits WITHOUT");
    s.send("q");
    assert_eq!(s.wait_exit().exit_code(), 0);
    s.assert_restored();
    assert_eq!(
        read(&project.join("codings/alex/p01.yaml")),
        before,
        "the file is as it was"
    );
    let leftovers: Vec<_> = std::fs::read_dir(project.join("codings/alex"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    let check = crate::common::command()
        .args(["check", &p])
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

/// The id of alex's segment in `transcript` whose text starts with `start`, from the file.
fn segment_id_starting(project: &Path, transcript: &str, start: &str) -> Option<String> {
    let coding = read(&project.join(format!("codings/alex/{transcript}.yaml")));
    let at = coding
        .find(&format!("text: \"{start}"))
        .or_else(|| coding.find(&format!("text: {start}")))?;
    let id_at = coding[..at].rfind("- id: ")? + "- id: ".len();
    Some(coding[id_at..].lines().next()?.trim().to_string())
}

/// The text of alex's segment `id` in `transcript`, as saved.
fn segment_text(project: &Path, transcript: &str, id: &str) -> String {
    let coding = read(&project.join(format!("codings/alex/{transcript}.yaml")));
    let at = coding.find(&format!("- id: {id}")).expect("the segment");
    let text = coding[at..]
        .lines()
        .find_map(|l| l.trim().strip_prefix("text: "))
        .expect("its text");
    text.trim_matches('"').to_string()
}

/// Where `needle` is on the screen, as 1-based (column, row) for a mouse report. The screen
/// rows before it hold only one-column characters in this test's layout.
fn cell_of(s: &Session, needle: &str) -> (usize, usize) {
    let parser = s.parser.lock().unwrap();
    let rows: Vec<String> = parser.screen().rows(0, COLS).collect();
    for (y, row) in rows.iter().enumerate() {
        if let Some(byte) = row.find(needle) {
            return (row[..byte].chars().count() + 1, y + 1);
        }
    }
    panic!("{needle:?} is not on screen:\n{}", rows.join("\n"));
}

#[test]
fn shift_arrows_select_whole_words_and_code_them() {
    let (_dir, project, config) = setup();
    let p = project.display().to_string();
    let mut s = Session::start(&[&p, "--coder", "alex"], &config);
    s.wait_for("Welcome, alex");
    // To Participant 1's speech ("Yeah, of course. So I'm …"), then Shift+Right twice (inside
    // "Yeah") and Shift+Ctrl+Right twice (to the start of "course", which is left out).
    s.send("]");
    s.keys(&["\x1b[1;2C", "\x1b[1;2C"]);
    s.wait_for("SELECT");
    s.keys(&["\x1b[1;6C", "\x1b[1;6C"]);
    s.send("c");
    s.wait_for("Code with");
    s.send("Opening words");
    s.wait_for("create “Opening words”");
    s.send("\r");
    s.wait_for("Created \"Opening words\"");
    s.send("q");
    assert_eq!(s.wait_exit().exit_code(), 0);
    s.assert_restored();
    let id = segment_id_starting(&project, "p01", "Yeah").expect("a new segment");
    assert_eq!(segment_text(&project, "p01", &id), "Yeah, of");
}

#[test]
fn a_double_click_selects_a_word_to_code() {
    let (_dir, project, config) = setup();
    let p = project.display().to_string();
    let mut s = Session::start(&[&p, "--coder", "alex"], &config);
    s.wait_for("Welcome, alex");
    s.wait_for("Thanks for making time");
    // Inside the word, not on its first letter: the whole word is taken.
    let (x, y) = cell_of(&s, "Thanks");
    let (x, y) = (x + 2, y);
    s.send(&format!(
        "\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m"
    ));
    s.wait_for("Selected this word");
    s.send("c");
    s.wait_for("Code with");
    s.send("Gratitude");
    s.wait_for("create “Gratitude”");
    s.send("\r");
    s.wait_for("Created \"Gratitude\"");
    s.send("q");
    assert_eq!(s.wait_exit().exit_code(), 0);
    s.assert_restored();
    let id = segment_id_starting(&project, "p01", "Thanks").expect("a new segment");
    assert_eq!(segment_text(&project, "p01", &id), "Thanks");
}

#[test]
fn the_rename_input_edits_like_a_shell_line() {
    let (_dir, project, config) = setup();
    let p = project.display().to_string();
    let mut s = Session::start(&[&p, "--coder", "alex"], &config);
    s.wait_for("Welcome, alex");
    s.send("B");
    s.wait_for("CODEBOOK");
    s.send("r");
    s.wait_for("New name");
    let (ctrl_u, ctrl_w, home, end, left) = ("\x15", "\x17", "\x1b[H", "\x1b[F", "\x1b[D");
    s.send(ctrl_u);
    s.send("trust in staff");
    s.keys(&[home]);
    s.send("Early ");
    s.keys(&[end, ctrl_w]);
    s.send("colleagues");
    s.keys(&[left; 10]);
    s.keys(&[ctrl_w]);
    s.send("between ");
    s.keys(&[end]);
    s.send("\x1b[200~ (pilot)\x1b[201~");
    s.wait_for("Early trust between colleagues (pilot)");
    s.send("\r");
    s.wait_for("Renamed to");
    s.send("q");
    assert_eq!(s.wait_exit().exit_code(), 0);
    s.assert_restored();
    let book = read(&project.join("codebook.yaml"));
    assert!(
        book.contains("name: Early trust between colleagues (pilot)"),
        "{book}"
    );
}

#[test]
fn e_after_coding_a_turn_writes_a_memo_on_the_new_segment() {
    let (_dir, project, config) = setup();
    let p = project.display().to_string();
    let mut s = Session::start(&[&p, "--coder", "alex"], &config);
    s.wait_for("Welcome, alex");
    s.keys(&["]", "S", "c"]);
    s.wait_for("Code with");
    s.send("front door");
    s.wait_for("One front door referral");
    s.send("\r");
    s.wait_for("Coded One front door referral (saved)");
    s.send("E");
    s.wait_for("Memo on the segment");
    s.send("Why the turn");
    s.send("\t");
    s.send("The whole answer sets up the front door.");
    s.wait_for("saved");
    s.send("\x1b");
    std::thread::sleep(Duration::from_millis(200));
    s.send("q");
    assert_eq!(s.wait_exit().exit_code(), 0);
    let id = segment_id_starting(&project, "p01", "Yeah, of course").expect("the turn coded");
    let memos: Vec<String> = std::fs::read_dir(project.join("memos/alex"))
        .unwrap()
        .map(|e| read(&e.unwrap().path()))
        .filter(|text| text.contains("title: Why the turn"))
        .collect();
    assert_eq!(memos.len(), 1);
    assert!(memos[0].contains(&id), "linked to {id}: {}", memos[0]);
}

/// The coding screen draws its first frame from the first phase of opening (the coder's
/// transcript, its coding, the codebook) while the rest loads; keys typed meanwhile wait
/// for the whole project and then act on it. The load is held back by a test hook so that
/// the keys are surely typed while it runs.
#[test]
fn keys_typed_while_the_project_loads_act_on_the_whole_project() {
    let (_dir, project, config) = setup();
    let p = project.display().to_string();
    let before = thematic::store::load(&project).unwrap().project;
    let slow = [("THEMATIC_TEST_SLOW_OPENING_MS", "1500")];
    let bin = env!("CARGO_BIN_EXE_thematic");
    let mut s = Session::start_with(bin, &[&p, "--coder", "alex"], &config, &slow);
    s.wait_for("Loading 12 transcripts");
    // The first frame: the resume transcript with its coding; counts that need the other
    // transcripts are blank until they are read (a count from a part would be false).
    let first = s.screen();
    assert!(first.contains("Welcome, alex"), "{first}");
    assert!(first.contains("Participant 1: Yeah, of course."), "{first}");
    // Whether the transcript list's row of p03 ends in a count of alex's segments.
    let p03_counted = |screen: &str| {
        screen
            .lines()
            .find(|l| l.contains("p03 Participant 3"))
            .map(|l| {
                let row = l.split("││").next().unwrap_or_default();
                let after = row.split("Participant 3").nth(1).unwrap_or_default();
                !after.trim_end_matches('│').trim().is_empty()
            })
    };
    assert_eq!(p03_counted(&first), Some(false), "{first}");
    s.keys(&["}", "w", "s"]);
    assert!(
        s.screen().contains("Loading 12 transcripts"),
        "the keys were typed while loading: {}",
        s.screen()
    );
    s.send("c");
    s.send("front door");
    s.send("\r");
    s.wait_for("Coded One front door referral (saved)");
    assert!(!s.screen().contains("Loading"), "{}", s.screen());
    assert_eq!(p03_counted(&s.screen()), Some(true), "{}", s.screen());
    s.send("q");
    assert_eq!(s.wait_exit().exit_code(), 0);
    s.assert_restored();
    let after = thematic::store::load(&project).unwrap();
    assert!(after.problems.is_empty(), "{:?}", after.problems);
    let alex = thematic::model::CoderId::new("alex").unwrap();
    let p01 = thematic::model::TranscriptId::new("p01").unwrap();
    let new: Vec<_> = after
        .project
        .segments(&alex, &p01)
        .iter()
        .filter(|seg| !before.segments(&alex, &p01).contains(seg))
        .collect();
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0].text, "Yeah, of course.");
    // Nothing else changed: every other coder's and transcript's coding is as it was.
    for (coder, by_transcript) in before.codings() {
        for (t, segments) in by_transcript {
            if (coder, t) != (&alex, &p01) {
                assert_eq!(
                    after.project.segments(coder, t),
                    segments.as_slice(),
                    "{coder} {t}"
                );
            }
        }
    }
}

/// A damaged file found while the rest of the project loads is reported when it is read,
/// as at any opening.
#[test]
fn a_damaged_file_found_while_loading_is_reported() {
    let (_dir, project, config) = setup();
    let p = project.display().to_string();
    std::fs::write(
        project.join("codings/alex/p07.yaml"),
        "transcript: p07\ncoder: alex\nsegments: [unclosed\n",
    )
    .unwrap();
    let slow = [("THEMATIC_TEST_SLOW_OPENING_MS", "800")];
    let bin = env!("CARGO_BIN_EXE_thematic");
    let mut s = Session::start_with(bin, &[&p, "--coder", "alex"], &config, &slow);
    s.wait_for("Loading 12 transcripts");
    s.wait_for("1 problem(s) found while opening");
    s.send("?");
    s.wait_for("codings/alex/p07.yaml:3:");
    s.send("\x1b");
    s.send("q");
    assert_eq!(s.wait_exit().exit_code(), 0);
    s.assert_restored();
}

/// A project that cannot be read to the end (its thematic.yaml gone while the rest loads)
/// closes the coding screen with the reason and an error status, the terminal restored and
/// nothing written: the partial project is never worked on.
#[test]
fn a_project_that_cannot_be_read_to_the_end_closes_the_screen_with_the_reason() {
    let (dir, project, config) = setup();
    let p = project.display().to_string();
    let slow = [("THEMATIC_TEST_SLOW_OPENING_MS", "1500")];
    let bin = env!("CARGO_BIN_EXE_thematic");
    let mut s = Session::start_with(bin, &[&p, "--coder", "alex"], &config, &slow);
    s.wait_for("Loading 12 transcripts");
    let aside = dir.path().join("thematic.yaml");
    std::fs::rename(project.join("thematic.yaml"), &aside).unwrap();
    s.send("j");
    let status = s.wait_exit();
    assert_ne!(status.exit_code(), 0);
    s.assert_restored();
    assert!(
        s.output().contains("could not be read to the end"),
        "{}",
        s.output()
    );
    std::fs::rename(&aside, project.join("thematic.yaml")).unwrap();
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-project");
    for coder in ["alex", "sam"] {
        for entry in std::fs::read_dir(sample.join("codings").join(coder)).unwrap() {
            let name = entry.unwrap().file_name();
            let rel = Path::new("codings").join(coder).join(&name);
            assert_eq!(
                read(&project.join(&rel)),
                read(&sample.join(&rel)),
                "{rel:?}"
            );
        }
    }
}
