//! Coded segments: a half-open range of chars in a transcript with the codes applied to it.

use super::ids::{CodeId, SegmentId};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    pub id: SegmentId,
    /// First char of the segment (Unicode scalar values from 0).
    pub start: usize,
    /// One past the last char.
    pub end: usize,
    pub codes: Vec<CodeId>,
    /// The quoted text, kept so that a transcript edited outside the tool can be noticed
    /// and the segment re-anchored.
    pub text: String,
    pub created: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<Timestamp>,
}

impl Segment {
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    pub fn overlaps(&self, start: usize, end: usize) -> bool {
        self.start < end && start < self.end
    }
}

/// Keeps a coder's segments in one transcript in reading order.
pub fn sort_segments(segments: &mut [Segment]) {
    segments.sort_by(|a, b| (a.start, a.end, &a.id).cmp(&(b.start, b.end, &b.id)));
}
