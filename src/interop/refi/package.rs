//! Reading a REFI-QDA package: a `.qdpx` zip, or a `.qde` file with a `sources` folder
//! beside it. Nothing is ever extracted to disk; entries are read into memory with size
//! limits, and an archive with an unsafe entry name (`../`, absolute, drive letters) is
//! refused as a whole, since no honest exporter writes one.

use super::RefiError;
use crate::interop::import::decode_text;
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

/// The most bytes one entry (the project XML, one source) may expand to.
pub const MAX_ENTRY_BYTES: u64 = 256 * 1024 * 1024;
/// The most bytes all entries read from one archive may expand to.
pub const MAX_TOTAL_BYTES: u64 = 1024 * 1024 * 1024;
/// More entries than this is not a project anyone exported.
pub const MAX_ENTRIES: usize = 100_000;

pub enum Package {
    Zip {
        path: PathBuf,
        archive: zip::ZipArchive<Cursor<Vec<u8>>>,
        /// Lower-cased entry name -> index, for case-insensitive lookup.
        entries: HashMap<String, usize>,
        qde: usize,
        read_so_far: u64,
    },
    Folder {
        qde: PathBuf,
        /// Lower-cased file name in the sources folder -> its path.
        sources: HashMap<String, PathBuf>,
    },
}

fn invalid(path: &Path, message: impl std::fmt::Display) -> RefiError {
    RefiError::Invalid(format!("{}: {message}", path.display()))
}

impl Package {
    /// Opens a `.qdpx` archive: checks every entry name and finds the one `*.qde` at the
    /// root (whatever it is called).
    pub fn open_zip(path: &Path, bytes: Vec<u8>) -> Result<Package, RefiError> {
        let archive = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| invalid(path, format!("not a .qdpx (zip) archive: {e}")))?;
        if archive.len() > MAX_ENTRIES {
            return Err(invalid(
                path,
                format!(
                    "{} entries; refusing more than {MAX_ENTRIES}",
                    archive.len()
                ),
            ));
        }
        let mut entries = HashMap::new();
        let mut qdes = Vec::new();
        for i in 0..archive.len() {
            let raw = match archive.name_for_index(i) {
                Some(Ok(name)) => name.into_owned(),
                _ => return Err(invalid(path, format!("entry {i} has an unreadable name"))),
            };
            if !is_safe_entry_name(&raw) {
                return Err(invalid(
                    path,
                    format!(
                        "the archive holds an entry with an unsafe path ({raw:?}); refusing it"
                    ),
                ));
            }
            let lower = raw.to_lowercase();
            if lower.ends_with(".qde") && !lower.contains('/') {
                qdes.push(i);
            }
            entries.insert(lower, i);
        }
        let qde = match qdes.as_slice() {
            [one] => *one,
            [] => {
                return Err(invalid(
                    path,
                    "no project file (*.qde) at the archive's root",
                ));
            }
            _ => {
                return Err(invalid(
                    path,
                    "more than one project file (*.qde) at the root",
                ));
            }
        };
        Ok(Package::Zip {
            path: path.to_path_buf(),
            archive,
            entries,
            qde,
            read_so_far: 0,
        })
    }

    /// Opens a `.qde` file whose sources lie in a `sources` folder beside it (any case).
    pub fn open_folder(qde: &Path) -> Result<Package, RefiError> {
        let dir = qde.parent().unwrap_or(Path::new("."));
        let mut sources = HashMap::new();
        let listing = std::fs::read_dir(dir).map_err(|source| RefiError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        for entry in listing.flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .eq_ignore_ascii_case("sources")
                && entry.path().is_dir()
            {
                for file in std::fs::read_dir(entry.path())
                    .into_iter()
                    .flatten()
                    .flatten()
                {
                    let name = file.file_name().to_string_lossy().to_lowercase();
                    sources.insert(name, file.path());
                }
            }
        }
        Ok(Package::Folder {
            qde: qde.to_path_buf(),
            sources,
        })
    }

    /// The project XML.
    pub fn project_xml(&mut self) -> Result<String, RefiError> {
        let (bytes, name) = match self {
            Package::Zip { qde, .. } => {
                let index = *qde;
                let bytes = self.read_index(index)?;
                (bytes, "the project file".to_string())
            }
            Package::Folder { qde, .. } => (read_limited(qde)?, qde.display().to_string()),
        };
        decode_text(&bytes, Path::new(&name)).map_err(|e| RefiError::Invalid(e.to_string()))
    }

    /// The bytes of a source file named by a path attribute such as
    /// `internal://1234.txt`. `Err` carries a message for the import summary.
    pub fn source(&mut self, reference: &str) -> Result<Vec<u8>, String> {
        let name = internal_name(reference)?;
        match self {
            Package::Zip { entries, .. } => {
                let key = format!("sources/{}", name.to_lowercase());
                let index = *entries.get(&key).ok_or_else(|| {
                    format!("{reference}: no such file in the archive's sources/")
                })?;
                self.read_index(index).map_err(|e| e.to_string())
            }
            Package::Folder { sources, .. } => {
                let path = sources
                    .get(&name.to_lowercase())
                    .ok_or_else(|| format!("{reference}: no such file in sources/"))?
                    .clone();
                read_limited(&path).map_err(|e| e.to_string())
            }
        }
    }

    fn read_index(&mut self, index: usize) -> Result<Vec<u8>, RefiError> {
        let Package::Zip {
            path,
            archive,
            read_so_far,
            ..
        } = self
        else {
            return Err(RefiError::Invalid("not an archive".into()));
        };
        let mut entry = archive
            .by_index(index)
            .map_err(|e| invalid(path, format!("cannot read an entry: {e}")))?;
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        if entry.size() > MAX_ENTRY_BYTES {
            return Err(invalid(
                path,
                format!(
                    "{name} would expand to {} bytes; the limit is {MAX_ENTRY_BYTES}",
                    entry.size()
                ),
            ));
        }
        // The declared size can lie (a zip bomb): never read past the limits.
        let allowed = MAX_ENTRY_BYTES.min(MAX_TOTAL_BYTES.saturating_sub(*read_so_far));
        let mut bytes = Vec::new();
        (&mut entry)
            .take(allowed + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| invalid(path, format!("cannot read {name}: {e}")))?;
        if bytes.len() as u64 > allowed {
            return Err(invalid(
                path,
                format!("{name} expands past the size limit (a zip bomb?); refusing the archive"),
            ));
        }
        *read_so_far += bytes.len() as u64;
        Ok(bytes)
    }
}

