//! Working with colleagues who use other tools: thematic's REFI-QDA exports read by pyqdpx
//! (a reader nobody here wrote), and `import-refi --into` merging a colleague's coding into
//! an existing project, from thematic's own export, from one written the way QualCoder
//! writes, and from the shared NVivo sample.

use crate::common::{self, succeeded as ok, thematic};

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

fn s(p: &Path) -> String {
    p.display().to_string()
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn export(project: &Path, to: &Path, extra: &[&str]) {
    let mut args = vec!["export", &s_leak(project), "--to", "qdpx"];
    let to = s(to);
    args.push(&to);
    args.extend_from_slice(extra);
    ok(&thematic(&args));
}

fn s_leak(p: &Path) -> &'static str {
    Box::leak(s(p).into_boxed_str())
}

/// The agreement table, as a user reads it.
fn agreement(project: &Path) -> String {
    ok(&thematic(&["agreement", &s(project), "--format", "csv"]))
}

/// A copy of the sample project with `coder`'s coding files removed.
fn sample_without(coder: &str, dir: &Path) -> PathBuf {
    let project = dir.join("project");
    common::copy_sample(&project);
    std::fs::remove_dir_all(project.join("codings").join(coder)).unwrap();
    project
}

fn segments_of(project: &Path) -> thematic::model::Project {
    thematic::store::load(project).unwrap().project
}

#[test]
fn a_coders_files_come_back_from_our_own_export_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let qdpx = dir.path().join("study.qdpx");
    export(&common::sample_project(), &qdpx, &[]);
    let project = sample_without("sam", dir.path());
    // sam finished the sample in the other program: --done marks it, so agreement compares it.
    let out = ok(&thematic(&[
        "import-refi",
        &s(&qdpx),
        &s(&project),
        "--into",
        "--done",
    ]));
    assert!(out.contains("Marked done: 3 transcript(s)"), "{out}");
    assert!(out.contains("12 matched by their text, 0 new"), "{out}");
    assert!(out.contains("56 matched, 0 new"), "{out}");
    assert!(
        out.contains("73 added, 277 already here (skipped)"),
        "{out}"
    );
    let original = segments_of(&common::sample_project());
    let merged = segments_of(&project);
    assert_eq!(merged.codings(), original.codings());
    assert_eq!(agreement(&project), agreement(&common::sample_project()));

    // Merging again changes nothing.
    let out = ok(&thematic(&[
        "import-refi",
        &s(&qdpx),
        &s(&project),
        "--into",
    ]));
    assert!(out.contains("0 added, 350 already here"), "{out}");
    assert_eq!(segments_of(&project).codings(), original.codings());
}

/// Rewrites a thematic export the way QualCoder 4.0 writes one: one Coding per selection,
/// users named only by display name (plus an idle "default" user), every code with a new
/// GUID, no transcript ids, a BOM in every source file, and files nothing refers to.
fn as_qualcoder_writes(ours: &Path, theirs: &Path) {
    let bytes = std::fs::read(ours).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut writer = zip::ZipWriter::new(std::fs::File::create(theirs).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    let sample = segments_of(&common::sample_project());
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        writer.start_file(name.as_str(), options).unwrap();
        if name == "project.qde" {
            let mut xml = String::from_utf8(content).unwrap();
            xml = xml.replace("origin=\"thematic 0.1.0\"", "origin=\"QualCoder 4.0\"");
            xml = xml.replace(" id=\"alex\"", "").replace(" id=\"sam\"", "");
            xml = xml.replace(
                "</Users>",
                "  <User guid=\"00000000-0000-4000-8000-000000000001\" name=\"default\"/>\n  </Users>",
            );
            for (_, code) in sample.codebook.walk() {
                let old = code.guid.hyphenated().to_string();
                let new = uuid::Uuid::new_v4().hyphenated().to_string();
                xml = xml.replace(&old, &new);
            }
            xml = drop_transcript_ids(&xml);
            writer.write_all(xml.as_bytes()).unwrap();
        } else {
            writer.write_all("\u{feff}".as_bytes()).unwrap();
            writer.write_all(&content).unwrap();
        }
    }
    writer
        .start_file("sources/unreferenced.txt", options)
        .unwrap();
    writer.write_all(b"a file nothing refers to").unwrap();
    writer.start_file("sources/picture.png", options).unwrap();
    writer.write_all(&[0x89, b'P', b'N', b'G']).unwrap();
    writer.finish().unwrap();
}

