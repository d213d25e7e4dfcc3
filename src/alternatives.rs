//! "Instead of this, use that": Limited API alternatives for an item the
//! target cannot use, best first.
//!
//! Four sources, strongest first: the reviewed migration table
//! (`catalog/migrations.rs`), what the docs' deprecation notes and the
//! What's New pages say to use instead (the item's `replacements`), the
//! naming families that pair a macro with its function (`PyList_GET_ITEM`
//! and `PyList_GetItem`, `PyList_GetItemRef`), and the docs' own
//! cross-references (of a comparable kind). Candidates the target can use
//! come first; those it would allow at a newer minimum follow with their
//! versions; the rest, and removed names, are left out.

use crate::catalog::{Catalog, Item, Kind, Tier};
use crate::target::{Target, Verdict, judge};

pub use crate::catalog::migrations::MIGRATIONS;

/// The family and key of a name: `PyList_GET_ITEM` -> (`pylist`, `item`),
/// `PyList_GetItem` -> (`pylist`, `item`): case, underscores and a leading
/// `get` do not count, nor a leading underscore (private names).
fn family_key(name: &str) -> Option<(String, String)> {
    let (family, rest) = split_family(name)?;
    let key: String = rest
        .chars()
        .filter(|c| *c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    let key = key
        .strip_prefix("get")
        .filter(|k| !k.is_empty())
        .unwrap_or(&key)
        .to_string();
    Some((family.to_ascii_lowercase(), key))
}

/// A name's family as written and the rest: `PyList` and `GET_ITEM`.
fn split_family(name: &str) -> Option<(&str, &str)> {
    name.trim_start_matches('_').split_once('_')
}

/// Whether `name` is of `family` (lower case, from [`family_key`]),
/// looking at no more of it than the family's length.
fn in_family(name: &str, family: &str) -> bool {
    let name = name.trim_start_matches('_').as_bytes();
    name.get(family.len()) == Some(&b'_') && name[..family.len()].eq_ignore_ascii_case(family.as_bytes())
}

/// The words of a name after its family, lowercase, without the ones that
/// say little (`PyDict_GetItemRef` -> `item`).
fn key_words(name: &str) -> Vec<String> {
    const STOP: &[&str] = &[
        "get", "set", "as", "from", "ref", "with", "and", "by", "to", "is", "has",
    ];
    let rest = split_family(name).map_or("", |(_, rest)| rest);
    let mut words = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in rest.chars() {
        if c == '_' || (c.is_ascii_uppercase() && prev_lower) {
            words.push(std::mem::take(&mut word));
        }
        if c != '_' {
            word.push(c.to_ascii_lowercase());
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    words.push(word);
    words.retain(|w| w.len() >= 3 && !STOP.contains(&w.as_str()));
    words
}

/// Kinds that can stand in for one another.
fn kind_group(kind: Kind) -> u8 {
    match kind {
        Kind::Function | Kind::Macro => 0,
        Kind::Type | Kind::Struct => 1,
        Kind::Constant | Kind::Enumerator => 2,
        Kind::Variable => 3,
        Kind::FeatureMacro => 4,
    }
}

/// How closely a candidate's key answers a name's key: the same key
/// (the macro/function pair), the `Ref` variant, or the key extended.
fn family_rank(key: &str, candidate: &str) -> Option<u8> {
    if candidate == key {
        Some(0)
    } else if candidate.strip_suffix("ref") == Some(key) || key.strip_suffix("ref") == Some(candidate) {
        // The `Ref` variant, or for a `Ref` function the borrowing one.
        Some(1)
    } else if candidate.starts_with(key) && candidate.len() - key.len() <= 8 && key.len() >= 3 {
        Some(2)
    } else {
        None
    }
}

/// Limited API alternatives for `name` (a catalog name or one the catalog
/// lacks, such as a removed private function), best first.
pub fn alternatives(catalog: &Catalog, name: &str, item: Option<&Item>, target: Target) -> Vec<&'static str> {
    // (source rank, name); a migration's replacements keep their order.
    let mut found: Vec<(u8, &'static str)> = Vec::new();
    if let Some((_, names)) = MIGRATIONS.iter().find(|(n, _)| *n == name) {
        found.extend(names.iter().filter_map(|n| catalog.get(n)).map(|i| (0, i.name())));
    }
    // What the docs and release notes say to use instead, after the table.
    if let Some(item) = item {
        found.extend(item.replacements().iter().map(|n| (0, n)));
    }
    let migrations = found.len();
    if let Some((family, key)) = family_key(name) {
        // Only the family's members' keys are worth computing.
        let members = catalog.names().iter().filter(|n| in_family(n, &family));
        for candidate in members {
            if let Some((_, ck)) = family_key(candidate)
                && let Some(rank) = family_rank(&key, &ck)
            {
                found.push((1 + rank, candidate));
            }
        }
    }
    // Cross-references link to all sorts of things; only those of a
    // comparable kind (a function for a function) that do the same thing
    // (a word of the name after the family in common) can stand in.
    if let Some(item) = item {
        let words = key_words(item.name());
        let comparable = |n: &&str| {
            catalog.get(n).is_some_and(|c| {
                kind_group(c.kind) == kind_group(item.kind) && key_words(c.name()).iter().any(|w| words.contains(w))
            })
        };
        found.extend(item.see_also().iter().filter(comparable).map(|n| (9, n)));
    }
    let mut seen = Vec::new();
    let mut ranked: Vec<(bool, u8, usize, Option<crate::catalog::Version>, &'static str)> = found
        .into_iter()
        .enumerate()
        .filter_map(|(at, (rank, n))| {
            let c = catalog.get(n)?;
            // Without a target, a stated replacement counts whatever its
            // tier (`PyCode_New` -> `PyUnstable_Code_New`); otherwise only
            // the Limited API does.
            let stated = rank == 0 && !target.is_set();
            if c.name() == name || c.is_removed() || (c.tier != Tier::Limited && !stated) || seen.contains(&c.name()) {
                return None;
            }
            seen.push(c.name());
            // Under a target: what it allows, or would allow at a newer minimum.
            let verdict = target.is_set().then(|| judge(catalog, c, target).verdict);
            if verdict.is_some_and(|v| !v.is_usable() && v != Verdict::TooNew) {
                return None;
            }
            let order = if at < migrations { at } else { 0 };
            Some((
                verdict.is_some_and(|v| !v.is_usable()),
                rank,
                order,
                c.stable_since,
                c.name(),
            ))
        })
        .collect();
    ranked.sort_by(|a, b| {
        (a.0, a.1, a.2)
            .cmp(&(b.0, b.1, b.2))
            .then(crate::catalog::cmp_optional_version(a.3, b.3))
    });
    ranked.into_iter().map(|(_, _, _, _, n)| n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_replacements_are_catalog_names() {
        let catalog = Catalog::embedded();
        for (from, to) in MIGRATIONS {
            // A name outside the Limited API may be replaced by another
            // such name (`Py_UNICODE_COPY` by `PyUnicode_CopyCharacters`).
            let limited_only = catalog.get(from).is_some_and(|f| f.tier == Tier::Limited);
            for name in *to {
                let item = catalog
                    .get(name)
                    .unwrap_or_else(|| panic!("{from} -> {name}: not in the catalog"));
                assert!(!item.is_removed(), "{from} -> {name} is removed");
                assert!(
                    item.tier == Tier::Limited || (!limited_only && item.tier == Tier::General),
                    "{from} -> {name} is {}",
                    item.tier
                );
            }
        }
    }

    #[test]
    fn every_row_of_the_table_comes_first_without_a_target() {
        let catalog = Catalog::embedded();
        for (from, to) in MIGRATIONS {
            let alts = alternatives(&catalog, from, catalog.get(from), Target::default());
            assert_eq!(alts.first(), to.first(), "{from}: {alts:?}");
        }
    }

    #[test]
    fn families_pair_macros_with_functions() {
        assert_eq!(family_key("PyList_GET_ITEM"), Some(("pylist".into(), "item".into())));
        assert_eq!(
            family_key("PyList_GetItemRef"),
            Some(("pylist".into(), "itemref".into()))
        );
        assert_eq!(family_key("PyTuple_GET_SIZE"), family_key("PyTuple_Size"));
        assert_eq!(family_key("PyBytes_AS_STRING"), family_key("PyBytes_AsString"));
        assert_eq!(family_key("_PyObject_CallNoArg").map(|f| f.0), Some("pyobject".into()));
        assert_eq!(family_key("nounderscore"), None);
    }

    #[test]
    fn key_words_split_camel_case_and_underscores() {
        assert_eq!(key_words("PyDict_GetItemRef"), ["item"]);
        assert_eq!(key_words("PyErr_GetRaisedException"), ["raised", "exception"]);
        assert_eq!(key_words("PyList_GET_ITEM"), ["item"]);
        assert!(key_words("Py_DECREF").iter().all(|w| w != "buffer"));
    }

    #[test]
    fn list_get_item_points_to_the_function_and_the_ref_variant() {
        let catalog = Catalog::embedded();
        let item = catalog.get("PyList_GET_ITEM");
        let alts = alternatives(&catalog, "PyList_GET_ITEM", item, Target::default());
        assert_eq!(&alts[..2], ["PyList_GetItem", "PyList_GetItemRef"]);
    }
}
