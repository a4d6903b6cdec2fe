//! The play key: the recording from the time at the cursor, or at the start of the segment
//! under it, through [`crate::media`]. The player runs detached, so the screen stays
//! responsive and is not drawn over.

use crate::config::Config;
use crate::media;
use crate::tui::app::App;

impl App {
    pub fn play_here(&mut self) {
        self.status = match self.try_play_here() {
            Ok(message) | Err(message) => message,
        };
    }

    fn try_play_here(&self) -> Result<String, String> {
        let t = self.transcript().ok_or("Open a transcript first")?;
        let view = self.code.view.as_ref().ok_or("Open a transcript first")?;
        let offset = match (self.shown_at_cursor().first(), view.selection()) {
            (_, Some((start, _))) => start,
            (Some(segment), None) => segment.start,
            (None, None) => view.cursor,
        };
        media::recording_path(self.ws.store().root(), t).map_err(|e| e.to_string())?;
        let start = media::start_at(t, Some(offset)).map_err(|e| e.to_string())?;
        let config = Config::load().map_err(|e| e.to_string())?;
        let playing = media::play(
            self.ws.store().root(),
            t,
            start,
            config.player.as_deref(),
            &Config::path_for_messages(),
        )
        .map_err(|e| e.to_string())?;
        Ok(format!(
            "Playing {} from {} with {}",
            playing
                .file
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            playing.start,
            playing.program
        ))
    }
}
