//! `abiscope check`: what Stable ABI a codebase or a built extension needs.
//!
//! Reading ([`Input`]) turns sources, modules, wheels and standard input
//! into uses of C API names, each with its location and the builds that
//! compile it; [`analysis`] judges every use per build and finds the lowest
//! abi3 and abi3t versions that cover them all, the uses that block each
//! ABI, what exceeds a target and what a wheel's tags get wrong.

pub mod analysis;
pub mod binary;
pub mod build;
pub mod c;
pub mod cond;
mod read;
pub mod rust;
pub mod wheel;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Read;
use std::path::PathBuf;

use crate::alternatives::MIGRATIONS;
use crate::catalog::{Catalog, Item};
use crate::untrusted;
pub use analysis::Report;
pub use build::{Build, Builds, Family};
use c::SettingSite;

/// How much abiscope reads, so that no input can exhaust memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A source file, module or standard input.
    pub file: u64,
    /// One module inside a wheel, decompressed.
    pub member: u64,
    /// All modules of one wheel, decompressed.
    pub total: u64,
    /// Entries in one wheel.
    pub entries: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            file: 256 << 20,
            member: 256 << 20,
            total: 1 << 30,
            entries: 100_000,
        }
    }
}

/// How a use was written, which decides how it is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// Written in source code: the headers must provide it.
    Source,
    /// A type written as a pointer (`PyObject *`): fine where the struct
    /// is opaque.
    Pointer,
    /// A symbol a built module imports: the Stable ABI must export it.
    Symbol,
    /// An entry point the code defines or the module exports.
    Entry,
}

/// Where a use was found: a line and column in a source, or a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(column) = self.column {
            write!(f, ":{column}")?;
        }
        Ok(())
    }
}

/// One use of a C API name.
#[derive(Debug, Clone)]
pub struct Use {
    /// As written: `PyList_GET_ITEM`, `PyInit_spam`.
    pub name: String,
    /// Its catalog item (`PyInit_modulename` for `PyInit_spam`), if any.
    pub item: Option<&'static Item>,
    pub form: Form,
    pub location: Location,
    /// The builds that compile it.
    pub builds: Builds,
    /// Index into [`Input::units`].
    pub unit: usize,
}

/// What kind of thing a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// C, C++ or Rust source, or a list of names.
    Source,
    /// A built module (or `nm` output).
    Module,
}

/// A file (or wheel member) that was read.
#[derive(Debug, Clone)]
pub struct Unit {
    pub path: String,
    pub kind: UnitKind,
    /// Index into [`Input::wheels`] for a wheel's member.
    pub wheel: Option<usize>,
    /// A module's DLL imports (PE only).
    pub libraries: Vec<String>,
    /// A module that exports an entry point.
    pub extension: bool,
}

/// A configuration macro the code defines or tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub name: &'static str,
    pub value: Option<String>,
    pub defined: bool,
    pub location: Location,
    pub unit: usize,
}

/// A wheel that was read.
#[derive(Debug, Clone)]
pub struct WheelInput {
    pub path: String,
    pub tags: Option<wheel::Tags>,
    pub metadata_tags: Vec<String>,
    pub unsafe_paths: Vec<String>,
}

/// An input that could not be read, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Everything read from the inputs.
#[derive(Debug, Default)]
pub struct Input {
    pub uses: Vec<Use>,
    pub settings: Vec<Setting>,
    pub units: Vec<Unit>,
    pub wheels: Vec<WheelInput>,
    pub errors: Vec<InputError>,
    /// Files a directory walk left alone, with why: special files and
    /// symbolic links out of the tree.
    pub skipped: Vec<InputError>,
    /// Uses in code that no Stable ABI build compiles
    /// (`#ifndef Py_LIMITED_API`), left out.
    pub left_out: usize,
    /// Names expanded in compiled code so far (macros among them).
    expanded: HashSet<String>,
    /// Macros not expanded yet: the identifiers of their bodies...
    bodies: HashMap<String, Vec<String>>,
    /// ...and the uses in them, which count once the macro is expanded.
    pending: HashMap<String, Vec<Use>>,
}

impl Input {
    /// Reads every path: files, directories (recursively) and `-` for
    /// `stdin` (names, one or more per line, or `nm` output).
    pub fn read(catalog: &Catalog, paths: &[PathBuf], stdin: impl Read, limits: &Limits) -> Input {
        let mut input = Input::default();
        let mut stdin = Some(stdin);
        for path in paths {
            if path.as_os_str() == "-" {
                match stdin.take() {
                    Some(reader) => input.read_stdin(catalog, reader, limits),
                    None => input.error("-", "standard input given twice"),
                }
            } else {
                input.read_path(catalog, path, None, limits);
            }
        }
        input
    }

