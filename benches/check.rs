//! `abiscope check` costs, measured with criterion.
//!
//! `check/c_100k_lines` scans 100,000 lines of C (the test fixtures
//! repeated) and analyses the uses: lowest versions, verdicts, blockers.
//! `check/module_20mb` reads a 20 MB extension module built here with the
//! system C compiler (skipped, with a note, without one) from the page
//! cache, parses it and analyses its imports.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::PathBuf;
use std::process::Command;

use abiscope::catalog::{Catalog, Item};
use abiscope::check::{Input, Limits, Report};
use criterion::{Criterion, criterion_group, criterion_main};

const FIXTURES: [&str; 4] = [
    include_str!("../tests/fixtures/check/counter.c"),
    include_str!("../tests/fixtures/check/modern.c"),
    include_str!("../tests/fixtures/check/fullapi.c"),
    include_str!("../tests/fixtures/check/freethreaded.c"),
];

fn c_source(lines: usize) -> String {
    let mut text = String::new();
    while text.lines().count() < lines {
        for fixture in FIXTURES {
            text.push_str(fixture);
        }
    }
    text.lines().take(lines).collect::<Vec<_>>().join("\n")
}

/// A module of about 20 MB: a large constant table and calls into the C API.
fn big_module() -> Option<PathBuf> {
    let dir = std::env::temp_dir().join("abiscope-bench-check");
    std::fs::create_dir_all(&dir).ok()?;
    let module = dir.join("big.abi3.so");
    if module.exists() {
        return Some(module);
    }
    let mut src = String::from("typedef struct _object PyObject;\n");
    let names = Catalog::embedded()
        .items()
        .iter()
        .filter(|i| i.kind == abiscope::catalog::Kind::Function && i.stable_since.is_some())
        .take(400)
        .map(Item::name)
        .collect::<Vec<_>>();
    for name in &names {
        let _ = writeln!(src, "extern void {name}(void);");
    }
    src.push_str("const unsigned char table[20 << 20] = {1};\nvoid PyInit_big(void) {\n");
    for name in &names {
        let _ = writeln!(src, "  {name}();");
    }
    src.push_str("}\n");
    let c = dir.join("big.c");
    std::fs::write(&c, src).ok()?;
    let built = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
        .args(["-shared", "-fPIC", "-O1", "-w", "-o"])
        .arg(&module)
        .arg(&c)
        .status()
        .ok()?;
    built.success().then_some(module)
}

fn check(c: &mut Criterion) {
    let catalog = Catalog::embedded();
    let mut group = c.benchmark_group("check");
    let text = c_source(100_000);
    group.bench_function("c_100k_lines", |b| {
        b.iter(|| {
            let mut input = Input::default();
            input.add_source(&catalog, black_box(&text), "bench.c", false);
            let report = Report::new(&catalog, &input, None);
            black_box(report.min)
        });
    });
    match big_module() {
        Some(module) => {
            let paths = [module];
            group.bench_function("module_20mb", |b| {
                b.iter(|| {
                    let input = Input::read(&catalog, black_box(&paths), std::io::empty(), &Limits::default());
                    let report = Report::new(&catalog, &input, None);
                    black_box(report.min)
                });
            });
        }
        None => eprintln!("note: no C compiler: check/module_20mb skipped"),
    }
    group.finish();
}

criterion_group!(benches, check);
criterion_main!(benches);
