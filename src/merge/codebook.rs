//! The three-way merge of `codebook.yaml`. The file is a tree, but what coders change is
//! each code (by id): its fields, its parent, its place among its siblings. So the three
//! versions are flattened into codes by id, merged code by code and field by field, and the
//! tree is rebuilt: a code created on each side, a rename here and a new code there, a move
//! here and a definition there all merge without a conflict.

use super::value::{Clash, Merger, Side, weave};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// One version of the codebook, flattened.
#[derive(Default)]
pub struct Flat {
    /// Each code's fields (without its children), by id.
    codes: HashMap<String, Value>,
    parent: HashMap<String, Option<String>>,
    /// Children in order, by parent (`None`: the top level).
    children: HashMap<Option<String>, Vec<String>>,
    /// Every id in tree order.
    walk: Vec<String>,
}

impl Flat {
    /// Flattens the JSON form of a `CodebookFile`.
    pub fn of(file: &Value) -> Flat {
        let mut flat = Flat::default();
        let top = file.get("codes").and_then(Value::as_array);
        flat.add(None, top.map_or(&[][..], |v| v.as_slice()));
        flat
    }

    fn add(&mut self, parent: Option<String>, nodes: &[Value]) {
        let mut ids = Vec::new();
        for node in nodes {
            let Some(mut fields) = node.as_object().cloned() else {
                continue;
            };
            let Some(id) = fields.get("id").and_then(Value::as_str).map(String::from) else {
                continue;
            };
            let children = fields.remove("children");
            self.codes.insert(id.clone(), Value::Object(fields));
            self.parent.insert(id.clone(), parent.clone());
            self.walk.push(id.clone());
            ids.push(id.clone());
            if let Some(Value::Array(children)) = children {
                self.add(Some(id), &children);
            }
        }
        self.children.insert(parent, ids);
    }

    fn name(&self, id: &str) -> Option<String> {
        Some(self.codes.get(id)?.get("name")?.as_str()?.to_string())
    }

    fn parent_value(&self, id: &str) -> Option<Value> {
        let parent = self.parent.get(id)?;
        Some(parent.clone().map_or(Value::Null, Value::String))
    }
}

/// The merged codebook (JSON form of a `CodebookFile`), with notes on what was adjusted.
pub struct Outcome {
    pub file: Value,
    pub notes: Vec<String>,
}

/// Merges three versions of the codebook.
pub fn merge(base: &Flat, mine: &Flat, theirs: &Flat, merger: &mut Merger) -> Outcome {
    let mut codes: HashMap<String, Value> = HashMap::new();
    let mut parent: HashMap<String, Option<String>> = HashMap::new();
    let mut notes = Vec::new();
    for id in weave(&mine.walk, &theirs.walk) {
        let at = vec!["codes".to_string(), id.clone()];
        let (b, m, t) = (
            base.codes.get(&id),
            mine.codes.get(&id),
            theirs.codes.get(&id),
        );
        let removed_on_one_side = b.is_some() && (m.is_none() != t.is_none());
        if removed_on_one_side {
            let changed = |flat: &Flat| {
                flat.codes.get(&id) != b || flat.parent_value(&id) != base.parent_value(&id)
            };
            let kept_changed = if m.is_some() {
                changed(mine)
            } else {
                changed(theirs)
            };
            if !kept_changed {
                continue;
            }
            let side = merger.clash(at, b, m, t);
            describe_last(merger, base, mine, theirs);
            let (chosen, flat) = match side {
                Side::Mine => (m, mine),
                Side::Theirs => (t, theirs),
            };
            if let Some(code) = chosen {
                codes.insert(id.clone(), code.clone());
                parent.insert(id.clone(), flat.parent.get(&id).cloned().flatten());
            }
            continue;
        }
        let before = merger.clashes.len();
        let merged = merger.merge(&at, b, m, t);
        let mut place = at.clone();
        place.push("parent".into());
        let merged_parent = merger.merge(
            &place,
            base.parent_value(&id).as_ref(),
            mine.parent_value(&id).as_ref(),
            theirs.parent_value(&id).as_ref(),
        );
        for i in before..merger.clashes.len() {
            describe(&mut merger.clashes[i], base, mine, theirs);
        }
        if let Some(code) = merged {
            codes.insert(id.clone(), code);
            let p = merged_parent.and_then(|p| p.as_str().map(String::from));
            parent.insert(id, p);
        }
    }
    reattach_orphans(&mut parent, &codes, [base, mine, theirs], &mut notes);
    let order = sibling_order(&parent, base, mine, theirs);
    rename_twins(&mut codes, &order, mine, &mut notes);
    let tree = build(None, &order, &mut codes);
    let mut file = Map::new();
    file.insert("codes".into(), Value::Array(tree));
    Outcome {
        file: Value::Object(file),
        notes,
    }
}

