//! Turning transcript files (.txt, .md, .docx, .odt, .pdf, .html, .vtt, .srt) into
//! transcripts. Every format ends in the same normalisation (LF, NFC, tabs expanded, control
//! characters replaced), so the stored text is canonical whatever it came from. Time marks
//! in the text (`[00:01:23]`, as VTT/SRT import writes them) become the transcript's time
//! map; a PDF's page starts its page map; a recording beside the file (or given) is linked.

use super::subtitles::{SubtitleError, srt_to_text, vtt_to_text};
use crate::model::ids::slugify;
use crate::model::transcript::{PageMark, find_time_marks, sha256_hex};
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
    Odt,
    Pdf,
    Html,
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
            "odt" => Format::Odt,
            "pdf" => Format::Pdf,
            "html" | "htm" | "xhtml" => Format::Html,
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
    #[error("{path}: unsupported file type (use .txt, .md, .docx, .odt, .pdf, .html, .vtt or .srt)", path = path.display())]
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
    #[error("{path}: not usable HTML ({reason})", path = path.display())]
    BadHtml { path: PathBuf, reason: String },
    #[error("{path}: not a valid .odt ({reason})", path = path.display())]
    BadOdt { path: PathBuf, reason: String },
    #[error("{path}: {source}", path = path.display())]
    Pdf {
        path: PathBuf,
        #[source]
        source: super::pdf::PdfError,
    },
    #[error("{path}: {source}", path = path.display())]
    Subtitles {
        path: PathBuf,
        #[source]
        source: SubtitleError,
    },
    #[error("{path}: {reason}", path = path.display())]
    BadId { path: PathBuf, reason: String },
    #[error("{path}: the recording {media} cannot be used: {reason}", path = path.display(), media = media.display())]
    BadMedia {
        path: PathBuf,
        media: PathBuf,
        reason: String,
    },
}

/// A transcript's text as imported, with where each PDF page starts in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedText {
    pub text: String,
    pub pages: Vec<PageMark>,
}

/// Reads one file and returns its normalised text.
pub fn read_transcript_file(path: &Path) -> Result<String, ImportError> {
    read_transcript(path).map(|imported| imported.text)
}

/// Reads one file: its normalised text and, for a PDF, where its pages start.
pub fn read_transcript(path: &Path) -> Result<ImportedText, ImportError> {
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
    imported_from_bytes(format, &bytes, path)
}

/// Converts a file's bytes in the given format to normalised transcript text.
pub fn text_from_bytes(format: Format, bytes: &[u8], path: &Path) -> Result<String, ImportError> {
    imported_from_bytes(format, bytes, path).map(|imported| imported.text)
}

