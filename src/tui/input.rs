//! The explorer's input: key presses, pastes and mouse events from the
//! terminal, and the signals the loop must answer, read together.
//!
//! Why not crossterm's event reader: it waits with edge-triggered epoll and
//! reads 1 KiB per wake-up, so input beyond the first KiB of a burst stays
//! unread until the next key press makes a new edge, and it cannot wait for
//! signals. Here one level-triggered `poll` waits on the terminal and on
//! signal-hook's self-pipe; once something is ready, everything already
//! waiting is read (up to [`BATCH`] bytes) and parsed before the loop draws
//! again. terminput parses the bytes (crossterm's own parser, made public).

use std::fs::File;
use std::io;
use std::os::unix::net::UnixStream;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use rustix::event::{PollFd, PollFlags, Timespec, poll};
use signal_hook::consts::signal::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGWINCH};
use signal_hook::iterator::backend::SignalDelivery;
use signal_hook::iterator::exfiltrator::SignalOnly;

use crate::keymap::Chord;

/// The signals the explorer answers: the terminating ones restore the
/// terminal and exit, SIGTSTP suspends, SIGCONT and SIGWINCH redraw.
pub const SIGNALS: [i32; 7] = [SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP, SIGCONT, SIGWINCH];

/// At most this much input is handled per frame, so that an endless stream
/// still shows progress; the rest stays in the terminal for the next frame.
const BATCH: usize = 1 << 20;

/// One thing the user did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Key(Chord),
    Paste(String),
    Click { x: u16, y: u16 },
    Scroll { x: u16, y: u16, down: bool },
}

/// Everything that was waiting.
#[derive(Debug, Default)]
pub struct Batch {
    pub events: Vec<Event>,
    pub signals: Vec<i32>,
    /// The terminal is gone (hung up, or closed).
    pub hangup: bool,
}

pub struct Input {
    tty: File,
    signals: SignalDelivery<UnixStream, SignalOnly>,
    /// An escape sequence not yet complete.
    pending: Vec<u8>,
}

impl Input {
    /// Reads from `tty` and catches [`SIGNALS`] from now on.
    pub fn new(tty: File) -> io::Result<Input> {
        let (read, write) = UnixStream::pair()?;
        let signals = SignalDelivery::with_pipe(read, write, SignalOnly, SIGNALS)?;
        Ok(Input {
            tty,
            signals,
            pending: Vec::new(),
        })
    }

