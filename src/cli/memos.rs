//! `thematic memos`: list or export memos with their links and review threads.

use super::command_error::Outcome;
use super::context::Context;
use super::output::print_json;
use super::text_table::Table;
use clap::ValueEnum;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use thematic::analysis::memos::{
    MemoFilter, MemoOrder, find_memos, link_label, reviewed_by, thread,
};
use thematic::model::audit::AuditEntry;
use thematic::model::{CoderId, Memo, MemoKind, Project};

#[derive(Clone, Copy, ValueEnum)]
pub enum MemoFormat {
    Table,
    Markdown,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    Journal,
    Code,
    Transcript,
    Segment,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ReviewState {
    Reviewed,
    Unreviewed,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Order {
    /// Newest first.
    Newest,
    /// Grouped by what they are about.
    Linked,
}

#[derive(clap::Args)]
pub struct Args {
    dir: PathBuf,
    #[arg(long, value_enum, default_value_t = MemoFormat::Table)]
    format: MemoFormat,
    /// Only memos by this coder.
    #[arg(long, value_name = "ID")]
    author: Option<String>,
    #[arg(long, value_enum)]
    kind: Option<Kind>,
    /// Updated on or after this day (YYYY-MM-DD).
    #[arg(long)]
    since: Option<jiff::civil::Date>,
    /// Updated on or before this day (YYYY-MM-DD).
    #[arg(long)]
    until: Option<jiff::civil::Date>,
    /// Containing this text in the title or body.
    #[arg(long)]
    text: Option<String>,
    #[arg(long, value_enum)]
    review: Option<ReviewState>,
    #[arg(long, value_enum, default_value_t = Order::Newest)]
    sort: Order,
    /// Show the audit trail of codebook decisions beside the memos, in time order.
    #[arg(long)]
    audit: bool,
}

#[derive(Serialize)]
struct DecisionOut<'a> {
    by: &'a str,
    at: String,
    decision: &'a str,
    codes: Vec<String>,
}

#[derive(Serialize)]
struct Export<'a> {
    memos: Vec<MemoOut<'a>>,
    audit: Vec<DecisionOut<'a>>,
}

#[derive(Serialize)]
struct MemoOut<'a> {
    id: &'a str,
    title: &'a str,
    author: &'a str,
    kind: &'static str,
    created: String,
    updated: String,
    links: Vec<String>,
    body: &'a str,
    reviewed_by: Vec<String>,
    thread: Vec<CommentOut<'a>>,
}

#[derive(Serialize)]
struct CommentOut<'a> {
    by: &'a str,
    at: String,
    text: &'a str,
}