/// Converts a file's bytes in the given format to normalised transcript text, with its page
/// map when it is a PDF.
pub fn imported_from_bytes(
    format: Format,
    bytes: &[u8],
    path: &Path,
) -> Result<ImportedText, ImportError> {
    let raw = match format {
        Format::Docx => docx_text(bytes).map_err(|reason| ImportError::BadDocx {
            path: path.into(),
            reason,
        })?,
        Format::Odt => {
            super::odt::odt_text(bytes, MAX_IMPORT_BYTES).map_err(|reason| ImportError::BadOdt {
                path: path.into(),
                reason,
            })?
        }
        Format::Pdf => {
            super::pdf::pdf_text(bytes, MAX_IMPORT_BYTES).map_err(|source| ImportError::Pdf {
                path: path.into(),
                source,
            })?
        }
        _ => {
            let decoded = decode_text(bytes, path)?;
            match format {
                Format::Markdown => markdown_text(&decoded),
                Format::Html => {
                    super::html::html_text(&decoded).map_err(|reason| ImportError::BadHtml {
                        path: path.into(),
                        reason,
                    })?
                }
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
    let (text, pages) = take_page_starts(&normalize_import(&raw));
    let trimmed_end = text.trim_end().len();
    if text.trim().is_empty() {
        return Err(ImportError::Empty { path: path.into() });
    }
    // One final newline, no trailing blank lines.
    let text = format!("{}\n", &text[..trimmed_end]);
    let chars = text.chars().count();
    let pages = pages
        .into_iter()
        .filter(|p| p.at < chars)
        .collect::<Vec<_>>();
    Ok(ImportedText { text, pages })
}

/// Removes the PDF importer's page-start marks, noting where each page starts (a page with
/// no text starts where the next does; only the last page starting at a place is kept).
fn take_page_starts(text: &str) -> (String, Vec<PageMark>) {
    use super::pdf::PAGE_START;
    if !text.contains(PAGE_START) {
        return (text.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(text.len());
    let mut pages: Vec<PageMark> = Vec::new();
    let mut chars = 0usize;
    let mut page = 0u32;
    for c in text.chars() {
        if c == PAGE_START {
            page += 1;
            if pages.last().is_some_and(|p| p.at == chars) {
                pages.pop();
            }
            pages.push(PageMark { at: chars, page });
        } else {
            out.push(c);
            chars += 1;
        }
    }
    (out, pages)
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
    let xml = read_zip_entry(bytes, "word/document.xml", MAX_IMPORT_BYTES)?;
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

/// The text of one entry of a zip archive (.docx, .odt), at most `limit` bytes however
/// large the archive says it is (a zip bomb can lie).
pub(crate) fn read_zip_entry(bytes: &[u8], name: &str, limit: u64) -> Result<String, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| "it is not a zip archive".to_string())?;
    let entry = archive
        .by_name(name)
        .map_err(|_| format!("{name} is missing"))?;
    if entry.size() > limit {
        return Err(format!(
            "its document is {} bytes uncompressed, more than allowed",
            entry.size()
        ));
    }
    let mut xml = String::new();
    entry
        .take(limit + 1)
        .read_to_string(&mut xml)
        .map_err(|e| format!("cannot read {name}: {e}"))?;
    if xml.len() as u64 > limit {
        return Err("its document expands past the size limit".into());
    }
    Ok(xml)
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
    /// The interview's recording (`import --media`); by default a media file with the
    /// transcript's name beside it.
    pub media: Option<PathBuf>,
}

/// Extensions of recordings looked for beside a transcript (audio, then video).
pub const MEDIA_EXTENSIONS: [&str; 13] = [
    "mp3", "m4a", "wav", "ogg", "opus", "flac", "aac", "mp4", "m4v", "mov", "mkv", "webm", "avi",
];

/// A recording with the transcript's name beside it (`p07.vtt` and `p07.m4a`).
pub fn media_beside(transcript: &Path) -> Option<PathBuf> {
    MEDIA_EXTENSIONS
        .iter()
        .flat_map(|ext| [ext.to_string(), ext.to_ascii_uppercase()])
        .map(|ext| transcript.with_extension(ext))
        .find(|candidate| candidate.is_file())
}

/// How a recording is recorded in the transcript's YAML: relative to the project folder
/// when it lies inside it (so the project can move), else absolute.
pub fn media_reference(media: &Path, project_root: Option<&Path>) -> Result<String, String> {
    let absolute = media
        .canonicalize()
        .map_err(|e| format!("cannot find it: {e}"))?;
    if !absolute.is_file() {
        return Err("it is not a file".into());
    }
    let root = project_root.and_then(|r| r.canonicalize().ok());
    let stored = match root.as_deref().and_then(|r| absolute.strip_prefix(r).ok()) {
        Some(inside) => inside
            .components()
            .map(|c| c.as_os_str().to_str())
            .collect::<Option<Vec<_>>>()
            .map(|parts| parts.join("/")),
        None => absolute.to_str().map(str::to_string),
    };
    stored.ok_or_else(|| "its path is not valid UTF-8".into())
}

/// Builds a transcript for `path` with text `text`, choosing an id that is free in `project`
/// and not in `taken` (ids chosen earlier in the same import).
pub fn build_transcript(
    project: &Project,
    taken: &HashSet<TranscriptId>,
    path: &Path,
    imported: ImportedText,
    details: ImportDetails,
    next_number: u32,
) -> Result<Transcript, ImportError> {
    let ImportedText { text, pages } = imported;
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
        media: details.media.map(|m| m.to_string_lossy().into_owned()),
        times: find_time_marks(&text),
        pages,
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
        assert_eq!(Format::of(Path::new("a.pdf")), Some(Format::Pdf));
        assert_eq!(Format::of(Path::new("a.HTM")), Some(Format::Html));
        assert_eq!(Format::of(Path::new("a.odt")), Some(Format::Odt));
        assert_eq!(Format::of(Path::new("a.rtf")), None);
        assert_eq!(Format::of(Path::new("noext")), None);
    }
}

/// One file to import with the details given for it.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub path: PathBuf,
    pub details: ImportDetails,
}

/// Resolves the recording given for `path` (or found beside it) to the reference to store.
fn link_media(
    path: &Path,
    mut details: ImportDetails,
    root: Option<&Path>,
) -> Result<ImportDetails, ImportError> {
    let Some(media) = details.media.take().or_else(|| media_beside(path)) else {
        return Ok(details);
    };
    let stored = media_reference(&media, root).map_err(|reason| ImportError::BadMedia {
        path: path.into(),
        media: media.clone(),
        reason,
    })?;
    details.media = Some(PathBuf::from(stored));
    Ok(details)
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
    plan_import_at(project, None, requests)
}

/// As [`plan_import`], for the project in folder `root`: recordings inside it are linked by
/// a path relative to it.
pub fn plan_import_at(
    project: &Project,
    root: Option<&Path>,
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
        let built = link_media(&request.path, request.details, root).and_then(|details| {
            let imported = read_transcript(&request.path)?;
            build_transcript(project, &taken, &request.path, imported, details, number)
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
