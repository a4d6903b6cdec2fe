//! The text of an HTML page (.html, .htm), as web transcription tools export them: parsed
//! with `scraper` (html5ever, the browsers' parsing algorithm, so broken markup reads as a
//! browser would show it). Block elements (paragraphs, headings, list items, table rows...)
//! become blank-line separated blocks, `<br>` a line break; white space is collapsed as a
//! browser does except in `<pre>`; the head, scripts, styles and templates are left out.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

const BLOCKS: [&str; 33] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "tr",
    "ul",
];

const HIDDEN: [&str; 10] = [
    "head", "script", "style", "noscript", "template", "title", "svg", "math", "iframe", "object",
];

/// Deepest element nesting accepted. The parser's time grows with the square of the depth,
/// so a hostile file of nested elements could take hours; real pages stay far below this.
pub const MAX_DEPTH: usize = 3_000;

/// Elements that need no end tag (void, or ended by the next of their kind), left out when
/// counting the nesting depth.
const UNCOUNTED: [&str; 29] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody",
    "tfoot", "colgroup", "html", "head", "body",
];

/// Whether the tags nest deeper than `limit`, counted from the source before parsing.
fn nests_deeper_than(source: &str, limit: usize) -> bool {
    let mut depth = 0usize;
    for (at, _) in source.match_indices('<') {
        let rest = &source.as_bytes()[at + 1..];
        if rest.first() == Some(&b'/') {
            depth = depth.saturating_sub(1);
            continue;
        }
        let name: String = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
        if name.is_empty() || UNCOUNTED.contains(&name.as_str()) {
            continue;
        }
        depth += 1;
        if depth > limit {
            return true;
        }
    }
    false
}

/// The paragraphs of an HTML document, blank-line separated; refused when its elements
/// nest more than [`MAX_DEPTH`] deep.
pub fn html_text(source: &str) -> Result<String, String> {
    if nests_deeper_than(source, MAX_DEPTH) {
        return Err(format!(
            "its elements nest more than {MAX_DEPTH} deep, which no transcript needs"
        ));
    }
    let document = Html::parse_document(source);
    let mut reader = Blocks::default();
    // Depth inside a hidden element, and inside <pre>.
    let (mut hidden, mut pre) = (0usize, 0usize);
    // `traverse` walks the tree without recursion, so deeply nested markup cannot exhaust
    // the stack.
    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) if HIDDEN.contains(&e.name()) => hidden += 1,
                _ if hidden > 0 => {}
                Node::Element(e) => match e.name() {
                    "br" => reader.current.push('\n'),
                    "td" | "th"
                        if !reader.current.is_empty() && !reader.current.ends_with('\n') =>
                    {
                        reader.current.push('\t');
                    }
                    name if BLOCKS.contains(&name) => {
                        reader.end_block();
                        pre += usize::from(name == "pre");
                    }
                    _ => {}
                },
                Node::Text(t) => reader.push_text(t, pre > 0),
                _ => {}
            },
            Edge::Close(node) => match node.value() {
                Node::Element(e) if HIDDEN.contains(&e.name()) => hidden -= 1,
                _ if hidden > 0 => {}
                Node::Element(e) if BLOCKS.contains(&e.name()) => {
                    reader.end_block();
                    pre -= usize::from(e.name() == "pre");
                }
                _ => {}
            },
        }
    }
    reader.end_block();
    Ok(reader.paragraphs.join("\n\n"))
}

#[derive(Default)]
struct Blocks {
    paragraphs: Vec<String>,
    current: String,
}

impl Blocks {
    fn push_text(&mut self, text: &str, preformatted: bool) {
        if preformatted {
            self.current.push_str(text);
            return;
        }
        for c in text.chars() {
            if c.is_ascii_whitespace() {
                if !self.current.is_empty() && !self.current.ends_with([' ', '\n']) {
                    self.current.push(' ');
                }
            } else {
                self.current.push(c);
            }
        }
    }

    fn end_block(&mut self) {
        let block = std::mem::take(&mut self.current);
        // Collapsed text starts no line with a space; <pre> keeps its indentation.
        let lines: Vec<&str> = block.lines().map(|l| l.trim_end_matches(' ')).collect();
        let block = lines.join("\n");
        let block = block.trim_matches('\n');
        if !block.trim().is_empty() {
            self.paragraphs.push(block.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_text_in_paragraphs_without_head_or_scripts() {
        let html = "<!doctype html><html><head><title>T</title><style>p{}</style></head><body>\n<h1>Interview&nbsp;4</h1>\n<p><b>Interviewer:</b>   How was\n  it?</p><script>alert(1)</script><p>P4: Fine<br>really &amp; truly</p><ul><li>one</li><li>two</li></ul><pre>a  b\n c</pre><div>tail <span>end</div>";
        assert_eq!(
            html_text(html).unwrap(),
            "Interview\u{a0}4\n\nInterviewer: How was it?\n\nP4: Fine\nreally & truly\n\none\n\ntwo\n\na  b\n c\n\ntail end"
        );
    }

    #[test]
    fn deep_nesting_does_not_exhaust_the_stack() {
        // html5ever's time grows with the square of the depth; 2,000 is far beyond any
        // real page and still quick.
        let html = "<div>".repeat(2_000) + "deep" + &"</div>".repeat(2_000);
        assert_eq!(html_text(&html).unwrap(), "deep");
        let hostile = "<div>".repeat(MAX_DEPTH + 1) + "x";
        assert!(html_text(&hostile).unwrap_err().contains("nest more than"));
        // Paragraphs and list items left open, as HTML allows, do not count.
        let open = "<p>one<li>two".repeat(10_000);
        assert!(html_text(&open).is_ok());
    }
}
