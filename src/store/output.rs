//! Writing an export (or any other output a command makes) to a path the user gave.
//!
//! What is at the path decides how: `-` is standard output; an existing FIFO or character
//! device (`/dev/stdout`, a pipe someone reads) is written as a stream, never replaced; an
//! existing symbolic link is resolved and its target written; an existing regular file is
//! replaced atomically keeping its mode and owner, except a file with several hard links,
//! which is rewritten in place so every name sees the new content. An output that is one of
//! the project's own files, or inside its `.thematic/` folder, is refused before anything is
//! written, as is an output in a folder that does not exist.

use super::atomic;
use super::files::{
    AUDIT_DIR, CODEBOOK_FILE, CODINGS_DIR, MEMOS_DIR, PROJECT_FILE, REVIEWS_DIR, TRANSCRIPTS_DIR,
};
use super::lock::LOCAL_DIR;
use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Component, Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("standard output: {0}")]
    Stdout(io::Error),
    #[error(
        "{path} is {what}; write the export somewhere else (nothing was written)",
        path = path.display()
    )]
    ProjectFile { path: PathBuf, what: String },
    #[error("{path}: the folder {folder} does not exist (nothing was written)", path = path.display(), folder = folder.display())]
    MissingFolder { path: PathBuf, folder: PathBuf },
    #[error("{path} is {kind}; give a file name (nothing was written)", path = path.display())]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error("{path}: {source}", path = path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Where an output went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    Stdout,
    /// Streamed into an existing FIFO or device.
    Stream(PathBuf),
    /// A regular file (the link's target, when the path was a link).
    File(PathBuf),
}

/// Writes `bytes` to `out` as described in the module documentation. `project` is the
/// project the output was made from, whose files are never written.
pub fn write_output(out: &Path, bytes: &[u8], project: &Path) -> Result<Written, OutputError> {
    if out == Path::new("-") {
        write_stdout(bytes)?;
        return Ok(Written::Stdout);
    }
    let io_err = |source| OutputError::Io {
        path: out.to_path_buf(),
        source,
    };
    let target = resolve(out)?;
    let meta = match fs::metadata(&target) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(io_err(e)),
    };
    refuse_project_file(out, &target, meta.as_ref(), project)?;
    let Some(meta) = meta else {
        atomic::write_atomic(&target, bytes).map_err(io_err)?;
        return Ok(Written::File(target));
    };
    let file_type = meta.file_type();
    if file_type.is_fifo() || file_type.is_char_device() {
        stream_into(&target, bytes).map_err(io_err)?;
        return Ok(Written::Stream(target));
    }
    if !file_type.is_file() {
        return Err(OutputError::NotAFile {
            path: out.to_path_buf(),
            kind: super::safe::kind_name(&file_type),
        });
    }
    if meta.nlink() > 1 {
        rewrite_in_place(&target, bytes).map_err(io_err)?;
    } else {
        atomic::write_atomic(&target, bytes).map_err(io_err)?;
    }
    Ok(Written::File(target))
}

/// Writes to standard output, failing (not silently succeeding) when it is closed or full.
pub fn write_stdout(bytes: &[u8]) -> Result<(), OutputError> {
    stdout_open().map_err(OutputError::Stdout)?;
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(OutputError::Stdout)
}

/// Whether standard output was open when the program started. A program started with
/// descriptor 1 closed (`>&-`) finds it reopened on `/dev/null` read-write by Rust's start-up
/// code, which would turn `export - >&-` into a silent success; a shell's `> /dev/null` opens
/// it write-only, so the two can be told apart.
pub fn stdout_open() -> io::Result<()> {
    use std::os::fd::AsFd;
    let closed = || Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"));
    // SAFETY: F_GETFL only reads the descriptor's flags.
    let flags = unsafe { libc::fcntl(1, libc::F_GETFL) };
    if flags == -1 {
        return closed();
    }
    if flags & libc::O_ACCMODE == libc::O_RDWR
        && let Ok(stdout) = io::stdout()
            .as_fd()
            .try_clone_to_owned()
            .map(fs::File::from)
        && let Ok(meta) = stdout.metadata()
        && meta.file_type().is_char_device()
        && let Ok(null) = fs::metadata("/dev/null")
        && null.rdev() == meta.rdev()
    {
        return closed();
    }
    Ok(())
}

