//! REFI-QDA exchange: the quirks of real exports, hostile archives, and round trips.

use super::export;
use super::import::{Imported, import_file, write_new_project};
use super::positions::Convention;
use crate::model::transcript::sha256_hex;
use crate::model::{
    Code, Coder, CoderId, Level, Memo, MemoId, MemoLink, Position, Project, ProjectMeta, Segment,
    SegmentId, SegmentRef, Transcript, TranscriptId, TranscriptMeta,
};
use crate::text::normalize::normalize_import;
use proptest::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

const USER: &str = "aaaaaaaa-0000-0000-0000-000000000001";
const CODE: &str = "bbbbbbbb-0000-0000-0000-000000000001";

/// A zip with the given entries, as an exporter would write it.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// A one-source project file with selections coded with one code.
fn qde(origin: &str, source_path: &str, selections: &[(usize, usize)]) -> String {
    let mut sel = String::new();
    for (i, (s, e)) in selections.iter().enumerate() {
        sel.push_str(&format!(
            r#"<PlainTextSelection guid="cccccccc-0000-0000-0000-{i:012}" startPosition="{s}" endPosition="{e}" creatingUser="{USER}"><Coding guid="dddddddd-0000-0000-0000-{i:012}" creatingUser="{USER}"><CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>"#
        ));
    }
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Quirks" origin="{origin}">
<Users><User guid="{USER}" name="Kim Lee"/></Users>
<CodeBook><Codes><Code guid="{CODE}" name="Word" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="eeeeeeee-0000-0000-0000-000000000001" name="Interview A.docx" plainTextPath="{source_path}">{sel}</TextSource></Sources>
</Project>"#
    )
}

fn import_bytes(dir: &Path, name: &str, bytes: &[u8]) -> Result<Imported, String> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    import_file(&path).map_err(|e| e.to_string())
}

fn segment_texts(imported: &Imported) -> Vec<String> {
    imported
        .project
        .all_segments()
        .map(|(_, _, s)| s.text.clone())
        .collect()
}

/// Char and UTF-16 offsets of each listed word in `raw` (first occurrence after the last).
fn offsets(raw: &str, words: &[&str], convention: Convention) -> Vec<(usize, usize)> {
    let mut from = 0;
    words
        .iter()
        .map(|w| {
            let at = from + raw[from..].find(w).unwrap();
            from = at + w.len();
            let count = |s: &str| match convention {
                Convention::Utf16 => s.encode_utf16().count(),
                Convention::CodePointsLf => s.replace("\r\n", "\n").chars().count(),
                _ => s.chars().count(),
            };
            (count(&raw[..at]), count(&raw[..at + w.len()]))
        })
        .collect()
}

const RAW: &str = "\u{FEFF}Interviewer: Welcome 😀 to the\r\nsession. Résumé naïve café 医生 said\r\nthe integration was 🙂 oversold.\r\n";
const WORDS: [&str; 5] = ["Welcome", "session", "Résumé", "医生", "oversold"];

#[test]
fn nvivo_windows_positions_count_utf16_units_and_crlf_as_two() {
    let dir = tempfile::tempdir().unwrap();
    let text = RAW.strip_prefix('\u{FEFF}').unwrap();
    let sel = offsets(text, &WORDS, Convention::Utf16);
    let project = qde("NVivo for Windows 12.6", "internal://A.txt", &sel);
    let bytes = zip_of(&[
        ("project.qde", project.as_bytes()),
        ("Sources/a.TXT", RAW.as_bytes()),
    ]);
    let imported = import_bytes(dir.path(), "n.qdpx", &bytes).unwrap();
    assert_eq!(segment_texts(&imported), WORDS);
    let (fit, _) = imported.summary.positions.clone().unwrap();
    assert_eq!(fit.convention, Convention::Utf16);
    assert!(
        imported
            .summary
            .render()
            .contains("UTF-16 code units, CRLF as 2")
    );
    // The BOM is gone and the text is stored normalised.
    let t = imported.project.transcripts_in_order()[0];
    assert_eq!(t.text(), normalize_import(RAW));
    assert_eq!(t.id.as_str(), "interview-a");
    assert_eq!(t.meta.title, "Interview A.docx");
}

