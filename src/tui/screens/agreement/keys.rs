//! What the Agreement screen's keys do, through the screens' interface (as the Analysis
//! screen's): [`AgreementState::update`] changes the screen's own state and the status line
//! and hands `App` a [`Request`] for what reaches past the screen: the edit or audit note
//! that records a resolution, the memo editor on a disagreement.

use super::*;
use crate::analysis::agreement::{Comparison, agreement};
use crate::model::{CodeId, CoderId, Edit, Segment, SegmentId};
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay, View};
use crate::tui::screens::{Request, Shared};

impl App {
    pub(crate) fn open_agreement_view(&mut self) {
        let (mut shared, screens) = self.shared_and_screens();
        if AgreementState::open(&mut shared, &mut screens.agreement) {
            self.enter_view(View::Agreement);
        }
    }

    /// Recomputes the figures (and the walk) after a change.
    pub(crate) fn rerun_agreement(&mut self) {
        let (shared, screens) = self.shared_and_screens();
        if let Some(state) = screens.agreement.as_mut() {
            state.rerun(&shared);
        }
    }

    pub(crate) fn agreement_action(&mut self, action: Action) {
        let (mut shared, screens) = self.shared_and_screens();
        let Some(state) = screens.agreement.as_mut() else {
            return;
        };
        if let Some(request) = state.update(&mut shared, action) {
            self.carry_out(request);
        }
    }

    /// A memo on the disagreement shown (also the memo key's meaning in the walk).
    pub(crate) fn memo_on_disagreement(&mut self) {
        let (mut shared, screens) = self.shared_and_screens();
        let request = match screens.agreement.as_ref() {
            Some(state) => state.memo_on_disagreement(&mut shared),
            None => {
                *shared.status = NO_WALK.into();
                None
            }
        };
        if let Some(request) = request {
            self.carry_out(request);
        }
    }
}

const NO_WALK: &str = "Open a code's disagreements first (Enter)";

impl AgreementState {
    /// Opens the screen on the current round into `slot`, keeping what was there if it
    /// compares the same thing (and the pair chosen with `c` if the round is the same).
    /// False, with the status line saying why when there is a reason to give, when there is
    /// nothing to compare.
    pub fn open(shared: &mut Shared, slot: &mut Option<AgreementState>) -> bool {
        let project = shared.project;
        let Some(sample) = project.meta.sample().cloned() else {
            *shared.status = "No double-coding sample yet: draw one with `thematic sample`".into();
            return false;
        };
        // Only transcripts every coder of the round finished are compared (and so can be
        // resolved).
        let progress = crate::analysis::agreement::round_progress(project, &sample);
        let round = project.meta.rounds.len();
        let pairs = crate::analysis::agreement::round_pairs(&sample);
        // Coming back to the view keeps the pair chosen with `c`.
        let pair = slot
            .as_ref()
            .filter(|s| s.round == round && s.pairs == pairs)
            .map_or(0, |s| s.pair);
        let Some((a, b)) = pairs.get(pair).cloned() else {
            return false;
        };
        let comparison = crate::analysis::agreement::pair_in_round(
            project,
            &sample,
            &a,
            &b,
            progress.finished.clone(),
        );
        let keep = slot.take().filter(|s| s.comparison == comparison);
        let state = keep.unwrap_or_else(|| {
            let before = agreement(project, &comparison);
            AgreementState {
                order: worst_first(&before),
                now: before.clone(),
                before,
                comparison,
                selected: 0,
                walk: None,
                pending: Vec::new(),
                independent: None,
                round,
                resolved: Vec::new(),
                finished: Vec::new(),
                coders: Vec::new(),
                pairs: Vec::new(),
                pair,
                alpha_all_coders: None,
            }
        });
        let coders: Vec<CoderId> = sample.coders().into_iter().cloned().collect();
        let alpha_all_coders = all_coders_alpha(project, &coders, &state.comparison);
        *slot = Some(AgreementState {
            finished: progress.finished,
            pending: progress.pending,
            independent: sample.independent,
            coders,
            pairs,
            pair,
            alpha_all_coders,
            ..state
        });
        true
    }

