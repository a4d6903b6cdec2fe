//! The Memos view: every memo (and, on request, the codebook decisions of the audit trail)
//! in time order or by what they are about; filters; reading in full; jumping to what a memo
//! is about and back; and review: comments and the reviewed mark, kept in the reviewer's own
//! files.
pub mod draw;
pub mod keys;

use crate::analysis::memos::{MemoFilter, MemoOrder};
use crate::model::{CoderId, MemoId};

/// A row of the Memos view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemoRow {
    Memo(MemoId),
    /// A codebook decision: whose, and its place in their trail.
    Decision(CoderId, usize),
}

#[derive(Debug, Clone, Default)]
pub struct MemosState {
    pub filter: MemoFilter,
    pub order: MemoOrder,
    pub show_audit: bool,
    pub rows: Vec<MemoRow>,
    pub selected: usize,
    /// Lines scrolled in the reading pane.
    pub read_scroll: u16,
}
