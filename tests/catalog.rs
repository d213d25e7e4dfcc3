//! Invariants of the embedded catalog that hold without the upstream
//! inputs. A failure names the items and says how to fix the catalog.

use std::collections::BTreeSet;

use abiscope::catalog::{Abi3t, Catalog, DOCS_BASE, Kind, StructKind, Tier, Version};

const FIX: &str = "fix the generator (xtask/) and regenerate with `cargo xtask catalog`";

fn check(what: &str, bad: &[String]) {
    assert!(bad.is_empty(), "{} items {what}: {bad:?}; {FIX}", bad.len());
}

#[test]
fn the_catalog_is_complete_in_size() {
    let catalog = Catalog::embedded();
    // 1,248 manifest items plus the rest of the documented names.
    assert!(catalog.items().len() > 2_000, "only {} items", catalog.items().len());
    let stable = catalog
        .items()
        .iter()
        .filter(|i| i.is_stable_abi() || i.kind == Kind::FeatureMacro)
        .count();
    assert!(stable >= 1_248, "only {stable} Stable ABI items");
    assert_eq!(catalog.source().python, "3.15.2");
}

#[test]
fn names_are_sorted_unique_and_identifiers() {
    let catalog = Catalog::embedded();
    let bad: Vec<String> = catalog
        .items()
        .windows(2)
        .filter(|w| w[0].name >= w[1].name)
        .map(|w| format!("{} >= {}", w[0].name, w[1].name))
        .collect();
    check("out of order", &bad);
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| {
            !i.name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        })
        .map(|i| i.name.to_string())
        .collect();
    check("with names that are no C identifiers", &bad);
}

#[test]
fn stable_abi_items_carry_their_version() {
    let catalog = Catalog::embedded();
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| i.is_stable_abi() && i.stable_since.is_none_or(|v| v < Version::new(3, 2)))
        .map(|i| i.name.to_string())
        .collect();
    check("in the Stable ABI without a version from 3.2 on", &bad);
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| !i.is_stable_abi() && i.stable_since.is_some())
        .map(|i| i.name.to_string())
        .collect();
    check("with a Stable ABI version outside the Stable ABI", &bad);
}

#[test]
fn tiers_follow_the_naming_rules() {
    let catalog = Catalog::embedded();
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| i.name.starts_with("PyUnstable_") && i.tier != Tier::Unstable)
        .map(|i| i.name.to_string())
        .collect();
    check("named PyUnstable_ outside the unstable tier", &bad);
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| i.name.starts_with('_') && !matches!(i.tier, Tier::Private | Tier::AbiOnly))
        .map(|i| format!("{} ({})", i.name, i.tier))
        .collect();
    check("with underscore names outside the private and ABI-only tiers", &bad);
}

#[test]
fn struct_facts_belong_to_structs() {
    let catalog = Catalog::embedded();
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| i.struct_kind.is_some() && i.kind != Kind::Struct)
        .map(|i| i.name.to_string())
        .collect();
    check("with a struct ABI kind but no struct", &bad);
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| i.struct_kind == Some(StructKind::Members) && !i.members.iter().any(|m| m.stable))
        .map(|i| i.name.to_string())
        .collect();
    check("listing stable members without any", &bad);
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| i.struct_kind == Some(StructKind::Opaque) && i.abi3t != Some(Abi3t::Opaque))
        .map(|i| i.name.to_string())
        .collect();
    check("opaque in abi3 but not in abi3t", &bad);
}

#[test]
fn exposure_is_within_the_headers_range() {
    let catalog = Catalog::embedded();
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| {
            i.exposed
                .abi3
                .is_some_and(|v| v < Version::new(3, 2) || v > Version::new(3, 15))
        })
        .map(|i| i.name.to_string())
        .collect();
    check("exposed outside 3.2 to 3.15", &bad);
    // abi3t is stricter than abi3: what it declares, abi3 declares too,
    // configuration macros such as Py_GIL_DISABLED aside.
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| !matches!(i.kind, Kind::Macro | Kind::Constant))
        .filter(|i| i.exposed.abi3t && i.exposed.abi3.is_none())
        .map(|i| i.name.to_string())
        .collect();
    check("declared for abi3t but never for abi3", &bad);
}

#[test]
fn links_and_sections_are_well_formed() {
    let catalog = Catalog::embedded();
    let sections: BTreeSet<&str> = catalog.sections().iter().map(|s| s.path).collect();
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| {
            i.doc_url
                .is_some_and(|u| !u.starts_with(DOCS_BASE) || !u.contains("#c."))
        })
        .map(|i| i.name.to_string())
        .collect();
    check("with a doc URL that is not a docs.python.org C anchor", &bad);
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| i.doc_url.is_some() != i.section.is_some() || i.section.is_some_and(|s| !sections.contains(s)))
        .map(|i| i.name.to_string())
        .collect();
    check("documented without a known section, or the reverse", &bad);
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .flat_map(|i| {
            i.see_also
                .iter()
                .filter(|n| catalog.get(n).is_none() || **n == i.name)
                .map(move |n| format!("{} -> {n}", i.name))
        })
        .collect();
    check("with a see-also name that is unknown or itself", &bad);
}

#[test]
fn well_known_facts_hold() {
    let c = Catalog::embedded();
    let get = |n: &str| c.get(n).unwrap_or_else(|| panic!("{n} missing; {FIX}"));
    let fill = get("PyBuffer_FillInfo");
    assert_eq!(fill.tier, Tier::Limited);
    assert_eq!(fill.stable_since, Some(Version::new(3, 11)));
    assert_eq!(fill.header, Some("Include/pybuffer.h"));
    assert_eq!(
        fill.doc_url,
        Some("https://docs.python.org/3/c-api/buffer.html#c.PyBuffer_FillInfo")
    );
    // Listed in the Limited API although the manifest lacks them.
    for name in ["Py_INCREF", "Py_DECREF", "Py_CLEAR"] {
        assert_eq!(get(name).tier, Tier::Limited, "{name}");
    }
    // Not listed, yet the headers expose them under abi3; PyObject_HEAD is gone under abi3t.
    for name in ["Py_RETURN_NONE", "Py_None", "PyObject_HEAD"] {
        assert_eq!(get(name).exposed.abi3, Some(Version::new(3, 2)), "{name}");
    }
    assert!(!get("PyObject_HEAD").exposed.abi3t);
    assert_eq!(get("PyObject").struct_kind, Some(StructKind::Members));
    assert_eq!(get("PyModuleDef").abi3t, Some(Abi3t::Opaque));
    assert_eq!(get("PyUnicode_AsUTF8").tier, Tier::General);
    assert_eq!(get("PyList_GET_ITEM").kind, Kind::Macro);
    assert_eq!(get("METH_VARARGS").kind, Kind::Constant);
    assert_eq!(get("Py_HashBuffer").stable_since, Some(Version::new(3, 16)));
    let fork = get("PyOS_AfterFork_Child").ifdef.expect("a platform condition");
    assert_eq!(
        (fork.feature, fork.note),
        ("HAVE_FORK", Some("on platforms with fork()"))
    );
}