/// Removes the `Transcript id` values, so transcripts are named after their sources.
fn drop_transcript_ids(xml: &str) -> String {
    let guid_of_variable = xml
        .split("<Variable ")
        .find(|v| v.contains("name=\"Transcript id\""))
        .and_then(|v| v.split("guid=\"").nth(1))
        .and_then(|v| v.split('"').next())
        .unwrap()
        .to_string();
    let mut out = String::new();
    for (i, part) in xml.split("<VariableValue>").enumerate() {
        if i == 0 {
            out.push_str(part);
            continue;
        }
        let (value, rest) = part.split_once("</VariableValue>").unwrap();
        if !value.contains(&guid_of_variable) {
            out.push_str("<VariableValue>");
            out.push_str(value);
            out.push_str("</VariableValue>");
        }
        out.push_str(rest);
    }
    out
}

#[test]
fn a_coders_files_come_back_from_an_export_written_the_way_qualcoder_writes() {
    let dir = tempfile::tempdir().unwrap();
    let ours = dir.path().join("ours.qdpx");
    let theirs = dir.path().join("theirs.qdpx");
    export(
        &common::sample_project(),
        &ours,
        &["--one-code-per-selection"],
    );
    as_qualcoder_writes(&ours, &theirs);
    let project = sample_without("sam", dir.path());
    let out = ok(&thematic(&[
        "import-refi",
        &s(&theirs),
        &s(&project),
        "--into",
        "--done",
    ]));
    assert!(
        out.contains("\"Sam Okafor\" -> sam (same display name)"),
        "{out}"
    );
    assert!(out.contains("12 matched by their text, 0 new"), "{out}");
    assert!(out.contains("56 matched, 0 new"), "{out}");
    assert!(out.contains("73 added, 277 already here"), "{out}");
    assert!(
        !out.contains("default"),
        "an idle user is not a coder: {out}"
    );
    let original = segments_of(&common::sample_project());
    let merged = segments_of(&project);
    // Segment ids come from the file; the coding itself is the original's.
    assert_eq!(coding_of(&merged), coding_of(&original));
    assert_eq!(agreement(&project), agreement(&common::sample_project()));
}

/// A segment as (transcript, start, end, sorted codes), without its id.
type Coded = (String, usize, usize, Vec<String>);

/// Each coder's segments, without ids.
fn coding_of(project: &thematic::model::Project) -> BTreeMap<String, Vec<Coded>> {
    let mut out: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for (coder, transcript, segment) in project.all_segments() {
        let mut codes: Vec<String> = segment.codes.iter().map(ToString::to_string).collect();
        codes.sort();
        out.entry(coder.to_string()).or_default().push((
            transcript.to_string(),
            segment.start,
            segment.end,
            codes,
        ));
    }
    for rows in out.values_mut() {
        rows.sort();
    }
    out
}

