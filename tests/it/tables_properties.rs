//! Every analysis figure recomputed by a second, deliberately simple implementation (below,
//! written from docs/definitions.md, not from src/analysis/tables.rs) over generated
//! projects, and compared value by value: saturation (rows and points), the matrix under
//! every level, measure and grouping, co-occurrence, the theme table, the scope statement and
//! the per-coder counts of `thematic stats`.
//!
//! The projects have what the definitions must get right: transcripts nobody coded, some
//! marked done without a segment, nodes of every level applied directly, trees with levels
//! in any order, overlapping and multi-code segments, transcripts without the attribute (and
//! with a value nobody declared), repeated participant labels, hidden (blind) coding and a
//! chosen exemplar in or out of scope.
//!
//! `THEMATIC_TABLE_CASES` sets the number of generated projects: 96 by default (CI), e.g.
//! `THEMATIC_TABLE_CASES=2000 cargo test --test it tables_properties::` for a long run.

use jiff::Timestamp;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use thematic::analysis::node_counts::Coders;
use thematic::analysis::stats::project_stats;
use thematic::analysis::tables::*;
use thematic::model::transcript::sha256_hex;
use thematic::model::*;

const CODERS: [&str; 3] = ["alex", "sam", "kim"];
const SITES: [&str; 3] = ["North", "South", "West"];
const TEXT_LEN: usize = 80;

#[derive(Debug, Clone)]
struct Plan {
    /// Level (0 code, 1 sub-theme, 2 theme) and a parent among the earlier nodes.
    nodes: Vec<(u8, Option<usize>)>,
    /// Interview order, site (None: no attribute; 2 is a value not declared) and label.
    transcripts: Vec<(Option<u32>, Option<usize>, usize)>,
    /// Coder, transcript, start, length, codes.
    segments: Vec<(usize, usize, usize, usize, Vec<usize>)>,
    done: Vec<(usize, usize)>,
    exemplar: Option<(usize, usize)>,
    scope_coders: Option<Vec<usize>>,
    filter: Option<usize>,
    hidden: Vec<(usize, usize)>,
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        prop::collection::vec((0u8..3, prop::option::of(0usize..100)), 1..10),
        prop::collection::vec(
            (
                prop::option::of(1u32..6),
                prop::option::weighted(0.8, 0usize..3),
                0usize..4,
            ),
            1..7,
        ),
        prop::collection::vec(
            (
                0usize..3,
                0usize..100,
                0usize..TEXT_LEN,
                1usize..30,
                prop::collection::vec(0usize..100, 1..4),
            ),
            0..24,
        ),
        prop::collection::vec((0usize..3, 0usize..100), 0..4),
        prop::option::of((0usize..100, 0usize..100)),
        prop::option::of(prop::collection::vec(0usize..3, 1..3)),
        prop::option::weighted(0.3, 0usize..3),
        prop::collection::vec((0usize..3, 0usize..100), 0..3),
    )
        .prop_map(
            |(nodes, transcripts, segments, done, exemplar, scope_coders, filter, hidden)| {
                let nodes = nodes
                    .into_iter()
                    .enumerate()
                    .map(|(i, (level, parent))| (level, parent.filter(|_| i > 0).map(|p| p % i)))
                    .collect();
                Plan {
                    nodes,
                    transcripts,
                    segments,
                    done,
                    exemplar,
                    scope_coders,
                    filter,
                    hidden,
                }
            },
        )
}

fn coder(i: usize) -> CoderId {
    CoderId::new(CODERS[i % CODERS.len()]).unwrap()
}

fn tid(i: usize) -> TranscriptId {
    TranscriptId::new(format!("t{i}")).unwrap()
}

fn level(l: u8) -> Level {
    match l {
        0 => Level::Code,
        1 => Level::SubTheme,
        _ => Level::Theme,
    }
}

