//! A generated study at the scale of the largest evaluations our users run (SPEC section 8):
//! for benchmarks, for trying the tool at scale, and for end-to-end tests of the real binary.
//! `thematic dev generate DIR [--scale F] [--seed N]` writes one.
//!
//! At scale 1: 213 interviews of about 8,000 words in speaker turns, 2 coders, 60 codes in a
//! three-level tree (6 themes, 18 sub-themes, 36 codes), about 30,000 segments (some
//! overlapping, some with two codes), 500 memos, and a 20% double-coding sample. The primary
//! coder codes every interview; the second codes the sample, mostly agreeing. The scale
//! multiplies the number of interviews and memos; everything is deterministic for a seed.

use crate::model::transcript::sha256_hex;
use crate::model::{
    AttributeDef, Code, CodeId, Coder, CoderId, Colour, Level, Memo, MemoId, MemoLink, Project,
    ProjectMeta, Sample, Segment, SegmentId, SegmentRef, Transcript, TranscriptId, TranscriptMeta,
};
use crate::store::StoreError;
use jiff::Timestamp;
use std::collections::BTreeMap;
use std::path::Path;

/// A small deterministic random generator (xorshift64), so that a seed gives one project.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // xorshift must not start at zero.
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15 | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    fn hex12(&mut self) -> String {
        format!("{:012x}", self.next_u64() & 0xffff_ffff_ffff)
    }
}

const VOCABULARY: &[&str] = &[
    "the",
    "team",
    "service",
    "we",
    "referral",
    "really",
    "people",
    "um",
    "meeting",
    "trust",
    "council",
    "think",
    "because",
    "joint",
    "working",
    "you",
    "know",
    "manager",
    "health",
    "clients",
    "data",
    "system",
    "time",
    "together",
    "partners",
    "café",
    "integration",
    "staff",
    "support",
    "change",
    "was",
    "and",
    "it",
    "a",
    "of",
    "funding",
    "pathway",
    "culture",
    "practitioners",
    "waiting",
    "list",
    "community",
    "outcomes",
    "colleagues",
];

/// Interview text of about `words` words in alternating turns ("Interviewer:" and the
/// participant), with sentences and blank lines between turns.
pub fn transcript_text(rng: &mut Rng, words: usize, participant: &str) -> String {
    let mut text = String::with_capacity(words * 7);
    let (mut count, mut turn) = (0, 0);
    while count < words {
        let interviewer = turn % 2 == 0;
        text.push_str(if interviewer {
            "Interviewer"
        } else {
            participant
        });
        text.push(':');
        let length = if interviewer {
            10 + rng.below(20)
        } else {
            60 + rng.below(140)
        };
        for i in 0..length {
            text.push(' ');
            let word = VOCABULARY[rng.below(VOCABULARY.len())];
            if i % 14 == 0 {
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    text.extend(first.to_uppercase());
                    text.push_str(chars.as_str());
                }
            } else {
                text.push_str(word);
            }
            if i % 14 == 13 {
                text.push('.');
            }
        }
        text.push_str(".\n\n");
        count += length;
        turn += 1;
    }
    text
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Multiplies the number of interviews and memos (1.0 is SPEC section 8's study).
    pub scale: f64,
    pub seed: u64,
    /// Words per interview.
    pub words: usize,
    /// Segments the primary coder makes per interview.
    pub segments: usize,
    /// Adds one more interview, `long`, of 15,000 words with 2,000 segments: SPEC section
    /// 8's transcript for the keystroke, switch and assign targets.
    pub long: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            scale: 1.0,
            seed: 1,
            words: 8_000,
            segments: 120,
            long: false,
        }
    }
}

impl Options {
    pub fn transcripts(&self) -> usize {
        ((213.0 * self.scale).round() as usize).max(1)
    }

    pub fn memos(&self) -> usize {
        (500.0 * self.scale).round() as usize
    }
}

