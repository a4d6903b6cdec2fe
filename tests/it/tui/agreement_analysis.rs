//! The Agreement and Analysis screens.

use super::*;

#[test]
fn agreement_view_worst_first_walk_and_resolve() {
    let dir = sample();
    let mut sam = open(dir.path(), "sam", 120, 34, true);
    press(&mut sam, "V");
    assert_eq!(sam.view_mode, thematic::tui::app::View::Agreement);
    let state = sam.screens.agreement.as_ref().unwrap();
    let kappas: Vec<f64> = state
        .order
        .iter()
        .map(|&i| state.now.per_code[i].table.kappa().unwrap_or(f64::INFINITY))
        .collect();
    assert!(
        kappas.windows(2).all(|w| w[0] <= w[1]),
        "worst first: {kappas:?}"
    );
    // The figures are the command's: the same analysis over the sample.
    let cmp = state.comparison.clone();
    assert_eq!(
        state.now,
        thematic::analysis::agreement::agreement(sam.ws.project(), &cmp)
    );
    insta::assert_snapshot!("agreement_view", screen(&render(&sam)));
    // Walk the worst code's disagreements and adopt alex's coding of the first one.
    press(&mut sam, "Enter");
    let (code, items, _) = sam
        .screens
        .agreement
        .as_ref()
        .unwrap()
        .walk
        .clone()
        .unwrap();
    let first = items[0].clone();
    let segments_before = sam
        .ws
        .project()
        .segments(&CoderId::new("sam").unwrap(), &first.transcript)
        .len();
    let kappa_before = sam
        .screens
        .agreement
        .as_ref()
        .unwrap()
        .now
        .per_code
        .iter()
        .find(|c| c.code == code)
        .unwrap()
        .table
        .kappa();
    press(&mut sam, "a");
    assert!(
        sam.status.starts_with("Resolved: adopted alex's coding"),
        "{}",
        sam.status
    );
    let after = sam.screens.agreement.as_ref().unwrap();
    let kappa_after = after
        .now
        .per_code
        .iter()
        .find(|c| c.code == code)
        .unwrap()
        .table
        .kappa();
    assert_ne!(kappa_before, kappa_after, "figures update as you go");
    assert_eq!(
        after
            .before
            .per_code
            .iter()
            .find(|c| c.code == code)
            .unwrap()
            .table
            .kappa(),
        kappa_before,
        "the before figures stay"
    );
    assert_ne!(
        sam.ws
            .project()
            .segments(&CoderId::new("sam").unwrap(), &first.transcript)
            .len(),
        segments_before
    );
    // Keep mine on the next: nothing changes but the decision is recorded.
    press(&mut sam, "m");
    assert!(sam.status.contains("(recorded)"), "{}", sam.status);
    let trail = std::fs::read_to_string(dir.path().join("audit/sam.yaml")).unwrap();
    assert_eq!(
        trail.matches("resolved a disagreement").count(),
        2,
        "{trail}"
    );
    // The resolution is an edit: undo puts sam's coding back.
    press(&mut sam, "u");
    assert_eq!(
        sam.ws
            .project()
            .segments(&CoderId::new("sam").unwrap(), &first.transcript)
            .len(),
        segments_before
    );
    // ...and the trail says so, as it says when the resolution is redone.
    let trail = std::fs::read_to_string(dir.path().join("audit/sam.yaml")).unwrap();
    assert_eq!(
        trail.matches("undid: resolved a disagreement").count(),
        1,
        "{trail}"
    );
    press(&mut sam, "Ctrl-r");
    let trail = std::fs::read_to_string(dir.path().join("audit/sam.yaml")).unwrap();
    assert_eq!(
        trail.matches("redid: resolved a disagreement").count(),
        1,
        "{trail}"
    );
    assert!(trail.contains("adopted alex's coding"), "{trail}");
}

