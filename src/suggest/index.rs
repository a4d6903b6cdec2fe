//! The sentence index: every sentence of every transcript, cut into numbered words (BM25's
//! saturation of them is worked out when a query is scored, `rank.rs`). It depends on the
//! text only, so a change of coding never rebuilds it, and it is kept between runs in the
//! project's git-ignored `.thematic/` folder ([`super::cache`]), so only transcripts changed
//! since are read again.

use super::cache::{self, Cached, CachedText, Key, QuoteTable, Span, key_of};
use super::quotes::QuoteWords;
use super::vocabulary::{Vocabulary, renumber};
use super::{FALLBACK_AVGDL, Interner, Words};
use crate::model::{Project, Transcript, TranscriptId};
use crate::text::{SpeakerRole, find_turns};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use unicode_segmentation::UnicodeSegmentation;

/// Quotes read from their text that are not worth writing the cache for: reading them
/// again takes a few milliseconds, writing the 213-interview study's cache about 100.
const FEW_QUOTES: usize = 500;

/// One sentence of a transcript, in chars.
#[derive(Debug, Clone)]
pub(crate) struct Sentence {
    pub(crate) transcript: usize,
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// Said by the interviewer (never suggested, but kept as a neighbour).
    pub(crate) interviewer: bool,
}

/// Every sentence of every transcript, cut into numbered words: built once from the text,
/// reused for every code and every change of coding.
pub struct SuggestIndex {
    pub(crate) transcripts: Vec<TranscriptId>,
    pub(crate) sentences: Vec<Sentence>,
    /// The study's words (as cut by [`Words`]), numbered.
    pub(crate) vocabulary: Vocabulary,
    /// Word number -> how many sentences hold it.
    document_frequencies: Vec<u32>,
    /// The average sentence length in words.
    pub(crate) avgdl: f32,
    /// The words of the quotes the queries were built from, kept between rankings: the
    /// coder's quotes barely change between two refreshes of the panel.
    pub(crate) quotes: Mutex<QuoteWords>,
    /// Each transcript's sentences and words as read: what a query is scored against (one
    /// pass over every sentence's words, which costs less than building postings for them),
    /// and what is kept in the cache.
    pub(crate) texts: Vec<CachedText>,
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
    /// cache are read. The result is the same as `build`'s from any cache thematic wrote,
    /// whichever texts it was written for; a damaged or foreign-version cache is ignored
    /// whole, and one doctored to hold together is used without a panic (its suggestions
    /// are still the transcripts' own text at the places named).
    pub fn open(project: &Project, root: &Path) -> SuggestIndex {
        let all = project.transcripts_in_order();
        let text_bytes = all.iter().map(|t| t.text().len() as u64).sum();
        let limits = cache::Limits::of(all.len(), text_bytes);
        SuggestIndex::build_from(project, cache::load(root, &limits))
    }

    /// Saves what this index read (the transcripts, and the quotes its rankings read) to
    /// the cache of the project at `root`, when the cache lacks a transcript's text or
    /// more than a few hundred quotes (reading a few quotes again next time costs less than
    /// writing the whole cache: coding a passage and asking again should not rewrite 15
    /// MB). Returns whether it wrote.
    pub fn keep(&self, root: &Path) -> Result<bool, cache::CacheError> {
        let mut quotes = self
            .quotes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let transcripts_kept = self.read == 0 || self.kept.load(Ordering::Relaxed);
        if transcripts_kept && quotes.fresh <= FEW_QUOTES {
            return Ok(false);
        }
        let mut transcripts = HashMap::new();
        for (key, text) in self.keys.iter().zip(&self.texts) {
            transcripts.entry(*key).or_insert_with(|| text.clone());
        }
        let words: Vec<&str> = (0..quotes.word_count() as u32)
            .map(|n| quotes.word(&self.vocabulary, n))
            .collect();
        let kept = compact(&words, transcripts, quotes.for_cache());
        cache::save(root, &kept)?;
        quotes.fresh = 0;
        self.kept.store(true, Ordering::Relaxed);
        Ok(true)
    }

