//! The names upgrading code still uses that `CPython` removed or renamed
//! since 3.9: each is in the catalog with the release that removed it and
//! the alternative abiscope offers first, and the deprecated names that
//! are still there point to their successors. Every row must hold.

use abiscope::alternatives::alternatives;
use abiscope::catalog::{Catalog, Version};
use abiscope::target::{Target, Verdict, judge};

/// (name, the minor version that removed it or `None` for a renamed name
/// still declared, first alternative without a target)
const REMOVED: &[(&str, Option<u8>, &str)] = &[
    // PEP 623: the legacy Py_UNICODE API.
    ("PyUnicode_AS_UNICODE", Some(12), "PyUnicode_AsWideCharString"),
    ("PyUnicode_AS_DATA", Some(12), "PyUnicode_AsWideCharString"),
    ("PyUnicode_AsUnicode", Some(12), "PyUnicode_AsWideCharString"),
    ("PyUnicode_AsUnicodeAndSize", Some(12), "PyUnicode_AsWideCharString"),
    ("PyUnicode_FromUnicode", Some(12), "PyUnicode_FromWideChar"),
    ("PyUnicode_GET_SIZE", Some(12), "PyUnicode_GetLength"),
    ("PyUnicode_GetSize", Some(12), "PyUnicode_GetLength"),
    ("PyUnicode_GET_DATA_SIZE", Some(12), "PyUnicode_AsWideChar"),
    ("PyUnicode_WSTR_LENGTH", Some(12), "PyUnicode_AsWideChar"),
    ("PyUnicode_InternImmortal", Some(12), "PyUnicode_InternInPlace"),
    ("_PyUnicode_AsUnicode", Some(12), "PyUnicode_AsWideCharString"),
    // PEP 624: the Py_UNICODE encoders.
    ("PyUnicode_Encode", Some(11), "PyUnicode_AsEncodedString"),
    ("PyUnicode_EncodeUTF8", Some(11), "PyUnicode_AsUTF8String"),
    ("PyUnicode_EncodeLatin1", Some(11), "PyUnicode_AsLatin1String"),
    ("PyUnicode_EncodeASCII", Some(11), "PyUnicode_AsASCIIString"),
    ("PyUnicode_AsUnicodeCopy", Some(10), "PyUnicode_AsUCS4Copy"),
    ("PyLong_FromUnicode", Some(10), "PyLong_FromUnicodeObject"),
    ("Py_UNICODE_COPY", Some(11), "PyUnicode_CopyCharacters"),
    ("Py_UNICODE_FILL", Some(11), "PyUnicode_Fill"),
    ("Py_UNICODE_strlen", Some(10), "PyUnicode_GetLength"),
    // Calls deprecated in 3.9, removed in 3.13.
    ("PyEval_CallObject", Some(13), "PyObject_CallObject"),
    ("PyEval_CallObjectWithKeywords", Some(13), "PyObject_Call"),
    ("PyEval_CallFunction", Some(13), "PyObject_CallFunction"),
    ("PyEval_CallMethod", Some(13), "PyObject_CallMethod"),
    ("PyCFunction_Call", Some(13), "PyObject_Call"),
    // The old buffer protocol.
    ("PyObject_AsCharBuffer", Some(13), "PyObject_GetBuffer"),
    ("PyObject_AsReadBuffer", Some(13), "PyObject_GetBuffer"),
    ("PyObject_AsWriteBuffer", Some(13), "PyObject_GetBuffer"),
    ("PyObject_CheckReadBuffer", Some(13), "PyObject_CheckBuffer"),
    // The GIL.
    ("PyEval_AcquireLock", Some(13), "PyEval_RestoreThread"),
    ("PyEval_ReleaseLock", Some(13), "PyEval_SaveThread"),
    ("PyEval_ThreadsInitialized", Some(13), "Py_IsInitialized"),
    ("Py_TRASHCAN_SAFE_BEGIN", Some(13), "Py_TRASHCAN_BEGIN"),
    ("Py_TRASHCAN_SAFE_END", Some(13), "Py_TRASHCAN_END"),
    // Private calls real code used, and their public successors.
    ("_PyObject_LookupAttrId", Some(13), "PyObject_GetOptionalAttr"),
    ("_PyObject_LookupAttr", Some(13), "PyObject_GetOptionalAttr"),
    ("_PyObject_FastCall", Some(13), "PyObject_Vectorcall"),
    ("_PyObject_CallNoArg", Some(11), "PyObject_CallNoArgs"),
    ("_PyDict_GetItemWithError", Some(13), "PyDict_GetItemWithError"),
    ("_PyLong_AsInt", Some(13), "PyLong_AsInt"),
    ("_PyList_Extend", Some(13), "PyList_Extend"),
    ("_PyErr_WriteUnraisableMsg", Some(13), "PyErr_FormatUnraisable"),
    ("_Py_IsFinalizing", Some(13), "Py_IsFinalizing"),
    ("_PyInterpreterState_Get", Some(13), "PyInterpreterState_Get"),
    ("_PyTime_GetMonotonicClock", Some(13), "PyTime_Monotonic"),
    // Removed in 3.15.
    ("PyWeakref_GetObject", Some(15), "PyWeakref_GetRef"),
    ("PyWeakref_GET_OBJECT", Some(15), "PyWeakref_GetRef"),
    ("PyImport_ImportModuleNoBlock", Some(15), "PyImport_ImportModule"),
    ("Py_GetPath", Some(15), "PyConfig_Get"),
    ("Py_GetProgramName", Some(15), "PyConfig_Get"),
    ("PyUnicode_AsEncodedObject", Some(15), "PyCodec_Encode"),
    ("PyUnicode_AsDecodedObject", Some(15), "PyCodec_Decode"),
    // Renamed, the old name still declared.
    ("PyCode_New", None, "PyUnstable_Code_New"),
    ("PyCode_NewWithPosOnlyArgs", None, "PyUnstable_Code_NewWithPosOnlyArgs"),
    ("_PyUnicode_AsString", None, "PyUnicode_AsUTF8AndSize"),
];

