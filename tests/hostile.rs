//! Hostile input through the built binary: names and texts holding terminal
//! escape sequences, newlines and bidirectional overrides (in module
//! symbols, wheel member names and tags, file names, `Py_LIMITED_API`
//! values, docs pages), special files (FIFOs, `/dev/zero`, symbolic links
//! out of a tree), archives and pages that inflate, and broken outputs.
//!
//! Every input is generated here, small. Hangs are caught by a deadline on
//! the process (killed when it passes) and memory by `ulimit -v`; no test
//! asserts a duration. What needs a C compiler is ignored without one,
//! unless `ABISCOPE_REQUIRE_TOOLS` is set (as in CI).

mod common;

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, ExitCode, Output, Stdio};
use std::time::{Duration, Instant};

use abiscope::sanitize::is_control;
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_abiscope");

/// Escape sequences that set the clipboard (OSC 52), plant a link (OSC 8),
/// clear the screen, and a newline that would forge a report line, then a
/// right-to-left override.
const HOSTILE: &str =
    "\x1b]52;c;aGk=\x07\x1b]8;;http://evil.example/\x07link\x1b]8;;\x07\x1b[2J\nforged: exit 0\u{202e}cba";

type Test = fn() -> Result<(), Failed>;

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let cc = common::c_compiler();
    let tests: &[(&str, bool, Test)] = &[
        ("module_symbol_names_are_escaped", true, module_symbols),
        ("wheel_member_names_tags_and_file_names_are_escaped", true, wheel_names),
        ("source_file_names_and_settings_are_escaped", false, source_names),
        ("docs_text_is_escaped_in_show_and_the_explorer", false, docs_text),
    ];
    let trials = tests
        .iter()
        .map(|&(name, needs_cc, test)| match &cc {
            Err(why) if needs_cc && std::env::var_os("ABISCOPE_REQUIRE_TOOLS").is_some() => {
                let why = why.clone();
                Trial::test(name, move || {
                    Err(format!("{why} (ABISCOPE_REQUIRE_TOOLS is set)").into())
                })
            }
            Err(why) if needs_cc => {
                eprintln!("note: {why}: {name} is ignored");
                Trial::test(name, || Ok(())).with_ignored_flag(true)
            }
            _ => Trial::test(name, test),
        })
        .collect();
    libtest_mimic::run(&args, trials).exit_code()
}

fn check(cond: bool, what: impl FnOnce() -> String) -> Result<(), Failed> {
    if cond { Ok(()) } else { Err(what().into()) }
}

fn tempdir() -> Result<tempfile::TempDir, Failed> {
    Ok(tempfile::Builder::new().prefix("abiscope-hostile-").tempdir()?)
}

/// `abiscope ARGS` in `dir` with no configuration, killed after a minute
/// (a hang fails the test instead of stalling the suite).
fn abiscope(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<Output, Failed> {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .args(args)
        .env_remove("ABISCOPE_CONFIG")
        .env_remove("CLICOLOR_FORCE")
        .env("XDG_CONFIG_HOME", dir.join("no-config"))
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    finish(cmd, Duration::from_mins(1))
}

/// Runs `cmd` to the end, or kills it at the deadline and fails.
fn finish(mut cmd: Command, deadline: Duration) -> Result<Output, Failed> {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
    let start = Instant::now();
    // Drain the pipes on threads so that a large output cannot block it.
    let mut stdout = child.stdout.take().ok_or("stdout")?;
    let mut stderr = child.stderr.take().ok_or("stderr")?;
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut v);
        v
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr, &mut v);
        v
    });
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("{cmd:?} still running after {deadline:?}: it hangs").into());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Ok(Output {
        status,
        stdout: out.join().map_err(|_| "stdout reader")?,
        stderr: err.join().map_err(|_| "stderr reader")?,
    })
}

/// Text output that a terminal can show safely: no control character but
/// line ends and, with `sgr`, the colour sequences abiscope writes itself
/// (`ESC [ digits ; m`).
fn assert_clean(bytes: &[u8], sgr: bool) -> Result<(), Failed> {
    let text = String::from_utf8_lossy(bytes);
    for (at, c) in text.char_indices() {
        if c == '\n' || !is_control(c) {
            continue;
        }
        if sgr && c == '\x1b' {
            let rest = &text[at + 1..];
            let body: String = rest
                .chars()
                .skip(1)
                .take_while(|c| c.is_ascii_digit() || *c == ';')
                .collect();
            if rest.starts_with('[') && rest[1 + body.len()..].starts_with('m') {
                continue;
            }
        }
        let from = text[..at].char_indices().rev().nth(30).map_or(0, |(i, _)| i);
        return Err(format!("a raw {c:?} at byte {at}, after {:?}", &text[from..at]).into());
    }
    for line in text.lines() {
        check(!line.starts_with("forged"), || format!("a forged line: {line:?}"))?;
    }
    Ok(())
}

