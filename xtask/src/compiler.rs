//! Runs the system C compiler on the upstream headers: preprocessing for the
//! header index, and batched syntax-only compiles for probes.
//!
//! Every run writes its translation unit to a temporary directory and reads
//! the compiler's diagnostics back by line number, so one compile can answer
//! thousands of questions.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// The public headers a translation unit includes: `Python.h` and every
/// other top-level header an extension may include on its own.
/// `expat.h` (a system header) must precede `pyexpat.h`; `py_curses.h` needs
/// `curses.h` and does not compile under abi3t, where `PyObject_HEAD` is gone.
const TU_HEADERS: &[&str] = &[
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
];
const CURSES_HEADER: &str = "py_curses.h";

/// Which API surface a translation unit asks the headers for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Config {
    /// The whole public C API (no `Py_LIMITED_API`).
    Full,
    /// `Py_LIMITED_API` at `0x03MM0000`.
    Limited(u8),
    /// `Py_TARGET_ABI3T` at `0x03MM0000`.
    Abi3t(u8),
}

impl Config {
    fn defines(self) -> Vec<String> {
        match self {
            Config::Full => Vec::new(),
            Config::Limited(minor) => vec![format!("-DPy_LIMITED_API=0x03{minor:02X}0000")],
            Config::Abi3t(minor) => vec![format!("-DPy_TARGET_ABI3T=0x03{minor:02X}0000")],
        }
    }
}

/// The feature macros that gate platform-specific declarations
/// (`MS_WINDOWS`, ...), defined to see what exists where they apply.
/// `NT_THREADS` goes with `MS_WINDOWS`: the 3.9 headers insist on a
/// native thread library. `PY_SSIZE_T_CLEAN` makes headers before 3.13
/// declare the `_SizeT` argument parsers that the Stable ABI exports.
pub const FEATURE_DEFINES: &[&str] = &[
    "-DMS_WINDOWS",
    "-DNT_THREADS",
    "-DUSE_STACKCHECK",
    "-DPy_DEBUG",
    "-DPY_SSIZE_T_CLEAN",
];

pub struct Compiler {
    cc: String,
    include: PathBuf,
    scratch: PathBuf,
}

/// What a syntax-only compile said: the lines of the probe file that drew an
/// error, and any error outside the probe file.
pub struct Diagnostics {
    pub error_lines: std::collections::BTreeSet<usize>,
    pub foreign_errors: Vec<String>,
}

impl Compiler {
    pub fn new(include: &Path) -> Result<Self> {
        let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
        let out = Command::new(&cc).arg("--version").output();
        if !out.is_ok_and(|o| o.status.success()) {
            bail!(
                "no working C compiler ('{cc}'): the generator compiles probes against the headers; install gcc or set CC"
            );
        }
        // One scratch directory per compiler: several (one per release's
        // include directory) may live at once, and each removes its own.
        let scratch = std::env::temp_dir().join(format!("abiscope-xtask-{}-{}", std::process::id(), unique()));
        std::fs::create_dir_all(&scratch).with_context(|| format!("creating {}", scratch.display()))?;
        Ok(Compiler {
            cc,
            include: include.to_path_buf(),
            scratch,
        })
    }

    /// The `#include` lines of a translation unit for `config`.
    /// `pydtrace.h` comes last, with `WITH_DTRACE` undefined: its probes
    /// header is generated at build time and not shipped, and without it the
    /// header declares the documented no-op `static inline` stubs.
    pub fn prelude(config: Config) -> String {
        let mut s = String::new();
        for h in TU_HEADERS
            .iter()
            .chain((!matches!(config, Config::Abi3t(_))).then_some(&CURSES_HEADER))
        {
            s.push_str("#include <");
            s.push_str(h);
            s.push_str(">\n");
        }
        s.push_str("#undef WITH_DTRACE\n#include <pydtrace.h>\n");
        s
    }

    fn write(&self, name: &str, source: &str) -> Result<PathBuf> {
        let path = self.scratch.join(name);
        std::fs::write(&path, source).with_context(|| format!("writing {}", path.display()))?;
        Ok(path)
    }

    fn command(&self, config: Config, extra: &[&str]) -> Command {
        let mut cmd = Command::new(&self.cc);
        cmd.current_dir(&self.include).arg("-std=gnu11").arg("-I.");
        cmd.args(config.defines()).args(extra);
        cmd
    }

    /// `cc -E -dD` on the prelude: declarations with line markers, and macros.
    pub fn preprocess(&self, config: Config, extra: &[&str]) -> Result<String> {
        let file = self.write(&format!("pp-{}.c", unique()), &Self::prelude(config))?;
        let out = self
            .command(config, extra)
            .args(["-E", "-dD"])
            .arg(&file)
            .output()
            .context("running the C preprocessor")?;
        if !out.status.success() {
            bail!(
                "preprocessing the headers failed ({config:?}):\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Compiles `source` (syntax only, all errors reported) and returns the
    /// line numbers of `source` that drew errors.
    pub fn check(&self, config: Config, extra: &[&str], source: &str) -> Result<Diagnostics> {
        let name = format!("probe-{}.c", unique());
        let file = self.write(&name, source)?;
        let out = self
            .command(config, extra)
            .args(["-fsyntax-only", "-fmax-errors=0", "-w"])
            .arg(&file)
            .output()
            .context("running the C compiler")?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        let mut diags = Diagnostics {
            error_lines: std::collections::BTreeSet::new(),
            foreign_errors: Vec::new(),
        };
        for line in stderr.lines() {
            let Some((loc, msg)) = line
                .split_once(": error: ")
                .or_else(|| line.split_once(": fatal error: "))
            else {
                continue;
            };
            let mut parts = loc.rsplitn(3, ':');
            let (_col, line_no, path) = (parts.next(), parts.next(), parts.next());
            match (path, line_no.and_then(|l| l.parse().ok())) {
                (Some(p), Some(n)) if p.ends_with(&name) => {
                    diags.error_lines.insert(n);
                }
                _ => diags.foreign_errors.push(format!("{loc}: {msg}")),
            }
        }
        Ok(diags)
    }
}

impl Drop for Compiler {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}

fn unique() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