#[test]
fn removed_and_renamed_names_say_when_and_what_instead() {
    assert!(REMOVED.len() >= 40, "the table keeps at least 40 names");
    let catalog = Catalog::embedded();
    let mut failures = Vec::new();
    for &(name, removed, first) in REMOVED {
        let Some(item) = catalog.get(name) else {
            failures.push(format!("{name}: not in the catalog"));
            continue;
        };
        let alts = alternatives(&catalog, name, Some(item), Target::default());
        let removed = removed.map(|minor| Version::new(3, minor));
        if item.removed_in != removed || alts.first() != Some(&first) {
            failures.push(format!(
                "{name}: expected removed {removed:?}, first {first}; got {:?}, {alts:?}",
                item.removed_in
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
fn a_removed_name_is_never_usable_and_says_when_it_went() {
    let catalog = Catalog::embedded();
    let target: Target = "abi3=3.9".parse().expect("a target");
    for (name, verdict, says) in [
        (
            "PyUnicode_AS_UNICODE",
            Verdict::NotLimited,
            "Removed in 3.12, deprecated since 3.3",
        ),
        (
            "PyEval_CallObject",
            Verdict::NotLimited,
            "Removed in 3.13, deprecated since 3.9",
        ),
        // Still exported for binaries built before: ABI-only.
        ("PyEval_CallObjectWithKeywords", Verdict::AbiOnly, "Removed in 3.13"),
        (
            "PyWeakref_GetObject",
            Verdict::AbiOnly,
            "Removed in 3.15, deprecated since 3.13",
        ),
    ] {
        let item = catalog.get(name).expect("in the catalog");
        let j = judge(&catalog, item, target);
        assert_eq!(j.verdict, verdict, "{name}: {}", j.reason);
        assert!(j.reason.contains(says), "{name}: {}", j.reason);
    }
    // Under a target, only what it can use (or use later) is offered.
    let call = catalog.get("PyEval_CallObject").expect("in the catalog");
    assert_eq!(
        alternatives(&catalog, "PyEval_CallObject", Some(call), target).first(),
        Some(&"PyObject_CallObject")
    );
    let weakref = catalog.get("PyWeakref_GetObject").expect("in the catalog");
    assert_eq!(
        alternatives(
            &catalog,
            "PyWeakref_GetObject",
            Some(weakref),
            "abi3=3.13".parse().expect("a target")
        ),
        ["PyWeakref_GetRef"]
    );
}

#[test]
fn deprecated_names_point_to_their_successors_where_the_target_allows_them() {
    let catalog = Catalog::embedded();
    // (name, target, first alternative)
    for (name, target, first) in [
        ("PyErr_Fetch", "abi3=3.12", "PyErr_GetRaisedException"),
        ("PyErr_Restore", "abi3=3.12", "PyErr_SetRaisedException"),
        ("PyErr_NormalizeException", "abi3=3.12", "PyErr_GetRaisedException"),
        ("Py_DebugFlag", "none", "PyConfig_Get"),
        ("PyEval_GetLocals", "abi3=3.13", "PyEval_GetFrameLocals"),
    ] {
        let item = catalog.get(name).expect("in the catalog");
        let target: Target = target.parse().expect("a target");
        let advice = abiscope::detail::advice(&catalog, item, target);
        assert!(
            advice.judgement.is_none_or(|j| j.verdict.is_usable()),
            "{name} is still usable"
        );
        let alts = advice.alternatives.unwrap_or_default();
        assert_eq!(alts.first(), Some(&first), "{name} under {target}: {alts:?}");
    }
}

#[test]
fn struct_fields_point_to_the_calls_that_read_them() {
    let catalog = Catalog::embedded();
    let target: Target = "abi3=3.11".parse().expect("a target");
    for (field, first) in [
        ("PyTypeObject.tp_name", "PyType_GetName"),
        ("PyObject.ob_type", "Py_TYPE"),
        ("PyVarObject.ob_size", "Py_SIZE"),
    ] {
        let alts = alternatives(&catalog, field, None, Target::default());
        assert_eq!(alts.first(), Some(&first), "{field}: {alts:?}");
    }
    // PyType_GetName is Limited from 3.11.
    assert_eq!(
        alternatives(&catalog, "PyTypeObject.tp_name", None, target),
        ["PyType_GetName", "PyType_GetQualName"]
    );
    let fields = abiscope::detail::fields(
        &catalog,
        catalog.get("PyTypeObject").expect("in the catalog"),
        &abiscope::detail::advice(&catalog, catalog.get("PyTypeObject").expect("in the catalog"), target),
    );
    assert!(
        fields
            .iter()
            .any(|f| f.label == "Fields instead" && format!("{:?}", f.value).contains("tp_name: PyType_GetName")),
        "{fields:?}"
    );
}
