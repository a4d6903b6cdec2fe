//! The user's own settings (not the project's): who they are when coding. Stored as YAML in
//! the platform's config folder (found with `directories`), or in `$THEMATIC_CONFIG_DIR`.

use crate::store::{atomic, yaml};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

pub const CONFIG_FILE: &str = "config.yaml";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The coder id used when `--coder` is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coder: Option<String>,
    /// The command that plays a recording, e.g. `mpv --start={start} {file}` (see
    /// [`crate::media`]); default: mpv or vlc, whichever is found first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub player: Option<String>,
    /// Whether selections made with the keyboard grow to whole words (default: yes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snap_to_words: Option<bool>,
    /// Pane widths in the coding screen, as last set with `<`/`>` or by dragging a border.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub panes: Option<PaneSizes>,
}

/// Widths (in columns) the user gave the coding screen's side panes; a missing one is sized
/// to the terminal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaneSizes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codebook: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<u16>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("no config folder could be found for this user (set THEMATIC_CONFIG_DIR)")]
    NoConfigDir,
    #[error("{path}: {source}", path = path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}", path = path.display())]
    Parse {
        path: PathBuf,
        #[source]
        source: yaml::YamlError,
    },
}

/// The folder holding the user's config.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("THEMATIC_CONFIG_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "thematic").map(|d| d.config_dir().to_path_buf())
}

impl Config {
    /// Loads the config; a missing file is an empty config.
    pub fn load() -> Result<Config, ConfigError> {
        let path = config_dir()
            .ok_or(ConfigError::NoConfigDir)?
            .join(CONFIG_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => yaml::parse(&text).map_err(|source| ConfigError::Parse { path, source }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(source) => Err(ConfigError::Io { path, source }),
        }
    }

    /// Where the config file is (or would be), for messages.
    pub fn path_for_messages() -> String {
        config_dir().map_or_else(
            || "config.yaml in your config folder".to_string(),
            |d| d.join(CONFIG_FILE).display().to_string(),
        )
    }

    /// Changes the config file with `change`, keeping every other setting in it. A file that
    /// does not parse is never overwritten, and a config.yaml that is a symbolic link (kept
    /// with the user's dotfiles, say) is not replaced by a plain file.
    pub fn update(change: impl FnOnce(&mut Config)) -> Result<PathBuf, ConfigError> {
        let path = config_dir()
            .ok_or(ConfigError::NoConfigDir)?
            .join(CONFIG_FILE);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(ConfigError::Io {
                path,
                source: std::io::Error::other("is a symbolic link; not replaced"),
            });
        }
        let mut config = Config::load()?;
        change(&mut config);
        config.save()
    }

    pub fn save(&self) -> Result<PathBuf, ConfigError> {
        let path = config_dir()
            .ok_or(ConfigError::NoConfigDir)?
            .join(CONFIG_FILE);
        let text = yaml::to_string(self).map_err(|e| ConfigError::Io {
            path: path.clone(),
            source: std::io::Error::other(e.to_string()),
        })?;
        atomic::write_atomic(&path, text.as_bytes()).map_err(|source| ConfigError::Io {
            path: path.clone(),
            source,
        })?;
        Ok(path)
    }
}
