//! Counts per codebook node, and names that look like duplicates.

use crate::model::{CodeId, Codebook, CoderId, Project, TranscriptId};
use serde::Serialize;
use std::collections::HashMap;

/// Which coders' segments count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Coders {
    #[default]
    All,
    Only(Vec<CoderId>),
}

impl Coders {
    pub fn includes(&self, coder: &CoderId) -> bool {
        match self {
            Coders::All => true,
            Coders::Only(list) => list.contains(coder),
        }
    }
}

/// How much one node is used. "Own" counts segments carrying the node itself; the others
/// count segments carrying it or a node below it that rolls up to it (of its level or a
/// lower one; see `tables::rolls_up_to`), each segment once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct NodeCounts {
    pub own_segments: usize,
    pub own_transcripts: usize,
    pub segments: usize,
    pub transcripts: usize,
}

impl NodeCounts {
    /// Share of all transcripts with at least one such segment, in percent; undefined
    /// (None) when there are no transcripts.
    pub fn percent_of(&self, total_transcripts: usize) -> Option<f64> {
        super::tables::percent(self.transcripts, total_transcripts)
    }
}

/// Counts for every node of the codebook (nodes never used are absent).
pub fn code_counts(project: &Project, coders: &Coders) -> HashMap<CodeId, NodeCounts> {
    code_counts_where(project, |coder, _| coders.includes(coder))
}

/// Counts over the segments of the coders and transcripts `shown` accepts (the coding
/// screen hides other coders' work on transcripts coded blind): the sum of each
/// transcript's counts, as [`CountCache`] keeps them.
pub fn code_counts_where(
    project: &Project,
    shown: impl Fn(&CoderId, &TranscriptId) -> bool,
) -> HashMap<CodeId, NodeCounts> {
    CountCache::build(project, shown).totals
}

/// One transcript's part of the counts: code -> (own segments, segments carrying it or a
/// code below it).
type TranscriptCounts = HashMap<CodeId, (usize, usize)>;

/// The counts of [`code_counts_where`], kept up to date one transcript at a time: coding a
/// segment recounts that transcript, not the project (what the coding screen needs on a
/// study of hundreds of interviews).
#[derive(Debug, Clone, Default)]
pub struct CountCache {
    per_transcript: HashMap<TranscriptId, TranscriptCounts>,
    totals: HashMap<CodeId, NodeCounts>,
}

impl CountCache {
    pub fn build(project: &Project, shown: impl Fn(&CoderId, &TranscriptId) -> bool) -> CountCache {
        let mut cache = CountCache::default();
        let coded: std::collections::BTreeSet<&TranscriptId> = project
            .codings()
            .values()
            .flat_map(|by_transcript| by_transcript.keys())
            .collect();
        // Which nodes each code counts for is worked out once for the whole project.
        let mut reach = Reach::default();
        for t in coded {
            cache.add(t.clone(), transcript_counts(project, t, &shown, &mut reach));
        }
        cache
    }

    /// Recounts one transcript (after its coding changed; the codebook must not have).
    pub fn update(
        &mut self,
        project: &Project,
        t: &TranscriptId,
        shown: impl Fn(&CoderId, &TranscriptId) -> bool,
    ) {
        if let Some(old) = self.per_transcript.remove(t) {
            for (code, (own, all)) in &old {
                let Some(c) = self.totals.get_mut(code) else {
                    continue;
                };
                c.own_segments -= own;
                c.segments -= all;
                c.own_transcripts -= usize::from(*own > 0);
                c.transcripts -= usize::from(*all > 0);
                if *c == NodeCounts::default() {
                    self.totals.remove(code);
                }
            }
        }
        let counts = transcript_counts(project, t, &shown, &mut Reach::default());
        self.add(t.clone(), counts);
    }

    fn add(&mut self, t: TranscriptId, counts: TranscriptCounts) {
        for (code, (own, all)) in &counts {
            let c = self.totals.entry(code.clone()).or_default();
            c.own_segments += own;
            c.segments += all;
            c.own_transcripts += usize::from(*own > 0);
            c.transcripts += usize::from(*all > 0);
        }
        self.per_transcript.insert(t, counts);
    }

