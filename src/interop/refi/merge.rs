//! A colleague's REFI-QDA project merged into an existing project (`import-refi --into`).
//!
//! The file is first read as a project of its own ([`super::import`]); this module then
//! matches what it holds against the open project and plans one [`Edit::Batch`], so the
//! merge is one step of the undo history and is written (or refused) as a whole.
//!
//! Matching never guesses: transcripts by their text (as stored, after the usual
//! normalisation), codes by GUID, then by path, then by name, coders by `--coder-as`, then
//! by id, then by display name. Whatever matches two things, or a name under a different
//! parent, is listed and left out. A coder's existing segments on a transcript are never
//! changed unless `--replace-coder` names that coder.

use crate::model::{
    AttributeDef, CodeId, Coder, CoderId, Edit, Memo, MemoId, MemoLink, Position, Project, Segment,
    SegmentId, SegmentRef, Transcript, TranscriptId,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What the person merging decided beforehand.
#[derive(Debug, Default, Clone)]
pub struct MergeOptions {
    /// A user in the file (by display name or id) -> one of our coders (`--coder-as NAME=ID`).
    pub coder_as: Vec<(String, CoderId)>,
    /// Coders whose existing segments on the file's transcripts the file's may replace.
    pub replace_coders: Vec<CoderId>,
}

/// Why a merge was refused; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error(
        "nothing was merged: the file would change segments that are already here\n  {}\n(to take the file's coding instead of the existing coding, add --replace-coder ID)",
        .0.join("\n  ")
    )]
    WouldOverwrite(Vec<String>),
    #[error("--coder-as {0:?}: the file has no user with that name or id")]
    UnusedCoderAs(String),
    #[error("--replace-coder {0}: not a coder of this project")]
    UnknownReplaceCoder(CoderId),
}

/// The merge to apply, and what it will do.
#[derive(Debug)]
pub struct MergePlan {
    pub edit: Edit,
    pub summary: MergeSummary,
}

/// What a merge brings in, skips and leaves out, for the person running it.
#[derive(Debug, Default, Clone)]
pub struct MergeSummary {
    /// How each of the file's coders was taken ("Sam Okafor -> sam (display name)").
    pub coders: Vec<String>,
    pub new_coders: Vec<CoderId>,
    pub transcripts_matched: usize,
    pub new_transcripts: Vec<String>,
    pub codes_matched: usize,
    pub new_codes: Vec<String>,
    pub segments_added: usize,
    pub segments_already_here: usize,
    pub segments_replaced: usize,
    pub memos_added: usize,
    pub memos_already_here: usize,
    /// Ambiguous or unplaceable items, with the reason each was left out.
    pub left_out: Vec<String>,
}

impl MergeSummary {
    pub fn render(&self) -> String {
        let mut out = String::new();
        let coders = if self.coders.is_empty() {
            "none with coding or memos in the file".to_string()
        } else {
            self.coders.join("; ")
        };
        out.push_str(&format!("  coders:       {coders}\n"));
        out.push_str(&format!(
            "  transcripts:  {} matched by their text, {} new\n",
            self.transcripts_matched,
            self.new_transcripts.len()
        ));
        out.push_str(&format!(
            "  codes:        {} matched, {} new\n",
            self.codes_matched,
            self.new_codes.len()
        ));
        out.push_str(&format!(
            "  segments:     {} added, {} already here (skipped)",
            self.segments_added, self.segments_already_here
        ));
        if self.segments_replaced > 0 {
            out.push_str(&format!(", {} replaced", self.segments_replaced));
        }
        out.push('\n');
        out.push_str(&format!(
            "  memos:        {} added, {} already here (skipped)\n",
            self.memos_added, self.memos_already_here
        ));
        let coders: Vec<String> = self.new_coders.iter().map(ToString::to_string).collect();
        list(&mut out, "New coders", &coders);
        list(&mut out, "New transcripts", &self.new_transcripts);
        list(&mut out, "New codes", &self.new_codes);
        list(&mut out, "Left out", &self.left_out);
        out
    }
}