/// The path to write: `out` itself, or where its chain of links ends. A dangling link's
/// target is created; a missing folder is refused.
fn resolve(out: &Path) -> Result<PathBuf, OutputError> {
    let mut path = out.to_path_buf();
    // Links to links are followed a bounded number of times, like the kernel does.
    for _ in 0..40 {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&path).map_err(|source| OutputError::Io {
                    path: out.to_path_buf(),
                    source,
                })?;
                path = parent_of(&path).join(link);
            }
            Ok(_) => return Ok(path),
            Err(_) => {
                let folder = parent_of(&path);
                if !folder.is_dir() {
                    return Err(OutputError::MissingFolder {
                        path: out.to_path_buf(),
                        folder,
                    });
                }
                return Ok(path);
            }
        }
    }
    Err(OutputError::Io {
        path: out.to_path_buf(),
        source: io::Error::from_raw_os_error(libc::ELOOP),
    })
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Refuses `target` when it is one of the project's files or folders (by place, or, for a
/// file with several hard links, by identity).
fn refuse_project_file(
    out: &Path,
    target: &Path,
    meta: Option<&fs::Metadata>,
    project: &Path,
) -> Result<(), OutputError> {
    let refuse = |what: &str| {
        Err(OutputError::ProjectFile {
            path: out.to_path_buf(),
            what: what.to_string(),
        })
    };
    let Ok(root) = fs::canonicalize(project) else {
        return Ok(());
    };
    let canonical = match fs::canonicalize(target) {
        Ok(path) => path,
        Err(_) => match (fs::canonicalize(parent_of(target)), target.file_name()) {
            (Ok(folder), Some(name)) => folder.join(name),
            _ => return Ok(()),
        },
    };
    if let Ok(rel) = canonical.strip_prefix(&root)
        && let Some(Component::Normal(first)) = rel.components().next()
        && let Some(what) = project_entry(&first.to_string_lossy())
    {
        return refuse(what);
    }
    if let Some(meta) = meta
        && meta.is_file()
        && meta.nlink() > 1
        && is_linked_to_project(meta, &root)
    {
        return refuse("a hard link to one of the project's files");
    }
    Ok(())
}

/// What a top-level name of a project folder is, if it is the project's.
fn project_entry(name: &str) -> Option<&'static str> {
    Some(match name {
        PROJECT_FILE => "the project's settings file",
        CODEBOOK_FILE => "the project's codebook",
        TRANSCRIPTS_DIR => "in the project's transcripts folder",
        CODINGS_DIR => "in the project's codings folder",
        MEMOS_DIR => "in the project's memos folder",
        REVIEWS_DIR => "in the project's reviews folder",
        AUDIT_DIR => "in the project's audit trail folder",
        LOCAL_DIR => "in the project's local .thematic folder",
        ".gitignore" => "the project's .gitignore",
        _ => return None,
    })
}

/// Whether a file with several names is one of the project's files.
fn is_linked_to_project(meta: &fs::Metadata, root: &Path) -> bool {
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            if file_type.is_dir() {
                stack.push(entry.path());
            } else if file_type.is_file()
                && entry
                    .metadata()
                    .is_ok_and(|m| m.ino() == meta.ino() && m.dev() == meta.dev())
            {
                return true;
            }
        }
    }
    false
}

/// Writes into an existing FIFO or device, without creating or replacing anything.
fn stream_into(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::OpenOptions::new().write(true).open(path)?;
    file.write_all(bytes)?;
    file.flush()
}

/// Rewrites a file with several hard links through its existing inode (not atomic: a crash
/// midway leaves it partly written, which is why only hard-linked outputs are written so).
fn rewrite_in_place(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_data()
}
