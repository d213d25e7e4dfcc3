//! Invariants of the embedded catalog that hold without the upstream
//! inputs. A failure names the items and says how to fix the catalog.

use std::collections::BTreeSet;

use abiscope::catalog::{Abi3t, Catalog, DOCS_BASE, Kind, Section, StructKind, Tier, Version, doc_path};

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
        .filter(|w| w[0].name() >= w[1].name())
        .map(|w| format!("{} >= {}", w[0].name(), w[1].name()))
        .collect();
    check("out of order", &bad);
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| {
            !i.name()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        })
        .map(|i| i.name().to_string())
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
        .map(|i| i.name().to_string())
        .collect();
    check("in the Stable ABI without a version from 3.2 on", &bad);
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| !i.is_stable_abi() && i.stable_since.is_some())
        .map(|i| i.name().to_string())
        .collect();
    check("with a Stable ABI version outside the Stable ABI", &bad);
}

#[test]
fn tiers_follow_the_naming_rules() {
    let catalog = Catalog::embedded();
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| i.name().starts_with("PyUnstable_") && i.tier != Tier::Unstable)
        .map(|i| i.name().to_string())
        .collect();
    check("named PyUnstable_ outside the unstable tier", &bad);
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| i.name().starts_with('_') && !matches!(i.tier, Tier::Private | Tier::AbiOnly))
        .map(|i| format!("{} ({})", i.name(), i.tier))
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
        .map(|i| i.name().to_string())
        .collect();
    check("with a struct ABI kind but no struct", &bad);
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| i.struct_kind == Some(StructKind::Members) && !i.members().iter().any(|m| m.stable))
        .map(|i| i.name().to_string())
        .collect();
    check("listing stable members without any", &bad);
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| i.struct_kind == Some(StructKind::Opaque) && i.abi3t != Some(Abi3t::Opaque))
        .map(|i| i.name().to_string())
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
        .map(|i| i.name().to_string())
        .collect();
    check("exposed outside 3.2 to 3.15", &bad);
    // abi3t is stricter than abi3: what it declares, abi3 declares too,
    // configuration macros such as Py_GIL_DISABLED aside.
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| !matches!(i.kind, Kind::Macro | Kind::Constant))
        .filter(|i| i.exposed.abi3t && i.exposed.abi3.is_none())
        .map(|i| i.name().to_string())
        .collect();
    check("declared for abi3t but never for abi3", &bad);
}

