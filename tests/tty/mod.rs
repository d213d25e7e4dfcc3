//! Real-terminal helpers shared by the tests that run the built binary:
//! a tmux server of its own per test (`send-keys` to type, `capture-pane`
//! to read the screen, `pipe-pane` for the raw bytes), waiting for text
//! with a deadline instead of sleeping, and an X server (Xvfb) for the
//! clipboard.
//!
//! tmux, Xvfb, xclip and screen come from Debian's packages (`.ci/run`
//! installs them). When one is missing a test says so and does nothing,
//! unless `ABISCOPE_REQUIRE_TOOLS` is set (as in CI), where it fails.

#![allow(dead_code)] // each test binary uses a different part

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_abiscope");
pub const DEADLINE: Duration = Duration::from_secs(15);

/// The number of catalog items as the status line prints it (`2,584`).
pub fn catalog_size() -> String {
    let n = abiscope::catalog::Catalog::embedded().items().len().to_string();
    let mut out = String::new();
    for (i, c) in n.chars().enumerate() {
        if i > 0 && (n.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether the tools are there; says why not (or fails in CI).
pub fn tools(needed: &[&str]) -> bool {
    let missing: Vec<&str> = needed.iter().copied().filter(|t| !have(t)).collect();
    if missing.is_empty() {
        return true;
    }
    let msg = format!(
        "skipped: {} not installed (apt-get install tmux xvfb xclip)",
        missing.join(", ")
    );
    assert!(std::env::var_os("ABISCOPE_REQUIRE_TOOLS").is_none(), "{msg}");
    eprintln!("{msg}");
    false
}

/// A tmux server of its own running one shell.
pub struct Tmux {
    socket: String,
    raw: PathBuf,
    /// The explorer's state directory (`XDG_STATE_HOME`): its history.
    pub state: PathBuf,
}

impl Tmux {
    pub fn start(width: u16, height: u16, env: &[(&str, &str)]) -> Tmux {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let socket = format!(
            "abiscope-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let raw = std::env::temp_dir().join(format!("{socket}.raw"));
        let state = std::env::temp_dir().join(format!("{socket}.state"));
        let _ = std::fs::remove_dir_all(&state);
        let mut cmd = Command::new("tmux");
        cmd.args(["-L", &socket, "-f", "/dev/null", "new-session", "-d", "-s", "main"]);
        cmd.args(["-x", &width.to_string(), "-y", &height.to_string()]);
        for (k, v) in env {
            cmd.args(["-e", &format!("{k}={v}")]);
        }
        cmd.args(["-e", &format!("XDG_STATE_HOME={}", state.display())]);
        cmd.args(["env", "PS1=$ ", "TERM=xterm-256color", "bash", "--norc", "--noprofile"]);
        assert!(cmd.status().expect("tmux runs").success(), "tmux new-session failed");
        let t = Tmux { socket, raw, state };
        t.tmux(&["set-option", "-g", "status", "off"]);
        t.wait_for("$");
        t
    }

    pub fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Types text and presses Enter.
    pub fn run(&self, line: &str) {
        self.tmux(&["send-keys", "-t", "main", "-l", line]);
        self.tmux(&["send-keys", "-t", "main", "Enter"]);
    }

    /// Sends tmux key names (`Tab`, `C-c`, `Down`) or literal text with `-l`.
    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", "main", k]);
        }
    }

    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "main"])
    }

    /// The screen once `text` is on it; panics with the screen at the deadline.
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "'{text}' did not appear; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            assert!(start.elapsed() < DEADLINE, "{what}; the screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The process id of the program the pane's shell runs (the explorer).
    pub fn program_pid(&self) -> u32 {
        let shell = self.tmux(&["display-message", "-p", "-t", "main", "#{pane_pid}"]);
        let start = Instant::now();
        loop {
            let out = Command::new("pgrep")
                .args(["-P", shell.trim()])
                .output()
                .expect("pgrep runs");
            if let Some(pid) = String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .and_then(|l| l.trim().parse().ok())
            {
                return pid;
            }
            assert!(start.elapsed() < DEADLINE, "no program runs in the pane");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Records everything the pane's program writes, escape sequences included.
    pub fn record_raw(&self) {
        self.tmux(&[
            "pipe-pane",
            "-o",
            "-t",
            "main",
            &format!("cat >> {}", self.raw.display()),
        ]);
    }

    pub fn raw(&self) -> String {
        String::from_utf8_lossy(&std::fs::read(&self.raw).unwrap_or_default()).into_owned()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).status();
        let _ = std::fs::remove_file(&self.raw);
        let _ = std::fs::remove_dir_all(&self.state);
    }
}

/// The screen after the explorer exits: the shell's own lines are back and
/// nothing of the explorer is left.
pub fn assert_restored(t: &Tmux) -> String {
    let screen = t.wait_for("EXIT=");
    assert!(screen.contains("BEFORE"), "the shell screen is back:\n{screen}");
    assert!(
        !screen.contains("Sections") && !screen.contains("Results"),
        "no explorer left:\n{screen}"
    );
    t.run("echo typed-$((40 + 2))");
    t.wait_for("typed-42");
    screen
}

pub fn start_explorer(t: &Tmux, env: &str, args: &str) {
    t.run("clear; echo BEF\"\"ORE");
    t.wait_for("BEFORE");
    // Quoted so that the typed command line itself never shows `EXIT=`.
    t.run(&format!("{env} {BIN} {args}; echo \"EX\"\"IT=$?\""));
}

/// An X server for the clipboard tests.
pub struct Xvfb {
    child: Child,
    pub display: String,
}

impl Xvfb {
    pub fn start() -> Xvfb {
        let n = 90 + std::process::id() % 100;
        let display = format!(":{n}");
        let child = Command::new("Xvfb")
            .args([display.as_str(), "-screen", "0", "640x480x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts");
        let start = Instant::now();
        while Command::new("xclip")
            .args(["-selection", "clipboard", "-o"])
            .env("DISPLAY", &display)
            .stderr(Stdio::piped())
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stderr).contains("Can't open display"))
        {
            assert!(start.elapsed() < DEADLINE, "Xvfb did not come up on {display}");
            std::thread::sleep(Duration::from_millis(50));
        }
        Xvfb { child, display }
    }

    pub fn clipboard(&self) -> String {
        let out = Command::new("xclip")
            .args(["-selection", "clipboard", "-o"])
            .env("DISPLAY", &self.display)
            .output()
            .expect("xclip runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
