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
//! The cache is never trusted: a file that is missing, a link, truncated, damaged (its
//! checksum disagrees), written by another version or with other reading settings, or whose
//! contents do not hold together is ignored whole, and the index is read from the text again
//! and saved over it. It is written atomically, through the store's checks (no link on the
//! way, nothing outside the project).
//!
//! The format is a handful of little-endian integers and UTF-8 strings (simpler to check
//! than a general serialiser's output, and no dependency): a header (magic, format version,
//! the word cut, the Unicode version of the segmentation, payload length and SHA-256), then
//! the payload: the words, the transcripts, the quotes.

use super::STEM_CHARS;
use super::quotes::QuoteSentences;
use crate::store::lock::LOCAL_DIR;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Bump when what is cached, or how text is cut into sentences and words, changes.
const FORMAT_VERSION: u32 = 1;
const MAGIC: &[u8; 16] = b"thematic-suggest";
/// Largest cache read (the 1,000-interview study's is well under this).
const MAX_BYTES: u64 = 1 << 30;
/// At most this many quotes that no ranking of this run used are kept (another coder's on
/// a shared clone, codes not ranked this time).
const KEEP_UNUSED_QUOTES: usize = 200_000;

/// SHA-256 of a text.
pub(crate) type Key = [u8; 32];

pub(crate) fn key_of(text: &str) -> Key {
    Sha256::digest(text.as_bytes()).into()
}

/// One transcript as read: its sentences `(start, end, interviewer)` in chars, and each
/// sentence's words as numbers into [`Cached::words`].
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CachedText {
    pub(crate) sentences: Vec<(usize, usize, bool)>,
    pub(crate) tokens: Vec<Vec<u32>>,
}

/// What a cache file holds.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Cached {
    /// Word number -> word (as cut by [`super::Words`]); distinct.
    pub(crate) words: Vec<String>,
    pub(crate) transcripts: HashMap<Key, CachedText>,
    pub(crate) quotes: HashMap<Key, QuoteSentences>,
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

/// The cache of the project at `root`, or an empty one when there is none or it cannot be
/// trusted (see the module's notes).
pub(crate) fn load(root: &Path) -> Cached {
    read(root)
        .and_then(|bytes| decode(&bytes))
        .unwrap_or_default()
}

fn read(root: &Path) -> Option<Vec<u8>> {
    let rel = relative_path();
    if crate::store::safe::first_refused(root, &rel).is_some() {
        return None;
    }
    let (file, meta) = crate::store::safe::open_regular(root, &rel).ok()?;
    if meta.len() > MAX_BYTES {
        return None;
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_BYTES + 1).read_to_end(&mut bytes).ok()?;
    Some(bytes)
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
    for word in &cached.words {
        payload.bytes(word.as_bytes());
    }
    // In key order, so the same cache is the same file.
    let mut texts: Vec<_> = cached.transcripts.iter().collect();
    texts.sort_unstable_by_key(|(key, _)| **key);
    payload.u32(texts.len() as u32);
    for (key, text) in texts {
        payload.0.extend_from_slice(key);
        payload.u32(text.sentences.len() as u32);
        for (&(start, end, interviewer), tokens) in text.sentences.iter().zip(&text.tokens) {
            payload.u64(start as u64);
            payload.u64(end as u64);
            payload.0.push(u8::from(interviewer));
            payload.numbers(tokens);
        }
    }
    let mut quotes: Vec<_> = cached.quotes.iter().collect();
    quotes.sort_unstable_by_key(|(key, _)| **key);
    payload.u32(quotes.len() as u32);
    for (key, sentences) in quotes {
        payload.0.extend_from_slice(key);
        payload.u32(sentences.len() as u32);
        for words in sentences {
            payload.numbers(words);
        }
    }
    let payload = payload.0;
    let mut file = Writer::default();
    file.0.extend_from_slice(MAGIC);
    for setting in settings() {
        file.u32(setting);
    }
    file.u64(payload.len() as u64);
    file.0.extend_from_slice(&Sha256::digest(&payload));
    file.0.extend_from_slice(&payload);
    file.0
}

