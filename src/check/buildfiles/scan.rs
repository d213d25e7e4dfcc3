//! The Stable ABI version each build system's files declare, read from
//! their text: PyO3's `abi3-pyXY` in `[tool.maturin]`, setuptools'
//! `py_limited_api = cp39` (`setup.cfg`, `setup.py`, pyproject's
//! `[tool.distutils.bdist_wheel]`), scikit-build-core's `wheel.py-api`,
//! meson-python's `limited-api` with meson's `limited_api: '3.9'`,
//! `CMake`'s `USE_SABI 3.9` and nanobind's `STABLE_ABI`, and a
//! `Py_LIMITED_API` value any of them passes to the compiler.
//!
//! `setup.py`, `meson.build` and `CMakeLists.txt` are programs, not data:
//! they are scanned for the literal spellings projects use, never run. A
//! version computed at build time is not found, and the report then says
//! no build file declares one.

use std::path::Path;

use super::{Declaration, Origin};
use crate::catalog::Version;
use crate::target::Target;

/// The declarations in a pyproject.toml other than `[tool.abiscope]`.
pub fn pyproject(path: &Path, text: &str, doc: &toml::Table) -> Vec<Declaration> {
    let mut out = Vec::new();
    let tool = doc.get("tool").and_then(toml::Value::as_table);
    let get = |keys: &[&str]| -> Option<&toml::Value> {
        let mut value = tool?.get(keys[0])?;
        for key in &keys[1..] {
            value = value.as_table()?.get(*key)?;
        }
        Some(value)
    };
    // maturin passes these features to cargo: PyO3's floor.
    if let Some(features) = get(&["maturin", "features"]).and_then(toml::Value::as_array) {
        let mut seen = Vec::new();
        for feature in features.iter().filter_map(toml::Value::as_str) {
            // Each version once: its first feature names where it is.
            if let Some(v) = pyo3_feature(feature).filter(|v| !seen.contains(v)) {
                seen.push(v);
                out.extend(declare(
                    path,
                    text,
                    feature,
                    "PyO3 (maturin)",
                    format!("[tool.maturin] features: {feature}"),
                    Some(abi3(v)),
                ));
            }
        }
    }
    for (keys, shown, system) in [
        (
            &["scikit-build", "wheel", "py-api"][..],
            "[tool.scikit-build] wheel.py-api",
            "scikit-build-core",
        ),
        (
            &["distutils", "bdist_wheel", "py-limited-api"][..],
            "[tool.distutils.bdist_wheel] py-limited-api",
            "setuptools",
        ),
        (
            &["distutils", "bdist_wheel", "py_limited_api"][..],
            "[tool.distutils.bdist_wheel] py_limited_api",
            "setuptools",
        ),
    ] {
        if let Some(value) = get(keys).and_then(toml::Value::as_str) {
            let says = format!("{shown} = \"{value}\"");
            out.extend(declare(
                path,
                text,
                keys[keys.len() - 1],
                system,
                says,
                cp_tag(value).map(abi3),
            ));
        }
    }
    out
}

/// Whether meson-python tags the wheel abi3 (`limited-api = true`), and
/// where it says so.
pub fn meson_python_limited(path: &Path, text: &str, doc: &toml::Table) -> Option<Origin> {
    let on = doc.get("tool")?.get("meson-python")?.get("limited-api")?.as_bool()?;
    on.then(|| {
        origin(
            path,
            text,
            "limited-api",
            "[tool.meson-python] limited-api = true".to_string(),
        )
    })
}

/// `[bdist_wheel] py_limited_api = cp39` in setup.cfg.
pub fn setup_cfg(path: &Path, text: &str) -> Vec<Declaration> {
    let mut section = String::new();
    let mut found = Found::new(path, text);
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.trim().to_string();
            continue;
        }
        let Some((key, value)) = line.split_once(['=', ':']) else {
            continue;
        };
        let key = key.trim();
        if section == "bdist_wheel" && (key == "py_limited_api" || key == "py-limited-api") {
            let value = value.trim();
            if let Some(v) = cp_tag(value) {
                found.add(line_number(n), "setuptools", v, || {
                    format!("[bdist_wheel] {key} = {value}")
                });
            }
        }
    }
    found.out
}

