//! The words of the quotes a code's query is built from, read once per quote text and kept
//! between rankings (and between runs, through the index's cache), by the SHA-256 of the
//! text: looking a quote up costs a digest, not a copy of its text.

use super::cache::{Key, QuoteTable, key_of};
use super::vocabulary::{Vocabulary, renumber};
use super::{Interner, Words};
use std::collections::HashMap;
use unicode_segmentation::UnicodeSegmentation;

/// At most this many quotes that no ranking of this run used are kept in the cache
/// (another coder's on a shared clone, codes not ranked this time).
const KEEP_UNUSED_QUOTES: usize = 200_000;

/// A quote read from its text in this session.
struct Read {
    sentences: u32,
    words: Vec<u32>,
    /// The query that last used it.
    used: u64,
}

/// The words of quotes, by the key of their text, each sentence's distinct words as numbers:
/// the study's number for a word the study has, and numbers after the study's for words
/// only quotes have (cut short differently, or from text edited since).
#[derive(Default)]
pub(crate) struct QuoteWords {
    /// How many words the study has (numbers below are the study's).
    study_words: usize,
    /// Words no sentence of the study holds -> their number.
    extra: HashMap<String, u32>,
    extra_words: Vec<String>,
    /// The quotes read in an earlier run (from the cache), and whether a query of this
    /// session used each.
    cached: QuoteTable,
    cached_used: Vec<bool>,
    /// The quotes read from their text in this session.
    read: HashMap<Key, Read>,
    /// How many queries were built (to forget quotes that are no longer coded).
    queries: u64,
    /// How many quotes were read from their text since the cache was last written (the
    /// cache lacks them).
    pub(crate) fresh: usize,
}

impl QuoteWords {
    /// The quotes read in an earlier run, numbered in the study's `vocabulary`.
    pub(crate) fn new(vocabulary: &Vocabulary, cached: QuoteTable) -> QuoteWords {
        QuoteWords {
            study_words: vocabulary.len(),
            cached_used: vec![false; cached.len()],
            cached,
            ..QuoteWords::default()
        }
    }

    /// How many words are numbered (the study's and the quotes' own).
    pub(crate) fn word_count(&self) -> usize {
        self.study_words + self.extra_words.len()
    }

    /// Word number `n`.
    pub(crate) fn word<'v>(&'v self, vocabulary: &'v Vocabulary, n: u32) -> &'v str {
        match (n as usize).checked_sub(self.study_words) {
            None => vocabulary.word(n),
            Some(extra) => self.extra_words.get(extra).map_or("", String::as_str),
        }
    }

    /// Reads the quotes `texts` (with their keys; not read yet), on every core.
    fn read(&mut self, vocabulary: &Vocabulary, texts: &[(&str, Key)]) {
        let mut new: Vec<(&str, Key)> = texts.to_vec();
        new.sort_unstable_by_key(|(_, key)| *key);
        new.dedup_by_key(|(_, key)| *key);
        if new.is_empty() {
            return;
        }
        self.fresh += new.len();
        let parts = crate::parallel::per_share(&new, 64, read_quotes);
        let used = self.queries;
        for (quotes, words) in parts {
            let table: Vec<u32> = words
                .into_iter()
                .map(|w| self.number(vocabulary, w))
                .collect();
            for (key, sentences, mut words) in quotes {
                renumber(&mut words, &table);
                let quote = Read {
                    sentences,
                    words,
                    used,
                };
                self.read.insert(key, quote);
            }
        }
    }

    /// The number of `word`: the study's, or one of the quotes' own.
    fn number(&mut self, vocabulary: &Vocabulary, word: String) -> u32 {
        if let Some(n) = vocabulary.find(&word) {
            return n;
        }
        let next = self.word_count() as u32;
        *self.extra.entry(word).or_insert_with_key(|w| {
            self.extra_words.push(w.clone());
            next
        })
    }

