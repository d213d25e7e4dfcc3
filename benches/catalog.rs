//! Start-up and search costs, measured with criterion.
//!
//! `catalog/*` compares the ways the catalog could be embedded: the static
//! table `build.rs` generates (what the binary uses), parsing the committed
//! TOML at start-up, and parsing the same data as JSON. `search/*` runs one
//! query over the whole catalog, ranking included. `explorer/*` is one
//! keystroke in the explorer, frame included.

use std::hint::black_box;

use abiscope::app::App;
use abiscope::catalog::Catalog;
use abiscope::catalog::schema::CatalogFile;
use abiscope::config::LayoutMode;
use abiscope::keymap::{Chord, Keymap};
use abiscope::search::{Query, Searcher};
use abiscope::ui::{self, theme::Theme};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const TOML: &str = include_str!("../assets/catalog.toml");

fn catalog(c: &mut Criterion) {
    let mut group = c.benchmark_group("catalog");
    group.bench_function("static_table", |b| {
        b.iter(|| {
            let catalog = Catalog::embedded();
            black_box(catalog.get(black_box("PyBuffer_FillInfo")))
        });
    });
    group.bench_function("parse_toml", |b| {
        b.iter(|| black_box(toml::from_str::<CatalogFile>(black_box(TOML))));
    });
    let file: CatalogFile = toml::from_str(TOML).expect("the committed catalog parses");
    let json = serde_json::to_string(&file).expect("serialisable");
    group.bench_function("parse_json", |b| {
        b.iter(|| black_box(serde_json::from_str::<CatalogFile>(black_box(&json))));
    });
    group.finish();
}

fn search(c: &mut Criterion) {
    let catalog = Catalog::embedded();
    let searcher = Searcher::default();
    let mut group = c.benchmark_group("search");
    for query in ["PyBuffer_", "pybuf", "list item", "lgi"] {
        let q = Query::parse(query);
        group.bench_function(query, |b| {
            b.iter(|| black_box(searcher.search(catalog.items(), black_box(&q))));
        });
    }
    group.finish();
}

/// One keystroke in the explorer on the full catalog: match, rank, update
/// the state and render the frame into a 200x50 `TestBackend`. Iterations
/// alternate typing `f` after `pybu` and deleting it, one keystroke each.
fn keystroke(c: &mut Criterion) {
    let mut app = App::new(
        Catalog::embedded(),
        Keymap::default(),
        "pybu",
        abiscope::target::Target::default(),
    );
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("a test terminal");
    let theme = Theme::default();
    let (f, bs): (Chord, Chord) = ("f".parse().expect("a key"), "<bs>".parse().expect("a key"));
    terminal
        .draw(|frame| ui::render(frame, &mut app, &theme, LayoutMode::Auto))
        .expect("drawn");
    let mut typed = false;
    c.bench_function("explorer/keystroke_200x50", |b| {
        b.iter(|| {
            black_box(app.key(if typed { bs } else { f }));
            typed = !typed;
            terminal
                .draw(|frame| ui::render(frame, &mut app, &theme, LayoutMode::Auto))
                .expect("drawn");
        });
    });
}

criterion_group!(benches, catalog, search, keystroke);
criterion_main!(benches);
