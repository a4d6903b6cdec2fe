//! The report as GitHub-flavoured Markdown. Every piece of project text goes through [`md`]
//! (one line, constructs escaped) and memo bodies through [`super::memo::markdown`] (a
//! blockquote with raw HTML shown as text), so no name, quote or memo can break the
//! document's structure.

use super::data::{LEVELS, Report, SEGMENT_OVERLAP, code_name, count, figure};
use super::figures::Figure;
use super::methods::{items, saturation_sentence};
use super::{SECTIONS, Section, ancestors, definition_fields, node_summary, scope_words};
use crate::analysis::agreement::{SegmentCounts, Table};
use crate::model::Level;

pub fn render(report: &Report, figures: &[Figure], folder: &str) -> String {
    let mut out = String::new();
    header(&mut out, report);
    methods(&mut out, report);
    codebook(&mut out, report);
    themes(&mut out, report);
    figures_section(&mut out, figures, folder);
    agreement(&mut out, report);
    saturation(&mut out, report);
    memos(&mut out, report);
    out
}

/// Project text as inline Markdown on one line: whitespace runs (newlines too) become one
/// space, and every character that could start emphasis, code, a link, HTML, a table cell,
/// maths or a block (at the start) is backslash-escaped.
pub fn md(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
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

fn line(out: &mut String, text: &str) {
    out.push_str(text);
    out.push('\n');
}

fn heading(out: &mut String, section: Section) {
    let (_, title) = SECTIONS[section as usize];
    line(out, &format!("\n## {title}\n"));
}

fn header(out: &mut String, report: &Report) {
    let meta = &report.project.meta;
    line(out, &format!("# {}\n", md(&meta.name)));
    if !meta.description.trim().is_empty() {
        line(out, &format!("{}\n", md(&meta.description)));
    }
    line(
        out,
        &format!(
            "*Report of {} made with thematic {}. Counts are of the coding of {}.*\n",
            report.date,
            env!("CARGO_PKG_VERSION"),
            md(&scope_words(report))
        ),
    );
    line(out, "**Contents**\n");
    for (i, (anchor, title)) in SECTIONS.iter().enumerate() {
        line(out, &format!("{}. [{title}](#{anchor})", i + 1));
    }
}

/// Each figure as an image linked from `folder` (written beside the report), with its
/// caption below it.
fn figures_section(out: &mut String, figures: &[Figure], folder: &str) {
    heading(out, Section::Figures);
    for (i, figure) in figures.iter().enumerate() {
        line(
            out,
            &format!(
                "![{}]({folder}/{})\n\n*Figure {}. {}* {}\n",
                md(&figure.title),
                figure.file,
                i + 1,
                md(&figure.title),
                md(&figure.caption)
            ),
        );
    }
}

fn methods(out: &mut String, report: &Report) {
    heading(out, Section::Methods);
    line(
        out,
        "The data-analysis items of COREQ (Tong, Sainsbury and Craig 2007), answered from what the project records. Text marked **To complete** is for the researcher to write.\n",
    );
    for item in items(report) {
        let mut text = format!("- **{}. {}.** {}", item.number, item.topic, md(&item.text));
        if let Some(fill) = item.fill {
            text.push_str(&format!(" **\\[To complete: {}.\\]**", md(fill)));
        }
        line(out, &text);
    }
}

fn codebook(out: &mut String, report: &Report) {
    heading(out, Section::Codebook);
    line(
        out,
        &format!(
            "Counts are the segments carrying a node or any node below it, and the transcripts they are in ({}).\n",
            md(&scope_words(report))
        ),
    );
    line(out, "### Tree\n");
    for node in &report.codebook {
        let name = md(&node.code.name);
        let name = if node.code.level == Level::Code {
            name
        } else {
            format!("**{name}**")
        };
        let indent = "  ".repeat(node.depth);
        line(
            out,
            &format!("{indent}- {name} · {}", md(&node_summary(node, &[]))),
        );
    }
    line(out, "\n### Definitions");
    for node in &report.codebook {
        let hashes = "#".repeat((node.depth + 4).min(6));
        line(out, &format!("\n{hashes} {}\n", md(&node.code.name)));
        let parents = ancestors(report.project, &node.code.id);
        let mut about = format!("*{}*", md(&node_summary(node, &parents)));
        if let Some(colour) = node.code.colour {
            about.push_str(&format!(" · colour `{colour}`"));
        }
        line(out, &format!("{about}\n"));
        let fields = definition_fields(node.code);
        if fields.is_empty() {
            line(out, "*No definition recorded.*");
        }
        for (label, text) in fields {
            line(out, &format!("- **{label}:** {}", md(text)));
        }
    }
}

fn themes(out: &mut String, report: &Report) {
    heading(out, Section::Themes);
    line(
        out,
        &format!(
            "Each theme and sub-theme counts its own segments and those of every node below it of its level or a lower one ({}). The exemplar is the quote chosen in the codebook, else the first in interview order.\n",
            md(&scope_words(report))
        ),
    );
    line(
        out,
        "| Theme / sub-theme | Tags | Participants | Segments | Exemplar quote |",
    );
    line(out, "| --- | --- | ---: | ---: | --- |");
    for (row, code) in &report.themes {
        let name = if row.level == Level::Theme {
            format!("**{}**", md(&code.name))
        } else {
            format!("↳ {}", md(&code.name))
        };
        line(
            out,
            &format!(
                "| {name} | {} | {} | {} | {} |",
                md(&row.tags.join(", ")),
                row.participants,
                row.segments,
                row.exemplar.as_deref().map_or("—".into(), md)
            ),
        );
    }
}

fn agreement(out: &mut String, report: &Report) {
    heading(out, Section::Agreement);
    let Some(part) = &report.agreement else {
        line(
            out,
            "No double-coding sample is recorded in thematic.yaml (`thematic sample` draws one), so there is no agreement to report.",
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
    line(
        out,
        &format!(
            "Compared: {} as coder A and {} as coder B, on the double-coding sample of {}: {}. {}\n",
            md(&super::data::coder_name(project, &r.coder_a)),
            md(&super::data::coder_name(project, &r.coder_b)),
            count(r.transcripts.len(), "transcript", "transcripts"),
            md(&transcripts.join(", ")),
            super::POOLING
        ),
    );
    line(out, "| Measure | Value |");
    line(out, "| --- | ---: |");
    for (label, value) in overall_rows(r) {
        line(out, &format!("| {label} | {value} |"));
    }
    line(out, "\n### Per code, lowest kappa first\n");
    line(
        out,
        "| Code | Agreement | Kappa | Alpha | Both | Only A | Only B | Segments matched / only A / only B |",
    );
    line(
        out,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    );
    for c in &part.worst_first {
        let mut path = ancestors(project, &c.code);
        let own = code_name(project, &c.code);
        path.push(&own);
        let name = path.join(" › ");
        line(
            out,
            &format!("| {} | {} |", md(&name), figures(&c.table, &c.segments)),
        );
    }
    line(out, "\n### Per transcript\n");
    line(
        out,
        "| Transcript | Agreement | Kappa | Alpha | Both | Only A | Only B | Segments matched / only A / only B |",
    );
    line(
        out,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    );
    for t in &r.per_transcript {
        line(
            out,
            &format!(
                "| {} | {} |",
                md(t.transcript.as_str()),
                figures(&t.table, &t.segments)
            ),
        );
    }
    line(out, &format!("\n{}", super::UNDEFINED));
}

/// The overall figures, as (label, value) rows.
pub fn overall_rows(r: &crate::analysis::agreement::Agreement) -> Vec<(String, String)> {
    let o = &r.overall;
    let s = &r.segments;
    vec![
        (
            "Percentage agreement".into(),
            figure(o.percent_agreement(), true),
        ),
        ("Cohen's kappa".into(), figure(o.kappa(), false)),
        (
            "Krippendorff's alpha (nominal)".into(),
            figure(o.alpha(), false),
        ),
        (
            "Mean of per-code kappas, weighted by coded characters".into(),
            figure(r.weighted_kappa(), false),
        ),
        (
            format!(
                "Segments matched (overlap at least {:.0}% of the longer)",
                SEGMENT_OVERLAP * 100.0
            ),
            format!(
                "{} ({} matched, {} only A, {} only B)",
                figure(s.percent(), true),
                s.matched,
                s.only_a,
                s.only_b
            ),
        ),
    ]
}

fn figures(t: &Table, s: &SegmentCounts) -> String {
    format!(
        "{} | {} | {} | {} | {} | {} | {}/{}/{}",
        figure(t.percent_agreement(), true),
        figure(t.kappa(), false),
        figure(t.alpha(), false),
        t.both,
        t.only_a,
        t.only_b,
        s.matched,
        s.only_a,
        s.only_b
    )
}

fn saturation(out: &mut String, report: &Report) {
    heading(out, Section::Saturation);
    let part = &report.saturation;
    for level in 0..LEVELS.len() {
        line(out, &format!("- {}", md(&saturation_sentence(part, level))));
    }
    line(out, &format!("\n{}\n", super::SATURATION_NOTE));
    line(
        out,
        "| # | Transcript | Participant | New codes | Codes so far | New sub-themes | Sub-themes so far | New themes | Themes so far |",
    );
    line(
        out,
        "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    );
    for (i, row) in part.rows.iter().enumerate() {
        let who = part.participants.get(i).map_or("", String::as_str);
        let who = if row.coded {
            who.to_string()
        } else {
            format!("{who} (not coded)")
        };
        let mut cells = format!(
            "| {} | {} | {} |",
            i + 1,
            md(row.transcript.as_str()),
            md(&who)
        );
        for (_, _, pick) in LEVELS {
            let c = pick(row);
            let new = if row.coded {
                c.new.to_string()
            } else {
                "—".into()
            };
            cells.push_str(&format!(" {new} | {} |", c.cumulative));
        }
        line(out, &cells);
    }
}

fn memos(out: &mut String, report: &Report) {
    heading(out, Section::Memos);
    line(
        out,
        &format!(
            "{}, journal entries first, then grouped by what they are linked to.",
            count(report.memos.len(), "memo", "memos")
        ),
    );
    for entry in &report.memos {
        let m = entry.memo;
        line(out, &format!("\n### {}\n", md(&m.title)));
        line(out, &format!("*{}*\n", md(&super::memo_byline(entry))));
        if entry.links.is_empty() {
            line(out, "- Journal entry (not linked to anything)");
        }
        for link in &entry.links {
            line(out, &format!("- Linked to {}", md(link)));
        }
        if !entry.reviewed_by.is_empty() {
            line(
                out,
                &format!("- Reviewed by {}", md(&entry.reviewed_by.join("; "))),
            );
        }
        line(out, "");
        if m.body.trim().is_empty() {
            line(out, "*(empty)*");
        } else {
            line(out, &super::memo::markdown(&m.body));
        }
    }
}
