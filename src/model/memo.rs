//! Memos: the reflexive journal and memos linked to codes, transcripts and segments.

use super::ids::{CodeId, CoderId, MemoId, SegmentId, TranscriptId};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// What a memo is about. A memo may link to several things; one with no links is a
/// reflexive journal entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum MemoLink {
    Code(CodeId),
    Transcript(TranscriptId),
    Segment(SegmentRef),
}

/// A segment is found through its transcript and coder, because segment ids are unique
/// within one coder's coding of one transcript.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentRef {
    pub transcript: TranscriptId,
    pub coder: CoderId,
    pub id: SegmentId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MemoKind {
    Journal,
    Code,
    Transcript,
    Segment,
}

impl MemoKind {
    pub fn label(self) -> &'static str {
        match self {
            MemoKind::Journal => "journal",
            MemoKind::Code => "code",
            MemoKind::Transcript => "transcript",
            MemoKind::Segment => "segment",
        }
    }
}

/// One dated comment in a review thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comment {
    pub at: Timestamp,
    pub text: String,
}

/// What one person (a reviewer, or the author answering) says about one memo, kept in that
/// person's own file, `reviews/<reviewer>/<memo>.yaml`, so that reviewing never writes the
/// memo author's files. A memo's thread is every review's comments in time order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemoReview {
    pub memo: MemoId,
    pub reviewer: CoderId,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<Comment>,
    /// When the reviewer marked the memo reviewed, if they have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<Timestamp>,
}

/// What `memos/<author>/<id>.yaml` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Memo {
    pub id: MemoId,
    pub author: CoderId,
    pub title: String,
    pub created: Timestamp,
    pub updated: Timestamp,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<MemoLink>,
    pub body: String,
}

impl Memo {
    /// The kind, from the first link (a journal entry has none).
    pub fn kind(&self) -> MemoKind {
        match self.links.first() {
            None => MemoKind::Journal,
            Some(MemoLink::Code(_)) => MemoKind::Code,
            Some(MemoLink::Transcript(_)) => MemoKind::Transcript,
            Some(MemoLink::Segment(_)) => MemoKind::Segment,
        }
    }
}