/// setup.py: `py_limited_api="cp39"` / `"py_limited_api": "cp39"` (the
/// `bdist_wheel` option) and `Py_LIMITED_API` values.
pub fn setup_py(path: &Path, text: &str) -> Vec<Declaration> {
    let mut found = Found::new(path, text);
    for (at, _) in text.match_indices("py_limited_api") {
        let rest = &text[at + "py_limited_api".len()..];
        let rest = rest.trim_start_matches(['"', '\'', ' ', '\t']);
        let Some(rest) = rest.strip_prefix(['=', ':']) else {
            continue;
        };
        let Some(value) = string_literal(rest.trim_start()) else {
            continue;
        };
        if let Some(v) = cp_tag(value) {
            found.at(at, "setuptools", v, || format!("py_limited_api \"{value}\""));
        }
    }
    limited_api_values(&mut found, "setuptools");
    found.out
}

/// meson.build: `limited_api: '3.9'` on an extension module.
pub fn meson_build(path: &Path, text: &str) -> Vec<Declaration> {
    let mut found = Found::new(path, text);
    for (at, _) in text.match_indices("limited_api") {
        let rest = text[at + "limited_api".len()..].trim_start();
        let Some(value) = rest.strip_prefix(':').and_then(|r| string_literal(r.trim_start())) else {
            continue;
        };
        if let Some(v) = dotted(value) {
            found.at(at, "meson-python", v, || format!("limited_api: '{value}'"));
        }
    }
    limited_api_values(&mut found, "meson");
    found.out
}

/// nanobind builds the Stable ABI only for 3.12 and later.
const NANOBIND_FLOOR: Version = Version::new(3, 12);

/// `CMakeLists.txt`: `FindPython`'s `USE_SABI 3.9`, nanobind's `STABLE_ABI`
/// (3.12: nanobind's own floor), and `Py_LIMITED_API` values.
pub fn cmake(path: &Path, text: &str) -> Vec<Declaration> {
    let mut found = Found::new(path, text);
    for (at, _) in text.match_indices("USE_SABI") {
        let rest = text[at + "USE_SABI".len()..].trim_start();
        let value: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
        if let Some(v) = dotted(&value) {
            found.at(at, "CMake", v, || format!("USE_SABI {value}"));
        }
    }
    for (at, _) in text.match_indices("STABLE_ABI") {
        let call = text[..at].rfind('(').map_or("", |open| &text[..open]);
        let word_before = text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if word_before || !call.trim_end().ends_with("nanobind_add_module") {
            continue;
        }
        found.at(at, "nanobind", NANOBIND_FLOOR, || {
            "nanobind_add_module(... STABLE_ABI): the Stable ABI from 3.12, nanobind's first".to_string()
        });
    }
    limited_api_values(&mut found, "CMake");
    found.out
}

/// `Py_LIMITED_API` with a hexadecimal value beside it (`-DPy_LIMITED_API=0x03090000`,
/// `("Py_LIMITED_API", "0x03090000")`, `Py_LIMITED_API=0x03090000`).
fn limited_api_values(found: &mut Found<'_>, system: &'static str) {
    let text = found.text;
    for (at, _) in text.match_indices("Py_LIMITED_API") {
        let rest = text[at + "Py_LIMITED_API".len()..].trim_start_matches(['"', '\'', ' ', '\t', ',', '=']);
        let hex: String = rest
            .strip_prefix("0x")
            .or_else(|| rest.strip_prefix("0X"))
            .map(|h| h.chars().take_while(char::is_ascii_hexdigit).collect())
            .unwrap_or_default();
        let Some(v) = hex_version(&hex) else { continue };
        found.at(at, system, v, || format!("Py_LIMITED_API=0x{hex}"));
    }
}

/// `abi3-py39` (or `pyo3/abi3-py39`) as a version.
pub fn pyo3_feature(feature: &str) -> Option<Version> {
    let bare = feature.rsplit('/').next()?;
    let minor = bare.strip_prefix("abi3-py3")?.parse::<u8>().ok()?;
    Some(Version::new(3, minor))
}

/// `cp39` / `cp310` as a version; `py3` and other tags are not Stable ABI
/// declarations.
pub fn cp_tag(tag: &str) -> Option<Version> {
    let digits = tag.trim().strip_prefix("cp3")?;
    (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| digits.parse::<u8>().ok().map(|minor| Version::new(3, minor)))?
}

/// `3.9` as a version.
fn dotted(value: &str) -> Option<Version> {
    let (major, minor) = value.trim().split_once('.')?;
    (major == "3").then_some(())?;
    Some(Version::new(3, minor.parse().ok()?))
}

