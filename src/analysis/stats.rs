//! Basic counts of a project: what `thematic stats` prints. "Codes" are code-level nodes
//! only: a sub-theme or theme applied directly is not a code (docs/definitions.md).

use super::tables::{Scope, ScopeSummary};
use crate::model::{CodeId, Level, MemoKind, Project, Segment};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectStats {
    pub name: String,
    /// Whose coding and which transcripts are counted: everyone's, every transcript.
    pub scope: ScopeSummary,
    pub transcripts: usize,
    pub words: usize,
    pub characters: usize,
    pub themes: usize,
    pub sub_themes: usize,
    pub codes: usize,
    pub segments: usize,
    pub memos: usize,
    pub coders: Vec<CoderStats>,
    pub memo_kinds: BTreeMap<&'static str, usize>,
    pub per_transcript: Vec<TranscriptStats>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoderStats {
    pub coder: String,
    pub name: String,
    pub segments: usize,
    /// Transcripts with at least one of the coder's segments.
    pub transcripts_coded: usize,
    /// Distinct code-level nodes the coder applied.
    pub codes_used: usize,
    pub memos: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TranscriptStats {
    pub id: String,
    pub participant: String,
    pub order: Option<u32>,
    pub words: usize,
    pub characters: usize,
    /// Segments per coder.
    pub segments: BTreeMap<String, usize>,
    /// Distinct code-level nodes applied by anyone.
    pub codes: usize,
}

/// The code-level nodes among those the segments carry.
fn codes_applied<'p>(
    project: &Project,
    segments: impl IntoIterator<Item = &'p Segment>,
) -> BTreeSet<&'p CodeId> {
    segments
        .into_iter()
        .flat_map(|s| s.codes.iter())
        .filter(|c| {
            project
                .codebook
                .get(c)
                .is_some_and(|c| c.level == Level::Code)
        })
        .collect()
}

pub fn project_stats(project: &Project) -> ProjectStats {
    let levels = project
        .codebook
        .walk()
        .into_iter()
        .fold([0usize; 3], |mut acc, (_, c)| {
            acc[match c.level {
                Level::Theme => 0,
                Level::SubTheme => 1,
                Level::Code => 2,
            }] += 1;
            acc
        });
    let coders = project
        .meta
        .coders
        .iter()
        .map(|coder| {
            let codings = project.codings().get(&coder.id);
            let segments = codings.map_or(0, |c| c.values().map(Vec::len).sum());
            let codes_used = codes_applied(
                project,
                codings.into_iter().flat_map(|c| c.values().flatten()),
            );
            CoderStats {
                coder: coder.id.to_string(),
                name: coder.name.clone(),
                segments,
                transcripts_coded: codings
                    .map_or(0, |c| c.values().filter(|s| !s.is_empty()).count()),
                codes_used: codes_used.len(),
                memos: project.memos().filter(|m| m.author == coder.id).count(),
            }
        })
        .collect();
    let mut memo_kinds = BTreeMap::new();
    for kind in [
        MemoKind::Journal,
        MemoKind::Code,
        MemoKind::Transcript,
        MemoKind::Segment,
    ] {
        memo_kinds.insert(
            kind.label(),
            project.memos().filter(|m| m.kind() == kind).count(),
        );
    }
    let per_transcript: Vec<TranscriptStats> = project
        .transcripts_in_order()
        .into_iter()
        .map(|t| {
            let mut segments = BTreeMap::new();
            let mut codes = BTreeSet::new();
            for coder in &project.meta.coders {
                let segs = project.segments(&coder.id, &t.id);
                segments.insert(coder.id.to_string(), segs.len());
                codes.extend(codes_applied(project, segs));
            }
            TranscriptStats {
                id: t.id.to_string(),
                participant: t.meta.participant.clone(),
                order: t.meta.order,
                words: t.word_count(),
                characters: t.char_len(),
                segments,
                codes: codes.len(),
            }
        })
        .collect();
    ProjectStats {
        name: project.meta.name.clone(),
        scope: Scope::default().summary(project),
        transcripts: per_transcript.len(),
        words: per_transcript.iter().map(|t| t.words).sum(),
        characters: per_transcript.iter().map(|t| t.characters).sum(),
        themes: levels[0],
        sub_themes: levels[1],
        codes: levels[2],
        segments: project.all_segments().count(),
        memos: project.memos().count(),
        coders,
        memo_kinds,
        per_transcript,
    }
}
