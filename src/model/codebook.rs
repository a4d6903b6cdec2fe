//! The codebook: a tree of themes, sub-themes and codes, each with a definition.

use super::ids::CodeId;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Where a node sits in the analysis. Levels are descriptive: a code may hold codes, and a
/// theme may be coded directly, as researchers do in practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Theme,
    SubTheme,
    Code,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::Theme => "theme",
            Level::SubTheme => "sub-theme",
            Level::Code => "code",
        }
    }
}

/// A colour written `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Colour(pub [u8; 3]);

impl Colour {
    pub fn parse(s: &str) -> Option<Colour> {
        let hex = s.strip_prefix('#')?;
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Colour([byte(0)?, byte(2)?, byte(4)?]))
    }
}

impl std::fmt::Display for Colour {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let [r, g, b] = self.0;
        write!(f, "#{r:02x}{g:02x}{b:02x}")
    }
}

impl Serialize for Colour {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Colour {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Colour::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("invalid colour {s:?}, expected #rrggbb"))
        })
    }
}

/// One node's definition, following codebook practice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub id: CodeId,
    /// Kept for REFI-QDA exchange, where codes are identified by GUID.
    pub guid: uuid::Uuid,
    pub name: String,
    pub level: Level,
    pub colour: Option<Colour>,
    pub description: String,
    pub inclusion: String,
    pub exclusion: String,
    pub example: String,
    /// Free tags, such as `enabler` or `barrier`.
    pub tags: Vec<String>,
    /// The quote chosen to illustrate it in the theme table (else the first one found).
    pub exemplar: Option<Box<super::memo::SegmentRef>>,
}

impl Code {
    /// A new code with a fresh id and GUID and an empty definition.
    pub fn new(name: impl Into<String>, level: Level) -> Code {
        let id = CodeId::random();
        Code {
            guid: guid_for(&id),
            id,
            name: name.into(),
            level,
            colour: None,
            description: String::new(),
            inclusion: String::new(),
            exclusion: String::new(),
            example: String::new(),
            tags: Vec::new(),
            exemplar: None,
        }
    }
}

/// A random GUID that begins with the id's 12 hex digits, so that a REFI-QDA import of an
/// exported codebook can give every code its id back (the id is read from the GUID).
pub fn guid_for(id: &CodeId) -> uuid::Uuid {
    super::ids::guid_with_id(*uuid::Uuid::new_v4().as_bytes(), id.as_str())
}

