//! Code suggestions on the generated study (213 interviews of 8,000 words, about 30,000
//! segments): the time to index every sentence (done once per `thematic suggest`, and once
//! per session in the coding screen), to rank one code's suggestions from that index (what
//! the Suggestions panel does after a coding change), and the two together (one `thematic
//! suggest`, loading the project aside). Target: the whole under 200 ms, the ranking after a
//! coding change under 50 ms (the panel keeps its index, and the words of the quotes it has
//! read, between two rankings).
//!
//! Last, the whole command as a researcher runs it: the study written to disk, the code
//! added and auto-coded by the binary, then `thematic suggest DIR Referrals --coder alex`
//! timed as a process (project loading, the kept index, ranking, printing), after one run
//! that keeps the index, and again after each of several auto-codings (new quotes to read).
//! Target: under 200 ms.
//!
//! Run: `cargo bench --bench suggest` (`THEMATIC_BENCH_RUNS=N` for more or fewer runs).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use thematic::generate::{Options, build};
use thematic::model::{Code, CoderId, Edit, Level, Position};
use thematic::suggest::autocode::{self, Source, Unit};
use thematic::suggest::{Ask, SuggestIndex};

fn median(mut samples: Vec<Duration>) -> (Duration, Duration, Duration) {
    samples.sort();
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
    (at(0.5), at(0.0), at(1.0))
}

fn show(what: &str, samples: Vec<Duration>) {
    let (mid, low, high) = median(samples);
    println!(
        "{what:<46} median {:>7.1} ms  (range {:.1}-{:.1} ms)",
        mid.as_secs_f64() * 1e3,
        low.as_secs_f64() * 1e3,
        high.as_secs_f64() * 1e3
    );
}

fn main() {
    let runs: usize = std::env::var("THEMATIC_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7);
    // The generated study's coding is random, so no code's quotes say anything about its
    // words (and rightly get no suggestions). A code with meaning is added: every sentence
    // saying "referral" in the first 20 interviews, as auto-coding would code them, so the
    // ranking has real work over the whole study.
    let mut project = build(&Options::default());
    let coder: CoderId = project.meta.coders[0].id.clone();
    let referrals = Code::new("Referrals", Level::Code);
    let code = referrals.id.clone();
    let at = Position {
        parent: None,
        index: project.codebook.children(None).len(),
    };
    Edit::AddCode {
        code: referrals,
        at,
    }
    .apply(&mut project)
    .expect("a new code");
    let first: Vec<_> = project
        .transcripts_in_order()
        .iter()
        .take(20)
        .map(|t| t.id.clone())
        .collect();
    let plan = autocode::plan(
        &project,
        &coder,
        &code,
        &Source::Search("referral".into()),
        Unit::Sentence,
        &first,
    )
    .expect("a plan");
    let quotes = plan.passages.len();
    plan.edit
        .expect("sentences to code")
        .apply(&mut project)
        .expect("coded");
    let ask = Ask {
        transcripts: &[],
        limit: 20,
        per_transcript: 0,
        rejected: &[],
    };
    println!(
        "generated study: {} transcripts, {} segments; the code has {quotes} quotes",
        project.transcript_count(),
        project.all_segments().count()
    );
    let mut index_times = Vec::new();
    let mut rank_times = Vec::new();
    let mut refresh_times = Vec::new();
    let mut total_times = Vec::new();
    let mut sentences = 0;
    let later: Vec<_> = project
        .transcripts_in_order()
        .iter()
        .skip(20)
        .map(|t| t.id.clone())
        .collect();
    for run in 0..runs {
        let t = Instant::now();
        let index = SuggestIndex::build(&project);
        let built = t.elapsed();
        let r = Instant::now();
        let found = index.suggest(&project, &coder, &code, &ask);
        let ranked = r.elapsed();
        assert_eq!(found.len(), 20);
        // A coding change, as in the panel: the referrals of one more interview are coded,
        // then the same index ranks again.
        let one = [later[run % later.len()].clone()];
        let plan = autocode::plan(
            &project,
            &coder,
            &code,
            &Source::Search("referral".into()),
            Unit::Sentence,
            &one,
        )
        .expect("a plan");
        if let Some(edit) = plan.edit {
            edit.apply(&mut project).expect("coded");
        }
        let r = Instant::now();
        let again = index.suggest(&project, &coder, &code, &ask);
        refresh_times.push(r.elapsed());
        assert_eq!(again.len(), 20);
        sentences = index.len();
        index_times.push(built);
        rank_times.push(ranked);
        total_times.push(built + ranked);
    }
    // The same from the index kept between runs (`thematic suggest` after the first run):
    // the cache is written once, then each run opens the index from it and ranks the code,
    // the quotes' words coming from the cache too.
    let keep = tempfile::tempdir().expect("a temporary folder");
    let first = SuggestIndex::open(&project, keep.path());
    first.suggest(&project, &coder, &code, &ask);
    first.keep(keep.path()).expect("the cache is written");
    let mut open_times = Vec::new();
    let mut kept_rank_times = Vec::new();
    let mut kept_total_times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let index = SuggestIndex::open(&project, keep.path());
        let opened = t.elapsed();
        assert_eq!(index.transcripts_read(), 0);
        let r = Instant::now();
        let found = index.suggest(&project, &coder, &code, &ask);
        let ranked = r.elapsed();
        assert_eq!(found.len(), 20);
        open_times.push(opened);
        kept_rank_times.push(ranked);
        kept_total_times.push(opened + ranked);
    }
    println!("{sentences} sentences indexed; {runs} runs");
    show("open the kept index (later runs)", open_times);
    show("rank one code, quotes from the kept index", kept_rank_times);
    show("suggest one code from the kept index", kept_total_times);
    show("index every sentence (once per session)", index_times);
    show("rank one code, first time (thematic suggest)", rank_times);
    show(
        "rank again after a coding change (the panel)",
        refresh_times,
    );
    show("suggest one code, index included", total_times);
    whole_command(runs);
}

