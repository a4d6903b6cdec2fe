//! `thematic stats DIR saturation|matrix|cooccurrence|themes` as a user runs it: every table
//! states its scope, a typo is an error naming what exists (exit 2), an option a table does
//! not use is refused, interviews nobody coded do not move saturation, undefined percentages
//! are null / "—", and the config's coder is who runs the command, not a filter.

use crate::common::{self, thematic};

use std::path::Path;
use std::process::Output;

/// Runs the binary with its own (empty, or given) config folder, so the user's real config
/// never leaks into a test.
fn thematic_with(args: &[&str], config_coder: Option<&str>) -> Output {
    let config = tempfile::tempdir().unwrap();
    if let Some(coder) = config_coder {
        std::fs::write(
            config.path().join("config.yaml"),
            format!("coder: {coder}\n"),
        )
        .unwrap();
    }
    common::thematic_with_config(config.path(), args)
}

/// sam coded p02, p07 and p10; p02 is the Brookfield Council one.
const SAM_BROOKFIELD: usize = 1;

fn sample() -> String {
    common::sample_project().display().to_string()
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = thematic(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Runs a command that must fail with exit 2; its message.
fn refused(args: &[&str]) -> String {
    let out = thematic(args);
    let said = common::failed_with(&out, 2);
    assert!(
        out.stdout.is_empty(),
        "{args:?}: nothing on standard output"
    );
    said
}

#[test]
fn every_table_states_its_scope() {
    let dir = sample();
    for table in ["saturation", "matrix", "cooccurrence", "themes"] {
        let everyone = json(&["stats", &dir, table, "--format", "json"]);
        assert_eq!(
            everyone["scope"],
            serde_json::json!({"coders": ["alex", "sam"], "transcripts": 12, "coded": 12, "filter": null}),
            "{table}: by default every coder"
        );
        let narrowed = json(&[
            "stats",
            &dir,
            table,
            "--coders",
            "sam",
            "--attr",
            "organisation=Brookfield Council",
            "--format",
            "json",
        ]);
        assert_eq!(
            narrowed["scope"],
            serde_json::json!({"coders": ["sam"], "transcripts": 5, "coded": SAM_BROOKFIELD,
                "filter": {"organisation": "Brookfield Council"}}),
            "{table}"
        );
        let all = json(&["stats", &dir, table, "--coders", "all", "--format", "json"]);
        assert_eq!(all, everyone, "{table}: --coders all is the default");
        let text = String::from_utf8(thematic(&["stats", &dir, table]).stdout).unwrap();
        assert!(
            text.starts_with(
                "Scope: the coding of alex, sam; 12 transcripts, all coded (every transcript)"
            ),
            "{table}: {text}"
        );
        let csv = thematic(&["stats", &dir, table, "--format", "csv"]);
        assert!(
            String::from_utf8_lossy(&csv.stderr).contains("Scope: the coding of alex, sam"),
            "{table}: CSV states its scope on standard error, away from the data"
        );
    }
}

#[test]
fn the_config_coder_is_who_runs_the_command_not_a_filter() {
    let dir = sample();
    let plain = thematic_with(&["stats", &dir, "saturation", "--format", "json"], None);
    for who in ["sam", "alex"] {
        let as_coder = thematic_with(
            &["stats", &dir, "saturation", "--format", "json"],
            Some(who),
        );
        assert_eq!(as_coder.stdout, plain.stdout, "config coder {who}");
        let flag = thematic(&[
            "--coder",
            who,
            "stats",
            &dir,
            "saturation",
            "--format",
            "json",
        ]);
        assert_eq!(flag.stdout, plain.stdout, "--coder {who}");
    }
}

#[test]
fn unknown_names_are_errors_that_say_what_exists() {
    let dir = sample();
    let message = refused(&["stats", &dir, "saturation", "--coders", "alex,bob"]);
    assert!(
        message.contains("\"bob\"") && message.contains("alex, sam"),
        "{message}"
    );
    let message = refused(&[
        "stats",
        &dir,
        "matrix",
        "--attr",
        "organization=Brookfield Council",
    ]);
    assert!(
        message.contains("\"organization\"") && message.contains("role, organisation, team"),
        "{message}"
    );
    let message = refused(&[
        "stats",
        &dir,
        "themes",
        "--attr",
        "organisation=Brookfeld Council",
    ]);
    assert!(
        message.contains("\"Brookfeld Council\"")
            && message.contains("Brookfield Council, Larchmere NHS Foundation Trust"),
        "{message}"
    );
    let message = refused(&["stats", &dir, "matrix", "--by", "rôle"]);
    assert!(
        message.contains("\"rôle\"") && message.contains("role, organisation, team"),
        "{message}"
    );
    // Values are compared ignoring case, as the filter compares them.
    json(&[
        "stats",
        &dir,
        "cooccurrence",
        "--attr",
        "organisation=brookfield council",
        "--format",
        "json",
    ]);
    let message = refused(&[
        "stats",
        &dir,
        "matrix",
        "--attr",
        "role=Manager",
        "--attr",
        "role=Coordinator",
    ]);
    assert!(message.contains("--attr role is given twice"), "{message}");
    let message = refused(&["stats", &dir, "matrix", "--coders", ","]);
    assert!(message.contains("--coders"), "{message}");
}

#[test]
fn options_a_table_does_not_use_are_refused() {
    let dir = sample();
    for (table, option, value) in [
        ("saturation", "--level", "theme"),
        ("saturation", "--measure", "presence"),
        ("saturation", "--by", "role"),
        ("cooccurrence", "--level", "theme"),
        ("cooccurrence", "--measure", "characters"),
        ("cooccurrence", "--by", "role"),
        ("cooccurrence", "--run", "2"),
        ("themes", "--level", "code"),
        ("themes", "--by", "role"),
        ("themes", "--run", "5"),
        ("matrix", "--run", "2"),
    ] {
        let message = refused(&["stats", &dir, table, option, value]);
        assert!(
            message.contains(&format!("{option} is not used by the {table} table")),
            "{table} {option}: {message}"
        );
    }
    for (option, value) in [
        ("--coders", "alex"),
        ("--attr", "role=Manager"),
        ("--level", "theme"),
        ("--run", "2"),
    ] {
        let message = refused(&["stats", &dir, option, value]);
        assert!(
            message.contains(&format!("{option} is not used by the project's counts")),
            "{message}"
        );
    }
    // What a table uses is accepted.
    json(&[
        "stats",
        &dir,
        "saturation",
        "--run",
        "2",
        "--format",
        "json",
    ]);
    json(&[
        "stats",
        &dir,
        "matrix",
        "--level",
        "theme",
        "--measure",
        "presence",
        "--by",
        "role",
        "--format",
        "json",
    ]);
}

#[test]
fn interviews_nobody_coded_do_not_move_saturation() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("study");
    common::copy_sample(&dir);
    let d = dir.display().to_string();
    let before = json(&[
        "stats",
        &d,
        "saturation",
        "--coders",
        "sam",
        "--format",
        "json",
    ]);
    assert_eq!(before["coded_transcripts"], 3, "sam coded p02, p07, p10");
    let rows = before["transcripts"].as_array().unwrap();
    let coded: Vec<&str> = rows
        .iter()
        .filter(|r| r["coded"] == true)
        .map(|r| r["transcript"].as_str().unwrap())
        .collect();
    assert_eq!(coded, ["p02", "p07", "p10"]);
    assert_eq!(
        before["reached_after"],
        serde_json::json!({"codes": null, "sub_themes": null, "themes": null}),
        "three coded interviews cannot show a run of three after a new code"
    );
    // Two more interviews, nobody has coded yet.
    for name in ["p13", "p14"] {
        let file = work.path().join(format!("{name}.txt"));
        std::fs::write(&file, "Interviewer: How did it go?\n\nParticipant: Fine.\n").unwrap();
        let out = thematic(&["import", &d, &file.display().to_string()]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let after = json(&[
        "stats",
        &d,
        "saturation",
        "--coders",
        "sam",
        "--format",
        "json",
    ]);
    assert_eq!(after["reached_after"], before["reached_after"]);
    assert_eq!(after["coded_transcripts"], 3);
    assert_eq!(after["scope"]["transcripts"], 14);
    let alex = json(&[
        "stats",
        &d,
        "saturation",
        "--coders",
        "alex",
        "--format",
        "json",
    ]);
    assert_eq!(
        alex["reached_after"]["codes"], "p07",
        "alex: no new code-level node after interview 7"
    );
    // A share is of the interviews coded: sam's codes in 1 of 3 are in 33%, not 1 of 14.
    let m = json(&[
        "stats",
        &d,
        "matrix",
        "--coders",
        "sam",
        "--measure",
        "presence",
        "--format",
        "json",
    ]);
    assert_eq!(m["scope"]["coded"], 3);
    for row in m["rows"].as_array().unwrap() {
        let present = row["total"].as_f64().unwrap();
        assert_eq!(
            row["percent_total"].as_f64().unwrap(),
            present * 100.0 / 3.0,
            "{row}"
        );
    }
    let text = String::from_utf8(thematic(&["stats", &d, "saturation", "--coders", "sam"]).stdout)
        .unwrap();
    assert!(
        text.contains("Codes: saturation not reached")
            && text.contains("3 of 14 transcripts coded"),
        "{text}"
    );
}

#[test]
fn undefined_percentages_are_null_and_a_dash() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("study");
    common::copy_sample(&dir);
    // A declared value that no transcript has: a filter on it leaves no transcripts.
    let yaml = dir.join("thematic.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    let text = text.replacen(
        "  - Health professional\n",
        "  - Health professional\n  - Volunteer\n",
        1,
    );
    std::fs::write(&yaml, text).unwrap();
    let d = dir.display().to_string();
    let m = json(&[
        "stats",
        &d,
        "matrix",
        "--attr",
        "role=Volunteer",
        "--format",
        "json",
    ]);
    assert_eq!(m["scope"]["transcripts"], 0);
    for row in m["rows"].as_array().unwrap() {
        assert!(row["percent_total"].is_null(), "{row}");
    }
    let table =
        String::from_utf8(thematic(&["stats", &d, "matrix", "--attr", "role=Volunteer"]).stdout)
            .unwrap();
    assert!(table.contains('—') && !table.contains("0%"), "{table}");
    // With transcripts, a share is a number.
    let m = json(&["stats", &d, "matrix", "--format", "json"]);
    assert!(m["rows"][0]["percent_total"].is_f64());
}

#[test]
fn exemplar_quotes_are_exact_and_codes_are_code_level_nodes() {
    let dir = sample();
    let themes = json(&["stats", &dir, "themes", "--format", "json"]);
    let project = thematic::store::load(Path::new(&dir)).unwrap().project;
    for row in themes["themes"].as_array().unwrap() {
        let Some(cited) = row["exemplar"].as_str() else {
            continue;
        };
        let quote = cited
            .strip_prefix('“')
            .and_then(|q| q.rsplit_once("” (").map(|(q, _)| q))
            .unwrap();
        assert!(
            project
                .transcripts_in_order()
                .iter()
                .any(|t| t.text().contains(quote)),
            "the exemplar is the transcript's text, unchanged: {quote:?}"
        );
    }
    let stats = json(&["stats", &dir, "--format", "json"]);
    let alex = &stats["coders"][0];
    assert_eq!(alex["coder"], "alex");
    assert!(
        alex["codes_used"].as_u64().unwrap() <= stats["codes"].as_u64().unwrap(),
        "no more codes used than the codebook has: {alex}"
    );
    assert_eq!(alex["transcripts_coded"], 12);
    assert_eq!(stats["coders"][1]["transcripts_coded"], 3);
    assert_eq!(stats["scope"]["coders"], serde_json::json!(["alex", "sam"]));
}

#[test]
fn the_definitions_page_and_the_report_quote_the_same_definitions() {
    use thematic::analysis::tables::{
        EXEMPLAR_DEFINITION, LEVELS_DEFINITION, SATURATION_DEFINITION,
    };
    let page =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/definitions.md"))
            .unwrap();
    let project = thematic::store::load(&common::sample_project())
        .unwrap()
        .project;
    let report = thematic::interop::report::markdown(
        &project,
        &thematic::interop::report::ReportOptions {
            coders: thematic::analysis::node_counts::Coders::All,
            date: jiff::civil::date(2025, 6, 30),
        },
    );
    for definition in [
        SATURATION_DEFINITION,
        LEVELS_DEFINITION,
        EXEMPLAR_DEFINITION,
    ] {
        assert!(
            page.contains(&format!("*(quoted)* {definition}")),
            "docs/definitions.md quotes {definition:?}"
        );
        // The Markdown report escapes a few characters; compare its words.
        let words = |s: &str| {
            s.replace('\\', "")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert!(
            words(&report).contains(&words(definition)),
            "the report's methods summary quotes {definition:?}"
        );
    }
}

#[test]
fn the_report_marks_interviews_nobody_coded() {
    let project = thematic::store::load(&common::sample_project())
        .unwrap()
        .project;
    let options = thematic::interop::report::ReportOptions {
        coders: thematic::analysis::node_counts::Coders::Only(vec![
            thematic::model::CoderId::new("sam").unwrap(),
        ]),
        date: jiff::civil::date(2025, 6, 30),
    };
    let md = thematic::interop::report::markdown(&project, &options);
    assert!(
        md.contains("| 1 | p01 | Participant 1 (not coded) | — | 0 |"),
        "p01 is not sam's: {md}"
    );
    assert!(
        md.contains("(coded interview 3 of 3, Participant 10)"),
        "{md}"
    );
    assert!(md.contains("3 of 12 transcripts coded"), "{md}");
    let html = thematic::interop::report::html(&project, &options);
    assert!(
        html.contains("<td>Participant 1 (not coded)</td>"),
        "{html}"
    );
}
