//! Basic counts of a project: what `thematic stats` prints.

use crate::model::{Level, MemoKind, Project};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectStats {
    pub name: String,
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
    pub transcripts_coded: usize,
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
    /// Distinct codes applied by anyone.
    pub codes: usize,
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
            let codes_used: BTreeSet<_> = codings
                .into_iter()
                .flat_map(|c| c.values().flatten())
                .flat_map(|s| s.codes.iter())
                .collect();
            CoderStats {
                coder: coder.id.to_string(),
                name: coder.name.clone(),
                segments,
                transcripts_coded: codings.map_or(0, |c| c.len()),
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
                codes.extend(segs.iter().flat_map(|s| s.codes.iter()));
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
