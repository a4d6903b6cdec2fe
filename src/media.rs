//! Interview recordings: finding a transcript's recording, the time to start it from (its
//! time map at a place in the text), and starting the user's player there. The player is a
//! command template from the user's config (`player: "mpv --start={start} {file}"`), split
//! into words without a shell, so a file name can never be read as shell syntax; it runs
//! detached from the terminal, with no standard input or output, so neither the coding
//! screen nor the shell it was started from is disturbed.

use crate::model::Transcript;
use crate::model::transcript::TimeCode;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Players tried in turn when the config names none: the program and its template.
pub const DEFAULT_PLAYERS: [(&str, &str); 2] = [
    ("mpv", "mpv --start={start} {file}"),
    ("vlc", "vlc --start-time={start} {file}"),
];

#[derive(Debug, thiserror::Error)]
pub enum PlayError {
    #[error(
        "{transcript} has no recording linked; import it again with --media FILE (or with the recording beside it, named as the transcript)"
    )]
    NoRecording { transcript: String },
    #[error(
        "{transcript} has no time codes, so there is no time to start from; give --at as a time such as 00:14:32"
    )]
    NoTimes { transcript: String },
    #[error("the recording {path} is missing", path = path.display())]
    MissingRecording { path: PathBuf },
    #[error(
        "no player found: install mpv or vlc, or name one in {config}, e.g. player: \"mpv --start={{start}} {{file}}\""
    )]
    NoPlayer { config: String },
    #[error("the player template {template:?} {reason}")]
    BadTemplate { template: String, reason: String },
    #[error("cannot start the player {program:?}: {source}")]
    Start {
        program: String,
        #[source]
        source: std::io::Error,
    },
}

/// The recording's absolute path: a relative link is relative to the project folder.
pub fn recording_path(project_root: &Path, transcript: &Transcript) -> Result<PathBuf, PlayError> {
    let link = transcript
        .meta
        .media
        .as_deref()
        .ok_or_else(|| PlayError::NoRecording {
            transcript: transcript.id.to_string(),
        })?;
    let path = project_root.join(link);
    let path = std::path::absolute(&path).unwrap_or(path);
    if !path.is_file() {
        return Err(PlayError::MissingRecording { path });
    }
    Ok(path)
}

/// Where to start playing for char `offset` of the text: the time of the last time mark at or
/// before it (the start of the recording before the first mark). No offset: the start.
pub fn start_at(transcript: &Transcript, offset: Option<usize>) -> Result<TimeCode, PlayError> {
    let Some(offset) = offset else {
        return Ok(TimeCode(0));
    };
    if transcript.meta.times.is_empty() {
        return Err(PlayError::NoTimes {
            transcript: transcript.id.to_string(),
        });
    }
    Ok(transcript.time_at(offset).unwrap_or(TimeCode(0)))
}

/// The template to use: the configured one, else the first default player on `PATH`.
pub fn player_template(configured: Option<&str>, config_file: &str) -> Result<String, PlayError> {
    if let Some(template) = configured.filter(|t| !t.trim().is_empty()) {
        return Ok(template.to_string());
    }
    DEFAULT_PLAYERS
        .iter()
        .find(|(program, _)| find_on_path(program).is_some())
        .map(|(_, template)| template.to_string())
        .ok_or_else(|| PlayError::NoPlayer {
            config: config_file.to_string(),
        })
}

/// The first executable file named `program` in the folders of `PATH`.
pub fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// The template split into words as a shell would split them (spaces separate words; single
/// and double quotes group; a backslash escapes a character), but with nothing else of a
/// shell: no variables, globs or redirections.
pub fn split_words(template: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    let mut chars = template.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => {
                if let Some(next) = chars.next() {
                    word.get_or_insert_default().push(next);
                }
            }
            (Some(_), c) => word.get_or_insert_default().push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                word.get_or_insert_default();
            }
            (None, '\\') => {
                if let Some(next) = chars.next() {
                    word.get_or_insert_default().push(next);
                }
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_default().push(c),
        }
    }
    if quote.is_some() {
        return Err("has an unclosed quote".into());
    }
    words.extend(word);
    if words.is_empty() {
        return Err("is empty".into());
    }
    Ok(words)
}

/// The player's command line: the template's words with `{start}` (seconds) and `{file}`
/// (the recording's absolute path) put in; each word stays one argument whatever the file
/// name holds. A template without `{file}` gets the file as its last argument.
pub fn command_line(
    template: &str,
    file: &Path,
    start: TimeCode,
) -> Result<Vec<OsString>, PlayError> {
    let bad = |reason: String| PlayError::BadTemplate {
        template: template.to_string(),
        reason,
    };
    let words = split_words(template).map_err(bad)?;
    let start = start.seconds().to_string();
    let mut has_file = false;
    let mut argv: Vec<OsString> = words
        .iter()
        .map(|word| {
            has_file |= word.contains("{file}");
            let mut arg = OsString::new();
            for (i, piece) in word.replace("{start}", &start).split("{file}").enumerate() {
                if i > 0 {
                    arg.push(file.as_os_str());
                }
                arg.push(piece);
            }
            arg
        })
        .collect();
    if !has_file {
        argv.push(file.as_os_str().to_owned());
    }
    Ok(argv)
}

/// Starts `argv` detached: its own process group (a Ctrl-C in the terminal does not reach
/// it), standard input and output on /dev/null, reaped by a thread so it leaves no zombie.
pub fn launch(argv: &[OsString]) -> Result<(), PlayError> {
    let Some((program, args)) = argv.split_first() else {
        return Err(PlayError::BadTemplate {
            template: String::new(),
            reason: "is empty".into(),
        });
    };
    let mut command = Command::new(program);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = command.spawn().map_err(|source| PlayError::Start {
        program: program.to_string_lossy().into_owned(),
        source,
    })?;
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// What was started: the recording and the time, for the message shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Playing {
    pub file: PathBuf,
    pub start: TimeCode,
    pub program: String,
}

/// Plays `transcript`'s recording from `start` with the configured (or default) player.
pub fn play(
    project_root: &Path,
    transcript: &Transcript,
    start: TimeCode,
    configured: Option<&str>,
    config_file: &str,
) -> Result<Playing, PlayError> {
    let file = recording_path(project_root, transcript)?;
    let template = player_template(configured, config_file)?;
    let argv = command_line(&template, &file, start)?;
    launch(&argv)?;
    Ok(Playing {
        file,
        start,
        program: argv[0].to_string_lossy().into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_split_like_a_shell_without_one() {
        assert_eq!(
            split_words(r#"mpv --start={start}  "{file}" --title='a b' x\ y"#).unwrap(),
            ["mpv", "--start={start}", "{file}", "--title=a b", "x y"]
        );
        assert!(split_words("mpv 'open").is_err());
        assert!(split_words("   ").is_err());
    }

    #[test]
    fn placeholders_fill_one_argument_each() {
        let file = Path::new("/tmp/my interview; rm -rf ~.m4a");
        let argv = command_line("mpv --start={start} {file}", file, TimeCode(872)).unwrap();
        assert_eq!(
            argv,
            [
                OsString::from("mpv"),
                "--start=872".into(),
                file.as_os_str().to_owned()
            ]
        );
        let appended = command_line("player -x", file, TimeCode(0)).unwrap();
        assert_eq!(
            appended.last().map(OsString::as_os_str),
            Some(file.as_os_str())
        );
    }
}
