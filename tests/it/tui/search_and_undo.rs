//! Undo and redo wording, the search list and coding its hits, status messages, Retrieve context.

use super::*;

#[test]
fn undo_and_redo_say_what_and_where_and_go_there() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    press(&mut app, "} w s c");
    type_text(&mut app, "front door");
    press(&mut app, "Enter");
    let segment = app.my_segment_at_cursor().unwrap();
    let text = app.transcript().unwrap().text().to_string();
    let byte = text.char_indices().nth(segment.start).unwrap().0;
    let line = text[..byte].matches('\n').count() + 1;
    let said = format!("coded 'One front door referral' on p01, line {line}");
    // Elsewhere: another transcript, another view.
    app.open_transcript(4);
    press(&mut app, "B");
    press(&mut app, "u");
    assert_eq!(app.status, format!("Undid: {said}"));
    assert_eq!(app.view_mode, thematic::tui::app::View::Code);
    assert_eq!(app.transcript().unwrap().id.as_str(), "p01");
    // The cursor is back on the sentence that was coded (now uncoded).
    assert!(
        keys::cursor_on(&app, "Yeah, of course."),
        "{}",
        screen_text(&render(&app))
    );
    assert!(
        app.my_segment_at_cursor()
            .is_none_or(|s| s.id != segment.id)
    );
    app.open_transcript(4);
    press(&mut app, "Ctrl-r");
    assert_eq!(app.status, format!("Redid: {said}"));
    assert_eq!(app.transcript().unwrap().id.as_str(), "p01");
    assert!(
        keys::cursor_on(&app, "Yeah, of course."),
        "{}",
        screen_text(&render(&app))
    );
}

#[test]
fn the_search_list_shows_every_hit_in_context_and_enter_goes_there() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    press(&mut app, "L");
    assert!(app.status.starts_with("No search yet"), "{}", app.status);
    press(&mut app, "/");
    type_text(&mut app, "referral");
    press(&mut app, "Enter");
    assert!(app.status.contains("L lists them all"), "{}", app.status);
    press(&mut app, "L");
    let found = thematic::analysis::search::search(app.project(), "referral", usize::MAX);
    assert!(
        found.transcripts > 2,
        "the sample has it in several transcripts"
    );
    let Overlay::SearchList(list) = &app.overlay else {
        panic!("no list: {}", app.status);
    };
    assert_eq!(
        (list.total, list.hits.len()),
        (found.total, found.hits.len())
    );
    let text = screen_text(&render(&app));
    assert!(
        text.contains(&format!(
            "{} hits in {} transcripts",
            found.total, found.transcripts
        )),
        "{text}"
    );
    assert!(
        text.contains("p09"),
        "each hit names its transcript:\n{text}"
    );
    let (index, hit) = found
        .hits
        .iter()
        .enumerate()
        .find(|(_, h)| h.transcript.as_str() == "p09")
        .unwrap();
    press(&mut app, "g");
    for _ in 0..index {
        press(&mut app, "j");
    }
    press(&mut app, "Enter");
    assert!(matches!(app.overlay, Overlay::None));
    assert_eq!(app.transcript().unwrap().id, hit.transcript);
    // The cursor is on that hit: the text at it on screen is the hit and what follows it.
    let t = app.project().transcript(&hit.transcript).unwrap();
    let len = t.text().chars().count();
    let at = t.slice(hit.start, (hit.end + 20).min(len)).unwrap();
    let at = at.lines().next().unwrap();
    assert!(
        keys::cursor_on(&app, at),
        "{at:?}\n{}",
        screen_text(&render(&app))
    );
    assert!(app.status.contains("hit 1 of "), "{}", app.status);
    assert!(app.status.contains(" in p09"), "{}", app.status);
}

#[test]
fn a_status_message_is_cleared_when_its_view_changes() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    press(&mut app, "A");
    assert!(
        app.status.starts_with("Showing every coder"),
        "{}",
        app.status
    );
    press(&mut app, "B");
    assert_eq!(
        app.status, "",
        "the Code view's message is not the Codebook's"
    );
    press(&mut app, "A");
    assert!(!app.status.is_empty());
    press(&mut app, "O");
    assert!(
        !app.status.contains("Showing"),
        "not in the Memos view: {}",
        app.status
    );
}

