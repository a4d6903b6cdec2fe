//! Retrieval: every segment of a code (or of a theme with everything below it), as quotes
//! ready for a paper: “text” (Participant 13).

use super::node_counts::Coders;
use crate::model::{CodeId, CoderId, Project, SegmentId, TranscriptId};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quote {
    pub transcript: TranscriptId,
    pub participant: String,
    /// Interview order of the transcript.
    pub order: Option<u32>,
    pub attributes: BTreeMap<String, String>,
    pub coder: CoderId,
    pub segment: SegmentId,
    pub start: usize,
    pub end: usize,
    /// The transcript's text at `[start, end)`.
    pub text: String,
    /// Every code on the segment.
    pub codes: Vec<CodeId>,
    /// The recording's time where the quote starts (`hh:mm:ss`), when the transcript has
    /// time codes; null otherwise.
    pub time: Option<String>,
    /// The PDF page the quote starts on, when the transcript came from a PDF.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

impl Quote {
    /// The quote as cited in a paper: “text” (Participant 13), the text on one line, with
    /// the recording's time or the page where known: “text” (Participant 7, 00:14:32).
    pub fn cite(&self) -> String {
        let text = crate::wording::one_line(&self.text);
        let place = match (&self.time, self.page) {
            (Some(time), _) => format!(", {time}"),
            (None, Some(page)) => format!(", p. {page}"),
            (None, None) => String::new(),
        };
        format!("“{text}” ({}{place})", self.participant)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuoteFilter {
    pub coders: Coders,
    /// Attribute name and value, all of which must hold (values compared ignoring case).
    pub attributes: Vec<(String, String)>,
    /// Words that must appear in the quote (ignoring case).
    pub text: Option<String>,
    /// Only these transcripts (None: all).
    pub transcripts: Option<Vec<TranscriptId>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum QuoteOrder {
    /// Interview order, then position in the transcript.
    #[default]
    Transcript,
    /// Longest first.
    Length,
}

/// Quotes of `code` and, when `with_children`, of every code below it; each segment once.
pub fn quotes(
    project: &Project,
    code: &CodeId,
    with_children: bool,
    filter: &QuoteFilter,
    order: QuoteOrder,
) -> Vec<Quote> {
    let wanted: HashSet<CodeId> = if with_children {
        project.codebook.subtree(code).into_iter().collect()
    } else {
        [code.clone()].into()
    };
    let needle = filter
        .text
        .as_ref()
        .map(|t| t.to_lowercase())
        .filter(|t| !t.trim().is_empty());
    let mut found: Vec<Quote> = project
        .all_segments()
        .filter(|(coder, t, s)| {
            filter.coders.includes(coder)
                && filter.transcripts.as_ref().is_none_or(|ts| ts.contains(t))
                && s.codes.iter().any(|c| wanted.contains(c))
        })
        .filter_map(|(coder, t, s)| {
            let transcript = project.transcript(t)?;
            let attributes_match = filter.attributes.iter().all(|(name, value)| {
                transcript
                    .meta
                    .attributes
                    .get(name)
                    .is_some_and(|v| v.eq_ignore_ascii_case(value))
            });
            if !attributes_match {
                return None;
            }
            let text = transcript
                .slice(s.start, s.end)
                .unwrap_or(&s.text)
                .to_string();
            if needle
                .as_ref()
                .is_some_and(|n| !text.to_lowercase().contains(n.as_str()))
            {
                return None;
            }
            Some(Quote {
                transcript: t.clone(),
                participant: transcript.meta.participant.clone(),
                order: transcript.meta.order,
                attributes: transcript.meta.attributes.clone(),
                coder: coder.clone(),
                segment: s.id.clone(),
                start: s.start,
                end: s.end,
                text,
                codes: s.codes.clone(),
                time: transcript.time_at(s.start).map(|t| t.to_string()),
                page: transcript.page_at(s.start),
            })
        })
        .collect();
    match order {
        QuoteOrder::Transcript => found.sort_by(|a, b| {
            (
                a.order.unwrap_or(u32::MAX),
                &a.transcript,
                a.start,
                &a.coder,
            )
                .cmp(&(
                    b.order.unwrap_or(u32::MAX),
                    &b.transcript,
                    b.start,
                    &b.coder,
                ))
        }),
        QuoteOrder::Length => found.sort_by(|a, b| {
            (b.end - b.start, &a.transcript, a.start).cmp(&(
                a.end - a.start,
                &b.transcript,
                b.start,
            ))
        }),
    }
    found
}
