//! Coding aids that use the coder's own work: auto-coding ([`autocode`]) and private code
//! suggestions (this module): passages not yet coded with a code that resemble the quotes
//! coded with it, ranked, each with the words that made it similar.
//!
//! Everything is local and deterministic. The transcripts are cut into sentences (Unicode
//! sentence and word segmentation, so any language and script works, with no word list
//! wired in) and indexed once ([`SuggestIndex`], which depends on the text only, so a
//! change of coding never rebuilds it). A code's query is built from its coded quotes:
//! each word gets a Robertson/Sparck Jones relevance weight (how much more often it occurs
//! in the code's quotes than in the study at large), the words with the best selection
//! value (weight times the number of quotes using it) are kept, and every sentence is
//! scored by the weights of the words it holds, each saturated by BM25's term-frequency
//! and length normalisation (the `bm25` crate's embedder), plus half the scores of its
//! neighbours, since a theme rarely lives in one sentence alone. Interviewer turns are
//! never suggested.

pub mod autocode;
pub mod eval;
pub mod rejected;

use crate::model::{CodeId, CoderId, Project, TranscriptId};
use crate::text::{SpeakerRole, find_turns};
use bm25::{Embedder, EmbedderBuilder, Tokenizer};
use std::collections::{BTreeMap, HashMap};
use unicode_segmentation::UnicodeSegmentation;

/// Words kept in a code's query (the heaviest).
const QUERY_TERMS: usize = 200;
/// How much a neighbouring sentence's score adds to a sentence's.
const CONTEXT_WEIGHT: f32 = 0.25;
/// A query word's weight from which it is named among the words that made a passage similar.
const TELLING_WEIGHT: f32 = 1.0;
/// Words are cut to their first this many chars: a light stemmer that needs no language
/// ("partner", "partners" and "partnership" all become "partne"; "worked" and "working" do
/// not meet, which is the price). Ideographic scripts, whose words are one or two chars, are
/// untouched.
const STEM_CHARS: usize = 6;

/// Lower-cased Unicode words (UAX #29), cut to `stem` chars when `stem` is not 0.
#[derive(Debug, Clone, Copy)]
pub struct Words {
    pub stem: usize,
}

impl Default for Words {
    fn default() -> Words {
        Words { stem: STEM_CHARS }
    }
}

impl Tokenizer for Words {
    fn tokenize(&self, text: &str) -> Vec<String> {
        let stem = self.stem;
        text.unicode_words()
            .map(|w| {
                let w = w.to_lowercase();
                if stem > 0 && w.chars().count() > stem {
                    w.chars().take(stem).collect()
                } else {
                    w
                }
            })
            .collect()
    }
}

/// One sentence of a transcript, in chars.
#[derive(Debug, Clone)]
pub(crate) struct Sentence {
    transcript: usize,
    start: usize,
    end: usize,
    /// Said by the interviewer (never suggested, but kept as a neighbour).
    interviewer: bool,
}

/// Every sentence of every transcript, with BM25-saturated word weights: built once from the
/// text, reused for every code and every change of coding.
pub struct SuggestIndex {
    transcripts: Vec<TranscriptId>,
    pub(crate) sentences: Vec<Sentence>,
    /// Word -> (sentence, saturated frequency) for every sentence holding it.
    postings: HashMap<u32, Vec<(u32, f32)>>,
    embedder: Embedder<u32, Words>,
}

/// One suggestion: a sentence, its score, and the words that made it similar.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Suggestion {
    pub transcript: TranscriptId,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub score: f64,
    pub terms: Vec<String>,
}

/// A passage coded with other codes that resembles a code's quotes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Overlap {
    pub transcript: TranscriptId,
    pub start: usize,
    pub end: usize,
    pub coder: CoderId,
    pub codes: Vec<CodeId>,
    pub text: String,
    pub score: f64,
    pub terms: Vec<String>,
    /// The code's quote sharing the most words with it.
    pub like: String,
}

/// The quote sharing the most distinct words with `text` (the first such, in order).
fn closest_quote<'q>(quotes: &[&'q str], text: &str) -> &'q str {
    let words = |t: &str| -> std::collections::BTreeSet<String> {
        Words::default().tokenize(t).into_iter().collect()
    };
    let mine = words(text);
    let mut best = ("", 0usize);
    for quote in quotes {
        let shared = words(quote).intersection(&mine).count();
        if shared > best.1 {
            best = (quote, shared);
        }
    }
    best.0
}