#[test]
fn links_and_sections_are_well_formed() {
    let catalog = Catalog::embedded();
    let sections: BTreeSet<&str> = catalog.sections().iter().map(Section::path).collect();
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| {
            i.doc_url()
                .is_some_and(|u| doc_path(u).is_none_or(|(_, rel)| !rel.contains("#c.")))
        })
        .map(|i| i.name().to_string())
        .collect();
    check("with a doc URL that is not a docs.python.org C anchor", &bad);
    // Sections are the 3.15 table of contents: the current docs' items have
    // one, items documented only by older docs do not.
    let current = |i: &&abiscope::catalog::Item| i.doc_url().is_some_and(|u| u.starts_with(DOCS_BASE));
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| current(i) != i.section().is_some() || i.section().is_some_and(|s| !sections.contains(s)))
        .map(|i| i.name().to_string())
        .collect();
    check(
        "documented by the 3.15 docs without a known section, or the reverse",
        &bad,
    );
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| {
            i.doc_url()
                .and_then(doc_path)
                .is_some_and(|(v, _)| v.is_some_and(|v| i.last_seen.is_none_or(|l| l < v)))
        })
        .map(|i| i.name().to_string())
        .collect();
    check("linking to the docs of a release that does not have them", &bad);
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .flat_map(|i| {
            i.see_also()
                .iter()
                .filter(|n| catalog.get(n).is_none() || *n == i.name())
                .map(move |n| format!("{} -> {n}", i.name()))
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
    assert_eq!(fill.header(), Some("Include/pybuffer.h"));
    assert_eq!(
        fill.doc_url(),
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
        (fork.feature(), fork.note()),
        ("HAVE_FORK", Some("on platforms with fork()"))
    );
}

/// The release before and after `v` among those read.
fn neighbours(read: &[Version], v: Version) -> (Option<Version>, Option<Version>) {
    (
        read.iter().copied().filter(|r| *r < v).max(),
        read.iter().copied().filter(|r| *r > v).min(),
    )
}

#[test]
fn history_fits_the_releases_read() {
    let catalog = Catalog::embedded();
    let read = catalog.source().release_versions();
    assert_eq!(read.len(), 5, "3.9, 3.11, 3.13, 3.14 and 3.15 are read");
    let newest = *read.last().expect("releases");
    let mut bad = Vec::new();
    for i in catalog.items() {
        let gone = i.last_seen.is_some_and(|l| l < newest);
        if i.removed_in.is_some() != gone {
            bad.push(format!(
                "{}: removed_in {:?}, last seen {:?}",
                i.name(),
                i.removed_in,
                i.last_seen
            ));
        }
        if let (Some(r), Some(l)) = (i.removed_in, i.last_seen) {
            let next = neighbours(&read, l).1;
            if r <= l || next.is_none_or(|n| r > n) {
                bad.push(format!("{}: removed in {r}, outside ({l}, {next:?}]", i.name()));
            }
        }
        if let (Some(a), Some(f)) = (i.added_in, i.first_seen) {
            let before = neighbours(&read, f).0;
            if a > f || before.is_some_and(|b| a <= b) {
                bad.push(format!("{}: added in {a}, outside ({before:?}, {f}]", i.name()));
            }
        }
        if i.removed_in.is_some() && i.removal_announced.is_some() {
            bad.push(format!("{}: both removed and announced for removal", i.name()));
        }
        if let (Some(d), Some(r)) = (i.deprecated_in, i.removed_in)
            && d > r
        {
            bad.push(format!("{}: deprecated in {d} after its removal in {r}", i.name()));
        }
    }
    check("whose history does not fit the releases read", &bad);
}

#[test]
fn removed_names_have_no_current_facts() {
    let catalog = Catalog::embedded();
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| i.is_removed())
        .filter(|i| i.exposed.abi3.is_some() || i.exposed.abi3t || i.section().is_some() || i.tier == Tier::Limited)
        .map(|i| i.name().to_string())
        .collect();
    check(
        "removed, yet exposed by the 3.15 headers, filed in a 3.15 section or Limited",
        &bad,
    );
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .flat_map(|i| {
            i.replacements()
                .iter()
                .filter(|r| {
                    *r == i.name()
                        || catalog
                            .get(r)
                            .is_none_or(|c| c.is_removed() || c.deprecated_in.is_some())
                })
                .map(move |r| format!("{} -> {r}", i.name()))
        })
        .collect();
    check(
        "with a replacement that is itself, unknown, removed or deprecated",
        &bad,
    );
}

#[test]
fn public_names_of_the_3_15_headers_are_items() {
    // Declared by the 3.15 headers, documented nowhere: the catalog has
    // them anyway, each under its own (exact) name.
    let catalog = Catalog::embedded();
    let names = [
        "PyHeapTypeObject",
        "PyCode_New",
        "PyThreadState_GET",
        "PySliceObject",
        "PyTracebackObject",
        "PyBaseExceptionObject",
        "PyBaseExceptionGroupObject",
        "PySyntaxErrorObject",
        "PyImportErrorObject",
        "PyUnicodeErrorObject",
        "PySystemExitObject",
        "PyOSErrorObject",
        "PyStopIterationObject",
        "PyNameErrorObject",
        "PyAttributeErrorObject",
        "PyEnvironmentErrorObject",
        "PyWindowsErrorObject",
        "PyDescrObject",
        "PyMethodDescrObject",
        "PyMemberDescrObject",
        "PyGetSetDescrObject",
        "PyWrapperDescrObject",
    ];
    let bad: Vec<String> = names
        .iter()
        .filter(|n| {
            catalog
                .get(n)
                .is_none_or(|i| i.name() != **n || i.last_seen.is_none_or(|l| l < Version::new(3, 15)))
        })
        .map(|n| (*n).to_string())
        .collect();
    check("of the 3.15 headers missing", &bad);
}

