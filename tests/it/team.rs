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

#[test]
fn three_coders_working_and_syncing_at_random_always_merge_cleanly() {
    let rounds: usize = std::env::var("THEMATIC_TEAM_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    let seed: u64 = std::env::var("THEMATIC_TEAM_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_cafe);
    let team = Team::new(&["sam", "kim"]);
    let out = team.thematic("kim", &["add-coder", "kim", "kim", "--name", "Kim Lee"]);
    assert!(out.status.success(), "{}", text(&out));
    let coders = ["alex", "sam", "kim"];
    let mut ledgers: BTreeMap<&str, Ledger> =
        coders.iter().map(|c| (*c, Ledger::default())).collect();
    let mut sim = Sim {
        team: &team,
        rng: Rng(seed),
        actions: 0,
        syncs: 0,
    };
    for _ in 0..rounds {
        let mut order = coders.to_vec();
        for i in (1..order.len()).rev() {
            order.swap(i, sim.rng.below(i + 1));
        }
        for coder in order {
            let ledger = ledgers.get_mut(coder).unwrap();
            for _ in 0..1 + sim.rng.below(6) {
                sim.act(coder, ledger);
            }
            sim.sync(coder);
            // What was fresh is now shared: others may use it, so it is no longer merged.
            let fresh: Vec<String> = ledger.fresh.drain(..).collect();
            ledger.own.extend(fresh);
        }
    }
    for _ in 0..2 {
        for coder in coders {
            sim.sync(coder);
        }
    }
    let reference = files_of(&team.dir("alex"));
    for coder in ["sam", "kim"] {
        let theirs = files_of(&team.dir(coder));
        assert_eq!(
            reference.keys().collect::<Vec<_>>(),
            theirs.keys().collect::<Vec<_>>(),
            "alex and {coder} hold the same files"
        );
        for (path, bytes) in &reference {
            assert!(
                theirs[path] == *bytes,
                "{} differs in {coder}'s clone",
                path.display()
            );
        }
    }
    let loaded = thematic::store::load(&team.dir("alex")).unwrap();
    for (coder, ledger) in &ledgers {
        let id = CoderId::new(*coder).unwrap();
        for (t, s) in &ledger.kept {
            let t = TranscriptId::new(t).unwrap();
            assert!(
                loaded
                    .project
                    .segments(&id, &t)
                    .iter()
                    .any(|seg| seg.id.as_str() == s),
                "{coder}'s segment {s} in {t} was kept"
            );
        }
    }
    eprintln!(
        "team simulation: seed {seed}, {rounds} rounds, {} actions, {} syncs, all clean",
        sim.actions, sim.syncs
    );
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

#[test]
fn creating_and_renaming_codes_on_both_sides_merges_even_with_plain_git_pull() {
    let team = Team::new(&["sam"]);
    team.codes("alex", &["add", "Alex's code"]);
    team.codes("alex", &["rename", "Culture", "Culture and values"]);
    team.codes("sam", &["add", "Sam's code", "--under", "Culture"]);
    team.codes("sam", &["define", "Culture", "--example", "a new example"]);
    team.sync_ok("alex");
    // sam commits and pulls with git alone: the merge driver is registered in the clone.
    let sam = team.dir("sam");
    team.git(&sam, "sam", &["add", "-A"]);
    team.git(&sam, "sam", &["commit", "-q", "-m", "sam's codes"]);
    team.git(
        &sam,
        "sam",
        &["pull", "-q", "--no-rebase", "origin", "main"],
    );
    team.check_clean("sam");
    let culture = code_named(&sam, "Culture and values").expect("alex's rename arrived");
    assert_eq!(culture.example, "a new example", "sam's definition kept");
    assert!(code_named(&sam, "Alex's code").is_some());
    assert!(code_named(&sam, "Sam's code").is_some());
}

#[test]
fn both_renaming_one_code_is_explained_and_settled() {
    let team = Team::new(&["sam"]);
    team.codes(
        "alex",
        &["rename", "Shared values and trust", "Mutual trust"],
    );
    team.codes(
        "sam",
        &["rename", "Shared values and trust", "Trust between teams"],
    );
    team.sync_ok("alex");
    let out = team.sync("sam");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains(
            "sam renamed \"Shared values and trust\" to \"Trust between teams\"; alex renamed it to \"Mutual trust\""
        ),
        "{said}"
    );
    let head = team.git(&team.dir("alex"), "alex", &["rev-parse", "HEAD"]);
    let remote = team.git(&team.remote, "alex", &["rev-parse", "main"]);
    assert_eq!(head, remote, "nothing was pushed by the stopped sync");
    assert_no_markers(&team.dir("sam"));
    settle(&team, "sam", "theirs");
    assert!(code_named(&team.dir("alex"), "Mutual trust").is_some());
    assert!(code_named(&team.dir("alex"), "Trust between teams").is_none());
}

