//! `abiscope check` on code as real projects have it, with the compiler as
//! the judge: C that Cython generates (in the test, from a `.pyx`), C that
//! cffi generates, a nanobind-style C++ file, and the reductions of real
//! published code in `../shared/check-reductions/`; and two real
//! `cp315-abi3.abi3t` wheels from PyPI that load on free-threaded 3.15.
//!
//! The expected answers are never abiscope's own: each file is compiled
//! with gcc (g++) against the headers of every release the inputs have, at
//! every `Py_LIMITED_API`, and with `Py_TARGET_ABI3T`, and abiscope must
//! agree with what compiles:
//! - with `--build-python 3.15`, its lowest abi3 version is the lowest
//!   `Py_LIMITED_API` from which the file compiles against the 3.15 headers;
//! - for each release R, `--target abi3=R` passes exactly when the file
//!   compiles against R's own headers at `Py_LIMITED_API` R;
//! - `--target abi3t=3.15` passes exactly when it compiles with
//!   `Py_TARGET_ABI3T`.
//!
//! What a test needs (the upstream inputs, gcc, g++, Cython, cffi) is looked
//! for first; without it the test is ignored with a note, and with
//! `ABISCOPE_REQUIRE_TOOLS` set (as in CI) a missing tool fails instead.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output};

use libtest_mimic::Failed;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_abiscope");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/generated");

/// The releases whose headers the inputs have, newest last, with their
/// include directories.
struct Env {
    releases: Vec<(u8, PathBuf)>,
    reductions: Option<PathBuf>,
    cc: Option<String>,
    cxx: Option<String>,
    cython: Option<String>,
    cffi: Option<String>,
    /// Real `cp315-abi3.abi3t` wheels from PyPI, fetched by
    /// `scripts/python-tools.sh`.
    abi3t_wheels: Vec<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    Upstream,
    Reductions,
    Cc,
    Cxx,
    Cython,
    Cffi,
    Abi3tWheels,
}

type Test = fn(&Env) -> Result<(), Failed>;

fn main() -> ExitCode {
    let env = Env::find();
    let tests: &[(&str, &[Need], Test)] = &[
        (
            "the_reductions_of_real_code_build_at_their_own_setting",
            &[Need::Upstream, Need::Reductions, Need::Cc],
            reductions,
        ),
        (
            "cython_output_is_judged_as_the_compiler_judges_it",
            &[Need::Upstream, Need::Cc, Need::Cython],
            cython,
        ),
        (
            "cffi_output_is_judged_as_the_compiler_judges_it",
            &[Need::Upstream, Need::Cc, Need::Cffi],
            cffi,
        ),
        (
            "nanobind_style_cpp_is_judged_as_the_compiler_judges_it",
            &[Need::Upstream, Need::Cxx],
            nanobind_style,
        ),
        (
            "real_abi3t_wheels_that_load_are_abi3t_clean",
            &[Need::Abi3tWheels],
            real_abi3t_wheels,
        ),
    ];
    let cases = tests
        .iter()
        .map(|&(name, needs, test)| (name, env.missing(needs), test))
        .collect();
    common::python::run(env, cases)
}