fn build(plan: &Plan) -> (Project, Scope) {
    let mut meta = ProjectMeta::new("properties");
    meta.coders = CODERS
        .iter()
        .map(|c| Coder {
            id: CoderId::new(*c).unwrap(),
            name: c.to_string(),
        })
        .collect();
    meta.attributes = vec![AttributeDef {
        name: "site".into(),
        description: String::new(),
        values: vec!["South".into(), "North".into(), "East".into()],
    }];
    let mut p = Project::new(meta);
    let mut ids: Vec<CodeId> = Vec::new();
    for (i, (l, parent)) in plan.nodes.iter().enumerate() {
        let code = Code::new(format!("n{i}"), level(*l));
        let parent = parent.map(|x| ids[x].clone());
        let index = p.codebook.children(parent.as_ref()).len();
        ids.push(code.id.clone());
        Edit::AddCode {
            code,
            at: Position { parent, index },
        }
        .apply(&mut p)
        .unwrap();
    }
    let n_t = plan.transcripts.len();
    for (i, (order, site, label)) in plan.transcripts.iter().enumerate() {
        let text: String = "We said: one front door,\nand then no door at all. "
            .chars()
            .cycle()
            .take(TEXT_LEN)
            .collect();
        let mut meta = TranscriptMeta {
            title: format!("t{i}"),
            participant: format!("Participant {label}"),
            order: *order,
            sha256: sha256_hex(&text),
            chars: TEXT_LEN,
            ..Default::default()
        };
        if let Some(site) = site {
            meta.attributes.insert("site".into(), SITES[*site].into());
        }
        Edit::AddTranscript(Box::new(Transcript::new(tid(i), meta, text)))
            .apply(&mut p)
            .unwrap();
    }
    let mut made: Vec<(CoderId, TranscriptId, SegmentId)> = Vec::new();
    for (c, t, start, len, codes) in &plan.segments {
        let t = tid(t % n_t);
        let end = (start + len).min(TEXT_LEN);
        let codes: Vec<CodeId> = codes
            .iter()
            .map(|x| ids[x % ids.len()].clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let text = p
            .transcript(&t)
            .unwrap()
            .slice(*start, end)
            .unwrap()
            .to_string();
        let segment = Segment {
            id: SegmentId::random(),
            start: *start,
            end,
            codes,
            text,
            created: Timestamp::UNIX_EPOCH,
            updated: None,
        };
        made.push((coder(*c), t.clone(), segment.id.clone()));
        Edit::AddSegment {
            coder: coder(*c),
            transcript: t,
            segment,
        }
        .apply(&mut p)
        .unwrap();
    }
    for (c, t) in &plan.done {
        let (coder, transcript) = (coder(*c), tid(t % n_t));
        if !p.is_done(&coder, &transcript) {
            Edit::SetDone {
                coder,
                transcript,
                done: true,
            }
            .apply(&mut p)
            .unwrap();
        }
    }
    if let (Some((node, seg)), false) = (plan.exemplar, made.is_empty()) {
        let (coder, transcript, id) = made[seg % made.len()].clone();
        let edit = codebook_ops::update_code(&p, &ids[node % ids.len()], |c| {
            c.exemplar = Some(Box::new(SegmentRef {
                transcript,
                coder,
                id,
            }))
        })
        .unwrap();
        edit.apply(&mut p).unwrap();
    }
    let scope = Scope {
        coders: match &plan.scope_coders {
            None => Coders::All,
            Some(list) => Coders::Only(
                list.iter()
                    .map(|c| coder(*c))
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect(),
            ),
        },
        attributes: plan
            .filter
            .map(|s| ("site".to_string(), SITES[s].to_lowercase()))
            .into_iter()
            .collect(),
        hidden: plan
            .hidden
            .iter()
            .map(|(c, t)| (coder(*c), tid(t % n_t)))
            .collect(),
    };
    (p, scope)
}

// ---------------------------------------------------------------------------------------
// The second implementation: each definition of docs/definitions.md, as plainly as it can be
// written, with no shared code beyond reading the project.

fn rank(l: Level) -> u8 {
    match l {
        Level::Code => 0,
        Level::SubTheme => 1,
        Level::Theme => 2,
    }
}

/// A segment carrying `applied` counts for `node` when `node` is `applied`, or is above it
/// in the tree with a level no lower than `applied`'s.
fn counts_for(p: &Project, applied: &CodeId, node: &CodeId) -> bool {
    if applied == node {
        return true;
    }
    let mut ancestors = Vec::new();
    let mut at = p.codebook.parent(applied).cloned();
    while let Some(a) = at {
        at = p.codebook.parent(&a).cloned();
        ancestors.push(a);
    }
    ancestors.contains(node)
        && rank(p.codebook.get(node).unwrap().level) >= rank(p.codebook.get(applied).unwrap().level)
}

fn segment_counts_for(p: &Project, s: &Segment, node: &CodeId) -> bool {
    s.codes.iter().any(|c| counts_for(p, c, node))
}

fn in_scope_transcripts<'p>(p: &'p Project, scope: &Scope) -> Vec<&'p Transcript> {
    p.transcripts_in_order()
        .into_iter()
        .filter(|t| {
            scope.attributes.iter().all(|(k, v)| {
                t.meta
                    .attributes
                    .get(k)
                    .is_some_and(|x| x.to_lowercase() == v.to_lowercase())
            })
        })
        .collect()
}

