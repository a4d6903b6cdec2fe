//! The report as one document of blocks: every heading, sentence, table and list the
//! report shows is decided here, once; [`super::markdown`] and [`super::html`] only render
//! the blocks, so the two formats cannot drift apart in what they say.
//!
//! Text is a list of [`Span`]s that records whose words it holds: ours (fixed prose that may
//! use Markdown's `code` backticks, written as is) or the project's (names, quotes, memo
//! titles: always escaped by the writer). A few spans and blocks carry what only one format
//! shows (a swatch of a code's colour, the Markdown's extra blank line after the figures);
//! they are kept so that the exports stay byte-identical with what the separate writers made.

use super::data::{Node, Report, SEGMENT_OVERLAP, code_name, count, figure};
use super::figures::Figure;
use super::methods::{items, saturation_sentence};
use super::{SECTIONS, Section, ancestors, definition_fields, node_summary, scope_words};
use crate::analysis::agreement::{Agreement, SegmentCounts, Table as Counts};
use crate::model::{Code, Colour, Level};
use crate::wording::{LEVELS_UP, level_pick};

/// What the methods summary marks as still to be written by the researcher.
pub const TO_COMPLETE: &str = "To complete";

/// Shown for a node with no description, inclusion, exclusion or example.
pub const NO_DEFINITION: &str = "No definition recorded.";

/// The heading of the list of sections.
pub const CONTENTS: &str = "Contents";

/// One run of text and whose words it holds.
#[derive(Debug, Clone)]
pub enum Span {
    /// Our own prose: written as is in Markdown (its backticks are code); escaped in HTML,
    /// backticks turned into `<code>`.
    Ours(String),
    /// The project's text (names, quotes, labels): escaped by each writer.
    Theirs(String),
    /// The report's date (HTML marks it up as a `<time>`).
    Date(jiff::civil::Date),
    /// A node's path in the codebook, top first, then its own name ("Culture › Trust").
    Path(Vec<String>),
    /// A square of a code's colour (HTML only).
    Swatch(Option<Colour>),
    /// Labels such as a code's tags ("a, b" in Markdown, one tag element each in HTML).
    Tags(Vec<String>),
    /// Where the two formats have always been worded differently (kept byte for byte):
    /// each string is written as is in its format.
    Worded {
        markdown: &'static str,
        html: &'static str,
    },
}

/// A run of spans read as one piece of text.
pub type Text = Vec<Span>;

/// Our prose as text.
pub fn ours(text: impl Into<String>) -> Text {
    vec![Span::Ours(text.into())]
}

/// The project's words as text.
pub fn theirs(text: impl Into<String>) -> Text {
    vec![Span::Theirs(text.into())]
}

/// The report: a header and its sections, in order.
pub struct Document<'p> {
    pub title: String,
    pub description: Option<String>,
    /// "Report of DATE made with thematic V. Counts are of the coding of …."
    pub meta: Text,
    pub sections: Vec<SectionBlocks<'p>>,
}

/// One section of the report: its anchor and title (from [`SECTIONS`]) and its blocks.
pub struct SectionBlocks<'p> {
    pub anchor: &'static str,
    pub title: &'static str,
    pub blocks: Vec<Block<'p>>,
}

/// One block of a section.
pub enum Block<'p> {
    /// A paragraph. Markdown runs the parts together as one paragraph; HTML gives each its
    /// own (the agreement's explanation of pooling stands apart there).
    Paragraph(Vec<Text>),
    /// A note below a table (a paragraph in Markdown, a smaller one in HTML).
    Note(Text),
    /// A heading below the section's own.
    Heading(Text),
    /// A bulleted list; `class` names it for the HTML style sheet.
    List {
        class: &'static str,
        items: Vec<Text>,
    },
    /// The COREQ items: a label, what the data says, and what is still to complete.
    Checklist(Vec<ChecklistItem>),
    /// The codebook as an indented tree.
    Tree(Vec<TreeNode<'p>>),
    /// One node's definition.
    Definition(Definition<'p>),
    /// A table.
    Table(Table),
    /// The figures, each with its caption.
    Figures(Vec<FigureBlock>),
    /// One memo.
    Memo(MemoBlock),
}

/// One COREQ item.
pub struct ChecklistItem {
    /// "12. Sample size".
    pub label: String,
    /// What the project records (the project's words: escaped).
    pub text: String,
    /// What the researcher still has to write, if anything.
    pub fill: Option<String>,
}

/// One node of the codebook tree.
pub struct TreeNode<'p> {
    pub depth: usize,
    pub code: &'p Code,
    /// "sub-theme · enabler · 34 segments in 10 transcripts".
    pub summary: String,
}

