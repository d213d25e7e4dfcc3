//! The explorer's loop: owns the terminal, reads input and signals, hands
//! them to the app, draws frames, and performs the effects the app returns
//! (copy, open, print, suspend, quit).
//!
//! The explorer draws on the controlling terminal (`/dev/tty`), not on
//! standard output, so that picker mode (`--print`) can print the chosen
//! item to a pipe while the explorer runs.
//!
//! One owner restores the terminal on every path: [`Session`] enters raw
//! mode, the alternate screen, mouse reporting and bracketed paste, and
//! its `Drop` leaves them, whether the loop returns normally, with an
//! error or because a signal asked it to; the panic hook restores before
//! the message is printed. Ctrl-Z and SIGTSTP restore, stop, and on
//! SIGCONT enter again and redraw everything.
//!
//! The docs are found and read by a [`Loader`] started once the first
//! frame is out (a tarball takes seconds; started before it, reading
//! directories on the other core delayed the first frame by a third, its
//! write to the terminal most): until they are in, the loop wakes up every
//! 50 ms to look.

mod backend;
pub mod guard;
mod input;
mod screen;

use std::fs::File;
use std::io::{self, BufWriter, Write};

use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use signal_hook::consts::signal::{SIGCONT, SIGHUP, SIGTSTP, SIGWINCH};

use crate::app::{App, DocsState, DocsTiming, Effect, Msg, StatusKind};
use crate::catalog::Catalog;
use crate::clipboard::{self, Clipboard};
use crate::config::Config;
use crate::docs::load::{Loaded, Loader};
use crate::snippets::CopyWhat;
use crate::state;
use crate::ui::{self, theme::Theme};
use backend::TtyBackend;
use input::{Event, Input};

/// How the explorer ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// The user quit (in picker mode: cancelled).
    Quit,
    /// Picker mode: the text to print.
    Print(String),
    /// A signal ended it; the exit status is 128 + the signal's number.
    Signal(i32),
}

/// Why the explorer cannot start on this terminal, if it cannot.
pub fn unsupported_terminal() -> Option<String> {
    match std::env::var("TERM") {
        Ok(term) if term == "dumb" => Some(
            "the explorer needs a terminal that can move the cursor, and TERM=dumb cannot; \
             use `abiscope search QUERY` or `abiscope show NAME`"
                .to_string(),
        ),
        _ => None,
    }
}

/// Runs the explorer over the embedded catalog with `query` typed, and
/// in picker mode when `pick` says what to print. The query history and
/// the last target chosen with `t` come from the state directory and go
/// back to it; the remembered target applies unless `target_given`.
pub fn explore(config: &Config, query: &str, pick: Option<CopyWhat>, target_given: bool) -> io::Result<Ending> {
    let target = if target_given {
        config.target
    } else {
        state::load_target().unwrap_or(config.target)
    };
    let mut app = App::new(Catalog::embedded(), config.keymap.clone(), query, target);
    app.pick = pick;
    app.history = state::load_history();
    let before = app.history.clone();
    let ending = run(config, &mut app);
    if matches!(ending, Ok(Ending::Quit)) {
        app.remember_query();
    }
    // Remembering is a convenience: failing to write never fails the run.
    if app.history != before {
        let _ = state::save_history(&app.history);
    }
    if let Some(chosen) = app.chosen_target {
        let _ = state::save_target(chosen);
    }
    ending
}

/// Runs the explorer on a prepared app (`check --tui`).
pub fn explore_app(config: &Config, mut app: App) -> io::Result<Ending> {
    run(config, &mut app)
}