fn works(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

impl Env {
    fn find() -> Env {
        let mut releases = Vec::new();
        if let Ok(upstream) = common::Upstream::find() {
            let history = upstream.root.join("cpython-history");
            for entry in std::fs::read_dir(&history).into_iter().flatten().filter_map(Result::ok) {
                let name = entry.file_name().to_string_lossy().into_owned();
                if let Some(minor) = name.strip_prefix("3.").and_then(|m| m.parse::<u8>().ok()) {
                    releases.push((minor, entry.path().join("include")));
                }
            }
            releases.push((15, upstream.include()));
            releases.sort();
        }
        let reductions = Some(common::upstream_dir().join("../check-reductions")).filter(|p| p.is_dir());
        let cxx = std::env::var("CXX").unwrap_or_else(|_| "g++".to_string());
        // The venv of scripts/python-tools.sh (as .ci/run makes it), else
        // what the PATH has.
        let venv = std::env::var_os("ABISCOPE_PYTHON_TOOLS").map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/python-tools"),
            PathBuf::from,
        );
        let tool = |name: &str| {
            let local = venv.join("bin").join(name);
            if local.exists() {
                local.display().to_string()
            } else {
                name.to_string()
            }
        };
        let python = tool("python3");
        let mut abi3t_wheels: Vec<PathBuf> = std::fs::read_dir(venv.join("abi3t-wheels"))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "whl"))
            .collect();
        abi3t_wheels.sort();
        let cython = tool("cython");
        Env {
            releases,
            reductions,
            cc: common::c_compiler().ok(),
            cxx: works(&cxx, &["--version"]).then_some(cxx),
            cython: works(&cython, &["--version"]).then_some(cython),
            cffi: works(&python, &["-c", "import cffi"]).then_some(python),
            abi3t_wheels,
        }
    }

    /// Why a test cannot run, and whether that is a missing tool.
    fn missing(&self, needs: &[Need]) -> Option<(String, bool)> {
        needs.iter().find_map(|need| match need {
            Need::Upstream if self.releases.is_empty() => Some(common::no_upstream()),
            Need::Reductions if self.reductions.is_none() => {
                Some(("../shared/check-reductions not found".to_string(), false))
            }
            Need::Cc if self.cc.is_none() => Some(common::no_c_compiler()),
            Need::Cxx if self.cxx.is_none() => Some(("no C++ compiler (apt-get install g++)".to_string(), true)),
            Need::Cython if self.cython.is_none() => Some(("no Cython (scripts/python-tools.sh)".to_string(), true)),
            Need::Cffi if self.cffi.is_none() => Some(("no cffi (scripts/python-tools.sh)".to_string(), true)),
            Need::Abi3tWheels if self.abi3t_wheels.len() < 2 => Some((
                "no real abi3t wheels (scripts/python-tools.sh fetches them)".to_string(),
                true,
            )),
            _ => None,
        })
    }

    fn newest(&self) -> Result<&Path, Failed> {
        self.releases
            .last()
            .map(|(_, p)| p.as_path())
            .ok_or_else(|| "no headers".into())
    }

    fn headers(&self, minor: u8) -> Option<&Path> {
        self.releases
            .iter()
            .find(|(m, _)| *m == minor)
            .map(|(_, p)| p.as_path())
    }

    /// Whether `file` compiles (syntax and types) with these headers and
    /// defines.
    fn compiles(&self, file: &Path, include: &Path, defines: &[String]) -> Result<bool, Failed> {
        let cpp = file.extension().is_some_and(|e| e == "cpp");
        let compiler = if cpp { self.cxx.as_deref() } else { self.cc.as_deref() }.ok_or("no compiler")?;
        let mut cmd = Command::new(compiler);
        if cpp {
            cmd.arg("-std=c++17");
        }
        let out = cmd
            .args(["-fsyntax-only", "-w", "-I"])
            .arg(include)
            .args(defines)
            .arg(file)
            .output()
            .map_err(|e| format!("{compiler}: {e}"))?;
        Ok(out.status.success())
    }
}

fn limited(minor: u8) -> String {
    format!("-DPy_LIMITED_API=0x03{minor:02X}0000")
}

fn abiscope(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("ABISCOPE_CONFIG")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .output()
        .expect("abiscope runs")
}

fn json(out: &Output) -> Result<Value, Failed> {
    serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("invalid JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)).into())
}

fn names(uses: &Value) -> Vec<String> {
    let mut names: Vec<String> = uses
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["name"].as_str().map(String::from))
        .collect();
    names.dedup();
    names
}

fn check(cond: bool, what: impl FnOnce() -> String) -> Result<(), Failed> {
    if cond { Ok(()) } else { Err(what().into()) }
}

#[allow(clippy::needless_pass_by_value)] // call sites read better with values
fn eq<T: PartialEq + std::fmt::Debug>(got: T, want: T, what: &str) -> Result<(), Failed> {
    check(got == want, || format!("{what}: got {got:?}, want {want:?}"))
}

