//! Reading REFI-QDA sources into transcripts, and their selections into segments placed
//! on the stored text (media sources are listed as skipped, never dropped silently).

use super::*;

impl Context {
    pub(super) fn read_sources(&mut self, sources: Option<&Element>, package: &mut Package) {
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

    pub(super) fn skip_media_source(&mut self, source: &Element, kind: &str) {
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

    pub(super) fn read_text_source(
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
    pub(super) fn transcript_id(
        &self,
        source: &Element,
        name: &str,
        values: &[(String, String)],
        index: usize,
    ) -> TranscriptId {
        let from_variable = values
            .iter()
            .find(|(n, _)| n == crate::interop::refi::export::TRANSCRIPT_ID_VARIABLE)
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

    pub(super) fn read_selections(
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
    pub(super) fn place(
        &mut self,
        transcript: &Transcript,
        el: &Element,
        range: (usize, usize),
        guid: &str,
    ) {
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
}
