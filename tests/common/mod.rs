//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Copies a project folder, leaving out its local `.thematic` folder (locks).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != ".thematic" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The repository's sample-project.
pub fn sample_project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-project")
}

/// A copy of sample-project at `to`.
pub fn copy_sample(to: &Path) {
    copy_dir(&sample_project(), to);
}

/// Runs the thematic binary with `args`, with a config folder of its own (so the user's
/// config never leaks in), and returns what it did.
pub fn thematic(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thematic"))
        .args(args)
        .env(
            "THEMATIC_CONFIG_DIR",
            std::env::temp_dir().join("thematic-test-config"),
        )
        .output()
        .expect("the binary runs")
}
