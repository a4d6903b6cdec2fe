//! Normalisation applied once, on import, so that stored transcript text is canonical:
//! LF line endings, Unicode NFC, tabs expanded, no byte-order mark, and no character that a
//! terminal would interpret (C0/C1 controls, DEL, bidirectional overrides).

use unicode_normalization::UnicodeNormalization;

/// Columns between tab stops when tabs are expanded on import.
pub const TAB_WIDTH: usize = 4;

/// The character that stands in for a removed control character. One character replaces one
/// character, so the replacement never shifts later offsets by more than the removal would.
pub const REPLACEMENT: char = '\u{FFFD}';

/// Normalises imported text: strips a BOM, turns CRLF and lone CR into LF, composes to NFC,
/// expands tabs to the next multiple of [`TAB_WIDTH`] columns, and replaces control
/// characters (other than LF) with U+FFFD.
pub fn normalize_import(raw: &str) -> String {
    let without_bom = raw.strip_prefix('\u{FEFF}').unwrap_or(raw);
    let lf = without_bom.replace("\r\n", "\n").replace('\r', "\n");
    let nfc: String = lf.nfc().collect();
    let mut out = String::with_capacity(nfc.len());
    let mut column = 0usize;
    for ch in nfc.chars() {
        match ch {
            '\n' => {
                out.push('\n');
                column = 0;
            }
            '\t' => {
                let spaces = TAB_WIDTH - column % TAB_WIDTH;
                out.extend(std::iter::repeat_n(' ', spaces));
                column += spaces;
            }
            c if is_unsafe_control(c) => {
                out.push(REPLACEMENT);
                column += 1;
            }
            c => {
                out.push(c);
                column += 1;
            }
        }
    }
    out
}

/// Text normalised as [`normalize_import`] does, with a map from positions in the raw text
/// to positions in the normalised one: what an importer of coded text (REFI-QDA) needs to
/// carry selections across CRLF, NFC composition, tab expansion and control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapped {
    pub text: String,
    /// For each raw char, its char index in `text`; for a grapheme cluster that
    /// normalisation changed (CRLF, a letter and its accent, a tab), only the cluster's
    /// first char has one and the others hold `usize::MAX`. One more entry than raw chars:
    /// the end of the text.
    starts: Vec<usize>,
}

impl Mapped {
    /// The normalised position for a raw start position: a position inside a grapheme
    /// cluster (say, between a letter and its accent) moves back to the cluster's start.
    pub fn start_of(&self, raw: usize) -> Option<usize> {
        let raw = raw.min(self.starts.len().checked_sub(1)?);
        self.starts[..=raw]
            .iter()
            .rev()
            .find(|&&p| p != usize::MAX)
            .copied()
    }

    /// The normalised position for a raw end position: inside a cluster moves forward.
    pub fn end_of(&self, raw: usize) -> Option<usize> {
        self.starts
            .get(raw..)?
            .iter()
            .find(|&&p| p != usize::MAX)
            .copied()
    }
}

/// Normalises `raw` (which must not start with a BOM; strip it first) grapheme cluster by
/// grapheme cluster, recording where each cluster lands. NFC never composes across a
/// grapheme cluster boundary, so the result is the text [`normalize_import`] gives.
pub fn normalize_mapped(raw: &str) -> Mapped {
    use unicode_segmentation::UnicodeSegmentation;
    let mut text = String::with_capacity(raw.len());
    let mut starts = Vec::with_capacity(raw.len() + 1);
    let mut out_chars = 0usize;
    let mut column = 0usize;
    for cluster in raw.graphemes(true) {
        let normalised: String = if cluster == "\r\n" || cluster == "\r" {
            "\n".into()
        } else {
            cluster.nfc().collect()
        };
        let mut out = Vec::new();
        for ch in normalised.chars() {
            let (piece, width) = normalise_char(ch, column);
            out.extend(piece);
            column = width;
        }
        if out.iter().copied().eq(cluster.chars()) {
            // Unchanged: every position inside the cluster keeps its place.
            starts.extend((0..out.len()).map(|k| out_chars + k));
        } else {
            starts.push(out_chars);
            starts.extend(std::iter::repeat_n(usize::MAX, cluster.chars().count() - 1));
        }
        out_chars += out.len();
        text.extend(out);
    }
    starts.push(out_chars);
    Mapped { text, starts }
}

