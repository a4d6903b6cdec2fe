//! Calling the `git` command line, in a project folder, as the user's own git set-up has it
//! (their SSH keys, credential helpers and identity): thematic adds nothing of its own.

use super::TeamError;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `git` run in one folder.
#[derive(Debug, Clone)]
pub struct Git {
    dir: PathBuf,
}

impl Git {
    pub fn new(dir: &Path) -> Git {
        Git {
            dir: dir.to_path_buf(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Runs git with `args`, whatever its exit status.
    pub fn output(&self, args: &[&str]) -> Result<Output, TeamError> {
        Command::new("git")
            .args(args)
            .current_dir(&self.dir)
            // A merge that succeeds must not wait for an editor.
            .env("GIT_MERGE_AUTOEDIT", "no")
            .env("GIT_EDITOR", "true")
            .output()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => TeamError::GitMissing,
                _ => TeamError::Io(e.to_string()),
            })
    }

    /// Runs git; its standard output if it succeeds, else an error with what it said.
    pub fn run(&self, args: &[&str]) -> Result<String, TeamError> {
        let out = self.output(args)?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(TeamError::Git {
                command: format!("git {}", args.join(" ")),
                message: said(&out),
            })
        }
    }

    /// Whether git succeeds with `args`.
    pub fn succeeds(&self, args: &[&str]) -> Result<bool, TeamError> {
        Ok(self.output(args)?.status.success())
    }

    /// The lines git prints, for lists of names.
    pub fn lines(&self, args: &[&str]) -> Result<Vec<String>, TeamError> {
        Ok(self
            .run(args)?
            .lines()
            .map(str::to_string)
            .filter(|l| !l.is_empty())
            .collect())
    }
}

/// What git said on failure (its error output, else its output).
pub fn said(out: &Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
    if err.is_empty() {
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    } else {
        err
    }
}
