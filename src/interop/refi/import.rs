//! Reading REFI-QDA: a `.qdpx` project (or a `.qde` with its `sources` folder) or a `.qdc`
//! codebook, into a new project. Everything that has a place in thematic is mapped; what
//! has none (pictures, audio, video, PDFs, graphs, links between arbitrary objects) is
//! listed in the summary, never dropped silently.

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

    fn free_coder_id(&self, base: &str) -> CoderId {
        crate::model::ids::numbered(base)
            .filter_map(|s| CoderId::new(s).ok())
            .find(|id| !self.coders.iter().any(|c| &c.id == id))
            .unwrap_or_else(|| CoderId::new("coder").unwrap_or_else(|_| unreachable_id()))
    }

    fn add_coder(&mut self, wanted: &str, name: &str) -> CoderId {
        let base = slugify(wanted).unwrap_or_else(|| "coder".into());
        let id = self.free_coder_id(&base);
        self.coders.push(Coder {
            id: id.clone(),
            name: if name.is_empty() {
                id.to_string()
            } else {
                name.to_string()
            },
        });
        id
    }

    /// REFI users become coders. A thematic export carries the coder id in `User@id`;
    /// other programs' names are made into ids.
    fn read_users(&mut self, users: Option<&Element>) {
        for user in users.into_iter().flat_map(|u| u.all("User")) {
            let name = clean_line(user.attr("name").unwrap_or_default());
            let id_attr = user.attr("id").unwrap_or_default();
            let wanted = if self.from_thematic && !id_attr.is_empty() {
                id_attr.to_string()
            } else if !name.is_empty() {
                name.clone()
            } else {
                id_attr.to_string()
            };
            let id = self.add_coder(&wanted, &name);
            match user.attr("guid") {
                Some(guid) => {
                    self.users.insert(guid.trim().to_lowercase(), id);
                }
                None => self.warn(format!(
                    "user {name:?} has no guid; nothing can refer to them"
                )),
            }
        }
    }

    /// The coder for an element's `creatingUser`; failing that, the project's creator or
    /// its only user; failing that, a stand-in coder for unattributed work.
    fn coder_for(&mut self, user: Option<&str>) -> CoderId {
        if let Some(id) = user.and_then(|u| self.users.get(&u.trim().to_lowercase())) {
            return id.clone();
        }
        let creator = self.project_creator.clone();
        if let Some(id) = creator.and_then(|u| self.users.get(&u).cloned()) {
            return id;
        }
        if let [only] = self.coders.as_slice() {
            return only.id.clone();
        }
        if let Some(id) = &self.default_coder {
            return id.clone();
        }
        let id = self.add_coder("imported", "Imported (no user recorded)");
        self.warn(format!(
            "some work has no known user; it is attributed to the coder `{id}`"
        ));
        self.default_coder = Some(id.clone());
        id
    }

    fn code_id_for(&self, guid: &uuid::Uuid) -> CodeId {
        let hex = guid.simple().to_string();
        CodeId::new(format!("c-{}", &hex[..12]))
            .ok()
            .filter(|id| !self.codebook.contains(id))
            .unwrap_or_else(CodeId::random)
    }

    fn read_codes(&mut self, parent_el: &Element, parent: Option<&CodeId>) {
        for el in parent_el.all("Code") {
            let raw_guid = el.attr("guid").unwrap_or_default().trim().to_lowercase();
            let mut name = clean_line(el.attr("name").unwrap_or_default());
            if name.is_empty() {
                name = "(unnamed)".into();
            }
            let guid = match parse_guid(&raw_guid) {
                Some(g) if self.guids.insert(g) => g,
                Some(_) => {
                    self.warn(format!(
                        "code {name:?}: its GUID {raw_guid} is used twice; given a new one"
                    ));
                    uuid::Uuid::new_v4()
                }
                None => {
                    self.bad_guids.push(format!("{name} ({raw_guid})"));
                    uuid::Uuid::new_v4()
                }
            };
            let mut code = Code::new(name.clone(), Level::Code);
            code.id = self.code_id_for(&guid);
            code.guid = guid;
            code.colour = el.attr("color").and_then(parse_colour);
            if let Some(colour) = el.attr("color")
                && code.colour.is_none()
            {
                self.warn(format!(
                    "code {name:?}: colour {colour:?} is not #rrggbb; left out"
                ));
            }
            let parts = definition::parse(el.child_text("Description").unwrap_or_default());
            code.description = parts.description;
            code.inclusion = parts.inclusion;
            code.exclusion = parts.exclusion;
            code.example = parts.example;
            let index = self.codebook.children(parent).len();
            let position = Position {
                parent: parent.cloned(),
                index,
            };
            let mut attempt = 1;
            while self
                .codebook
                .check_name_free(parent, &code.name, None)
                .is_err()
            {
                attempt += 1;
                code.name = format!("{name} ({attempt})");
            }
            if attempt > 1 {
                self.warn(format!(
                    "code {name:?} appears twice under the same parent; the second is named {:?}",
                    code.name
                ));
            }
            let id = code.id.clone();
            if let Err(e) = self.codebook.insert(code, &position) {
                self.warn(format!("code {name:?}: {e}"));
                continue;
            }
            if el
                .attr("isCodable")
                .is_some_and(|v| v.trim() == "false" || v.trim() == "0")
            {
                self.not_codable.insert(id.clone());
            }
            if !raw_guid.is_empty() {
                self.codes.insert(raw_guid, id.clone());
            }
            for note in el.all("NoteRef") {
                self.link_note(note, MemoLink::Code(id.clone()));
            }
            self.read_codes(el, Some(&id));
        }
    }

    fn link_note(&mut self, note_ref: &Element, link: MemoLink) {
        if let Some(target) = note_ref.attr("targetGUID") {
            self.note_links
                .entry(target.trim().to_lowercase())
                .or_default()
                .push(link);
        }
    }

    /// Sets of codes become tags (a thematic export's "Level: ..." sets give levels back);
    /// sets of sources become a yes/no attribute.
    fn read_sets(&mut self, sets: Option<&Element>) {
        for set in sets.into_iter().flat_map(|s| s.all("Set")) {
            let name = clean_line(set.attr("name").unwrap_or_default());
            let level = name.strip_prefix("Level: ").and_then(|l| match l {
                "theme" => Some(Level::Theme),
                "sub-theme" => Some(Level::SubTheme),
                "code" => Some(Level::Code),
                _ => None,
            });
            let tag = name.strip_prefix("Tag: ").unwrap_or(&name).to_string();
            for member in set.all("MemberCode") {
                // The project schema says targetGUID, the codebook schema guid.
                let guid = member
                    .attr("targetGUID")
                    .or(member.attr("guid"))
                    .unwrap_or_default()
                    .trim()
                    .to_lowercase();
                let Some(id) = self.codes.get(&guid).cloned() else {
                    self.warn(format!(
                        "set {name:?} names a code that is not in the codebook"
                    ));
                    continue;
                };
                match level {
                    Some(level) => {
                        self.levels_from_sets.insert(id, level);
                    }
                    None => {
                        if let Some(code) = self.codebook.get(&id).cloned() {
                            let mut code = code;
                            if !code.tags.contains(&tag) && !tag.is_empty() {
                                code.tags.push(tag.clone());
                            }
                            let _ = self.codebook.replace(code);
                        }
                    }
                }
            }
            for member in set.all("MemberSource") {
                let guid = member
                    .attr("targetGUID")
                    .unwrap_or_default()
                    .trim()
                    .to_lowercase();
                self.source_sets.push((name.clone(), guid));
            }
            let notes = set.all("MemberNote").count();
            if notes > 0 {
                self.skip(format!(
                    "set {name:?}: its {notes} note member(s) (thematic has no sets of memos)"
                ));
            }
        }
    }

    /// Levels: a thematic export says them; otherwise a top-level node with children (or
    /// one marked not codable) is a theme, a node with children below it a sub-theme, and
    /// a leaf a code.
    fn assign_levels(&mut self) {
        let walk: Vec<(usize, CodeId)> = self
            .codebook
            .walk()
            .iter()
            .map(|(depth, c)| (*depth, c.id.clone()))
            .collect();
        for (depth, id) in walk {
            let has_children = !self.codebook.children(Some(&id)).is_empty();
            let level = self.levels_from_sets.get(&id).copied().unwrap_or(
                match (depth, has_children || self.not_codable.contains(&id)) {
                    (0, true) => Level::Theme,
                    (_, true) if has_children => Level::SubTheme,
                    _ => Level::Code,
                },
            );
            if let Some(code) = self.codebook.get(&id).cloned() {
                let mut code = code;
                code.level = level;
                let _ = self.codebook.replace(code);
            }
        }
        self.summary.codes = self.codebook.len();
        if !self.bad_guids.is_empty() {
            let examples: Vec<&str> = self.bad_guids.iter().take(3).map(String::as_str).collect();
            self.warn(format!(
                "{} code(s) had an identifier that is not a GUID (e.g. {}); each was given a new GUID",
                self.bad_guids.len(),
                examples.join(", ")
            ));
        }
    }

    fn read_sources(&mut self, sources: Option<&Element>, package: &mut Package) {
        let Some(sources) = sources else {
            return;
        };
        let mut texts = Vec::new();
        for source in &sources.children {
            match source.name.as_str() {
                "TextSource" => {
                    if let Some(text) = self.read_text_source(source, package, texts.len()) {
                        texts.push((source, text));
                    }
                }
                other => self.skip_media_source(source, other),
            }
        }
        let selections: Vec<SourceSelections<'_>> = texts
            .iter()
            .map(|(el, text)| SourceSelections {
                raw: &text.raw,
                positions: el
                    .all("PlainTextSelection")
                    .filter(|s| s.first("Coding").is_some())
                    .filter_map(positions_of)
                    .collect(),
            })
            .collect();
        let (mut fit, fits) = positions::detect(&selections, &self.origin);
        if self.from_thematic {
            // thematic writes the standard's code points; no need to guess.
            if let Some(standard) = fits.iter().find(|f| f.convention == Convention::CodePoints) {
                fit = *standard;
            }
        }
        if fit.total > 0 {
            self.summary.positions = Some((fit, fits));
        }
        for (el, text) in &texts {
            self.read_selections(el, text, fit.convention);
        }
    }

    fn skip_media_source(&mut self, source: &Element, kind: &str) {
        let name = clean_line(source.attr("name").unwrap_or_default());
        let what = match kind {
            "PictureSource" => "pictures",
            "PDFSource" => "PDF documents",
            "AudioSource" => "audio",
            "VideoSource" => "video",
            _ => "this kind of source",
        };
        let codings = count_descendants(source, "Coding");
        self.skip(format!(
            "{kind} {name:?}: thematic codes text transcripts, not {what}; its {codings} coding(s) were not imported"
        ));
    }

    fn read_text_source(
        &mut self,
        source: &Element,
        package: &mut Package,
        index: usize,
    ) -> Option<SourceText> {
        let name = clean_line(source.attr("name").unwrap_or_default());
        let guid = source
            .attr("guid")
            .unwrap_or_default()
            .trim()
            .to_lowercase();
        let raw = if let Some(content) = source.child_text("PlainTextContent") {
            content.to_string()
        } else if let Some(path) = source.attr("plainTextPath") {
            let bytes = match package.source(path) {
                Ok(bytes) => bytes,
                Err(message) => {
                    self.skip(format!("text source {name:?}: {message}"));
                    return None;
                }
            };
            match decode_text(&bytes, Path::new(path)) {
                Ok(text) => text,
                Err(e) => {
                    self.skip(format!("text source {name:?}: {e}"));
                    return None;
                }
            }
        } else {
            self.skip(format!(
                "text source {name:?}: no plain text (only {}); convert it to text in the program that made it",
                source.attr("richTextPath").unwrap_or("nothing")
            ));
            return None;
        };
        let values = self.values_of(source);
        let id = self.transcript_id(source, &name, &values, index);
        let order = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let mut mapped = normalize_mapped(&raw);
        let text = std::mem::take(&mut mapped.text);
        let meta = TranscriptMeta {
            title: if name.is_empty() {
                id.to_string()
            } else {
                name.clone()
            },
            participant: format!("Participant {order}"),
            order: Some(order),
            date: None,
            source: Some(format!("{} ({})", self.summary.file, name)),
            imported: Some(self.now),
            attributes: BTreeMap::new(),
            sha256: sha256_hex(&text),
            chars: text.chars().count(),
            ..TranscriptMeta::default()
        };
        self.transcripts
            .insert(id.clone(), Transcript::new(id.clone(), meta, text));
        self.sources.insert(guid.clone(), id.clone());
        for note in source.all("NoteRef") {
            self.link_note(note, MemoLink::Transcript(id.clone()));
        }
        self.set_values(&id, &values);
        Some(SourceText {
            raw,
            mapped,
            transcript: id,
        })
    }

    /// A thematic export gives each source its transcript id in a variable (older ones
    /// named the source file after it); otherwise the id comes from the source's name.
    fn transcript_id(
        &self,
        source: &Element,
        name: &str,
        values: &[(String, String)],
        index: usize,
    ) -> TranscriptId {
        let from_variable = values
            .iter()
            .find(|(n, _)| n == super::export::TRANSCRIPT_ID_VARIABLE)
            .map(|(_, v)| v.clone())
            .filter(|v| TranscriptId::new(v.clone()).is_ok());
        let from_file = source
            .attr("plainTextPath")
            .and_then(|p| p.strip_prefix("internal://"))
            .and_then(|f| f.strip_suffix(".txt"))
            .filter(|f| self.from_thematic && parse_guid(f).is_none())
            .map(str::to_string);
        let from_file = from_variable.or(from_file);
        let stem = [".txt", ".docx", ".doc", ".rtf", ".md", ".pdf", ".odt"]
            .iter()
            .find_map(|ext| {
                let cut = name.len().checked_sub(ext.len())?;
                (name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(ext))
                    .then(|| &name[..cut])
            })
            .unwrap_or(name);
        let base = from_file
            .or_else(|| slugify(stem))
            .unwrap_or_else(|| format!("t{:02}", index + 1));
        crate::model::ids::numbered(&base)
            .filter_map(|s| TranscriptId::new(s).ok())
            .find(|id| !self.transcripts.contains_key(id))
            .unwrap_or_else(|| {
                TranscriptId::new(format!("t{:02}", index + 1)).unwrap_or_else(|_| unreachable_id())
            })
    }

    fn read_selections(
        &mut self,
        source: &Element,
        text: &SourceText,
        convention: positions::Convention,
    ) {
        let units = Units::new(&text.raw, convention);
        let mapped = &text.mapped;
        let Some(transcript) = self.transcripts.get(&text.transcript).cloned() else {
            return;
        };
        let whole = source.all("Coding").count();
        if whole > 0 {
            self.place(
                &transcript,
                source,
                (0, transcript.char_len()),
                "the whole source",
            );
        }
        for selection in source.all("PlainTextSelection") {
            let guid = selection
                .attr("guid")
                .unwrap_or_default()
                .trim()
                .to_lowercase();
            self.selection_sources
                .insert(guid.clone(), transcript.id.clone());
            let Some((start, end)) = positions_of(selection) else {
                self.skip(format!(
                    "a selection in {:?} (line {}): its start or end position is not a number",
                    transcript.meta.title, selection.line
                ));
                continue;
            };
            let range = units
                .to_chars(start, end)
                .and_then(|(s, e)| Some((mapped.start_of(s)?, mapped.end_of(e)?)))
                .filter(|(s, e)| s < e);
            let Some(range) = range else {
                if selection.first("Coding").is_some() {
                    self.skip(format!(
                        "a selection in {:?} at {start}-{end}: outside the text ({} long as counted)",
                        transcript.meta.title,
                        units.len()
                    ));
                }
                continue;
            };
            self.place(&transcript, selection, range, &guid);
        }
    }

    /// Makes one segment per coder from an element's codings.
    fn place(&mut self, transcript: &Transcript, el: &Element, range: (usize, usize), guid: &str) {
        let codings: Vec<&Element> = el.all("Coding").collect();
        if codings.is_empty() {
            for note in el.all("NoteRef") {
                self.link_note(note, MemoLink::Transcript(transcript.id.clone()));
            }
            return;
        }
        self.summary.selections += 1;
        let mut by_coder: BTreeMap<CoderId, (Vec<CodeId>, Option<Timestamp>)> = BTreeMap::new();
        for coding in &codings {
            let user = coding.attr("creatingUser").or(el.attr("creatingUser"));
            let coder = self.coder_for(user);
            let target = coding
                .first("CodeRef")
                .and_then(|r| r.attr("targetGUID"))
                .unwrap_or_default()
                .trim()
                .to_lowercase();
            let Some(code) = self.codes.get(&target).cloned() else {
                self.warn(format!(
                    "a coding in {:?} refers to code {target:?}, which is not in the codebook",
                    transcript.meta.title
                ));
                continue;
            };
            let entry = by_coder.entry(coder).or_default();
            if !entry.0.contains(&code) {
                entry.0.push(code);
            }
            let at = timestamp(coding, "creationDateTime").or(timestamp(el, "creationDateTime"));
            entry.1 = entry.1.min(at).or(at);
        }
        let text = transcript
            .slice(range.0, range.1)
            .unwrap_or_default()
            .to_string();
        let from_thematic = self.from_thematic;
        for (coder, (codes, created)) in by_coder {
            if codes.is_empty() {
                continue;
            }
            let segments = self
                .codings
                .entry(coder.clone())
                .or_default()
                .entry(transcript.id.clone())
                .or_default();
            // Other programs write one selection per coding (NVivo) or per coder: the same
            // text coded by the same coder is one segment in thematic. A thematic export
            // already says which segments are which (its selection GUIDs begin with the
            // segment's id, also when each code has a selection of its own).
            let own_id = segment_id_in(guid);
            let same = segments.iter_mut().find(|s| {
                (s.start, s.end) == range && (!from_thematic || Some(&s.id) == own_id.as_ref())
            });
            let id = if let Some(same) = same {
                for code in codes {
                    if !same.codes.contains(&code) {
                        same.codes.push(code);
                    }
                }
                same.id.clone()
            } else {
                let id = segment_id(guid, segments);
                segments.push(Segment {
                    id: id.clone(),
                    start: range.0,
                    end: range.1,
                    codes,
                    text: text.clone(),
                    created: created.unwrap_or(self.now),
                    updated: timestamp(el, "modifiedDateTime").filter(|m| Some(*m) != created),
                });
                id
            };
            let reference = SegmentRef {
                transcript: transcript.id.clone(),
                coder,
                id,
            };
            self.selections
                .entry(guid.to_string())
                .or_default()
                .push(reference.clone());
            for note in el
                .all("NoteRef")
                .chain(codings.iter().flat_map(|c| c.all("NoteRef")))
            {
                self.link_note(note, MemoLink::Segment(reference.clone()));
            }
        }
    }

    fn read_variables(&mut self, variables: Option<&Element>) {
        for variable in variables.into_iter().flat_map(|v| v.all("Variable")) {
            let name = clean_line(variable.attr("name").unwrap_or_default());
            let guid = variable
                .attr("guid")
                .unwrap_or_default()
                .trim()
                .to_lowercase();
            self.variable_names.insert(guid, name.clone());
            if name.is_empty()
                || is_meta_variable(&name)
                || self.attributes.iter().any(|a| a.name == name)
            {
                continue;
            }
            let (description, values) =
                definition::parse_attribute(variable.child_text("Description").unwrap_or_default());
            self.attributes.push(AttributeDef {
                name,
                description,
                values,
            });
        }
    }

    /// The variable values an element (a case or a source) carries, by variable name.
    fn values_of(&mut self, el: &Element) -> Vec<(String, String)> {
        let mut values = Vec::new();
        for value in el.all("VariableValue") {
            let guid = value
                .first("VariableRef")
                .and_then(|r| r.attr("targetGUID"))
                .unwrap_or_default()
                .trim()
                .to_lowercase();
            let Some(name) = self.variable_names.get(&guid).cloned() else {
                self.warn(format!(
                    "a value (line {}) refers to an unknown variable",
                    value.line
                ));
                continue;
            };
            let text = value
                .children
                .iter()
                .find(|c| c.name.ends_with("Value"))
                .map(|c| clean_line(&c.text))
                .unwrap_or_default();
            if !text.is_empty() {
                values.push((name, text));
            }
        }
        values
    }

    fn set_values(&mut self, id: &TranscriptId, values: &[(String, String)]) {
        let mut conflicts = Vec::new();
        if let Some(t) = self.transcripts.get_mut(id) {
            for (name, value) in values {
                match name.as_str() {
                    "Interview order" => t.meta.order = value.parse().ok().or(t.meta.order),
                    "Interview date" => t.meta.date = value.parse().ok().or(t.meta.date),
                    super::export::TRANSCRIPT_ID_VARIABLE => {}
                    _ => {
                        if let Some(old) = t.meta.attributes.insert(name.clone(), value.clone())
                            && &old != value
                        {
                            conflicts.push(format!(
                                "{}: {name} is both {old:?} and {value:?} (kept {value:?})",
                                t.meta.title
                            ));
                        }
                    }
                }
            }
        }
        for conflict in conflicts {
            self.warn(conflict);
        }
    }

    /// Cases and their variables become transcript attributes; a source in exactly one
    /// case takes the case's name as its participant label.
    fn read_cases(&mut self, cases: Option<&Element>) {
        let mut case_names: HashMap<TranscriptId, Vec<String>> = HashMap::new();
        for case in cases.into_iter().flat_map(|c| c.all("Case")) {
            let case_name = clean_line(case.attr("name").unwrap_or_default());
            let values = self.values_of(case);
            for source in case.all("SourceRef") {
                let guid = source
                    .attr("targetGUID")
                    .unwrap_or_default()
                    .trim()
                    .to_lowercase();
                let Some(id) = self.sources.get(&guid).cloned() else {
                    continue;
                };
                case_names
                    .entry(id.clone())
                    .or_default()
                    .push(case_name.clone());
                self.set_values(&id, &values);
            }
            let refs = case.all("SelectionRef").count() + case.all("CodeRef").count();
            if refs > 0 {
                self.skip(format!(
                    "case {case_name:?}: {refs} link(s) to selections or codes (thematic's attributes belong to whole transcripts)"
                ));
            }
        }
        for (set, guid) in std::mem::take(&mut self.source_sets) {
            match self.sources.get(&guid).cloned() {
                Some(id) => self.set_values(&id, &[(set, "yes".to_string())]),
                None => self.warn(format!("set {set:?} names a source that was not imported")),
            }
        }
        for (id, names) in case_names {
            if let ([only], Some(t)) = (names.as_slice(), self.transcripts.get_mut(&id))
                && !only.is_empty()
            {
                t.meta.participant = only.clone();
            }
        }
        self.fill_attribute_values();
    }

    /// An attribute without listed values gets the values the transcripts carry, in the
    /// order first met, when there are few enough to be categories.
    fn fill_attribute_values(&mut self) {
        let mut seen: BTreeSet<String> = self.attributes.iter().map(|a| a.name.clone()).collect();
        for t in self.transcripts.values() {
            for name in t.meta.attributes.keys() {
                if seen.insert(name.clone()) {
                    self.attributes.push(AttributeDef {
                        name: name.clone(),
                        description: String::new(),
                        values: Vec::new(),
                    });
                }
            }
        }
        for attribute in &mut self.attributes {
            if !attribute.values.is_empty() {
                continue;
            }
            let mut values: Vec<String> = Vec::new();
            for t in self.transcripts.values() {
                if let Some(v) = t.meta.attributes.get(&attribute.name)
                    && !values.contains(v)
                {
                    values.push(v.clone());
                }
            }
            if values.len() <= MAX_CATEGORY_VALUES {
                attribute.values = values;
            }
        }
    }

    /// Notes become memos, linked to whatever referred to them; a note nothing refers to
    /// (or the project itself) is a journal entry.
    fn read_notes(&mut self, root: &Element, package: &mut Package) {
        for link in root.first("Links").into_iter().flat_map(|l| l.all("Link")) {
            self.read_link(link);
        }
        for note in root.first("Notes").into_iter().flat_map(|n| n.all("Note")) {
            let guid = note.attr("guid").unwrap_or_default().trim().to_lowercase();
            let title = clean_line(note.attr("name").unwrap_or_default());
            let body = if let Some(content) = note.child_text("PlainTextContent") {
                content.to_string()
            } else if let Some(path) = note.attr("plainTextPath") {
                let text = package
                    .source(path)
                    .ok()
                    .and_then(|bytes| decode_text(&bytes, Path::new(path)).ok());
                match text {
                    Some(text) => text,
                    None => {
                        self.skip(format!(
                            "note {title:?}: its text ({path}) could not be read"
                        ));
                        continue;
                    }
                }
            } else {
                String::new()
            };
            let author = self.coder_for(note.attr("creatingUser"));
            let created = timestamp(note, "creationDateTime").unwrap_or(self.now);
            let mut links = self.note_links.remove(&guid).unwrap_or_default();
            // REFI-QDA keeps no order among the places a note is referred from; thematic
            // takes a memo's kind from its first link, so the most specific comes first.
            links.sort_by_key(|l| match l {
                MemoLink::Segment(_) => 0,
                MemoLink::Code(_) => 1,
                MemoLink::Transcript(_) => 2,
            });
            links.dedup();
            let hex = hex_of(&guid);
            let id = (hex.len() >= 12)
                .then(|| MemoId::new(format!("m-{}", &hex[..12])).ok())
                .flatten()
                .filter(|id| !self.memos.contains_key(id))
                .unwrap_or_else(MemoId::random);
            let body = body.replace("\r\n", "\n");
            let title = if title.is_empty() {
                clean_line(body.lines().next().unwrap_or("Note"))
            } else {
                title
            };
            self.memos.insert(
                id.clone(),
                Memo {
                    id,
                    author,
                    title,
                    created,
                    updated: timestamp(note, "modifiedDateTime").unwrap_or(created),
                    links,
                    body,
                },
            );
            let codings = count_descendants(note, "Coding");
            if codings > 0 {
                self.skip(format!(
                    "{codings} coding(s) inside note {:?} (memos are not coded)",
                    note.attr("name").unwrap_or_default()
                ));
            }
        }
        self.summary.memos = self.memos.len();
    }

    /// A link from a note to a code, source or selection is a memo link; other links
    /// (between codes, say) have no place in thematic.
    fn read_link(&mut self, link: &Element) {
        let origin = link
            .attr("originGUID")
            .unwrap_or_default()
            .trim()
            .to_lowercase();
        let target = link
            .attr("targetGUID")
            .unwrap_or_default()
            .trim()
            .to_lowercase();
        let name = link.attr("name").unwrap_or_default().to_string();
        let is_note = |g: &str| !g.is_empty();
        let target_link = self.link_to(&target);
        let origin_link = self.link_to(&origin);
        match (target_link, origin_link) {
            (Some(links), None) if is_note(&origin) => {
                self.note_links.entry(origin).or_default().extend(links);
            }
            (None, Some(links)) if is_note(&target) => {
                self.note_links.entry(target).or_default().extend(links);
            }
            _ => self.skip(format!(
                "link {name:?} (thematic has no links between items)"
            )),
        }
    }

    fn link_to(&self, guid: &str) -> Option<Vec<MemoLink>> {
        if let Some(code) = self.codes.get(guid) {
            return Some(vec![MemoLink::Code(code.clone())]);
        }
        if let Some(t) = self.sources.get(guid) {
            return Some(vec![MemoLink::Transcript(t.clone())]);
        }
        if let Some(segments) = self.selections.get(guid) {
            return Some(segments.iter().cloned().map(MemoLink::Segment).collect());
        }
        self.selection_sources
            .get(guid)
            .map(|t| vec![MemoLink::Transcript(t.clone())])
    }

    fn list_unmapped(&mut self, root: &Element) {
        for graph in root
            .first("Graphs")
            .into_iter()
            .flat_map(|g| g.all("Graph"))
        {
            self.skip(format!(
                "graph {:?} (thematic has no graphs)",
                graph.attr("name").unwrap_or_default()
            ));
        }
        let unknown_notes: Vec<String> = self.note_links.keys().cloned().collect();
        if !unknown_notes.is_empty() {
            self.warn(format!(
                "{} reference(s) to notes that are not in the file",
                unknown_notes.len()
            ));
        }
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
