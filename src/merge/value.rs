//! The three-way merge of one file's content seen as a tree of values (maps, lists, scalars),
//! which is what every thematic YAML file is once parsed.
//!
//! - A map merges key by key.
//! - A list whose items all carry an `id` (segments, coders) merges item by item, by id: each
//!   side's new items are kept in place, an item removed on one side and untouched on the
//!   other is removed. A list of plain items (tags, links, audit entries, comments) merges as
//!   a set: each side's additions are kept, each side's removals are honoured.
//! - A value changed on one side takes that side's value; changed on both to the same value,
//!   that value; changed on both differently, it is a [`Clash`], settled by a [`Choices`]
//!   entry when there is one, else left as this side's ("mine") value and reported.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// The two sides of a merge: "mine" is the clone the merge runs in, "theirs" what came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Mine,
    Theirs,
}

/// One true conflict: both sides changed the same thing differently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clash {
    /// Where in the file, from the top: keys, and item ids within lists.
    pub at: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mine: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theirs: Option<Value>,
    /// How it was settled when the merge ran, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen: Option<Side>,
    /// What happened, in researcher terms, with `{mine}` and `{theirs}` standing for who
    /// made each side's change.
    #[serde(default)]
    pub what: String,
}

/// How earlier clashes were settled, by their order of discovery (a merge of the same inputs
/// discovers the same clashes in the same order).
#[derive(Debug, Clone, Default)]
pub struct Choices {
    pub each: Vec<Option<Side>>,
    /// Applies to every clash without an entry of its own.
    pub all: Option<Side>,
}

impl Choices {
    fn for_clash(&self, index: usize) -> Option<Side> {
        self.each.get(index).copied().flatten().or(self.all)
    }
}

/// Fields that a codebook operation by another coder changes on a segment (a merge moves its
/// codes): a segment its owner removed meanwhile stays removed.
const INCIDENTAL: [&str; 2] = ["codes", "updated"];

/// Runs one merge, collecting the clashes it meets.
pub struct Merger<'c> {
    choices: &'c Choices,
    pub clashes: Vec<Clash>,
}

