//! Key bindings: the defaults shipped in `assets/keymap.yaml`, with the user's
//! `keymap.yaml` (in the config folder) replacing the keys of any action it names.

use crate::store::yaml;
use crate::tui::action::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use indexmap::IndexMap;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.yaml");
pub const KEYMAP_FILE: &str = "keymap.yaml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    Text,
    List,
    Codebook,
    CodebookView,
    Retrieve,
    Memos,
    Agreement,
    Analysis,
    Suggestions,
    SearchList,
}

impl Context {
    pub const ALL: [Context; 11] = [
        Context::Global,
        Context::Text,
        Context::List,
        Context::Codebook,
        Context::CodebookView,
        Context::Retrieve,
        Context::Memos,
        Context::Agreement,
        Context::Analysis,
        Context::Suggestions,
        Context::SearchList,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Text => "text",
            Context::List => "list",
            Context::Codebook => "codebook",
            Context::CodebookView => "codebook-view",
            Context::Retrieve => "retrieve",
            Context::Memos => "memos",
            Context::Agreement => "agreement",
            Context::Analysis => "analysis",
            Context::Suggestions => "suggestions",
            Context::SearchList => "search-list",
        }
    }

    fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// A key with its modifiers, normalised so that `G` and `Shift-g` are the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    pub fn from_event(event: &KeyEvent) -> Key {
        let mut modifiers =
            event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match event.code {
            KeyCode::Char(c) => {
                // The character already says whether Shift was held.
                modifiers.remove(KeyModifiers::SHIFT);
                if modifiers.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, modifiers }
    }

    pub fn parse(spec: &str) -> Option<Key> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = spec;
        loop {
            if let Some(r) = rest.strip_prefix("Ctrl-").filter(|r| !r.is_empty()) {
                modifiers |= KeyModifiers::CONTROL;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("Alt-").filter(|r| !r.is_empty()) {
                modifiers |= KeyModifiers::ALT;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("Shift-").filter(|r| !r.is_empty()) {
                modifiers |= KeyModifiers::SHIFT;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest {
            "Enter" => KeyCode::Enter,
            "Esc" => KeyCode::Esc,
            "Tab" if modifiers.contains(KeyModifiers::SHIFT) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            "Tab" => KeyCode::Tab,
            "BackTab" => KeyCode::BackTab,
            "Space" => KeyCode::Char(' '),
            "Backspace" => KeyCode::Backspace,
            "Delete" => KeyCode::Delete,
            "Left" => KeyCode::Left,
            "Right" => KeyCode::Right,
            "Up" => KeyCode::Up,
            "Down" => KeyCode::Down,
            "Home" => KeyCode::Home,
            "End" => KeyCode::End,
            "PageUp" => KeyCode::PageUp,
            "PageDown" => KeyCode::PageDown,
            f if f.len() > 1 && f.starts_with('F') => {
                KeyCode::F(f[1..].parse().ok().filter(|n| (1..=12).contains(n))?)
            }
            single => {
                let mut chars = single.chars();
                let c = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                let c = if modifiers.contains(KeyModifiers::SHIFT) && c.is_alphabetic() {
                    modifiers.remove(KeyModifiers::SHIFT);
                    c.to_uppercase().next().unwrap_or(c)
                } else if modifiers.contains(KeyModifiers::CONTROL) {
                    c.to_ascii_lowercase()
                } else {
                    c
                };
                KeyCode::Char(c)
            }
        };
        Some(Key { code, modifiers })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeymapError {
    #[error("{path}: {source}", path = path.display())]
    Parse {
        path: PathBuf,
        #[source]
        source: yaml::YamlError,
    },
    #[error("{path}: {message}", path = path.display())]
    Invalid { path: PathBuf, message: String },
    #[error("{path}: {source}", path = path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Contexts and actions in the file's order, which is the order help lists them in.
type KeymapFile = IndexMap<String, IndexMap<String, Vec<String>>>;

#[derive(Debug, Clone)]
pub struct Keymap {
    /// For help: per context, each action with its keys, in the file's order.
    bindings: BTreeMap<Context, Vec<(Action, Vec<Key>)>>,
    lookup: HashMap<(Context, Key), Action>,
}

impl Keymap {
    /// The defaults only.
    pub fn defaults() -> Result<Keymap, KeymapError> {
        let mut keymap = Keymap {
            bindings: BTreeMap::new(),
            lookup: HashMap::new(),
        };
        keymap.merge(DEFAULT_KEYMAP, Path::new("assets/keymap.yaml"))?;
        Ok(keymap)
    }

    /// The defaults with the user's keymap file in `config_dir` (if there is one) applied.
    pub fn load(config_dir: Option<&Path>) -> Result<Keymap, KeymapError> {
        let mut keymap = Keymap::defaults()?;
        if let Some(dir) = config_dir {
            let path = dir.join(KEYMAP_FILE);
            match std::fs::read_to_string(&path) {
                Ok(text) => keymap.merge(&text, &path)?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(KeymapError::Io { path, source }),
            }
        }
        Ok(keymap)
    }

    /// Applies a keymap file's bindings: each action named gets exactly the keys given.
    pub fn merge(&mut self, text: &str, path: &Path) -> Result<(), KeymapError> {
        let invalid = |message: String| KeymapError::Invalid {
            path: path.into(),
            message,
        };
        let file: KeymapFile = yaml::parse(text).map_err(|source| KeymapError::Parse {
            path: path.into(),
            source,
        })?;
        for (context_name, actions) in file {
            let context = Context::from_name(&context_name).ok_or_else(|| {
                invalid(format!(
                    "unknown context `{context_name}` (use global, text, list, codebook, codebook-view, retrieve, memos, agreement or analysis)"
                ))
            })?;
            for (action_name, key_specs) in actions {
                let action = Action::from_name(&action_name).ok_or_else(|| {
                    invalid(format!("{context_name}: unknown action `{action_name}`"))
                })?;
                let keys = key_specs
                    .iter()
                    .map(|k| {
                        Key::parse(k).ok_or_else(|| {
                            invalid(format!(
                                "{context_name}.{action_name}: cannot read key `{k}`"
                            ))
                        })
                    })
                    .collect::<Result<Vec<Key>, _>>()?;
                let list = self.bindings.entry(context).or_default();
                match list.iter_mut().find(|(a, _)| *a == action) {
                    Some(entry) => entry.1 = keys,
                    None => list.push((action, keys)),
                }
            }
        }
        self.rebuild_lookup(path)
    }

    fn rebuild_lookup(&mut self, path: &Path) -> Result<(), KeymapError> {
        self.lookup.clear();
        for (context, list) in &self.bindings {
            for (action, keys) in list {
                for key in keys {
                    if let Some(other) = self.lookup.insert((*context, *key), *action)
                        && other != *action
                    {
                        return Err(KeymapError::Invalid {
                            path: path.into(),
                            message: format!(
                                "{}: key {key} is bound to both `{}` and `{}`",
                                context.name(),
                                other.name(),
                                action.name()
                            ),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    /// The action for a key in the focused context, falling back to global bindings.
    pub fn action(&self, context: Context, key: Key) -> Option<Action> {
        self.lookup
            .get(&(context, key))
            .or_else(|| self.lookup.get(&(Context::Global, key)))
            .copied()
    }

    pub fn bindings(&self, context: Context) -> &[(Action, Vec<Key>)] {
        self.bindings.get(&context).map_or(&[], Vec::as_slice)
    }

    /// The keys of an action in a context, for hints ("c" for assign).
    pub fn keys_for(&self, context: Context, action: Action) -> String {
        self.bindings(context)
            .iter()
            .chain(self.bindings(Context::Global))
            .find(|(a, _)| *a == action)
            .and_then(|(_, keys)| keys.first())
            .map_or_else(|| "(unbound)".into(), ToString::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(spec: &str) -> Key {
        Key::parse(spec).unwrap()
    }

    #[test]
    fn defaults_load_and_resolve_by_context() {
        let keymap = Keymap::defaults().unwrap();
        assert_eq!(keymap.action(Context::Text, key("j")), Some(Action::Down));
        assert_eq!(keymap.action(Context::Text, key("q")), Some(Action::Quit));
        assert_eq!(
            keymap.action(Context::Codebook, key("Enter")),
            Some(Action::Assign)
        );
        assert_eq!(
            keymap.action(Context::Text, key("Ctrl-r")),
            Some(Action::Redo)
        );
        assert_eq!(keymap.action(Context::Text, key("G")), Some(Action::End));
        assert_eq!(
            keymap.action(Context::Text, key("Shift-Tab")),
            Some(Action::FocusPrev)
        );
    }

    #[test]
    fn key_events_normalise_shift() {
        let upper_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&upper_g), key("G"));
        let ctrl_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(Key::from_event(&ctrl_r), key("Ctrl-r"));
        let back_tab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&back_tab), key("BackTab"));
        assert_eq!(key("Ctrl-r").to_string(), "Ctrl-r");
    }

    #[test]
    fn user_bindings_replace_an_actions_keys() {
        let mut keymap = Keymap::defaults().unwrap();
        keymap
            .merge(
                "text:\n  down: [J]\n  crash-test: [F12]\n",
                Path::new("k.yaml"),
            )
            .unwrap();
        assert_eq!(keymap.action(Context::Text, key("J")), Some(Action::Down));
        assert_eq!(keymap.action(Context::Text, key("j")), None);
        assert_eq!(
            keymap.action(Context::Text, key("F12")),
            Some(Action::CrashTest)
        );
    }

    #[test]
    fn bad_keymaps_get_clear_messages() {
        let mut keymap = Keymap::defaults().unwrap();
        let err = |km: &mut Keymap, text: &str| {
            km.merge(text, Path::new("k.yaml")).unwrap_err().to_string()
        };
        assert_eq!(
            err(&mut keymap, "txt:\n  down: [j]\n"),
            "k.yaml: unknown context `txt` (use global, text, list, codebook, codebook-view, retrieve, memos, agreement or analysis)"
        );
        assert_eq!(
            err(&mut keymap, "text:\n  fly: [j]\n"),
            "k.yaml: text: unknown action `fly`"
        );
        assert_eq!(
            err(&mut keymap, "text:\n  down: [Hyper-j]\n"),
            "k.yaml: text.down: cannot read key `Hyper-j`"
        );
        assert_eq!(
            err(&mut keymap, "text:\n  down: [w]\n"),
            "k.yaml: text: key w is bound to both `down` and `word-next`"
        );
        assert!(err(&mut keymap, "text: [").starts_with("k.yaml: line 1"));
    }
}
