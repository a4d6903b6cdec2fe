//! Transcript text from a PDF's text layer. `pdf-extract` gives each glyph with its place on
//! the page; this module turns those into reading order: lines, columns (left column before
//! the right one), paragraphs (by spacing, indentation, size and speaker labels), words
//! hyphenated at a line end joined again, and the headers and footers that repeat on every
//! page (and bare page numbers) left out. Where each page starts is returned too, so a quote
//! can cite its page. A PDF with no text layer (a scan) is refused.

use crate::text::turns::split_speaker;
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};
use std::cell::Cell;

/// Marks where a page starts in the text handed to normalisation; a Unicode noncharacter, so
/// never text of the document (any found in the PDF are dropped).
pub const PAGE_START: char = '\u{FDD0}';

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("not a readable PDF ({0})")]
    Unreadable(String),
    #[error("the PDF is password-protected; save an unprotected copy and import that")]
    Encrypted,
    #[error(
        "the PDF has no text layer on any of its {pages} page(s): it looks like a scan. Run it through OCR (for example `ocrmypdf in.pdf out.pdf`) and import the result"
    )]
    NoTextLayer { pages: usize },
    #[error("its text is larger than the {0} bytes allowed")]
    TooLarge(u64),
    #[error("its compressed content expands beyond the {0} bytes allowed (a PDF bomb?)")]
    Expands(u64),
}

/// How many bytes a PDF's compressed content streams may expand to, all together: as for
/// the other archives thematic reads (a .docx, .odt or .qdpx), a gigabyte.
pub const MAX_EXPANDED: u64 = 1 << 30;

/// Refuses a PDF whose Flate-compressed streams would expand beyond `max` bytes all
/// together, before lopdf reads it (it inflates object streams while loading) or pdf-extract
/// inflates any content stream whole. Every `stream` keyword's data is inflated into nothing,
/// a piece at a time, stopping at `max`; data that is not zlib inflates to nothing.
fn check_expansion(bytes: &[u8], max: u64) -> Result<(), PdfError> {
    use std::io::Read;
    let mut total: u64 = 0;
    for at in memchr::memmem::find_iter(bytes, b"stream") {
        let rest = &bytes[at + b"stream".len()..];
        let data = match rest {
            [b'\r', b'\n', data @ ..] | [b'\n', data @ ..] => data,
            _ => continue,
        };
        let left = max.saturating_sub(total);
        let mut inflated = flate2::read::ZlibDecoder::new(data).take(left + 1);
        // Counted as far as it inflates: what does not is pdf-extract's to report.
        let mut sink = CountingSink(0);
        let _ = std::io::copy(&mut inflated, &mut sink);
        total += sink.0;
        if total > max {
            return Err(PdfError::Expands(max));
        }
    }
    Ok(())
}

/// Counts what is written to it, and keeps nothing.
struct CountingSink(u64);

impl std::io::Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One glyph, positioned with y growing down the page.
#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    end: f64,
    size: f64,
    space_before: bool,
    text: String,
}

/// A run of glyphs on one baseline: a line, or a line's part in one column.
#[derive(Debug, Clone)]
struct Fragment {
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    text: String,
    /// The left and right edges of the column the fragment is in.
    column: (f64, f64),
}

