//! The key hints at the foot of each view, as actions with what they do. The keys are looked
//! up in the keymap when a hint is drawn, never typed into the text, so a hint names the key
//! that really does it, also after a user rebinds it.

use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};

/// One item of a hint: the actions (shown as their keys joined by `/`) and what they do.
pub type HintItem = (&'static [Action], &'static str);
pub type Hint = &'static [HintItem];

pub const AGREEMENT_TABLE: Hint = &[
    (&[Action::Open], "walk through the code's disagreements"),
    (&[Action::CycleTranscript], "one transcript / all"),
    (&[Action::Back], "back"),
];

/// Added to the table's hints when the round has several second coders.
pub const AGREEMENT_PAIRS: Hint = &[(&[Action::CyclePair], "next pair of coders")];

pub const AGREEMENT_WALK: Hint = &[
    (&[Action::KeepMine], "keep mine"),
    (&[Action::AdoptTheirs], "adopt theirs"),
    (&[Action::KeepBoth], "keep both"),
    (&[Action::DropMine], "drop mine"),
    (&[Action::MemoHere], "memo why"),
    (&[Action::NextItem, Action::PrevItem], "next/previous"),
    (&[Action::Cancel], "back to the table"),
];

pub const CODEBOOK_VIEW: Hint = &[
    (&[Action::Retrieve], "quotes"),
    (&[Action::NewChild], "new"),
    (&[Action::Rename], "rename"),
    (&[Action::Describe], "define"),
    (&[Action::EditTags], "tags"),
    (&[Action::Recolour], "colour"),
    (&[Action::CycleLevel], "level"),
    (&[Action::MoveCode], "move"),
    (&[Action::MoveDown, Action::MoveUp], "order"),
    (&[Action::Merge], "merge"),
    (&[Action::Delete], "delete"),
];

pub const MEMOS: Hint = &[
    (&[Action::Open], "go to subject"),
    (&[Action::EditMemo], "edit"),
    (&[Action::Comment], "comment"),
    (&[Action::ToggleReviewed], "reviewed"),
    (&[Action::FilterAuthor], "author"),
    (&[Action::FilterKind], "kind"),
    (&[Action::FilterReview], "review"),
    (&[Action::FilterText], "text"),
    (&[Action::FilterDates], "dates"),
    (&[Action::ToggleSort], "order"),
    (&[Action::ToggleAudit], "decisions"),
];

pub const RETRIEVE: Hint = &[
    (&[Action::Open], "in the transcript"),
    (&[Action::MoreContext, Action::LessContext], "context"),
    (&[Action::Mark], "mark"),
    (&[Action::Split], "split marked"),
    (&[Action::FilterCoder], "coder"),
    (&[Action::FilterAttribute], "attribute"),
    (&[Action::FilterText], "text"),
    (&[Action::ToggleSort], "sort"),
    (&[Action::ToggleChildren], "codes below"),
    (&[Action::Back], "back"),
];

pub const ANALYSIS_SATURATION: Hint = &[
    (&[Action::NextTable], "next table"),
    (&[Action::CycleLevel], "count by code/sub-theme/theme"),
    (&[Action::RunLonger, Action::RunShorter], "run needed"),
    (&[Action::Down, Action::Up], "scroll"),
    (&[Action::ViewCode], "back to coding"),
];

pub const ANALYSIS_MATRIX: Hint = &[
    (
        &[Action::Left, Action::Right, Action::Up, Action::Down],
        "move",
    ),
    (&[Action::Open], "the quotes in this cell"),
    (&[Action::CycleMeasure], "measure"),
    (&[Action::CycleBy], "columns by attribute"),
    (&[Action::CycleLevel], "level"),
    (&[Action::NextTable], "next table"),
];

pub const ANALYSIS_PASSAGES: Hint = &[
    (&[Action::Down, Action::Up], "next/previous passage"),
    (&[Action::Cancel], "back to the pairs"),
];

pub const ANALYSIS_PAIRS: Hint = &[
    (&[Action::Down, Action::Up], "choose a pair"),
    (&[Action::Open], "the passages where they co-occur"),
    (&[Action::NextTable], "next table"),
];

pub const ANALYSIS_THEMES: Hint = &[
    (&[Action::NextTable], "next table"),
    (&[Action::Down, Action::Up], "scroll"),
];

/// Every hint with the keymap context its keys are read in (for the test that each key
/// shown does what the hint says).
pub const ALL: &[(Context, Hint)] = &[
    (Context::Agreement, AGREEMENT_TABLE),
    (Context::Agreement, AGREEMENT_WALK),
    (Context::Agreement, AGREEMENT_PAIRS),
    (Context::CodebookView, CODEBOOK_VIEW),
    (Context::Memos, MEMOS),
    (Context::Retrieve, RETRIEVE),
    (Context::Analysis, ANALYSIS_SATURATION),
    (Context::Analysis, ANALYSIS_MATRIX),
    (Context::Analysis, ANALYSIS_PASSAGES),
    (Context::Analysis, ANALYSIS_PAIRS),
    (Context::Analysis, ANALYSIS_THEMES),
];

/// The keys of `actions` in `context`, joined by `/`.
pub fn keys(keymap: &Keymap, context: Context, actions: &[Action]) -> String {
    actions
        .iter()
        .map(|a| keymap.keys_for(context, *a))
        .collect::<Vec<_>>()
        .join("/")
}

/// The hint as shown: "m keep mine · a adopt theirs · ...".
pub fn render(keymap: &Keymap, context: Context, hint: Hint) -> String {
    hint.iter()
        .map(|(actions, what)| format!("{} {what}", keys(keymap, context, actions)))
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::Key;

    /// Every key a hint names, read back through the keymap, does the hint's action.
    #[test]
    fn every_key_named_in_a_hint_is_bound_to_that_action() {
        let keymap = Keymap::defaults().unwrap();
        for (context, hint) in ALL {
            let shown = render(&keymap, *context, hint);
            for (actions, what) in *hint {
                let mut named = Vec::new();
                for action in actions.iter() {
                    let key = keymap.keys_for(*context, *action);
                    let parsed = Key::parse(&key)
                        .unwrap_or_else(|| panic!("{context:?}: {key:?} ({what}) is not a key"));
                    assert_eq!(
                        keymap.action(*context, parsed),
                        Some(*action),
                        "{context:?}: the hint says {key} {what}"
                    );
                    named.push(key);
                }
                let item = format!("{} {what}", named.join("/"));
                assert!(shown.contains(&item), "{shown} lacks {item}");
            }
        }
    }

    #[test]
    fn a_rebound_key_shows_in_the_hint() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("keymap.yaml"),
            "agreement:\n  keep-mine: [z]\n",
        )
        .unwrap();
        let keymap = Keymap::load(Some(dir.path())).unwrap();
        let walk = render(&keymap, Context::Agreement, AGREEMENT_WALK);
        assert!(walk.starts_with("z keep mine · a adopt theirs"), "{walk}");
    }
}
