//! The sentence index kept between runs, in `.thematic/cache/suggest-index.bin` inside the
//! project folder (git-ignored, local to this clone: it holds participants' words).
//!
//! What is kept depends on text only, keyed by the SHA-256 of that text: each transcript's
//! sentences and their words, and each quote's sentences' distinct words. A transcript or
//! quote whose text changed simply has another key, so an entry can never stand for text it
//! was not read from; entries whose key no text of the project has any more are dropped on
//! the next save. (Keys are of the text, not of transcript ids, so a cache copied in from
//! another project is as good as useless, never wrong.)
//!
//! The cache is checked, not trusted: a file that is missing, a link, larger than the
//! project's text could make it ([`Limits`]), truncated, damaged (its checksum disagrees),
//! written by another version or with other reading settings, or whose contents do not hold
//! together is ignored whole, and the index is read from the text again and saved over it.
//! (A file doctored by hand to hold together while saying the wrong things is used: its
//! suggestions can be poor, but each is still a transcript's own text at the place named.)
//! It is written atomically, through the store's checks (no link on the way, nothing outside
//! the project).
//!
//! The format is a handful of little-endian integers and UTF-8 strings (simpler to check
//! than a general serialiser's output, and no dependency): a header (magic, format version,
//! the word cut, the Unicode version of the segmentation, payload length and CRC-32), then
//! the payload: the words, the transcripts, the quotes.

use super::STEM_CHARS;
use super::vocabulary::Vocabulary;
use crate::store::lock::LOCAL_DIR;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Bump when what is cached, or how text is cut into sentences and words, changes.
const FORMAT_VERSION: u32 = 2;
const MAGIC: &[u8; 16] = b"thematic-suggest";
/// Largest cache read, whatever the project (the 1,000-interview study's is well under
/// this; [`Limits`] bounds it by the project's text).
const MAX_BYTES: u64 = 1 << 30;

/// SHA-256 of a text.
pub(crate) type Key = [u8; 32];

pub(crate) fn key_of(text: &str) -> Key {
    Sha256::digest(text.as_bytes()).into()
}

/// One sentence as read: where it is (in chars), whether the interviewer said it, and how
/// many words it has.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Span {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) interviewer: bool,
    pub(crate) words: u32,
}

/// One transcript as read: its sentences, and their words as numbers into the
/// [`Vocabulary`], one sentence after another, each sentence's in ascending order (so a word
/// said twice in a sentence is counted by looking at its neighbour, and the whole transcript
/// is one array to read and write).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CachedText {
    pub(crate) sentences: Vec<Span>,
    pub(crate) tokens: Vec<u32>,
}

impl CachedText {
    /// Each sentence with its words.
    pub(crate) fn each(&self) -> impl Iterator<Item = (&Span, &[u32])> {
        let mut from = 0;
        self.sentences.iter().map(move |span| {
            let to = (from + span.words as usize).min(self.tokens.len());
            let words = &self.tokens[from.min(to)..to];
            from = to;
            (span, words)
        })
    }
}

/// Quotes as read, in one table sorted by the key of their text (found by binary search,
/// so opening the cache makes no allocation per quote) and one array of words: each quote's
/// sentence count and each sentence's distinct words as numbers, one sentence after another
/// (a word counts once per sentence using it).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct QuoteTable {
    /// (key, sentences, where its words end in `words`), in key order; each quote's words
    /// begin where the one before's end.
    entries: Vec<(Key, u32, u32)>,
    words: Vec<u32>,
    /// Where the keys beginning with each two bytes begin in `entries` (as in git's pack
    /// index): a lookup searches a handful of entries, not all of them (a binary search over
    /// tens of thousands of keys missed the processor's cache at every step).
    fanout: Vec<u32>,
}

/// The first two bytes of a key, as a number.
fn prefix(key: &Key) -> usize {
    usize::from(u16::from_be_bytes([key[0], key[1]]))
}

