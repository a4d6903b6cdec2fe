//! Word wrapping of a transcript for a given width, computed once per transcript and width,
//! so that drawing and cursor motion only look at the rows on screen.
//!
//! Rows break after whitespace where possible and never inside a grapheme cluster (an emoji
//! sequence or a letter with its accents stays whole). Widths are display columns as
//! unicode-width counts them, the same measure ratatui uses to draw, so wide CJK characters
//! and emoji keep highlights aligned.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// One screen row of wrapped text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// First char of the row (char offset in the transcript).
    pub start: usize,
    /// One past the last char drawn on the row (a line's newline is not part of any row).
    pub end: usize,
    /// Byte offsets matching `start` and `end`.
    pub byte_start: usize,
    pub byte_end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wrapped {
    pub width: usize,
    pub rows: Vec<Row>,
}

/// Display width of one grapheme as drawn: controls (never drawn raw) take one column.
pub fn grapheme_width(g: &str) -> usize {
    if g.chars().any(|c| c.is_control()) {
        1
    } else {
        g.width()
    }
}

impl Wrapped {
    /// Wraps `text` to `width` columns (at least 1).
    pub fn new(text: &str, width: usize) -> Wrapped {
        let width = width.max(1);
        let mut rows = Vec::with_capacity(text.len() / width.max(20) + 16);
        let mut char_at = 0usize;
        let mut byte_at = 0usize;
        for line in text.split('\n') {
            wrap_line(line, width, char_at, byte_at, &mut rows);
            char_at += line.chars().count() + 1;
            byte_at += line.len() + 1;
        }
        // A text ending in a newline has no row after it.
        if text.ends_with('\n') && rows.len() > 1 {
            rows.pop();
        }
        Wrapped { width, rows }
    }

    /// Index of the row showing char offset `at` (the last row for the end of the text).
    pub fn row_of(&self, at: usize) -> usize {
        self.rows
            .partition_point(|r| r.start <= at)
            .saturating_sub(1)
    }
}

fn wrap_line(line: &str, width: usize, char_base: usize, byte_base: usize, rows: &mut Vec<Row>) {
    if line.is_empty() {
        rows.push(Row {
            start: char_base,
            end: char_base,
            byte_start: byte_base,
            byte_end: byte_base,
        });
        return;
    }
    let mut row = Row {
        start: char_base,
        end: char_base,
        byte_start: byte_base,
        byte_end: byte_base,
    };
    // Columns used on the current row.
    let mut used = 0usize;
    // Just after the last whitespace on this row: (char, byte, columns used up to there).
    let mut after_space: Option<(usize, usize, usize)> = None;
    let mut chars = char_base;
    for (byte, g) in line.grapheme_indices(true) {
        let byte = byte_base + byte;
        let w = grapheme_width(g);
        if g.trim().is_empty() {
            // Whitespace never forces a break: it may hang past the edge.
            used += w;
            chars += g.chars().count();
            after_space = Some((chars, byte + g.len(), used));
            continue;
        }
        if used + w > width && chars > row.start {
            if let Some((c, b, cols)) = after_space.take() {
                rows.push(Row {
                    end: c,
                    byte_end: b,
                    ..row
                });
                row = Row {
                    start: c,
                    end: c,
                    byte_start: b,
                    byte_end: b,
                };
                used -= cols;
            }
            // A word longer than the row is cut where it reaches the edge.
            if used + w > width && chars > row.start {
                rows.push(Row {
                    end: chars,
                    byte_end: byte,
                    ..row
                });
                row = Row {
                    start: chars,
                    end: chars,
                    byte_start: byte,
                    byte_end: byte,
                };
                used = 0;
            }
        }
        used += w;
        chars += g.chars().count();
    }
    rows.push(Row {
        end: chars,
        byte_end: byte_base + line.len(),
        ..row
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts(text: &str, width: usize) -> Vec<String> {
        Wrapped::new(text, width)
            .rows
            .iter()
            .map(|r| text[r.byte_start..r.byte_end].to_string())
            .collect()
    }

    #[test]
    fn breaks_after_spaces() {
        assert_eq!(
            texts("the quick brown fox", 10),
            vec!["the quick ", "brown fox"]
        );
        assert_eq!(texts("abcdefghijkl", 5), vec!["abcde", "fghij", "kl"]);
    }

    #[test]
    fn keeps_newlines_and_blank_lines() {
        assert_eq!(texts("a\n\nb\n", 10), vec!["a", "", "b"]);
        let w = Wrapped::new("a\n\nb\n", 10);
        assert_eq!(w.rows[2].start, 3);
        assert_eq!(w.row_of(3), 2);
        assert_eq!(w.row_of(1), 0, "the newline belongs to its line's last row");
    }

    #[test]
    fn wide_characters_fit_their_columns() {
        assert_eq!(texts("医生医生医", 4), vec!["医生", "医生", "医"]);
        assert_eq!(texts("ab 医生", 5), vec!["ab ", "医生"]);
        // An emoji ZWJ sequence is one grapheme and is never split.
        assert_eq!(texts("👩‍⚕️👩‍⚕️x", 4), vec!["👩‍⚕️👩‍⚕️", "x"]);
    }

    proptest! {
        #[test]
        fn rows_cover_the_text_in_order_within_the_width(text in "[a-z 医👍\\n]{0,200}", width in 2usize..30) {
            let wrapped = Wrapped::new(&text, width);
            let mut expected_start = 0usize;
            let mut rebuilt = String::new();
            for (i, row) in wrapped.rows.iter().enumerate() {
                let row_text = &text[row.byte_start..row.byte_end];
                prop_assert_eq!(row.end - row.start, row_text.chars().count());
                prop_assert!(row.start == expected_start || row.start == expected_start + 1);
                if row.start == expected_start + 1 {
                    rebuilt.push('\n');
                } else if i > 0 {
                    prop_assert!(row.start == expected_start);
                }
                // Only hanging spaces may pass the width.
                prop_assert!(row_text.trim_end().width() <= width, "{:?} wider than {}", row_text, width);
                rebuilt.push_str(row_text);
                expected_start = row.end;
            }
            let trimmed = text.strip_suffix('\n').unwrap_or(&text);
            prop_assert_eq!(rebuilt, trimmed);
        }
    }
}