fn counted(scope: &Scope, c: &CoderId, t: &TranscriptId) -> bool {
    let listed = match &scope.coders {
        Coders::All => true,
        Coders::Only(list) => list.contains(c),
    };
    listed && !scope.hidden.contains(&(c.clone(), t.clone()))
}

/// The counted segments of one transcript, with their coder.
fn counted_segments<'p>(
    p: &'p Project,
    scope: &Scope,
    t: &TranscriptId,
) -> Vec<(CoderId, &'p Segment)> {
    let mut out = Vec::new();
    for c in CODERS {
        let c = CoderId::new(c).unwrap();
        if counted(scope, &c, t) {
            for s in p.segments(&c, t) {
                out.push((c.clone(), s));
            }
        }
    }
    out
}

fn nodes_of(p: &Project, l: Level) -> Vec<CodeId> {
    p.codebook
        .walk()
        .into_iter()
        .filter(|(_, c)| c.level == l)
        .map(|(_, c)| c.id.clone())
        .collect()
}

#[derive(Debug, PartialEq)]
struct RefRow {
    transcript: TranscriptId,
    coded: bool,
    /// (new, cumulative, first seen) per level: code, sub-theme, theme.
    levels: Vec<(usize, usize, BTreeSet<CodeId>)>,
}

fn ref_saturation(p: &Project, scope: &Scope) -> Vec<RefRow> {
    let levels = [Level::Code, Level::SubTheme, Level::Theme];
    let mut seen: Vec<BTreeSet<CodeId>> = vec![BTreeSet::new(); 3];
    let mut rows = Vec::new();
    for t in in_scope_transcripts(p, scope) {
        let segs = counted_segments(p, scope, &t.id);
        let done = CODERS.iter().any(|c| {
            let c = CoderId::new(*c).unwrap();
            counted(scope, &c, &t.id) && p.is_done(&c, &t.id)
        });
        let coded = !segs.is_empty() || done;
        let mut out = Vec::new();
        for (i, l) in levels.iter().enumerate() {
            let present: BTreeSet<CodeId> = nodes_of(p, *l)
                .into_iter()
                .filter(|n| segs.iter().any(|(_, s)| segment_counts_for(p, s, n)))
                .collect();
            let new: BTreeSet<CodeId> = present.difference(&seen[i]).cloned().collect();
            seen[i].extend(new.iter().cloned());
            out.push((new.len(), seen[i].len(), new));
        }
        rows.push(RefRow {
            transcript: t.id.clone(),
            coded,
            levels: out,
        });
    }
    rows
}

fn ref_saturation_point(rows: &[RefRow], level: usize, run: usize) -> Option<usize> {
    let coded: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].coded).collect();
    let mut last = None;
    for (k, &i) in coded.iter().enumerate() {
        if rows[i].levels[level].0 > 0 {
            last = Some((k, i));
        }
    }
    let (k, i) = last?;
    if coded.len() - 1 - k >= run {
        Some(i)
    } else {
        None
    }
}

