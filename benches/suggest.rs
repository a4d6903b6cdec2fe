//! Code suggestions on the generated study (213 interviews of 8,000 words, about 30,000
//! segments): the time to index every sentence (done once per `thematic suggest`, and once
//! per session in the coding screen), to rank one code's suggestions from that index (what
//! the Suggestions panel does after a coding change), and the two together (one `thematic
//! suggest`, loading the project aside). Target: the whole under 200 ms, the ranking under
//! 50 ms.
//!
//! Run: `cargo bench --bench suggest` (`THEMATIC_BENCH_RUNS=N` for more or fewer runs).

use std::time::{Duration, Instant};
use thematic::generate::{Options, build};
use thematic::model::CoderId;
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
    let project = build(&Options::default());
    let coder = project.meta.coders[0].id.clone();
    let coder: CoderId = coder;
    // The code with the most quotes: the largest query.
    let code = {
        let mut counts = std::collections::BTreeMap::new();
        for (_, _, s) in project.all_segments() {
            for c in &s.codes {
                *counts.entry(c.clone()).or_insert(0usize) += 1;
            }
        }
        counts
            .into_iter()
            .max_by_key(|(id, n)| (*n, std::cmp::Reverse(id.clone())))
            .map(|(id, _)| id)
            .expect("the study has coding")
    };
    let ask = Ask {
        transcripts: &[],
        limit: 20,
        per_transcript: 0,
        rejected: &[],
    };
    println!(
        "generated study: {} transcripts, {} segments",
        project.transcript_count(),
        project.all_segments().count()
    );
    let mut index_times = Vec::new();
    let mut rank_times = Vec::new();
    let mut total_times = Vec::new();
    let mut sentences = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let index = SuggestIndex::build(&project);
        let built = t.elapsed();
        let r = Instant::now();
        let found = index.suggest(&project, &coder, &code, &ask);
        let ranked = r.elapsed();
        assert_eq!(found.len(), 20);
        sentences = index.len();
        index_times.push(built);
        rank_times.push(ranked);
        total_times.push(built + ranked);
    }
    println!("{sentences} sentences indexed; {runs} runs");
    show("index every sentence (once per session)", index_times);
    show("rank one code (panel refresh after a change)", rank_times);
    show("suggest one code, index included", total_times);
}