/// One char of NFC text as stored, and the column after it.
fn normalise_char(ch: char, column: usize) -> (Vec<char>, usize) {
    match ch {
        '\n' => (vec!['\n'], 0),
        '\t' => {
            let spaces = TAB_WIDTH - column % TAB_WIDTH;
            (vec![' '; spaces], column + spaces)
        }
        c if is_unsafe_control(c) => (vec![REPLACEMENT], column + 1),
        c => (vec![c], column + 1),
    }
}

/// True for characters that must never reach a terminal: C0 controls other than LF, DEL, C1
/// controls (which include CSI, U+009B), and the bidirectional embedding, override and
/// isolate controls, which can make displayed text differ from stored text.
pub fn is_unsafe_control(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{9}' | '\u{B}'..='\u{1F}' | '\u{7F}'..='\u{9F}'
        | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Makes a piece of text safe to hand to the terminal: every unsafe control character
/// (including LF, which a caller drawing one line never wants) becomes U+FFFD. Used when
/// drawing text that did not come through [`normalize_import`], such as names from files.
pub fn sanitize_for_terminal(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(|c| c == '\n' || is_unsafe_control(c)) {
        text.chars()
            .map(|c| {
                if c == '\n' || is_unsafe_control(c) {
                    REPLACEMENT
                } else {
                    c
                }
            })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_bom_and_normalises_line_endings() {
        assert_eq!(normalize_import("\u{FEFF}a\r\nb\rc\n"), "a\nb\nc\n");
    }

    #[test]
    fn composes_to_nfc() {
        // "e" followed by a combining acute accent becomes the single precomposed character.
        assert_eq!(normalize_import("cafe\u{301}"), "caf\u{e9}");
    }

    #[test]
    fn expands_tabs_to_tab_stops() {
        assert_eq!(normalize_import("I:\thi\n\tx"), "I:  hi\n    x");
        assert_eq!(normalize_import("abcd\tx"), "abcd    x");
    }

    #[test]
    fn replaces_escape_sequences_and_c1_controls() {
        let out = normalize_import("a\u{1b}[31mred\u{9b}2J\u{7f}\u{202E}z");
        assert!(!out.chars().any(is_unsafe_control));
        assert_eq!(out, "a\u{FFFD}[31mred\u{FFFD}2J\u{FFFD}\u{FFFD}z");
    }

    #[test]
    fn keeps_emoji_sequences_and_cjk() {
        let text = "👩‍⚕️ 医生 said ✓";
        assert_eq!(normalize_import(text), text);
    }

    #[test]
    fn mapped_positions_follow_crlf_composition_and_tabs() {
        let raw = "a\r\nb\tcafe\u{301} x";
        let mapped = normalize_mapped(raw);
        assert_eq!(mapped.text, normalize_import(raw));
        assert_eq!(mapped.text, "a\nb   caf\u{e9} x");
        // "b" is raw char 3 (after a, CR, LF) and normalised char 2.
        assert_eq!(mapped.start_of(3), Some(2));
        // The LF of the CRLF pair lies inside its cluster: starts move back, ends forward.
        assert_eq!(mapped.start_of(2), Some(1));
        assert_eq!(mapped.end_of(2), Some(2));
        // The combining accent (raw 9) belongs to the "e" cluster (raw 8).
        assert_eq!(mapped.start_of(9), Some(9));
        assert_eq!(mapped.end_of(9), Some(10));
        assert_eq!(
            mapped.end_of(raw.chars().count()),
            Some(mapped.text.chars().count())
        );
        assert_eq!(mapped.end_of(99), None);
    }

    proptest::proptest! {
        #[test]
        fn mapped_text_is_the_imported_text(raw in "[a\r\n\t\u{301}\u{65}\u{1100}\u{1161}\u{11a8}é👩\u{200d}\u{1b} ]{0,40}") {
            proptest::prop_assert_eq!(normalize_mapped(&raw).text, normalize_import(&raw));
        }
    }

    #[test]
    fn sanitize_leaves_clean_text_borrowed() {
        assert!(matches!(
            sanitize_for_terminal("plain"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(sanitize_for_terminal("a\nb\u{1b}"), "a\u{FFFD}b\u{FFFD}");
    }
}
