//! REFI-QDA 1.0 exchange: `.qdpx` projects and `.qdc` codebooks.

pub mod definition;
pub mod export;
pub mod import;
pub mod merge;
pub mod package;
pub mod positions;
pub mod xml;

/// Why a REFI-QDA file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum RefiError {
    #[error("{path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

#[cfg(test)]
mod tests;