#[test]
fn both_moving_one_code_is_explained_and_settled() {
    let team = Team::new(&["sam"]);
    team.codes("alex", &["move", "Shared values and trust", "--top"]);
    team.codes(
        "sam",
        &[
            "move",
            "Shared values and trust",
            "--under",
            "Communication structures",
        ],
    );
    team.sync_ok("alex");
    let out = team.sync("sam");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("sam moved \"Shared values and trust\" under \"Communication structures\"; alex moved it to the top level"),
        "{}",
        text(&out)
    );
    settle(&team, "sam", "mine");
    let loaded = thematic::store::load(&team.dir("alex")).unwrap();
    let code = loaded.project.codebook.find("Shared values and trust")[0]
        .id
        .clone();
    let parent = loaded.project.codebook.parent(&code).unwrap();
    assert_eq!(
        loaded.project.codebook.get(parent).unwrap().name,
        "Communication structures"
    );
}

#[test]
fn both_editing_one_definition_is_explained_and_settled() {
    let team = Team::new(&["sam"]);
    team.codes(
        "alex",
        &["define", "Culture", "--description", "Alex's wording"],
    );
    team.codes(
        "sam",
        &["define", "Culture", "--description", "Sam's wording"],
    );
    team.sync_ok("alex");
    let out = team.sync("sam");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("sam and alex both rewrote the description of \"Culture\""),
        "{}",
        text(&out)
    );
    settle(&team, "sam", "theirs");
    assert_eq!(
        code_named(&team.dir("sam"), "Culture").unwrap().description,
        "Alex's wording"
    );
}

#[test]
fn deleting_a_code_the_other_side_changed_is_explained_and_settled() {
    let team = Team::new(&["sam"]);
    team.codes("alex", &["add", "Spare"]);
    team.sync_ok("alex");
    team.sync_ok("sam");
    team.codes("alex", &["delete", "Spare"]);
    team.codes(
        "sam",
        &["define", "Spare", "--description", "Not spare after all"],
    );
    team.sync_ok("alex");
    let out = team.sync("sam");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out)
            .contains("alex deleted (or merged away) the code \"Spare\"; sam changed it meanwhile"),
        "{}",
        text(&out)
    );
    settle(&team, "sam", "mine");
    assert_eq!(
        code_named(&team.dir("alex"), "Spare").unwrap().description,
        "Not spare after all"
    );
}

#[test]
fn merging_away_a_code_the_other_side_just_used_stops_and_restores() {
    let team = Team::new(&["sam"]);
    team.codes("alex", &["add", "Lunch", "--under", "Culture"]);
    team.sync_ok("alex");
    team.sync_ok("sam");
    // sam codes a segment with "Lunch" while alex merges "Lunch" into "Culture".
    let sam = CoderId::new("sam").unwrap();
    {
        let (mut ws, _) = Workspace::open(&team.dir("sam"), Some(&sam)).unwrap();
        let lunch = ws.project().codebook.find("Lunch")[0].id.clone();
        let t = TranscriptId::new("p05").unwrap();
        let text = ws
            .project()
            .transcript(&t)
            .unwrap()
            .slice(10, 60)
            .unwrap()
            .to_string();
        ws.apply(Edit::AddSegment {
            coder: sam.clone(),
            transcript: t,
            segment: Segment {
                id: SegmentId::random(),
                start: 10,
                end: 60,
                codes: vec![lunch],
                text,
                created: Timestamp::now(),
                updated: None,
            },
        })
        .unwrap();
    }
    team.codes("alex", &["merge", "Lunch", "--into", "Culture"]);
    team.sync_ok("alex");
    let out = team.sync("sam");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("the code \"Lunch\" was deleted (or merged into another) on one side while the other side used it: sam in p05"),
        "{}",
        text(&out)
    );
    let remote_before = team.git(&team.remote, "sam", &["rev-parse", "main"]);
    let out = team.thematic("sam", &["resolve", "sam", "--restore-codes"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("Restored the code \"Lunch\""));
    team.sync_ok("sam");
    team.check_clean("sam");
    assert_ne!(
        remote_before,
        team.git(&team.remote, "sam", &["rev-parse", "main"])
    );
    team.sync_ok("alex");
    team.check_clean("alex");
    assert_eq!(files_of(&team.dir("alex")), files_of(&team.dir("sam")));
}

