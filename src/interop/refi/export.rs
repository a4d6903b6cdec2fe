//! Writing REFI-QDA 1.0: a `.qdpx` project (a zip holding `project.qde` and the transcripts
//! under `sources/`) and a `.qdc` codebook. Positions are Unicode code points over the
//! stored text (LF line endings, no BOM), as the standard says.
//!
//! GUIDs are derived from thematic's ids, so exporting twice gives the same file and an
//! import of the export gets the same segment and memo ids back. Codes keep the GUID they
//! carry in codebook.yaml (imported codes keep the one they came with).

use super::xml::{escape, escape_text};
use super::{RefiError, definition};
use crate::model::{Code, CodeId, CoderId, Level, MemoLink, Project, Segment, TranscriptId};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::io::Write as _;

pub const PROJECT_NS: &str = "urn:QDA-XML:project:1.0";
pub const CODEBOOK_NS: &str = "urn:QDA-XML:codebook:1.0";

/// What an export wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub sources: usize,
    pub codes: usize,
    pub selections: usize,
    pub notes: usize,
    pub users: usize,
}

/// Choices for a `.qdpx` export.
#[derive(Debug, Default, Clone, Copy)]
pub struct QdpxOptions {
    /// One `Coding` per `PlainTextSelection` (a segment with three codes becomes three
    /// selections over the same range), for readers that take only the first one.
    pub one_code_per_selection: bool,
}

/// The variable carrying a transcript's id on its source, so that an import (of this
/// export, or of a peer's export that keeps source variables) gets the same id back.
pub const TRANSCRIPT_ID_VARIABLE: &str = "Transcript id";

pub struct QdpxExport {
    pub bytes: Vec<u8>,
    pub counts: Counts,
    /// What the project holds that REFI-QDA has no place for.
    pub left_out: Vec<String>,
}

/// `origin` written into every export.
pub fn origin() -> String {
    format!("thematic {}", env!("CARGO_PKG_VERSION"))
}

/// A stable GUID for a thing thematic names by id: SHA-256 of a kind and a key, marked as
/// an RFC 9562 custom (version 8) UUID. With `id` (such as `s-0123456789ab`), the GUID
/// begins with the id's 12 hex digits so that an import can read the id back from it.
pub fn derived_guid(kind: &str, key: &str, id: Option<&str>) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("thematic:{kind}:{key}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    if let Some(id) = id {
        bytes = *crate::model::ids::guid_with_id(bytes, id).as_bytes();
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    uuid::Uuid::from_bytes(bytes).hyphenated().to_string()
}

fn user_guid(coder: &CoderId) -> String {
    derived_guid("coder", coder.as_str(), None)
}

fn source_guid(t: &TranscriptId) -> String {
    derived_guid("transcript", t.as_str(), None)
}

/// Where a transcript's text lies in the archive: named by its source's GUID, as NVivo,
/// ATLAS.ti and MAXQDA name them (some readers find a source's text only that way).
fn source_file(t: &TranscriptId) -> String {
    format!("{}.txt", source_guid(t))
}

/// Where a memo's text lies in the archive (some readers take a note's text only from a file).
fn note_file(memo: &crate::model::MemoId) -> String {
    format!("{}.txt", note_guid(memo))
}

/// The selection of a segment; with `part` (the index of one code, when each code gets its
/// own selection) a distinct GUID that still begins with the segment's id.
fn selection_guid(coder: &CoderId, t: &TranscriptId, s: &Segment, part: Option<usize>) -> String {
    let key = match part {
        None | Some(0) => format!("{coder}/{t}/{}", s.id),
        Some(n) => format!("{coder}/{t}/{}/{n}", s.id),
    };
    derived_guid("segment", &key, Some(s.id.as_str()))
}

fn note_guid(memo: &crate::model::MemoId) -> String {
    derived_guid("memo", memo.as_str(), Some(memo.as_str()))
}

