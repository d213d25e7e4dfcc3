//! `abiscope check` against real things: C extensions compiled here with the
//! system compiler against the 3.15.2 headers (at several `Py_LIMITED_API`
//! values and without it), Windows DLLs built with MinGW, Mach-O bundles
//! built with clang and lld, wheels packed from them by the test, and
//! hostile inputs (truncated and corrupted binaries, a zip bomb, `../`
//! member names, a 2 GB sparse file, a module with 100,000 symbols).
//!
//! What a test needs (the upstream headers, a C compiler, MinGW, clang and
//! lld) is looked for first. Without it the test is ignored and a note says
//! why; with `ABISCOPE_REQUIRE_TOOLS` set (as in CI) a missing tool fails
//! instead. Missing upstream inputs only ever ignore.

mod common;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output, Stdio};

use abiscope::catalog::Catalog;
use abiscope::check::{Input, Limits, Report};
use libtest_mimic::Failed;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_abiscope");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/check");

/// What the machine offers the tests.
#[derive(Debug, Default)]
struct Env {
    include: Option<PathBuf>,
    cc: Option<String>,
    mingw: Option<(String, String)>,
    macho: Option<(String, String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    Headers,
    Cc,
    Mingw,
    MachO,
}

type Test = fn(&Env) -> Result<(), Failed>;
/// A module case: fixture, defines, module name, abi3, abi3t, abi3 blockers, abi3t blockers.
type Case<'a> = (
    &'a str,
    &'a [&'a str],
    &'a str,
    &'a str,
    &'a str,
    &'a [&'a str],
    &'a [&'a str],
);
/// A wheel case: file name, members, `WHEEL` tags, exit status.
type Wheel<'a> = (&'a str, Vec<(&'a str, Vec<u8>)>, Vec<String>, i32);

fn main() -> ExitCode {
    let env = Env::find();
    let tests: &[(&str, &[Need], Test)] = &[
        ("sources_report_exactly", &[], sources_report_exactly),
        ("rust_sources_through_pyo3_ffi", &[], rust_sources),
        ("a_files_own_setting_is_its_target", &[], |_| own_setting_is_a_target()),
        (
            "a_tree_with_its_build_flags_and_a_copy_of_the_headers",
            &[Need::Headers],
            tree_with_flags_and_headers,
        ),
        (
            "modules_built_at_each_limited_api_version",
            &[Need::Headers, Need::Cc],
            modules_at_each_version,
        ),
        (
            "wheels_report_tags_that_contradict_their_modules",
            &[Need::Headers, Need::Cc],
            wheels_report_mismatches,
        ),
        (
            "standard_input_names_and_nm_output",
            &[Need::Headers, Need::Cc],
            stdin_inputs,
        ),
        ("pe_modules_built_with_mingw", &[Need::Mingw], pe_modules),
        ("macho_bundles_built_with_clang_and_lld", &[Need::MachO], macho_bundles),
        ("exit_codes_follow_the_target", &[], exit_codes),
        (
            "unreadable_inputs_are_named_and_the_rest_reported",
            &[],
            unreadable_inputs,
        ),
        (
            "truncated_and_corrupted_binaries_never_panic",
            &[Need::Cc],
            hostile_binaries,
        ),
        ("a_zip_bomb_is_refused_in_bounded_memory", &[], zip_bomb),
        (
            "wheel_members_outside_the_package_are_reported",
            &[Need::Cc],
            unsafe_paths,
        ),
        ("a_2gb_sparse_file_is_refused_without_reading_it", &[], sparse_file),
        ("a_module_with_100000_symbols", &[Need::Cc], many_symbols),
    ];
    let cases = tests
        .iter()
        .map(|&(name, needs, test)| (name, env.missing(needs), test))
        .collect();
    common::python::run(env, cases)
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// The first of `names` that runs, also looking in LLVM's own directories.
fn first_tool(names: &[&str]) -> Option<String> {
    let llvm_dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib")
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path().join("bin"))
                .filter(|p| p.to_string_lossy().contains("llvm"))
                .collect()
        })
        .unwrap_or_default();
    names.iter().find_map(|n| {
        if have(n) {
            return Some((*n).to_string());
        }
        llvm_dirs
            .iter()
            .map(|d| d.join(n))
            .find(|p| p.exists())
            .map(|p| p.display().to_string())
    })
}

impl Env {
    fn find() -> Env {
        let include = common::Upstream::find().ok().map(|u| u.include());
        let cc = common::c_compiler().ok();
        let mingw = have("x86_64-w64-mingw32-gcc").then(|| {
            (
                "x86_64-w64-mingw32-gcc".to_string(),
                "x86_64-w64-mingw32-dlltool".to_string(),
            )
        });
        let macho = (|| {
            let clang = first_tool(&["clang", "clang-14", "clang-15", "clang-16"])?;
            let ld = first_tool(&["ld64.lld", "ld64.lld-14", "ld64.lld-15", "ld64.lld-16"])?;
            let lipo = first_tool(&["llvm-lipo", "llvm-lipo-14", "llvm-lipo-15", "llvm-lipo-16"])?;
            Some((clang, ld, lipo))
        })();
        Env {
            include,
            cc,
            mingw,
            macho,
        }
    }