#[test]
fn retrieve_shows_the_quote_in_its_context_and_more_on_a_key() {
    use thematic::analysis::node_counts::Coders;
    use thematic::analysis::retrieve::{QuoteFilter, QuoteOrder, quotes};
    use thematic::tui::screens::retrieve::draw::context_around;
    let dir = sample();
    let mut tui = Tui::open(dir.path(), "alex", 120, 34);
    tui.press("B");
    select_in_tree(&mut tui.app, "Communication structures");
    tui.press("Enter");
    // The first quote, as `thematic quotes` lists alex's quotes of the theme (with what is
    // under it, in transcript order).
    let project = tui.app.ws.project().clone();
    let code = project.codebook.find("Communication structures")[0]
        .id
        .clone();
    let filter = QuoteFilter {
        coders: Coders::Only(vec![alex()]),
        ..Default::default()
    };
    let q = quotes(&project, &code, true, &filter, QuoteOrder::Transcript)[0].clone();
    let t = project.transcript(&q.transcript).unwrap().clone();
    assert!(
        tui.shows(&format!(
            "In context: {} · 1 sentence either side",
            q.transcript
        )),
        "{}",
        tui.text()
    );
    // The sentence before the quote is shown, not only the quote.
    let (from, _) = context_around(&t, q.start, q.end, 1);
    assert!(from < q.start);
    let before = t
        .slice(from, q.start)
        .unwrap()
        .split_whitespace()
        .last()
        .unwrap();
    assert!(tui.shows(before), "{before:?} in\n{}", tui.text());
    tui.press("+ +");
    assert!(tui.shows("3 sentences either side"), "{}", tui.text());
    let wider = context_around(&t, q.start, q.end, 3);
    assert!(wider.0 <= from);
    insta::assert_snapshot!("retrieve_context_expanded", screen(&tui.draw()));
    tui.press("- - - - -");
    assert!(tui.shows("· its sentences ·"), "{}", tui.text());
    // Enter: the quote in the transcript, the cursor on it (the status line says where).
    tui.press("Enter");
    assert!(tui.shows(&format!("{} ·", q.transcript)), "{}", tui.text());
    let opening: String = t
        .slice(q.start, q.end)
        .unwrap()
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(tui.cursor_on(&opening), "on {opening:?}: {}", tui.text());
}

#[test]
fn the_marked_hits_of_the_search_list_are_coded_as_sentences_in_one_undo_step() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    let code = "Double data entry";
    let before = saved_quotes(dir.path(), "alex", code);
    search_list_of(&mut app, "referral form");
    // The hits are p01, p03 and p06: mark the first and the last.
    press(&mut app, "g Space j Space");
    let Overlay::SearchList(list) = &app.overlay else {
        panic!("the list closed: {}", app.status);
    };
    assert_eq!(list.hits.len(), 3);
    assert_eq!(list.marked.iter().copied().collect::<Vec<_>>(), vec![0, 2]);
    let text = screen_text(&render(&app));
    assert!(text.contains("2 marked"), "{text}");
    let marked_rows: Vec<&str> = text.lines().filter(|l| l.contains('●')).collect();
    assert_eq!(marked_rows.len(), 2, "{text}");
    assert!(marked_rows[0].contains("p01") && marked_rows[1].contains("p06"));
    press(&mut app, "c");
    assert!(matches!(app.overlay, Overlay::Picker(_)));
    type_text(&mut app, code);
    press(&mut app, "Enter");
    assert!(matches!(app.overlay, Overlay::None));
    assert_eq!(
        app.status,
        format!("Coded 2 passages in 2 transcripts; 0 already coded with {code} (saved)")
    );
    let mut expected = before.clone();
    expected.extend([quote("p01", P01_FORM), quote("p06", P06_FORM)]);
    expected.sort();
    let mut after = saved_quotes(dir.path(), "alex", code);
    after.sort();
    assert_eq!(
        after, expected,
        "exactly the two marked sentences are coded"
    );
    press(&mut app, "u");
    assert!(app.status.starts_with("Undid"), "{}", app.status);
    assert_eq!(
        saved_quotes(dir.path(), "alex", code),
        before,
        "one undo takes both away"
    );
    // Space again unmarks.
    search_list_of(&mut app, "referral form");
    press(&mut app, "g Space k Space");
    let Overlay::SearchList(list) = &app.overlay else {
        panic!("the list closed");
    };
    assert!(list.marked.is_empty());
}

