//! The sentence index: every sentence of every transcript, cut into numbered words, with
//! BM25-saturated word weights. It depends on the text only, so a change of coding never
//! rebuilds it, and it is kept between runs in the project's git-ignored `.thematic/`
//! folder ([`super::cache`]), so only transcripts changed since are read again.

use super::cache::{self, Cached, CachedText, Key, key_of};
use super::quotes::QuoteWords;
use super::{FALLBACK_AVGDL, Words, frequencies, saturated};
use crate::model::{Project, Transcript, TranscriptId};
use crate::text::{SpeakerRole, find_turns};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use unicode_segmentation::UnicodeSegmentation;

/// One sentence of a transcript, in chars.
#[derive(Debug, Clone)]
pub(crate) struct Sentence {
    pub(crate) transcript: usize,
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// Said by the interviewer (never suggested, but kept as a neighbour).
    pub(crate) interviewer: bool,
}

/// Every sentence of every transcript, with BM25-saturated word weights: built once from the
/// text, reused for every code and every change of coding.
pub struct SuggestIndex {
    pub(crate) transcripts: Vec<TranscriptId>,
    pub(crate) sentences: Vec<Sentence>,
    /// Word (as cut by [`Words`]) -> its number in `postings`.
    pub(crate) vocabulary: HashMap<String, u32>,
    /// Word number -> (sentence, saturated frequency) for every sentence holding it, in
    /// reading order.
    pub(crate) postings: Vec<Vec<(u32, f32)>>,
    /// The average sentence length in words.
    pub(crate) avgdl: f32,
    /// The words of the quotes the queries were built from, kept between rankings: the
    /// coder's quotes barely change between two refreshes of the panel.
    pub(crate) quotes: Mutex<QuoteWords>,
    /// Each sentence's words, as numbers into `vocabulary` (kept for the cache).
    tokens: Vec<Vec<u32>>,
    /// Each transcript's cache key: the SHA-256 of its text.
    keys: Vec<Key>,
    /// How many transcripts were read from their text (the others came from the cache).
    read: usize,
    /// Whether what was read from the text has been kept in the cache since.
    kept: AtomicBool,
}

impl SuggestIndex {
    /// Cuts every transcript of `project` into sentences and indexes their words, reading
    /// the transcripts on every core.
    pub fn build(project: &Project) -> SuggestIndex {
        SuggestIndex::build_from(project, Cached::default())
    }

    /// Like [`SuggestIndex::build`], taking what it can from the cache of the project at
    /// `root` (kept by [`SuggestIndex::keep`]): only transcripts whose text is not in the
    /// cache are read. The result is the same as `build`'s, whatever the cache holds.
    pub fn open(project: &Project, root: &Path) -> SuggestIndex {
        SuggestIndex::build_from(project, cache::load(root))
    }

    /// Saves what this index read (the transcripts, and the quotes its rankings read) to
    /// the cache of the project at `root`, when the cache lacks any of it. Returns whether
    /// it wrote.
    pub fn keep(&self, root: &Path) -> Result<bool, cache::CacheError> {
        let mut quotes = self
            .quotes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let transcripts_kept = self.read == 0 || self.kept.load(Ordering::Relaxed);
        if transcripts_kept && !quotes.fresh {
            return Ok(false);
        }
        let mut transcripts = HashMap::new();
        let mut first = 0;
        for (number, key) in self.keys.iter().enumerate() {
            let count = self.sentences[first..]
                .iter()
                .take_while(|s| s.transcript == number)
                .count();
            let range = first..first + count;
            first += count;
            transcripts.entry(*key).or_insert_with(|| CachedText {
                sentences: self.sentences[range.clone()]
                    .iter()
                    .map(|s| (s.start, s.end, s.interviewer))
                    .collect(),
                tokens: self.tokens[range].to_vec(),
            });
        }
        let kept = compact(Cached {
            words: quotes.words.clone(),
            transcripts,
            quotes: quotes.for_cache(),
        });
        cache::save(root, &kept)?;
        quotes.fresh = false;
        self.kept.store(true, Ordering::Relaxed);
        Ok(true)
    }

