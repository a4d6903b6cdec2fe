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
    fn sanitize_leaves_clean_text_borrowed() {
        assert!(matches!(
            sanitize_for_terminal("plain"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(sanitize_for_terminal("a\nb\u{1b}"), "a\u{FFFD}b\u{FFFD}");
    }
}