    /// Waits until input or a signal arrives (or `timeout` passes: an
    /// empty batch), then returns all that is waiting.
    pub fn wait(&mut self, timeout: Option<std::time::Duration>) -> io::Result<Batch> {
        let timeout = timeout.map(|t| Timespec {
            tv_sec: i64::try_from(t.as_secs()).unwrap_or(i64::MAX),
            tv_nsec: i64::from(t.subsec_nanos()),
        });
        let mut batch = Batch::default();
        let mut bytes = Vec::new();
        let mut chunk = vec![0u8; 1 << 16];
        let mut block = true;
        while bytes.len() < BATCH {
            let (tty_ready, signal_ready) = {
                let mut fds = [
                    PollFd::new(&self.tty, PollFlags::IN),
                    PollFd::new(self.signals.get_read(), PollFlags::IN),
                ];
                let zero = Timespec { tv_sec: 0, tv_nsec: 0 };
                match poll(&mut fds, if block { timeout.as_ref() } else { Some(&zero) }) {
                    Ok(_) => {}
                    Err(rustix::io::Errno::INTR) => continue,
                    Err(e) => return Err(e.into()),
                }
                let ready = |fd: &PollFd<'_>| !fd.revents().is_empty();
                (ready(&fds[0]), ready(&fds[1]))
            };
            if !tty_ready && !signal_ready {
                break;
            }
            block = false;
            if signal_ready {
                batch.signals.extend(self.signals.pending());
            }
            if tty_ready {
                match rustix::io::read(&self.tty, &mut chunk[..]) {
                    Ok(0) | Err(rustix::io::Errno::IO) => {
                        batch.hangup = true;
                        break;
                    }
                    Ok(n) => bytes.extend_from_slice(&chunk[..n]),
                    Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        parse(&mut self.pending, &bytes, &mut batch.events);
        Ok(batch)
    }
}

/// Parses `bytes` after an incomplete sequence left in `pending`. A lone
/// ESC followed by more bytes in the same read starts a sequence; at the
/// end of the read it is the Esc key (how terminals tell them apart).
pub fn parse(pending: &mut Vec<u8>, bytes: &[u8], events: &mut Vec<Event>) {
    for (i, &byte) in bytes.iter().enumerate() {
        pending.push(byte);
        if pending.as_slice() == b"\x1b" && i + 1 < bytes.len() {
            continue;
        }
        match terminput::Event::parse_from(pending) {
            Ok(Some(event)) => {
                pending.clear();
                events.extend(convert(event));
            }
            Ok(None) => {}
            Err(_) => pending.clear(),
        }
    }
}

/// terminput's event as the explorer's: key presses as chords (in
/// crossterm's terms, which the keymap uses), left clicks, the wheel.
fn convert(event: terminput::Event) -> Option<Event> {
    use terminput::{KeyCode as K, KeyEventKind, MouseButton, MouseEventKind, ScrollDirection};
    match event {
        terminput::Event::Key(key) if key.kind != KeyEventKind::Release => {
            let code = match key.code {
                K::Backspace => KeyCode::Backspace,
                K::Enter => KeyCode::Enter,
                K::Left => KeyCode::Left,
                K::Right => KeyCode::Right,
                K::Up => KeyCode::Up,
                K::Down => KeyCode::Down,
                K::Home => KeyCode::Home,
                K::End => KeyCode::End,
                K::PageUp => KeyCode::PageUp,
                K::PageDown => KeyCode::PageDown,
                K::Tab => KeyCode::Tab,
                K::Delete => KeyCode::Delete,
                K::Insert => KeyCode::Insert,
                K::F(n) => KeyCode::F(n),
                K::Char(c) => KeyCode::Char(c),
                K::Esc => KeyCode::Esc,
                _ => return None,
            };
            let mut mods = KeyModifiers::NONE;
            for (from, to) in [
                (terminput::KeyModifiers::CTRL, KeyModifiers::CONTROL),
                (terminput::KeyModifiers::ALT, KeyModifiers::ALT),
                (terminput::KeyModifiers::SHIFT, KeyModifiers::SHIFT),
            ] {
                if key.modifiers.contains(from) {
                    mods |= to;
                }
            }
            Some(Event::Key(Chord::new(code, mods)))
        }
        terminput::Event::Paste(text) => Some(Event::Paste(text)),
        terminput::Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Event::Click { x: m.column, y: m.row }),
            MouseEventKind::Scroll(dir @ (ScrollDirection::Up | ScrollDirection::Down)) => Some(Event::Scroll {
                x: m.column,
                y: m.row,
                down: dir == ScrollDirection::Down,
            }),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(chunks: &[&[u8]]) -> Vec<Event> {
        let mut pending = Vec::new();
        let mut out = Vec::new();
        for chunk in chunks {
            parse(&mut pending, chunk, &mut out);
        }
        out
    }

    fn key(text: &str) -> Event {
        Event::Key(text.parse().expect("valid key"))
    }

    #[test]
    fn keys_sequences_and_a_lone_escape() {
        assert_eq!(
            events(&[b"a\x1b[A\x1b[Z\x03\x1bs\x1b"]),
            [
                key("a"),
                key("<up>"),
                key("<S-tab>"),
                key("<C-c>"),
                key("<A-s>"),
                key("<esc>")
            ]
        );
        assert_eq!(events(&[b"\x1bOP", "é".as_bytes()]), [key("<f1>"), key("é")]);
    }

    #[test]
    fn sequences_split_across_reads_are_joined() {
        assert_eq!(events(&[b"\x1b[", b"B"]), [key("<down>")]);
        let e = "é".as_bytes();
        assert_eq!(events(&[&e[..1], &e[1..]]), [key("é")]);
        assert_eq!(
            events(&[b"\x1b[200~Py", b"List\x1b[201~"]),
            [Event::Paste("PyList".into())]
        );
    }

    #[test]
    fn a_burst_far_beyond_a_kilobyte_is_parsed_whole() {
        let burst = b"\x1b[B".repeat(1000);
        assert_eq!(events(&[&burst]).len(), 1000);
    }

    #[test]
    fn mouse_clicks_and_the_wheel() {
        assert_eq!(
            events(&[b"\x1b[<0;5;3M\x1b[<65;2;2M\x1b[<0;5;3m"]),
            [Event::Click { x: 4, y: 2 }, Event::Scroll { x: 1, y: 1, down: true }]
        );
    }
}
