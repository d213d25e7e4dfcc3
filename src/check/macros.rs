//! The macros a file is compiled with, per build: what the file itself
//! defines, what the command line (`-D`, `-U`, `compile_commands.json`)
//! defines, what each build's configuration defines, and what the headers
//! of the release that build compiles with define.
//!
//! A name nothing defines is undefined, as the compiler sees it, and is
//! reported as "assumed undefined" so that the user can say otherwise with
//! `-D`. Only names that something outside the file may define stay
//! unknown: compiler and platform macros (`_WIN32`, `__GNUC__`, reserved
//! names), `pyconfig.h`'s platform settings (`HAVE_FORK`), and macros
//! another checked file defines (it may be included).

use std::collections::{HashMap, HashSet};

use super::build::{Build, Builds, Family};
use super::cond::{self, Lookup, Truth, Value};
use crate::catalog::Version;
use crate::catalog::headers::{self, Config, Form, HeaderKind, Seen};

/// What a check run knows beyond the files: the command line and the
/// other files of the tree.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// `-D NAME[=VALUE]` (`Value::Number` or `Defined`) and `-U NAME`
    /// (`Undefined`).
    pub defines: HashMap<String, Value>,
    /// The Python whose headers build the code (`--build-python`); each
    /// build otherwise compiles with the headers of its own version.
    pub build_python: Option<Version>,
    /// Macros that some checked file defines: another file may include it.
    pub tree: HashSet<String>,
    /// Files and directories left out (`[tool.abiscope] skip`), absolute.
    pub skip: Vec<std::path::PathBuf>,
}

impl Env {
    /// The release whose headers a build compiles with: its own version's
    /// (or `--build-python`'s, when newer). Versions before the oldest
    /// headers abiscope has (3.9) compile with those.
    pub fn headers(&self, build: Build) -> Version {
        crate::catalog::headers::release_for(build.version, self.build_python)
    }

    /// `NAME`, `NAME=VALUE` (a `-D` argument).
    pub fn define(&mut self, arg: &str) {
        let (name, value) = arg.split_once('=').unwrap_or((arg, "1"));
        let value = cond::value_of(value).map_or(Value::Defined, Value::Number);
        self.defines.insert(name.trim().to_string(), value);
    }

    pub fn undefine(&mut self, name: &str) {
        self.defines.insert(name.trim().to_string(), Value::Undefined);
    }
}

/// Compiler and platform macros that no file defines and yet may be
/// defined: decided by the platform, never assumed undefined.
const PLATFORM: &[&str] = &[
    "WIN32",
    "WIN64",
    "MS_WINDOWS",
    "MS_WIN32",
    "MS_WIN64",
    "linux",
    "unix",
    "NDEBUG",
    "Py_DEBUG",
    "Py_REF_DEBUG",
    "Py_TRACE_REFS",
    "Py_ENABLE_SHARED",
    "Py_NO_ENABLE_SHARED",
];

/// Where a macro's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    File,
    CommandLine,
    Config,
    Headers,
    /// Another checked file defines it.
    Tree,
    /// The compiler or the platform decides.
    Platform,
    /// Nothing defines it: undefined.
    Assumed,
}

/// A macro the file defines or undefines: its value per build, and the
/// builds where the file's own definition surely holds.
#[derive(Debug, Clone)]
struct FileMacro {
    values: Values,
    owned: Builds,
}

/// Per-build values, stored once when every build agrees (most macros),
/// so a million `#define`s cost a million small entries.
#[derive(Debug, Clone)]
enum Values {
    Uniform(Value),
    PerBuild(Box<[Value; Build::COUNT]>),
}

impl Values {
    fn get(&self, build: Build) -> Value {
        match self {
            Values::Uniform(v) => *v,
            Values::PerBuild(values) => values[build.index()],
        }
    }

    fn from_fn(f: impl Fn(Build) -> Value) -> Values {
        let mut builds = Build::all();
        let first = builds.next().map(&f);
        match first {
            Some(v) if builds.all(|b| f(b) == v) => Values::Uniform(v),
            _ => {
                let mut all = [Value::Unknown; Build::COUNT];
                for b in Build::all() {
                    all[b.index()] = f(b);
                }
                Values::PerBuild(Box::new(all))
            }
        }
    }
}

/// The macro environment of one file.
#[derive(Debug)]
pub struct Macros<'e> {
    env: &'e Env,
    /// The file's `compile_commands.json` flags; the command line's win.
    own: HashMap<String, Value>,
    file: HashMap<String, FileMacro>,
}

