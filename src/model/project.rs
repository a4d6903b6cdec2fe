//! The whole project in memory.

use super::codebook::Codebook;
use super::coding::Segment;
use super::ids::{CodeId, CoderId, MemoId, TranscriptId};
use super::memo::{Memo, MemoReview};
use super::transcript::Transcript;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The version of the project folder format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coder {
    pub id: CoderId,
    /// Display name; may be the same as the id.
    pub name: String,
}

/// A per-transcript variable (case attribute) such as role or organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeDef {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Known values, in the order tables should show them; empty for free text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// A round of double coding: transcripts coded blind by one or more second coders and
/// compared with the primary coder's coding (and, with several second coders, with one
/// another). Rounds follow one another (a new second coder, more transcripts); every round
/// stays in `thematic.yaml` so that a report can give each one's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Round {
    pub primary: CoderId,
    /// The second coders, at least one. Written `second: sam` when there is one (as files
    /// written before rounds could have several), `second: [kim, lee]` otherwise.
    #[serde(rename = "second", with = "one_or_many")]
    pub seconds: Vec<CoderId>,
    pub transcripts: Vec<TranscriptId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fraction: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stratify: Option<String>,
    /// When the round was drawn or set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<jiff::Timestamp>,
    /// The agreement when both coders had first finished every transcript of the round,
    /// before any disagreement was discussed: what a methods section reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub independent: Option<RoundFigures>,
}

/// The name older code and files use for a round.
pub type Sample = Round;

impl Round {
    /// The coders of the round, primary first, then the second coders in their order.
    pub fn coders(&self) -> Vec<&CoderId> {
        std::iter::once(&self.primary)
            .chain(&self.seconds)
            .collect()
    }

    pub fn has_coder(&self, coder: &CoderId) -> bool {
        self.coders().contains(&coder)
    }

    /// The coders who code the round's transcripts blind.
    pub fn second_coders(&self) -> &[CoderId] {
        &self.seconds
    }

    /// Whether `coder` is one of the round's second coders (who code it blind).
    pub fn is_second(&self, coder: &CoderId) -> bool {
        self.seconds.contains(coder)
    }

    /// The second coder compared with the primary by default (the first one named).
    pub fn first_second(&self) -> Option<&CoderId> {
        self.seconds.first()
    }

    /// Whether the round has more than one second coder, so more than two coders.
    pub fn has_several_seconds(&self) -> bool {
        self.seconds.len() > 1
    }
}

/// `second:` of a round: one coder id, or a list of them. One is written as a plain id, so
/// that a round with a single second coder is written exactly as before.
mod one_or_many {
    use super::CoderId;
    use serde::de::{self, SeqAccess, Visitor};
    use serde::{Deserializer, Serialize, Serializer};
    use std::fmt;

    pub fn serialize<S: Serializer>(coders: &[CoderId], out: S) -> Result<S::Ok, S::Error> {
        match coders {
            [one] => one.serialize(out),
            many => many.serialize(out),
        }
    }

    struct OneOrMany;

    impl<'de> Visitor<'de> for OneOrMany {
        type Value = Vec<CoderId>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a coder id or a list of coder ids")
        }

        fn visit_str<E: de::Error>(self, id: &str) -> Result<Self::Value, E> {
            CoderId::new(id).map(|c| vec![c]).map_err(E::custom)
        }

        fn visit_u64<E: de::Error>(self, id: u64) -> Result<Self::Value, E> {
            self.visit_str(&id.to_string())
        }

        fn visit_i64<E: de::Error>(self, id: i64) -> Result<Self::Value, E> {
            self.visit_str(&id.to_string())
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut coders = Vec::new();
            while let Some(coder) = seq.next_element::<CoderId>()? {
                coders.push(coder);
            }
            if coders.is_empty() {
                return Err(de::Error::custom("a round needs at least one second coder"));
            }
            Ok(coders)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(input: D) -> Result<Vec<CoderId>, D::Error> {
        input.deserialize_any(OneOrMany)
    }
}

/// Agreement figures frozen when a round was finished (character level, all codes pooled,
/// as `thematic agreement` computes them by default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundFigures {
    pub at: jiff::Timestamp,
    pub percent_agreement: Option<f64>,
    pub kappa: Option<f64>,
    pub alpha: Option<f64>,
    pub chars_both: u64,
    pub chars_only_a: u64,
    pub chars_only_b: u64,
    pub chars_neither: u64,
    pub segments_matched: u64,
    pub segments_only_a: u64,
    pub segments_only_b: u64,
    /// Transcripts one of the coders revealed before both had finished, so not independent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revealed_early: Vec<TranscriptId>,
    /// With several second coders: Krippendorff's alpha over all coders of the round
    /// (nominal, all codes pooled). The figures above are then the primary's and the first
    /// second coder's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alpha_all_coders: Option<f64>,
    /// With several second coders: every pair of the round's coders, primary first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pairs: Vec<PairFigures>,
}

