//! Reading REFI-QDA: a `.qdpx` project (or a `.qde` with its `sources` folder) or a `.qdc`
//! codebook, into a new project. Everything that has a place in thematic is mapped; what
//! has none (pictures, audio, video, PDFs, graphs, links between arbitrary objects) is
//! listed in the summary, never dropped silently.

mod codes;
mod notes;
mod people;
mod sources;
mod variables;

use super::package::{Package, read_limited};
use super::positions::{self, Convention, Fit, SourceSelections, Units};
use super::xml::{self, Element};
use super::{RefiError, definition};
use crate::interop::import::decode_text;
use crate::model::ids::slugify;
use crate::model::transcript::sha256_hex;
use crate::model::{
    AttributeDef, Code, CodeId, Codebook, Coder, CoderId, Colour, Level, Memo, MemoId, MemoLink,
    Position, Project, ProjectMeta, Segment, SegmentId, SegmentRef, Transcript, TranscriptId,
    TranscriptMeta,
};
use crate::text::normalize::{normalize_mapped, sanitize_for_terminal};
use jiff::Timestamp;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

/// What an import did, for the person running it.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    pub file: String,
    pub kind: &'static str,
    pub origin: String,
    pub coders: Vec<CoderId>,
    pub codes: usize,
    pub transcripts: usize,
    /// Coded text selections read (PlainTextSelection elements with at least one coding).
    pub selections: usize,
    pub segments: usize,
    pub memos: usize,
    /// The counting convention chosen for text positions, and how each one fitted.
    pub positions: Option<(Fit, Vec<Fit>)>,
    pub not_imported: Vec<String>,
    pub warnings: Vec<String>,
}

impl Summary {
    pub fn render(&self) -> String {
        let mut out = format!("Imported {} {}", self.kind, self.file);
        if !self.origin.is_empty() {
            out.push_str(&format!(" (written by {})", self.origin));
        }
        out.push('\n');
        let coders: Vec<&str> = self.coders.iter().map(CoderId::as_str).collect();
        out.push_str(&format!(
            "  coders:       {} ({})\n",
            coders.len(),
            coders.join(", ")
        ));
        out.push_str(&format!("  codes:        {}\n", self.codes));
        out.push_str(&format!("  transcripts:  {}\n", self.transcripts));
        out.push_str(&format!(
            "  selections:   {} coded text selections -> {} segments\n",
            self.selections, self.segments
        ));
        if self.segments < self.selections {
            out.push_str("                (the same text coded by the same coder is one segment with several codes)\n");
        }
        out.push_str(&format!("  memos:        {}\n", self.memos));
        if let Some((fit, all)) = &self.positions {
            out.push_str(&format!(
                "  positions:    counted as {}: {} of {} selections start and end on word boundaries\n",
                fit.convention.describe(),
                fit.on_boundaries,
                fit.total
            ));
            for other in all.iter().filter(|f| f.convention != fit.convention) {
                out.push_str(&format!(
                    "                (as {}: {} of {})\n",
                    other.convention.describe(),
                    other.on_boundaries,
                    other.total
                ));
            }
        }
        list(&mut out, "Not imported", &self.not_imported);
        list(&mut out, "Warnings", &self.warnings);
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

pub struct Imported {
    pub project: Project,
    pub summary: Summary,
}

/// Imports a `.qdpx`, `.qdc` or `.qde` file (or a folder holding one `.qde`).
pub fn import_file(path: &Path) -> Result<Imported, RefiError> {
    let io = |source| RefiError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    if path.is_dir() {
        let qde = single_qde_in(path)?;
        return import_project(Package::open_folder(&qde)?, &file);
    }
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "qdpx" => {
            let size = std::fs::metadata(path).map_err(io)?.len();
            if size > super::package::MAX_ENTRY_BYTES {
                return Err(RefiError::Invalid(format!(
                    "{}: {size} bytes is larger than the import limit",
                    path.display()
                )));
            }
            let bytes = std::fs::read(path).map_err(io)?;
            import_project(Package::open_zip(path, bytes)?, &file)
        }
        "qde" => import_project(Package::open_folder(path)?, &file),
        "qdc" => {
            let bytes = read_limited(path)?;
            let text = decode_text(&bytes, path).map_err(|e| RefiError::Invalid(e.to_string()))?;
            import_codebook(&text, &file)
        }
        _ => Err(RefiError::Invalid(format!(
            "{}: expected a .qdpx project or a .qdc codebook",
            path.display()
        ))),
    }
}

fn single_qde_in(dir: &Path) -> Result<std::path::PathBuf, RefiError> {
    let listing = std::fs::read_dir(dir).map_err(|source| RefiError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let qdes: Vec<_> = listing
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("qde"))
        })
        .collect();
    match qdes.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(RefiError::Invalid(format!(
            "{}: expected exactly one .qde project file in the folder, found {}",
            dir.display(),
            qdes.len()
        ))),
    }
}