    fn build_from(project: &Project, cached: Cached) -> SuggestIndex {
        let all = project.transcripts_in_order();
        let transcripts: Vec<TranscriptId> = all.iter().map(|t| t.id.clone()).collect();
        let keys = keys_in_parallel(&all);
        let Cached {
            words: known,
            transcripts: mut cached_texts,
            quotes: mut cached_quotes,
        } = cached;
        // Each transcript's sentences and words: from the cache when it holds its text and
        // the sentences fit in it, else read below.
        let mut per_text: Vec<Option<CachedText>> = Vec::with_capacity(all.len());
        let mut first_with: HashMap<Key, usize> = HashMap::new();
        for (number, (t, key)) in all.iter().zip(&keys).enumerate() {
            // Bounded by the text's bytes, not its chars: counting chars would index every
            // transcript's text (a tenth of an opening). A sentence past the last char is
            // never shown, since slicing the text refuses it.
            let fits = |c: &CachedText| c.sentences.last().is_none_or(|s| s.end <= t.text().len());
            // Taken, not copied; a second transcript with the same text copies the first's.
            let found = match cached_texts.remove(key) {
                Some(c) => Some(c).filter(fits),
                None => first_with.get(key).and_then(|&i| per_text[i].clone()),
            };
            first_with.entry(*key).or_insert(number);
            per_text.push(found);
        }
        let unread: Vec<(usize, &Transcript)> = all
            .iter()
            .enumerate()
            .filter(|(i, _)| per_text[*i].is_none())
            .map(|(i, t)| (i, *t))
            .collect();
        let read = unread.len();
        let readings = read_in_parallel(&unread);
        let vocabulary = if readings.is_empty() {
            known
        } else {
            // New words: number every word afresh, in byte order. The words already known
            // keep their order, so the cached sentences' words stay in ascending order.
            let vocabulary = Vocabulary::of(
                known.iter().chain(
                    readings
                        .iter()
                        .flat_map(|r| r.words.iter().map(String::as_str)),
                ),
            );
            let table = vocabulary.numbers_of(known.iter());
            for text in per_text.iter_mut().flatten() {
                renumber(&mut text.tokens, &table);
            }
            renumber(cached_quotes.words_mut(), &table);
            for reading in readings {
                let table = vocabulary.numbers_of(reading.words.iter().map(String::as_str));
                for (number, mut text) in reading.texts {
                    renumber(&mut text.tokens, &table);
                    sort_each_sentence(&mut text);
                    per_text[number] = Some(text);
                }
            }
            vocabulary
        };
        let texts: Vec<CachedText> = per_text
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect();
        let mut sentences = Vec::new();
        let mut total: u64 = 0;
        for (number, text) in texts.iter().enumerate() {
            sentences.extend(text.sentences.iter().map(|span| Sentence {
                transcript: number,
                start: span.start,
                end: span.end,
                interviewer: span.interviewer,
            }));
            total += text.tokens.len() as u64;
        }
        let avgdl = if sentences.is_empty() {
            FALLBACK_AVGDL
        } else {
            (total as f64 / sentences.len() as f64) as f32
        };
        let avgdl = if avgdl <= 0.0 { FALLBACK_AVGDL } else { avgdl };
        let document_frequencies = document_frequencies(&texts, vocabulary.len());
        let quotes = QuoteWords::new(&vocabulary, cached_quotes);
        SuggestIndex {
            transcripts,
            sentences,
            vocabulary,
            document_frequencies,
            avgdl,
            quotes: Mutex::new(quotes),
            texts,
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
        word.and_then(|w| self.document_frequencies.get(w as usize))
            .map_or(0, |&n| n as usize)
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
        (self.vocabulary.find(&key), key)
    }
}

/// The SHA-256 of each transcript's text, on every core.
fn keys_in_parallel(all: &[&Transcript]) -> Vec<Key> {
    crate::parallel::map(all, 8, |t| key_of(t.text()))
}

/// Puts each sentence's words in ascending order (so repeats are next to each other).
fn sort_each_sentence(text: &mut CachedText) {
    let mut from = 0;
    for span in &text.sentences {
        let to = from + span.words as usize;
        text.tokens[from..to].sort_unstable();
        from = to;
    }
}

/// Each distinct word of `words` (ascending) with how many times it occurs.
pub(crate) fn runs(words: &[u32]) -> impl Iterator<Item = (u32, usize)> + '_ {
    words
        .chunk_by(|a, b| a == b)
        .map(|same| (same[0], same.len()))
}

/// How many sentences of `texts` hold each of `words` words.
fn document_frequencies(texts: &[CachedText], words: usize) -> Vec<u32> {
    let mut frequencies = vec![0u32; words];
    for text in texts {
        for (_, said) in text.each() {
            for (word, _) in runs(said) {
                if let Some(n) = frequencies.get_mut(word as usize) {
                    *n += 1;
                }
            }
        }
    }
    frequencies
}

/// Some transcripts cut into sentences and words, by one thread: each sentence's words as
/// numbers into `words` (a numbering of its own, merged by `SuggestIndex::build_from`).
struct Reading {
    /// Each transcript's number in the study, with its sentences.
    texts: Vec<(usize, CachedText)>,
    words: Vec<String>,
}

/// Reads `transcripts` (each with its number in the study), one share per core.
fn read_in_parallel(transcripts: &[(usize, &Transcript)]) -> Vec<Reading> {
    if transcripts.is_empty() {
        return Vec::new();
    }
    crate::parallel::per_share(transcripts, 1, Reading::of)
}

