//! Comments written by hand in the YAML files teams edit (`codebook.yaml`, `thematic.yaml`),
//! kept through thematic's rewrites. Each comment is attached to the line it stands above
//! (or ends), named by an *anchor* that survives the rewrites thematic makes: the innermost
//! list item (by its first key, such as `[id=k3f9]` for a code) and the keys below it. A code
//! that is renamed or moved keeps its comments; a code that is deleted takes them with it.
//!
//! This is a line scanner for the block-style YAML these files hold, not a YAML parser:
//! block scalars (`|`, `>`) and quoted scalars running over several lines are skipped as
//! content, so a `#` inside them is never taken for a comment.

use std::collections::HashMap;

/// The comments of one file, by the anchor of the line each belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comments {
    /// Full-line comments standing above an anchored line, and a comment ending that line.
    attached: HashMap<String, (Vec<String>, Option<String>)>,
    /// Comments after the last line of content.
    trailing: Vec<String>,
}

/// One line as the scanner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Blank,
    /// A full-line comment (its text, trimmed).
    Comment(String),
    /// A line of a scalar running over several lines.
    Content,
    /// A key or list item, with its anchor and a comment ending it, if any.
    Anchored {
        anchor: String,
        indent: usize,
        inline: Option<String>,
    },
}

impl Comments {
    /// The comments of `text`.
    pub fn of(text: &str) -> Comments {
        let mut comments = Comments::default();
        let mut pending: Vec<String> = Vec::new();
        for kind in scan(text) {
            match kind {
                Kind::Comment(c) => pending.push(c),
                Kind::Anchored { anchor, inline, .. } => {
                    if !pending.is_empty() || inline.is_some() {
                        comments
                            .attached
                            .entry(anchor)
                            .or_insert((std::mem::take(&mut pending), inline));
                    }
                    pending.clear();
                }
                Kind::Blank | Kind::Content => {}
            }
        }
        comments.trailing = pending;
        comments
    }

    pub fn is_empty(&self) -> bool {
        self.attached.is_empty() && self.trailing.is_empty()
    }

    /// The comments of both sides of a merge: ours, and theirs where we have none on that
    /// line (so a comment both kept from the common base is not doubled).
    pub fn with(mut self, theirs: Comments) -> Comments {
        for (anchor, comment) in theirs.attached {
            self.attached.entry(anchor).or_insert(comment);
        }
        if self.trailing.is_empty() {
            self.trailing = theirs.trailing;
        }
        self
    }

    /// `text` (as thematic wrote it) with these comments put back above (or at the end of)
    /// the lines they belong to.
    pub fn apply(&self, text: &str) -> String {
        if self.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len() + 256);
        let mut used = std::collections::HashSet::new();
        for (line, kind) in text.lines().zip(scan(text)) {
            let Kind::Anchored { anchor, indent, .. } = &kind else {
                out.push_str(line);
                out.push('\n');
                continue;
            };
            match self.attached.get(anchor) {
                Some((above, inline)) if used.insert(anchor.clone()) => {
                    for comment in above {
                        out.push_str(&" ".repeat(*indent));
                        out.push_str(comment);
                        out.push('\n');
                    }
                    out.push_str(line);
                    if let Some(inline) = inline {
                        out.push_str("  ");
                        out.push_str(inline);
                    }
                }
                _ => out.push_str(line),
            }
            out.push('\n');
        }
        for comment in &self.trailing {
            out.push_str(comment);
            out.push('\n');
        }
        out
    }
}

/// The line number (1-based) of the first comment in `text`, if any: for files whose
/// comments are not kept. Fast when there is no `#` at all.
pub fn first_comment_line(text: &str) -> Option<usize> {
    if !text.contains('#') {
        return None;
    }
    scan(text)
        .iter()
        .position(|kind| match kind {
            Kind::Comment(_) => true,
            Kind::Anchored { inline, .. } => inline.is_some(),
            _ => false,
        })
        .map(|i| i + 1)
}

/// Classifies every line of `text`.
fn scan(text: &str) -> Vec<Kind> {
    let mut kinds = Vec::new();
    // (indent, segment, is a list item)
    let mut stack: Vec<(usize, String, bool)> = Vec::new();
    let mut block_scalar_above: Option<usize> = None;
    let mut open_quote: Option<char> = None;
    for line in text.lines() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let trimmed = line.trim();
        if let Some(quote) = open_quote {
            if closing_quote(line, quote, 0).is_some() {
                open_quote = None;
            }
            kinds.push(Kind::Content);
            continue;
        }
        if let Some(key_indent) = block_scalar_above {
            if trimmed.is_empty() || indent > key_indent {
                kinds.push(Kind::Content);
                continue;
            }
            block_scalar_above = None;
        }
        if trimmed.is_empty() {
            kinds.push(Kind::Blank);
            continue;
        }
        if trimmed.starts_with('#') {
            kinds.push(Kind::Comment(trimmed.to_string()));
            continue;
        }
        if trimmed == "---" || trimmed == "..." {
            kinds.push(Kind::Content);
            continue;
        }
        let (is_item, body, body_indent) = match trimmed.strip_prefix('-') {
            Some(rest) if rest.is_empty() || rest.starts_with(' ') => {
                let inner = rest.trim_start();
                (true, inner, indent + 1 + (rest.len() - inner.len()))
            }
            _ => (false, trimmed, indent),
        };
        while stack.last().is_some_and(|(i, _, _)| *i >= indent) {
            stack.pop();
        }
        let (key, value) = split_key(body);
        if is_item {
            let identity = match key {
                Some(key) => format!("[{key}={}]", unquote(strip_inline(value).0)),
                None => format!("[={}]", unquote(strip_inline(body).0)),
            };
            stack.push((indent, identity, true));
        }
        if let Some(key) = key {
            stack.push((body_indent, key.to_string(), false));
        }
        let scalar = if key.is_some() { value } else { body };
        let (value_only, inline) = strip_inline(scalar);
        let value_only = value_only.trim();
        if value_only.starts_with('|') || value_only.starts_with('>') {
            block_scalar_above = Some(body_indent);
        } else if let Some(quote @ ('"' | '\'')) = value_only.chars().next()
            && closing_quote(value_only, quote, 1).is_none()
        {
            open_quote = Some(quote);
        }
        // A comment above `- id: x` belongs to the item, not its first key.
        let depth = if is_item && key.is_some() {
            stack.len() - 1
        } else {
            stack.len()
        };
        kinds.push(Kind::Anchored {
            anchor: anchor_of(&stack[..depth]),
            indent,
            inline: inline.map(str::to_string),
        });
    }
    kinds
}