    /// Carries out one of the Agreement screen's keys; returns what `App` must do, if
    /// anything.
    pub fn update(&mut self, shared: &mut Shared, action: Action) -> Option<Request> {
        if let Some((_, items, index)) = self.walk.as_mut() {
            match action {
                Action::Down | Action::NextItem if *index + 1 >= items.len() => {
                    self.walk_next_code(shared)
                }
                Action::Down | Action::NextItem => *index += 1,
                Action::Up | Action::PrevItem => *index = index.saturating_sub(1),
                Action::Cancel | Action::Back => self.walk = None,
                Action::KeepMine => return self.resolve(shared, Resolution::KeepMine),
                Action::AdoptTheirs => return self.resolve(shared, Resolution::AdoptTheirs),
                Action::KeepBoth => return self.resolve(shared, Resolution::KeepBoth),
                Action::DropMine => return self.resolve(shared, Resolution::DropMine),
                Action::MemoHere => return self.memo_on_disagreement(shared),
                _ => {}
            }
            return None;
        }
        let len = self.order.len();
        match action {
            Action::CycleTranscript => self.narrow_to_next_transcript(shared),
            Action::CyclePair => self.compare_next_pair(shared),
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(len.saturating_sub(1)),
            Action::Start => self.selected = 0,
            Action::End => self.selected = len.saturating_sub(1),
            Action::Open => self.open_walk(shared),
            _ => {}
        }
        None
    }

    /// The disagreements of the selected code, the first one shown.
    fn open_walk(&mut self, shared: &mut Shared) {
        let Some(&i) = self.order.get(self.selected) else {
            return;
        };
        let code = self.now.per_code[i].code.clone();
        let items = disagreements(shared.project, &self.comparison, &code);
        if items.is_empty() {
            *shared.status = "No disagreements on this code".into();
            return;
        }
        let count = items.len();
        self.walk = Some((code, items, 0));
        *shared.status = format!(
            "{count} disagreement(s): {}",
            crate::tui::hints::render(
                shared.keymap,
                crate::tui::keymap::Context::Agreement,
                crate::tui::hints::AGREEMENT_WALK
            )
        );
    }

    /// Compares the next pair of the round's coders (a round with several second coders),
    /// over the same transcripts; the figures start again from this pair's.
    fn compare_next_pair(&mut self, shared: &mut Shared) {
        if self.pairs.len() < 2 {
            *shared.status = "This round has two coders: there is no other pair to compare".into();
            return;
        }
        let pair = (self.pair + 1) % self.pairs.len();
        let (a, b) = self.pairs[pair].clone();
        let count = self.pairs.len();
        // Same transcripts and codes (those any coder of the round used there).
        let comparison = Comparison {
            coder_a: a.clone(),
            coder_b: b.clone(),
            ..self.comparison.clone()
        };
        let now = agreement(shared.project, &comparison);
        self.order = worst_first(&now);
        self.before = now.clone();
        self.now = now;
        self.comparison = comparison;
        self.pair = pair;
        self.selected = 0;
        self.walk = None;
        *shared.status = format!(
            "Comparing {a} (A) and {b} (B): pair {} of {count}",
            pair + 1
        );
    }

    /// Recomputes the figures (and the walk) after a change.
    pub fn rerun(&mut self, shared: &Shared) {
        let project = shared.project;
        let now = agreement(project, &self.comparison);
        let walk = self.walk.as_ref().map(|(code, _, index)| {
            let items = disagreements(project, &self.comparison, code);
            let index = (*index).min(items.len().saturating_sub(1));
            (code.clone(), items, index)
        });
        // The table stays worst first as figures change, with the same code selected.
        let selected_code = self
            .order
            .get(self.selected)
            .and_then(|&i| self.now.per_code.get(i))
            .map(|c| c.code.clone());
        let order = worst_first(&now);
        let selected = selected_code
            .and_then(|code| order.iter().position(|&i| now.per_code[i].code == code))
            .unwrap_or(self.selected);
        self.alpha_all_coders = all_coders_alpha(project, &self.coders, &self.comparison);
        self.now = now;
        self.walk = walk;
        self.order = order;
        self.selected = selected;
    }