#[test]
fn a_peer_user_is_taken_as_our_coder_with_coder_as() {
    let dir = tempfile::tempdir().unwrap();
    let ours = dir.path().join("ours.qdpx");
    export(&common::sample_project(), &ours, &[]);
    // The second coder's work exported under a peer's own user name.
    let renamed = dir.path().join("renamed.qdpx");
    rewrite_project_xml(&ours, &renamed, |xml| {
        xml.replace(
            "id=\"sam\" name=\"Sam Okafor\"",
            "name=\"S. Okafor (laptop)\"",
        )
        .replace("origin=\"thematic 0.1.0\"", "origin=\"NVivo 14\"")
    });
    let project = sample_without("sam", dir.path());
    let out = ok(&thematic(&[
        "import-refi",
        &s(&renamed),
        &s(&project),
        "--into",
        "--done",
        "--coder-as",
        "S. Okafor (laptop)=sam",
    ]));
    assert!(
        out.contains("\"S. Okafor (laptop)\" -> sam (--coder-as)"),
        "{out}"
    );
    assert_eq!(agreement(&project), agreement(&common::sample_project()));

    // A name that is in no file is a mistake, not an empty mapping.
    let out = thematic(&[
        "import-refi",
        &s(&renamed),
        &s(&project),
        "--into",
        "--coder-as",
        "Nobody=sam",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no user with that name"));
}

fn rewrite_project_xml(from: &Path, to: &Path, change: impl Fn(&str) -> String) {
    let bytes = std::fs::read(from).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut writer = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        writer.start_file(name.as_str(), options).unwrap();
        if name == "project.qde" {
            let xml = change(&String::from_utf8(content).unwrap());
            writer.write_all(xml.as_bytes()).unwrap();
        } else {
            writer.write_all(&content).unwrap();
        }
    }
    writer.finish().unwrap();
}

#[test]
fn a_merge_that_would_change_a_coders_segments_is_refused_unless_replace_coder_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let ours = dir.path().join("ours.qdpx");
    export(&common::sample_project(), &ours, &[]);
    // The file's copy of the project has lost one of sam's segments on p02 and moved another.
    let project = dir.path().join("project");
    common::copy_sample(&project);
    let original = segments_of(&project);
    let sam = thematic::model::CoderId::new("sam").unwrap();
    let p02 = thematic::model::TranscriptId::new("p02").unwrap();
    let first = original.segments(&sam, &p02)[0].clone();
    let before = std::fs::read_to_string(project.join("codings/sam/p02.yaml")).unwrap();
    let changed = dir.path().join("changed.qdpx");
    rewrite_project_xml(&ours, &changed, |xml| {
        let marker = format!(
            "startPosition=\"{}\" endPosition=\"{}\"",
            first.start, first.end
        );
        xml.replacen(
            &marker,
            &format!(
                "startPosition=\"{}\" endPosition=\"{}\"",
                first.start,
                first.end - 1
            ),
            1,
        )
    });
    let out = thematic(&["import-refi", &s(&changed), &s(&project), "--into"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sam on p02"), "{err}");
    assert!(err.contains("--replace-coder"), "{err}");
    assert_eq!(
        std::fs::read_to_string(project.join("codings/sam/p02.yaml")).unwrap(),
        before,
        "nothing is written"
    );

    let out = ok(&thematic(&[
        "import-refi",
        &s(&changed),
        &s(&project),
        "--into",
        "--replace-coder",
        "sam",
    ]));
    assert!(
        out.contains("1 added, 349 already here (skipped), 1 replaced"),
        "{out}"
    );
    let merged = segments_of(&project);
    let now = merged.segments(&sam, &p02);
    assert_eq!(now.len(), original.segments(&sam, &p02).len());
    assert!(
        now.iter()
            .any(|s| (s.start, s.end) == (first.start, first.end - 1))
    );
}

/// The colleague's project: the sample with one more interview, coded by a third coder
/// with a code of their own and a code whose name stands under another parent here.
fn colleague_project(dir: &Path) -> PathBuf {
    use thematic::model::{Code, Coder, CoderId, Edit, Level, Position, Segment, SegmentId};
    let theirs = dir.join("theirs");
    common::copy_sample(&theirs);
    let extra = dir.join("p13.txt");
    std::fs::write(
        &extra,
        "Interviewer: How did the merger go?\nP13: Slowly, but the shared rota helped.\n",
    )
    .unwrap();
    ok(&thematic(&["import", &s(&theirs), &s(&extra)]));
    let (mut ws, _) = thematic::workspace::Workspace::open(&theirs, None).unwrap();
    let kim = CoderId::new("kim").unwrap();
    let mut meta = ws.project().meta.clone();
    meta.coders.push(Coder {
        id: kim.clone(),
        name: "Kim Lee".into(),
    });
    ws.apply(Edit::UpdateProject {
        before: Box::new(ws.project().meta.clone()),
        after: Box::new(meta),
    })
    .unwrap();
    let roots = ws.project().codebook.children(None).len();
    let rota = Code::new("Shared rota", Level::Theme);
    let kims = Code::new("Kim's themes", Level::Theme);
    // A name that stands under another parent in the sample's codebook.
    let (_, borrowed) = ws
        .project()
        .codebook
        .walk()
        .into_iter()
        .find(|(depth, _)| *depth == 2)
        .map(|(d, c)| (d, c.name.clone()))
        .unwrap();
    let clash = Code::new(borrowed, Level::Code);
    for (code, parent, index) in [
        (rota.clone(), None, roots),
        (kims.clone(), None, roots + 1),
        (clash.clone(), Some(kims.id.clone()), 0),
    ] {
        ws.apply(Edit::AddCode {
            code,
            at: Position { parent, index },
        })
        .unwrap();
    }
    let p13 = ws
        .project()
        .transcripts_in_order()
        .last()
        .unwrap()
        .id
        .clone();
    let text = ws.project().transcript(&p13).unwrap().text().to_string();
    let start = text.find("the shared rota").unwrap();
    let start = text[..start].chars().count();
    let mut first = None;
    for (codes, end) in [
        (vec![rota.id.clone()], start + 15),
        (vec![clash.id.clone()], start + 3),
    ] {
        let text = ws
            .project()
            .transcript(&p13)
            .unwrap()
            .slice(start, end)
            .unwrap()
            .to_string();
        let id = SegmentId::random();
        first.get_or_insert(id.clone());
        ws.apply(Edit::AddSegment {
            coder: kim.clone(),
            transcript: p13.clone(),
            segment: Segment {
                id,
                start,
                end,
                codes,
                text,
                created: jiff::Timestamp::now(),
                updated: None,
            },
        })
        .unwrap();
    }
    let rota_segment = first.unwrap();
    ws.apply(Edit::AddMemo(Box::new(thematic::model::Memo {
        id: thematic::model::MemoId::random(),
        author: kim.clone(),
        title: "Why the rota matters".into(),
        created: jiff::Timestamp::now(),
        updated: jiff::Timestamp::now(),
        links: vec![thematic::model::MemoLink::Segment(
            thematic::model::SegmentRef {
                transcript: p13.clone(),
                coder: kim.clone(),
                id: rota_segment,
            },
        )],
        body: "It is the first thing both teams own.".into(),
    })))
    .unwrap();
    theirs
}

#[test]
fn new_transcripts_codes_and_coders_are_added_and_ambiguous_ones_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let theirs = colleague_project(dir.path());
    let qdpx = dir.path().join("theirs.qdpx");
    export(&theirs, &qdpx, &[]);
    let project = dir.path().join("project");
    common::copy_sample(&project);
    let out = ok(&thematic(&[
        "import-refi",
        &s(&qdpx),
        &s(&project),
        "--into",
    ]));
    assert!(out.contains("12 matched by their text, 1 new"), "{out}");
    assert!(out.contains("\"Kim Lee\" -> kim (new coder)"), "{out}");
    assert!(
        out.contains("New codes (2):\n  - Shared rota\n  - Kim's themes\n"),
        "{out}"
    );
    assert!(out.contains("here the name stands elsewhere"), "{out}");
    assert!(
        out.contains("1 segment(s) all of whose codes were left out"),
        "{out}"
    );
    assert!(out.contains("1 added, 350 already here"), "{out}");
    let merged = segments_of(&project);
    assert_eq!(merged.transcript_count(), 13);
    assert_eq!(merged.codebook.len(), 58);
    let kim = thematic::model::CoderId::new("kim").unwrap();
    assert!(merged.meta.coder(&kim).is_some());
    assert_eq!(
        merged.all_segments().filter(|(c, _, _)| **c == kim).count(),
        1
    );
    // Kim's memo on the segment that came in points at it here.
    assert!(
        out.contains("memos:        1 added, 6 already here"),
        "{out}"
    );
    let memo = merged.memos().find(|m| m.author == kim).unwrap();
    let thematic::model::MemoLink::Segment(link) = &memo.links[0] else {
        panic!("{memo:?}")
    };
    let (_, _, segment) = merged
        .all_segments()
        .find(|(c, t, s)| **c == kim && **t == link.transcript && s.id == link.id)
        .unwrap();
    assert!(segment.text.contains("shared rota"), "{segment:?}");
}

#[test]
fn two_transcripts_with_the_same_text_are_listed_and_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let qdpx = dir.path().join("study.qdpx");
    export(&common::sample_project(), &qdpx, &[]);
    let project = sample_without("sam", dir.path());
    // A second copy of p02's text here: the file's p02 could be either.
    let copy = dir.path().join("copy-of-p02.txt");
    std::fs::copy(project.join("transcripts/p02.txt"), &copy).unwrap();
    ok(&thematic(&["import", &s(&project), &s(&copy)]));
    let out = ok(&thematic(&[
        "import-refi",
        &s(&qdpx),
        &s(&project),
        "--into",
    ]));
    assert!(out.contains("11 matched by their text"), "{out}");
    assert!(out.contains("cannot tell which"), "{out}");
    let sam = thematic::model::CoderId::new("sam").unwrap();
    let merged = segments_of(&project);
    assert!(
        merged
            .segments(&sam, &thematic::model::TranscriptId::new("p02").unwrap())
            .is_empty()
    );
}