fn describe_last(merger: &mut Merger, base: &Flat, mine: &Flat, theirs: &Flat) {
    if let Some(clash) = merger.clashes.last_mut() {
        describe(clash, base, mine, theirs);
    }
}

fn quoted(s: &str) -> String {
    format!("{s:?}")
}

/// Says what a codebook clash is about, in the words the Codebook view uses.
fn describe(clash: &mut Clash, base: &Flat, mine: &Flat, theirs: &Flat) {
    let id = clash.at.get(1).cloned().unwrap_or_default();
    let name = base
        .name(&id)
        .or_else(|| mine.name(&id))
        .or_else(|| theirs.name(&id))
        .unwrap_or_else(|| id.clone());
    let field = clash.at.get(2).map(String::as_str);
    let value_text = |v: &Option<Value>| match v {
        Some(Value::String(s)) => quoted(s),
        Some(Value::Null) | None => "nothing".to_string(),
        Some(other) => other.to_string(),
    };
    let parent_text = |v: &Option<Value>, flat: &Flat| match v {
        Some(Value::String(p)) => format!("under {}", quoted(&flat.name(p).unwrap_or(p.clone()))),
        _ => "to the top level".to_string(),
    };
    clash.what = match field {
        None => {
            let (gone, kept) = if clash.mine.is_none() {
                ("{mine}", "{theirs}")
            } else {
                ("{theirs}", "{mine}")
            };
            format!(
                "{gone} deleted (or merged away) the code {}; {kept} changed it meanwhile",
                quoted(&name)
            )
        }
        Some("name") => format!(
            "{{mine}} renamed {} to {}; {{theirs}} renamed it to {}",
            quoted(&name),
            value_text(&clash.mine),
            value_text(&clash.theirs)
        ),
        Some("parent") => format!(
            "{{mine}} moved {} {}; {{theirs}} moved it {}",
            quoted(&name),
            parent_text(&clash.mine, mine),
            parent_text(&clash.theirs, theirs)
        ),
        Some(f @ ("description" | "inclusion" | "exclusion" | "example")) => format!(
            "{{mine}} and {{theirs}} both rewrote the {} of {}",
            match f {
                "description" => "description",
                "inclusion" => "inclusion criteria",
                "exclusion" => "exclusion criteria",
                _ => "example",
            },
            quoted(&name)
        ),
        Some(other) => format!(
            "{{mine}} set the {other} of {} to {}; {{theirs}} set it to {}",
            quoted(&name),
            value_text(&clash.mine),
            value_text(&clash.theirs)
        ),
    };
}

/// A code whose parent is gone (deleted on the other side) goes to the nearest ancestor that
/// is still there; a code caught in a loop of crossed moves goes to the top level.
fn reattach_orphans(
    parent: &mut HashMap<String, Option<String>>,
    codes: &HashMap<String, Value>,
    versions: [&Flat; 3],
    notes: &mut Vec<String>,
) {
    let ids: Vec<String> = parent.keys().cloned().collect();
    for id in &ids {
        let mut candidate = parent.get(id).cloned().flatten();
        let mut steps = 0;
        while let Some(p) = candidate.clone() {
            if codes.contains_key(&p) || steps > versions[0].walk.len() + 64 {
                break;
            }
            candidate = versions
                .iter()
                .find_map(|v| v.parent.get(&p).cloned())
                .flatten();
            steps += 1;
        }
        parent.insert(id.clone(), candidate);
    }
    for id in &ids {
        let mut seen = HashSet::new();
        let mut at = parent.get(id).cloned().flatten();
        while let Some(p) = at {
            if p == *id || !seen.insert(p.clone()) {
                parent.insert(id.clone(), None);
                notes.push(format!(
                    "code {id} was moved into its own branch by the two sides together; it is now at the top level"
                ));
                break;
            }
            at = parent.get(&p).cloned().flatten();
        }
    }
}

