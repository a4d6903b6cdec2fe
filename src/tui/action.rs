//! Everything a user can ask the TUI to do, named as in the keymap.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Help,
    FocusNext,
    FocusPrev,
    Undo,
    Redo,
    GotoTranscript,
    ToggleAllCoders,
    RevealBlind,
    ToggleMouse,
    Left,
    Right,
    Up,
    Down,
    WordNext,
    WordPrev,
    SentenceNext,
    SentencePrev,
    ParagraphNext,
    ParagraphPrev,
    TurnNext,
    TurnPrev,
    PageDown,
    PageUp,
    Start,
    End,
    Visual,
    SelectSentence,
    SelectTurn,
    SwapAnchor,
    Cancel,
    Assign,
    QuickCode(u8),
    InVivo,
    RemoveCode,
    AdjustSegment,
    Search,
    SearchNext,
    SearchPrev,
    Open,
    Fold,
    ViewCode,
    ViewCodebook,
    ViewRetrieve,
    Back,
    NewChild,
    NewTheme,
    Rename,
    Describe,
    Recolour,
    CycleLevel,
    EditTags,
    MoveCode,
    MoveUp,
    MoveDown,
    Merge,
    Delete,
    Retrieve,
    Mark,
    Split,
    FilterCoder,
    FilterAttribute,
    FilterText,
    ToggleSort,
    ToggleChildren,
    MemoHere,
    Journal,
    ViewMemos,
    FilterAuthor,
    FilterKind,
    FilterReview,
    FilterDates,
    ToggleAudit,
    EditMemo,
    Comment,
    ToggleReviewed,
    ReadDown,
    ReadUp,
    MarkDone,
    ViewAgreement,
    ViewAnalysis,
    NextTable,
    RunLonger,
    RunShorter,
    SetExemplar,
    CycleMeasure,
    CycleBy,
    PrevTable,
    NextItem,
    PrevItem,
    KeepMine,
    AdoptTheirs,
    KeepBoth,
    DropMine,
    CycleTranscript,
    /// Agreement view of a round with several second coders: compare the next pair.
    CyclePair,
    Play,
    /// Panics on purpose, to check that the terminal is restored (bound to no key by default).
    CrashTest,
}

