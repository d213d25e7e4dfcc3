//! Helpers shared by the integration tests: where the upstream inputs are,
//! a C compiler to check the catalog against the real headers, and
//! ([`run`]) the built binary run with a deadline and a memory limit.

#![allow(dead_code)] // each test binary uses a different part

pub mod python;
pub mod run;

use std::path::{Path, PathBuf};
use std::process::Command;

/// `ABISCOPE_UPSTREAM`, else `../shared/upstream` beside the repository.
pub fn upstream_dir() -> PathBuf {
    std::env::var_os("ABISCOPE_UPSTREAM").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/upstream"),
        PathBuf::from,
    )
}

/// The upstream inputs, or why the tests that need them cannot run.
pub struct Upstream {
    pub root: PathBuf,
    /// `cpython-X.Y.Z/`.
    pub python: PathBuf,
}

impl Upstream {
    pub fn find() -> Result<Upstream, String> {
        let root = upstream_dir();
        let python = std::fs::read_dir(&root)
            .map_err(|_| no_upstream().0)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| {
                p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                    n.strip_prefix("cpython-")
                        .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()))
                })
            })
            .ok_or_else(|| format!("no cpython-X.Y.Z directory in {}", root.display()))?;
        Ok(Upstream { root, python })
    }

    pub fn manifest(&self) -> serde_json::Value {
        let path = std::fs::read_dir(&self.root)
            .expect("upstream dir")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "json"))
            .expect("a manifest JSON in the upstream dir");
        serde_json::from_str(&std::fs::read_to_string(path).expect("readable manifest")).expect("valid manifest JSON")
    }

    pub fn html(&self) -> PathBuf {
        self.python.join("doc-html")
    }

    /// Every release's directory (`doc-html/`, `include/`), oldest first:
    /// `cpython-history/3.X/` (`3.9`, `3.11`, ...), then `cpython-X.Y.Z/`,
    /// each with its `major.minor`.
    pub fn releases(&self) -> Vec<(String, PathBuf)> {
        let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(self.root.join("cpython-history"))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.join("include").is_dir())
            .filter_map(|p| Some((p.file_name()?.to_str()?.to_string(), p)))
            .collect();
        let minor = |v: &str| v.split('.').nth(1).and_then(|m| m.parse::<u32>().ok()).unwrap_or(0);
        out.sort_by_key(|(v, _)| minor(v));
        let name = self.python.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let version: Vec<&str> = name.trim_start_matches("cpython-").split('.').take(2).collect();
        out.push((version.join("."), self.python.clone()));
        out
    }

    /// The directory of the release `major.minor`, if read.
    pub fn release(&self, version: &str) -> Option<PathBuf> {
        self.releases().into_iter().find(|(v, _)| v == version).map(|(_, p)| p)
    }

    pub fn include(&self) -> PathBuf {
        self.python.join("include")
    }

    /// `objects.inv`'s C entries as (name, role, uri), parameters excluded.
    pub fn inventory(&self) -> Vec<(String, String, String)> {
        inventory(&self.html())
    }
}

/// The C entries of a release's `objects.inv` as (name, role, uri).
pub fn inventory(html: &Path) -> Vec<(String, String, String)> {
    use std::io::{BufRead, Read};
    let file = std::fs::File::open(html.join("objects.inv")).expect("objects.inv");
    let mut reader = std::io::BufReader::new(file);
    for _ in 0..4 {
        reader.read_line(&mut String::new()).expect("inventory header");
    }
    let mut text = String::new();
    flate2::read::ZlibDecoder::new(reader)
        .read_to_string(&mut text)
        .expect("zlib data");
    text.lines()
        .filter_map(|line| {
            let mut words = line.split(' ');
            let (name, role, _prio, uri) = (words.next()?, words.next()?, words.next()?, words.next()?);
            let role = role.strip_prefix("c:")?;
            (role != "functionParam").then(|| (name.to_string(), role.to_string(), uri.replace('$', name)))
        })
        .collect()
}

/// Why a test that needs the upstream inputs cannot run (inputs, not a
/// tool: `ABISCOPE_REQUIRE_TOOLS` does not require them).
pub fn no_upstream() -> (String, bool) {
    (
        format!(
            "upstream inputs not found at {} (set ABISCOPE_UPSTREAM)",
            upstream_dir().display()
        ),
        false,
    )
}

/// Why a test that needs a C compiler cannot run (a tool).
pub fn no_c_compiler() -> (String, bool) {
    ("no C compiler (apt-get install gcc)".to_string(), true)
}

