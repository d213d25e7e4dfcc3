//! Copying to the user's clipboard: through the system clipboard (arboard)
//! when one is reachable, else with an OSC 52 escape sequence that asks the
//! terminal to do it (over SSH, in a bare console), wrapped for tmux.
//!
//! One arboard handle lives for the whole session: on X11 and Wayland the
//! owning process serves the clipboard's contents, so dropping the handle
//! would empty it. It is created on the first copy, not at start-up.
//! Failures are reported to the caller as text, never a panic.

use std::io::Write;

use base64::Engine as _;

/// How a copy went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The system clipboard.
    System,
    /// An OSC 52 sequence written to the terminal (tmux-wrapped or not),
    /// with the reason the system clipboard was not used.
    Osc52 { tmux: bool, why: String },
}

impl Route {
    /// "clipboard", or "terminal (OSC 52 via tmux; no display)".
    pub fn describe(&self) -> String {
        match self {
            Route::System => "clipboard".to_string(),
            Route::Osc52 { tmux, why } => {
                format!("terminal (OSC 52{}; {why})", if *tmux { " via tmux" } else { "" })
            }
        }
    }
}

#[derive(Default)]
pub struct Clipboard {
    system: Option<arboard::Clipboard>,
    /// Why the system clipboard is unavailable, once known.
    unavailable: Option<String>,
}

impl Clipboard {
    /// Copies `text`, writing any escape sequence to `terminal`.
    pub fn copy(&mut self, text: &str, terminal: &mut impl Write) -> Result<Route, String> {
        if self.system.is_none() && self.unavailable.is_none() {
            match system_clipboard() {
                Ok(c) => self.system = Some(c),
                Err(why) => self.unavailable = Some(why),
            }
        }
        if let Some(system) = &mut self.system {
            match system.set_text(text.to_string()) {
                Ok(()) => return Ok(Route::System),
                Err(e) => self.unavailable = Some(format!("clipboard error: {e}")),
            }
        }
        let tmux = std::env::var_os("TMUX").is_some_and(|v| !v.is_empty());
        terminal
            .write_all(osc52(text, tmux).as_bytes())
            .and_then(|()| terminal.flush())
            .map_err(|e| format!("could not write to the terminal: {e}"))?;
        let why = self.unavailable.clone().unwrap_or_default();
        Ok(Route::Osc52 { tmux, why })
    }
}

/// The system clipboard, unless there is plainly none: on Linux and the
/// BSDs without a display arboard would only fail (after a delay).
fn system_clipboard() -> Result<arboard::Clipboard, String> {
    if cfg!(all(unix, not(target_os = "macos"))) {
        let has = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty());
        if !has("DISPLAY") && !has("WAYLAND_DISPLAY") {
            return Err("no display".to_string());
        }
    }
    arboard::Clipboard::new().map_err(|e| format!("no clipboard: {e}"))
}

/// The OSC 52 "set clipboard" sequence; inside tmux, wrapped in a DCS
/// passthrough (with the inner escape doubled) so tmux forwards it.
pub fn osc52(text: &str, tmux: bool) -> String {
    let payload = base64::engine::general_purpose::STANDARD.encode(text);
    let seq = format!("\x1b]52;c;{payload}\x07");
    if tmux {
        format!("\x1bPtmux;\x1b{seq}\x1b\\")
    } else {
        seq
    }
}

/// Opens a URL with the platform's opener, detached; `Err` says why not.
pub fn open_url(url: &str) -> Result<&'static str, String> {
    let (program, args): (&'static str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else {
        let has = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty());
        if !has("DISPLAY") && !has("WAYLAND_DISPLAY") {
            return Err("no display to open a browser on".to_string());
        }
        ("xdg-open", &[])
    };
    std::process::Command::new(program)
        .args(args)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| program)
        .map_err(|e| format!("{program}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_carries_base64_and_wraps_for_tmux() {
        assert_eq!(osc52("hi", false), "\x1b]52;c;aGk=\x07");
        assert_eq!(osc52("hi", true), "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\");
        assert_eq!(osc52("", false), "\x1b]52;c;\x07");
    }
}