/// The shared sample exports (other projects' files, beside the repository in CI).
fn samples() -> Option<PathBuf> {
    let dir = repo().join("../shared/refi-samples");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must have ../shared/refi-samples"
    );
    eprintln!("skipped: ../shared/refi-samples is not here");
    None
}

#[test]
fn the_nvivo_sample_merges_into_a_project_holding_the_same_text() {
    let Some(samples) = samples() else { return };
    let file = samples.join("nvivo-win-12.6_pyqdpx_oltas_teszt.qdpx");
    let dir = tempfile::tempdir().unwrap();
    // What a plain import of the file makes, to compare with.
    let alone = dir.path().join("alone");
    ok(&thematic(&["import-refi", &s(&file), &s(&alone)]));
    let alone = segments_of(&alone);
    // Our project: the same interview text, imported as a text file, coded by nobody yet.
    let bytes = std::fs::read(&file).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let project = dir.path().join("project");
    ok(&thematic(&[
        "new",
        &s(&project),
        "--name",
        "Vaccination comments",
    ]));
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect();
    for name in names.iter().filter(|n| n.to_lowercase().ends_with(".txt")) {
        let mut text = Vec::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_end(&mut text)
            .unwrap();
        let path = dir.path().join(name.replace('/', "_"));
        std::fs::write(&path, text).unwrap();
        ok(&thematic(&["import", &s(&project), &s(&path)]));
    }
    let out = ok(&thematic(&[
        "import-refi",
        &s(&file),
        &s(&project),
        "--into",
    ]));
    let merged = segments_of(&project);
    let count = |p: &thematic::model::Project| p.all_segments().count();
    // 330 coded selections; the same text coded by one coder is one segment.
    assert_eq!(count(&alone), 195);
    assert_eq!(count(&merged), count(&alone), "{out}");
    assert!(
        out.contains("0 new\n"),
        "every transcript matched by its text: {out}"
    );
    assert_eq!(merged.codebook.len(), alone.codebook.len());
    // The same text under each segment as in the plain import.
    let quotes = |p: &thematic::model::Project| {
        let mut q: Vec<String> = p.all_segments().map(|(_, _, s)| s.text.clone()).collect();
        q.sort();
        q
    };
    assert_eq!(quotes(&merged), quotes(&alone));
}