/// Where a node is: its parent (`None` for a top-level node) and its index among siblings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub parent: Option<CodeId>,
    pub index: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TreeError {
    #[error("no code with id {0}")]
    UnknownCode(CodeId),
    #[error("a code with id {0} already exists")]
    DuplicateId(CodeId),
    #[error("{parent} already has a child named {name:?}")]
    DuplicateName { parent: String, name: String },
    #[error("position {index} is outside the {len} children of {parent}")]
    BadIndex {
        parent: String,
        index: usize,
        len: usize,
    },
    #[error("cannot move {0} under itself or one of its descendants")]
    Cycle(CodeId),
    #[error("{0} still has children")]
    HasChildren(CodeId),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Node {
    code: Code,
    parent: Option<CodeId>,
    children: Vec<CodeId>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Codebook {
    nodes: HashMap<CodeId, Node>,
    roots: Vec<CodeId>,
}

impl Codebook {
    pub fn get(&self, id: &CodeId) -> Option<&Code> {
        self.nodes.get(id).map(|n| &n.code)
    }

    /// The code's name, or its id when it is not (or no longer) in the codebook.
    pub fn name_or_id(&self, id: &CodeId) -> String {
        self.get(id)
            .map_or_else(|| id.to_string(), |c| c.name.clone())
    }

    pub fn contains(&self, id: &CodeId) -> bool {
        self.nodes.contains_key(id)
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Children of `parent`, or the top-level nodes for `None`.
    pub fn children(&self, parent: Option<&CodeId>) -> &[CodeId] {
        match parent {
            None => &self.roots,
            Some(id) => self.nodes.get(id).map_or(&[], |n| &n.children),
        }
    }

    pub fn parent(&self, id: &CodeId) -> Option<&CodeId> {
        self.nodes.get(id).and_then(|n| n.parent.as_ref())
    }

    pub fn position(&self, id: &CodeId) -> Option<Position> {
        let node = self.nodes.get(id)?;
        let index = self
            .children(node.parent.as_ref())
            .iter()
            .position(|c| c == id)?;
        Some(Position {
            parent: node.parent.clone(),
            index,
        })
    }

    /// Depth-first walk of the whole tree: (depth, code), parents before children.
    pub fn walk(&self) -> Vec<(usize, &Code)> {
        let mut out = Vec::with_capacity(self.nodes.len());
        let mut stack: Vec<(usize, &CodeId)> = self.roots.iter().rev().map(|id| (0, id)).collect();
        while let Some((depth, id)) = stack.pop() {
            if let Some(node) = self.nodes.get(id) {
                out.push((depth, &node.code));
                stack.extend(node.children.iter().rev().map(|c| (depth + 1, c)));
            }
        }
        out
    }

    /// The id and all its descendants.
    pub fn subtree(&self, id: &CodeId) -> Vec<CodeId> {
        let mut out = Vec::new();
        let mut stack = vec![id.clone()];
        while let Some(current) = stack.pop() {
            if let Some(node) = self.nodes.get(&current) {
                stack.extend(node.children.iter().cloned());
                out.push(current);
            }
        }
        out
    }

    /// "Theme > Sub-theme > Code".
    pub fn path(&self, id: &CodeId) -> String {
        let mut names = Vec::new();
        let mut current = Some(id);
        while let Some(cid) = current {
            let Some(node) = self.nodes.get(cid) else {
                break;
            };
            names.push(node.code.name.as_str());
            current = node.parent.as_ref();
        }
        names.reverse();
        names.join(" > ")
    }

    fn display_parent(&self, parent: Option<&CodeId>) -> String {
        parent.map_or_else(|| "the top level".to_string(), |p| self.path(p))
    }

    /// Checks that `name` is free among the children of `parent`, ignoring `except` (the code
    /// being renamed). Names compare case-insensitively and ignoring surrounding space.
    pub fn check_name_free(
        &self,
        parent: Option<&CodeId>,
        name: &str,
        except: Option<&CodeId>,
    ) -> Result<(), TreeError> {
        let wanted = name.trim().to_lowercase();
        let clash = self.children(parent).iter().any(|sibling| {
            Some(sibling) != except
                && self
                    .get(sibling)
                    .is_some_and(|c| c.name.trim().to_lowercase() == wanted)
        });
        if clash {
            return Err(TreeError::DuplicateName {
                parent: self.display_parent(parent),
                name: name.to_string(),
            });
        }
        Ok(())
    }

    fn check_parent(&self, parent: Option<&CodeId>) -> Result<(), TreeError> {
        match parent {
            Some(p) if !self.nodes.contains_key(p) => Err(TreeError::UnknownCode(p.clone())),
            _ => Ok(()),
        }
    }

    fn siblings_mut(&mut self, parent: Option<&CodeId>) -> &mut Vec<CodeId> {
        match parent {
            None => &mut self.roots,
            Some(id) => match self.nodes.get_mut(id) {
                Some(node) => &mut node.children,
                None => unreachable!("parent checked by the caller"),
            },
        }
    }

    /// Inserts `code` at `at`.
    pub fn insert(&mut self, code: Code, at: &Position) -> Result<(), TreeError> {
        if self.nodes.contains_key(&code.id) {
            return Err(TreeError::DuplicateId(code.id));
        }
        self.check_parent(at.parent.as_ref())?;
        self.check_name_free(at.parent.as_ref(), &code.name, None)?;
        let len = self.children(at.parent.as_ref()).len();
        if at.index > len {
            return Err(TreeError::BadIndex {
                parent: self.display_parent(at.parent.as_ref()),
                index: at.index,
                len,
            });
        }
        let id = code.id.clone();
        self.siblings_mut(at.parent.as_ref())
            .insert(at.index, id.clone());
        self.nodes.insert(
            id,
            Node {
                code,
                parent: at.parent.clone(),
                children: Vec::new(),
            },
        );
        Ok(())
    }

    /// Removes a node that has no children, returning its definition and where it was.
    pub fn remove_leaf(&mut self, id: &CodeId) -> Result<(Code, Position), TreeError> {
        let position = self
            .position(id)
            .ok_or_else(|| TreeError::UnknownCode(id.clone()))?;
        if !self.children(Some(id)).is_empty() {
            return Err(TreeError::HasChildren(id.clone()));
        }
        self.siblings_mut(position.parent.as_ref())
            .remove(position.index);
        let node = self
            .nodes
            .remove(id)
            .ok_or_else(|| TreeError::UnknownCode(id.clone()))?;
        Ok((node.code, position))
    }

    /// Replaces a node's definition (same id), keeping its place in the tree.
    pub fn replace(&mut self, code: Code) -> Result<Code, TreeError> {
        let parent = self
            .nodes
            .get(&code.id)
            .ok_or_else(|| TreeError::UnknownCode(code.id.clone()))?
            .parent
            .clone();
        self.check_name_free(parent.as_ref(), &code.name, Some(&code.id))?;
        let node = self
            .nodes
            .get_mut(&code.id)
            .ok_or_else(|| TreeError::UnknownCode(code.id.clone()))?;
        Ok(std::mem::replace(&mut node.code, code))
    }

    /// Moves a node (with its subtree) to `to`. The index is taken after removal from the
    /// old place, so moving within one parent behaves like a list reorder.
    pub fn move_to(&mut self, id: &CodeId, to: &Position) -> Result<Position, TreeError> {
        let from = self
            .position(id)
            .ok_or_else(|| TreeError::UnknownCode(id.clone()))?;
        self.check_parent(to.parent.as_ref())?;
        if let Some(target) = &to.parent
            && self.subtree(id).contains(target)
        {
            return Err(TreeError::Cycle(id.clone()));
        }
        if from.parent != to.parent {
            let name = self.get(id).map(|c| c.name.clone()).unwrap_or_default();
            self.check_name_free(to.parent.as_ref(), &name, Some(id))?;
        }
        let len_after_removal =
            self.children(to.parent.as_ref()).len() - usize::from(from.parent == to.parent);
        if to.index > len_after_removal {
            return Err(TreeError::BadIndex {
                parent: self.display_parent(to.parent.as_ref()),
                index: to.index,
                len: len_after_removal,
            });
        }
        self.siblings_mut(from.parent.as_ref()).remove(from.index);
        self.siblings_mut(to.parent.as_ref())
            .insert(to.index, id.clone());
        if let Some(node) = self.nodes.get_mut(id) {
            node.parent = to.parent.clone();
        }
        Ok(from)
    }

    /// Finds codes by id, exact path ("A > B"), or name (case-insensitive). A name shared by
    /// several codes returns all of them, so the caller can say it is ambiguous.
    pub fn find(&self, query: &str) -> Vec<&Code> {
        if let Ok(id) = CodeId::new(query)
            && let Some(code) = self.get(&id)
        {
            return vec![code];
        }
        let wanted = query.trim().to_lowercase();
        let by_path: Vec<&Code> = self
            .walk()
            .into_iter()
            .map(|(_, c)| c)
            .filter(|c| self.path(&c.id).to_lowercase() == wanted)
            .collect();
        if !by_path.is_empty() {
            return by_path;
        }
        self.walk()
            .into_iter()
            .map(|(_, c)| c)
            .filter(|c| c.name.trim().to_lowercase() == wanted)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(parent: Option<&Code>, index: usize) -> Position {
        Position {
            parent: parent.map(|c| c.id.clone()),
            index,
        }
    }

    fn sample() -> (Codebook, Code, Code, Code) {
        let mut book = Codebook::default();
        let theme = Code::new("Culture", Level::Theme);
        let sub = Code::new("Trust", Level::SubTheme);
        let code = Code::new("Shared lunch", Level::Code);
        book.insert(theme.clone(), &at(None, 0)).unwrap();
        book.insert(sub.clone(), &at(Some(&theme), 0)).unwrap();
        book.insert(code.clone(), &at(Some(&sub), 0)).unwrap();
        (book, theme, sub, code)
    }

    #[test]
    fn paths_and_walk_order() {
        let (book, theme, _, code) = sample();
        assert_eq!(book.path(&code.id), "Culture > Trust > Shared lunch");
        let names: Vec<(usize, &str)> = book
            .walk()
            .iter()
            .map(|(d, c)| (*d, c.name.as_str()))
            .collect();
        assert_eq!(
            names,
            vec![(0, "Culture"), (1, "Trust"), (2, "Shared lunch")]
        );
        assert_eq!(book.subtree(&theme.id).len(), 3);
    }

    #[test]
    fn sibling_names_are_unique_ignoring_case() {
        let (mut book, theme, _, _) = sample();
        let err = book.insert(Code::new("  trust ", Level::SubTheme), &at(Some(&theme), 1));
        assert!(matches!(err, Err(TreeError::DuplicateName { .. })));
        // The same name elsewhere in the tree is fine.
        assert!(
            book.insert(Code::new("Trust", Level::Theme), &at(None, 1))
                .is_ok()
        );
    }

    #[test]
    fn moves_refuse_cycles_and_keep_order() {
        let (mut book, theme, sub, code) = sample();
        assert_eq!(
            book.move_to(&theme.id, &at(Some(&code), 0)),
            Err(TreeError::Cycle(theme.id.clone()))
        );
        let from = book.move_to(&code.id, &at(None, 0)).unwrap();
        assert_eq!(from, at(Some(&sub), 0));
        assert_eq!(book.children(None), &[code.id.clone(), theme.id.clone()]);
        assert_eq!(book.parent(&code.id), None);
    }

    #[test]
    fn only_leaves_are_removed() {
        let (mut book, _, sub, code) = sample();
        assert_eq!(
            book.remove_leaf(&sub.id),
            Err(TreeError::HasChildren(sub.id.clone()))
        );
        let (removed, pos) = book.remove_leaf(&code.id).unwrap();
        assert_eq!(removed, code);
        assert_eq!(pos, at(Some(&sub), 0));
        assert!(book.children(Some(&sub.id)).is_empty());
    }

    #[test]
    fn find_by_id_path_and_name() {
        let (book, _, sub, code) = sample();
        assert_eq!(book.find(code.id.as_str())[0].id, code.id);
        assert_eq!(book.find("culture > trust")[0].id, sub.id);
        assert_eq!(book.find("SHARED LUNCH")[0].id, code.id);
        assert!(book.find("nothing").is_empty());
    }

    #[test]
    fn colours_parse_and_print() {
        assert_eq!(Colour::parse("#1A2b3c"), Some(Colour([0x1a, 0x2b, 0x3c])));
        assert_eq!(Colour([1, 2, 255]).to_string(), "#0102ff");
        assert_eq!(Colour::parse("123456"), None);
        assert_eq!(Colour::parse("#12345é"), None);
    }
}
