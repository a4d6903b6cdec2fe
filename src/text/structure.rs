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
}
