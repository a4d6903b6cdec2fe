//! What the Agreement screen's keys do (its part of `App::update`).

use super::*;
use crate::analysis::agreement::{Comparison, agreement};
use crate::model::{CodeId, CoderId, Edit, Segment, SegmentId};
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay, View};

impl App {
    pub(crate) fn open_agreement_view(&mut self) {
        let project = crate::tui::app::seen_project(&self.ws, &self.seen);
        let Some(sample) = project.meta.sample().cloned() else {
            self.status = "No double-coding sample yet: draw one with `thematic sample`".into();
            return;
        };
        // Only transcripts every coder of the round finished are compared (and so can be
        // resolved).
        let progress = crate::analysis::agreement::round_progress(project, &sample);
        let round = project.meta.rounds.len();
        let pairs = crate::analysis::agreement::round_pairs(&sample);
        // Coming back to the view keeps the pair chosen with `c`.
        let pair = self
            .screens
            .agreement
            .as_ref()
            .filter(|s| s.round == round && s.pairs == pairs)
            .map_or(0, |s| s.pair);
        let Some((a, b)) = pairs.get(pair).cloned() else {
            return;
        };
        let comparison = crate::analysis::agreement::pair_in_round(
            project,
            &sample,
            &a,
            &b,
            progress.finished.clone(),
        );
        let keep = self
            .screens
            .agreement
            .take()
            .filter(|s| s.comparison == comparison);
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
        let state = AgreementState {
            finished: progress.finished,
            pending: progress.pending,
            independent: sample.independent,
            coders,
            pairs,
            pair,
            alpha_all_coders,
            ..state
        };
        self.screens.agreement = Some(state);
        self.enter_view(View::Agreement);
    }

    /// Compares the next pair of the round's coders (a round with several second coders),
    /// over the same transcripts; the figures start again from this pair's.
    fn compare_next_pair(&mut self) {
        let Some(state) = self.screens.agreement.as_ref() else {
            return;
        };
        if state.pairs.len() < 2 {
            self.status = "This round has two coders: there is no other pair to compare".into();
            return;
        }
        let pair = (state.pair + 1) % state.pairs.len();
        let (a, b) = state.pairs[pair].clone();
        let count = state.pairs.len();
        // Same transcripts and codes (those any coder of the round used there).
        let comparison = Comparison {
            coder_a: a.clone(),
            coder_b: b.clone(),
            ..state.comparison.clone()
        };
        let now = agreement(self.project(), &comparison);
        if let Some(state) = self.screens.agreement.as_mut() {
            state.order = worst_first(&now);
            state.before = now.clone();
            state.now = now;
            state.comparison = comparison;
            state.pair = pair;
            state.selected = 0;
            state.walk = None;
        }
        self.status = format!(
            "Comparing {a} (A) and {b} (B): pair {} of {count}",
            pair + 1
        );
    }

    /// Recomputes the figures (and the walk) after a change.
    pub(crate) fn rerun_agreement(&mut self) {
        let Some(state) = self.screens.agreement.as_ref() else {
            return;
        };
        let now = agreement(self.project(), &state.comparison);
        let walk = state.walk.as_ref().map(|(code, _, index)| {
            let items = disagreements(self, &state.comparison, code);
            let index = (*index).min(items.len().saturating_sub(1));
            (code.clone(), items, index)
        });
        // The table stays worst first as figures change, with the same code selected.
        let selected_code = state
            .order
            .get(state.selected)
            .and_then(|&i| state.now.per_code.get(i))
            .map(|c| c.code.clone());
        let order = worst_first(&now);
        let selected = selected_code
            .and_then(|code| order.iter().position(|&i| now.per_code[i].code == code))
            .unwrap_or(state.selected);
        let alpha_all_coders = all_coders_alpha(self.project(), &state.coders, &state.comparison);
        if let Some(state) = self.screens.agreement.as_mut() {
            state.now = now;
            state.walk = walk;
            state.order = order;
            state.selected = selected;
            state.alpha_all_coders = alpha_all_coders;
        }
    }

