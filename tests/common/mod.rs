//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

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
