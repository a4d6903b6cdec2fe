//! The report as one self-contained HTML5 file: inline style sheet, no scripts, fonts or
//! images from anywhere. Every piece of project text goes through [`esc`]; memo bodies are
//! rendered from Markdown by [`super::memo::html`] with raw HTML shown as text.

use super::data::{LEVELS, Node, Report, code_name, count};
use super::figures::Figure;
use super::markdown::overall_rows;
use super::methods::{items, saturation_sentence};
use super::{SECTIONS, Section, ancestors, definition_fields, node_summary, scope_words};
use crate::analysis::agreement::{SegmentCounts, Table};
use crate::model::{Code, CodeId, Level, Project};

const STYLE: &str = include_str!("report.css");

pub fn render(report: &Report, figures: &[Figure]) -> String {
    let mut out = String::with_capacity(64 * 1024);
    head(&mut out, report);
    methods(&mut out, report);
    codebook(&mut out, report);
    themes(&mut out, report);
    figures_section(&mut out, figures);
    agreement(&mut out, report);
    saturation(&mut out, report);
    memos(&mut out, report);
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
fn swatch(code: &Code) -> String {
    // A Colour always prints as #rrggbb, so it is safe inside the attribute.
    code.colour.map_or_else(String::new, |c| {
        format!(r#"<span class="swatch" style="background-color:{c}" title="{c}"></span>"#)
    })
}

fn section_start(out: &mut String, section: Section) {
    let (anchor, title) = SECTIONS[section as usize];
    push(out, &format!(r#"<section class="major" id="{anchor}">"#));
    push(out, &format!("<h2>{title}</h2>"));
}

fn head(out: &mut String, report: &Report) {
    let meta = &report.project.meta;
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
    push(out, &format!("<title>{}</title>", esc(&meta.name)));
    push(out, &format!("<style>\n{STYLE}</style>\n</head>\n<body>"));
    push(out, "<header>");
    push(out, &format!("<h1>{}</h1>", esc(&meta.name)));
    if !meta.description.trim().is_empty() {
        push(
            out,
            &format!(r#"<p class="description">{}</p>"#, esc(&meta.description)),
        );
    }
    push(
        out,
        &format!(
            r#"<p class="meta">Report of <time datetime="{d}">{d}</time> made with thematic {v}. Counts are of the coding of {s}.</p>"#,
            d = report.date,
            v = env!("CARGO_PKG_VERSION"),
            s = esc(&scope_words(report))
        ),
    );
    push(out, "</header>");
    push(out, r#"<nav class="toc" aria-label="Contents">"#);
    push(out, "<h2>Contents</h2>\n<ol>");
    for (anchor, title) in SECTIONS {
        push(
            out,
            &format!(r##"<li><a href="#{anchor}">{title}</a></li>"##),
        );
    }
    push(out, "</ol>\n</nav>\n<main>");
}

fn methods(out: &mut String, report: &Report) {
    section_start(out, Section::Methods);
    push(
        out,
        r#"<p>The data-analysis items of COREQ (Tong, Sainsbury and Craig 2007), answered from what the project records. <span class="fill">To complete</span> marks what the researcher has to write.</p>"#,
    );
    push(out, r#"<dl class="coreq">"#);
    for item in items(report) {
        push(out, &format!("<dt>{}. {}</dt>", item.number, item.topic));
        let fill = item.fill.map_or_else(String::new, |f| {
            format!(r#" <span class="fill">To complete: {}.</span>"#, esc(f))
        });
        push(out, &format!("<dd>{}{fill}</dd>", esc(&item.text)));
    }
    push(out, "</dl>\n</section>");
}

fn codebook(out: &mut String, report: &Report) {
    section_start(out, Section::Codebook);
    push(
        out,
        &format!(
            "<p>Counts are the segments carrying a node or any node below it, and the transcripts they are in ({}).</p>",
            esc(&scope_words(report))
        ),
    );
    push(out, "<h3>Tree</h3>");
    tree(out, &report.codebook);
    push(out, "<h3>Definitions</h3>");
    for node in &report.codebook {
        definition(out, report.project, node);
    }
    push(out, "</section>");
}

/// The codebook as nested lists; a depth-first walk only ever goes one level deeper.
fn tree(out: &mut String, nodes: &[Node]) {
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
            swatch(node.code),
            anchor(&node.code.id),
            esc(&node.code.name),
            esc(&node_summary(node, &[]))
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

fn definition(out: &mut String, project: &Project, node: &Node) {
    let code = node.code;
    let h = (node.depth + 4).min(6);
    push(
        out,
        &format!(
            r#"<div class="node depth-{}" id="{}">"#,
            node.depth.min(3),
            anchor(&code.id)
        ),
    );
    push(
        out,
        &format!("<h{h}>{}{}</h{h}>", swatch(code), esc(&code.name)),
    );
    let parents = ancestors(project, &code.id);
    push(
        out,
        &format!(
            r#"<p class="about">{}</p>"#,
            esc(&node_summary(node, &parents))
        ),
    );
    let fields = definition_fields(code);
    if fields.is_empty() {
        push(out, r#"<p class="none">No definition recorded.</p>"#);
    } else {
        push(out, "<dl>");
        for (label, text) in fields {
            push(out, &format!("<dt>{label}</dt><dd>{}</dd>", esc(text)));
        }
        push(out, "</dl>");
    }
    push(out, "</div>");
}

fn themes(out: &mut String, report: &Report) {
    section_start(out, Section::Themes);
    push(
        out,
        &format!(
            "<p>Each theme and sub-theme counts its own segments and those of every node below it of its level or a lower one ({}). The exemplar is the quote chosen in the codebook, else the first in interview order.</p>",
            esc(&scope_words(report))
        ),
    );
    push(out, r#"<table class="themes">"#);
    push(
        out,
        r#"<thead><tr><th>Theme / sub-theme</th><th>Tags</th><th class="num">Participants</th><th class="num">Segments</th><th>Exemplar quote</th></tr></thead>"#,
    );
    push(out, "<tbody>");
    for (row, code) in &report.themes {
        let class = if row.level == Level::Theme {
            "theme"
        } else {
            "sub-theme"
        };
        let tags: Vec<String> = row
            .tags
            .iter()
            .map(|t| format!(r#"<span class="tag">{}</span>"#, esc(t)))
            .collect();
        push(
            out,
            &format!(
                r#"<tr class="{class}"><td>{}{}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="quote">{}</td></tr>"#,
                swatch(code),
                esc(&code.name),
                tags.join(" "),
                row.participants,
                row.segments,
                row.exemplar.as_deref().map_or_else(|| "—".into(), esc)
            ),
        );
    }
    push(out, "</tbody>\n</table>\n</section>");
}

fn agreement(out: &mut String, report: &Report) {
    section_start(out, Section::Agreement);
    let Some(part) = &report.agreement else {
        push(
            out,
            "<p>No double-coding sample is recorded in thematic.yaml (<code>thematic sample</code> draws one), so there is no agreement to report.</p>\n</section>",
        );
        return;
    };
    let project = report.project;
    let r = &part.result;
    let transcripts: Vec<String> = r
        .transcripts
        .iter()
        .map(|t| format!("{t} ({})", super::data::participant(project, t)))
        .collect();
    push(
        out,
        &format!(
            "<p>Compared: {} as coder A and {} as coder B, on the double-coding sample of {}: {}.</p>",
            esc(&super::data::coder_name(project, &r.coder_a)),
            esc(&super::data::coder_name(project, &r.coder_b)),
            count(r.transcripts.len(), "transcript", "transcripts"),
            esc(&transcripts.join(", "))
        ),
    );
    push(out, &format!("<p>{}</p>", inline_code(super::POOLING)));
    push(out, r#"<table class="overall"><tbody>"#);
    for (label, value) in overall_rows(r) {
        push(
            out,
            &format!(
                r#"<tr><th scope="row">{}</th><td class="num">{}</td></tr>"#,
                esc(&label),
                esc(&value)
            ),
        );
    }
    push(out, "</tbody></table>");
    push(out, "<h3>Per code, lowest kappa first</h3>");
    figures_table_start(out, "Code");
    for c in &part.worst_first {
        let mut path = ancestors(project, &c.code);
        let name = code_name(project, &c.code);
        let above = if path.is_empty() {
            String::new()
        } else {
            path.push("");
            format!(r#"<span class="path">{}</span>"#, esc(&path.join(" › ")))
        };
        push(
            out,
            &format!(
                "<tr><td>{above}{}</td>{}</tr>",
                esc(&name),
                figure_cells(&c.table, &c.segments)
            ),
        );
    }
    push(out, "</tbody></table>");
    push(out, "<h3>Per transcript</h3>");
    figures_table_start(out, "Transcript");
    for t in &r.per_transcript {
        push(
            out,
            &format!(
                "<tr><td>{}</td>{}</tr>",
                esc(t.transcript.as_str()),
                figure_cells(&t.table, &t.segments)
            ),
        );
    }
    push(out, "</tbody></table>");
    push(
        out,
        &format!(r#"<p class="note">{}</p>"#, esc(super::UNDEFINED)),
    );
    push(out, "</section>");
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

fn figures_table_start(out: &mut String, first: &str) {
    push(out, r#"<table class="figures">"#);
    push(
        out,
        &format!(
            r#"<thead><tr><th>{first}</th><th class="num">Agreement</th><th class="num">Kappa</th><th class="num">Alpha</th><th class="num">Both</th><th class="num">Only A</th><th class="num">Only B</th><th class="num" title="segments matched / only A / only B">Segments</th></tr></thead>"#
        ),
    );
    push(out, "<tbody>");
}

fn figure_cells(t: &Table, s: &SegmentCounts) -> String {
    use super::data::figure;
    let cell = |v: Option<f64>, percent: bool| {
        let class = if v.is_none() { "num undefined" } else { "num" };
        format!(r#"<td class="{class}">{}</td>"#, figure(v, percent))
    };
    format!(
        r#"{}{}{}<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}/{}/{}</td>"#,
        cell(t.percent_agreement(), true),
        cell(t.kappa(), false),
        cell(t.alpha(), false),
        t.both,
        t.only_a,
        t.only_b,
        s.matched,
        s.only_a,
        s.only_b
    )
}

fn saturation(out: &mut String, report: &Report) {
    section_start(out, Section::Saturation);
    let part = &report.saturation;
    push(out, r#"<ul class="sentences">"#);
    for level in 0..LEVELS.len() {
        push(
            out,
            &format!("<li>{}</li>", esc(&saturation_sentence(part, level))),
        );
    }
    push(out, "</ul>");
    push(
        out,
        &format!(
            r#"<p class="note">{}</p>"#,
            inline_code(super::SATURATION_NOTE)
        ),
    );
    push(out, r#"<table class="saturation">"#);
    push(
        out,
        r#"<thead><tr><th class="num">#</th><th>Transcript</th><th>Participant</th><th class="num">New codes</th><th class="num">Codes so far</th><th class="num">New sub-themes</th><th class="num">Sub-themes so far</th><th class="num">New themes</th><th class="num">Themes so far</th></tr></thead>"#,
    );
    push(out, "<tbody>");
    for (i, row) in part.rows.iter().enumerate() {
        let who = part.participants.get(i).map_or("", String::as_str);
        let who = if row.coded {
            who.to_string()
        } else {
            format!("{who} (not coded)")
        };
        let mut cells = format!(
            r#"<tr><td class="num">{}</td><td>{}</td><td>{}</td>"#,
            i + 1,
            esc(row.transcript.as_str()),
            esc(&who)
        );
        for (_, _, pick) in LEVELS {
            let c = pick(row);
            let class = if c.new > 0 { "num new" } else { "num" };
            let new = if row.coded {
                c.new.to_string()
            } else {
                "—".into()
            };
            cells.push_str(&format!(
                r#"<td class="{class}">{new}</td><td class="num">{}</td>"#,
                c.cumulative
            ));
        }
        push(out, &format!("{cells}</tr>"));
    }
    push(out, "</tbody></table>\n</section>");
}

/// Each figure as inline SVG (no script, no outside file) with its caption.
fn figures_section(out: &mut String, figures: &[Figure]) {
    section_start(out, Section::Figures);
    for (i, figure) in figures.iter().enumerate() {
        push(out, r#"<figure class="chart">"#);
        out.push_str(&figure.svg);
        push(
            out,
            &format!(
                "<figcaption><strong>Figure {}. {}</strong> {}</figcaption>\n</figure>",
                i + 1,
                esc(&figure.title),
                esc(&figure.caption)
            ),
        );
    }
    push(out, "</section>");
}

fn memos(out: &mut String, report: &Report) {
    section_start(out, Section::Memos);
    push(
        out,
        &format!(
            "<p>{}, journal entries first, then grouped by what they are linked to.</p>",
            count(report.memos.len(), "memo", "memos")
        ),
    );
    for entry in &report.memos {
        let m = entry.memo;
        push(out, r#"<article class="memo">"#);
        push(out, r#"<div class="memo-head">"#);
        push(out, &format!("<h3>{}</h3>", esc(&m.title)));
        push(
            out,
            &format!(
                r#"<p class="byline">{}</p>"#,
                esc(&super::memo_byline(entry))
            ),
        );
        push(out, r#"<ul class="links">"#);
        if entry.links.is_empty() {
            push(out, "<li>Journal entry (not linked to anything)</li>");
        }
        for link in &entry.links {
            push(out, &format!("<li>Linked to {}</li>", esc(link)));
        }
        if !entry.reviewed_by.is_empty() {
            push(
                out,
                &format!(
                    "<li>Reviewed by {}</li>",
                    esc(&entry.reviewed_by.join("; "))
                ),
            );
        }
        push(out, "</ul>\n</div>");
        push(
            out,
            &format!(
                r#"<div class="memo-body">{}</div>"#,
                super::memo::html(&m.body)
            ),
        );
        push(out, "</article>");
    }
    push(out, "</section>");
}
