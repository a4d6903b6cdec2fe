//! Running the thematic binary as a user does, and reading what it did. Every run gets a
//! config folder of its own through `Command::env`, never through this process's
//! environment (which the tests share), so neither the user's config nor a test's leaks in.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_thematic");

/// The config folder runs get unless a test gives one: a folder that does not exist, so no
/// config is read. (Only the first-run prompt on a terminal writes a config; the tests
/// that drive it give a folder of their own.)
pub fn no_config() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("thematic-no-config")
}

/// The binary, ready for arguments, with the config folder that does not exist.
pub fn command() -> Command {
    let config = no_config();
    assert!(
        !config.exists(),
        "{} should not exist (a run wrote a config there); remove it",
        config.display()
    );
    let mut command = Command::new(BIN);
    command.env("THEMATIC_CONFIG_DIR", config);
    command
}

/// Runs the binary with `args` and no config; what it did.
pub fn thematic<S: AsRef<OsStr>>(args: &[S]) -> Output {
    command().args(args).output().expect("the binary runs")
}

/// Runs the binary with `args` and its config in `config` (a folder the test made).
pub fn thematic_with_config<S: AsRef<OsStr>>(config: &Path, args: &[S]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("THEMATIC_CONFIG_DIR", config)
        .output()
        .expect("the binary runs")
}

/// The standard output of a run that must have succeeded (exit 0); otherwise fails with
/// both streams.
pub fn succeeded(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\n{}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The standard error of a run that must have ended with exit `status`.
pub fn failed_with(out: &Output, status: i32) -> String {
    assert_eq!(
        out.status.code(),
        Some(status),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}