/// One node's heading, summary and labelled definition.
pub struct Definition<'p> {
    pub depth: usize,
    pub code: &'p Code,
    /// The summary with the nodes above it.
    pub about: String,
    /// The filled-in parts, labelled; empty for [`NO_DEFINITION`].
    pub fields: Vec<(&'static str, String)>,
}

/// How the HTML writer has always laid out a table's tags (kept byte for byte).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HtmlShape {
    /// No column headings; `<table><tbody>` opens and closes on one line.
    Compact,
    /// Column headings; `</tbody></table>` closes on one line.
    Headed,
    /// Column headings; `</tbody>` and `</table>` on lines of their own.
    HeadedLoose,
}

/// A table: its columns and rows.
pub struct Table {
    /// Names the table for the HTML style sheet.
    pub class: &'static str,
    pub html: HtmlShape,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

/// A column's heading; numeric columns are right-aligned.
pub struct Column {
    pub heading: &'static str,
    pub numeric: bool,
    /// More words for the heading: after it in Markdown, as its tooltip in HTML.
    pub detail: Option<&'static str>,
}

/// What a row stands for, which each format shows its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Plain,
    /// The first cell names its row (a header cell in HTML).
    Labelled,
    Theme,
    SubTheme,
}

pub struct Row {
    pub kind: RowKind,
    pub cells: Vec<Cell>,
}

/// One cell: its text, and a mark the HTML style sheet shows ("undefined", "new", "quote").
pub struct Cell {
    pub text: Text,
    pub mark: Option<&'static str>,
}

impl Cell {
    fn new(text: Text) -> Self {
        Cell { text, mark: None }
    }

    fn number(n: impl ToString) -> Self {
        Cell::new(ours(n.to_string()))
    }
}

/// One figure with its caption.
pub struct FigureBlock {
    /// "Figure 1. " followed by the title.
    pub label: Text,
    pub title: String,
    pub caption: String,
    /// The SVG file's name (Markdown links it) and the SVG itself (HTML inlines it).
    pub file: String,
    pub svg: String,
}

/// One memo of the appendix.
pub struct MemoBlock {
    pub title: String,
    pub byline: String,
    /// What it is linked to and who reviewed it, one line each.
    pub notes: Vec<Text>,
    /// The body as the researcher wrote it (Markdown).
    pub body: String,
}

/// The whole report as a document.
pub fn build<'p>(report: &Report<'p>, figures: &[Figure]) -> Document<'p> {
    let meta = &report.project.meta;
    let section = |section: Section, blocks| {
        let (anchor, title) = SECTIONS[section as usize];
        SectionBlocks {
            anchor,
            title,
            blocks,
        }
    };
    Document {
        title: meta.name.clone(),
        description: (!meta.description.trim().is_empty()).then(|| meta.description.clone()),
        meta: vec![
            Span::Ours("Report of ".into()),
            Span::Date(report.date),
            Span::Ours(format!(
                " made with thematic {}. Counts are of the coding of ",
                env!("CARGO_PKG_VERSION")
            )),
            Span::Theirs(scope_words(report)),
            Span::Ours(".".into()),
        ],
        sections: vec![
            section(Section::Methods, methods(report)),
            section(Section::Codebook, codebook(report)),
            section(Section::Themes, themes(report)),
            section(Section::Figures, vec![figures_block(figures)]),
            section(Section::Agreement, agreement(report)),
            section(Section::Saturation, saturation(report)),
            section(Section::Memos, memos(report)),
        ],
    }
}

/// "… (all coders)." after our words.
fn with_scope(report: &Report, before: &str, after: &str) -> Text {
    vec![
        Span::Ours(before.into()),
        Span::Theirs(scope_words(report)),
        Span::Ours(after.into()),
    ]
}

fn methods<'p>(report: &Report<'p>) -> Vec<Block<'p>> {
    let intro = vec![
        Span::Ours("The data-analysis items of COREQ (Tong, Sainsbury and Craig 2007), answered from what the project records. ".into()),
        Span::Worded {
            markdown: "Text marked **To complete** is for the researcher to write.",
            html: r#"<span class="fill">To complete</span> marks what the researcher has to write."#,
        },
    ];
    let checklist = items(report)
        .into_iter()
        .map(|item| ChecklistItem {
            label: format!("{}. {}", item.number, item.topic),
            text: item.text,
            fill: item.fill.map(str::to_string),
        })
        .collect();
    vec![Block::Paragraph(vec![intro]), Block::Checklist(checklist)]
}

fn codebook<'p>(report: &Report<'p>) -> Vec<Block<'p>> {
    let mut blocks = vec![
        Block::Paragraph(vec![with_scope(
            report,
            "Counts are the segments carrying a node or any node below it, and the transcripts they are in (",
            ").",
        )]),
        Block::Heading(ours("Tree")),
        Block::Tree(
            report
                .codebook
                .iter()
                .map(|node| TreeNode {
                    depth: node.depth,
                    code: node.code,
                    summary: node_summary(node, &[]),
                })
                .collect(),
        ),
        Block::Heading(ours("Definitions")),
    ];
    blocks.extend(report.codebook.iter().map(|node| definition(report, node)));
    blocks
}