#[test]
fn check_reports_raw_conflict_markers_once_with_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    common::copy_sample(&dir);
    let path = dir.join("codebook.yaml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("<<<<<<< HEAD\n- id: c-1\n=======\n- id: c-2\n>>>>>>> other\n");
    let line = text.lines().position(|l| l.starts_with("<<<<<<<")).unwrap() + 1;
    std::fs::write(&path, text).unwrap();
    let out = crate::common::command()
        .args(["check", &dir.display().to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains(&format!(
            "unresolved git merge conflict in codebook.yaml at line {line}"
        )),
        "{said}"
    );
    assert_eq!(
        said.lines().count(),
        2,
        "one line for the file, one summary: {said}"
    );
}

#[test]
fn sync_without_a_remote_commits_and_says_how_to_add_one() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("gitconfig"), "").unwrap();
    let dir = tmp.path().join("study");
    common::copy_sample(&dir);
    let mut cmd = crate::common::command();
    cmd.args(["--coder", "alex", "sync", &dir.display().to_string()]);
    with_git_env(&mut cmd, tmp.path(), "alex");
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let said = text(&out);
    assert!(said.contains("Created a git repository"), "{said}");
    assert!(said.contains("remote add origin URL"), "{said}");
    let ignore = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(ignore.contains(".thematic/"));
    let attributes = std::fs::read_to_string(dir.join(".gitattributes")).unwrap();
    assert!(attributes.contains("*.yaml merge=thematic"));
}

#[test]
fn sync_without_git_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("study");
    common::copy_sample(&dir);
    let out = crate::common::command()
        .args(["--coder", "alex", "sync", &dir.display().to_string()])
        .env("PATH", tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("git is not installed"),
        "{}",
        text(&out)
    );
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

#[test]
fn codes_commands_refuse_what_the_codebook_view_refuses_and_change_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("study");
    common::copy_sample(&dir);
    let before = files_of(&dir);
    let refused: [&[&str]; 6] = [
        &["add", "Culture"],
        &["rename", "Culture", "Strategic alignment"],
        &["delete", "Common person-centred ethos"],
        &["merge", "Culture", "--into", "Culture"],
        &["rename", "No such code", "X"],
        &["define", "Culture"],
    ];
    for args in refused {
        let (status, said) = codes_in(&dir, args);
        assert_eq!(status, 2, "{args:?}: {said}");
        assert_eq!(files_of(&dir), before, "{args:?} changed nothing");
    }
    let (_, said) = codes_in(&dir, &["delete", "Common person-centred ethos"]);
    assert!(said.contains("--force"), "the refusal says how: {said}");
}

#[test]
fn codes_commands_make_the_codebook_views_edits_with_audit_entries() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("study");
    common::copy_sample(&dir);
    let run = |args: &[&str]| {
        let (status, said) = codes_in(&dir, args);
        assert_eq!(status, 0, "{args:?}: {said}");
    };
    run(&["add", "Lunch", "--under", "Culture"]);
    run(&["rename", "Culture > Lunch", "Shared lunch"]);
    run(&[
        "define",
        "Shared lunch",
        "--description",
        "Eating together",
        "--example",
        "we had lunch",
    ]);
    run(&[
        "tag",
        "Shared lunch",
        "--add",
        "enabler",
        "--add",
        "informal",
    ]);
    run(&["tag", "Shared lunch", "--remove", "informal"]);
    run(&["move", "Shared lunch", "--top"]);
    let lunch = code_named(&dir, "Shared lunch").unwrap();
    assert_eq!(lunch.description, "Eating together");
    assert_eq!(lunch.example, "we had lunch");
    assert_eq!(lunch.tags, ["enabler"]);
    assert_eq!(
        lunch.level,
        Level::SubTheme,
        "one level below its parent theme"
    );
    let loaded = thematic::store::load(&dir).unwrap();
    assert!(loaded.project.codebook.parent(&lunch.id).is_none());
    let uses = loaded
        .project
        .uses_of_code(&code_named(&dir, "Common person-centred ethos").unwrap().id);
    assert!(uses > 0);
    run(&[
        "merge",
        "Common person-centred ethos",
        "--into",
        "Shared lunch",
    ]);
    let loaded = thematic::store::load(&dir).unwrap();
    assert_eq!(
        loaded.project.uses_of_code(&lunch.id),
        uses,
        "the merge moved the coding"
    );
    run(&["delete", "Shared lunch", "--force"]);
    let loaded = thematic::store::load(&dir).unwrap();
    assert!(loaded.project.codebook.get(&lunch.id).is_none());
    assert!(
        thematic::store::check::validate(&loaded.project)
            .iter()
            .all(|p| p.severity != thematic::store::Severity::Error)
    );
    let trail = std::fs::read_to_string(dir.join("audit/alex.yaml")).unwrap();
    for decision in [
        "created the sub-theme \\\"Lunch\\\"",
        "renamed \\\"Lunch\\\" to \\\"Shared lunch\\\"",
        "merge \\\"Common person-centred ethos\\\" into \\\"Shared lunch\\\"",
    ] {
        assert!(
            trail.contains(decision) || trail.contains(&decision.replace("\\\"", "\"")),
            "{decision} in {trail}"
        );
    }
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

