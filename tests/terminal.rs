//! The built binary in a real terminal: tmux runs a shell, the tests type
//! into it with `send-keys` and read the screen with `capture-pane`,
//! waiting for text with a deadline instead of sleeping. The clipboard is
//! checked through a real X server (Xvfb) read back with xclip, and the
//! OSC 52 fallback through the raw bytes tmux's `pipe-pane` records.
//!
//! tmux, Xvfb and xclip come from Debian's packages (`.ci/run` installs
//! them). When one is missing the test says so and does nothing, unless
//! `ABISCOPE_REQUIRE_TOOLS` is set (as in CI), where it fails.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_abiscope");
const DEADLINE: Duration = Duration::from_secs(15);

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether the tools are there; says why not (or fails in CI).
fn tools(needed: &[&str]) -> bool {
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
struct Tmux {
    socket: String,
    raw: PathBuf,
}

impl Tmux {
    fn start(width: u16, height: u16, env: &[(&str, &str)]) -> Tmux {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let socket = format!(
            "abiscope-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let raw = std::env::temp_dir().join(format!("{socket}.raw"));
        let mut cmd = Command::new("tmux");
        cmd.args(["-L", &socket, "-f", "/dev/null", "new-session", "-d", "-s", "main"]);
        cmd.args(["-x", &width.to_string(), "-y", &height.to_string()]);
        for (k, v) in env {
            cmd.args(["-e", &format!("{k}={v}")]);
        }
        cmd.args(["env", "PS1=$ ", "TERM=xterm-256color", "bash", "--norc", "--noprofile"]);
        assert!(cmd.status().expect("tmux runs").success(), "tmux new-session failed");
        let t = Tmux { socket, raw };
        t.tmux(&["set-option", "-g", "status", "off"]);
        t.wait_for("$");
        t
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Types text and presses Enter.
    fn run(&self, line: &str) {
        self.tmux(&["send-keys", "-t", "main", "-l", line]);
        self.tmux(&["send-keys", "-t", "main", "Enter"]);
    }

    /// Sends tmux key names (`Tab`, `C-c`, `Down`) or literal text with `-l`.
    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", "main", k]);
        }
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "main"])
    }

    /// The screen once `text` is on it; panics with the screen at the deadline.
    fn wait_for(&self, text: &str) -> String {
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

    fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
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

    /// Records everything the pane's program writes, escape sequences included.
    fn record_raw(&self) {
        self.tmux(&[
            "pipe-pane",
            "-o",
            "-t",
            "main",
            &format!("cat >> {}", self.raw.display()),
        ]);
    }

    fn raw(&self) -> String {
        String::from_utf8_lossy(&std::fs::read(&self.raw).unwrap_or_default()).into_owned()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).status();
        let _ = std::fs::remove_file(&self.raw);
    }
}

