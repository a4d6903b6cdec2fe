//! Which segments a table counts ([`Scope`]: whose coding, which transcripts) and what a
//! table says about that scope; the project's coders and attributes a scope can name.

use super::*;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub coders: Coders,
    /// Attribute name and value, all of which must hold (compared ignoring case).
    pub attributes: Vec<(String, String)>,
    /// Coding not counted although its coder is: a coder's work on a transcript the viewer
    /// may not see yet (a blind double-coding sample).
    pub hidden: BTreeSet<(CoderId, TranscriptId)>,
}

/// A scope that names something the project does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    #[error("no coder {coder:?} in this project; its coders are: {}", list(.known))]
    UnknownCoder { coder: String, known: Vec<String> },
    #[error("no attribute {attribute:?} in this project; its attributes are: {}", list(.known))]
    UnknownAttribute {
        attribute: String,
        known: Vec<String>,
    },
    #[error("attribute {attribute:?} has no value {value:?}; its values are: {}", list(.known))]
    UnknownValue {
        attribute: String,
        value: String,
        known: Vec<String>,
    },
}

pub(super) fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".into()
    } else {
        items.join(", ")
    }
}

/// What a table states about its scope: `"scope": {"coders", "transcripts", "filter"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopeSummary {
    /// The coders whose coding is counted.
    pub coders: Vec<String>,
    /// Transcripts in scope (after the filter), coded or not.
    pub transcripts: usize,
    /// Of those, the ones the coders counted coded (a segment, or marked done).
    pub coded: usize,
    /// The attribute filter (name -> value), or null for every transcript.
    pub filter: Option<BTreeMap<String, String>>,
}

impl ScopeSummary {
    /// One line for a table: "Scope: the coding of alex, sam; 12 transcripts, all coded
    /// (every transcript)".
    pub fn line(&self) -> String {
        let filter = match &self.filter {
            None => "every transcript".to_string(),
            Some(f) => {
                let pairs: Vec<String> = f.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("only {}", pairs.join(", "))
            }
        };
        let coders = if self.coders.is_empty() {
            "nobody".to_string()
        } else {
            self.coders.join(", ")
        };
        let plural = if self.transcripts == 1 { "" } else { "s" };
        let coded = if self.coded == self.transcripts {
            "all coded".to_string()
        } else {
            format!("{} coded", self.coded)
        };
        format!(
            "Scope: the coding of {coders}; {} transcript{plural}, {coded} ({filter})",
            self.transcripts
        )
    }
}

/// Every coder of the project: those listed in thematic.yaml, then any other with coding.
pub fn project_coders(project: &Project) -> Vec<CoderId> {
    let mut ids: Vec<CoderId> = project.meta.coders.iter().map(|c| c.id.clone()).collect();
    for coder in project.codings().keys() {
        if !ids.contains(coder) {
            ids.push(coder.clone());
        }
    }
    ids
}

/// Every attribute name: those declared in thematic.yaml, then any other a transcript has.
pub fn project_attributes(project: &Project) -> Vec<String> {
    let mut names: Vec<String> = project
        .meta
        .attributes
        .iter()
        .map(|a| a.name.clone())
        .collect();
    let used: BTreeSet<&String> = project
        .transcripts_in_order()
        .into_iter()
        .flat_map(|t| t.meta.attributes.keys())
        .collect();
    for name in used {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    names
}

/// The values of one attribute: its declared values, then any other a transcript has.
pub fn attribute_values(project: &Project, attribute: &str) -> Vec<String> {
    let mut values: Vec<String> = project
        .meta
        .attributes
        .iter()
        .find(|a| a.name == attribute)
        .map(|a| a.values.clone())
        .unwrap_or_default();
    let used: BTreeSet<&String> = project
        .transcripts_in_order()
        .into_iter()
        .filter_map(|t| t.meta.attributes.get(attribute))
        .collect();
    for value in used {
        if !values.contains(value) {
            values.push(value.clone());
        }
    }
    values
}

/// Checks that an attribute exists (for the matrix's `--by`).
pub fn check_attribute(project: &Project, attribute: &str) -> Result<(), ScopeError> {
    let known = project_attributes(project);
    if known.iter().any(|a| a == attribute) {
        Ok(())
    } else {
        Err(ScopeError::UnknownAttribute {
            attribute: attribute.to_string(),
            known,
        })
    }
}

impl Scope {
    /// Checks that every coder, attribute and attribute value named exists, so that a typo
    /// is an error rather than an empty table.
    pub fn check(&self, project: &Project) -> Result<(), ScopeError> {
        if let Coders::Only(ids) = &self.coders {
            let known = project_coders(project);
            if let Some(unknown) = ids.iter().find(|id| !known.contains(id)) {
                return Err(ScopeError::UnknownCoder {
                    coder: unknown.to_string(),
                    known: known.iter().map(ToString::to_string).collect(),
                });
            }
        }
        for (attribute, value) in &self.attributes {
            check_attribute(project, attribute)?;
            let known = attribute_values(project, attribute);
            if !known.iter().any(|v| v.eq_ignore_ascii_case(value)) {
                return Err(ScopeError::UnknownValue {
                    attribute: attribute.clone(),
                    value: value.clone(),
                    known,
                });
            }
        }
        Ok(())
    }

    /// Whose coding and which transcripts this scope counts, for a table to state.
    pub fn summary(&self, project: &Project) -> ScopeSummary {
        let coders = match &self.coders {
            Coders::All => project_coders(project),
            Coders::Only(ids) => ids.clone(),
        };
        let transcripts = self.transcripts(project);
        ScopeSummary {
            coders: coders.iter().map(ToString::to_string).collect(),
            transcripts: transcripts.len(),
            coded: transcripts
                .iter()
                .filter(|t| self.coded(project, &t.id))
                .count(),
            filter: (!self.attributes.is_empty())
                .then(|| self.attributes.iter().cloned().collect()),
        }
    }

    /// Whether `coder`'s work on `t` counts.
    pub fn counts(&self, coder: &CoderId, t: &TranscriptId) -> bool {
        self.coders.includes(coder) && !self.hidden.contains(&(coder.clone(), t.clone()))
    }

    fn transcript_in(&self, project: &Project, t: &TranscriptId) -> bool {
        let Some(t) = project.transcript(t) else {
            return false;
        };
        self.attributes.iter().all(|(k, v)| {
            t.meta
                .attributes
                .get(k)
                .is_some_and(|x| x.eq_ignore_ascii_case(v))
        })
    }

    /// The transcripts in scope, in interview order.
    pub fn transcripts<'p>(&self, project: &'p Project) -> Vec<&'p crate::model::Transcript> {
        project
            .transcripts_in_order()
            .into_iter()
            .filter(|t| self.transcript_in(project, &t.id))
            .collect()
    }

    /// Segments in scope of one transcript, with their coder.
    pub(super) fn segments<'p>(
        &self,
        project: &'p Project,
        t: &TranscriptId,
    ) -> Vec<(&'p CoderId, &'p Segment)> {
        project
            .codings()
            .iter()
            .filter(|(coder, _)| self.counts(coder, t))
            .flat_map(|(coder, by_t)| by_t.get(t).into_iter().flatten().map(move |s| (coder, s)))
            .collect()
    }

    /// Whether the scope's coders coded `t`: at least one segment in it, or marked it done.
    pub fn coded(&self, project: &Project, t: &TranscriptId) -> bool {
        !self.segments(project, t).is_empty()
            || project_coders(project)
                .iter()
                .any(|c| self.counts(c, t) && project.is_done(c, t))
    }
}