#[test]
fn standard_and_crlf_as_one_positions_are_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let text = RAW.strip_prefix('\u{FEFF}').unwrap();
    for (convention, origin) in [
        (Convention::CodePoints, "QualCoder 3.5"),
        (Convention::CodePointsLf, "ATLAS.ti Windows 23"),
    ] {
        let sel = offsets(text, &WORDS, convention);
        let project = qde(origin, "internal://a.txt", &sel);
        // Any name for the one .qde, lowercase sources/.
        let bytes = zip_of(&[
            ("My Study.QDE", project.as_bytes()),
            ("sources/a.txt", RAW.as_bytes()),
        ]);
        let imported = import_bytes(dir.path(), "s.qdpx", &bytes).unwrap();
        assert_eq!(segment_texts(&imported), WORDS, "{origin}");
        assert_eq!(imported.summary.positions.unwrap().0.convention, convention);
    }
}

#[test]
fn one_selection_with_several_codings_is_one_segment_with_several_codes() {
    let dir = tempfile::tempdir().unwrap();
    let second = "bbbbbbbb-0000-0000-0000-000000000002";
    let project = format!(
        r#"<Project xmlns="urn:QDA-XML:project:1.0" name="P">
<Users><User guid="{USER}" name="Kim"/><User guid="aaaaaaaa-0000-0000-0000-000000000002" name="Ola"/></Users>
<CodeBook><Codes><Code guid="{CODE}" name="A" isCodable="true"/><Code guid="{second}" name="B" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="eeeeeeee-0000-0000-0000-000000000001" name="t"><PlainTextContent>one two three</PlainTextContent>
<PlainTextSelection guid="cccccccc-0000-0000-0000-000000000001" startPosition="4" endPosition="7">
<Coding guid="dddddddd-0000-0000-0000-000000000001" creatingUser="{USER}"><CodeRef targetGUID="{CODE}"/></Coding>
<Coding guid="dddddddd-0000-0000-0000-000000000002" creatingUser="{USER}"><CodeRef targetGUID="{second}"/></Coding>
<Coding guid="dddddddd-0000-0000-0000-000000000003" creatingUser="aaaaaaaa-0000-0000-0000-000000000002"><CodeRef targetGUID="{second}"/></Coding>
</PlainTextSelection></TextSource></Sources></Project>"#
    );
    let bytes = zip_of(&[("p.qde", project.as_bytes())]);
    let imported = import_bytes(dir.path(), "p.qdpx", &bytes).unwrap();
    let p = &imported.project;
    let t = TranscriptId::new("t").unwrap();
    let kim = p.segments(&CoderId::new("kim").unwrap(), &t);
    let ola = p.segments(&CoderId::new("ola").unwrap(), &t);
    assert_eq!(
        (kim.len(), kim[0].codes.len(), kim[0].text.as_str()),
        (1, 2, "two")
    );
    assert_eq!((ola.len(), ola[0].codes.len()), (1, 1));
    // The same selection's segment id, for both coders.
    assert_eq!(kim[0].id.as_str(), "s-cccccccc0000");
}

fn assert_refused(bytes: &[u8], expected: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.qdpx");
    std::fs::write(&path, bytes).unwrap();
    let before = listing(dir.path());
    let err = match import_file(&path) {
        Ok(_) => panic!("a hostile archive was accepted"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains(expected), "{err}");
    assert_eq!(listing(dir.path()), before, "something was written");
}

fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        all.push(entry.path());
    }
    all.sort();
    all
}

#[test]
fn archives_with_escaping_paths_are_refused() {
    let project = qde("x", "internal://a.txt", &[]);
    for evil in [
        "../evil.txt",
        "sources/../../evil.txt",
        "/tmp/evil.txt",
        "C:/evil.txt",
    ] {
        let bytes = zip_of(&[("project.qde", project.as_bytes()), (evil, b"x")]);
        assert_refused(&bytes, "unsafe path");
    }
}

#[test]
fn archives_without_one_project_file_are_refused() {
    assert_refused(&zip_of(&[("sources/a.txt", b"x")]), "no project file");
    let project = qde("x", "internal://a.txt", &[]);
    assert_refused(
        &zip_of(&[("a.qde", project.as_bytes()), ("b.qde", project.as_bytes())]),
        "more than one project file",
    );
    assert_refused(b"not a zip at all", "not a .qdpx (zip) archive");
}