/// The screen after the explorer exits: the shell's own lines are back and
/// nothing of the explorer is left.
fn assert_restored(t: &Tmux) -> String {
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

fn start_explorer(t: &Tmux, env: &str, args: &str) {
    t.run("clear; echo BEFORE");
    t.wait_for("BEFORE");
    // Quoted so that the typed command line itself never shows `EXIT=`.
    t.run(&format!("{env} {BIN} {args}; echo \"EX\"\"IT=$?\""));
}

#[test]
fn search_show_and_quit_with_q() {
    if !tools(&["tmux"]) {
        return;
    }
    let t = Tmux::start(160, 40, &[]);
    start_explorer(&t, "", "");
    t.wait_for("2,350 / 2,350");
    t.keys(&["-l", "PyBuffer_"]);
    let screen = t.wait_for("13 / 2,350");
    assert!(screen.contains("PyBuffer_FillInfo"), "{screen}");
    // The detail follows the selection: move to PyBuffer_FillInfo.
    t.keys(&["Down"]);
    let screen = t.wait_for("int PyBuffer_FillInfo(Py_buffer *view");
    assert!(screen.contains("Include/pybuffer.h"), "{screen}");
    // `q` is typed while the search has focus; Tab moves focus, then `q` quits.
    t.keys(&["Tab", "q"]);
    let screen = assert_restored(&t);
    assert!(screen.contains("EXIT=0"), "{screen}");
}

#[test]
fn ctrl_c_quits_and_restores_the_screen() {
    if !tools(&["tmux"]) {
        return;
    }
    let t = Tmux::start(100, 30, &[]);
    start_explorer(&t, "", "PyList_");
    t.wait_for("PyList_GetItem");
    t.keys(&["C-c"]);
    assert!(assert_restored(&t).contains("EXIT=0"));
}

#[test]
fn a_panic_restores_the_terminal() {
    if !tools(&["tmux"]) {
        return;
    }
    let t = Tmux::start(100, 30, &[]);
    start_explorer(&t, "ABISCOPE_DEBUG_PANIC=1", "");
    let screen = assert_restored(&t);
    assert!(
        screen.contains("forced panic"),
        "the panic message shows on the restored screen:\n{screen}"
    );
    assert!(!screen.contains("EXIT=0"), "{screen}");
}

#[test]
fn resizing_at_any_moment_does_not_crash() {
    if !tools(&["tmux"]) {
        return;
    }
    let t = Tmux::start(120, 40, &[]);
    start_explorer(&t, "", "PyObject");
    t.wait_for("PyObject_");
    for (w, h) in [("30", "8"), ("2", "2"), ("200", "60"), ("80", "24"), ("45", "12")] {
        t.tmux(&["resize-window", "-t", "main", "-x", w, "-y", h]);
        t.keys(&["Down"]);
    }
    t.wait_until("the explorer redraws at 45x12", |s| s.contains("/ 2,350"));
    t.tmux(&["resize-window", "-t", "main", "-x", "120", "-y", "40"]);
    t.keys(&["Tab", "q"]);
    assert!(assert_restored(&t).contains("EXIT=0"));
}

/// An X server for the clipboard tests.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start() -> Xvfb {
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

    fn clipboard(&self) -> String {
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

#[test]
fn copying_a_link_reaches_the_x11_clipboard() {
    if !tools(&["tmux", "Xvfb", "xclip"]) {
        return;
    }
    let x = Xvfb::start();
    let t = Tmux::start(160, 40, &[("DISPLAY", &x.display)]);
    start_explorer(&t, "", "PyBuffer_FillInfo");
    t.wait_for("int PyBuffer_FillInfo(");
    // The copy menu, then `l` for the link.
    t.keys(&["Tab", "c"]);
    t.wait_for("signature");
    t.keys(&["l"]);
    t.wait_for("Copied link to the clipboard");
    // The explorer still runs and serves the selection.
    let url = "https://docs.python.org/3/c-api/buffer.html#c.PyBuffer_FillInfo";
    let start = Instant::now();
    while x.clipboard() != url {
        assert!(start.elapsed() < DEADLINE, "the clipboard holds {:?}", x.clipboard());
        std::thread::sleep(Duration::from_millis(50));
    }
    // Ctrl-Y copies the name.
    t.keys(&["C-y"]);
    t.wait_for("Copied name to the clipboard");
    assert_eq!(x.clipboard(), "PyBuffer_FillInfo");
    t.keys(&["q"]);
    assert!(assert_restored(&t).contains("EXIT=0"));
}

#[test]
fn without_a_display_copying_writes_osc52() {
    if !tools(&["tmux"]) {
        return;
    }
    // base64 of https://docs.python.org/3/c-api/buffer.html#c.PyBuffer_FillInfo
    let payload = "aHR0cHM6Ly9kb2NzLnB5dGhvbi5vcmcvMy9jLWFwaS9idWZmZXIuaHRtbCNjLlB5QnVmZmVyX0ZpbGxJbmZv";
    assert_eq!(payload.len() % 4, 0);
    for (in_tmux, expected) in [
        (true, format!("\x1bPtmux;\x1b\x1b]52;c;{payload}\x07\x1b\\")),
        (false, format!("\x1b]52;c;{payload}\x07")),
    ] {
        let t = Tmux::start(160, 40, &[]);
        t.record_raw();
        let env = if in_tmux {
            "env -u DISPLAY -u WAYLAND_DISPLAY"
        } else {
            "env -u DISPLAY -u WAYLAND_DISPLAY -u TMUX"
        };
        start_explorer(&t, env, "PyBuffer_FillInfo");
        t.wait_for("int PyBuffer_FillInfo(");
        t.keys(&["Tab", "c", "l"]);
        let via = if in_tmux {
            "OSC 52 via tmux; no display"
        } else {
            "OSC 52; no display"
        };
        t.wait_for(via);
        t.keys(&["q"]);
        assert_restored(&t);
        let raw = t.raw();
        assert!(
            raw.contains(&expected),
            "{expected:?} in the terminal output (in tmux: {in_tmux})"
        );
    }
}

#[test]
fn check_tui_opens_the_explorer_on_the_report() {
    if !tools(&["tmux"]) {
        return;
    }
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/check");
    let t = Tmux::start(160, 40, &[]);
    t.run(&format!("cd {fixtures}"));
    start_explorer(&t, "", "check modern.c --tui --target abi3=3.9");
    // Only the names the file uses, under the target, the worst verdicts listed.
    let screen = t.wait_for("1 use exceeds the target");
    assert!(screen.contains("abi3 3.9"), "{screen}");
    let count = screen.lines().next().unwrap_or_default();
    assert!(count.trim_end().ends_with("/ 12"), "12 names used:\n{screen}");
    t.keys(&["-l", "GetItemRef"]);
    let screen = t.wait_for("modern.c:17:12 PyList_GetItemRef: too-new");
    assert!(screen.contains("too new"), "{screen}");
    assert!(
        screen.contains("Instead") && screen.contains("PyList_GetItem "),
        "the alternative:\n{screen}"
    );
    t.keys(&["C-c"]);
    // Exit 1: a use exceeds the target.
    assert!(assert_restored(&t).contains("EXIT=1"));
}

#[test]
fn the_detail_pane_shows_the_local_docs_and_follows_their_links() {
    if !tools(&["tmux"]) {
        return;
    }
    let html = std::env::var_os("ABISCOPE_UPSTREAM").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/upstream")),
        PathBuf::from,
    );
    let html = html.join("cpython-3.15.2/doc-html");
    if !html.join("c-api").is_dir() {
        eprintln!("skipped: the upstream HTML docs are not at {}", html.display());
        return;
    }
    let t = Tmux::start(160, 50, &[]);
    start_explorer(&t, "", &format!("--docs {} PyBuffer_FillInfo", html.display()));
    let screen = t.wait_for("Documentation (Python 3.15.2 docs");
    assert!(screen.contains("Handle buffer requests for an exporter"), "{screen}");
    // Links: the see-also PyBUF_WRITABLE, then the text's one (the same
    // name, written in a sentence); Down stops at the last.
    t.keys(&["Enter", "Down", "Down", "Enter"]);
    let screen = t.wait_for("(Backspace: back)");
    assert!(!screen.contains("┏ PyBuffer_FillInfo"), "another item:\n{screen}");
    t.keys(&["BSpace"]);
    t.wait_for("┏ PyBuffer_FillInfo ━");
    t.keys(&["C-c"]);
    assert!(assert_restored(&t).contains("EXIT=0"));
}