    fn build_from(project: &Project, cached: Cached) -> SuggestIndex {
        let all = project.transcripts_in_order();
        let transcripts: Vec<TranscriptId> = all.iter().map(|t| t.id.clone()).collect();
        let keys: Vec<Key> = all.iter().map(|t| key_of(t.text())).collect();
        let Cached {
            words: mut known,
            transcripts: mut texts,
            quotes: cached_quotes,
        } = cached;
        let mut vocabulary: HashMap<String, u32> = known
            .iter()
            .enumerate()
            .map(|(i, w)| (w.clone(), i as u32))
            .collect();
        // Each transcript's sentences and words: from the cache when it holds its text and
        // the sentences fit in it, else read below.
        let mut per_text: Vec<Option<CachedText>> = Vec::with_capacity(all.len());
        for (number, (t, key)) in all.iter().zip(&keys).enumerate() {
            let fits = |c: &CachedText| c.sentences.last().is_none_or(|s| s.1 <= t.char_len());
            // Taken, not copied; a second transcript with the same text copies the first's.
            let found = match texts.remove(key) {
                Some(c) => Some(c).filter(fits),
                None => keys[..number]
                    .iter()
                    .position(|k| k == key)
                    .and_then(|i| per_text[i].clone()),
            };
            per_text.push(found);
        }
        let unread: Vec<(usize, &Transcript)> = all
            .iter()
            .enumerate()
            .filter(|(i, _)| per_text[*i].is_none())
            .map(|(i, t)| (i, *t))
            .collect();
        let read = unread.len();
        for part in read_in_parallel(&unread) {
            let renumber: Vec<u32> = part
                .words
                .into_iter()
                .map(|w| {
                    let next = known.len() as u32;
                    *vocabulary.entry(w).or_insert_with_key(|w| {
                        known.push(w.clone());
                        next
                    })
                })
                .collect();
            for (number, mut text) in part.texts {
                for tokens in &mut text.tokens {
                    for w in tokens.iter_mut() {
                        *w = renumber[*w as usize];
                    }
                }
                per_text[number] = Some(text);
            }
        }
        let mut sentences = Vec::new();
        let mut words: Vec<Vec<u32>> = Vec::new();
        let mut total: u64 = 0;
        for (number, text) in per_text.into_iter().enumerate() {
            let text = text.unwrap_or_default();
            sentences.extend(text.sentences.into_iter().map(|(start, end, interviewer)| {
                Sentence {
                    transcript: number,
                    start,
                    end,
                    interviewer,
                }
            }));
            for tokens in text.tokens {
                total += tokens.len() as u64;
                words.push(tokens);
            }
        }
        let avgdl = if words.is_empty() {
            FALLBACK_AVGDL
        } else {
            (total as f64 / words.len() as f64) as f32
        };
        let avgdl = if avgdl <= 0.0 { FALLBACK_AVGDL } else { avgdl };
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); vocabulary.len()];
        for (i, tokens) in words.iter().enumerate() {
            for (word, frequency) in frequencies(tokens) {
                postings[word as usize].push((i as u32, saturated(frequency, tokens.len(), avgdl)));
            }
        }
        // The quotes' words are numbered as the study's to begin with, so quotes read in an
        // earlier run are ready as they were cached.
        let quotes = QuoteWords {
            numbers: vocabulary.clone(),
            words: known,
            cached: cached_quotes,
            ..QuoteWords::default()
        };
        SuggestIndex {
            transcripts,
            sentences,
            vocabulary,
            postings,
            avgdl,
            quotes: Mutex::new(quotes),
            tokens: words,
            keys,
            read,
            kept: AtomicBool::new(false),
        }
    }

    /// How many transcripts were read from their text rather than taken from the cache.
    pub fn transcripts_read(&self) -> usize {
        self.read
    }

    /// Number of sentences indexed.
    pub fn len(&self) -> usize {
        self.sentences.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sentences.is_empty()
    }

    pub(crate) fn document_frequency(&self, word: Option<u32>) -> usize {
        word.and_then(|w| self.postings.get(w as usize))
            .map_or(0, Vec::len)
    }

    /// The study's number for the first word of `word` as the index reads it.
    pub(crate) fn number_of(&self, word: &str) -> (Option<u32>, String) {
        let mut first: Option<String> = None;
        Words::default().each(word, |w| {
            if first.is_none() {
                first = Some(w.to_string());
            }
        });
        let key = first.unwrap_or_default();
        (self.vocabulary.get(&key).copied(), key)
    }
}

/// Some transcripts cut into sentences and words, by one thread: each sentence's words as
/// numbers into `words` (a numbering of its own, merged by [`SuggestIndex::build`]).
struct Reading {
    /// Each transcript's number in the study, with its sentences.
    texts: Vec<(usize, CachedText)>,
    words: Vec<String>,
}

/// Reads `transcripts` (each with its number in the study), one share per core.
fn read_in_parallel(transcripts: &[(usize, &Transcript)]) -> Vec<Reading> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let chunk = transcripts.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let running: Vec<_> = transcripts
            .chunks(chunk)
            .map(|some| scope.spawn(move || Reading::of(some)))
            .collect();
        running
            .into_iter()
            .map(|r| r.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

impl Reading {
    /// Reads `transcripts`, each with its number in the study.
    fn of(transcripts: &[(usize, &Transcript)]) -> Reading {
        let mut numbers: HashMap<String, u32> = HashMap::new();
        let mut reading = Reading {
            texts: Vec::new(),
            words: Vec::new(),
        };
        for &(number, t) in transcripts {
            let mut text = CachedText::default();
            for (sentence, said) in sentences_of(t, number) {
                let mut tokens = Vec::new();
                Words::default().each(said, |w| {
                    let number = match numbers.get(w) {
                        Some(&n) => n,
                        None => {
                            let n = reading.words.len() as u32;
                            reading.words.push(w.to_string());
                            numbers.insert(w.to_string(), n);
                            n
                        }
                    };
                    tokens.push(number);
                });
                text.sentences
                    .push((sentence.start, sentence.end, sentence.interviewer));
                text.tokens.push(tokens);
            }
            reading.texts.push((number, text));
        }
        reading
    }
}

/// `cached` with only the words its entries use, numbered afresh in order of first use.
fn compact(cached: Cached) -> Cached {
    let Cached {
        words,
        mut transcripts,
        mut quotes,
    } = cached;
    let mut renumber: Vec<Option<u32>> = vec![None; words.len()];
    let mut kept: Vec<String> = Vec::new();
    let mut number = |w: &mut u32| {
        let new = *renumber[*w as usize].get_or_insert_with(|| {
            kept.push(words[*w as usize].clone());
            (kept.len() - 1) as u32
        });
        *w = new;
    };
    let mut keys: Vec<Key> = transcripts.keys().copied().collect();
    keys.sort_unstable();
    for key in &keys {
        if let Some(text) = transcripts.get_mut(key) {
            text.tokens.iter_mut().flatten().for_each(&mut number);
        }
    }
    let mut keys: Vec<Key> = quotes.keys().copied().collect();
    keys.sort_unstable();
    for key in &keys {
        if let Some(sentences) = quotes.get_mut(key) {
            sentences.iter_mut().flatten().for_each(&mut number);
        }
    }
    Cached {
        words: kept,
        transcripts,
        quotes,
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
