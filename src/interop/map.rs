//! The thematic map (Braun & Clarke's phases 3-4): themes, their sub-themes and codes as a
//! node-link diagram, each node sized by its segments or participants and its enabler /
//! barrier tags shown by shape and border, written as SVG (for a paper or the report) or as
//! Graphviz DOT (for people who style their own).
//!
//! The layout is a deterministic left-to-right tree: one column per depth, and each node
//! given a vertical slot at least as tall as its own box and as all its children's slots
//! together, children stacked inside their parent's slot. Slots of one column never
//! overlap and columns are apart, so no two boxes can overlap, whatever the codebook.

use super::refi::xml::escape;
use crate::analysis::node_counts::{Coders, code_counts};
use crate::model::{CodeId, Colour, Project};
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

/// What a node's size shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SizeBy {
    /// Segments carrying the node or anything below it (every coder's, each segment once).
    #[default]
    Segments,
    /// Participants with at least one such segment.
    Participants,
}

impl SizeBy {
    pub fn label(self) -> &'static str {
        match self {
            SizeBy::Segments => "segments",
            SizeBy::Participants => "participants",
        }
    }
}

/// How a node's tags are drawn, so that enablers and barriers differ in grey scale too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Enabler,
    Barrier,
    Plain,
}

impl Kind {
    fn of(tags: &[String]) -> Kind {
        let has = |t: &str| tags.iter().any(|tag| tag.eq_ignore_ascii_case(t));
        if has("barrier") {
            Kind::Barrier
        } else if has("enabler") {
            Kind::Enabler
        } else {
            Kind::Plain
        }
    }
}

/// One node of the map, placed.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub id: CodeId,
    pub name: String,
    pub depth: usize,
    pub count: usize,
    pub kind: Kind,
    pub colour: Colour,
    /// The label's lines (long names wrapped).
    pub lines: Vec<String>,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub parent: Option<CodeId>,
}

/// The whole map, laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct Map {
    pub size_by: SizeBy,
    pub nodes: Vec<Node>,
    pub width: f64,
    pub height: f64,
}

/// Okabe and Ito's colour-blind-safe palette, for nodes with no colour of their own.
const SAFE_PALETTE: [Colour; 7] = [
    Colour([0xe6, 0x9f, 0x00]),
    Colour([0x56, 0xb4, 0xe9]),
    Colour([0x00, 0x9e, 0x73]),
    Colour([0xf0, 0xe4, 0x42]),
    Colour([0x00, 0x72, 0xb2]),
    Colour([0xd5, 0x5e, 0x00]),
    Colour([0xcc, 0x79, 0xa7]),
];

const CHAR_WIDTH: f64 = 7.0;
const LINE_HEIGHT: f64 = 14.0;
const WRAP_AT: usize = 30;
const PADDING: f64 = 5.0;
const GAP: f64 = 6.0;
const COLUMN_GAP: f64 = 48.0;
const MARGIN: f64 = 16.0;
/// How much taller than its label the most used node of a column is drawn.
const GROWTH: f64 = 14.0;

/// Lays out the map of the whole codebook.
pub fn layout(project: &Project, size_by: SizeBy) -> Map {
    let counts = node_counts(project, size_by);
    let book = &project.codebook;
    // Nodes depth-first, with their unplaced boxes.
    let mut nodes: Vec<Node> = Vec::with_capacity(book.len());
    let mut fallback = 0;
    for (depth, code) in book.walk() {
        let parent = book.parent(&code.id).cloned();
        let inherited = parent
            .as_ref()
            .and_then(|p| nodes.iter().find(|n| &n.id == p))
            .map(|n| n.colour);
        let colour = code.colour.or(inherited).unwrap_or_else(|| {
            fallback += 1;
            SAFE_PALETTE[(fallback - 1) % SAFE_PALETTE.len()]
        });
        let count = counts.get(&code.id).copied().unwrap_or(0);
        let lines = wrap(&format!("{} ({count})", code.name), WRAP_AT);
        nodes.push(Node {
            id: code.id.clone(),
            name: code.name.clone(),
            depth,
            count,
            kind: Kind::of(&code.tags),
            colour,
            x: 0.0,
            y: 0.0,
            width: 0.0,
            height: 0.0,
            lines,
            parent,
        });
    }
    size_boxes(&mut nodes);
    let columns = column_lefts(&nodes);
    for node in &mut nodes {
        node.x = columns[node.depth];
    }
    let index: HashMap<CodeId, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.clone(), i))
        .collect();
    let mut slots = HashMap::new();
    let roots = book.children(None);
    for root in roots {
        slot_height(project, root, &nodes, &index, &mut slots);
    }
    let mut top = MARGIN;
    for root in roots {
        place(project, root, top, &mut nodes, &index, &slots);
        top += slots.get(root).copied().unwrap_or(0.0);
    }
    let width = nodes.iter().map(|n| n.x + n.width).fold(0.0, f64::max) + MARGIN;
    Map {
        size_by,
        nodes,
        width: width.max(200.0),
        height: top + MARGIN + LEGEND_HEIGHT,
    }
}