    /// Narrows the figures and the walk to the next finished transcript, or back to all of
    /// them after the last.
    fn narrow_to_next_transcript(&mut self) {
        let Some(state) = self.screens.agreement.as_ref() else {
            return;
        };
        let all = &state.finished;
        let next = match state.comparison.transcripts.as_slice() {
            [one] if all.len() > 1 => all
                .iter()
                .position(|t| t == one)
                .and_then(|i| all.get(i + 1))
                .cloned(),
            _ => all.first().cloned().filter(|_| all.len() > 1),
        };
        let mut comparison = state.comparison.clone();
        comparison.transcripts = match &next {
            Some(t) => vec![t.clone()],
            None => all.clone(),
        };
        if state.coders.len() > 2 {
            // As a round's pairs are compared: on the codes any of its coders used here.
            let coders: Vec<&CoderId> = state.coders.iter().collect();
            comparison.codes = Some(crate::analysis::agreement::codes_used(
                self.project(),
                &coders,
                &comparison.transcripts,
            ));
        }
        let now = agreement(self.project(), &comparison);
        let alpha_all_coders = all_coders_alpha(self.project(), &state.coders, &comparison);
        self.status = match &next {
            Some(t) => format!("Only {t}: its figures and disagreements"),
            None => format!("All {} finished transcripts", all.len()),
        };
        if let Some(state) = self.screens.agreement.as_mut() {
            state.order = worst_first(&now);
            state.before = now.clone();
            state.now = now;
            state.comparison = comparison;
            state.selected = 0;
            state.walk = None;
            state.alpha_all_coders = alpha_all_coders;
        }
    }

    /// From the last disagreement of a code, on to the next code (worst first) that has any.
    fn walk_next_code(&mut self) {
        let Some(state) = self.screens.agreement.as_ref() else {
            return;
        };
        let comparison = state.comparison.clone();
        let candidates: Vec<(usize, CodeId)> = state
            .order
            .iter()
            .enumerate()
            .skip(state.selected + 1)
            .map(|(row, &i)| (row, state.now.per_code[i].code.clone()))
            .collect();
        for (row, code) in candidates {
            let items = disagreements(self, &comparison, &code);
            if !items.is_empty() {
                let name = self.code_name(&code);
                let count = items.len();
                if let Some(state) = self.screens.agreement.as_mut() {
                    state.selected = row;
                    state.walk = Some((code, items, 0));
                }
                self.status = format!("Next code with disagreements: {name} ({count})");
                return;
            }
        }
        self.status = "That was the last disagreement: no code after this one has any".into();
    }

    pub(crate) fn agreement_action(&mut self, action: Action) {
        let Some(state) = self.screens.agreement.as_mut() else {
            return;
        };
        if let Some((_, items, index)) = state.walk.as_mut() {
            match action {
                Action::Down | Action::NextItem if *index + 1 >= items.len() => {
                    self.walk_next_code()
                }
                Action::Down | Action::NextItem => *index += 1,
                Action::Up | Action::PrevItem => *index = index.saturating_sub(1),
                Action::Cancel | Action::Back => state.walk = None,
                Action::KeepMine => self.resolve(Resolution::KeepMine),
                Action::AdoptTheirs => self.resolve(Resolution::AdoptTheirs),
                Action::KeepBoth => self.resolve(Resolution::KeepBoth),
                Action::DropMine => self.resolve(Resolution::DropMine),
                Action::MemoHere => self.memo_on_disagreement(),
                _ => {}
            }
            return;
        }
        let len = state.order.len();
        match action {
            Action::CycleTranscript => self.narrow_to_next_transcript(),
            Action::CyclePair => self.compare_next_pair(),
            Action::Up => state.selected = state.selected.saturating_sub(1),
            Action::Down => state.selected = (state.selected + 1).min(len.saturating_sub(1)),
            Action::Start => state.selected = 0,
            Action::End => state.selected = len.saturating_sub(1),
            Action::Open => {
                let Some(&i) = state.order.get(state.selected) else {
                    return;
                };
                let code = state.now.per_code[i].code.clone();
                let comparison = state.comparison.clone();
                let items = disagreements(self, &comparison, &code);
                if items.is_empty() {
                    self.status = "No disagreements on this code".into();
                    return;
                }
                let count = items.len();
                if let Some(state) = self.screens.agreement.as_mut() {
                    state.walk = Some((code, items, 0));
                }
                self.status = format!(
                    "{count} disagreement(s): {}",
                    crate::tui::hints::render(
                        &self.keymap,
                        crate::tui::keymap::Context::Agreement,
                        crate::tui::hints::AGREEMENT_WALK
                    )
                );
            }
            _ => {}
        }
    }

