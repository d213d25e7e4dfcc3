//! The extension-module reader on arbitrary bytes: an error or a module,
//! never a panic; whatever it reads, the analysis takes.
#![no_main]

use abiscope::catalog::Catalog;
use abiscope::check::{Input, Report, binary};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(module) = binary::read(data) {
        let catalog = Catalog::embedded();
        let mut input = Input::default();
        input.add_module(&catalog, &module, "fuzz.so".to_string(), None);
        let _ = Report::new(&catalog, &input, None);
    }
});
