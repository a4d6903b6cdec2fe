//! How good the suggestions are, measured by hiding coding (`thematic dev eval-suggest`):
//! for each of a coder's most used codes, the code is taken off its segments in a random
//! half of the transcripts that have it; suggestions are asked for in each of those
//! transcripts (a fixed number per transcript), and a hidden segment counts as found when a
//! suggestion overlaps it. The same is done with plain BM25 over sentences (the `bm25`
//! crate's scorer, the code's quotes as one query) as the baseline to beat.

use super::{Ask, SuggestIndex, Words};
use crate::generate::Rng;
use crate::model::{CodeId, CoderId, Project, Segment, TranscriptId};
use bm25::Scorer;

/// The figures for one code.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CodeRecall {
    pub code: CodeId,
    pub name: String,
    /// Transcripts whose coding of the code was hidden (summed over the draws).
    pub transcripts: usize,
    /// Segments hidden (summed over the draws).
    pub hidden: usize,
    /// Hidden segments a suggestion overlapped.
    pub found: usize,
    /// Hidden segments plain BM25's suggestions overlapped.
    pub baseline_found: usize,
}

impl CodeRecall {
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.hidden)
    }
    pub fn baseline_recall(&self) -> f64 {
        ratio(self.baseline_found, self.hidden)
    }
}

/// The figures for every code evaluated, and over all of them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Evaluation {
    pub coder: CoderId,
    pub per_transcript: usize,
    pub draws: u64,
    pub codes: Vec<CodeRecall>,
}