#[test]
fn a_zip_bomb_is_refused_without_expanding_it() {
    // 300 MB of zeros compress to a few hundred KB; the limit is 256 MB per entry.
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(true);
    let project = qde("x", "internal://bomb.txt", &[]);
    writer.start_file("project.qde", options).unwrap();
    writer.write_all(project.as_bytes()).unwrap();
    writer.start_file("sources/bomb.txt", options).unwrap();
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..300 {
        writer.write_all(&chunk).unwrap();
    }
    let bytes = writer.finish().unwrap().into_inner();
    assert!(bytes.len() < 5 << 20, "{} bytes", bytes.len());
    let dir = tempfile::tempdir().unwrap();
    let imported = import_bytes(dir.path(), "bomb.qdpx", &bytes).unwrap();
    let summary = imported.summary.render();
    assert!(
        summary.contains("bomb.txt") && summary.contains("limit"),
        "{summary}"
    );
    assert_eq!(imported.project.transcript_count(), 0);
}

#[test]
fn sources_outside_the_package_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "do not read me").unwrap();
    for path in [
        format!("absolute://{}", secret.display()),
        "relative://../secret.txt".to_string(),
        "internal://../secret.txt".to_string(),
    ] {
        let project = qde("x", &path, &[]);
        let bytes = zip_of(&[("project.qde", project.as_bytes())]);
        let imported = import_bytes(dir.path(), "o.qdpx", &bytes).unwrap();
        assert_eq!(imported.project.transcript_count(), 0, "{path}");
        assert!(imported.summary.not_imported[0].contains("Interview A.docx"));
    }
}

#[test]
fn a_damaged_project_file_is_reported_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = zip_of(&[("project.qde", b"<Project name=\"x\">\n<Users>\n</Project>")]);
    let err = import_bytes(dir.path(), "d.qdpx", &bytes).err().unwrap();
    assert!(err.contains("line 3"), "{err}");
}

#[test]
fn importing_into_a_folder_that_is_not_empty_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let project = qde("x", "internal://a.txt", &[(0, 5)]);
    let bytes = zip_of(&[
        ("p.qde", project.as_bytes()),
        ("sources/a.txt", b"hello world"),
    ]);
    let imported = import_bytes(dir.path(), "p.qdpx", &bytes).unwrap();
    let target = dir.path().join("study");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("notes.txt"), "mine").unwrap();
    let err = write_new_project(&imported, &target)
        .unwrap_err()
        .to_string();
    assert!(err.contains("not empty"), "{err}");
    assert_eq!(listing(&target), vec![target.join("notes.txt")]);
    let fresh = dir.path().join("fresh");
    write_new_project(&imported, &fresh).unwrap();
    let loaded = crate::store::load(&fresh).unwrap();
    assert_eq!(loaded.project.all_segments().count(), 1);
    // No staging folder is left behind.
    assert!(
        listing(dir.path())
            .iter()
            .all(|p| !p.to_string_lossy().contains("importing"))
    );
}