/// Where the memos are referred from, by what they link to.
#[derive(Default)]
struct NoteRefs {
    codes: HashMap<CodeId, Vec<String>>,
    transcripts: HashMap<TranscriptId, Vec<String>>,
    segments: HashMap<(CoderId, TranscriptId, String), Vec<String>>,
    journal: Vec<String>,
}

impl NoteRefs {
    fn of(project: &Project) -> NoteRefs {
        let mut refs = NoteRefs::default();
        for memo in project.memos() {
            let guid = note_guid(&memo.id);
            if memo.links.is_empty() {
                refs.journal.push(guid.clone());
            }
            for link in &memo.links {
                match link {
                    MemoLink::Code(c) => refs.codes.entry(c.clone()).or_default(),
                    MemoLink::Transcript(t) => refs.transcripts.entry(t.clone()).or_default(),
                    MemoLink::Segment(s) => refs
                        .segments
                        .entry((s.coder.clone(), s.transcript.clone(), s.id.to_string()))
                        .or_default(),
                }
                .push(guid.clone());
            }
        }
        refs
    }
}

fn note_refs(out: &mut String, indent: &str, guids: Option<&Vec<String>>) {
    for guid in guids.into_iter().flatten() {
        let _ = writeln!(out, "{indent}<NoteRef targetGUID=\"{guid}\"/>");
    }
}

/// Codes coded directly (not only through their children).
fn directly_coded(project: &Project) -> BTreeSet<CodeId> {
    project
        .all_segments()
        .flat_map(|(_, _, s)| s.codes.iter().cloned())
        .collect()
}

/// Writes `parent`'s children; `depth` is how deep in the document they stand (their indent).
fn write_codes(
    out: &mut String,
    project: &Project,
    parent: Option<&CodeId>,
    depth: usize,
    coded: &BTreeSet<CodeId>,
    refs: Option<&NoteRefs>,
) {
    for id in project.codebook.children(parent) {
        let Some(code) = project.codebook.get(id) else {
            continue;
        };
        let indent = "  ".repeat(depth);
        let children = project.codebook.children(Some(id));
        let codable = children.is_empty() || coded.contains(id);
        let _ = write!(
            out,
            "{indent}<Code guid=\"{}\" name=\"{}\" isCodable=\"{codable}\"",
            code.guid.hyphenated(),
            escape(&code.name)
        );
        if let Some(colour) = code.colour {
            let _ = write!(out, " color=\"{colour}\"");
        }
        let description = code_description(code);
        let notes = refs.and_then(|r| r.codes.get(id));
        if description.is_empty() && children.is_empty() && notes.is_none() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        if !description.is_empty() {
            let _ = writeln!(
                out,
                "{indent}  <Description>{}</Description>",
                escape_text(&description)
            );
        }
        note_refs(out, &format!("{indent}  "), notes);
        write_codes(out, project, Some(id), depth + 1, coded, refs);
        let _ = writeln!(out, "{indent}</Code>");
    }
}

fn code_description(code: &Code) -> String {
    definition::render(&definition::Parts {
        description: code.description.clone(),
        inclusion: code.inclusion.clone(),
        exclusion: code.exclusion.clone(),
        example: code.example.clone(),
    })
}

/// Levels and tags as sets of codes: "Level: theme", "Tag: enabler".
fn code_sets(project: &Project) -> BTreeMap<String, Vec<String>> {
    let mut sets: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (_, code) in project.codebook.walk() {
        let guid = code.guid.hyphenated().to_string();
        let level = match code.level {
            Level::Theme => "theme",
            Level::SubTheme => "sub-theme",
            Level::Code => "code",
        };
        sets.entry(format!("Level: {level}"))
            .or_default()
            .push(guid.clone());
        for tag in &code.tags {
            sets.entry(format!("Tag: {tag}"))
                .or_default()
                .push(guid.clone());
        }
    }
    sets
}

