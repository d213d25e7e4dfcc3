//! `assets/header-names.txt`: every name the headers of each CPython
//! release define or declare (private `_Py` names, macros and struct tags
//! included), with the configurations that see it.
//!
//! `abiscope check` needs this beside the catalog. The catalog describes
//! the public C API; `check` must also know what the headers give that the
//! catalog does not list: whether `#ifdef _Py_NO_RETURN` holds, that
//! `_PyDict_NewPresized` is CPython's own (and never a macro), and that
//! `_PyArray_Descr` is not CPython's at all. A name that no release's
//! headers define, in no configuration, is the project's.
//!
//! Each release's headers are preprocessed once per configuration (the full
//! API, `Py_LIMITED_API` at every version up to the release's own, abi3t
//! from 3.15, and the full API with the platform feature macros) and read
//! with the same front end as the header index, so "declared" means what
//! the compiler sees. Names only the internal headers (`internal/`, which
//! need `Py_BUILD_CORE`) define are found by a plain text scan.
//!
//! One line per name: the name, then per release (oldest first) each form
//! it takes, a kind letter and a hexadecimal mask of the configurations
//! that see it in that form, joined by `+` (declarations first), or `-`.
//! A name can take several: `Py_NewRef` is a function wrapped by a macro,
//! `Py_TYPE` an inline function below `Py_LIMITED_API` 3.14 and an
//! exported one from it.
//! Mask bits: 0..=13 `Py_LIMITED_API` 3.2..=3.15, 14 `Py_TARGET_ABI3T`
//! 3.15, 15 the full API, 16 the full API with the platform feature macros
//! only. Kinds: `m` object-like macro, `M` function-like macro, `f`
//! function, `i` static inline function, `v` variable, `t` typedef, `s`
//! struct or union tag, `e` enumerator, `c` a macro of `pyconfig.h` (its
//! value depends on the platform), `x` internal headers only.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::cdecl::{self, TypedefTarget};
use crate::compiler::{Compiler, Config, FEATURE_DEFINES};
use crate::headers::{DeclKind, HeaderIndex};
use crate::schema::Version;

/// A release whose headers are among the inputs.
pub struct Release {
    pub version: Version,
    pub include: PathBuf,
}

/// The releases under `upstream`: `cpython-history/3.X/` and the current
/// `cpython-3.X.Y/`, oldest first.
pub fn releases(upstream: &Path) -> Result<Vec<Release>> {
    let mut out = Vec::new();
    let history = upstream.join("cpython-history");
    let entries = std::fs::read_dir(&history).with_context(|| format!("reading {}", history.display()))?;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Ok(version) = name.parse::<Version>() {
            out.push(Release {
                version,
                include: entry.path().join("include"),
            });
        }
    }
    let current = crate::manifest::find_one(upstream, "cpython-3", "")?;
    let name = current
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let version = name
        .strip_prefix("cpython-")
        .and_then(|v| v.rsplit_once('.').map(|(mm, _)| mm))
        .and_then(|mm| mm.parse::<Version>().ok())
        .with_context(|| format!("no version in {}", current.display()))?;
    out.push(Release {
        version,
        include: current.join("include"),
    });
    out.sort_by_key(|r| r.version);
    Ok(out)
}

/// Mask bits of the configurations.
const ABI3T_BIT: u32 = 14;
const FULL_BIT: u32 = 15;
const FEATURE_BIT: u32 = 16;

fn bit(config: Config) -> u32 {
    match config {
        Config::Limited(minor) => u32::from(minor - 2),
        Config::Abi3t(_) => ABI3T_BIT,
        Config::Full => FULL_BIT,
    }
}

/// A name in one release: for each form it takes (kind letter), the mask
/// of the configurations where it takes it. `Py_NewRef` is a function
/// wrapped by a macro; `Py_TYPE` an inline function below
/// `Py_LIMITED_API` 3.14 and an exported one from it.
type Forms = BTreeMap<char, u32>;

/// The order forms are written in: declarations first.
const KINDS: &str = "fvitsexmMc";

fn note(table: &mut BTreeMap<String, Forms>, name: &str, kind: char, mask: u32) {
    *table.entry(name.to_string()).or_default().entry(kind).or_default() |= mask;
}

/// The names of one preprocessed configuration, with their kinds.
fn names_of(index: &HeaderIndex) -> Vec<(&str, char)> {
    let mut out = Vec::new();
    for (name, decls) in &index.decls {
        for d in decls {
            let kind = match &d.kind {
                DeclKind::Function { inline: true } => 'i',
                DeclKind::Function { inline: false } => 'f',
                DeclKind::Variable => 'v',
                DeclKind::Typedef(TypedefTarget::Record { .. } | TypedefTarget::Enum | TypedefTarget::Other) => 't',
                DeclKind::Enumerator => 'e',
            };
            out.push((name.as_str(), kind));
        }
    }
    for name in index.records.keys() {
        out.push((name.as_str(), 's'));
    }
    for (name, m) in &index.macros {
        let kind = if m.header.ends_with("/pyconfig.h") {
            'c'
        } else if m.def.params.is_some() {
            'M'
        } else {
            'm'
        };
        out.push((name.as_str(), kind));
    }
    out
}