    pub fn totals(&self) -> &HashMap<CodeId, NodeCounts> {
        &self.totals
    }
}

/// For each code applied, the nodes a segment carrying it counts for: itself and those
/// above it that it rolls up to (never one of a lower level; docs/definitions.md, Levels).
/// Codes are numbered as they are met, so that counting a segment indexes a vector rather
/// than hashing each code's id for every node it reaches.
#[derive(Default)]
struct Reach<'p> {
    number: HashMap<&'p CodeId, usize>,
    ids: Vec<&'p CodeId>,
    /// The numbers of the nodes each code counts for, once worked out.
    reaches: Vec<Option<Vec<usize>>>,
}

impl<'p> Reach<'p> {
    fn number_of(&mut self, code: &'p CodeId) -> usize {
        if let Some(&n) = self.number.get(code) {
            return n;
        }
        self.ids.push(code);
        self.reaches.push(None);
        self.number.insert(code, self.ids.len() - 1);
        self.ids.len() - 1
    }

    /// The number of `code`, with its reach worked out.
    fn applied(&mut self, project: &'p Project, code: &'p CodeId) -> usize {
        let n = self.number_of(code);
        if self.reaches[n].is_none() {
            let nodes: Vec<usize> = reach_of(project, code)
                .into_iter()
                .map(|node| self.number_of(node))
                .collect();
            self.reaches[n] = Some(nodes);
        }
        n
    }
}

fn reach_of<'p>(project: &'p Project, code: &'p CodeId) -> Vec<&'p CodeId> {
    let book = &project.codebook;
    let mut nodes = vec![code];
    let mut at = book.parent(code);
    while let Some(id) = at {
        if super::tables::rolls_up_to(project, code, id) {
            nodes.push(id);
        }
        at = book.parent(id);
    }
    nodes
}

fn transcript_counts<'p>(
    project: &'p Project,
    t: &TranscriptId,
    shown: &impl Fn(&CoderId, &TranscriptId) -> bool,
    reach: &mut Reach<'p>,
) -> TranscriptCounts {
    // (own, all) by code number; owned ids are made once per code at the end.
    let mut counts: Vec<(usize, usize)> = Vec::new();
    let mut reached: Vec<usize> = Vec::new();
    for coder in project.codings().keys() {
        if !shown(coder, t) {
            continue;
        }
        for segment in project.segments(coder, t) {
            reached.clear();
            for code in &segment.codes {
                let n = reach.applied(project, code);
                if counts.len() < reach.ids.len() {
                    counts.resize(reach.ids.len(), (0, 0));
                }
                counts[n].0 += 1;
                for &node in reach.reaches[n].iter().flatten() {
                    if !reached.contains(&node) {
                        reached.push(node);
                    }
                }
            }
            for &node in &reached {
                counts[node].1 += 1;
            }
        }
    }
    counts
        .into_iter()
        .enumerate()
        .filter(|(_, n)| *n != (0, 0))
        .map(|(i, n)| (reach.ids[i].clone(), n))
        .collect()
}

/// A pair of codes whose names look like the same idea written twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NearDuplicate {
    pub a: CodeId,
    pub b: CodeId,
    pub reason: &'static str,
}