    /// Why a test cannot run, and whether that is a missing tool.
    fn missing(&self, needs: &[Need]) -> Option<(String, bool)> {
        needs.iter().find_map(|need| match need {
            Need::Headers if self.include.is_none() => Some(common::no_upstream()),
            Need::Cc if self.cc.is_none() => Some(common::no_c_compiler()),
            Need::Mingw if self.mingw.is_none() => Some((
                "no MinGW-w64 (apt-get install gcc-mingw-w64-x86-64-win32)".to_string(),
                true,
            )),
            Need::MachO if self.macho.is_none() => Some((
                "no clang, ld64.lld and llvm-lipo (apt-get install clang lld llvm)".to_string(),
                true,
            )),
            _ => None,
        })
    }

    fn cc(&self) -> &str {
        self.cc.as_deref().unwrap_or("cc")
    }

    /// Compiles a fixture into a shared object against the 3.15.2 headers.
    fn build(&self, dir: &Path, fixture: &str, defines: &[&str], out: &str) -> Result<PathBuf, Failed> {
        let include = self.include.as_ref().ok_or("no headers")?;
        let path = dir.join(out);
        run(Command::new(self.cc())
            .args(["-shared", "-fPIC", "-O2", "-w", "-I"])
            .arg(include)
            .args(defines)
            .arg(Path::new(FIXTURES).join(fixture))
            .arg("-o")
            .arg(&path))?;
        Ok(path)
    }
}

/// Runs a build command; its stderr is the error.
fn run(cmd: &mut Command) -> Result<(), Failed> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed:\n{}", String::from_utf8_lossy(&out.stderr)).into())
    }
}

/// `abiscope ARGS` in `dir`, with `stdin`.
fn abiscope(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .env_remove("ABISCOPE_CONFIG")
        .env("XDG_CONFIG_HOME", dir.join("no-config"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run abiscope");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin).expect("write stdin");
    drop(input);
    child.wait_with_output().expect("abiscope finishes")
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(out: &Output) -> Result<Value, Failed> {
    serde_json::from_slice(&out.stdout).map_err(|e| format!("invalid JSON ({e}): {}", text(out)).into())
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// Sorted unique names in a JSON list of uses.
fn names(uses: &Value) -> Vec<String> {
    let mut names: Vec<String> = uses
        .as_array()
        .map(|a| a.iter().filter_map(|u| u["name"].as_str().map(String::from)).collect())
        .unwrap_or_default();
    names.sort();
    names.dedup();
    names
}

/// `{"abi3": ..., "abi3t": ...}` as a pair of strings ("none" for null).
fn versions(v: &Value) -> (String, String) {
    let s = |v: &Value| v.as_str().unwrap_or("none").to_string();
    (s(&v["abi3"]), s(&v["abi3t"]))
}

fn check(cond: bool, what: impl FnOnce() -> String) -> Result<(), Failed> {
    if cond { Ok(()) } else { Err(what().into()) }
}

#[allow(clippy::needless_pass_by_value)] // call sites read better with values
fn eq<T: PartialEq + std::fmt::Debug>(got: T, want: T, what: &str) -> Result<(), Failed> {
    check(got == want, || format!("{what}: got {got:?}, want {want:?}"))
}

/// Packs a wheel: `members` as (name, bytes), plus a `WHEEL` file.
fn pack(path: &Path, members: &[(&str, Vec<u8>)], wheel_tags: &[&str]) -> Result<(), Failed> {
    let file = std::fs::File::create(path)?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in members {
        zip.start_file(*name, options)?;
        zip.write_all(data)?;
    }
    if !wheel_tags.is_empty() {
        let dist = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.split('-').take(2).collect::<Vec<_>>().join("-").into())
            .unwrap_or_default();
        zip.start_file(format!("{dist}.dist-info/WHEEL"), options)?;
        let mut meta = String::from("Wheel-Version: 1.0\nGenerator: abiscope-tests\nRoot-Is-Purelib: false\n");
        for tag in wheel_tags {
            let _ = writeln!(meta, "Tag: {tag}");
        }
        zip.write_all(meta.as_bytes())?;
    }
    zip.finish()?;
    Ok(())
}

/// A report's errors as `path: message` lines.
fn errors(report: &Value) -> Result<Vec<String>, Failed> {
    let errors = report["errors"].as_array().ok_or("no errors key")?;
    Ok(errors
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                e["path"].as_str().unwrap_or(""),
                e["message"].as_str().unwrap_or("")
            )
        })
        .collect())
}

fn tempdir() -> Result<tempfile::TempDir, Failed> {
    Ok(tempfile::Builder::new().prefix("abiscope-check-").tempdir()?)
}

// ---------------------------------------------------------------------------
// Sources

fn sources_report_exactly(_: &Env) -> Result<(), Failed> {
    let fixtures = Path::new(FIXTURES);
    let out = abiscope(
        fixtures,
        &["check", "counter.c", "modern.c", "fullapi.c", "freethreaded.c"],
        b"",
    );
    eq(code(&out), 0, "exit status without a target")?;
    insta::assert_snapshot!("check_sources", text(&out));

    let out = abiscope(fixtures, &["check", "--json", "counter.c"], b"");
    let report = json(&out)?;
    eq(
        versions(&report["min_version"]),
        ("3.2".into(), "none".into()),
        "counter.c needs",
    )?;
    eq(
        names(&report["blockers"]["abi3t"]),
        vec!["PyModuleDef".to_string(), "PyModuleDef_HEAD_INIT".into()],
        "counter.c abi3t blockers: its static PyModuleDef, not PyInit_counter (PEP 803 keeps it)",
    )?;
    let settings: Vec<(String, bool)> = report["settings"]
        .as_array()
        .ok_or("settings")?
        .iter()
        .map(|s| (s["name"].as_str().unwrap_or_default().to_string(), s["defined"] == true))
        .collect();
    eq(settings, vec![("PY_SSIZE_T_CLEAN".to_string(), true)], "settings")?;
    let first = &report["uses"][0];
    eq(
        (
            first["name"].as_str(),
            first["locations"][0]["line"].as_u64(),
            first["locations"][0]["column"].as_u64(),
        ),
        (Some("PyObject"), Some(5), Some(8)),
        "first use and its location",
    )?;

    // Guarded code: each branch counts only for the builds that compile it.
    let out = abiscope(fixtures, &["check", "--json", "modern.c"], b"");
    let report = json(&out)?;
    eq(versions(&report["min_version"]).0, "3.13".into(), "modern.c abi3")?;
    let raised: Vec<&str> = report["uses"]
        .as_array()
        .ok_or("uses")?
        .iter()
        .filter(|u| u["needs"]["abi3"] == "3.13")
        .filter_map(|u| u["name"].as_str())
        .collect();
    eq(raised, vec!["PyList_GetItemRef"], "what raises modern.c to 3.13")?;
    cython_style_source()
}