/// The innermost list item and the keys below it, or the whole path when there is no item.
fn anchor_of(stack: &[(usize, String, bool)]) -> String {
    let from = stack.iter().rposition(|(_, _, item)| *item).unwrap_or(0);
    stack[from..]
        .iter()
        .map(|(_, segment, _)| segment.as_str())
        .collect::<Vec<_>>()
        .join("/")
}

/// `key: value` into the key and the rest; `None` for a line that is not a mapping key.
fn split_key(body: &str) -> (Option<&str>, &str) {
    if body.starts_with(['"', '\'', '[', '{']) {
        return (None, body);
    }
    match body
        .find(": ")
        .or_else(|| body.strip_suffix(':').map(|k| k.len()))
    {
        Some(at) if !body[..at].contains(" #") => {
            (Some(body[..at].trim()), body.get(at + 1..).unwrap_or(""))
        }
        _ => (None, body),
    }
}

/// A scalar and the comment ending its line, if any.
fn strip_inline(value: &str) -> (&str, Option<&str>) {
    let trimmed = value.trim_start();
    let offset = value.len() - trimmed.len();
    let search_from = match trimmed.chars().next() {
        Some(quote @ ('"' | '\'')) => match closing_quote(trimmed, quote, 1) {
            Some(end) => end + 1,
            None => return (value, None),
        },
        _ => 0,
    };
    match trimmed[search_from..].find(" #") {
        Some(at) => {
            let at = offset + search_from + at;
            (&value[..at], Some(value[at..].trim()))
        }
        None if trimmed.starts_with('#') => ("", Some(trimmed)),
        None => (value, None),
    }
}

/// Where `quote` closes in `text`, searching from byte `from`.
fn closing_quote(text: &str, quote: char, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        if quote == '"' && b == b'\\' {
            i += 2;
            continue;
        }
        if b == quote as u8 {
            if quote == '\'' && bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

fn unquote(value: &str) -> &str {
    let value = value.trim();
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HAND_EDITED: &str = "\
# Codebook of the wellbeing study
codes:
# agreed at the team meeting
- id: aaa111
  guid: 00000000-0000-4000-8000-000000000001
  # keep this name short
  name: Culture
  level: theme
  description: |
    A block scalar. # not a comment
    # not a comment either
  children:
  - id: bbb222 # the first child
    name: \"Trust # still text\"
    level: code
- id: ccc333
  name: Other
  level: code
# end of file
";

    #[test]
    fn comments_are_found_and_text_that_looks_like_one_is_not() {
        let comments = Comments::of(HAND_EDITED);
        assert_eq!(
            comments.attached.get("[id=aaa111]").unwrap().0,
            vec!["# agreed at the team meeting"]
        );
        assert_eq!(
            comments.attached.get("[id=aaa111]/name").unwrap().0,
            vec!["# keep this name short"]
        );
        assert_eq!(
            comments.attached.get("[id=bbb222]").unwrap().1.as_deref(),
            Some("# the first child")
        );
        assert_eq!(
            comments.attached.get("codes").unwrap().0,
            vec!["# Codebook of the wellbeing study"]
        );
        assert_eq!(comments.trailing, vec!["# end of file"]);
        assert_eq!(comments.attached.len(), 4, "{comments:?}");
        assert_eq!(first_comment_line(HAND_EDITED), Some(1));
        assert_eq!(first_comment_line("a: \"x # y\"\nb: |\n  # z\n"), None);
    }

    #[test]
    fn comments_follow_their_code_through_a_rename_and_a_move() {
        let comments = Comments::of(HAND_EDITED);
        // bbb222 moved to the top level and renamed; aaa111 re-indented; a new code added.
        let rewritten = "\
codes:
  - id: new999
    name: Brand new
  - id: bbb222
    name: Trust renamed
    level: code
  - id: aaa111
    guid: 00000000-0000-4000-8000-000000000001
    name: Culture
    level: theme
";
        let kept = comments.apply(rewritten);
        assert_eq!(
            kept,
            "\
# Codebook of the wellbeing study
codes:
  - id: new999
    name: Brand new
  - id: bbb222  # the first child
    name: Trust renamed
    level: code
  # agreed at the team meeting
  - id: aaa111
    guid: 00000000-0000-4000-8000-000000000001
    # keep this name short
    name: Culture
    level: theme
# end of file
"
        );
        // Reading the result again finds the same comments.
        let again = Comments::of(&kept);
        assert_eq!(again.apply(rewritten), kept);
    }
}
