//! Conversions between the three ways of pointing into a text:
//! - char offsets (Unicode scalar values): the only kind stored in project files;
//! - byte offsets: what Rust slicing needs;
//! - display columns: what the terminal needs (wide CJK characters and emoji take two).
//!
//! A [`TextIndex`] makes char -> byte conversion cheap on long texts by remembering the byte
//! offset of every [`CHECKPOINT`]th char, so a lookup walks at most that many chars.

use unicode_width::UnicodeWidthStr;

/// Distance in chars between remembered byte offsets.
pub const CHECKPOINT: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextIndex {
    char_len: usize,
    byte_len: usize,
    /// Byte offset of char `i * CHECKPOINT`; empty when the text is ASCII (chars = bytes).
    checkpoints: Vec<usize>,
}

impl TextIndex {
    pub fn new(text: &str) -> Self {
        if text.is_ascii() {
            return TextIndex {
                char_len: text.len(),
                byte_len: text.len(),
                checkpoints: Vec::new(),
            };
        }
        let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT + 1);
        let mut char_len = 0;
        for (byte, _) in text.char_indices() {
            if char_len % CHECKPOINT == 0 {
                checkpoints.push(byte);
            }
            char_len += 1;
        }
        TextIndex {
            char_len,
            byte_len: text.len(),
            checkpoints,
        }
    }

    /// Number of chars (Unicode scalar values) in the text.
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    fn is_ascii(&self) -> bool {
        self.checkpoints.is_empty()
    }

    /// Byte offset of char offset `char_offset`; `None` past the end. The end itself
    /// (`char_len`) maps to the byte length.
    pub fn char_to_byte(&self, text: &str, char_offset: usize) -> Option<usize> {
        if char_offset > self.char_len {
            return None;
        }
        if self.is_ascii() || char_offset == self.char_len {
            return Some(if self.is_ascii() {
                char_offset
            } else {
                self.byte_len
            });
        }
        let base = self.checkpoints[char_offset / CHECKPOINT];
        let skip = char_offset % CHECKPOINT;
        text[base..]
            .char_indices()
            .nth(skip)
            .map(|(byte, _)| base + byte)
    }

    /// Char offset of byte offset `byte_offset`, which must lie on a char boundary.
    pub fn byte_to_char(&self, text: &str, byte_offset: usize) -> Option<usize> {
        if byte_offset > self.byte_len || !text.is_char_boundary(byte_offset) {
            return None;
        }
        if self.is_ascii() {
            return Some(byte_offset);
        }
        let block = self.checkpoints.partition_point(|&b| b <= byte_offset) - 1;
        let base = self.checkpoints[block];
        Some(block * CHECKPOINT + text[base..byte_offset].chars().count())
    }

    /// The text between two char offsets, or `None` if the range is empty-inverted or out
    /// of bounds.
    pub fn slice<'t>(&self, text: &'t str, start: usize, end: usize) -> Option<&'t str> {
        if start > end {
            return None;
        }
        let from = self.char_to_byte(text, start)?;
        let to = self.char_to_byte(text, end)?;
        Some(&text[from..to])
    }
}

/// Display width of a string in terminal columns.
pub fn display_width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ascii_fast_path() {
        let text = "hello world";
        let index = TextIndex::new(text);
        assert_eq!(index.char_to_byte(text, 6), Some(6));
        assert_eq!(index.slice(text, 6, 11), Some("world"));
        assert_eq!(index.char_to_byte(text, 12), None);
    }

    #[test]
    fn multibyte_offsets() {
        let text = "café 👩‍⚕️ 医生";
        let index = TextIndex::new(text);
        assert_eq!(index.char_len(), text.chars().count());
        // "é" is 2 bytes, so char 4 (the space) starts at byte 5.
        assert_eq!(index.char_to_byte(text, 4), Some(5));
        assert_eq!(index.byte_to_char(text, 5), Some(4));
        assert_eq!(index.slice(text, 0, 4), Some("café"));
        assert_eq!(index.byte_to_char(text, 4), None, "inside the é");
        assert_eq!(index.slice(text, 3, 2), None);
    }

    #[test]
    fn display_width_counts_wide_chars_twice() {
        assert_eq!(display_width("ab"), 2);
        assert_eq!(display_width("医生"), 4);
    }

    proptest! {
        #[test]
        fn char_byte_round_trip(text in "\\PC{0,300}") {
            let index = TextIndex::new(&text);
            let expected: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
            prop_assert_eq!(index.char_len(), expected.len() - 1);
            for (ch, &byte) in expected.iter().enumerate() {
                prop_assert_eq!(index.char_to_byte(&text, ch), Some(byte));
                prop_assert_eq!(index.byte_to_char(&text, byte), Some(ch));
            }
            prop_assert_eq!(index.char_to_byte(&text, expected.len()), None);
        }

        #[test]
        fn slice_matches_char_iteration(text in "[a-zé医👩\u{200d}\n ]{0,200}", a in 0usize..210, b in 0usize..210) {
            let index = TextIndex::new(&text);
            let (start, end) = (a.min(b), a.max(b));
            let chars: Vec<char> = text.chars().collect();
            let expected = (end <= chars.len()).then(|| chars[start..end].iter().collect::<String>());
            prop_assert_eq!(index.slice(&text, start, end).map(str::to_owned), expected);
        }
    }
}