/// Cython's shape: the preamble configures the Limited API branch, helper
/// macros count where expanded, and a call compiled only from 3.12 does
/// not raise the minimum.
fn cython_style_source() -> Result<(), Failed> {
    let fixtures = Path::new(FIXTURES);
    let out = abiscope(
        fixtures,
        &["check", "--json", "cython_style.c", "--target", "abi3=3.9"],
        b"",
    );
    eq(code(&out), 0, "exit status")?;
    let report = json(&out)?;
    eq(
        versions(&report["min_version"]),
        ("3.2".into(), "3.15".into()),
        "min versions",
    )?;
    eq(
        report["left_out"].as_u64(),
        Some(1),
        "PyList_GET_ITEM behind CYTHON_ASSUME_SAFE_MACROS",
    )?;
    eq(
        report["unexpanded"].as_u64(),
        Some(1),
        "PyTuple_GET_SIZE in a macro never expanded",
    )?;
    eq(
        names(&report["uses"]),
        strings(&["PyList_GetItem", "PyObject", "PyObject_Vectorcall", "Py_ssize_t"]),
        "uses",
    )?;
    let vectorcall = report["uses"]
        .as_array()
        .ok_or("uses")?
        .iter()
        .find(|u| u["name"] == "PyObject_Vectorcall")
        .ok_or("no PyObject_Vectorcall")?;
    eq(vectorcall["verdict"].clone(), Value::Null, "not compiled for abi3 3.9")?;
    eq(
        vectorcall["locations"][0]["line"].as_u64(),
        Some(29),
        "where the helper macro writes it",
    )?;
    let out = abiscope(
        fixtures,
        &["check", "--json", "cython_style.c", "--target", "abi3=3.12"],
        b"",
    );
    let report = json(&out)?;
    let uses = report["uses"].as_array().ok_or("uses")?;
    let verdicts: Vec<&str> = uses.iter().filter_map(|u| u["verdict"].as_str()).collect();
    let count: u64 = uses.iter().filter_map(|u| u["count"].as_u64()).sum();
    check(
        count == 10 && verdicts.len() == uses.len() && verdicts.iter().all(|v| *v == "usable"),
        || format!("under abi3 3.12 all 10 uses are compiled and usable: {verdicts:?}"),
    )
}

fn rust_sources(_: &Env) -> Result<(), Failed> {
    let fixtures = Path::new(FIXTURES);
    let out = abiscope(fixtures, &["check", "--json", "pyo3_module.rs"], b"");
    eq(code(&out), 0, "exit status")?;
    let report = json(&out)?;
    eq(
        versions(&report["min_version"]),
        ("3.10".into(), "3.15".into()),
        "min versions",
    )?;
    eq(
        report["left_out"].as_u64(),
        Some(3),
        "uses behind #[cfg(not(Py_LIMITED_API))]",
    )?;
    let used = names(&report["uses"]);
    check(!used.contains(&"PyList_GET_ITEM".to_string()), || format!("{used:?}"))?;
    check(used.contains(&"PyUnicode_AsUTF8AndSize".to_string()), || {
        format!("{used:?}")
    })?;
    let pointer = report["uses"]
        .as_array()
        .ok_or("uses")?
        .iter()
        .find(|u| u["name"] == "PyObject")
        .ok_or("no PyObject use")?;
    eq(pointer["form"].as_str(), Some("pointer"), "*mut ffi::PyObject")?;
    eq(
        pointer["verdict"].as_str(),
        Some("usable"),
        "a pointer to an opaque struct",
    )?;
    crate_floor()
}

/// A crate's PyO3 `abi3-pyXY` feature is its floor: a use it cannot have
/// is a finding (exit 1) without `--target`, and the report names it.
fn crate_floor() -> Result<(), Failed> {
    let dir = tempdir()?;
    let krate = dir.path().join("ext");
    std::fs::create_dir_all(krate.join("src"))?;
    let lib = "use pyo3::ffi;\npub unsafe fn first(l: *mut ffi::PyObject) -> *mut ffi::PyObject {\n    ffi::PyList_GetItemRef(l, 0)\n}\n";
    std::fs::write(krate.join("src/lib.rs"), lib)?;
    for (feature, status) in [("abi3-py39", 1), ("abi3-py313", 0)] {
        let manifest = format!(
            "[package]\nname = \"ext\"\nversion = \"0.1.0\"\n\n[dependencies]\npyo3 = {{ version = \"0.26\", features = [\"extension-module\", \"{feature}\"] }}\n"
        );
        std::fs::write(krate.join("Cargo.toml"), manifest)?;
        let out = abiscope(dir.path(), &["check", "ext"], b"");
        eq(code(&out), status, &format!("{feature}: {}", text(&out)))?;
        check(text(&out).contains(&format!("declares PyO3's {feature}")), || {
            text(&out)
        })?;
    }
    Ok(())
}