/// Children in order, by parent. Where this side did not reorder a parent's children, the
/// other side's order is kept; new or moved codes go after the code they follow on the side
/// that placed them.
fn sibling_order(
    parent: &HashMap<String, Option<String>>,
    base: &Flat,
    mine: &Flat,
    theirs: &Flat,
) -> HashMap<Option<String>, Vec<String>> {
    let mut by_parent: HashMap<Option<String>, Vec<String>> = HashMap::new();
    let mut parents: Vec<Option<String>> = parent.values().cloned().collect();
    parents.push(None);
    parents.sort();
    parents.dedup();
    let empty = Vec::new();
    for p in parents {
        let b = base.children.get(&p).unwrap_or(&empty);
        let m = mine.children.get(&p).unwrap_or(&empty);
        let t = theirs.children.get(&p).unwrap_or(&empty);
        let common = |list: &[String], other: &[String]| -> Vec<String> {
            list.iter().filter(|x| other.contains(x)).cloned().collect()
        };
        let mine_reordered = common(m, b) != common(b, m);
        let woven = if mine_reordered {
            weave(m, t)
        } else {
            weave(t, m)
        };
        let mut list: Vec<String> = woven
            .into_iter()
            .filter(|id| parent.get(id) == Some(&p))
            .collect();
        let mut rest: Vec<&String> = parent
            .iter()
            .filter(|(id, q)| **q == p && !list.contains(id))
            .map(|(id, _)| id)
            .collect();
        rest.sort();
        list.extend(rest.into_iter().cloned());
        by_parent.insert(p, list);
    }
    by_parent
}

