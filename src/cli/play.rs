//! `thematic play DIR TRANSCRIPT [--at OFFSET|TIME]`: the interview's recording from a place
//! in its transcript, through the user's player.

use super::command_error::{Outcome, user_error};
use super::context::Context;
use std::path::PathBuf;
use std::process::ExitCode;
use thematic::config::Config;
use thematic::media;
use thematic::model::TranscriptId;
use thematic::model::transcript::TimeCode;

#[derive(clap::Args)]
pub struct Args {
    /// The project folder.
    dir: PathBuf,
    /// The transcript's id.
    transcript: String,
    /// Where to start: a char offset in the transcript's text (the time of the time code at
    /// or before it), or a time such as 00:14:32. Default: the start.
    #[arg(long, value_name = "OFFSET|TIME")]
    at: Option<String>,
}

pub fn run(_ctx: &Context, args: Args) -> Outcome {
    let loaded = super::context::load(&args.dir)?;
    let id = TranscriptId::new(args.transcript.as_str())?;
    let transcript = loaded
        .project
        .transcript(&id)
        .ok_or_else(|| user_error(format!("no transcript {id} in {}", args.dir.display())))?;
    // No recording is the first thing to say, whatever --at asks.
    media::recording_path(&args.dir, transcript)?;
    let start = match args.at.as_deref() {
        Some(at) if at.contains(':') => TimeCode::parse(at)
            .ok_or_else(|| user_error(format!("--at {at:?}: not a time such as 00:14:32")))?,
        Some(at) => {
            let offset: usize = at.parse().map_err(|_| {
                user_error(format!(
                    "--at {at:?}: give a char offset (a number) or a time such as 00:14:32"
                ))
            })?;
            if offset > transcript.char_len() {
                return Err(user_error(format!(
                    "--at {offset}: {id} has only {} chars",
                    transcript.char_len()
                )));
            }
            media::start_at(transcript, Some(offset))?
        }
        None => media::start_at(transcript, None)?,
    };
    let config = Config::load()?;
    let playing = media::play(
        &args.dir,
        transcript,
        start,
        config.player.as_deref(),
        &Config::path_for_messages(),
    )?;
    println!(
        "playing {} from {} with {}",
        playing.file.display(),
        playing.start,
        playing.program
    );
    Ok(ExitCode::SUCCESS)
}