/// The text report (in a pipe and as on a terminal) is clean and shows
/// `escaped`; the JSON report is returned.
fn reports(dir: &Path, args: &[&str], escaped: &[&str]) -> Result<Value, Failed> {
    for forced in [false, true] {
        let env: &[(&str, &str)] = if forced { &[("CLICOLOR_FORCE", "1")] } else { &[] };
        let out = abiscope(dir, args, env)?;
        assert_clean(&out.stdout, forced)?;
        assert_clean(&out.stderr, forced)?;
        let text = String::from_utf8_lossy(&out.stdout);
        for e in escaped {
            check(text.contains(e), || format!("{e:?} not shown in:\n{text}"))?;
        }
    }
    let mut json_args = args.to_vec();
    json_args.insert(1, "--json");
    let out = abiscope(dir, &json_args, &[])?;
    Ok(serde_json::from_slice(&out.stdout)?)
}

/// All strings anywhere in a JSON value.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        Value::Object(o) => o.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

fn json_has(report: &Value, wanted: impl Fn(&str) -> bool, what: &str) -> Result<(), Failed> {
    let mut all = Vec::new();
    strings(report, &mut all);
    check(all.iter().any(|s| wanted(s)), || {
        format!("{what} not kept exactly in the JSON: {report}")
    })
}

// ---------------------------------------------------------------------------
// Escape injection

/// A real module (built with the C compiler) that imports `name`: built
/// with a placeholder of the same length, then the placeholder's bytes in
/// the string tables replaced, which keeps the ELF file valid.
fn module_importing(dir: &Path, name: &str) -> Result<Vec<u8>, Failed> {
    let placeholder = format!("PyH{}", "x".repeat(name.len() - 3));
    let src = dir.join("evil.c");
    std::fs::write(
        &src,
        format!("extern void {placeholder}(void);\nvoid *PyInit_evil(void) {{ {placeholder}(); return 0; }}\n"),
    )?;
    let out = dir.join("evil-build.so");
    let cc = common::c_compiler()?;
    let built = Command::new(cc)
        .args(["-shared", "-fPIC", "-o"])
        .arg(&out)
        .arg(&src)
        .output()?;
    check(built.status.success(), || {
        String::from_utf8_lossy(&built.stderr).into_owned()
    })?;
    let mut bytes = std::fs::read(&out)?;
    let mut patched = 0;
    let mut at = 0;
    while let Some(i) = bytes[at..]
        .windows(placeholder.len())
        .position(|w| w == placeholder.as_bytes())
    {
        let i = at + i;
        bytes[i..i + name.len()].copy_from_slice(name.as_bytes());
        patched += 1;
        at = i + name.len();
    }
    check(patched > 0, || "the placeholder is not in the module".to_string())?;
    Ok(bytes)
}

fn module_symbols() -> Result<(), Failed> {
    let dir = tempdir()?;
    let name = format!("PyEvil_{HOSTILE}");
    std::fs::write(dir.path().join("evil.so"), module_importing(dir.path(), &name)?)?;
    let report = reports(
        dir.path(),
        &["check", "evil.so"],
        &[
            "PyEvil_\\x1b]52;c;aGk=\\x07\\x1b]8;;http://evil.example/\\x07link",
            "\\nforged: exit 0\\u{202e}cba",
        ],
    )?;
    json_has(&report, |s| s == name, "the symbol name")
}