/// Runs the explorer until the user quits, picks or a signal arrives.
fn run(config: &Config, app: &mut App) -> io::Result<Ending> {
    if let Some(why) = unsupported_terminal() {
        return Err(io::Error::other(why));
    }
    let tty = open_tty()?;
    // The first frame shows the docs' hint: they are read only after it.
    app.set_docs(DocsState::Loading);
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let theme = Theme::new(config.palette, color);
    // Signals are caught from before the terminal changes, so none can
    // leave it changed.
    let mut input = Input::new(tty.try_clone()?)?;
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        guard::release();
        previous(info);
    }));
    let device = device();
    let mut session = Session::enter(tty)?;
    let docs = config.docs.clone();
    let result = event_loop(&mut session, &mut input, app, &theme, config.layout, device, docs);
    drop(session);
    result
}

/// The docs for the detail pane, once the loader has them.
fn docs_state(loaded: Loaded) -> DocsState {
    match loaded {
        Ok(Some(docs)) => DocsState::Ready(Box::new(docs)),
        Ok(None) => DocsState::Absent,
        Err(why) => DocsState::Broken(why),
    }
}

fn open_tty() -> io::Result<File> {
    File::options()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|e| io::Error::new(e.kind(), format!("the explorer needs a terminal (/dev/tty: {e})")))
}

/// The terminal's device number, from a standard stream on it (`/dev/tty`
/// itself names no particular terminal).
fn device() -> Option<u64> {
    use std::io::IsTerminal as _;
    use std::os::unix::fs::MetadataExt as _;
    [
        (std::io::stdin().is_terminal(), "/dev/stdin"),
        (std::io::stderr().is_terminal(), "/dev/stderr"),
        (std::io::stdout().is_terminal(), "/dev/stdout"),
    ]
    .into_iter()
    .find(|(tty, _)| *tty)
    .and_then(|(_, path)| std::fs::metadata(path).ok())
    .map(|m| m.rdev())
}

/// The terminal writes through one large buffer, and the backend flushes
/// only at the end of a frame, so a frame leaves in one write.
type Screen = screen::Screen<BufWriter<File>>;

/// The terminal in the explorer's modes, for as long as this lives.
struct Session {
    terminal: Screen,
}

impl Session {
    fn enter(tty: File) -> io::Result<Session> {
        let mut out = BufWriter::with_capacity(1 << 16, tty);
        // Half-entered modes are left too, when entering fails.
        let terminal = modes_on(&mut out).and_then(|()| Screen::new(TtyBackend::new(out)));
        if terminal.is_err() {
            restore();
        }
        Ok(Session { terminal: terminal? })
    }

    /// Ctrl-Z: the terminal as the shell had it, stopped until SIGCONT,
    /// then the explorer's modes again and a full redraw.
    fn suspend(&mut self) -> io::Result<()> {
        restore();
        let _ = signal_hook::low_level::emulate_default_handler(SIGTSTP);
        self.resume()
    }

    /// After SIGCONT (from `fg`, or after an external SIGSTOP): the shell
    /// may have changed the terminal's modes, so set them again and redraw
    /// every cell.
    fn resume(&mut self) -> io::Result<()> {
        self.terminal.backend_mut().forget_size();
        modes_on(self.terminal.backend_mut())?;
        self.terminal.clear()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.terminal.backend_mut().flush();
        restore();
        guard::release();
    }
}

fn modes_on(out: &mut impl Write) -> io::Result<()> {
    enable_raw_mode()?;
    execute!(out, EnterAlternateScreen, EnableMouseCapture, EnableBracketedPaste)
}

/// Leaves the explorer's modes: usable from the panic hook and twice in a
/// row (raw mode is restored once; the sequences are idempotent).
fn restore() {
    if let Ok(mut tty) = File::options().write(true).open("/dev/tty") {
        let _ = execute!(
            tty,
            DisableBracketedPaste,
            DisableMouseCapture,
            LeaveAlternateScreen,
            Show
        );
    }
    let _ = disable_raw_mode();
}

