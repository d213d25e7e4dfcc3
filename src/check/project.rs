//! What the project around the checked files says about how they are
//! built: the macros its files define (another file may include them), the
//! flags `compile_commands.json` gives each file, the Stable ABI floor
//! PyO3's features declare in `Cargo.toml`, and copies of CPython's
//! headers that are CPython's code, not the project's.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::cond::Value;
use crate::catalog::Version;

/// Names defined by `#define` lines in C text, found without scanning it
/// fully: the macros one file of a tree may give the others.
pub fn defined_macros<S: std::hash::BuildHasher>(text: &str, into: &mut HashSet<String, S>) {
    for line in text.lines() {
        let Some(rest) = line.trim_start().strip_prefix('#') else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix("define") else {
            continue;
        };
        if !rest.starts_with([' ', '\t']) {
            continue;
        }
        let name: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() && !into.contains(&name) {
            into.insert(name);
        }
    }
}

/// Whether a directory holds a copy of CPython's headers: a `Python.h`
/// with CPython's include guard.
pub fn is_cpython_include(dir: &Path) -> bool {
    let header = dir.join("Python.h");
    let Ok(meta) = std::fs::symlink_metadata(&header) else {
        return false;
    };
    if !meta.is_file() || meta.len() > 1 << 20 {
        return false;
    }
    std::fs::read_to_string(&header).is_ok_and(|t| t.contains("#define Py_PYTHON_H"))
}

/// The `-D`/`-U` flags `compile_commands.json` gives each file, by
/// canonical path.
#[derive(Debug, Default)]
pub struct CompileCommands {
    pub files: HashMap<PathBuf, Flags>,
    /// The files read, for the report.
    pub sources: Vec<PathBuf>,
}

/// One file's macros from its compile command, and where they came from.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub defines: HashMap<String, Value>,
    /// `Py_LIMITED_API` / `Py_TARGET_ABI3T` as given (their values).
    pub settings: Vec<(&'static str, String)>,
    pub from: PathBuf,
}

/// The largest `compile_commands.json` read.
const COMMANDS_LIMIT: u64 = 64 << 20;

impl CompileCommands {
    /// Reads `compile_commands.json` in `dir` or its `build/`, if there is
    /// one. A broken one is an error message.
    pub fn find_in(&mut self, dir: &Path) -> Result<(), String> {
        for candidate in [
            dir.join("compile_commands.json"),
            dir.join("build/compile_commands.json"),
        ] {
            let Ok(meta) = std::fs::metadata(&candidate) else {
                continue;
            };
            if !meta.is_file() || self.sources.contains(&candidate) {
                continue;
            }
            if meta.len() > COMMANDS_LIMIT {
                return Err(format!("{}: larger than abiscope reads", candidate.display()));
            }
            let text = std::fs::read_to_string(&candidate).map_err(|e| format!("{}: {e}", candidate.display()))?;
            self.absorb(&candidate, &text)?;
        }
        Ok(())
    }

    fn absorb(&mut self, path: &Path, text: &str) -> Result<(), String> {
        let entries: Vec<serde_json::Value> =
            serde_json::from_str(text).map_err(|e| format!("{}: not a compilation database ({e})", path.display()))?;
        self.sources.push(path.to_path_buf());
        for entry in entries {
            let Some(file) = entry.get("file").and_then(|f| f.as_str()) else {
                continue;
            };
            let directory = entry.get("directory").and_then(|d| d.as_str()).unwrap_or(".");
            let args: Vec<String> = match (entry.get("arguments"), entry.get("command")) {
                (Some(serde_json::Value::Array(a)), _) => {
                    a.iter().filter_map(|x| x.as_str().map(String::from)).collect()
                }
                (_, Some(serde_json::Value::String(c))) => split_command(c),
                _ => continue,
            };
            let full = Path::new(directory).join(file);
            let key = std::fs::canonicalize(&full).unwrap_or(full);
            self.files.insert(key, flags(&args, path));
        }
        Ok(())
    }

    /// The flags for `path`, if the database lists it.
    pub fn for_file(&self, path: &Path) -> Option<&Flags> {
        if self.files.is_empty() {
            return None;
        }
        let key = std::fs::canonicalize(path).ok()?;
        self.files.get(&key)
    }
}

/// The `-D NAME[=VALUE]` and `-U NAME` flags of a command line.
fn flags(args: &[String], from: &Path) -> Flags {
    let mut out = Flags {
        from: from.to_path_buf(),
        ..Flags::default()
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, rest) = if let Some(r) = arg.strip_prefix("-D") {
            ('D', r.to_string())
        } else if let Some(r) = arg.strip_prefix("-U") {
            ('U', r.to_string())
        } else {
            continue;
        };
        let rest = if rest.is_empty() {
            args.next().cloned().unwrap_or_default()
        } else {
            rest
        };
        let (name, value) = rest.split_once('=').unwrap_or((&rest, "1"));
        if flag == 'U' {
            out.defines.insert(name.to_string(), Value::Undefined);
            continue;
        }
        if let Some(setting) = super::c::SETTINGS.iter().find(|s| **s == name) {
            out.settings.push((setting, value.to_string()));
            continue;
        }
        let value = super::cond::value_of(value).map_or(Value::Defined, Value::Number);
        out.defines.insert(name.to_string(), value);
    }
    out
}

