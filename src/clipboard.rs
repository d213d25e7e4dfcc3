//! Copying to the user's clipboard, and opening links.
//!
//! On X11 and Wayland a selection lives only as long as the process that
//! owns it serves it, so the explorer hands each copy to a small helper
//! process (the binary itself, run with [`HELPER_ARG`]) that takes the
//! selection, says so, and keeps serving it after the explorer exits,
//! until another program takes the clipboard (arboard's `wait`, as
//! television and helix do). On macOS and Windows the system keeps the
//! contents, so arboard is used in process.
//!
//! Without a display (SSH, a console) the terminal is asked with OSC 52,
//! in the form the terminal multiplexer in between lets through: tmux
//! takes a raw OSC 52 with `set-clipboard on`, the DCS passthrough form
//! only with `allow-passthrough`, and neither with its defaults, where
//! `tmux load-buffer -w` sets its buffer and the outer terminal's
//! clipboard; GNU screen forwards OSC 52 in its own DCS form, in chunks.
//! Failures are reported to the caller as text, never a panic.

use std::io::{BufRead, Read, Write};
use std::process::{Command, Stdio};

use base64::Engine as _;

/// The argument that runs the binary as the clipboard helper.
pub const HELPER_ARG: &str = "__serve-clipboard";

/// Copied texts are capped: a clipboard is not a file transfer.
const MAX_TEXT: u64 = 16 << 20;

/// How a copy went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The system clipboard.
    System,
    /// An OSC 52 sequence written to the terminal, in the form `via` lets
    /// through, with the reason the system clipboard was not used.
    Osc52 { via: Via, why: String },
    /// tmux's buffer and, through tmux, the terminal's clipboard.
    TmuxBuffer { why: String },
}

/// What stands between the explorer and the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Direct,
    /// tmux with `set-clipboard on`: a raw OSC 52.
    Tmux,
    /// tmux with `allow-passthrough`: the DCS passthrough form.
    TmuxPassthrough,
    /// GNU screen: its DCS form.
    Screen,
}

impl Route {
    /// "clipboard", or "terminal (OSC 52 through tmux; no display)".
    pub fn describe(&self) -> String {
        match self {
            Route::System => "clipboard".to_string(),
            Route::Osc52 { via, why } => {
                let through = match via {
                    Via::Direct => "",
                    Via::Tmux => " through tmux",
                    Via::TmuxPassthrough => " through tmux passthrough",
                    Via::Screen => " through screen",
                };
                format!("terminal (OSC 52{through}; {why})")
            }
            Route::TmuxBuffer { why } => format!("tmux buffer and terminal (tmux load-buffer -w; {why})"),
        }
    }
}

pub struct Clipboard {
    /// macOS and Windows: one handle for the session.
    #[cfg(any(target_os = "macos", windows))]
    system: Option<arboard::Clipboard>,
    /// The terminal device the explorer draws on (`st_rdev`), to tell
    /// whether tmux's pane is that terminal or something runs in between.
    tty: Option<u64>,
}

impl Clipboard {
    pub fn new(tty: Option<u64>) -> Clipboard {
        Clipboard {
            #[cfg(any(target_os = "macos", windows))]
            system: None,
            tty,
        }
    }

    /// Copies `text`, writing any escape sequence to `terminal`.
    pub fn copy(&mut self, text: &str, terminal: &mut impl Write) -> Result<Route, String> {
        #[cfg(any(target_os = "macos", windows))]
        let attempt = self.system(text);
        #[cfg(not(any(target_os = "macos", windows)))]
        let attempt = helper(text);
        let why = match attempt {
            Ok(()) => return Ok(Route::System),
            Err(why) => why,
        };
        let via = match multiplexer(self.tty) {
            Mux::None => Via::Direct,
            Mux::Screen => Via::Screen,
            Mux::Tmux(settings) if settings.clipboard_on => Via::Tmux,
            Mux::Tmux(settings) if settings.passthrough => Via::TmuxPassthrough,
            Mux::Tmux(_) => {
                tmux_load_buffer(text)?;
                return Ok(Route::TmuxBuffer { why });
            }
        };
        terminal
            .write_all(osc52(text, via).as_bytes())
            .and_then(|()| terminal.flush())
            .map_err(|e| format!("could not write to the terminal: {e}"))?;
        Ok(Route::Osc52 { via, why })
    }

