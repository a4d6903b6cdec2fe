//! A hostile clone: a git repository whose project commits symbolic links (the lock path,
//! a coder's codings folder, the audit folder, `.thematic`, a transcript) pointing into a
//! decoy tree outside the project, plus FIFOs made after cloning at a transcript's and a
//! coding file's path. The clone is opened in the coding screen (a pty) and by
//! `dev edit-stream`, checked, and exported in every format, each under a timeout: nothing
//! hangs, each problem is reported, and no byte of the decoy tree changes.

use crate::common;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Every entry under `dir`: a file's bytes, a link's target, or the kind of anything else.
fn checksums(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut all = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            let file_type = entry.file_type().unwrap();
            let value = if file_type.is_symlink() {
                fs::read_link(&path)
                    .unwrap()
                    .into_os_string()
                    .into_encoded_bytes()
            } else if file_type.is_dir() {
                stack.push(path.clone());
                b"<dir>".to_vec()
            } else if file_type.is_file() {
                let meta = fs::metadata(&path).unwrap();
                let mut bytes = fs::read(&path).unwrap();
                use std::os::unix::fs::PermissionsExt;
                bytes.extend(format!("<mode {:o}>", meta.permissions().mode()).bytes());
                bytes
            } else {
                b"<other>".to_vec()
            };
            all.insert(path, value);
        }
    }
    all
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