/// `030900f0` (the digits of `0x030900f0`) as a version.
fn hex_version(hex: &str) -> Option<Version> {
    let value = u32::from_str_radix(hex, 16).ok()?;
    let (major, minor) = (value >> 24, (value >> 16) & 0xff);
    (major == 3 && hex.len() >= 7).then(|| Version::new(3, u8::try_from(minor).unwrap_or(u8::MAX)))
}

/// The declarations found in one file's text. Lines are counted forward
/// from the last place found (a file full of matches is read once, not
/// once per match), and each spelling (`py_limited_api`, `USE_SABI`…) of
/// each version is kept once, at its first place: memory and the report
/// stay bounded by the versions declared, and the lowest is never lost.
struct Found<'a> {
    path: &'a Path,
    text: &'a str,
    /// The byte up to which lines are counted, and the line it is on.
    counted: usize,
    line: u32,
    out: Vec<Declaration>,
}

impl<'a> Found<'a> {
    fn new(path: &'a Path, text: &'a str) -> Found<'a> {
        Found {
            path,
            text,
            counted: 0,
            line: 1,
            out: Vec::new(),
        }
    }

    /// A declaration at byte `at` of the text.
    fn at(&mut self, at: usize, system: &'static str, v: Version, says: impl FnOnce() -> String) {
        let says = says();
        if self.has(&says, v) {
            return;
        }
        if at < self.counted {
            // Another pass over the text starts again from its top.
            (self.counted, self.line) = (0, 1);
        }
        let newlines = self.text[self.counted..at].bytes().filter(|b| *b == b'\n').count();
        self.line = self.line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        self.counted = at;
        self.add(self.line, system, v, || says);
    }

    /// A declaration on `line`.
    fn add(&mut self, line: u32, system: &'static str, v: Version, says: impl FnOnce() -> String) {
        let says = says();
        if self.has(&says, v) {
            return;
        }
        self.out.push(Declaration {
            target: abi3(v),
            system,
            origin: Origin {
                path: self.path.to_path_buf(),
                line,
                says,
            },
        });
    }

    /// Whether `v` is declared already with the spelling `says` starts with.
    fn has(&self, says: &str, v: Version) -> bool {
        fn spelling(says: &str) -> &str {
            says.split([' ', '=', ':']).next().unwrap_or_default()
        }
        let wanted = spelling(says);
        self.out
            .iter()
            .any(|d| d.target.abi3 == Some(v) && spelling(&d.origin.says) == wanted)
    }
}

fn abi3(v: Version) -> Target {
    Target {
        abi3: Some(v),
        ..Target::default()
    }
}

/// The contents of a quoted string at the start of `text`.
fn string_literal(text: &str) -> Option<&str> {
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = &text[1..];
    body.find(quote).map(|end| &body[..end])
}