#[derive(Default)]
struct Collector {
    pages: Vec<Vec<Glyph>>,
    /// PDF's y grows up the page; glyphs are kept with y growing down.
    page_height: f64,
    pending_space: bool,
    bytes: u64,
    limit: u64,
    over_limit: bool,
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.page_height = media_box.ury - media_box.lly;
        self.pages.push(Vec::new());
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        let text: String = text.chars().filter(|c| *c != PAGE_START).collect();
        if text.trim().is_empty() {
            self.pending_space = true;
            return Ok(());
        }
        self.bytes += text.len() as u64;
        if self.bytes > self.limit {
            self.over_limit = true;
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        // The font size as the text matrix scales it (the side of a square of the same
        // area), as pdf-extract's own plain-text output measures it.
        let scaled_x = font_size * (trm.m11 + trm.m21);
        let scaled_y = font_size * (trm.m12 + trm.m22);
        let size = (scaled_x * scaled_y).abs().sqrt().max(0.1);
        let glyph = Glyph {
            x: trm.m31,
            y: self.page_height - trm.m32,
            end: trm.m31 + width * size,
            size,
            space_before: std::mem::take(&mut self.pending_space),
            text,
        };
        if let Some(page) = self.pages.last_mut() {
            page.push(glyph);
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

thread_local! {
    /// Set while pdf-extract runs, so that a panic it raises on a malformed file is reported
    /// as an import error without the panic message on the terminal.
    static EXTRACTING: Cell<bool> = const { Cell::new(false) };
}

fn quiet_panics_while_extracting() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !EXTRACTING.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// The text of a PDF, with a [`PAGE_START`] before each page's text, paragraphs separated
/// by blank lines. `limit` bounds the text's size in bytes.
pub fn pdf_text(bytes: &[u8], limit: u64) -> Result<String, PdfError> {
    let pages = extract_glyphs(bytes, limit)?;
    let page_count = pages.len();
    if pages.iter().all(Vec::is_empty) {
        return Err(PdfError::NoTextLayer { pages: page_count });
    }
    // Headers and footers are found by their place on the page, top to bottom, before the
    // columns are told apart (a centred footer would otherwise widen a column).
    let mut pages: Vec<Vec<Fragment>> = pages
        .into_iter()
        .map(|glyphs| top_to_bottom(fragments(glyphs)))
        .collect();
    drop_page_furniture(&mut pages);
    let ordered: Vec<Vec<Fragment>> = pages.into_iter().map(reading_order).collect();
    Ok(paragraphs(&ordered))
}

fn extract_glyphs(bytes: &[u8], limit: u64) -> Result<Vec<Vec<Glyph>>, PdfError> {
    quiet_panics_while_extracting();
    EXTRACTING.with(|e| e.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check_expansion(bytes, MAX_EXPANDED)?;
        let mut doc = pdf_extract::Document::load_mem(bytes)
            .map_err(|e| PdfError::Unreadable(e.to_string()))?;
        if doc.is_encrypted() && doc.decrypt("").is_err() {
            return Err(PdfError::Encrypted);
        }
        let mut collector = Collector {
            limit,
            ..Collector::default()
        };
        let outcome = pdf_extract::output_doc(&doc, &mut collector);
        if collector.over_limit {
            return Err(PdfError::TooLarge(limit));
        }
        outcome.map_err(|e| PdfError::Unreadable(e.to_string()))?;
        Ok(collector.pages)
    }));
    EXTRACTING.with(|e| e.set(false));
    result.unwrap_or_else(|_| Err(PdfError::Unreadable("its content could not be read".into())))
}

/// Glyphs (in drawing order) into fragments: a new fragment where the baseline changes, the
/// pen moves back, or a gap wider than two em (a column gutter) opens.
fn fragments(glyphs: Vec<Glyph>) -> Vec<Fragment> {
    let mut out: Vec<Fragment> = Vec::new();
    for g in glyphs {
        if let Some(last) = out.last_mut() {
            let same_line = (g.y - last.y).abs() < 0.5 * g.size.max(last.size);
            let gap = g.x - last.x1;
            if same_line && gap > -0.5 * g.size && gap < 2.0 * g.size {
                if (g.space_before || gap > 0.15 * g.size) && !last.text.ends_with(' ') {
                    last.text.push(' ');
                }
                last.text.push_str(&g.text);
                last.x1 = last.x1.max(g.end);
                continue;
            }
        }
        out.push(Fragment {
            x0: g.x,
            x1: g.end,
            y: g.y,
            size: g.size,
            text: g.text,
            column: (0.0, 0.0),
        });
    }
    out.retain(|f| !f.text.trim().is_empty());
    out
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied()
}

/// Rows of fragments top to bottom (a row: baselines within half the usual size), each row
/// left to right.
fn top_to_bottom(mut frags: Vec<Fragment>) -> Vec<Fragment> {
    let size = median(frags.iter().map(|f| f.size).collect()).unwrap_or(10.0);
    let row = |f: &Fragment| (f.y / (0.5 * size)).round() as i64;
    frags.sort_by(|a, b| row(a).cmp(&row(b)).then(a.x0.total_cmp(&b.x0)));
    frags
}

/// Orders a page's fragments: top to bottom, and on a page set in two columns, the left
/// column before the right, with lines that cross the gutter (a title) where they stand.
fn reading_order(frags: Vec<Fragment>) -> Vec<Fragment> {
    if frags.is_empty() {
        return frags;
    }
    let size = median(frags.iter().map(|f| f.size).collect()).unwrap_or(10.0);
    let row = |f: &Fragment| (f.y / (0.5 * size)).round() as i64;
    let left = frags.iter().map(|f| f.x0).fold(f64::INFINITY, f64::min);
    let right = frags.iter().map(|f| f.x1).fold(f64::NEG_INFINITY, f64::max);
    // A column's edges are its usual left margin and its widest line, so that an indented
    // first line shows.
    let set_column = |fs: &mut [Fragment]| {
        let x0 = median(fs.iter().map(|f| f.x0).collect()).unwrap_or(0.0);
        let x1 = fs.iter().map(|f| f.x1).fold(f64::NEG_INFINITY, f64::max);
        for f in fs {
            f.column = (x0, x1);
        }
    };
    let Some(gutter) = find_gutter(&frags, left, right) else {
        let mut frags = top_to_bottom(frags);
        set_column(&mut frags);
        return frags;
    };
    let (mut lefts, rest): (Vec<_>, Vec<_>) = frags.into_iter().partition(|f| f.x1 <= gutter);
    let (mut rights, mut spans): (Vec<_>, Vec<_>) = rest.into_iter().partition(|f| f.x0 >= gutter);
    let by_row = |a: &Fragment, b: &Fragment| row(a).cmp(&row(b)).then(a.x0.total_cmp(&b.x0));
    lefts.sort_by(by_row);
    rights.sort_by(by_row);
    spans.sort_by(by_row);
    set_column(&mut lefts);
    set_column(&mut rights);
    set_column(&mut spans);
    let columns_top = lefts
        .iter()
        .chain(&rights)
        .map(|f| f.y)
        .fold(f64::INFINITY, f64::min);
    let (above, below): (Vec<_>, Vec<_>) = spans.into_iter().partition(|f| f.y < columns_top);
    above
        .into_iter()
        .chain(lefts)
        .chain(rights)
        .chain(below)
        .collect()
}

/// An x position between two columns: no fragment but a few crossing lines (titles) spans
/// it, and at least three lines lie on each side. The one with the most lines on its
/// poorer side wins.
fn find_gutter(frags: &[Fragment], left: f64, right: f64) -> Option<f64> {
    let width = right - left;
    let mut best: Option<(usize, f64)> = None;
    for f in frags {
        let candidate = f.x1 + 0.5;
        if candidate < left + 0.2 * width || candidate > left + 0.8 * width {
            continue;
        }
        let on_left = frags.iter().filter(|g| g.x1 <= candidate).count();
        let on_right = frags.iter().filter(|g| g.x0 >= candidate).count();
        let crossing = frags.len() - on_left - on_right;
        let poorer = on_left.min(on_right);
        if poorer >= 3 && crossing * 5 <= frags.len() && best.is_none_or(|(n, _)| poorer > n) {
            best = Some((poorer, candidate));
        }
    }
    best.map(|(_, x)| x)
}

/// A line's text with digits as `#`, so "Page 3" and "Page 4" compare equal.
fn furniture_key(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

/// "7", "- 7 -", "Page 7", "page 7 of 12", "7/12".
fn is_page_number(text: &str) -> bool {
    let key = furniture_key(text);
    let key = key.trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace());
    let key = key.strip_prefix("page").unwrap_or(key).trim();
    let key = key.replace("of", "/").replace(' ', "");
    !key.is_empty() && key.contains('#') && key.chars().all(|c| c == '#' || c == '/')
}

/// Leaves out, at the top and bottom of each page, lines that recur there on at least half
/// of the pages (two at least) when digits are ignored (running headers, "Page 3 of 9"), and
/// bare page numbers.
fn drop_page_furniture(pages: &mut [Vec<Fragment>]) {
    use std::collections::HashMap;
    let edge_keys = |pages: &[Vec<Fragment>], top: bool| {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for page in pages {
            let line = if top { page.first() } else { page.last() };
            if let Some(line) = line {
                *counts.entry(furniture_key(&line.text)).or_default() += 1;
            }
        }
        counts
    };
    let page_count = pages.len();
    let repeats = |count: usize| page_count >= 2 && count >= 2 && count * 2 >= page_count;
    for top in [true, false] {
        // Up to three lines deep: a header may be a title line and a date line.
        for _ in 0..3 {
            let counts = edge_keys(pages, top);
            let mut removed = false;
            for page in pages.iter_mut() {
                let line = if top { page.first() } else { page.last() };
                let Some(line) = line else { continue };
                let key = furniture_key(&line.text);
                if is_page_number(&line.text) || counts.get(&key).is_some_and(|&n| repeats(n)) {
                    if top {
                        page.remove(0);
                    } else {
                        page.pop();
                    }
                    removed = true;
                }
            }
            if !removed {
                break;
            }
        }
    }
}

/// Lines into paragraphs. A paragraph ends at a wider gap than the usual line spacing, a
/// change of font size, an indented first line, a speaker label, or a short last line before
/// a column or page break. A word hyphenated at a line end is joined again when the next line
/// goes on in lower case.
fn paragraphs(pages: &[Vec<Fragment>]) -> String {
    let spacing = median(
        pages
            .iter()
            .flat_map(|p| p.windows(2))
            .map(|w| w[1].y - w[0].y)
            .filter(|dy| *dy > 0.0)
            .collect(),
    )
    .unwrap_or(12.0);
    let mut out = String::new();
    let mut previous: Option<&Fragment> = None;
    for page in pages {
        let mut page_marked = false;
        for line in page {
            let text = line.text.trim();
            let breaks = previous.is_none_or(|p| paragraph_breaks(p, line, spacing));
            if !out.is_empty() {
                if breaks {
                    out.push_str("\n\n");
                } else if joins_hyphenated(&out, text) {
                    out.pop();
                } else if !ends_with_hard_hyphen(&out) {
                    out.push(' ');
                }
            }
            if !page_marked {
                out.push(PAGE_START);
                page_marked = true;
            }
            out.push_str(text);
            previous = Some(line);
        }
        if !page_marked {
            out.push(PAGE_START);
        }
    }
    out
}

fn paragraph_breaks(previous: &Fragment, line: &Fragment, spacing: f64) -> bool {
    let size_changed = (line.size - previous.size).abs() > 0.2 * previous.size;
    let indented = line.x0 > line.column.0 + 1.0 * line.size;
    let labelled = split_speaker(line.text.trim()).is_some();
    let same_column = previous.column == line.column && line.y > previous.y;
    let wide_gap = same_column && line.y - previous.y > 1.4 * spacing;
    let short_last = !same_column
        && previous.x1 < previous.column.1 - 0.15 * (previous.column.1 - previous.column.0);
    size_changed || indented || labelled || wide_gap || short_last
}

/// "COVID-" before "19": the hyphen is part of the word, so no space follows it.
fn ends_with_hard_hyphen(text: &str) -> bool {
    let mut end = text.chars().rev();
    end.next() == Some('-') && end.next().is_some_and(char::is_alphanumeric)
}

/// Whether `text` ending in "-" after a letter continues as `next`'s first word (starting in
/// lower case), so the hyphen only marked a line break.
fn joins_hyphenated(text: &str, next: &str) -> bool {
    let mut end = text.chars().rev();
    end.next() == Some('-')
        && end.next().is_some_and(char::is_alphabetic)
        && next.chars().next().is_some_and(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    #[test]
    fn streams_that_expand_too_far_are_refused_before_they_are_read() {
        use std::io::Write;
        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        zlib.write_all(&vec![b' '; 3 << 20]).unwrap();
        let compressed = zlib.finish().unwrap();
        assert!(
            compressed.len() < 64 << 10,
            "3 MB of spaces compress to a few KB"
        );
        let mut pdf = b"%PDF-1.5\n1 0 obj\n<< /Filter /FlateDecode >>\nstream\r\n".to_vec();
        pdf.extend_from_slice(&compressed);
        pdf.extend_from_slice(b"\nendstream\nendobj\n");
        assert!(matches!(
            check_expansion(&pdf, 1 << 20),
            Err(PdfError::Expands(_))
        ));
        assert!(check_expansion(&pdf, 4 << 20).is_ok());
        // Twice the stream: the two together are counted.
        let twice = [pdf.clone(), pdf].concat();
        assert!(matches!(
            check_expansion(&twice, 4 << 20),
            Err(PdfError::Expands(_))
        ));
    }

    use super::*;

    fn frag(x0: f64, x1: f64, y: f64, text: &str) -> Fragment {
        Fragment {
            x0,
            x1,
            y,
            size: 10.0,
            text: text.into(),
            column: (0.0, 0.0),
        }
    }

    #[test]
    fn page_numbers_are_recognised() {
        for yes in ["7", "- 7 -", "Page 7", "page 7 of 12", "7/12"] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in ["Interviewer: 7 people", "Page", "seven", ""] {
            assert!(!is_page_number(no), "{no}");
        }
    }

    #[test]
    fn hyphenation_is_undone_only_before_lower_case() {
        assert!(joins_hyphenated("the organi-", "sation was"));
        assert!(!joins_hyphenated("the COVID-", "19 ward"));
        assert!(!joins_hyphenated("north-", "East"));
        assert!(!joins_hyphenated("a -", "b"));
    }

    #[test]
    fn two_columns_read_left_then_right_with_the_title_first() {
        let mut frags = vec![frag(50.0, 500.0, 40.0, "Title across")];
        for i in 0..4 {
            let y = 80.0 + 12.0 * i as f64;
            frags.push(frag(50.0, 250.0, y, &format!("L{i}")));
            frags.push(frag(300.0, 500.0, y, &format!("R{i}")));
        }
        let order: Vec<String> = reading_order(frags).into_iter().map(|f| f.text).collect();
        assert_eq!(
            order,
            [
                "Title across",
                "L0",
                "L1",
                "L2",
                "L3",
                "R0",
                "R1",
                "R2",
                "R3"
            ]
        );
    }
}