fn wheel_names() -> Result<(), Failed> {
    let dir = tempdir()?;
    let module = module_importing(dir.path(), "PyList_New")?;
    // The platform tag of the file name, a member name and a WHEEL tag.
    let file_name = "evil-1.0-cp39-abi3-linux\x1b[2J_x86_64.whl";
    let member = format!("evil/{HOSTILE}.abi3.so");
    let climbing = "../\x1b]0;title\x07.abi3.so";
    // A WHEEL line ends at a newline: the rest of the sequences.
    let wheel_tag = "cp39-abi3-\x1b]8;;http://evil.example/\x07tag\x1b]8;;\x07\u{202e}x";
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(dir.path().join(file_name))?);
        let options = zip::write::SimpleFileOptions::default();
        for name in [member.as_str(), climbing] {
            zip.start_file(name, options)?;
            zip.write_all(&module)?;
        }
        zip.start_file("evil-1.0.dist-info/WHEEL", options)?;
        zip.write_all(format!("Wheel-Version: 1.0\nTag: {wheel_tag}\n").as_bytes())?;
        zip.finish()?;
    }
    let report = reports(
        dir.path(),
        &["check", file_name],
        &[
            "linux\\x1b[2J_x86_64",
            "evil/\\x1b]52;c;aGk=\\x07",
            "../\\x1b]0;title\\x07.abi3.so",
            "\\nforged: exit 0",
            "cp39-abi3-\\x1b]8;;http://evil.example/\\x07tag",
        ],
    )?;
    json_has(&report, |s| s.contains(&member), "the member name")?;
    json_has(&report, |s| s.contains(climbing), "the climbing member name")?;
    json_has(&report, |s| s.contains(wheel_tag), "the WHEEL tag")?;
    json_has(&report, |s| s.contains(file_name), "the wheel's file name")
}

fn source_names() -> Result<(), Failed> {
    let dir = tempdir()?;
    let file_name = "evil\x1b]0;title\x07\n.c";
    let value = "0x03090000\x1b]52;c;aGk=\x07\u{202e}";
    std::fs::write(
        dir.path().join(file_name),
        format!("#define Py_LIMITED_API {value}\n#include <Python.h>\nPyObject *f(void) {{ return PyList_New(0); }}\n"),
    )?;
    let report = reports(
        dir.path(),
        &["check", "."],
        &[
            "evil\\x1b]0;title\\x07\\n.c:",
            "0x03090000\\x1b]52;c;aGk=\\x07\\u{202e}",
        ],
    )?;
    json_has(&report, |s| s == value, "the Py_LIMITED_API value")?;
    json_has(&report, |s| s.contains(file_name), "the file name")
}

/// A docs tree whose entry for `PyBuffer_FillInfo` holds escape sequences
/// as character references, a right-to-left override and a raw ESC in code.
fn hostile_docs(dir: &Path) -> Result<std::path::PathBuf, Failed> {
    let root = dir.join("docs");
    std::fs::create_dir_all(root.join("c-api"))?;
    let entry = "<dl class=\"c function\"><dt class=\"sig sig-object c\" id=\"c.PyBuffer_FillInfo\">\
        <span class=\"sig-name descname\">PyBuffer_FillInfo</span></dt>\
        <dd><p>Fills &#27;]52;c;aGk=&#7; the &#x202E;weiv&#x202C; for\n<code>a&#10;b&#27;[2J</code>.</p>\
        <div class=\"highlight\"><pre>int x;\n/* \x1b]8;;http://evil.example/\x07here\x1b]8;;\x07 */\n</pre></div>\
        </dd></dl>";
    std::fs::write(
        root.join("c-api/buffer.html"),
        format!(
            "<html><head><title>Buffer &#8212; Python 3.15.2 documentation</title></head><body>{entry}</body></html>"
        ),
    )?;
    Ok(root)
}

fn docs_text() -> Result<(), Failed> {
    use abiscope::app::{App, DocsState};
    use abiscope::catalog::Catalog;
    use abiscope::docs::Docs;
    use abiscope::keymap::Keymap;
    use abiscope::target::Target;

    let dir = tempdir()?;
    let root = hostile_docs(dir.path())?;
    let docs = root.to_string_lossy().into_owned();
    let args = ["show", "PyBuffer_FillInfo", "--doc", "--docs", &docs];
    let report = reports(
        dir.path(),
        &args,
        &[
            "Fills \\x1b]52;c;aGk=\\x07 the \\u{202e}weiv\\u{202c}",
            "\\x1b[2J",
            "/* \\x1b]8;;http://evil.example/\\x07here",
        ],
    )?;
    let text = report["doc"]["text"].as_str().ok_or("doc.text")?;
    check(
        text.contains("Fills \x1b]52;c;aGk=\x07 the \u{202e}weiv\u{202c} for"),
        || format!("the JSON text is not exact: {text:?}"),
    )?;

    // The explorer's detail pane: the same text escaped, no raw control.
    let mut app = App::new(
        Catalog::embedded(),
        Keymap::default(),
        "PyBuffer_FillInfo",
        Target::default(),
    );
    app.set_docs(DocsState::Ready(Box::new(Docs::open(&root)?)));
    let screen = common::screen(&mut app, 200, 50);
    check(!screen.chars().any(|c| c != '\n' && is_control(c)), || screen.clone())?;
    check(screen.contains("Fills \\x1b]52;c;aGk=\\x07 the \\u{202e}weiv"), || {
        screen.clone()
    })
}