/// A working C compiler (`$CC`, else `cc`), or why there is none.
pub fn c_compiler() -> Result<String, String> {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    match Command::new(&cc).arg("--version").output() {
        Ok(o) if o.status.success() => Ok(cc),
        _ => Err(format!("no C compiler ('{cc}'); install gcc or set CC")),
    }
}

/// The public headers an extension may include, as the tests compile them.
/// `pydtrace.h` needs `WITH_DTRACE` off: its probes header is not shipped.
pub fn prelude(abi3t: bool) -> String {
    let mut s = String::new();
    for h in [
        "Python.h",
        "datetime.h",
        "structmember.h",
        "marshal.h",
        "frameobject.h",
        "errcode.h",
        "osdefs.h",
        "opcode.h",
        "expat.h",
        "pyexpat.h",
    ] {
        s.push_str("#include <");
        s.push_str(h);
        s.push_str(">\n");
    }
    if !abi3t {
        // py_curses.h uses PyObject_HEAD, which abi3t removes.
        s.push_str("#include <py_curses.h>\n");
    }
    s.push_str("#undef WITH_DTRACE\n#include <pydtrace.h>\n");
    s
}

/// What compiling a probe file said.
pub struct Compiled {
    /// Lines of the probe file with an error.
    pub error_lines: std::collections::BTreeSet<usize>,
    /// Errors anywhere else (the headers themselves).
    pub other_errors: Vec<String>,
}

/// Compiles `body` after `prelude` (syntax only, every error reported).
pub fn compile(cc: &str, include: &Path, defines: &[String], prelude: &str, body: &str) -> (Compiled, usize) {
    let dir = std::env::temp_dir().join(format!("abiscope-test-{}-{}", std::process::id(), unique()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("probe.c");
    std::fs::write(&file, format!("{prelude}{body}")).expect("write probe");
    let out = Command::new(cc)
        .current_dir(include)
        .args(["-std=gnu11", "-I.", "-fsyntax-only", "-fmax-errors=0", "-w"])
        .args(defines)
        .arg(&file)
        .output()
        .expect("run the C compiler");
    let _ = std::fs::remove_dir_all(&dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut compiled = Compiled {
        error_lines: std::collections::BTreeSet::new(),
        other_errors: Vec::new(),
    };
    for line in stderr.lines().filter(|l| l.contains(": error: ")) {
        let loc = line.split(": error: ").next().unwrap_or_default();
        let mut parts = loc.rsplitn(3, ':');
        let (_, line_no, path) = (parts.next(), parts.next(), parts.next());
        match (path, line_no.and_then(|l| l.parse::<usize>().ok())) {
            (Some(p), Some(n)) if p.ends_with("probe.c") => {
                compiled.error_lines.insert(n);
            }
            _ => compiled.other_errors.push(line.to_string()),
        }
    }
    (compiled, prelude.lines().count())
}

fn unique() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The platform feature macros that gate Windows-only and debug-only items
/// (with what the 3.9 headers need beside `MS_WINDOWS`, and the switch
/// under which headers before 3.13 declare the `_SizeT` parsers), as the
/// generator defines them.
pub fn feature_defines() -> Vec<String> {
    [
        "-DMS_WINDOWS",
        "-DNT_THREADS",
        "-DUSE_STACKCHECK",
        "-DPy_DEBUG",
        "-DPY_SSIZE_T_CLEAN",
    ]
    .map(String::from)
    .to_vec()
}

/// The explorer drawn into a test terminal, as text (trailing spaces cut).
pub fn screen(app: &mut abiscope::app::App, width: u16, height: u16) -> String {
    use abiscope::ui::{self, theme::Theme};
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).expect("a test terminal");
    terminal
        .draw(|f| ui::render(f, app, &Theme::default(), abiscope::config::LayoutMode::Auto))
        .expect("drawn");
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let line: String = (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A fresh explorer over the embedded catalog, default keys, no target.
pub fn app() -> abiscope::app::App {
    abiscope::app::App::new(
        abiscope::catalog::Catalog::embedded(),
        abiscope::keymap::Keymap::default(),
        "",
        abiscope::target::Target::default(),
    )
}

/// The explorer under a target (`abi3=3.9`).
pub fn targeted(target: &str) -> abiscope::app::App {
    abiscope::app::App::new(
        abiscope::catalog::Catalog::embedded(),
        abiscope::keymap::Keymap::default(),
        "",
        target.parse().expect("a valid target"),
    )
}

/// Presses keys given in the config notation; returns the effects.
pub fn press(app: &mut abiscope::app::App, keys: &str) -> Vec<abiscope::app::Effect> {
    abiscope::keymap::parse_sequence(keys)
        .expect("valid key notation")
        .into_iter()
        .filter_map(|k| app.key(k))
        .collect()
}
