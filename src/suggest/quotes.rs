//! The words of the quotes a code's query is built from, read once per quote text and kept
//! between rankings (and between runs, through the index's cache).

use super::Words;
use super::cache::{Key, key_of};
use std::collections::HashMap;
use unicode_segmentation::UnicodeSegmentation;

/// A quote's sentences, each as its distinct word numbers (sorted).
pub(crate) type QuoteSentences = Vec<Vec<u32>>;

/// The words of quotes, by quote text, each sentence's distinct words as numbers: a quote
/// is read once, however often the queries that use it are built.
#[derive(Default)]
pub(crate) struct QuoteWords {
    /// Word -> number (its own numbering: quotes may hold words cut short that the study's
    /// sentences never do).
    pub(crate) numbers: HashMap<String, u32>,
    pub(crate) words: Vec<String>,
    /// Quote text -> its sentences' distinct word numbers, and the query that last used it.
    pub(crate) by_text: HashMap<String, (QuoteSentences, u64)>,
    /// How many queries were built (to forget quotes that are no longer coded).
    pub(crate) queries: u64,
    /// Quotes read in an earlier run (from the cache), by the key of their text, in this
    /// numbering: taken instead of reading the quote again.
    pub(crate) cached: HashMap<Key, QuoteSentences>,
    /// Whether some quote was read from its text (so the cache lacks it).
    pub(crate) fresh: bool,
}

impl QuoteWords {
    /// Reads the quotes of `texts` (not read yet), on every core.
    fn read(&mut self, texts: &[&str]) {
        let mut new: Vec<&str> = texts.to_vec();
        new.sort_unstable();
        new.dedup();
        if new.is_empty() {
            return;
        }
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8);
        let chunk = new.len().div_ceil(threads).max(1);
        let parts: Vec<(Vec<QuoteSentences>, Vec<String>)> = std::thread::scope(|scope| {
            let running: Vec<_> = new
                .chunks(chunk)
                .map(|some| scope.spawn(move || read_quotes(some)))
                .collect();
            running
                .into_iter()
                .map(|r| r.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        let query = self.queries;
        for ((quotes, words), some) in parts.into_iter().zip(new.chunks(chunk)) {
            let renumber: Vec<u32> = words
                .into_iter()
                .map(|w| {
                    let next = self.words.len() as u32;
                    *self.numbers.entry(w).or_insert_with_key(|w| {
                        self.words.push(w.clone());
                        next
                    })
                })
                .collect();
            for (mut sentences, text) in quotes.into_iter().zip(some) {
                for words in &mut sentences {
                    for w in words.iter_mut() {
                        *w = renumber[*w as usize];
                    }
                    words.sort_unstable();
                }
                self.by_text.insert(text.to_string(), (sentences, query));
            }
        }
    }

    /// Word number -> how many sentences of `texts` use it, and how many sentences there are.
    pub(crate) fn uses(&mut self, texts: &[&str]) -> (Vec<u32>, usize) {
        let query = self.queries;
        let mut uses = vec![0u32; self.words.len()];
        let mut count = 0;
        let mut unread: Vec<&str> = Vec::new();
        for text in texts {
            if !self.by_text.contains_key(*text)
                && !self.cached.is_empty()
                && let Some(sentences) = self.cached.remove(&key_of(text))
            {
                self.by_text.insert(text.to_string(), (sentences, query));
            }
            match self.by_text.get_mut(*text) {
                Some((sentences, used)) => {
                    *used = query;
                    count += sentences.len();
                    for &word in sentences.iter().flatten() {
                        uses[word as usize] += 1;
                    }
                }
                None => unread.push(text),
            }
        }
        if !unread.is_empty() {
            self.fresh = true;
            self.read(&unread);
            uses.resize(self.words.len(), 0);
            for text in unread {
                if let Some((sentences, _)) = self.by_text.get(text) {
                    count += sentences.len();
                    for &word in sentences.iter().flatten() {
                        uses[word as usize] += 1;
                    }
                }
            }
        }
        (uses, count)
    }

    /// Forgets the quotes no query used since the last time, once they are many (edited and
    /// deleted segments), so a long session does not grow without end.
    pub(crate) fn forget_unused(&mut self) {
        let query = self.queries;
        let used = self.by_text.values().filter(|e| e.1 == query).count();
        if self.by_text.len() > 2 * used + 1024 {
            self.by_text.retain(|_, e| e.1 == query);
        }
        self.queries += 1;
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

/// Quotes cut into sentences, each sentence's distinct words as numbers into the words
/// returned (a numbering of this thread's own).
fn read_quotes(texts: &[&str]) -> (Vec<QuoteSentences>, Vec<String>) {
    let mut numbers: HashMap<String, u32> = HashMap::new();
    let mut words: Vec<String> = Vec::new();
    let quotes = texts
        .iter()
        .map(|text| {
            sentences_in(vec![text])
                .into_iter()
                .map(|sentence| {
                    let mut found: Vec<u32> = Vec::new();
                    Words::default().each(sentence, |w| {
                        let number = match numbers.get(w) {
                            Some(&n) => n,
                            None => {
                                let n = words.len() as u32;
                                words.push(w.to_string());
                                numbers.insert(w.to_string(), n);
                                n
                            }
                        };
                        found.push(number);
                    });
                    found.sort_unstable();
                    found.dedup();
                    found
                })
                .collect()
        })
        .collect();
    (quotes, words)
}

impl QuoteWords {
    /// The quotes to keep in the cache, by the key of their text: those read or used in
    /// this session, and those of the cache not used.
    pub(crate) fn for_cache(&self) -> HashMap<Key, QuoteSentences> {
        let used = self
            .by_text
            .iter()
            .map(|(text, (sentences, _))| (key_of(text), sentences.clone()))
            .collect();
        super::cache::keep_quotes(used, self.cached.clone())
    }
}
