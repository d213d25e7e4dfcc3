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
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use common::run::{BIN, abiscope, bounded, check, code, command, eq, finish, mkfifo, stderr, stdout, tempdir};

use abiscope::sanitize::is_control;
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::Value;

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
        ("pipes_named_on_the_command_line_are_read_as_streams", true, named_pipes),
        ("a_fifo_with_no_writer_does_not_hang", false, fifo_without_writer),
        ("a_named_fifo_with_a_writer_is_read", false, fifo_with_writer),
        (
            "devices_named_on_the_command_line_are_refused_in_bounded_memory",
            false,
            devices,
        ),
        ("a_walk_skips_special_files_and_links_out_of_the_tree", false, tree_walk),
        (
            "a_fifo_or_a_device_as_the_configuration_is_an_error",
            false,
            special_config,
        ),
        (
            "docs_pages_that_are_fifos_devices_or_huge_are_errors",
            false,
            special_pages,
        ),
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

/// A report's `errors` (or `skipped`) as `path: message` lines.
fn listed(report: &Value, key: &str) -> Vec<String> {
    report[key]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    format!(
                        "{}: {}",
                        e["path"].as_str().unwrap_or(""),
                        e["message"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn use_names(report: &Value) -> Vec<String> {
    let mut names: Vec<String> = report["uses"]
        .as_array()
        .map(|a| a.iter().filter_map(|u| u["name"].as_str().map(String::from)).collect())
        .unwrap_or_default();
    names.sort();
    names.dedup();
    names
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

// ---------------------------------------------------------------------------
// Special files

/// `nm` output: what a pipe of text is read as first.
const NM: &str = "                 U PyList_New\n0000000000001119 T PyInit_spam\n";

fn named_pipes() -> Result<(), Failed> {
    let dir = tempdir()?;
    std::fs::write(dir.path().join("mod.so"), module_importing(dir.path(), "PyList_New")?)?;
    // Process substitution (a pipe at /dev/fd/N), and /dev/stdin as a pipe.
    for script in [
        format!("exec {BIN} check --json <(cat mod.so)"),
        format!("cat mod.so | {BIN} check --json /dev/stdin"),
        format!("exec {BIN} check --json <(printf '{}')", NM.replace('\n', "\\n")),
    ] {
        let out = finish(
            command(dir.path(), "bash", &["-c", &script], &[]),
            Duration::from_mins(1),
        )?;
        eq(code(&out), 0, &format!("{script}: {}", stderr(&out)))?;
        let report: Value = serde_json::from_slice(&out.stdout)?;
        check(use_names(&report).contains(&"PyList_New".to_string()), || {
            format!("{script}: {report}")
        })?;
        eq(
            report["inputs"]["modules"].as_u64(),
            Some(1),
            &format!("{script}: a module"),
        )?;
    }
    Ok(())
}

fn fifo_without_writer() -> Result<(), Failed> {
    let dir = tempdir()?;
    mkfifo(&dir.path().join("fifo"))?;
    let out = abiscope(dir.path(), &["check", "--json", "fifo"], &[])?;
    eq(code(&out), 2, "exit status")?;
    let report: Value = serde_json::from_slice(&out.stdout)?;
    eq(
        listed(&report, "errors"),
        vec!["fifo: nothing to read: an empty pipe or device (nothing was writing to it)".to_string()],
        "errors",
    )
}

/// A FIFO whose writer is already there (this test holds it open for
/// reading and writing, which never blocks on Linux) is read to its end.
fn fifo_with_writer() -> Result<(), Failed> {
    let dir = tempdir()?;
    let fifo = dir.path().join("fifo");
    mkfifo(&fifo)?;
    let mut writer = std::fs::OpenOptions::new().read(true).write(true).open(&fifo)?;
    writer.write_all(NM.as_bytes())?;
    let mut cmd = command(dir.path(), BIN, &["check", "--json", "fifo"], &[]);
    let child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
    // Close this end once abiscope has the FIFO open: its read then ends.
    let fds = format!("/proc/{}/fd", child.id());
    let start = Instant::now();
    loop {
        let open = std::fs::read_dir(&fds).is_ok_and(|d| {
            d.filter_map(Result::ok)
                .any(|e| std::fs::read_link(e.path()).is_ok_and(|t| t == fifo))
        });
        if open {
            break;
        }
        check(start.elapsed() < Duration::from_mins(1), || {
            "abiscope never opened the FIFO".to_string()
        })?;
        std::thread::sleep(Duration::from_millis(10));
    }
    drop(writer);
    let out = child.wait_with_output()?;
    eq(code(&out), 0, &stderr(&out))?;
    let report: Value = serde_json::from_slice(&out.stdout)?;
    eq(
        use_names(&report),
        vec!["PyInit_spam".to_string(), "PyList_New".to_string()],
        "uses",
    )
}

fn devices() -> Result<(), Failed> {
    let dir = tempdir()?;
    let out = bounded(
        dir.path(),
        &["check", "--json", "/dev/zero", "/dev/urandom", "/dev/null"],
        &[],
    )?;
    eq(code(&out), 2, "exit status")?;
    let report: Value = serde_json::from_slice(&out.stdout)?;
    let unknown =
        "unknown file type: expected C, C++ or Rust sources, extension modules (.so, .pyd, .dylib) or wheels (.whl)";
    eq(
        listed(&report, "errors"),
        vec![
            format!("/dev/zero: {unknown}"),
            format!("/dev/urandom: {unknown}"),
            "/dev/null: nothing to read: an empty pipe or device (nothing was writing to it)".to_string(),
        ],
        "errors",
    )
}

fn tree_walk() -> Result<(), Failed> {
    let dir = tempdir()?;
    let tree = dir.path().join("tree");
    std::fs::create_dir_all(tree.join("sub"))?;
    std::fs::write(tree.join("a.c"), "void f(void) { PyList_New(0); }\n")?;
    std::fs::write(dir.path().join("outside.c"), "void g(void) { PyDict_New(); }\n")?;
    let link = |target: &str, name: &str| std::os::unix::fs::symlink(target, tree.join(name));
    link("a.c", "inside.c")?;
    link("../a.c", "sub/up.c")?;
    link("/proc/kmsg", "kmsg.c")?;
    link("/etc/shadow", "shadow.c")?;
    link("/dev/zero", "zero.so")?;
    link("../outside.c", "outside.c")?;
    link("nowhere.c", "dangling.c")?;
    mkfifo(&tree.join("fifo.c"))?;
    let out = bounded(dir.path(), &["check", "--json", "tree"], &[])?;
    eq(code(&out), 0, &stderr(&out))?;
    let report: Value = serde_json::from_slice(&out.stdout)?;
    eq(
        use_names(&report),
        vec!["PyList_New".to_string()],
        "uses: inside the tree only",
    )?;
    let paths: Vec<&str> = report["uses"]
        .as_array()
        .ok_or("uses")?
        .iter()
        .filter_map(|u| u["path"].as_str())
        .collect();
    eq(
        paths,
        vec!["tree/a.c", "tree/inside.c", "tree/sub/up.c"],
        "links inside the tree are read",
    )?;
    let outside = std::fs::canonicalize(dir.path().join("outside.c"))?;
    eq(
        listed(&report, "skipped"),
        vec![
            "tree/dangling.c: a symbolic link that leads nowhere (no such file or directory)".to_string(),
            "tree/fifo.c: a named pipe, not a regular file".to_string(),
            "tree/kmsg.c: a symbolic link out of the tree, to /proc/kmsg".to_string(),
            format!(
                "tree/outside.c: a symbolic link out of the tree, to {}",
                outside.display()
            ),
            "tree/shadow.c: a symbolic link out of the tree, to /etc/shadow".to_string(),
            "tree/zero.so: a symbolic link out of the tree, to /dev/zero".to_string(),
        ],
        "skipped",
    )?;
    // The text report says so too.
    let text = stdout(&bounded(dir.path(), &["check", "tree"], &[])?);
    check(text.contains("Skipped\n  - tree/dangling.c"), || text.clone())
}

fn special_config() -> Result<(), Failed> {
    let dir = tempdir()?;
    mkfifo(&dir.path().join("fifo.toml"))?;
    let fifo = dir.path().join("fifo.toml").display().to_string();
    for (config, says) in [
        ("/dev/zero", "/dev/zero: a character device, not a regular file"),
        ("/dev/urandom", "/dev/urandom: a character device, not a regular file"),
        (fifo.as_str(), "fifo.toml: a named pipe, not a regular file"),
    ] {
        for args in [
            &["search", "PyList_New"][..],
            &["config", "--check"],
            &["show", "PyList_New", "--doc"],
        ] {
            let out = bounded(dir.path(), args, &[("ABISCOPE_CONFIG", config)])?;
            eq(code(&out), 2, &format!("{config} {args:?}"))?;
            check(stderr(&out).contains(says), || {
                format!("{config} {args:?}: {}", stderr(&out))
            })?;
        }
    }
    Ok(())
}

fn special_pages() -> Result<(), Failed> {
    let dir = tempdir()?;
    let root = hostile_docs(dir.path())?;
    let c_api = root.join("c-api");
    mkfifo(&c_api.join("list.html"))?;
    std::os::unix::fs::symlink("/dev/zero", c_api.join("dict.html"))?;
    // 100 MB of page (sparse: nothing is written to the disk).
    std::fs::File::create(c_api.join("unicode.html"))?.set_len(100 << 20)?;
    let docs = root.display().to_string();
    for (name, says) in [
        ("PyList_New", "c-api/list.html: a named pipe, not a regular file"),
        ("PyDict_New", "c-api/dict.html: a character device, not a regular file"),
        (
            "PyUnicode_FromString",
            "c-api/unicode.html: 100 MiB, larger than the 16 MiB abiscope reads",
        ),
    ] {
        let out = bounded(dir.path(), &["show", name, "--doc", "--docs", &docs], &[])?;
        eq(code(&out), 2, name)?;
        check(stderr(&out).contains(says), || format!("{name}: {}", stderr(&out)))?;
    }
    // The explorer says so in the detail pane (and is not frozen).
    let shown = std::thread::spawn(move || {
        use abiscope::app::{App, DocsState};
        use abiscope::docs::Docs;
        let mut app = App::new(
            abiscope::catalog::Catalog::embedded(),
            abiscope::keymap::Keymap::default(),
            "PyList_New",
            abiscope::target::Target::default(),
        );
        app.set_docs(DocsState::Ready(Box::new(Docs::open(&root).expect("the docs open"))));
        common::screen(&mut app, 200, 50)
    });
    let start = Instant::now();
    while !shown.is_finished() {
        check(start.elapsed() < Duration::from_mins(1), || {
            "the explorer hangs on a FIFO page".to_string()
        })?;
        std::thread::sleep(Duration::from_millis(10));
    }
    let screen = shown.join().map_err(|_| "the explorer panicked")?;
    check(screen.contains("c-api/list.html: a named pipe"), || screen.clone())
}