fn write_sets(out: &mut String, sets: &BTreeMap<String, Vec<String>>, member_attr: &str) {
    if sets.is_empty() {
        return;
    }
    out.push_str("  <Sets>\n");
    for (name, members) in sets {
        let _ = writeln!(
            out,
            "    <Set guid=\"{}\" name=\"{}\">",
            derived_guid("set", name, None),
            escape(name)
        );
        for guid in members {
            let _ = writeln!(out, "      <MemberCode {member_attr}=\"{guid}\"/>");
        }
        out.push_str("    </Set>\n");
    }
    out.push_str("  </Sets>\n");
}

/// The codebook alone, as a `.qdc` file.
pub fn qdc(project: &Project) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        out,
        "<CodeBook xmlns=\"{CODEBOOK_NS}\" origin=\"{}\">",
        escape(&origin())
    );
    out.push_str("  <Codes>\n");
    let coded = directly_coded(project);
    // <CodeBook><Codes><Code>: codes stand two deep.
    write_codes(&mut out, project, None, 2, &coded, None);
    out.push_str("  </Codes>\n");
    write_sets(&mut out, &code_sets(project), "guid");
    out.push_str("</CodeBook>\n");
    out
}

fn write_variables(out: &mut String, project: &Project, names: &[String], meta: &[&str]) {
    if names.is_empty() && meta.is_empty() {
        return;
    }
    out.push_str("  <Variables>\n");
    for name in names {
        let def = project.meta.attributes.iter().find(|a| &a.name == name);
        let description = def.map_or_else(String::new, |d| {
            definition::render_attribute(&d.description, &d.values)
        });
        let _ = write!(
            out,
            "    <Variable guid=\"{}\" name=\"{}\" typeOfVariable=\"Text\"",
            derived_guid("variable", name, None),
            escape(name)
        );
        if description.is_empty() {
            out.push_str("/>\n");
        } else {
            let _ = writeln!(
                out,
                ">\n      <Description>{}</Description>\n    </Variable>",
                escape(&description)
            );
        }
    }
    for name in meta {
        let kind = match *name {
            "Interview order" => "Integer",
            "Interview date" => "Date",
            _ => "Text",
        };
        let _ = writeln!(
            out,
            "    <Variable guid=\"{}\" name=\"{name}\" typeOfVariable=\"{kind}\"/>",
            derived_guid("variable", name, None)
        );
    }
    out.push_str("  </Variables>\n");
}

fn variable_value(out: &mut String, name: &str, element: &str, value: &str) {
    let _ = writeln!(
        out,
        "      <VariableValue>\n        <VariableRef targetGUID=\"{}\"/>\n        <{element}>{}</{element}>\n      </VariableValue>",
        derived_guid("variable", name, None),
        escape(value)
    );
}

/// One case per transcript, named by its participant label and carrying its attributes:
/// how NVivo and MAXQDA model interview participants.
fn write_cases(out: &mut String, project: &Project, names: &[String]) {
    let transcripts = project.transcripts_in_order();
    if transcripts.is_empty() {
        return;
    }
    out.push_str("  <Cases>\n");
    for t in transcripts {
        let _ = writeln!(
            out,
            "    <Case guid=\"{}\" name=\"{}\">",
            derived_guid("case", t.id.as_str(), None),
            escape(&t.meta.participant)
        );
        write_transcript_values(out, t, names);
        let _ = writeln!(
            out,
            "      <SourceRef targetGUID=\"{}\"/>",
            source_guid(&t.id)
        );
        out.push_str("    </Case>\n");
    }
    out.push_str("  </Cases>\n");
}

