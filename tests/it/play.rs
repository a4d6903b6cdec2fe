//! Time codes and recordings from the command line, as a user meets them: a VTT imported
//! with its recording beside it keeps its time map and the recording's path; quotes and the
//! CSV export give each quote's time, before and after the segment is moved; `thematic play`
//! starts the configured player (a stand-in script that records its arguments) with the
//! recording and the time; a missing player, recording or time map is reported.

use crate::common;
use common::copy_sample;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

fn thematic(config: &Path, path_var: Option<&str>, args: &[&str]) -> Output {
    let mut command = common::command();
    command.args(args).env("THEMATIC_CONFIG_DIR", config);
    if let Some(path_var) = path_var {
        command.env("PATH", path_var);
    }
    command.output().expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const VTT: &str = "WEBVTT\n\n00:00:02.000 --> 00:00:05.000\n<v Interviewer>Could you describe the referral form?\n\n00:14:32.000 --> 00:14:40.000\n<v Participant 3>It is one page and it is shared.\n";

struct Study {
    _dir: tempfile::TempDir,
    project: PathBuf,
    config: PathBuf,
    recording: PathBuf,
}

/// The sample project with `media/p3.vtt` imported, `media/p3.m4a` beside it.
fn study() -> Study {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("study");
    copy_sample(&project);
    let config = dir.path().join("config");
    fs::create_dir_all(&config).unwrap();
    fs::create_dir_all(project.join("media")).unwrap();
    fs::write(project.join("media/p3.vtt"), VTT).unwrap();
    let recording = project.join("media/p3.m4a");
    fs::write(&recording, b"not really audio").unwrap();
    let out = thematic(
        &config,
        None,
        &[
            "import",
            project.to_str().unwrap(),
            project.join("media/p3.vtt").to_str().unwrap(),
            "--id",
            "rec",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("2 time codes, recording media/p3.m4a"),
        "{}",
        text(&out.stdout)
    );
    Study {
        _dir: dir,
        project,
        config,
        recording,
    }
}

/// Codes `[start, end)` of transcript `rec` as alex, with the sample's code "Culture".
fn code_segment(study: &Study, start: usize, end: usize) {
    let body = fs::read_to_string(study.project.join("transcripts/rec.txt")).unwrap();
    let quote: String = body.chars().skip(start).take(end - start).collect();
    let yaml = format!(
        "transcript: rec\ncoder: alex\nsegments:\n- id: s-0123456789ab\n  start: {start}\n  end: {end}\n  codes: [c-087e8c8590db]\n  text: {quote:?}\n  created: \"2025-03-05T10:00:00Z\"\n"
    );
    fs::write(study.project.join("codings/alex/rec.yaml"), yaml).unwrap();
}

fn offset_of(study: &Study, needle: &str) -> usize {
    let body = fs::read_to_string(study.project.join("transcripts/rec.txt")).unwrap();
    body[..body.find(needle).unwrap()].chars().count()
}

#[test]
fn time_codes_and_the_recording_are_kept_at_import() {
    let study = study();
    let yaml = fs::read_to_string(study.project.join("transcripts/rec.yaml")).unwrap();
    assert!(yaml.contains("media: media/p3.m4a"), "{yaml}");
    let second = offset_of(&study, "[00:14:32]");
    assert!(
        yaml.contains(&format!(
            "- at: 0\n  time: 00:00:02\n- at: {second}\n  time: 00:14:32"
        )),
        "{yaml}"
    );
    let out = thematic(
        &study.config,
        None,
        &["check", study.project.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn quotes_and_csv_give_the_time_where_the_quote_starts() {
    let study = study();
    let dir = study.project.to_str().unwrap();
    let start = offset_of(&study, "It is one page");
    code_segment(&study, start, start + 14);
    let quotes = |study: &Study| {
        let out = thematic(
            &study.config,
            None,
            &["quotes", dir, "Culture", "--format", "json"],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let all = all.as_array().unwrap().clone();
        let ours: Vec<_> = all
            .iter()
            .filter(|q| q["transcript"] == "rec")
            .cloned()
            .collect();
        let others = all.iter().filter(|q| q["transcript"] != "rec").count();
        assert!(others > 0);
        assert!(
            all.iter()
                .filter(|q| q["transcript"] != "rec")
                .all(|q| q["time"].is_null())
        );
        assert_eq!(ours.len(), 1);
        ours[0].clone()
    };
    let quote = quotes(&study);
    assert_eq!(quote["time"], "00:14:32");
    assert_eq!(
        quote["citation"],
        "“It is one page” (Participant 13, 00:14:32)"
    );

    let out = thematic(&study.config, None, &["export", dir, "--to", "csv", "-"]);
    let csv = text(&out.stdout);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let time = header.iter().position(|h| h == "time").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let ours: Vec<_> = rows.iter().filter(|r| &r[0] == "rec").collect();
    assert_eq!(ours.len(), 1);
    assert_eq!(&ours[0][time], "00:14:32");
    assert!(
        rows.iter()
            .filter(|r| &r[0] != "rec")
            .all(|r| r[time].is_empty())
    );

    // The segment moved back into the interviewer's turn: the time follows it.
    let earlier = offset_of(&study, "describe the referral");
    code_segment(&study, earlier, earlier + 12);
    assert_eq!(quotes(&study)["time"], "00:00:02");
}

/// A stand-in player: writes its arguments, one a line, to `args.txt` beside it.
fn stand_in_player(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join("player");
    let log = dir.join("args.txt");
    fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}.tmp'\nmv '{0}.tmp' '{0}'\n",
            log.display()
        ),
    )
    .unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    script
}

fn wait_for(path: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(s) = fs::read_to_string(path) {
            return s;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{} was never written", path.display());
}

#[test]
fn play_starts_the_configured_player_at_the_time_of_the_offset() {
    let study = study();
    let bin = study.config.join("bin");
    fs::create_dir_all(&bin).unwrap();
    let player = stand_in_player(&bin);
    fs::write(
        study.config.join("config.yaml"),
        format!(
            "player: \"'{}' --start={{start}} --title 'my clip' {{file}}\"\n",
            player.display()
        ),
    )
    .unwrap();
    let at = offset_of(&study, "It is one page") + 3;
    let out = thematic(
        &study.config,
        None,
        &[
            "play",
            study.project.to_str().unwrap(),
            "rec",
            "--at",
            &at.to_string(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("from 00:14:32"),
        "{}",
        text(&out.stdout)
    );
    let args = wait_for(&bin.join("args.txt"));
    let recording = study.recording.canonicalize().unwrap();
    let printed: Vec<&str> = args.lines().collect();
    assert_eq!(printed[..3], ["--start=872", "--title", "my clip"]);
    assert_eq!(
        fs::canonicalize(printed[3]).unwrap(),
        recording,
        "the recording's absolute path, as one argument"
    );
}

#[test]
fn missing_player_recording_or_times_are_reported() {
    let study = study();
    let dir = study.project.to_str().unwrap();
    let empty_path = study.config.join("empty-bin");
    fs::create_dir_all(&empty_path).unwrap();
    let out = thematic(
        &study.config,
        Some(empty_path.to_str().unwrap()),
        &["play", dir, "rec"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("no player found: install mpv or vlc, or name one in"),
        "{err}"
    );
    assert!(
        err.contains("player: \"mpv --start={start} {file}\""),
        "{err}"
    );

    let out = thematic(&study.config, None, &["play", dir, "p01", "--at", "10"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("p01 has no recording linked"),
        "{}",
        text(&out.stderr)
    );

    // A transcript with a recording but no time codes, playing from a place in the text.
    let yaml_path = study.project.join("transcripts/p01.yaml");
    let yaml = fs::read_to_string(&yaml_path).unwrap();
    fs::write(&yaml_path, format!("{yaml}media: media/p3.m4a\n")).unwrap();
    let out = thematic(&study.config, None, &["play", dir, "p01", "--at", "10"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("p01 has no time codes"),
        "{}",
        text(&out.stderr)
    );

    // The configured player does not exist.
    fs::write(
        study.config.join("config.yaml"),
        "player: \"no-such-player-xyz {file}\"\n",
    )
    .unwrap();
    let out = thematic(&study.config, None, &["play", dir, "rec"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot start the player \"no-such-player-xyz\""),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn accepting_text_edited_outside_moves_the_time_map_with_its_marks() {
    let study = study();
    let dir = study.project.to_str().unwrap();
    let path = study.project.join("transcripts/rec.txt");
    let body = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("Recorded on Teams.\n\n{body}")).unwrap();
    let out = thematic(&study.config, None, &["check", dir, "--fix"]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let yaml = fs::read_to_string(study.project.join("transcripts/rec.yaml")).unwrap();
    let second = offset_of(&study, "[00:14:32]");
    assert!(
        yaml.contains(&format!(
            "- at: 20\n  time: 00:00:02\n- at: {second}\n  time: 00:14:32"
        )),
        "{yaml}"
    );
}
