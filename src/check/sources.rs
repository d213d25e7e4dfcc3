//! What the source scanners found, taken into [`Input`]: uses made from
//! occurrences (a file's own prototype makes a symbol use), settings with
//! the floors they declare, refusals, assumptions, the reasons uses are
//! only maybe compiled; uses in macro bodies released once their macro is
//! expanded anywhere; and, once everything is read, names another file of
//! the tree owns.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::{
    Assumed, Form, Input, Location, Refusal, Setting, UnitKind, Use, analysis, c, is_entry, is_wanted, occur, resolve,
    rust,
};
use crate::catalog::Catalog;

impl Input {
    /// A C, C++ or Rust source file's text.
    pub fn add_source(&mut self, catalog: &Catalog, text: &str, path: &str, rust: bool) {
        self.add_source_at(catalog, text, path, None, rust);
    }

    /// A source, with the file it was read from (for its project's
    /// `compile_commands.json` and `Cargo.toml`).
    pub(super) fn add_source_at(&mut self, catalog: &Catalog, text: &str, path: &str, file: Option<&Path>, rust: bool) {
        let unit = self.push_unit(path.to_string(), UnitKind::Source);
        let wanted = |name: &str| is_wanted(catalog, name);
        if rust {
            let scan = rust::scan(text, wanted);
            self.left_out += scan.left_out;
            self.too_deep
                .extend(scan.too_deep.iter().map(|s| Location::at(path, Some(*s))));
            for o in scan.occurrences {
                self.add_occurrence(catalog, &o, unit, None);
            }
            if let Some(floor) = file.and_then(|f| self.cargo.for_source(f)) {
                self.settings.push(Setting {
                    name: "pyo3".to_string(),
                    value: Some(floor.feature.clone()),
                    defined: true,
                    location: Location {
                        path: floor.manifest.display().to_string(),
                        line: Some(floor.line),
                        column: None,
                    },
                    unit,
                    abi3: Some(floor.version),
                    abi3t: None,
                });
            }
        } else {
            let flags = file.and_then(|f| self.compile_commands.for_file(f)).cloned();
            let own = flags.as_ref().map(|f| f.defines.clone()).unwrap_or_default();
            let scan = c::scan(text, wanted, &self.env, own);
            self.absorb_c(catalog, scan, unit, path);
            if let Some(flags) = flags {
                for (name, value) in flags.settings {
                    self.add_setting(
                        name,
                        Some(value),
                        true,
                        Location::at(&flags.from.display().to_string(), None),
                        unit,
                    );
                }
            }
        }
        self.split_entry_points(unit);
    }

    /// What the C scanner found in one file.
    fn absorb_c(&mut self, catalog: &Catalog, scan: c::Scan<'_>, unit: usize, path: &str) {
        self.left_out += scan.left_out;
        let reasons: Vec<usize> = scan.reasons.into_iter().map(|r| self.reason(r)).collect();
        let mut in_macros = Vec::new();
        for o in scan.occurrences {
            let reason = o.reason.and_then(|r| reasons.get(r as usize).copied());
            match o.in_macro {
                Some(name) => in_macros.push((name, Input::make_use(catalog, &o, unit, reason))),
                None => self.add_occurrence(catalog, &o, unit, reason),
            }
        }
        for (name, builds) in scan.owned {
            self.owned.entry(name).or_default().push((unit, builds));
        }
        self.add_macros(in_macros, scan.bodies, scan.expanded);
        for s in scan.settings {
            self.add_setting(s.name, s.value, s.defined, Location::at(path, Some(s.site)), unit);
        }
        for (name, site) in scan.assumed {
            if !self.assumed.iter().any(|a| a.name == name) {
                self.assumed.push(Assumed {
                    name,
                    location: Location::at(path, Some(site)),
                });
            }
        }
        self.too_deep
            .extend(scan.too_deep.into_iter().map(|s| Location::at(path, Some(s))));
        self.refusals.extend(scan.refusals.into_iter().map(|r| Refusal {
            unit,
            site: Some(r.site),
            builds: r.builds,
            message: r.message,
        }));
    }

    fn add_setting(&mut self, name: &str, value: Option<String>, defined: bool, location: Location, unit: usize) {
        let version = value
            .as_deref()
            .filter(|_| defined)
            .map(|v| analysis::limited_api_version(v).unwrap_or(crate::catalog::FIRST_STABLE));
        let (abi3, abi3t) = match name {
            "Py_LIMITED_API" if defined => (version.or(Some(crate::catalog::FIRST_STABLE)), None),
            "Py_TARGET_ABI3T" => (None, version),
            _ => (None, None),
        };
        self.settings.push(Setting {
            name: name.to_string(),
            value,
            defined,
            location,
            unit,
            abi3,
            abi3t,
        });
    }

    /// The global index of a set of undecided macros.
    fn reason(&mut self, names: Vec<String>) -> usize {
        if let Some(&id) = self.reason_ids.get(&names) {
            return id;
        }
        let id = self.reasons.len();
        self.reason_ids.insert(names.clone(), id);
        self.reasons.push(names);
        id
    }

    fn make_use(catalog: &Catalog, o: &occur::Occurrence<'_>, unit: usize, reason: Option<usize>) -> Use {
        let form = if is_entry(o.name) {
            Form::Entry
        } else if o.declared_here {
            // The file declares it: only its symbol matters.
            Form::Symbol
        } else if o.pointer {
            Form::Pointer
        } else {
            Form::Source
        };
        Use {
            name: o.name.to_string(),
            item: resolve(catalog, o.name),
            form,
            builds: o.builds,
            unit,
            sites: o.sites.clone(),
            count: o.count,
            reason,
        }
    }

    pub(super) fn add_occurrence(
        &mut self,
        catalog: &Catalog,
        o: &occur::Occurrence<'_>,
        unit: usize,
        reason: Option<usize>,
    ) {
        let u = Input::make_use(catalog, o, unit, reason);
        self.uses.push(u);
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
        for (name, mut ids) in bodies {
            ids.sort_unstable();
            ids.dedup();
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

    /// The compilation databases whose flags were applied.
    pub fn compile_commands(&self) -> &[PathBuf] {
        &self.compile_commands.sources
    }

    /// Uses in the bodies of macros that no compiled code expands.
    pub fn unexpanded(&self) -> usize {
        self.pending.values().flatten().map(|u| u.count).sum()
    }

    /// Once everything is read: a name another file of the tree declares
    /// or defines is not a use of the C API where it is the tree's (a
    /// project header's fallback used by a source, a struct defined in a
    /// header). A file's own names were settled while it was scanned.
    pub(super) fn settle(&mut self) {
        let owned = std::mem::take(&mut self.owned);
        if owned.is_empty() {
            return;
        }
        let units = &self.units;
        self.uses.retain_mut(|u| {
            if u.form == Form::Entry || units[u.unit].kind == UnitKind::Module {
                return true;
            }
            for (unit, builds) in owned.get(&u.name).into_iter().flatten() {
                if *unit != u.unit {
                    u.builds = u.builds.minus(*builds);
                }
            }
            !u.builds.is_empty()
        });
    }
}