/// What to leave out and how many to give.
#[derive(Debug, Clone, Default)]
pub struct Ask<'a> {
    /// Only these transcripts (all when empty).
    pub transcripts: &'a [TranscriptId],
    /// At most this many suggestions in all.
    pub limit: usize,
    /// At most this many in one transcript (no limit when 0).
    pub per_transcript: usize,
    /// Passages turned down for this code.
    pub rejected: &'a [rejected::Rejection],
}

impl SuggestIndex {
    /// Cuts every transcript of `project` into sentences and indexes their words.
    pub fn build(project: &Project) -> SuggestIndex {
        let mut transcripts = Vec::new();
        let mut sentences = Vec::new();
        let mut texts: Vec<&str> = Vec::new();
        for t in project.transcripts_in_order() {
            let number = transcripts.len();
            transcripts.push(t.id.clone());
            for (sentence, text) in sentences_of(t, number) {
                sentences.push(sentence);
                texts.push(text);
            }
        }
        let embedder = EmbedderBuilder::<u32, Words>::with_tokenizer_and_fit_to_corpus(
            Words::default(),
            &texts,
        )
        .build();
        let mut postings: HashMap<u32, Vec<(u32, f32)>> = HashMap::new();
        for (i, text) in texts.iter().enumerate() {
            let mut seen: Vec<u32> = Vec::new();
            for token in embedder.embed(text).iter() {
                if !seen.contains(&token.index) {
                    seen.push(token.index);
                    postings
                        .entry(token.index)
                        .or_default()
                        .push((i as u32, token.value));
                }
            }
        }
        SuggestIndex {
            transcripts,
            sentences,
            postings,
            embedder,
        }
    }

    /// Number of sentences indexed.
    pub fn len(&self) -> usize {
        self.sentences.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sentences.is_empty()
    }

    fn document_frequency(&self, word: u32) -> usize {
        self.postings.get(&word).map_or(0, Vec::len)
    }

    /// Suggestions for `code` to `coder`, best first, from the `project` as the coder sees
    /// it (blind double coding stays blind: pass the seen project).
    pub fn suggest(
        &self,
        project: &Project,
        coder: &CoderId,
        code: &CodeId,
        ask: &Ask,
    ) -> Vec<Suggestion> {
        let query = self.query(project, coder, code);
        if query.is_empty() {
            return Vec::new();
        }
        let own_scores = self.score(&query);
        let mut ranked: Vec<(f32, usize)> = Vec::new();
        let wanted: Vec<bool> = self
            .transcripts
            .iter()
            .map(|t| ask.transcripts.is_empty() || ask.transcripts.contains(t))
            .collect();
        let coded = self.coded(project, coder, code);
        for (i, sentence) in self.sentences.iter().enumerate() {
            if own_scores[i] <= 0.0
                || sentence.interviewer
                || !wanted[sentence.transcript]
                || coded[i]
            {
                continue;
            }
            let neighbour = |j: Option<usize>| {
                j.filter(|&j| {
                    self.sentences
                        .get(j)
                        .is_some_and(|s| s.transcript == sentence.transcript)
                })
                .map_or(0.0, |j| own_scores[j])
            };
            let score = own_scores[i]
                + CONTEXT_WEIGHT * (neighbour(i.checked_sub(1)) + neighbour(Some(i + 1)));
            ranked.push((score, i));
        }
        // Best first; ties in reading order, so the result is the same on every run.
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut per_transcript: HashMap<usize, usize> = HashMap::new();
        let mut found = Vec::new();
        for (score, i) in ranked {
            if found.len() >= ask.limit {
                break;
            }
            let sentence = &self.sentences[i];
            let Some(t) = project.transcript(&self.transcripts[sentence.transcript]) else {
                continue;
            };
            let Some(text) = t.slice(sentence.start, sentence.end) else {
                continue;
            };
            if ask.rejected.iter().any(|r| {
                r.transcript == t.id
                    && (r.text == text || (r.start, r.end) == (sentence.start, sentence.end))
            }) {
                continue;
            }
            let count = per_transcript.entry(sentence.transcript).or_default();
            if ask.per_transcript > 0 && *count >= ask.per_transcript {
                continue;
            }
            *count += 1;
            found.push(Suggestion {
                transcript: t.id.clone(),
                start: sentence.start,
                end: sentence.end,
                text: text.to_string(),
                score: (f64::from(score) * 1000.0).round() / 1000.0,
                terms: self.terms_in(&query, text),
            });
        }
        found
    }