fn parse_xml(text: &str, what: &str) -> Result<Element, RefiError> {
    xml::parse(text).map_err(|e| RefiError::Invalid(format!("{what}: {e}")))
}

/// Imports a `.qdc` codebook into a new, empty project.
pub fn import_codebook(text: &str, file: &str) -> Result<Imported, RefiError> {
    let root = parse_xml(text, file)?;
    if root.name != "CodeBook" {
        return Err(RefiError::Invalid(format!(
            "{file}: the root element is <{}>, not <CodeBook>",
            root.name
        )));
    }
    let mut ctx = Context::new(root.attr("origin").unwrap_or_default());
    ctx.summary.kind = "REFI-QDA codebook";
    ctx.summary.file = file.to_string();
    if let Some(codes) = root.first("Codes") {
        ctx.read_codes(codes, None);
    }
    ctx.read_sets(root.first("Sets"));
    ctx.assign_levels();
    let name = Path::new(file)
        .file_stem()
        .map_or("Imported codebook".into(), |s| {
            s.to_string_lossy().into_owned()
        });
    Ok(ctx.finish(ProjectMeta::new(name)))
}

/// Imports a whole project.
fn import_project(mut package: Package, file: &str) -> Result<Imported, RefiError> {
    let text = package.project_xml()?;
    let root = parse_xml(&text, &format!("{file} (project file)"))?;
    if root.name != "Project" {
        return Err(RefiError::Invalid(format!(
            "{file}: the project file's root element is <{}>, not <Project>",
            root.name
        )));
    }
    let origin = root.attr("origin").unwrap_or_default().to_string();
    let mut ctx = Context::new(&origin);
    ctx.summary.kind = "REFI-QDA project";
    ctx.summary.file = file.to_string();
    ctx.project_creator = root
        .attr("creatingUserGUID")
        .map(|g| g.trim().to_lowercase());
    ctx.read_users(root.first("Users"));
    if let Some(codes) = root.first("CodeBook").and_then(|b| b.first("Codes")) {
        ctx.read_codes(codes, None);
    }
    ctx.read_sets(root.first("Sets"));
    ctx.assign_levels();
    ctx.read_variables(root.first("Variables"));
    ctx.read_sources(root.first("Sources"), &mut package);
    ctx.read_cases(root.first("Cases"));
    ctx.read_notes(&root, &mut package);
    ctx.list_unmapped(&root);
    let mut meta = ProjectMeta::new(
        root.attr("name")
            .map(clean_line)
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "Imported project".into()),
    );
    meta.description = root
        .child_text("Description")
        .unwrap_or_default()
        .trim()
        .to_string();
    Ok(ctx.finish(meta))
}

/// A name or title on one line, safe for the terminal.
fn clean_line(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    sanitize_for_terminal(one_line.trim()).into_owned()
}

