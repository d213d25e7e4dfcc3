use super::*;
use crate::check::build::for_tests::abi3;

fn scan_with(text: &str, wanted: impl Fn(&str) -> bool) -> Scan<'_> {
    scan(text, wanted, &Env::default(), HashMap::new())
}

/// Every occurrence's name with its first place, in order of first use.
fn names(text: &str) -> Vec<(String, u32, u32)> {
    scan_with(text, |n| n.starts_with("Py"))
        .occurrences
        .into_iter()
        .map(|o| (o.name.to_string(), o.sites[0].line, o.sites[0].column))
        .collect()
}

fn used<'a>(scan: &'a Scan<'a>) -> Vec<&'a str> {
    scan.occurrences.iter().map(|o| o.name).collect()
}

#[test]
fn comments_strings_and_includes_are_not_uses() {
    let text = r#"#include "Python.h"  /* PyList_New */
// PyList_Append here is prose
static const char *doc = "PyTuple_New in a string";
static char c = 'P';
static const char *raw = R"x(PyDict_New )" PyList_New)x";
PyObject *f(void) { return PyLong_FromLong(1L); } /* PyFloat
   PyBool */ int g(void) { return PyX; }
"#;
    assert_eq!(
        names(text),
        vec![
            ("PyObject".to_string(), 6, 1),
            ("PyLong_FromLong".to_string(), 6, 28),
            ("PyX".to_string(), 7, 35)
        ]
    );
}

#[test]
fn macro_bodies_count_and_settings_do_not() {
    let text = "#define PY_SSIZE_T_CLEAN\n#define Py_LIMITED_API 0x03090000\n#define GET(o, i) \\\n    PyList_GET_ITEM(o, i)\n#if defined(Py_GIL_DISABLED)\n#endif\n";
    let scan = scan_with(text, |n| n.starts_with("Py") || n.starts_with("PY"));
    let got: Vec<_> = scan
        .occurrences
        .iter()
        .map(|o| (o.name, o.sites[0].line, o.sites[0].column, o.in_macro))
        .collect();
    assert_eq!(got, vec![("PyList_GET_ITEM", 4, 5, Some("GET"))]);
    let settings: Vec<_> = scan
        .settings
        .iter()
        .map(|s| (s.name, s.value.as_deref(), s.defined, s.site.line))
        .collect();
    assert_eq!(
        settings,
        vec![
            ("PY_SSIZE_T_CLEAN", None, true, 1),
            ("Py_LIMITED_API", Some("0x03090000"), true, 2),
            ("Py_GIL_DISABLED", None, false, 5)
        ]
    );
}

#[test]
fn code_outside_stable_abi_builds_is_left_out() {
    let text = "#ifdef Py_LIMITED_API\nPyList_GetItem(l, 0);\n#else\nPyList_GET_ITEM(l, 0);\n#endif\n#if Py_LIMITED_API+0 >= 0x030D0000\nPyList_GetItemRef(l, 0);\n#endif\n";
    let scan = scan_with(text, |n| n.starts_with("Py"));
    assert_eq!(used(&scan), vec!["PyList_GetItem", "PyList_GetItemRef"]);
    assert_eq!(scan.left_out, 1);
    assert!(!scan.occurrences[1].builds.contains(abi3(12)));
    assert!(scan.occurrences[1].builds.contains(abi3(13)));
}