fn line_number(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// Where `key` is set in `text`: the first line that starts with it,
/// else the first that holds it (line 1 when it cannot be found).
fn origin(path: &Path, text: &str, key: &str, says: String) -> Origin {
    let starts = text.lines().position(|l| {
        l.trim_start()
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    });
    let line = starts
        .or_else(|| text.lines().position(|l| l.contains(key)))
        .map_or(1, line_number);
    Origin {
        path: path.to_path_buf(),
        line,
        says,
    }
}

fn declare(
    path: &Path,
    text: &str,
    key: &str,
    system: &'static str,
    says: String,
    target: Option<Target>,
) -> Option<Declaration> {
    Some(Declaration {
        target: target?,
        system,
        origin: origin(path, text, key, says),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn versions(found: &[Declaration]) -> Vec<(String, u32, String)> {
        found
            .iter()
            .map(|d| (d.target.to_string(), d.origin.line, d.origin.says.clone()))
            .collect()
    }

    #[test]
    fn tags_and_versions_parse() {
        assert_eq!(cp_tag("cp39"), Some(Version::new(3, 9)));
        assert_eq!(cp_tag("cp310"), Some(Version::new(3, 10)));
        assert_eq!(cp_tag("py3"), None);
        assert_eq!(cp_tag("cp3"), None);
        assert_eq!(pyo3_feature("pyo3/abi3-py311"), Some(Version::new(3, 11)));
        assert_eq!(pyo3_feature("abi3"), None);
        assert_eq!(hex_version("030B0000"), Some(Version::new(3, 11)));
        assert_eq!(hex_version("3"), None);
        assert_eq!(dotted("3.12"), Some(Version::new(3, 12)));
    }

    #[test]
    fn setup_py_spellings() {
        let text = "from setuptools import Extension, setup\n\
                    setup(\n    ext_modules=[Extension('spam', ['spam.c'], py_limited_api=True,\n        \
                    define_macros=[('Py_LIMITED_API', '0x030A0000')])],\n    \
                    options={'bdist_wheel': {'py_limited_api': 'cp39'}},\n)\n";
        assert_eq!(
            versions(&setup_py(Path::new("setup.py"), text)),
            vec![
                ("abi3 3.9".to_string(), 5, "py_limited_api \"cp39\"".to_string()),
                ("abi3 3.10".to_string(), 4, "Py_LIMITED_API=0x030A0000".to_string()),
            ]
        );
    }

    #[test]
    fn each_version_is_kept_once_at_its_first_line() {
        let text = format!(
            "{}Py_LIMITED_API=0x030B0000\npy_limited_api='cp38'\n",
            "py_limited_api='cp39'\n".repeat(1000)
        );
        assert_eq!(
            versions(&setup_py(Path::new("setup.py"), &text)),
            vec![
                ("abi3 3.9".to_string(), 1, "py_limited_api \"cp39\"".to_string()),
                ("abi3 3.8".to_string(), 1002, "py_limited_api \"cp38\"".to_string()),
                ("abi3 3.11".to_string(), 1001, "Py_LIMITED_API=0x030B0000".to_string()),
            ]
        );
    }

    #[test]
    fn setup_cfg_section() {
        let text = "[metadata]\nname = spam\n[bdist_wheel]\npy_limited_api = cp311\n";
        assert_eq!(
            versions(&setup_cfg(Path::new("setup.cfg"), text)),
            vec![(
                "abi3 3.11".to_string(),
                4,
                "[bdist_wheel] py_limited_api = cp311".to_string()
            )]
        );
        assert!(setup_cfg(Path::new("setup.cfg"), "[other]\npy_limited_api = cp311\n").is_empty());
    }

    #[test]
    fn meson_and_cmake() {
        let meson = "py.extension_module('spam', 'spam.c',\n  limited_api: '3.10',\n  install: true)\n";
        assert_eq!(
            versions(&meson_build(Path::new("meson.build"), meson)),
            vec![("abi3 3.10".to_string(), 2, "limited_api: '3.10'".to_string())]
        );
        let lists = "python_add_library(spam MODULE USE_SABI 3.9 WITH_SOABI spam.c)\n\
                     nanobind_add_module(\n  fast\n  STABLE_ABI\n  fast.cpp)\n\
                     target_compile_definitions(spam PRIVATE Py_LIMITED_API=0x03090000)\n";
        let found = versions(&cmake(Path::new("CMakeLists.txt"), lists));
        assert_eq!(found[0], ("abi3 3.9".to_string(), 1, "USE_SABI 3.9".to_string()));
        assert_eq!((found[1].0.as_str(), found[1].1), ("abi3 3.12", 4));
        assert_eq!(
            found[2],
            ("abi3 3.9".to_string(), 6, "Py_LIMITED_API=0x03090000".to_string())
        );
        // STABLE_ABI outside nanobind_add_module, or inside a longer word, is not nanobind's.
        assert!(cmake(Path::new("CMakeLists.txt"), "set(MY_STABLE_ABI ON)\nfoo(STABLE_ABI)\n").is_empty());
    }

    #[test]
    fn pyproject_tables() {
        let text = "[tool.maturin]\nfeatures = [\"pyo3/abi3-py310\", \"pyo3/extension-module\"]\n\n\
                    [tool.scikit-build]\nwheel.py-api = \"cp39\"\n\n\
                    [tool.distutils.bdist_wheel]\npy-limited-api = \"cp311\"\n\n\
                    [tool.meson-python]\nlimited-api = true\n";
        let doc: toml::Table = toml::from_str(text).expect("valid TOML");
        let path = Path::new("pyproject.toml");
        assert_eq!(
            versions(&pyproject(path, text, &doc)),
            vec![
                (
                    "abi3 3.10".to_string(),
                    2,
                    "[tool.maturin] features: pyo3/abi3-py310".to_string()
                ),
                (
                    "abi3 3.9".to_string(),
                    5,
                    "[tool.scikit-build] wheel.py-api = \"cp39\"".to_string()
                ),
                (
                    "abi3 3.11".to_string(),
                    8,
                    "[tool.distutils.bdist_wheel] py-limited-api = \"cp311\"".to_string()
                ),
            ]
        );
        assert_eq!(meson_python_limited(path, text, &doc).map(|o| o.line), Some(11));
    }
}
