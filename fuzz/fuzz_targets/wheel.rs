//! The wheel reader on arbitrary bytes, with small limits so that a
//! decompression bomb is caught quickly.
#![no_main]

use std::io::Cursor;

use abiscope::check::{Limits, wheel};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        file: 1 << 20,
        member: 1 << 20,
        total: 4 << 20,
        entries: 1000,
        ..Limits::default()
    };
    let _ = wheel::read(Cursor::new(data), "fuzz-1.0-cp39-abi3.abi3t-any.whl", &limits);
});
