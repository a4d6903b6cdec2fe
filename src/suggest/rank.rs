//! Ranking: a code's query from its quotes (relevance-weighted words), each sentence scored
//! with its neighbours, the best not coded or turned down picked; and the consistency view.

use super::index::runs;
use super::quotes::QuoteWords;
use super::{
    Ask, CONTEXT_WEIGHT, Overlap, QUERY_TERMS, SuggestIndex, Suggestion, TELLING_WEIGHT, Words,
    closest_quote, frequencies, saturated,
};
use crate::model::{CodeId, CoderId, Project};
use bm25::Tokenizer;
use std::collections::HashMap;

impl SuggestIndex {
    /// Suggestions for `code` to `coder`, best first, from the `project` as the coder sees
    /// it (blind double coding stays blind: pass the seen project).
    pub fn suggest(
        &self,
        project: &Project,
        coder: &CoderId,
        code: &CodeId,
        ask: &Ask,
    ) -> Vec<Suggestion> {
        let query = self.query(project, coder, code);
        if query.is_empty() {
            return Vec::new();
        }
        let own_scores = self.score(&query);
        let mut ranked: Vec<(f32, usize)> = Vec::new();
        let wanted: Vec<bool> = self
            .transcripts
            .iter()
            .map(|t| ask.transcripts.is_empty() || ask.transcripts.contains(t))
            .collect();
        let coded = self.coded(project, coder, code);
        for (i, sentence) in self.sentences.iter().enumerate() {
            if own_scores[i] <= 0.0
                || sentence.interviewer
                || !wanted[sentence.transcript]
                || coded[i]
            {
                continue;
            }
            let neighbour = |j: Option<usize>| {
                j.filter(|&j| {
                    self.sentences
                        .get(j)
                        .is_some_and(|s| s.transcript == sentence.transcript)
                })
                .map_or(0.0, |j| own_scores[j])
            };
            let score = own_scores[i]
                + CONTEXT_WEIGHT * (neighbour(i.checked_sub(1)) + neighbour(Some(i + 1)));
            ranked.push((score, i));
        }
        // Best first; ties in reading order, so the result is the same on every run. Only
        // the best few are sorted (most of the study scores above zero); when rejections or
        // the cap per transcript use them up, more are.
        let order = |a: &(f32, usize), b: &(f32, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        let mut head = (ask.limit + ask.rejected.len())
            .saturating_mul(4)
            .saturating_add(64);
        loop {
            if head < ranked.len() {
                ranked.select_nth_unstable_by(head, order);
                ranked[..head].sort_unstable_by(order);
            } else {
                ranked.sort_unstable_by(order);
                head = ranked.len();
            }
            let found = self.pick(project, &query, ask, &ranked[..head]);
            if found.len() >= ask.limit || head == ranked.len() {
                return found;
            }
            head = head.saturating_mul(4);
        }
    }

    /// The first `ask.limit` of `ranked` (best first) that are not turned down, at most
    /// `ask.per_transcript` from one transcript.
    fn pick(
        &self,
        project: &Project,
        query: &Query,
        ask: &Ask,
        ranked: &[(f32, usize)],
    ) -> Vec<Suggestion> {
        let mut per_transcript: HashMap<usize, usize> = HashMap::new();
        let mut found = Vec::new();
        for &(score, i) in ranked {
            if found.len() >= ask.limit {
                break;
            }
            let sentence = &self.sentences[i];
            let Some(t) = project.transcript(&self.transcripts[sentence.transcript]) else {
                continue;
            };
            let Some(text) = t.slice(sentence.start, sentence.end) else {
                continue;
            };
            if ask.rejected.iter().any(|r| {
                r.transcript == t.id
                    && (r.text == text || (r.start, r.end) == (sentence.start, sentence.end))
            }) {
                continue;
            }
            let count = per_transcript.entry(sentence.transcript).or_default();
            if ask.per_transcript > 0 && *count >= ask.per_transcript {
                continue;
            }
            *count += 1;
            found.push(Suggestion {
                transcript: t.id.clone(),
                start: sentence.start,
                end: sentence.end,
                text: text.to_string(),
                score: (f64::from(score) * 1000.0).round() / 1000.0,
                terms: self.terms_in(query, text),
            });
        }
        found
    }

    /// The consistency view: passages coded with *other* codes (by anyone whose work is in
    /// `project`, the seen project) that most resemble `code`'s quotes, each beside the quote
    /// of `code` it is most like: possible overlaps between codes, best first.
    pub fn overlaps(
        &self,
        project: &Project,
        coder: &CoderId,
        code: &CodeId,
        limit: usize,
    ) -> Vec<Overlap> {
        let query = self.query(project, coder, code);
        if query.is_empty() {
            return Vec::new();
        }
        let quotes: Vec<&str> = project
            .all_segments()
            .filter(|(_, _, s)| s.codes.contains(code))
            .map(|(_, _, s)| s.text.as_str())
            .collect();
        let mut found: Vec<Overlap> = Vec::new();
        for (who, t, segment) in project.all_segments() {
            if segment.codes.contains(code) {
                continue;
            }
            let score = self.text_score(&query, &segment.text);
            if score <= 0.0 {
                continue;
            }
            found.push(Overlap {
                transcript: t.clone(),
                start: segment.start,
                end: segment.end,
                coder: who.clone(),
                codes: segment.codes.clone(),
                text: segment.text.clone(),
                score: (f64::from(score) * 1000.0).round() / 1000.0,
                terms: self.terms_in(&query, &segment.text),
                like: String::new(),
            });
        }
        found.sort_by(|a, b| {
            b.score.total_cmp(&a.score).then_with(|| {
                (&a.transcript, a.start, &a.coder).cmp(&(&b.transcript, b.start, &b.coder))
            })
        });
        found.truncate(limit);
        for overlap in &mut found {
            overlap.like = closest_quote(&quotes, &overlap.text).to_string();
        }
        found
    }

    /// `text` scored by `query`, as a sentence of the study would be.
    fn text_score(&self, query: &Query, text: &str) -> f32 {
        let tokens = Words::default().tokenize(text);
        let mut score = 0.0;
        for (token, frequency) in
            frequencies(&tokens.iter().map(String::as_str).collect::<Vec<_>>())
        {
            if let Some(term) = query.terms.iter().find(|t| t.key == token) {
                score += term.weight * saturated(frequency, tokens.len(), self.avgdl);
            }
        }
        score
    }

    /// Whether each sentence overlaps text `coder` coded with `code`.
    fn coded(&self, project: &Project, coder: &CoderId, code: &CodeId) -> Vec<bool> {
        let mut coded = vec![false; self.sentences.len()];
        let mut first = 0;
        for (number, id) in self.transcripts.iter().enumerate() {
            let segments: Vec<_> = project
                .segments(coder, id)
                .iter()
                .filter(|s| s.codes.contains(code))
                .collect();
            let count = self.sentences[first..]
                .iter()
                .take_while(|s| s.transcript == number)
                .count();
            if !segments.is_empty() {
                for (i, sentence) in self.sentences[first..first + count].iter().enumerate() {
                    coded[first + i] = segments
                        .iter()
                        .any(|s| s.overlaps(sentence.start, sentence.end));
                }
            }
            first += count;
        }
        coded
    }

    /// Each sentence's own score for `query`: one pass over every sentence's words. A
    /// sentence's score adds its query words' weights in the query's order, each saturated by
    /// its frequency (the same sums, in the same order, as scoring through postings would).
    fn score(&self, query: &Query) -> Vec<f32> {
        const NONE: u32 = u32::MAX;
        // Word number -> its first query term, and each term -> the next with that word.
        let mut first = vec![NONE; self.vocabulary.len()];
        let mut next = vec![NONE; query.terms.len()];
        for (t, term) in query.terms.iter().enumerate().rev() {
            if let Some(slot) = term.id.and_then(|id| first.get_mut(id as usize)) {
                next[t] = *slot;
                *slot = t as u32;
            }
        }
        // A share of the transcripts per core; each sentence's score is its own, so the
        // result does not depend on the shares.
        let shares = crate::parallel::per_share(&self.texts, 16, |texts| {
            let mut scores = Vec::new();
            let mut found: Vec<(u32, f32)> = Vec::new();
            for text in texts {
                for (_, said) in text.each() {
                    found.clear();
                    for (word, frequency) in runs(said) {
                        let mut t = first[word as usize];
                        if t == NONE {
                            continue;
                        }
                        let weight = saturated(frequency, said.len(), self.avgdl);
                        while t != NONE {
                            found.push((t, weight));
                            t = next[t as usize];
                        }
                    }
                    found.sort_unstable_by_key(|(t, _)| *t);
                    let mut score = 0.0f32;
                    for &(t, saturated) in &found {
                        score += query.terms[t as usize].weight * saturated;
                    }
                    scores.push(score);
                }
            }
            scores
        });
        shares.concat()
    }

    /// The query's words found in `text`, heaviest first, as the text spells them.
    fn terms_in(&self, query: &Query, text: &str) -> Vec<String> {
        let whole = Words { stem: 0 }.tokenize(text);
        let stems = Words::default().tokenize(text);
        let mut found: Vec<(&QueryTerm, &String)> = query
            .terms
            .iter()
            .filter_map(|t| Some((t, &whole[stems.iter().position(|s| s == &t.word)?])))
            .collect();
        found.sort_by(|a, b| b.0.weight.total_cmp(&a.0.weight).then(a.1.cmp(b.1)));
        found.dedup_by(|a, b| a.1 == b.1);
        // Words at least e times likelier in the quotes than in the study explain; the
        // rest only nudge the score. At least the heaviest is named.
        let telling = found
            .iter()
            .filter(|(t, _)| t.weight >= TELLING_WEIGHT)
            .count()
            .max(1);
        found
            .into_iter()
            .take(telling.min(6))
            .map(|(_, w)| w.clone())
            .collect()
    }

    /// The weighted words of `code`'s quotes: the coder's own, or when they have none yet,
    /// every quote of the code in `project` (the seen project, so nothing blind leaks). The
    /// coder's quotes of other codes are the counter-examples.
    fn query(&self, project: &Project, coder: &CoderId, code: &CodeId) -> Query {
        let mut own: Vec<&str> = Vec::new();
        let mut others: Vec<&str> = Vec::new();
        for s in project
            .codings()
            .get(coder)
            .into_iter()
            .flat_map(|by_transcript| by_transcript.values().flatten())
        {
            if s.codes.contains(code) {
                own.push(&s.text);
            } else {
                others.push(&s.text);
            }
        }
        if own.is_empty() {
            own = project
                .all_segments()
                .filter(|(_, _, s)| s.codes.contains(code))
                .map(|(_, _, s)| s.text.as_str())
                .collect();
        }
        // The code's own words: its name, description and inclusion criteria, each read as
        // one more quote. What the researcher wrote the code is about says what its quotes
        // share better than the quotes' incidental words (it raised recall on both studies
        // evaluated, docs/autocode.md). Only beside quotes: a code never used suggests nothing.
        let definition: Vec<&str> = project
            .codebook
            .get(code)
            .map(|c| {
                vec![
                    c.name.as_str(),
                    c.description.as_str(),
                    c.inclusion.as_str(),
                ]
            })
            .unwrap_or_default();
        if !own.is_empty() {
            own.extend(definition.into_iter().filter(|t| !t.trim().is_empty()));
        }
        // Sentence by sentence, as the study is indexed: a quote of several sentences holds
        // "the" and "I" almost surely, which says nothing about the code.
        let mut quotes = self
            .quotes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (uses, relevant) = quotes.uses(&self.vocabulary, &own);
        let (other_uses, others) = quotes.uses(&self.vocabulary, &others);
        let query = self.query_from(&quotes, &uses, relevant, &other_uses, others);
        quotes.forget_unused();
        query
    }

    /// Relevance-weighted words of the quotes (Robertson and Sparck Jones 1976: the quotes
    /// are the relevant set, and a word's weight compares how often quotes use it with how
    /// often the study's sentences do, and the quotes of other codes). `uses` and
    /// `other_uses` count the sentences using each of `words`, of `relevant` and `others`.
    fn query_from(
        &self,
        words: &QuoteWords,
        uses: &[u32],
        relevant: usize,
        other_uses: &[u32],
        others: usize,
    ) -> Query {
        let relevant = relevant as f32;
        let collection = self.sentences.len() as f32;
        let mut terms: Vec<(f32, QueryTerm)> = Vec::new();
        for (number, &r) in uses.iter().enumerate() {
            if r == 0 {
                continue;
            }
            let word = words.word(&self.vocabulary, number as u32);
            let (id, key) = self.number_of(word);
            if key.is_empty() {
                continue;
            }
            let r = r as f32;
            let n = (self.document_frequency(id) as f32).max(r);
            let odds = (r + 0.5) / (relevant - r + 0.5);
            let mut weight =
                (odds / ((n - r + 0.5) / (collection - n - relevant + r + 0.5).max(0.5))).ln();
            if others > 0 {
                let s = other_uses.get(number).copied().unwrap_or(0) as f32;
                let against = (s + 0.5) / (others as f32 - s + 0.5);
                weight += (odds / against).ln().min(0.0);
            }
            if weight > 0.0 {
                terms.push((
                    r * weight,
                    QueryTerm {
                        id,
                        key,
                        word: word.to_string(),
                        weight,
                    },
                ));
            }
        }
        terms.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.word.cmp(&b.1.word)));
        terms.truncate(QUERY_TERMS);
        Query {
            terms: terms.into_iter().map(|(_, t)| t).collect(),
        }
    }
}

struct QueryTerm {
    /// The study's number for `key` (none when no sentence of the study holds it).
    id: Option<u32>,
    /// The word as the index reads it (`word` read again: nearly always `word` itself).
    key: String,
    word: String,
    weight: f32,
}

struct Query {
    terms: Vec<QueryTerm>,
}

impl Query {
    fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}
