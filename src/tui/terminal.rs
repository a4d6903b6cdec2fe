//! Running the TUI in a real terminal, and always giving the terminal back: on quit, on
//! error, on panic, and on SIGTERM, SIGHUP or SIGINT. Raw mode, the alternate screen, mouse
//! capture and bracketed paste are all turned off again.

use crate::tui::app::App;
use crate::tui::screens as views;
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{self, Stdout};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Whether the terminal is in the TUI's state, so restoring happens once: leaving the
/// alternate screen twice would move the cursor back over a panic message.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Set when the event loop has seen a termination signal and is finishing (saving, or
/// writing a recovery file): the watcher then leaves the exit to it.
static FINISHING: AtomicBool = AtomicBool::new(false);

/// Set when a termination signal arrived.
static SIGNALLED: AtomicBool = AtomicBool::new(false);

/// Whether the session was ended by a termination signal (SIGTERM, SIGHUP, SIGINT) rather
/// than by the researcher quitting: changes still unsaved then were not given up by choice.
pub fn stopped_by_signal() -> bool {
    SIGNALLED.load(Ordering::SeqCst)
}

/// Puts the terminal back as it was. Safe to call more than once.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = execute!(
            io::stdout(),
            DisableMouseCapture,
            DisableBracketedPaste,
            LeaveAlternateScreen,
            crossterm::cursor::Show
        );
        let _ = disable_raw_mode();
    }
}

/// Restores the terminal before the default panic message is printed, so it is readable.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Restores the terminal when dropped, whatever path leaves `run`.
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Runs the app until it quits or a termination signal arrives.
pub fn run(app: &mut App) -> io::Result<()> {
    let stop = watch_signals()?;
    install_panic_hook();
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let _guard = Guard;
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    let mut mouse_on = false;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    terminal.hide_cursor()?;
    let size = terminal.size()?;
    app.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height));
    loop {
        sync_mouse(&mut terminal, app.mouse, &mut mouse_on)?;
        terminal.draw(|frame| views::draw(app, frame))?;
        if app.should_quit || stop.load(Ordering::Relaxed) {
            FINISHING.store(true, Ordering::SeqCst);
            // A memo being written is saved before leaving, and anything a failed write
            // left unsaved is tried once more (a signal gives no second chance to ask).
            app.close_memo();
            app.save_place();
            let _ = app.ws.retry_saves();
            break;
        }
        // Poll with a timeout so a signal is noticed even when no key is pressed.
        app.tick(std::time::Instant::now());
        if super::startup::poll(app)? {
            continue; // the whole project is here: draw it
        }
        if event::poll(super::startup::poll_interval(app))? {
            super::startup::handle_event(app, event::read()?)?;
            // Handle everything already queued before drawing again (fast typing, pastes).
            while !app.should_quit && event::poll(Duration::ZERO)? {
                super::startup::handle_event(app, event::read()?)?;
            }
        }
    }
    Ok(())
}

/// How long the event loop has to notice a termination signal before the process exits
/// from the watcher thread.
const SIGNAL_GRACE: Duration = Duration::from_millis(700);

/// Watches SIGTERM, SIGHUP and SIGINT. The returned flag asks the event loop to stop; if it
/// has not within [`SIGNAL_GRACE`] (after a hang-up the terminal's input can keep the event
/// reader busy forever), the watcher restores the terminal and exits. Every change was
/// saved when it was made, unless a write failed (the loop then tries once more).
fn watch_signals() -> io::Result<Arc<AtomicBool>> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let stop = Arc::new(AtomicBool::new(false));
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    let flag = Arc::clone(&stop);
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            SIGNALLED.store(true, Ordering::SeqCst);
            flag.store(true, Ordering::SeqCst);
            std::thread::sleep(SIGNAL_GRACE);
            if FINISHING.load(Ordering::SeqCst) {
                // The loop is saving what it can; it exits when done.
                return;
            }
            restore();
            std::process::exit(128 + signal);
        }
    });
    Ok(stop)
}

fn sync_mouse(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    wanted: bool,
    on: &mut bool,
) -> io::Result<()> {
    if wanted != *on {
        if wanted {
            execute!(terminal.backend_mut(), EnableMouseCapture)?;
        } else {
            execute!(terminal.backend_mut(), DisableMouseCapture)?;
        }
        *on = wanted;
    }
    Ok(())
}
