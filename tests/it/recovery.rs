//! The record tells the truth on a full disk, through the real binary in a pty: a code
//! created while the disk is full is not saved and not in the audit trail; SIGTERM then
//! writes the unsaved change to a recovery file (exit status non-zero, naming the file); the
//! next opening offers it back, and restoring puts the code and its audit entry in place.
//! Needs a small tmpfs (root with mount rights); skipped with a message elsewhere. Also:
//! saves from the coding screen keep restricted modes.

use crate::common;

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Pty {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
}

impl Pty {
    fn start(args: &[&str], config: &Path, state: &Path) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut command = CommandBuilder::new(common::run::BIN);
        command.args(args);
        command.env("TERM", "xterm-256color");
        command.env("THEMATIC_CONFIG_DIR", config);
        command.env("THEMATIC_STATE_DIR", state);
        let child = pair.slave.spawn_command(command).unwrap();
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            30u16.try_into().unwrap(),
            100u16.try_into().unwrap(),
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
        // The pty's other end stays open in this process until the child exits.
        std::mem::forget(pair.slave);
        std::mem::forget(pair.master);
        Pty {
            child,
            writer,
            parser,
            raw,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn output(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if self.screen().contains(text) || self.output().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{text:?} never appeared; screen:\n{}", self.screen());
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(80));
    }

    fn wait_exit(&mut self) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(150));
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("thematic did not exit; screen:\n{}", self.screen());
    }
}

/// A small tmpfs at `at`, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path) -> Option<Tmpfs> {
        fs::create_dir_all(at).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=4m", "thematic-test"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            eprintln!("SKIPPED: cannot mount a tmpfs here (needs root and mount rights)");
        }
        mounted.then(|| Tmpfs(at.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn fill(path: &Path) {
    let mut file = fs::File::create(path).unwrap();
    let block = vec![0u8; 64 * 1024];
    while file.write_all(&block).is_ok() {}
    let _ = file.sync_all();
}

#[test]
fn sigterm_with_an_unsaved_change_writes_a_recovery_file_that_the_next_opening_restores() {
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = Tmpfs::mount(&dir.path().join("disk")) else {
        return;
    };
    let project = disk.0.join("study");
    common::copy_sample(&project);
    let config = dir.path().join("config");
    let state = dir.path().join("state");
    fs::create_dir_all(&config).unwrap();
    let p = project.display().to_string();

    let mut s = Pty::start(&[&p, "--coder", "alex"], &config, &state);
    s.wait_for("Welcome, alex");
    fill(&disk.0.join("filler"));
    s.send("]");
    s.send("s");
    s.send("c");
    s.send("Kept through a full disk");
    s.wait_for("create “Kept through a full disk”");
    s.send("\r");
    s.wait_for("UNSAVED");
    let codebook = fs::read_to_string(project.join("codebook.yaml")).unwrap();
    assert!(!codebook.contains("Kept through a full disk"));
    let audit = fs::read_to_string(project.join("audit/alex.yaml")).unwrap_or_default();
    assert!(!audit.contains("Kept through a full disk"), "{audit}");

    let pid = s.child.process_id().unwrap();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap()
            .success()
    );
    let code = s.wait_exit();
    assert_ne!(code, 0, "{}", s.output());
    assert!(s.output().contains("not saved:"), "{}", s.output());
    let recovery: Vec<PathBuf> = fs::read_dir(&state)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(recovery.len(), 1, "{recovery:?}");
    let name = recovery[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(s.output().contains(&name), "the message names the file");
    let saved = fs::read_to_string(&recovery[0]).unwrap();
    assert!(saved.contains("Kept through a full disk"), "{saved}");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&recovery[0]).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "participants' words stay private");
    }

    // Space again: the next opening offers the change back.
    fs::remove_file(disk.0.join("filler")).unwrap();
    let mut again = Pty::start(&[&p, "--coder", "alex"], &config, &state);
    again.wait_for("Restore them now? [y/N]");
    again.send("y\r");
    again.wait_for("Welcome, alex");
    again.send("q");
    assert_eq!(again.wait_exit(), 0, "{}", again.output());
    assert!(again.output().contains("restored codebook.yaml"));
    let codebook = fs::read_to_string(project.join("codebook.yaml")).unwrap();
    assert!(codebook.contains("Kept through a full disk"));
    let audit = fs::read_to_string(project.join("audit/alex.yaml")).unwrap();
    assert!(audit.contains("Kept through a full disk"), "{audit}");
    assert_eq!(
        fs::read_dir(&state).unwrap().count(),
        0,
        "the recovery is used up"
    );
    let check = crate::common::command()
        .arg("check")
        .arg(&project)
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn saves_from_the_coding_screen_never_widen_modes() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("study");
    common::copy_sample(&project);
    let config = dir.path().join("config");
    let state = dir.path().join("state");
    fs::create_dir_all(&config).unwrap();
    let restrict =
        |p: &Path, m: u32| fs::set_permissions(p, fs::Permissions::from_mode(m)).unwrap();
    restrict(&project.join("thematic.yaml"), 0o640);
    restrict(&project.join("codebook.yaml"), 0o640);
    let coding = project.join("codings/alex/p01.yaml");
    restrict(&coding, 0o600);
    let coding_before = fs::read(&coding).unwrap();
    let p = project.display().to_string();
    let mut s = Pty::start(&[&p, "--coder", "alex"], &config, &state);
    s.wait_for("Welcome, alex");
    // A new code (rewrites codebook.yaml, creates audit/alex.yaml) coding a sentence of p01.
    s.send("]");
    s.send("s");
    s.send("c");
    s.send("Restricted on purpose");
    s.wait_for("create “Restricted on purpose”");
    s.send("\r");
    s.wait_for("(saved)");
    s.send("q");
    assert_eq!(s.wait_exit(), 0, "{}", s.output());
    assert_ne!(
        fs::read(&coding).unwrap(),
        coding_before,
        "the coding file was rewritten"
    );
    assert_eq!(mode(&project.join("codebook.yaml")), 0o640);
    assert_eq!(mode(&coding), 0o600);
    assert_eq!(
        mode(&project.join("audit/alex.yaml")),
        0o640,
        "a new file takes thematic.yaml's mode"
    );
}
