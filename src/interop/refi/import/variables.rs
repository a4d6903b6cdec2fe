//! Reading REFI-QDA variables and cases into the attributes table and each transcript's
//! attribute values.

use super::*;

impl Context {
    pub(super) fn read_variables(&mut self, variables: Option<&Element>) {
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
    pub(super) fn values_of(&mut self, el: &Element) -> Vec<(String, String)> {
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

    pub(super) fn set_values(&mut self, id: &TranscriptId, values: &[(String, String)]) {
        let mut conflicts = Vec::new();
        if let Some(t) = self.transcripts.get_mut(id) {
            for (name, value) in values {
                match name.as_str() {
                    "Interview order" => t.meta.order = value.parse().ok().or(t.meta.order),
                    "Interview date" => t.meta.date = value.parse().ok().or(t.meta.date),
                    crate::interop::refi::export::TRANSCRIPT_ID_VARIABLE => {}
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
    pub(super) fn read_cases(&mut self, cases: Option<&Element>) {
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
    pub(super) fn fill_attribute_values(&mut self) {
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
}