fn definition<'p>(report: &Report<'p>, node: &Node<'p>) -> Block<'p> {
    let parents = ancestors(report.project, &node.code.id);
    Block::Definition(Definition {
        depth: node.depth,
        code: node.code,
        about: node_summary(node, &parents),
        fields: definition_fields(node.code)
            .into_iter()
            .map(|(label, text)| (label, text.to_string()))
            .collect(),
    })
}

fn themes<'p>(report: &Report<'p>) -> Vec<Block<'p>> {
    let column = |heading, numeric| Column {
        heading,
        numeric,
        detail: None,
    };
    let rows = report
        .themes
        .iter()
        .map(|(row, code)| Row {
            kind: if row.level == Level::Theme {
                RowKind::Theme
            } else {
                RowKind::SubTheme
            },
            cells: vec![
                Cell::new(vec![
                    Span::Swatch(code.colour),
                    Span::Theirs(code.name.clone()),
                ]),
                Cell::new(vec![Span::Tags(row.tags.clone())]),
                Cell::number(row.participants),
                Cell::number(row.segments),
                Cell {
                    text: row.exemplar.clone().map_or_else(|| ours("—"), theirs),
                    mark: Some("quote"),
                },
            ],
        })
        .collect();
    vec![
        Block::Paragraph(vec![with_scope(
            report,
            "Each theme and sub-theme counts its own segments and those of every node below it of its level or a lower one (",
            "). The exemplar is the quote chosen in the codebook, else the first in interview order.",
        )]),
        Block::Table(Table {
            class: "themes",
            html: HtmlShape::HeadedLoose,
            columns: vec![
                column("Theme / sub-theme", false),
                column("Tags", false),
                column("Participants", true),
                column("Segments", true),
                column("Exemplar quote", false),
            ],
            rows,
        }),
    ]
}

fn figures_block(figures: &[Figure]) -> Block<'static> {
    Block::Figures(
        figures
            .iter()
            .enumerate()
            .map(|(i, figure)| FigureBlock {
                label: vec![
                    Span::Ours(format!("Figure {}. ", i + 1)),
                    Span::Theirs(figure.title.clone()),
                ],
                title: figure.title.clone(),
                caption: figure.caption.clone(),
                file: figure.file.clone(),
                svg: figure.svg.clone(),
            })
            .collect(),
    )
}

fn agreement<'p>(report: &Report<'p>) -> Vec<Block<'p>> {
    let Some(part) = &report.agreement else {
        return vec![Block::Paragraph(vec![ours(
            "No double-coding sample is recorded in thematic.yaml (`thematic sample` draws one), so there is no agreement to report.",
        )])];
    };
    let project = report.project;
    let r = &part.result;
    let transcripts: Vec<String> = r
        .transcripts
        .iter()
        .map(|t| format!("{t} ({})", super::data::participant(project, t)))
        .collect();
    let compared = vec![
        Span::Ours("Compared: ".into()),
        Span::Theirs(super::data::coder_name(project, &r.coder_a)),
        Span::Ours(" as coder A and ".into()),
        Span::Theirs(super::data::coder_name(project, &r.coder_b)),
        Span::Ours(format!(
            " as coder B, on the double-coding sample of {}: ",
            count(r.transcripts.len(), "transcript", "transcripts")
        )),
        Span::Theirs(transcripts.join(", ")),
        Span::Ours(".".into()),
    ];
    let per_code = part
        .worst_first
        .iter()
        .map(|c| {
            let mut path: Vec<String> = ancestors(project, &c.code)
                .into_iter()
                .map(str::to_string)
                .collect();
            path.push(code_name(project, &c.code));
            figures_row(vec![Span::Path(path)], &c.table, &c.segments)
        })
        .collect();
    let per_transcript = r
        .per_transcript
        .iter()
        .map(|t| figures_row(theirs(t.transcript.as_str()), &t.table, &t.segments))
        .collect();
    vec![
        Block::Paragraph(vec![compared, ours(super::POOLING)]),
        Block::Table(overall_table(r)),
        Block::Heading(ours("Per code, lowest kappa first")),
        Block::Table(figures_table("Code", per_code)),
        Block::Heading(ours("Per transcript")),
        Block::Table(figures_table("Transcript", per_transcript)),
        Block::Note(ours(super::UNDEFINED)),
    ]
}

