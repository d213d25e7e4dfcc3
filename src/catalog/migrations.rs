//! The reviewed migration table: a name, and what a `CPython` core
//! developer would use instead, best first. `alternatives` ranks these
//! first; the generator gives every name the table mentions its history
//! (a private name such as `_PyObject_LookupAttrId` is in the catalog
//! because of it), so the two share this file through `#[path]`.
//!
//! Every replacement must be a catalog name in the Limited API, or a name
//! the target would allow at a newer version (tests check).

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