    #[cfg(any(target_os = "macos", windows))]
    fn system(&mut self, text: &str) -> Result<(), String> {
        if self.system.is_none() {
            self.system = Some(arboard::Clipboard::new().map_err(|e| format!("no clipboard: {e}"))?);
        }
        self.system.as_mut().map_or(Err(String::new()), |c| {
            c.set_text(text.to_string())
                .map_err(|e| format!("clipboard error: {e}"))
        })
    }
}

/// Hands the text to the helper and waits for it to own the selection.
#[cfg(not(any(target_os = "macos", windows)))]
fn helper(text: &str) -> Result<(), String> {
    use std::os::unix::process::CommandExt as _;
    let has = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty());
    if !has("DISPLAY") && !has("WAYLAND_DISPLAY") {
        return Err("no display".to_string());
    }
    let exe = std::env::current_exe().map_err(|e| format!("no clipboard helper: {e}"))?;
    // Its own process group: a terminal closing or Ctrl-C in it does
    // not reach the helper.
    let mut child = Command::new(exe)
        .arg(HELPER_ARG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("no clipboard helper: {e}"))?;
    let sent = child
        .stdin
        .take()
        .map_or(Ok(()), |mut stdin| stdin.write_all(text.as_bytes()));
    let mut answer = String::new();
    if let Some(stdout) = child.stdout.take() {
        let _ = std::io::BufReader::new(stdout).read_line(&mut answer);
    }
    reap(child);
    sent.map_err(|e| format!("clipboard helper: {e}"))?;
    match answer.trim_end() {
        "ok" => Ok(()),
        "" => Err("the clipboard helper stopped".to_string()),
        why => Err(why.to_string()),
    }
}

/// The clipboard helper: takes the selection with the text on standard
/// input, answers `ok` (or why not) on standard output, then serves the
/// selection until another program takes the clipboard.
pub fn serve() -> std::process::ExitCode {
    // The terminal going away must not end the helper.
    let hangup = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    #[cfg(unix)]
    let _ = signal_hook::flag::register(signal_hook::consts::SIGHUP, hangup);
    #[cfg(not(unix))]
    drop(hangup);
    let mut text = String::new();
    if let Err(e) = std::io::stdin().take(MAX_TEXT).read_to_string(&mut text) {
        println!("clipboard helper: {e}");
        return std::process::ExitCode::from(2);
    }
    let mut clipboard = match arboard::Clipboard::new() {
        Ok(c) => c,
        Err(e) => {
            println!("no clipboard: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    if let Err(e) = clipboard.set_text(text.clone()) {
        println!("clipboard error: {e}");
        return std::process::ExitCode::from(2);
    }
    println!("ok");
    let _ = std::io::stdout().flush();
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        use arboard::SetExtLinux as _;
        let _ = clipboard.set().wait().text(text);
    }
    std::process::ExitCode::SUCCESS
}

/// tmux's settings that decide what it lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TmuxSettings {
    clipboard_on: bool,
    passthrough: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mux {
    None,
    Tmux(TmuxSettings),
    Screen,
}

/// The multiplexer the explorer's terminal belongs to. Inside tmux, the
/// pane's terminal must be ours: otherwise something (screen, say) runs in
/// between and is the one to talk to.
fn multiplexer(tty: Option<u64>) -> Mux {
    let set = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty());
    if set("TMUX")
        && let Some((pane_tty, settings)) = tmux_settings()
    {
        let ours = match (tty, device(&pane_tty)) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        if ours {
            return Mux::Tmux(settings);
        }
    }
    if set("STY") { Mux::Screen } else { Mux::None }
}

#[cfg(unix)]
fn device(path: &str) -> Option<u64> {
    use std::os::unix::fs::MetadataExt as _;
    std::fs::metadata(path).ok().map(|m| m.rdev())
}

#[cfg(not(unix))]
fn device(_: &str) -> Option<u64> {
    None
}

/// The pane's terminal and tmux's settings, asked of the tmux server.
fn tmux_settings() -> Option<(String, TmuxSettings)> {
    let mut cmd = Command::new("tmux");
    cmd.args(["display-message", "-p"]);
    if let Some(pane) = std::env::var_os("TMUX_PANE") {
        cmd.arg("-t").arg(pane);
    }
    let out = cmd
        .arg("#{pane_tty}|#{set-clipboard}|#{allow-passthrough}")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    parse_tmux_settings(&String::from_utf8_lossy(&out.stdout))
}

