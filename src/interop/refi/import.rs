//! Reading REFI-QDA: a `.qdpx` project or a `.qdc` codebook into a new project.

use super::RefiError;
use crate::model::Project;
use std::path::Path;

#[derive(Debug, Default)]
pub struct Summary {
    pub lines: Vec<String>,
}

impl Summary {
    pub fn render(&self) -> String {
        self.lines.iter().map(|l| format!("{l}\n")).collect()
    }
}

pub struct Imported {
    pub project: Project,
    pub summary: Summary,
}

pub fn import_file(path: &Path) -> Result<Imported, RefiError> {
    let _ = path;
    Err(RefiError::Invalid("not yet".into()))
}

pub fn write_new_project(imported: &Imported, dir: &Path) -> Result<(), RefiError> {
    let _ = (imported, dir);
    Err(RefiError::Invalid("not yet".into()))
}