impl QuoteTable {
    /// The table of `quotes` (key, sentences, words), in any order; a key given twice is kept
    /// once.
    pub(crate) fn of<'q>(quotes: impl IntoIterator<Item = (Key, u32, &'q [u32])>) -> QuoteTable {
        let mut all: Vec<_> = quotes.into_iter().collect();
        all.sort_unstable_by_key(|(key, _, _)| *key);
        all.dedup_by_key(|(key, _, _)| *key);
        let mut entries = Vec::with_capacity(all.len());
        let mut table_words = Vec::new();
        for (key, sentences, words) in all {
            table_words.extend_from_slice(words);
            entries.push((key, sentences, table_words.len() as u32));
        }
        QuoteTable::sorted(entries, table_words)
    }

    /// The table of `entries`, already in key order, with the words they end in.
    fn sorted(entries: Vec<(Key, u32, u32)>, words: Vec<u32>) -> QuoteTable {
        let mut fanout = vec![0u32; (1 << 16) + 1];
        for (key, _, _) in &entries {
            fanout[prefix(key) + 1] += 1;
        }
        for p in 0..1 << 16 {
            fanout[p + 1] += fanout[p];
        }
        QuoteTable {
            entries,
            words,
            fanout,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Where the quote with `key` is, when it is here.
    pub(crate) fn find(&self, key: &Key) -> Option<usize> {
        let p = prefix(key);
        let (Some(&from), Some(&to)) = (self.fanout.get(p), self.fanout.get(p + 1)) else {
            return None;
        };
        let some = self.entries.get(from as usize..to as usize)?;
        let at = some.binary_search_by_key(key, |(k, _, _)| *k).ok()?;
        Some(from as usize + at)
    }

    /// Quote `i`'s key, sentence count and words.
    pub(crate) fn get(&self, i: usize) -> (Key, u32, &[u32]) {
        let (key, sentences, end) = self.entries[i];
        let start = if i == 0 { 0 } else { self.entries[i - 1].2 };
        (key, sentences, &self.words[start as usize..end as usize])
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (Key, u32, &[u32])> {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Every quote's words, to number them afresh.
    pub(crate) fn words_mut(&mut self) -> &mut [u32] {
        &mut self.words
    }
}

/// What a cache file holds.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Cached {
    /// The words the transcripts and quotes are numbered into.
    pub(crate) words: Vocabulary,
    pub(crate) transcripts: HashMap<Key, CachedText>,
    pub(crate) quotes: QuoteTable,
}

/// Why the cache could not be saved (reading never fails: a bad cache is ignored).
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("{path}: {message}", path = path.display())]
    Refused { path: PathBuf, message: String },
    #[error("{path}: {source}", path = path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The cache file, relative to the project folder.
pub fn relative_path() -> PathBuf {
    Path::new(LOCAL_DIR).join("cache").join("suggest-index.bin")
}

/// How large a cache the project can have: one larger is not its own (or is hostile), and
/// is ignored before it costs memory.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) bytes: u64,
    /// Transcripts with a text of their own (a cache keeps no others).
    pub(crate) transcripts: usize,
}

impl Limits {
    /// For a project of `transcripts` transcripts with `text_bytes` bytes of text in all:
    /// room for their sentences and words several times over and for a great many quotes
    /// (the 213-interview study's 13 MB of text make a 15 MB cache), at most 1 GiB.
    pub(crate) fn of(transcripts: usize, text_bytes: u64) -> Limits {
        Limits {
            bytes: text_bytes
                .saturating_mul(16)
                .saturating_add(128 << 20)
                .min(MAX_BYTES),
            transcripts,
        }
    }
}

/// The cache of the project at `root`, or an empty one when there is none, it is larger
/// than `limits` allow, or it cannot be trusted (see the module's notes).
pub(crate) fn load(root: &Path, limits: &Limits) -> Cached {
    read(root, limits.bytes)
        .and_then(|bytes| decode(&bytes, limits))
        .unwrap_or_default()
}

fn read(root: &Path, limit: u64) -> Option<Vec<u8>> {
    let rel = relative_path();
    if crate::store::safe::first_refused(root, &rel).is_some() {
        return None;
    }
    let (file, meta) = crate::store::safe::open_regular(root, &rel).ok()?;
    if meta.len() > limit {
        return None;
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= limit).then_some(bytes)
}