impl<'c> Merger<'c> {
    pub fn new(choices: &'c Choices) -> Merger<'c> {
        Merger {
            choices,
            clashes: Vec::new(),
        }
    }

    /// Records a clash and returns the side that wins it.
    pub fn clash(
        &mut self,
        at: Vec<String>,
        base: Option<&Value>,
        mine: Option<&Value>,
        theirs: Option<&Value>,
    ) -> Side {
        let chosen = self.choices.for_clash(self.clashes.len());
        self.clashes.push(Clash {
            at,
            base: base.cloned(),
            mine: mine.cloned(),
            theirs: theirs.cloned(),
            chosen,
            what: String::new(),
        });
        chosen.unwrap_or(Side::Mine)
    }

    /// Merges one value (absent: `None`).
    pub fn merge(
        &mut self,
        at: &[String],
        base: Option<&Value>,
        mine: Option<&Value>,
        theirs: Option<&Value>,
    ) -> Option<Value> {
        if mine == theirs || base == theirs {
            return mine.cloned();
        }
        if base == mine {
            return theirs.cloned();
        }
        match (mine, theirs) {
            (Some(Value::Object(m)), Some(Value::Object(t))) => {
                let b = base.and_then(Value::as_object);
                Some(Value::Object(self.merge_maps(at, b, m, t)))
            }
            (Some(Value::Array(m)), Some(Value::Array(t))) => {
                let empty = Vec::new();
                let b = base.and_then(Value::as_array).unwrap_or(&empty);
                Some(Value::Array(self.merge_lists(at, b, m, t)))
            }
            _ => match self.clash(at.to_vec(), base, mine, theirs) {
                Side::Mine => mine.cloned(),
                Side::Theirs => theirs.cloned(),
            },
        }
    }

    fn merge_maps(
        &mut self,
        at: &[String],
        base: Option<&Map<String, Value>>,
        mine: &Map<String, Value>,
        theirs: &Map<String, Value>,
    ) -> Map<String, Value> {
        let mut keys: Vec<&String> = mine.keys().collect();
        keys.extend(theirs.keys().filter(|k| !mine.contains_key(*k)));
        let mut out = Map::new();
        for key in keys {
            let here = extend(at, key);
            let b = base.and_then(|b| b.get(key));
            if let Some(value) = self.merge(&here, b, mine.get(key), theirs.get(key)) {
                out.insert(key.clone(), value);
            }
        }
        out
    }

    fn merge_lists(
        &mut self,
        at: &[String],
        base: &[Value],
        mine: &[Value],
        theirs: &[Value],
    ) -> Vec<Value> {
        let all_keyed = [base, mine, theirs]
            .iter()
            .all(|list| list.iter().all(|v| item_id(v).is_some()));
        if all_keyed {
            self.merge_keyed(at, base, mine, theirs)
        } else {
            merge_as_set(base, mine, theirs)
        }
    }

    fn merge_keyed(
        &mut self,
        at: &[String],
        base: &[Value],
        mine: &[Value],
        theirs: &[Value],
    ) -> Vec<Value> {
        let by_id = |list: &'_ [Value]| -> HashMap<String, usize> {
            list.iter()
                .enumerate()
                .filter_map(|(i, v)| Some((item_id(v)?.to_string(), i)))
                .collect()
        };
        let (b_ids, m_ids, t_ids) = (by_id(base), by_id(mine), by_id(theirs));
        let mine_order: Vec<String> = mine.iter().filter_map(item_id).map(String::from).collect();
        let theirs_order: Vec<String> = theirs
            .iter()
            .filter_map(item_id)
            .map(String::from)
            .collect();
        let mut out = Vec::new();
        for id in weave(&mine_order, &theirs_order) {
            let b = b_ids.get(&id).map(|&i| &base[i]);
            let m = m_ids.get(&id).map(|&i| &mine[i]);
            let t = t_ids.get(&id).map(|&i| &theirs[i]);
            let here = extend(at, &id);
            let merged = match (b, m, t) {
                // Removed on one side, changed on the other.
                (Some(b), None, Some(kept)) | (Some(b), Some(kept), None) if kept != b => {
                    if only_incidental_change(b, kept) {
                        None
                    } else {
                        match self.clash(here, Some(b), m, t) {
                            Side::Mine => m.cloned(),
                            Side::Theirs => t.cloned(),
                        }
                    }
                }
                _ => self.merge(&here, b, m, t),
            };
            out.extend(merged);
        }
        out
    }
}

fn extend(at: &[String], key: &str) -> Vec<String> {
    let mut here = at.to_vec();
    here.push(key.to_string());
    here
}

/// The id of a list item, when it is a map with a string `id`.
fn item_id(value: &Value) -> Option<&str> {
    value.as_object()?.get("id")?.as_str()
}

/// Whether `after` differs from `before` only in fields another coder's codebook operation
/// changes.
fn only_incidental_change(before: &Value, after: &Value) -> bool {
    let (Some(b), Some(a)) = (before.as_object(), after.as_object()) else {
        return false;
    };
    let keys: HashSet<&String> = b.keys().chain(a.keys()).collect();
    keys.into_iter()
        .all(|k| INCIDENTAL.contains(&k.as_str()) || b.get(k) == a.get(k))
}

/// Each side's additions kept, each side's removals honoured, in mine's order with theirs'
/// additions after.
fn merge_as_set(base: &[Value], mine: &[Value], theirs: &[Value]) -> Vec<Value> {
    let key = |v: &Value| v.to_string();
    let in_base: HashSet<String> = base.iter().map(key).collect();
    let in_mine: HashSet<String> = mine.iter().map(key).collect();
    let in_theirs: HashSet<String> = theirs.iter().map(key).collect();
    let mut out: Vec<Value> = mine
        .iter()
        .filter(|v| {
            let k = key(v);
            in_theirs.contains(&k) || !in_base.contains(&k)
        })
        .cloned()
        .collect();
    out.extend(
        theirs
            .iter()
            .filter(|v| {
                let k = key(v);
                !in_base.contains(&k) && !in_mine.contains(&k)
            })
            .cloned(),
    );
    out
}