/// One pair's figures in a round with several second coders, as frozen with the round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairFigures {
    pub coders: [CoderId; 2],
    pub percent_agreement: Option<f64>,
    pub kappa: Option<f64>,
    pub alpha: Option<f64>,
    pub chars_both: u64,
    pub chars_only_a: u64,
    pub chars_only_b: u64,
    pub chars_neither: u64,
    pub segments_matched: u64,
    pub segments_only_a: u64,
    pub segments_only_b: u64,
}

/// What `thematic.yaml` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectMeta {
    pub format: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default)]
    pub coders: Vec<Coder>,
    /// People who read and review memos (supervisors, examiners) but do not code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reviewers: Vec<Coder>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<AttributeDef>,
    /// Rounds of double coding, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rounds: Vec<Round>,
    /// `sample:` of files written before rounds: read, and kept as the first round.
    #[serde(default, rename = "sample", skip_serializing)]
    legacy_sample: Option<Round>,
}

impl ProjectMeta {
    pub fn new(name: impl Into<String>) -> ProjectMeta {
        ProjectMeta {
            format: FORMAT_VERSION,
            name: name.into(),
            description: String::new(),
            coders: Vec::new(),
            reviewers: Vec::new(),
            attributes: Vec::new(),
            rounds: Vec::new(),
            legacy_sample: None,
        }
    }

    /// The latest round of double coding, the one blind coding and agreement use by default.
    pub fn sample(&self) -> Option<&Round> {
        self.rounds.last()
    }

    /// Round `number` (1 is the first).
    pub fn round(&self, number: usize) -> Option<&Round> {
        number.checked_sub(1).and_then(|i| self.rounds.get(i))
    }

    /// Moves a `sample:` read from an older file into `rounds`, so that it is written back
    /// as the first round.
    fn adopt_legacy_sample(&mut self) {
        if let Some(sample) = self.legacy_sample.take() {
            self.rounds.insert(0, sample);
        }
    }

    pub fn coder(&self, id: &CoderId) -> Option<&Coder> {
        self.coders.iter().find(|c| &c.id == id)
    }

    /// A coder or a reviewer: anyone who may write reviews and comments.
    pub fn person(&self, id: &CoderId) -> Option<&Coder> {
        self.coder(id).or_else(|| self.reviewer(id))
    }

    pub fn reviewer(&self, id: &CoderId) -> Option<&Coder> {
        self.reviewers.iter().find(|c| &c.id == id)
    }

    /// Whether `id` takes part only as a reviewer: listed as one, and not as a coder.
    pub fn is_only_reviewer(&self, id: &CoderId) -> bool {
        self.reviewer(id).is_some() && self.coder(id).is_none()
    }
}

/// Segments of one coder, by transcript.
pub type CoderCodings = BTreeMap<TranscriptId, Vec<Segment>>;

#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub meta: ProjectMeta,
    pub codebook: Codebook,
    pub(crate) transcripts: BTreeMap<TranscriptId, Transcript>,
    pub(crate) codings: BTreeMap<CoderId, CoderCodings>,
    pub(crate) memos: BTreeMap<MemoId, Memo>,
    /// Review threads by (reviewer, memo).
    pub(crate) reviews: BTreeMap<(CoderId, MemoId), MemoReview>,
    /// Transcripts each coder has marked as done (finished coding).
    pub(crate) done: std::collections::BTreeSet<(CoderId, TranscriptId)>,
    /// Each coder's audit trail of codebook decisions.
    pub(crate) audit: BTreeMap<CoderId, Vec<super::audit::AuditEntry>>,
}

impl Project {
    pub fn new(mut meta: ProjectMeta) -> Project {
        meta.adopt_legacy_sample();
        Project {
            meta,
            codebook: Codebook::default(),
            transcripts: BTreeMap::new(),
            codings: BTreeMap::new(),
            memos: BTreeMap::new(),
            reviews: BTreeMap::new(),
            audit: BTreeMap::new(),
            done: std::collections::BTreeSet::new(),
        }
    }

    /// Whether `coder` has marked their coding of `transcript` done.
    pub fn is_done(&self, coder: &CoderId, transcript: &TranscriptId) -> bool {
        self.done.contains(&(coder.clone(), transcript.clone()))
    }

    /// A copy without the audit trails: what undo restores, since undoing a decision is
    /// itself recorded in the trail rather than erasing it.
    pub fn without_audit(&self) -> Project {
        let mut copy = self.clone();
        copy.audit.clear();
        copy
    }

    /// Every coder's audit trail: (coder, entry), oldest first.
    pub fn audit(&self) -> Vec<(&CoderId, &super::audit::AuditEntry)> {
        let mut all: Vec<(&CoderId, &super::audit::AuditEntry)> = self
            .audit
            .iter()
            .flat_map(|(c, entries)| entries.iter().map(move |e| (c, e)))
            .collect();
        all.sort_by_key(|(_, e)| e.at);
        all
    }

