//! What every command shares: the global flags (`--coder`, who is asking; `--read-only`),
//! who is coding, and the project as that person may see it (blind double coding). Also the
//! refusal of a global flag a command cannot honour: each command says which ones it does
//! (see `Command::honours` in `cli/mod.rs`), and the others are refused, never ignored.

use super::command_error::{CommandError, user_error};
use std::borrow::Cow;
use std::path::Path;
use thematic::model::{CoderId, Project, visibility};
use thematic::store::{self, Loaded};

/// The global flags as given on the command line.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// `--coder ID`: who is working (not whose coding is counted: that is `--coders`).
    pub coder: Option<String>,
    /// `--read-only`: change nothing.
    pub read_only: bool,
}

/// How a command stands to a global flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Use {
    /// The command uses the flag.
    Honoured,
    /// `--coder` says who is asking, and the command's result is the same for everyone
    /// (nothing in it is hidden from anyone): taken, so that a team member's scripts may
    /// always say who they are.
    SameForEveryone,
    /// The command cannot honour it; the text says why, after "`--flag`: ".
    Refused(&'static str),
}

/// How a command stands to each global flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Honours {
    pub coder: Use,
    pub read_only: Use,
}

impl Honours {
    /// A command that only reads: it honours `--read-only` by nature, and `--coder` by
    /// showing only what that coder may see.
    pub const READER: Honours = Honours {
        coder: Use::Honoured,
        read_only: Use::Honoured,
    };

    /// A command that writes as the coder running it.
    pub const CODER_WRITES: Honours = Honours {
        coder: Use::Honoured,
        read_only: Use::Refused(WRITES),
    };

    /// A command that writes, and whose work is nobody's in particular.
    pub const WRITES: Honours = Honours {
        coder: Use::SameForEveryone,
        read_only: Use::Refused(WRITES),
    };
}

/// Why `--read-only` is refused by a command that writes.
pub const WRITES: &str = "this command changes files, so it cannot run read-only";

impl Context {
    /// Refuses a global flag that was given to a command that cannot honour it, and a
    /// `--coder` that is no well-formed id whatever the command.
    pub fn refuse_unhonoured(&self, command: &str, honours: Honours) -> Result<(), CommandError> {
        let given = [
            ("--coder", self.coder.is_some(), honours.coder),
            ("--read-only", self.read_only, honours.read_only),
        ];
        for (flag, is_given, usage) in given {
            if let (true, Use::Refused(why)) = (is_given, usage) {
                return Err(user_error(format!(
                    "{flag} is not for `thematic {command}`: {why}"
                )));
            }
        }
        self.coder_flag().map(|_| ())
    }

    /// Who is coding: --coder, else the config file, else asked once on the terminal and
    /// saved.
    pub fn coder_or_ask(&self) -> Result<CoderId, CommandError> {
        super::open::resolve_coder(self.coder.as_deref())
    }

    /// `--coder`, checked to be a well-formed id, if given.
    pub fn coder_flag(&self) -> Result<Option<CoderId>, CommandError> {
        Ok(self.coder.as_deref().map(CoderId::new).transpose()?)
    }

    /// The project as the person running a command may see it: with `--coder` (or the
    /// config file's coder), their blind double coding stays blind, as on the coding screen.
    /// Without an identity everything is shown, and if that includes work someone is still
    /// coding blind, stderr says so.
    pub fn seen_by<'p>(&self, project: &'p Project) -> Result<Cow<'p, Project>, CommandError> {
        let configured = || thematic::config::Config::load().ok().and_then(|c| c.coder);
        match self.coder.clone().or_else(configured) {
            Some(coder) => {
                let viewer = visibility::Viewer::new(CoderId::new(coder)?);
                Ok(visibility::seen_by(project, &viewer))
            }
            None => {
                note_blind_work_shown(project);
                Ok(Cow::Borrowed(project))
            }
        }
    }
}

/// The project at `dir` for a command that reads it. Files that could not be read are left
/// out (as on the coding screen), and standard error says so rather than showing less in
/// silence.
pub fn load(dir: &Path) -> Result<Loaded, CommandError> {
    let loaded = store::load(dir)?;
    if !loaded.problems.is_empty() {
        eprintln!(
            "warning: {} problem(s) found while reading; run `thematic check {}`",
            loaded.problems.len(),
            dir.display()
        );
    }
    Ok(loaded)
}

/// The project as `coder` may see it (for commands that work as the coder running them).
pub fn seen_as<'p>(project: &'p Project, coder: &CoderId) -> Cow<'p, Project> {
    visibility::seen_by(project, &visibility::Viewer::new(coder.clone()))
}

/// Says on stderr that the output includes work someone is still double-coding blind.
fn note_blind_work_shown(project: &Project) {
    let blind: Vec<&str> = project
        .meta
        .rounds
        .iter()
        .flat_map(|r| {
            r.transcripts
                .iter()
                .filter(|t| !visibility::finished(project, r, t))
        })
        .map(|t| t.as_str())
        .collect();
    if !blind.is_empty() {
        eprintln!(
            "Note: no --coder given, so this shows every coder's work, including {} transcript(s) still being double-coded blind ({}).",
            blind.len(),
            blind.join(", ")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flag_is_refused_only_when_given_to_a_command_that_cannot_honour_it() {
        let both = Context {
            coder: Some("alex".into()),
            read_only: true,
        };
        assert!(both.refuse_unhonoured("stats", Honours::READER).is_ok());
        let refused = both.refuse_unhonoured("import", Honours::WRITES);
        assert_eq!(
            refused.map_err(|e| e.message).unwrap_err(),
            format!("--read-only is not for `thematic import`: {WRITES}")
        );
        let asking = Context {
            coder: Some("alex".into()),
            read_only: false,
        };
        assert!(asking.refuse_unhonoured("import", Honours::WRITES).is_ok());
        let malformed = Context {
            coder: Some("Not Valid".into()),
            read_only: false,
        };
        assert!(
            malformed
                .refuse_unhonoured("import", Honours::WRITES)
                .is_err()
        );
        let misread = Honours {
            coder: Use::Refused("the round's coders are --primary and --second"),
            read_only: Use::Refused(WRITES),
        };
        assert_eq!(
            asking
                .refuse_unhonoured("sample", misread)
                .map_err(|e| e.message)
                .unwrap_err(),
            "--coder is not for `thematic sample`: the round's coders are --primary and --second"
        );
        let writer = Context {
            coder: Some("alex".into()),
            read_only: false,
        };
        assert!(
            writer
                .refuse_unhonoured("codes", Honours::CODER_WRITES)
                .is_ok()
        );
        assert!(
            Context::default()
                .refuse_unhonoured("import", Honours::WRITES)
                .is_ok()
        );
    }
}