/// `primary`'s order, with each item only `secondary` has placed after the item it follows
/// there (or first, if it comes first there).
pub fn weave<T: Clone + Eq + std::hash::Hash>(primary: &[T], secondary: &[T]) -> Vec<T> {
    let mut out: Vec<T> = primary.to_vec();
    let mut present: HashSet<T> = primary.iter().cloned().collect();
    let mut previous: Option<T> = None;
    for item in secondary {
        if !present.contains(item) {
            let at = previous
                .as_ref()
                .and_then(|p| out.iter().position(|x| x == p))
                .map_or(0, |i| i + 1);
            out.insert(at, item.clone());
            present.insert(item.clone());
        }
        previous = Some(item.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(b: Value, m: Value, t: Value) -> (Option<Value>, Vec<Clash>) {
        let choices = Choices::default();
        let mut merger = Merger::new(&choices);
        let out = merger.merge(&[], Some(&b), Some(&m), Some(&t));
        (out, merger.clashes)
    }

    #[test]
    fn keyed_items_added_on_both_sides_are_all_kept() {
        let b = json!({"segments": [{"id": "a", "codes": ["x"]}]});
        let m = json!({"segments": [{"id": "a", "codes": ["x"]}, {"id": "m", "codes": ["y"]}]});
        let t =
            json!({"segments": [{"id": "a", "codes": ["x", "z"]}, {"id": "t", "codes": ["y"]}]});
        let (out, clashes) = run(b, m, t);
        assert!(clashes.is_empty());
        let ids: Vec<&str> = out.as_ref().unwrap()["segments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["a", "t", "m"]);
        assert_eq!(out.unwrap()["segments"][0]["codes"], json!(["x", "z"]));
    }

    #[test]
    fn the_same_field_changed_differently_is_a_clash_left_as_mine() {
        let (out, clashes) = run(json!({"n": 1}), json!({"n": 2}), json!({"n": 3}));
        assert_eq!(out, Some(json!({"n": 2})));
        assert_eq!(clashes.len(), 1);
        assert_eq!(clashes[0].at, ["n"]);
    }

    #[test]
    fn a_choice_settles_a_clash() {
        let choices = Choices {
            each: vec![Some(Side::Theirs)],
            all: None,
        };
        let mut merger = Merger::new(&choices);
        let out = merger.merge(
            &[],
            Some(&json!({"n": 1})),
            Some(&json!({"n": 2})),
            Some(&json!({"n": 3})),
        );
        assert_eq!(out, Some(json!({"n": 3})));
        assert_eq!(merger.clashes[0].chosen, Some(Side::Theirs));
    }

    #[test]
    fn a_removed_segment_stays_removed_when_the_other_side_only_recoded_it() {
        let b = json!([{"id": "a", "codes": ["x"]}]);
        let m = json!([]);
        let t = json!([{"id": "a", "codes": ["y"]}]);
        let (out, clashes) = run(b, m, t);
        assert!(clashes.is_empty());
        assert_eq!(out, Some(json!([])));
    }

    #[test]
    fn removed_on_one_side_and_rewritten_on_the_other_is_a_clash() {
        let b = json!([{"id": "a", "start": 1}]);
        let m = json!([{"id": "a", "start": 2}]);
        let t = json!([]);
        let (_, clashes) = run(b, m, t);
        assert_eq!(clashes.len(), 1);
    }

    #[test]
    fn plain_lists_merge_as_sets() {
        let (out, clashes) = run(json!(["a", "b"]), json!(["a", "c"]), json!(["b", "d"]));
        assert!(clashes.is_empty());
        assert_eq!(out, Some(json!(["c", "d"])));
    }

    #[test]
    fn weave_places_new_items_after_their_predecessor() {
        assert_eq!(weave(&[1, 2, 3], &[1, 9, 2, 3, 8]), vec![1, 9, 2, 3, 8]);
        assert_eq!(weave(&[1, 2], &[7, 1]), vec![7, 1, 2]);
    }
}