/// Adds one node at the end of `parent`'s children, with an id, GUID and colour from the
/// seed.
fn add_node(
    project: &mut Project,
    rng: &mut Rng,
    name: String,
    level: Level,
    parent: Option<&CodeId>,
) -> CodeId {
    let mut code = Code::new(name, level);
    code.id = CodeId::new(format!("c-{}", rng.hex12())).unwrap_or_else(|_| CodeId::random());
    // The GUID begins with the id, as thematic's own codes' do; the rest from the seed.
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
    bytes[8..].copy_from_slice(&rng.next_u64().to_le_bytes());
    code.guid = crate::model::ids::guid_with_id(bytes, code.id.as_str());
    let shade = project.codebook.len();
    code.colour = Some(Colour([
        (shade * 37 % 200 + 40) as u8,
        (shade * 91 % 200 + 40) as u8,
        (shade * 53 % 200 + 40) as u8,
    ]));
    code.description = format!("Talk about {}.", code.name.to_lowercase());
    let position = crate::model::Position {
        parent: parent.cloned(),
        index: project.codebook.children(parent).len(),
    };
    let id = code.id.clone();
    // The ids come from the seed and the names are unique, so the insert holds.
    let _ = project.codebook.insert(code, &position);
    id
}

/// 6 themes, each with 3 sub-themes, each with 2 codes: 60 nodes. Returns the codes, which
/// the segments carry.
fn codebook(project: &mut Project, rng: &mut Rng) -> Vec<CodeId> {
    let mut leaves = Vec::new();
    for t in 0..6 {
        let theme = add_node(project, rng, format!("Theme {}", t + 1), Level::Theme, None);
        for s in 0..3 {
            let name = format!("Sub-theme {}.{}", t + 1, s + 1);
            let sub = add_node(project, rng, name, Level::SubTheme, Some(&theme));
            for c in 0..2 {
                let name = format!("Code {}.{}.{}", t + 1, s + 1, c + 1);
                leaves.push(add_node(project, rng, name, Level::Code, Some(&sub)));
            }
        }
    }
    leaves
}

fn segment_at(
    transcript: &Transcript,
    rng: &mut Rng,
    start: usize,
    end: usize,
    codes: Vec<CodeId>,
) -> Option<Segment> {
    let end = end.min(transcript.char_len());
    (start < end).then(|| Segment {
        id: SegmentId::new(format!("s-{}", rng.hex12())).unwrap_or_else(|_| SegmentId::random()),
        start,
        end,
        codes,
        text: transcript.slice(start, end).unwrap_or_default().to_string(),
        created: Timestamp::UNIX_EPOCH,
        updated: None,
    })
}

/// The primary coder's segments: spread through the interview, some overlapping the one
/// before, one in five with two codes.
fn primary_segments(
    transcript: &Transcript,
    rng: &mut Rng,
    codes: &[CodeId],
    count: usize,
) -> Vec<Segment> {
    let len = transcript.char_len();
    let stride = (len / count.max(1)).max(1);
    let mut segments = Vec::with_capacity(count);
    for i in 0..count {
        let overlap = i > 0 && rng.below(6) == 0;
        let start = if overlap {
            segments
                .last()
                .map_or(0, |s: &Segment| s.start + (s.len() / 2))
        } else {
            i * stride + rng.below(stride / 2 + 1)
        };
        let mut chosen = vec![codes[rng.below(codes.len())].clone()];
        if rng.below(5) == 0 {
            let second = codes[rng.below(codes.len())].clone();
            if second != chosen[0] {
                chosen.push(second);
            }
        }
        let end = start + 40 + rng.below(360);
        if let Some(s) = segment_at(
            transcript,
            rng,
            start.min(len.saturating_sub(1)),
            end,
            chosen,
        ) {
            segments.push(s);
        }
    }
    crate::model::coding::sort_segments(&mut segments);
    segments
}