/// A project tree: a copy of CPython's headers inside it is skipped (and
/// said), its `compile_commands.json` gives each file its macros, an empty
/// directory or standard input is "nothing read" (exit 1), and a source
/// with no C API use says so.
fn tree_with_flags_and_headers(env: &Env) -> Result<(), Failed> {
    let dir = tempdir()?;
    let tree = dir.path().join("proj");
    let vendored = tree.join("third_party/python/include");
    std::fs::create_dir_all(vendored.join("cpython"))?;
    std::fs::create_dir_all(tree.join("src"))?;
    let include = env.include.as_ref().ok_or("no headers")?;
    for header in ["Python.h", "object.h", "cpython/object.h", "cpython/listobject.h"] {
        std::fs::copy(include.join(header), vendored.join(header))?;
    }
    std::fs::write(
        tree.join("src/m.c"),
        "#include <Python.h>\n#ifdef USE_FAST\nPyObject *f(PyObject *l) { return PyList_GET_ITEM(l, 0); }\n#endif\n",
    )?;
    let report = json(&abiscope(dir.path(), &["check", "--json", "proj"], b""))?;
    eq(
        names(&report["uses"]),
        Vec::<String>::new(),
        "USE_FAST assumed undefined",
    )?;
    eq(
        report["assumed_undefined"][0]["name"].as_str(),
        Some("USE_FAST"),
        "and said so",
    )?;
    check(
        report["skipped"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("a copy of CPython's headers")),
        || format!("the copy is skipped: {}", report["skipped"]),
    )?;
    let database = format!(
        r#"[{{"directory": "{}", "file": "src/m.c", "command": "cc -DUSE_FAST -c src/m.c"}}]"#,
        tree.display()
    );
    std::fs::write(tree.join("compile_commands.json"), database)?;
    let out = abiscope(dir.path(), &["check", "proj"], b"");
    eq(code(&out), 0, "no target")?;
    check(text(&out).contains("compile_commands.json"), || text(&out))?;
    check(text(&out).contains("not-limited    PyList_GET_ITEM"), || text(&out))?;
    let out = abiscope(dir.path(), &["check", "proj", "-U", "USE_FAST", "--json"], b"");
    eq(
        names(&json(&out)?["uses"]),
        Vec::<String>::new(),
        "-U on the command line beats the database",
    )?;

    std::fs::create_dir_all(dir.path().join("empty"))?;
    let out = abiscope(dir.path(), &["check", "empty"], b"");
    eq(code(&out), 1, "an empty directory")?;
    check(text(&out).contains("Nothing was read"), || text(&out))?;
    let out = abiscope(dir.path(), &["check", "-"], b"");
    eq(code(&out), 1, "empty standard input")?;
    std::fs::write(dir.path().join("plain.c"), "int main(void) { return 0; }\n")?;
    let out = abiscope(dir.path(), &["check", "plain.c", "--json"], b"");
    eq(code(&out), 0, "a source with no C API use")?;
    let report = json(&out)?;
    eq(report["nothing_used"].clone(), Value::Bool(true), "no uses")?;
    eq(report["min_version"]["abi3t"].clone(), Value::Null, "not 'abi3t-ready'")
}

