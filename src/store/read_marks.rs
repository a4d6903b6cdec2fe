//! Which review comments each person has read: machine-local state in
//! `.thematic/read/<coder>.yaml` (the `.thematic` folder is git-ignored), so that marking
//! comments read never changes a shared file or makes a merge conflict. For each memo, the
//! time of the newest comment read.

use super::lock::LOCAL_DIR;
use crate::model::{CoderId, MemoId};
use jiff::Timestamp;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Memo -> time of the newest comment on it that this person has read.
pub type ReadMarks = BTreeMap<MemoId, Timestamp>;

#[derive(Debug, thiserror::Error)]
pub enum ReadMarksError {
    #[error("{path}: {source}", path = path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is a link; read marks are not written through links", path = path.display())]
    Link { path: PathBuf },
    #[error("{0}")]
    Yaml(String),
}

fn path_of(root: &Path, coder: &CoderId) -> PathBuf {
    root.join(LOCAL_DIR)
        .join("read")
        .join(format!("{coder}.yaml"))
}

/// The read marks of `coder`; none when never saved, or unreadable (they are a convenience:
/// at worst comments show as new again).
pub fn load_read_marks(root: &Path, coder: &CoderId) -> ReadMarks {
    std::fs::read_to_string(path_of(root, coder))
        .ok()
        .and_then(|text| super::yaml::parse(&text).ok())
        .unwrap_or_default()
}

/// Saves `coder`'s read marks atomically, refusing to go through a link.
pub fn save_read_marks(
    root: &Path,
    coder: &CoderId,
    marks: &ReadMarks,
) -> Result<(), ReadMarksError> {
    let path = path_of(root, coder);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ReadMarksError::Io { path, source }
    };
    let local = root.join(LOCAL_DIR);
    let dir = local.join("read");
    for p in [&local, &dir, &path] {
        if std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(ReadMarksError::Link { path: p.clone() });
        }
    }
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let text = super::yaml::to_string(marks).map_err(|e| ReadMarksError::Yaml(e.to_string()))?;
    super::atomic::write_atomic(&path, text.as_bytes()).map_err(io(&path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_round_trip_and_are_not_written_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let coder = CoderId::new("alex").unwrap();
        assert!(load_read_marks(dir.path(), &coder).is_empty());
        let mut marks = ReadMarks::new();
        marks.insert(MemoId::new("m-1").unwrap(), Timestamp::UNIX_EPOCH);
        save_read_marks(dir.path(), &coder, &marks).unwrap();
        assert_eq!(load_read_marks(dir.path(), &coder), marks);

        let other = tempfile::tempdir().unwrap();
        let linked = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(other.path(), linked.path().join(LOCAL_DIR)).unwrap();
        assert!(matches!(
            save_read_marks(linked.path(), &coder, &marks),
            Err(ReadMarksError::Link { .. })
        ));
        assert!(std::fs::read_dir(other.path()).unwrap().next().is_none());
    }
}