    fn error(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(InputError {
            path: path.into(),
            message: message.into(),
        });
    }

    fn read_stdin(&mut self, catalog: &Catalog, reader: impl Read, limits: &Limits) {
        let data = match untrusted::read_capped(reader, limits.file) {
            Ok(data) => data,
            Err(e) => return self.error("-", e.to_string()),
        };
        let text = String::from_utf8_lossy(&data);
        if let Some(module) = parse_nm(catalog, &text) {
            self.add_module(catalog, &module, "-".to_string(), None);
        } else {
            self.add_names(catalog, &text);
        }
    }

    fn push_unit(&mut self, path: String, kind: UnitKind) -> usize {
        self.units.push(Unit {
            path,
            kind,
            wheel: None,
            libraries: Vec::new(),
            extension: false,
        });
        self.units.len() - 1
    }

    /// A C, C++ or Rust source file.
    pub fn add_source(&mut self, catalog: &Catalog, text: &str, path: &str, rust: bool) {
        let unit = self.push_unit(path.to_string(), UnitKind::Source);
        let start = self.uses.len();
        let wanted = |name: &str| is_wanted(catalog, name);
        let (occurrences, settings, left_out, expanded, bodies) = if rust {
            let scan = rust::scan(text, wanted);
            (
                scan.occurrences,
                Vec::new(),
                scan.left_out,
                HashSet::new(),
                HashMap::new(),
            )
        } else {
            let scan = c::scan(text, wanted);
            (
                scan.occurrences,
                scan.settings,
                scan.left_out,
                scan.expanded,
                scan.bodies,
            )
        };
        self.left_out += left_out;
        let mut in_macros = Vec::new();
        for o in occurrences {
            let item = resolve(catalog, o.name);
            let form = if is_entry(o.name) {
                Form::Entry
            } else if o.pointer {
                Form::Pointer
            } else {
                Form::Source
            };
            let u = Use {
                name: o.name.to_string(),
                item,
                form,
                location: Location {
                    path: path.to_string(),
                    line: Some(o.line),
                    column: Some(o.column),
                },
                builds: o.builds,
                unit,
            };
            match o.in_macro {
                Some(name) => in_macros.push((name, u)),
                None => self.uses.push(u),
            }
        }
        self.add_macros(in_macros, bodies, expanded);
        self.settings.extend(settings.into_iter().map(|s: SettingSite| Setting {
            name: s.name,
            value: s.value,
            defined: s.defined,
            location: Location {
                path: path.to_string(),
                line: Some(s.line),
                column: Some(s.column),
            },
            unit,
        }));
        self.split_entry_points(start);
    }

    /// Uses in macro bodies count once the macro is expanded in compiled
    /// code, in this file or another one (a header's macros in the sources
    /// that use them), and so on through macros that expand macros.
    fn add_macros<'a>(
        &mut self,
        in_macros: Vec<(&'a str, Use)>,
        bodies: HashMap<&'a str, Vec<&'a str>>,
        expanded: HashSet<&'a str>,
    ) {
        let mut now = Vec::new();
        for (name, u) in in_macros {
            self.pending.entry(name.to_string()).or_default().push(u);
            if self.expanded.contains(name) {
                now.push(name.to_string());
            }
        }
        for (name, ids) in bodies {
            self.bodies
                .entry(name.to_string())
                .or_default()
                .extend(ids.into_iter().map(String::from));
            if self.expanded.contains(name) {
                now.push(name.to_string());
            }
        }
        // Already expanded: their new bodies and uses count at once.
        for name in now {
            self.expanded.remove(&name);
            self.expand(name);
        }
        for name in expanded {
            if !self.expanded.contains(name) {
                self.expand(name.to_string());
            }
        }
    }

    fn expand(&mut self, name: String) {
        let mut work = vec![name];
        while let Some(name) = work.pop() {
            if !self.expanded.insert(name.clone()) {
                continue;
            }
            if let Some(uses) = self.pending.remove(&name) {
                self.uses.extend(uses);
            }
            if let Some(ids) = self.bodies.remove(&name) {
                work.extend(ids.into_iter().filter(|id| !self.expanded.contains(id)));
            }
        }
    }

    /// Uses in the bodies of macros that no compiled code expands.
    pub fn unexpanded(&self) -> usize {
        self.pending.values().map(Vec::len).sum()
    }

