//! The C and Rust scanners and the `#if` evaluator on arbitrary text.
#![no_main]

use abiscope::catalog::Catalog;
use abiscope::check::{Input, Report, cond};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let catalog = Catalog::embedded();
    let mut input = Input::default();
    input.add_source(&catalog, &text, "fuzz.c", false);
    input.add_source(&catalog, &text, "fuzz.rs", true);
    let _ = Report::new(&catalog, &input, None);
    let _ = cond::evaluate(&text, &cond::Macros::with_headers(catalog));
});