impl Reading {
    /// Reads `transcripts`, each with its number in the study.
    fn of(transcripts: &[(usize, &Transcript)]) -> Reading {
        let mut words = Interner::default();
        let mut texts = Vec::new();
        for &(number, t) in transcripts {
            let mut text = CachedText::default();
            for (sentence, said) in sentences_of(t, number) {
                let before = text.tokens.len();
                Words::default().each(said, |w| text.tokens.push(words.number(w)));
                text.sentences.push(Span {
                    start: sentence.start,
                    end: sentence.end,
                    interviewer: sentence.interviewer,
                    words: (text.tokens.len() - before) as u32,
                });
            }
            texts.push((number, text));
        }
        Reading {
            texts,
            words: words.words,
        }
    }
}

/// The cache to save: the transcripts and quotes with only the words they use (`words`,
/// by number, are all the words they may use), numbered afresh in byte order.
fn compact(
    words: &[&str],
    mut transcripts: HashMap<Key, CachedText>,
    mut quotes: QuoteTable,
) -> Cached {
    let mut used = vec![false; words.len()];
    let numbers = transcripts
        .values()
        .flat_map(|t| t.tokens.iter())
        .chain(quotes.iter().flat_map(|(_, _, words)| words));
    for &w in numbers {
        used[w as usize] = true;
    }
    let kept = Vocabulary::of(
        words
            .iter()
            .zip(&used)
            .filter(|(_, used)| **used)
            .map(|(w, _)| *w),
    );
    // A word not used is not kept, and numbered 0 (no entry holds it).
    let table = kept.numbers_of(words.iter().copied());
    // Words only quotes have are numbered among the study's now: a transcript's sentences
    // hold none of them, so their words stay in ascending order.
    for text in transcripts.values_mut() {
        renumber(&mut text.tokens, &table);
    }
    renumber(quotes.words_mut(), &table);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CoderId, TranscriptId};
    use crate::suggest::Ask;
    use crate::suggest::cache::QuoteTable;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn sample() -> &'static Project {
        static PROJECT: OnceLock<Project> = OnceLock::new();
        PROJECT.get_or_init(|| {
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-project");
            crate::store::load(&root)
                .expect("sample-project loads")
                .project
        })
    }

    /// The cache sample-project leaves, with every code's quotes of both coders read.
    fn kept() -> &'static [u8] {
        static KEPT: OnceLock<Vec<u8>> = OnceLock::new();
        KEPT.get_or_init(|| {
            let project = sample();
            let tmp = tempfile::tempdir().expect("a temporary folder");
            let index = SuggestIndex::open(project, tmp.path());
            for (_, code) in project.codebook.walk() {
                for coder in &project.meta.coders {
                    index.suggest(project, &coder.id, &code.id, &Ask::default());
                }
            }
            index.keep(tmp.path()).expect("kept");
            std::fs::read(tmp.path().join(cache::relative_path())).expect("written")
        })
    }

    /// `cached` with what it says made wrong but coherent, from `noise`: sentences moved,
    /// stretched past their transcript's end, words swapped for other words, quotes given
    /// other words and sentence counts.
    fn doctored(mut cached: Cached, noise: &[u32]) -> Cached {
        let mut noise = noise.iter().copied().cycle();
        let mut next = move || noise.next().unwrap_or(0);
        let words = cached.words.len().max(1) as u32;
        let lengths: HashMap<Key, usize> = sample()
            .transcripts_in_order()
            .iter()
            .map(|t| (key_of(t.text()), t.text().len()))
            .collect();
        for (key, text) in cached.transcripts.iter_mut() {
            // Mostly inside the text, in places of their own; one transcript in ten runs
            // past its end (so it is read again from the text).
            let room =
                lengths.get(key).copied().unwrap_or(1000) * if next() % 10 == 0 { 3 } else { 1 };
            let step = (room / text.sentences.len().max(1)).max(2);
            let mut at = 0;
            for span in &mut text.sentences {
                let start = at + next() as usize % (step / 2);
                span.start = start;
                span.end = start + 1 + next() as usize % (step / 2);
                at = span.end;
            }
            for token in &mut text.tokens {
                *token = next() % words;
            }
            sort_each_sentence(text);
        }
        let quotes: Vec<(Key, u32, Vec<u32>)> = cached
            .quotes
            .iter()
            .map(|(key, _, said)| {
                let words: Vec<u32> = said.iter().map(|_| next() % words).collect();
                (key, next() % 5, words)
            })
            .collect();
        cached.quotes = QuoteTable::of(quotes.iter().map(|(k, s, w)| (*k, *s, w.as_slice())));
        cached
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// A kept index whose contents hold together but say the wrong things (sentences in
        /// the wrong places, or past the end of the text; the wrong words; quotes with other
        /// words) is used without a panic, and what it shows is still only the transcripts'
        /// own text at the places named, never text the coder coded with the code.
        #[test]
        fn a_coherent_but_wrong_cache_is_used_without_panic(
            noise in proptest::collection::vec(any::<u32>(), 1..64),
            code_pick in 0usize..100,
        ) {
            let project = sample();
            let limits = cache::Limits::of(project.transcript_count(), u64::MAX);
            let cached = cache::decode(kept(), &limits).expect("the kept cache reads back");
            let tmp = tempfile::tempdir().expect("a temporary folder");
            cache::save(tmp.path(), &doctored(cached, &noise)).expect("saved");
            let index = SuggestIndex::open(project, tmp.path());
            let codes: Vec<_> = project.codebook.walk().into_iter().map(|(_, c)| c.id.clone()).collect();
            let code = &codes[code_pick % codes.len()];
            for coder in ["alex", "sam"] {
                let coder = CoderId::new(coder).expect("an id");
                for s in index.suggest(project, &coder, code, &Ask { limit: 20, ..Ask::default() }) {
                    let t = project.transcript(&s.transcript).expect("a transcript of the project");
                    prop_assert_eq!(t.slice(s.start, s.end), Some(s.text.as_str()));
                    let coded = project.segments(&coder, &s.transcript).iter()
                        .any(|seg| seg.codes.contains(code) && seg.overlaps(s.start, s.end));
                    prop_assert!(!coded);
                }
                index.overlaps(project, &coder, code, 10);
            }
            let _ = index.keep(tmp.path());
            SuggestIndex::open(project, tmp.path());
        }
    }

    /// Suggestions and overlaps of the first codes, for both coders.
    fn everything(index: &SuggestIndex, project: &Project) -> Vec<String> {
        let mut out = Vec::new();
        for (_, code) in project.codebook.walk().into_iter().take(4) {
            for coder in ["alex", "sam"] {
                let coder = CoderId::new(coder).expect("an id");
                let ask = Ask {
                    limit: 50,
                    ..Ask::default()
                };
                out.push(format!(
                    "{:?}",
                    index.suggest(project, &coder, &code.id, &ask)
                ));
                out.push(format!(
                    "{:?}",
                    index.overlaps(project, &coder, &code.id, 20)
                ));
            }
        }
        out
    }

    fn with_text(project: &mut Project, id: &TranscriptId, text: String) {
        let meta = project.transcripts[id].meta.clone();
        project
            .transcripts
            .insert(id.clone(), Transcript::new(id.clone(), meta, text));
    }

    /// A cache kept for `cache_from`'s texts, opened for `target`'s (some texts the same,
    /// some new, some gone), ranks as an index read from `target`'s text, then and after it
    /// is kept again.
    fn ranks_as_fresh(target: &Project, cache_from: &Project, case: &str) {
        let fresh = everything(&SuggestIndex::build(target), target);
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let first = SuggestIndex::open(cache_from, tmp.path());
        everything(&first, cache_from);
        first.keep(tmp.path()).expect("kept");
        let mixed = SuggestIndex::open(target, tmp.path());
        assert!(
            everything(&mixed, target) == fresh,
            "{case}: from a mixed cache"
        );
        mixed.keep(tmp.path()).expect("kept");
        let warm = SuggestIndex::open(target, tmp.path());
        assert_eq!(warm.transcripts_read(), 0, "{case}");
        assert!(everything(&warm, target) == fresh, "{case}: warm");
    }

    /// Caches in every mix of known and new texts rank as the text does: half the
    /// transcripts (one edited, with words the study lacks) and the whole study each way,
    /// two transcripts with the same text, an empty one, and every text emptied.
    #[test]
    fn a_cache_for_other_texts_ranks_as_the_text_does() {
        let full = sample().clone();
        let ids: Vec<TranscriptId> = full.transcripts.keys().cloned().collect();
        let mut half = full.clone();
        for id in ids.iter().skip(1).step_by(2) {
            half.transcripts.remove(id);
        }
        let edited = format!(
            "{}\nQuixotic zebras wander. Other words.",
            full.transcripts[&ids[0]].text()
        );
        with_text(&mut half, &ids[0], edited);
        ranks_as_fresh(&full, &half, "half, one edited");
        ranks_as_fresh(&half, &full, "the whole study, for half");
        let mut twins = full.clone();
        with_text(
            &mut twins,
            &ids[1],
            full.transcripts[&ids[0]].text().to_string(),
        );
        with_text(&mut twins, &ids[2], String::new());
        ranks_as_fresh(&twins, &full, "twins and an empty text");
        ranks_as_fresh(&twins, &twins, "twins, warm");
        let mut empty = full.clone();
        for id in &ids {
            with_text(&mut empty, id, String::new());
        }
        ranks_as_fresh(&empty, &full, "every text emptied");
        ranks_as_fresh(&full, &empty, "from every text emptied");
    }
}