/// The macros of one configuration whose bodies name a CPython name
/// (`known`: what the full API has) that this configuration does not give,
/// directly or through another such macro.
fn broken_macros<'a>(index: &'a HeaderIndex, known: &BTreeSet<&str>) -> BTreeSet<&'a str> {
    let given: BTreeSet<&str> = names_of(index).into_iter().map(|(n, _)| n).collect();
    let bodies: Vec<(&str, Vec<String>)> = index
        .macros
        .iter()
        .map(|(name, m)| {
            let params = m.def.params.as_deref().unwrap_or(&[]);
            let idents = cdecl::tokenize(&m.def.body)
                .into_iter()
                .filter(|t| t.kind == cdecl::TokKind::Ident)
                .map(|t| t.text)
                .filter(|t| t != name && !params.contains(t) && known.contains(t.as_str()))
                .collect();
            (name.as_str(), idents)
        })
        .collect();
    let mut broken = BTreeSet::new();
    loop {
        let before = broken.len();
        for (name, idents) in &bodies {
            if !broken.contains(name)
                && idents
                    .iter()
                    .any(|t| !given.contains(t.as_str()) || broken.contains(t.as_str()))
            {
                broken.insert(*name);
            }
        }
        if broken.len() == before {
            return broken;
        }
    }
}

/// Every configuration of one release: the full API, each `Py_LIMITED_API`
/// up to the release, abi3t from 3.15.
fn configs(release: Version) -> Vec<Config> {
    let mut out = vec![Config::Full];
    out.extend((2..=release.minor).map(Config::Limited));
    if release.minor >= 15 {
        out.push(Config::Abi3t(15));
    }
    out
}

/// One release's names: what each configuration sees.
fn release_names(release: &Release) -> Result<BTreeMap<String, Forms>> {
    let compiler = Compiler::new(&release.include)?;
    let mut table = BTreeMap::new();
    let full = HeaderIndex::of_pass(&compiler.preprocess(Config::Full, &[])?);
    let known: BTreeSet<&str> = names_of(&full).into_iter().map(|(n, _)| n).collect();
    for config in configs(release.version) {
        let pass;
        let index = if config == Config::Full {
            &full
        } else {
            pass = HeaderIndex::of_pass(&compiler.preprocess(config, &[])?);
            &pass
        };
        let broken = broken_macros(index, &known);
        for (name, kind) in names_of(index) {
            // A macro whose expansion needs what this configuration lacks
            // (3.9's `PySequence_Fast_GET_ITEM` under `Py_LIMITED_API`
            // expands to `PyList_GET_ITEM`) is not given to it.
            if matches!(kind, 'm' | 'M') && broken.contains(name) {
                continue;
            }
            note(&mut table, name, kind, 1 << bit(config));
        }
    }
    let featured = HeaderIndex::of_pass(&compiler.preprocess(Config::Full, FEATURE_DEFINES)?);
    for (name, kind) in names_of(&featured) {
        if !table.contains_key(name) {
            note(&mut table, name, kind, 1 << FEATURE_BIT);
        }
    }
    for name in internal_names(&release.include)? {
        if !table.contains_key(&name) {
            note(&mut table, &name, 'x', 0);
        }
    }
    Ok(table)
}

/// Names the internal headers define or declare, by a text scan: `#define
/// NAME`, `NAME(` after a type, `struct NAME {`, `} NAME;` and `NAME;` at
/// the end of a typedef. Only CPython's prefixes count; the scan sees
/// parameters and locals too, which those prefixes keep out.
fn internal_names(include: &Path) -> Result<Vec<String>> {
    let dir = include.join("internal");
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(out);
    };
    let mut files: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    files.sort();
    for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "h")) {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let tokens = cdecl::tokenize(&text);
        for w in tokens.windows(3) {
            let name = match (w[0].text.as_str(), w[1].text.as_str(), w[2].text.as_str()) {
                ("define", name, _) | ("struct" | "union" | "enum", name, "{") | ("}", name, ";") => name,
                (before, name, "(" | ";" | "[" | "=")
                    if before == "*"
                        || before == ")"
                        || before.starts_with(|c: char| c.is_alphabetic() || c == '_') =>
                {
                    name
                }
                _ => continue,
            };
            let cpython = ["_Py", "Py", "_PY", "PY"].iter().any(|p| name.starts_with(p));
            if cpython && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                out.push(name.to_string());
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The table's text: a header comment, then one line per name.
pub fn generate(releases: &[Release]) -> Result<String> {
    let per_release: Vec<BTreeMap<String, Forms>> = releases.iter().map(release_names).collect::<Result<_>>()?;
    let mut names: Vec<&String> = per_release.iter().flat_map(BTreeMap::keys).collect();
    names.sort();
    names.dedup();
    let versions: Vec<String> = releases.iter().map(|r| r.version.to_string()).collect();
    let mut out = String::from(
        "# The names CPython's headers define or declare, per release.\n\
         # Generated by `cargo xtask catalog` from the headers; do not edit by hand.\n\
         # Per release: kind and mask of configurations (see xtask/src/names.rs), or -.\n",
    );
    writeln!(out, "# name {}", versions.join(" "))?;
    for name in names {
        out.push_str(name);
        for table in &per_release {
            let field = table.get(name).map(|forms| {
                let mut parts: Vec<(usize, String)> = forms
                    .iter()
                    .map(|(kind, mask)| (KINDS.find(*kind).unwrap_or(KINDS.len()), format!("{kind}{mask:x}")))
                    .collect();
                parts.sort();
                parts.into_iter().map(|(_, p)| p).collect::<Vec<_>>().join("+")
            });
            write!(out, " {}", field.unwrap_or_else(|| "-".to_string()))?;
        }
        out.push('\n');
    }
    Ok(out)
}
