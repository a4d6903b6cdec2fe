//! Turning transcript files (.txt, .md, .docx, .vtt, .srt) into transcripts. Every format ends
//! in the same normalisation (LF, NFC, tabs expanded, control characters replaced), so the
//! stored text is canonical whatever it came from.

use super::subtitles::{SubtitleError, srt_to_text, vtt_to_text};
use crate::model::ids::slugify;
use crate::model::transcript::sha256_hex;
use crate::model::{Project, Transcript, TranscriptId, TranscriptMeta};
use crate::text::normalize_import;
use std::collections::{BTreeMap, HashSet};
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

/// Largest file accepted for import, and largest text a .docx may expand to.
pub const MAX_IMPORT_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Docx,
    WebVtt,
    Srt,
}

impl Format {
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Format::Text,
            "md" | "markdown" => Format::Markdown,
            "docx" => Format::Docx,
            "vtt" => Format::WebVtt,
            "srt" => Format::Srt,
            _ => return None,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: cannot read: {source}", path = path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: unsupported file type (use .txt, .md, .docx, .vtt or .srt)", path = path.display())]
    Unsupported { path: PathBuf },
    #[error("{path}: {size} bytes is larger than the {MAX_IMPORT_BYTES} bytes allowed", path = path.display())]
    TooLarge { path: PathBuf, size: u64 },
    #[error("{path}:{line}:{column}: not valid UTF-8 text; save it as UTF-8 and import again", path = path.display())]
    NotUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    #[error("{path}: the file has no text", path = path.display())]
    Empty { path: PathBuf },
    #[error("{path}: not a valid .docx ({reason})", path = path.display())]
    BadDocx { path: PathBuf, reason: String },
    #[error("{path}: {source}", path = path.display())]
    Subtitles {
        path: PathBuf,
        #[source]
        source: SubtitleError,
    },
    #[error("{path}: {reason}", path = path.display())]
    BadId { path: PathBuf, reason: String },
}

/// Reads one file and returns its normalised text.
pub fn read_transcript_file(path: &Path) -> Result<String, ImportError> {
    let format = Format::of(path).ok_or_else(|| ImportError::Unsupported { path: path.into() })?;
    let io = |source| ImportError::Io {
        path: path.into(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge {
            path: path.into(),
            size,
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    text_from_bytes(format, &bytes, path)
}

/// Converts a file's bytes in the given format to normalised transcript text.
pub fn text_from_bytes(format: Format, bytes: &[u8], path: &Path) -> Result<String, ImportError> {
    let raw = match format {
        Format::Docx => docx_text(bytes).map_err(|reason| ImportError::BadDocx {
            path: path.into(),
            reason,
        })?,
        _ => {
            let decoded = decode_text(bytes, path)?;
            match format {
                Format::Markdown => markdown_text(&decoded),
                Format::WebVtt => {
                    vtt_to_text(&decoded).map_err(|source| ImportError::Subtitles {
                        path: path.into(),
                        source,
                    })?
                }
                Format::Srt => srt_to_text(&decoded).map_err(|source| ImportError::Subtitles {
                    path: path.into(),
                    source,
                })?,
                _ => decoded,
            }
        }
    };
    let text = normalize_import(&raw);
    let trimmed_end = text.trim_end().len();
    if text.trim().is_empty() {
        return Err(ImportError::Empty { path: path.into() });
    }
    // One final newline, no trailing blank lines.
    Ok(format!("{}\n", &text[..trimmed_end]))
}

/// UTF-8 (with or without BOM) or UTF-16 with a BOM, as Windows tools sometimes write; the
/// BOM is not part of the text. Also what the REFI-QDA importer reads sources with.
pub fn decode_text(bytes: &[u8], path: &Path) -> Result<String, ImportError> {
    let utf16 = |le: bool| {
        let units = bytes[2..].chunks(2).map(|p| {
            let pair = [p[0], *p.get(1).unwrap_or(&0)];
            if le {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        });
        char::decode_utf16(units)
            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
    };
    match bytes {
        [0xFF, 0xFE, ..] => return Ok(utf16(true)),
        [0xFE, 0xFF, ..] => return Ok(utf16(false)),
        _ => {}
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let valid = std::str::from_utf8(&bytes[..e.utf8_error().valid_up_to()]).unwrap_or_default();
        ImportError::NotUtf8 {
            path: path.into(),
            line: valid.matches('\n').count() + 1,
            column: valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
        }
    })
}

/// Markdown to plain paragraphs: emphasis and links dropped, paragraphs and headings kept as
/// blank-line separated blocks, so "**Interviewer:** hi" becomes "Interviewer: hi".
fn markdown_text(input: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::with_capacity(input.len());
    for event in Parser::new(input) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) => {
                out.push_str("\n\n");
            }
            Event::Rule => out.push_str("\n\n"),
            _ => {}
        }
    }
    out
}