    /// The consistency view: passages coded with *other* codes (by anyone whose work is in
    /// `project`, the seen project) that most resemble `code`'s quotes, each beside the quote
    /// of `code` it is most like: possible overlaps between codes, best first.
    pub fn overlaps(
        &self,
        project: &Project,
        coder: &CoderId,
        code: &CodeId,
        limit: usize,
    ) -> Vec<Overlap> {
        let query = self.query(project, coder, code);
        if query.is_empty() {
            return Vec::new();
        }
        let quotes: Vec<&str> = project
            .all_segments()
            .filter(|(_, _, s)| s.codes.contains(code))
            .map(|(_, _, s)| s.text.as_str())
            .collect();
        let mut found: Vec<Overlap> = Vec::new();
        for (who, t, segment) in project.all_segments() {
            if segment.codes.contains(code) {
                continue;
            }
            let score = self.text_score(&query, &segment.text);
            if score <= 0.0 {
                continue;
            }
            found.push(Overlap {
                transcript: t.clone(),
                start: segment.start,
                end: segment.end,
                coder: who.clone(),
                codes: segment.codes.clone(),
                text: segment.text.clone(),
                score: (f64::from(score) * 1000.0).round() / 1000.0,
                terms: self.terms_in(&query, &segment.text),
                like: String::new(),
            });
        }
        found.sort_by(|a, b| {
            b.score.total_cmp(&a.score).then_with(|| {
                (&a.transcript, a.start, &a.coder).cmp(&(&b.transcript, b.start, &b.coder))
            })
        });
        found.truncate(limit);
        for overlap in &mut found {
            overlap.like = closest_quote(&quotes, &overlap.text).to_string();
        }
        found
    }

    /// `text` scored by `query`, as a sentence of the study would be.
    fn text_score(&self, query: &Query, text: &str) -> f32 {
        let embedding = self.embedder.embed(text);
        let mut seen: Vec<u32> = Vec::new();
        let mut score = 0.0;
        for token in embedding.iter() {
            if seen.contains(&token.index) {
                continue;
            }
            seen.push(token.index);
            if let Some(term) = query.terms.iter().find(|t| t.id == token.index) {
                score += term.weight * token.value;
            }
        }
        score
    }

    /// Whether each sentence overlaps text `coder` coded with `code`.
    fn coded(&self, project: &Project, coder: &CoderId, code: &CodeId) -> Vec<bool> {
        let mut coded = vec![false; self.sentences.len()];
        let mut first = 0;
        for (number, id) in self.transcripts.iter().enumerate() {
            let segments: Vec<_> = project
                .segments(coder, id)
                .iter()
                .filter(|s| s.codes.contains(code))
                .collect();
            let count = self.sentences[first..]
                .iter()
                .take_while(|s| s.transcript == number)
                .count();
            if !segments.is_empty() {
                for (i, sentence) in self.sentences[first..first + count].iter().enumerate() {
                    coded[first + i] = segments
                        .iter()
                        .any(|s| s.overlaps(sentence.start, sentence.end));
                }
            }
            first += count;
        }
        coded
    }

    /// Each sentence's own score for `query`.
    fn score(&self, query: &Query) -> Vec<f32> {
        let mut scores = vec![0.0f32; self.sentences.len()];
        for term in &query.terms {
            if let Some(list) = self.postings.get(&term.id) {
                for &(sentence, saturated) in list {
                    scores[sentence as usize] += term.weight * saturated;
                }
            }
        }
        scores
    }

    /// The query's words found in `text`, heaviest first, as the text spells them.
    fn terms_in(&self, query: &Query, text: &str) -> Vec<String> {
        let whole = Words { stem: 0 }.tokenize(text);
        let stems = Words::default().tokenize(text);
        let mut found: Vec<(&QueryTerm, &String)> = query
            .terms
            .iter()
            .filter_map(|t| Some((t, &whole[stems.iter().position(|s| s == &t.word)?])))
            .collect();
        found.sort_by(|a, b| b.0.weight.total_cmp(&a.0.weight).then(a.1.cmp(b.1)));
        found.dedup_by(|a, b| a.1 == b.1);
        // Words at least e times likelier in the quotes than in the study explain; the
        // rest only nudge the score. At least the heaviest is named.
        let telling = found
            .iter()
            .filter(|(t, _)| t.weight >= TELLING_WEIGHT)
            .count()
            .max(1);
        found
            .into_iter()
            .take(telling.min(6))
            .map(|(_, w)| w.clone())
            .collect()
    }

