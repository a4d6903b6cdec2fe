//! What changed between two versions of a project's files, in researcher terms ("coded 14
//! segments in p03, p04; created 2 codes"): the message of a sync's commit, and what a sync
//! reports came in from others.

use crate::merge::FileKind;
use crate::store::files::{CodebookFile, CodingFile};
use crate::store::yaml;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One changed file: its path in the project, and its text before and after (None: absent).
pub struct Change {
    pub path: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Default)]
struct Tally {
    coded: BTreeMap<String, usize>,
    uncoded: BTreeMap<String, usize>,
    recoded: BTreeMap<String, usize>,
    done: BTreeSet<String>,
    created: usize,
    renamed: usize,
    redefined: usize,
    moved: usize,
    deleted: usize,
    memos_new: usize,
    memos_changed: usize,
    memos_deleted: usize,
    reviews: usize,
    imported: usize,
    settings: bool,
}

/// The changes in words, joined with "; " (empty when nothing of note changed).
pub fn describe(changes: &[Change]) -> String {
    let mut tally = Tally::default();
    for change in changes {
        if change.path.ends_with(".txt") && change.path.starts_with("transcripts/") {
            if change.before.is_none() && change.after.is_some() {
                tally.imported += 1;
            }
            continue;
        }
        match FileKind::of(Path::new(&change.path)) {
            Some(FileKind::Coding) => tally.coding(change),
            Some(FileKind::Codebook) => tally.codebook(change),
            Some(FileKind::Memo) => match (&change.before, &change.after) {
                (None, Some(_)) => tally.memos_new += 1,
                (Some(_), None) => tally.memos_deleted += 1,
                _ => tally.memos_changed += 1,
            },
            Some(FileKind::Review) => tally.reviews += 1,
            Some(FileKind::Project) => tally.settings = true,
            _ => {}
        }
    }
    tally.words().join("; ")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn transcripts(map: &BTreeMap<String, usize>) -> (usize, String) {
    let total = map.values().sum();
    let mut names: Vec<&str> = map.keys().map(String::as_str).collect();
    let more = names.len().saturating_sub(5);
    names.truncate(5);
    let mut list = names.join(", ");
    if more > 0 {
        list.push_str(&format!(" and {more} more"));
    }
    (total, list)
}

impl Tally {
    fn coding(&mut self, change: &Change) {
        let read = |t: &Option<String>| {
            t.as_deref()
                .and_then(|t| yaml::parse::<CodingFile>(t).ok())
                .map(|f| f.segments)
                .unwrap_or_default()
        };
        let (before, after) = (read(&change.before), read(&change.after));
        let transcript = Path::new(&change.path)
            .file_stem()
            .map_or(String::new(), |s| s.to_string_lossy().into_owned());
        let old: BTreeMap<_, _> = before.iter().map(|s| (&s.id, s)).collect();
        let new: BTreeMap<_, _> = after.iter().map(|s| (&s.id, s)).collect();
        let added = new.keys().filter(|id| !old.contains_key(*id)).count();
        let removed = old.keys().filter(|id| !new.contains_key(*id)).count();
        let changed = new
            .iter()
            .filter(|(id, s)| old.get(*id).is_some_and(|o| o != *s))
            .count();
        for (map, n) in [
            (&mut self.coded, added),
            (&mut self.uncoded, removed),
            (&mut self.recoded, changed),
        ] {
            if n > 0 {
                *map.entry(transcript.clone()).or_default() += n;
            }
        }
        let done = |t: &Option<String>| {
            t.as_deref()
                .and_then(|t| yaml::parse::<CodingFile>(t).ok())
                .is_some_and(|f| f.done)
        };
        if done(&change.after) && !done(&change.before) {
            self.done.insert(transcript);
        }
    }

    fn codebook(&mut self, change: &Change) {
        let read = |t: &Option<String>| {
            t.as_deref()
                .and_then(|t| yaml::parse::<CodebookFile>(t).ok())
                .map(|f| f.into_codebook().0)
                .unwrap_or_default()
        };
        let (before, after) = (read(&change.before), read(&change.after));
        for (_, code) in after.walk() {
            match before.get(&code.id) {
                None => self.created += 1,
                Some(old) => {
                    if old.name != code.name {
                        self.renamed += 1;
                    }
                    if (
                        &old.description,
                        &old.inclusion,
                        &old.exclusion,
                        &old.example,
                    ) != (
                        &code.description,
                        &code.inclusion,
                        &code.exclusion,
                        &code.example,
                    ) {
                        self.redefined += 1;
                    }
                    if before.parent(&code.id) != after.parent(&code.id) {
                        self.moved += 1;
                    }
                }
            }
        }
        self.deleted += before
            .walk()
            .iter()
            .filter(|(_, c)| !after.contains(&c.id))
            .count();
    }

    fn words(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (verb, map) in [
            ("coded", &self.coded),
            ("removed", &self.uncoded),
            ("changed", &self.recoded),
        ] {
            if !map.is_empty() {
                let (n, list) = transcripts(map);
                out.push(format!(
                    "{verb} {} in {list}",
                    plural(n, "segment", "segments")
                ));
            }
        }
        if !self.done.is_empty() {
            let list: Vec<&str> = self.done.iter().map(String::as_str).collect();
            out.push(format!("marked {} done", list.join(", ")));
        }
        for (n, verb) in [
            (self.created, "created"),
            (self.renamed, "renamed"),
            (self.redefined, "redefined"),
            (self.moved, "moved"),
            (self.deleted, "deleted or merged"),
        ] {
            if n > 0 {
                out.push(format!("{verb} {}", plural(n, "code", "codes")));
            }
        }
        if self.memos_new > 0 {
            out.push(format!("wrote {}", plural(self.memos_new, "memo", "memos")));
        }
        if self.memos_changed > 0 {
            out.push(format!(
                "edited {}",
                plural(self.memos_changed, "memo", "memos")
            ));
        }
        if self.memos_deleted > 0 {
            out.push(format!(
                "deleted {}",
                plural(self.memos_deleted, "memo", "memos")
            ));
        }
        if self.reviews > 0 {
            out.push(format!(
                "reviewed {}",
                plural(self.reviews, "memo", "memos")
            ));
        }
        if self.imported > 0 {
            out.push(format!(
                "imported {}",
                plural(self.imported, "transcript", "transcripts")
            ));
        }
        if self.settings {
            out.push("changed the project settings".into());
        }
        out
    }
}
