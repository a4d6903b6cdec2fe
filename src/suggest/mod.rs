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
//! and length normalisation (the `bm25` crate's formula), plus a quarter of the scores of
//! its neighbours, since a theme rarely lives in one sentence alone. Interviewer turns are
//! never suggested.
//!
//! Speed: the index reads each transcript once, on every core, into numbered words kept in
//! flat arrays (and in the project's cache between runs); the words of each quote are read
//! once and kept by the SHA-256 of its text, so ranking again after a coding change only
//! counts them; a query is scored in one pass over every sentence's words, on every core
//! (`cargo bench --bench suggest`, docs/performance.md).

pub mod autocode;
mod cache;
pub mod eval;
mod index;
mod quotes;
mod rank;
pub mod rejected;
mod vocabulary;

pub use index::SuggestIndex;

use crate::model::{CodeId, CoderId, TranscriptId};
use bm25::Tokenizer;
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
        let mut words = Vec::new();
        self.each(text, |w| words.push(w.to_string()));
        words
    }
}

impl Words {
    /// Calls `found` with each word of `text`, lower-cased and cut, in order: without an
    /// allocation per word for ASCII words (the index reads millions of them).
    pub(crate) fn each(&self, text: &str, mut found: impl FnMut(&str)) {
        let stem = self.stem;
        let mut buffer = String::new();
        for w in text.unicode_words() {
            buffer.clear();
            if w.is_ascii() {
                let cut = if stem > 0 { w.len().min(stem) } else { w.len() };
                buffer.extend(w[..cut].bytes().map(|b| char::from(b.to_ascii_lowercase())));
            } else {
                let lower = w.to_lowercase();
                if stem > 0 && lower.chars().count() > stem {
                    buffer.extend(lower.chars().take(stem));
                } else {
                    buffer.push_str(&lower);
                }
            }
            found(&buffer);
        }
    }
}

/// Words numbered in the order first met, by one thread (its numbering is merged into the
/// study's afterwards): the words of a text are read without an allocation per repeat.
#[derive(Default)]
pub(crate) struct Interner {
    numbers: std::collections::HashMap<String, u32>,
    pub(crate) words: Vec<String>,
}

impl Interner {
    /// The number of `word`, given it now when it is new.
    pub(crate) fn number(&mut self, word: &str) -> u32 {
        if let Some(&n) = self.numbers.get(word) {
            return n;
        }
        let n = self.words.len() as u32;
        self.words.push(word.to_string());
        self.numbers.insert(word.to_string(), n);
        n
    }
}

/// BM25's term-frequency saturation and length normalisation (k1 = 1.2, b = 0.75), computed
/// exactly as the `bm25` crate's embedder does (same f32 operations in the same order), so
/// the scores are the ones the first implementation gave.
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// The `bm25` crate's average sentence length when there is nothing to average.
const FALLBACK_AVGDL: f32 = 256.0;

fn saturated(frequency: usize, length: usize, avgdl: f32) -> f32 {
    let frequency = frequency as f32;
    let numerator = frequency * (K1 + 1.0);
    let denominator = frequency + K1 * (1.0 - B + B * (length as f32 / avgdl));
    numerator / denominator
}

/// Each distinct item of `tokens` with how often it occurs, in order of first occurrence.
fn frequencies<T: PartialEq + Copy>(tokens: &[T]) -> Vec<(T, usize)> {
    let mut found: Vec<(T, usize)> = Vec::new();
    for &token in tokens {
        match found.iter_mut().find(|(t, _)| *t == token) {
            Some((_, count)) => *count += 1,
            None => found.push((token, 1)),
        }
    }
    found
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
