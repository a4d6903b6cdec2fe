//! The study report (`thematic export DIR --to markdown|html`): snapshots of both formats, and
//! the behaviour a reader relies on: project text cannot break the document, the methods
//! summary counts what the project folder holds, saturation says what `thematic stats` says,
//! undefined figures are "—", and every memo is in the appendix.

use std::path::{Path, PathBuf};
use thematic::analysis::node_counts::Coders;
use thematic::interop::report::{self, ReportOptions};
use thematic::model::*;

use crate::common::fixed::{add_code, add_memo, add_segment, add_transcript, code};

fn sample_dir() -> PathBuf {
    crate::common::sample_project()
}

fn sample_project() -> Project {
    thematic::store::load(&sample_dir()).unwrap().project
}

fn options(coders: Coders) -> ReportOptions {
    ReportOptions {
        coders,
        date: jiff::civil::date(2025, 6, 30),
    }
}

fn id(s: &str) -> CoderId {
    CoderId::new(s).unwrap()
}

const T1: &str = "Interviewer: How is it going?\n\nParticipant: We share one office & one kettle.";
const T2: &str = "Participant: The systems <still> don't talk.";

/// Two interviews, two coders, a sample on which both coded all of t2 with one code (so
/// its kappa and alpha are undefined), and names, quotes and memos full of markup.
fn small_project() -> Project {
    let mut meta = ProjectMeta::new("Small <study> & \"friends\"");
    meta.description = "A made-up study | with a pipe and *stars*.".into();
    meta.coders = vec![
        Coder {
            id: id("alex"),
            name: "Alex Morgan".into(),
        },
        Coder {
            id: id("sam"),
            name: "Sam".into(),
        },
    ];
    meta.rounds = vec![Sample {
        primary: id("alex"),
        seconds: vec![id("sam")],
        transcripts: vec![TranscriptId::new("t2").unwrap()],
        fraction: None,
        seed: None,
        stratify: None,
        started: None,
        independent: None,
    }];
    let mut p = Project::new(meta);
    let mut theme = code("theme", "<script>alert(1)</script>", Level::Theme);
    theme.colour = Colour::parse("#4e79a7");
    theme.description = "Anything about <b>places</b> & rooms.".into();
    add_code(&mut p, theme, None);
    let mut sub = code("sub", "Shared | space", Level::SubTheme);
    sub.tags = vec!["enabler".into()];
    sub.colour = Colour::parse("#e15759");
    sub.inclusion = "Use for talk about # shared rooms".into();
    sub.exclusion = "Not for systems.".into();
    add_code(&mut p, sub, Some("theme"));
    add_code(
        &mut p,
        code("kettle", "The kettle", Level::Code),
        Some("sub"),
    );
    add_code(
        &mut p,
        code("systems", "Systems", Level::Code),
        Some("theme"),
    );
    add_transcript(&mut p, "t1", 1, T1);
    add_transcript(&mut p, "t2", 2, T2);
    add_segment(&mut p, "alex", "t1", (44, T1.chars().count()), &["kettle"]);
    let whole = T2.chars().count();
    add_segment(&mut p, "alex", "t2", (0, whole), &["systems"]);
    add_segment(&mut p, "sam", "t2", (0, whole), &["systems"]);
    // Both finished the double-coded transcript, so agreement compares it.
    for coder in ["alex", "sam"] {
        Edit::SetDone {
            coder: id(coder),
            transcript: TranscriptId::new("t2").unwrap(),
            done: true,
        }
        .apply(&mut p)
        .unwrap();
    }
    // The theme's exemplar: sam's quote with markup in it.
    let before = p
        .codebook
        .get(&CodeId::new("c-theme").unwrap())
        .unwrap()
        .clone();
    let mut after = before.clone();
    after.exemplar = Some(Box::new(SegmentRef {
        transcript: TranscriptId::new("t2").unwrap(),
        coder: id("sam"),
        id: SegmentId::new("s-sam-t2-0").unwrap(),
    }));
    Edit::UpdateCode { before, after }.apply(&mut p).unwrap();
    add_memo(
        &mut p,
        "1",
        "Kettle <notes>",
        vec![MemoLink::Code(CodeId::new("c-kettle").unwrap())],
        "# A heading\n\nThe *kettle* matters.\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) and [a site](https://example.org) and ![pic](https://example.org/p.png)",
    );
    add_memo(
        &mut p,
        "2",
        "Journal | day one",
        vec![],
        "Plain text with <span>inline</span> HTML.",
    );
    p
}

