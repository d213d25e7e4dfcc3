//! The explorer's loop: owns the terminal, reads events, maps keys through
//! the keymap into the app, draws frames, and performs the effects the app
//! returns (copy, open, quit).
//!
//! The panic hook restores the screen (`ratatui::restore`: raw mode off,
//! main screen back) before the default hook prints the message, and turns
//! off mouse capture and bracketed paste, which ratatui does not know about.
//! Every exit path goes through the same restore.

use std::io::{self, BufWriter, Stdout, Write, stdout};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event, KeyEventKind,
    MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};

use crate::app::{App, DocsState, Effect, Msg, StatusKind};
use crate::catalog::Catalog;
use crate::clipboard::{self, Clipboard};
use crate::config::Config;
use crate::keymap::Chord;
use crate::ui::{self, theme::Theme};

/// Runs the explorer until the user quits.
pub fn explore(config: &Config, query: &str) -> io::Result<()> {
    let app = App::new(Catalog::embedded(), config.keymap.clone(), query, config.target);
    explore_app(config, app)
}

/// The docs for the detail pane: the ones configured, else the newest in
/// the usual places.
fn load_docs(config: &Config) -> DocsState {
    match crate::docs::locate(config.docs.as_deref(), &crate::docs::usual_places()) {
        Ok(Some(docs)) => DocsState::Ready(Box::new(docs)),
        Ok(None) => DocsState::Absent,
        Err(why) => DocsState::Broken(why),
    }
}

/// Runs the explorer on a prepared app (`check --tui`).
pub fn explore_app(config: &Config, mut app: App) -> io::Result<()> {
    app.set_docs(load_docs(config));
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let theme = Theme::new(config.palette, color);

    // On a panic: mouse and paste modes off, raw mode off and the main
    // screen back, then the default hook prints the message.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableBracketedPaste, DisableMouseCapture);
        ratatui::restore();
        previous(info);
    }));
    let result = start().and_then(|mut terminal| event_loop(&mut terminal, app, &theme, config.layout));
    let _ = execute!(stdout(), DisableBracketedPaste, DisableMouseCapture);
    ratatui::restore();
    result
}

/// The terminal writes through one large buffer, so a frame leaves in one
/// or two writes instead of a write per kilobyte.
type Screen = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

fn start() -> io::Result<Screen> {
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, EnableMouseCapture, EnableBracketedPaste)?;
    Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(1 << 16, stdout())))
}

fn event_loop(terminal: &mut Screen, mut app: App, theme: &Theme, layout: crate::config::LayoutMode) -> io::Result<()> {
    let mut clipboard = Clipboard::default();
    let mut first = true;
    loop {
        terminal.draw(|frame| ui::render(frame, &mut app, theme, layout))?;
        if first {
            first = false;
            forced_panic();
        }
        // Handle everything already waiting before drawing again.
        let mut effects = vec![handle(&mut app, event::read()?)];
        while event::poll(std::time::Duration::ZERO)? {
            effects.push(handle(&mut app, event::read()?));
        }
        for effect in effects.into_iter().flatten() {
            match effect {
                Effect::Quit => return Ok(()),
                Effect::Copy { what, text } => {
                    let mut out = stdout();
                    match clipboard.copy(&text, &mut out) {
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
        stdout().flush()?;
    }
}

/// Turns a terminal event into an app message.
fn handle(app: &mut App, event: Event) -> Option<Effect> {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Press => app.key(Chord::from_event(&key)),
        Event::Paste(text) => app.update(Msg::Paste(text)),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => app.update(Msg::Click { x: m.column, y: m.row }),
            MouseEventKind::ScrollDown => app.update(Msg::Scroll {
                x: m.column,
                y: m.row,
                down: true,
            }),
            MouseEventKind::ScrollUp => app.update(Msg::Scroll {
                x: m.column,
                y: m.row,
                down: false,
            }),
            _ => None,
        },
        _ => None,
    }
}

/// Debug builds panic after the first frame when `ABISCOPE_DEBUG_PANIC` is
/// set, so a test can prove the terminal is restored on a panic.
fn forced_panic() {
    #[cfg(debug_assertions)]
    assert!(
        std::env::var_os("ABISCOPE_DEBUG_PANIC").is_none(),
        "forced panic (ABISCOPE_DEBUG_PANIC)"
    );
}
