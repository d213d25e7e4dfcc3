//! The query parser and the search under arbitrary input: no panic, and
//! every hit passes the query's filters. `cargo test --test fuzz` runs a
//! few thousand cases; the documented run is a million per property:
//!
//! ```sh
//! PROPTEST_CASES=1000000 cargo test --release --test fuzz
//! ```

use abiscope::catalog::Catalog;
use abiscope::search::{Query, Searcher};
use proptest::prelude::*;

/// Words built from the query language's own pieces, so the filters are
/// reached often, mixed with arbitrary text.
fn word() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "", "kind:", "k:", "tier:", "t:", "since:", "s:", "abi3t:", "ifdef:", "returns:", "r:", "header:", "h:", "^",
        "'", "!", "bogus:",
    ]);
    let value = prop::sample::select(vec![
        "",
        "fn",
        "function",
        "limited",
        "abi-only",
        "3.10",
        "<=3.10",
        ">3.12",
        "<3.x",
        "no",
        "yes",
        "windows",
        "borrowed",
        "listobject",
        "PyList",
        "pybuf",
        "GET_ITEM",
        "é😀",
        "\u{0}",
        "$",
    ]);
    prop_oneof![
        (key, value).prop_map(|(k, v)| format!("{k}{v}")),
        any::<String>(),
        "[a-zA-Z_]{0,12}\\$?",
    ]
}

fn query() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 0..5).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn parsing_and_searching_never_panic_and_hits_pass_the_filters(text in query()) {
        let catalog = Catalog::embedded();
        let items = catalog.items();
        let q = Query::parse(&text);
        let searcher = Searcher::default();
        let hits = searcher.search(&catalog, &q);
        for h in hits.iter().take(50) {
            let item = &items[h.index];
            prop_assert!(q.accepts(item));
            let positions = searcher.positions(item.name(), &q);
            prop_assert!(positions.iter().all(|&p| p < item.name().chars().count()));
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let catalog = Catalog::embedded();
        let q = Query::parse(&text);
        let _ = Searcher::default().search(&catalog, &q);
    }
}