    pub fn transcript(&self, id: &TranscriptId) -> Option<&Transcript> {
        self.transcripts.get(id)
    }

    pub fn transcript_count(&self) -> usize {
        self.transcripts.len()
    }

    /// Transcripts in interview order: by `order`, then by id for those without one.
    pub fn transcripts_in_order(&self) -> Vec<&Transcript> {
        let mut list: Vec<&Transcript> = self.transcripts.values().collect();
        list.sort_by(|a, b| {
            let key = |t: &Transcript| (t.meta.order.unwrap_or(u32::MAX), t.id.clone());
            key(a).cmp(&key(b))
        });
        list
    }

    /// Makes the memos, reviews and audit trails named in `touched` here the same as in
    /// `from` (the other keys are left alone).
    pub(crate) fn copy_notes_from(&mut self, from: &Project, touched: &super::edit::Touched) {
        use super::edit::FileKey;
        for key in touched {
            match key {
                FileKey::Memo(_, id) => match from.memos.get(id) {
                    Some(memo) => {
                        self.memos.insert(id.clone(), memo.clone());
                    }
                    None => {
                        self.memos.remove(id);
                    }
                },
                FileKey::Review(reviewer, memo) => {
                    let k = (reviewer.clone(), memo.clone());
                    match from.reviews.get(&k) {
                        Some(review) => {
                            self.reviews.insert(k, review.clone());
                        }
                        None => {
                            self.reviews.remove(&k);
                        }
                    }
                }
                FileKey::Audit(coder) => match from.audit.get(coder) {
                    Some(trail) => {
                        self.audit.insert(coder.clone(), trail.clone());
                    }
                    None => {
                        self.audit.remove(coder);
                    }
                },
                _ => {}
            }
        }
    }

    /// Makes `coder`'s coding of `t` (segments and done mark) here the same as in `from`.
    pub(crate) fn copy_coding_from(&mut self, from: &Project, coder: &CoderId, t: &TranscriptId) {
        let segments = from.segments(coder, t).to_vec();
        let by_transcript = self.codings.entry(coder.clone()).or_default();
        if segments.is_empty() {
            by_transcript.remove(t);
        } else {
            by_transcript.insert(t.clone(), segments);
        }
        if by_transcript.is_empty() {
            self.codings.remove(coder);
        }
        let key = (coder.clone(), t.clone());
        if from.done.contains(&key) {
            self.done.insert(key);
        } else {
            self.done.remove(&key);
        }
    }

    /// One coder's segments in one transcript, in reading order.
    pub fn segments(&self, coder: &CoderId, transcript: &TranscriptId) -> &[Segment] {
        self.codings
            .get(coder)
            .and_then(|by_transcript| by_transcript.get(transcript))
            .map_or(&[], Vec::as_slice)
    }

    /// Every coder's codings: coder -> transcript -> segments.
    pub fn codings(&self) -> &BTreeMap<CoderId, CoderCodings> {
        &self.codings
    }

    /// All segments of all coders, with their coder and transcript.
    pub fn all_segments(&self) -> impl Iterator<Item = (&CoderId, &TranscriptId, &Segment)> {
        self.codings.iter().flat_map(|(coder, by_transcript)| {
            by_transcript
                .iter()
                .flat_map(move |(t, segs)| segs.iter().map(move |s| (coder, t, s)))
        })
    }

    pub fn memo(&self, id: &MemoId) -> Option<&Memo> {
        self.memos.get(id)
    }

    pub fn memos(&self) -> impl Iterator<Item = &Memo> {
        self.memos.values()
    }

    pub fn reviews(&self) -> impl Iterator<Item = &MemoReview> {
        self.reviews.values()
    }

    pub fn review(&self, reviewer: &CoderId, memo: &MemoId) -> Option<&MemoReview> {
        self.reviews.get(&(reviewer.clone(), memo.clone()))
    }

    /// Every review of one memo.
    pub fn reviews_of<'a>(&'a self, memo: &'a MemoId) -> impl Iterator<Item = &'a MemoReview> {
        self.reviews.values().filter(move |r| &r.memo == memo)
    }

    /// Whether anyone has marked the memo reviewed.
    pub fn is_reviewed(&self, memo: &MemoId) -> bool {
        self.reviews_of(memo).any(|r| r.reviewed.is_some())
    }

    /// Number of segments (any coder) that carry `code`.
    pub fn uses_of_code(&self, code: &CodeId) -> usize {
        self.all_segments()
            .filter(|(_, _, s)| s.codes.contains(code))
            .count()
    }

    /// Next free "Participant N" label and interview order, for imports without one.
    pub fn next_participant_number(&self) -> u32 {
        let from_labels = self.transcripts.values().filter_map(|t| {
            t.meta
                .participant
                .strip_prefix("Participant ")
                .and_then(|n| n.parse::<u32>().ok())
        });
        let from_order = self.transcripts.values().filter_map(|t| t.meta.order);
        from_labels.chain(from_order).max().unwrap_or(0) + 1
    }
}