/// Writes a segment as one selection holding all its codes or, with
/// `one_code_per_selection`, as one selection per code over the same range. Returns how
/// many selections were written (none for a segment whose codes are all gone).
fn write_segment(
    out: &mut String,
    (coder, t): (&CoderId, &TranscriptId),
    segment: &Segment,
    project: &Project,
    refs: &NoteRefs,
    options: QdpxOptions,
) -> usize {
    let codes: Vec<&Code> = segment
        .codes
        .iter()
        .filter_map(|c| project.codebook.get(c))
        .collect();
    if codes.is_empty() {
        return 0;
    }
    let groups: Vec<(Option<usize>, &[&Code])> = if options.one_code_per_selection {
        (0..codes.len()).map(|i| (Some(i), &codes[i..=i])).collect()
    } else {
        vec![(None, &codes[..])]
    };
    let user = user_guid(coder);
    let name: String = segment.text.chars().take(60).collect();
    for (part, group) in &groups {
        let _ = writeln!(
            out,
            "      <PlainTextSelection guid=\"{}\" name=\"{}\" startPosition=\"{}\" endPosition=\"{}\" creatingUser=\"{user}\" creationDateTime=\"{}\"{}>",
            selection_guid(coder, t, segment, *part),
            escape(&name),
            segment.start,
            segment.end,
            segment.created,
            segment
                .updated
                .map_or_else(String::new, |u| format!(" modifiedDateTime=\"{u}\""))
        );
        for code in *group {
            let key = format!("{coder}/{t}/{}/{}", segment.id, code.id);
            let _ = writeln!(
                out,
                "        <Coding guid=\"{}\" creatingUser=\"{user}\" creationDateTime=\"{}\">\n          <CodeRef targetGUID=\"{}\"/>\n        </Coding>",
                derived_guid("coding", &key, None),
                segment.created,
                code.guid.hyphenated()
            );
        }
        // Memos on the segment are referred to once, from its first selection.
        if part.unwrap_or(0) == 0 {
            let key = (coder.clone(), t.clone(), segment.id.to_string());
            note_refs(out, "        ", refs.segments.get(&key));
        }
        out.push_str("      </PlainTextSelection>\n");
    }
    groups.len()
}

/// The variable values a transcript carries, written on its case and on its source.
fn write_transcript_values(out: &mut String, t: &crate::model::Transcript, names: &[String]) {
    for name in names {
        if let Some(value) = t.meta.attributes.get(name) {
            variable_value(out, name, "TextValue", value);
        }
    }
    if let Some(order) = t.meta.order {
        variable_value(out, "Interview order", "IntegerValue", &order.to_string());
    }
    if let Some(date) = t.meta.date {
        variable_value(out, "Interview date", "DateValue", &date.to_string());
    }
}

fn write_sources(
    out: &mut String,
    project: &Project,
    refs: &NoteRefs,
    names: &[String],
    options: QdpxOptions,
    counts: &mut Counts,
) {
    let transcripts = project.transcripts_in_order();
    if transcripts.is_empty() {
        return;
    }
    out.push_str("  <Sources>\n");
    for t in transcripts {
        let _ = write!(
            out,
            "    <TextSource guid=\"{}\" name=\"{}\" plainTextPath=\"internal://{}\"",
            source_guid(&t.id),
            escape(&t.meta.title),
            source_file(&t.id)
        );
        if let Some(imported) = t.meta.imported {
            let _ = write!(out, " creationDateTime=\"{imported}\"");
        }
        out.push_str(">\n");
        for (coder, by_transcript) in project.codings() {
            for segment in by_transcript.get(&t.id).into_iter().flatten() {
                counts.selections +=
                    write_segment(out, (coder, &t.id), segment, project, refs, options);
            }
        }
        note_refs(out, "      ", refs.transcripts.get(&t.id));
        // Attributes on the source as well as on its case: some readers ignore cases.
        write_transcript_values(out, t, names);
        variable_value(out, TRANSCRIPT_ID_VARIABLE, "TextValue", t.id.as_str());
        out.push_str("    </TextSource>\n");
        counts.sources += 1;
    }
    out.push_str("  </Sources>\n");
}

