//! The verdict table: names real extensions use that the Limited API lacks
//! or added late, with what a wheel for `abi3=3.9` may do with them and the
//! first alternative abiscope offers. Every row must hold.

use abiscope::alternatives::alternatives;
use abiscope::catalog::Catalog;
use abiscope::target::{Target, Verdict, judge, judge_unknown};

use Verdict::{AbiOnly, NotLimited, PlatformOnly, TooNew, Usable};

/// (name, verdict under abi3=3.9, first alternative)
const TABLE: &[(&str, Verdict, Option<&str>)] = &[
    // Macro forms of concrete-object accessors and their functions.
    ("PyList_GET_ITEM", NotLimited, Some("PyList_GetItem")),
    ("PyList_SET_ITEM", NotLimited, Some("PyList_SetItem")),
    ("PyList_GET_SIZE", NotLimited, Some("PyList_Size")),
    ("PyTuple_GET_ITEM", NotLimited, Some("PyTuple_GetItem")),
    ("PyTuple_SET_ITEM", NotLimited, Some("PyTuple_SetItem")),
    ("PyTuple_GET_SIZE", NotLimited, Some("PyTuple_Size")),
    ("PyBytes_AS_STRING", NotLimited, Some("PyBytes_AsString")),
    ("PyBytes_GET_SIZE", NotLimited, Some("PyBytes_Size")),
    ("PyByteArray_AS_STRING", NotLimited, Some("PyByteArray_AsString")),
    ("PyByteArray_GET_SIZE", NotLimited, Some("PyByteArray_Size")),
    ("PyFloat_AS_DOUBLE", NotLimited, Some("PyFloat_AsDouble")),
    ("PyDict_GET_SIZE", NotLimited, Some("PyDict_Size")),
    ("PySet_GET_SIZE", NotLimited, Some("PySet_Size")),
    ("PyCFunction_GET_FUNCTION", NotLimited, Some("PyCFunction_GetFunction")),
    ("PyCFunction_GET_SELF", NotLimited, Some("PyCFunction_GetSelf")),
    ("PyCFunction_GET_FLAGS", NotLimited, Some("PyCFunction_GetFlags")),
    (
        "PyStructSequence_GET_ITEM",
        NotLimited,
        Some("PyStructSequence_GetItem"),
    ),
    ("PySequence_Fast_GET_ITEM", NotLimited, Some("PySequence_GetItem")),
    ("PySequence_Fast_GET_SIZE", NotLimited, Some("PySequence_Size")),
    ("PySequence_ITEM", NotLimited, Some("PySequence_GetItem")),
    ("PyUnicode_GET_LENGTH", NotLimited, Some("PyUnicode_GetLength")),
    ("PyUnicode_READ_CHAR", NotLimited, Some("PyUnicode_ReadChar")),
    ("PyUnicode_DATA", NotLimited, Some("PyUnicode_AsUCS4")),
    ("PyUnicode_KIND", NotLimited, Some("PyUnicode_AsUCS4")),
    ("PyDateTime_GET_YEAR", NotLimited, Some("PyObject_GetAttrString")),
    ("PyDateTime_DATE_GET_HOUR", NotLimited, Some("PyObject_GetAttrString")),
    ("PyDateTime_Check", NotLimited, Some("PyObject_IsInstance")),
    // Object-header macros and inline helpers the headers provide under abi3.
    ("Py_TYPE", Usable, None),
    ("Py_SIZE", Usable, None),
    ("Py_REFCNT", Usable, None),
    ("Py_SET_SIZE", Usable, None),
    ("Py_SET_TYPE", Usable, None),
    ("Py_SET_REFCNT", Usable, None),
    ("Py_IS_TYPE", Usable, None),
    // The 3.9 headers lack them (3.11's give them to 3.9 as inline
    // functions): by hand, or build with a newer Python.
    ("Py_NewRef", TooNew, Some("Py_INCREF")),
    ("Py_XNewRef", TooNew, Some("Py_XINCREF")),
    ("Py_IsNone", TooNew, None),
    ("PyObject_HEAD", Usable, None),
    ("PyObject_VAR_HEAD", Usable, None),
    ("Py_RETURN_NONE", Usable, None),
    ("Py_RETURN_TRUE", Usable, None),
    ("Py_None", Usable, None),
    ("Py_VISIT", Usable, None),
    ("Py_CLEAR", Usable, None),
    ("METH_KEYWORDS", Usable, None),
    ("PyType_HasFeature", Usable, None),
    // Listed long ago.
    ("PyDict_GetItem", Usable, None),
    ("PyDict_GetItemWithError", Usable, None),
    ("PyErr_Fetch", Usable, None),
    ("PyModule_AddObject", Usable, None),
    ("PyModule_Create2", Usable, None),
    ("PyType_GetSlot", Usable, None),
    ("PyMemoryView_FromMemory", Usable, None),
    ("METH_METHOD", Usable, None),
    ("PyInit_modulename", Usable, None),
    // Listed after 3.9.
    ("PyUnicode_AsUTF8AndSize", TooNew, Some("PyUnicode_AsUTF8String")),
    ("PyDict_GetItemRef", TooNew, Some("PyDict_GetItemWithError")),
    ("PyFrame_GetLineNumber", TooNew, Some("PyObject_GetAttrString")),
    ("PyList_GetItemRef", TooNew, Some("PyList_GetItem")),
    ("PyModule_AddType", TooNew, Some("PyType_Ready")),
    ("PyModule_AddObjectRef", TooNew, Some("PyModule_AddObject")),
    ("PyObject_CallNoArgs", TooNew, Some("PyObject_CallObject")),
    ("PyObject_Vectorcall", TooNew, Some("PyObject_Call")),
    ("PyErr_GetRaisedException", TooNew, Some("PyErr_Fetch")),
    ("PyType_FromModuleAndSpec", TooNew, Some("PyType_FromSpecWithBases")),
    ("PyType_GetName", TooNew, Some("PyObject_GetAttrString")),
    ("PyType_GetModuleByDef", TooNew, Some("PyType_GetModuleByToken")),
    ("PyThreadState_GetInterpreter", TooNew, Some("PyInterpreterState_Get")),
    ("PyLong_AsInt", TooNew, Some("PyLong_AsLong")),
    ("PyMem_RawMalloc", TooNew, Some("PyMem_Malloc")),
    ("PyBuffer_FillInfo", TooNew, None),
    ("PyObject_GetBuffer", TooNew, None),
    ("PyFrame_GetCode", TooNew, None),
    ("METH_FASTCALL", TooNew, None),
    ("PyModExport_modulename", TooNew, None),
    // Never in the Limited API, or only in the ABI.
    ("PyUnicode_AsUTF8", NotLimited, Some("PyUnicode_AsUTF8String")),
    ("PyObject_CallOneArg", NotLimited, Some("PyObject_CallFunctionObjArgs")),
    (
        "PyObject_CallMethodOneArg",
        NotLimited,
        Some("PyObject_CallMethodObjArgs"),
    ),
    ("_Py_Dealloc", AbiOnly, Some("Py_DECREF")),
    ("PyBUF_WRITEABLE", NotLimited, Some("PyBUF_WRITABLE")),
    ("PyUnstable_Code_New", NotLimited, None),
    ("PyWeakref_GetObject", AbiOnly, Some("PyWeakref_GetRef")),
    ("_PyArg_ParseTuple_SizeT", AbiOnly, Some("PyArg_ParseTuple")),
    ("_Py_BuildValue_SizeT", AbiOnly, Some("Py_BuildValue")),
    // Platform conditions.
    ("PyOS_AfterFork_Child", PlatformOnly, None),
    ("PyErr_SetFromWindowsErr", PlatformOnly, None),
    // Names the 3.15 headers no longer have at all.
    ("_PyObject_CallNoArg", NotLimited, Some("PyObject_CallObject")),
    ("_PyObject_Vectorcall", NotLimited, Some("PyObject_Vectorcall")),
];