    /// The weighted words of `code`'s quotes: the coder's own, or when they have none yet,
    /// every quote of the code in `project` (the seen project, so nothing blind leaks). The
    /// coder's quotes of other codes are the counter-examples.
    fn query(&self, project: &Project, coder: &CoderId, code: &CodeId) -> Query {
        let mut own: Vec<&str> = Vec::new();
        let mut others: Vec<&str> = Vec::new();
        for s in project
            .codings()
            .get(coder)
            .into_iter()
            .flat_map(|by_transcript| by_transcript.values().flatten())
        {
            if s.codes.contains(code) {
                own.push(&s.text);
            } else {
                others.push(&s.text);
            }
        }
        if own.is_empty() {
            own = project
                .all_segments()
                .filter(|(_, _, s)| s.codes.contains(code))
                .map(|(_, _, s)| s.text.as_str())
                .collect();
        }
        // Sentence by sentence, as the study is indexed: a quote of several sentences holds
        // "the" and "I" almost surely, which says nothing about the code.
        self.query_from(&sentences_in(own), &sentences_in(others))
    }

    /// Relevance-weighted words of `quotes` (Robertson and Sparck Jones 1976: the quotes are
    /// the relevant set, and a word's weight compares how often quotes use it with how
    /// often the study's sentences do, and the quotes of other codes).
    fn query_from(&self, quotes: &[&str], others: &[&str]) -> Query {
        let relevant = quotes.len() as f32;
        let collection = self.sentences.len() as f32;
        let uses = word_uses(quotes);
        let other_uses = word_uses(others);
        let mut terms: Vec<(f32, QueryTerm)> = Vec::new();
        for (word, r) in uses {
            let Some(id) = self.embedder.embed(&word).indices().next().copied() else {
                continue;
            };
            let r = r as f32;
            let n = (self.document_frequency(id) as f32).max(r);
            let odds = (r + 0.5) / (relevant - r + 0.5);
            let mut weight =
                (odds / ((n - r + 0.5) / (collection - n - relevant + r + 0.5).max(0.5))).ln();
            if !others.is_empty() {
                let s = other_uses.get(&word).copied().unwrap_or(0) as f32;
                let against = (s + 0.5) / (others.len() as f32 - s + 0.5);
                weight += (odds / against).ln().min(0.0);
            }
            if weight > 0.0 {
                terms.push((r * weight, QueryTerm { id, word, weight }));
            }
        }
        terms.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.word.cmp(&b.1.word)));
        terms.truncate(QUERY_TERMS);
        Query {
            terms: terms.into_iter().map(|(_, t)| t).collect(),
        }
    }
}

/// The sentences of some quotes.
fn sentences_in(texts: Vec<&str>) -> Vec<&str> {
    texts
        .into_iter()
        .flat_map(|t| t.split_sentence_bounds())
        .filter(|s| s.chars().any(char::is_alphanumeric))
        .collect()
}

/// Word -> how many of `texts` use it.
fn word_uses(texts: &[&str]) -> BTreeMap<String, usize> {
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    for text in texts {
        let mut words = Words::default().tokenize(text);
        words.sort();
        words.dedup();
        for word in words {
            *uses.entry(word).or_default() += 1;
        }
    }
    uses
}

struct QueryTerm {
    id: u32,
    word: String,
    weight: f32,
}

struct Query {
    terms: Vec<QueryTerm>,
}

impl Query {
    fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// The sentences of `t` (in chars, trimmed, speaker labels left out), with their text.
fn sentences_of(t: &crate::model::Transcript, number: usize) -> Vec<(Sentence, &str)> {
    let text = t.text();
    let index = t.index();
    let turns = find_turns(text);
    // Stretches of speech: each turn after its label, or the whole text when there are none.
    let stretches: Vec<(usize, usize, bool)> = if turns.is_empty() {
        vec![(0, index.char_len(), false)]
    } else {
        turns
            .iter()
            .map(|turn| {
                (
                    turn.speech_start,
                    turn.end,
                    turn.role == SpeakerRole::Interviewer,
                )
            })
            .collect()
    };
    let mut found = Vec::new();
    for (start, end, interviewer) in stretches {
        let (Some(from), Some(to)) = (
            index.char_to_byte(text, start),
            index.char_to_byte(text, end),
        ) else {
            continue;
        };
        let mut chars = start;
        let mut byte = from;
        for (offset, piece) in text[from..to].split_sentence_bound_indices() {
            let piece_start = from + offset;
            chars += text[byte..piece_start].chars().count();
            byte = piece_start;
            let trimmed = piece.trim();
            if !trimmed.chars().any(char::is_alphanumeric) {
                continue;
            }
            let lead = piece.len() - piece.trim_start().len();
            let s = chars + piece[..lead].chars().count();
            let e = s + trimmed.chars().count();
            found.push((
                Sentence {
                    transcript: number,
                    start: s,
                    end: e,
                    interviewer,
                },
                trimmed,
            ));
        }
    }
    found
}