/// Lowercase words with punctuation dropped and a plural "s" taken off each word.
fn normalise(name: &str) -> String {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
                &w[..w.len() - 1]
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Names anywhere in the codebook that are the same after normalising (case, punctuation,
/// plurals), or within two edits of each other when long enough for that to mean a typo.
pub fn near_duplicates(book: &Codebook) -> Vec<NearDuplicate> {
    let nodes: Vec<(CodeId, String)> = book
        .walk()
        .into_iter()
        .map(|(_, c)| (c.id.clone(), normalise(&c.name)))
        .collect();
    let mut found = Vec::new();
    for (i, (a, na)) in nodes.iter().enumerate() {
        for (b, nb) in &nodes[i + 1..] {
            let reason = if na == nb {
                Some("the same name apart from case, punctuation or plural")
            } else if na.chars().count().min(nb.chars().count()) >= 8
                && strsim::levenshtein(na, nb) <= 2
            {
                Some("names differ by one or two letters")
            } else {
                None
            };
            if let Some(reason) = reason {
                found.push(NearDuplicate {
                    a: a.clone(),
                    b: b.clone(),
                    reason,
                });
            }
        }
    }
    found
}

/// Near duplicates of a name about to be given to a code (`except` is the code itself).
pub fn similar_names<'b>(book: &'b Codebook, name: &str, except: Option<&CodeId>) -> Vec<&'b str> {
    let wanted = normalise(name);
    book.walk()
        .into_iter()
        .filter(|(_, c)| Some(&c.id) != except)
        .filter(|(_, c)| {
            let other = normalise(&c.name);
            other == wanted
                || (other.chars().count().min(wanted.chars().count()) >= 8
                    && strsim::levenshtein(&other, &wanted) <= 2)
        })
        .map(|(_, c)| c.name.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Code, Level, Position};

    #[test]
    fn near_duplicates_catch_case_plural_and_typos() {
        let mut book = Codebook::default();
        for (i, name) in [
            "Staff turnover",
            "staff turnovers",
            "Line management",
            "Line managment",
            "Trust",
            "Rust",
        ]
        .iter()
        .enumerate()
        {
            book.insert(
                Code::new(*name, Level::Code),
                &Position {
                    parent: None,
                    index: i,
                },
            )
            .unwrap();
        }
        let pairs = near_duplicates(&book);
        assert_eq!(pairs.len(), 2, "{pairs:?}");
        assert_eq!(
            similar_names(&book, "STAFF-TURNOVER", None),
            vec!["Staff turnover", "staff turnovers"]
        );
        assert!(similar_names(&book, "Trusts", None).contains(&"Trust"));
        assert!(
            similar_names(&book, "Must", None).is_empty(),
            "short names need to match exactly"
        );
    }
}

#[cfg(test)]
mod count_cache_tests {
    use super::*;
    use crate::model::Edit;

    #[test]
    fn updating_one_transcript_gives_the_full_recount() {
        let options = crate::generate::Options {
            scale: 0.03,
            words: 600,
            segments: 25,
            ..Default::default()
        };
        let mut project = crate::generate::build(&options);
        let all = |_: &CoderId, _: &TranscriptId| true;
        let mut cache = CountCache::build(&project, all);
        assert_eq!(cache.totals(), &code_counts_where(&project, all));
        let alex = CoderId::new("alex").unwrap();
        let ids: Vec<TranscriptId> = project.codings()[&alex].keys().cloned().collect();
        let codes: Vec<CodeId> = project
            .codebook
            .walk()
            .iter()
            .map(|(_, c)| c.id.clone())
            .collect();
        for (round, t) in ids.iter().cycle().take(12).enumerate() {
            let segments = project.segments(&alex, t).to_vec();
            let edit = if round % 3 == 0 {
                Edit::RemoveSegment {
                    coder: alex.clone(),
                    transcript: t.clone(),
                    segment: segments[round % segments.len()].clone(),
                }
            } else {
                let before = segments[round % segments.len()].clone();
                let mut after = before.clone();
                after.codes = vec![
                    codes[round * 7 % codes.len()].clone(),
                    codes[round % codes.len()].clone(),
                ];
                after.codes.dedup();
                Edit::UpdateSegment {
                    coder: alex.clone(),
                    transcript: t.clone(),
                    before,
                    after,
                }
            };
            edit.apply(&mut project).unwrap();
            cache.update(&project, t, all);
            assert_eq!(
                cache.totals(),
                &code_counts_where(&project, all),
                "round {round}"
            );
        }
        // Only one coder shown: still the same as a full count with that filter.
        let only_alex = |c: &CoderId, _: &TranscriptId| c.as_str() == "alex";
        let mut cache = CountCache::build(&project, only_alex);
        cache.update(&project, &ids[0], only_alex);
        assert_eq!(cache.totals(), &code_counts_where(&project, only_alex));
    }
}