/// Writes `cached` atomically to the project at `root`, inside its `.thematic` folder only.
pub(crate) fn save(root: &Path, cached: &Cached) -> Result<(), CacheError> {
    let rel = relative_path();
    let path = root.join(&rel);
    crate::store::safe::prepare_write(root, &rel).map_err(|message| CacheError::Refused {
        path: path.clone(),
        message,
    })?;
    crate::store::atomic::write_atomic(&path, &encode(cached))
        .map_err(|source| CacheError::Io { path, source })
}

/// The header's settings: what the cached reading depends on besides the text.
fn settings() -> [u32; 5] {
    let (major, minor, update) = unicode_segmentation::UNICODE_VERSION;
    [
        FORMAT_VERSION,
        STEM_CHARS as u32,
        u32::try_from(major).unwrap_or(u32::MAX),
        u32::try_from(minor).unwrap_or(u32::MAX),
        u32::try_from(update).unwrap_or(u32::MAX),
    ]
}

pub(crate) fn encode(cached: &Cached) -> Vec<u8> {
    let mut payload = Writer::default();
    payload.u32(cached.words.len() as u32);
    for word in cached.words.iter() {
        payload.bytes(word.as_bytes());
    }
    // In key order, so the same cache is the same file.
    let mut texts: Vec<_> = cached.transcripts.iter().collect();
    texts.sort_unstable_by_key(|(key, _)| **key);
    payload.u32(texts.len() as u32);
    for (key, text) in texts {
        payload.0.extend_from_slice(key);
        payload.u32(text.sentences.len() as u32);
        for span in &text.sentences {
            payload.u64(span.start as u64);
            payload.u64(span.end as u64);
            payload.0.push(u8::from(span.interviewer));
            payload.u32(span.words);
        }
        payload.numbers(&text.tokens);
    }
    let quotes = &cached.quotes;
    payload.u32(quotes.entries.len() as u32);
    for (key, sentences, end) in &quotes.entries {
        payload.0.extend_from_slice(key);
        payload.u32(*sentences);
        payload.u32(*end);
    }
    payload.numbers(&quotes.words);
    let payload = payload.0;
    let mut file = Writer::default();
    file.0.extend_from_slice(MAGIC);
    for setting in settings() {
        file.u32(setting);
    }
    file.u64(payload.len() as u64);
    file.u32(crc32fast::hash(&payload));
    file.0.extend_from_slice(&payload);
    file.0
}

/// The cache in `bytes`, or `None` when anything about it is off or it is larger than
/// `limits` allow.
pub(crate) fn decode(bytes: &[u8], limits: &Limits) -> Option<Cached> {
    if bytes.len() as u64 > limits.bytes {
        return None;
    }
    let mut header = Reader(bytes);
    if header.take(MAGIC.len())? != MAGIC {
        return None;
    }
    for setting in settings() {
        if header.u32()? != setting {
            return None;
        }
    }
    let length = usize::try_from(header.u64()?).ok()?;
    let checksum = header.u32()?;
    let payload = header.0;
    if payload.len() != length || crc32fast::hash(payload) != checksum {
        return None;
    }
    let mut r = Reader(payload);
    // Distinct and in byte order, or refused at the first that is not: taken one by one,
    // so a file of words never costs much more memory than its size.
    let mut words = Vocabulary::default();
    for _ in 0..r.count(4)? {
        if !words.push_sorted(std::str::from_utf8(r.bytes()?).ok()?) {
            return None;
        }
    }
    let count = words.len();
    let known = |numbers: &[u32]| numbers.iter().all(|&n| (n as usize) < count);
    let mut transcripts = HashMap::new();
    let entries = r.count(36)?;
    if entries > limits.transcripts {
        return None;
    }
    for _ in 0..entries {
        let key: Key = r.take(32)?.try_into().ok()?;
        let text = transcript(&mut r)?;
        if !known(&text.tokens) {
            return None;
        }
        transcripts.insert(key, text);
    }
    let quotes = quote_table(&mut r)?;
    if !known(&quotes.words) {
        return None;
    }
    if !r.0.is_empty() {
        return None;
    }
    Some(Cached {
        words,
        transcripts,
        quotes,
    })
}