fn ref_columns(p: &Project, scope: &Scope, by: Option<&str>) -> Vec<(String, Vec<TranscriptId>)> {
    let ts = in_scope_transcripts(p, scope);
    let Some(by) = by else {
        return ts
            .iter()
            .map(|t| (t.id.to_string(), vec![t.id.clone()]))
            .collect();
    };
    let value = |t: &Transcript| t.meta.attributes.get(by).cloned();
    let mut values: Vec<String> = vec!["South".into(), "North".into(), "East".into()];
    let mut others: Vec<String> = ts
        .iter()
        .filter_map(|t| value(t))
        .filter(|v| !values.contains(v))
        .collect();
    others.sort();
    others.dedup();
    values.extend(others);
    let mut cols: Vec<(String, Vec<TranscriptId>)> = values
        .into_iter()
        .map(|v| {
            let members = ts
                .iter()
                .filter(|t| value(t).as_ref() == Some(&v))
                .map(|t| t.id.clone())
                .collect();
            (v, members)
        })
        .filter(|(_, m): &(String, Vec<TranscriptId>)| !m.is_empty())
        .collect();
    let without: Vec<TranscriptId> = ts
        .iter()
        .filter(|t| value(t).is_none())
        .map(|t| t.id.clone())
        .collect();
    if !without.is_empty() {
        cols.push(("(none)".into(), without));
    }
    cols
}

/// The cell of `node` over some transcripts under a measure.
fn ref_cell(
    p: &Project,
    scope: &Scope,
    node: &CodeId,
    ts: &[TranscriptId],
    measure: Measure,
) -> u64 {
    let mut total = 0u64;
    for t in ts {
        let mine: Vec<(CoderId, &Segment)> = counted_segments(p, scope, t)
            .into_iter()
            .filter(|(_, s)| segment_counts_for(p, s, node))
            .collect();
        total += match measure {
            Measure::Segments => mine.len() as u64,
            Measure::Presence => u64::from(!mine.is_empty()),
            Measure::Characters => CODERS
                .iter()
                .map(|c| {
                    let chars: BTreeSet<usize> = mine
                        .iter()
                        .filter(|(who, _)| who.as_str() == *c)
                        .flat_map(|(_, s)| s.start..s.end)
                        .collect();
                    chars.len() as u64
                })
                .sum(),
        };
    }
    total
}

fn ref_percent(n: u64, of: usize) -> Option<f64> {
    if of == 0 {
        None
    } else {
        Some(n as f64 * 100.0 / of as f64)
    }
}

