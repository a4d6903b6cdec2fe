//! The first phase of a two-phase opening (the coding screen's): what its first frame needs,
//! read before anything else so that a large study shows the coder's transcript at once.
//!
//! Read here: `thematic.yaml`, the codebook, every transcript's details (the list and its
//! order), the text of the transcript the coder will see first (where they left off, else
//! the first), and every coder's coding of that one transcript (its segments and done
//! marks, so blind double coding hides exactly what it will hide once all is read). Not
//! read: the other texts and codings, memos, reviews, audit trails. The other transcripts
//! are in the partial project with an empty text.
//!
//! The partial project is for drawing only: its store refuses every write
//! ([`StoreError::StillOpening`]) until [`Store::adopt_full_load`] takes over a full
//! [`super::load`] of the folder, which reports every problem as a normal opening does. A
//! first phase that meets any problem at all gives up (`None`): the caller then loads the
//! whole project before drawing, so that a damaged file is never drawn as missing.

use super::files::CODINGS_DIR;
use super::load::{
    Loaded, Reader, parallel_map, read_coding_file, read_file, read_transcript_meta,
};
use super::{MAX_TEXT_BYTES, StoreError};
use crate::model::{CoderId, Project, Transcript, TranscriptId};
use std::path::Path;

/// Reads what `coder`'s first frame of the project at `root` needs (no coder: the project's
/// first); `None` when anything on the way was wrong (load it all instead). Errors are
/// those of [`super::load`].
pub fn load_first(root: &Path, coder: Option<&CoderId>) -> Result<Option<Loaded>, StoreError> {
    let mut reader = Reader::new(root)?;
    let meta = reader.read_meta()?;
    let mut project = Project::new(meta);
    reader.read_codebook(&mut project);
    let files = reader.transcript_files();
    let root_dir = reader.root.clone();
    let metas = parallel_map(&files, |(_, _, meta_rel)| {
        read_transcript_meta(&root_dir, meta_rel)
    });
    for ((id, _, meta_rel), (stamp, meta)) in files.iter().zip(metas) {
        if let Some(meta) = reader.keep_transcript_meta(meta_rel, stamp, meta) {
            let placeholder = Transcript::new(id.clone(), meta, String::new());
            project.transcripts.insert(id.clone(), placeholder);
        }
    }
    let coder = coder
        .or_else(|| project.meta.coders.first().map(|c| &c.id))
        .cloned();
    if coder
        .as_ref()
        .is_some_and(|c| project.meta.is_only_reviewer(c))
    {
        // A reviewer's screen opens on the memos, which only the whole project has.
        return Ok(None);
    }
    if let Some(first) = coder.and_then(|coder| first_shown(&project, root, &coder)) {
        read_first_transcript(&mut reader, &mut project, &first, &files);
    }
    if !reader.problems().is_empty() {
        return Ok(None);
    }
    let mut loaded = reader.finish(project);
    loaded.store.opening = true;
    Ok(Some(loaded))
}

/// The transcript the coding screen opens first: where `coder` left off if it is still in
/// the project, else the first in interview order (as `App::resume` chooses).
fn first_shown(project: &Project, root: &Path, coder: &CoderId) -> Option<TranscriptId> {
    let resume = super::ui_state::load_ui_state(root, coder)
        .ok()
        .and_then(|state| state.resume)
        .map(|place| place.transcript)
        .filter(|t| project.transcripts.contains_key(t));
    resume.or_else(|| project.transcripts_in_order().first().map(|t| t.id.clone()))
}

/// Reads the text of transcript `id` and every coder's coding of it into `project`.
fn read_first_transcript(
    reader: &mut Reader,
    project: &mut Project,
    id: &TranscriptId,
    files: &[(TranscriptId, std::path::PathBuf, std::path::PathBuf)],
) {
    let Some((_, text_rel, _)) = files.iter().find(|(t, _, _)| t == id) else {
        return;
    };
    let (stamp, text) = read_file(&reader.root, text_rel, MAX_TEXT_BYTES);
    let Some(text) = reader.keep(text_rel, stamp, text) else {
        return;
    };
    if let Some(placeholder) = project.transcripts.remove(id) {
        let transcript = Transcript::new(id.clone(), placeholder.meta, text);
        project.transcripts.insert(id.clone(), transcript);
    }
    let stem = id.as_str();
    for (coder, dir) in reader.coder_dirs(CODINGS_DIR) {
        let rel = dir.join(format!("{stem}.yaml"));
        if std::fs::symlink_metadata(reader.root.join(&rel)).is_err() {
            continue; // this coder has not coded it
        }
        let (stamp, file) = read_coding_file(&reader.root, &rel);
        reader.add_coding(project, &coder, stem, &rel, stamp, file);
    }
}