/// The cache in `bytes`, or `None` when anything about it is off.
pub(crate) fn decode(bytes: &[u8]) -> Option<Cached> {
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
    let checksum = header.take(32)?;
    let payload = header.0;
    if payload.len() != length || Sha256::digest(payload).as_slice() != checksum {
        return None;
    }
    let mut r = Reader(payload);
    let count = r.count(4)?;
    let mut words = Vec::with_capacity(count);
    let mut distinct = std::collections::HashSet::with_capacity(count);
    for _ in 0..count {
        let word = std::str::from_utf8(r.bytes()?).ok()?;
        if !distinct.insert(word) {
            return None;
        }
        words.push(word.to_string());
    }
    let known = |numbers: &[u32]| numbers.iter().all(|&n| (n as usize) < count);
    let mut transcripts = HashMap::new();
    for _ in 0..r.count(36)? {
        let key: Key = r.take(32)?.try_into().ok()?;
        let mut text = CachedText::default();
        let mut last_end = 0;
        for _ in 0..r.count(21)? {
            let start = usize::try_from(r.u64()?).ok()?;
            let end = usize::try_from(r.u64()?).ok()?;
            let interviewer = match r.take(1)?[0] {
                0 => false,
                1 => true,
                _ => return None,
            };
            let tokens = r.numbers()?;
            if start >= end || start < last_end || !known(&tokens) {
                return None;
            }
            last_end = end;
            text.sentences.push((start, end, interviewer));
            text.tokens.push(tokens);
        }
        transcripts.insert(key, text);
    }
    let mut quotes = HashMap::new();
    for _ in 0..r.count(36)? {
        let key: Key = r.take(32)?.try_into().ok()?;
        let mut sentences = Vec::new();
        for _ in 0..r.count(4)? {
            let words = r.numbers()?;
            if !known(&words) {
                return None;
            }
            sentences.push(words);
        }
        quotes.insert(key, sentences);
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

/// The quotes worth keeping: those used now, then as many of the old, unused ones as fit.
pub(crate) fn keep_quotes(
    used: HashMap<Key, QuoteSentences>,
    unused: HashMap<Key, QuoteSentences>,
) -> HashMap<Key, QuoteSentences> {
    let mut kept = used;
    let room = KEEP_UNUSED_QUOTES.saturating_sub(kept.len());
    let mut old: Vec<_> = unused.into_iter().collect();
    old.sort_unstable_by_key(|(key, _)| *key);
    for (key, sentences) in old.into_iter().take(room) {
        kept.entry(key).or_insert(sentences);
    }
    kept
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

    fn sample() -> Cached {
        let mut cached = Cached {
            words: vec!["trust".into(), "we".into(), "μελέτη".into()],
            ..Cached::default()
        };
        cached.transcripts.insert(
            key_of("We trust."),
            CachedText {
                sentences: vec![(0, 9, false), (10, 20, true)],
                tokens: vec![vec![1, 0], vec![2]],
            },
        );
        cached.quotes.insert(key_of("trust"), vec![vec![0]]);
        cached
    }

    #[test]
    fn a_cache_reads_back_as_written() {
        let bytes = encode(&sample());
        assert_eq!(decode(&bytes), Some(sample()));
        assert_eq!(encode(&sample()), bytes, "the same cache is the same file");
    }

    #[test]
    fn truncated_damaged_or_foreign_caches_are_refused() {
        let bytes = encode(&sample());
        for cut in [0, 10, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(decode(&bytes[..cut]), None, "cut at {cut}");
        }
        for at in [0, 17, 40, 90, bytes.len() - 3] {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            assert_eq!(decode(&damaged), None, "byte {at} changed");
        }
        let mut other_version = bytes.clone();
        other_version[16] = other_version[16].wrapping_add(1);
        assert_eq!(decode(&other_version), None);
        let mut longer = bytes;
        longer.push(0);
        assert_eq!(decode(&longer), None);
    }

    #[test]
    fn contents_that_do_not_hold_together_are_refused_even_with_a_good_checksum() {
        let mut unknown_word = sample();
        unknown_word.quotes.insert(key_of("x"), vec![vec![7]]);
        assert_eq!(decode(&encode(&unknown_word)), None);
        let mut twice = sample();
        twice.words.push("trust".into());
        assert_eq!(decode(&encode(&twice)), None);
        let mut backwards = sample();
        backwards.transcripts.values_mut().for_each(|t| {
            t.sentences = vec![(10, 20, false), (0, 9, false)];
        });
        assert_eq!(decode(&encode(&backwards)), None);
    }
}
