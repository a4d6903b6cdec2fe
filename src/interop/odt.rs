//! The body text of an OpenDocument text file (.odt, as LibreOffice writes): each paragraph
//! and heading becomes a blank-line separated block; tabs, line breaks and runs of spaces
//! (`text:s`) are kept; tracked deletions, comments and footnote bodies are left out.

use super::import::read_zip_entry;
use quick_xml::events::{BytesStart, Event};

/// Elements whose content is not part of the running text.
const SKIPPED: [&str; 4] = [
    "text:tracked-changes",
    "office:annotation",
    "text:note",
    "text:bookmark-ref",
];

/// The paragraphs of `content.xml`, blank-line separated; `limit` bounds its size.
pub fn odt_text(bytes: &[u8], limit: u64) -> Result<String, String> {
    let xml = read_zip_entry(bytes, "content.xml", limit)?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    // Depth inside a skipped element (0: reading text).
    let mut skipping = 0usize;
    let mut in_body = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("content.xml at byte {}: {e}", reader.buffer_position()))?;
        if skipping > 0 {
            match event {
                Event::Start(_) => skipping += 1,
                Event::End(_) => skipping -= 1,
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(e) if e.name().as_ref() == "office:body" => in_body = true,
            Event::End(e) if e.name().as_ref() == "office:body" => in_body = false,
            _ if !in_body => {
                if matches!(event, Event::Eof) {
                    break;
                }
            }
            Event::Start(e) if is_skipped(&e) => skipping = 1,
            Event::Text(t) => push_collapsed(&mut current, &t.xml10_content()),
            Event::GeneralRef(r) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    current.push(c);
                } else if let Some(s) =
                    quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                {
                    current.push_str(s);
                }
            }
            Event::Empty(e) | Event::Start(e) => match e.name().as_ref() {
                "text:s" => {
                    let count = attribute(&e, "text:c")
                        .and_then(|c| c.parse::<usize>().ok())
                        .unwrap_or(1)
                        .min(1000);
                    current.extend(std::iter::repeat_n(' ', count));
                }
                "text:tab" => current.push('\t'),
                "text:line-break" => current.push('\n'),
                _ => {}
            },
            Event::End(e) if matches!(e.name().as_ref(), "text:p" | "text:h") => {
                let paragraph = std::mem::take(&mut current);
                if !paragraph.trim().is_empty() {
                    paragraphs.push(paragraph.trim_matches(' ').to_string());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !current.trim().is_empty() {
        paragraphs.push(current.trim_matches(' ').to_string());
    }
    Ok(paragraphs.join("\n\n"))
}

fn is_skipped(e: &BytesStart) -> bool {
    SKIPPED.contains(&e.name().as_ref())
}

fn attribute(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// ODF collapses white space in text as HTML does: runs of spaces, tabs and newlines in the
/// XML are one space (real tabs and breaks are elements).
fn push_collapsed(out: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_ascii_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}