impl<'e> Macros<'e> {
    pub fn new(env: &'e Env, own: HashMap<String, Value>) -> Macros<'e> {
        Macros {
            env,
            own,
            file: HashMap::new(),
        }
    }

    /// The builds where the file's own definition of `name` holds here: a
    /// use of `name` there is the file's macro, not the C API.
    pub fn owned(&self, name: &str) -> Builds {
        self.file.get(name).map_or(Builds::NONE, |m| m.owned)
    }

    /// Whether the file defines or undefines `name` somewhere before here.
    pub fn touched(&self, name: &str) -> bool {
        self.file.contains_key(name)
    }

    /// Whether another file of the tree defines `name`.
    pub fn is_tree(&self, name: &str) -> bool {
        self.env.tree.contains(name)
    }

    /// The names the file has defined, with the builds where its own
    /// definition holds at this point.
    pub fn defined_by_file(&self) -> impl Iterator<Item = (&str, Builds)> {
        self.file
            .iter()
            .filter(|(_, m)| !m.owned.is_empty())
            .map(|(n, m)| (n.as_str(), m.owned))
    }

    /// `#define NAME BODY` where `at` holds (`body` is `None` for a
    /// function-like macro). The configuration macros keep each build's
    /// value: the builds are the hypotheses being weighed.
    pub fn define(&mut self, name: &str, body: Option<&str>, at: Truth) {
        if is_config(name) {
            return;
        }
        let values: Vec<Value> = match body {
            Some(body) => cond::body_values(body, self),
            None => vec![Value::Defined; Build::COUNT],
        };
        self.set(name, at, |b| values[b.index()]);
        if let Some(m) = self.file.get_mut(name) {
            m.owned = m.owned.or(at.surely);
        }
    }

    /// `#undef NAME` where `at` holds.
    pub fn undefine(&mut self, name: &str, at: Truth) {
        if is_config(name) {
            return;
        }
        self.set(name, at, |_| Value::Undefined);
        if let Some(m) = self.file.get_mut(name) {
            m.owned = m.owned.minus(at.maybe);
        }
    }

    /// Where `at` surely holds the macro becomes `new`; where it may, the
    /// macro stays what it was only if that is the same.
    fn set(&mut self, name: &str, at: Truth, new: impl Fn(Build) -> Value) {
        let before = |b: Build| self.value(name, b);
        // An unconditional definition needs nothing of what was before.
        let values = Values::from_fn(|b| {
            if at.surely.contains(b) {
                new(b)
            } else {
                let before = before(b);
                if at.maybe.contains(b) && before != new(b) {
                    Value::Unknown
                } else {
                    before
                }
            }
        });
        let owned = self.owned(name);
        self.file.insert(name.to_string(), FileMacro { values, owned });
    }

    /// Where the value of a name not defined by the file comes from.
    pub fn origin(&self, name: &str) -> Origin {
        if self.file.contains_key(name) {
            Origin::File
        } else if self.own.contains_key(name) || self.env.defines.contains_key(name) {
            Origin::CommandLine
        } else if is_config(name) || matches!(name, "PY_MAJOR_VERSION" | "PY_MINOR_VERSION" | "PY_VERSION_HEX") {
            Origin::Config
        } else if headers::get(name).is_some_and(|h| h.kinds().any(HeaderKind::is_macro)) {
            Origin::Headers
        } else if self.env.tree.contains(name) {
            Origin::Tree
        } else if is_platform(name) {
            Origin::Platform
        } else if headers::get(name).is_some() {
            Origin::Headers
        } else {
            Origin::Assumed
        }
    }
}

impl Lookup for Macros<'_> {
    fn value(&self, name: &str, build: Build) -> Value {
        if let Some(m) = self.file.get(name) {
            return m.values.get(build);
        }
        if let Some(v) = self.env.defines.get(name).or_else(|| self.own.get(name)) {
            return *v;
        }
        if let Some(v) = config_macro(name, build, self.env.headers(build)) {
            return v;
        }
        let release = self.env.headers(build);
        let header = headers::get(name);
        if let Some(h) = header {
            let config = match build.family {
                Family::Abi3 => Config::Limited(build.version),
                Family::Abi3t => Config::Abi3t,
            };
            match h.seen(release, config, Form::Macro) {
                Seen::Yes(HeaderKind::Platform) | Seen::Unknown => return Value::Unknown,
                Seen::Yes(_) => return Value::Defined,
                Seen::No => {}
            }
        }
        if self.env.tree.contains(name) || is_platform(name) {
            Value::Unknown
        } else {
            Value::Undefined
        }
    }

