//! Memo bodies: Markdown written by researchers, made safe for the report. Raw HTML in a
//! memo is shown as text in both formats, never passed through.

/// A memo body (Markdown written by a researcher) kept as Markdown, but inside a
/// blockquote, so that an unclosed fence or list ends with the memo, and with raw HTML made
/// visible text rather than passed through.
pub fn markdown(body: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut safe = String::with_capacity(body.len());
    let mut done = 0;
    for (event, range) in Parser::new_ext(body, super::markdown_options()).into_offset_iter() {
        if matches!(event, Event::Html(_) | Event::InlineHtml(_)) && range.start >= done {
            safe.push_str(&body[done..range.start]);
            safe.push_str(&body[range.clone()].replace('<', "&lt;"));
            done = range.end;
        }
    }
    safe.push_str(&body[done..]);
    let lines: Vec<String> = safe
        .lines()
        .map(|l| {
            if l.trim().is_empty() {
                ">".to_string()
            } else {
                format!("> {l}")
            }
        })
        .collect();
    lines.join("\n")
}

/// A memo body rendered from Markdown. Raw HTML becomes text; headings are moved below the
/// memo's own title; images become links (the file must load nothing); links other than
/// http, https, mailto and relative ones lose their target but keep their text.
pub fn html(body: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    // Whether each link still open was kept, to drop the matching end of a dropped one.
    let mut kept: Vec<bool> = Vec::new();
    let events = Parser::new_ext(body, super::markdown_options()).filter_map(|event| {
        Some(match event {
            Event::Html(t) | Event::InlineHtml(t) => Event::Text(t),
            Event::Start(Tag::Heading { level, .. }) => Event::Start(Tag::Heading {
                level: demote(level),
                id: None,
                classes: Vec::new(),
                attrs: Vec::new(),
            }),
            Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demote(level))),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
            | Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let safe = safe_url(&dest_url);
                kept.push(safe);
                if !safe {
                    return None;
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if !kept.pop().unwrap_or(false) {
                    return None;
                }
                Event::End(TagEnd::Link)
            }
            other => other,
        })
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// Memo headings start at h4, below the memo title (h3).
fn demote(level: pulldown_cmark::HeadingLevel) -> pulldown_cmark::HeadingLevel {
    use pulldown_cmark::HeadingLevel::*;
    match level {
        H1 => H4,
        H2 => H5,
        _ => H6,
    }
}

/// Whether a link target is harmless: http, https, mailto, or no scheme at all. Browsers
/// ignore tabs and newlines inside a scheme, so those are taken out before comparing.
fn safe_url(url: &str) -> bool {
    let end = url.find([':', '/', '?', '#']);
    match end {
        Some(i) if url[i..].starts_with(':') => {
            let scheme: String = url[..i]
                .chars()
                .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
                .collect::<String>()
                .to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    }
}
