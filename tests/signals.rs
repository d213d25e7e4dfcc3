//! Signals, job control and input floods, with the built binary in tmux
//! (helpers in `tty/`): every terminating signal restores the shell's
//! screen and modes and exits 128 + its number; Ctrl-Z and SIGTSTP stop
//! the explorer with the terminal restored, and `fg` brings it back
//! redrawn and in raw mode; a burst of input is handled whole before the
//! next frame; the opener `o` starts leaves no zombie.

mod tty;

use std::process::Command;

use tty::{Tmux, assert_restored, catalog_size, start_explorer, tools};

/// The shell's terminal modes: canonical mode and echo are back on.
fn assert_cooked(t: &Tmux) {
    t.run("stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | tr '\\n' ' '; echo MO\"\"DES");
    let screen = t.wait_for("MODES");
    assert!(screen.contains("icanon echo MODES"), "cooked mode:\n{screen}");
}

/// Waits until the pane's terminal is in raw mode again after `fg`: the
/// shell may set the job's saved modes just after continuing it, and the
/// explorer sets raw mode again on the SIGCONT that follows.
fn wait_raw(t: &Tmux) {
    let tty = t.tmux(&["display-message", "-p", "-t", "main", "#{pane_tty}"]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let modes = Command::new("stty")
            .args(["-a", "-F", tty.trim()])
            .output()
            .expect("stty runs");
        let modes = String::from_utf8_lossy(&modes.stdout).to_string();
        if modes.split_whitespace().any(|w| w == "-icanon") {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "raw mode after fg:\n{modes}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn terminating_signals_restore_the_terminal_and_exit_with_their_status() {
    if !tools(&["tmux"]) {
        return;
    }
    for (signal, status) in [("TERM", 143), ("HUP", 129), ("INT", 130), ("QUIT", 131)] {
        let t = Tmux::start(100, 30, &[]);
        start_explorer(&t, "", "PyList_");
        t.wait_for("PyList_GetItem");
        let pid = t.program_pid();
        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success());
        let screen = assert_restored(&t);
        assert!(screen.contains(&format!("EXIT={status}")), "SIG{signal}:\n{screen}");
        assert!(!screen.contains("\x1b[?1000h"), "no mouse reporting left");
        assert_cooked(&t);
    }
}

#[test]
fn ctrl_z_suspends_and_fg_redraws_in_raw_mode() {
    if !tools(&["tmux"]) {
        return;
    }
    let t = Tmux::start(100, 30, &[]);
    t.run("clear; echo BEF\"\"ORE");
    t.wait_for("BEFORE");
    // No `; echo` after it: the shell prompt must come back on the stop.
    t.run(&format!("{} PyList_", tty::BIN));
    t.wait_for("PyList_GetItem");
    t.keys(&["C-z"]);
    let screen = t.wait_for("Stopped");
    assert!(screen.contains("BEFORE") && !screen.contains("Results"), "{screen}");
    assert_cooked(&t);
    t.run("fg");
    t.wait_for("PyList_GetItem");
    wait_raw(&t);
    // Raw mode again: one key acts at once, without Enter.
    t.keys(&["-l", "Ref"]);
    t.wait_for("PyList_GetItemRef");
    // An external SIGTSTP does the same.
    let pid = t.program_pid();
    assert!(
        Command::new("kill")
            .args(["-TSTP", &pid.to_string()])
            .status()
            .expect("kill")
            .success()
    );
    t.wait_until("stopped again", |s| {
        s.matches("Stopped").count() >= 2 && !s.contains("Results")
    });
    assert_cooked(&t);
    t.run("fg");
    t.wait_for("PyList_GetItemRef");
    wait_raw(&t);
    t.keys(&["C-u"]);
    t.keys(&["-l", "PyDict_New"]);
    t.wait_for("PyObject *PyDict_New(void)");
    t.keys(&["C-c"]);
    // Typed only once the shell's prompt is back: text typed while the
    // explorer is still leaving would reach the explorer, not the shell.
    t.wait_until("the shell's prompt is back", |s| {
        !s.contains("Results") && s.trim_end().ends_with('$')
    });
    t.run("echo \"EX\"\"IT=$?\"");
    assert!(assert_restored(&t).contains("EXIT=0"));
}

#[test]
fn a_burst_of_input_is_handled_whole_before_the_next_frame() {
    if !tools(&["tmux"]) {
        return;
    }
    // Without a query the results are the catalog in order.
    let catalog = abiscope::catalog::Catalog::embedded();
    let thousandth = catalog.items()[1000].name();
    let t = Tmux::start(200, 40, &[]);
    start_explorer(&t, "", "");
    t.wait_for(&format!("{0} / {0}", catalog_size()));
    t.keys(&["Tab", "Tab"]);
    // 1,000 Downs written at once (3,000 bytes): the selection moves 1,000
    // rows, with no key pressed after them.
    let downs: Vec<&str> = std::iter::repeat_n("Down", 1000).collect();
    let mut args = vec!["send-keys", "-t", "main"];
    args.extend(downs);
    t.tmux(&args);
    t.wait_for(&format!("┌ {thousandth} "));
    // 10,000 characters at once reach their final screen: the query's
    // end shows.
    t.keys(&["BTab", "BTab"]);
    t.keys(&["-l", &format!("{}THE_END", "x".repeat(10_000))]);
    t.wait_until("the whole burst is in the query", |s| {
        s.lines()
            .next()
            .is_some_and(|l| l.contains("xxxxTHE_END") && l.contains(&format!("0 / {}", catalog_size())))
    });
    // 1,000 characters of a many-word query, then Ctrl-C: answered.
    t.keys(&["C-u"]);
    t.keys(&["-l", &"py ".repeat(333)]);
    t.keys(&["C-c"]);
    assert!(assert_restored(&t).contains("EXIT=0"));
}

#[test]
fn the_opener_leaves_no_zombie() {
    if !tools(&["tmux"]) {
        return;
    }
    // An opener that returns at once, as xdg-open does once a browser runs.
    let bin = std::env::temp_dir().join(format!("abiscope-opener-{}", std::process::id()));
    std::fs::create_dir_all(&bin).expect("a directory");
    let opener = bin.join("xdg-open");
    std::fs::write(&opener, "#!/bin/sh\necho \"$1\" >> \"$(dirname \"$0\")/opened\"\n").expect("the opener");
    Command::new("chmod").args(["+x"]).arg(&opener).status().expect("chmod");
    let t = Tmux::start(120, 40, &[]);
    start_explorer(&t, &format!("DISPLAY=:99 PATH={}:$PATH", bin.display()), "PyList_New");
    t.wait_for("PyObject *PyList_New(");
    t.keys(&["C-o", "C-o", "C-o"]);
    t.wait_for("Opened with xdg-open");
    let pid = t.program_pid();
    t.wait_until("the openers are reaped", |_| {
        let out = Command::new("ps")
            .args(["-o", "stat=", "--ppid", &pid.to_string()])
            .output()
            .expect("ps runs");
        let states = String::from_utf8_lossy(&out.stdout).to_string();
        !states.contains('Z') && std::fs::read_to_string(bin.join("opened")).is_ok_and(|s| s.lines().count() == 3)
    });
    t.keys(&["C-c"]);
    assert_restored(&t);
    let _ = std::fs::remove_dir_all(&bin);
}

#[test]
fn an_abort_no_handler_sees_still_leaves_the_terminal_restored() {
    if !tools(&["tmux"]) {
        return;
    }
    // What an allocation failure does (abort: SIGABRT, no unwinding, no
    // handler runs), then SIGKILL: the guard restores the terminal. The
    // shell may print its prompt before the guard leaves the alternate
    // screen, so the status goes to a file.
    let t = Tmux::start(100, 30, &[]);
    let status = t.state.with_extension("status");
    for (env, signal, expected) in [("ABISCOPE_DEBUG_ABORT=1", None, "134"), ("", Some("-KILL"), "137")] {
        let _ = std::fs::remove_file(&status);
        t.run("clear; echo BEF\"\"ORE");
        t.wait_for("BEFORE");
        t.run(&format!("{env} {} PyList_; echo $? > {}", tty::BIN, status.display()));
        if let Some(signal) = signal {
            t.wait_for("PyList_GetItem");
            let pid = t.program_pid();
            assert!(
                Command::new("kill")
                    .args([signal, &pid.to_string()])
                    .status()
                    .expect("kill")
                    .success()
            );
        }
        t.wait_until("the explorer ended", |_| {
            std::fs::read_to_string(&status).is_ok_and(|s| !s.is_empty())
        });
        t.wait_until("the guard restored the screen", |s| {
            s.contains("BEFORE") && !s.contains("Results")
        });
        assert_cooked(&t);
        assert_eq!(std::fs::read_to_string(&status).unwrap_or_default().trim(), expected);
    }
    let _ = std::fs::remove_file(&status);
}
