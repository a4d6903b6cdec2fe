//! The study report: codebook, theme table with exemplar quotes, agreement, saturation, a
//! methods summary and a memo appendix, as Markdown or as one self-contained HTML file.
//!
//! [`data`] gathers every figure from the analysis modules once; [`document`] turns it into
//! one document of blocks (headings, paragraphs, lists, tables, figures, memos) holding every
//! word the report says; [`markdown`] and [`html`] only render those blocks, so both formats
//! (and `thematic stats`, `thematic agreement` and the TUI) show the same numbers in the same
//! words.

mod data;
mod document;
mod figures;
mod html;
mod markdown;
mod memo;
mod methods;

use crate::analysis::node_counts::Coders;
use crate::model::{Code, Project};

/// What the report covers.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Whose coding the theme table and saturation count.
    pub coders: Coders,
    /// The date printed on the report (passed in so that tests are reproducible).
    pub date: jiff::civil::Date,
}

pub use figures::Figure;

/// The Markdown report, its figures linked as `figures/NAME.svg`.
pub fn markdown(project: &Project, options: &ReportOptions) -> String {
    markdown_with_figures(project, options, "figures").0
}

/// The Markdown report with its figures linked as `FOLDER/NAME.svg`, and those figures, for
/// the caller to write into FOLDER beside the report.
pub fn markdown_with_figures(
    project: &Project,
    options: &ReportOptions,
    folder: &str,
) -> (String, Vec<Figure>) {
    let report = data::gather(project, options);
    let figures = figures::figures(&report);
    let document = document::build(&report, &figures);
    (markdown::render(&document, folder), figures)
}

/// The HTML report, its figures inline.
pub fn html(project: &Project, options: &ReportOptions) -> String {
    let report = data::gather(project, options);
    let figures = figures::figures(&report);
    html::render(&document::build(&report, &figures))
}

/// The report's sections, in order.
#[derive(Debug, Clone, Copy)]
enum Section {
    Methods,
    Codebook,
    Themes,
    Figures,
    Agreement,
    Saturation,
    Memos,
}

/// Anchor and title of each [`Section`]; the anchors are the ones GitHub makes from the
/// titles, so the Markdown contents links work there too.
const SECTIONS: [(&str, &str); 7] = [
    ("methods-summary", "Methods summary"),
    ("codebook", "Codebook"),
    ("themes-and-exemplar-quotes", "Themes and exemplar quotes"),
    ("figures", "Figures"),
    ("inter-coder-agreement", "Inter-coder agreement"),
    ("saturation", "Saturation"),
    ("memo-appendix", "Memo appendix"),
];

/// What "overall" means, as `thematic agreement` states it.
const POOLING: &str = "Figures are at character level: for each code and transcript every character is coded or not by each coder, and the tables are pooled by summing them over codes and transcripts. Percentage agreement, Cohen's kappa and Krippendorff's alpha (nominal) are computed as `thematic agreement` computes them.";

/// Why a figure is "—".
const UNDEFINED: &str = "— means undefined, not zero: kappa is undefined when chance agreement is 1 (neither coder applied the code anywhere in the sample, or both coded all of its text), and alpha when every character has the same value for both coders.";

const SATURATION_NOTE: &str = "A level is saturated after the last coded interview that added something new at that level, when at least 3 coded interviews follow without anything new (the default of `thematic stats DIR saturation`). Interviews are in interview order; one nobody coded (no segment, not marked done) adds nothing and does not extend the run. A node counts at its own level and rolls up to the levels above it, never to a lower one: a sub-theme coded directly is not counted as a code.";

/// Markdown extensions memo bodies are read with: those of GitHub's flavour.
fn markdown_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// "all coders", or "alex only".
fn scope_words(report: &data::Report) -> String {
    match &report.coders {
        Coders::All => "all coders".into(),
        Coders::Only(ids) => {
            let names: Vec<String> = ids
                .iter()
                .map(|id| data::coder_name(report.project, id))
                .collect();
            format!("{} only", names.join(" and "))
        }
    }
}

/// "sub-theme · enabler · 34 segments in 10 transcripts", with "under Culture" after the
/// level when `under` names the nodes above.
fn node_summary(node: &data::Node, under: &[&str]) -> String {
    let mut level = node.code.level.label().to_string();
    if !under.is_empty() {
        level.push_str(&format!(" under {}", under.join(" › ")));
    }
    let mut parts = vec![level];
    if !node.code.tags.is_empty() {
        parts.push(node.code.tags.join(", "));
    }
    parts.push(format!(
        "{} in {}",
        data::count(node.counts.segments, "segment", "segments"),
        data::count(node.counts.transcripts, "transcript", "transcripts")
    ));
    parts.join(" · ")
}

/// The parts of a definition that are filled in, labelled.
fn definition_fields(code: &Code) -> Vec<(&'static str, &str)> {
    [
        ("Description", code.description.as_str()),
        ("Inclusion", code.inclusion.as_str()),
        ("Exclusion", code.exclusion.as_str()),
        ("Example", code.example.as_str()),
    ]
    .into_iter()
    .filter(|(_, text)| !text.trim().is_empty())
    .collect()
}

/// "Alex Morgan (alex) · written 2025-03-04 · updated 2025-03-20".
fn memo_byline(entry: &data::MemoEntry) -> String {
    let (created, updated) = (data::day(entry.memo.created), data::day(entry.memo.updated));
    let mut line = format!("{} · written {created}", entry.author);
    if updated != created {
        line.push_str(&format!(" · updated {updated}"));
    }
    line
}

/// Names of the nodes above `id`, top first.
fn ancestors<'p>(project: &'p Project, id: &crate::model::CodeId) -> Vec<&'p str> {
    let mut names = Vec::new();
    let mut at = project.codebook.parent(id);
    while let Some(p) = at {
        if let Some(code) = project.codebook.get(p) {
            names.push(code.name.as_str());
        }
        at = project.codebook.parent(p);
    }
    names.reverse();
    names
}
