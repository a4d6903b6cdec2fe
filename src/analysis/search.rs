//! Full-text search across every transcript: case-insensitive, in char offsets, with the
//! words around each hit. An ASCII query (the usual case) runs as one Aho-Corasick scan of
//! the bytes; any other query folds text char by char, as the single-transcript search does.

use crate::model::{Project, Transcript, TranscriptId};
use aho_corasick::AhoCorasick;

/// One place a query was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub transcript: TranscriptId,
    /// Char range of the hit.
    pub start: usize,
    pub end: usize,
}

/// Every hit in every transcript (interview order), and how many there were in all; at most
/// `limit` hits are kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub hits: Vec<Hit>,
    pub total: usize,
    pub transcripts: usize,
}

/// Case-insensitive hits of `query` in `text` as char ranges (non-overlapping, left to
/// right). Each char is folded to one char, so offsets in the folded text are offsets in
/// the original.
pub fn hits_in(text: &str, query: &str) -> Vec<(usize, usize)> {
    if query.is_ascii() {
        return ascii_hits(text, query, &matcher(query));
    }
    let fold = |c: char| c.to_lowercase().next().unwrap_or(c);
    let needle: Vec<char> = query.chars().map(fold).collect();
    if needle.is_empty() {
        return Vec::new();
    }
    let hay: Vec<char> = text.chars().map(fold).collect();
    let mut hits = Vec::new();
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        if hay[i..i + needle.len()] == needle[..] {
            hits.push((i, i + needle.len()));
            i += needle.len();
        } else {
            i += 1;
        }
    }
    hits
}

fn matcher(query: &str) -> Option<AhoCorasick> {
    if query.is_empty() {
        return None;
    }
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build([query])
        .ok()
}

fn ascii_hits(text: &str, query: &str, matcher: &Option<AhoCorasick>) -> Vec<(usize, usize)> {
    let Some(matcher) = matcher else {
        return Vec::new();
    };
    let len = query.chars().count();
    // Byte offsets to char offsets, walking forward once.
    let mut hits = Vec::new();
    let (mut byte, mut chars) = (0usize, 0usize);
    for m in matcher.find_iter(text) {
        chars += text[byte..m.start()].chars().count();
        byte = m.start();
        hits.push((chars, chars + len));
    }
    hits
}

fn hits_with(t: &Transcript, query: &str, matcher: &Option<AhoCorasick>) -> Vec<(usize, usize)> {
    if query.is_ascii() {
        ascii_hits(t.text(), query, matcher)
    } else {
        hits_in(t.text(), query)
    }
}

/// Searches every transcript, in interview order.
pub fn search(project: &Project, query: &str, limit: usize) -> Found {
    let mut found = Found::default();
    let query = query.trim();
    if query.is_empty() {
        return found;
    }
    let matcher = if query.is_ascii() {
        matcher(query)
    } else {
        None
    };
    for t in project.transcripts_in_order() {
        let hits = hits_with(t, query, &matcher);
        if hits.is_empty() {
            continue;
        }
        found.transcripts += 1;
        found.total += hits.len();
        for (start, end) in hits {
            if found.hits.len() < limit {
                found.hits.push(Hit {
                    transcript: t.id.clone(),
                    start,
                    end,
                });
            }
        }
    }
    found
}

/// The hit with up to `around` chars either side, on one line: (before, hit, after).
pub fn context(t: &Transcript, hit: &Hit, around: usize) -> (String, String, String) {
    let one_line = |s: &str| s.replace('\n', " ");
    let before = t
        .slice(hit.start.saturating_sub(around), hit.start)
        .unwrap_or_default();
    let found = t.slice(hit.start, hit.end).unwrap_or_default();
    let end = (hit.end + around).min(t.char_len());
    let after = t.slice(hit.end, end).unwrap_or_default();
    (one_line(before), one_line(found), one_line(after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_and_unicode_queries_give_char_offsets() {
        let text = "Café CAFÉ café — the TEAM, the team";
        assert_eq!(hits_in(text, "café"), vec![(0, 4), (5, 9), (10, 14)]);
        assert_eq!(hits_in(text, "team"), vec![(21, 25), (31, 35)]);
        let chars: Vec<char> = text.chars().collect();
        let (s, e) = hits_in(text, "the team")[0];
        assert_eq!(chars[s..e].iter().collect::<String>(), "the TEAM");
        assert!(hits_in(text, "").is_empty());
        assert!(hits_in(text, "absent").is_empty());
    }
}
