//! The generator's readers against every release's real inputs (the
//! upstream directory, `ABISCOPE_UPSTREAM` or `../shared/upstream`): each
//! release's headers and docs, the version notes, the What's New pages and
//! the history they give. Without the inputs each test says so and passes:
//! `tests/upstream.rs` reports the catalog-level checks as ignored then.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::history::Timeline;
use crate::notes::Removal;
use crate::releases::{self, Release};
use crate::schema::Version;
use crate::whatsnew::{Change, WhatsNew};

struct Inputs {
    releases: Vec<Release>,
    whatsnew: WhatsNew,
}

fn upstream() -> PathBuf {
    std::env::var_os("ABISCOPE_UPSTREAM").map_or_else(crate::default_upstream, PathBuf::from)
}

/// Every release and the What's New pages, read once for all tests.
fn inputs() -> Option<&'static Inputs> {
    static INPUTS: OnceLock<Option<Inputs>> = OnceLock::new();
    INPUTS
        .get_or_init(|| {
            let up = upstream();
            let python = crate::manifest::find_one(&up, "cpython-3", "").ok()?;
            if !up.join("cpython-history").is_dir() {
                return None;
            }
            let releases = releases::load_all(&up, &python, &[]).expect("every release reads");
            let whatsnew = WhatsNew::load(&python.join("doc-html/whatsnew")).expect("What's New reads");
            Some(Inputs { releases, whatsnew })
        })
        .as_ref()
}

macro_rules! need_inputs {
    () => {
        match inputs() {
            Some(i) => i,
            None => {
                eprintln!("upstream inputs not found at {}: skipped", upstream().display());
                return;
            }
        }
    };
}

fn v(minor: u8) -> Version {
    Version::new(3, minor)
}

fn release(inputs: &Inputs, minor: u8) -> &Release {
    inputs
        .releases
        .iter()
        .find(|r| r.version == v(minor))
        .expect("the release is read")
}

#[test]
fn each_release_has_its_own_names() {
    let i = need_inputs!();
    let versions: Vec<Version> = i.releases.iter().map(|r| r.version).collect();
    assert_eq!(versions, [v(9), v(11), v(13), v(14), v(15)]);
    let has = |minor: u8, name: &str| release(i, minor).has(name);
    assert!(has(9, "PyUnicode_AS_UNICODE") && has(11, "PyUnicode_AS_UNICODE") && !has(13, "PyUnicode_AS_UNICODE"));
    assert!(has(11, "PyEval_CallObject") && !has(13, "PyEval_CallObject"));
    assert!(has(14, "PyWeakref_GetObject") && !has(15, "PyWeakref_GetObject"));
    // The 3.15 docs say "removed in 3.15"; the headers still declare it.
    assert!(has(15, "Py_DebugFlag") && !release(i, 15).documents("Py_DebugFlag"));
    // 3.9's pyconfig.h defines it first, pyport.h gives it anyway.
    assert!(has(9, "PY_FORMAT_SIZE_T"));
    // A build configuration macro alone is no API; an include guard neither.
    assert!(!release(i, 9).declares("HAVE_FORK") && !release(i, 15).declares("Py_OBJECT_H"));
    // Declared only under `MS_WINDOWS` in 3.9 (read with `NT_THREADS` too).
    assert!(release(i, 9).declares("PyErr_SetFromWindowsErrWithUnicodeFilename"));
    // The `_SizeT` parsers, under `PY_SSIZE_T_CLEAN`, before 3.13.
    assert!(release(i, 11).declares("_PyArg_ParseTuple_SizeT"));
    for r in &i.releases {
        let public = r.headers.public_names();
        assert!(
            public.len() > 1_000,
            "{}: {} public header names",
            r.version,
            public.len()
        );
        assert!(public.iter().all(|n| n.starts_with("Py") || n.starts_with("PY")));
    }
}

