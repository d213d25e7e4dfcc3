//! The `check` readers under arbitrary input, as properties: the source
//! scanners, the `#if` evaluator, the module reader and the wheel reader
//! never panic, and what they read the analysis takes. `cargo test`
//! runs a few hundred cases each; cargo-fuzz (in `fuzz/`) is the long run
//! (see the README).

use std::collections::HashMap;
use std::io::Cursor;

use abiscope::catalog::Catalog;
use abiscope::check::macros::Macros;
use abiscope::check::{Env, Input, Limits, Report, binary, cond, wheel};
use proptest::prelude::*;

/// Source text made of the pieces the scanners react to, mixed with noise.
fn source() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "#if ",
        "#ifdef ",
        "#ifndef ",
        "#elif ",
        "#else\n",
        "#endif\n",
        "#define ",
        "#include ",
        "defined(",
        "Py_LIMITED_API",
        "Py_GIL_DISABLED",
        "Py_TARGET_ABI3T",
        "0x030B0000",
        ">=",
        "&&",
        "||",
        "!",
        "(",
        ")",
        "?",
        ":",
        "\n",
        "\\\n",
        "/*",
        "*/",
        "//",
        "\"",
        "'",
        "R\"x(",
        ")x\"",
        "PyList_GET_ITEM",
        "PyObject",
        " *",
        "ffi::",
        "use pyo3::ffi::*;",
        "#[cfg(",
        "not(",
        "all(",
        "any(",
        "Py_3_10",
        ")]",
        "{",
        "}",
        ";",
        ",",
        "r#\"",
        "\"#",
        "b'",
        "'a",
        "PyInit_x",
        "PyModExport_x",
        "é",
        "😀",
        "\u{0}",
    ]);
    prop::collection::vec(prop_oneof![piece.prop_map(String::from), ".{0,8}"], 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn sources_never_panic(text in source()) {
        let catalog = Catalog::embedded();
        let mut input = Input::default();
        input.add_source(&catalog, &text, "fuzz.c", false);
        input.add_source(&catalog, &text, "fuzz.rs", true);
        let report = Report::new(&catalog, &input, None);
        // Every use has a location inside the text.
        let lines = u32::try_from(text.split('\n').count()).unwrap_or(u32::MAX);
        for u in &input.uses {
            for site in &u.sites {
                prop_assert!(site.line >= 1 && site.line <= lines, "{:?}", site);
            }
            prop_assert!(u.count >= u.sites.len());
        }
        prop_assert_eq!(report.uses.len(), input.uses.len());
        let env = Env::default();
        let _ = cond::evaluate(&text, &Macros::new(&env, HashMap::new()));
    }

    #[test]
    fn deep_conditions_are_unknown_never_a_crash(
        open in prop::sample::select(vec!["(", "!", "-", "~", "1 ? 1 : ", "defined(", "not(", "all(", "any("]),
        close in prop::sample::select(vec![")", "", " + 1", " || 0"]),
        depth in 60_usize..20_000,
    ) {
        let deep = format!("{}1{}", open.repeat(depth), close.repeat(depth));
        let env = Env::default();
        let _ = cond::evaluate(&deep, &Macros::new(&env, HashMap::new()));
        let mut input = Input::default();
        input.add_source(&Catalog::embedded(), &format!("#if {deep}\nPy_None;\n#endif\n"), "deep.c", false);
        input.add_source(&Catalog::embedded(), &format!("use pyo3::ffi::*;\n#[cfg({deep})]\nfn f() {{ Py_None(); }}\n"), "deep.rs", true);
        prop_assert_eq!(input.uses.len(), 2, "the use in each, compiled maybe");
    }

    #[test]
    fn modules_never_panic(data in prop::collection::vec(any::<u8>(), 0..4096), magic in 0_usize..6) {
        // Start like a real format often, so the parsers get past the magic.
        let prefixes: [&[u8]; 6] = [b"", b"\x7fELF\x02\x01\x01\0", b"MZ", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"\xfe\xed\xfa\xcf"];
        let mut bytes = prefixes[magic].to_vec();
        bytes.extend(data);
        if let Ok(module) = binary::read(&bytes) {
            let catalog = Catalog::embedded();
            let mut input = Input::default();
            input.add_module(&catalog, &module, "fuzz.so".to_string(), None);
            let _ = Report::new(&catalog, &input, None);
        }
    }

    #[test]
    fn wheels_never_panic(data in prop::collection::vec(any::<u8>(), 0..4096)) {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend(data);
        let limits = Limits { member: 1 << 16, total: 1 << 18, ..Limits::default() };
        let _ = wheel::read(Cursor::new(bytes), "fuzz-1.0-cp39-abi3-any.whl", &limits);
    }
}
