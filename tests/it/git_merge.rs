//! Two coders working in parallel on copies of one project, merged with a real `git merge`:
//! in normal work (coding, memos, done marks, audit entries) every coder writes only their
//! own files, so the merge has no conflicts and keeps both coders' work.

use crate::common;
use common::copy_dir;

use jiff::Timestamp;
use std::path::Path;
use std::process::Command;
use thematic::model::*;
use thematic::workspace::Workspace;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Codes the first sentence-sized span of each of `transcripts`, writes a memo on it, and
/// marks the first transcript done: a morning's work.
fn work(dir: &Path, coder: &str, transcripts: &[&str]) -> Vec<Segment> {
    let coder = CoderId::new(coder).unwrap();
    let (mut ws, _) = Workspace::open(dir, Some(&coder)).unwrap();
    let code = ws.project().codebook.walk()[3].1.id.clone();
    let mut made = Vec::new();
    for (i, t) in transcripts.iter().enumerate() {
        let t = TranscriptId::new(*t).unwrap();
        let start = 100 + 37 * i;
        let text = ws
            .project()
            .transcript(&t)
            .unwrap()
            .slice(start, start + 60)
            .unwrap()
            .to_string();
        let segment = Segment {
            id: SegmentId::random(),
            start,
            end: start + 60,
            codes: vec![code.clone()],
            text,
            created: Timestamp::now(),
            updated: None,
        };
        ws.apply(Edit::AddSegment {
            coder: coder.clone(),
            transcript: t.clone(),
            segment: segment.clone(),
        })
        .unwrap();
        made.push(segment.clone());
        let memo = Memo {
            id: MemoId::random(),
            author: coder.clone(),
            title: format!("On {t}"),
            created: Timestamp::now(),
            updated: Timestamp::now(),
            links: vec![MemoLink::Segment(SegmentRef {
                transcript: t.clone(),
                coder: coder.clone(),
                id: segment.id.clone(),
            })],
            body: "A thought.".into(),
        };
        ws.apply(Edit::AddMemo(Box::new(memo))).unwrap();
    }
    ws.note("kept my coding after discussion", vec![code]);
    made
}

#[test]
fn two_coders_merge_without_conflicts() {
    let root = tempfile::tempdir().unwrap();
    let origin = root.path().join("origin");
    copy_dir(&common::sample_project(), &origin);
    git(&origin, &["init", "-q", "-b", "main"]);
    git(&origin, &["add", "-A"]);
    git(&origin, &["commit", "-q", "-m", "the study"]);
    let shared = root.path().join("shared.git");
    git(
        root.path(),
        &[
            "clone",
            "-q",
            "--bare",
            &origin.display().to_string(),
            &shared.display().to_string(),
        ],
    );
    let alex_dir = root.path().join("alex");
    let sam_dir = root.path().join("sam");
    for dir in [&alex_dir, &sam_dir] {
        git(
            root.path(),
            &[
                "clone",
                "-q",
                &shared.display().to_string(),
                &dir.display().to_string(),
            ],
        );
    }
    // Both code the same transcripts on the same day, on their own copies.
    let alex_made = work(&alex_dir, "alex", &["p02", "p07", "p10"]);
    let sam_made = work(&sam_dir, "sam", &["p02", "p07", "p10"]);
    for (dir, who) in [(&alex_dir, "alex"), (&sam_dir, "sam")] {
        let status = git(dir, &["status", "--porcelain"]);
        assert!(
            !status.contains(".thematic"),
            "the lock folder is ignored: {status}"
        );
        git(dir, &["add", "-A"]);
        git(dir, &["commit", "-q", "-m", &format!("{who}'s coding")]);
    }
    git(&alex_dir, &["push", "-q", "origin", "main"]);
    git(&sam_dir, &["pull", "-q", "--no-rebase", "origin", "main"]);
    let conflicts = git(&sam_dir, &["diff", "--name-only", "--diff-filter=U"]);
    assert!(conflicts.is_empty(), "conflicts: {conflicts}");

    let loaded = thematic::store::load(&sam_dir).unwrap();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert!(thematic::store::check::validate(&loaded.project).is_empty());
    let project = &loaded.project;
    for (who, made) in [("alex", &alex_made), ("sam", &sam_made)] {
        let coder = CoderId::new(who).unwrap();
        for segment in made.iter() {
            let found = ["p02", "p07", "p10"].iter().any(|t| {
                project
                    .segments(&coder, &TranscriptId::new(*t).unwrap())
                    .contains(segment)
            });
            assert!(found, "{who}'s segment {} survived the merge", segment.id);
        }
        assert_eq!(
            project
                .memos()
                .filter(|m| m.author == coder && m.title.starts_with("On "))
                .count(),
            3
        );
    }
    let trail: Vec<_> = project
        .audit()
        .into_iter()
        .map(|(c, _)| c.to_string())
        .collect();
    assert!(trail.contains(&"alex".to_string()) && trail.contains(&"sam".to_string()));
}