#[test]
fn version_notes_date_only_what_they_are_about() {
    let i = need_inputs!();
    let docs = &release(i, 15).docs;
    let entry = |name: &str| docs.entries.get(name).unwrap_or_else(|| panic!("{name} documented"));
    // A note on the `p` format code.
    assert!(entry("Py_BuildValue").added.is_empty());
    // One group, two notes, each naming its members.
    assert_eq!(entry("Py_HASH_SIPHASH13").added, [v(11)]);
    assert_eq!(entry("Py_HASH_SIPHASH24").added, [v(4)]);
    // "Deprecated since 3.12, removed in version 3.15."
    let flag = entry("Py_DebugFlag");
    assert_eq!(flag.deprecated_in, Some(v(12)));
    assert_eq!(
        flag.removal,
        Some(Removal {
            version: v(15),
            planned: false
        })
    );
    // A note indented one level too little, after its entry.
    assert_eq!(entry("PyEval_SetProfileAllThreads").added, [v(12)]);
    // A section's note.
    assert_eq!(entry("PyTime_Monotonic").section_added, Some(v(13)));
    // Replacements the deprecation note links to.
    assert_eq!(entry("PyErr_Fetch").replacements, ["PyErr_GetRaisedException"]);
    // The 3.9 docs' "will be removed in version 4.0".
    let old = release(i, 9)
        .docs
        .entries
        .get("PyUnicode_AsUnicode")
        .expect("documented in 3.9");
    assert_eq!(old.deprecated_in, Some(v(3)));
    assert!(old.removal.is_some_and(|r| r.planned));
}

#[test]
fn whats_new_says_what_went_when_and_what_replaces_it() {
    let i = need_inputs!();
    let w = &i.whatsnew;
    assert_eq!(w.releases, [v(9), v(10), v(11), v(12), v(13), v(14), v(15)]);
    let said = |name: &str, release: u8, change: Change| {
        w.mentions
            .iter()
            .any(|m| m.name == name && m.release == v(release) && m.change == change)
    };
    assert!(said("PyUnicode_AS_UNICODE", 12, Change::Removed));
    assert!(said("PyEval_CallObject", 13, Change::Removed));
    assert!(said("PyEval_CallObject", 9, Change::Deprecated));
    assert!(said("Py_DebugFlag", 12, Change::Deprecated));
    assert!(said("Py_DebugFlag", 14, Change::PendingRemoval(Some(v(15)))));
    assert!(
        said("_PyLong_AsInt", 13, Change::Removed),
        "the porting list of removed private functions"
    );
    // Listed under "Deprecated" as what `structmember.h` users get instead.
    assert!(!w.mentions.iter().any(|m| m.name == "PyMemberDef"));
    let replaced = |old: &str, new: &str, release: u8| {
        w.replacements
            .iter()
            .any(|r| r.old == old && r.release == v(release) && r.new.iter().any(|n| n == new))
    };
    assert!(replaced("_PyObject_FastCall", "PyObject_Vectorcall", 13));
    assert!(replaced("PyWeakref_GetObject", "PyWeakref_GetRef", 15));
    assert!(replaced("_PyUnicodeWriter_Init", "PyUnicodeWriter_Create", 13));
    assert!(
        w.replacements
            .iter()
            .any(|r| r.old == "PyCode_New" && r.renamed && r.new == ["PyUnstable_Code_New"])
    );
}

#[test]
fn history_is_what_the_headers_bracket() {
    let i = need_inputs!();
    let timeline = Timeline {
        releases: &i.releases,
        whatsnew: &i.whatsnew,
    };
    let known: BTreeSet<String> = [
        "PyWeakref_GetRef",
        "PyObject_Call",
        "PyObject_CallNoArgs",
        "PyConfig_Get",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let h = |name: &str| timeline.history(name, &known);
    let as_unicode = h("PyUnicode_AS_UNICODE");
    assert_eq!(
        (as_unicode.last_seen(), as_unicode.removed_in),
        (Some(v(11)), Some(v(12)))
    );
    let call = h("PyEval_CallObject");
    assert_eq!((call.deprecated_in, call.removed_in), (Some(v(9)), Some(v(13))));
    assert_eq!(call.replacements, ["PyObject_CallNoArgs", "PyObject_Call"]);
    let weakref = h("PyWeakref_GetObject");
    assert_eq!(
        (weakref.removed_in, weakref.replacements.as_slice()),
        (Some(v(15)), &["PyWeakref_GetRef".to_string()][..])
    );
    let unicode = h("Py_UNICODE");
    assert_eq!((unicode.removed_in, unicode.removal_announced), (None, Some(v(15))));
    assert!(unicode.notes.iter().any(|n| n.contains("still declare")));
    // Absent from 3.9, present in 3.11: added in 3.10 or 3.11, never 3.4.
    let siphash = h("Py_HASH_SIPHASH13");
    assert_eq!((siphash.first_seen(), siphash.added_in), (Some(v(11)), Some(v(11))));
    // Nothing decides between 3.10 and 3.12: no guess, a note.
    let undecided = h("PYMALLOC_DEBUG");
    assert_eq!(undecided.removed_in, Some(v(11)));
    assert!(undecided.notes.iter().any(|n| n.starts_with("Removed in 3.10 or 3.11")));
}
