//! Pictures made by the program: `thematic dev screenshot` (the manual's pictures of the
//! screen), checked as well-formed SVG that holds what the screen shows.

use crate::common;

use common::thematic;

use std::path::Path;
use thematic::interop::refi::xml::{self, Element};

/// The text content of a well-formed SVG document (panics, naming the problem, if it is not
/// well-formed or not SVG).
fn svg_text(svg: &str) -> String {
    fn collect(element: &Element, text: &mut String) {
        text.push_str(&element.text);
        for child in &element.children {
            collect(child, text);
        }
    }
    let root = xml::parse(svg).unwrap_or_else(|e| panic!("not well-formed SVG: {e}"));
    assert_eq!(root.name, "svg", "the root element is svg");
    let mut text = String::new();
    collect(&root, &mut text);
    text.replace('\u{a0}', " ")
}

#[test]
fn screenshot_draws_the_coding_screen_as_svg() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("study");
    common::copy_sample(&project);
    let out = dir.path().join("screen.svg");
    let run = thematic(&[
        "--coder",
        "alex",
        "dev",
        "screenshot",
        project.to_str().unwrap(),
        "--size",
        "140x40",
        "--keys",
        "} } v )",
        out.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(
        svg.contains("width=\"1176.0\" height=\"680.0\""),
        "140x40 cells"
    );
    let text = svg_text(&svg);
    for shown in [
        "Transcripts 12",
        "Participant 1",
        "Codebook",
        "Culture",
        "SELECT",
    ] {
        assert!(text.contains(shown), "the picture shows {shown:?}");
    }
    // Taking the picture changes nothing in the project.
    let check = thematic(&["check", project.to_str().unwrap()]);
    assert!(check.status.success());
    assert!(
        !Path::new(&project)
            .join(".thematic/locks/alex.lock")
            .exists()
    );
}

#[test]
fn screenshot_refuses_bad_sizes_and_keys() {
    let sample = common::sample_project();
    let sample = sample.to_str().unwrap();
    let run = thematic(&[
        "--coder",
        "alex",
        "dev",
        "screenshot",
        sample,
        "--size",
        "big",
        "-",
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("COLUMNSxROWS"));
    let run = thematic(&[
        "--coder",
        "alex",
        "dev",
        "screenshot",
        sample,
        "--keys",
        "Hyper-q",
        "-",
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("`Hyper-q` is not a key name"));
}

/// `thematic export DIR --to FORMAT [EXTRA...] OUT`, which must succeed.
fn export_ok(dir: &Path, format: &str, extra: &[&str], out: &Path) {
    let mut args = vec!["export", dir.to_str().unwrap(), "--to", format];
    args.extend_from_slice(extra);
    args.push(out.to_str().unwrap());
    let run = thematic(&args);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// The boxes of the map's nodes, read back from the SVG: (data-id, x, y, width, height).
fn node_boxes(root: &Element) -> Vec<(String, f64, f64, f64, f64)> {
    fn walk(element: &Element, out: &mut Vec<(String, f64, f64, f64, f64)>) {
        if element.attr("class") == Some("node") {
            let rect = element.first("rect").expect("a node has a box");
            let number = |name: &str| -> f64 { rect.attr(name).unwrap().parse().unwrap() };
            out.push((
                element.attr("data-id").unwrap().to_string(),
                number("x"),
                number("y"),
                number("width"),
                number("height"),
            ));
        }
        for child in &element.children {
            walk(child, out);
        }
    }
    let mut out = Vec::new();
    walk(root, &mut out);
    out
}

#[test]
fn the_thematic_map_holds_every_node_once_without_overlaps() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.svg");
    let sample = common::sample_project();
    export_ok(&sample, "map", &[], &out);
    let svg = std::fs::read_to_string(&out).unwrap();
    let text = svg_text(&svg);
    let root = xml::parse(&svg).unwrap();
    let boxes = node_boxes(&root);

    let project = thematic::store::load(&sample).unwrap().project;
    let mut expected: Vec<String> = project
        .codebook
        .walk()
        .iter()
        .map(|(_, code)| code.id.to_string())
        .collect();
    let mut found: Vec<String> = boxes.iter().map(|b| b.0.clone()).collect();
    expected.sort();
    found.sort();
    assert_eq!(found, expected, "every theme, sub-theme and code once");
    assert_eq!(found.len(), 5 + 14 + 37);
    for theme in [
        "Culture",
        "Communication structures",
        "Strategic alignment",
        "Workforce dynamics",
    ] {
        assert!(text.contains(theme), "the map names {theme}");
    }
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let apart =
                a.1 + a.3 <= b.1 || b.1 + b.3 <= a.1 || a.2 + a.4 <= b.2 || b.2 + b.4 <= a.2;
            assert!(apart, "boxes {} and {} overlap", a.0, b.0);
        }
    }
    // Tags are drawn: the sample has 14 sub-themes, each an enabler or a barrier.
    assert_eq!(
        svg.matches("data-kind=\"enabler\"").count() + svg.matches("data-kind=\"barrier\"").count(),
        14
    );
}

#[test]
fn the_map_as_dot_has_every_node_and_link() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.dot");
    let sample = common::sample_project();
    export_ok(&sample, "map", &["--size-by", "participants"], &out);
    let dot = std::fs::read_to_string(&out).unwrap();
    assert!(dot.starts_with("digraph thematic_map {"));
    assert_eq!(
        dot.matches(" -> ").count(),
        14 + 37,
        "one link per sub-theme and code"
    );
    // Each theme's count is its participants, as the theme table counts them.
    let themes = thematic(&[
        "stats",
        sample.to_str().unwrap(),
        "themes",
        "--format",
        "json",
    ]);
    let themes: serde_json::Value = serde_json::from_slice(&themes.stdout).unwrap();
    let mut checked = 0;
    for row in themes["themes"].as_array().unwrap() {
        let label = format!(
            "\"{} ({})\"",
            row["name"].as_str().unwrap(),
            row["participants"]
        );
        assert!(dot.contains(&label), "{label} in the DOT");
        checked += 1;
    }
    assert_eq!(checked, 5 + 14);
    // --size-by belongs to the map only.
    let run = thematic(&[
        "export",
        sample.to_str().unwrap(),
        "--to",
        "csv",
        "--size-by",
        "segments",
        "-",
    ]);
    assert_eq!(run.status.code(), Some(2));
}

