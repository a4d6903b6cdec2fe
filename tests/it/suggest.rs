//! `thematic suggest`: the same suggestions on every run, never text the coder already coded
//! with the code or turned down, and working on text in another script (Greek).

use crate::common;

use common::{copy_sample, thematic};
use proptest::prelude::*;
use std::path::Path;
use std::process::Output;
use thematic::model::{CodeId, CoderId};
use thematic::suggest::rejected::Rejection;
use thematic::suggest::{Ask, SuggestIndex};

fn ok(o: Output) -> String {
    common::succeeded(&o)
}

fn json(out: &str) -> Vec<serde_json::Value> {
    serde_json::from_str(out).unwrap()
}

const CODE: &str = "Trust built through joint casework";

#[test]
fn suggestions_are_the_same_on_every_run_and_explain_themselves() {
    let tmp = common::sample_copy();
    let d = tmp.path().to_str().unwrap();
    let args = ["suggest", d, CODE, "--coder", "alex", "--format", "json"];
    let first = ok(thematic(&args));
    assert_eq!(ok(thematic(&args)), first);
    let rows = json(&first);
    assert_eq!(rows.len(), 20);
    let scores: Vec<f64> = rows.iter().map(|r| r["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    for r in &rows {
        let text = r["text"].as_str().unwrap().to_lowercase();
        let terms = r["terms"].as_array().unwrap();
        assert!(!terms.is_empty());
        for t in terms {
            assert!(text.contains(t.as_str().unwrap()), "{t} not in {text}");
        }
    }
}

#[test]
fn a_turned_down_suggestion_never_comes_back_and_no_shared_file_changes() {
    let tmp = common::sample_copy();
    let d = tmp.path().to_str().unwrap();
    let args = ["suggest", d, CODE, "--coder", "alex", "--format", "json"];
    let before = json(&ok(thematic(&args)));
    let top = &before[0];
    let spot = format!(
        "{}:{}-{}",
        top["transcript"].as_str().unwrap(),
        top["start"],
        top["end"]
    );
    let codings = std::fs::read_dir(tmp.path().join("codings/alex"))
        .unwrap()
        .count();
    ok(thematic(&[
        "suggest", d, CODE, "--coder", "alex", "--reject", &spot,
    ]));
    assert!(tmp.path().join(".thematic/suggest/alex.yaml").is_file());
    let after = json(&ok(thematic(&args)));
    assert!(after.iter().all(|r| r["text"] != top["text"]));
    assert_eq!(after[0], before[1]);
    assert_eq!(
        std::fs::read_dir(tmp.path().join("codings/alex"))
            .unwrap()
            .count(),
        codings
    );
    let bad = thematic(&["suggest", d, CODE, "--coder", "alex", "--reject", "p01:9-x"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn greek_text_is_segmented_and_suggested() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("μελέτη");
    let d = dir.to_str().unwrap();
    let fixtures = common::fixtures("suggest");
    ok(thematic(&["new", d, "--coder", "alex"]));
    ok(thematic(&[
        "import",
        d,
        fixtures.join("g1.txt").to_str().unwrap(),
        fixtures.join("g2.txt").to_str().unwrap(),
    ]));
    ok(thematic(&[
        "codes",
        "add",
        d,
        "Εμπιστοσύνη",
        "--coder",
        "alex",
    ]));
    ok(thematic(&[
        "autocode",
        d,
        "--code",
        "Εμπιστοσύνη",
        "--search",
        "ΕΜΠΙΣΤΟΣΎΝΗ",
        "--transcript",
        "g1",
        "--coder",
        "alex",
    ]));
    let rows = json(&ok(thematic(&[
        "suggest",
        d,
        "Εμπιστοσύνη",
        "--coder",
        "alex",
        "--format",
        "json",
    ])));
    assert_eq!(
        rows[0]["text"],
        "Χωρίς εμπιστοσύνη στους συναδέλφους τίποτα δεν γίνεται."
    );
    assert_eq!(rows[0]["transcript"], "g2");
    assert_eq!(rows[0]["terms"][0], "εμπιστοσύνη");
    assert!(
        rows.iter()
            .all(|r| !r["text"].as_str().unwrap().contains("Η εμπιστοσύνη"))
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever the code, the transcripts asked about and the passages turned down, no
    /// suggestion overlaps the coder's own coding with the code or repeats a rejection.
    #[test]
    fn never_suggests_coded_or_rejected_text(
        code_pick in 0usize..100,
        coder_pick in 0usize..2,
        only_pick in proptest::collection::vec(0usize..12, 0..3),
        reject_picks in proptest::collection::vec(0usize..20, 0..6),
    ) {
        let loaded = thematic::store::load(&common::sample_project()).unwrap();
        let project = &loaded.project;
        let coder = CoderId::new(["alex", "sam"][coder_pick]).unwrap();
        let codes: Vec<CodeId> = project.codebook.walk().into_iter().map(|(_, c)| c.id.clone()).collect();
        let code = &codes[code_pick % codes.len()];
        let ids: Vec<_> = project.transcripts_in_order().iter().map(|t| t.id.clone()).collect();
        let only: Vec<_> = only_pick.iter().map(|&i| ids[i % ids.len()].clone()).collect();
        let index = SuggestIndex::build(project);
        let first = index.suggest(project, &coder, code, &Ask { transcripts: &only, limit: 20, per_transcript: 0, rejected: &[] });
        let rejected: Vec<Rejection> = reject_picks
            .iter()
            .filter_map(|&i| first.get(i))
            .map(|s| Rejection { transcript: s.transcript.clone(), start: s.start, end: s.end, text: s.text.clone() })
            .collect();
        let found = index.suggest(project, &coder, code, &Ask { transcripts: &only, limit: 20, per_transcript: 0, rejected: &rejected });
        for s in &found {
            prop_assert!(only.is_empty() || only.contains(&s.transcript));
            prop_assert!(!rejected.iter().any(|r| r.transcript == s.transcript && r.text == s.text));
            prop_assert!(!project.segments(&coder, &s.transcript).iter().any(|seg| seg.codes.contains(code) && seg.overlaps(s.start, s.end)));
        }
    }
}

#[test]
fn the_consistency_view_lists_other_codes_passages_beside_the_quote_they_are_like() {
    let code = "Two IT systems that don't talk";
    let d = common::sample_project();
    let d = d.to_str().unwrap();
    // --read-only: the repository's sample-project is read, never written (not even the
    // index kept for the next run).
    let rows = json(&ok(thematic(&[
        "--read-only",
        "suggest",
        d,
        code,
        "--overlaps",
        "--coder",
        "alex",
        "--format",
        "json",
        "--limit",
        "15",
    ])));
    assert_eq!(rows.len(), 15);
    let quotes = json(&ok(thematic(&[
        "quotes", d, code, "--coder", "alex", "--format", "json",
    ])));
    let id = quotes[0]["codes"][0].clone();
    let quote_texts: Vec<&str> = quotes.iter().map(|q| q["text"].as_str().unwrap()).collect();
    let mut last = f64::MAX;
    for r in &rows {
        assert!(!r["codes"].as_array().unwrap().contains(&id), "{r}");
        assert!(quote_texts.contains(&r["like"].as_str().unwrap()), "{r}");
        let score = r["score"].as_f64().unwrap();
        assert!(score <= last);
        last = score;
    }
    assert!(
        !common::sample_project().join(".thematic/cache").exists(),
        "a read-only suggest kept its index in the project"
    );
    // sam coded the very words alex coded as this code with other codes: the first overlap.
    assert_eq!(rows[0]["coder"], "sam");
    assert_eq!(rows[0]["text"], rows[0]["like"]);
}

/// Every suggestion and overlap for every code, both coders, of `project`, as JSON rows:
/// what the pinned rankings below compare.
fn rankings(project: &thematic::model::Project) -> serde_json::Value {
    rankings_by(&SuggestIndex::build(project), project)
}

/// [`rankings`] from a given index (a cached one, say).
fn rankings_by(index: &SuggestIndex, project: &thematic::model::Project) -> serde_json::Value {
    let codes: Vec<CodeId> = project
        .codebook
        .walk()
        .into_iter()
        .map(|(_, c)| c.id.clone())
        .collect();
    let some: Vec<_> = project
        .transcripts_in_order()
        .iter()
        .step_by(2)
        .map(|t| t.id.clone())
        .collect();
    let mut all = serde_json::Map::new();
    for coder in &project.meta.coders {
        for code in &codes {
            let wide = Ask {
                limit: 20,
                ..Ask::default()
            };
            let narrow = Ask {
                transcripts: &some,
                limit: 10,
                per_transcript: 2,
                rejected: &[],
            };
            let key = format!("{}/{}", coder.id, code);
            all.insert(
                key,
                serde_json::json!({
                    "all": index.suggest(project, &coder.id, code, &wide),
                    "some": index.suggest(project, &coder.id, code, &narrow),
                    "overlaps": index.overlaps(project, &coder.id, code, 5),
                }),
            );
        }
    }
    // Code ids are drawn at random when a code is made: name them instead.
    let mut text = serde_json::Value::Object(all).to_string();
    for (_, code) in project.codebook.walk() {
        text = text.replace(code.id.as_str(), &project.codebook.path(&code.id));
    }
    serde_json::from_str(&text).unwrap()
}

/// Compares `found` with the pinned file `name` (written when missing and
/// `THEMATIC_PIN=write`): the ranking must not change when the code is made faster.
fn same_as_pinned(name: &str, found: serde_json::Value) {
    let path = common::fixtures("suggest").join(name);
    if std::env::var("THEMATIC_PIN").as_deref() == Ok("write") {
        std::fs::write(&path, serde_json::to_string_pretty(&found).unwrap()).unwrap();
    }
    let pinned: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let (pinned, found) = (pinned.as_object().unwrap(), found.as_object().unwrap());
    assert_eq!(pinned.len(), found.len());
    let mut nonempty = 0;
    for (key, want) in pinned {
        assert_eq!(Some(want), found.get(key), "{key} differs from {name}");
        nonempty += usize::from(!want["all"].as_array().unwrap().is_empty());
    }
    assert!(nonempty > 0, "{name} pins no suggestion at all");
}

/// The ranking of sample-project, pinned from the first implementation: same passages, same
/// order, same scores, same words.
#[test]
fn the_sample_projects_ranking_is_pinned() {
    let loaded = thematic::store::load(&common::sample_project()).unwrap();
    same_as_pinned("pinned-sample.json", rankings(&loaded.project));
}

/// The ranking of the Greek fixture, pinned likewise.
#[test]
fn the_greek_ranking_is_pinned() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("μελέτη");
    let d = dir.to_str().unwrap();
    let fixtures = common::fixtures("suggest");
    ok(thematic(&["new", d, "--coder", "alex"]));
    ok(thematic(&[
        "import",
        d,
        fixtures.join("g1.txt").to_str().unwrap(),
        fixtures.join("g2.txt").to_str().unwrap(),
    ]));
    for (code, search) in [("Εμπιστοσύνη", "ΕΜΠΙΣΤΟΣΎΝΗ"), ("Χρήματα", "χρήματα")]
    {
        ok(thematic(&["codes", "add", d, code, "--coder", "alex"]));
        ok(thematic(&[
            "autocode",
            d,
            "--code",
            code,
            "--search",
            search,
            "--transcript",
            "g1",
            "--coder",
            "alex",
        ]));
    }
    let loaded = thematic::store::load(&dir).unwrap();
    same_as_pinned("pinned-greek.json", rankings(&loaded.project));
}

/// The panel keeps one index, and the words of the quotes it has read, across coding
/// changes: after new coding, it ranks exactly as a fresh index would.
#[test]
fn an_index_kept_across_coding_changes_ranks_as_a_fresh_one() {
    use thematic::suggest::autocode::{self, Source, Unit};
    let loaded = thematic::store::load(&common::sample_project()).unwrap();
    let mut project = loaded.project;
    let coder = CoderId::new("alex").unwrap();
    let codes: Vec<CodeId> = project
        .codebook
        .walk()
        .into_iter()
        .map(|(_, c)| c.id.clone())
        .collect();
    let ask = Ask {
        limit: 20,
        ..Ask::default()
    };
    let kept = SuggestIndex::build(&project);
    let ids: Vec<_> = project
        .transcripts_in_order()
        .iter()
        .map(|t| t.id.clone())
        .collect();
    for (round, word) in ["trust", "staff", "time"].iter().enumerate() {
        let code = &codes[round * 7 % codes.len()];
        let before = kept.suggest(&project, &coder, code, &ask);
        let plan = autocode::plan(
            &project,
            &coder,
            code,
            &Source::Search((*word).into()),
            Unit::Sentence,
            &ids[..4],
        )
        .unwrap();
        let edit = plan.edit.expect("sentences to code");
        edit.apply(&mut project).unwrap();
        let fresh = SuggestIndex::build(&project);
        for other in &codes {
            assert_eq!(
                kept.suggest(&project, &coder, other, &ask),
                fresh.suggest(&project, &coder, other, &ask),
                "after coding {word:?}"
            );
        }
        assert_ne!(kept.suggest(&project, &coder, code, &ask), before);
    }
}

/// The index kept in `.thematic/cache/` between runs ranks exactly as one read from the
/// text: whole, after a transcript is edited outside thematic, and whatever state the cache
/// file is in (damaged, truncated, another project's): a cache is never trusted, only used.
#[test]
fn a_kept_index_ranks_as_a_fresh_one_whatever_the_cache_holds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("study");
    copy_sample(&root);
    let cache = root.join(".thematic/cache/suggest-index.bin");
    let load = || thematic::store::load(&root).unwrap().project;
    let project = load();
    let all = project.transcript_count();
    let first = SuggestIndex::open(&project, &root);
    assert_eq!(first.transcripts_read(), all, "no cache yet");
    let ranked = rankings_by(&first, &project);
    assert!(first.keep(&root).unwrap(), "the cache is written");
    assert!(!first.keep(&root).unwrap(), "nothing new to keep");
    same_as_pinned("pinned-sample.json", ranked);

    let warm = SuggestIndex::open(&project, &root);
    assert_eq!(
        warm.transcripts_read(),
        0,
        "every transcript from the cache"
    );
    same_as_pinned("pinned-sample.json", rankings_by(&warm, &project));
    assert!(!warm.keep(&root).unwrap(), "quotes came from the cache too");

    // Damaged in the middle, cut short, emptied: ignored, read again, and kept anew.
    let good = std::fs::read(&cache).unwrap();
    let mut damaged = good.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x55;
    let alex = CoderId::new("alex").unwrap();
    let code = project.codebook.find(CODE)[0].id.clone();
    let ask = Ask {
        limit: 20,
        ..Ask::default()
    };
    let expected = SuggestIndex::build(&project).suggest(&project, &alex, &code, &ask);
    for bad in [damaged, good[..good.len() / 3].to_vec(), Vec::new()] {
        std::fs::write(&cache, &bad).unwrap();
        let index = SuggestIndex::open(&project, &root);
        assert_eq!(index.transcripts_read(), all);
        assert_eq!(index.suggest(&project, &alex, &code, &ask), expected);
        assert!(index.keep(&root).unwrap());
        let again = SuggestIndex::open(&project, &root);
        assert_eq!(again.transcripts_read(), 0, "the cache is rebuilt");
    }

    // A transcript edited outside thematic: only it is read again, and what it now says is
    // what is ranked (the same as an index read wholly from the text).
    let p01 = root.join("transcripts/p01.txt");
    let text = std::fs::read_to_string(&p01).unwrap();
    // The top suggestion of the code is reworded (same length, other words).
    let was = "And I think people started to see, oh, actually";
    assert!(text.contains(was));
    let edited = text.replace(was, "And I think nobody had noticed, oh, honestly, it");
    std::fs::write(&p01, edited).unwrap();
    let project = load();
    let index = SuggestIndex::open(&project, &root);
    assert_eq!(index.transcripts_read(), 1, "only the edited transcript");
    let fresh = rankings(&project);
    assert_eq!(
        rankings_by(&index, &project),
        fresh,
        "as if read from the text"
    );
    assert!(!fresh.to_string().contains(was));
}

/// A cache copied in from another project (here the Greek one) is of no use, but does no
/// harm: every transcript is read and the ranking is the pinned one.
#[test]
fn a_cache_from_another_project_gives_no_wrong_suggestion() {
    let tmp = tempfile::tempdir().unwrap();
    let other = tmp.path().join("other");
    let d = other.to_str().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/suggest");
    ok(thematic(&["new", d, "--coder", "alex"]));
    ok(thematic(&[
        "import",
        d,
        fixtures.join("g1.txt").to_str().unwrap(),
    ]));
    ok(thematic(&[
        "codes",
        "add",
        d,
        "Εμπιστοσύνη",
        "--coder",
        "alex",
    ]));
    ok(thematic(&[
        "autocode",
        d,
        "--code",
        "Εμπιστοσύνη",
        "--search",
        "εμπιστοσύνη",
        "--coder",
        "alex",
    ]));
    ok(thematic(&["suggest", d, "Εμπιστοσύνη", "--coder", "alex"]));
    let root = tmp.path().join("study");
    copy_sample(&root);
    std::fs::create_dir_all(root.join(".thematic/cache")).unwrap();
    std::fs::copy(
        other.join(".thematic/cache/suggest-index.bin"),
        root.join(".thematic/cache/suggest-index.bin"),
    )
    .unwrap();
    let project = thematic::store::load(&root).unwrap().project;
    let index = SuggestIndex::open(&project, &root);
    assert_eq!(index.transcripts_read(), project.transcript_count());
    same_as_pinned("pinned-sample.json", rankings_by(&index, &project));
}

/// `thematic suggest` keeps its index in the git-ignored `.thematic/cache/`, never through a
/// link, and `thematic sync` never commits it (it holds participants' words).
#[test]
fn the_kept_index_stays_local_and_is_never_written_through_a_link() {
    use std::process::Command;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("study");
    copy_sample(&root);
    let d = root.to_str().unwrap();
    let args = ["suggest", d, CODE, "--coder", "alex", "--format", "json"];
    let cold = ok(thematic(&args));
    let cache = root.join(".thematic/cache/suggest-index.bin");
    assert!(cache.is_file(), "the index is kept");
    assert_eq!(ok(thematic(&args)), cold, "the same from the kept index");

    std::fs::write(tmp.path().join("gitconfig"), "").unwrap();
    let git = |args: &[&str]| {
        let mut cmd = Command::new("git");
        cmd.args(args)
            .current_dir(&root)
            .env("GIT_CONFIG_GLOBAL", tmp.path().join("gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "alex")
            .env("GIT_AUTHOR_EMAIL", "alex@example.org")
            .env("GIT_COMMITTER_NAME", "alex")
            .env("GIT_COMMITTER_EMAIL", "alex@example.org")
            .env("HOME", tmp.path());
        cmd
    };
    // The same environment as `git` above, for thematic's own calls of git.
    let sync = git(&[]);
    let out = Command::new(env!("CARGO_BIN_EXE_thematic"))
        .args(["--coder", "alex", "sync", d])
        .envs(sync.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let synced = git(&["ls-files"]).output().unwrap();
    let files = String::from_utf8_lossy(&synced.stdout);
    assert!(
        files.contains("codebook.yaml"),
        "the project is committed: {files}"
    );
    assert!(!files.contains(".thematic"), "committed: {files}");

    // A link where the cache goes: not followed, not written; suggestions still work.
    let outside = tmp.path().join("outside.bin");
    std::fs::write(&outside, b"not a cache").unwrap();
    std::fs::remove_file(&cache).unwrap();
    std::os::unix::fs::symlink(&outside, &cache).unwrap();
    let out = thematic(&args);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), cold);
    assert!(String::from_utf8_lossy(&out.stderr).contains("could not be kept"));
    assert_eq!(std::fs::read(&outside).unwrap(), b"not a cache");
}

/// The table's footer gives the exact commands, and accepting with `thematic autocode --at`
/// codes exactly the suggested sentence, as the panel's accept does: it is then no longer
/// suggested, and is among the code's quotes with the suggestion's place.
#[test]
fn the_footers_accept_command_codes_exactly_the_suggestion() {
    let tmp = tempfile::tempdir().unwrap();
    copy_sample(tmp.path());
    let d = tmp.path().to_str().unwrap();
    let table = ok(thematic(&["suggest", d, CODE, "--coder", "alex"]));
    let rows = json(&ok(thematic(&[
        "suggest", d, CODE, "--coder", "alex", "--format", "json",
    ])));
    let top = &rows[0];
    let place = format!(
        "{}:{}-{}",
        top["transcript"].as_str().unwrap(),
        top["start"],
        top["end"]
    );
    let accept = format!("accept one:    thematic autocode {d} --code '{CODE}' --at {place}");
    assert!(table.contains(&accept), "{table}");
    assert!(table.contains(&format!("thematic suggest {d} '{CODE}' --reject {place}")));
    let out = ok(thematic(&[
        "autocode", d, "--code", CODE, "--at", &place, "--coder", "alex",
    ]));
    assert_eq!(out, "coded 1 passage in 1 transcript; 0 already coded\n");
    let quotes: Vec<serde_json::Value> = json(&ok(thematic(&[
        "quotes", d, CODE, "--coder", "alex", "--format", "json",
    ])));
    assert!(
        quotes.iter().any(|q| q["transcript"] == top["transcript"]
            && q["start"] == top["start"]
            && q["end"] == top["end"]
            && q["text"] == top["text"]),
        "the suggested sentence, exactly"
    );
    let after = json(&ok(thematic(&[
        "suggest", d, CODE, "--coder", "alex", "--format", "json",
    ])));
    assert!(after.iter().all(|r| r["text"] != top["text"]));
}

/// A quote cut in the middle of words (word snapping off) holds words no sentence of the
/// study has ("ealthy", from "healthy"): it counts in the code's query, is kept in the cache
/// with the study's words, and the index opened from that cache ranks as a fresh one.
#[test]
fn quote_words_the_study_lacks_are_kept_and_rank_as_when_fresh() {
    use thematic::model::{Edit, Segment, SegmentId, TranscriptId};
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("study");
    copy_sample(&root);
    let mut project = thematic::store::load(&root).unwrap().project;
    let alex = CoderId::new("alex").unwrap();
    let code = project.codebook.find(CODE)[0].id.clone();
    let p01 = TranscriptId::new("p01").unwrap();
    let text = project.transcript(&p01).unwrap().text().to_string();
    let at = text.find("healthy lifestyles").unwrap();
    // From the "e" of "healthy" to the "l" before "es" of "lifestyles": both words cut.
    let start = text[..at + 1].chars().count();
    let end = start + "ealthy lifestyl".chars().count();
    let quote = project
        .transcript(&p01)
        .unwrap()
        .slice(start, end)
        .unwrap()
        .to_string();
    assert_eq!(quote, "ealthy lifestyl");
    Edit::AddSegment {
        coder: alex.clone(),
        transcript: p01,
        segment: Segment {
            id: SegmentId::random(),
            start,
            end,
            codes: vec![code.clone()],
            text: quote,
            created: jiff::Timestamp::UNIX_EPOCH,
            updated: None,
        },
    }
    .apply(&mut project)
    .unwrap();
    let ask = Ask {
        limit: 30,
        ..Ask::default()
    };
    let fresh = SuggestIndex::build(&project).suggest(&project, &alex, &code, &ask);
    let first = SuggestIndex::open(&project, &root);
    assert_eq!(first.suggest(&project, &alex, &code, &ask), fresh);
    assert!(first.keep(&root).unwrap());
    let cache = std::fs::read(root.join(".thematic/cache/suggest-index.bin")).unwrap();
    let holds = |word: &[u8]| cache.windows(word.len()).any(|w| w == word);
    assert!(holds(b"ealthy"), "the quote's own word is kept");
    let warm = SuggestIndex::open(&project, &root);
    assert_eq!(warm.transcripts_read(), 0);
    assert_eq!(warm.suggest(&project, &alex, &code, &ask), fresh);
    assert!(
        !warm.keep(&root).unwrap(),
        "the quote's words came from the cache"
    );
}

/// A kept index that holds together, from sample-project with the quotes of every code of
/// both coders read: made once, then changed by each case below.
fn good_cache() -> &'static [u8] {
    static CACHE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    CACHE.get_or_init(|| {
        let project = thematic::store::load(&common::sample_project())
            .unwrap()
            .project;
        let tmp = tempfile::tempdir().unwrap();
        let index = SuggestIndex::open(&project, tmp.path());
        rankings_by(&index, &project);
        assert!(index.keep(tmp.path()).unwrap());
        std::fs::read(tmp.path().join(".thematic/cache/suggest-index.bin")).unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// A kept index changed inside, with its checksum made to agree again (what a careless
    /// tool or a hostile copy of a project could leave), never makes thematic panic: it is
    /// refused whole or used, and every suggestion and overlap found is the transcript's
    /// own text at the place it names, never the coder's coding with the code. (Most such
    /// files are refused whole; a cache whose contents hold together but say the wrong
    /// things is tried in `suggest::index`'s own tests.)
    #[test]
    fn a_doctored_cache_never_panics_or_shows_text_from_elsewhere(
        changes in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>()), 1..8),
        code_pick in 0usize..100,
    ) {
        // Magic, five settings, the payload's length and its CRC-32: 48 bytes of header.
        const PAYLOAD_AT: usize = 48;
        let mut bytes = good_cache().to_vec();
        let payload = bytes.len() - PAYLOAD_AT;
        for (at, value) in &changes {
            bytes[PAYLOAD_AT + at.index(payload)] = *value;
        }
        let checksum = crc32fast::hash(&bytes[PAYLOAD_AT..]).to_le_bytes();
        bytes[PAYLOAD_AT - 4..PAYLOAD_AT].copy_from_slice(&checksum);
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join(".thematic/cache")).unwrap();
        std::fs::write(tmp.path().join(".thematic/cache/suggest-index.bin"), &bytes).unwrap();

        let project = thematic::store::load(&common::sample_project()).unwrap().project;
        let codes: Vec<CodeId> = project.codebook.walk().into_iter().map(|(_, c)| c.id.clone()).collect();
        let code = &codes[code_pick % codes.len()];
        let index = SuggestIndex::open(&project, tmp.path());
        for coder in ["alex", "sam"] {
            let coder = CoderId::new(coder).unwrap();
            let ask = Ask { limit: 20, ..Ask::default() };
            for s in index.suggest(&project, &coder, code, &ask) {
                let t = project.transcript(&s.transcript).unwrap();
                prop_assert_eq!(t.slice(s.start, s.end), Some(s.text.as_str()));
                prop_assert!(!project.segments(&coder, &s.transcript).iter().any(|seg| seg.codes.contains(code) && seg.overlaps(s.start, s.end)));
            }
            for o in index.overlaps(&project, &coder, code, 10) {
                prop_assert!(!o.codes.contains(code));
            }
        }
        // Kept anew (or not) without a panic, and whatever was kept opens again.
        let _ = index.keep(tmp.path());
        SuggestIndex::open(&project, tmp.path());
    }
}

/// Coding a few passages and asking again reads their quotes but does not write the 15 MB
/// cache again (reading them next time costs less); coding hundreds does. Either way the
/// ranking is the one read from the text.
#[test]
fn a_few_new_quotes_do_not_rewrite_the_kept_index_and_many_do() {
    use thematic::suggest::autocode::{self, Source, Unit};
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("study");
    copy_sample(&root);
    let cache = root.join(".thematic/cache/suggest-index.bin");
    let mut project = thematic::store::load(&root).unwrap().project;
    let alex = CoderId::new("alex").unwrap();
    let code = project.codebook.find(CODE)[0].id.clone();
    let ids: Vec<_> = project
        .transcripts_in_order()
        .iter()
        .map(|t| t.id.clone())
        .collect();
    let ask = Ask {
        limit: 20,
        ..Ask::default()
    };
    let first = SuggestIndex::open(&project, &root);
    first.suggest(&project, &alex, &code, &ask);
    assert!(first.keep(&root).unwrap());
    let kept = std::fs::read(&cache).unwrap();
    let code_where = |search: &str, project: &mut thematic::model::Project| {
        let plan = autocode::plan(
            project,
            &alex,
            &code,
            &Source::Search(search.into()),
            Unit::Sentence,
            &ids,
        )
        .unwrap();
        let coded = plan.passages.len();
        plan.edit
            .expect("sentences to code")
            .apply(project)
            .unwrap();
        coded
    };
    let few = code_where("lovely", &mut project);
    assert!((1..50).contains(&few), "{few} passages");
    let warm = SuggestIndex::open(&project, &root);
    let found = warm.suggest(&project, &alex, &code, &ask);
    assert_eq!(
        found,
        SuggestIndex::build(&project).suggest(&project, &alex, &code, &ask)
    );
    assert!(
        !warm.keep(&root).unwrap(),
        "{few} new quotes are read again next time"
    );
    assert_eq!(
        std::fs::read(&cache).unwrap(),
        kept,
        "the cache is as it was"
    );

    let many = code_where("e", &mut project);
    assert!(many > 600, "{many} passages");
    let warm = SuggestIndex::open(&project, &root);
    let found = warm.suggest(&project, &alex, &code, &ask);
    assert_eq!(
        found,
        SuggestIndex::build(&project).suggest(&project, &alex, &code, &ask)
    );
    assert!(warm.keep(&root).unwrap(), "{many} new quotes are kept");
    let again = SuggestIndex::open(&project, &root);
    again.suggest(&project, &alex, &code, &ask);
    assert!(!again.keep(&root).unwrap(), "now they come from the cache");
}
