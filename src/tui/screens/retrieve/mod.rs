//! The Retrieve screen: every quote of a code, filtered and sorted, each in its context in
//! the transcript; marking quotes to split them off into a new code, setting exemplars,
//! jumping to a quote in the Code screen.
pub mod draw;
pub mod keys;

use crate::analysis::retrieve::{Quote, QuoteFilter, QuoteOrder};
use crate::model::CodeId;
use crate::model::codebook_ops::SegmentAt;
use std::collections::HashSet;

/// The Retrieve view's state: which code, how filtered and sorted, and the quotes found.
#[derive(Debug, Clone)]
pub struct RetrieveState {
    pub code: CodeId,
    pub with_children: bool,
    pub filter: QuoteFilter,
    pub order: QuoteOrder,
    pub quotes: Vec<Quote>,
    pub selected: usize,
    pub marked: HashSet<SegmentAt>,
    /// Sentences of the transcript shown on either side of the selected quote.
    pub context: usize,
}

/// The context shown around a quote at first: one sentence either side.
pub const DEFAULT_CONTEXT: usize = 1;
/// The most sentences of context either side.
pub const MAX_CONTEXT: usize = 8;

impl RetrieveState {
    pub fn current(&self) -> Option<&Quote> {
        self.quotes.get(self.selected)
    }

    pub fn is_marked(&self, q: &Quote) -> bool {
        self.marked.contains(&at_of(q))
    }
}

pub(crate) fn at_of(q: &Quote) -> SegmentAt {
    SegmentAt {
        coder: q.coder.clone(),
        transcript: q.transcript.clone(),
        id: q.segment.clone(),
    }
}
