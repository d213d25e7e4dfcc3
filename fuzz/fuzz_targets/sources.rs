//! The C and Rust scanners and the `#if` evaluator on arbitrary text.
#![no_main]

use abiscope::catalog::Catalog;
use std::collections::HashMap;

use abiscope::check::macros::Macros;
use abiscope::check::{Env, Input, Report, cond};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let catalog = Catalog::embedded();
    let mut input = Input::default();
    input.add_source(&catalog, &text, "fuzz.c", false);
    input.add_source(&catalog, &text, "fuzz.rs", true);
    let _ = Report::new(&catalog, &input, None);
    let env = Env::default();
    let _ = cond::evaluate(&text, &Macros::new(&env, HashMap::new()));
});