/// A project built in memory: transcripts with the given texts, each coded by two coders
/// with the given char ranges, memos on a segment, a code, a transcript and the journal.
fn project_with(texts: &[String], ranges: &[(usize, usize)]) -> Project {
    let mut meta = ProjectMeta::new("Round trip ✓ <study> & \"quotes\"");
    for id in ["alex", "sam"] {
        meta.coders.push(Coder {
            id: CoderId::new(id).unwrap(),
            name: format!("{id} Ünïcode"),
        });
    }
    let mut project = Project::new(meta);
    let mut theme = Code::new("Thème 😀 <one>", Level::Theme);
    theme.description = "Line one\nline two & more".into();
    theme.inclusion = "When X".into();
    theme.tags = vec!["enabler".into()];
    let code = Code::new("Code \"two\"", Level::Code);
    let top = Position {
        parent: None,
        index: 0,
    };
    let theme_id = theme.id.clone();
    project.codebook.insert(theme, &top).unwrap();
    let under = Position {
        parent: Some(theme_id.clone()),
        index: 0,
    };
    let code_id = code.id.clone();
    project.codebook.insert(code, &under).unwrap();
    let created: jiff::Timestamp = "2025-01-02T03:04:05Z".parse().unwrap();
    for (i, text) in texts.iter().enumerate() {
        let id = TranscriptId::new(format!("t{i}")).unwrap();
        let meta = TranscriptMeta {
            title: format!("Interview {i} — ✓"),
            participant: format!("Participant {}", i + 1),
            order: Some(i as u32 + 1),
            date: Some("2025-03-04".parse().unwrap()),
            attributes: [("role".to_string(), format!("Role {i}"))].into(),
            sha256: sha256_hex(text),
            chars: text.chars().count(),
            ..TranscriptMeta::default()
        };
        let transcript = Transcript::new(id.clone(), meta, text.clone());
        for coder in ["alex", "sam"] {
            let segments: Vec<Segment> = ranges
                .iter()
                .enumerate()
                .filter_map(|(n, &(s, e))| {
                    let len = transcript.char_len();
                    let (s, e) = (s % (len + 1), e % (len + 1));
                    let (s, e) = (s.min(e), s.max(e));
                    (s < e).then(|| Segment {
                        id: SegmentId::new(format!("s-{n:04x}{i:04x}{:04x}", coder.len())).unwrap(),
                        start: s,
                        end: e,
                        codes: vec![if n % 2 == 0 {
                            code_id.clone()
                        } else {
                            theme_id.clone()
                        }],
                        text: transcript.slice(s, e).unwrap().to_string(),
                        created,
                        updated: None,
                    })
                })
                .collect();
            let mut segments = segments;
            crate::model::coding::sort_segments(&mut segments);
            if !segments.is_empty() {
                let coder = CoderId::new(coder).unwrap();
                project
                    .codings
                    .entry(coder)
                    .or_default()
                    .insert(id.clone(), segments);
            }
        }
        project.transcripts.insert(id, transcript);
    }
    let alex = CoderId::new("alex").unwrap();
    let mut links = vec![vec![], vec![MemoLink::Code(code_id)]];
    if let Some(segments) = project.codings.get(&alex).and_then(|c| c.values().next()) {
        let (t, _) = project.codings[&alex].iter().next().unwrap();
        links.push(vec![
            MemoLink::Segment(SegmentRef {
                transcript: t.clone(),
                coder: alex.clone(),
                id: segments[0].id.clone(),
            }),
            MemoLink::Transcript(t.clone()),
        ]);
    }
    for (n, links) in links.into_iter().enumerate() {
        let id = MemoId::new(format!("m-{n:012x}")).unwrap();
        project.memos.insert(
            id.clone(),
            Memo {
                id,
                author: alex.clone(),
                title: format!("Memo {n} <&>"),
                created,
                updated: created,
                links,
                body: "**Bold** thought\n\n- with a list & <tags>\n".into(),
            },
        );
    }
    project.meta.attributes.push(crate::model::AttributeDef {
        name: "role".into(),
        description: "Job role".into(),
        values: (0..texts.len()).map(|i| format!("Role {i}")).collect(),
    });
    project
}

/// Everything a round trip must keep; import provenance (source, imported) is new.
fn comparable(project: &Project) -> impl PartialEq + std::fmt::Debug {
    let transcripts: Vec<_> = project
        .transcripts_in_order()
        .into_iter()
        .map(|t| {
            let mut meta = t.meta.clone();
            meta.source = None;
            meta.imported = None;
            (t.id.clone(), meta, t.text().to_string())
        })
        .collect();
    let codebook: Vec<_> = project
        .codebook
        .walk()
        .into_iter()
        .map(|(depth, c)| (depth, c.clone()))
        .collect();
    (
        (
            project.meta.name.clone(),
            project.meta.coders.clone(),
            project.meta.attributes.clone(),
        ),
        codebook,
        transcripts,
        project.codings.clone(),
        project.memos.clone(),
    )
}

/// Checks XML against a REFI-QDA 1.0 schema with xmllint, when the schemas (beside the
/// repository, in ../shared) and xmllint are here; CI has both and must not skip.
fn validate(xml: &str, schema: &str) {
    let schemas = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/refi-samples/schema");
    let ci = std::env::var_os("CI").is_some();
    if !schemas.is_dir() {
        assert!(!ci, "CI must have ../shared/refi-samples");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.xml");
    std::fs::write(&file, xml).unwrap();
    let out = match std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(schemas.join(schema))
        .arg(&file)
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            assert!(!ci, "CI must install xmllint: {e}");
            return;
        }
    };
    assert!(
        out.status.success(),
        "not valid:\n{}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn round_trip(project: &Project) -> Project {
    let dir = tempfile::tempdir().unwrap();
    validate(
        &export::project_xml(project, Default::default()).0,
        "Project.xsd",
    );
    validate(&export::qdc(project), "Codebook.xsd");
    let bytes = export::qdpx(project, Default::default()).unwrap().bytes;
    import_bytes(dir.path(), "rt.qdpx", &bytes).unwrap().project
}

