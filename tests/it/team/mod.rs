//! A team on one study over git, end to end with the real binary and real git: a bare
//! repository as the remote, clones for the coders, `thematic sync` between them.
//!
//! - the simulation: seeded random ordinary work by three coders (through the edits the TUI
//!   uses and through `thematic codes`), synced in random order, several rounds; after every
//!   sync no conflict markers and `check` clean, at the end identical clones holding every
//!   segment each coder kept. `THEMATIC_TEAM_ROUNDS` sets the rounds (CI: 4; long: 200+).
//! - each true conflict, explained in researcher terms and settled with `thematic resolve`.
//!
//! Git's identity comes from environment variables set per command; the user's global and
//! system git configuration are not read.

use crate::common;

use jiff::Timestamp;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use thematic::model::*;
use thematic::workspace::Workspace;

struct Team {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    remote: PathBuf,
}

fn with_git_env(cmd: &mut Command, home: &Path, who: &str) {
    let config = home.join("gitconfig");
    cmd.env("GIT_CONFIG_GLOBAL", &config)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", who)
        .env("GIT_AUTHOR_EMAIL", format!("{who}@example.org"))
        .env("GIT_COMMITTER_NAME", who)
        .env("GIT_COMMITTER_EMAIL", format!("{who}@example.org"))
        .env("XDG_CONFIG_HOME", home.join("xdg"))
        .env("HOME", home);
}

impl Team {
    /// A bare remote holding sample-project, shared by `alex` (who set it up) and clones for
    /// each other coder.
    fn new(others: &[&str]) -> Team {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        std::fs::write(root.join("gitconfig"), "[init]\n\tdefaultBranch = main\n").unwrap();
        let team = Team {
            remote: root.join("remote.git"),
            root,
            _tmp: tmp,
        };
        team.git(&team.root, "alex", &["init", "-q", "--bare", "remote.git"]);
        common::copy_sample(&team.dir("alex"));
        let out = team.thematic("alex", &["sync", "alex"]);
        assert!(out.status.success(), "{}", text(&out));
        let remote = team.remote.display().to_string();
        team.git(
            &team.dir("alex"),
            "alex",
            &["remote", "add", "origin", &remote],
        );
        team.sync_ok("alex");
        for coder in others {
            team.git(&team.root, coder, &["clone", "-q", &remote, coder]);
            team.sync_ok(coder);
        }
        team
    }

    fn dir(&self, coder: &str) -> PathBuf {
        self.root.join(coder)
    }

    fn git(&self, dir: &Path, who: &str, args: &[&str]) -> String {
        let mut cmd = Command::new("git");
        cmd.args(args).current_dir(dir);
        with_git_env(&mut cmd, &self.root, who);
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs thematic as `coder` from the team's folder (paths are the coders' folders).
    fn thematic(&self, coder: &str, args: &[&str]) -> Output {
        let mut cmd = crate::common::command();
        cmd.arg("--coder")
            .arg(coder)
            .args(args)
            .current_dir(&self.root);
        with_git_env(&mut cmd, &self.root, coder);
        cmd.output().unwrap()
    }

    fn sync(&self, coder: &str) -> Output {
        self.thematic(coder, &["sync", coder])
    }

    fn sync_ok(&self, coder: &str) -> String {
        let out = self.sync(coder);
        assert!(out.status.success(), "sync {coder}: {}", text(&out));
        text(&out)
    }

    fn check_clean(&self, coder: &str) {
        let out = self.thematic(coder, &["check", coder]);
        assert!(out.status.success(), "check {coder}: {}", text(&out));
        assert_no_markers(&self.dir(coder));
    }

    fn codes(&self, coder: &str, args: &[&str]) -> String {
        let mut all = vec!["codes", args[0], coder];
        all.extend_from_slice(&args[1..]);
        let out = self.thematic(coder, &all);
        assert!(out.status.success(), "codes {args:?}: {}", text(&out));
        text(&out)
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Every file of a project folder (but .git and local state), by relative path.
fn files_of(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let name = entry.file_name();
            if name == ".git" || name == ".thematic" {
                continue;
            }
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn assert_no_markers(dir: &Path) {
    for (path, bytes) in files_of(dir) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text
                .lines()
                .any(|l| l.starts_with("<<<<<<<") || l.starts_with(">>>>>>>")),
            "conflict markers in {}",
            path.display()
        );
    }
}

fn code_named(dir: &Path, name: &str) -> Option<Code> {
    let loaded = thematic::store::load(dir).unwrap();
    let found = loaded.project.codebook.find(name);
    found.first().map(|c| (*c).clone())
}

/// A small deterministic generator (xorshift), so a failing seed can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// What one coder did, to check the end state against.
#[derive(Default)]
struct Ledger {
    /// Segments this coder saved and has not removed: (transcript, id).
    kept: BTreeSet<(String, String)>,
    /// Codes this coder created in the current round (not yet seen by anyone else).
    fresh: Vec<String>,
    /// Codes this coder created in earlier rounds (name changes tracked).
    own: Vec<String>,
    made: usize,
}

struct Sim<'a> {
    team: &'a Team,
    rng: Rng,
    actions: usize,
    syncs: usize,
}

