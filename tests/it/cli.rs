//! The command line as a user runs it: a subprocess, its output and its exit status
//! (0 success, 1 problems found, 2 could not run).

use crate::common;
use common::{copy_sample, thematic};

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> String {
    common::fixtures("import").join(name).display().to_string()
}

fn sample_dir() -> String {
    common::sample_project().display().to_string()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn new_project(dir: &Path) -> String {
    let project = dir.join("study").display().to_string();
    let out = thematic(&["new", &project, "--name", "Study", "--coder", "alex"]);
    assert!(out.status.success(), "{}", stderr(&out));
    project
}

#[test]
fn new_import_check_and_stats() {
    let dir = tempfile::tempdir().unwrap();
    let project = new_project(dir.path());
    let out = thematic(&[
        "import",
        &project,
        &fixture("bom-crlf.txt"),
        &fixture("interview.docx"),
        &fixture("teams.vtt"),
        "--attributes",
        &fixture("attributes.csv"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("as interview (Participant 9, "),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("teams.vtt has no row in the attributes table"),
        "{}",
        stderr(&out)
    );
    let meta = fs::read_to_string(dir.path().join("study/transcripts/interview.yaml")).unwrap();
    assert!(
        meta.contains("organisation: Larchmere NHS Foundation Trust"),
        "{meta}"
    );
    assert!(
        meta.contains("date: 2025-05-06") || meta.contains("date: \"2025-05-06\""),
        "{meta}"
    );
    let check = thematic(&["check", &project]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert!(
        stdout(&check).contains(
            "3 transcripts, 0 codebook entries, 0 segments, 0 memos: 0 error(s), 0 warning(s)"
        ),
        "{}",
        stdout(&check)
    );
    let stats = thematic(&["stats", &project, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(json["transcripts"], 3);
    assert_eq!(json["per_transcript"][0]["participant"], "Participant 2");
    assert_eq!(json["coders"][0]["coder"], "alex");
    let csv = stdout(&thematic(&["stats", &project, "--format", "csv"]));
    assert_eq!(
        csv.lines().next(),
        Some("transcript,participant,order,words,characters,codes,alex")
    );
}

#[test]
fn an_import_with_one_bad_file_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let project = new_project(dir.path());
    let out = thematic(&[
        "import",
        &project,
        &fixture("zoom.srt"),
        &fixture("not-a-zip.docx"),
        &fixture("latin1.txt"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(
        err.contains("not-a-zip.docx: not a valid .docx (it is not a zip archive)"),
        "{err}"
    );
    assert!(err.contains("latin1.txt:1:15: not valid UTF-8"), "{err}");
    assert_eq!(
        fs::read_dir(dir.path().join("study/transcripts"))
            .unwrap()
            .count(),
        0
    );
}

#[test]
fn check_explains_problems_with_path_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let project = new_project(dir.path());
    fs::write(
        dir.path().join("study/codebook.yaml"),
        "codes:\n  - id: c-1\n    name: x\n    level: chapter\n",
    )
    .unwrap();
    let out = thematic(&["check", &project]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains(
            "study/codebook.yaml:4:12: error: unknown variant `chapter`, expected one of"
        ),
        "{text}"
    );
    let json = thematic(&["check", &project, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["errors"], 1);
    assert_eq!(report["problems"][0]["line"], 4);
}

#[test]
fn commands_that_cannot_run_exit_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope").display().to_string();
    let out = thematic(&["check", &missing]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));
    let not_project = dir.path().display().to_string();
    let out = thematic(&["stats", &not_project]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not a thematic project"),
        "{}",
        stderr(&out)
    );
    let project = new_project(dir.path());
    let out = thematic(&["new", &project]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("already exists and is not empty"));
    let out = thematic(&[
        "new",
        &dir.path().join("x").display().to_string(),
        "--coder",
        "Not Valid",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("invalid id \"Not Valid\""),
        "{}",
        stderr(&out)
    );
    fs::write(
        dir.path().join("study/thematic.yaml"),
        "format: 1\nname: [\n",
    )
    .unwrap();
    let out = thematic(&["stats", &project]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("study/thematic.yaml:2:7: error: unclosed bracket"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_sample_project_is_clean() {
    let sample = common::sample_project().display().to_string();
    let out = thematic(&["check", &sample]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains(
            "12 transcripts, 56 codebook entries, 350 segments, 6 memos: 0 error(s), 0 warning(s)"
        ),
        "{}",
        stdout(&out)
    );
}

#[test]
fn add_coder_updates_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let project = new_project(dir.path());
    let out = thematic(&["add-coder", &project, "sam", "--name", "Sam Okafor"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let meta = fs::read_to_string(dir.path().join("study/thematic.yaml")).unwrap();
    assert!(
        meta.contains("id: sam") && meta.contains("name: Sam Okafor"),
        "{meta}"
    );
    assert_eq!(
        thematic(&["add-coder", &project, "sam"]).status.code(),
        Some(2)
    );
}

#[test]
fn codebook_prints_the_tree_with_definitions_and_counts() {
    let out = thematic(&["codebook", &sample_dir()]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let culture = text.lines().find(|l| l.starts_with("Culture ")).unwrap();
    assert!(
        culture.contains("theme") && culture.trim_end().ends_with('%'),
        "{culture}"
    );
    assert!(
        text.contains("  Shared values and trust "),
        "children are indented"
    );
    assert!(
        text.contains("Definitions") && text.contains("  Include: Use when"),
        "definitions follow"
    );
    let csv = stdout(&thematic(&["codebook", &sample_dir(), "--format", "csv"]));
    assert_eq!(
        csv.lines().next().unwrap(),
        "path,name,level,tags,colour,id,guid,description,inclusion,exclusion,example,own_segments,segments,transcripts,percent_of_transcripts"
    );
    assert_eq!(csv.lines().count(), 1 + 56);
    let json: serde_json::Value =
        serde_json::from_slice(&thematic(&["codebook", &sample_dir(), "--format", "json"]).stdout)
            .unwrap();
    assert_eq!(json["transcripts"], 12);
    assert_eq!(json["codes"].as_array().unwrap().len(), 5, "five themes");
    let theme = &json["codes"][0];
    assert_eq!(theme["name"], "Culture");
    // A theme's segments are at least each child's; own segments are never more than all.
    for child in theme["children"].as_array().unwrap() {
        assert!(child["counts"]["segments"].as_u64() <= theme["counts"]["segments"].as_u64());
    }
    // --coders chooses whose coding is counted (--coder only says who is asking).
    let alex: serde_json::Value = serde_json::from_slice(
        &thematic(&[
            "codebook",
            &sample_dir(),
            "--format",
            "json",
            "--coders",
            "alex",
        ])
        .stdout,
    )
    .unwrap();
    // Segments are counted per coder, so everyone's count is alex's plus sam's.
    let sam: serde_json::Value = serde_json::from_slice(
        &thematic(&[
            "codebook",
            &sample_dir(),
            "--format",
            "json",
            "--coders",
            "sam",
        ])
        .stdout,
    )
    .unwrap();
    let segments = |v: &serde_json::Value| v["codes"][0]["counts"]["segments"].as_u64().unwrap();
    assert_eq!(segments(&alex) + segments(&sam), segments(&json));
    assert!(segments(&sam) > 0 && segments(&alex) > segments(&sam));
    assert_eq!(sam["scope"]["coders"], serde_json::json!(["sam"]));
    // Who asks does not narrow the counts: alex asking sees everyone's (nothing is blind).
    let asked_by_alex: serde_json::Value = serde_json::from_slice(
        &thematic(&[
            "--coder",
            "alex",
            "codebook",
            &sample_dir(),
            "--format",
            "json",
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(segments(&asked_by_alex), segments(&json));
}

#[test]
fn quotes_are_the_transcript_text_at_their_offsets() {
    let out = thematic(&[
        "quotes",
        &sample_dir(),
        "Communication structures",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let quotes: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(quotes.len() > 50);
    for q in &quotes {
        let t = q["transcript"].as_str().unwrap();
        let text =
            fs::read_to_string(PathBuf::from(sample_dir()).join(format!("transcripts/{t}.txt")))
                .unwrap();
        let chars: Vec<char> = text.chars().collect();
        let (start, end) = (
            q["start"].as_u64().unwrap() as usize,
            q["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            chars[start..end].iter().collect::<String>(),
            q["text"].as_str().unwrap()
        );
        assert!(
            q["citation"]
                .as_str()
                .unwrap()
                .ends_with(&format!("({})", q["participant"].as_str().unwrap()))
        );
    }
    let filtered = thematic(&[
        "quotes",
        &sample_dir(),
        "Communication structures",
        "--format",
        "json",
        "--attr",
        "organisation=Brookfield Council",
    ]);
    let filtered: Vec<serde_json::Value> = serde_json::from_slice(&filtered.stdout).unwrap();
    assert!(!filtered.is_empty() && filtered.len() < quotes.len());
    assert!(
        filtered
            .iter()
            .all(|q| q["attributes"]["organisation"] == "Brookfield Council")
    );
    let two = thematic(&[
        "quotes",
        &sample_dir(),
        "Communication structures",
        "--format",
        "json",
        "--transcript",
        "p02",
        "--transcript",
        "p07",
    ]);
    let two: Vec<serde_json::Value> = serde_json::from_slice(&two.stdout).unwrap();
    let expected = quotes
        .iter()
        .filter(|q| q["transcript"] == "p02" || q["transcript"] == "p07")
        .count();
    assert!(expected > 0);
    assert_eq!(two.len(), expected, "exactly the quotes from p02 and p07");
    let unknown = thematic(&[
        "quotes",
        &sample_dir(),
        "Communication structures",
        "--transcript",
        "p99",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("\"p99\": no such transcript"),
        "{}",
        stderr(&unknown)
    );
    let table = stdout(&thematic(&[
        "quotes",
        &sample_dir(),
        "Two IT systems that don't talk",
        "--coders",
        "alex",
    ]));
    assert!(table.starts_with("Communication structures > Incompatible information systems > Two IT systems that don't talk — 12 quote(s)"), "{table}");
}

#[test]
fn unknown_and_ambiguous_codes_are_explained() {
    let out = thematic(&["quotes", &sample_dir(), "trust"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean: Culture > Shared values and trust"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn memos_list_filter_and_export_with_review_threads() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("study");
    let status = Command::new("cp")
        .args(["-r", &sample_dir(), &copy.display().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let p = copy.display().to_string();
    let json = |args: &[&str]| -> Vec<serde_json::Value> {
        let mut all = vec!["memos", &p, "--format", "json"];
        all.extend_from_slice(args);
        let out: serde_json::Value = serde_json::from_slice(&thematic(&all).stdout).unwrap();
        out["memos"].as_array().unwrap().clone()
    };
    assert_eq!(json(&[]).len(), 6);
    assert_eq!(json(&["--kind", "journal"]).len(), 3);
    let segment_memo = json(&["--kind", "segment"]);
    assert!(
        segment_memo[0]["links"][0]
            .as_str()
            .unwrap()
            .starts_with("segment in p08")
    );
    assert_eq!(json(&["--since", "2025-04-01"]).len(), 3);
    assert_eq!(
        json(&["--until", "2025-03-20", "--text", "position"]).len(),
        1
    );
    let newest = json(&[]);
    assert_eq!(
        newest[0]["title"], "Have I stopped hearing anything new?",
        "newest first"
    );
    // Sam reviews one memo: a comment and the reviewed mark, in sam's own file.
    {
        // sam is the sample project's second coder already.
        let (mut ws, _) = thematic::workspace::Workspace::open(&copy, None).unwrap();
        let memo = ws
            .project()
            .memos()
            .find(|m| m.title.starts_with("Boundary"))
            .unwrap()
            .id
            .clone();
        ws.apply(thematic::model::Edit::AddReview(Box::new(
            thematic::model::MemoReview {
                memo,
                reviewer: thematic::model::CoderId::new("sam").unwrap(),
                comments: vec![thematic::model::Comment {
                    at: jiff::Timestamp::from_second(1_746_194_400).unwrap(),
                    text: "Clear rule; apply it to P11 too.".into(),
                }],
                reviewed: Some(jiff::Timestamp::from_second(1_746_194_700).unwrap()),
            },
        )))
        .unwrap();
    }
    assert!(
        copy.join("reviews/sam").read_dir().unwrap().count() == 1,
        "the review is in sam's own folder"
    );
    assert_eq!(json(&["--review", "reviewed"]).len(), 1);
    assert_eq!(json(&["--review", "unreviewed"]).len(), 5);
    let md = stdout(&thematic(&["memos", &p, "--format", "markdown"]));
    assert_eq!(md.matches("\n## ").count(), 6, "a heading per memo");
    assert!(
        md.contains("- Reviewed by sam, 2025-05-02 14:05 UTC"),
        "{md}"
    );
    assert!(
        md.contains(
            "### Review thread\n\n- **sam**, 2025-05-02 14:00 UTC: Clear rule; apply it to P11 too."
        ),
        "{md}"
    );
    let table = stdout(&thematic(&["memos", &p]));
    assert!(table.contains("6 memo(s), 5 not yet reviewed"), "{table}");
    // A codebook decision by sam appears in the audit trail beside the memos.
    {
        let sam = thematic::model::CoderId::new("sam").unwrap();
        let (mut ws, _) = thematic::workspace::Workspace::open(&copy, Some(&sam)).unwrap();
        let code = ws.project().codebook.find("Double data entry")[0]
            .id
            .clone();
        let edit = thematic::model::codebook_ops::update_code(ws.project(), &code, |c| {
            c.name = "Typing it twice".into()
        })
        .unwrap();
        ws.apply(edit).unwrap();
    }
    let all: serde_json::Value =
        serde_json::from_slice(&thematic(&["memos", &p, "--format", "json", "--audit"]).stdout)
            .unwrap();
    assert_eq!(all["audit"][0]["by"], "sam");
    assert_eq!(
        all["audit"][0]["decision"],
        "renamed \"Double data entry\" to \"Typing it twice\""
    );
    let md = stdout(&thematic(&["memos", &p, "--format", "markdown", "--audit"]));
    assert!(
        md.contains("# Codebook decisions")
            && md.contains(", sam: renamed \"Double data entry\" to \"Typing it twice\""),
        "{md}"
    );
    assert!(copy.join("audit/sam.yaml").exists());
    assert_eq!(thematic(&["check", &p]).status.code(), Some(0));
}

#[test]
fn analysis_tables_from_the_command_line() {
    let dir = sample_dir();
    let json = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["stats", dir.as_str()];
        all.extend_from_slice(args);
        let out = thematic(&all);
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let sat = json(&["saturation", "--coders", "alex", "--format", "json"]);
    assert_eq!(
        sat["reached_after"]["codes"], "p07",
        "no new code after interview 7 (code-level nodes only)"
    );
    assert_eq!(
        sat["scope"],
        serde_json::json!({"coders": ["alex"], "transcripts": 12, "coded": 12, "filter": null})
    );
    let rows = sat["transcripts"].as_array().unwrap();
    assert_eq!(rows.len(), 12);
    for key in [
        "transcript",
        "order",
        "coded",
        "new_codes",
        "cumulative_codes",
        "new_sub_themes",
        "cumulative_sub_themes",
        "new_themes",
        "cumulative_themes",
    ] {
        assert!(rows[0].get(key).is_some(), "{key}");
    }
    let total: u64 = rows.iter().map(|r| r["new_codes"].as_u64().unwrap()).sum();
    assert_eq!(total, rows[11]["cumulative_codes"].as_u64().unwrap());
    let m = json(&[
        "matrix",
        "--level",
        "theme",
        "--measure",
        "presence",
        "--by",
        "organisation",
        "--coders",
        "alex",
        "--format",
        "json",
    ]);
    assert_eq!(
        m["columns"],
        serde_json::json!(["Brookfield Council", "Larchmere NHS Foundation Trust"])
    );
    let culture = &m["rows"][0];
    assert_eq!(culture["code"], "Culture");
    assert_eq!(culture["cells"], serde_json::json!([5, 6]));
    let pairs = json(&["cooccurrence", "--coders", "alex", "--format", "json"]);
    assert_eq!(pairs["pairs"][0]["count"], 3);
    let themes = json(&["themes", "--coders", "alex", "--format", "json"]);
    let themes = &themes["themes"];
    assert_eq!(
        themes.as_array().unwrap().len(),
        5 + 14,
        "themes and sub-themes"
    );
    assert!(
        themes[0]["exemplar"]
            .as_str()
            .unwrap()
            .ends_with("(Participant 1)")
    );
    let csv = stdout(&thematic(&[
        "stats",
        &sample_dir(),
        "matrix",
        "--format",
        "csv",
    ]));
    assert!(csv.starts_with("code,p01,p02,"), "{csv}");
}

#[test]
fn search_finds_every_occurrence_in_every_transcript() {
    let sample = common::sample_project();
    let mut expected = 0;
    for entry in fs::read_dir(sample.join("transcripts")).unwrap().flatten() {
        if entry.path().extension().is_some_and(|e| e == "txt") {
            expected += fs::read_to_string(entry.path())
                .unwrap()
                .to_lowercase()
                .matches("front door")
                .count();
        }
    }
    let dir = sample.display().to_string();
    let out = thematic(&[
        "search",
        &dir,
        "FRONT door",
        "--format",
        "json",
        "--limit",
        "1000",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let hits: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), expected);
    for hit in hits {
        assert_eq!(hit["text"].as_str().unwrap().to_lowercase(), "front door");
    }
    let none = thematic(&["search", &dir, "no such words anywhere"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(stdout(&none).contains("0 hits in 0 of 12 transcripts"));
}

#[test]
fn check_fix_reanchors_segments_of_a_transcript_edited_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("study");
    copy_sample(&project);
    let original = thematic::store::load(&project).unwrap().project;
    let alex = thematic::model::CoderId::new("alex").unwrap();
    let p03 = thematic::model::TranscriptId::new("p03").unwrap();
    let segments = original.segments(&alex, &p03).to_vec();
    // The transcriber adds a note at the top, and a sentence that repeats one quote.
    let text = fs::read_to_string(project.join("transcripts/p03.txt")).unwrap();
    let repeated = &segments[2];
    let edited = format!(
        "[Corrected by the transcriber.]\n\n{text}\nP3 (added): {}\n",
        repeated.text
    );
    fs::write(project.join("transcripts/p03.txt"), &edited).unwrap();
    let p = project.display().to_string();
    assert_eq!(thematic(&["check", &p]).status.code(), Some(1));

    let out = thematic(&["check", &p, "--fix"]);
    let report = stdout(&out);
    let moved = segments.len() - 1;
    assert!(report.contains("p03: new text accepted;"), "{report}");
    assert!(
        report.contains(&format!("segment {} ", repeated.id)),
        "{report}"
    );
    assert!(
        report.contains("1 segment(s) left to fix by hand"),
        "{report}"
    );
    // Every other segment now quotes the text at its offsets, shifted by the added note.
    let fixed = thematic::store::load(&project).unwrap().project;
    let t = fixed.transcript(&p03).unwrap();
    let shift = "[Corrected by the transcriber.]\n\n".chars().count();
    let mut ok = 0;
    for (before, after) in segments.iter().zip(fixed.segments(&alex, &p03)) {
        if before.id == repeated.id {
            assert_eq!(after.start, before.start, "the ambiguous one stays put");
            continue;
        }
        assert_eq!(
            (after.start, after.end),
            (before.start + shift, before.end + shift)
        );
        assert_eq!(t.slice(after.start, after.end), Some(after.text.as_str()));
        ok += 1;
    }
    assert_eq!(ok, moved);
    // What is left is exactly that one segment.
    let check = stdout(&thematic(&["check", &p]));
    assert!(check.contains("1 error(s)"), "{check}");
    assert!(check.contains(&repeated.id.to_string()), "{check}");
}

/// Every file of a project folder with its bytes, to show a refused command changed nothing.
fn files_of(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                folders.push(path);
            } else {
                files.push((path.clone(), fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn a_global_flag_a_command_cannot_honour_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let study = dir.path().join("study");
    copy_sample(&study);
    let p = study.display().to_string();
    let transcript = dir.path().join("p99.txt");
    fs::write(&transcript, "Interviewer: Hello.\nParticipant: Hi.\n").unwrap();
    let t = transcript.display().to_string();
    let before = files_of(&study);
    let refused: [(&[&str], &str); 7] = [
        (
            &["import-refi", &t, &p, "--coder", "alex"],
            "--coder is not for `thematic import-refi`: a new project made from a file",
        ),
        (
            &["--read-only", "import", &p, &t],
            "--read-only is not for `thematic import`",
        ),
        (
            &["sample", &p, "--second", "sam", "--coder", "alex"],
            "--coder is not for `thematic sample`: the round's coders are named with --primary and --second",
        ),
        (
            &["codes", "add", &p, "New", "--coder", "alex", "--read-only"],
            "--read-only is not for `thematic codes`: this command changes files",
        ),
        (
            &[
                "autocode",
                &p,
                "--code",
                "Culture",
                "--search",
                "trust",
                "--coder",
                "alex",
                "--read-only",
            ],
            "--dry-run lists what it would code",
        ),
        (
            &["check", &p, "--fix", "--read-only"],
            "--read-only is not for `thematic check`",
        ),
        (
            &["dev", "generate", &p, "--coder", "alex"],
            "--coder is not for `thematic dev generate`",
        ),
    ];
    for (args, said) in refused {
        let out = thematic(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).starts_with("thematic: "), "{args:?}");
        assert!(stderr(&out).contains(said), "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "{args:?} ran: {}", stdout(&out));
        assert!(files_of(&study) == before, "{args:?} changed the project");
    }
    // Where the flags make sense they are taken: reading read-only, as a coder, and --coder
    // as who is asking where the result is the same for everyone.
    let honoured: [&[&str]; 4] = [
        &["search", &p, "trust", "--coder", "alex", "--read-only"],
        &["check", &p, "--read-only", "--coder", "sam"],
        &[
            "--read-only",
            "autocode",
            &p,
            "--code",
            "Culture",
            "--search",
            "trust",
            "--coder",
            "alex",
            "--dry-run",
        ],
        &["memos", &p, "--coder", "sam"],
    ];
    for args in honoured {
        let out = thematic(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    }
    assert!(files_of(&study) == before, "reading changed the project");
}

#[test]
fn each_kind_of_failure_says_what_went_wrong_with_exit_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let study = dir.path().join("study");
    copy_sample(&study);
    let p = study.display().to_string();
    // A user error: one line saying what is wrong, nothing on standard output.
    let out = thematic(&["quotes", &p, "No such code"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert!(stderr(&out).starts_with("thematic: no code named \"No such code\""));
    // Hints: each on a line of its own below the message.
    let missing = dir.path().join("missing.txt").display().to_string();
    let out = thematic(&["import", &p, &missing]);
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<String> = stderr(&out).lines().map(String::from).collect();
    assert_eq!(lines[0], "thematic: nothing was imported:");
    assert!(
        lines[1].starts_with(&format!("  {missing}: cannot read")),
        "{lines:?}"
    );
    // A project file that does not parse: its path, line and column, and it is left as it was.
    let meta = study.join("thematic.yaml");
    let broken = "format: 1\nname: [\n";
    fs::write(&meta, broken).unwrap();
    for args in [
        vec!["codebook", &p],
        vec!["codes", "add", &p, "New", "--coder", "alex"],
        vec!["sample", &p, "--second", "sam"],
    ] {
        let out = thematic(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            stderr(&out),
            format!("thematic: {p}/thematic.yaml:2:7: error: unclosed bracket '['\n"),
            "{args:?}"
        );
    }
    assert_eq!(fs::read_to_string(&meta).unwrap(), broken);
    // A file a reading command can do without is left out, and standard error says so.
    copy_sample(&study);
    fs::write(
        study.join("codebook.yaml"),
        "codes:\n- id: c-1\n  name: [unclosed\n",
    )
    .unwrap();
    let out = thematic(&["codebook", &p, "--brief"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stderr(&out),
        format!("warning: 1 problem(s) found while reading; run `thematic check {p}`\n")
    );
}

/// Runs `args` with standard output a pipe nobody reads, SIGPIPE blocked if `blocked`.
#[cfg(unix)]
fn into_a_closed_pipe(args: &[&str], blocked: bool) -> Output {
    use std::os::unix::process::CommandExt;
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut command = Command::new(env!("CARGO_BIN_EXE_thematic"));
    command
        .args(args)
        .env(
            "THEMATIC_CONFIG_DIR",
            std::env::temp_dir().join("thematic-cli-test-config"),
        )
        .stdout(writer)
        .stderr(std::process::Stdio::piped());
    if blocked {
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            command.pre_exec(|| {
                let mut set: libc::sigset_t = std::mem::zeroed();
                libc::sigemptyset(&mut set);
                libc::sigaddset(&mut set, libc::SIGPIPE);
                libc::sigprocmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
                Ok(())
            });
        }
    }
    command.output().expect("the binary runs")
}

#[cfg(unix)]
#[test]
fn a_reader_that_stops_reading_ends_the_command_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let sample = sample_dir();
    for format in ["table", "csv", "json"] {
        let args = [
            "search", &sample, "the", "--limit", "500", "--format", format,
        ];
        // As `thematic search ... | head` does: SIGPIPE ends it, without a word.
        let out = into_a_closed_pipe(&args, false);
        assert_eq!(out.status.signal(), Some(libc::SIGPIPE), "{format}");
        assert!(stderr(&out).is_empty(), "{format}: {}", stderr(&out));
        // Where SIGPIPE is blocked the write fails instead: exit 2, still without a word.
        let out = into_a_closed_pipe(&args, true);
        assert_eq!(out.status.code(), Some(2), "{format}: {}", stderr(&out));
        assert!(stderr(&out).is_empty(), "{format}: {}", stderr(&out));
    }
}