    /// Narrows the figures and the walk to the next finished transcript, or back to all of
    /// them after the last.
    fn narrow_to_next_transcript(&mut self, shared: &mut Shared) {
        let project = shared.project;
        let all = &self.finished;
        let next = match self.comparison.transcripts.as_slice() {
            [one] if all.len() > 1 => all
                .iter()
                .position(|t| t == one)
                .and_then(|i| all.get(i + 1))
                .cloned(),
            _ => all.first().cloned().filter(|_| all.len() > 1),
        };
        let mut comparison = self.comparison.clone();
        comparison.transcripts = match &next {
            Some(t) => vec![t.clone()],
            None => all.clone(),
        };
        if self.coders.len() > 2 {
            // As a round's pairs are compared: on the codes any of its coders used here.
            let coders: Vec<&CoderId> = self.coders.iter().collect();
            comparison.codes = Some(crate::analysis::agreement::codes_used(
                project,
                &coders,
                &comparison.transcripts,
            ));
        }
        let now = agreement(project, &comparison);
        let alpha_all_coders = all_coders_alpha(project, &self.coders, &comparison);
        *shared.status = match &next {
            Some(t) => format!("Only {t}: its figures and disagreements"),
            None => format!("All {} finished transcripts", all.len()),
        };
        self.order = worst_first(&now);
        self.before = now.clone();
        self.now = now;
        self.comparison = comparison;
        self.selected = 0;
        self.walk = None;
        self.alpha_all_coders = alpha_all_coders;
    }

    /// From the last disagreement of a code, on to the next code (worst first) that has any.
    fn walk_next_code(&mut self, shared: &mut Shared) {
        let project = shared.project;
        let candidates = self
            .order
            .iter()
            .enumerate()
            .skip(self.selected + 1)
            .map(|(row, &i)| (row, &self.now.per_code[i].code));
        for (row, code) in candidates {
            let items = disagreements(project, &self.comparison, code);
            if !items.is_empty() {
                let name = project.codebook.name_or_id(code);
                let count = items.len();
                self.walk = Some((code.clone(), items, 0));
                self.selected = row;
                *shared.status = format!("Next code with disagreements: {name} ({count})");
                return;
            }
        }
        *shared.status = "That was the last disagreement: no code after this one has any".into();
    }

    fn current_disagreement(&self) -> Option<(CodeId, Disagreement)> {
        let (code, items, index) = self.walk.as_ref()?;
        Some((code.clone(), items.get(*index)?.clone()))
    }

    /// My segments and theirs in the current disagreement.
    fn sides(
        &self,
        me: &CoderId,
        d: &Disagreement,
    ) -> Option<(Vec<Segment>, Vec<Segment>, CoderId)> {
        let cmp = &self.comparison;
        if me == &cmp.coder_a {
            Some((d.a.clone(), d.b.clone(), cmp.coder_b.clone()))
        } else if me == &cmp.coder_b {
            Some((d.b.clone(), d.a.clone(), cmp.coder_a.clone()))
        } else {
            None
        }
    }