impl Sim<'_> {
    fn code_segment(&mut self, coder: &str, ledger: &mut Ledger) {
        let id = CoderId::new(coder).unwrap();
        let (mut ws, _) = Workspace::open(&self.team.dir(coder), Some(&id)).unwrap();
        let project = ws.project();
        let transcripts = project.transcripts_in_order();
        let t = transcripts[self.rng.below(transcripts.len())];
        let len = t.char_len();
        let start = self.rng.below(len.saturating_sub(100));
        let end = start + 20 + self.rng.below(60);
        let codes = project.codebook.walk();
        let code = codes[self.rng.below(codes.len())].1.id.clone();
        let segment = Segment {
            id: SegmentId::random(),
            start,
            end,
            codes: vec![code],
            text: t.slice(start, end).unwrap().to_string(),
            created: Timestamp::now(),
            updated: None,
        };
        let transcript = t.id.clone();
        ledger
            .kept
            .insert((transcript.to_string(), segment.id.to_string()));
        ws.apply(Edit::AddSegment {
            coder: id,
            transcript,
            segment,
        })
        .unwrap();
    }

    fn uncode_segment(&mut self, coder: &str, ledger: &mut Ledger) {
        let Some(pick) = ledger
            .kept
            .iter()
            .nth(self.rng.below(ledger.kept.len()))
            .cloned()
        else {
            return;
        };
        let id = CoderId::new(coder).unwrap();
        let (mut ws, _) = Workspace::open(&self.team.dir(coder), Some(&id)).unwrap();
        let t = TranscriptId::new(&pick.0).unwrap();
        let Some(segment) = ws
            .project()
            .segments(&id, &t)
            .iter()
            .find(|s| s.id.as_str() == pick.1)
            .cloned()
        else {
            panic!("{coder}'s segment {} in {} is gone", pick.1, pick.0);
        };
        ws.apply(Edit::RemoveSegment {
            coder: id,
            transcript: t,
            segment,
        })
        .unwrap();
        ledger.kept.remove(&pick);
    }

    /// Comments on another coder's memo (a new review, or one more comment in it).
    fn review(&mut self, coder: &str) {
        let id = CoderId::new(coder).unwrap();
        let (mut ws, _) = Workspace::open(&self.team.dir(coder), Some(&id)).unwrap();
        let others: Vec<MemoId> = ws
            .project()
            .memos()
            .filter(|m| m.author != id)
            .map(|m| m.id.clone())
            .collect();
        if others.is_empty() {
            return;
        }
        let memo = others[self.rng.below(others.len())].clone();
        let comment = Comment {
            at: Timestamp::now(),
            text: format!("{coder} comments at action {}", self.actions),
        };
        let edit = match ws.project().review(&id, &memo).cloned() {
            Some(before) => {
                let mut after = before.clone();
                after.comments.push(comment);
                Edit::UpdateReview {
                    before: Box::new(before),
                    after: Box::new(after),
                }
            }
            None => Edit::AddReview(Box::new(MemoReview {
                memo,
                reviewer: id,
                comments: vec![comment],
                reviewed: None,
            })),
        };
        ws.apply(edit).unwrap();
    }

    fn act(&mut self, coder: &str, ledger: &mut Ledger) {
        self.actions += 1;
        match self.rng.below(12) {
            0..=2 => self.code_segment(coder, ledger),
            3 => self.uncode_segment(coder, ledger),
            4 => {
                ledger.made += 1;
                let name = format!("{coder} idea {}", ledger.made);
                let parents = ["Culture", "Shared values and trust"];
                let under = parents[self.rng.below(2)];
                self.team.codes(coder, &["add", &name, "--under", under]);
                ledger.fresh.push(name);
            }
            5 if !ledger.own.is_empty() => {
                let i = self.rng.below(ledger.own.len());
                ledger.made += 1;
                let new_name = format!("{coder} renamed {}", ledger.made);
                let old = ledger.own[i].clone();
                self.team.codes(coder, &["rename", &old, &new_name]);
                ledger.own[i] = new_name;
            }
            6 if !ledger.own.is_empty() => {
                let name = ledger.own[self.rng.below(ledger.own.len())].clone();
                let text = format!("defined by {coder} at action {}", self.actions);
                self.team
                    .codes(coder, &["define", &name, "--description", &text]);
                let to = ["Culture", "--top"][self.rng.below(2)];
                if to == "--top" {
                    self.team.codes(coder, &["move", &name, "--top"]);
                } else {
                    self.team.codes(coder, &["move", &name, "--under", to]);
                }
            }
            7 => {
                let tag = format!("{coder}-tag-{}", self.rng.below(3));
                self.team.codes(coder, &["tag", "Culture", "--add", &tag]);
            }
            8 if !ledger.fresh.is_empty() => {
                let name = ledger.fresh.remove(0);
                self.team
                    .codes(coder, &["merge", &name, "--into", "Culture"]);
            }
            9 => {
                let id = CoderId::new(coder).unwrap();
                let (mut ws, _) = Workspace::open(&self.team.dir(coder), Some(&id)).unwrap();
                let memo = Memo {
                    id: MemoId::random(),
                    author: id,
                    title: format!("Thought {}", self.actions),
                    created: Timestamp::now(),
                    updated: Timestamp::now(),
                    links: Vec::new(),
                    body: "A thought.".into(),
                };
                ws.apply(Edit::AddMemo(Box::new(memo))).unwrap();
            }
            10 => self.review(coder),
            _ => {
                let id = CoderId::new(coder).unwrap();
                let (mut ws, _) = Workspace::open(&self.team.dir(coder), Some(&id)).unwrap();
                let t = format!("p{:02}", 1 + self.rng.below(12));
                let t = TranscriptId::new(&t).unwrap();
                let done = !ws.project().is_done(&id, &t);
                ws.apply(Edit::SetDone {
                    coder: id,
                    transcript: t,
                    done,
                })
                .unwrap();
                ws.note("kept my coding after discussion", Vec::new());
            }
        }
    }

    fn sync(&mut self, coder: &str) {
        self.syncs += 1;
        self.team.sync_ok(coder);
        self.team.check_clean(coder);
    }
}