fn event_loop(
    session: &mut Session,
    input: &mut Input,
    app: &mut App,
    theme: &Theme,
    layout: crate::config::LayoutMode,
    device: Option<u64>,
    docs_given: Option<std::path::PathBuf>,
) -> io::Result<Ending> {
    let mut clipboard = Clipboard::new(device);
    let mut cache = ui::Cache::default();
    // What starts once the first frame is out: the docs loader and the
    // guard. Started before it, they took the second core from the
    // terminal drawing that frame.
    let mut background = Some(docs_given);
    let mut docs: Option<Loader> = None;
    loop {
        if let Some(loaded) = docs.as_ref().and_then(Loader::poll) {
            app.set_docs(docs_state(loaded));
            docs = None;
        }
        session
            .terminal
            .draw(|canvas| ui::draw(canvas, app, theme, layout, Some(&mut cache)))?;
        // A frame without the entry's text is completed as soon as no
        // key waits; while docs load, the loop looks for them.
        let timeout = if app.docs_deferred() {
            Some(std::time::Duration::ZERO)
        } else if background.is_some() {
            Some(BACKGROUND_AFTER)
        } else {
            docs.is_some().then_some(std::time::Duration::from_millis(50))
        };
        let batch = input.wait(timeout)?;
        if let Some(given) = background.take() {
            docs = Some(Loader::start(given));
            guard::start();
            forced_panic();
        }
        app.docs_timing = if batch.events.is_empty() {
            DocsTiming::Now
        } else {
            DocsTiming::WhenIdle
        };
        for signal in batch.signals {
            match signal {
                SIGTSTP => session.suspend()?,
                SIGCONT => session.resume()?,
                // A new size: the next draw asks it and takes it.
                SIGWINCH => session.terminal.backend_mut().forget_size(),
                other => return Ok(Ending::Signal(other)),
            }
        }
        if batch.hangup {
            return Ok(Ending::Signal(SIGHUP));
        }
        let msgs = batch.events.into_iter().map(|event| match event {
            Event::Key(chord) => Msg::Key(chord),
            Event::Paste(text) => Msg::Paste(text),
            Event::Click { x, y } => Msg::Click { x, y },
            Event::Scroll { x, y, down } => Msg::Scroll { x, y, down },
        });
        for effect in app.handle(msgs) {
            match effect {
                Effect::Quit => return Ok(Ending::Quit),
                Effect::Print(text) => return Ok(Ending::Print(text)),
                Effect::Suspend => session.suspend()?,
                Effect::Copy { what, text } => {
                    let out = session.terminal.backend_mut();
                    match clipboard.copy(&text, out) {
                        Ok(route) => app.notify(
                            format!("Copied {} to the {}", what.label(), route.describe()),
                            StatusKind::Info,
                        ),
                        Err(why) => {
                            app.notify(format!("Could not copy the {}: {why}", what.label()), StatusKind::Error);
                        }
                    }
                }
                Effect::Open(url) => match clipboard::open_url(&url) {
                    Ok(opener) => app.notify(format!("Opened with {opener}: {url}"), StatusKind::Info),
                    Err(why) => app.notify(format!("{url} ({why})"), StatusKind::Info),
                },
            }
        }
    }
}

/// How long after the first frame the background work starts, unless a
/// key comes first: time for the terminal to draw the frame.
const BACKGROUND_AFTER: std::time::Duration = std::time::Duration::from_millis(10);

/// Debug builds panic after the first frame when `ABISCOPE_DEBUG_PANIC` is
/// set, and abort (as an allocation failure does) with
/// `ABISCOPE_DEBUG_ABORT`, so that tests can prove the terminal is
/// restored either way.
fn forced_panic() {
    #[cfg(debug_assertions)]
    {
        assert!(
            std::env::var_os("ABISCOPE_DEBUG_PANIC").is_none(),
            "forced panic (ABISCOPE_DEBUG_PANIC)"
        );
        if std::env::var_os("ABISCOPE_DEBUG_ABORT").is_some() {
            std::process::abort();
        }
    }
}