#[test]
fn fallbacks_are_the_files_own_after_the_endif_too() {
    // r3: a flag the Limited API lacks, defined by the file.
    let text = "#ifndef Py_TPFLAGS_SEQUENCE\n#define Py_TPFLAGS_SEQUENCE 0\n#endif\nunsigned long f(void){ return Py_TPFLAGS_DEFAULT | Py_TPFLAGS_SEQUENCE; }\n";
    let scan = scan_with(text, |n| n.starts_with("Py_"));
    assert_eq!(used(&scan), vec!["Py_TPFLAGS_DEFAULT"]);
    // A fallback for a flag the headers give from 3.12 is the file's before.
    let text = "#ifndef Py_TPFLAGS_HAVE_VECTORCALL\n#define Py_TPFLAGS_HAVE_VECTORCALL 0\n#endif\nint x = Py_TPFLAGS_HAVE_VECTORCALL;\n";
    let scan = scan_with(text, |n| n.starts_with("Py_"));
    let builds = scan.occurrences[0].builds;
    assert!(!builds.contains(abi3(11)) && builds.contains(abi3(12)));
}

#[test]
fn the_files_own_declarations_are_not_uses() {
    // r4: Cython's own variable where the Limited API has no CO_OPTIMIZED.
    let text = "#ifndef CO_OPTIMIZED\nstatic int CO_OPTIMIZED;\n#endif\nint f4(void){ return CO_OPTIMIZED; }\n";
    let scan = scan_with(text, |n| n.starts_with("CO_"));
    assert!(scan.occurrences.is_empty(), "{:?}", scan.occurrences);
    // r7: the project's own `_Py` names.
    let text = "typedef struct _PyMine { int x; } PyMine;\n#define _PyMyMacro(o) ((PyMine *)(o))\nint f7(PyObject *o){ return _PyMyMacro(o)->x; }\n";
    let scan = scan_with(text, |n| n.starts_with("_Py") || n == "PyObject");
    assert_eq!(used(&scan), vec!["PyObject"]);
    // A shim for old versions is the file's where it is compiled.
    let text = "#if PY_VERSION_HEX < 0x030D0000\nstatic PyObject *PyList_GetItemRef(PyObject *l, Py_ssize_t i) { return PyList_GetItem(l, i); }\n#endif\nPyObject *g(PyObject *l) { return PyList_GetItemRef(l, 0); }\n";
    let scan = scan_with(text, |n| n.starts_with("PyList_"));
    let shim: Vec<_> = scan
        .occurrences
        .iter()
        .filter(|o| o.name == "PyList_GetItemRef")
        .collect();
    assert_eq!(shim.len(), 1);
    assert!(!shim[0].builds.contains(abi3(12)) && shim[0].builds.contains(abi3(13)));
    // The entry point is defined by the extension, and still counts.
    let scan = scan_with("PyMODINIT_FUNC PyInit_spam(void) { return 0; }", |n| {
        n.starts_with("PyInit")
    });
    assert_eq!(used(&scan), vec!["PyInit_spam"]);
}

#[test]
fn a_macro_shadowing_an_api_name_is_the_files() {
    // r5: the uses expand to the macro's body, which counts instead.
    let text = "#define PyUnicode_AsUTF8(u) PyUnicode_AsUTF8AndSize((u), NULL)\nconst char *f5(PyObject *o){ return PyUnicode_AsUTF8(o); }\n";
    let scan = scan_with(text, |n| n.starts_with("PyUnicode"));
    let got: Vec<_> = scan.occurrences.iter().map(|o| (o.name, o.in_macro)).collect();
    assert_eq!(got, vec![("PyUnicode_AsUTF8AndSize", Some("PyUnicode_AsUTF8"))]);
    assert!(scan.expanded.contains("PyUnicode_AsUTF8"));
}

#[test]
fn undefined_configuration_macros_are_assumed_undefined_and_said_so() {
    // r1 and r2.
    let text = "#ifndef MYCFG\n#define MYCFG 0\n#endif\n#if MYCFG\nPyObject *f1(PyObject *o){ return PyList_GET_ITEM(o, 0); }\n#endif\n#if defined(STACKTRACE)\nx = PyList_GET_ITEM(o, 1);\n#endif\n#if defined(_PyDict_NewPresized)\nPyObject *f2(void){ return _PyDict_NewPresized(3); }\n#endif\n";
    let scan = scan_with(text, |n| n.starts_with("PyList") || n.starts_with("_Py"));
    assert!(scan.occurrences.is_empty(), "{:?}", scan.occurrences);
    let assumed: Vec<_> = scan.assumed.iter().map(|(n, s)| (n.as_str(), s.line)).collect();
    // MYCFG's own `#ifndef` gives it a default: no assumption that matters.
    assert_eq!(assumed, vec![("STACKTRACE", 7)]);
}