#[test]
fn every_row_holds_for_abi3_3_9() {
    assert!(TABLE.len() >= 60, "the table keeps at least 60 names");
    let catalog = Catalog::embedded();
    let target: Target = "abi3=3.9".parse().expect("a target");
    let mut failures = Vec::new();
    for &(name, expected, first) in TABLE {
        let item = catalog.get(name);
        let judgement = item.map_or_else(|| judge_unknown(name), |i| judge(&catalog, i, target));
        let alts = if judgement.verdict.is_usable() {
            Vec::new()
        } else {
            alternatives(&catalog, name, item, target)
        };
        if judgement.verdict != expected || alts.first().copied() != first {
            failures.push(format!(
                "{name}: expected {expected} / {first:?}, got {} / {:?} ({})",
                judgement.verdict,
                alts.first(),
                judgement.reason
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} rows do not hold:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn abi3t_blocks_what_needs_an_object_header_or_a_module_definition() {
    let catalog = Catalog::embedded();
    let target: Target = "abi3t=3.15".parse().expect("a target");
    for (name, first) in [
        ("PyObject_HEAD", Some("PyObject_GetTypeData")),
        ("PyObject", Some("Py_TYPE")),
        ("PyModuleDef", Some("PySlot")),
        ("PyModuleDef_HEAD_INIT", Some("PyMODEXPORT_FUNC")),
    ] {
        let item = catalog.get(name).expect("in the catalog");
        let j = judge(&catalog, item, target);
        assert_eq!(j.verdict, Verdict::Abi3tUnusable, "{name}: {}", j.reason);
        assert_eq!(
            alternatives(&catalog, name, Some(item), target).first().copied(),
            first,
            "{name}"
        );
    }
    // PEP 803 keeps these: only the PyModuleDef an abi3 module defines
    // becomes opaque, and that use is judged on its own.
    for name in [
        "PyInit_modulename",
        "PyModuleDef_Init",
        "PyModule_Create2",
        "PyModule_GetDef",
    ] {
        let item = catalog.get(name).expect("in the catalog");
        let j = judge(&catalog, item, target);
        assert_eq!(j.verdict, Verdict::Usable, "{name}: {}", j.reason);
    }
    let both: Target = "abi3=3.9,abi3t=3.15".parse().expect("a target");
    let head = catalog.get("PyObject_HEAD").expect("in the catalog");
    assert_eq!(
        judge(&catalog, head, both).verdict,
        Verdict::Abi3tUnusable,
        "the stricter verdict wins"
    );
    assert!(
        judge(&catalog, catalog.get("PyList_New").expect("in the catalog"), both)
            .verdict
            .is_usable()
    );
    let hash = catalog.get("Py_HashBuffer").expect("in the catalog");
    assert_eq!(
        judge(&catalog, hash, target).verdict,
        Verdict::TooNew,
        "3.16 is after 3.15"
    );
}