/// A Python with pyqdpx: THEMATIC_PYQDPX_PYTHON, or the virtual environment .ci/run makes.
fn pyqdpx_python() -> Option<PathBuf> {
    let python = std::env::var_os("THEMATIC_PYQDPX_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/pyqdpx-venv/bin/python"));
    let works = Command::new(&python)
        .args(["-c", "import pyqdpx"])
        .output()
        .is_ok_and(|o| o.status.success());
    if works {
        return Some(python);
    }
    eprintln!(
        "skipped: pyqdpx is not installed (it needs Python >= 3.12; .ci/run sets it up in target/pyqdpx-venv where one is found, or set THEMATIC_PYQDPX_PYTHON)"
    );
    None
}

/// Every selection pyqdpx reads: (source name, text, code name).
fn read_with_pyqdpx(python: &Path, qdpx: &Path) -> (usize, Vec<(String, String, String)>) {
    let out = Command::new(python)
        .arg(repo().join("tests/fixtures/pyqdpx_selections.py"))
        .arg(qdpx)
        .output()
        .unwrap();
    let stdout = ok(&out);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let rows = value["selections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["source"].as_str().unwrap().to_string(),
                r["text"].as_str().unwrap().to_string(),
                r["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (value["sources"].as_u64().unwrap() as usize, rows)
}

#[test]
fn exports_open_in_pyqdpx_with_every_selection_text_equal_to_ours() {
    let Some(python) = pyqdpx_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sample = segments_of(&common::sample_project());
    // What thematic holds: one row per segment per code.
    let mut ours: Vec<(String, String, String)> = Vec::new();
    for (_, t, segment) in sample.all_segments() {
        let title = sample.transcript(t).unwrap().meta.title.clone();
        for code in &segment.codes {
            let name = sample.codebook.get(code).unwrap().name.clone();
            ours.push((title.clone(), segment.text.clone(), name));
        }
    }
    ours.sort();
    assert_eq!(ours.len(), 402);

    let split = dir.path().join("split.qdpx");
    export(
        &common::sample_project(),
        &split,
        &["--one-code-per-selection"],
    );
    let (sources, mut theirs) = read_with_pyqdpx(&python, &split);
    assert_eq!(sources, 12);
    theirs.sort();
    assert_eq!(theirs, ours, "pyqdpx reads every code application");

    // The default export: pyqdpx takes each selection's first code only, but every
    // selection's text is still ours.
    let plain = dir.path().join("plain.qdpx");
    export(&common::sample_project(), &plain, &[]);
    let (_, theirs) = read_with_pyqdpx(&python, &plain);
    assert_eq!(theirs.len(), 350);
    for row in &theirs {
        assert!(ours.contains(row), "{row:?}");
    }
}

/// Validates an XML file against a REFI-QDA schema with xmllint (which .ci/run installs).
fn validate(xml: &Path, schema: &str) {
    let Some(samples) = samples() else { return };
    let out = match Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(samples.join("schema").join(schema))
        .arg(xml)
        .output()
    {
        Ok(out) => out,
        Err(_) if std::env::var_os("CI").is_none() => {
            eprintln!("skipped: xmllint is not installed");
            return;
        }
        Err(e) => panic!("CI must install xmllint: {e}"),
    };
    assert!(
        out.status.success(),
        "{} is not valid:\n{}",
        xml.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn archive_entries(qdpx: &Path) -> Vec<String> {
    let bytes = std::fs::read(qdpx).unwrap();
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect()
}

fn project_file(qdpx: &Path, into: &Path) -> PathBuf {
    let bytes = std::fs::read(qdpx).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    archive
        .by_name("project.qde")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let path = into.join("project.qde");
    std::fs::write(&path, xml).unwrap();
    path
}

#[test]
fn handouts_and_split_exports_are_valid_and_hold_what_was_asked() {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::sample_project();
    let handout = dir.path().join("for-sam.qdpx");
    export(
        &sample,
        &handout,
        &["--transcripts", "p02,p07,p10", "--without-coding"],
    );
    let split = dir.path().join("split.qdpx");
    export(&sample, &split, &["--one-code-per-selection"]);
    for (i, qdpx) in [&handout, &split].into_iter().enumerate() {
        let unpacked = dir.path().join(format!("u{i}"));
        std::fs::create_dir(&unpacked).unwrap();
        validate(&project_file(qdpx, &unpacked), "Project.xsd");
    }
    // Sources and notes are files named by GUID.
    let entries = archive_entries(&split);
    let guid_named = entries
        .iter()
        .filter_map(|e| e.strip_prefix("sources/"))
        .filter(|f| uuid::Uuid::parse_str(f.trim_end_matches(".txt")).is_ok())
        .count();
    assert_eq!(guid_named, 12 + 6, "{entries:?}");

    // A reader that ignores cases (QualCoder) still finds the attributes on the sources.
    let no_cases = dir.path().join("no-cases.qdpx");
    rewrite_project_xml(&handout, &no_cases, |xml| {
        let start = xml.find("<Cases>").unwrap();
        let end = xml.find("</Cases>").unwrap() + "</Cases>".len();
        format!("{}{}", &xml[..start], &xml[end..])
    });
    let side = dir.path().join("sam-side");
    let out = ok(&thematic(&["import-refi", &s(&no_cases), &s(&side)]));
    assert!(out.contains("transcripts:  3"), "{out}");
    let side = segments_of(&side);
    assert_eq!(side.all_segments().count(), 0);
    assert_eq!(side.memos().count(), 0);
    assert_eq!(side.codebook.len(), 56);
    let ids: Vec<String> = side
        .transcripts_in_order()
        .iter()
        .map(|t| t.id.to_string())
        .collect();
    assert_eq!(ids, ["p02", "p07", "p10"]);
    let original = segments_of(&sample);
    for t in side.transcripts_in_order() {
        let there = original.transcript(&t.id).unwrap();
        assert_eq!(t.meta.attributes, there.meta.attributes);
        assert!(!t.meta.attributes.is_empty());
    }

    // The split export comes back as the same segments.
    let back = dir.path().join("back");
    ok(&thematic(&["import-refi", &s(&split), &s(&back)]));
    assert_eq!(segments_of(&back).codings(), segments_of(&sample).codings());

    let out = thematic(&[
        "export",
        &s(&sample),
        "--to",
        "qdpx",
        &s(&dir.path().join("x.qdpx")),
        "--transcripts",
        "p99",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no transcript p99"));
}

#[test]
fn a_merge_is_one_step_of_the_undo_history() {
    use thematic::interop::refi::{import::import_file, merge};
    let dir = tempfile::tempdir().unwrap();
    let theirs = colleague_project(dir.path());
    let qdpx = dir.path().join("theirs.qdpx");
    export(&theirs, &qdpx, &[]);
    let project = sample_without("sam", dir.path());
    let before = segments_of(&project);
    let (mut ws, _) = thematic::workspace::Workspace::open(&project, None).unwrap();
    let incoming = import_file(&qdpx).unwrap().project;
    let plan = merge::plan_merge(ws.project(), &incoming, &Default::default()).unwrap();
    ws.apply(plan.edit).unwrap();
    assert_eq!(segments_of(&project).transcript_count(), 13);
    assert!(ws.project().all_segments().count() > before.all_segments().count());
    ws.undo().unwrap();
    assert!(!ws.can_undo(), "the whole merge was one step");
    let after = segments_of(&project);
    assert_eq!(after.codings(), before.codings());
    assert_eq!(after.meta, before.meta);
    assert_eq!(after.codebook.len(), before.codebook.len());
    assert_eq!(after.transcript_count(), 12);
}

#[test]
fn nothing_is_written_while_the_coder_has_the_project_open() {
    let dir = tempfile::tempdir().unwrap();
    let qdpx = dir.path().join("study.qdpx");
    export(&common::sample_project(), &qdpx, &[]);
    let project = sample_without("sam", dir.path());
    let sam = thematic::model::CoderId::new("sam").unwrap();
    // Sam is coding in thematic at the same time: their lock is held.
    let lock = thematic::store::lock::CoderLock::acquire(&project, &sam).unwrap();
    let out = thematic(&["import-refi", &s(&qdpx), &s(&project), "--into"]);
    assert!(!out.status.success());
    assert!(!project.join("codings/sam").exists(), "nothing is written");
    drop(lock);
    let out = ok(&thematic(&[
        "import-refi",
        &s(&qdpx),
        &s(&project),
        "--into",
    ]));
    assert!(out.contains("73 added"), "{out}");
}
