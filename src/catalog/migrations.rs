//! The reviewed migration table: a name, and what a `CPython` core
//! developer would use instead, best first. `alternatives` ranks these
//! first; the generator gives every name the table mentions its history
//! (a private name such as `_PyObject_LookupAttrId` is in the catalog
//! because of it), so the two share this file through `#[path]`.
//!
//! Every replacement must be a catalog name that is not removed, in the
//! Limited API (or, for a name outside it, the general API: the successor
//! of a removed macro may be one), and comes first for its name without a
//! target (tests check).

pub const MIGRATIONS: &[(&str, &[&str])] = &[
    // abi3t: module definitions give way to export hooks, slots and tokens.
    ("PyInit_modulename", &["PyMODEXPORT_FUNC", "PyModule_FromSlotsAndSpec"]),
    ("PyModule_Create", &["PyMODEXPORT_FUNC", "PyModule_FromSlotsAndSpec"]),
    ("PyModule_Create2", &["PyMODEXPORT_FUNC", "PyModule_FromSlotsAndSpec"]),
    ("PyModuleDef_Init", &["PyMODEXPORT_FUNC"]),
    ("PyModuleDef", &["PySlot", "PyMODEXPORT_FUNC"]),
    ("PyModuleDef_Base", &["PySlot", "PyMODEXPORT_FUNC"]),
    ("PyModuleDef_HEAD_INIT", &["PyMODEXPORT_FUNC"]),
    ("PyModule_FromDefAndSpec", &["PyModule_FromSlotsAndSpec"]),
    ("PyModule_FromDefAndSpec2", &["PyModule_FromSlotsAndSpec"]),
    ("PyModule_ExecDef", &["PyModule_Exec"]),
    ("PyModule_GetDef", &["PyModule_GetToken"]),
    ("PyType_GetModuleByDef", &["PyType_GetModuleByToken"]),
    ("PyState_FindModule", &["PyType_GetModuleByToken", "PyModule_GetState"]),
    ("PyState_AddModule", &["PyModule_GetToken"]),
    // abi3t: object structs embedding PyObject give way to a negative
    // basicsize and PyObject_GetTypeData.
    ("PyObject_HEAD", &["PyObject_GetTypeData"]),
    ("PyObject_VAR_HEAD", &["PyObject_GetTypeData"]),
    ("PyObject_HEAD_INIT", &["PyObject_GetTypeData"]),
    ("PyVarObject_HEAD_INIT", &["PyObject_GetTypeData"]),
    ("PyObject", &["Py_TYPE", "Py_REFCNT", "PyObject_GetTypeData"]),
    ("PyVarObject", &["Py_SIZE", "PyObject_GetTypeData"]),
    // New references before 3.10: a strong reference taken by hand.
    ("Py_NewRef", &["Py_INCREF"]),
    ("Py_XNewRef", &["Py_XINCREF"]),
    // Removed calls and what replaces them, best first.
    ("PyEval_CallObject", &["PyObject_CallObject", "PyObject_Call"]),
    (
        "PyEval_CallObjectWithKeywords",
        &["PyObject_Call", "PyObject_CallObject"],
    ),
    ("PyEval_CallFunction", &["PyObject_CallFunction"]),
    ("PyEval_CallMethod", &["PyObject_CallMethod"]),
    ("PyCFunction_Call", &["PyObject_Call"]),
    ("PyEval_AcquireLock", &["PyEval_RestoreThread", "PyGILState_Ensure"]),
    ("PyEval_ReleaseLock", &["PyEval_SaveThread", "PyGILState_Release"]),
    ("PyEval_ThreadsInitialized", &["Py_IsInitialized"]),
    // The legacy `Py_UNICODE` API (PEP 623): wide strings or UCS-4.
    (
        "PyUnicode_AS_UNICODE",
        &["PyUnicode_AsWideCharString", "PyUnicode_AsUCS4"],
    ),
    ("PyUnicode_AS_DATA", &["PyUnicode_AsWideCharString", "PyUnicode_AsUCS4"]),
    (
        "PyUnicode_AsUnicode",
        &["PyUnicode_AsWideCharString", "PyUnicode_AsUCS4"],
    ),
    (
        "PyUnicode_AsUnicodeAndSize",
        &["PyUnicode_AsWideCharString", "PyUnicode_AsUCS4"],
    ),
    (
        "_PyUnicode_AsUnicode",
        &["PyUnicode_AsWideCharString", "PyUnicode_AsUCS4"],
    ),
    (
        "PyUnicode_AsUnicodeCopy",
        &["PyUnicode_AsUCS4Copy", "PyUnicode_AsWideCharString"],
    ),
    ("PyUnicode_FromUnicode", &["PyUnicode_FromWideChar"]),
    ("PyUnicode_GET_SIZE", &["PyUnicode_GetLength"]),
    ("PyUnicode_GetSize", &["PyUnicode_GetLength"]),
    (
        "PyUnicode_GET_DATA_SIZE",
        &["PyUnicode_AsWideChar", "PyUnicode_GetLength"],
    ),
    (
        "PyUnicode_WSTR_LENGTH",
        &["PyUnicode_AsWideChar", "PyUnicode_GetLength"],
    ),
    ("Py_UNICODE_COPY", &["PyUnicode_CopyCharacters"]),
    ("Py_UNICODE_FILL", &["PyUnicode_Fill"]),
    ("Py_TRASHCAN_SAFE_END", &["Py_TRASHCAN_END"]),
    // Direct access to a string's storage: read characters through calls.
    ("PyUnicode_DATA", &["PyUnicode_AsUCS4", "PyUnicode_ReadChar"]),
    ("PyUnicode_KIND", &["PyUnicode_AsUCS4", "PyUnicode_ReadChar"]),
    ("PyUnicode_READ", &["PyUnicode_ReadChar"]),
    ("PyUnicode_1BYTE_DATA", &["PyUnicode_AsUTF8AndSize", "PyUnicode_AsUCS4"]),
    // Borrowed or error-swallowing calls and their successors; at an older
    // target the call with the same error semantics comes first.
    ("PyDict_GetItemRef", &["PyDict_GetItemWithError"]),
    (
        "_PyDict_GetItemWithError",
        &["PyDict_GetItemWithError", "PyDict_GetItemRef"],
    ),
    (
        "_PyObject_LookupAttrId",
        &["PyObject_GetOptionalAttr", "PyObject_GetAttr"],
    ),
    (
        "_PyObject_LookupAttr",
        &["PyObject_GetOptionalAttr", "PyObject_GetAttr"],
    ),
    ("_PyObject_GetAttrId", &["PyObject_GetAttrString", "PyObject_GetAttr"]),
    (
        "_PyObject_CallMethodId",
        &["PyObject_CallMethod", "PyObject_CallMethodObjArgs"],
    ),
    ("_PyUnicode_FromId", &["PyUnicode_InternFromString"]),
    (
        "_PyUnicode_AsString",
        &["PyUnicode_AsUTF8AndSize", "PyUnicode_AsUTF8String"],
    ),
    ("PyErr_Fetch", &["PyErr_GetRaisedException"]),
    ("PyErr_Restore", &["PyErr_SetRaisedException"]),
    ("PyErr_NormalizeException", &["PyErr_GetRaisedException"]),
    ("PyObject_CallMethodOneArg", &["PyObject_CallMethodObjArgs"]),
    ("PyObject_CallMethodNoArgs", &["PyObject_CallMethodObjArgs"]),
    // Only a macro's expansion calls it.
    ("_Py_Dealloc", &["Py_DECREF"]),
    // The misspelt buffer flag.
    ("PyBUF_WRITEABLE", &["PyBUF_WRITABLE"]),
    // Limited from 3.10; before, the frame's attribute.
    ("PyFrame_GetLineNumber", &["PyObject_GetAttrString"]),
    // Struct fields the Limited API hides, and the calls that read them.
    ("PyTypeObject.tp_name", &["PyType_GetName", "PyType_GetQualName"]),
    ("PyTypeObject.tp_flags", &["PyType_GetFlags"]),
    ("PyTypeObject.tp_alloc", &["PyType_GetSlot"]),
    ("PyTypeObject.tp_free", &["PyType_GetSlot"]),
    ("PyObject.ob_type", &["Py_TYPE"]),
    ("PyObject.ob_refcnt", &["Py_REFCNT"]),
    ("PyVarObject.ob_size", &["Py_SIZE"]),
    // The datetime C API has no Limited form: the objects' attributes
    // (`obj.year`), `isinstance` and calls to the types do its work.
    ("PyDateTime_GET_YEAR", &["PyObject_GetAttrString"]),
    ("PyDateTime_GET_MONTH", &["PyObject_GetAttrString"]),
    ("PyDateTime_GET_DAY", &["PyObject_GetAttrString"]),
    ("PyDateTime_DATE_GET_HOUR", &["PyObject_GetAttrString"]),
    ("PyDateTime_DATE_GET_MINUTE", &["PyObject_GetAttrString"]),
    ("PyDateTime_DATE_GET_SECOND", &["PyObject_GetAttrString"]),
    ("PyDateTime_DATE_GET_MICROSECOND", &["PyObject_GetAttrString"]),
    ("PyDateTime_DATE_GET_FOLD", &["PyObject_GetAttrString"]),
    ("PyDateTime_DATE_GET_TZINFO", &["PyObject_GetAttrString"]),
    ("PyDateTime_TIME_GET_HOUR", &["PyObject_GetAttrString"]),
    ("PyDateTime_TIME_GET_MINUTE", &["PyObject_GetAttrString"]),
    ("PyDateTime_TIME_GET_SECOND", &["PyObject_GetAttrString"]),
    ("PyDateTime_TIME_GET_MICROSECOND", &["PyObject_GetAttrString"]),
    ("PyDateTime_TIME_GET_FOLD", &["PyObject_GetAttrString"]),
    ("PyDateTime_TIME_GET_TZINFO", &["PyObject_GetAttrString"]),
    ("PyDateTime_DELTA_GET_DAYS", &["PyObject_GetAttrString"]),
    ("PyDateTime_DELTA_GET_SECONDS", &["PyObject_GetAttrString"]),
    ("PyDateTime_DELTA_GET_MICROSECONDS", &["PyObject_GetAttrString"]),
    ("PyDateTime_Check", &["PyObject_IsInstance"]),
    ("PyDate_Check", &["PyObject_IsInstance"]),
    ("PyTime_Check", &["PyObject_IsInstance"]),
    ("PyDelta_Check", &["PyObject_IsInstance"]),
    ("PyTZInfo_Check", &["PyObject_IsInstance"]),
    ("PyDateTime_FromDateAndTime", &["PyObject_CallFunction"]),
    ("PyDate_FromDate", &["PyObject_CallFunction"]),
    ("PyTime_FromTime", &["PyObject_CallFunction"]),
    ("PyDelta_FromDSU", &["PyObject_CallFunction"]),
    ("PyDateTime_IMPORT", &["PyImport_ImportModule"]),
    // Private or removed calls and their public successors.
    ("_PyObject_CallNoArg", &["PyObject_CallNoArgs", "PyObject_CallObject"]),
    ("_PyObject_CallOneArg", &["PyObject_CallFunctionObjArgs"]),
    ("_PyObject_Vectorcall", &["PyObject_Vectorcall"]),
    ("_PyObject_FastCall", &["PyObject_Vectorcall"]),
    ("_PyObject_New", &["PyType_GenericAlloc"]),
    ("_PyObject_GC_New", &["PyType_GenericAlloc"]),
    (
        "PyUnicode_AsUTF8",
        &["PyUnicode_AsUTF8AndSize", "PyUnicode_AsUTF8String"],
    ),
    ("PyWeakref_GetObject", &["PyWeakref_GetRef"]),
    ("PyWeakref_GET_OBJECT", &["PyWeakref_GetRef"]),
    // Newer functions and the older Limited API calls that do their work.
    ("PyUnicode_AsUTF8AndSize", &["PyUnicode_AsUTF8String"]),
    ("PyObject_CallNoArgs", &["PyObject_CallObject"]),
    ("PyObject_CallOneArg", &["PyObject_CallFunctionObjArgs"]),
    ("PyObject_Vectorcall", &["PyObject_Call"]),
    ("PyObject_VectorcallMethod", &["PyObject_CallMethodObjArgs"]),
    ("PyErr_GetRaisedException", &["PyErr_Fetch"]),
    ("PyErr_SetRaisedException", &["PyErr_Restore"]),
    ("PyModule_AddType", &["PyType_Ready", "PyModule_AddObject"]),
    ("PyModule_AddObjectRef", &["PyModule_AddObject"]),
    ("PyModule_Add", &["PyModule_AddObject"]),
    ("PyType_GetName", &["PyObject_GetAttrString"]),
    ("PyType_GetQualName", &["PyObject_GetAttrString"]),
    ("PyLong_AsInt", &["PyLong_AsLong"]),
    ("PyType_FromModuleAndSpec", &["PyType_FromSpecWithBases"]),
    ("PyType_FromMetaclass", &["PyType_FromSpecWithBases"]),
    ("PyThreadState_GetInterpreter", &["PyInterpreterState_Get"]),
    ("PyMem_RawMalloc", &["PyMem_Malloc"]),
    ("PyMem_RawCalloc", &["PyMem_Calloc"]),
    ("PyMem_RawRealloc", &["PyMem_Realloc"]),
    ("PyMem_RawFree", &["PyMem_Free"]),
    // Fast-sequence and concrete-type macros and the calls that check.
    ("PySequence_Fast_GET_ITEM", &["PySequence_GetItem"]),
    ("PySequence_Fast_ITEMS", &["PySequence_GetItem"]),
    ("PySequence_Fast_GET_SIZE", &["PySequence_Size"]),
    // The `_SizeT` exports behind `PY_SSIZE_T_CLEAN` and their public names.
    ("_PyArg_Parse_SizeT", &["PyArg_Parse"]),
    ("_PyArg_ParseTuple_SizeT", &["PyArg_ParseTuple"]),
    ("_PyArg_ParseTupleAndKeywords_SizeT", &["PyArg_ParseTupleAndKeywords"]),
    ("_PyArg_VaParse_SizeT", &["PyArg_VaParse"]),
    (
        "_PyArg_VaParseTupleAndKeywords_SizeT",
        &["PyArg_VaParseTupleAndKeywords"],
    ),
    ("_Py_BuildValue_SizeT", &["Py_BuildValue"]),
    ("_Py_VaBuildValue_SizeT", &["Py_VaBuildValue"]),
    ("_PyObject_CallFunction_SizeT", &["PyObject_CallFunction"]),
    ("_PyObject_CallMethod_SizeT", &["PyObject_CallMethod"]),
];
