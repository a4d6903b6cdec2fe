//! Blind double coding on the coding screen: others hidden until revealed or both are done.

use super::*;

#[test]
fn other_coders_are_hidden_on_blind_sample_transcripts_until_revealed() {
    let dir = sample();
    sam_joins_with_p01_in_the_sample(dir.path());
    let mut sam = open(dir.path(), "sam", 100, 30, true);
    assert!(sam.status.contains("code it blind"), "{}", sam.status);
    press(&mut sam, "A");
    assert!(
        keys::coded_rows(&mut sam) == 0,
        "alex's segments stay hidden on p01"
    );
    assert!(sam.status.contains("coded blind"), "{}", sam.status);
    let title = line_of(&render(&sam), 0);
    assert!(title.contains("coding blind"), "{title}");
    press(&mut sam, "R");
    assert!(
        keys::coded_rows(&mut sam) == 0,
        "R asks first: nothing is shown yet"
    );
    let asked = screen(&render(&sam));
    assert!(
        asked.contains("Reveal alex's coding of p01?") && asked.contains("recorded"),
        "{asked}"
    );
    press(&mut sam, "n");
    assert!(keys::coded_rows(&mut sam) == 0, "n keeps it blind");
    let trail = dir.path().join("audit").join("sam.yaml");
    assert!(
        !std::fs::read_to_string(&trail)
            .unwrap_or_default()
            .contains("revealed")
    );
    press(&mut sam, "R y");
    // Revealed: the rows alex's coding of p01 marks, as alex sees them.
    let alex_rows = keys::coded_rows(&mut open(dir.path(), "alex", 100, 30, true));
    assert!(alex_rows > 0);
    assert_eq!(keys::coded_rows(&mut sam), alex_rows, "revealed");
    let recorded = std::fs::read_to_string(&trail).unwrap();
    assert!(
        recorded.contains("revealed the other coders' work on p01 before every coder"),
        "{recorded}"
    );
    // On p02, not in this test's sample, everyone's coding shows with A on: alex's 24
    // segments and sam's own 25.
    press(&mut sam, "t");
    type_text(&mut sam, "p02");
    press(&mut sam, "Enter");
    let everyone = keys::coded_rows(&mut sam);
    press(&mut sam, "A");
    let own = keys::coded_rows(&mut sam);
    assert!(
        own > 0 && everyone > own,
        "own coding only: {own} of {everyone}"
    );
}

#[test]
fn blind_coding_lifts_when_both_coders_mark_the_transcript_done() {
    let dir = sample();
    sam_joins_with_p01_in_the_sample(dir.path());
    let mut alex_app = open(dir.path(), "alex", 100, 30, true);
    press(&mut alex_app, "F");
    assert!(
        alex_app
            .ws
            .project()
            .is_done(&alex(), &TranscriptId::new("p01").unwrap())
    );
    assert!(
        std::fs::read_to_string(dir.path().join("codings/alex/p01.yaml"))
            .unwrap()
            .contains("done: true")
    );
    drop(alex_app);
    let mut sam = open(dir.path(), "sam", 100, 30, true);
    press(&mut sam, "A");
    assert!(
        keys::coded_rows(&mut sam) == 0,
        "alex is done, sam is not: still blind"
    );
    press(&mut sam, "F");
    assert!(sam.status.contains("alex has too"), "{}", sam.status);
    let alex_rows = keys::coded_rows(&mut open(dir.path(), "alex", 100, 30, true));
    assert!(alex_rows > 0);
    assert_eq!(
        keys::coded_rows(&mut sam),
        alex_rows,
        "both done: alex's coding shows"
    );
    press(&mut sam, "u");
    assert!(keys::coded_rows(&mut sam) == 0, "undone: blind again");
}
