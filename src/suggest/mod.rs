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
//! Speed: the index reads each transcript once, on every core, into numbered words; the
//! words of each quote are read once and kept in the index by quote text, so ranking again
//! after a coding change only counts them (`cargo bench --bench suggest`).

pub mod autocode;
pub mod eval;
pub mod rejected;

use crate::model::{CodeId, CoderId, Project, TranscriptId};
use crate::text::{SpeakerRole, find_turns};
use bm25::Tokenizer;
use std::collections::HashMap;
use std::sync::Mutex;
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
    fn each(&self, text: &str, mut found: impl FnMut(&str)) {
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
    /// Word (as cut by [`Words`]) -> its number in `postings`.
    vocabulary: HashMap<String, u32>,
    /// Word number -> (sentence, saturated frequency) for every sentence holding it, in
    /// reading order.
    postings: Vec<Vec<(u32, f32)>>,
    /// The average sentence length in words.
    avgdl: f32,
    /// The words of the quotes the queries were built from, kept between rankings: the
    /// coder's quotes barely change between two refreshes of the panel.
    quotes: Mutex<QuoteWords>,
}

/// A quote's sentences, each as its distinct word numbers (sorted).
type QuoteSentences = Vec<Vec<u32>>;

/// The words of quotes, by quote text, each sentence's distinct words as numbers: a quote
/// is read once, however often the queries that use it are built.
#[derive(Default)]
struct QuoteWords {
    /// Word -> number (its own numbering: quotes may hold words cut short that the study's
    /// sentences never do).
    numbers: HashMap<String, u32>,
    words: Vec<String>,
    /// Quote text -> its sentences' distinct word numbers, and the query that last used it.
    by_text: HashMap<String, (QuoteSentences, u64)>,
    /// How many queries were built (to forget quotes that are no longer coded).
    queries: u64,
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
    fn uses(&mut self, texts: &[&str]) -> (Vec<u32>, usize) {
        let query = self.queries;
        let mut uses = vec![0u32; self.words.len()];
        let mut count = 0;
        let mut unread: Vec<&str> = Vec::new();
        for text in texts {
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
    fn forget_unused(&mut self) {
        let query = self.queries;
        let used = self.by_text.values().filter(|e| e.1 == query).count();
        if self.by_text.len() > 2 * used + 1024 {
            self.by_text.retain(|_, e| e.1 == query);
        }
        self.queries += 1;
    }
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
    /// Cuts every transcript of `project` into sentences and indexes their words, reading
    /// the transcripts on every core.
    pub fn build(project: &Project) -> SuggestIndex {
        let all = project.transcripts_in_order();
        let transcripts: Vec<TranscriptId> = all.iter().map(|t| t.id.clone()).collect();
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8);
        let chunk = all.len().div_ceil(threads).max(1);
        let parts: Vec<Reading> = std::thread::scope(|scope| {
            let running: Vec<_> = all
                .chunks(chunk)
                .enumerate()
                .map(|(part, some)| scope.spawn(move || Reading::of(some, part * chunk)))
                .collect();
            running
                .into_iter()
                .map(|r| r.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        // One numbering of the words for the whole study, in order of first use.
        let mut vocabulary: HashMap<String, u32> = HashMap::new();
        let mut sentences = Vec::new();
        let mut words: Vec<Vec<u32>> = Vec::new();
        let mut total: u64 = 0;
        for part in parts {
            let renumber: Vec<u32> = part
                .words
                .into_iter()
                .map(|w| {
                    let next = vocabulary.len() as u32;
                    *vocabulary.entry(w).or_insert(next)
                })
                .collect();
            sentences.extend(part.sentences);
            for tokens in part.tokens {
                total += tokens.len() as u64;
                words.push(tokens.into_iter().map(|w| renumber[w as usize]).collect());
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
        SuggestIndex {
            transcripts,
            sentences,
            vocabulary,
            postings,
            avgdl,
            quotes: Mutex::new(QuoteWords::default()),
        }
    }

    /// Number of sentences indexed.
    pub fn len(&self) -> usize {
        self.sentences.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sentences.is_empty()
    }

    fn document_frequency(&self, word: Option<u32>) -> usize {
        word.and_then(|w| self.postings.get(w as usize))
            .map_or(0, Vec::len)
    }

    /// The study's number for the first word of `word` as the index reads it.
    fn number_of(&self, word: &str) -> (Option<u32>, String) {
        let mut first: Option<String> = None;
        Words::default().each(word, |w| {
            if first.is_none() {
                first = Some(w.to_string());
            }
        });
        let key = first.unwrap_or_default();
        (self.vocabulary.get(&key).copied(), key)
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
        // Best first; ties in reading order, so the result is the same on every run. Only
        // the best few are sorted (most of the study scores above zero); when rejections or
        // the cap per transcript use them up, more are.
        let order = |a: &(f32, usize), b: &(f32, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        let mut head = (ask.limit + ask.rejected.len())
            .saturating_mul(4)
            .saturating_add(64);
        loop {
            if head < ranked.len() {
                ranked.select_nth_unstable_by(head, order);
                ranked[..head].sort_unstable_by(order);
            } else {
                ranked.sort_unstable_by(order);
                head = ranked.len();
            }
            let found = self.pick(project, &query, ask, &ranked[..head]);
            if found.len() >= ask.limit || head == ranked.len() {
                return found;
            }
            head = head.saturating_mul(4);
        }
    }

    /// The first `ask.limit` of `ranked` (best first) that are not turned down, at most
    /// `ask.per_transcript` from one transcript.
    fn pick(
        &self,
        project: &Project,
        query: &Query,
        ask: &Ask,
        ranked: &[(f32, usize)],
    ) -> Vec<Suggestion> {
        let mut per_transcript: HashMap<usize, usize> = HashMap::new();
        let mut found = Vec::new();
        for &(score, i) in ranked {
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
                terms: self.terms_in(query, text),
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
        let tokens = Words::default().tokenize(text);
        let mut score = 0.0;
        for (token, frequency) in
            frequencies(&tokens.iter().map(String::as_str).collect::<Vec<_>>())
        {
            if let Some(term) = query.terms.iter().find(|t| t.key == token) {
                score += term.weight * saturated(frequency, tokens.len(), self.avgdl);
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
            if let Some(list) = term.id.and_then(|id| self.postings.get(id as usize)) {
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
        let mut quotes = self
            .quotes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (uses, relevant) = quotes.uses(&own);
        let (other_uses, others) = quotes.uses(&others);
        let query = self.query_from(&quotes.words, &uses, relevant, &other_uses, others);
        quotes.forget_unused();
        query
    }

    /// Relevance-weighted words of the quotes (Robertson and Sparck Jones 1976: the quotes
    /// are the relevant set, and a word's weight compares how often quotes use it with how
    /// often the study's sentences do, and the quotes of other codes). `uses` and
    /// `other_uses` count the sentences using each of `words`, of `relevant` and `others`.
    fn query_from(
        &self,
        words: &[String],
        uses: &[u32],
        relevant: usize,
        other_uses: &[u32],
        others: usize,
    ) -> Query {
        let relevant = relevant as f32;
        let collection = self.sentences.len() as f32;
        let mut terms: Vec<(f32, QueryTerm)> = Vec::new();
        for (number, &r) in uses.iter().enumerate() {
            if r == 0 {
                continue;
            }
            let word = &words[number];
            let (id, key) = self.number_of(word);
            if key.is_empty() {
                continue;
            }
            let r = r as f32;
            let n = (self.document_frequency(id) as f32).max(r);
            let odds = (r + 0.5) / (relevant - r + 0.5);
            let mut weight =
                (odds / ((n - r + 0.5) / (collection - n - relevant + r + 0.5).max(0.5))).ln();
            if others > 0 {
                let s = other_uses.get(number).copied().unwrap_or(0) as f32;
                let against = (s + 0.5) / (others as f32 - s + 0.5);
                weight += (odds / against).ln().min(0.0);
            }
            if weight > 0.0 {
                terms.push((
                    r * weight,
                    QueryTerm {
                        id,
                        key,
                        word: word.clone(),
                        weight,
                    },
                ));
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

struct QueryTerm {
    /// The study's number for `key` (none when no sentence of the study holds it).
    id: Option<u32>,
    /// The word as the index reads it (`word` read again: nearly always `word` itself).
    key: String,
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

/// Some transcripts cut into sentences and words, by one thread: each sentence's words as
/// numbers into `words` (a numbering of its own, merged by [`SuggestIndex::build`]).
struct Reading {
    sentences: Vec<Sentence>,
    tokens: Vec<Vec<u32>>,
    words: Vec<String>,
}

impl Reading {
    /// Reads `transcripts`, the first of which is number `first` of the study.
    fn of(transcripts: &[&crate::model::Transcript], first: usize) -> Reading {
        let mut numbers: HashMap<String, u32> = HashMap::new();
        let mut reading = Reading {
            sentences: Vec::new(),
            tokens: Vec::new(),
            words: Vec::new(),
        };
        for (offset, t) in transcripts.iter().enumerate() {
            for (sentence, text) in sentences_of(t, first + offset) {
                let mut tokens = Vec::new();
                Words::default().each(text, |w| {
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
                reading.sentences.push(sentence);
                reading.tokens.push(tokens);
            }
        }
        reading
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
