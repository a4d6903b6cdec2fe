//! Paths inside a project are never followed out of it. A project that travels through git
//! may hold symbolic links (a committed link at `.thematic/locks/alex.lock`, `codings/alex`
//! pointing to another folder) and a copied folder may hold FIFOs or devices: thematic reads
//! only regular files and real folders below the project root, and writes only there.
//!
//! The project root itself may be a link (people keep projects under linked folders): only
//! the components below it are checked.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// What is at a project path, when it is not a regular file or a real folder.
pub fn kind_name(file_type: &fs::FileType) -> &'static str {
    if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_fifo() {
        "a FIFO (named pipe)"
    } else if file_type.is_char_device() {
        "a character device"
    } else if file_type.is_block_device() {
        "a block device"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_dir() {
        "a folder"
    } else {
        "a regular file"
    }
}

/// The message for something at `rel` that thematic will not follow or read.
pub fn refusal(root: &Path, rel: &Path, file_type: &fs::FileType) -> String {
    if file_type.is_symlink() {
        let target = fs::read_link(root.join(rel))
            .map(|t| t.display().to_string())
            .unwrap_or_else(|_| "an unreadable target".into());
        format!(
            "{} is a symbolic link to {target}: thematic does not follow links inside a project",
            rel.display()
        )
    } else {
        format!(
            "{} is {}, not a regular file: thematic reads and writes only regular files inside a project",
            rel.display(),
            kind_name(file_type)
        )
    }
}

/// The first component of `rel` below `root` (the path itself included) that is a link or,
/// for the last component, anything but a regular file or folder; with its message. Missing
/// components end the walk: nothing there to follow.
pub fn first_refused(root: &Path, rel: &Path) -> Option<String> {
    let mut prefix = PathBuf::new();
    for component in rel.components() {
        prefix.push(component);
        let meta = match fs::symlink_metadata(root.join(&prefix)) {
            Ok(meta) => meta,
            Err(_) => return None,
        };
        let file_type = meta.file_type();
        if file_type.is_symlink() || !(file_type.is_dir() || file_type.is_file()) {
            return Some(refusal(root, &prefix, &file_type));
        }
    }
    None
}

/// Opens a regular file for reading without following a link at its last component and
/// without blocking on a FIFO; anything but a regular file is refused. (Links in the folders
/// above it are refused when the folders are listed.)
pub fn open_regular(root: &Path, rel: &Path) -> Result<(File, fs::Metadata), String> {
    let refused = |_| {
        first_refused(root, rel).unwrap_or_else(|| format!("{}: cannot be opened", rel.display()))
    };
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(root.join(rel))
        .map_err(|e: io::Error| match e.raw_os_error() {
            Some(libc::ELOOP) | Some(libc::ENXIO) => refused(()),
            _ => format!("cannot read: {e}"),
        })?;
    let meta = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err(refusal(root, rel, &meta.file_type()));
    }
    Ok((file, meta))
}

/// Makes sure `rel`'s folders exist as real folders below `root` (creating missing ones, each
/// with the mode of the folder it is made in) and that nothing at `rel` is a link or a
/// non-regular file, so that a write to `root/rel` lands inside the project.
pub fn prepare_write(root: &Path, rel: &Path) -> Result<(), String> {
    let mut prefix = PathBuf::new();
    let parent = rel.parent().unwrap_or(Path::new(""));
    for component in parent.components() {
        let above = root.join(&prefix);
        prefix.push(component);
        let path = root.join(&prefix);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_dir() => {}
            Ok(meta) if meta.file_type().is_file() => {
                return Err(format!(
                    "{} is a file where a folder is expected",
                    prefix.display()
                ));
            }
            Ok(meta) => return Err(refusal(root, &prefix, &meta.file_type())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                create_dir_like(&path, &above).map_err(|e| format!("{}: {e}", prefix.display()))?
            }
            Err(e) => return Err(format!("{}: {e}", prefix.display())),
        }
    }
    match fs::symlink_metadata(root.join(rel)) {
        Ok(meta) if meta.file_type().is_file() => Ok(()),
        Ok(meta) => Err(refusal(root, rel, &meta.file_type())),
        Err(_) => Ok(()),
    }
}

/// Creates the folder `path` with the permissions of `like` (its parent), so a project
/// restricted to its owner stays so.
fn create_dir_like(path: &Path, like: &Path) -> io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    let mode = fs::metadata(like).map_or(0o755, |m| m.permissions().mode() & 0o7777);
    match fs::DirBuilder::new().mode(mode).create(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    // The umask may have narrowed it further than the parent; that only ever narrows.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_fifos_are_refused_and_real_files_opened() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("p");
        let outside = dir.path().join("outside");
        fs::create_dir_all(root.join("codings")).unwrap();
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("secret.txt"), "x").unwrap();
        std::os::unix::fs::symlink(&outside, root.join("codings/alex")).unwrap();
        std::os::unix::fs::symlink(outside.join("secret.txt"), root.join("t.txt")).unwrap();
        fs::write(root.join("ok.yaml"), "a").unwrap();
        let fifo = std::ffi::CString::new(root.join("f.txt").to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);

        let link = open_regular(&root, Path::new("t.txt")).unwrap_err();
        assert!(link.contains("t.txt is a symbolic link to"), "{link}");
        let fifo = open_regular(&root, Path::new("f.txt")).unwrap_err();
        assert!(fifo.contains("FIFO"), "{fifo}");
        assert!(open_regular(&root, Path::new("ok.yaml")).is_ok());

        let through = prepare_write(&root, Path::new("codings/alex/p01.yaml")).unwrap_err();
        assert!(
            through.starts_with("codings/alex is a symbolic link"),
            "{through}"
        );
        assert!(prepare_write(&root, Path::new("memos/sam/m.yaml")).is_ok());
        assert!(root.join("memos/sam").is_dir());
        assert!(
            first_refused(&root, Path::new("codings/alex/p01.yaml"))
                .is_some_and(|m| m.contains("codings/alex"))
        );
        assert_eq!(
            fs::read_dir(&outside).unwrap().count(),
            1,
            "nothing written outside"
        );
    }
}