/// The body text of a .docx: each paragraph becomes a blank-line separated block; tabs and
/// line breaks inside paragraphs are kept; deleted tracked changes are left out.
fn docx_text(bytes: &[u8]) -> Result<String, String> {
    use quick_xml::events::Event;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| "it is not a zip archive".to_string())?;
    let entry = archive
        .by_name("word/document.xml")
        .map_err(|_| "word/document.xml is missing".to_string())?;
    if entry.size() > MAX_IMPORT_BYTES {
        return Err(format!(
            "its document is {} bytes uncompressed, more than allowed",
            entry.size()
        ));
    }
    let mut xml = String::new();
    // The declared size can lie (a zip bomb): read at most the limit.
    entry
        .take(MAX_IMPORT_BYTES + 1)
        .read_to_string(&mut xml)
        .map_err(|e| format!("cannot read word/document.xml: {e}"))?;
    if xml.len() as u64 > MAX_IMPORT_BYTES {
        return Err("its document expands past the size limit".into());
    }
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    let mut in_text = false;
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "word/document.xml at byte {}: {e}",
                reader.buffer_position()
            )
        })?;
        match event {
            Event::Start(e) if e.name().as_ref() == "w:t" => in_text = true,
            Event::End(e) if e.name().as_ref() == "w:t" => in_text = false,
            Event::Text(t) if in_text => current.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    current.push(c);
                } else if let Some(s) =
                    quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                {
                    current.push_str(s);
                }
            }
            Event::Empty(e) | Event::Start(e) if e.name().as_ref() == "w:tab" => current.push('\t'),
            Event::Empty(e) if matches!(e.name().as_ref(), "w:br" | "w:cr") => current.push('\n'),
            Event::End(e) if e.name().as_ref() == "w:p" => {
                if !current.trim().is_empty() {
                    paragraphs.push(std::mem::take(&mut current));
                }
                current.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !current.trim().is_empty() {
        paragraphs.push(current);
    }
    Ok(paragraphs.join("\n\n"))
}

/// Details for one imported transcript; anything left `None` gets a default.
#[derive(Debug, Clone, Default)]
pub struct ImportDetails {
    pub id: Option<String>,
    pub title: Option<String>,
    pub participant: Option<String>,
    pub order: Option<u32>,
    pub date: Option<jiff::civil::Date>,
    pub attributes: BTreeMap<String, String>,
}