fn parse_guid(raw: &str) -> Option<uuid::Uuid> {
    let trimmed = raw.trim().trim_start_matches('{').trim_end_matches('}');
    if trimmed.len() != 36 {
        return None;
    }
    uuid::Uuid::parse_str(trimmed).ok()
}

fn hex_of(raw: &str) -> String {
    parse_guid(raw).map_or_else(String::new, |g| g.simple().to_string())
}

fn timestamp(element: &Element, attr: &str) -> Option<Timestamp> {
    element.attr(attr).and_then(|t| t.parse::<Timestamp>().ok())
}

fn positions_of(selection: &Element) -> Option<(usize, usize)> {
    let start = selection.attr("startPosition")?.trim().parse().ok()?;
    let end = selection.attr("endPosition")?.trim().parse().ok()?;
    Some((start, end))
}

/// A text source read from the package, before its selections are placed.
struct SourceText {
    raw: String,
    /// Where each raw position lands in the stored text (its text moved into the transcript).
    mapped: crate::text::normalize::Mapped,
    transcript: TranscriptId,
}

struct Context {
    origin: String,
    from_thematic: bool,
    summary: Summary,
    now: Timestamp,
    users: HashMap<String, CoderId>,
    coders: Vec<Coder>,
    default_coder: Option<CoderId>,
    codebook: Codebook,
    /// Raw GUID string -> code.
    codes: HashMap<String, CodeId>,
    /// GUIDs given to codes so far, to catch one used twice.
    guids: HashSet<uuid::Uuid>,
    /// Codes marked isCodable="false", and the depth of each code.
    not_codable: HashSet<CodeId>,
    levels_from_sets: HashMap<CodeId, Level>,
    transcripts: BTreeMap<TranscriptId, Transcript>,
    /// Raw source GUID -> transcript.
    sources: HashMap<String, TranscriptId>,
    codings: BTreeMap<CoderId, BTreeMap<TranscriptId, Vec<Segment>>>,
    /// Raw selection (or coding) GUID -> the segments made from it.
    selections: HashMap<String, Vec<SegmentRef>>,
    /// Raw selection GUID -> its transcript, for notes on selections that carry no code.
    selection_sources: HashMap<String, TranscriptId>,
    /// Note GUID -> what refers to it.
    note_links: HashMap<String, Vec<MemoLink>>,
    attributes: Vec<AttributeDef>,
    /// Raw variable GUID -> variable name.
    variable_names: HashMap<String, String>,
    memos: BTreeMap<MemoId, Memo>,
    /// Codes whose GUID was not a GUID: reported together.
    bad_guids: Vec<String>,
    /// (set name, source GUID): sets of sources, applied once sources are read.
    source_sets: Vec<(String, String)>,
    /// Who made the project, for notes that name no author.
    project_creator: Option<String>,
}

impl Context {
    fn new(origin: &str) -> Context {
        Context {
            origin: origin.to_string(),
            from_thematic: origin.starts_with("thematic"),
            summary: Summary {
                origin: origin.to_string(),
                ..Summary::default()
            },
            now: Timestamp::now(),
            users: HashMap::new(),
            coders: Vec::new(),
            default_coder: None,
            codebook: Codebook::default(),
            codes: HashMap::new(),
            guids: HashSet::new(),
            not_codable: HashSet::new(),
            levels_from_sets: HashMap::new(),
            transcripts: BTreeMap::new(),
            sources: HashMap::new(),
            codings: BTreeMap::new(),
            selections: HashMap::new(),
            selection_sources: HashMap::new(),
            note_links: HashMap::new(),
            attributes: Vec::new(),
            variable_names: HashMap::new(),
            memos: BTreeMap::new(),
            bad_guids: Vec::new(),
            source_sets: Vec::new(),
            project_creator: None,
        }
    }

    fn warn(&mut self, message: impl Into<String>) {
        self.summary.warnings.push(message.into());
    }