#[test]
fn analysis_view_charts_saturation_and_tables_the_themes() {
    let dir = sample();
    let mut tui = Tui::open_with(dir.path(), "alex", 110, 34, Theme { colour: false });
    tui.press("Y");
    // By default every coder whose work alex may see (nothing is blind to alex, the sample's
    // primary coder), as on the command line.
    assert!(
        tui.shows("Analysis · Saturation · coding of alex, sam · 12 transcripts"),
        "{}",
        tui.text()
    );
    let sub_theme_count = tui
        .app
        .ws
        .project()
        .codebook
        .walk()
        .into_iter()
        .filter(|(_, c)| c.level == thematic::model::Level::SubTheme)
        .count();
    assert_eq!(sub_theme_count, 14);
    tui.press("L");
    // sample-project's codebook has 14 sub-themes; p04 brings the last of them. The sentence
    // is the report's and `thematic stats DIR saturation`'s.
    assert!(
        tui.shows(
            "Sub-themes: saturation reached after p04 (coded interview 4 of 12, Participant 4): no new sub-theme in the 8 coded interviews that followed (a run of 3 is required; all 12 transcripts coded)."
        ),
        "{}",
        tui.text()
    );
    insta::assert_snapshot!("analysis_saturation_sub_themes", screen(&tui.draw()));
    // A run of 9 after p04's last new sub-theme is more than the 8 interviews that follow.
    tui.press("+ + + + + +");
    assert!(
        tui.shows(
            "Sub-themes: saturation not reached: the last new sub-theme appeared in p04 (coded interview 4 of 12, Participant 4), followed by 8 coded interviews without a new one (a run of 9 is required;"
        ),
        "{}",
        tui.text()
    );
    tui.press("- - - - - - - - - - -");
    assert!(tui.shows("(a run of 1 is required;"), "never below one");
    tui.press("Tab Tab Tab");
    assert!(tui.shows("theme / sub-theme"), "{}", tui.text());
    assert!(
        tui.shows("Expectation and reality of the integration"),
        "{}",
        tui.text()
    );
    insta::assert_snapshot!("analysis_themes", screen(&tui.draw()));
    // Tab goes on to the frequencies, then wraps around to saturation; L went on counting by
    // sub-theme.
    tui.press("Tab Tab");
    assert!(tui.shows("no new sub-theme in the"));
    tui.press("F2");
    assert!(
        tui.shows("p01 ·"),
        "back on the Code screen: {}",
        tui.text()
    );
}

#[test]
fn analysis_matrix_cells_open_their_quotes() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 120, 34, false);
    // Matrix tab, themes level, columns by the first attribute (role), presence.
    press(&mut app, "Y Tab L L a m m");
    let state = app.screens.analysis.as_ref().unwrap();
    assert_eq!(state.by.as_deref(), Some("role"));
    let m = &state.matrix;
    let project = app.ws.project().clone();
    let alex = CoderId::new("alex").unwrap();
    // Counted independently: alex's segments under the first theme, by the role of their
    // transcript, walking each segment's codes up to their theme.
    let theme = m.rows[0].code.clone();
    let under_theme = |code: &thematic::model::CodeId| {
        let mut at = Some(code);
        while let Some(c) = at {
            if c == &theme {
                return true;
            }
            at = project.codebook.parent(c);
        }
        false
    };
    let role_of = |t: &TranscriptId| project.transcript(t).unwrap().meta.attributes["role"].clone();
    let column = m.columns[1].clone();
    let mut transcripts = std::collections::BTreeSet::new();
    let mut segments = 0;
    for (coder, t, s) in project.all_segments() {
        if coder == &alex && role_of(t) == column && s.codes.iter().any(under_theme) {
            transcripts.insert(t.clone());
            segments += 1;
        }
    }
    press(&mut app, "l");
    let screen = screen_text(&render(&app));
    assert!(
        screen.contains(&format!(
            "in {column}: {} transcripts with it (presence)",
            transcripts.len()
        )),
        "{screen}"
    );
    insta::assert_snapshot!("analysis_matrix", screen);
    press(&mut app, "Enter");
    assert_eq!(app.view_mode, thematic::tui::app::View::Retrieve);
    let quotes = &app.screens.retrieve.as_ref().unwrap().quotes;
    assert_eq!(
        quotes.len(),
        segments,
        "every quote behind the cell, and only those"
    );
    assert!(quotes.iter().all(|q| role_of(&q.transcript) == column));
    press(&mut app, "Backspace");
    assert_eq!(app.view_mode, thematic::tui::app::View::Analysis);
}