/// The three comparisons with the compiler, for one file.
fn agrees_with_the_compiler(env: &Env, file: &Path) -> Result<(), Failed> {
    let shown = file.display().to_string();
    // With the 3.15 headers at every Py_LIMITED_API: the lowest version
    // from which every newer one compiles.
    let newest = env.newest()?;
    let mut lowest = None;
    for minor in (2..=15).rev() {
        if env.compiles(file, newest, &[limited(minor)])? {
            lowest = Some(minor);
        } else {
            break;
        }
    }
    let report = json(&abiscope(&["check", "--json", "--build-python", "3.15", &shown]))?;
    eq(
        report["min_version"]["abi3"].as_str().map(String::from),
        lowest.map(|m| format!("3.{m}")),
        &format!("{shown}: lowest abi3 with the 3.15 headers"),
    )?;
    // Each release's own headers at its own version.
    for (minor, include) in &env.releases {
        let compiles = env.compiles(file, include, &[limited(*minor)])?;
        let target = format!("abi3=3.{minor}");
        let out = abiscope(&["check", &shown, "--target", &target]);
        eq(
            out.status.code() == Some(0),
            compiles,
            &format!(
                "{shown}: --target {target} passes exactly when the 3.{minor} headers compile it:\n{}",
                String::from_utf8_lossy(&out.stdout)
            ),
        )?;
    }
    // abi3t.
    let compiles = env.compiles(file, newest, &["-DPy_TARGET_ABI3T=0x030F0000".to_string()])?;
    let out = abiscope(&["check", &shown, "--target", "abi3t=3.15"]);
    eq(
        out.status.code() == Some(0),
        compiles,
        &format!(
            "{shown}: --target abi3t=3.15 passes exactly when it compiles with Py_TARGET_ABI3T:\n{}",
            String::from_utf8_lossy(&out.stdout)
        ),
    )
}

/// Each reduction compiles at its own `Py_LIMITED_API` (the premise), and
/// abiscope finds nothing blocking there.
fn reductions(env: &Env) -> Result<(), Failed> {
    let dir = env.reductions.as_ref().ok_or("no reductions")?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "c"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err("no reductions found".into());
    }
    for file in &files {
        let shown = file.display().to_string();
        let text = std::fs::read_to_string(file)?;
        let own = text
            .lines()
            .find_map(|l| l.strip_prefix("#define Py_LIMITED_API 0x03"))
            .and_then(|rest| u8::from_str_radix(rest.get(..2)?, 16).ok())
            .ok_or_else(|| format!("{shown}: no Py_LIMITED_API of its own"))?;
        if !env.compiles(file, env.newest()?, &[])? {
            return Err(format!("{shown} does not compile at its own setting: not a reduction").into());
        }
        let out = abiscope(&["check", "--json", &shown]);
        eq(out.status.code(), Some(0), &format!("{shown}: exit status"))?;
        let report = json(&out)?;
        eq(
            names(&report["blockers"]["abi3"]),
            Vec::new(),
            &format!("{shown}: abi3 blockers"),
        )?;
        eq(
            report["findings"].clone(),
            Value::Array(Vec::new()),
            &format!("{shown}: findings"),
        )?;
        let min = report["min_version"]["abi3"].as_str();
        let fits = min
            .and_then(|v| v.strip_prefix("3."))
            .and_then(|m| m.parse::<u8>().ok())
            .is_some_and(|m| m <= own);
        if !(fits || report["nothing_used"] == true) {
            return Err(format!("{shown}: lowest abi3 {min:?}, above its own 3.{own}").into());
        }
        let target = format!("abi3=3.{own}");
        let out = abiscope(&["check", &shown, "--target", &target]);
        eq(out.status.code(), Some(0), &format!("{shown} --target {target}"))?;
        // With the release's headers of the file's own version too, where
        // the inputs have them.
        if let Some(include) = env.headers(own) {
            eq(
                env.compiles(file, include, &[])?,
                true,
                &format!("{shown} with its own release's headers"),
            )?;
        }
    }
    Ok(())
}