/// Builds a transcript for `path` with text `text`, choosing an id that is free in `project`
/// and not in `taken` (ids chosen earlier in the same import).
pub fn build_transcript(
    project: &Project,
    taken: &HashSet<TranscriptId>,
    path: &Path,
    text: String,
    details: ImportDetails,
    next_number: u32,
) -> Result<Transcript, ImportError> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let is_free = |id: &TranscriptId| project.transcript(id).is_none() && !taken.contains(id);
    let id = match &details.id {
        Some(wanted) => {
            let id = TranscriptId::new(wanted.as_str()).map_err(|e| ImportError::BadId {
                path: path.into(),
                reason: e.to_string(),
            })?;
            if !is_free(&id) {
                return Err(ImportError::BadId {
                    path: path.into(),
                    reason: format!("a transcript with id {id} already exists"),
                });
            }
            id
        }
        None => {
            let base = slugify(&stem).unwrap_or_else(|| format!("t{next_number:02}"));
            crate::model::ids::numbered(&base)
                .filter_map(|s| TranscriptId::new(s).ok())
                .find(is_free)
                .ok_or_else(|| ImportError::BadId {
                    path: path.into(),
                    reason: "no free id".into(),
                })?
        }
    };
    let participant = details
        .participant
        .unwrap_or_else(|| format!("Participant {next_number}"));
    let meta = TranscriptMeta {
        title: details.title.unwrap_or(stem),
        participant,
        order: Some(details.order.unwrap_or(next_number)),
        date: details.date,
        source: path.file_name().map(|n| n.to_string_lossy().into_owned()),
        imported: Some(jiff::Timestamp::now()),
        attributes: details.attributes,
        sha256: sha256_hex(&text),
        chars: text.chars().count(),
    };
    Ok(Transcript::new(id, meta, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn txt(bytes: &[u8]) -> Result<String, ImportError> {
        text_from_bytes(Format::Text, bytes, Path::new("x.txt"))
    }

    #[test]
    fn text_is_normalised_whatever_its_encoding() {
        assert_eq!(
            txt(b"\xEF\xBB\xBFI:\tHi\r\nP1: caf\x65\xCC\x81\r\n\r\n").unwrap(),
            "I:  Hi\nP1: caf\u{e9}\n"
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Hé 👍".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(txt(&utf16).unwrap(), "Hé 👍\n");
    }

    #[test]
    fn decoding_drops_the_bom_in_every_encoding() {
        let p = Path::new("x");
        assert_eq!(decode_text(b"\xEF\xBB\xBFhi", p).unwrap(), "hi");
        assert_eq!(decode_text(b"\xFF\xFEh\0i\0", p).unwrap(), "hi");
        assert_eq!(decode_text(b"\xFE\xFF\0h\0i", p).unwrap(), "hi");
        assert!(decode_text(b"caf\xE9", p).is_err());
    }

    #[test]
    fn invalid_utf8_and_empty_files_are_errors_with_places() {
        match txt(b"line one\nab\xFFc") {
            Err(ImportError::NotUtf8 { line, column, .. }) => assert_eq!((line, column), (2, 3)),
            other => panic!("{other:?}"),
        }
        assert!(matches!(txt(b" \n\t\r\n"), Err(ImportError::Empty { .. })));
    }

    #[test]
    fn markdown_loses_markup_but_keeps_paragraphs() {
        let md = "# Interview 3\n\n**Interviewer:** How *was* it?\n\n**P3:** Fine, [really](http://x).\nHonestly.\n";
        let text = text_from_bytes(Format::Markdown, md.as_bytes(), Path::new("x.md")).unwrap();
        assert_eq!(
            text,
            "Interview 3\n\nInterviewer: How was it?\n\nP3: Fine, really. Honestly.\n"
        );
    }

    #[test]
    fn a_docx_that_is_not_a_zip_is_refused() {
        let err = text_from_bytes(Format::Docx, b"PK not really", Path::new("x.docx")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.docx: not a valid .docx (it is not a zip archive)"
        );
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::of(Path::new("a/B.DOCX")), Some(Format::Docx));
        assert_eq!(Format::of(Path::new("a.pdf")), None);
        assert_eq!(Format::of(Path::new("noext")), None);
    }
}

/// One file to import with the details given for it.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub path: PathBuf,
    pub details: ImportDetails,
}

/// What an import will do: one edit (undoable as a whole) and the transcripts it adds.
#[derive(Debug)]
pub struct ImportPlan {
    pub edit: crate::model::Edit,
    pub added: Vec<(TranscriptId, PathBuf, usize)>,
}

/// Reads every file and prepares one edit adding them all, with any new attribute names
/// added to the project's attribute list. Nothing is imported unless every file can be: the
/// errors of all files that failed are returned together.
pub fn plan_import(
    project: &Project,
    requests: Vec<ImportRequest>,
) -> Result<ImportPlan, Vec<ImportError>> {
    use crate::model::{AttributeDef, Edit};
    let mut errors = Vec::new();
    let mut taken = HashSet::new();
    let mut edits = Vec::new();
    let mut added = Vec::new();
    let first_number = project.next_participant_number();
    for (i, request) in requests.into_iter().enumerate() {
        let number = first_number + i as u32;
        let built = read_transcript_file(&request.path).and_then(|text| {
            build_transcript(
                project,
                &taken,
                &request.path,
                text,
                request.details,
                number,
            )
        });
        match built {
            Ok(transcript) => {
                taken.insert(transcript.id.clone());
                added.push((transcript.id.clone(), request.path, transcript.word_count()));
                edits.push(Edit::AddTranscript(Box::new(transcript)));
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut meta = project.meta.clone();
    for edit in &edits {
        if let Edit::AddTranscript(t) = edit {
            for name in t.meta.attributes.keys() {
                if !meta.attributes.iter().any(|a| &a.name == name) {
                    meta.attributes.push(AttributeDef {
                        name: name.clone(),
                        description: String::new(),
                        values: Vec::new(),
                    });
                }
            }
        }
    }
    if meta != project.meta {
        edits.push(Edit::UpdateProject {
            before: Box::new(project.meta.clone()),
            after: Box::new(meta),
        });
    }
    let label = format!("import {} transcript(s)", added.len());
    Ok(ImportPlan {
        edit: Edit::Batch { label, edits },
        added,
    })
}