#[test]
fn with_no_hit_marked_every_hit_is_coded_and_text_already_coded_is_skipped() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    let code = "Clear joint referral pathway";
    let before = saved_quotes(dir.path(), "alex", code);
    search_list_of(&mut app, "referral form");
    press(&mut app, "c");
    type_text(&mut app, code);
    press(&mut app, "Enter");
    assert_eq!(
        app.status,
        format!("Coded 3 passages in 3 transcripts; 0 already coded with {code} (saved)")
    );
    let after = saved_quotes(dir.path(), "alex", code);
    assert_eq!(after.len(), before.len() + 3);
    for (t, text) in [("p01", P01_FORM), ("p06", P06_FORM)] {
        assert!(after.contains(&quote(t, text)), "{after:?}");
    }
    assert!(
        after.iter().any(|(t, text)| t == "p03"
            && text.starts_with("So before the joint service there were")
            && text.ends_with("referral forms between the two teams.")),
        "{after:?}"
    );

    // Alex has p03's sentence coded with "One front door referral" already.
    let code = "One front door referral";
    let before = saved_quotes(dir.path(), "alex", code);
    search_list_of(&mut app, "referral form");
    press(&mut app, "c");
    type_text(&mut app, code);
    press(&mut app, "Enter");
    assert_eq!(
        app.status,
        format!("Coded 2 passages in 2 transcripts; 1 already coded with {code} (saved)")
    );
    let after = saved_quotes(dir.path(), "alex", code);
    assert_eq!(after.len(), before.len() + 2, "{after:?}");
    // Again: everything is coded now, and nothing changes.
    search_list_of(&mut app, "referral form");
    press(&mut app, "c");
    type_text(&mut app, code);
    press(&mut app, "Enter");
    assert_eq!(
        app.status,
        format!("Nothing to code with {code}: 3 already coded")
    );
    assert_eq!(saved_quotes(dir.path(), "alex", code), after);
}

#[test]
fn a_reviewer_cannot_code_the_search_hits() {
    let dir = sample();
    let meta = dir.path().join("thematic.yaml");
    let mut yaml = std::fs::read_to_string(&meta).unwrap();
    yaml.push_str("reviewers:\n- id: pat\n  name: Pat Supervisor\n");
    std::fs::write(&meta, yaml).unwrap();
    let before = coding_file(dir.path(), "alex", "p01");
    let mut app = open(dir.path(), "pat", 100, 30, true);
    press(&mut app, "F2");
    search_list_of(&mut app, "referral form");
    press(&mut app, "c");
    type_text(&mut app, "Double data entry");
    press(&mut app, "Enter");
    assert!(
        app.status.starts_with("Not saved: pat is a reviewer"),
        "{}",
        app.status
    );
    assert!(!dir.path().join("codings/pat").exists());
    assert_eq!(coding_file(dir.path(), "alex", "p01"), before);
}

#[test]
fn coding_every_hit_of_a_long_list_says_the_unlisted_hits_were_not_coded() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    search_list_of(&mut app, "e");
    let Overlay::SearchList(list) = &app.overlay else {
        panic!("no list");
    };
    let unlisted = list.total - list.hits.len();
    assert!(unlisted > 0, "the sample has over 2,000 e's");
    press(&mut app, "c");
    type_text(&mut app, "Double data entry");
    press(&mut app, "Enter");
    assert!(
        app.status.contains(&format!(
            "; {unlisted} hits past the list's first 2000 not coded (thematic autocode codes them all)"
        )),
        "{}",
        app.status
    );
}
