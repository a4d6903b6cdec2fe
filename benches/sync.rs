//! `thematic sync` on the generated 213-interview study (SPEC section 8's scale), where
//! another coder changed 10 transcripts and 5 codes while this coder changed 3 transcripts
//! and 1 code: the merge (git with thematic's merge driver on the codebook) and the check of
//! the merged project are thematic's own work, whose target is under 1 s on 2 cores.
//!
//! `cargo bench --bench sync` (release build); `THEMATIC_BENCH_SCALE` changes the scale.

use std::path::Path;
use std::process::Command;
use std::time::Instant;
use thematic::model::{CoderId, Edit, Segment, SegmentId, TranscriptId};
use thematic::workspace::Workspace;

fn env_for(cmd: &mut Command, home: &Path, who: &str) {
    cmd.env("GIT_CONFIG_GLOBAL", home.join("gitconfig"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", who)
        .env("GIT_AUTHOR_EMAIL", format!("{who}@example.org"))
        .env("GIT_COMMITTER_NAME", who)
        .env("GIT_COMMITTER_EMAIL", format!("{who}@example.org"));
}

fn run(program: &str, args: &[&str], home: &Path, who: &str) -> String {
    let mut cmd = Command::new(program);
    cmd.args(args).current_dir(home);
    env_for(&mut cmd, home, who);
    let out = cmd.output().expect("runs");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{program} {args:?}: {said}");
    said
}

fn thematic(home: &Path, who: &str, args: &[&str]) -> String {
    let mut all = vec!["--coder", who];
    all.extend_from_slice(args);
    run(env!("CARGO_BIN_EXE_thematic"), &all, home, who)
}

/// Codes one new segment in each of `n` transcripts, starting at the `skip`th.
fn code_transcripts(dir: &Path, who: &str, skip: usize, n: usize) {
    let coder = CoderId::new(who).unwrap();
    let (mut ws, _) = Workspace::open(dir, Some(&coder)).unwrap();
    let code = ws.project().codebook.walk()[5].1.id.clone();
    let ids: Vec<TranscriptId> = ws
        .project()
        .transcripts_in_order()
        .iter()
        .skip(skip)
        .take(n)
        .map(|t| t.id.clone())
        .collect();
    for t in ids {
        let text = ws
            .project()
            .transcript(&t)
            .unwrap()
            .slice(40, 120)
            .unwrap()
            .to_string();
        ws.apply(Edit::AddSegment {
            coder: coder.clone(),
            transcript: t,
            segment: Segment {
                id: SegmentId::random(),
                start: 40,
                end: 120,
                codes: vec![code.clone()],
                text,
                created: jiff::Timestamp::now(),
                updated: None,
            },
        })
        .unwrap();
    }
}

/// Every code's id (a rename changes names and paths, never ids).
fn code_ids(dir: &Path) -> Vec<String> {
    let loaded = thematic::store::load(dir).unwrap();
    loaded
        .project
        .codebook
        .walk()
        .into_iter()
        .map(|(_, c)| c.id.to_string())
        .collect()
}

fn main() {
    let scale: f64 = std::env::var("THEMATIC_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    std::fs::write(home.join("gitconfig"), "[init]\n\tdefaultBranch = main\n").unwrap();
    let alex = home.join("alex");
    let options = thematic::generate::Options {
        scale,
        ..Default::default()
    };
    thematic::generate::generate(&alex, &options).expect("generated");
    run("git", &["init", "-q", "--bare", "remote.git"], home, "alex");
    thematic(home, "alex", &["sync", "alex"]);
    run(
        "git",
        &["-C", "alex", "remote", "add", "origin", "../remote.git"],
        home,
        "alex",
    );
    thematic(home, "alex", &["sync", "alex"]);
    run("git", &["clone", "-q", "remote.git", "sam"], home, "sam");
    thematic(home, "sam", &["sync", "sam"]);
    let sam = home.join("sam");

    // sam: 10 transcripts and 5 codes; alex meanwhile: 3 transcripts and 1 code.
    code_transcripts(&sam, "sam", 0, 10);
    let names = code_ids(&sam);
    for (i, path) in names.iter().skip(10).take(5).enumerate() {
        thematic(
            home,
            "sam",
            &[
                "codes",
                "rename",
                "sam",
                path,
                &format!("Renamed by sam {i}"),
            ],
        );
    }
    thematic(home, "sam", &["sync", "sam"]);
    code_transcripts(&alex, "alex", 50, 3);
    thematic(
        home,
        "alex",
        &[
            "codes",
            "define",
            "alex",
            &names[30],
            "--example",
            "alex's example",
        ],
    );

    let started = Instant::now();
    let said = thematic(home, "alex", &["sync", "alex", "--timings"]);
    let total = started.elapsed();
    let timings = said
        .lines()
        .find(|l| l.starts_with("timings:"))
        .unwrap_or("timings: (none)");
    println!(
        "thematic sync on the generated study at x{scale} (another coder changed 10 transcripts and 5 codes):"
    );
    println!("  {timings}  (target: merge + check under 1 s)");
    println!(
        "  whole sync, with commit, fetch and push: {:.3} s",
        total.as_secs_f64()
    );
    for line in said.lines().filter(|l| l.starts_with("From the team")) {
        println!("  {line}");
    }
}
