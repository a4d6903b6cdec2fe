//! `thematic autocode`: search hits, a speaker's turns and the answers to questions coded as
//! one change in the running coder's files, with exact segments; already coded text skipped;
//! --dry-run writes nothing; reviewers and people without an identity refused.

use crate::common;

use common::thematic;
use std::path::Path;
use std::process::Output;

const INTERVIEW: &str = "Interviewer: How did the partnership start?\n\n\
P1: It started in 2022. We wanted one front door. Trust came slowly.\n\n\
Interviewer: What about trust between the teams?\n\n\
P1: Trust grew through joint casework. It took a year.\n\n\
Interviewer: Anything else?\n\n\
P1: No. Thanks.\n";

fn ok(o: Output) -> String {
    common::succeeded(&o)
}

/// A project with one interview, coder alex, and the codes Trust and Answers.
fn project(root: &Path) -> String {
    let dir = root.join("study");
    let file = root.join("p1.txt");
    std::fs::write(&file, INTERVIEW).unwrap();
    let d = dir.to_str().unwrap();
    ok(thematic(&["new", d, "--coder", "alex"]));
    ok(thematic(&["import", d, file.to_str().unwrap()]));
    ok(thematic(&["codes", "add", d, "Trust", "--coder", "alex"]));
    ok(thematic(&["codes", "add", d, "Answers", "--coder", "alex"]));
    d.to_string()
}

/// The (start, end, text) of every quote of `code`, in reading order.
fn quotes(dir: &str, code: &str) -> Vec<(u64, u64, String)> {
    let out = ok(thematic(&[
        "quotes", dir, code, "--coder", "alex", "--format", "json",
    ]));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    rows.iter()
        .map(|r| {
            (
                r["start"].as_u64().unwrap(),
                r["end"].as_u64().unwrap(),
                r["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn texts(quotes: &[(u64, u64, String)]) -> Vec<&str> {
    quotes.iter().map(|q| q.2.as_str()).collect()
}

#[test]
fn search_hits_are_coded_as_sentences_and_already_coded_text_is_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path());
    let out = ok(thematic(&[
        "autocode", &dir, "--code", "Trust", "--search", "TRUST", "--coder", "alex",
    ]));
    assert_eq!(out, "coded 3 passages in 1 transcript; 0 already coded\n");
    let coded = quotes(&dir, "Trust");
    assert_eq!(
        texts(&coded),
        [
            "Trust came slowly.",
            "What about trust between the teams?",
            "Trust grew through joint casework."
        ]
    );
    let text = INTERVIEW;
    let at = |s: &str| text.find(s).unwrap() as u64;
    assert_eq!(coded[0].0, at("Trust came"));
    assert_eq!(
        coded[0].1,
        at("Trust came") + "Trust came slowly.".len() as u64
    );

    let again = ok(thematic(&[
        "autocode", &dir, "--code", "Trust", "--search", "trust", "--coder", "alex",
    ]));
    assert_eq!(
        again,
        "coded 0 passages in 0 transcripts; 3 already coded\n"
    );
    assert_eq!(quotes(&dir, "Trust").len(), 3);
}

#[test]
fn units_widen_a_hit_to_the_hit_itself_the_turn_or_the_paragraph() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path());
    ok(thematic(&[
        "autocode", &dir, "--code", "Trust", "--search", "casework", "--unit", "hit", "--coder",
        "alex",
    ]));
    assert_eq!(texts(&quotes(&dir, "Trust")), ["casework"]);
    ok(thematic(&[
        "autocode",
        &dir,
        "--code",
        "Answers",
        "--search",
        "front door",
        "--unit",
        "turn",
        "--coder",
        "alex",
    ]));
    assert_eq!(
        texts(&quotes(&dir, "Answers")),
        ["It started in 2022. We wanted one front door. Trust came slowly."]
    );
}

#[test]
fn every_turn_of_a_speaker_is_coded() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path());
    let out = ok(thematic(&[
        "autocode",
        &dir,
        "--code",
        "Answers",
        "--speaker",
        "p1",
        "--coder",
        "alex",
    ]));
    assert_eq!(out, "coded 3 passages in 1 transcript; 0 already coded\n");
    assert_eq!(
        texts(&quotes(&dir, "Answers")),
        [
            "It started in 2022. We wanted one front door. Trust came slowly.",
            "Trust grew through joint casework. It took a year.",
            "No. Thanks."
        ]
    );
}

#[test]
fn the_answers_to_matching_questions_are_coded() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path());
    ok(thematic(&[
        "autocode",
        &dir,
        "--code",
        "Trust",
        "--question",
        "trust between",
        "--coder",
        "alex",
    ]));
    assert_eq!(
        texts(&quotes(&dir, "Trust")),
        ["Trust grew through joint casework. It took a year."]
    );
}

#[test]
fn a_dry_run_lists_the_passages_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path());
    let codings = Path::new(&dir).join("codings");
    let before = snapshot(&codings);
    let out = ok(thematic(&[
        "autocode",
        &dir,
        "--code",
        "Trust",
        "--search",
        "trust",
        "--dry-run",
        "--coder",
        "alex",
    ]));
    assert!(out.contains("p1 [95, 113) Trust came slowly.\n"), "{out}");
    assert!(out.ends_with(
        "would code 3 passages in 1 transcript; 0 already coded; nothing changed (--dry-run)\n"
    ));
    assert_eq!(snapshot(&codings), before);
    assert!(quotes(&dir, "Trust").is_empty());
}