    /// Resolves the disagreement shown: recorded here (so the walk marks it), and asked of
    /// `App` as the edit that changes this coder's segments or, when none change, as a note
    /// in the audit trail. A kept disagreement stays in the walk, which moves on past it.
    fn resolve(&mut self, shared: &mut Shared, how: Resolution) -> Option<Request> {
        let (code, d) = self.current_disagreement()?;
        let Some((mine, theirs, other)) = self.sides(shared.coder, &d) else {
            let mut status =
                "Only the two coders being compared can resolve their disagreements".to_string();
            if self.pairs.len() > 1 {
                status.push_str(&format!(
                    " ({} compares another pair)",
                    crate::tui::hints::keys(
                        shared.keymap,
                        crate::tui::keymap::Context::Agreement,
                        &[Action::CyclePair]
                    )
                ));
            }
            *shared.status = status;
            return None;
        };
        let name = shared.project.codebook.name_or_id(&code);
        let now = jiff::Timestamp::now();
        let me = shared.coder.clone();
        let without_code = |s: &Segment| -> Edit {
            if s.codes.len() == 1 {
                Edit::RemoveSegment {
                    coder: me.clone(),
                    transcript: d.transcript.clone(),
                    segment: s.clone(),
                }
            } else {
                let mut after = s.clone();
                after.codes.retain(|c| c != &code);
                after.updated = Some(now);
                Edit::UpdateSegment {
                    coder: me.clone(),
                    transcript: d.transcript.clone(),
                    before: s.clone(),
                    after,
                }
            }
        };
        let (edits, what): (Vec<Edit>, String) = match how {
            Resolution::KeepMine => (Vec::new(), format!("kept {me}'s coding")),
            Resolution::KeepBoth => (Vec::new(), "kept both codings".into()),
            Resolution::DropMine => (
                mine.iter().map(&without_code).collect(),
                format!("dropped {me}'s coding"),
            ),
            Resolution::AdoptTheirs => {
                // My coding of the passage becomes theirs: mine goes, theirs is copied.
                let mut edits: Vec<Edit> = mine.iter().map(&without_code).collect();
                let t = shared.project.transcript(&d.transcript)?;
                for s in &theirs {
                    let text = t.slice(s.start, s.end).unwrap_or("").to_string();
                    edits.push(Edit::AddSegment {
                        coder: me.clone(),
                        transcript: d.transcript.clone(),
                        segment: Segment {
                            id: SegmentId::random(),
                            start: s.start,
                            end: s.end,
                            codes: vec![code.clone()],
                            text,
                            created: now,
                            updated: None,
                        },
                    });
                }
                (edits, format!("adopted {other}'s coding"))
            }
        };
        let decision = format!(
            "{} on {name:?} in {} [{}, {}): {what}",
            crate::model::audit::RESOLUTION,
            d.transcript,
            d.start,
            d.end
        );
        self.resolved.push((
            code.clone(),
            d.transcript.clone(),
            d.start,
            d.end,
            what.clone(),
        ));
        if !edits.is_empty() {
            // Recorded in the audit trail by the workspace, as its undo and redo are; the
            // walk is recomputed when App refreshes after the edit.
            return Some(Request::Apply {
                edit: Box::new(Edit::Batch {
                    label: decision,
                    edits,
                }),
                done: format!("Resolved: {what}"),
            });
        }
        // Kept decisions stay in the list (the coding is as it was); move on to the next.
        if let (Resolution::KeepMine | Resolution::KeepBoth, Some((_, items, index))) =
            (how, self.walk.as_mut())
        {
            *index = (*index + 1).min(items.len().saturating_sub(1));
        }
        Some(Request::Note {
            decision,
            codes: vec![code],
            done: format!("Resolved: {what} (recorded)"),
        })
    }

    /// The memo editor, linked to the first segment of the disagreement shown.
    fn memo_on_disagreement(&self, shared: &mut Shared) -> Option<Request> {
        let Some((_, d)) = self.current_disagreement() else {
            *shared.status = NO_WALK.into();
            return None;
        };
        let cmp = &self.comparison;
        let (coder, segment) = match (d.a.first(), d.b.first()) {
            (Some(s), _) => (cmp.coder_a.clone(), s),
            (None, Some(s)) => (cmp.coder_b.clone(), s),
            _ => return None,
        };
        let link = crate::model::MemoLink::Segment(crate::model::SegmentRef {
            transcript: d.transcript.clone(),
            coder,
            id: segment.id.clone(),
        });
        let about = format!(
            "the disagreement in {} [{}, {})",
            d.transcript, d.start, d.end
        );
        Some(Request::Overlay(Box::new(Overlay::Memo(Box::new(
            crate::tui::overlays::memo_editor::MemoEditor::linked(link, about),
        )))))
    }
}