fn list(out: &mut String, heading: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    out.push_str(&format!("{heading} ({}):\n", items.len()));
    for item in items {
        out.push_str(&format!("  - {item}\n"));
    }
}

/// Plans merging `incoming` (a project read from a REFI-QDA file) into `project`.
pub fn plan_merge(
    project: &Project,
    incoming: &Project,
    options: &MergeOptions,
) -> Result<MergePlan, MergeError> {
    for coder in &options.replace_coders {
        if project.meta.coder(coder).is_none() {
            return Err(MergeError::UnknownReplaceCoder(coder.clone()));
        }
    }
    let mut merge = Merge {
        project,
        incoming,
        summary: MergeSummary::default(),
        meta: project.meta.clone(),
        coders: HashMap::new(),
        codes: HashMap::new(),
        transcripts: HashMap::new(),
        segments: HashMap::new(),
        edits: Vec::new(),
    };
    merge.map_coders(options)?;
    merge.map_codes();
    merge.map_transcripts();
    let segment_edits = merge.merge_segments(&options.replace_coders)?;
    let memo_edits = merge.merge_memos();
    let mut edits = Vec::new();
    if merge.meta != project.meta {
        edits.push(Edit::UpdateProject {
            before: Box::new(project.meta.clone()),
            after: Box::new(merge.meta.clone()),
        });
    }
    edits.append(&mut merge.edits);
    edits.extend(segment_edits);
    edits.extend(memo_edits);
    Ok(MergePlan {
        edit: Edit::Batch {
            label: format!("merged the REFI-QDA project {:?}", incoming.meta.name),
            edits,
        },
        summary: merge.summary,
    })
}

struct Merge<'a> {
    project: &'a Project,
    incoming: &'a Project,
    summary: MergeSummary,
    /// The project's settings as they will be (new coders and attributes added).
    meta: crate::model::ProjectMeta,
    /// The file's coder -> ours (absent: left out).
    coders: HashMap<CoderId, CoderId>,
    /// The file's code -> ours (absent: left out).
    codes: HashMap<CodeId, CodeId>,
    /// The file's transcript -> ours (absent: left out).
    transcripts: HashMap<TranscriptId, TranscriptId>,
    /// The file's segment -> where it is (or will be) here, for memo links.
    segments: HashMap<SegmentRef, SegmentRef>,
    /// Codes and transcripts to add.
    edits: Vec<Edit>,
}

/// The file's segments per (our coder, our transcript): each as it would be here, with
/// where it came from in the file.
type IncomingSegments = BTreeMap<(CoderId, TranscriptId), Vec<(Segment, SegmentRef)>>;

/// Names compare as the codebook compares them: ignoring case and surrounding space.
fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

