//! `abiscope check`: what Stable ABI a codebase or a built extension needs.
//!
//! Reading ([`Input`]) turns sources, modules, wheels and standard input
//! into uses of C API names, aggregated per name and circumstance (the
//! builds that compile them, the form, the file), each with its first
//! places and a count; [`analysis`] judges every use per build and finds
//! the lowest abi3 and abi3t versions that cover them all, the uses that
//! block each ABI, what exceeds a target and what a wheel's tags get wrong.
//!
//! Sources are read twice when they come as a tree: once for the macros
//! each file defines (another file may include it, so their values stay
//! unknown elsewhere rather than assumed undefined), then fully.

pub mod analysis;
pub mod binary;
pub mod build;
pub mod buildfiles;
pub mod c;
pub mod cond;
pub mod macros;
pub mod occur;
pub mod project;
mod read;
pub mod rust;
mod sources;
pub mod wheel;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Read;
use std::path::PathBuf;

use crate::alternatives::MIGRATIONS;
use crate::catalog::{Catalog, Item, Version};
use crate::untrusted;
pub use analysis::Report;
pub use build::{Build, Builds, Family};
pub use macros::Env;
pub use occur::{SITES_KEPT, Site};
use read::Pending;

/// How much abiscope reads, so that no input can exhaust memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A module or standard input.
    pub file: u64,
    /// A C or C++ source.
    pub source: u64,
    /// A Rust source (its tokens are kept whole, so less).
    pub rust: u64,
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
            source: 64 << 20,
            rust: 8 << 20,
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

impl Form {
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Source => "source",
            Form::Pointer => "pointer",
            Form::Symbol => "symbol",
            Form::Entry => "entry",
        }
    }
}

/// Where something was found: a line and column in a source, or a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl Location {
    pub fn at(path: &str, site: Option<Site>) -> Location {
        Location {
            path: path.to_string(),
            line: site.map(|s| s.line),
            column: site.map(|s| s.column),
        }
    }
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

/// The uses of one C API name in one file, in one form, compiled by the
/// same builds: the first places and how many there are.
#[derive(Debug, Clone)]
pub struct Use {
    /// As written: `PyList_GET_ITEM`, `PyInit_spam`.
    pub name: String,
    /// Its catalog item (`PyInit_modulename` for `PyInit_spam`), if any.
    pub item: Option<&'static Item>,
    pub form: Form,
    /// The builds that compile it.
    pub builds: Builds,
    /// Index into [`Input::units`].
    pub unit: usize,
    /// The first places (none for a module's imports).
    pub sites: Vec<Site>,
    /// How many uses.
    pub count: usize,
    /// The macros whose unknown values leave it compiled only maybe:
    /// index into [`Input::reasons`].
    pub reason: Option<usize>,
}

impl Use {
    /// Where each kept use is.
    pub fn locations<'i>(&'i self, input: &'i Input) -> impl Iterator<Item = Location> + 'i {
        let path = &input.units[self.unit].path;
        let module = self.sites.is_empty().then(|| Location::at(path, None));
        module
            .into_iter()
            .chain(self.sites.iter().map(move |s| Location::at(path, Some(*s))))
    }

    /// The first place.
    pub fn first(&self, input: &Input) -> Location {
        Location::at(&input.units[self.unit].path, self.sites.first().copied())
    }
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

/// A configuration the code (or its build) sets or tests: a configuration
/// macro, or PyO3's `abi3-pyXY` feature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub name: String,
    pub value: Option<String>,
    pub defined: bool,
    pub location: Location,
    pub unit: usize,
    /// The lowest abi3 version it declares (`Py_LIMITED_API`, `abi3-py39`).
    pub abi3: Option<Version>,
    /// The lowest abi3t version it declares (`Py_TARGET_ABI3T`).
    pub abi3t: Option<Version>,
}

/// A file that some builds cannot have: a source that refuses them with
/// `#error`, a module whose file name those interpreters do not load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub unit: usize,
    /// The `#error` line; `None` for a module's name.
    pub site: Option<Site>,
    pub builds: Builds,
    pub message: String,
}

