//! `abiscope check` on sources built to exhaust it, through the built
//! binary: conditions nested thousands deep (the stack), uses and tokens
//! that made it quadratic (time), and floods of uses, definitions and
//! names (memory). Each class once, with a generated input.
//!
//! Time is bounded by a deadline on the process (well above what a linear
//! scan takes in a debug build, far below what the quadratic one took),
//! memory by `ulimit -v` (below what the old reader needed); nothing
//! asserts a duration.

mod common;

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use common::run::{BIN, check, code, command, eq, finish, stdout, tempdir};
use libtest_mimic::Failed;

/// `abiscope check --json FILE` under `ulimit -v KIB`, killed after
/// `seconds`.
fn check_bounded(dir: &Path, file: &str, kib: u64, seconds: u64) -> Result<Output, Failed> {
    let limit = format!("ulimit -v {kib} && exec \"$0\" \"$@\"");
    let cmd = command(dir, "sh", &["-c", &limit, BIN, "check", "--json", file], &[]);
    finish(cmd, Duration::from_secs(seconds))
}

fn json(out: &Output) -> Result<serde_json::Value, Failed> {
    serde_json::from_slice(&out.stdout).map_err(|e| format!("invalid JSON ({e}): {}", stdout(out)).into())
}

fn write(dir: &Path, name: &str, text: &str) -> Result<(), Failed> {
    Ok(std::fs::write(dir.join(name), text)?)
}

/// `count` lines `{before}{n}{after}`.
fn numbered(before: &str, after: &str, count: usize) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for n in 0..count {
        let _ = writeln!(out, "{before}{n}{after}");
    }
    out
}

/// How many uses a report counts.
fn uses(report: &serde_json::Value) -> u64 {
    report["uses"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["count"].as_u64())
        .sum()
}

#[test]
fn conditions_nested_too_deep_are_unknown_and_said_so() -> Result<(), Failed> {
    let dir = tempdir()?;
    let cases = [
        (
            "parens.c",
            format!("#if {}1{}\nPy_None;\n#endif\n", "(".repeat(4000), ")".repeat(4000)),
        ),
        ("nots.c", format!("#if {}1\nPy_None;\n#endif\n", "!".repeat(100_000))),
        ("sums.c", format!("#if 1{}\nPy_None;\n#endif\n", " + 1".repeat(200_000))),
        (
            "ternaries.c",
            format!("#if {}0\nPy_None;\n#endif\n", "1 ? 1 : ".repeat(20_000)),
        ),
        (
            "defines.c",
            format!(
                "#define DEEP {}1{}\n#if DEEP\nPy_None;\n#endif\n",
                "(".repeat(4000),
                ")".repeat(4000)
            ),
        ),
        (
            "cfg.rs",
            format!(
                "use pyo3::ffi::*;\n#[cfg({}Py_LIMITED_API{})]\nfn f() {{ Py_None(); }}\n",
                "not(".repeat(100_000),
                ")".repeat(100_000)
            ),
        ),
    ];
    for (name, text) in &cases {
        write(dir.path(), name, text)?;
        let out = check_bounded(dir.path(), name, 1 << 20, 60)?;
        eq(code(&out), 0, &format!("{name}: a report, not a crash"))?;
        let report = json(&out)?;
        let deep = report["too_deep"].as_array().map_or(0, Vec::len);
        // A definition too deep is unknown: its condition then is too.
        check(deep >= 1 || *name == "defines.c", || {
            format!("{name}: 'too deep' said: {report}")
        })?;
        eq(uses(&report), 1, &format!("{name}: the use, compiled maybe"))?;
    }
    let text = common::run::abiscope(dir.path(), &["check", "parens.c"], &[])?;
    check(
        stdout(&text).contains("Conditions nested too deep to evaluate, treated as unknown: parens.c:1:1"),
        || stdout(&text),
    )
}

#[test]
fn long_lines_and_token_floods_take_linear_time() -> Result<(), Failed> {
    let dir = tempdir()?;
    let cases = [
        // 11 MB of uses on one line: column counting was quadratic.
        ("line.c", "Py_None + ".repeat(1_100_000), 1_100_000),
        // Rust: tokens and `#[cfg]` attributes.
        ("semis.rs", format!("use pyo3::ffi::*;\n{}", ";".repeat(3_000_000)), 0),
        (
            "cfgs.rs",
            format!(
                "use pyo3::ffi::*;\n{}fn f() {{ Py_None(); }}\n",
                "#[cfg(Py_3_9)]\n".repeat(300_000)
            ),
            1,
        ),
        // Uses inside 20,000 nested #ifndef groups.
        (
            "ifndefs.c",
            format!(
                "{}{}{}",
                numbered("#ifndef A", "", 20_000),
                "Py_None;\n".repeat(100_000),
                "#endif\n".repeat(20_000)
            ),
            100_000,
        ),
        // A setting defined 50,000 times, then uses.
        (
            "settings.c",
            format!(
                "{}{}",
                "#define Py_LIMITED_API 0x03090000\n".repeat(50_000),
                "Py_None;\n".repeat(100_000)
            ),
            100_000,
        ),
    ];
    for (name, text, expected) in &cases {
        write(dir.path(), name, text)?;
        let out = check_bounded(dir.path(), name, 1 << 20, 60)?;
        eq(code(&out), 0, &format!("{name}: exit status"))?;
        eq(uses(&json(&out)?), *expected, &format!("{name}: uses counted"))?;
    }
    Ok(())
}