fn write_notes(out: &mut String, project: &Project, counts: &mut Counts) {
    let mut memos = project.memos().peekable();
    if memos.peek().is_none() {
        return;
    }
    out.push_str("  <Notes>\n");
    for memo in memos {
        let _ = writeln!(
            out,
            "    <Note guid=\"{}\" name=\"{}\" plainTextPath=\"internal://{}\" creatingUser=\"{}\" creationDateTime=\"{}\" modifiedDateTime=\"{}\">\n      <PlainTextContent>{}</PlainTextContent>\n    </Note>",
            note_guid(&memo.id),
            escape(&memo.title),
            note_file(&memo.id),
            user_guid(&memo.author),
            memo.created,
            memo.updated,
            escape_text(&memo.body)
        );
        counts.notes += 1;
    }
    out.push_str("  </Notes>\n");
}

/// The project file (`project.qde`).
pub fn project_xml(project: &Project, options: QdpxOptions) -> (String, Counts) {
    let mut counts = Counts::default();
    let refs = NoteRefs::of(project);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        out,
        "<Project xmlns=\"{PROJECT_NS}\" name=\"{}\" origin=\"{}\">",
        escape(&project.meta.name),
        escape(&origin())
    );
    if !project.meta.coders.is_empty() {
        out.push_str("  <Users>\n");
        for coder in &project.meta.coders {
            let _ = writeln!(
                out,
                "    <User guid=\"{}\" id=\"{}\" name=\"{}\"/>",
                user_guid(&coder.id),
                escape(coder.id.as_str()),
                escape(&coder.name)
            );
            counts.users += 1;
        }
        out.push_str("  </Users>\n");
    }
    if !project.codebook.is_empty() {
        out.push_str("  <CodeBook>\n    <Codes>\n");
        let coded = directly_coded(project);
        // <Project><CodeBook><Codes><Code>: codes stand three deep.
        write_codes(&mut out, project, None, 3, &coded, Some(&refs));
        out.push_str("    </Codes>\n  </CodeBook>\n");
        counts.codes = project.codebook.len();
    }
    // Attributes in the order thematic.yaml declares them, then any others (as in the CSV).
    let names = crate::interop::segments_csv::attribute_columns(project);
    let transcripts = project.transcripts_in_order();
    let mut meta = Vec::new();
    if transcripts.iter().any(|t| t.meta.order.is_some()) {
        meta.push("Interview order");
    }
    if transcripts.iter().any(|t| t.meta.date.is_some()) {
        meta.push("Interview date");
    }
    if !transcripts.is_empty() {
        meta.push(TRANSCRIPT_ID_VARIABLE);
    }
    write_variables(&mut out, project, &names, &meta);
    write_cases(&mut out, project, &names);
    write_sources(&mut out, project, &refs, &names, options, &mut counts);
    write_notes(&mut out, project, &mut counts);
    write_sets(&mut out, &code_sets(project), "targetGUID");
    if !project.meta.description.is_empty() {
        let _ = writeln!(
            out,
            "  <Description>{}</Description>",
            escape_text(&project.meta.description)
        );
    }
    note_refs(&mut out, "  ", Some(&refs.journal));
    out.push_str("</Project>\n");
    (out, counts)
}