/// Two sides that gave sibling codes the same name: the one not on this side is renamed
/// "Name (2)", so the codebook stays valid; the note says how to merge them if they mean the
/// same.
fn rename_twins(
    codes: &mut HashMap<String, Value>,
    order: &HashMap<Option<String>, Vec<String>>,
    mine: &Flat,
    notes: &mut Vec<String>,
) {
    let name_of = |codes: &HashMap<String, Value>, id: &str| -> String {
        codes
            .get(id)
            .and_then(|c| c.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    for siblings in order.values() {
        let mut taken: HashSet<String> = HashSet::new();
        // This side's codes keep their names; the other side's give way.
        let mut ranked: Vec<&String> = siblings.iter().collect();
        ranked.sort_by_key(|id| mine.name(id).as_deref() != Some(name_of(codes, id).as_str()));
        for id in ranked {
            let name = name_of(codes, id);
            let key = |n: &str| n.trim().to_lowercase();
            if taken.insert(key(&name)) {
                continue;
            }
            let mut n = 2;
            let new_name = loop {
                let candidate = format!("{} ({n})", name.trim());
                if !taken.contains(&key(&candidate)) {
                    break candidate;
                }
                n += 1;
            };
            taken.insert(key(&new_name));
            if let Some(Value::Object(code)) = codes.get_mut(id) {
                code.insert("name".into(), Value::String(new_name.clone()));
            }
            notes.push(format!(
                "both sides have a code named {name:?} in the same place; the other side's is now {new_name:?} (if they mean the same, merge them: thematic codes merge DIR {new_name:?} --into {name:?})"
            ));
        }
    }
}

fn build(
    parent: Option<String>,
    order: &HashMap<Option<String>, Vec<String>>,
    codes: &mut HashMap<String, Value>,
) -> Vec<Value> {
    let mut nodes = Vec::new();
    for id in order.get(&parent).cloned().unwrap_or_default() {
        let Some(Value::Object(mut code)) = codes.remove(&id) else {
            continue;
        };
        let children = build(Some(id), order, codes);
        if !children.is_empty() {
            code.insert("children".into(), Value::Array(children));
        }
        nodes.push(Value::Object(code));
    }
    nodes
}

#[cfg(test)]
mod tests {
    use crate::merge::{Choices, FileKind, merge_texts};
    use crate::model::{Code, CodeId, Codebook, Level, Position};
    use crate::store::files::CodebookFile;
    use proptest::prelude::*;

    fn sample() -> Codebook {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-project/codebook.yaml");
        let text = std::fs::read_to_string(path).unwrap();
        crate::store::yaml::parse::<CodebookFile>(&text)
            .unwrap()
            .into_codebook()
            .0
    }

    fn text(book: &Codebook) -> String {
        crate::store::yaml::to_string(&CodebookFile::from_codebook(book)).unwrap()
    }

    /// One side's ordinary work on the codes it owns: renames to unique names,
    /// new definitions, new tags, moves to the top level, new codes under them.
    fn work(book: &mut Codebook, ops: &[(u8, usize)], side: &str, mut owned: Vec<CodeId>) {
        for (n, &(op, pick)) in ops.iter().enumerate() {
            let Some(id) = owned.get(pick % owned.len().max(1)).cloned() else {
                continue;
            };
            let mut code = book.get(&id).unwrap().clone();
            match op % 5 {
                0 => code.name = format!("{side} name {n}"),
                1 => code.description = format!("{side} description {n}"),
                2 => code.tags.push(format!("{side}-{n}")),
                3 => {
                    let index = book.children(None).len();
                    let _ = book.move_to(
                        &id,
                        &Position {
                            parent: None,
                            index,
                        },
                    );
                    continue;
                }
                _ => {
                    let new = Code::new(format!("{side} new {n}"), Level::Code);
                    owned.push(new.id.clone());
                    let index = book.children(Some(&id)).len();
                    book.insert(
                        new,
                        &Position {
                            parent: Some(id),
                            index,
                        },
                    )
                    .unwrap();
                    continue;
                }
            }
            book.replace(code).unwrap();
        }
    }

    /// Every code with its fields and parent, ignoring sibling order.
    fn content(book: &Codebook) -> Vec<(String, String, Vec<String>, Option<String>)> {
        let mut all: Vec<_> = book
            .walk()
            .iter()
            .map(|(_, c)| {
                (
                    c.id.to_string(),
                    format!("{}|{}|{:?}", c.name, c.description, c.level),
                    c.tags.clone(),
                    book.parent(&c.id).map(|p| p.to_string()),
                )
            })
            .collect();
        all.sort();
        all
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Two sides working on different codes always merge without a clash, to a codebook
        /// holding both sides' work, whichever side merges.
        #[test]
        fn work_on_different_codes_merges_cleanly_and_symmetrically(
            mine_ops in prop::collection::vec((any::<u8>(), any::<usize>()), 0..12),
            theirs_ops in prop::collection::vec((any::<u8>(), any::<usize>()), 0..12),
        ) {
            let base = sample();
            let (mut mine, mut theirs) = (base.clone(), base.clone());
            let ids: Vec<CodeId> = base.walk().iter().map(|(_, c)| c.id.clone()).collect();
            let half = |r: usize| ids.iter().enumerate().filter(|(i, _)| i % 2 == r).map(|(_, c)| c.clone()).collect();
            work(&mut mine, &mine_ops, "mine", half(0));
            work(&mut theirs, &theirs_ops, "theirs", half(1));
            let (b, m, t) = (text(&base), text(&mine), text(&theirs));
            let one = merge_texts(FileKind::Codebook, &b, &m, &t, &Choices::default()).unwrap();
            let other = merge_texts(FileKind::Codebook, &b, &t, &m, &Choices::default()).unwrap();
            prop_assert!(one.clashes.is_empty(), "{:?}", one.clashes);
            prop_assert!(other.clashes.is_empty());
            let read = |s: &str| crate::store::yaml::parse::<CodebookFile>(s).unwrap().into_codebook();
            let (merged, problems) = read(&one.text);
            prop_assert!(problems.is_empty(), "{:?}", problems);
            prop_assert_eq!(content(&merged), content(&read(&other.text).0));
            for (_, code) in mine.walk().into_iter().chain(theirs.walk()) {
                let side = if mine.get(&code.id) != base.get(&code.id) { &mine } else { &theirs };
                let want = side.get(&code.id).unwrap();
                let got = merged.get(&code.id);
                prop_assert!(got.is_some(), "{} kept", code.name);
                let got = got.unwrap();
                prop_assert_eq!(&got.name, &want.name);
                prop_assert_eq!(&got.description, &want.description);
            }
        }
    }
}
