//! The Python tools from `PyPI` that the packaging and format tests drive
//! (maturin, ziglang, pre-commit, cibuildwheel, jsonschema, setuptools,
//! wheel, uv, pipx), in the venv `scripts/python-tools.sh` makes under
//! `target/` (or `$ABISCOPE_PYTHON_TOOLS`), and the libtest-mimic harness
//! of every test file whose cases need tools or inputs (these, and the
//! `check` tests): it ignores a case whose inputs are missing with a note
//! saying why, and fails one whose tool is missing under
//! `ABISCOPE_REQUIRE_TOOLS` (as in CI).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::Arc;

use libtest_mimic::{Arguments, Failed, Trial};

/// One test: its name, why it cannot run (and whether that is a missing
/// tool rather than missing upstream inputs), and the test.
pub type Case<E> = (&'static str, Option<(String, bool)>, fn(&E) -> Result<(), Failed>);

/// Runs the cases as libtest-mimic trials.
pub fn run<E: Send + Sync + 'static>(env: E, cases: Vec<Case<E>>) -> ExitCode {
    let args = Arguments::from_args();
    let env = Arc::new(env);
    let require = std::env::var_os("ABISCOPE_REQUIRE_TOOLS").is_some();
    let mut notes = std::collections::BTreeSet::new();
    let trials = cases
        .into_iter()
        .map(|(name, missing, test)| match missing {
            None => {
                let env = Arc::clone(&env);
                Trial::test(name, move || test(&env))
            }
            Some((why, true)) if require => Trial::test(name, move || {
                Err(format!("{why} (ABISCOPE_REQUIRE_TOOLS is set)").into())
            }),
            Some((why, _)) => {
                notes.insert(why);
                Trial::test(name, || Ok(())).with_ignored_flag(true)
            }
        })
        .collect();
    for why in notes {
        eprintln!("note: {why}: the tests that need it are ignored");
    }
    libtest_mimic::run(&args, trials).exit_code()
}

/// The tools venv, if every tool the tests run is in it.
pub fn tools() -> Result<PathBuf, String> {
    let venv = std::env::var_os("ABISCOPE_PYTHON_TOOLS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/python-tools"),
        PathBuf::from,
    );
    let how = "run scripts/python-tools.sh, as .ci/run does";
    let python = venv.join("bin/python");
    if !python.is_file() {
        return Err(format!("no Python tools venv at {} ({how})", venv.display()));
    }
    let probe = "import cibuildwheel, jsonschema, setuptools, wheel, ziglang";
    if !runs(Command::new(&python).args(["-c", probe])) {
        return Err(format!("the Python tools at {} are incomplete ({how})", venv.display()));
    }
    for tool in ["maturin", "pre-commit", "uvx", "pipx"] {
        if !runs(Command::new(venv.join("bin").join(tool)).arg("--version")) {
            return Err(format!("no {tool} in {} ({how})", venv.display()));
        }
    }
    let has_maturin_wheel = std::fs::read_dir(venv.join("wheels")).is_ok_and(|d| {
        d.filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().starts_with("maturin-"))
    });
    if !has_maturin_wheel {
        return Err(format!("no maturin wheel in {}/wheels ({how})", venv.display()));
    }
    Ok(venv)
}

/// Whether a command runs and succeeds.
pub fn runs(cmd: &mut Command) -> bool {
    cmd.output().is_ok_and(|o| o.status.success())
}

/// `PATH` with `dir` first.
pub fn path_with(dir: &Path) -> OsString {
    let mut dirs = vec![dir.to_path_buf()];
    dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(dirs).unwrap_or_default()
}
