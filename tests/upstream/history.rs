//! The catalog against every release read (3.9, 3.11, 3.13, 3.14 under
//! `cpython-history/`, and 3.15): each release's public names are in the
//! catalog with a range that holds them, and what each release's headers
//! declare, found by compiling probes with the C compiler, agrees with the
//! ranges (a removed name is declared by the last release the catalog
//! says had it, and by none after).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use abiscope::catalog::{Catalog, Item, Kind, Version};
use libtest_mimic::Failed;

use crate::common::{self, Upstream};
use crate::verdict;

fn minor(version: &str) -> Option<Version> {
    version.parse().ok()
}

/// The macros defined at the end of the prelude, with the file that
/// defined them (`#undef`s honoured: a helper macro undefined again is no
/// API), from `cc -E -dD`.
fn macros(cc: &str, include: &Path, defines: &[String]) -> Result<BTreeMap<String, String>, Failed> {
    let dir = std::env::temp_dir().join(format!("abiscope-macros-{}-{}", std::process::id(), defines.len()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("macros.c");
    std::fs::write(&file, common::prelude(false))?;
    let out = Command::new(cc)
        .current_dir(include)
        .args(["-std=gnu11", "-I.", "-w", "-E", "-dD"])
        .args(defines)
        .arg(&file)
        .output()?;
    let _ = std::fs::remove_dir_all(&dir);
    let mut found = BTreeMap::new();
    let mut current = String::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let ident = |s: &str| -> String {
            s.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        };
        if let Some(rest) = line.strip_prefix("# ") {
            if let Some(file) = rest.split('"').nth(1) {
                current = file.to_string();
            }
        } else if let Some(def) = line.strip_prefix("#define ") {
            let name = ident(def);
            let guard = def[name.len()..].trim().is_empty() && name.ends_with("_H");
            if guard {
                continue;
            }
            found.insert(name, current.clone());
        } else if let Some(undef) = line.strip_prefix("#undef ") {
            found.remove(&ident(undef));
        }
    }
    Ok(found)
}

/// The names a public header's text `#define`s, in whatever branch: a
/// macro the build configuration defines first (3.9's `pyconfig.h` and
/// `PY_FORMAT_SIZE_T`) is still one the public headers give.
fn text_defines(include: &Path) -> Result<BTreeSet<String>, Failed> {
    let mut found = BTreeSet::new();
    for dir in [include.to_path_buf(), include.join("cpython")] {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let header = Path::new(name).extension().is_some_and(|e| e.eq_ignore_ascii_case("h"));
            if !header || name == "pyconfig.h" || name == "pymacconfig.h" {
                continue;
            }
            for line in std::fs::read_to_string(&path)?.lines() {
                let rest = line.trim_start().strip_prefix('#').map(str::trim_start);
                if let Some(def) = rest.and_then(|r| r.strip_prefix("define")) {
                    found.insert(
                        def.trim_start()
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect(),
                    );
                }
            }
        }
    }
    Ok(found)
}

/// A header extensions include: not `internal/`, not the build configuration.
fn public(file: &str) -> bool {
    file.starts_with("./")
        && !file.starts_with("./internal/")
        && !file.ends_with("pyconfig.h")
        && !file.ends_with("pymacconfig.h")
}

fn api(name: &str) -> bool {
    name.starts_with("Py") || name.starts_with("PY")
}