    fn skip(&mut self, message: impl Into<String>) {
        self.summary.not_imported.push(message.into());
    }

    fn finish(mut self, mut meta: ProjectMeta) -> Imported {
        for segments in self.codings.values_mut().flat_map(|by| by.values_mut()) {
            crate::model::coding::sort_segments(segments);
        }
        self.summary.transcripts = self.transcripts.len();
        self.summary.segments = self
            .codings
            .values()
            .flat_map(|by| by.values())
            .map(Vec::len)
            .sum();
        self.summary.coders = self.coders.iter().map(|c| c.id.clone()).collect();
        meta.coders = self.coders;
        meta.attributes = self.attributes;
        let mut project = Project::new(meta);
        project.codebook = self.codebook;
        project.transcripts = self.transcripts;
        project.codings = self.codings;
        project.memos = self.memos;
        Imported {
            project,
            summary: self.summary,
        }
    }
}

/// An attribute with more distinct values than this is free text, not a category.
const MAX_CATEGORY_VALUES: usize = 12;

/// Writes an imported project to a new folder, all or nothing: it is built in a temporary
/// folder beside the target and renamed into place.
pub fn write_new_project(imported: &Imported, dir: &Path) -> Result<(), RefiError> {
    let io = |path: &Path, source| RefiError::Io {
        path: path.to_path_buf(),
        source,
    };
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| io(dir, e))?;
        if entries.next().is_some() {
            return Err(RefiError::Invalid(format!(
                "{}: the folder is not empty; import into a new folder",
                dir.display()
            )));
        }
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = dir
        .file_name()
        .map_or_else(|| "project".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.importing-{}", std::process::id()));
    let result = stage(imported, &staging).and_then(|()| {
        if dir.exists() {
            std::fs::remove_dir(dir).map_err(|e| io(dir, e))?;
        }
        std::fs::rename(&staging, dir).map_err(|e| io(dir, e))
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn stage(imported: &Imported, staging: &Path) -> Result<(), RefiError> {
    let invalid = |e: crate::store::StoreError| RefiError::Invalid(e.to_string());
    let mut loaded =
        crate::store::create(staging, imported.project.meta.clone()).map_err(invalid)?;
    loaded.store.persist_all(&imported.project).map_err(invalid)
}

fn unreachable_id<T>() -> T {
    // Every literal passed where this is used is a valid id; reaching here is a bug.
    panic!("a literal id failed validation")
}

fn is_meta_variable(name: &str) -> bool {
    matches!(
        name,
        "Interview order" | "Interview date" | super::export::TRANSCRIPT_ID_VARIABLE
    )
}

/// The segment id a selection GUID begins with (thematic's exports put it there).
fn segment_id_in(guid: &str) -> Option<SegmentId> {
    let hex = hex_of(guid);
    (hex.len() >= 12)
        .then(|| SegmentId::new(format!("s-{}", &hex[..12])).ok())
        .flatten()
}

fn segment_id(guid: &str, taken: &[Segment]) -> SegmentId {
    match segment_id_in(guid) {
        Some(id) if !taken.iter().any(|s| s.id == id) => id,
        _ => loop {
            let id = SegmentId::random();
            if !taken.iter().any(|s| s.id == id) {
                break id;
            }
        },
    }
}

fn parse_colour(text: &str) -> Option<Colour> {
    let text = text.trim();
    let hex = text.strip_prefix('#')?;
    if hex.len() == 3 && hex.is_ascii() {
        let doubled: String = hex.chars().flat_map(|c| [c, c]).collect();
        return Colour::parse(&format!("#{doubled}"));
    }
    Colour::parse(&text.to_ascii_lowercase())
}

fn count_descendants(el: &Element, name: &str) -> usize {
    el.children
        .iter()
        .map(|c| usize::from(c.name == name) + count_descendants(c, name))
        .sum()
}