/// The x position of each series point and of the marker in a line chart, read back.
fn marker_and_labels(root: &Element) -> (Option<f64>, Vec<(f64, String)>) {
    fn walk(element: &Element, marker: &mut Option<f64>, labels: &mut Vec<(f64, String)>) {
        if element.attr("class") == Some("marker") {
            let line = element.first("line").expect("a marker line");
            *marker = line.attr("x1").and_then(|x| x.parse().ok());
        }
        // Axis labels: translate(X,Y) rotate(-45), placed 3 units right of their point.
        if element.name == "text"
            && let Some(x) = element
                .attr("transform")
                .and_then(|t| t.strip_prefix("translate("))
                .and_then(|t| t.split(',').next())
                .and_then(|x| x.parse::<f64>().ok())
        {
            labels.push((x - 3.0, element.text.clone()));
        }
        for child in &element.children {
            walk(child, marker, labels);
        }
    }
    let (mut marker, mut labels) = (None, Vec::new());
    walk(root, &mut marker, &mut labels);
    (marker, labels)
}

#[test]
fn the_markdown_report_writes_its_figures_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("study.md");
    let sample = common::sample_project();
    // Only alex's coding counted, in the report and in `stats` alike.
    export_ok(&sample, "markdown", &["--coders", "alex"], &out);
    let report = std::fs::read_to_string(&out).unwrap();
    let folder = dir.path().join("study-figures");
    let mut linked = 0;
    for file in [
        "saturation.svg",
        "code-frequencies.svg",
        "codes-by-attribute.svg",
        "code-cooccurrence.svg",
        "thematic-map.svg",
    ] {
        assert!(
            report.contains(&format!("](study-figures/{file})")),
            "{file} is linked"
        );
        let svg = std::fs::read_to_string(folder.join(file)).unwrap();
        svg_text(&svg);
        linked += 1;
    }
    assert_eq!(linked, 5);
    let bars = svg_text(&std::fs::read_to_string(folder.join("code-frequencies.svg")).unwrap());
    let map = svg_text(&std::fs::read_to_string(folder.join("thematic-map.svg")).unwrap());
    for theme in [
        "Culture",
        "Communication structures",
        "Strategic alignment",
        "Workforce dynamics",
    ] {
        assert!(
            bars.contains(theme) && map.contains(theme),
            "{theme} in the figures"
        );
    }

    // The saturation curve marks the interview `thematic stats` names.
    let stats = thematic(&[
        "stats",
        sample.to_str().unwrap(),
        "saturation",
        "--coders",
        "alex",
        "--format",
        "json",
    ]);
    let stats: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    let reached = stats["reached_after"]["codes"]
        .as_str()
        .expect("alex's codes saturate");
    let svg = std::fs::read_to_string(folder.join("saturation.svg")).unwrap();
    let (marker, labels) = marker_and_labels(&xml::parse(&svg).unwrap());
    let marker = marker.expect("the saturation point is marked");
    let (_, marked) = labels
        .iter()
        .find(|(x, _)| (x - marker).abs() < 0.5)
        .expect("the marker stands on an interview");
    assert_eq!(marked, reached);
}

#[test]
fn the_html_report_holds_its_figures_inline() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("study.html");
    let sample = common::sample_project();
    export_ok(&sample, "html", &[], &out);
    let html = std::fs::read_to_string(&out).unwrap();
    assert_eq!(html.matches("<figure class=\"chart\">").count(), 5);
    assert_eq!(html.matches("<svg ").count(), 5);
    assert!(!html.contains("<script"));
    // Each inline figure is well-formed on its own.
    for piece in html.split("<svg ").skip(1) {
        let end = piece.find("</svg>").unwrap() + "</svg>".len();
        svg_text(&format!("<svg {}", &piece[..end]));
    }
    assert!(
        !dir.path().join("study-figures").exists(),
        "HTML needs no files beside it"
    );
}

#[test]
fn a_refused_markdown_report_leaves_no_figures_behind() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("study");
    common::copy_sample(&project);
    let before = std::fs::read(project.join("codebook.yaml")).unwrap();
    let out = project.join("codebook.yaml");
    let run = thematic(&[
        "export",
        project.to_str().unwrap(),
        "--to",
        "markdown",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        run.status.code(),
        Some(2),
        "an export over a project file is refused"
    );
    assert_eq!(
        std::fs::read(project.join("codebook.yaml")).unwrap(),
        before
    );
    assert!(
        !project.join("codebook-figures").exists(),
        "no figures were written"
    );
}
