//! Fuzzing with proptest: valid inputs (sample-project's files, the import fixtures, a REFI-QDA
//! export of sample-project, the default keymap) mutated at random (bytes flipped, inserted,
//! deleted, chunks duplicated, the file cut short), and random bytes, fed to every reader of
//! outside data. Nothing may panic; the readers' errors are the expected outcome.
//!
//! `THEMATIC_FUZZ_CASES` sets the cases per target: 64 by default (CI), e.g. 20000 for the
//! long local run (see docs/tests.md). Each target prints how many inputs it tried.

use crate::common;
use common::copy_dir;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::path::{Path, PathBuf};
use thematic::interop::import::{Format, text_from_bytes};

fn cases() -> u32 {
    std::env::var("THEMATIC_FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64)
}

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Flip(at, b)),
        (
            any::<usize>(),
            prop_oneof![
                Just(b'"'),
                Just(b'\\'),
                Just(b':'),
                Just(b'\n'),
                Just(b'<'),
                Just(b'&'),
                Just(0xff),
                any::<u8>()
            ]
        )
            .prop_map(|(at, b)| Mutation::Insert(at, b)),
        (any::<usize>(), 1usize..64).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (any::<usize>(), 1usize..256).prop_map(|(at, n)| Mutation::Duplicate(at, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(seed: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for m in mutations {
        let len = bytes.len().max(1);
        match *m {
            Mutation::Flip(at, b) => {
                if let Some(x) = bytes.get_mut(at % len) {
                    *x ^= b | 1;
                }
            }
            Mutation::Insert(at, b) => bytes.insert((at % len).min(bytes.len()), b),
            Mutation::Delete(at, n) => {
                let at = (at % len).min(bytes.len());
                let end = (at + n).min(bytes.len());
                bytes.drain(at..end);
            }
            Mutation::Duplicate(at, n) => {
                let at = (at % len).min(bytes.len());
                let end = (at + n).min(bytes.len());
                let chunk = bytes[at..end].to_vec();
                bytes.splice(at..at, chunk);
            }
            Mutation::Truncate(at) => bytes.truncate(at % len),
        }
    }
    bytes
}

/// Inputs for one target: its seeds mutated, and some plain random bytes.
fn inputs(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    let mutated = (0..seeds.len(), proptest::collection::vec(mutation(), 1..8))
        .prop_map(move |(i, ms)| apply(&seeds[i], &ms));
    prop_oneof![9 => mutated, 1 => proptest::collection::vec(any::<u8>(), 0..512)]
}

fn run(name: &str, seeds: Vec<Vec<u8>>, target: impl Fn(&[u8])) {
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&inputs(seeds), |bytes| {
        target(&bytes);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    eprintln!("fuzz {name}: {} inputs, no panic", cases());
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(repo(path)).unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn yaml_files_of_every_kind() {
    use thematic::model::{Memo, ProjectMeta, TranscriptMeta};
    use thematic::store::files::{CodebookFile, CodingFile};
    use thematic::store::yaml::parse;
    let seeds = vec![
        read("sample-project/thematic.yaml"),
        read("sample-project/codebook.yaml"),
        read("sample-project/transcripts/p01.yaml"),
        read("sample-project/codings/alex/p01.yaml"),
        read("sample-project/memos/alex/m-0ddfe3931532.yaml"),
    ];
    run("yaml", seeds, |bytes| {
        let t = text(bytes);
        let _ = parse::<ProjectMeta>(&t);
        let _ = parse::<CodebookFile>(&t);
        let _ = parse::<TranscriptMeta>(&t);
        let _ = parse::<CodingFile>(&t);
        let _ = parse::<Memo>(&t);
        let _ = thematic::store::coding_reader::read_coding(&t);
    });
}

#[test]
fn a_whole_project_with_one_damaged_file() {
    let files = [
        "thematic.yaml",
        "codebook.yaml",
        "transcripts/p02.yaml",
        "transcripts/p02.txt",
        "codings/alex/p02.yaml",
        "codings/sam/p02.yaml",
        "memos/alex/m-0ddfe3931532.yaml",
    ];
    let seeds: Vec<Vec<u8>> = files
        .iter()
        .map(|f| read(&format!("sample-project/{f}")))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("study");
    copy_dir(&repo("sample-project"), &project);
    let originals = seeds.clone();
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (0..files.len(), proptest::collection::vec(mutation(), 1..8));
    let result = runner.run(&strategy, |(i, ms)| {
        let path = project.join(files[i]);
        std::fs::write(&path, apply(&seeds[i], &ms)).unwrap();
        if let Ok(loaded) = thematic::store::load(&project) {
            let _ = thematic::store::check::validate(&loaded.project);
        }
        std::fs::write(&path, &originals[i]).unwrap();
        Ok(())
    });
    if let Err(e) = result {
        panic!("project: {e}");
    }
    eprintln!(
        "fuzz project: {} damaged projects loaded, no panic",
        cases()
    );
}

#[test]
fn transcript_importers() {
    let formats = [
        (Format::Text, "tests/fixtures/import/bom-crlf.txt", "x.txt"),
        (
            Format::Markdown,
            "tests/fixtures/import/interview.md",
            "x.md",
        ),
        (
            Format::Docx,
            "tests/fixtures/import/interview.docx",
            "x.docx",
        ),
        (Format::WebVtt, "tests/fixtures/import/teams.vtt", "x.vtt"),
        (Format::Srt, "tests/fixtures/import/zoom.srt", "x.srt"),
    ];
    for (format, seed, name) in formats {
        run(name, vec![read(seed)], |bytes| {
            let _ = text_from_bytes(format, bytes, Path::new(name));
        });
    }
}

#[test]
fn refi_qda_projects_codebooks_and_xml() {
    let project = thematic::store::load(&repo("sample-project"))
        .unwrap()
        .project;
    let qdpx = thematic::interop::refi::export::qdpx(&project, Default::default())
        .unwrap()
        .bytes;
    let qdc = thematic::interop::refi::export::qdc(&project).into_bytes();
    let (qde, _) = thematic::interop::refi::export::project_xml(&project, Default::default());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f.qdpx");
    run("qdpx", vec![qdpx], |bytes| {
        std::fs::write(&file, bytes).unwrap();
        let _ = thematic::interop::refi::import::import_file(&file);
    });
    run("qdc", vec![qdc], |bytes| {
        let _ = thematic::interop::refi::import::import_codebook(&text(bytes), "f.qdc");
    });
    let qde_file = dir.path().join("project.qde");
    run("qde and xml", vec![qde.into_bytes()], |bytes| {
        let _ = thematic::interop::refi::xml::parse(&text(bytes));
        std::fs::write(&qde_file, bytes).unwrap();
        let _ = thematic::interop::refi::import::import_file(&qde_file);
    });
}

#[test]
fn keymap_files() {
    let seed = read("assets/keymap.yaml");
    run("keymap", vec![seed], |bytes| {
        let mut keymap = thematic::tui::keymap::Keymap::defaults().unwrap();
        let _ = keymap.merge(&text(bytes), Path::new("keymap.yaml"));
    });
}