#[test]
fn markdown_report_of_sample_project() {
    let md = report::markdown(&sample_project(), &options(Coders::All));
    insta::assert_snapshot!("report_sample_markdown", md);
}

#[test]
fn html_report_of_small_project() {
    let html = report::html(&small_project(), &options(Coders::All));
    insta::assert_snapshot!("report_small_html", html);
}

#[test]
fn html_escapes_project_text() {
    let html = report::html(&small_project(), &options(Coders::All));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_eq!(
        html.matches("<script").count(),
        0,
        "no script element at all"
    );
    assert!(html.contains("<title>Small &lt;study&gt; &amp; &quot;friends&quot;</title>"));
    assert!(html.contains("&lt;still&gt;"), "quotes are escaped");
    assert!(html.contains("Anything about &lt;b&gt;places&lt;/b&gt; &amp; rooms."));
}

#[test]
fn html_is_one_self_contained_file() {
    let html = report::html(&small_project(), &options(Coders::All));
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.trim_end().ends_with("</html>"));
    for external in [
        "<link", "<img", "<iframe", "<object", "<embed", "@import", "url(",
    ] {
        assert!(!html.contains(external), "{external} loads something");
    }
    assert!(html.contains("@media print"));
    assert!(html.contains("print-color-adjust: exact"));
    assert!(html.contains(r##"<a href="#memo-appendix">Memo appendix</a>"##));
}

#[test]
fn memo_markdown_is_rendered_with_raw_html_escaped() {
    let html = report::html(&small_project(), &options(Coders::All));
    assert!(html.contains("<em>kettle</em>"), "Markdown is rendered");
    assert!(
        html.contains("<h4>A heading</h4>"),
        "memo headings sit below the memo title"
    );
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("&lt;span&gt;inline&lt;/span&gt;"));
    assert!(
        !html.contains("javascript:"),
        "unsafe link targets are dropped"
    );
    assert!(html.contains("click"), "but their text is kept");
    assert!(html.contains(r#"<a href="https://example.org">a site</a>"#));
    assert!(html.contains(r#"<a href="https://example.org/p.png">pic</a>"#));
    let md = report::markdown(&small_project(), &options(Coders::All));
    assert!(md.contains("> &lt;img src=x onerror=alert(1)>"));
    assert!(md.contains("> Plain text with &lt;span>inline&lt;/span> HTML."));
}

/// The unescaped `|` in a Markdown table row: one more than the number of cells.
fn cell_bars(row: &str) -> usize {
    let mut bars = 0;
    let mut escaped = false;
    for c in row.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => bars += 1,
            _ => escaped = false,
        }
    }
    bars
}

#[test]
fn markdown_escapes_project_text() {
    let md = report::markdown(&small_project(), &options(Coders::All));
    let row = md
        .lines()
        .find(|l| l.contains("Shared \\| space") && l.starts_with('|'))
        .expect("the sub-theme's row in the theme table");
    let header = md
        .lines()
        .find(|l| l.starts_with("| Theme / sub-theme"))
        .unwrap();
    assert_eq!(cell_bars(row), cell_bars(header), "{row}");
    assert!(md.starts_with("# Small \\<study\\> & \"friends\"\n"));
    assert!(md.contains("A made-up study \\| with a pipe and \\*stars\\*."));
    assert!(md.contains("\\<script\\>alert(1)\\</script\\>"));
    assert!(md.contains("Use for talk about \\# shared rooms"));
    assert!(md.contains("### Journal \\| day one"));
}

#[test]
fn undefined_kappa_is_a_dash_and_explained() {
    let p = small_project();
    let md = report::markdown(&p, &options(Coders::All));
    // Both coders coded all of t2 with Systems: chance agreement is 1.
    assert!(
        md.contains("| \\<script\\>alert(1)\\</script\\> › Systems | 100.0% | — | — |"),
        "{md}"
    );
    assert!(md.contains("— means undefined, not zero"));
    let html = report::html(&p, &options(Coders::All));
    assert!(html.contains(r#"<td class="num undefined">—</td>"#));
    assert!(html.contains("— means undefined, not zero"));
}

/// Lines `level: X` in codebook.yaml, counted by level.
fn levels_in_codebook_file(dir: &Path) -> [usize; 3] {
    let text = std::fs::read_to_string(dir.join("codebook.yaml")).unwrap();
    let mut n = [0; 3];
    for line in text.lines().map(str::trim) {
        match line {
            "level: theme" => n[0] += 1,
            "level: sub-theme" => n[1] += 1,
            "level: code" => n[2] += 1,
            _ => {}
        }
    }
    n
}

fn files_in(dir: &Path, ext: &str) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == ext)
        })
        .count()
}

