//! Reading REFI-QDA notes into memos, with what they are linked to, and listing what has
//! no place in thematic.

use super::*;

impl Context {
    pub(super) fn link_note(&mut self, note_ref: &Element, link: MemoLink) {
        if let Some(target) = note_ref.attr("targetGUID") {
            self.note_links
                .entry(target.trim().to_lowercase())
                .or_default()
                .push(link);
        }
    }

    /// Notes become memos, linked to whatever referred to them; a note nothing refers to
    /// (or the project itself) is a journal entry.
    pub(super) fn read_notes(&mut self, root: &Element, package: &mut Package) {
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
    pub(super) fn read_link(&mut self, link: &Element) {
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

    pub(super) fn link_to(&self, guid: &str) -> Option<Vec<MemoLink>> {
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

    pub(super) fn list_unmapped(&mut self, root: &Element) {
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
}