#[test]
fn analysis_cooccurrence_ranks_pairs_and_opens_their_passages() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 110, 34, false);
    press(&mut app, "Y Tab Tab");
    let state = app.screens.analysis.as_ref().unwrap();
    assert!(
        state.pairs.windows(2).all(|w| w[0].count >= w[1].count),
        "most frequent first"
    );
    let top = state.pairs[0].clone();
    let project = app.ws.project().clone();
    let name = |id: &thematic::model::CodeId| project.codebook.get(id).unwrap().name.clone();
    // Counted independently: one coder's segments in each transcript that overlap, one
    // carrying the first code and the other the second (or one segment carrying both); every
    // coder alex may see (alex and sam) counts.
    let mut overlaps = 0;
    for (coder, t) in ["alex", "sam"].iter().flat_map(|c| {
        project
            .transcripts_in_order()
            .into_iter()
            .map(move |t| (CoderId::new(*c).unwrap(), t))
    }) {
        let segs = project.segments(&coder, &t.id);
        for (i, s) in segs.iter().enumerate() {
            for o in &segs[i..] {
                let meet = s.start < o.end && o.start < s.end;
                let has = |x: &thematic::model::Segment, c| x.codes.contains(c);
                let pair = (has(s, &top.a) && has(o, &top.b)) || (has(s, &top.b) && has(o, &top.a));
                if meet && pair {
                    overlaps += 1;
                }
            }
        }
    }
    assert_eq!(top.count, overlaps);
    let pairs_screen = screen_text(&render(&app));
    assert!(
        pairs_screen.contains(&format!("{} × {}", name(&top.a), name(&top.b))),
        "{pairs_screen}"
    );
    press(&mut app, "Enter");
    let (passages, _) = app
        .screens
        .analysis
        .as_ref()
        .unwrap()
        .passages
        .clone()
        .unwrap();
    assert_eq!(passages.len(), top.count);
    insta::assert_snapshot!("analysis_cooccurrence_passages", screen(&render(&app)));
    let first = &passages[0];
    let text = project
        .transcript(&first.transcript)
        .unwrap()
        .slice(first.start, first.end)
        .unwrap()
        .trim()
        .to_string();
    let opening: String = text.chars().take(30).collect();
    assert!(screen_text(&render(&app)).contains(&opening));
    press(&mut app, "Esc");
    let closed = screen_text(&render(&app));
    assert!(
        !closed.contains(&opening)
            && closed.contains(&format!("{} × {}", name(&top.a), name(&top.b))),
        "the passages closed, back on the pairs:\n{closed}"
    );
}

#[test]
fn a_chosen_exemplar_is_saved_and_cited_in_the_theme_table() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 110, 34, false);
    press(&mut app, "B Enter j j");
    let r = app.screens.retrieve.as_ref().unwrap();
    let theme = r.code.clone();
    let quote = r.current().unwrap().clone();
    assert_ne!(Some(&quote), r.quotes.first(), "not the default exemplar");
    press(&mut app, "e");
    // On disk: reloading the project finds the choice, and the theme table cites it.
    let loaded = thematic::store::load(dir.path()).unwrap().project;
    let saved = loaded
        .codebook
        .get(&theme)
        .unwrap()
        .exemplar
        .clone()
        .unwrap();
    assert_eq!(
        (&saved.transcript, &saved.coder, &saved.id),
        (&quote.transcript, &quote.coder, &quote.segment)
    );
    let table = thematic::analysis::tables::theme_table(&loaded, &Default::default());
    let row = table.iter().find(|r| r.code == theme).unwrap();
    assert_eq!(row.exemplar.as_deref(), Some(quote.cite().as_str()));
    // Again: cleared, and undo brings it back.
    press(&mut app, "e");
    assert!(
        app.ws
            .project()
            .codebook
            .get(&theme)
            .unwrap()
            .exemplar
            .is_none()
    );
    press(&mut app, "u");
    assert!(
        app.ws
            .project()
            .codebook
            .get(&theme)
            .unwrap()
            .exemplar
            .is_some()
    );
}

#[test]
fn analysis_figures_filter_by_attribute() {
    let dir = sample();
    let mut tui = Tui::open_with(dir.path(), "alex", 110, 34, Theme { colour: false });
    tui.press("Y f").type_text("Brookfield").press("Enter");
    let wanted = ("organisation".to_string(), "Brookfield Council".to_string());
    let project = tui.app.ws.project().clone();
    let brookfield: Vec<TranscriptId> = project
        .transcripts_in_order()
        .iter()
        .filter(|t| t.meta.attributes.get(&wanted.0) == Some(&wanted.1))
        .map(|t| t.id.clone())
        .collect();
    assert!(!brookfield.is_empty() && brookfield.len() < 12);
    assert!(
        tui.shows("coding of alex, sam · 5 transcripts · only organisation = Brookfield Council"),
        "the title says whose coding and which transcripts: {}",
        tui.text()
    );
    // The saturation table lists Brookfield's interviews, and only those.
    let shown = tui.prose();
    for t in project.transcripts_in_order() {
        assert_eq!(
            shown.contains(&format!(" {} ", t.id)),
            brookfield.contains(&t.id),
            "{} in\n{}",
            t.id,
            tui.text()
        );
    }
    let mut app = tui.app;
    press(&mut app, "?");
    let help = screen_text(&render(&app));
    assert!(
        help.contains("Keys: analysis"),
        "the help names the view's keys: {help}"
    );
}