#[test]
fn reviewers_and_unknown_people_are_refused_and_nothing_found_is_exit_1() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path());
    ok(thematic(&["add-reviewer", &dir, "rhea"]));
    let o = thematic(&[
        "autocode", &dir, "--code", "Trust", "--search", "trust", "--coder", "rhea",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("reviewer"));
    let o = thematic(&[
        "autocode", &dir, "--code", "Trust", "--search", "trust", "--coder", "zed",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not in this project"));
    let o = thematic(&[
        "autocode", &dir, "--code", "Trust", "--search", "zebra", "--coder", "alex",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let o = thematic(&[
        "autocode",
        &dir,
        "--code",
        "Trust",
        "--speaker",
        "p1",
        "--unit",
        "hit",
        "--coder",
        "alex",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(quotes(&dir, "Trust").is_empty());
}

/// Every file under `dir` with its content.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.path().is_dir() {
                files.extend(snapshot(&e.path()));
            } else {
                files.push((
                    e.path().display().to_string(),
                    std::fs::read(e.path()).unwrap(),
                ));
            }
        }
    }
    files.sort();
    files
}

/// The TUI codes a search list's hits with `plan_hits`: given every hit of a search it plans
/// exactly what `autocode --search` plans, and given some hits, only their sentences.
#[test]
fn coding_listed_hits_plans_what_the_search_plans() {
    use thematic::analysis::search;
    use thematic::model::CoderId;
    use thematic::suggest::autocode::{Source, Unit, plan, plan_hits};
    let root = common::sample_project();
    let project = thematic::store::load(&root).unwrap().project;
    let alex = CoderId::new("alex").unwrap();
    let code = project.codebook.find("One front door referral")[0]
        .id
        .clone();
    for words in ["referral form", "front door", "the"] {
        let hits = search::search(&project, words, usize::MAX).hits;
        let all = plan_hits(&project, &alex, &code, &hits, Unit::Sentence);
        let searched = plan(
            &project,
            &alex,
            &code,
            &Source::Search(words.into()),
            Unit::Sentence,
            &[],
        )
        .unwrap();
        assert_eq!(all.passages, searched.passages, "{words:?}");
        assert_eq!(all.already_coded, searched.already_coded, "{words:?}");
    }
    let hits = search::search(&project, "referral form", usize::MAX).hits;
    let some = plan_hits(&project, &alex, &code, &hits[..1], Unit::Sentence);
    let texts: Vec<&str> = some.passages.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        texts,
        ["The front door bit, the single referral form, that's genuinely working, I think."]
    );
    assert_eq!(some.summary(), "1 passage in 1 transcript; 0 already coded");
}

/// `--at TRANSCRIPT:START-END` (a suggestion's place) codes that passage widened to whole
/// sentences, skips it when already coded, and refuses a place that is not in the project
/// with a clear message and nothing written.
#[test]
fn a_passage_given_by_its_place_is_coded_as_whole_sentences() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path());
    let at = |s: &str| INTERVIEW.find(s).unwrap();
    let door = at("front door");
    let place = format!("p1:{door}-{}", door + "front door".len());
    let out = ok(thematic(&[
        "autocode", &dir, "--code", "Trust", "--at", &place, "--coder", "alex",
    ]));
    assert_eq!(out, "coded 1 passage in 1 transcript; 0 already coded\n");
    let grew = at("Trust grew");
    let two = format!("p1:{grew}-{}", at("It took a year.") + 3);
    ok(thematic(&[
        "autocode", &dir, "--code", "Trust", "--at", &two, "--coder", "alex",
    ]));
    let wanted = "We wanted one front door.";
    assert_eq!(
        quotes(&dir, "Trust"),
        [
            (
                at(wanted) as u64,
                (at(wanted) + wanted.len()) as u64,
                wanted.to_string()
            ),
            (
                grew as u64,
                (at("It took a year.") + "It took a year.".len()) as u64,
                "Trust grew through joint casework. It took a year.".to_string()
            ),
        ]
    );
    let again = ok(thematic(&[
        "autocode", &dir, "--code", "Trust", "--at", &place, "--coder", "alex",
    ]));
    assert_eq!(
        again,
        "coded 0 passages in 0 transcripts; 1 already coded\n"
    );

    let length = INTERVIEW.chars().count();
    for (given, says) in [
        ("p9:1-5".to_string(), "no transcript p9".to_string()),
        (
            format!("p1:200-{}", length + 1),
            format!("p1 has {length} characters"),
        ),
        (
            "p1:30-20".to_string(),
            format!("p1 has {length} characters"),
        ),
        (
            "p1:abc".to_string(),
            "give TRANSCRIPT:START-END".to_string(),
        ),
    ] {
        let out = thematic(&[
            "autocode", &dir, "--code", "Answers", "--at", &given, "--coder", "alex",
        ]);
        assert!(!out.status.success(), "{given}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains(&says), "{given}: {said}");
        assert!(
            quotes(&dir, "Answers").is_empty(),
            "nothing coded for {given}"
        );
    }
}
