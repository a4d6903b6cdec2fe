//! The generator of large projects for the benchmarks: deterministic text, codes, coders,
//! segments and memos, at the scale SPEC section 8 names.

#![allow(dead_code)]

use jiff::Timestamp;
use std::path::Path;
use thematic::model::transcript::sha256_hex;
use thematic::model::*;

/// A small deterministic random generator (xorshift), so every run measures the same data.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
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
];

/// Interview text of about `words` words in alternating turns.
pub fn transcript_text(rng: &mut Rng, words: usize, participant: &str) -> String {
    let mut text = String::new();
    let (mut count, mut turn) = (0, 0);
    while count < words {
        text.push_str(if turn % 2 == 0 {
            "Interviewer:"
        } else {
            participant
        });
        if turn % 2 == 1 {
            text.push(':');
        }
        let length = if turn % 2 == 0 {
            10 + rng.below(20)
        } else {
            60 + rng.below(140)
        };
        for i in 0..length {
            text.push(' ');
            text.push_str(VOCABULARY[rng.below(VOCABULARY.len())]);
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

pub struct Scale {
    pub transcripts: usize,
    pub words: usize,
    pub codes: usize,
    /// Segments per coder per transcript.
    pub segments: usize,
    pub memos: usize,
    pub sample_fraction: f64,
}

/// SPEC section 8: 213 transcripts of 8,000 words, 2 coders, 60 codes, 30,000 segments
/// (about 70 per coder per transcript), 500 memos, a 20% sample.
pub const SPEC: Scale = Scale {
    transcripts: 213,
    words: 8_000,
    codes: 60,
    segments: 70,
    memos: 500,
    sample_fraction: 0.2,
};

/// Writes a generated project to `dir` and returns it.
pub fn generate(dir: &Path, scale: &Scale) -> Project {
    let mut rng = Rng(0x5eed_cafe);
    let coders = [CoderId::new("alex").unwrap(), CoderId::new("sam").unwrap()];
    let mut meta = ProjectMeta::new("Generated");
    meta.coders = coders
        .iter()
        .map(|c| Coder {
            id: c.clone(),
            name: c.to_string(),
        })
        .collect();
    meta.attributes = vec![AttributeDef {
        name: "site".into(),
        description: String::new(),
        values: vec![],
    }];
    let mut project = Project::new(meta);
    let mut codes: Vec<CodeId> = Vec::new();
    for i in 0..scale.codes {
        let mut code = Code::new(
            format!("Code {i:02}"),
            if i % 10 == 0 {
                Level::Theme
            } else {
                Level::Code
            },
        );
        code.colour = Some(Colour([
            (i * 37 % 256) as u8,
            (i * 91 % 256) as u8,
            (i * 53 % 256) as u8,
        ]));
        let parent = if i % 10 == 0 {
            None
        } else {
            Some(codes[i - i % 10].clone())
        };
        let index = project.codebook.children(parent.as_ref()).len();
        codes.push(code.id.clone());
        Edit::AddCode {
            code,
            at: Position { parent, index },
        }
        .apply(&mut project)
        .unwrap();
    }
    for n in 0..scale.transcripts {
        let participant = format!("Participant {}", n + 1);
        let text = transcript_text(&mut rng, scale.words, &participant);
        let mut meta = TranscriptMeta {
            title: format!("Interview {}", n + 1),
            participant,
            order: Some(n as u32 + 1),
            sha256: sha256_hex(&text),
            chars: text.chars().count(),
            ..Default::default()
        };
        meta.attributes
            .insert("site".into(), format!("Site {}", n % 7));
        let id = TranscriptId::new(format!("t{:03}", n + 1)).unwrap();
        let chars = meta.chars;
        let transcript = Transcript::new(id.clone(), meta, text);
        Edit::AddTranscript(Box::new(transcript))
            .apply(&mut project)
            .unwrap();
        for coder in &coders {
            for _ in 0..scale.segments {
                let start = rng.below(chars - 600);
                let end = start + 20 + rng.below(400);
                let text = project
                    .transcript(&id)
                    .unwrap()
                    .slice(start, end)
                    .unwrap()
                    .to_string();
                let segment = Segment {
                    id: SegmentId::random(),
                    start,
                    end,
                    codes: vec![codes[rng.below(codes.len())].clone()],
                    text,
                    created: Timestamp::UNIX_EPOCH,
                    updated: None,
                };
                Edit::AddSegment {
                    coder: coder.clone(),
                    transcript: id.clone(),
                    segment,
                }
                .apply(&mut project)
                .unwrap();
            }
        }
    }
    for m in 0..scale.memos {
        let link = if m % 3 == 0 {
            vec![]
        } else {
            vec![MemoLink::Code(codes[m % codes.len()].clone())]
        };
        let memo = Memo {
            id: MemoId::random(),
            author: coders[m % 2].clone(),
            title: format!("Memo {m}"),
            created: Timestamp::UNIX_EPOCH,
            updated: Timestamp::UNIX_EPOCH,
            links: link,
            body: "A reflexive note. ".repeat(40),
        };
        Edit::AddMemo(Box::new(memo)).apply(&mut project).unwrap();
    }
    let sample =
        thematic::analysis::sample::draw_sample(&project, scale.sample_fraction, 7, None).unwrap();
    let mut meta = project.meta.clone();
    meta.sample = Some(Sample {
        primary: coders[0].clone(),
        second: coders[1].clone(),
        transcripts: sample,
        fraction: Some(scale.sample_fraction),
        seed: Some(7),
        stratify: None,
    });
    project.meta = meta;
    let mut loaded = thematic::store::create(dir, project.meta.clone()).unwrap();
    loaded.store.persist_all(&project).unwrap();
    project
}