#[test]
fn opening_a_transcript_edited_elsewhere_says_so() {
    let dir = sample();
    let path = dir.path().join("transcripts/p02.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("[Note added by hand.]\n{text}")).unwrap();
    let mut app = open(dir.path(), "alex", 100, 30, true);
    press(&mut app, "BackTab j Enter");
    assert_eq!(app.transcript().unwrap().id.as_str(), "p02");
    assert!(
        app.status.contains("changed outside thematic") && app.status.contains("check --fix"),
        "{}",
        app.status
    );
    // An untouched transcript says nothing of the kind.
    press(&mut app, "BackTab j Enter");
    assert!(!app.status.contains("outside"), "{}", app.status);
}

#[test]
fn analysis_view_leaves_out_coding_still_blind_to_the_viewer() {
    let dir = sample();
    // alex has not marked p02 done yet, so to sam (the sample's second coder) alex's p02 is
    // still blind.
    let path = dir.path().join("codings/alex/p02.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("done: true\n"));
    std::fs::write(&path, text.replacen("done: true\n", "done: false\n", 1)).unwrap();
    let mut app = open(dir.path(), "sam", 130, 40, false);
    press(&mut app, "Y");
    let state = app.screens.analysis.as_ref().unwrap();
    let project = app.ws.project();
    let p02 = TranscriptId::new("p02").unwrap();
    let visible = thematic::analysis::tables::Scope {
        hidden: [(CoderId::new("alex").unwrap(), p02.clone())].into(),
        ..Default::default()
    };
    let tables = &thematic::analysis::tables::Scope::default();
    assert_eq!(
        state.saturation,
        thematic::analysis::tables::saturation(project, &visible)
    );
    assert_ne!(
        state.saturation,
        thematic::analysis::tables::saturation(project, tables),
        "alex's p02 would change the figures"
    );
    assert_eq!(
        state.themes,
        thematic::analysis::tables::theme_table(project, &visible)
    );
    assert!(
        state.whose.contains("others' blind coding left out"),
        "{}",
        state.whose
    );
    // Once alex marks p02 done too, nothing is blind and everyone's coding counts.
    drop(app);
    std::fs::write(&path, text).unwrap();
    let mut app = open(dir.path(), "sam", 130, 40, false);
    press(&mut app, "Y");
    let state = app.screens.analysis.as_ref().unwrap();
    assert_eq!(
        state.saturation,
        thematic::analysis::tables::saturation(app.ws.project(), tables)
    );
    assert_eq!(state.whose, "coding of alex, sam · 12 transcripts");
}

#[test]
fn analysis_view_counts_one_coder_when_chosen_as_the_command_line_does() {
    let dir = sample();
    let mut tui = Tui::open_with(dir.path(), "alex", 140, 34, Theme { colour: false });
    tui.press("Y c");
    assert!(
        tui.shows("coding of alex · 12 transcripts"),
        "{}",
        tui.text()
    );
    assert!(
        tui.shows(
            "Codes: saturation reached after p07 (coded interview 7 of 12, Participant 7): no new code in the 5 coded interviews that followed"
        ),
        "alex's own figure, as `thematic stats DIR saturation --coders alex` gives it: {}",
        tui.text()
    );
    tui.press("c");
    assert!(
        tui.shows("coding of sam · 12 transcripts"),
        "{}",
        tui.text()
    );
    assert!(
        tui.shows("(a run of 3 is required; 3 of 12 transcripts coded)."),
        "sam coded 3 of 12: {}",
        tui.text()
    );
    tui.press("c");
    assert!(
        tui.shows("coding of alex, sam · 12 transcripts"),
        "back to every coder: {}",
        tui.text()
    );
}

#[test]
fn analysis_frequencies_draw_each_codes_segments_under_its_theme() {
    let dir = sample();
    let mut app = open(dir.path(), "alex", 140, 60, true);
    press(&mut app, "Y Tab Tab Tab Tab");
    let state = app.screens.analysis.as_ref().unwrap();
    assert_eq!(
        state.tab,
        thematic::tui::screens::analysis::AnalysisTab::Frequencies
    );
    // Counted again from the raw segments: every coder's segments carrying the code (the
    // sample's code-level nodes have nothing below them; nothing is blind to alex).
    let project = app.ws.project();
    let mut bars = 0;
    for group in &state.frequencies {
        assert_eq!(
            project.codebook.parent(&group.theme),
            None,
            "grouped by theme"
        );
        for (code, shown) in &group.codes {
            let raw = project
                .all_segments()
                .filter(|(_, _, s)| s.codes.contains(code))
                .count() as u64;
            assert_eq!(*shown, raw, "{}", app.code_name(code));
            bars += 1;
        }
    }
    assert_eq!(bars, 37, "one bar per code");
    let screen = screen_text(&render(&app));
    assert!(screen.contains("Culture"), "{screen}");
    assert!(screen.contains("Different attitudes to risk"), "{screen}");
    assert!(screen.contains("████"), "bars are drawn: {screen}");
}