impl Merge<'_> {
    /// Only coders with work in the file are taken; a peer's idle "default" user is not.
    fn coders_with_work(&self) -> BTreeSet<CoderId> {
        let mut with_work: BTreeSet<CoderId> = self
            .incoming
            .codings()
            .iter()
            .filter(|(_, by)| by.values().any(|s| !s.is_empty()))
            .map(|(c, _)| c.clone())
            .collect();
        with_work.extend(self.incoming.memos().map(|m| m.author.clone()));
        with_work
    }

    fn map_coders(&mut self, options: &MergeOptions) -> Result<(), MergeError> {
        for (name, _) in &options.coder_as {
            let named = self
                .incoming
                .meta
                .coders
                .iter()
                .any(|c| same_name(&c.name, name) || same_name(c.id.as_str(), name));
            if !named {
                return Err(MergeError::UnusedCoderAs(name.clone()));
            }
        }
        let with_work = self.coders_with_work();
        for theirs in self.incoming.meta.coders.clone() {
            if !with_work.contains(&theirs.id) {
                continue;
            }
            match self.match_coder(&theirs, options) {
                Ok((ours, how)) => {
                    self.summary
                        .coders
                        .push(format!("{} -> {ours} ({how})", describe_coder(&theirs)));
                    if self.meta.coder(&ours).is_none() {
                        self.meta.coders.push(Coder {
                            id: ours.clone(),
                            name: theirs.name.clone(),
                        });
                        self.summary.new_coders.push(ours.clone());
                    }
                    self.coders.insert(theirs.id.clone(), ours);
                }
                Err(reason) => self
                    .summary
                    .left_out
                    .push(format!("the work of {}: {reason}", describe_coder(&theirs))),
            }
        }
        Ok(())
    }

    /// Ours for one of the file's coders, and how it was found; `Err` says why none is.
    fn match_coder(
        &self,
        theirs: &Coder,
        options: &MergeOptions,
    ) -> Result<(CoderId, &'static str), String> {
        // --coder-as names a display name or an id; a display name is what people see.
        let by_option = options
            .coder_as
            .iter()
            .find(|(name, _)| same_name(&theirs.name, name))
            .or_else(|| {
                options
                    .coder_as
                    .iter()
                    .find(|(name, _)| same_name(theirs.id.as_str(), name))
            });
        if let Some((_, ours)) = by_option {
            return Ok((ours.clone(), "--coder-as"));
        }
        if self.meta.coder(&theirs.id).is_some() {
            return Ok((theirs.id.clone(), "same id"));
        }
        let by_name: Vec<&Coder> = self
            .meta
            .coders
            .iter()
            .filter(|c| same_name(&c.name, &theirs.name))
            .collect();
        match by_name.as_slice() {
            [one] => Ok((one.id.clone(), "same display name")),
            [] => Ok((theirs.id.clone(), "new coder")),
            several => Err(format!(
                "{} coders here are called {:?}; say which with --coder-as",
                several.len(),
                theirs.name
            )),
        }
    }

    fn map_codes(&mut self) {
        let ours = &self.project.codebook;
        let by_guid: HashMap<uuid::Uuid, &CodeId> = ours
            .walk()
            .into_iter()
            .map(|(_, c)| (c.guid, &c.id))
            .collect();
        // Codes added by this merge, per parent (ours), to place each after the last.
        let mut added_under: HashMap<Option<CodeId>, usize> = HashMap::new();
        let mut new_names: HashMap<Option<CodeId>, Vec<String>> = HashMap::new();
        for (_, code) in self.incoming.codebook.walk() {
            // A GUID is the code's identity wherever it stands (renamed or moved since).
            if let Some(id) = by_guid.get(&code.guid) {
                self.codes.insert(code.id.clone(), (*id).clone());
                self.summary.codes_matched += 1;
                continue;
            }
            let their_parent = self.incoming.codebook.parent(&code.id);
            let parent = match their_parent {
                None => None,
                Some(p) => match self.codes.get(p) {
                    Some(ours) => Some(ours.clone()),
                    None => {
                        self.summary.left_out.push(format!(
                            "code {}: its parent was left out",
                            self.incoming.codebook.path(&code.id)
                        ));
                        continue;
                    }
                },
            };
            let sibling = ours
                .children(parent.as_ref())
                .iter()
                .find(|c| ours.get(c).is_some_and(|c| same_name(&c.name, &code.name)));
            if let Some(id) = sibling {
                self.codes.insert(code.id.clone(), id.clone());
                self.summary.codes_matched += 1;
                continue;
            }
            let elsewhere: Vec<&CodeId> = ours
                .walk()
                .into_iter()
                .filter(|(_, c)| same_name(&c.name, &code.name))
                .map(|(_, c)| &c.id)
                .collect();
            match (their_parent, elsewhere.as_slice()) {
                // A code at the top of the file's codebook: a flat export of ours.
                (None, [one]) => {
                    self.codes.insert(code.id.clone(), (*one).clone());
                    self.summary.codes_matched += 1;
                }
                (_, []) => {
                    if new_names
                        .get(&parent)
                        .is_some_and(|names| names.iter().any(|n| same_name(n, &code.name)))
                    {
                        self.summary.left_out.push(format!(
                            "code {}: the file has two codes of that name here",
                            self.incoming.codebook.path(&code.id)
                        ));
                        continue;
                    }
                    let index = ours.children(parent.as_ref()).len();
                    let added = added_under.entry(parent.clone()).or_default();
                    let mut new = code.clone();
                    if ours.contains(&new.id) || self.codes.values().any(|c| c == &new.id) {
                        new.id = CodeId::random();
                    }
                    new.exemplar = None;
                    self.edits.push(Edit::AddCode {
                        code: new.clone(),
                        at: Position {
                            parent: parent.clone(),
                            index: index + *added,
                        },
                    });
                    *added += 1;
                    new_names
                        .entry(parent.clone())
                        .or_default()
                        .push(code.name.clone());
                    self.summary
                        .new_codes
                        .push(self.incoming.codebook.path(&code.id));
                    self.codes.insert(code.id.clone(), new.id);
                }
                (_, several) => {
                    let places: Vec<String> = several.iter().map(|c| ours.path(c)).collect();
                    self.summary.left_out.push(format!(
                        "code {}: here the name stands elsewhere ({}); move or rename it in one of the projects",
                        self.incoming.codebook.path(&code.id),
                        places.join("; ")
                    ));
                }
            }
        }
    }

    fn map_transcripts(&mut self) {
        let mut ours_by_text: HashMap<&str, Vec<&TranscriptId>> = HashMap::new();
        for t in self.project.transcripts_in_order() {
            ours_by_text.entry(text_key(t)).or_default().push(&t.id);
        }
        let mut theirs_by_text: HashMap<&str, usize> = HashMap::new();
        for t in self.incoming.transcripts_in_order() {
            *theirs_by_text.entry(text_key(t)).or_default() += 1;
        }
        let mut next_number = self.project.next_participant_number();
        let mut taken: BTreeSet<TranscriptId> = self.project.transcripts.keys().cloned().collect();
        for t in self.incoming.transcripts_in_order() {
            let key = text_key(t);
            let copies = theirs_by_text.get(key).copied().unwrap_or(0);
            let ours = ours_by_text.get(key).map(Vec::as_slice).unwrap_or(&[]);
            if copies > 1 {
                self.summary.left_out.push(format!(
                    "transcript {:?}: {copies} transcripts in the file have the same text",
                    t.meta.title
                ));
                continue;
            }
            match ours {
                [one] => {
                    self.transcripts.insert(t.id.clone(), (*one).clone());
                    self.summary.transcripts_matched += 1;
                }
                [] => {
                    let id = crate::model::ids::numbered(t.id.as_str())
                        .filter_map(|s| TranscriptId::new(s).ok())
                        .find(|id| !taken.contains(id));
                    let Some(id) = id else { continue };
                    taken.insert(id.clone());
                    let mut meta = t.meta.clone();
                    meta.order = Some(next_number);
                    if meta.participant.starts_with("Participant ") {
                        meta.participant = format!("Participant {next_number}");
                    }
                    next_number += 1;
                    self.add_attribute_names(&meta.attributes);
                    let new = Transcript::new(id.clone(), meta, t.text().to_string());
                    self.edits.push(Edit::AddTranscript(Box::new(new)));
                    self.summary
                        .new_transcripts
                        .push(format!("{id} ({})", t.meta.title));
                    self.transcripts.insert(t.id.clone(), id);
                }
                several => {
                    let ids: Vec<&str> = several.iter().map(|i| i.as_str()).collect();
                    self.summary.left_out.push(format!(
                        "transcript {:?}: its text is the text of {} here; cannot tell which",
                        t.meta.title,
                        ids.join(" and ")
                    ));
                }
            }
        }
    }

    fn add_attribute_names(&mut self, attributes: &BTreeMap<String, String>) {
        for name in attributes.keys() {
            if !self.meta.attributes.iter().any(|a| &a.name == name) {
                let values = self
                    .incoming
                    .meta
                    .attributes
                    .iter()
                    .find(|a| &a.name == name)
                    .cloned();
                self.meta.attributes.push(values.unwrap_or(AttributeDef {
                    name: name.clone(),
                    description: String::new(),
                    values: Vec::new(),
                }));
            }
        }
    }

    /// The file's segments as they would be here, per (our coder, our transcript), and
    /// those folded into another (two of the file's users taken as one coder).
    fn incoming_segments(&mut self) -> (IncomingSegments, Vec<(SegmentRef, SegmentRef)>) {
        let mut folded = Vec::new();
        let mut by_pair = IncomingSegments::new();
        let mut codes_left_out = 0;
        let mut segments_left_out = 0;
        for (coder, transcript, segment) in self.incoming.all_segments() {
            let (Some(ours_c), Some(ours_t)) =
                (self.coders.get(coder), self.transcripts.get(transcript))
            else {
                continue;
            };
            let mut codes: Vec<CodeId> = Vec::new();
            for code in &segment.codes {
                match self.codes.get(code) {
                    Some(c) if !codes.contains(c) => codes.push(c.clone()),
                    Some(_) => {}
                    None => codes_left_out += 1,
                }
            }
            if codes.is_empty() {
                segments_left_out += 1;
                continue;
            }
            let mut ours = segment.clone();
            ours.codes = codes;
            let theirs = SegmentRef {
                transcript: transcript.clone(),
                coder: coder.clone(),
                id: segment.id.clone(),
            };
            let list = by_pair.entry((ours_c.clone(), ours_t.clone())).or_default();
            // Two of the file's users taken as one coder: one segment per range.
            if let Some((same, into)) = list
                .iter_mut()
                .find(|(s, _)| (s.start, s.end) == (ours.start, ours.end))
            {
                for code in ours.codes {
                    if !same.codes.contains(&code) {
                        same.codes.push(code);
                    }
                }
                folded.push((theirs, into.clone()));
                continue;
            }
            list.push((ours, theirs));
        }
        if codes_left_out > 0 {
            self.summary.left_out.push(format!(
                "{codes_left_out} coding(s) with a code that was left out"
            ));
        }
        if segments_left_out > 0 {
            self.summary.left_out.push(format!(
                "{segments_left_out} segment(s) all of whose codes were left out"
            ));
        }
        (by_pair, folded)
    }

    fn merge_segments(&mut self, replace: &[CoderId]) -> Result<Vec<Edit>, MergeError> {
        let mut edits = Vec::new();
        let mut conflicts = Vec::new();
        let (by_pair, folded) = self.incoming_segments();
        for ((coder, transcript), incoming) in by_pair {
            let existing = self.project.segments(&coder, &transcript);
            let text_len = self
                .project
                .transcript(&transcript)
                .map_or(usize::MAX, Transcript::char_len);
            let (fits, beyond): (Vec<_>, Vec<_>) =
                incoming.into_iter().partition(|(s, _)| s.end <= text_len);
            if !beyond.is_empty() {
                self.summary.left_out.push(format!(
                    "{} segment(s) of {coder} on {transcript}: past the end of the text here",
                    beyond.len()
                ));
            }
            let is_here = |s: &Segment| existing.iter().find(|e| same_segment(e, s));
            let missing: Vec<&Segment> = existing
                .iter()
                .filter(|e| !fits.iter().any(|(s, _)| same_segment(e, s)))
                .collect();
            let new_count = fits.iter().filter(|(s, _)| is_here(s).is_none()).count();
            // The file's coding differs from ours (it lacks some and brings others): ours
            // is only replaced when asked; without new segments nothing here changes.
            let replacing = replace.contains(&coder) && !missing.is_empty();
            if new_count > 0 && !missing.is_empty() && !replacing {
                conflicts.push(format!(
                    "{coder} on {transcript}: {} of the {} segments here are not in the file, which brings {new_count} that are not here",
                    missing.len(),
                    existing.len()
                ));
                continue;
            }
            let mut taken: BTreeSet<SegmentId> = existing.iter().map(|s| s.id.clone()).collect();
            if replacing {
                for old in missing {
                    if self.project.memos().any(|m| {
                        m.links.iter().any(|l| {
                            matches!(l, MemoLink::Segment(r) if r.coder == coder && r.transcript == transcript && r.id == old.id)
                        })
                    }) {
                        self.summary.left_out.push(format!(
                            "{coder} on {transcript}: segment {} kept (a memo is linked to it)",
                            old.id
                        ));
                        continue;
                    }
                    edits.push(Edit::RemoveSegment {
                        coder: coder.clone(),
                        transcript: transcript.clone(),
                        segment: old.clone(),
                    });
                    self.summary.segments_replaced += 1;
                }
            }
            for (mut segment, theirs) in fits {
                if let Some(here) = is_here(&segment) {
                    self.summary.segments_already_here += 1;
                    self.segments.insert(
                        theirs,
                        SegmentRef {
                            transcript: transcript.clone(),
                            coder: coder.clone(),
                            id: here.id.clone(),
                        },
                    );
                    continue;
                }
                if taken.contains(&segment.id) {
                    segment.id = loop {
                        let id = SegmentId::random();
                        if !taken.contains(&id) {
                            break id;
                        }
                    };
                }
                taken.insert(segment.id.clone());
                if let Some(text) = self
                    .project
                    .transcript(&transcript)
                    .and_then(|t| t.slice(segment.start, segment.end))
                {
                    segment.text = text.to_string();
                }
                self.segments.insert(
                    theirs,
                    SegmentRef {
                        transcript: transcript.clone(),
                        coder: coder.clone(),
                        id: segment.id.clone(),
                    },
                );
                self.summary.segments_added += 1;
                edits.push(Edit::AddSegment {
                    coder: coder.clone(),
                    transcript: transcript.clone(),
                    segment,
                });
            }
        }
        for (theirs, into) in folded {
            if let Some(place) = self.segments.get(&into).cloned() {
                self.segments.insert(theirs, place);
            }
        }
        if !conflicts.is_empty() {
            return Err(MergeError::WouldOverwrite(conflicts));
        }
        Ok(edits)
    }

    fn merge_memos(&mut self) -> Vec<Edit> {
        let mut edits = Vec::new();
        let mut taken: BTreeSet<MemoId> = self.project.memos.keys().cloned().collect();
        for memo in self.incoming.memos() {
            let Some(author) = self.coders.get(&memo.author).cloned() else {
                continue;
            };
            let same_text =
                |m: &Memo| m.title == memo.title && m.body.trim_end() == memo.body.trim_end();
            if self
                .project
                .memos()
                .any(|m| (m.id == memo.id || m.author == author) && same_text(m))
            {
                self.summary.memos_already_here += 1;
                continue;
            }
            let links: Vec<MemoLink> = memo.links.iter().filter_map(|l| self.link(l)).collect();
            if links.len() < memo.links.len() {
                self.summary.left_out.push(format!(
                    "memo {:?}: {} of its {} link(s), to items left out",
                    memo.title,
                    memo.links.len() - links.len(),
                    memo.links.len()
                ));
                if links.is_empty() {
                    continue;
                }
            }
            let mut new = memo.clone();
            new.author = author;
            new.links = links;
            if taken.contains(&new.id) {
                new.id = MemoId::random();
            }
            taken.insert(new.id.clone());
            self.summary.memos_added += 1;
            edits.push(Edit::AddMemo(Box::new(new)));
        }
        edits
    }

    fn link(&self, link: &MemoLink) -> Option<MemoLink> {
        Some(match link {
            MemoLink::Code(c) => MemoLink::Code(self.codes.get(c)?.clone()),
            MemoLink::Transcript(t) => MemoLink::Transcript(self.transcripts.get(t)?.clone()),
            MemoLink::Segment(s) => MemoLink::Segment(self.segments.get(s)?.clone()),
        })
    }
}

