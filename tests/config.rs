//! Configuration files as a user writes them: one fixture per kind of
//! mistake, each refused with the file, the line, the column and what is
//! valid, exit status 2.

use assert_cmd::Command;

fn check(fixture: &str) -> (i32, String) {
    let path = format!("{}/tests/fixtures/config/{fixture}", env!("CARGO_MANIFEST_DIR"));
    let out = Command::cargo_bin("abiscope")
        .expect("the binary is built")
        .args(["--config", &path, "config", "--check"])
        .output()
        .expect("abiscope runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

fn assert_refused(fixture: &str, line_col: &str, expected: &[&str]) {
    let (code, text) = check(fixture);
    assert_eq!(code, 2, "{fixture}: {text}");
    assert!(text.contains(fixture), "names the file: {text}");
    assert!(text.contains(line_col), "says where ({line_col}): {text}");
    for e in expected {
        assert!(text.contains(e), "{fixture}: expected {e:?} in {text}");
    }
}

#[test]
fn bad_toml() {
    assert_refused("bad_toml.toml", "line 1, column", &["expected"]);
}

#[test]
fn unknown_key() {
    assert_refused(
        "unknown_key.toml",
        "line 2, column 1",
        &["colours", "`layout`, `target`, `docs`, `theme`, `keys`"],
    );
}

#[test]
fn unknown_theme_key() {
    assert_refused("unknown_theme_key.toml", "line 2, column 1", &["acent", "`accent`"]);
}

#[test]
fn unknown_action() {
    assert_refused(
        "unknown_action.toml",
        "line 3, column 1",
        &["frobnicate", "quit", "copy_name", "open_docs"],
    );
}

#[test]
fn bad_key() {
    assert_refused("bad_key.toml", "line 2, column 13", &["<C-yy>", "<C-y>", "<S-tab>"]);
}

#[test]
fn bad_colour() {
    assert_refused(
        "bad_colour.toml",
        "line 2, column 10",
        &["redish", "#rrggbb", "lightcyan"],
    );
}

#[test]
fn bad_layout() {
    assert_refused(
        "bad_layout.toml",
        "line 1, column 10",
        &["diagonal", "auto", "columns", "stacked"],
    );
}

#[test]
fn a_valid_file_passes() {
    let (code, text) = check("valid.toml");
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("valid"), "{text}");
}

#[test]
fn a_missing_explicit_file_is_an_error_but_a_missing_default_is_not() {
    let (code, text) = check("does_not_exist.toml");
    assert_eq!(code, 2, "{text}");
    let out = Command::cargo_bin("abiscope")
        .expect("the binary is built")
        .args(["config", "--check"])
        .env_remove("ABISCOPE_CONFIG")
        .env("XDG_CONFIG_HOME", "/nonexistent-abiscope-test")
        .output()
        .expect("abiscope runs");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("defaults apply"));
}

#[test]
fn a_keymap_without_a_way_out_is_refused() {
    let (code, text) = check("no_way_out.toml");
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("no_way_out.toml") && text.contains("quit and cancel both have no key"),
        "{text}"
    );
}

#[test]
fn ctrl_c_cannot_be_taken_from_quit() {
    let (code, text) = check("ctrl_c_rebound.toml");
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("copy_name: <C-c> always quits"), "{text}");
}
