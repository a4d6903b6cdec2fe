//! Writing REFI-QDA: a `.qdpx` project (zip) and a `.qdc` codebook.

use super::RefiError;
use crate::model::Project;

#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub sources: usize,
    pub codes: usize,
    pub selections: usize,
    pub notes: usize,
    pub users: usize,
}

pub struct QdpxExport {
    pub bytes: Vec<u8>,
    pub counts: Counts,
    /// What the project holds that REFI-QDA has no place for.
    pub left_out: Vec<String>,
}

pub fn qdpx(project: &Project) -> Result<QdpxExport, RefiError> {
    let _ = project;
    Err(RefiError::Invalid("not yet".into()))
}

pub fn qdc(project: &Project) -> String {
    let _ = project;
    String::new()
}
