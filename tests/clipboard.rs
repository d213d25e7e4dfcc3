//! Copying with the built binary in tmux (helpers in `tty/`): through a
//! real X server (Xvfb), read back with xclip, the copy still there after
//! the explorer exits; without a display, OSC 52 in the form each
//! multiplexer lets through: tmux with its defaults (its buffer, through
//! `load-buffer -w`), with `set-clipboard on` (a raw OSC 52 that tmux
//! takes), with `allow-passthrough on` (the wrapped form), and GNU screen
//! inside tmux (screen's form, which reaches tmux's buffer).

mod tty;

use std::time::{Duration, Instant};

use tty::{BIN, DEADLINE, Tmux, Xvfb, assert_restored, start_explorer, tools};

const URL: &str = "https://docs.python.org/3/c-api/buffer.html#c.PyBuffer_FillInfo";
/// base64 of [`URL`].
const PAYLOAD: &str = "aHR0cHM6Ly9kb2NzLnB5dGhvbi5vcmcvMy9jLWFwaS9idWZmZXIuaHRtbCNjLlB5QnVmZmVyX0ZpbGxJbmZv";

fn wait_clipboard(x: &Xvfb, expected: &str) {
    let start = Instant::now();
    while x.clipboard() != expected {
        assert!(start.elapsed() < DEADLINE, "the clipboard holds {:?}", x.clipboard());
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_x11_clipboard_keeps_the_copy_after_the_explorer_exits() {
    if !tools(&["tmux", "Xvfb", "xclip"]) {
        return;
    }
    let x = Xvfb::start();
    let t = Tmux::start(160, 40, &[("DISPLAY", &x.display)]);
    start_explorer(&t, "", "PyBuffer_FillInfo");
    t.wait_for("int PyBuffer_FillInfo(");
    // The copy menu, then `l` for the link.
    t.keys(&["M-c"]);
    t.wait_for("signature");
    t.keys(&["l"]);
    t.wait_for("Copied link to the clipboard");
    wait_clipboard(&x, URL);
    // Ctrl-Y copies the name; then the explorer quits.
    t.keys(&["C-y"]);
    t.wait_for("Copied name to the clipboard");
    wait_clipboard(&x, "PyBuffer_FillInfo");
    t.keys(&["C-c"]);
    assert!(assert_restored(&t).contains("EXIT=0"));
    // No clipboard manager runs: the helper still serves it.
    assert_eq!(x.clipboard(), "PyBuffer_FillInfo");
    // Another program taking the clipboard ends the helper's job.
    let mut xclip = std::process::Command::new("xclip")
        .args(["-selection", "clipboard", "-i"])
        .env("DISPLAY", &x.display)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("xclip runs");
    if let Some(mut stdin) = xclip.stdin.take() {
        use std::io::Write as _;
        stdin.write_all(b"something else").expect("xclip reads");
    }
    let _ = xclip.wait();
    wait_clipboard(&x, "something else");
}

/// Copies the link without a display and returns the tmux server, the
/// screen and the raw bytes the explorer wrote.
fn copy_without_display(options: &[(&str, &str)], env: &str) -> (Tmux, String, String) {
    let t = Tmux::start(160, 40, &[]);
    for (option, value) in options {
        t.tmux(&["set-option", "-g", option, value]);
    }
    t.record_raw();
    start_explorer(
        &t,
        &format!("env -u DISPLAY -u WAYLAND_DISPLAY {env}"),
        "PyBuffer_FillInfo",
    );
    t.wait_for("int PyBuffer_FillInfo(");
    t.keys(&["M-c", "l"]);
    let screen = t.wait_for("Copied link to the");
    t.keys(&["C-c"]);
    assert_restored(&t);
    let raw = t.raw();
    (t, screen, raw)
}

fn buffer(t: &Tmux) -> String {
    t.tmux(&["show-buffer"])
}

#[test]
fn osc52_outside_tmux_is_raw() {
    if !tools(&["tmux"]) {
        return;
    }
    let (_t, screen, raw) = copy_without_display(&[], "-u TMUX");
    assert!(screen.contains("terminal (OSC 52; no display)"), "{screen}");
    assert!(raw.contains(&format!("\x1b]52;c;{PAYLOAD}\x07")), "a raw OSC 52");
}

#[test]
fn tmux_defaults_get_the_copy_through_its_buffer() {
    if !tools(&["tmux"]) {
        return;
    }
    let (t, screen, raw) = copy_without_display(&[], "");
    assert!(screen.contains("tmux buffer and terminal"), "{screen}");
    assert_eq!(buffer(&t), URL);
    assert!(!raw.contains("\x1b]52;"), "no sequence tmux would drop");
}

#[test]
fn tmux_with_set_clipboard_on_takes_a_raw_osc52() {
    if !tools(&["tmux"]) {
        return;
    }
    let (t, screen, raw) = copy_without_display(&[("set-clipboard", "on")], "");
    assert!(screen.contains("OSC 52 through tmux; no display"), "{screen}");
    assert!(raw.contains(&format!("\x1b]52;c;{PAYLOAD}\x07")), "a raw OSC 52");
    assert!(!raw.contains("\x1bPtmux;"), "not the passthrough form");
    assert_eq!(buffer(&t), URL, "tmux took it");
}

#[test]
fn tmux_with_passthrough_gets_the_wrapped_form() {
    if !tools(&["tmux"]) {
        return;
    }
    let (_t, screen, raw) = copy_without_display(&[("allow-passthrough", "on")], "");
    assert!(screen.contains("OSC 52 through tmux passthrough"), "{screen}");
    assert!(
        raw.contains(&format!("\x1bPtmux;\x1b\x1b]52;c;{PAYLOAD}\x07\x1b\\")),
        "the wrapped form"
    );
}

#[test]
fn gnu_screen_inside_tmux_forwards_the_copy() {
    if !tools(&["tmux", "screen"]) {
        return;
    }
    let t = Tmux::start(160, 40, &[]);
    t.tmux(&["set-option", "-g", "set-clipboard", "on"]);
    let session = format!("abiscope-test-{}", std::process::id());
    t.run(&format!(
        "env -u DISPLAY -u WAYLAND_DISPLAY PS1='$ ' screen -q -c /dev/null -S {session} bash --norc --noprofile"
    ));
    std::thread::sleep(Duration::from_millis(300));
    t.run("clear; echo IN-SCREEN-$STY | sed 's/[0-9]*\\.//'");
    t.wait_for(&format!("IN-SCREEN-{session}"));
    t.run(&format!("{BIN} PyBuffer_FillInfo"));
    t.wait_for("int PyBuffer_FillInfo(");
    t.keys(&["M-c", "l"]);
    let screen = t.wait_for("Copied link to the");
    assert!(screen.contains("OSC 52 through screen"), "{screen}");
    t.keys(&["C-c"]);
    t.run("exit");
    // A screen session outlives the tmux server that started it: end it.
    let _ = std::process::Command::new("screen")
        .args(["-S", &session, "-X", "quit"])
        .status();
    // screen unwrapped it, and tmux (set-clipboard on) took it.
    let start = Instant::now();
    while buffer(&t) != URL {
        assert!(start.elapsed() < DEADLINE, "tmux's buffer holds {:?}", buffer(&t));
        std::thread::sleep(Duration::from_millis(50));
    }
}
