//! Words, sentences and paragraphs around a position, in byte offsets of a text slice.
//! Only the text near the position is scanned, so the cost does not grow with the transcript.

use unicode_segmentation::UnicodeSegmentation;

/// Byte range of the paragraph containing `byte`: a maximal run of non-blank lines.
pub fn paragraph_bounds(text: &str, byte: usize) -> (usize, usize) {
    let byte = byte.min(text.len());
    let start = text[..byte].rfind("\n\n").map_or(0, |i| i + 2);
    let end = text[byte..].find("\n\n").map_or(text.len(), |i| byte + i);
    (start, end.max(start))
}

/// Byte range of the sentence containing `byte`, searched within its paragraph. Trailing
/// whitespace is not part of the sentence.
pub fn sentence_bounds(text: &str, byte: usize) -> (usize, usize) {
    let (para_start, para_end) = paragraph_bounds(text, byte);
    let paragraph = &text[para_start..para_end];
    let local = byte.saturating_sub(para_start);
    let mut found = (para_start, para_end);
    for (offset, sentence) in paragraph.split_sentence_bound_indices() {
        if local < offset + sentence.len() || offset + sentence.len() == paragraph.len() {
            let trimmed = sentence.trim_end();
            found = (para_start + offset, para_start + offset + trimmed.len());
            break;
        }
    }
    found
}

/// Byte offset of the start of the next word after `byte`, or the text's end.
pub fn next_word_start(text: &str, byte: usize) -> usize {
    let byte = byte.min(text.len());
    text[byte..]
        .split_word_bound_indices()
        .skip(1)
        .find(|(_, w)| is_word(w))
        .map_or(text.len(), |(i, _)| byte + i)
}

/// Byte offset of the start of the word before `byte` (or of the word `byte` is inside).
pub fn prev_word_start(text: &str, byte: usize) -> usize {
    let byte = byte.min(text.len());
    text[..byte]
        .split_word_bound_indices()
        .rev()
        .find(|(_, w)| is_word(w))
        .map_or(0, |(i, _)| i)
}

/// How far either side of a position a word is looked for: words longer than this (a URL, a
/// run of characters with no spaces) are cut, so that snapping stays cheap on any text.
const WORD_WINDOW: usize = 256;

/// Byte range of the word (letters or digits, as Unicode word boundaries have it, so
/// "don't" and "co-worker's" parts are found as a reader would) containing `byte`, if any.
pub fn word_at(text: &str, byte: usize) -> Option<(usize, usize)> {
    if byte >= text.len() || !text.is_char_boundary(byte) {
        return None;
    }
    // Words never cross whitespace: scan only the run of non-space text around `byte`.
    let mut from = byte.saturating_sub(WORD_WINDOW);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let from = text[from..byte]
        .rfind(char::is_whitespace)
        .map_or(from, |i| {
            from + i + text[from + i..].chars().next().map_or(1, char::len_utf8)
        });
    let mut to = (byte + WORD_WINDOW).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let to = text[byte..to]
        .find(char::is_whitespace)
        .map_or(to, |i| byte + i);
    text[from..to]
        .split_word_bound_indices()
        .map(|(i, w)| (from + i, from + i + w.len(), w))
        .find(|&(s, e, _)| s <= byte && byte < e)
        .filter(|(_, _, w)| is_word(w))
        .map(|(s, e, _)| (s, e))
}

/// Byte offset just past the end of the word the end-of-word motion goes to from `byte`:
/// this word's end if `byte` is before its last character, else the next word's end; the
/// text's end if there is none.
pub fn next_word_end(text: &str, byte: usize) -> usize {
    let byte = byte.min(text.len());
    let past = text[byte..]
        .chars()
        .next()
        .map_or(text.len(), |c| byte + c.len_utf8());
    let mut at = byte;
    while at < text.len() {
        if let Some((_, end)) = word_at(text, at)
            && end > past
        {
            return end;
        }
        at = next_word_start(text, at);
        if at >= text.len() {
            break;
        }
        if let Some((_, end)) = word_at(text, at) {
            return end;
        }
    }
    text.len()
}

fn is_word(segment: &str) -> bool {
    segment.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Participant 1: We met. It was fine!\nReally.\n\nInterviewer: Why?";

    #[test]
    fn paragraphs_are_separated_by_blank_lines() {
        let (s, e) = paragraph_bounds(TEXT, 3);
        assert_eq!(&TEXT[s..e], "Participant 1: We met. It was fine!\nReally.");
        let at = TEXT.find("Why").unwrap();
        let (s, e) = paragraph_bounds(TEXT, at);
        assert_eq!(&TEXT[s..e], "Interviewer: Why?");
    }

    #[test]
    fn sentence_around_a_position() {
        let at = TEXT.find("was").unwrap();
        let (s, e) = sentence_bounds(TEXT, at);
        assert_eq!(&TEXT[s..e], "It was fine!");
    }

    #[test]
    fn word_motions_skip_punctuation_and_spaces() {
        let at = TEXT.find("met").unwrap();
        let next = next_word_start(TEXT, at);
        assert_eq!(&TEXT[next..next + 2], "It");
        assert_eq!(prev_word_start(TEXT, next), at);
        assert_eq!(prev_word_start(TEXT, at + 1), at);
        assert_eq!(next_word_start("end", 1), 3);
    }

    #[test]
    fn the_word_around_a_position() {
        let text = "It's the nice example, isn't it? 医生 ok";
        let word = |needle: &str, skip: usize| {
            word_at(text, text.find(needle).unwrap() + skip).map(|(s, e)| &text[s..e])
        };
        assert_eq!(word("nice", 2), Some("nice"));
        assert_eq!(word("It's", 3), Some("It's"), "an apostrophe stays inside");
        assert_eq!(word("example", 6), Some("example"));
        assert_eq!(word(", isn't", 0), None, "punctuation is no word");
        assert_eq!(word(" nice", 0), None, "nor is a space");
        assert!(word("医", 0).is_some());
        assert_eq!(word_at(text, text.len()), None);
    }

    #[test]
    fn end_of_word_motion() {
        let text = "the nice example.";
        let end = |from: usize| next_word_end(text, from);
        assert_eq!(&text[..end(0)], "the");
        assert_eq!(
            &text[..end(2)],
            "the nice",
            "from a word's last letter: the next"
        );
        assert_eq!(&text[..end(3)], "the nice");
        assert_eq!(&text[..end(9)], "the nice example");
        assert_eq!(end(16), text.len());
    }
}
