//! The built binary in a real terminal: tmux runs a shell, the tests type
//! into it with `send-keys` and read the screen with `capture-pane`
//! (helpers in `tty/`): typing and quitting, the keys of the first screen,
//! picker mode with standard output captured, the query history across
//! runs, resizes, a panic, `check --tui` and the local docs.

mod tty;

use std::path::PathBuf;

use tty::{BIN, Tmux, assert_restored, catalog_size, start_explorer, tools};

#[test]
fn search_show_and_quit_with_q() {
    if !tools(&["tmux"]) {
        return;
    }
    let t = Tmux::start(160, 40, &[]);
    start_explorer(&t, "", "");
    let total = catalog_size();
    t.wait_for(&format!("{total} / {total}"));
    t.keys(&["-l", "PyBuffer_"]);
    let screen = t.wait_for(&format!("13 / {total}"));
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
    t.wait_until("the explorer redraws at 45x12", |s| {
        s.contains(&format!("/ {}", catalog_size()))
    });
    t.tmux(&["resize-window", "-t", "main", "-x", "120", "-y", "40"]);
    t.keys(&["Tab", "q"]);
    assert!(assert_restored(&t).contains("EXIT=0"));
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
    assert!(screen.contains("too-new 3.13"), "{screen}");
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

    // Typed keys redraw the results first; the new entry's text follows
    // as soon as the keys stop.
    start_explorer(&t, "", &format!("--docs {}", html.display()));
    t.wait_for("Documentation (Python 3.15.2 docs");
    t.keys(&["PyList_New"]);
    let screen = t.wait_for("Return a new list of length");
    assert!(screen.contains("┌ PyList_New ─"), "{screen}");
    t.keys(&["C-c"]);
    assert!(assert_restored(&t).contains("EXIT=0"));
}

#[test]
fn the_first_screen_keys_work_while_typing() {
    if !tools(&["tmux"]) {
        return;
    }
    let t = Tmux::start(120, 40, &[]);
    start_explorer(&t, "", "PyBuffer_FillInfo");
    let screen = t.wait_for("int PyBuffer_FillInfo(");
    let hints = screen.lines().last().unwrap_or_default().to_string();
    assert!(hints.contains("<f1> help") && hints.contains("<A-c> copy…"), "{hints}");
    // F1: the help, without typing into the query.
    t.keys(&["F1"]);
    t.wait_for("Keys");
    t.keys(&["Escape"]);
    t.wait_until("the help closes", |s| !s.contains("show or hide the key help"));
    // Alt-C: the copy menu; Ctrl-T: the target picker.
    t.keys(&["M-c"]);
    t.wait_for("#define for the target");
    // Esc apart from the next key: an ESC the terminal sends right before
    // another byte reads as Alt with that key.
    t.keys(&["Escape"]);
    t.wait_until("the copy menu closes", |s| !s.contains("#define for the target"));
    t.keys(&["C-t"]);
    t.wait_for("free-threaded CPython");
    t.keys(&["Escape"]);
    let screen = t.wait_until("the picker closes", |s| !s.contains("free-threaded CPython"));
    let query = screen.lines().next().unwrap_or_default();
    assert!(
        query.starts_with("› PyBuffer_FillInfo "),
        "nothing was typed:\n{screen}"
    );
    // `?` is typed while the search has focus.
    t.keys(&["-l", "?"]);
    t.wait_for("› PyBuffer_FillInfo?");
    t.keys(&["C-c"]);
    assert!(assert_restored(&t).contains("EXIT=0"));
}

#[test]
fn picker_mode_prints_the_chosen_item_while_the_explorer_runs_on_the_terminal() {
    if !tools(&["tmux"]) {
        return;
    }
    let out = std::env::temp_dir().join(format!("abiscope-pick-{}", std::process::id()));
    let t = Tmux::start(120, 40, &[]);
    for (args, keys, expected, code) in [
        ("--print PyList_New", vec!["Enter"], "PyList_New\n", "EXIT=0"),
        (
            "--print=signature PyList_New",
            vec!["Enter"],
            "PyObject *PyList_New(Py_ssize_t len)\n",
            "EXIT=0",
        ),
        ("--print PyList_New", vec!["Escape", "Escape"], "", "EXIT=130"),
    ] {
        let _ = std::fs::remove_file(&out);
        // Standard output is a pipe into cat, then a file: the explorer
        // draws on the terminal all the same.
        start_explorer(
            &t,
            "",
            &format!("{args} | cat > {}; (exit ${{PIPESTATUS[0]}})", out.display()),
        );
        t.wait_for("› PyList_New");
        for key in keys {
            // One Esc clears the query, the next quits; apart, so that
            // two ESCs in one read are not Alt-Esc.
            t.keys(&[key]);
            if key == "Escape" {
                t.wait_until("the key is handled", |s| !s.contains("› PyList_New"));
            }
        }
        let screen = assert_restored(&t);
        assert!(screen.contains(code), "{args}: {screen}");
        assert_eq!(std::fs::read_to_string(&out).unwrap_or_default(), expected, "{args}");
    }
    let _ = std::fs::remove_file(&out);
}

#[test]
fn the_query_history_lasts_across_runs() {
    if !tools(&["tmux"]) {
        return;
    }
    let t = Tmux::start(120, 40, &[]);
    start_explorer(&t, "", "");
    t.wait_for(&format!("{0} / {0}", catalog_size()));
    t.keys(&["-l", "PyBuffer_Fill"]);
    t.wait_for(&format!("2 / {}", catalog_size()));
    t.keys(&["Enter", "C-c"]);
    assert_restored(&t);
    start_explorer(&t, "", "");
    t.wait_for(&format!("{0} / {0}", catalog_size()));
    t.keys(&["-l", "list"]);
    t.wait_for("› list");
    // Ctrl-P recalls the last query; Ctrl-N returns to what was typed.
    t.keys(&["C-p"]);
    t.wait_for("› PyBuffer_Fill ");
    t.keys(&["C-n"]);
    t.wait_for("› list ");
    t.keys(&["C-c"]);
    assert_restored(&t);
    let history = std::fs::read_to_string(t.state.join("abiscope/history")).expect("a history file");
    assert_eq!(history, "PyBuffer_Fill\nlist\n");
}

#[test]
fn a_dumb_terminal_is_refused_with_a_message() {
    let out = std::process::Command::new(BIN)
        .env("TERM", "dumb")
        .args(["--print", "PyList_New"])
        .output()
        .expect("abiscope runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("TERM=dumb") && err.contains("abiscope search"), "{err}");
    assert!(out.stdout.is_empty());
}
