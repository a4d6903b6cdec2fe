//! Why a command could not run: [`CommandError`], with a kind, a message and hints; the
//! library's typed errors converted into it (each picking its kind), and the one place that
//! prints it and turns it into an exit status.

use std::io;
use std::process::ExitCode;
use thematic::store::StoreError;

/// What kind of failure it was: who can fix it, and how the command ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The command was asked for something it cannot do (a wrong flag, an unknown code).
    User,
    /// A file of the project (or the user's settings) could not be read as it is.
    BadProject,
    /// Reading or writing failed (disk full, permissions, a vanished folder).
    Io,
    /// Whoever read our output stopped reading (`thematic quotes ... | head`).
    BrokenPipe,
    /// A defect of thematic itself.
    Internal,
}

/// A command that could not run: its kind, the message, and hints each printed on a line of
/// its own below the message.
#[derive(Debug)]
pub struct CommandError {
    pub kind: Kind,
    pub message: String,
    pub hints: Vec<String>,
}

pub type Outcome = Result<ExitCode, CommandError>;

impl CommandError {
    pub fn new(kind: Kind, message: impl Into<String>) -> CommandError {
        CommandError {
            kind,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// A hint printed on its own line below the message.
    pub fn hint(mut self, hint: impl Into<String>) -> CommandError {
        self.hints.push(hint.into());
        self
    }
}

/// A user error: what was asked cannot be done; the message says why.
pub fn user_error(message: String) -> CommandError {
    CommandError::new(Kind::User, message)
}

/// Prints a command's failure (nothing for a broken pipe) and gives the exit status: 0 or
/// the command's own status on success (once standard output is flushed), 2 when it could
/// not run.
pub fn finish(outcome: Outcome) -> ExitCode {
    let flushed = outcome.and_then(|code| super::output::flush_stdout().map(|()| code));
    let error = match flushed {
        Ok(code) => return code,
        Err(error) => error,
    };
    if error.kind != Kind::BrokenPipe {
        eprintln!("thematic: {}", error.message);
        for hint in &error.hints {
            eprintln!("{hint}");
        }
    }
    ExitCode::from(2)
}

/// A failed write to standard output, as "standard output: why".
pub fn standard_output(e: io::Error) -> CommandError {
    let kind = if e.kind() == io::ErrorKind::BrokenPipe {
        Kind::BrokenPipe
    } else {
        Kind::Io
    };
    CommandError::new(kind, format!("standard output: {e}"))
}

impl From<io::Error> for CommandError {
    fn from(e: io::Error) -> CommandError {
        match e.kind() {
            io::ErrorKind::BrokenPipe => CommandError::new(Kind::BrokenPipe, e.to_string()),
            _ => CommandError::new(Kind::Io, e.to_string()),
        }
    }
}

/// For generic code whose error cannot happen (a test terminal's drawing).
impl From<std::convert::Infallible> for CommandError {
    fn from(never: std::convert::Infallible) -> CommandError {
        match never {}
    }
}

impl From<csv::Error> for CommandError {
    fn from(e: csv::Error) -> CommandError {
        let said = e.to_string();
        match e.into_kind() {
            csv::ErrorKind::Io(io) => io.into(),
            _ => CommandError::new(Kind::Internal, said),
        }
    }
}

impl From<serde_json::Error> for CommandError {
    fn from(e: serde_json::Error) -> CommandError {
        match e.io_error_kind() {
            Some(io::ErrorKind::BrokenPipe) => CommandError::new(Kind::BrokenPipe, e.to_string()),
            Some(_) => CommandError::new(Kind::Io, e.to_string()),
            None => CommandError::new(Kind::Internal, e.to_string()),
        }
    }
}

/// The kind of a store error: a folder that is not (or not yet) a project is the user's
/// mistake; a file that does not read, or a link in the way, is the project's.
fn store_kind(e: &StoreError) -> Kind {
    match e {
        StoreError::Unreadable { .. }
        | StoreError::FutureFormat { .. }
        | StoreError::Blocked { .. }
        | StoreError::NotFollowed { .. } => Kind::BadProject,
        StoreError::Io { .. } => Kind::Io,
        StoreError::Serialize { .. } => Kind::Internal,
        _ => Kind::User,
    }
}

impl From<StoreError> for CommandError {
    fn from(e: StoreError) -> CommandError {
        CommandError::new(store_kind(&e), e.to_string())
    }
}

impl From<thematic::workspace::WorkspaceError> for CommandError {
    fn from(e: thematic::workspace::WorkspaceError) -> CommandError {
        use thematic::workspace::WorkspaceError as W;
        let kind = match &e {
            W::Store(s) | W::Unsaved(s) | W::NotSaved(s) => store_kind(s),
            _ => Kind::User,
        };
        CommandError::new(kind, e.to_string())
    }
}

impl From<thematic::team::TeamError> for CommandError {
    fn from(e: thematic::team::TeamError) -> CommandError {
        use thematic::team::TeamError as T;
        let kind = match &e {
            T::Store(s) => store_kind(s),
            T::Io(_) => Kind::Io,
            _ => Kind::User,
        };
        CommandError::new(kind, e.to_string())
    }
}

impl From<thematic::config::ConfigError> for CommandError {
    fn from(e: thematic::config::ConfigError) -> CommandError {
        use thematic::config::ConfigError as C;
        let kind = match &e {
            C::Parse { .. } => Kind::BadProject,
            C::Io { .. } => Kind::Io,
            _ => Kind::User,
        };
        CommandError::new(kind, e.to_string())
    }
}

impl From<thematic::interop::refi::RefiError> for CommandError {
    fn from(e: thematic::interop::refi::RefiError) -> CommandError {
        use thematic::interop::refi::RefiError as R;
        let kind = match &e {
            R::Io { .. } => Kind::Io,
            _ => Kind::User,
        };
        CommandError::new(kind, e.to_string())
    }
}

impl From<thematic::store::output::OutputError> for CommandError {
    fn from(e: thematic::store::output::OutputError) -> CommandError {
        use thematic::store::output::OutputError as O;
        let kind = match &e {
            O::Io { .. } | O::Stdout(_) => Kind::Io,
            _ => Kind::User,
        };
        CommandError::new(kind, e.to_string())
    }
}

/// Library errors that are always the user's to fix: what was asked does not fit the
/// project (an unknown coder, code or transcript, a bad id, a refused merge).
macro_rules! user_errors {
    ($($error:ty),* $(,)?) => {$(
        impl From<$error> for CommandError {
            fn from(e: $error) -> CommandError {
                CommandError::new(Kind::User, e.to_string())
            }
        }
    )*};
}

user_errors!(
    thematic::model::ids::InvalidId,
    thematic::model::codebook_ops::OpError,
    thematic::model::EditError,
    thematic::analysis::tables::ScopeError,
    thematic::analysis::sample::SampleError,
    thematic::suggest::autocode::AutocodeError,
    thematic::suggest::rejected::RejectionsError,
    thematic::interop::refi::merge::MergeError,
    thematic::interop::attributes::AttributeTableError,
    thematic::media::PlayError,
    thematic::tui::keymap::KeymapError,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_pipe_is_its_own_kind_and_other_io_failures_are_io() {
        let pipe: CommandError = io::Error::from(io::ErrorKind::BrokenPipe).into();
        assert_eq!(pipe.kind, Kind::BrokenPipe);
        let full: CommandError = io::Error::from(io::ErrorKind::StorageFull).into();
        assert_eq!(full.kind, Kind::Io);
        let through_csv: CommandError =
            csv::Error::from(io::Error::from(io::ErrorKind::BrokenPipe)).into();
        assert_eq!(through_csv.kind, Kind::BrokenPipe);
    }

    #[test]
    fn a_folder_that_is_no_project_is_the_users_and_an_unreadable_file_the_projects() {
        let missing = StoreError::NotFound("nope".into());
        assert_eq!(CommandError::from(missing).kind, Kind::User);
        let problem = thematic::store::Problem {
            path: "codebook.yaml".into(),
            line: Some(2),
            column: Some(7),
            severity: thematic::store::Severity::Error,
            message: "unclosed bracket".into(),
        };
        let unreadable = CommandError::from(StoreError::Unreadable { problem });
        assert_eq!(unreadable.kind, Kind::BadProject);
        assert!(unreadable.message.starts_with("codebook.yaml:2:7"));
    }
}
