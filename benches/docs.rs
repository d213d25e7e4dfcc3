//! The documentation reader, measured with criterion: `docs/open_and_render`
//! opens the docs and renders one entry with the files in the page cache
//! (what `show --doc` does after the first lookup); `docs/render_cached`
//! renders an entry whose page this `Docs` has read before (the explorer
//! moving between items of one page). Both use the upstream HTML when it
//! is present (`../shared/upstream`), and say so when it is not.

use std::hint::black_box;
use std::path::PathBuf;

use abiscope::catalog::Catalog;
use abiscope::docs::{Docs, render};
use criterion::{Criterion, criterion_group, criterion_main};

fn html() -> Option<PathBuf> {
    let root = std::env::var_os("ABISCOPE_UPSTREAM").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/upstream")),
        PathBuf::from,
    );
    let html = root.join("cpython-3.15.2/doc-html");
    html.join("c-api").is_dir().then_some(html)
}

fn docs(c: &mut Criterion) {
    let Some(html) = html() else {
        eprintln!("note: the upstream HTML docs are absent: docs benchmarks skipped");
        return;
    };
    let catalog = Catalog::embedded();
    let mut group = c.benchmark_group("docs");
    // An entry at the end of the longest page, the slowest case.
    for name in ["PyUnicode_AsUTF8AndSize", "PyBuffer_FillInfo"] {
        let item = catalog.get(name).expect("a catalog item");
        group.bench_function(format!("open_and_render/{name}"), |b| {
            b.iter(|| {
                let mut docs = Docs::open(black_box(&html)).expect("docs");
                let blocks = docs.entry(&catalog, item).expect("readable").expect("entry");
                black_box(render::render(&blocks, 80))
            });
        });
        let mut docs = Docs::open(&html).expect("docs");
        let _ = docs.entry(&catalog, item);
        group.bench_function(format!("render_cached/{name}"), |b| {
            b.iter(|| {
                let blocks = docs.entry(&catalog, black_box(item)).expect("readable").expect("entry");
                black_box(render::render(&blocks, 80))
            });
        });
    }
    group.finish();
}

criterion_group!(benches, docs);
criterion_main!(benches);