    fn assumed(&self, name: &str) -> bool {
        self.origin(name) == Origin::Assumed
    }
}

/// The configuration macros: the build decides them.
fn is_config(name: &str) -> bool {
    matches!(
        name,
        "Py_LIMITED_API"
            | "Py_TARGET_ABI3T"
            | "Py_GIL_DISABLED"
            | "_Py_OPAQUE_PYOBJECT"
            | "PYPY_VERSION"
            | "PYPY_VERSION_NUM"
            | "GRAALVM_PYTHON"
            | "GRAALPY_VERSION_NUM"
    )
}

/// The configuration macros a Stable ABI build defines (after `pyabi.h`
/// has run: abi3t implies `Py_LIMITED_API` and `Py_GIL_DISABLED`), and the
/// version macros of the headers it compiles with.
fn config_macro(name: &str, build: Build, headers: Version) -> Option<Value> {
    let abi3t = build.family == Family::Abi3t;
    let defined_if = |yes: bool| if yes { Value::Defined } else { Value::Undefined };
    let hex = i64::from(build.version.hex());
    let release = i64::from(headers.hex());
    Some(match name {
        "Py_LIMITED_API" => Value::Number(hex),
        "Py_TARGET_ABI3T" if abi3t => Value::Number(hex),
        "Py_GIL_DISABLED" | "_Py_OPAQUE_PYOBJECT" => defined_if(abi3t),
        // abi3 builds do not target abi3t; all these builds are CPython's.
        "Py_TARGET_ABI3T" | "PYPY_VERSION" | "PYPY_VERSION_NUM" | "GRAALVM_PYTHON" | "GRAALPY_VERSION_NUM" => {
            Value::Undefined
        }
        "PY_MAJOR_VERSION" => Value::Number(i64::from(headers.major)),
        "PY_MINOR_VERSION" => Value::Number(i64::from(headers.minor)),
        // Any final release of that version: 3.13.0 is 0x030D00F0.
        "PY_VERSION_HEX" => Value::Range(release + 0xF0, release + 0xFFFF),
        _ => return None,
    })
}

/// Prefixes of the C library's macro families (`<limits.h>`,
/// `<stdint.h>`, `<stdatomic.h>`, `<float.h>`): the platform defines them.
const C_LIBRARY: &[&str] = &[
    "ATOMIC_",
    "INT",
    "UINT",
    "LLONG_",
    "ULLONG_",
    "LONG_",
    "ULONG_",
    "SHRT_",
    "USHRT_",
    "SCHAR_",
    "UCHAR_",
    "CHAR_",
    "SIZE_",
    "SSIZE_",
    "PTRDIFF_",
    "WCHAR_",
    "WINT_",
    "SIG_ATOMIC_",
    "FLT_",
    "DBL_",
    "LDBL_",
    "HAVE_",
];