#[test]
fn undecided_code_names_what_left_it_undecided() {
    let text = "#ifdef _WIN32\nPyList_GET_ITEM(l, 0);\n#endif\nPyList_Size(l);\n";
    let scan = scan_with(text, |n| n.starts_with("PyList"));
    let reason = scan.occurrences[0].reason.expect("maybe compiled");
    assert_eq!(scan.reasons[reason as usize], vec!["_WIN32".to_string()]);
    assert_eq!(scan.occurrences[1].reason, None);
}

#[test]
fn error_branches_refuse_builds() {
    let text = "#if Py_LIMITED_API+0 < 0x03090000\n#error \"needs 3.9\"\n#endif\n";
    let scan = scan_with(text, |_| false);
    assert_eq!(scan.refusals.len(), 1);
    let refused = scan.refusals[0].builds;
    assert!(refused.contains(abi3(8)) && !refused.contains(abi3(9)));
    assert_eq!(scan.refusals[0].message, "\"needs 3.9\"");
}

#[test]
fn alternative_branches_keep_the_brace_depth() {
    // Both branches open a block; only one is compiled.
    let text = "#ifdef _WIN32\nint f(void) {\n#else\nint f(int a) {\n#endif\nreturn 0; }\nstatic int Py_mine;\nint g(void) { return Py_mine; }\n";
    let scan = scan_with(text, |n| n.starts_with("Py_"));
    assert!(scan.occurrences.is_empty(), "{:?}", scan.occurrences);
    assert!(scan.owned.contains_key("Py_mine"));
}

#[test]
fn text_ending_inside_a_literal_or_comment() {
    // Found by cargo fuzz: a backslash as the last byte of a string in
    // a macro body stepped past the end of the text.
    for text in [
        "#define X \"a\\",
        "#define X 'a\\",
        "\"\\",
        "/* PyX",
        "#define X /* PyX",
        "R\"x(PyX",
        "int f(",
        "int PyX(",
    ] {
        let _ = scan_with(text, |_| true);
    }
    // And a raw string whose delimiter ends inside a multibyte character.
    let _ = scan_with("R\"\u{b1}\u{20ac}(x)\u{b1}\"", |_| true);
}

#[test]
fn pointers_are_told_from_values() {
    let scan = scan_with(
        "void f(void) { g(PyObject *a); h(PyObject* b); k(PyObject const *c); m(PyObject d); n(sizeof(PyObject)); }",
        |n| n == "PyObject",
    );
    let got: Vec<bool> = scan.occurrences.iter().map(|o| o.pointer).collect();
    assert_eq!(got, vec![true, false]);
    assert_eq!(scan.occurrences[0].count, 3);
}

#[test]
fn columns_count_characters_and_lines_survive_continuations() {
    let text = "/* é */ PyA;\n#define X \\\n  1\nPyB; \"a\\\nb\" PyC;";
    assert_eq!(
        names(text),
        vec![
            ("PyA".to_string(), 1, 9),
            ("PyB".to_string(), 4, 1),
            ("PyC".to_string(), 5, 4)
        ]
    );
}

#[test]
fn many_uses_on_one_line_cost_one_entry() {
    let line = "Py_None, ".repeat(100_000);
    let scan = scan_with(&line, |n| n == "Py_None");
    assert_eq!(scan.occurrences.len(), 1);
    assert_eq!(scan.occurrences[0].count, 100_000);
    assert_eq!(scan.occurrences[0].sites[1].column, 10);
}
