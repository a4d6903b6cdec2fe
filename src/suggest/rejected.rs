//! Suggestions a coder turned down, per code: machine-local state in
//! `.thematic/suggest/<coder>.yaml` (the `.thematic` folder is git-ignored). It lives there,
//! not in the coder's shared files, because it is a private working aid: it never needs
//! merging, never makes a git conflict between coders, and is nobody else's business. A
//! rejection is matched by its transcript and its text, so it survives small shifts of the
//! transcript's offsets.

use crate::model::{CodeId, CoderId, TranscriptId};
use crate::store::lock::LOCAL_DIR;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One passage turned down.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Rejection {
    pub transcript: TranscriptId,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Code -> the passages turned down for it.
pub type Rejections = BTreeMap<CodeId, Vec<Rejection>>;

#[derive(Debug, thiserror::Error)]
pub enum RejectionsError {
    #[error("{path}: {source}", path = path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is a link; rejected suggestions are not written through links", path = path.display())]
    Link { path: PathBuf },
    #[error("{path}: {message}", path = path.display())]
    Yaml { path: PathBuf, message: String },
}

fn path_of(root: &Path, coder: &CoderId) -> PathBuf {
    root.join(LOCAL_DIR)
        .join("suggest")
        .join(format!("{coder}.yaml"))
}

/// `coder`'s rejections; none when never saved. A file that does not parse is an error (with
/// its place), so that it is never overwritten and its rejections never silently return.
pub fn load(root: &Path, coder: &CoderId) -> Result<Rejections, RejectionsError> {
    let path = path_of(root, coder);
    match std::fs::read_to_string(&path) {
        Ok(text) => crate::store::yaml::parse(&text).map_err(|e| RejectionsError::Yaml {
            path,
            message: e.to_string(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Rejections::new()),
        Err(source) => Err(RejectionsError::Io { path, source }),
    }
}

/// Saves `coder`'s rejections atomically, refusing to go through a link.
pub fn save(root: &Path, coder: &CoderId, rejections: &Rejections) -> Result<(), RejectionsError> {
    let path = path_of(root, coder);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| RejectionsError::Io { path, source }
    };
    let local = root.join(LOCAL_DIR);
    let dir = local.join("suggest");
    for p in [&local, &dir, &path] {
        if std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(RejectionsError::Link { path: p.clone() });
        }
    }
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let text = crate::store::yaml::to_string(rejections).map_err(|e| RejectionsError::Yaml {
        path: path.clone(),
        message: e.to_string(),
    })?;
    crate::store::atomic::write_atomic(&path, text.as_bytes()).map_err(io(&path))
}

/// Records that `coder` turned down `rejection` for `code`, and saves.
pub fn reject(
    root: &Path,
    coder: &CoderId,
    code: &CodeId,
    rejection: Rejection,
) -> Result<(), RejectionsError> {
    let mut all = load(root, coder)?;
    let list = all.entry(code.clone()).or_default();
    if !list.contains(&rejection) {
        list.push(rejection);
        list.sort();
    }
    save(root, coder, &all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejections_round_trip_and_are_not_written_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let coder = CoderId::new("alex").unwrap();
        let code = CodeId::new("c-1").unwrap();
        assert!(load(dir.path(), &coder).unwrap().is_empty());
        let r = Rejection {
            transcript: TranscriptId::new("p01").unwrap(),
            start: 3,
            end: 9,
            text: "abcdef".into(),
        };
        reject(dir.path(), &coder, &code, r.clone()).unwrap();
        reject(dir.path(), &coder, &code, r.clone()).unwrap();
        assert_eq!(load(dir.path(), &coder).unwrap()[&code], vec![r.clone()]);
        let outside = tempfile::tempdir().unwrap();
        let suggest = dir.path().join(LOCAL_DIR).join("suggest");
        std::fs::remove_dir_all(&suggest).unwrap();
        std::os::unix::fs::symlink(outside.path(), &suggest).unwrap();
        assert!(matches!(
            reject(dir.path(), &coder, &code, r),
            Err(RejectionsError::Link { .. })
        ));
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_damaged_file_is_an_error_and_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let coder = CoderId::new("alex").unwrap();
        let path = path_of(dir.path(), &coder);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "c-1: [oops").unwrap();
        assert!(load(dir.path(), &coder).is_err());
        let r = Rejection {
            transcript: TranscriptId::new("p01").unwrap(),
            start: 0,
            end: 1,
            text: "a".into(),
        };
        assert!(reject(dir.path(), &coder, &CodeId::new("c-1").unwrap(), r).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "c-1: [oops");
    }
}