#[test]
fn floods_of_uses_definitions_and_names_cost_bounded_memory() -> Result<(), Failed> {
    let dir = tempdir()?;
    // 20 MB of uses (the reader kept one record per use: ~900 MB), a
    // million definitions (~530 MB), under a 300 MiB address space.
    write(dir.path(), "nones.c", &"PyObject *x = Py_None;\n".repeat(900_000))?;
    let out = check_bounded(dir.path(), "nones.c", 300 << 10, 120)?;
    eq(code(&out), 0, "nones.c")?;
    let report = json(&out)?;
    eq(uses(&report), 1_800_000, "every use counted")?;
    let kept = report["uses"][0]["locations"].as_array().map_or(0, Vec::len);
    eq(kept, abiscope::check::SITES_KEPT, "the first places kept")?;

    let defines = numbered("#define NAME_", " 1", 1_000_000);
    write(dir.path(), "defines.c", &defines)?;
    let out = check_bounded(dir.path(), "defines.c", 300 << 10, 120)?;
    eq(code(&out), 0, "defines.c")?;

    // 20 MB of names on standard input.
    let names = "Py_None PyList_New PyDict_New\n".repeat(700_000);
    let limit = "ulimit -v 307200 && exec \"$0\" \"$@\"";
    let mut cmd = command(dir.path(), "sh", &["-c", limit, BIN, "check", "--json", "-"], &[]);
    let stdin = std::fs::File::create(dir.path().join("names.txt"))?;
    drop(stdin);
    write(dir.path(), "names.txt", &names)?;
    cmd.stdin(std::fs::File::open(dir.path().join("names.txt"))?);
    let out = finish(cmd, Duration::from_mins(2))?;
    eq(code(&out), 0, "names on standard input")?;
    eq(uses(&json(&out)?), 2_100_000, "every name counted")
}

#[test]
fn build_files_full_of_declarations_are_read_once() -> Result<(), Failed> {
    let dir = tempdir()?;
    // A megabyte of declarations in each build file: one pass each (a
    // line count per match took 9 s on this setup.py alone), and each
    // version named once in the report. The source is named bare (`a.c`),
    // as pre-commit names a file at the root: its project is the current
    // directory.
    let many = |line: &str| line.repeat((1 << 20) / line.len());
    write(dir.path(), "setup.py", &many("py_limited_api='cp39'\n"))?;
    write(
        dir.path(),
        "CMakeLists.txt",
        &many("add_compile_definitions(Py_LIMITED_API=0x030A0000)\n"),
    )?;
    write(
        dir.path(),
        "setup.cfg",
        &format!("[bdist_wheel]\n{}", many("py_limited_api = cp311\n")),
    )?;
    write(
        dir.path(),
        "pyproject.toml",
        &format!("[tool.maturin]\nfeatures = [\n{}]\n", many("\"pyo3/abi3-py312\",\n")),
    )?;
    write(dir.path(), "a.c", "void f(void) { PyType_GetName(0); }\n")?;
    let out = check_bounded(dir.path(), "a.c", 1 << 20, 30)?;
    eq(code(&out), 1, "PyType_GetName (3.11) beyond the declared abi3 3.9")?;
    let report = json(&out)?;
    let said = report["target_from"].as_str().unwrap_or_default().to_string();
    check(
        said.contains("setup.py:1 (py_limited_api \"cp39\")") && said.len() < 300,
        || said.clone(),
    )
}

#[test]
fn a_large_module_costs_its_symbol_tables_not_its_size() -> Result<(), Failed> {
    let Ok(cc) = common::c_compiler() else {
        check(std::env::var_os("ABISCOPE_REQUIRE_TOOLS").is_none(), || {
            "no C compiler (ABISCOPE_REQUIRE_TOOLS is set)".to_string()
        })?;
        eprintln!("note: no C compiler: the large module is not built");
        return Ok(());
    };
    let dir = tempdir()?;
    // 150 MB of data beside two imports; no Python headers needed.
    write(
        dir.path(),
        "big.c",
        "extern void *PyLong_FromLong(long);\nconst char blob[150 << 20] = {1};\n\
         void *PyInit_big(void) { return PyLong_FromLong(blob[5]); }\n",
    )?;
    let built = std::process::Command::new(&cc)
        .current_dir(dir.path())
        .args(["-shared", "-fPIC", "big.c", "-o", "big.abi3.so"])
        .output()?;
    check(built.status.success(), || {
        String::from_utf8_lossy(&built.stderr).into_owned()
    })?;
    let out = check_bounded(dir.path(), "big.abi3.so", 100 << 10, 60)?;
    eq(code(&out), 0, "a 150 MB module under a 100 MiB address space")?;
    eq(uses(&json(&out)?), 2, "its import and its entry point")?;

    // The same module in a wheel: decompressed to a temporary file, not
    // into memory, and read the same.
    let wheel = "big-1.0-cp39-abi3-linux_x86_64.whl";
    let mut zip = zip::ZipWriter::new(std::fs::File::create(dir.path().join(wheel))?);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("big.abi3.so", options)?;
    std::io::copy(&mut std::fs::File::open(dir.path().join("big.abi3.so"))?, &mut zip)?;
    zip.finish()?;
    let out = check_bounded(dir.path(), wheel, 100 << 10, 60)?;
    eq(
        code(&out),
        0,
        "a wheel with a 150 MB module under a 100 MiB address space",
    )?;
    let report = json(&out)?;
    eq(uses(&report), 2, "the module's import and entry point, from the wheel")?;
    eq(report["errors"].as_array().map(Vec::len), Some(0), "no errors")
}