/// The second coder on a sample interview: most of the primary's segments with nudged
/// boundaries and, now and then, another code; a few of their own.
fn second_segments(
    transcript: &Transcript,
    rng: &mut Rng,
    codes: &[CodeId],
    primary: &[Segment],
) -> Vec<Segment> {
    let mut segments = Vec::new();
    for s in primary {
        if rng.below(10) < 2 {
            continue;
        }
        let start = (s.start + rng.below(20)).saturating_sub(10);
        let end = s.end + rng.below(20);
        let mut chosen = s.codes.clone();
        if rng.below(8) == 0 {
            chosen = vec![codes[rng.below(codes.len())].clone()];
        }
        segments.extend(segment_at(transcript, rng, start, end, chosen));
    }
    for _ in 0..primary.len() / 10 {
        let start = rng.below(transcript.char_len().saturating_sub(500).max(1));
        let code = vec![codes[rng.below(codes.len())].clone()];
        segments.extend(segment_at(transcript, rng, start, start + 100, code));
    }
    crate::model::coding::sort_segments(&mut segments);
    segments
}

/// Builds the project in memory.
pub fn build(options: &Options) -> Project {
    let mut rng = Rng::new(options.seed);
    let coders: Vec<CoderId> = ["alex", "sam"]
        .iter()
        .filter_map(|c| CoderId::new(*c).ok())
        .collect();
    let mut meta = ProjectMeta::new(format!(
        "Generated study (scale {}, seed {})",
        options.scale, options.seed
    ));
    meta.description = "A generated study for trying thematic at scale. The text is random.".into();
    meta.coders = coders
        .iter()
        .map(|c| Coder {
            id: c.clone(),
            name: format!("Coder {c}"),
        })
        .collect();
    meta.attributes = vec![
        AttributeDef {
            name: "site".into(),
            description: "Evaluation site".into(),
            values: (1..=7).map(|n| format!("Site {n}")).collect(),
        },
        AttributeDef {
            name: "role".into(),
            description: "Job role".into(),
            values: vec![
                "Manager".into(),
                "Practitioner".into(),
                "Commissioner".into(),
            ],
        },
    ];
    let mut project = Project::new(meta);
    let codes = codebook(&mut project, &mut rng);
    let n = options.transcripts();
    let sample_size = crate::analysis::sample::sample_size(n, 0.2);
    // Evenly spread through the study.
    let sample: Vec<TranscriptId> = (0..sample_size)
        .map(|k| k * n / sample_size.max(1) + n / sample_size.max(1) / 2)
        .filter_map(|i| TranscriptId::new(format!("t{:04}", i.min(n - 1) + 1)).ok())
        .collect();
    for i in 0..n {
        let participant = format!("Participant {}", i + 1);
        let text = transcript_text(&mut rng, options.words, &participant);
        let mut attributes = BTreeMap::new();
        attributes.insert("site".to_string(), format!("Site {}", i % 7 + 1));
        let role = ["Manager", "Practitioner", "Commissioner"][i % 3];
        attributes.insert("role".to_string(), role.to_string());
        let meta = TranscriptMeta {
            title: format!("Interview {} ({role})", i + 1),
            participant,
            order: Some(i as u32 + 1),
            sha256: sha256_hex(&text),
            chars: text.chars().count(),
            attributes,
            ..TranscriptMeta::default()
        };
        let Ok(id) = TranscriptId::new(format!("t{:04}", i + 1)) else {
            continue;
        };
        let transcript = Transcript::new(id.clone(), meta, text);
        let primary = primary_segments(&transcript, &mut rng, &codes, options.segments);
        if sample.contains(&id) {
            let second = second_segments(&transcript, &mut rng, &codes, &primary);
            project
                .codings
                .entry(coders[1].clone())
                .or_default()
                .insert(id.clone(), second);
        }
        project
            .codings
            .entry(coders[0].clone())
            .or_default()
            .insert(id.clone(), primary);
        project.transcripts.insert(id, transcript);
    }
    if options.long {
        add_long(&mut project, &mut rng, &coders[0], &codes, n);
    }
    add_memos(&mut project, &mut rng, &coders, &codes, options.memos());
    project.meta.rounds = vec![Sample {
        primary: coders[0].clone(),
        seconds: vec![coders[1].clone()],
        transcripts: sample,
        fraction: Some(0.2),
        seed: Some(options.seed),
        stratify: None,
        started: None,
        independent: None,
    }];
    project
}

