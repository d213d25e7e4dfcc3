//! Start-up and search costs, measured with criterion.
//!
//! `catalog/*` compares the ways the catalog could be embedded: the static
//! table `build.rs` generates (what the binary uses), parsing the committed
//! TOML at start-up, and parsing the same data as JSON. `search/*` runs one
//! query over the whole catalog, ranking included. `explorer/*` is one
//! keystroke in the explorer, frame included; `explorer/first_frame_*`
//! what comes before the first frame, `explorer/typing_*` a query typed
//! from the first key; `tree/embedded` the category tree from the table
//! `build.rs` generates (what the explorer does), `tree/build` built from
//! the items.

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
            b.iter(|| black_box(searcher.search(&catalog, black_box(&q))));
        });
    }
    group.finish();
}

/// The explorer on the embedded catalog drawing into a `TestBackend`, as
/// the explorer's loop draws: with the cache of the frames before.
struct Explorer {
    app: App,
    terminal: Terminal<TestBackend>,
    theme: Theme,
    cache: ui::Cache,
}

impl Explorer {
    /// With `query` typed, its first frame not drawn yet.
    fn new(query: &str, width: u16, height: u16) -> Explorer {
        Explorer {
            app: App::new(
                Catalog::embedded(),
                Keymap::default(),
                query,
                abiscope::target::Target::default(),
            ),
            terminal: Terminal::new(TestBackend::new(width, height)).expect("a test terminal"),
            theme: Theme::default(),
            cache: ui::Cache::default(),
        }
    }

    fn frame(&mut self) {
        let Explorer {
            app,
            terminal,
            theme,
            cache,
        } = self;
        terminal
            .draw(|frame| ui::render_cached(frame, app, theme, LayoutMode::Auto, cache))
            .expect("drawn");
    }
}

/// What the explorer does before its first frame: build the app (its
/// category tree, the full result list) and render a 120x40 frame into a
/// `TestBackend`; and the category tree alone.
fn first_frame(c: &mut Criterion) {
    c.bench_function("explorer/first_frame_120x40", |b| {
        b.iter(|| {
            let mut explorer = Explorer::new("", 120, 40);
            explorer.frame();
            black_box(explorer.terminal);
        });
    });
    c.bench_function("tree/embedded", |b| {
        b.iter(|| black_box(abiscope::tree::Tree::embedded()));
    });
    c.bench_function("tree/build", |b| {
        b.iter(|| black_box(abiscope::tree::Tree::build(&Catalog::embedded())));
    });
}

/// Typing `pybuf` into the empty query at 120x40, a frame after each key,
/// then clearing it (Ctrl-U) with a frame: six keystrokes as the pty
/// benchmark types them, from the first key, when nearly every name matches.
fn typing(c: &mut Criterion) {
    let mut explorer = Explorer::new("", 120, 40);
    let keys: Vec<Chord> = ["p", "y", "b", "u", "f", "<C-u>"]
        .iter()
        .map(|k| k.parse().expect("a key"))
        .collect();
    explorer.frame();
    c.bench_function("explorer/typing_pybuf_120x40", |b| {
        b.iter(|| {
            for &key in &keys {
                black_box(explorer.app.key(key));
                explorer.frame();
            }
        });
    });
}

/// One keystroke in the explorer on the full catalog: match, rank, update
/// the state and render the frame into a 200x50 `TestBackend`. Iterations
/// alternate typing `f` after `pybu` and deleting it, one keystroke each.
fn keystroke(c: &mut Criterion) {
    let mut explorer = Explorer::new("pybu", 200, 50);
    let (f, bs): (Chord, Chord) = ("f".parse().expect("a key"), "<bs>".parse().expect("a key"));
    explorer.frame();
    let mut typed = false;
    c.bench_function("explorer/keystroke_200x50", |b| {
        b.iter(|| {
            black_box(explorer.app.key(if typed { bs } else { f }));
            typed = !typed;
            explorer.frame();
        });
    });
}

criterion_group!(benches, catalog, search, first_frame, typing, keystroke);
criterion_main!(benches);