    /// The sentence count and words of the quote with `key`, marked as used by this query,
    /// when it has been read.
    fn lookup(&mut self, key: &Key) -> Option<(u32, &[u32])> {
        let query = self.queries;
        if let Some(quote) = self.read.get_mut(key) {
            quote.used = query;
            return Some((quote.sentences, &quote.words));
        }
        let i = self.cached.find(key)?;
        self.cached_used[i] = true;
        let (_, sentences, words) = self.cached.get(i);
        Some((sentences, words))
    }

    /// Word number -> how many sentences of `texts` use it, and how many sentences there are.
    pub(crate) fn uses(&mut self, vocabulary: &Vocabulary, texts: &[&str]) -> (Vec<u32>, usize) {
        let mut uses = vec![0u32; self.word_count()];
        let mut count = 0;
        let mut unread: Vec<(&str, Key)> = Vec::new();
        let keys = crate::parallel::map(texts, 512, |text| key_of(text));
        for (text, key) in texts.iter().zip(keys) {
            match self.lookup(&key) {
                Some((sentences, words)) => {
                    count += sentences as usize;
                    for &word in words {
                        uses[word as usize] += 1;
                    }
                }
                None => unread.push((text, key)),
            }
        }
        if !unread.is_empty() {
            self.read(vocabulary, &unread);
            uses.resize(self.word_count(), 0);
            for (_, key) in unread {
                if let Some(quote) = self.read.get(&key) {
                    count += quote.sentences as usize;
                    for &word in &quote.words {
                        uses[word as usize] += 1;
                    }
                }
            }
        }
        (uses, count)
    }

    /// Forgets the quotes read in this session that no query used since the last time, once
    /// they are many (edited and deleted segments), so a long session does not grow without
    /// end.
    pub(crate) fn forget_unused(&mut self) {
        let query = self.queries;
        let used = self.read.values().filter(|q| q.used == query).count();
        if self.read.len() > 2 * used + 1024 {
            self.read.retain(|_, q| q.used == query);
        }
        self.queries += 1;
    }

    /// The quotes to keep in the cache: those read or used in this session, then as many of
    /// the cache's others as fit.
    pub(crate) fn for_cache(&self) -> QuoteTable {
        let read = self
            .read
            .iter()
            .map(|(key, q)| (*key, q.sentences, q.words.as_slice()));
        let (used, unused): (Vec<_>, Vec<_>) = self
            .cached
            .iter()
            .zip(&self.cached_used)
            .partition(|(_, used)| **used);
        let kept = read.len() + used.len();
        // The table is in key order, so the unused kept are the same on every run.
        let unused = unused
            .into_iter()
            .take(KEEP_UNUSED_QUOTES.saturating_sub(kept));
        QuoteTable::of(
            read.chain(used.into_iter().map(|(quote, _)| quote))
                .chain(unused.map(|(quote, _)| quote)),
        )
    }
}

/// The sentences of some quotes.
pub(crate) fn sentences_in(texts: Vec<&str>) -> Vec<&str> {
    texts
        .into_iter()
        .flat_map(|t| t.split_sentence_bounds())
        .filter(|s| s.chars().any(char::is_alphanumeric))
        .collect()
}

/// A quote as one thread read it: its key, sentence count and words.
type QuoteRead = (Key, u32, Vec<u32>);

/// Quotes cut into sentences: each's key, sentence count and each sentence's distinct words, one
/// sentence after another, as numbers into the words returned (a numbering of this thread's
/// own).
fn read_quotes(texts: &[(&str, Key)]) -> (Vec<QuoteRead>, Vec<String>) {
    let mut words = Interner::default();
    let quotes = texts
        .iter()
        .map(|(text, key)| {
            let mut quote = (*key, 0u32, Vec::new());
            for sentence in sentences_in(vec![text]) {
                let mut found: Vec<u32> = Vec::new();
                Words::default().each(sentence, |w| found.push(words.number(w)));
                found.sort_unstable();
                found.dedup();
                quote.1 += 1;
                quote.2.extend(found);
            }
            quote
        })
        .collect();
    (quotes, words.words)
}