    fn current_disagreement(&self) -> Option<(CodeId, Disagreement)> {
        let (code, items, index) = self.screens.agreement.as_ref()?.walk.as_ref()?;
        Some((code.clone(), items.get(*index)?.clone()))
    }

    /// My segments and theirs in the current disagreement.
    fn sides(&self, d: &Disagreement) -> Option<(Vec<Segment>, Vec<Segment>, CoderId)> {
        let cmp = &self.screens.agreement.as_ref()?.comparison;
        if self.coder == cmp.coder_a {
            Some((d.a.clone(), d.b.clone(), cmp.coder_b.clone()))
        } else if self.coder == cmp.coder_b {
            Some((d.b.clone(), d.a.clone(), cmp.coder_a.clone()))
        } else {
            None
        }
    }

    fn resolve(&mut self, how: Resolution) {
        let Some((code, d)) = self.current_disagreement() else {
            return;
        };
        let Some((mine, theirs, other)) = self.sides(&d) else {
            let mut status =
                "Only the two coders being compared can resolve their disagreements".to_string();
            if self
                .screens
                .agreement
                .as_ref()
                .is_some_and(|s| s.pairs.len() > 1)
            {
                status.push_str(&format!(
                    " ({} compares another pair)",
                    crate::tui::hints::keys(
                        &self.keymap,
                        crate::tui::keymap::Context::Agreement,
                        &[Action::CyclePair]
                    )
                ));
            }
            self.status = status;
            return;
        };
        let name = self.code_name(&code);
        let now = jiff::Timestamp::now();
        let me = self.coder.clone();
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
                let Some(t) = self.project().transcript(&d.transcript) else {
                    return;
                };
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
        if let Some(state) = self.screens.agreement.as_mut() {
            state.resolved.push((
                code.clone(),
                d.transcript.clone(),
                d.start,
                d.end,
                what.clone(),
            ));
        }
        if edits.is_empty() {
            self.ws.note(&decision, vec![code]);
            self.status = format!("Resolved: {what} (recorded)");
        } else if !self.apply(
            // Recorded in the audit trail by the workspace, as its undo and redo are.
            Edit::Batch {
                label: decision,
                edits,
            },
            &format!("Resolved: {what}"),
        ) {
            return;
        }
        self.rerun_agreement();
        if let Some((_, items, index)) = self
            .screens
            .agreement
            .as_mut()
            .and_then(|s| s.walk.as_mut())
        {
            // Kept decisions stay in the list; move on to the next.
            if matches!(how, Resolution::KeepMine | Resolution::KeepBoth) {
                *index = (*index + 1).min(items.len().saturating_sub(1));
            }
        }
    }

    pub(crate) fn memo_on_disagreement(&mut self) {
        let Some((_, d)) = self.current_disagreement() else {
            self.status = "Open a code's disagreements first (Enter)".into();
            return;
        };
        let Some(cmp) = self
            .screens
            .agreement
            .as_ref()
            .map(|s| s.comparison.clone())
        else {
            return;
        };
        let (coder, segment) = match (d.a.first(), d.b.first()) {
            (Some(s), _) => (cmp.coder_a, s),
            (None, Some(s)) => (cmp.coder_b, s),
            _ => return,
        };
        let segment = (coder, segment);
        let coder = segment.0.clone();
        let link = crate::model::MemoLink::Segment(crate::model::SegmentRef {
            transcript: d.transcript.clone(),
            coder,
            id: segment.1.id.clone(),
        });
        let about = format!(
            "the disagreement in {} [{}, {})",
            d.transcript, d.start, d.end
        );
        self.overlay = Overlay::Memo(Box::new(
            crate::tui::overlays::memo_editor::MemoEditor::linked(link, about),
        ));
    }
}
