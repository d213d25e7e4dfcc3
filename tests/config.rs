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
        &["colours", "`layout`, `target`, `build_python`, `docs`, `theme`, `keys`"],
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

/// Where `config --path` looks on Linux: `$XDG_CONFIG_HOME`, else
/// `~/.config`, as the XDG base directories say.
#[test]
fn the_default_path_follows_xdg_on_linux() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let path = |env: &[(&str, &str)], remove: &[&str]| {
        let mut cmd = Command::cargo_bin("abiscope").expect("the binary is built");
        cmd.args(["config", "--path"]).env_remove("ABISCOPE_CONFIG");
        for k in remove {
            cmd.env_remove(k);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("abiscope runs");
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(
        path(&[("XDG_CONFIG_HOME", "/xdg"), ("HOME", "/home/u")], &[]),
        "/xdg/abiscope/config.toml\n"
    );
    assert_eq!(
        path(&[("HOME", "/home/u")], &["XDG_CONFIG_HOME"]),
        "/home/u/.config/abiscope/config.toml\n"
    );
    // A relative XDG_CONFIG_HOME is ignored, as the specification says.
    assert_eq!(
        path(&[("XDG_CONFIG_HOME", "relative"), ("HOME", "/home/u")], &[]),
        "/home/u/.config/abiscope/config.toml\n"
    );
}

/// The other platforms' directories, computed here by the same code the
/// binary runs there: a child process of this test (the environment is
/// the child's own) prints them. Windows finds `%APPDATA%` without `HOME`.
#[test]
fn every_platform_has_a_config_directory() {
    let child = |env: &[(&str, &str)]| {
        let mut cmd = std::process::Command::new(std::env::current_exe().expect("the test binary"));
        cmd.args(["--exact", "print_platform_dirs", "--nocapture", "--test-threads", "1"])
            .env("ABISCOPE_PRINT_DIRS", "1");
        for k in ["HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "APPDATA", "LOCALAPPDATA"] {
            cmd.env_remove(k);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("the child runs");
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        move |key: &str| {
            text.lines()
                // libtest may print the test's name before its first line.
                .find_map(|l| l.split_once(&format!("{key}=")).map(|(_, v)| v))
                .unwrap_or_else(|| panic!("{key} not printed: {text}"))
                .to_string()
        }
    };
    let windows = child(&[("APPDATA", "/roaming"), ("LOCALAPPDATA", "/local")]);
    assert_eq!(windows("windows.config"), "/roaming/abiscope");
    assert_eq!(windows("windows.state"), "/local/abiscope");
    let home = child(&[("HOME", "/home/u")]);
    assert_eq!(home("macos.config"), "/home/u/Library/Application Support/abiscope");
    assert_eq!(home("macos.state"), "/home/u/Library/Application Support/abiscope");
    assert_eq!(home("windows.config"), "/home/u/AppData/Roaming/abiscope");
    assert_eq!(home("xdg.config"), "/home/u/.config/abiscope");
    assert_eq!(home("xdg.state"), "/home/u/.local/state/abiscope");
    let xdg = child(&[("HOME", "/home/u"), ("XDG_CONFIG_HOME", "/c"), ("XDG_STATE_HOME", "/s")]);
    assert_eq!(xdg("xdg.config"), "/c/abiscope");
    assert_eq!(xdg("xdg.state"), "/s/abiscope");
}

/// The child of [`every_platform_has_a_config_directory`]; does nothing
/// when run as a test of its own.
#[test]
fn print_platform_dirs() {
    use abiscope::dirs::{Platform, config, state};
    if std::env::var_os("ABISCOPE_PRINT_DIRS").is_none() {
        return;
    }
    for (name, platform) in [
        ("xdg", Platform::Xdg),
        ("macos", Platform::MacOs),
        ("windows", Platform::Windows),
    ] {
        let show = |p: Result<std::path::PathBuf, _>| {
            p.map_or_else(|e: abiscope::dirs::NoHome| e.to_string(), |p| p.display().to_string())
        };
        println!("{name}.config={}", show(config(platform)));
        println!("{name}.state={}", show(state(platform)));
    }
}