fn parse_tmux_settings(line: &str) -> Option<(String, TmuxSettings)> {
    let mut parts = line.trim_end().split('|');
    let (tty, clipboard, passthrough) = (parts.next()?, parts.next()?, parts.next()?);
    Some((
        tty.to_string(),
        TmuxSettings {
            clipboard_on: clipboard == "on",
            passthrough: matches!(passthrough, "1" | "on" | "all"),
        },
    ))
}

/// `tmux load-buffer -w -`: tmux's buffer, and the outer terminal's
/// clipboard where tmux may set it.
fn tmux_load_buffer(text: &str) -> Result<(), String> {
    let mut child = Command::new("tmux")
        .args(["load-buffer", "-w", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("tmux: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(text.as_bytes()).map_err(|e| format!("tmux: {e}"))?;
    }
    let out = child.wait_with_output().map_err(|e| format!("tmux: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "tmux load-buffer: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// The OSC 52 "set clipboard" sequence in the form `via` forwards.
pub fn osc52(text: &str, via: Via) -> String {
    let payload = base64::engine::general_purpose::STANDARD.encode(text);
    match via {
        Via::Direct | Via::Tmux => format!("\x1b]52;c;{payload}\x07"),
        // The inner ESC doubled, so tmux forwards it.
        Via::TmuxPassthrough => format!("\x1bPtmux;\x1b\x1b]52;c;{payload}\x07\x1b\\"),
        // screen limits a DCS string's length: the payload goes in chunks,
        // each its own DCS, which screen forwards back to back.
        Via::Screen => {
            let mut out = String::from("\x1bP\x1b]52;c;");
            for (n, chunk) in payload.as_bytes().chunks(76).enumerate() {
                if n > 0 {
                    out.push_str("\x1b\\\x1bP");
                }
                out.push_str(&String::from_utf8_lossy(chunk));
            }
            out.push_str("\x07\x1b\\");
            out
        }
    }
}

/// Waits for a child in the background, so it leaves no zombie.
pub fn reap(mut child: std::process::Child) {
    let _ = std::thread::Builder::new()
        .name("reap".into())
        .spawn(move || child.wait());
}

/// Opens a URL (or a `file://` page) with the platform's opener, detached
/// and reaped; `Err` says why not.
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
    let child = Command::new(program)
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{program}: {e}"))?;
    reap(child);
    Ok(program)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_carries_base64_in_each_form() {
        assert_eq!(osc52("hi", Via::Direct), "\x1b]52;c;aGk=\x07");
        assert_eq!(osc52("hi", Via::Tmux), "\x1b]52;c;aGk=\x07");
        assert_eq!(
            osc52("hi", Via::TmuxPassthrough),
            "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"
        );
        assert_eq!(osc52("hi", Via::Screen), "\x1bP\x1b]52;c;aGk=\x07\x1b\\");
        assert_eq!(osc52("", Via::Direct), "\x1b]52;c;\x07");
    }

    #[test]
    fn screen_gets_the_payload_in_chunks() {
        let text = "x".repeat(200);
        let seq = osc52(&text, Via::Screen);
        let payload = base64::engine::general_purpose::STANDARD.encode(&text);
        let joined: String = seq
            .trim_start_matches("\x1bP\x1b]52;c;")
            .trim_end_matches("\x07\x1b\\")
            .split("\x1b\\\x1bP")
            .collect();
        assert_eq!(joined, payload);
        assert_eq!(seq.matches("\x1bP").count(), payload.len().div_ceil(76));
    }

    #[test]
    fn tmux_settings_are_read_from_its_answer() {
        assert_eq!(
            parse_tmux_settings("/dev/pts/3|on|0\n"),
            Some((
                "/dev/pts/3".into(),
                TmuxSettings {
                    clipboard_on: true,
                    passthrough: false
                }
            ))
        );
        let (_, defaults) = parse_tmux_settings("/dev/pts/3|external|0").expect("parsed");
        assert!(!defaults.clipboard_on && !defaults.passthrough);
        let (_, pass) = parse_tmux_settings("/dev/pts/3|external|all").expect("parsed");
        assert!(pass.passthrough);
        assert_eq!(parse_tmux_settings("garbage"), None);
    }
}
