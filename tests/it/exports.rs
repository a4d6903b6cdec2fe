//! The exports of sample-project stay byte-identical: CSV, REFI-QDA (qdpx, qdc), and the
//! Markdown (with its figures) and HTML reports are compared with the files committed in
//! tests/fixtures/exports/, so a reshaping of the code that changes a single byte a researcher
//! would get shows up here.
//!
//! What varies from run to run, and is normalised before comparing:
//! - the report's date ("Report of 2026-11-30 …", today's date in UTC) becomes `DATE`.
//!
//! Nothing else varies: the qdpx GUIDs are derived from the project's ids and the zip entries
//! carry a fixed timestamp. The qdpx is still compared entry by entry (names in order, then
//! each entry's bytes), so a failure names the entry that differs.
//!
//! To refresh the expected files on purpose (after a change to what an export says), run
//! `THEMATIC_BLESS_EXPORTS=1 cargo test --test it exports::` and review the diff of
//! tests/fixtures/exports/ before committing it.

use crate::common;

use std::io::Read;
use std::path::{Path, PathBuf};

/// The folder of expected exports.
fn expected_dir() -> PathBuf {
    crate::common::fixtures("exports")
}

/// Whether this run writes the expected files instead of comparing with them.
fn blessing() -> bool {
    std::env::var_os("THEMATIC_BLESS_EXPORTS").is_some_and(|v| v == "1")
}

/// Exports a fresh copy of sample-project `--to format` into `out` (inside `dir`).
fn export(dir: &Path, format: &str, out: &Path) {
    let project = dir.join("study");
    if !project.exists() {
        common::copy_sample(&project);
    }
    let run = common::thematic(&[
        "export",
        "--to",
        format,
        project.to_str().unwrap(),
        out.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "export --to {format}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// `text` with the report's date (the only thing that changes from day to day) as `DATE`,
/// on the line that says "Report of <date>" only.
fn without_date(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in text.split_inclusive('\n') {
        let Some(at) = line.find("Report of ") else {
            lines.push(line.to_string());
            continue;
        };
        let after = &line[at + "Report of ".len()..];
        let after = after.strip_prefix("<time datetime=\"").unwrap_or(after);
        let date = after.get(..10).unwrap_or(after);
        assert!(
            date.len() == 10
                && date.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }),
            "a date follows 'Report of ': {date:?}"
        );
        lines.push(line.replace(date, "DATE"));
    }
    lines.concat()
}

/// Compares `actual` with the expected file `name` (or writes it when blessing).
fn compare(name: &str, actual: &[u8]) {
    let path = expected_dir().join(name);
    if blessing() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (THEMATIC_BLESS_EXPORTS=1 writes it)",
            path.display()
        )
    });
    if expected != actual {
        let (expected, actual) = (
            String::from_utf8_lossy(&expected),
            String::from_utf8_lossy(actual),
        );
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the committed export, first at line {}:\n expected: {:?}\n actual:   {:?}\n\
             (THEMATIC_BLESS_EXPORTS=1 cargo test --test it exports:: refreshes it on purpose)",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

#[test]
fn csv_export_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sample.csv");
    export(dir.path(), "csv", &out);
    compare("sample.csv", &std::fs::read(&out).unwrap());
}

#[test]
fn qdc_export_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sample.qdc");
    export(dir.path(), "qdc", &out);
    compare("sample.qdc", &std::fs::read(&out).unwrap());
}

#[test]
fn qdpx_export_is_unchanged_entry_by_entry() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sample.qdpx");
    export(dir.path(), "qdpx", &out);
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut names = String::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        assert!(
            !name.contains("..") && !name.starts_with('/'),
            "entry name {name:?} stays inside the folder"
        );
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        compare(&format!("sample.qdpx/{name}"), &bytes);
        names.push_str(&name);
        names.push('\n');
    }
    compare("sample.qdpx.entries", names.as_bytes());
}

#[test]
fn markdown_report_and_its_figures_are_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sample.md");
    export(dir.path(), "markdown", &out);
    let text = std::fs::read_to_string(&out).unwrap();
    compare("sample.md", without_date(&text).as_bytes());
    let figures = dir.path().join("sample-figures");
    let mut names: Vec<String> = std::fs::read_dir(&figures)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(!names.is_empty(), "the Markdown report has figures");
    for name in &names {
        compare(
            &format!("sample-figures/{name}"),
            &std::fs::read(figures.join(name)).unwrap(),
        );
    }
    compare(
        "sample-figures.list",
        format!("{}\n", names.join("\n")).as_bytes(),
    );
}

#[test]
fn html_report_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sample.html");
    export(dir.path(), "html", &out);
    let text = std::fs::read_to_string(&out).unwrap();
    compare("sample.html", without_date(&text).as_bytes());
}

#[test]
fn the_date_is_the_only_thing_normalised() {
    let md = "*Report of 2026-11-30 made with thematic*\n2026-11-30 kept\n2026-12-01 kept\n";
    assert_eq!(
        without_date(md),
        "*Report of DATE made with thematic*\n2026-11-30 kept\n2026-12-01 kept\n"
    );
    let html = "<p>Report of <time datetime=\"2026-11-30\">2026-11-30</time> made</p>";
    assert_eq!(
        without_date(html),
        "<p>Report of <time datetime=\"DATE\">DATE</time> made</p>"
    );
}