fn cython(env: &Env) -> Result<(), Failed> {
    let dir = tempfile::tempdir()?;
    let pyx = dir.path().join("counter.pyx");
    std::fs::copy(Path::new(FIXTURES).join("counter.pyx"), &pyx)?;
    let c = dir.path().join("counter.c");
    let cython = env.cython.as_deref().ok_or("no cython")?;
    let out = Command::new(cython).arg("-3").arg(&pyx).arg("-o").arg(&c).output()?;
    if !out.status.success() {
        return Err(format!("cython failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    agrees_with_the_compiler(env, &c)?;
    // Cython's preamble refuses versions before its minimum with #error,
    // and abiscope says so rather than a lower version.
    let report = json(&abiscope(&["check", "--json", &c.display().to_string()]))?;
    let refusals = report["refusals"].as_array().ok_or("refusals")?;
    if !refusals
        .iter()
        .any(|r| r["message"].as_str().is_some_and(|m| m.contains("Cython")))
    {
        return Err(format!("no #error refusal reported: {refusals:?}").into());
    }
    Ok(())
}

fn cffi(env: &Env) -> Result<(), Failed> {
    let dir = tempfile::tempdir()?;
    let python = env.cffi.as_deref().ok_or("no cffi")?;
    let script = "import cffi, sys\n\
        ffi = cffi.FFI()\n\
        ffi.cdef('int add(int, int); double scale(double, double);')\n\
        ffi.set_source('_demo', 'static int add(int a, int b) { return a + b; }\\n\
        static double scale(double x, double f) { return x * f; }', py_limited_api=True)\n\
        ffi.emit_c_code(sys.argv[1])\n";
    let c = dir.path().join("_demo.c");
    let out = Command::new(python).args(["-c", script]).arg(&c).output()?;
    if !out.status.success() {
        return Err(format!("cffi failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    agrees_with_the_compiler(env, &c)?;
    // A cffi module has no PyModuleDef of its own: abi3t is fine, as its
    // real `abi3.abi3t` wheels are.
    let report = json(&abiscope(&["check", "--json", &c.display().to_string()]))?;
    eq(
        report["min_version"]["abi3t"].as_str(),
        Some("3.15"),
        "cffi output under abi3t",
    )
}

fn nanobind_style(env: &Env) -> Result<(), Failed> {
    let file = Path::new(FIXTURES).join("nanobind_style.cpp");
    agrees_with_the_compiler(env, &file)?;
    // The build macro nothing defines is said, and a blocker comes with
    // its place and what to use instead.
    let out = abiscope(&["check", "--json", "--target", "abi3t=3.15", &file.display().to_string()]);
    let report = json(&out)?;
    eq(
        names(&report["assumed_undefined"]),
        vec!["NB_STACKTRACE".to_string()],
        "assumed undefined",
    )?;
    let blocker = &report["blockers"]["abi3t"][0];
    eq(blocker["name"].as_str(), Some("PyObject_HEAD"), "the abi3t blocker")?;
    eq(
        (
            blocker["locations"][0]["line"].as_u64(),
            blocker["locations"][0]["column"].as_u64(),
        ),
        (Some(27), Some(5)),
        "its place",
    )?;
    eq(
        blocker["alternatives"].as_array().is_some_and(|a| !a.is_empty()),
        true,
        "its alternatives",
    )?;
    // Defining the macro on the command line brings its code in.
    let out = abiscope(&["check", "--json", "-D", "NB_STACKTRACE", &file.display().to_string()]);
    let report = json(&out)?;
    let used = names(&report["uses"]);
    eq(used.contains(&"PyFrame_GetCode".to_string()), true, "-D NB_STACKTRACE")
}

/// cryptography's (PyO3, `PyModExport_*`) and argon2-cffi-bindings' (cffi,
/// `PyInit_*` without a `PyModuleDef`) `cp315-abi3.abi3t` wheels load on
/// free-threaded 3.15: abiscope must find nothing against abi3t.
fn real_abi3t_wheels(env: &Env) -> Result<(), Failed> {
    for wheel in &env.abi3t_wheels {
        let shown = wheel.display().to_string();
        let out = abiscope(&["check", "--json", "--target", "abi3=3.15,abi3t=3.15", &shown]);
        let report = json(&out)?;
        eq(
            out.status.code(),
            Some(0),
            &format!("{shown}: {}", String::from_utf8_lossy(&out.stdout)),
        )?;
        eq(
            report["min_version"]["abi3t"].as_str(),
            Some("3.15"),
            &format!("{shown}: abi3t"),
        )?;
        eq(
            names(&report["blockers"]["abi3t"]),
            Vec::new(),
            &format!("{shown}: abi3t blockers"),
        )?;
    }
    Ok(())
}