/// A shell command line split into words (quotes and backslashes).
fn split_command(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut in_word = false;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, ' ' | '\t' | '\n') => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (Some(q), c) if c == q => quote = None,
            (Some('\''), c) => word.push(c),
            (_, '\\') => {
                if let Some(next) = chars.next() {
                    word.push(next);
                }
                in_word = true;
            }
            (_, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// The Stable ABI floor a Rust crate declares: PyO3's `abi3-pyXY` feature
/// on `pyo3` or `pyo3-ffi`, in the nearest `Cargo.toml` above `source`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CargoFloor {
    pub manifest: PathBuf,
    pub line: u32,
    pub feature: String,
    pub version: Version,
}

/// The largest `Cargo.toml` read.
const MANIFEST_LIMIT: u64 = 1 << 20;

/// Finds the floor for a Rust source, caching manifests by directory.
#[derive(Debug, Default)]
pub struct CargoFloors {
    by_dir: HashMap<PathBuf, Option<CargoFloor>>,
}

impl CargoFloors {
    pub fn for_source(&mut self, source: &Path) -> Option<CargoFloor> {
        let mut dir = source.parent()?.to_path_buf();
        let mut visited = Vec::new();
        let found = loop {
            if let Some(known) = self.by_dir.get(&dir) {
                break known.clone();
            }
            visited.push(dir.clone());
            let manifest = dir.join("Cargo.toml");
            if std::fs::metadata(&manifest).is_ok_and(|m| m.is_file() && m.len() <= MANIFEST_LIMIT) {
                break std::fs::read_to_string(&manifest)
                    .ok()
                    .and_then(|text| floor_in(&manifest, &text));
            }
            if !dir.pop() || dir.as_os_str().is_empty() {
                break None;
            }
        };
        for d in visited {
            self.by_dir.insert(d, found.clone());
        }
        found
    }
}

/// `abi3-py39` in the features of `pyo3`/`pyo3-ffi` (any dependency
/// table, or the crate's own `[features]` forwarding `pyo3/abi3-py39`).
pub fn floor_in(manifest: &Path, text: &str) -> Option<CargoFloor> {
    let doc: toml::Table = toml::from_str(text).ok()?;
    let mut features = Vec::new();
    collect_features(&toml::Value::Table(doc), &mut features);
    let (feature, version) = features
        .iter()
        .filter_map(|f| {
            let bare = f.rsplit('/').next()?;
            let minor = bare.strip_prefix("abi3-py3")?.parse::<u8>().ok()?;
            Some((bare.to_string(), Version::new(3, minor)))
        })
        .min_by_key(|(_, v)| *v)?;
    let line = text
        .lines()
        .position(|l| l.contains(&feature))
        .map_or(1, |n| u32::try_from(n + 1).unwrap_or(u32::MAX));
    Some(CargoFloor {
        manifest: manifest.to_path_buf(),
        line,
        feature,
        version,
    })
}

/// The features named for `pyo3`/`pyo3-ffi` anywhere in a manifest, and
/// the crate's own features forwarding to them.
fn collect_features(value: &toml::Value, out: &mut Vec<String>) {
    let toml::Value::Table(table) = value else { return };
    for (key, v) in table {
        match (key.as_str(), v) {
            ("pyo3" | "pyo3-ffi", toml::Value::Table(dep)) => {
                if let Some(toml::Value::Array(list)) = dep.get("features") {
                    out.extend(list.iter().filter_map(|f| f.as_str().map(String::from)));
                }
            }
            ("features", toml::Value::Table(own)) => {
                for list in own.values() {
                    if let toml::Value::Array(list) = list {
                        out.extend(
                            list.iter()
                                .filter_map(|f| f.as_str())
                                .filter(|f| f.starts_with("pyo3/") || f.starts_with("pyo3-ffi/"))
                                .map(String::from),
                        );
                    }
                }
            }
            (_, toml::Value::Table(_)) => collect_features(v, out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compile_commands_give_each_file_its_macros() {
        let f = flags(
            &split_command(r#"cc -DNB_FREE_THREADED -D MYCFG=2 -UOLD "-DNAME=a b" -DPy_LIMITED_API=0x030B0000 -c x.c"#),
            Path::new("compile_commands.json"),
        );
        assert_eq!(f.defines.get("NB_FREE_THREADED"), Some(&Value::Number(1)));
        assert_eq!(f.defines.get("MYCFG"), Some(&Value::Number(2)));
        assert_eq!(f.defines.get("OLD"), Some(&Value::Undefined));
        assert_eq!(f.defines.get("NAME"), Some(&Value::Defined));
        assert_eq!(f.settings, vec![("Py_LIMITED_API", "0x030B0000".to_string())]);
    }

    #[test]
    fn pyo3_features_give_the_floor() {
        let manifest = "[package]\nname = \"x\"\n\n[dependencies]\npyo3 = { version = \"0.26\", features = [\"extension-module\", \"abi3-py39\"] }\n";
        let floor = floor_in(Path::new("Cargo.toml"), manifest).expect("a floor");
        assert_eq!(
            (floor.version, floor.line, floor.feature.as_str()),
            (Version::new(3, 9), 5, "abi3-py39")
        );
        let forwarded = "[dependencies]\npyo3 = \"0.26\"\n[features]\ndefault = [\"pyo3/abi3-py310\"]\n";
        assert_eq!(
            floor_in(Path::new("Cargo.toml"), forwarded).map(|f| f.version),
            Some(Version::new(3, 10))
        );
        assert!(floor_in(Path::new("Cargo.toml"), "[dependencies]\npyo3 = \"0.26\"\n").is_none());
    }

    #[test]
    fn defines_are_found_line_by_line() {
        let mut names = HashSet::new();
        defined_macros("#define A 1\n  #  define B(x) x\n#defineC\n#undef D\n", &mut names);
        let mut got: Vec<_> = names.into_iter().collect();
        got.sort();
        assert_eq!(got, vec!["A", "B"]);
    }
}
