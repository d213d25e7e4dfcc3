//! The target `check` takes from a project's build files when none is
//! given: one fixture project per build system (`tests/fixtures/buildfiles/`),
//! each asserting the target inferred and the file and line it came from,
//! and what follows from it (the exit status); `[tool.abiscope]` with its
//! defines and skipped paths; projects that disagree; mistakes in the table.

use assert_cmd::Command;

const FIXTURES: &str = "tests/fixtures/buildfiles";

/// `abiscope check ARGS` from the repository's root, without a configuration.
fn check(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("abiscope")
        .expect("the binary is built")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("ABISCOPE_CONFIG")
        .env("XDG_CONFIG_HOME", "/nonexistent-abiscope-test")
        .arg("check")
        .args(args)
        .output()
        .expect("abiscope runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn each_build_system_gives_its_target_and_says_where() {
    // PyType_GetName (3.11) is in every fixture's source: targets below
    // 3.11 fail, the others pass.
    let cases: &[(&str, &str, &str, i32)] = &[
        (
            "setuptools-cfg",
            "abi3 3.9",
            "setup.cfg:5 ([bdist_wheel] py_limited_api = cp39)",
            1,
        ),
        (
            "setuptools-py",
            "abi3 3.10",
            "setup.py:13 (py_limited_api \"cp310\"), tests/fixtures/buildfiles/setuptools-py/setup.py:9 (Py_LIMITED_API=0x030A0000)",
            1,
        ),
        (
            "setuptools-pyproject",
            "abi3 3.11",
            "pyproject.toml:10 ([tool.distutils.bdist_wheel] py-limited-api = \"cp311\")",
            0,
        ),
        (
            "scikit-build-core",
            "abi3 3.9",
            "pyproject.toml:10 ([tool.scikit-build] wheel.py-api = \"cp39\"), tests/fixtures/buildfiles/scikit-build-core/CMakeLists.txt:4 (USE_SABI 3.9)",
            1,
        ),
        ("meson-python", "abi3 3.10", "meson.build:6 (limited_api: '3.10')", 1),
        (
            "nanobind",
            "abi3 3.12",
            "CMakeLists.txt:7 (nanobind_add_module(... STABLE_ABI): the Stable ABI from 3.12, nanobind's first)",
            0,
        ),
        (
            "maturin",
            "abi3 3.9",
            "pyproject.toml:10 ([tool.maturin] features: pyo3/abi3-py39)",
            1,
        ),
        ("pyo3-cargo", "abi3 3.10", "Cargo.toml:10 (pyo3 feature abi3-py310)", 1),
        (
            "abiscope-table",
            "abi3 3.12 + abi3t 3.15",
            "pyproject.toml:5 ([tool.abiscope] target = \"abi3=3.12,abi3t=3.15\")",
            0,
        ),
    ];
    for (fixture, target, from, status) in cases {
        let dir = format!("{FIXTURES}/{fixture}");
        let (code, out, err) = check(&[&dir]);
        let first = out.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            format!("Target {target} from the build files: {dir}/{from}"),
            "{fixture}: {out}{err}"
        );
        assert_eq!(code, *status, "{fixture}: exit status\n{out}{err}");
        // JSON says the same: the target and where it came from.
        let (_, json, _) = check(&["--json", &dir]);
        let json: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        assert_eq!(json["target"], *target, "{fixture}");
        assert_eq!(json["target_from"], first, "{fixture}");
    }
}

#[test]
fn the_command_line_wins() {
    let dir = format!("{FIXTURES}/setuptools-cfg");
    let (code, out, _) = check(&["--target", "abi3=3.11", &dir]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("from the build files"), "{out}");
    // The table's SPAM_FAST=1 takes the 3.11 branch; -U takes the other,
    // which uses a private name.
    let dir = format!("{FIXTURES}/abiscope-table");
    let (code, out, _) = check(&["-U", "SPAM_FAST", &dir]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("_PyType_Name"), "{out}");
}

#[test]
fn skipped_paths_are_left_out_and_said() {
    let dir = format!("{FIXTURES}/abiscope-table");
    let (code, out, _) = check(&["--json", &dir]);
    assert_eq!(code, 0, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(json["inputs"]["sources"], 1, "vendor/old.c is not read");
    let skipped = json["skipped"].as_array().expect("skipped");
    assert!(
        skipped
            .iter()
            .any(|s| s["path"].as_str().is_some_and(|p| p.ends_with("vendor"))
                && s["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("[tool.abiscope] skip"))),
        "{skipped:?}"
    );
    // Named on the command line (as pre-commit names files), still skipped.
    let (code, out, _) = check(&[&format!("{dir}/vendor/old.c"), &format!("{dir}/src/spam.c")]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("PyList_GET_ITEM"), "{out}");
}

#[test]
fn projects_that_disagree_give_no_target() {
    let a = format!("{FIXTURES}/setuptools-cfg");
    let b = format!("{FIXTURES}/meson-python");
    let (_, out, _) = check(&[&a, &b]);
    let first = out.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("No target taken: the projects declare different ones, abi3 3.10 (")
            && first.ends_with("; --target settles it."),
        "{out}"
    );
}

#[test]
fn wheels_and_modules_take_no_target_from_the_build_files() {
    // A path that is not a source or directory has no project.
    let (_, out, err) = check(&[&format!("{FIXTURES}/setuptools-cfg/setup.py")]);
    assert!(!out.contains("from the build files"), "{out}{err}");
}

#[test]
fn a_broken_table_stops_check_with_the_line() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[project]\nname = \"x\"\n\n[tool.abiscope]\ntarget = \"abi3=3.99\"\n",
    )
    .expect("written");
    std::fs::write(dir.path().join("x.c"), "int x;\n").expect("written");
    let path = dir.path().join("x.c");
    let (code, _, err) = check(&[path.to_str().expect("UTF-8")]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("pyproject.toml") && err.contains("line 5") && err.contains("invalid version '3.99'"),
        "{err}"
    );
}
