//! The last line of defence for the terminal: a small process (the binary
//! itself, run with [`GUARD_ARG`]) that outlives an explorer killed in a
//! way no handler sees (an allocation failure's abort, SIGKILL) and then
//! restores the terminal.
//!
//! It waits on a pipe from the explorer. An explorer that restored the
//! terminal itself (on quitting, a signal, a panic) writes one byte and
//! the guard leaves quietly; a pipe closed without it means the explorer
//! died, and the guard leaves the alternate screen, mouse reporting and
//! bracketed paste, shows the cursor, and turns canonical mode and echo
//! back on (what raw mode turned off; the original settings died with the
//! explorer).

use std::io::Write;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Mutex;

use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{DisableBracketedPaste, DisableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::LeaveAlternateScreen;

/// The argument that runs the binary as the guard.
pub const GUARD_ARG: &str = "__guard-terminal";

/// The guard's end of the pipe, for the panic hook to reach.
static GUARD: Mutex<Option<(Child, ChildStdin)>> = Mutex::new(None);

/// Starts the guard (once the first frame is drawn, so that it costs the
/// first frame nothing). Without it the explorer runs all the same.
pub fn start() {
    let Ok(exe) = std::env::current_exe() else { return };
    let Ok(mut child) = Command::new(exe)
        .arg(GUARD_ARG)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    else {
        return;
    };
    if let (Some(stdin), Ok(mut guard)) = (child.stdin.take(), GUARD.lock()) {
        *guard = Some((child, stdin));
    }
}

/// The explorer restored the terminal: the guard may leave.
pub fn release() {
    let taken = GUARD.lock().ok().and_then(|mut g| g.take());
    if let Some((child, mut stdin)) = taken {
        let _ = stdin.write_all(b"q");
        drop(stdin);
        crate::clipboard::reap(child);
    }
}

/// The guard process: waits for the explorer's word or its death.
pub fn watch() -> std::process::ExitCode {
    let mut byte = [0u8; 1];
    // Ok(1): released. Ok(0) or an error: the explorer is gone.
    if matches!(std::io::Read::read(&mut std::io::stdin(), &mut byte), Ok(1)) {
        return std::process::ExitCode::SUCCESS;
    }
    if let Ok(mut tty) = std::fs::File::options().read(true).write(true).open("/dev/tty") {
        let _ = execute!(
            tty,
            DisableBracketedPaste,
            DisableMouseCapture,
            LeaveAlternateScreen,
            Show
        );
        cooked(&tty);
    }
    std::process::ExitCode::SUCCESS
}

/// Canonical mode, echo, signals and output processing on again: what
/// raw mode turned off.
fn cooked(tty: &std::fs::File) {
    use rustix::termios::{InputModes, LocalModes, OptionalActions, OutputModes, tcgetattr, tcsetattr};
    let Ok(mut modes) = tcgetattr(tty) else { return };
    modes.input_modes |= InputModes::ICRNL | InputModes::IXON;
    modes.output_modes |= OutputModes::OPOST | OutputModes::ONLCR;
    modes.local_modes |= LocalModes::ICANON
        | LocalModes::ECHO
        | LocalModes::ECHOE
        | LocalModes::ECHOK
        | LocalModes::ISIG
        | LocalModes::IEXTEN;
    let _ = tcsetattr(tty, OptionalActions::Now, &modes);
}