/// The long interview: 15,000 words, 2,000 segments by the primary coder, last in order.
fn add_long(project: &mut Project, rng: &mut Rng, coder: &CoderId, codes: &[CodeId], n: usize) {
    let participant = format!("Participant {}", n + 1);
    let text = transcript_text(rng, 15_000, &participant);
    let meta = TranscriptMeta {
        title: "A long interview (15,000 words, 2,000 segments)".into(),
        participant,
        order: Some(n as u32 + 1),
        sha256: sha256_hex(&text),
        chars: text.chars().count(),
        ..TranscriptMeta::default()
    };
    let Ok(id) = TranscriptId::new("long") else {
        return;
    };
    let transcript = Transcript::new(id.clone(), meta, text);
    let segments = primary_segments(&transcript, rng, codes, 2_000);
    project
        .codings
        .entry(coder.clone())
        .or_default()
        .insert(id.clone(), segments);
    project.transcripts.insert(id, transcript);
}

fn add_memos(
    project: &mut Project,
    rng: &mut Rng,
    coders: &[CoderId],
    codes: &[CodeId],
    count: usize,
) {
    let transcripts: Vec<TranscriptId> = project.transcripts.keys().cloned().collect();
    for m in 0..count {
        let author = coders[m % coders.len()].clone();
        let links = match m % 4 {
            0 => vec![],
            1 => vec![MemoLink::Code(codes[rng.below(codes.len())].clone())],
            2 => vec![MemoLink::Transcript(
                transcripts[rng.below(transcripts.len())].clone(),
            )],
            _ => {
                let t = transcripts[rng.below(transcripts.len())].clone();
                let segments = project.segments(&coders[0], &t);
                match segments.get(rng.below(segments.len())) {
                    Some(s) => vec![MemoLink::Segment(SegmentRef {
                        transcript: t.clone(),
                        coder: coders[0].clone(),
                        id: s.id.clone(),
                    })],
                    None => vec![MemoLink::Transcript(t)],
                }
            }
        };
        let Ok(id) = MemoId::new(format!("m-{}", rng.hex12())) else {
            continue;
        };
        project.memos.insert(
            id.clone(),
            Memo {
                id,
                author,
                title: format!("Memo {}", m + 1),
                created: Timestamp::UNIX_EPOCH,
                updated: Timestamp::UNIX_EPOCH,
                links,
                body: "A reflexive note on what the interviews are saying. ".repeat(8),
            },
        );
    }
}

/// Builds the project and writes it to `dir` (which must not exist, or be empty).
pub fn generate(dir: &Path, options: &Options) -> Result<Project, StoreError> {
    let project = build(options);
    let mut loaded = crate::store::create(dir, project.meta.clone())?;
    loaded.store.persist_all(&project)?;
    Ok(project)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_gives_one_project_and_the_shape_is_the_specs() {
        let options = Options {
            scale: 0.05,
            words: 800,
            segments: 20,
            ..Options::default()
        };
        let a = build(&options);
        assert!(a == build(&options), "the same seed gave another project");
        assert!(
            a != build(&Options {
                seed: 2,
                ..options.clone()
            })
        );
        assert_eq!(a.transcript_count(), 11);
        assert_eq!(a.codebook.len(), 60);
        let levels = |l| {
            a.codebook
                .walk()
                .iter()
                .filter(|(_, c)| c.level == l)
                .count()
        };
        assert_eq!(
            (
                levels(Level::Theme),
                levels(Level::SubTheme),
                levels(Level::Code)
            ),
            (6, 18, 36)
        );
        assert_eq!(a.meta.sample().unwrap().transcripts.len(), 3);
        let multi = a
            .all_segments()
            .filter(|(_, _, s)| s.codes.len() > 1)
            .count();
        assert!(multi > 0);
        let overlapping = a.codings()[&CoderId::new("alex").unwrap()]
            .values()
            .flat_map(|segs| segs.windows(2))
            .filter(|w| w[0].overlaps(w[1].start, w[1].end))
            .count();
        assert!(overlapping > 0);
        for (_, t, s) in a.all_segments() {
            assert_eq!(
                a.transcript(t).unwrap().slice(s.start, s.end),
                Some(s.text.as_str())
            );
        }
    }
}