#[test]
fn a_merge_that_rewrites_the_other_coders_files_merges_with_their_new_coding() {
    let team = Team::new(&["sam"]);
    // sam's coding of p02 uses this code; alex merges it away while sam codes p02 again.
    let sam_dir = team.dir("sam");
    let loaded = thematic::store::load(&sam_dir).unwrap();
    let sam = CoderId::new("sam").unwrap();
    let p02 = TranscriptId::new("p02").unwrap();
    let used = loaded.project.segments(&sam, &p02)[0].codes[0].clone();
    let used_name = loaded.project.codebook.get(&used).unwrap().name.clone();
    let sam_uses = loaded.project.uses_of_code(&used);
    let new_segment = code_one(&sam_dir, "sam", "p02", 5, "Culture");
    team.codes("alex", &["merge", &used_name, "--into", "Culture"]);
    team.sync_ok("alex");
    team.sync_ok("sam");
    team.check_clean("sam");
    let loaded = thematic::store::load(&sam_dir).unwrap();
    let segments = loaded.project.segments(&sam, &p02);
    assert!(
        segments.iter().any(|s| s.id == new_segment),
        "sam's new segment kept"
    );
    assert!(
        segments.iter().all(|s| !s.codes.contains(&used)),
        "alex's merge reached sam's file"
    );
    let culture = code_named(&sam_dir, "Culture").unwrap().id;
    assert!(loaded.project.uses_of_code(&culture) >= sam_uses);
    team.sync_ok("alex");
    assert_eq!(files_of(&team.dir("alex")), files_of(&sam_dir));
}

#[test]
fn two_new_coders_joining_at_once_merge() {
    let team = Team::new(&["kim", "lee"]);
    for coder in ["kim", "lee"] {
        let out = team.thematic(coder, &["add-coder", coder, coder]);
        assert!(out.status.success(), "{}", text(&out));
    }
    team.sync_ok("kim");
    team.sync_ok("lee");
    team.check_clean("lee");
    let loaded = thematic::store::load(&team.dir("lee")).unwrap();
    let ids: Vec<&str> = loaded
        .project
        .meta
        .coders
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ids, ["alex", "sam", "kim", "lee"]);
}

#[test]
fn the_same_new_name_on_both_sides_keeps_both_codes_and_says_how_to_join_them() {
    let team = Team::new(&["sam"]);
    team.codes("alex", &["add", "Trust", "--under", "Culture"]);
    team.codes("sam", &["add", "Trust", "--under", "Culture"]);
    team.sync_ok("alex");
    let said = team.sync_ok("sam");
    assert!(
        said.contains("Trust (2)") && said.contains("thematic codes merge"),
        "{said}"
    );
    team.check_clean("sam");
    assert!(code_named(&team.dir("sam"), "Culture > Trust").is_some());
    assert!(code_named(&team.dir("sam"), "Culture > Trust (2)").is_some());
}

#[test]
fn an_aborted_merge_leaves_nothing_to_settle() {
    let team = Team::new(&["sam"]);
    team.codes("alex", &["rename", "Culture", "Culture A"]);
    team.codes("sam", &["rename", "Culture", "Culture B"]);
    team.sync_ok("alex");
    assert_eq!(team.sync("sam").status.code(), Some(1));
    team.git(&team.dir("sam"), "sam", &["merge", "--abort"]);
    team.check_clean("sam");
    let out = team.thematic("sam", &["resolve", "sam"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("No conflicts to settle"));
}