fn describe_coder(coder: &Coder) -> String {
    if coder.name.is_empty() || coder.name == coder.id.as_str() {
        coder.id.to_string()
    } else {
        format!("{:?}", coder.name)
    }
}

/// Texts compare as stored (normalised on the way in); a final line break that one
/// program keeps and another drops does not make them different.
fn text_key(t: &Transcript) -> &str {
    t.text().trim_end()
}

/// The same coding: the same range and the same codes, in any order.
fn same_segment(a: &Segment, b: &Segment) -> bool {
    (a.start, a.end) == (b.start, b.end)
        && a.codes.len() == b.codes.len()
        && a.codes.iter().all(|c| b.codes.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Code, Level, ProjectMeta};

    /// A codebook from (parent index, name) pairs, each code with a fresh GUID.
    fn project_with_codes(codes: &[(Option<usize>, &str)]) -> (Project, Vec<CodeId>) {
        let mut project = Project::new(ProjectMeta::new("p"));
        let mut ids: Vec<CodeId> = Vec::new();
        for (parent, name) in codes {
            let code = Code::new(*name, Level::Code);
            let parent = parent.map(|i| ids[i].clone());
            let index = project.codebook.children(parent.as_ref()).len();
            ids.push(code.id.clone());
            project
                .codebook
                .insert(code, &Position { parent, index })
                .unwrap();
        }
        (project, ids)
    }

    #[test]
    fn codes_match_by_guid_path_or_a_unique_name_and_nothing_else() {
        let (ours, our_ids) = project_with_codes(&[
            (None, "Culture"),
            (Some(0), "Trust"),
            (None, "Money"),
            (Some(2), "Funding"),
            (None, "Time"),
            (Some(4), "Funding"),
        ]);
        let (mut theirs, their_ids) = project_with_codes(&[
            (None, "trust "),  // flattened: the one "Trust" here
            (None, "Funding"), // flattened, but two here
            (None, "Culture"), // path
            (Some(2), "Trust"),
            (None, "Place"),      // new
            (Some(4), "Trust"),   // the name stands elsewhere here
            (Some(4), "Parking"), // new, under a new code
            (None, "Renamed"),
        ]);
        // The last one carries the GUID of our "Time": renamed in the other program.
        let mut renamed = theirs.codebook.get(&their_ids[7]).unwrap().clone();
        renamed.guid = ours.codebook.get(&our_ids[4]).unwrap().guid;
        theirs.codebook.replace(renamed).unwrap();
        let plan = plan_merge(&ours, &theirs, &MergeOptions::default()).unwrap();
        let merge_codes = |i: usize| {
            let mut merge = Merge {
                project: &ours,
                incoming: &theirs,
                summary: MergeSummary::default(),
                meta: ours.meta.clone(),
                coders: HashMap::new(),
                codes: HashMap::new(),
                transcripts: HashMap::new(),
                segments: HashMap::new(),
                edits: Vec::new(),
            };
            merge.map_codes();
            merge.codes.get(&their_ids[i]).cloned()
        };
        assert_eq!(merge_codes(0), Some(our_ids[1].clone()));
        assert_eq!(merge_codes(1), None);
        assert_eq!(merge_codes(2), Some(our_ids[0].clone()));
        assert_eq!(merge_codes(3), Some(our_ids[1].clone()));
        assert_eq!(merge_codes(5), None);
        assert_eq!(merge_codes(7), Some(our_ids[4].clone()));
        assert_eq!(plan.summary.new_codes, ["Place", "Place > Parking"]);
        assert_eq!(plan.summary.codes_matched, 4);
        let left_out = plan.summary.left_out.join("\n");
        assert!(
            left_out.contains(
                "code Funding: here the name stands elsewhere (Money > Funding; Time > Funding)"
            ),
            "{left_out}"
        );
        assert!(
            left_out
                .contains("code Place > Trust: here the name stands elsewhere (Culture > Trust)"),
            "{left_out}"
        );
    }
}
