//! A small element tree for reading REFI-QDA XML, and an escaping writer for producing it.
//!
//! The files are at most a few megabytes, and the mapping needs to look up and down the tree
//! (a Case refers to sources defined later), so the reader builds a tree rather than
//! streaming. quick-xml does not process DTDs, so entity-expansion bombs cannot happen; depth
//! is capped so that a hostile file cannot exhaust the stack of the code walking the tree.

use quick_xml::events::{BytesStart, Event};

/// Deeper nesting than this is refused (real code trees are a handful of levels deep).
pub const MAX_DEPTH: usize = 256;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    /// Local name, without a namespace prefix.
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// The element's own text (concatenated text nodes), not its children's.
    pub text: String,
    /// Line of the start tag, for messages.
    pub line: usize,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Children with this local name.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub fn first(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The text of the first child with this name, if present.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.first(name).map(|c| c.text.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct XmlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Line and column (both from 1, column in chars) of a byte offset.
fn position(text: &str, byte: usize) -> (usize, usize) {
    // Step back to a char boundary so that slicing cannot panic.
    let mut at = byte.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn error_at(text: &str, byte: u64, message: impl Into<String>) -> XmlError {
    let (line, column) = position(text, usize::try_from(byte).unwrap_or(usize::MAX));
    XmlError {
        line,
        column,
        message: message.into(),
    }
}

/// The line of each element, counted on from the last one: elements come in document
/// order, so the whole document is scanned once (counting from the start for every element
/// made reading a large project quadratic).
#[derive(Default)]
struct Lines {
    byte: usize,
    line: usize,
}

impl Lines {
    fn at(&mut self, text: &str, byte: u64) -> usize {
        let byte = usize::try_from(byte).unwrap_or(usize::MAX).min(text.len());
        if byte < self.byte {
            // Not in document order (never, from the reader): count from the start.
            return position(text, byte).0;
        }
        let newlines = text.as_bytes()[self.byte..byte]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.line += newlines;
        self.byte = byte;
        self.line + 1
    }
}

fn start_element(
    text: &str,
    e: &BytesStart<'_>,
    byte: u64,
    lines: &mut Lines,
) -> Result<Element, XmlError> {
    let name = e.local_name().as_ref().to_string();
    let mut attrs = Vec::new();
    for attr in e.attributes() {
        let attr = attr.map_err(|err| error_at(text, byte, err.to_string()))?;
        let key = attr.key.local_name().as_ref().to_string();
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| error_at(text, byte, format!("attribute {key}: {err}")))?;
        attrs.push((key, value.into_owned()));
    }
    let line = lines.at(text, byte);
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
        text: String::new(),
        line,
    })
}

/// Parses a whole document into its root element.
pub fn parse(text: &str) -> Result<Element, XmlError> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut lines = Lines::default();
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| error_at(text, reader.error_position(), e.to_string()))?;
        match event {
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(error_at(
                        text,
                        at,
                        format!("elements nested deeper than {MAX_DEPTH} levels"),
                    ));
                }
                stack.push(start_element(text, &e, at, &mut lines)?);
            }
            Event::Empty(e) => {
                let element = start_element(text, &e, at, &mut lines)?;
                attach(&mut stack, &mut root, element, text, at)?;
            }
            Event::End(_) => {
                let element = stack
                    .pop()
                    .ok_or_else(|| error_at(text, at, "closing tag without an opening one"))?;
                attach(&mut stack, &mut root, element, text, at)?;
            }
            Event::Text(t) => {
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(t.as_ref());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                        .map(str::to_string)
                        .ok_or_else(|| {
                            error_at(text, at, format!("unknown entity &{};", r.xml10_content()))
                        })?,
                };
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(error_at(
            text,
            text.len() as u64,
            "the document ends inside an element",
        ));
    }
    root.ok_or_else(|| error_at(text, 0, "no root element"))
}

fn attach(
    stack: &mut [Element],
    root: &mut Option<Element>,
    element: Element,
    text: &str,
    at: u64,
) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None if root.is_none() => *root = Some(element),
        None => return Err(error_at(text, at, "more than one root element")),
    }
    Ok(())
}

/// Escapes element content: line breaks and tabs stay as they are, for a readable file.
pub fn escape_text(text: &str) -> String {
    escape_xml(text, false)
}

/// Escapes text for an XML attribute value (or element content).
pub fn escape(text: &str) -> String {
    escape_xml(text, true)
}

fn escape_xml(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            // Line breaks and tabs in attributes would be normalised to spaces by readers.
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' | '\t' => out.push(c),
            // A CR would be read back as LF, in content too; as a reference it survives.
            '\r' => out.push_str("&#13;"),
            // XML 1.0 cannot carry other C0 controls at all, even escaped.
            c if (c as u32) < 0x20 => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_tree_with_text_and_attributes() {
        let root =
            parse("<?xml version=\"1.0\"?>\n<a x=\"1 &amp; 2\"><b>t&lt;x&#233;</b><c y='q'/></a>")
                .unwrap();
        assert_eq!(root.name, "a");
        assert_eq!(root.attr("x"), Some("1 & 2"));
        assert_eq!(root.child_text("b"), Some("t<xé"));
        assert_eq!(root.first("c").and_then(|c| c.attr("y")), Some("q"));
        assert_eq!(root.line, 2);
    }

    #[test]
    fn reports_where_the_document_is_broken() {
        let err = parse("<a>\n  <b></c>\n</a>").unwrap_err();
        assert_eq!(err.line, 2, "{err}");
    }

    #[test]
    fn refuses_unknown_entities_and_deep_nesting() {
        assert!(parse("<a>&bomb;</a>").is_err());
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        let err = parse(&deep).unwrap_err();
        assert!(err.message.contains("nested deeper"), "{err}");
    }

    #[test]
    fn escaped_text_parses_back_to_itself() {
        let text = "a<b>&\"c' d\ne\tf";
        let doc = format!("<r v=\"{}\">{}</r>", escape(text), escape_text(text));
        let root = parse(&doc).unwrap();
        assert_eq!(root.attr("v"), Some(text));
        assert_eq!(root.text, text);
        let cr = format!("<r>{}</r>", escape_text("a\r\nb"));
        assert_eq!(parse(&cr).unwrap().text, "a\r\nb");
    }
}