    /// A built module: its imports, and its entry points.
    pub fn add_module(&mut self, catalog: &Catalog, module: &binary::Module, path: String, wheel: Option<usize>) {
        let unit = self.push_unit(path.clone(), UnitKind::Module);
        self.units[unit].wheel = wheel;
        self.units[unit].libraries.clone_from(&module.libraries);
        self.units[unit].extension = module.is_extension();
        let start = self.uses.len();
        let location = Location {
            path,
            line: None,
            column: None,
        };
        let imports = module
            .imports
            .iter()
            .filter(|n| catalog.get(n).is_some() || ((n.starts_with("Py") || n.starts_with("_Py")) && !is_entry(n)))
            .map(|n| (n, Form::Symbol));
        let exports = module.exports.iter().filter(|n| is_entry(n)).map(|n| (n, Form::Entry));
        for (name, form) in imports.chain(exports) {
            self.uses.push(Use {
                name: name.clone(),
                item: resolve(catalog, name),
                form,
                location: location.clone(),
                builds: Builds::ALL,
                unit,
            });
        }
        self.split_entry_points(start);
    }

    /// Names listed on standard input, judged as if written in source.
    fn add_names(&mut self, catalog: &Catalog, text: &str) {
        let unit = self.push_unit("-".to_string(), UnitKind::Source);
        let start = self.uses.len();
        for (line, content) in text.lines().enumerate() {
            let mut column = 0_u32;
            for word in content.split(|c: char| c.is_whitespace() || c == ',') {
                column += 1;
                let at = column;
                column += u32::try_from(word.chars().count()).unwrap_or(u32::MAX - column);
                let word = word.trim_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
                if word.is_empty() {
                    continue;
                }
                let known = catalog.get(word).is_some() || is_wanted(catalog, word);
                if !(known || word.starts_with("Py") || word.starts_with("PY")) {
                    continue;
                }
                self.uses.push(Use {
                    name: word.to_string(),
                    item: resolve(catalog, word),
                    form: if is_entry(word) { Form::Entry } else { Form::Source },
                    location: Location {
                        path: "-".to_string(),
                        line: u32::try_from(line + 1).ok(),
                        column: Some(at),
                    },
                    builds: Builds::ALL,
                    unit,
                });
            }
        }
        self.split_entry_points(start);
    }

    /// A unit that defines both `PyInit_x` and `PyModExport_x` serves both
    /// ABIs: abi3 builds load the first, abi3t builds the second.
    fn split_entry_points(&mut self, start: usize) {
        let uses = &mut self.uses[start..];
        let has = |prefix: &str, uses: &[Use]| uses.iter().any(|u| u.form == Form::Entry && u.name.starts_with(prefix));
        if !(has("PyInit_", uses) && has("PyModExport_", uses)) {
            return;
        }
        for u in uses.iter_mut().filter(|u| u.form == Form::Entry) {
            let family = if u.name.starts_with("PyInit_") {
                Family::Abi3
            } else {
                Family::Abi3t
            };
            u.builds = u.builds.and(Builds::family(family));
        }
    }
}

/// `PyInit_spam`, `PyModExport_spam`: hooks an extension defines.
fn is_entry(name: &str) -> bool {
    ["PyInit_", "PyModExport_"]
        .iter()
        .any(|p| name.strip_prefix(p).is_some_and(|rest| !rest.is_empty()))
}

/// Whether a source identifier is a C API name: a catalog name, a name
/// with a known replacement, a private `_Py` name, or an entry point.
fn is_wanted(catalog: &Catalog, name: &str) -> bool {
    let private = name
        .strip_prefix("_Py")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase() || c == '_'));
    private || is_entry(name) || catalog.get(name).is_some() || MIGRATIONS.iter().any(|(n, _)| *n == name)
}

/// The catalog item a name stands for.
fn resolve(catalog: &Catalog, name: &str) -> Option<&'static Item> {
    if name.starts_with("PyInit_") && is_entry(name) {
        return catalog.get("PyInit_modulename");
    }
    if name.starts_with("PyModExport_") && is_entry(name) {
        return catalog.get("PyModExport_modulename");
    }
    catalog.get(name)
}

/// `nm` output (`nm -D`, `nm -g`, macOS `nm`): every line a symbol with a
/// one-letter type. `None` when the text is something else.
fn parse_nm(catalog: &Catalog, text: &str) -> Option<binary::Module> {
    let mut module = binary::Module {
        format: "nm output",
        ..binary::Module::default()
    };
    let mut lines = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (kind, name) = match fields.as_slice() {
            [kind, name] | [_, kind, name] if kind.len() == 1 => (kind.as_bytes()[0], *name),
            _ => return None,
        };
        lines += 1;
        let name = name.split('@').next().unwrap_or(name);
        // macOS prefixes C names with an underscore.
        let name = match name.strip_prefix('_') {
            Some(bare) if catalog.get(name).is_none() && (catalog.get(bare).is_some() || is_entry(bare)) => bare,
            _ => name,
        };
        match kind {
            b'U' | b'w' | b'v' => module.imports.push(name.to_string()),
            b'A'..=b'Z' => module.exports.push(name.to_string()),
            _ => {}
        }
    }
    (lines > 0).then_some(module)
}