/// Compiler and platform macros: reserved names (`__GNUC__`, `_WIN32`,
/// `_MSC_VER`), the C library's families and the usual platform ones.
fn is_platform(name: &str) -> bool {
    let reserved = name.starts_with("__")
        || (name.starts_with('_')
            && name[1..].starts_with(|c: char| c.is_ascii_uppercase())
            && !name.starts_with("_Py")
            && !name.starts_with("_PY"));
    let library = C_LIBRARY.iter().any(|p| name.starts_with(p)) && !name.bytes().any(|b| b.is_ascii_lowercase());
    reserved
        || library
        || PLATFORM.contains(&name)
        || matches!(name, "EOF" | "NULL" | "BUFSIZ" | "HUGE_VAL" | "INFINITY" | "NAN")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::build::for_tests::{abi3, abi3t};
    use crate::check::cond::evaluate;

    #[test]
    fn headers_decide_their_macros_per_build_and_release() {
        let env = Env::default();
        let m = Macros::new(&env, HashMap::new());
        let fastcall = evaluate("defined(METH_FASTCALL)", &m).truth;
        assert!(!fastcall.maybe.contains(abi3(9)) && fastcall.surely.contains(abi3(10)));
        assert!(evaluate("defined(_Py_NO_RETURN)", &m).truth.surely.contains(abi3(3)));
        let presized = evaluate("defined(_PyDict_NewPresized)", &m).truth;
        assert!(presized.maybe.is_empty(), "a function, never a macro");
        let optimized = evaluate("!defined(CO_OPTIMIZED)", &m).truth;
        assert_eq!(optimized.surely, Builds::ALL, "not in the Limited API headers");
        let memcpy = evaluate("defined(Py_MEMCPY)", &m).truth;
        assert!(memcpy.surely.contains(abi3(10)) && !memcpy.maybe.contains(abi3(11)));
        assert_eq!(evaluate("defined(HAVE_FORK)", &m).truth, Truth::UNKNOWN, "pyconfig.h");
        assert_eq!(evaluate("defined(_WIN32)", &m).truth, Truth::UNKNOWN);
        let gil = evaluate("defined(Py_GIL_DISABLED)", &m).truth;
        assert!(gil.surely.contains(abi3t()) && !gil.maybe.contains(abi3(15)));
    }

    #[test]
    fn nothing_defines_an_unknown_name_unless_told() {
        let mut env = Env::default();
        let m = Macros::new(&env, HashMap::new());
        let e = evaluate("MYCFG", &m);
        assert!(e.truth.maybe.is_empty());
        assert_eq!(e.assumed, vec!["MYCFG".to_string()]);
        env.define("MYCFG=2");
        env.define("OTHER");
        let m = Macros::new(&env, HashMap::new());
        assert_eq!(evaluate("MYCFG == 2 && OTHER", &m).truth, Truth::ALWAYS);
        env.tree.insert("FROM_A_HEADER".to_string());
        let m = Macros::new(&env, HashMap::new());
        assert_eq!(evaluate("defined(FROM_A_HEADER)", &m).truth, Truth::UNKNOWN);
    }

    #[test]
    fn the_headers_release_follows_the_build_or_the_build_python() {
        let mut env = Env::default();
        let m = Macros::new(&env, HashMap::new());
        let old = evaluate("PY_VERSION_HEX < 0x030D0000", &m).truth;
        assert!(old.surely.contains(abi3(9)) && !old.maybe.contains(abi3(13)));
        env.build_python = Some(Version::new(3, 13));
        let m = Macros::new(&env, HashMap::new());
        let old = evaluate("PY_VERSION_HEX < 0x030D0000", &m).truth;
        assert!(old.maybe.is_empty(), "built with 3.13 for every version");
    }

    #[test]
    fn file_macros_decide_conditions_and_own_their_names() {
        let env = Env::default();
        let mut m = Macros::new(&env, HashMap::new());
        let mut stack = cond::Stack::default();
        // Cython's preamble, shortened.
        stack.open(evaluate("defined(PYPY_VERSION)", &m).truth);
        m.define("USE_SLOTS", Some("1"), stack.here());
        stack.branch(evaluate("defined(Py_LIMITED_API)", &m).truth);
        m.define("USE_SLOTS", Some("0"), stack.here());
        m.define("HEX", Some("Py_LIMITED_API"), stack.here());
        m.define("VECTORCALL", Some("(HEX >= 0x030C0000)"), stack.here());
        stack.close();
        assert!(evaluate("USE_SLOTS", &m).truth.maybe.is_empty());
        let vectorcall = evaluate("VECTORCALL", &m).truth;
        assert!(!vectorcall.maybe.contains(abi3(9)) && vectorcall.surely.contains(abi3(12)));
        // A fallback for what the Limited API lacks is the file's own.
        stack.open(evaluate("!defined(Py_TPFLAGS_SEQUENCE)", &m).truth);
        m.define("Py_TPFLAGS_SEQUENCE", Some("0"), stack.here());
        stack.close();
        assert_eq!(m.owned("Py_TPFLAGS_SEQUENCE"), Builds::ALL);
        // One the headers give from 3.12 is the file's only before.
        stack.open(evaluate("!defined(Py_TPFLAGS_HAVE_VECTORCALL)", &m).truth);
        m.define("Py_TPFLAGS_HAVE_VECTORCALL", Some("0"), stack.here());
        stack.close();
        let owned = m.owned("Py_TPFLAGS_HAVE_VECTORCALL");
        assert!(owned.contains(abi3(11)) && !owned.contains(abi3(12)));
        // A definition under an unknown condition makes the value unknown.
        stack.open(evaluate("defined(_WIN32)", &m).truth);
        m.define("USE_SLOTS", Some("1"), stack.here());
        stack.close();
        assert_eq!(evaluate("USE_SLOTS", &m).truth, Truth::UNKNOWN);
        m.undefine("HEX", Truth::ALWAYS);
        assert!(evaluate("defined(HEX)", &m).truth.maybe.is_empty());
        assert!(m.owned("HEX").is_empty());
        // Configuration macros cannot be redefined: the builds decide them.
        m.define("Py_LIMITED_API", Some("0x03020000"), Truth::ALWAYS);
        assert!(
            evaluate("Py_LIMITED_API >= 0x030C0000", &m)
                .truth
                .surely
                .contains(abi3(12))
        );
    }
}