fn mkfifo(path: &Path) {
    let _ = fs::remove_file(path);
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

/// Which link the committed `.thematic` holds: a link at the lock path, or the folder
/// itself linked (a repository can hold only one of the two).
#[derive(Clone, Copy, Debug)]
enum LocalLink {
    LockFile,
    Folder,
}

/// Builds the decoy tree and a hostile repository, and clones it. Returns (decoy, clone).
fn hostile_clone(base: &Path, variant: LocalLink) -> (PathBuf, PathBuf) {
    let decoy = base.join("decoy");
    fs::create_dir_all(decoy.join("sam-codings")).unwrap();
    fs::create_dir_all(decoy.join("audit")).unwrap();
    fs::create_dir_all(decoy.join("local/locks")).unwrap();
    fs::write(decoy.join("precious.txt"), "x".repeat(750)).unwrap();
    fs::write(
        decoy.join("secret.txt"),
        "a confidential interview elsewhere",
    )
    .unwrap();
    fs::write(decoy.join("audit/sam.yaml"), "coder: sam\nentries: []\n").unwrap();
    let sample = common::sample_project();
    for entry in fs::read_dir(sample.join("codings/sam")).unwrap().flatten() {
        fs::copy(
            entry.path(),
            decoy.join("sam-codings").join(entry.file_name()),
        )
        .unwrap();
    }

    let origin = base.join("origin");
    common::copy_sample(&origin);
    fs::remove_dir_all(origin.join("codings/sam")).unwrap();
    symlink(decoy.join("sam-codings"), origin.join("codings/sam")).unwrap();
    symlink(decoy.join("audit"), origin.join("audit")).unwrap();
    fs::remove_file(origin.join("transcripts/p12.txt")).unwrap();
    symlink(decoy.join("secret.txt"), origin.join("transcripts/p12.txt")).unwrap();
    match variant {
        LocalLink::LockFile => {
            fs::create_dir_all(origin.join(".thematic/locks")).unwrap();
            symlink(
                decoy.join("precious.txt"),
                origin.join(".thematic/locks/alex.lock"),
            )
            .unwrap();
        }
        LocalLink::Folder => symlink(decoy.join("local"), origin.join(".thematic")).unwrap(),
    }
    git(&origin, &["init", "-q"]);
    git(&origin, &["add", "-A"]);
    git(&origin, &["add", "-f", ".thematic"]);
    git(&origin, &["commit", "-q", "-m", "hostile"]);
    let clone = base.join("clone");
    git(base, &["clone", "-q", "origin", "clone"]);
    assert!(
        fs::symlink_metadata(clone.join("codings/sam"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "git checked the link out"
    );
    // FIFOs cannot be committed; a careless copy can still bring them.
    mkfifo(&clone.join("transcripts/p11.txt"));
    mkfifo(&clone.join("codings/alex/p10.yaml"));
    (decoy, clone)
}

/// Runs the binary with a timeout; (exit status, stdout + stderr).
fn run(args: &[&str], config: &Path) -> (Option<i32>, String) {
    let mut child = crate::common::command()
        .args(args)
        .env("THEMATIC_CONFIG_DIR", config)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("thematic {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// `dev edit-stream` runs until killed: it is stopped after a moment if it has not ended.
fn edit_stream(clone: &Path, coder: &str, config: &Path) -> String {
    let mut child = crate::common::command()
        .args(["--coder", coder, "dev", "edit-stream"])
        .arg(clone)
        .env("THEMATIC_CONFIG_DIR", config)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline && child.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// Opens the coding screen in a pty as `coder`, tries to code a sentence, and quits.
fn code_in_the_terminal(clone: &Path, coder: &str, config: &Path) -> String {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(common::run::BIN);
    command.arg(clone);
    command.args(["--coder", coder]);
    command.env("TERM", "xterm-256color");
    command.env("THEMATIC_CONFIG_DIR", config);
    let mut child = pair.slave.spawn_command(command).unwrap();
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        30u16.try_into().unwrap(),
        100u16.try_into().unwrap(),
        0,
    )));
    let p = Arc::clone(&parser);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            p.lock().unwrap().process(&buf[..n]);
        }
    });
    let screen = || parser.lock().unwrap().screen().contents();
    let wait_for = |text: &str| {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if screen().contains(text) || screen().contains("cannot lock") {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    };
    let mut seen = String::new();
    if wait_for("problem") && !screen().contains("cannot lock") {
        seen.push_str(&screen());
        for keys in ["}", "w", "s", "c", "front door", "\r"] {
            writer.write_all(keys.as_bytes()).unwrap();
            writer.flush().unwrap();
            std::thread::sleep(Duration::from_millis(150));
        }
        seen.push_str(&screen());
        // The help lists what failed to load.
        for keys in ["\x1b", "?"] {
            writer.write_all(keys.as_bytes()).unwrap();
            writer.flush().unwrap();
            std::thread::sleep(Duration::from_millis(300));
        }
        seen.push_str(&screen());
        writer.write_all(b"\x1b").unwrap();
        std::thread::sleep(Duration::from_millis(150));
        writer.write_all(b"q").unwrap();
        writer.flush().unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(15);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the coding screen did not quit:\n{}", screen());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    seen + &screen()
}

fn hostile_clone_stays_inside(variant: LocalLink) {
    let dir = tempfile::tempdir().unwrap();
    let (decoy, clone) = hostile_clone(dir.path(), variant);
    let config = dir.path().join("config");
    let outputs = dir.path().join("outputs");
    fs::create_dir_all(&config).unwrap();
    fs::create_dir_all(&outputs).unwrap();
    let before = checksums(&decoy);
    let c = clone.display().to_string();

    let (code, report) = run(&["check", &c], &config);
    assert_eq!(code, Some(1), "{report}");
    for expected in [
        "codings/sam is a symbolic link to",
        "audit is a symbolic link to",
        "transcripts/p12.txt is a symbolic link to",
        "transcripts/p11.txt is a FIFO",
        "codings/alex/p10.yaml is a FIFO",
        "thematic does not follow links inside a project",
    ] {
        assert!(report.contains(expected), "{expected:?} not in:\n{report}");
    }
    assert!(!report.contains("confidential"), "{report}");

    let (code, stats) = run(&["stats", &c], &config);
    assert_eq!(code, Some(0), "{stats}");
    for (format, name) in [
        ("qdpx", "out.qdpx"),
        ("qdc", "out.qdc"),
        ("csv", "out.csv"),
        ("markdown", "out.md"),
        ("html", "out.html"),
    ] {
        let out = outputs.join(name).display().to_string();
        let (code, said) = run(&["export", &c, "--to", format, &out], &config);
        assert_eq!(code, Some(0), "{format}: {said}");
        let bytes = fs::read(&out).unwrap();
        let text = if format == "qdpx" {
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            let mut all = String::new();
            for i in 0..archive.len() {
                let mut entry = archive.by_index(i).unwrap();
                let mut part = Vec::new();
                entry.read_to_end(&mut part).unwrap();
                all.push_str(&String::from_utf8_lossy(&part));
            }
            all
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        assert!(
            !text.contains("confidential interview elsewhere"),
            "{format}"
        );
    }

    // Writing: alex (whose lock path is a link, or whose local folder is) and sam (whose
    // codings folder and audit trail are links).
    for coder in ["alex", "sam"] {
        let said = edit_stream(&clone, coder, &config);
        assert!(
            !said.contains("\nsaved") || coder == "alex",
            "{coder}: {said}"
        );
        if coder == "sam" && matches!(variant, LocalLink::LockFile) {
            assert!(
                said.contains("codings/sam is a symbolic link"),
                "{coder}: {said}"
            );
        } else {
            assert!(said.contains("cannot lock"), "{coder}: {said}");
        }
    }
    // With a linked `.thematic` no one can lock, so the coding screen is refused instead.
    let screen = code_in_the_terminal(&clone, "sam", &config);
    let expected = match variant {
        LocalLink::LockFile => "problem",
        LocalLink::Folder => "cannot lock",
    };
    assert!(screen.contains(expected), "{screen}");
    if let LocalLink::LockFile = variant {
        assert!(
            screen.contains("Not saved: codings/sam is a symbolic link"),
            "{screen}"
        );
        assert!(screen.contains("PROBLEMS"), "a sign that stays: {screen}");
        assert!(
            screen.contains("problems found when opening"),
            "the help lists them: {screen}"
        );
    }

    assert!(
        checksums(&decoy) == before,
        "a byte outside the clone changed"
    );
    assert_eq!(
        fs::read_to_string(decoy.join("precious.txt"))
            .unwrap()
            .len(),
        750
    );
}

#[test]
fn a_hostile_clone_with_a_linked_lock_never_touches_the_disk_outside_it() {
    hostile_clone_stays_inside(LocalLink::LockFile);
}

#[test]
fn a_hostile_clone_with_a_linked_local_folder_never_touches_the_disk_outside_it() {
    hostile_clone_stays_inside(LocalLink::Folder);
}