/// One transcript's sentences and words, when they hold together: sentences in reading
/// order, not overlapping, as many words as they say they have, each's in ascending order.
fn transcript(r: &mut Reader) -> Option<CachedText> {
    let mut text = CachedText::default();
    let mut last_end = 0;
    let count = r.count(21)?;
    let records = r.take(count * 21)?;
    text.sentences.reserve(count);
    for record in records.chunks_exact(21) {
        let number = |at: usize, len: usize| -> Option<u64> {
            let mut bytes = [0u8; 8];
            bytes[..len].copy_from_slice(record.get(at..at + len)?);
            Some(u64::from_le_bytes(bytes))
        };
        let start = usize::try_from(number(0, 8)?).ok()?;
        let end = usize::try_from(number(8, 8)?).ok()?;
        let interviewer = match record[16] {
            0 => false,
            1 => true,
            _ => return None,
        };
        let words = u32::try_from(number(17, 4)?).ok()?;
        if start >= end || start < last_end {
            return None;
        }
        last_end = end;
        text.sentences.push(Span {
            start,
            end,
            interviewer,
            words,
        });
    }
    text.tokens = r.numbers()?;
    let said: u64 = text.sentences.iter().map(|s| u64::from(s.words)).sum();
    if said != text.tokens.len() as u64 {
        return None;
    }
    let ascending = text
        .each()
        .all(|(_, words)| words.windows(2).all(|pair| pair[0] <= pair[1]));
    ascending.then_some(text)
}

/// The quotes' table, when it holds together: keys in strictly ascending order, each
/// quote's words after the one before's, and no words left over.
fn quote_table(r: &mut Reader) -> Option<QuoteTable> {
    let count = r.count(40)?;
    let records = r.take(count * 40)?;
    let mut entries = Vec::with_capacity(count);
    for record in records.chunks_exact(40) {
        let key: Key = record[..32].try_into().ok()?;
        let sentences = u32::from_le_bytes(record[32..36].try_into().ok()?);
        let end = u32::from_le_bytes(record[36..40].try_into().ok()?);
        if let Some(&(before, _, last_end)) = entries.last()
            && (before >= key || last_end > end)
        {
            return None;
        }
        entries.push((key, sentences, end));
    }
    let words = r.numbers()?;
    let all_used = entries.last().map_or(0, |e| e.2 as usize) == words.len();
    all_used.then(|| QuoteTable::sorted(entries, words))
}