fn stamp(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

fn out<'a>(project: &'a Project, memo: &'a Memo) -> MemoOut<'a> {
    MemoOut {
        id: memo.id.as_str(),
        title: &memo.title,
        author: memo.author.as_str(),
        kind: memo.kind().label(),
        created: memo.created.to_string(),
        updated: memo.updated.to_string(),
        links: memo.links.iter().map(|l| link_label(project, l)).collect(),
        body: &memo.body,
        reviewed_by: reviewed_by(project, memo)
            .into_iter()
            .map(|(who, at)| format!("{who} {}", at))
            .collect(),
        thread: thread(project, memo)
            .into_iter()
            .map(|(by, c)| CommentOut {
                by: by.as_str(),
                at: c.at.to_string(),
                text: &c.text,
            })
            .collect(),
    }
}

pub fn run(ctx: &Context, args: Args) -> Outcome {
    let loaded = super::context::load(&args.dir)?;
    let seen = ctx.seen_by(&loaded.project)?;
    let project = &*seen;
    let filter = MemoFilter {
        author: args.author.as_deref().map(CoderId::new).transpose()?,
        kind: args.kind.map(|k| match k {
            Kind::Journal => MemoKind::Journal,
            Kind::Code => MemoKind::Code,
            Kind::Transcript => MemoKind::Transcript,
            Kind::Segment => MemoKind::Segment,
        }),
        since: args.since,
        until: args.until,
        text: args.text.clone(),
        reviewed: args.review.map(|r| matches!(r, ReviewState::Reviewed)),
    };
    let order = match args.sort {
        Order::Newest => MemoOrder::Newest,
        Order::Linked => MemoOrder::ByLink,
    };
    let found = find_memos(project, &filter, order);
    // Decisions, newest first like the memos, only when asked for.
    let mut decisions = if args.audit {
        project.audit()
    } else {
        Vec::new()
    };
    decisions.reverse();
    match args.format {
        MemoFormat::Json => print_json(&export(project, &found, &decisions))?,
        MemoFormat::Table => print!("{}", table(project, &found)),
        MemoFormat::Markdown => {
            print!("{}", markdown(project, &found));
            if !decisions.is_empty() {
                println!("\n# Codebook decisions\n");
                for (by, e) in &decisions {
                    println!("- {}, {by}: {}", stamp(e.at), e.decision);
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `--format json`: the memos and the decisions.
fn export<'a>(
    project: &'a Project,
    found: &[&'a Memo],
    decisions: &[(&'a CoderId, &'a AuditEntry)],
) -> Export<'a> {
    let memos: Vec<MemoOut> = found.iter().map(|m| out(project, m)).collect();
    let audit = decisions
        .iter()
        .map(|&(by, e)| DecisionOut {
            by: by.as_str(),
            at: e.at.to_string(),
            decision: &e.decision,
            codes: e.codes.iter().map(ToString::to_string).collect(),
        })
        .collect();
    Export { memos, audit }
}

/// `--format table`: a line per memo, then how many are not yet reviewed.
fn table(project: &Project, found: &[&Memo]) -> String {
    let mut table = Table::new(&["Updated", "Author", "Kind", "Reviewed", "Title", "About"]);
    for m in found {
        let about = m
            .links
            .first()
            .map(|l| link_label(project, l))
            .unwrap_or_else(|| "journal".into());
        let about: String = about.chars().take(60).collect();
        let reviewed = if project.is_reviewed(&m.id) {
            "yes"
        } else {
            "no"
        };
        table.row(vec![
            m.updated.strftime("%Y-%m-%d").to_string(),
            m.author.to_string(),
            m.kind().label().into(),
            reviewed.into(),
            m.title.clone(),
            about,
        ]);
    }
    let unreviewed = found.iter().filter(|m| !project.is_reviewed(&m.id)).count();
    format!(
        "{}\n{} memo(s), {unreviewed} not yet reviewed\n",
        table.render(),
        found.len()
    )
}

/// Markdown that keeps the author's single line breaks: a line followed by more text of the
/// same paragraph ends in a hard break (`\`), except headings and inside code fences.
fn keep_line_breaks(body: &str) -> String {
    let lines: Vec<&str> = body.lines().collect();
    let mut out = String::with_capacity(body.len() + lines.len());
    let mut in_fence = false;
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let fence = trimmed.starts_with("```") || trimmed.starts_with("~~~");
        if fence {
            in_fence = !in_fence;
        }
        out.push_str(line);
        let next_is_text = lines
            .get(i + 1)
            .is_some_and(|n| !n.trim().is_empty() && !starts_block(n));
        let breakable = !in_fence
            && !fence
            && !trimmed.is_empty()
            && !trimmed.starts_with('#')
            && !line.ends_with('\\');
        if next_is_text && breakable {
            out.push('\\');
        }
        out.push('\n');
    }
    out
}

/// Whether a line begins a Markdown block that interrupts a paragraph (heading, fence, list
/// item, quote), so the line before it needs no hard break.
fn starts_block(line: &str) -> bool {
    let t = line.trim_start();
    let ordered = t.split_once(['.', ')']).is_some_and(|(n, rest)| {
        !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) && rest.starts_with(' ')
    });
    ["#", "```", "~~~", "- ", "* ", "+ ", ">"]
        .iter()
        .any(|p| t.starts_with(p))
        || ordered
}

/// A memo's title for Markdown: one line, table pipes escaped.
fn md_title(m: &Memo) -> String {
    let title = m.title.trim();
    if title.is_empty() {
        "(untitled)".into()
    } else {
        title.replace('\n', " ").replace('|', "\\|")
    }
}

/// Each memo under its own heading, with its links, author, dates and review thread, after an
/// index of them all.
fn markdown(project: &Project, memos: &[&Memo]) -> String {
    let mut md = format!(
        "# Memos: {}\n\n{} memo(s).\n",
        project.meta.name,
        memos.len()
    );
    if !memos.is_empty() {
        md.push_str("\n| Title | Author | Kind | Reviewed |\n|---|---|---|---|\n");
        for m in memos {
            let reviewed = if project.is_reviewed(&m.id) {
                "yes"
            } else {
                "no"
            };
            md.push_str(&format!(
                "| {} | {} | {} | {reviewed} |\n",
                md_title(m),
                m.author,
                m.kind().label()
            ));
        }
    }
    for m in memos {
        let title = if m.title.trim().is_empty() {
            "(untitled)"
        } else {
            m.title.trim()
        };
        md.push_str(&format!("\n## {}\n\n", title.replace('\n', " ")));
        md.push_str(&format!(
            "- Author: {}\n- Written: {}; last changed {}\n",
            m.author,
            stamp(m.created),
            stamp(m.updated)
        ));
        if m.links.is_empty() {
            md.push_str("- Reflexive journal entry\n");
        }
        for link in &m.links {
            md.push_str(&format!("- About the {}\n", link_label(project, link)));
            if let Some((quote, codes)) = thematic::analysis::memos::segment_detail(project, link) {
                // The label quotes the passage already; say how it is coded.
                let _ = quote;
                md.push_str(&format!("- The segment is coded {}\n", codes.join(", ")));
            }
        }
        let reviewed = reviewed_by(project, m);
        if reviewed.is_empty() {
            md.push_str("- Not yet reviewed\n");
        }
        for (who, at) in reviewed {
            md.push_str(&format!("- Reviewed by {who}, {}\n", stamp(at)));
        }
        md.push('\n');
        md.push_str(keep_line_breaks(m.body.trim_end()).trim_end());
        md.push('\n');
        let comments = thread(project, m);
        if !comments.is_empty() {
            md.push_str("\n### Review thread\n\n");
            for (by, c) in comments {
                let text = c.text.trim().replace('\n', "\n  ");
                md.push_str(&format!("- **{by}**, {}: {text}\n", stamp(c.at)));
            }
        }
    }
    md
}

#[cfg(test)]
mod tests {
    use super::keep_line_breaks;

    #[test]
    fn single_line_breaks_become_hard_breaks_but_not_in_headings_or_code() {
        let body = "# Heading\nfirst line\nsecond line\n\nnew paragraph\n```\ncode\nmore\n```\nafter\n- a list\n1. item";
        assert_eq!(
            keep_line_breaks(body),
            "# Heading\nfirst line\\\nsecond line\n\nnew paragraph\n```\ncode\nmore\n```\nafter\n- a list\n1. item\n"
        );
    }
}