/// What the public headers of a release define and declare, as the
/// compiler reports it: `#define`s with the header they come from
/// (`-E -dD`), and functions (`-aux-info`, which prints a prototype per
/// declared function with its file). Independent of the generator's C
/// reader.
fn compiler_names(cc: &str, include: &Path, defines: &[String]) -> Result<BTreeSet<String>, Failed> {
    let mut names: BTreeSet<String> = macros(cc, include, defines)?
        .into_iter()
        .filter(|(name, file)| public(file) && api(name))
        .map(|(name, _)| name)
        .collect();
    let dir = std::env::temp_dir().join(format!("abiscope-aux-{}-{}", std::process::id(), defines.len()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("names.c");
    std::fs::write(&file, common::prelude(false))?;
    let aux = dir.join("aux.txt");
    Command::new(cc)
        .current_dir(include)
        .args(["-std=gnu11", "-I.", "-w", "-fsyntax-only"])
        .arg(format!("-aux-info={}", aux.display()))
        .args(defines)
        .arg(&file)
        .output()?;
    // `/* ./abstract.h:42:NC */ extern PyObject *PyObject_Call (PyObject *, ...);`
    for line in std::fs::read_to_string(&aux).unwrap_or_default().lines() {
        let Some((file, decl)) = line.strip_prefix("/* ").and_then(|l| l.split_once(" */ ")) else {
            continue;
        };
        let file = file.split(':').next().unwrap_or_default();
        let Some(before_params) = decl.split(" (").next() else {
            continue;
        };
        let start = before_params
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let name = &before_params[start..];
        if public(file) && api(name) {
            names.insert(name.to_string());
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(names)
}

/// Every public name of every release is in the catalog, its range
/// (`first_seen` to `last_seen`) holding that release: the documented
/// names (`objects.inv`), and the `Py` macros and functions the public
/// headers define, as the compiler lists them.
pub fn every_public_name_of_every_release(up: &Upstream, cc: &str) -> Result<(), Failed> {
    let catalog = Catalog::embedded();
    let mut problems = Vec::new();
    let releases = up.releases();
    let newest = releases.last().map(|(v, _)| v.clone()).unwrap_or_default();
    let mut counts = Vec::new();
    for (version, dir) in &releases {
        let v = minor(version).ok_or("a release version")?;
        let mut names: BTreeMap<String, &str> = BTreeMap::new();
        for (name, role, _) in common::inventory(&dir.join("doc-html")) {
            let last = name.rsplit('.').next().unwrap_or(&name).to_string();
            let item_name = match name.split_once('.') {
                Some(_) if role == "member" => continue,
                Some(_) if role == "enumerator" || role == "macro" => last,
                // Older docs nest functions under their struct
                // (`PyConfig.PyConfig_Read`): the C name is the last part;
                // slot callbacks (`Py_mod_create.create_module`) are no C name.
                Some(_) if *version != newest && api(&last) => last,
                Some(_) if *version != newest => continue,
                _ => name,
            };
            names.entry(item_name).or_insert("documented");
        }
        for defines in [Vec::new(), common::feature_defines()] {
            for name in compiler_names(cc, &dir.join("include"), &defines)? {
                names.entry(name).or_insert("declared");
            }
        }
        for (name, how) in &names {
            match catalog.get(name) {
                None => problems.push(format!("{name}: {how} in {version}, not in the catalog")),
                Some(item) => {
                    let held = item.first_seen.is_some_and(|f| f <= v) && item.last_seen.is_some_and(|l| v <= l);
                    // The docs may describe a name as removed in the very
                    // release they document (`Py_GetPath` in 3.15).
                    if !held && item.removed_in.is_none_or(|r| r > v) {
                        problems.push(format!(
                            "{name}: {how} in {version}, but the catalog has it from {:?} to {:?}",
                            item.first_seen, item.last_seen
                        ));
                    }
                }
            }
        }
        counts.push(format!("{version}: {}", names.len()));
    }
    println!("public names per release: {}", counts.join(", "));
    verdict("public names of a release the catalog lacks or misdates", &problems)
}

/// A probe line (three lines with its guard) that compiles only when the
/// headers declare `item`; `None` for what a probe cannot tell (a struct
/// known only by its tag, a feature macro, a dotted docs name).
fn probe(item: &Item, n: usize) -> Option<String> {
    let tag_only = item.kind == Kind::Struct && !item.signature().is_some_and(|s| s.starts_with("typedef"));
    if tag_only || item.kind == Kind::FeatureMacro || item.name().contains('.') {
        return None;
    }
    Some(format!(
        "#ifndef {name}\nextern __typeof__({name}) *abiscope_p{n};\n#endif\n",
        name = item.name()
    ))
}

/// For every release, which catalog items its headers declare: a macro
/// when a public header defines it (not the build configuration alone:
/// 3.9's `pyconfig.h` defines `WITH_DOC_STRINGS` long before the docs name
/// it, while `PY_FORMAT_SIZE_T`, which it defines too, `pyport.h` gives),
/// anything else when a probe compiles, plainly or with the platform
/// feature macros. Every item declared must be in range, and a removed
/// item must be declared by the last release the catalog says had it
/// (unless only its docs did, or its declaration is one the compiler
/// cannot see: 3.9's headers do not compile under `MS_WINDOWS`).
pub fn ranges_agree_with_each_release(up: &Upstream, cc: &str) -> Result<(), Failed> {
    let catalog = Catalog::embedded();
    let items: Vec<&Item> = catalog.items().iter().filter(|i| probe(i, 0).is_some()).collect();
    let body: String = items.iter().enumerate().filter_map(|(n, i)| probe(i, n)).collect();
    let mut declared: BTreeMap<&str, BTreeSet<Version>> = BTreeMap::new();
    let mut unseeable: BTreeSet<Version> = BTreeSet::new();
    for (version, dir) in up.releases() {
        let v = minor(&version).ok_or("a release version")?;
        let include = dir.join("include");
        let in_text = text_defines(&include)?;
        for defines in [Vec::new(), common::feature_defines()] {
            let defined = macros(cc, &include, &defines)?;
            let (compiled, offset) = common::compile(cc, &include, &defines, &common::prelude(false), &body);
            let builds = compiled.other_errors.is_empty();
            if !builds {
                if defines.is_empty() {
                    return Err(format!("the {version} headers do not compile: {:?}", compiled.other_errors).into());
                }
                unseeable.insert(v);
            }
            for (n, item) in items.iter().enumerate() {
                let here = match defined.get(item.name()) {
                    Some(file) => public(file) || (file.ends_with("config.h") && in_text.contains(item.name())),
                    None => builds && !compiled.error_lines.contains(&(offset + n * 3 + 2)),
                };
                if here {
                    declared.entry(item.name()).or_default().insert(v);
                }
            }
        }
    }
    let mut problems = Vec::new();
    let (mut removed_checked, mut not_seeable) = (0, Vec::new());
    for item in &items {
        let seen = declared.get(item.name()).cloned().unwrap_or_default();
        for v in &seen {
            let held = item.first_seen.is_some_and(|f| f <= *v) && item.last_seen.is_some_and(|l| *v <= l);
            if !held {
                problems.push(format!(
                    "{}: the {v} headers declare it, the catalog has it from {:?} to {:?}",
                    item.name(),
                    item.first_seen,
                    item.last_seen
                ));
            }
        }
        if let (Some(removed), Some(last)) = (item.removed_in, item.last_seen) {
            removed_checked += 1;
            let docs_only = item
                .doc_url()
                .and_then(abiscope::catalog::doc_path)
                .is_some_and(|(v, _)| v == Some(last));
            if seen.contains(&last) || docs_only {
                continue;
            }
            if unseeable.contains(&last) {
                not_seeable.push(item.name());
            } else {
                problems.push(format!(
                    "{}: removed in {removed}, but the {last} headers do not declare it",
                    item.name()
                ));
            }
        }
    }
    println!(
        "{} items probed in every release; {removed_checked} removed names checked against their last release; \
         not visible to the compiler (declared only under MS_WINDOWS in headers that do not compile so): {not_seeable:?}",
        items.len()
    );
    verdict("ranges the headers contradict", &problems)
}
