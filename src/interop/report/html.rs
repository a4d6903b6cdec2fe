//! The report as one self-contained HTML5 file (inline style sheet, no scripts, fonts or
//! images from anywhere): renders the blocks of [`super::document`]. Every piece of project
//! text goes through [`esc`]; memo bodies are rendered from Markdown by
//! [`super::memo::html`] with raw HTML shown as text.

use super::document::{
    Block, CONTENTS, ChecklistItem, Definition, Document, FigureBlock, HtmlShape, MemoBlock,
    NO_DEFINITION, RowKind, Span, TO_COMPLETE, Table, Text, TreeNode,
};
use crate::model::{Code, CodeId};

const STYLE: &str = include_str!("report.css");

/// The document as one HTML file.
pub fn render(document: &Document) -> String {
    let mut out = String::with_capacity(64 * 1024);
    head(&mut out, document);
    for section in &document.sections {
        push(
            &mut out,
            &format!(r#"<section class="major" id="{}">"#, section.anchor),
        );
        push(&mut out, &format!("<h2>{}</h2>", section.title));
        for b in &section.blocks {
            block(&mut out, b);
        }
        push(&mut out, "</section>");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// Text made safe for HTML element content and quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn push(out: &mut String, html: &str) {
    out.push_str(html);
    out.push('\n');
}

/// A small square of the node's codebook colour (nothing when it has none).
fn code_swatch(code: &Code) -> String {
    swatch(code.colour)
}

/// A small square of a colour (nothing without one).
fn swatch(colour: Option<crate::model::Colour>) -> String {
    // A Colour always prints as #rrggbb, so it is safe inside the attribute.
    colour.map_or_else(String::new, |c| {
        format!(r#"<span class="swatch" style="background-color:{c}" title="{c}"></span>"#)
    })
}

/// Our own fixed prose with `code` spans: escaped, then the backticks turned into <code>.
fn inline_code(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in esc(text).split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str(&format!("<code>{part}</code>"));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// Text as HTML: our words escaped (their backticks as code), the project's escaped.
fn text(spans: &Text) -> String {
    spans.iter().map(span).collect()
}

fn span(span: &Span) -> String {
    match span {
        Span::Ours(words) => inline_code(words),
        Span::Theirs(words) => esc(words),
        Span::Date(d) => format!(r#"<time datetime="{d}">{d}</time>"#),
        Span::Path(path) => match path.split_last() {
            Some((name, above)) if !above.is_empty() => format!(
                r#"<span class="path">{} › </span>{}"#,
                esc(&above.join(" › ")),
                esc(name)
            ),
            _ => esc(&path.join(" › ")),
        },
        Span::Swatch(colour) => swatch(*colour),
        Span::Tags(tags) => tags
            .iter()
            .map(|t| format!(r#"<span class="tag">{}</span>"#, esc(t)))
            .collect::<Vec<_>>()
            .join(" "),
        Span::Worded { html, .. } => (*html).to_string(),
    }
}

fn head(out: &mut String, document: &Document) {
    push(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">",
    );
    push(
        out,
        r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#,
    );
    push(
        out,
        &format!(
            r#"<meta name="generator" content="thematic {}">"#,
            env!("CARGO_PKG_VERSION")
        ),
    );
    push(out, &format!("<title>{}</title>", esc(&document.title)));
    push(out, &format!("<style>\n{STYLE}</style>\n</head>\n<body>"));
    push(out, "<header>");
    push(out, &format!("<h1>{}</h1>", esc(&document.title)));
    if let Some(description) = &document.description {
        push(
            out,
            &format!(r#"<p class="description">{}</p>"#, esc(description)),
        );
    }
    push(
        out,
        &format!(r#"<p class="meta">{}</p>"#, text(&document.meta)),
    );
    push(out, "</header>");
    push(
        out,
        &format!(r#"<nav class="toc" aria-label="{CONTENTS}">"#),
    );
    push(out, &format!("<h2>{CONTENTS}</h2>\n<ol>"));
    for section in &document.sections {
        push(
            out,
            &format!(
                r##"<li><a href="#{}">{}</a></li>"##,
                section.anchor, section.title
            ),
        );
    }
    push(out, "</ol>\n</nav>\n<main>");
}

fn block(out: &mut String, block: &Block) {
    match block {
        Block::Paragraph(parts) => {
            for part in parts {
                push(out, &format!("<p>{}</p>", text(part)));
            }
        }
        Block::Note(note) => push(out, &format!(r#"<p class="note">{}</p>"#, text(note))),
        Block::Heading(heading) => push(out, &format!("<h3>{}</h3>", text(heading))),
        Block::List { class, items } => list(out, class, items),
        Block::Checklist(items) => checklist(out, items),
        Block::Tree(nodes) => tree(out, nodes),
        Block::Definition(d) => definition(out, d),
        Block::Table(table) => table_block(out, table),
        Block::Figures(figures) => figures.iter().for_each(|f| figure(out, f)),
        Block::Memo(memo) => memo_block(out, memo),
    }
}

fn list(out: &mut String, class: &str, items: &[Text]) {
    push(out, &format!(r#"<ul class="{class}">"#));
    for item in items {
        push(out, &format!("<li>{}</li>", text(item)));
    }
    push(out, "</ul>");
}

fn checklist(out: &mut String, items: &[ChecklistItem]) {
    push(out, r#"<dl class="coreq">"#);
    for item in items {
        push(out, &format!("<dt>{}</dt>", item.label));
        let fill = item.fill.as_ref().map_or_else(String::new, |f| {
            format!(r#" <span class="fill">{TO_COMPLETE}: {}.</span>"#, esc(f))
        });
        push(out, &format!("<dd>{}{fill}</dd>", esc(&item.text)));
    }
    push(out, "</dl>");
}

/// The codebook as nested lists; a depth-first walk only ever goes one level deeper.
fn tree(out: &mut String, nodes: &[TreeNode]) {
    push(out, r#"<ul class="tree">"#);
    let mut open = 0usize;
    for (i, node) in nodes.iter().enumerate() {
        if i > 0 {
            if node.depth > open {
                out.push_str("<ul>");
            } else {
                out.push_str("</li>");
                for _ in node.depth..open {
                    out.push_str("</ul></li>");
                }
            }
        }
        open = node.depth;
        let class = node.code.level.label();
        out.push_str(&format!(
            r##"<li class="{class}">{}<a href="#{}">{}</a> <span class="counts">{}</span>"##,
            code_swatch(node.code),
            anchor(&node.code.id),
            esc(&node.code.name),
            esc(&node.summary)
        ));
    }
    if !nodes.is_empty() {
        out.push_str("</li>");
        for _ in 0..open {
            out.push_str("</ul></li>");
        }
    }
    push(out, "</ul>");
}

fn anchor(id: &CodeId) -> String {
    // Ids are lowercase letters, digits, - and _: safe in an id attribute as they are.
    format!("code-{id}")
}

fn definition(out: &mut String, d: &Definition) {
    let code = d.code;
    let h = (d.depth + 4).min(6);
    push(
        out,
        &format!(
            r#"<div class="node depth-{}" id="{}">"#,
            d.depth.min(3),
            anchor(&code.id)
        ),
    );
    push(
        out,
        &format!("<h{h}>{}{}</h{h}>", code_swatch(code), esc(&code.name)),
    );
    push(out, &format!(r#"<p class="about">{}</p>"#, esc(&d.about)));
    if d.fields.is_empty() {
        push(out, &format!(r#"<p class="none">{NO_DEFINITION}</p>"#));
    } else {
        push(out, "<dl>");
        for (label, words) in &d.fields {
            push(out, &format!("<dt>{label}</dt><dd>{}</dd>", esc(words)));
        }
        push(out, "</dl>");
    }
    push(out, "</div>");
}

fn table_block(out: &mut String, table: &Table) {
    if table.html == HtmlShape::Compact {
        push(out, &format!(r#"<table class="{}"><tbody>"#, table.class));
    } else {
        push(out, &format!(r#"<table class="{}">"#, table.class));
        let headings: String = table
            .columns
            .iter()
            .map(|c| {
                let class = if c.numeric { r#" class="num""# } else { "" };
                let title = c.detail.map_or_else(String::new, |d| {
                    format!(r#" title="{} {d}""#, c.heading.to_lowercase())
                });
                format!("<th{class}{title}>{}</th>", c.heading)
            })
            .collect();
        push(out, &format!("<thead><tr>{headings}</tr></thead>"));
        push(out, "<tbody>");
    }
    for row in &table.rows {
        let class = match row.kind {
            RowKind::Theme => r#" class="theme""#,
            RowKind::SubTheme => r#" class="sub-theme""#,
            RowKind::Plain | RowKind::Labelled => "",
        };
        let mut cells = String::new();
        for (i, (cell, column)) in row.cells.iter().zip(&table.columns).enumerate() {
            if i == 0 && row.kind == RowKind::Labelled {
                cells.push_str(&format!(r#"<th scope="row">{}</th>"#, text(&cell.text)));
                continue;
            }
            let classes: Vec<&str> = column
                .numeric
                .then_some("num")
                .into_iter()
                .chain(cell.mark)
                .collect();
            let class = if classes.is_empty() {
                String::new()
            } else {
                format!(r#" class="{}""#, classes.join(" "))
            };
            cells.push_str(&format!("<td{class}>{}</td>", text(&cell.text)));
        }
        push(out, &format!("<tr{class}>{cells}</tr>"));
    }
    match table.html {
        HtmlShape::HeadedLoose => push(out, "</tbody>\n</table>"),
        HtmlShape::Compact | HtmlShape::Headed => push(out, "</tbody></table>"),
    }
}

/// A figure as inline SVG (no script, no outside file) with its caption.
fn figure(out: &mut String, f: &FigureBlock) {
    push(out, r#"<figure class="chart">"#);
    out.push_str(&f.svg);
    push(
        out,
        &format!(
            "<figcaption><strong>{}</strong> {}</figcaption>\n</figure>",
            text(&f.label),
            esc(&f.caption)
        ),
    );
}

fn memo_block(out: &mut String, memo: &MemoBlock) {
    push(out, r#"<article class="memo">"#);
    push(out, r#"<div class="memo-head">"#);
    push(out, &format!("<h3>{}</h3>", esc(&memo.title)));
    push(
        out,
        &format!(r#"<p class="byline">{}</p>"#, esc(&memo.byline)),
    );
    list(out, "links", &memo.notes);
    push(out, "</div>");
    push(
        out,
        &format!(
            r#"<div class="memo-body">{}</div>"#,
            super::memo::html(&memo.body)
        ),
    );
    push(out, "</article>");
}
