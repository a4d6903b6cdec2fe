//! `thematic codes` making the Codebook view's edits (and refusing what it refuses), and merges
//! of what two coders each added: new coders, coding in rewritten files, the same new name.

use super::*;

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