#[test]
fn a_project_round_trips_through_qdpx() {
    let texts = vec![
        "Interviewer: Ça va? 😀 Yes.\nParticipant: 医生 said \"no\" & <left>.\n".to_string(),
        "second\n\n   indented    text ✓\n".to_string(),
    ];
    let project = project_with(&texts, &[(0, 11), (14, 30), (3, 9), (0, 5)]);
    let back = round_trip(&project);
    assert_eq!(comparable(&back), comparable(&project));
    // Exporting is deterministic.
    assert_eq!(
        export::qdpx(&project, Default::default()).unwrap().bytes,
        export::qdpx(&project, Default::default()).unwrap().bytes
    );
}

#[test]
fn a_codebook_round_trips_through_qdc() {
    let project = project_with(&[], &[]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.qdc");
    std::fs::write(&path, export::qdc(&project)).unwrap();
    let back = import_file(&path).unwrap().project;
    let codes = |p: &Project| -> Vec<(usize, Code)> {
        p.codebook
            .walk()
            .into_iter()
            .map(|(d, c)| (d, c.clone()))
            .collect()
    };
    assert_eq!(codes(&back), codes(&project));
}

fn text_strategy() -> impl Strategy<Value = String> {
    // Words and separators with non-ASCII letters, emoji (astral, ZWJ sequences), CJK,
    // combining marks, CRLF and lone CR: what transcripts from real tools contain.
    let piece = prop_oneof![
        Just("word".to_string()),
        Just("Ünïcödé".to_string()),
        Just("😀".to_string()),
        Just("👩\u{200d}⚕\u{fe0f}".to_string()),
        Just("医生".to_string()),
        Just("e\u{301}".to_string()),
        Just(" ".to_string()),
        Just("\r\n".to_string()),
        Just("\n".to_string()),
        Just(", ".to_string()),
    ];
    proptest::collection::vec(piece, 1..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Stored text (already normalised) and any segments survive export and import.
    #[test]
    fn any_project_round_trips(
        raw in proptest::collection::vec(text_strategy(), 1..3),
        ranges in proptest::collection::vec((0usize..200, 0usize..200), 0..6),
    ) {
        let texts: Vec<String> = raw.iter().map(|t| normalize_import(t)).collect();
        let project = project_with(&texts, &ranges);
        let back = round_trip(&project);
        prop_assert_eq!(comparable(&back), comparable(&project));
    }

    /// A foreign export's selections of whole pieces land on the same text after the
    /// source is normalised (CRLF to LF, NFC), whichever way its positions were counted.
    #[test]
    fn foreign_selections_land_on_their_text(
        pieces in proptest::collection::vec(text_strategy(), 2..6),
        utf16 in any::<bool>(),
    ) {
        let raw = pieces.join(" | ");
        let count = |s: &str| if utf16 { s.encode_utf16().count() } else { s.chars().count() };
        let mut selections = Vec::new();
        let mut expected = Vec::new();
        let mut at = 0;
        for piece in &pieces {
            let start = raw[at..].find(piece.as_str()).unwrap() + at;
            let end = start + piece.len();
            if !normalize_import(piece).trim().is_empty() {
                selections.push((count(&raw[..start]), count(&raw[..end])));
                expected.push(normalize_import(piece));
            }
            at = end;
        }
        let origin = if utf16 { "NVivo for Windows 14" } else { "MAXQDA 2022" };
        let project = qde(origin, "internal://a.txt", &selections);
        let bytes = zip_of(&[("p.qde", project.as_bytes()), ("sources/a.txt", raw.as_bytes())]);
        let dir = tempfile::tempdir().unwrap();
        let imported = import_bytes(dir.path(), "f.qdpx", &bytes).unwrap();
        let mut texts: Vec<(usize, String)> = imported
            .project
            .all_segments()
            .map(|(_, _, s)| (s.start, s.text.clone()))
            .collect();
        texts.sort();
        let got: Vec<String> = texts.into_iter().map(|(_, t)| t).collect();
        prop_assert_eq!(got, expected);
    }
}