/// The overall figures: one labelled row each.
fn overall_table(r: &Agreement) -> Table {
    let o = &r.overall;
    let s = &r.segments;
    let rows = [
        (
            "Percentage agreement".to_string(),
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
    ];
    Table {
        class: "overall",
        html: HtmlShape::Compact,
        columns: vec![
            Column {
                heading: "Measure",
                numeric: false,
                detail: None,
            },
            Column {
                heading: "Value",
                numeric: true,
                detail: None,
            },
        ],
        rows: rows
            .into_iter()
            .map(|(label, value)| Row {
                kind: RowKind::Labelled,
                cells: vec![Cell::new(ours(label)), Cell::new(ours(value))],
            })
            .collect(),
    }
}

/// A table of agreement figures whose rows are named in the column `first`.
fn figures_table(first: &'static str, rows: Vec<Row>) -> Table {
    let mut columns = vec![Column {
        heading: first,
        numeric: false,
        detail: None,
    }];
    for heading in ["Agreement", "Kappa", "Alpha", "Both", "Only A", "Only B"] {
        columns.push(Column {
            heading,
            numeric: true,
            detail: None,
        });
    }
    columns.push(Column {
        heading: "Segments",
        numeric: true,
        detail: Some("matched / only A / only B"),
    });
    Table {
        class: "figures",
        html: HtmlShape::Headed,
        columns,
        rows,
    }
}

/// One row of agreement figures: character-level counts, then segments matched / only A /
/// only B.
fn figures_row(name: Text, t: &Counts, s: &SegmentCounts) -> Row {
    let figure_cell = |v: Option<f64>, percent: bool| Cell {
        text: ours(figure(v, percent)),
        mark: v.is_none().then_some("undefined"),
    };
    Row {
        kind: RowKind::Plain,
        cells: vec![
            Cell::new(name),
            figure_cell(t.percent_agreement(), true),
            figure_cell(t.kappa(), false),
            figure_cell(t.alpha(), false),
            Cell::number(t.both),
            Cell::number(t.only_a),
            Cell::number(t.only_b),
            Cell::number(format!("{}/{}/{}", s.matched, s.only_a, s.only_b)),
        ],
    }
}

fn saturation<'p>(report: &Report<'p>) -> Vec<Block<'p>> {
    let part = &report.saturation;
    let mut columns = vec![
        Column {
            heading: "#",
            numeric: true,
            detail: None,
        },
        Column {
            heading: "Transcript",
            numeric: false,
            detail: None,
        },
        Column {
            heading: "Participant",
            numeric: false,
            detail: None,
        },
    ];
    for heading in [
        "New codes",
        "Codes so far",
        "New sub-themes",
        "Sub-themes so far",
        "New themes",
        "Themes so far",
    ] {
        columns.push(Column {
            heading,
            numeric: true,
            detail: None,
        });
    }
    let rows = part
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let who = part.participants.get(i).map_or("", String::as_str);
            let who = if row.coded {
                who.to_string()
            } else {
                format!("{who} (not coded)")
            };
            let mut cells = vec![
                Cell::number(i + 1),
                Cell::new(theirs(row.transcript.as_str())),
                Cell::new(theirs(who)),
            ];
            for level in LEVELS_UP {
                let c = level_pick(level)(row);
                let new = if row.coded {
                    c.new.to_string()
                } else {
                    "—".into()
                };
                cells.push(Cell {
                    text: ours(new),
                    mark: (c.new > 0).then_some("new"),
                });
                cells.push(Cell::number(c.cumulative));
            }
            Row {
                kind: RowKind::Plain,
                cells,
            }
        })
        .collect();
    vec![
        Block::List {
            class: "sentences",
            items: LEVELS_UP
                .iter()
                .map(|&level| theirs(saturation_sentence(part, level)))
                .collect(),
        },
        Block::Note(ours(super::SATURATION_NOTE)),
        Block::Table(Table {
            class: "saturation",
            html: HtmlShape::Headed,
            columns,
            rows,
        }),
    ]
}

fn memos<'p>(report: &Report<'p>) -> Vec<Block<'p>> {
    let mut blocks = vec![Block::Paragraph(vec![ours(format!(
        "{}, journal entries first, then grouped by what they are linked to.",
        count(report.memos.len(), "memo", "memos")
    ))])];
    for entry in &report.memos {
        let mut notes: Vec<Text> = Vec::new();
        if entry.links.is_empty() {
            notes.push(ours("Journal entry (not linked to anything)"));
        }
        for link in &entry.links {
            notes.push(vec![
                Span::Ours("Linked to ".into()),
                Span::Theirs(link.clone()),
            ]);
        }
        if !entry.reviewed_by.is_empty() {
            notes.push(vec![
                Span::Ours("Reviewed by ".into()),
                Span::Theirs(entry.reviewed_by.join("; ")),
            ]);
        }
        blocks.push(Block::Memo(MemoBlock {
            title: entry.memo.title.clone(),
            byline: super::memo_byline(entry),
            notes,
            body: entry.memo.body.clone(),
        }));
    }
    blocks
}
