//! The releases the catalog covers: 3.15.2 (`cpython-3.15.2/`) and the
//! older ones under `cpython-history/` (3.9, 3.11, 3.13, 3.14), each read
//! the same way: its docs (HTML entries and `objects.inv`) and what its
//! public headers declare.
//!
//! A release *has* a name when its public headers declare it (outside
//! `internal/` and the build configuration) or its docs document it
//! without saying it was removed by then. Which header names count as
//! public is decided here once: `Py`/`PY` names, no include guards; the
//! private `_Py` names only where something asks for them (the What's New
//! pages or the reviewed migration table name them).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::compiler::Compiler;
use crate::docs::Docs;
use crate::headers::HeaderIndex;
use crate::inventory::Inventory;
use crate::schema::Version;

/// The older releases, oldest first, as directories of `cpython-history/`.
pub const HISTORY: [Version; 4] = [
    Version::new(3, 9),
    Version::new(3, 11),
    Version::new(3, 13),
    Version::new(3, 14),
];

/// One release's inputs, read.
pub struct Release {
    pub version: Version,
    /// The full version from `patchlevel.h`, e.g. `3.11.2`.
    pub label: String,
    pub include: PathBuf,
    pub inventory: Inventory,
    pub docs: Docs,
    pub headers: HeaderIndex,
}

impl Release {
    /// Reads a release directory (`doc-html/` and `include/`); `wanted`
    /// are more names to look for in the header text when no compile
    /// declares them.
    pub fn load(version: Version, dir: &Path, wanted: &[&str]) -> Result<Release> {
        let html = dir.join("doc-html");
        let include = dir.join("include");
        if !include.join("Python.h").is_file() {
            bail!("{} has no include/Python.h", dir.display());
        }
        let inventory = Inventory::load(&html.join("objects.inv"))?;
        let docs = Docs::load(&html).with_context(|| format!("reading the {version} docs"))?;
        let compiler = Compiler::new(&include)?;
        let mut documented: Vec<&str> = inventory
            .item_names
            .iter()
            .map(String::as_str)
            .chain(wanted.iter().copied())
            .collect();
        documented.sort_unstable();
        documented.dedup();
        let headers = HeaderIndex::build(&compiler, &include, &documented)
            .with_context(|| format!("reading the {version} headers"))?;
        Ok(Release {
            version,
            label: crate::python_version(&include)?,
            include,
            inventory,
            docs,
            headers,
        })
    }

    /// Whether the public headers declare `name`.
    pub fn declares(&self, name: &str) -> bool {
        self.headers.declares_publicly(name)
    }

    /// Whether the docs describe `name` as present: documented, and not
    /// marked removed at or before this release.
    pub fn documents(&self, name: &str) -> bool {
        match self.docs.entries.get(name) {
            Some(e) => e.removal.is_none_or(|r| r.planned || r.version > self.version),
            None => self.inventory_names().contains(name),
        }
    }

    /// Whether this release has `name` at all.
    pub fn has(&self, name: &str) -> bool {
        self.declares(name) || self.documents(name)
    }

    /// The catalog names `objects.inv` documents (members folded into their
    /// structs, nested macros and enumerators under their C name).
    pub fn inventory_names(&self) -> &BTreeSet<String> {
        &self.inventory.item_names
    }
}

/// The directory of each release, oldest first, with 3.15 (the release
/// `python` names) last.
pub fn release_dirs(upstream: &Path, python: &Path) -> Result<Vec<(Version, PathBuf)>> {
    let history = upstream.join("cpython-history");
    let mut dirs = Vec::new();
    for v in HISTORY {
        let dir = history.join(v.to_string());
        if !dir.is_dir() {
            bail!(
                "{} is missing: the catalog covers every release from 3.9 (see the upstream README)",
                dir.display()
            );
        }
        dirs.push((v, dir));
    }
    dirs.push((crate::probe::NEWEST_HEADERS, python.to_path_buf()));
    Ok(dirs)
}

/// Every release, oldest first, read in parallel (parsing the docs and
/// preprocessing are the slow part).
pub fn load_all(upstream: &Path, python: &Path, wanted: &[&str]) -> Result<Vec<Release>> {
    let dirs = release_dirs(upstream, python)?;
    std::thread::scope(|scope| {
        let handles: Vec<_> = dirs
            .iter()
            .map(|(v, dir)| scope.spawn(move || Release::load(*v, dir, wanted)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().map_err(|_| anyhow::anyhow!("a release reader panicked"))?)
            .collect()
    })
}
