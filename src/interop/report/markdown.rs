//! The report as GitHub-flavoured Markdown: renders the blocks of [`super::document`].
//! Every piece of project text goes through [`md`] (one line, constructs escaped) and memo
//! bodies through [`super::memo::markdown`] (a blockquote with raw HTML shown as text), so no
//! name, quote or memo can break the document's structure.
//!
//! Blocks are separated by one blank line.

use super::document::{
    Block, CONTENTS, ChecklistItem, Definition, Document, FigureBlock, MemoBlock, NO_DEFINITION,
    RowKind, Span, TO_COMPLETE, Table, Text, TreeNode,
};
use crate::model::Level;

/// The document as Markdown, its figures linked as `folder/NAME.svg`.
pub fn render(document: &Document, folder: &str) -> String {
    let mut blocks: Vec<String> = vec![format!("# {}\n", md(&document.title))];
    if let Some(description) = &document.description {
        blocks.push(format!("{}\n", md(description)));
    }
    blocks.push(format!("*{}*\n", text(&document.meta)));
    blocks.push(format!("**{CONTENTS}**\n"));
    let contents: Vec<String> = document
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{}. [{}](#{})\n", i + 1, s.title, s.anchor))
        .collect();
    blocks.push(contents.concat());
    for section in &document.sections {
        blocks.push(format!("## {}\n", section.title));
        blocks.extend(section.blocks.iter().map(|b| block(b, folder)));
    }
    blocks.join("\n")
}

pub fn md(text: &str) -> String {
    let line = crate::wording::one_line(text);
    // "1. x" or "1) x" at the start would make an ordered list.
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let mut out = String::with_capacity(line.len() + 8);
    for (i, c) in line.char_indices() {
        let special = "\\`*_[]<>|~#$".contains(c)
            || (c == '&' && looks_like_entity(&line[i + 1..]))
            || (i == 0 && "-+=".contains(c))
            || (i == digits && digits > 0 && ".)".contains(c));
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether `&` followed by `rest` would be read as an entity such as `&amp;` or `&#60;`.
fn looks_like_entity(rest: &str) -> bool {
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
        .collect();
    !name.is_empty() && rest[name.len()..].starts_with(';')
}

/// Text as inline Markdown: our words as they are, the project's escaped.
fn text(spans: &Text) -> String {
    spans.iter().map(span).collect()
}

fn span(span: &Span) -> String {
    match span {
        Span::Ours(words) => words.clone(),
        Span::Theirs(words) => md(words),
        Span::Date(date) => date.to_string(),
        Span::Path(path) => md(&path.join(" › ")),
        Span::Swatch(_) => String::new(),
        Span::Tags(tags) => md(&tags.join(", ")),
        Span::Worded { markdown, .. } => (*markdown).to_string(),
    }
}

/// One block, ending with a newline.
fn block(block: &Block, folder: &str) -> String {
    match block {
        Block::Paragraph(parts) => {
            let parts: Vec<String> = parts.iter().map(text).collect();
            format!("{}\n", parts.join(" "))
        }
        Block::Note(note) => format!("{}\n", text(note)),
        Block::Heading(heading) => format!("### {}\n", text(heading)),
        Block::List { items, .. } => items.iter().map(|i| format!("- {}\n", text(i))).collect(),
        Block::Checklist(items) => items.iter().map(checklist_item).collect(),
        Block::Tree(nodes) => nodes.iter().map(tree_node).collect(),
        Block::Definition(definition) => definition_block(definition),
        Block::Table(table) => table_block(table),
        Block::Figures(figures) => figures.iter().map(|f| figure(f, folder)).collect(),
        Block::Memo(memo) => memo_block(memo),
    }
}

fn checklist_item(item: &ChecklistItem) -> String {
    let mut line = format!("- **{}.** {}", item.label, md(&item.text));
    if let Some(fill) = &item.fill {
        line.push_str(&format!(" **\\[{TO_COMPLETE}: {}.\\]**", md(fill)));
    }
    line + "\n"
}

fn tree_node(node: &TreeNode) -> String {
    let name = md(&node.code.name);
    let name = if node.code.level == Level::Code {
        name
    } else {
        format!("**{name}**")
    };
    let indent = "  ".repeat(node.depth);
    format!("{indent}- {name} · {}\n", md(&node.summary))
}

fn definition_block(d: &Definition) -> String {
    let hashes = "#".repeat((d.depth + 4).min(6));
    let mut out = format!("{hashes} {}\n\n*{}*", md(&d.code.name), md(&d.about));
    if let Some(colour) = d.code.colour {
        out.push_str(&format!(" · colour `{colour}`"));
    }
    out.push_str("\n\n");
    if d.fields.is_empty() {
        out.push_str(&format!("*{NO_DEFINITION}*\n"));
    }
    for (label, words) in &d.fields {
        out.push_str(&format!("- **{label}:** {}\n", md(words)));
    }
    out
}

fn table_block(table: &Table) -> String {
    let row = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    let mut out = row(table
        .columns
        .iter()
        .map(|c| match c.detail {
            Some(detail) => format!("{} {detail}", c.heading),
            None => c.heading.to_string(),
        })
        .collect());
    out.push_str(&row(table
        .columns
        .iter()
        .map(|c| if c.numeric { "---:" } else { "---" }.to_string())
        .collect()));
    for r in &table.rows {
        let mut cells: Vec<String> = r.cells.iter().map(|c| text(&c.text)).collect();
        if let Some(first) = cells.first_mut() {
            match r.kind {
                RowKind::Theme => *first = format!("**{first}**"),
                RowKind::SubTheme => *first = format!("↳ {first}"),
                RowKind::Plain | RowKind::Labelled => {}
            }
        }
        out.push_str(&row(cells));
    }
    out
}

/// A figure as an image linked from `folder` (written beside the report), its caption
/// below it, and a blank line after it.
fn figure(f: &FigureBlock, folder: &str) -> String {
    format!(
        "![{}]({folder}/{})\n\n*{}* {}\n\n",
        md(&f.title),
        f.file,
        text(&f.label),
        md(&f.caption)
    )
}

fn memo_block(memo: &MemoBlock) -> String {
    let notes: String = memo
        .notes
        .iter()
        .map(|n| format!("- {}\n", text(n)))
        .collect();
    let body = if memo.body.trim().is_empty() {
        "*(empty)*".to_string()
    } else {
        super::memo::markdown(&memo.body)
    };
    format!(
        "### {}\n\n*{}*\n\n{notes}\n{body}\n",
        md(&memo.title),
        md(&memo.byline)
    )
}
