//! The figures a thematic-analysis paper reports, computed from the coding itself:
//! saturation, code x transcript and code x attribute matrices, co-occurrence of codes, and
//! the theme table. One module for the TUI, the command line and reports.
//!
//! Every figure counts the segments of a [`Scope`] (whose coding, which transcripts) and
//! keeps the codebook's levels apart: a node applied to a segment counts at its own level and
//! rolls up to the nodes above it of its level or a higher one, never to a node of a lower
//! level (see [`rolls_up_to`]). The exact definitions are in docs/definitions.md and in the
//! `*_DEFINITION` constants below, which the report's methods summary quotes.

use super::node_counts::Coders;
use crate::model::{CodeId, CoderId, Level, Project, Segment, TranscriptId};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Saturation, as docs/definitions.md and the report's methods summary state it.
pub const SATURATION_DEFINITION: &str = "Saturation is counted over coded interviews only, in interview order: an interview is coded when the coders counted made at least one segment in it or marked it done. Saturation is reached after the last coded interview that added a node not seen before, when at least the required run of coded interviews follows it without adding one; interviews nobody coded neither add to nor extend that run.";

/// Levels, as docs/definitions.md and the report's methods summary state them.
pub const LEVELS_DEFINITION: &str = "A node applied to a segment counts at its own level and rolls up to the nodes above it at that level or a higher one; it never counts as a node of a lower level. A sub-theme applied directly is a sub-theme, not a code: \"codes\" are code-level nodes only.";

/// The exemplar quote, as docs/definitions.md and the report's methods summary state it.
pub const EXEMPLAR_DEFINITION: &str = "An exemplar quote is the exact text of one segment, line breaks included, cited with the participant label: the one chosen in the codebook when it is in the table's scope, else the first in interview order.";

mod cooccurrence;
mod levels;
mod matrix;
mod saturation;
/// Which segments count: whose, and from transcripts with which attribute values.
mod scope;
mod themes;
pub use cooccurrence::*;
pub use levels::*;
pub use matrix::*;
pub use saturation::*;
pub use scope::*;
pub use themes::*;
