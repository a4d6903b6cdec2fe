//! The model: what a project is, independent of files and terminals.

pub mod audit;
pub mod codebook;
pub mod codebook_ops;
pub mod coding;
pub mod edit;
pub mod edit_summary;
pub mod ids;
pub mod memo;
pub mod project;
pub mod transcript;
pub mod visibility;

#[cfg(test)]
mod edit_tests;

pub use codebook::{Code, Codebook, Colour, Level, Position};
pub use coding::Segment;
pub use edit::{Edit, EditError, FileKey, Touched};
pub use ids::{CodeId, CoderId, MemoId, SegmentId, TranscriptId};
pub use memo::{Comment, Memo, MemoKind, MemoLink, MemoReview, SegmentRef};
pub use project::{
    AttributeDef, Coder, FORMAT_VERSION, PairFigures, Project, ProjectMeta, Round, RoundFigures,
    Sample,
};
pub use transcript::{Transcript, TranscriptMeta};