#[test]
fn methods_summary_counts_what_the_folder_holds() {
    let dir = sample_dir();
    let [themes, subs, codes] = levels_in_codebook_file(&dir);
    let transcripts = files_in(&dir.join("transcripts"), "txt");
    // A coder who coded has a folder of codings with at least one file.
    let coders = std::fs::read_dir(dir.join("codings"))
        .unwrap()
        .filter(|e| files_in(&e.as_ref().unwrap().path(), "yaml") > 0)
        .count();
    let md = report::markdown(&sample_project(), &options(Coders::All));
    let methods = md
        .split("\n## Codebook")
        .next()
        .unwrap()
        .split("## Methods summary")
        .nth(1)
        .unwrap();
    assert!(
        methods.contains(&format!("{coders} coders coded the data")),
        "{methods}"
    );
    assert!(methods.contains(&format!(
        "A codebook tree of {themes} themes, {subs} sub-themes and {codes} codes"
    )));
    assert!(methods.contains(&format!("**12. Sample size.** {transcripts} transcripts")));
    assert!(methods.contains(&format!(
        "Double-coding sample: 3 of {transcripts} transcripts (25%)"
    )));
    assert!(methods.contains(&format!("thematic {}", env!("CARGO_PKG_VERSION"))));
    assert!(methods.contains("(Participant 1)"));
    assert_eq!(methods.matches("\\[To complete:").count(), 4);
}

#[test]
fn saturation_says_what_thematic_stats_says() {
    let out = crate::common::command()
        .arg("stats")
        .arg(sample_dir())
        .arg("saturation")
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    let said: Vec<&str> = out
        .lines()
        .filter(|l| l.contains(": saturation "))
        .map(|l| l.split(" (").next().unwrap())
        .collect();
    assert_eq!(said.len(), 3, "{out}");
    assert!(
        said.contains(&"Codes: saturation reached after p07"),
        "{said:?}"
    );
    let p = sample_project();
    for text in [
        report::markdown(&p, &options(Coders::All)),
        report::html(&p, &options(Coders::All)),
    ] {
        for sentence in &said {
            assert!(text.contains(sentence), "{sentence:?} is missing");
        }
    }
}

#[test]
fn memo_appendix_lists_every_memo() {
    let dir = sample_dir();
    let on_disk: usize = std::fs::read_dir(dir.join("memos"))
        .unwrap()
        .map(|e| files_in(&e.unwrap().path(), "yaml"))
        .sum();
    let p = sample_project();
    let md = report::markdown(&p, &options(Coders::All));
    let appendix = md.split("## Memo appendix").nth(1).unwrap();
    assert_eq!(appendix.matches("\n### ").count(), on_disk);
    assert!(appendix.contains(&format!("{on_disk} memos")));
    let html = report::html(&p, &options(Coders::All));
    assert_eq!(html.matches(r#"<article class="memo">"#).count(), on_disk);
    for memo in p.memos() {
        let title = memo.title.replace('"', "&quot;").replace('\'', "&#39;");
        assert!(html.contains(&format!("<h3>{title}</h3>")), "{title}");
        assert!(appendix.contains(&memo.title), "{}", memo.title);
    }
    assert!(appendix.contains("Linked to code Culture \\> Organisational culture clash"));
}

#[test]
fn coder_option_counts_one_coder() {
    let p = sample_project();
    let md = report::markdown(&p, &options(Coders::Only(vec![id("sam")])));
    assert!(md.contains("Counts are of the coding of Sam Okafor (sam) only."));
    assert!(md.contains("applied to 73 segments"));
    // Agreement is over the sample whoever the report counts.
    assert!(md.contains("| Percentage agreement | 98.5% |"));
}
