//! Each true conflict between two coders, explained in researcher terms and settled with
//! `thematic resolve`; `check` on raw conflict markers; `thematic sync` without a remote or git.

use super::*;

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