/// The part of a project to hand to a colleague: only `transcripts` (all when empty), and
/// with `without_coding` nobody's segments or memos (what a second coder starts from in
/// another program, blind to the first coder's work). Memos about what is left out go too.
pub fn narrowed(
    project: &Project,
    transcripts: &[TranscriptId],
    without_coding: bool,
) -> Result<Project, RefiError> {
    if let Some(unknown) = transcripts.iter().find(|t| project.transcript(t).is_none()) {
        return Err(RefiError::Invalid(format!("no transcript {unknown}")));
    }
    let kept = |t: &TranscriptId| transcripts.is_empty() || transcripts.contains(t);
    let mut out = Project::new(project.meta.clone());
    out.codebook = project.codebook.clone();
    out.transcripts = project
        .transcripts
        .iter()
        .filter(|(id, _)| kept(id))
        .map(|(id, t)| (id.clone(), t.clone()))
        .collect();
    if without_coding {
        return Ok(out);
    }
    for (coder, by_transcript) in &project.codings {
        let segments: crate::model::project::CoderCodings = by_transcript
            .iter()
            .filter(|(t, _)| kept(t))
            .map(|(t, s)| (t.clone(), s.clone()))
            .collect();
        out.codings.insert(coder.clone(), segments);
    }
    out.memos = project
        .memos
        .iter()
        .filter(|(_, memo)| {
            memo.links.iter().all(|link| match link {
                MemoLink::Code(_) => true,
                MemoLink::Transcript(t) => kept(t),
                MemoLink::Segment(s) => kept(&s.transcript),
            })
        })
        .map(|(id, memo)| (id.clone(), memo.clone()))
        .collect();
    Ok(out)
}

/// What REFI-QDA has no place for, said once per kind.
fn left_out(project: &Project) -> Vec<String> {
    let mut left = Vec::new();
    let exemplars = project
        .codebook
        .walk()
        .iter()
        .filter(|(_, c)| c.exemplar.is_some())
        .count();
    if exemplars > 0 {
        left.push(format!(
            "{exemplars} exemplar quote choice(s) in the codebook"
        ));
    }
    if project.meta.sample().is_some() {
        left.push("the double-coding sample (thematic.yaml `sample`)".into());
    }
    let reviews = project.reviews().count();
    if reviews > 0 {
        left.push(format!("{reviews} memo review thread(s)"));
    }
    if !project.done.is_empty() {
        left.push(format!(
            "{} done mark(s) on transcripts",
            project.done.len()
        ));
    }
    let audit = project.audit().len();
    if audit > 0 {
        left.push(format!("{audit} audit-trail entr(ies)"));
    }
    left
}

/// The whole project as a `.qdpx` archive.
pub fn qdpx(project: &Project, options: QdpxOptions) -> Result<QdpxExport, RefiError> {
    let (xml, counts) = project_xml(project, options);
    let zip_err =
        |e: zip::result::ZipError| RefiError::Invalid(format!("cannot build the archive: {e}"));
    let io_err = |e: std::io::Error| RefiError::Invalid(format!("cannot build the archive: {e}"));
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let entry = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    writer.start_file("project.qde", entry).map_err(zip_err)?;
    writer.write_all(xml.as_bytes()).map_err(io_err)?;
    for t in project.transcripts_in_order() {
        writer
            .start_file(format!("sources/{}", source_file(&t.id)), entry)
            .map_err(zip_err)?;
        writer.write_all(t.text().as_bytes()).map_err(io_err)?;
    }
    for memo in project.memos() {
        writer
            .start_file(format!("sources/{}", note_file(&memo.id)), entry)
            .map_err(zip_err)?;
        writer.write_all(memo.body.as_bytes()).map_err(io_err)?;
    }
    let bytes = writer.finish().map_err(zip_err)?.into_inner();
    Ok(QdpxExport {
        bytes,
        counts,
        left_out: left_out(project),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_guids_are_stable_well_formed_and_keep_their_prefix() {
        let a = derived_guid("segment", "alex/p01/s-0123456789ab", Some("s-0123456789ab"));
        assert_eq!(
            a,
            derived_guid("segment", "alex/p01/s-0123456789ab", Some("s-0123456789ab"))
        );
        assert!(a.starts_with("01234567-89ab-8"), "{a}");
        let parsed = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(parsed.get_version_num(), 8);
        assert_ne!(
            derived_guid("memo", "x", None),
            derived_guid("coder", "x", None)
        );
    }
}