/// Pair -> (count, transcripts).
fn ref_cooccurrence(
    p: &Project,
    scope: &Scope,
) -> BTreeMap<(CodeId, CodeId), (usize, BTreeSet<TranscriptId>)> {
    let mut out: BTreeMap<(CodeId, CodeId), (usize, BTreeSet<TranscriptId>)> = BTreeMap::new();
    for t in in_scope_transcripts(p, scope) {
        for c in CODERS {
            let c = CoderId::new(c).unwrap();
            if !counted(scope, &c, &t.id) {
                continue;
            }
            let segs = p.segments(&c, &t.id);
            for i in 0..segs.len() {
                for j in i..segs.len() {
                    let (s, o) = (&segs[i], &segs[j]);
                    if !(s.start < o.end && o.start < s.end) {
                        continue;
                    }
                    let mut codes: BTreeSet<&CodeId> = s.codes.iter().collect();
                    codes.extend(o.codes.iter());
                    for a in &codes {
                        for b in &codes {
                            let carried = (s.codes.contains(a) && o.codes.contains(b))
                                || (s.codes.contains(b) && o.codes.contains(a));
                            if a < b && carried {
                                let e = out.entry(((*a).clone(), (*b).clone())).or_default();
                                e.0 += 1;
                                e.1.insert(t.id.clone());
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

#[derive(Debug, PartialEq)]
struct RefTheme {
    code: CodeId,
    participants: usize,
    segments: usize,
    exemplar: Option<String>,
}

fn ref_themes(p: &Project, scope: &Scope) -> Vec<RefTheme> {
    let mut ordered: Vec<(TranscriptId, CoderId, &Segment)> = Vec::new();
    for t in in_scope_transcripts(p, scope) {
        let mut here = counted_segments(p, scope, &t.id);
        here.sort_by_key(|(c, s)| (s.start, c.clone()));
        ordered.extend(here.into_iter().map(|(c, s)| (t.id.clone(), c, s)));
    }
    let cite = |t: &TranscriptId, s: &Segment| {
        let tr = p.transcript(t).unwrap();
        format!(
            "“{}” ({})",
            tr.slice(s.start, s.end).unwrap(),
            tr.meta.participant
        )
    };
    p.codebook
        .walk()
        .into_iter()
        .filter(|(_, c)| c.level != Level::Code)
        .map(|(_, node)| {
            let mine: Vec<&(TranscriptId, CoderId, &Segment)> = ordered
                .iter()
                .filter(|(_, _, s)| segment_counts_for(p, s, &node.id))
                .collect();
            let participants: BTreeSet<String> = mine
                .iter()
                .map(|(t, _, _)| p.transcript(t).unwrap().meta.participant.clone())
                .collect();
            let chosen = node.exemplar.as_ref().and_then(|r| {
                mine.iter()
                    .find(|(t, c, s)| *t == r.transcript && *c == r.coder && s.id == r.id)
            });
            RefTheme {
                code: node.id.clone(),
                participants: participants.len(),
                segments: mine.len(),
                exemplar: chosen.or(mine.first()).map(|(t, _, s)| cite(t, s)),
            }
        })
        .collect()
}

fn cases() -> u32 {
    std::env::var("THEMATIC_TABLE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(96)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn saturation_matches_the_definition(plan in plan()) {
        let (p, scope) = build(&plan);
        let rows = saturation(&p, &scope);
        let expected = ref_saturation(&p, &scope);
        let got: Vec<RefRow> = rows
            .iter()
            .map(|r| RefRow {
                transcript: r.transcript.clone(),
                coded: r.coded,
                levels: [&r.codes, &r.sub_themes, &r.themes]
                    .iter()
                    .map(|c| (c.new, c.cumulative, c.first_seen.iter().cloned().collect()))
                    .collect(),
            })
            .collect();
        prop_assert_eq!(&got, &expected);
        prop_assert_eq!(coded_interviews(&rows), expected.iter().filter(|r| r.coded).count());
        for run in 1..5 {
            for (level, pick) in [
                (0, (|r| &r.codes) as fn(&SaturationRow) -> &LevelCount),
                (1, |r| &r.sub_themes),
                (2, |r| &r.themes),
            ] {
                prop_assert_eq!(
                    saturation_point(&rows, run, pick),
                    ref_saturation_point(&expected, level, run),
                    "run {}, level {}", run, level
                );
            }
        }
    }

    #[test]
    fn matrices_match_the_definition(plan in plan()) {
        let (p, scope) = build(&plan);
        // Percentages are of coded transcripts: those saturation calls coded.
        let coded: BTreeSet<TranscriptId> = ref_saturation(&p, &scope)
            .into_iter()
            .filter(|r| r.coded)
            .map(|r| r.transcript)
            .collect();
        let coded_among = |ts: &[TranscriptId]| ts.iter().filter(|t| coded.contains(*t)).count();
        let n_coded = coded.len();
        for l in [Level::Code, Level::SubTheme, Level::Theme] {
            for measure in [Measure::Segments, Measure::Characters, Measure::Presence] {
                for by in [None, Some("site")] {
                    let m = matrix(&p, &scope, l, measure, by);
                    let cols = ref_columns(&p, &scope, by);
                    let names: Vec<String> = cols.iter().map(|(n, _)| n.clone()).collect();
                    prop_assert_eq!(&m.columns, &names);
                    let members: Vec<Vec<TranscriptId>> = cols.iter().map(|(_, m)| m.clone()).collect();
                    prop_assert_eq!(&m.column_transcripts, &members);
                    let nodes = nodes_of(&p, l);
                    prop_assert_eq!(m.rows.iter().map(|r| r.code.clone()).collect::<Vec<_>>(), nodes.clone());
                    let mut column_totals = vec![0u64; cols.len()];
                    for (row, node) in m.rows.iter().zip(&nodes) {
                        let cells: Vec<u64> = cols.iter().map(|(_, ts)| ref_cell(&p, &scope, node, ts, measure)).collect();
                        prop_assert_eq!(&row.cells, &cells, "{:?} {:?} {:?}", l, measure, by);
                        prop_assert_eq!(row.total, cells.iter().sum::<u64>());
                        for (i, c) in cells.iter().enumerate() {
                            column_totals[i] += c;
                        }
                        let presence: Vec<u64> = cols.iter().map(|(_, ts)| ref_cell(&p, &scope, node, ts, Measure::Presence)).collect();
                        let shares: Vec<Option<f64>> = cols.iter().zip(&presence).map(|((_, ts), n)| ref_percent(*n, coded_among(ts))).collect();
                        prop_assert_eq!(&row.percent_of_transcripts, &shares);
                        prop_assert_eq!(row.percent_total, ref_percent(presence.iter().sum(), n_coded));
                    }
                    prop_assert_eq!(&m.column_totals, &column_totals);
                }
            }
        }
    }

    #[test]
    fn cooccurrence_matches_the_definition(plan in plan()) {
        let (p, scope) = build(&plan);
        let pairs = cooccurrence(&p, &scope);
        let expected = ref_cooccurrence(&p, &scope);
        let got: BTreeMap<(CodeId, CodeId), (usize, usize)> = pairs
            .iter()
            .map(|x| ((x.a.clone(), x.b.clone()), (x.count, x.transcripts)))
            .collect();
        let want: BTreeMap<(CodeId, CodeId), (usize, usize)> = expected
            .iter()
            .map(|(k, (n, ts))| (k.clone(), (*n, ts.len())))
            .collect();
        prop_assert_eq!(got.len(), pairs.len(), "each pair once");
        prop_assert_eq!(&got, &want);
        prop_assert!(pairs.windows(2).all(|w| (w[0].count, w[0].transcripts) >= (w[1].count, w[1].transcripts)), "most frequent first");
        for x in &pairs {
            prop_assert_eq!(cooccurring_passages(&p, &scope, &x.b, &x.a).len(), x.count);
        }
    }

    #[test]
    fn theme_table_matches_the_definition(plan in plan()) {
        let (p, scope) = build(&plan);
        let got: Vec<RefTheme> = theme_table(&p, &scope)
            .into_iter()
            .map(|r| RefTheme { code: r.code, participants: r.participants, segments: r.segments, exemplar: r.exemplar })
            .collect();
        prop_assert_eq!(got, ref_themes(&p, &scope));
    }

    #[test]
    fn scope_and_coder_counts_match_the_definition(plan in plan()) {
        let (p, scope) = build(&plan);
        let summary = scope.summary(&p);
        prop_assert_eq!(summary.transcripts, in_scope_transcripts(&p, &scope).len());
        prop_assert_eq!(summary.coded, ref_saturation(&p, &scope).iter().filter(|r| r.coded).count());
        let coders: Vec<String> = match &scope.coders {
            Coders::All => CODERS.iter().map(|c| c.to_string()).collect(),
            Coders::Only(list) => list.iter().map(|c| c.to_string()).collect(),
        };
        prop_assert_eq!(summary.coders, coders);
        prop_assert_eq!(summary.filter.is_some(), !scope.attributes.is_empty());
        let stats = project_stats(&p);
        for c in &stats.coders {
            let id = CoderId::new(c.coder.as_str()).unwrap();
            let ts = p.transcripts_in_order();
            let with_segments = ts.iter().filter(|t| !p.segments(&id, &t.id).is_empty()).count();
            prop_assert_eq!(c.transcripts_coded, with_segments);
            let codes: BTreeSet<&CodeId> = ts
                .iter()
                .flat_map(|t| p.segments(&id, &t.id))
                .flat_map(|s| s.codes.iter())
                .filter(|x| p.codebook.get(x).unwrap().level == Level::Code)
                .collect();
            prop_assert_eq!(c.codes_used, codes.len());
        }
        prop_assert_eq!(stats.codes, nodes_of(&p, Level::Code).len());
        // Codebook counts: every coder, every transcript; levels kept apart as in the tables.
        let everyone = Scope::default();
        let counts = thematic::analysis::node_counts::code_counts(&p, &Coders::All);
        for (_, node) in p.codebook.walk() {
            let (mut own, mut all, mut own_t, mut all_t) = (0, 0, 0, 0);
            for t in p.transcripts_in_order() {
                let segs = counted_segments(&p, &everyone, &t.id);
                let o = segs.iter().filter(|(_, s)| s.codes.contains(&node.id)).count();
                let a = segs.iter().filter(|(_, s)| segment_counts_for(&p, s, &node.id)).count();
                own += o;
                all += a;
                own_t += usize::from(o > 0);
                all_t += usize::from(a > 0);
            }
            let got = counts.get(&node.id).copied().unwrap_or_default();
            prop_assert_eq!(
                (got.own_segments, got.segments, got.own_transcripts, got.transcripts),
                (own, all, own_t, all_t),
                "{}", node.name
            );
        }
    }
}