/// Every action with its keymap name and its help text.
pub const ACTIONS: &[(&str, Action, &str)] = &[
    ("quit", Action::Quit, "quit (everything is already saved)"),
    ("help", Action::Help, "show or hide this help"),
    ("focus-next", Action::FocusNext, "next pane"),
    ("focus-prev", Action::FocusPrev, "previous pane"),
    ("undo", Action::Undo, "undo the last change"),
    ("redo", Action::Redo, "redo"),
    (
        "goto-transcript",
        Action::GotoTranscript,
        "jump to a transcript by name",
    ),
    (
        "toggle-all-coders",
        Action::ToggleAllCoders,
        "show your coding only, or everyone's",
    ),
    (
        "reveal-blind",
        Action::RevealBlind,
        "reveal other coders' work on a blind sample transcript",
    ),
    (
        "toggle-mouse",
        Action::ToggleMouse,
        "mouse on/off (off lets the terminal select and copy)",
    ),
    ("left", Action::Left, "left"),
    ("right", Action::Right, "right"),
    ("up", Action::Up, "up"),
    ("down", Action::Down, "down"),
    ("word-next", Action::WordNext, "next word"),
    ("word-prev", Action::WordPrev, "previous word"),
    ("sentence-next", Action::SentenceNext, "next sentence"),
    ("sentence-prev", Action::SentencePrev, "previous sentence"),
    ("paragraph-next", Action::ParagraphNext, "next paragraph"),
    (
        "paragraph-prev",
        Action::ParagraphPrev,
        "previous paragraph",
    ),
    ("turn-next", Action::TurnNext, "next speaker turn"),
    ("turn-prev", Action::TurnPrev, "previous speaker turn"),
    ("page-down", Action::PageDown, "page down"),
    ("page-up", Action::PageUp, "page up"),
    ("start", Action::Start, "to the start"),
    ("end", Action::End, "to the end"),
    (
        "visual",
        Action::Visual,
        "start or stop selecting from the cursor",
    ),
    (
        "select-sentence",
        Action::SelectSentence,
        "select this sentence",
    ),
    (
        "select-turn",
        Action::SelectTurn,
        "select this speaker turn",
    ),
    (
        "swap-anchor",
        Action::SwapAnchor,
        "move to the other end of the selection",
    ),
    ("cancel", Action::Cancel, "cancel the selection"),
    (
        "assign",
        Action::Assign,
        "code the selection (or the segment here) with a code from the picker",
    ),
    (
        "quick-code-1",
        Action::QuickCode(1),
        "code with recent code 1",
    ),
    (
        "quick-code-2",
        Action::QuickCode(2),
        "code with recent code 2",
    ),
    (
        "quick-code-3",
        Action::QuickCode(3),
        "code with recent code 3",
    ),
    (
        "quick-code-4",
        Action::QuickCode(4),
        "code with recent code 4",
    ),
    (
        "quick-code-5",
        Action::QuickCode(5),
        "code with recent code 5",
    ),
    (
        "quick-code-6",
        Action::QuickCode(6),
        "code with recent code 6",
    ),
    (
        "quick-code-7",
        Action::QuickCode(7),
        "code with recent code 7",
    ),
    (
        "quick-code-8",
        Action::QuickCode(8),
        "code with recent code 8",
    ),
    (
        "quick-code-9",
        Action::QuickCode(9),
        "code with recent code 9",
    ),
    (
        "in-vivo",
        Action::InVivo,
        "in-vivo code: a new code named from the selected words",
    ),
    (
        "remove-code",
        Action::RemoveCode,
        "remove a code from the segment here",
    ),
    (
        "adjust-segment",
        Action::AdjustSegment,
        "adjust the start or end of the segment here (Enter to apply)",
    ),
    (
        "search",
        Action::Search,
        "search the transcripts (this one first)",
    ),
    (
        "search-next",
        Action::SearchNext,
        "next search hit (on into the next transcript)",
    ),
    (
        "search-prev",
        Action::SearchPrev,
        "previous search hit (back into the previous transcript)",
    ),
    ("open", Action::Open, "open the transcript"),
    ("fold", Action::Fold, "fold or unfold a theme"),
    (
        "view-code",
        Action::ViewCode,
        "the Code view: read and code transcripts",
    ),
    (
        "view-codebook",
        Action::ViewCodebook,
        "the Codebook view: organise and define codes",
    ),
    (
        "view-retrieve",
        Action::ViewRetrieve,
        "the Retrieve view: the quotes of a code",
    ),
    ("back", Action::Back, "back to where you came from"),
    (
        "new-child",
        Action::NewChild,
        "new code under the selected one",
    ),
    ("new-theme", Action::NewTheme, "new theme at the top level"),
    ("rename", Action::Rename, "rename"),
    (
        "describe",
        Action::Describe,
        "edit the definition: description, inclusion, exclusion, example",
    ),
    ("recolour", Action::Recolour, "next colour"),
    (
        "cycle-level",
        Action::CycleLevel,
        "change level: theme, sub-theme, code",
    ),
    (
        "edit-tags",
        Action::EditTags,
        "edit tags (enabler, barrier, ...)",
    ),
    (
        "move-code",
        Action::MoveCode,
        "move under another code (or the top level)",
    ),
    ("move-up", Action::MoveUp, "move up among its siblings"),
    (
        "move-down",
        Action::MoveDown,
        "move down among its siblings",
    ),
    (
        "merge",
        Action::Merge,
        "merge into another code (segments carried over)",
    ),
    (
        "delete",
        Action::Delete,
        "delete (its coding moved to a code you choose)",
    ),
    ("retrieve", Action::Retrieve, "show its quotes"),
    ("mark", Action::Mark, "mark or unmark the quote (for split)"),
    (
        "split",
        Action::Split,
        "split the marked quotes off to a new code",
    ),
    (
        "filter-coder",
        Action::FilterCoder,
        "filter by coder (cycles)",
    ),
    (
        "filter-attribute",
        Action::FilterAttribute,
        "filter by an attribute value",
    ),
    ("filter-text", Action::FilterText, "filter by text"),
    (
        "toggle-sort",
        Action::ToggleSort,
        "sort by interview order or by length",
    ),
    (
        "toggle-children",
        Action::ToggleChildren,
        "include the codes below, or only this one",
    ),
    (
        "memo-here",
        Action::MemoHere,
        "write a memo on what is here: the segment, code or transcript",
    ),
    (
        "play",
        Action::Play,
        "play the recording from here (the cursor, or the segment's start)",
    ),
    (
        "journal",
        Action::Journal,
        "write a new reflexive journal entry",
    ),
    (
        "view-memos",
        Action::ViewMemos,
        "the Memos view: every memo, and review",
    ),
    (
        "filter-author",
        Action::FilterAuthor,
        "filter by author (cycles)",
    ),
    (
        "filter-kind",
        Action::FilterKind,
        "filter by kind: journal, code, transcript, segment (cycles)",
    ),
    (
        "filter-review",
        Action::FilterReview,
        "filter: not yet reviewed, reviewed, all (cycles)",
    ),
    (
        "filter-dates",
        Action::FilterDates,
        "filter by date range (YYYY-MM-DD..YYYY-MM-DD)",
    ),
    (
        "toggle-audit",
        Action::ToggleAudit,
        "show the codebook decisions of the audit trail among the memos",
    ),
    ("edit-memo", Action::EditMemo, "edit this memo (yours)"),
    ("comment", Action::Comment, "add a review comment"),
    (
        "toggle-reviewed",
        Action::ToggleReviewed,
        "mark reviewed, or take your mark back",
    ),
    (
        "read-down",
        Action::ReadDown,
        "scroll the memo being read down",
    ),
    ("read-up", Action::ReadUp, "scroll the memo being read up"),
    (
        "mark-done",
        Action::MarkDone,
        "mark your coding of this transcript done (or not)",
    ),
    (
        "view-agreement",
        Action::ViewAgreement,
        "the Agreement view: the sample's figures and disagreements",
    ),
    (
        "view-analysis",
        Action::ViewAnalysis,
        "the Analysis view: saturation and the theme table",
    ),
    ("next-table", Action::NextTable, "the next analysis table"),
    (
        "prev-table",
        Action::PrevTable,
        "the previous analysis table",
    ),
    (
        "run-longer",
        Action::RunLonger,
        "saturation: one more interview without a new code needed",
    ),
    (
        "run-shorter",
        Action::RunShorter,
        "saturation: one fewer interview without a new code needed",
    ),
    (
        "set-exemplar",
        Action::SetExemplar,
        "make this quote the code's exemplar in the theme table (again: clear it)",
    ),
    (
        "cycle-measure",
        Action::CycleMeasure,
        "matrix cells: segments, coded characters or presence",
    ),
    (
        "cycle-by",
        Action::CycleBy,
        "matrix columns: one per transcript, or grouped by each attribute",
    ),
    ("next-item", Action::NextItem, "next disagreement"),
    ("prev-item", Action::PrevItem, "previous disagreement"),
    ("keep-mine", Action::KeepMine, "resolve: keep my coding"),
    (
        "adopt-theirs",
        Action::AdoptTheirs,
        "resolve: adopt the other coder's coding",
    ),
    ("keep-both", Action::KeepBoth, "resolve: keep both codings"),
    ("drop-mine", Action::DropMine, "resolve: drop my coding"),
    (
        "cycle-transcript",
        Action::CycleTranscript,
        "agreement: narrow to one transcript, then the next, then all again",
    ),
    (
        "cycle-pair",
        Action::CyclePair,
        "agreement, round with several second coders: compare the next pair of its coders",
    ),
    (
        "crash-test",
        Action::CrashTest,
        "crash on purpose (to test terminal restoration)",
    ),
];

impl Action {
    pub fn from_name(name: &str) -> Option<Action> {
        ACTIONS
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, a, _)| *a)
    }

    pub fn name(self) -> &'static str {
        ACTIONS
            .iter()
            .find(|(_, a, _)| *a == self)
            .map_or("?", |(n, _, _)| n)
    }

    pub fn help(self) -> &'static str {
        ACTIONS
            .iter()
            .find(|(_, a, _)| *a == self)
            .map_or("", |(_, _, h)| h)
    }
}