/// Every node's count: segments (each once, as the codebook table counts them) or
/// participants, of the node and below.
fn node_counts(project: &Project, size_by: SizeBy) -> HashMap<CodeId, usize> {
    if size_by == SizeBy::Segments {
        return code_counts(project, &Coders::All)
            .into_iter()
            .map(|(id, counts)| (id, counts.segments))
            .collect();
    }
    let book = &project.codebook;
    // Participants: a node counts those with a segment carrying it or a node below it.
    let mut seen: HashMap<CodeId, HashSet<String>> = HashMap::new();
    for (_, transcript, segment) in project.all_segments() {
        let participant = project
            .transcript(transcript)
            .map_or_else(|| transcript.to_string(), |t| t.meta.participant.clone());
        let mut carried = HashSet::new();
        for code in &segment.codes {
            let mut current = Some(code);
            while let Some(id) = current {
                carried.insert(id.clone());
                current = book.parent(id);
            }
        }
        for id in carried {
            seen.entry(id).or_default().insert(participant.clone());
        }
    }
    seen.into_iter().map(|(id, set)| (id, set.len())).collect()
}

/// Breaks a label into lines of at most `at` characters at spaces (a longer word is cut).
fn wrap(text: &str, at: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let fits = line.chars().count() + 1 + word.chars().count() <= at;
        if !line.is_empty() && !fits {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while line.chars().count() > at {
            let head: String = line.chars().take(at).collect();
            let tail: String = line.chars().skip(at).collect();
            lines.push(head);
            line = tail;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Each box's width (its column's widest label) and height (its label, grown with its count
/// relative to the most used node of its depth).
fn size_boxes(nodes: &mut [Node]) {
    let mut widest: HashMap<usize, usize> = HashMap::new();
    let mut most: HashMap<usize, usize> = HashMap::new();
    for node in nodes.iter() {
        let longest = node.lines.iter().map(|l| l.chars().count()).max();
        let entry = widest.entry(node.depth).or_default();
        *entry = (*entry).max(longest.unwrap_or(0));
        let entry = most.entry(node.depth).or_default();
        *entry = (*entry).max(node.count);
    }
    for node in nodes.iter_mut() {
        let label = node.lines.len() as f64 * LINE_HEIGHT + 2.0 * PADDING;
        let most = most.get(&node.depth).copied().unwrap_or(0).max(1) as f64;
        node.height = label + GROWTH * (node.count as f64 / most).sqrt();
        node.width =
            widest.get(&node.depth).copied().unwrap_or(0) as f64 * CHAR_WIDTH + 2.0 * PADDING;
    }
}

/// The left edge of each depth's column.
fn column_lefts(nodes: &[Node]) -> Vec<f64> {
    let depths = nodes.iter().map(|n| n.depth + 1).max().unwrap_or(0);
    let mut widths = vec![0.0f64; depths];
    for node in nodes {
        widths[node.depth] = widths[node.depth].max(node.width);
    }
    let mut lefts = Vec::with_capacity(depths);
    let mut x = MARGIN;
    for width in widths {
        lefts.push(x);
        x += width + COLUMN_GAP;
    }
    lefts
}

/// The height of a node's slot: its own box and gap, or all its children's slots.
fn slot_height(
    project: &Project,
    id: &CodeId,
    nodes: &[Node],
    index: &HashMap<CodeId, usize>,
    slots: &mut HashMap<CodeId, f64>,
) -> f64 {
    let own = index.get(id).map_or(0.0, |&i| nodes[i].height + GAP);
    let children: f64 = project
        .codebook
        .children(Some(id))
        .iter()
        .map(|child| slot_height(project, child, nodes, index, slots))
        .sum();
    let height = own.max(children);
    slots.insert(id.clone(), height);
    height
}

/// Puts a node in the middle of its slot (which starts at `top`) and its children's slots,
/// stacked and centred, inside it.
fn place(
    project: &Project,
    id: &CodeId,
    top: f64,
    nodes: &mut [Node],
    index: &HashMap<CodeId, usize>,
    slots: &HashMap<CodeId, f64>,
) {
    let slot = slots.get(id).copied().unwrap_or(0.0);
    if let Some(&i) = index.get(id) {
        nodes[i].y = top + (slot - nodes[i].height) / 2.0;
    }
    let children = project.codebook.children(Some(id));
    let together: f64 = children.iter().filter_map(|c| slots.get(c)).sum();
    let mut child_top = top + (slot - together) / 2.0;
    for child in children {
        place(project, child, child_top, nodes, index, slots);
        child_top += slots.get(child).copied().unwrap_or(0.0);
    }
}

const LEGEND_HEIGHT: f64 = 40.0;

/// The map as a standalone SVG document: readable in grey scale (tags by shape and
/// border), each node a `<g class="node" data-id="...">` holding its box and label.
pub fn svg(map: &Map, title: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" \
         viewBox=\"0 0 {w:.0} {h:.0}\" role=\"img\" font-family=\"Helvetica, Arial, sans-serif\" \
         font-size=\"12\">\n<title>{}</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>",
        escape(title),
        w = map.width,
        h = map.height,
    );
    let by_id: HashMap<&CodeId, &Node> = map.nodes.iter().map(|n| (&n.id, n)).collect();
    out.push_str("<g class=\"links\" fill=\"none\" stroke=\"#888888\" stroke-width=\"1.2\">\n");
    for node in &map.nodes {
        if let Some(parent) = node.parent.as_ref().and_then(|p| by_id.get(p)) {
            let (x1, y1) = (parent.x + parent.width, parent.y + parent.height / 2.0);
            let (x2, y2) = (node.x, node.y + node.height / 2.0);
            let mid = (x1 + x2) / 2.0;
            let _ = writeln!(
                out,
                "<path d=\"M{x1:.1},{y1:.1} C{mid:.1},{y1:.1} {mid:.1},{y2:.1} {x2:.1},{y2:.1}\"/>"
            );
        }
    }
    out.push_str("</g>\n");
    for node in &map.nodes {
        node_svg(&mut out, node);
    }
    legend(&mut out, map);
    out.push_str("</svg>\n");
    out
}

/// A pale version of the colour for a box's fill, so black text stays readable on it.
fn pale(colour: Colour) -> String {
    let [r, g, b] = colour.0.map(|v| (u16::from(v) + 3 * 255) / 4);
    format!("#{r:02x}{g:02x}{b:02x}")
}

fn node_svg(out: &mut String, node: &Node) {
    let (corner, dash, stroke_width) = match node.kind {
        Kind::Enabler => (node.height.min(24.0) / 2.0, "", 2.5),
        Kind::Barrier => (0.0, " stroke-dasharray=\"6 3\"", 2.5),
        Kind::Plain => (3.0, "", 1.2),
    };
    let weight = if node.depth == 0 {
        " font-weight=\"bold\""
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "<g class=\"node\" data-id=\"{}\" data-kind=\"{}\">\n<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" \
         height=\"{:.1}\" rx=\"{corner:.1}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"{stroke_width}\"{dash}/>",
        escape(node.id.as_str()),
        match node.kind {
            Kind::Enabler => "enabler",
            Kind::Barrier => "barrier",
            Kind::Plain => "plain",
        },
        node.x,
        node.y,
        node.width,
        node.height,
        pale(node.colour),
        node.colour,
    );
    let text_top = node.y + (node.height - node.lines.len() as f64 * LINE_HEIGHT) / 2.0 + 11.0;
    for (i, line) in node.lines.iter().enumerate() {
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#111111\"{weight}>{}</text>",
            node.x + PADDING,
            text_top + i as f64 * LINE_HEIGHT,
            escape(line)
        );
    }
    out.push_str("</g>\n");
}

fn legend(out: &mut String, map: &Map) {
    let y = map.height - LEGEND_HEIGHT + 8.0;
    let _ = writeln!(
        out,
        "<g class=\"legend\" font-size=\"11\" fill=\"#333333\">\n\
         <rect x=\"{m}\" y=\"{y:.1}\" width=\"28\" height=\"16\" rx=\"8\" fill=\"#ffffff\" stroke=\"#333333\" stroke-width=\"2.5\"/>\
         <text x=\"{t1}\" y=\"{ty:.1}\">enabler</text>\n\
         <rect x=\"{m2}\" y=\"{y:.1}\" width=\"28\" height=\"16\" fill=\"#ffffff\" stroke=\"#333333\" stroke-width=\"2.5\" stroke-dasharray=\"6 3\"/>\
         <text x=\"{t2}\" y=\"{ty:.1}\">barrier</text>\n\
         <text x=\"{t3}\" y=\"{ty:.1}\">Box height grows with the {by} carrying the node or anything below it (count in brackets).</text>\n</g>",
        m = MARGIN,
        t1 = MARGIN + 34.0,
        m2 = MARGIN + 100.0,
        t2 = MARGIN + 134.0,
        t3 = MARGIN + 200.0,
        ty = y + 12.0,
        by = map.size_by.label(),
    );
}

/// The map as Graphviz DOT: the same nodes and links, colours and tags, for `dot -Tsvg`.
pub fn dot(map: &Map, title: &str) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "digraph thematic_map {{\n  label={};\n  rankdir=LR;\n  node [shape=box, style=\"filled\", fontname=\"Helvetica\"];",
        quote(title)
    );
    for node in &map.nodes {
        let style = match node.kind {
            Kind::Enabler => "filled,rounded,bold",
            Kind::Barrier => "filled,dashed,bold",
            Kind::Plain => "filled",
        };
        let _ = writeln!(
            out,
            "  {} [label={}, {}={}, style=\"{style}\", fillcolor=\"{}\", color=\"{}\"];",
            quote(node.id.as_str()),
            quote(&format!("{} ({})", node.name, node.count)),
            map.size_by.label(),
            node.count,
            pale(node.colour),
            node.colour,
        );
    }
    for node in &map.nodes {
        if let Some(parent) = &node.parent {
            let _ = writeln!(
                out,
                "  {} -> {};",
                quote(parent.as_str()),
                quote(node.id.as_str())
            );
        }
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::{Code, Level, Position, ProjectMeta};

    /// A codebook of 5 themes, 14 sub-themes and 60 codes, with names of every length.
    fn big_project() -> Project {
        let mut project = Project::new(ProjectMeta::new("big"));
        let book = &mut project.codebook;
        let mut themes = Vec::new();
        for t in 0..5 {
            let code = Code::new(format!("Theme {t} {}", "long ".repeat(t)), Level::Theme);
            themes.push(code.id.clone());
            book.insert(
                code,
                &Position {
                    parent: None,
                    index: t,
                },
            )
            .unwrap();
        }
        let mut subs = Vec::new();
        for s in 0..14 {
            // The last two sub-theme's boxes (five lines) are taller than their one code's,
            // and stand next to each other.
            let tall = s >= 12;
            let name = format!(
                "Sub-theme {s} {}",
                "lengthy ".repeat(if tall { 16 } else { 0 })
            );
            let mut code = Code::new(name, Level::SubTheme);
            code.tags = vec![["enabler", "barrier", "other"][s % 3].to_string()];
            subs.push(code.id.clone());
            let parent = Some(themes[if tall { 0 } else { s % 5 }].clone());
            book.insert(code, &Position { parent, index: 0 }).unwrap();
        }
        for c in 0..60 {
            let name = format!("Code {c} {}", "word ".repeat(c % 13));
            let parent = Some(subs[if c >= 58 { c - 46 } else { c % 12 }].clone());
            book.insert(Code::new(name, Level::Code), &Position { parent, index: 0 })
                .unwrap();
        }
        project
    }

    fn overlap(a: &Node, b: &Node) -> bool {
        a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
    }

    #[test]
    fn five_themes_fourteen_sub_themes_sixty_codes_never_overlap() {
        let project = big_project();
        let map = layout(&project, SizeBy::Segments);
        assert_eq!(map.nodes.len(), 79);
        for (i, a) in map.nodes.iter().enumerate() {
            assert!(a.x >= 0.0 && a.y >= 0.0, "{} is inside the picture", a.name);
            assert!(a.x + a.width <= map.width && a.y + a.height <= map.height);
            for b in &map.nodes[i + 1..] {
                assert!(!overlap(a, b), "{} overlaps {}", a.name, b.name);
            }
        }
        // Children sit to the right of their parent.
        for node in &map.nodes {
            if let Some(parent) = map
                .nodes
                .iter()
                .find(|n| Some(&n.id) == node.parent.as_ref())
            {
                assert!(parent.x + parent.width < node.x);
            }
        }
    }

    #[test]
    fn long_names_wrap_at_spaces_and_long_words_are_cut() {
        assert_eq!(wrap("Short name (3)", 30), vec!["Short name (3)"]);
        assert_eq!(
            wrap(
                "Incompatible information systems between the teams (12)",
                30
            ),
            vec!["Incompatible information", "systems between the teams (12)"]
        );
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), vec![""]);
    }

    #[test]
    fn tags_give_the_kind_whatever_their_case() {
        assert_eq!(Kind::of(&["Enabler".into()]), Kind::Enabler);
        assert_eq!(
            Kind::of(&["barrier".into(), "enabler".into()]),
            Kind::Barrier
        );
        assert_eq!(Kind::of(&[]), Kind::Plain);
    }
}
