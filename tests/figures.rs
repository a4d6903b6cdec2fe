//! Pictures made by the program: `thematic dev screenshot` (the manual's pictures of the
//! screen), checked as well-formed SVG that holds what the screen shows.

mod common;

use std::path::Path;
use std::process::Command;
use thematic::interop::refi::xml::{self, Element};

fn thematic(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_thematic"))
        .args(args)
        .env(
            "THEMATIC_CONFIG_DIR",
            std::env::temp_dir().join("thematic-figures-no-config"),
        )
        .output()
        .expect("the binary runs")
}

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
