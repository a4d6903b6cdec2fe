//! Each import format from a small fixture file, compared with the exact text stored.

use std::path::PathBuf;
use thematic::interop::import::{ImportError, read_transcript_file};
use thematic::text::{SpeakerRole, find_turns};

fn fixture(name: &str) -> PathBuf {
    crate::common::fixtures("import").join(name)
}

fn read(name: &str) -> String {
    read_transcript_file(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn plain_text_with_bom_crlf_tabs_and_combining_accents() {
    let text = read("bom-crlf.txt");
    assert_eq!(
        text,
        "Interviewer:    What changed?\n\nParticipant 2: The caf\u{e9} meetings 👩\u{200d}⚕\u{fe0f} – and 医生 joined.\nSecond line.\n"
    );
    let turns = find_turns(&text);
    assert_eq!(turns.len(), 2);
    assert_eq!(turns[1].role, SpeakerRole::Participant);
}

#[test]
fn markdown_keeps_turns_and_drops_markup() {
    assert_eq!(
        read("interview.md"),
        "Interview 5\n\nInterviewer: How did the first month go?\n\nParticipant 5: Honestly? Chaotic — see the plan. We adapted.\n\none 👍\n\ntwo\n"
    );
}

#[test]
fn webvtt_voices_become_timed_turns() {
    let text = read("teams.vtt");
    assert_eq!(
        text,
        "[00:00:02] Interviewer: Could you describe the referral form?\n\n[00:00:06] Participant 3: It's one page & it's shared. Mostly. 医生 like it 🙂\n"
    );
    let turns = find_turns(&text);
    assert_eq!(
        turns.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(),
        ["Interviewer", "Participant 3"]
    );
}

#[test]
fn srt_names_become_turns() {
    assert_eq!(
        read("zoom.srt"),
        "[00:00:01] Interviewer: Tell me about the IT.\n\n[00:00:03] P7: Two systems, neither talks. Ça marche pas.\n"
    );
}

#[test]
fn docx_paragraphs_runs_tabs_breaks_and_tracked_changes() {
    assert_eq!(
        read("interview.docx"),
        "Interview 9\n\nInterviewer: How do the two teams cooperate?\n\nParticipant 9:  Better since the move & the 👍 rota. Really.\n医生 too.\n"
    );
}

#[test]
fn bad_inputs_get_clear_errors() {
    let err = |name: &str| read_transcript_file(&fixture(name)).unwrap_err();
    assert!(matches!(err("not-a-zip.docx"), ImportError::BadDocx { .. }));
    assert!(
        err("not-a-zip.docx")
            .to_string()
            .ends_with("not-a-zip.docx: not a valid .docx (it is not a zip archive)")
    );
    assert!(
        err("no-document.docx")
            .to_string()
            .ends_with("not a valid .docx (word/document.xml is missing)")
    );
    assert!(
        err("latin1.txt")
            .to_string()
            .ends_with("latin1.txt:1:15: not valid UTF-8 text; save it as UTF-8 and import again")
    );
    assert!(matches!(err("empty.txt"), ImportError::Empty { .. }));
    assert!(matches!(
        err("attributes.csv"),
        ImportError::Unsupported { .. }
    ));
    assert!(matches!(err("missing.txt"), ImportError::Io { .. }));
}
