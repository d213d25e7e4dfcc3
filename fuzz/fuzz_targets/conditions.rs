//! The `#if` evaluator and the Rust `cfg` reader on arbitrary input made
//! deep: the fuzzer's bytes, each repeated into a nest thousands deep, so
//! that depth (the stack) is what is explored, not only content.
#![no_main]

use std::collections::HashMap;

use abiscope::check::macros::Macros;
use abiscope::check::{Env, cond, rust};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (head, tail) = text.split_at(text.char_indices().nth(text.chars().count() / 2).map_or(0, |(i, _)| i));
    let depth = data.first().map_or(1, |b| usize::from(*b) * 40 + 1);
    let deep = format!("{}{}{}", head.repeat(depth), "1", tail.repeat(depth));
    let env = Env::default();
    let evaluation = cond::evaluate(&deep, &Macros::new(&env, HashMap::new()));
    assert!(evaluation.truth.surely.and(evaluation.truth.maybe) == evaluation.truth.surely);
    let attribute = format!("use pyo3::ffi::*;\n#[cfg({deep})]\nfn f() {{ Py_None(); }}\n");
    let scan = rust::scan(&attribute, |n| n.starts_with("Py"));
    assert!(scan.occurrences.iter().all(|o| o.count >= o.sites.len()));
});
