use super::*;
use crate::check::build::for_tests::{abi3, abi3t};

fn found(text: &str) -> Vec<(&str, u32, u32, bool)> {
    scan(text, |n| n.starts_with("Py"))
        .occurrences
        .into_iter()
        .map(|o| (o.name, o.sites[0].line, o.sites[0].column, o.pointer))
        .collect()
}

#[test]
fn names_count_after_ffi_paths_only() {
    let text = r##"
use pyo3::prelude::*;
fn f(obj: *mut ffi::PyObject) -> isize {
    // ffi::PyList_GET_ITEM in a comment
    let s = "ffi::PyTuple_New in a string";
    let r = r#"ffi::PyDict_New"#;
    let PyFloat_AsDouble = 1; // a local, not an ffi name
    unsafe { pyo3::ffi::PyList_Size(obj) }
}
"##;
    assert_eq!(
        found(text),
        vec![("PyObject", 3, 21, true), ("PyList_Size", 8, 25, false)]
    );
}

#[test]
fn imported_names_count_everywhere_and_globs_import_all() {
    let text = "use pyo3_ffi::{PyObject, PyLong_FromLong as long};\nfn f() { PyLong_FromLong(1); PyObject_Str(x); }\n";
    assert_eq!(found(text), vec![("PyLong_FromLong", 2, 10, false)]);
    let glob = "use pyo3::ffi::*;\nfn f(o: NonNull<PyObject>) { PyObject_Str(o); }\n";
    assert_eq!(
        found(glob),
        vec![("PyObject", 2, 17, true), ("PyObject_Str", 2, 30, false)]
    );
}

#[test]
fn cfg_attributes_select_builds() {
    let text = "#[cfg(not(Py_LIMITED_API))]\nfn fast() { ffi::PyList_GET_ITEM(l, 0); }\n#[cfg(all(Py_LIMITED_API, not(Py_3_13)))]\nfn slow() { ffi::PyList_GetItem(l, 0); }\n#[cfg(Py_GIL_DISABLED)]\nlet x = ffi::PyList_GetItemRef(l, 0);\nffi::Py_None();\n";
    let scan = scan(text, |n| n.starts_with("Py"));
    assert_eq!(scan.left_out, 1);
    let names: Vec<_> = scan.occurrences.iter().map(|o| o.name).collect();
    assert_eq!(names, vec!["PyList_GetItem", "PyList_GetItemRef", "Py_None"]);
    assert!(scan.occurrences[0].builds.contains(abi3(12)));
    assert!(!scan.occurrences[0].builds.contains(abi3(13)));
    assert!(!scan.occurrences[1].builds.contains(abi3(13)) && scan.occurrences[1].builds.contains(abi3t()));
    assert_eq!(scan.occurrences[2].builds, Builds::ALL);
}

#[test]
fn nested_attributes_and_inner_attributes_narrow_each_other() {
    let text = "#[cfg(Py_3_10)]\nmod m {\n    #![cfg(not(Py_GIL_DISABLED))]\n    #[cfg(Py_3_12)]\n    fn f() { ffi::PyA(); }\n    fn g() { ffi::PyB(); }\n}\nfn h() { ffi::PyC(); }\n";
    let scan = scan(text, |n| n.starts_with("Py"));
    let by_name = |n: &str| scan.occurrences.iter().find(|o| o.name == n).map(|o| o.builds);
    let a = by_name("PyA").expect("PyA");
    assert!(!a.contains(abi3(11)) && a.contains(abi3(12)) && !a.contains(abi3t()));
    let b = by_name("PyB").expect("PyB");
    assert!(!b.contains(abi3(9)) && b.contains(abi3(10)) && !b.contains(abi3t()));
    assert_eq!(by_name("PyC"), Some(Builds::ALL));
}

#[test]
fn cfg_if_and_cfg_macro_branches_are_evaluated() {
    let text = "cfg_if! {\n    if #[cfg(Py_LIMITED_API)] {\n        fn a() { ffi::PyList_GetItem(l, 0); }\n    } else if #[cfg(PyPy)] {\n        fn b() { ffi::PyB(); }\n    } else {\n        fn c() { ffi::PyList_GET_ITEM(l, 0); }\n    }\n}\nfn d() { if cfg!(Py_3_13) { ffi::PyList_GetItemRef(l, 0); } else { ffi::PyList_GetItem(l, 0); } }\nfn e() { if !cfg!(Py_GIL_DISABLED) { ffi::PyE(); } }\n";
    let scan = scan(text, |n| n.starts_with("Py"));
    let names: Vec<_> = scan.occurrences.iter().map(|o| (o.name, o.builds)).collect();
    assert_eq!(
        scan.left_out, 2,
        "PyB and PyList_GET_ITEM: no Stable ABI build has them"
    );
    let get = |n: &str| {
        names
            .iter()
            .filter(|(m, _)| *m == n)
            .map(|(_, b)| *b)
            .collect::<Vec<_>>()
    };
    assert_eq!(get("PyList_GetItem")[0], Builds::ALL);
    let item_ref = get("PyList_GetItemRef")[0];
    assert!(!item_ref.contains(abi3(12)) && item_ref.contains(abi3(13)));
    let fallback = get("PyList_GetItem")[1];
    assert!(fallback.contains(abi3(12)) && !fallback.contains(abi3(13)));
    let e = get("PyE")[0];
    assert!(e.contains(abi3(15)) && !e.contains(abi3t()));
}

#[test]
fn deep_predicates_are_unknown_not_a_crash() {
    let deep = format!(
        "#[cfg({}Py_LIMITED_API{})]\nfn f() {{ ffi::PyA(); }}\n",
        "not(".repeat(100_000),
        ")".repeat(100_000)
    );
    let scan = scan(&deep, |n| n.starts_with("Py"));
    assert_eq!(scan.too_deep.len(), 1);
    assert_eq!(scan.too_deep[0].line, 1);
    assert_eq!(
        scan.occurrences[0].builds,
        Builds::ALL,
        "unknown: maybe compiled everywhere"
    );
}

#[test]
fn lifetimes_chars_and_odd_input_do_not_derail() {
    let text =
        "fn f<'a>(c: char) -> &'a str { if c == '\\'' || c == 'x' { ffi::PyA } else { ffi::PyB } }\nr##\"unterminated";
    let names: Vec<_> = found(text).into_iter().map(|f| f.0).collect();
    assert_eq!(names, vec!["PyA", "PyB"]);
    for bad in [
        "'",
        "b'",
        "r#",
        "\"",
        "/* /* */",
        "#[cfg(",
        "#[cfg(all(x, \"y\"))] a",
        "é",
        "1.0e5",
        "if cfg!(",
        "else {",
        "#![cfg(x)]",
    ] {
        let _ = scan(bad, |_| true);
    }
}