/// `thematic` with `args` and no config (`config` does not exist), which must succeed.
fn thematic(config: &Path, args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_thematic"))
        .args(args)
        .env("THEMATIC_CONFIG_DIR", config)
        .output()
        .expect("thematic runs");
    assert!(
        out.status.success(),
        "thematic {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// One `thematic suggest` on the generated study on disk, as a process, `runs` times.
fn whole_command(runs: usize) {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let dir = temp.path().join("study");
    let config = temp.path().join("no-config");
    let thematic = |args: &[&str]| thematic(&config, args);
    thematic::generate::generate(&dir, &Options::default()).expect("generated");
    let d = dir.to_str().expect("a UTF-8 path");
    thematic(&["codes", "add", d, "Referrals", "--coder", "alex"]);
    let first: Vec<String> = (1..=20).map(|n| format!("t{n:04}")).collect();
    let mut args = vec!["autocode", d, "--code", "Referrals", "--search", "referral"];
    for t in &first {
        args.extend(["--transcript", t.as_str()]);
    }
    args.extend(["--unit", "sentence", "--coder", "alex"]);
    thematic(&args);
    let _ = Command::new("sync").status();
    let suggest = [
        "suggest",
        d,
        "Referrals",
        "--coder",
        "alex",
        "--format",
        "json",
    ];
    let t = Instant::now();
    thematic(&suggest);
    let cold = t.elapsed();
    assert!(
        Path::new(d)
            .join(".thematic/cache/suggest-index.bin")
            .is_file(),
        "the first run keeps the index"
    );
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let out = thematic(&suggest);
        times.push(t.elapsed());
        let found: Vec<serde_json::Value> =
            serde_json::from_slice(&out.stdout).expect("JSON suggestions");
        assert_eq!(found.len(), 20);
    }
    // Code-then-ask: before each run the referrals of one more interview are auto-coded
    // (about 160 new quotes), so each run reads new quotes; the cache is written again once
    // they are more than a few hundred.
    let mut after_coding = Vec::new();
    for run in 0..runs {
        let next = format!("t{:04}", 21 + run);
        thematic(&[
            "autocode",
            d,
            "--code",
            "Referrals",
            "--search",
            "referral",
            "--transcript",
            &next,
            "--unit",
            "sentence",
            "--coder",
            "alex",
        ]);
        let t = Instant::now();
        thematic(&suggest);
        after_coding.push(t.elapsed());
    }
    println!(
        "first `thematic suggest` (reads every transcript)  {:>7.1} ms",
        cold.as_secs_f64() * 1e3
    );
    show("`thematic suggest`, whole command (target 200)", times);
    show("the same after coding one more interview", after_coding);
}