/// A zip entry name that stays inside the folder it would be extracted to.
fn is_safe_entry_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.starts_with('\\')
        && !name.contains('\\')
        && !name.contains('\0')
        && !name.split('/').any(|part| part == "..")
        && !(name.len() >= 2 && name.as_bytes()[1] == b':')
}

/// The file name inside `sources/` that a path attribute refers to. Only files inside the
/// package are read: `absolute://` and `relative://` point at the exporting computer's
/// disk, which an importer must not go looking through.
pub fn internal_name(reference: &str) -> Result<String, String> {
    let name = if let Some(rest) = reference.strip_prefix("internal://") {
        rest
    } else if reference.contains("://") {
        return Err(format!(
            "{reference}: refers to a file outside the package (not read)"
        ));
    } else {
        reference
    };
    let name = name.strip_prefix("sources/").unwrap_or(name);
    if name.is_empty()
        || name.contains('/')
        || name.contains('\\')
        || name.contains('\0')
        || name == ".."
        || name == "."
    {
        return Err(format!("{reference}: not a file name inside the package"));
    }
    Ok(name.to_string())
}

/// A file's bytes, refused past [`MAX_ENTRY_BYTES`] however large it claims to be.
pub fn read_limited(path: &Path) -> Result<Vec<u8>, RefiError> {
    let io = |source| RefiError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(MAX_ENTRY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_ENTRY_BYTES {
        return Err(invalid(path, "larger than the size limit"));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_entry_names_are_recognised() {
        for bad in ["../x", "a/../../x", "/etc/passwd", "C:/x", "a\\..\\x", ""] {
            assert!(!is_safe_entry_name(bad), "{bad}");
        }
        for good in [
            "project.qde",
            "sources/a.txt",
            "Sources/B.TXT",
            "sources/.root",
        ] {
            assert!(is_safe_entry_name(good), "{good}");
        }
    }

    #[test]
    fn only_files_inside_the_package_are_named() {
        assert_eq!(internal_name("internal://a.txt").unwrap(), "a.txt");
        assert_eq!(internal_name("a.txt").unwrap(), "a.txt");
        assert!(internal_name("absolute:///etc/passwd").is_err());
        assert!(internal_name("relative://../x.txt").is_err());
        assert!(internal_name("internal://../x.txt").is_err());
        assert!(internal_name("internal://..").is_err());
    }
}