#[test]
fn version_notes_date_the_right_items() {
    let c = Catalog::embedded();
    let get = |n: &str| c.get(n).unwrap_or_else(|| panic!("{n} missing; {FIX}"));
    // A note on one format code does not date the function.
    assert_eq!(get("Py_BuildValue").added_in, None);
    // Grouped entries: each its own note.
    assert_eq!(get("Py_HASH_SIPHASH13").added_in, Some(Version::new(3, 11)));
    assert_eq!(get("Py_HASH_SIPHASH24").added_in, Some(Version::new(3, 4)));
    // "Deprecated since X, removed in Y" with the name still declared.
    for name in ["Py_DebugFlag", "Py_VerboseFlag", "PySys_SetArgv"] {
        let i = get(name);
        assert!(i.deprecated_in.is_some(), "{name}");
        assert_eq!(
            (i.removed_in, i.removal_announced),
            (None, Some(Version::new(3, 15))),
            "{name}"
        );
    }
    // A plan the release notes made that 3.15 did not carry out is a note.
    let utf8 = get("Py_UTF8Mode");
    assert_eq!((utf8.removed_in, utf8.removal_announced), (None, None));
    assert!(
        utf8.notes().iter().any(|n| n.contains("planned its removal for 3.15")),
        "{:?}",
        utf8.notes()
    );
    let unicode = get("Py_UNICODE");
    assert_eq!(
        (unicode.deprecated_in, unicode.removed_in),
        (Some(Version::new(3, 13)), None)
    );
    // A section's note passes down to its entries.
    assert_eq!(get("PyTime_Monotonic").added_in, Some(Version::new(3, 13)));
    // Really removed.
    assert_eq!(get("PyUnicode_AS_UNICODE").removed_in, Some(Version::new(3, 12)));
    assert_eq!(get("PyWeakref_GetObject").removed_in, Some(Version::new(3, 15)));
}

#[test]
fn every_function_returning_an_object_says_whose_reference() {
    let catalog = Catalog::embedded();
    let bad: Vec<String> = catalog
        .items()
        .iter()
        .filter(|i| i.kind == Kind::Function && !i.name().contains('.'))
        .filter(|i| {
            i.signature().is_some_and(|s| {
                let s = s.trim_start_matches("const ");
                s.starts_with("PyObject *") && !s.starts_with("PyObject **")
            })
        })
        .filter(|i| i.returns.is_none())
        .map(|i| i.name().to_string())
        .collect();
    check("returning PyObject * without `returns`", &bad);
    let get = |n: &str| catalog.get(n).unwrap_or_else(|| panic!("{n} missing; {FIX}"));
    assert_eq!(
        (get("Py_NewRef").returns, get("Py_NewRef").returns_inferred),
        (Some(abiscope::catalog::Returns::New), true)
    );
    assert_eq!(
        get("Py_GetConstantBorrowed").returns,
        Some(abiscope::catalog::Returns::Borrowed)
    );
    assert_eq!(
        get("PyCFunction_GET_SELF").returns,
        Some(abiscope::catalog::Returns::Borrowed)
    );
    assert_eq!(
        get("_PyDict_GetItemWithError").returns,
        Some(abiscope::catalog::Returns::Borrowed)
    );
    let list = get("PyList_GetItem");
    assert_eq!(
        (list.returns, list.returns_inferred),
        (Some(abiscope::catalog::Returns::Borrowed), false)
    );
}
