//! The documentation reader on arbitrary HTML: cutting an entry out of a
//! page (and the fallbacks for empty entries), building blocks and laying
//! them out never panic, and the links do not depend on the width.
#![no_main]

use abiscope::docs::{escaped, html, render, text};
use abiscope::sanitize::is_control;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let page = String::from_utf8_lossy(data);
    let known = |name: &str| name.starts_with("Py");
    for anchor in ["c.PyX", "c.Py_buffer", "s"] {
        for tokens in [
            html::entry(&page, anchor),
            html::row_rest(&page, anchor),
            html::around(&page, anchor),
            html::after(&page, anchor),
        ]
        .into_iter()
        .flatten()
        {
            let blocks = text::blocks(&tokens, &known);
            let narrow = render::render(&blocks, 12);
            let wide = render::render(&blocks, 100);
            assert_eq!(narrow.links, wide.links);
            // What a terminal is shown holds no control character.
            let shown = render::render(&escaped::blocks(&blocks), 40);
            assert!(shown.lines.iter().flatten().all(|p| !p.text.chars().any(is_control)));
        }
    }
});