/// A macro tested somewhere that nothing defines, taken as undefined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assumed {
    pub name: String,
    pub location: Location,
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
    /// Files left alone on purpose, with why: special files and symbolic
    /// links out of the tree in a walk, copies of CPython's headers.
    pub skipped: Vec<InputError>,
    pub refusals: Vec<Refusal>,
    pub assumed: Vec<Assumed>,
    /// Conditions too deep to evaluate, treated as unknown.
    pub too_deep: Vec<Location>,
    /// For [`Use::reason`]: sets of macros whose values are unknown.
    pub reasons: Vec<Vec<String>>,
    /// Uses in code that no Stable ABI build compiles
    /// (`#ifndef Py_LIMITED_API`), left out.
    pub left_out: usize,
    /// The macros, the build Python, the tree's own macros.
    pub env: Env,
    compile_commands: project::CompileCommands,
    cargo: project::CargoFloors,
    /// Names the tree declares or defines, with the file and the builds
    /// where they are its own.
    owned: HashMap<String, Vec<(usize, Builds)>>,
    reason_ids: HashMap<Vec<String>, usize>,
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
        Input::read_with(catalog, paths, stdin, limits, Env::default())
    }

    /// [`Input::read`] with the command line's macros and build Python.
    pub fn read_with(catalog: &Catalog, paths: &[PathBuf], stdin: impl Read, limits: &Limits, env: Env) -> Input {
        let mut input = Input {
            env,
            ..Input::default()
        };
        let mut pending = Vec::new();
        for path in paths {
            if path.as_os_str() == "-" {
                pending.push(Pending::Stdin);
            } else {
                input.walk(path, &mut pending);
            }
        }
        if let Ok(cwd) = std::env::current_dir()
            && let Err(message) = input.compile_commands.find_in(&cwd)
        {
            input.error("compile_commands.json", message);
        }
        input.prescan(&pending, limits);
        let mut stdin = Some(stdin);
        for file in pending {
            match file {
                Pending::Stdin => match stdin.take() {
                    Some(reader) => input.read_stdin(catalog, reader, limits),
                    None => input.error("-", "standard input given twice"),
                },
                Pending::File { path, tree } => input.read_path(catalog, &path, tree.as_deref(), limits),
            }
        }
        input.settle();
        input.skipped.sort_by(|a, b| a.path.cmp(&b.path));
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
        if data.is_empty() {
            // Closed or empty: nothing was read, which is not "no uses".
            return self.skip("-", "standard input was empty");
        }
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

    /// A built module: its imports, and its entry points.
    pub fn add_module(&mut self, catalog: &Catalog, module: &binary::Module, path: String, wheel: Option<usize>) {
        let unit = self.push_unit(path, UnitKind::Module);
        self.units[unit].wheel = wheel;
        self.units[unit].libraries.clone_from(&module.libraries);
        self.units[unit].extension = module.is_extension();
        if let Some((builds, why)) = wheel::Suffix::of(&self.units[unit].path).not_loaded() {
            self.refusals.push(Refusal {
                unit,
                site: None,
                builds,
                message: why.to_string(),
            });
        }
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
                builds: Builds::ALL,
                unit,
                sites: Vec::new(),
                count: 1,
                reason: None,
            });
        }
        self.split_entry_points(unit);
    }

    /// Names listed on standard input, judged as if written in source.
    fn add_names(&mut self, catalog: &Catalog, text: &str) {
        let unit = self.push_unit("-".to_string(), UnitKind::Source);
        let mut found = occur::Occurrences::default();
        for (line, content) in text.lines().enumerate() {
            let mut column = 0_u32;
            for word in content.split(|c: char| c.is_whitespace() || c == ',') {
                column += 1;
                let at = column;
                column = column.saturating_add(u32::try_from(word.chars().count()).unwrap_or(u32::MAX));
                let word = word.trim_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
                if word.is_empty() {
                    continue;
                }
                let known = catalog.get(word).is_some() || is_wanted(catalog, word);
                if !(known || word.starts_with("Py") || word.starts_with("PY")) {
                    continue;
                }
                let site = Site {
                    line: u32::try_from(line + 1).unwrap_or(u32::MAX),
                    column: at,
                };
                found.at(word, site, Builds::ALL, false, None, None);
            }
        }
        for o in found.into_vec() {
            self.add_occurrence(catalog, &o, unit, None);
        }
        self.split_entry_points(unit);
    }

    /// A unit that defines both `PyInit_x` and `PyModExport_x` serves both
    /// ABIs: abi3 builds load the first, abi3t builds the second.
    fn split_entry_points(&mut self, unit: usize) {
        let has = |prefix: &str, uses: &[Use]| {
            uses.iter()
                .any(|u| u.unit == unit && u.form == Form::Entry && u.name.starts_with(prefix))
        };
        if !(has("PyInit_", &self.uses) && has("PyModExport_", &self.uses)) {
            return;
        }
        for u in self.uses.iter_mut().filter(|u| u.unit == unit && u.form == Form::Entry) {
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
pub(crate) fn is_entry(name: &str) -> bool {
    ["PyInit_", "PyModExport_"]
        .iter()
        .any(|p| name.strip_prefix(p).is_some_and(|rest| !rest.is_empty()))
}

/// Whether a source identifier is a C API name: a catalog name, a name
/// with a known replacement, an entry point, or a name some CPython
/// release's headers define (private `_Py` names among them). A `_Py`
/// name that no CPython release knows is the project's own.
fn is_wanted(catalog: &Catalog, name: &str) -> bool {
    is_entry(name)
        || catalog.get(name).is_some()
        || MIGRATIONS.iter().any(|(n, _)| *n == name)
        || (name.starts_with("_Py") && crate::catalog::headers::get(name).is_some())
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