/// A file's own `Py_LIMITED_API` is a target: a use beyond it is reported
/// (exit 1) with or without `--target`, even when another name blocks.
fn own_setting_is_a_target() -> Result<(), Failed> {
    let dir = tempdir()?;
    let source = "#define Py_LIMITED_API 0x03090000\n#include <Python.h>\nPyObject *f(PyObject *l) { return PyList_GET_ITEM(l, 0); }\nPyObject *g(PyObject *l) { return PyList_GetItemRef(l, 0); }\n";
    std::fs::write(dir.path().join("own.c"), source)?;
    for args in [
        &["check", "own.c"][..],
        &["check", "own.c", "--target", "abi3=3.13"][..],
    ] {
        let out = abiscope(dir.path(), args, b"");
        eq(code(&out), 1, &format!("{args:?}: {}", text(&out)))?;
        check(
            text(&out).contains("defines Py_LIMITED_API 0x03090000 (abi3 3.9), but own.c cannot be built for it: PyList_GET_ITEM (not-limited), PyList_GetItemRef (abi3 3.13)"),
            || text(&out),
        )?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Built modules and wheels

/// Each fixture at several `Py_LIMITED_API` values and without it: what the
/// module imports decides the versions, and the source agrees.
fn modules_at_each_version(env: &Env) -> Result<(), Failed> {
    let dir = tempdir()?;
    let cases: &[Case<'_>] = &[
        (
            "counter.c",
            &["-DPy_LIMITED_API=0x03020000"],
            "counter.abi3.so",
            "3.2",
            "none",
            &[],
            &["PyModule_Create2"],
        ),
        (
            "counter.c",
            &[],
            "counter.cpython-315-x86_64-linux-gnu.so",
            "3.2",
            "none",
            &[],
            &["PyModule_Create2"],
        ),
        (
            "modern.c",
            &["-DPy_LIMITED_API=0x030D0000"],
            "modern.abi3.so",
            "3.13",
            "none",
            &[],
            &["PyModule_Create2"],
        ),
        (
            "fullapi.c",
            &[],
            "fullapi.cpython-315-x86_64-linux-gnu.so",
            "none",
            "none",
            &["PyUnicode_AsUTF8"],
            &["PyModule_Create2", "PyUnicode_AsUTF8"],
        ),
        (
            "freethreaded.c",
            &["-DPy_TARGET_ABI3T=0x030F0000"],
            "freethreaded.abi3t.so",
            "3.15",
            "3.15",
            &[],
            &[],
        ),
    ];
    for (fixture, defines, name, abi3, abi3t, abi3_blockers, abi3t_blockers) in cases {
        let module = env.build(dir.path(), fixture, defines, name)?;
        let out = abiscope(dir.path(), &["check", "--json", &module.display().to_string()], b"");
        let report = json(&out)?;
        let what = format!("{fixture} {defines:?}");
        eq(
            versions(&report["min_version"]),
            ((*abi3).to_string(), (*abi3t).to_string()),
            &what,
        )?;
        eq(names(&report["blockers"]["abi3"]), strings(abi3_blockers), &what)?;
        eq(names(&report["blockers"]["abi3t"]), strings(abi3t_blockers), &what)?;
        check(
            report["uses"]
                .as_array()
                .is_some_and(|u| u.iter().all(|u| u["locations"].as_array().is_some_and(Vec::is_empty))),
            || format!("{what}: binary uses have no line"),
        )?;
        // PEP 803 keeps PyInit_*: what keeps an abi3 module off
        // free-threaded CPython is its name and the PyModuleDef it passes
        // to PyModule_Create2 (in source, the struct itself), never its
        // entry point.
        let abi3_named = name.contains(".abi3.") || name.contains("cpython-315-");
        let off_free_threaded = report["refusals"]
            .as_array()
            .is_some_and(|r| r.iter().any(|r| r["accepts"]["abi3t"].is_null()));
        check(abi3_named == off_free_threaded, || {
            format!("{what}: {name} says whether free-threaded CPython loads it")
        })?;
    }
    // The newest call decides, whatever the build defined: built at 3.11,
    // modern.c imports PyType_GetName (3.11) but still PyList_GetItemRef
    // (3.13), which its headers did not declare.
    let module = env.build(
        dir.path(),
        "modern.c",
        &["-DPy_LIMITED_API=0x030B0000"],
        "modern311.abi3.so",
    )?;
    let report = json(&abiscope(
        dir.path(),
        &["check", "--json", &module.display().to_string()],
        b"",
    ))?;
    eq(
        versions(&report["min_version"]).0,
        "3.13".into(),
        "modern.c built at 3.11",
    )?;
    Ok(())
}

fn strings(names: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|s| (*s).to_string()).collect();
    v.sort();
    v
}

fn wheels_report_mismatches(env: &Env) -> Result<(), Failed> {
    let dir = tempdir()?;
    let d = dir.path();
    let read = |p: &Path| std::fs::read(p);
    let counter = read(&env.build(d, "counter.c", &["-DPy_LIMITED_API=0x03020000"], "counter.so")?)?;
    let modern = read(&env.build(d, "modern.c", &["-DPy_LIMITED_API=0x030D0000"], "modern.so")?)?;
    let fullapi = read(&env.build(d, "fullapi.c", &[], "fullapi.so")?)?;
    let free = read(&env.build(d, "freethreaded.c", &["-DPy_TARGET_ABI3T=0x030F0000"], "free.so")?)?;
    let linux = "manylinux_2_17_x86_64";
    let wheels: &[Wheel<'_>] = &[
        (
            "counter-1.0-cp32-abi3-manylinux_2_17_x86_64.whl",
            vec![("counter/_counter.abi3.so", counter.clone())],
            vec![format!("cp32-abi3-{linux}")],
            0,
        ),
        (
            "modern-1.0-cp311-abi3-manylinux_2_17_x86_64.whl",
            vec![("modern/_modern.abi3.so", modern.clone())],
            vec![format!("cp311-abi3-{linux}")],
            1,
        ),
        (
            "fullapi-1.0-cp39-abi3-manylinux_2_17_x86_64.whl",
            vec![("fullapi/_fullapi.cpython-39-x86_64-linux-gnu.so", fullapi)],
            vec![format!("cp39-abi3-{linux}")],
            1,
        ),
        (
            "free-1.0-cp315-abi3.abi3t-manylinux_2_17_x86_64.whl",
            vec![("free/_free.abi3t.so", free.clone())],
            vec![format!("cp315-abi3-{linux}"), format!("cp315-abi3t-{linux}")],
            0,
        ),
        (
            "free-2.0-cp315-abi3.abi3t-manylinux_2_17_x86_64.whl",
            vec![("free/_free.abi3.so", free)],
            vec![format!("cp315-abi3-{linux}")],
            1,
        ),
        (
            "counter-2.0-cp39-abi3.abi3t-manylinux_2_17_x86_64.whl",
            vec![("counter/_counter.abi3t.so", counter)],
            vec![format!("cp39-abi3-{linux}"), format!("cp39-abi3t-{linux}")],
            1,
        ),
    ];
    let mut report = String::new();
    for (name, members, tags, want) in wheels {
        let tags: Vec<&str> = tags.iter().map(String::as_str).collect();
        pack(&d.join(name), members, &tags)?;
        let out = abiscope(d, &["check", name], b"");
        eq(code(&out), *want, &format!("exit status for {name}"))?;
        let _ = writeln!(report, "$ abiscope check {name}  # exit {}\n{}", code(&out), text(&out));
    }
    insta::assert_snapshot!("check_wheels", report);

    // The JSON for one wheel: its tag, claim, needs and findings.
    let out = abiscope(d, &["check", "--json", wheels[1].0], b"");
    let w = &json(&out)?["wheel"][0];
    eq(w["tags"].as_str(), Some("cp311-abi3-manylinux_2_17_x86_64"), "tags")?;
    eq(versions(&w["claim"]), ("3.11".into(), "none".into()), "claim")?;
    eq(versions(&w["min_version"]), ("3.13".into(), "none".into()), "needs")?;
    eq(w["findings"].as_array().map(Vec::len), Some(1), "findings")?;

    // A directory with several wheels and sources: everything is read.
    let out = abiscope(d, &["check", "--json", "."], b"");
    let all = json(&out)?;
    eq(
        all["inputs"]["wheels"].as_u64(),
        Some(6),
        "wheels found in the directory",
    )?;
    Ok(())
}

fn stdin_inputs(env: &Env) -> Result<(), Failed> {
    let dir = tempdir()?;
    let module = env.build(dir.path(), "modern.c", &["-DPy_LIMITED_API=0x030D0000"], "modern.so")?;
    let nm = Command::new("nm").arg("-D").arg(&module).output()?;
    check(nm.status.success(), || "nm -D failed".to_string())?;
    let from_nm = json(&abiscope(dir.path(), &["check", "--json", "-"], &nm.stdout))?;
    let from_file = json(&abiscope(dir.path(), &["check", "--json", "modern.so"], b""))?;
    eq(
        names(&from_nm["uses"]),
        names(&from_file["uses"]),
        "nm -D output and the module",
    )?;
    eq(
        from_nm["min_version"].clone(),
        from_file["min_version"].clone(),
        "versions",
    )?;

    let listed = json(&abiscope(
        dir.path(),
        &["check", "--json", "-"],
        b"PyList_GetItemRef\nPyType_GetName, Py_RETURN_NONE\n",
    ))?;
    eq(versions(&listed["min_version"]).0, "3.13".into(), "a list of names")?;
    eq(
        listed["uses"][1]["locations"][0]["line"].as_u64(),
        Some(2),
        "line of the second name",
    )?;
    Ok(())
}

fn pe_modules(env: &Env) -> Result<(), Failed> {
    let (gcc, dlltool) = env.mingw.as_ref().ok_or("no MinGW")?;
    let dir = tempdir()?;
    let d = dir.path();
    let src = d.join("spam.c");
    std::fs::write(
        &src,
        "typedef struct _object PyObject;\n\
         __declspec(dllimport) PyObject *PyLong_FromLong(long);\n\
         __declspec(dllimport) PyObject *PyType_GetName(void *);\n\
         __declspec(dllimport) PyObject _Py_NoneStruct;\n\
         __declspec(dllexport) PyObject *PyInit_spam(void) {\n\
             PyObject *n = PyLong_FromLong(1);\n\
             return n ? PyType_GetName(n) : &_Py_NoneStruct;\n\
         }\n",
    )?;
    let mut reports = String::new();
    for dll in ["python3.dll", "python311.dll"] {
        let def = d.join("python.def");
        std::fs::write(
            &def,
            format!("LIBRARY {dll}\nEXPORTS\nPyLong_FromLong\nPyType_GetName\n_Py_NoneStruct DATA\n"),
        )?;
        let lib = d.join("libpython.a");
        run(Command::new(dlltool).arg("-d").arg(&def).arg("-l").arg(&lib))?;
        let pyd = format!("spam-{dll}.pyd");
        run(Command::new(gcc)
            .args(["-shared", "-O2", "-o"])
            .arg(d.join(&pyd))
            .arg(&src)
            .arg(&lib))?;
        let report = json(&abiscope(d, &["check", "--json", &pyd], b""))?;
        eq(versions(&report["min_version"]).0, "3.11".into(), &pyd)?;
        eq(
            names(&report["uses"]),
            strings(&["PyInit_spam", "PyLong_FromLong", "PyType_GetName", "_Py_NoneStruct"]),
            &pyd,
        )?;
        let wheel = format!(
            "spam{}-1.0-cp311-abi3-win_amd64.whl",
            dll.trim_start_matches("python").trim_end_matches(".dll")
        );
        pack(&d.join(&wheel), &[("spam/spam.pyd", std::fs::read(d.join(&pyd))?)], &[])?;
        let out = abiscope(d, &["check", &wheel], b"");
        let _ = writeln!(
            reports,
            "$ abiscope check {wheel}  # exit {}\n{}",
            code(&out),
            text(&out)
        );
    }
    insta::assert_snapshot!("check_pe_wheels", reports);
    Ok(())
}

fn macho_bundles(env: &Env) -> Result<(), Failed> {
    let (clang, ld, lipo) = env.macho.as_ref().ok_or("no clang/lld")?;
    let dir = tempdir()?;
    let d = dir.path();
    let src = d.join("spam.c");
    std::fs::write(
        &src,
        "typedef struct _object PyObject;\n\
         extern PyObject *PyLong_FromLong(long);\n\
         extern PyObject *PyList_GetItemRef(PyObject *, long);\n\
         extern PyObject _Py_NoneStruct;\n\
         PyObject *PyInit_spam(void) { return PyList_GetItemRef(PyLong_FromLong((long)&_Py_NoneStruct), 0); }\n",
    )?;
    let mut slices = Vec::new();
    for (arch, triple, min) in [
        ("arm64", "arm64-apple-macos11", "11.0"),
        ("x86_64", "x86_64-apple-macos10.12", "10.12"),
    ] {
        let obj = d.join(format!("spam-{arch}.o"));
        run(Command::new(clang)
            .args(["-target", triple, "-O2", "-c"])
            .arg(&src)
            .arg("-o")
            .arg(&obj))?;
        let bundle = d.join(format!("spam-{arch}.abi3.so"));
        run(Command::new(ld)
            .args([
                "-arch",
                arch,
                "-platform_version",
                "macos",
                min,
                min,
                "-bundle",
                "-undefined",
                "dynamic_lookup",
            ])
            .arg(&obj)
            .arg("-o")
            .arg(&bundle))?;
        slices.push(bundle);
    }
    let universal = d.join("spam.abi3.so");
    run(Command::new(lipo)
        .arg("-create")
        .args(&slices)
        .arg("-output")
        .arg(&universal))?;
    for module in slices.iter().chain([&universal]) {
        let report = json(&abiscope(d, &["check", "--json", &module.display().to_string()], b""))?;
        let what = module.display().to_string();
        eq(versions(&report["min_version"]).0, "3.13".into(), &what)?;
        eq(
            names(&report["uses"]),
            strings(&["PyInit_spam", "PyList_GetItemRef", "PyLong_FromLong", "_Py_NoneStruct"]),
            &what,
        )?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Exit codes and errors

fn exit_codes(_: &Env) -> Result<(), Failed> {
    let fixtures = Path::new(FIXTURES);
    let cases: &[(&[&str], i32)] = &[
        (&["check", "counter.c"], 0),
        (&["check", "counter.c", "--target", "abi3=3.2"], 0),
        (&["check", "modern.c", "--target", "abi3=3.9"], 1),
        (&["check", "modern.c", "--target", "abi3=3.13"], 0),
        (&["check", "counter.c", "--target", "abi3t=3.15"], 1),
        (&["check", "freethreaded.c", "--target", "abi3=3.15,abi3t=3.15"], 0),
        (&["check", "counter.c", "--target", "abi3=3.1"], 2),
    ];
    for (args, want) in cases {
        let out = abiscope(fixtures, args, b"");
        eq(code(&out), *want, &format!("abiscope {}", args.join(" ")))?;
    }
    let out = abiscope(fixtures, &["check", "--json", "modern.c", "--target", "abi3=3.9"], b"");
    let report = json(&out)?;
    eq(
        names(&report["exceeding"]),
        strings(&["PyList_GetItemRef"]),
        "exceeding abi3 3.9",
    )?;
    let use_ = &report["exceeding"][0];
    eq(use_["verdict"].as_str(), Some("too-new"), "verdict")?;
    eq(
        use_["alternatives"][0].as_str(),
        Some("PyList_GetItem"),
        "the first alternative for PyList_GetItemRef under abi3 3.9",
    )?;
    let out = abiscope(fixtures, &["check", "counter.c", "--tui"], b"");
    eq(code(&out), 2, "--tui without a terminal")?;
    check(
        String::from_utf8_lossy(&out.stderr).contains("needs a terminal"),
        || String::from_utf8_lossy(&out.stderr).into_owned(),
    )?;
    Ok(())
}

fn unreadable_inputs(_: &Env) -> Result<(), Failed> {
    let dir = tempdir()?;
    let d = dir.path();
    std::fs::copy(Path::new(FIXTURES).join("modern.c"), d.join("modern.c"))?;
    std::fs::write(d.join("broken.so"), b"\x7fELF\x02\x01\x01 this is not a module")?;
    std::fs::write(d.join("notes.txt"), b"hello")?;
    std::fs::write(d.join("empty.whl"), b"")?;
    let out = abiscope(
        d,
        &[
            "check",
            "modern.c",
            "missing.c",
            "broken.so",
            "notes.txt",
            "empty.whl",
            "--json",
        ],
        b"",
    );
    eq(code(&out), 2, "exit status")?;
    let report = json(&out)?;
    let errors = errors(&report)?;
    insta::assert_debug_snapshot!("check_unreadable_errors", errors);
    eq(
        versions(&report["min_version"]).0,
        "3.13".into(),
        "the readable file is still reported",
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Hostile input

/// A small real module (no Python headers needed).
fn tiny_module(env: &Env, dir: &Path) -> Result<Vec<u8>, Failed> {
    let src = dir.join("tiny.c");
    std::fs::write(
        &src,
        "typedef struct _object PyObject;\nextern PyObject *PyLong_FromLong(long);\n\
         PyObject *PyInit_tiny(void) { return PyLong_FromLong(1); }\n",
    )?;
    let out = dir.join("tiny.so");
    run(Command::new(env.cc())
        .args(["-shared", "-fPIC", "-O2", "-o"])
        .arg(&out)
        .arg(&src))?;
    Ok(std::fs::read(out)?)
}

fn hostile_binaries(env: &Env) -> Result<(), Failed> {
    let dir = tempdir()?;
    let catalog = Catalog::embedded();
    let module = tiny_module(env, dir.path())?;
    let mut variants: Vec<Vec<u8>> = Vec::new();
    // Every truncation in the headers, then every 97th byte.
    for len in (0..module.len().min(512)).chain((512..module.len()).step_by(97)) {
        variants.push(module[..len].to_vec());
    }
    // Corruptions: bytes flipped at positions a fixed generator picks.
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    for _ in 0..2000 {
        let mut v = module.clone();
        for _ in 0..4 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let at = usize::try_from(state % v.len() as u64).unwrap_or(0);
            v[at] ^= u8::try_from(state >> 56).unwrap_or(1) | 1;
        }
        variants.push(v);
    }
    let mut errors = 0;
    for v in &variants {
        match abiscope::check::binary::read(v) {
            Ok(m) => {
                let mut input = Input::default();
                input.add_module(&catalog, &m, "x.so".to_string(), None);
                let _ = Report::new(&catalog, &input, None);
            }
            Err(e) => {
                errors += 1;
                check(!e.is_empty(), || "an empty error message".to_string())?;
            }
        }
    }
    check(errors > 0, || "no variant was rejected".to_string())?;
    // And through the command line: a clear message and exit 2.
    std::fs::write(dir.path().join("cut.so"), &module[..module.len() / 3])?;
    let out = abiscope(dir.path(), &["check", "cut.so"], b"");
    eq(code(&out), 2, "a truncated module")?;
    check(text(&out).contains("cut.so: "), || text(&out))?;
    Ok(())
}

fn zip_bomb(_: &Env) -> Result<(), Failed> {
    let dir = tempdir()?;
    let d = dir.path();
    // 300 MiB of zeros in one member, about 300 KiB compressed.
    let name = "bomb-1.0-cp39-abi3-manylinux_2_17_x86_64.whl";
    {
        let file = std::fs::File::create(d.join(name))?;
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(false);
        zip.start_file("bomb/_bomb.abi3.so", options)?;
        let chunk = vec![0_u8; 1 << 20];
        for _ in 0..300 {
            zip.write_all(&chunk)?;
        }
        zip.finish()?;
    }
    let size = std::fs::metadata(d.join(name))?.len();
    check(size < 2 << 20, || format!("the bomb is small: {size} bytes"))?;
    // Run under a 1 GiB address-space limit: reading the member whole
    // would need more than the 256 MiB cap.
    let out = Command::new("sh")
        .current_dir(d)
        .args(["-c", &format!("ulimit -v 1048576 && exec {BIN} check {name}")])
        .output()?;
    eq(code(&out), 2, "exit status")?;
    let said = text(&out);
    check(said.contains("larger than 256 MiB when decompressed"), || said.clone())?;

    // The same limits, small, through the library.
    let limits = Limits {
        member: 1 << 20,
        total: 3 << 20,
        ..Limits::default()
    };
    let mut input = Input::read(&Catalog::embedded(), &[d.join(name)], std::io::empty(), &limits);
    let error = input.errors.pop().ok_or("no error")?;
    check(error.message.contains("larger than 1 MiB"), || error.message.clone())?;
    Ok(())
}

fn unsafe_paths(env: &Env) -> Result<(), Failed> {
    let dir = tempdir()?;
    let module = tiny_module(env, dir.path())?;
    let name = "evil-1.0-cp39-abi3-manylinux_2_17_x86_64.whl";
    pack(
        &dir.path().join(name),
        &[
            ("../../evil/_evil.abi3.so", module.clone()),
            ("/etc/evil.abi3.so", module),
        ],
        &[],
    )?;
    let out = abiscope(dir.path(), &["check", "--json", name], b"");
    eq(code(&out), 1, "exit status")?;
    let report = json(&out)?;
    let findings: Vec<&str> = report["wheel"][0]["findings"]
        .as_array()
        .ok_or("findings")?
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    for path in ["../../evil/_evil.abi3.so", "/etc/evil.abi3.so"] {
        check(
            findings.iter().any(|f| f.contains(path) && f.contains("outside")),
            || format!("{path}: {findings:?}"),
        )?;
    }
    // Nothing was written outside (or anywhere): the wheel is read in memory.
    check(!dir.path().join("../evil").exists(), || "extracted".to_string())?;
    eq(
        names(&report["uses"]),
        strings(&["PyInit_tiny", "PyLong_FromLong"]),
        "the modules are still read",
    )?;
    Ok(())
}

fn sparse_file(_: &Env) -> Result<(), Failed> {
    let dir = tempdir()?;
    for name in ["huge.so", "huge.c", "huge.whl"] {
        let file = std::fs::File::create(dir.path().join(name))?;
        file.set_len(2 << 30)?;
    }
    let out = Command::new("sh")
        .current_dir(dir.path())
        .args([
            "-c",
            &format!("ulimit -v 1048576 && exec {BIN} check --json huge.so huge.c huge.whl"),
        ])
        .output()?;
    eq(code(&out), 2, "exit status")?;
    let report = json(&out)?;
    let errors = errors(&report)?;
    insta::assert_debug_snapshot!("check_sparse_errors", errors);
    Ok(())
}

fn many_symbols(env: &Env) -> Result<(), Failed> {
    let dir = tempdir()?;
    let d = dir.path();
    let mut asm = String::from(".text\n.globl PyInit_many\n.type PyInit_many, @function\nPyInit_many:\n");
    for i in 0..100_000 {
        let _ = writeln!(asm, "  call helper_{i}@PLT");
    }
    for name in ["PyLong_FromLong", "PyType_GetName", "PyUnicode_AsUTF8"] {
        let _ = writeln!(asm, "  call {name}@PLT");
    }
    asm.push_str("  ret\n");
    std::fs::write(d.join("many.s"), asm)?;
    run(Command::new(env.cc())
        .current_dir(d)
        .args(["-shared", "-o", "many.abi3.so", "many.s"]))?;
    let out = abiscope(d, &["check", "--json", "many.abi3.so"], b"");
    let report = json(&out)?;
    eq(
        names(&report["uses"]),
        strings(&["PyInit_many", "PyLong_FromLong", "PyType_GetName", "PyUnicode_AsUTF8"]),
        "the C API names among 100,000 symbols",
    )?;
    eq(
        names(&report["blockers"]["abi3"]),
        strings(&["PyUnicode_AsUTF8"]),
        "blockers",
    )?;
    Ok(())
}