impl Evaluation {
    pub fn hidden(&self) -> usize {
        self.codes.iter().map(|c| c.hidden).sum()
    }
    /// Hidden segments found over all codes (micro-averaged recall).
    pub fn recall(&self) -> f64 {
        ratio(self.codes.iter().map(|c| c.found).sum(), self.hidden())
    }
    pub fn baseline_recall(&self) -> f64 {
        ratio(
            self.codes.iter().map(|c| c.baseline_found).sum(),
            self.hidden(),
        )
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// What to evaluate.
#[derive(Debug, Clone)]
pub struct Options {
    pub coder: CoderId,
    /// How many of the coder's most used codes.
    pub codes: usize,
    /// Suggestions asked for per transcript.
    pub per_transcript: usize,
    pub seed: u64,
    /// Draws of hidden halves, pooled (seed, seed + 1, ...), so that one lucky or unlucky
    /// draw does not decide the figure.
    pub draws: u64,
}

/// Runs the evaluation on a copy of `project` (nothing is written).
pub fn evaluate(project: &Project, options: &Options) -> Evaluation {
    let index = SuggestIndex::build(project);
    let baseline = Baseline::new(&index, project);
    let mut codes = Vec::new();
    for (n, code) in most_used(project, &options.coder, options.codes)
        .into_iter()
        .enumerate()
    {
        let mut recall = CodeRecall {
            name: project
                .codebook
                .get(&code)
                .map_or_else(|| code.to_string(), |c| c.name.clone()),
            code: code.clone(),
            transcripts: 0,
            hidden: 0,
            found: 0,
            baseline_found: 0,
        };
        for draw in 0..options.draws.max(1) {
            let seed = options
                .seed
                .wrapping_add(draw)
                .wrapping_mul(1_000_003)
                .wrapping_add(n as u64 * 7919);
            one_draw(
                &index,
                &baseline,
                project,
                options,
                &code,
                seed,
                &mut recall,
            );
        }
        if recall.hidden > 0 {
            codes.push(recall);
        }
    }
    Evaluation {
        coder: options.coder.clone(),
        per_transcript: options.per_transcript,
        draws: options.draws.max(1),
        codes,
    }
}

/// Hides `code` in a random half of the transcripts that have it and counts what the
/// suggestions (and plain BM25) find again.
fn one_draw(
    index: &SuggestIndex,
    baseline: &Baseline,
    project: &Project,
    options: &Options,
    code: &CodeId,
    seed: u64,
    recall: &mut CodeRecall,
) {
    let mut rng = Rng::new(seed);
    let mut having: Vec<TranscriptId> = project
        .codings()
        .get(&options.coder)
        .into_iter()
        .flatten()
        .filter(|(_, segs)| segs.iter().any(|s| s.codes.contains(code)))
        .map(|(t, _)| t.clone())
        .collect();
    shuffle(&mut having, &mut rng);
    having.truncate(having.len() / 2);
    let (hidden_project, hidden) = hide(project, &options.coder, code, &having);
    let query = baseline.query(&hidden_project, &options.coder, code);
    for t in &having {
        let ask = Ask {
            transcripts: std::slice::from_ref(t),
            limit: options.per_transcript,
            per_transcript: 0,
            rejected: &[],
        };
        let suggested: Vec<(usize, usize)> = index
            .suggest(&hidden_project, &options.coder, code, &ask)
            .iter()
            .map(|s| (s.start, s.end))
            .collect();
        let plain = baseline.suggest(index, &query, t, options.per_transcript);
        for segment in hidden.iter().filter(|(id, _)| id == t).map(|(_, s)| s) {
            recall.found += usize::from(suggested.iter().any(|&(s, e)| segment.overlaps(s, e)));
            recall.baseline_found +=
                usize::from(plain.iter().any(|&(s, e)| segment.overlaps(s, e)));
        }
    }
    recall.transcripts += having.len();
    recall.hidden += hidden.len();
}

/// The coder's `n` most used codes (most segments first, ties by id).
fn most_used(project: &Project, coder: &CoderId, n: usize) -> Vec<CodeId> {
    let mut counts: std::collections::BTreeMap<&CodeId, usize> = Default::default();
    for segs in project
        .codings()
        .get(coder)
        .into_iter()
        .flat_map(|c| c.values())
    {
        for s in segs {
            for code in &s.codes {
                *counts.entry(code).or_default() += 1;
            }
        }
    }
    let mut ranked: Vec<(&CodeId, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    ranked.into_iter().take(n).map(|(c, _)| c.clone()).collect()
}

fn shuffle<T>(items: &mut [T], rng: &mut Rng) {
    for i in (1..items.len()).rev() {
        items.swap(i, rng.below(i + 1));
    }
}

/// `project` with `code` taken off the coder's segments in `transcripts` (a segment left with
/// no code goes), and the segments it was on.
fn hide(
    project: &Project,
    coder: &CoderId,
    code: &CodeId,
    transcripts: &[TranscriptId],
) -> (Project, Vec<(TranscriptId, Segment)>) {
    let mut copy = project.clone();
    let mut hidden = Vec::new();
    if let Some(by_transcript) = copy.codings.get_mut(coder) {
        for t in transcripts {
            if let Some(segments) = by_transcript.get_mut(t) {
                for s in segments.iter().filter(|s| s.codes.contains(code)) {
                    hidden.push((t.clone(), s.clone()));
                }
                for s in segments.iter_mut() {
                    s.codes.retain(|c| c != code);
                }
                segments.retain(|s| !s.codes.is_empty());
            }
        }
    }
    (copy, hidden)
}

/// Plain BM25 over sentences: the code's quotes as one query, scored by the `bm25` crate.
struct Baseline {
    scorer: Scorer<usize, u32>,
    /// Whole words, not cut to a stem: plain BM25.
    embedder: bm25::Embedder<u32, Words>,
}

impl Baseline {
    fn new(index: &SuggestIndex, project: &Project) -> Baseline {
        let texts: Vec<&str> = index
            .sentences
            .iter()
            .map(|sentence| {
                project
                    .transcript(&index.transcripts[sentence.transcript])
                    .and_then(|t| t.slice(sentence.start, sentence.end))
                    .unwrap_or_default()
            })
            .collect();
        let embedder =
            bm25::EmbedderBuilder::with_tokenizer_and_fit_to_corpus(Words { stem: 0 }, &texts)
                .build();
        let mut scorer = Scorer::new();
        for (i, text) in texts.iter().enumerate() {
            scorer.upsert(&i, embedder.embed(text));
        }
        Baseline { scorer, embedder }
    }

    /// All of the coder's quotes of `code` as one query.
    fn query(&self, project: &Project, coder: &CoderId, code: &CodeId) -> bm25::Embedding<u32> {
        let quotes: Vec<&str> = project
            .codings()
            .get(coder)
            .into_iter()
            .flat_map(|by_transcript| by_transcript.values().flatten())
            .filter(|s| s.codes.contains(code))
            .map(|s| s.text.as_str())
            .collect();
        self.embedder.embed(&quotes.join(" "))
    }

    /// The best `limit` sentences of transcript `t` not coded with the code.
    fn suggest(
        &self,
        index: &SuggestIndex,
        query: &bm25::Embedding<u32>,
        t: &TranscriptId,
        limit: usize,
    ) -> Vec<(usize, usize)> {
        let Some(number) = index.transcripts.iter().position(|id| id == t) else {
            return Vec::new();
        };
        let mut ranked: Vec<(f32, usize)> = index
            .sentences
            .iter()
            .enumerate()
            .filter(|(_, s)| s.transcript == number)
            .filter_map(|(i, _)| Some((self.scorer.score(&i, query)?, i)))
            .filter(|(score, _)| *score > 0.0)
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked
            .into_iter()
            .take(limit)
            .map(|(_, i)| (index.sentences[i].start, index.sentences[i].end))
            .collect()
    }
}
