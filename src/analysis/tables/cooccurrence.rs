//! Co-occurrence: codes applied to overlapping text by the same coder in one transcript.

use super::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pair {
    pub a: CodeId,
    pub b: CodeId,
    /// Pairs of overlapping segments of one coder (a segment carrying both codes counts once).
    pub count: usize,
    pub transcripts: usize,
}

/// Calls `found` for every two overlapping segments of one coder in one transcript (a segment
/// with itself too) with the distinct pairs of different codes they carry between them, in
/// (smaller, larger) id order. The one definition of co-occurrence for counting and listing.
pub(super) fn overlapping_pairs<'p>(
    project: &'p Project,
    scope: &Scope,
    mut found: impl FnMut(
        &TranscriptId,
        &'p CoderId,
        &'p Segment,
        &'p Segment,
        BTreeSet<(CodeId, CodeId)>,
    ),
) {
    for t in scope.transcripts(project) {
        let segs = scope.segments(project, &t.id);
        for (i, (coder_i, s)) in segs.iter().enumerate() {
            for (coder_j, o) in &segs[i..] {
                if coder_i != coder_j || !(s.start < o.end && o.start < s.end) {
                    continue;
                }
                let same = std::ptr::eq(*s, *o);
                let mut pairs: BTreeSet<(CodeId, CodeId)> = BTreeSet::new();
                for a in &s.codes {
                    for b in &o.codes {
                        if a != b {
                            pairs.insert(if a < b {
                                (a.clone(), b.clone())
                            } else {
                                (b.clone(), a.clone())
                            });
                        }
                    }
                }
                if same && pairs.is_empty() {
                    continue;
                }
                found(&t.id, coder_i, s, o, pairs);
            }
        }
    }
}

/// One place where two codes co-occur: the span of the two overlapping segments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    pub transcript: TranscriptId,
    pub coder: CoderId,
    pub start: usize,
    pub end: usize,
}

/// Where codes `a` and `b` co-occur, in interview order: one passage for each overlap that
/// `cooccurrence` counts, so there are exactly `count` of them.
pub fn cooccurring_passages(
    project: &Project,
    scope: &Scope,
    a: &CodeId,
    b: &CodeId,
) -> Vec<Passage> {
    let wanted = if a < b {
        (a.clone(), b.clone())
    } else {
        (b.clone(), a.clone())
    };
    let mut list = Vec::new();
    overlapping_pairs(project, scope, |t, coder, s, o, pairs| {
        if pairs.contains(&wanted) {
            list.push(Passage {
                transcript: t.clone(),
                coder: coder.clone(),
                start: s.start.min(o.start),
                end: s.end.max(o.end),
            });
        }
    });
    list
}

/// Codes applied to overlapping text by the same coder in the same transcript, counted per
/// pair of codes, most frequent first.
pub fn cooccurrence(project: &Project, scope: &Scope) -> Vec<Pair> {
    let mut counts: BTreeMap<(CodeId, CodeId), (usize, BTreeSet<TranscriptId>)> = BTreeMap::new();
    overlapping_pairs(project, scope, |t, _, _, _, pairs| {
        for pair in pairs {
            let entry = counts.entry(pair).or_default();
            entry.0 += 1;
            entry.1.insert(t.clone());
        }
    });
    let mut list: Vec<Pair> = counts
        .into_iter()
        .map(|((a, b), (count, ts))| Pair {
            a,
            b,
            count,
            transcripts: ts.len(),
        })
        .collect();
    list.sort_by(|p, q| {
        q.count
            .cmp(&p.count)
            .then(q.transcripts.cmp(&p.transcripts))
            .then((&p.a, &p.b).cmp(&(&q.a, &q.b)))
    });
    list
}
