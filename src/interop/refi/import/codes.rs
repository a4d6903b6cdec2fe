//! Reading REFI-QDA codes and sets into the codebook: the code tree, GUIDs, colours and
//! definitions, and thematic's levels (theme, sub-theme, code) from sets or depth.

use super::*;

impl Context {
    pub(super) fn code_id_for(&self, guid: &uuid::Uuid) -> CodeId {
        let hex = guid.simple().to_string();
        CodeId::new(format!("c-{}", &hex[..12]))
            .ok()
            .filter(|id| !self.codebook.contains(id))
            .unwrap_or_else(CodeId::random)
    }

    pub(super) fn read_codes(&mut self, parent_el: &Element, parent: Option<&CodeId>) {
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

    /// Sets of codes become tags (a thematic export's "Level: ..." sets give levels back);
    /// sets of sources become a yes/no attribute.
    pub(super) fn read_sets(&mut self, sets: Option<&Element>) {
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
    pub(super) fn assign_levels(&mut self) {
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
}