#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, n: u32) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }
    fn u64(&mut self, n: u64) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }
    fn bytes(&mut self, bytes: &[u8]) {
        self.u32(bytes.len() as u32);
        self.0.extend_from_slice(bytes);
    }
    fn numbers(&mut self, numbers: &[u32]) {
        self.u32(numbers.len() as u32);
        for &n in numbers {
            self.u32(n);
        }
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    /// A count of items at least `each` bytes long: refused when the rest cannot hold them,
    /// so a damaged count never makes a huge allocation.
    fn count(&mut self, each: usize) -> Option<usize> {
        let n = self.u32()? as usize;
        (n.checked_mul(each)? <= self.0.len()).then_some(n)
    }
    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.count(1)?;
        self.take(n)
    }
    fn numbers(&mut self) -> Option<Vec<u32>> {
        let n = self.count(4)?;
        let raw = self.take(n * 4)?;
        Some(
            raw.chunks_exact(4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANY: Limits = Limits {
        bytes: MAX_BYTES,
        transcripts: usize::MAX,
    };

    fn decode_any(bytes: &[u8]) -> Option<Cached> {
        decode(bytes, &ANY)
    }

    fn span(start: usize, end: usize, interviewer: bool, words: u32) -> Span {
        Span {
            start,
            end,
            interviewer,
            words,
        }
    }

    /// Words: 0 "trust", 1 "we", 2 "μελέτη".
    fn sample() -> Cached {
        let mut cached = Cached {
            words: Vocabulary::of(["trust", "we", "μελέτη"]),
            ..Cached::default()
        };
        cached.transcripts.insert(
            key_of("We trust."),
            CachedText {
                sentences: vec![span(0, 9, false, 2), span(10, 20, true, 1)],
                tokens: vec![0, 1, 2],
            },
        );
        cached.quotes = QuoteTable::of([(key_of("trust"), 1, &[0u32][..])]);
        cached
    }

    #[test]
    fn a_cache_reads_back_as_written() {
        let bytes = encode(&sample());
        assert_eq!(decode(&bytes, &ANY), Some(sample()));
        assert_eq!(encode(&sample()), bytes, "the same cache is the same file");
    }

    #[test]
    fn truncated_damaged_or_foreign_caches_are_refused() {
        let bytes = encode(&sample());
        for cut in [0, 10, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(decode(&bytes[..cut], &ANY), None, "cut at {cut}");
        }
        for at in [0, 17, 40, 90, bytes.len() - 3] {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            assert_eq!(decode(&damaged, &ANY), None, "byte {at} changed");
        }
        let mut other_version = bytes.clone();
        other_version[16] = other_version[16].wrapping_add(1);
        assert_eq!(decode(&other_version, &ANY), None);
        let mut longer = bytes;
        longer.push(0);
        assert_eq!(decode(&longer, &ANY), None);
    }

    #[test]
    fn contents_that_do_not_hold_together_are_refused_even_with_a_good_checksum() {
        let mut unknown_word = sample();
        unknown_word.quotes = QuoteTable::of([(key_of("x"), 1, &[7u32][..])]);
        assert_eq!(decode_any(&encode(&unknown_word)), None);
        let mut quotes_out_of_order = sample();
        quotes_out_of_order.quotes =
            QuoteTable::sorted(vec![([2; 32], 1, 1), ([1; 32], 1, 1)], vec![0]);
        assert_eq!(decode_any(&encode(&quotes_out_of_order)), None);
        let mut words_left_over = sample();
        words_left_over.quotes.words.push(0);
        assert_eq!(decode_any(&encode(&words_left_over)), None);
        let texts = |change: fn(&mut CachedText)| {
            let mut cached = sample();
            cached.transcripts.values_mut().for_each(change);
            decode_any(&encode(&cached))
        };
        assert_eq!(
            texts(|t| t.sentences = vec![span(10, 20, false, 2), span(0, 9, false, 1)]),
            None,
            "sentences out of order"
        );
        assert_eq!(
            texts(|t| t.tokens = vec![1, 0, 2]),
            None,
            "words out of order"
        );
        assert_eq!(texts(|t| t.tokens = vec![0, 1]), None, "words missing");
        assert_eq!(
            texts(|t| t.tokens = vec![0, 1, 2, 2]),
            None,
            "words left over"
        );
        assert!(
            texts(|t| t.tokens = vec![1, 1, 0]).is_some(),
            "a word said twice"
        );
    }

    #[test]
    fn a_cache_larger_than_the_project_allows_is_refused() {
        let bytes = encode(&sample());
        let fits = Limits {
            bytes: bytes.len() as u64,
            transcripts: 1,
        };
        assert!(decode(&bytes, &fits).is_some());
        let smaller = Limits {
            bytes: bytes.len() as u64 - 1,
            ..fits
        };
        assert_eq!(decode(&bytes, &smaller), None, "more bytes than allowed");
        let fewer = Limits {
            transcripts: 0,
            ..fits
        };
        assert_eq!(
            decode(&bytes, &fewer),
            None,
            "more transcripts than the project"
        );
        let small_project = Limits::of(12, 80_000);
        assert_eq!(small_project.bytes, 16 * 80_000 + (128 << 20));
        assert_eq!(Limits::of(1, u64::MAX).bytes, MAX_BYTES);
    }

    #[test]
    fn words_out_of_order_are_refused_even_with_a_good_checksum() {
        let mut bytes = encode(&sample());
        // The first word, "trust", becomes "xrust": after "we" in byte order.
        let at = bytes
            .windows(5)
            .position(|w| w == b"trust")
            .expect("the word is in the file");
        bytes[at] = b'x';
        let payload_at = MAGIC.len() + 5 * 4 + 8 + 4;
        let checksum = crc32fast::hash(&bytes[payload_at..]).to_le_bytes();
        bytes[payload_at - 4..payload_at].copy_from_slice(&checksum);
        assert_eq!(decode(&bytes, &ANY), None);
    }
}