/// Two coders changed the same thing; `sync` on the second stops, explains, and after
/// `resolve` both clones end the same.
fn settle(team: &Team, coder: &str, keep: &str) {
    let out = team.thematic(coder, &["check", coder]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("unsettled merge conflict"),
        "{}",
        text(&out)
    );
    let out = team.thematic(coder, &["resolve", coder, "--keep", keep]);
    assert!(out.status.success(), "{}", text(&out));
    team.sync_ok(coder);
    team.check_clean(coder);
    let other = if coder == "alex" { "sam" } else { "alex" };
    team.sync_ok(other);
    assert_eq!(files_of(&team.dir("alex")), files_of(&team.dir("sam")));
}

/// Runs `thematic --coder alex codes ...` on `dir`; (exit status, output).
fn codes_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let mut all = vec!["--coder", "alex", "codes", args[0]];
    let shown = dir.display().to_string();
    all.push(&shown);
    all.extend_from_slice(&args[1..]);
    let out = crate::common::command().args(&all).output().unwrap();
    (out.status.code().unwrap_or(-1), text(&out))
}

/// Adds a segment of `coder` in `transcript` coded with the code named `code`.
fn code_one(dir: &Path, coder: &str, transcript: &str, start: usize, code: &str) -> SegmentId {
    let who = CoderId::new(coder).unwrap();
    let (mut ws, _) = Workspace::open(dir, Some(&who)).unwrap();
    let code = ws.project().codebook.find(code)[0].id.clone();
    let t = TranscriptId::new(transcript).unwrap();
    let text = ws
        .project()
        .transcript(&t)
        .unwrap()
        .slice(start, start + 40)
        .unwrap()
        .to_string();
    let id = SegmentId::random();
    ws.apply(Edit::AddSegment {
        coder: who,
        transcript: t,
        segment: Segment {
            id: id.clone(),
            start,
            end: start + 40,
            codes: vec![code],
            text,
            created: Timestamp::now(),
            updated: None,
        },
    })
    .unwrap();
    id
}

mod codes_and_additions;
mod conflicts;
mod simulation;
