//! The explorer without a terminal: key sequences in the config's notation
//! drive the app and the returned effects are asserted; frames rendered
//! into a `TestBackend` are compared with committed snapshots.

mod common;

use abiscope::app::{App, Effect, Focus, Overlay};
use abiscope::catalog::{Catalog, Item};
use abiscope::config::LayoutMode;
use abiscope::keymap::Keymap;
use abiscope::snippets::CopyWhat;
use abiscope::target::Target;
use abiscope::ui::{self, theme::Theme};
use common::{app, press, screen, targeted};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn selected_name(app: &App) -> &'static str {
    app.selected_item().map_or("", |i| i.name())
}

#[test]
fn typing_down_and_copy_copies_the_second_hit() {
    let mut app = app();
    let second = app.catalog.items()[{
        press(&mut app, "PyBuf");
        app.hits()[1].index
    }]
    .name();
    let effects = press(&mut app, "<down><C-y>");
    assert_eq!(
        effects,
        [Effect::Copy {
            what: CopyWhat::Name,
            text: second.to_string()
        }]
    );
    assert!(second.starts_with("PyBuffer_"), "{second}");
}

#[test]
fn the_selection_stays_on_its_item_while_it_matches() {
    let mut app = app();
    press(&mut app, "PyBuffer<down><down>");
    let chosen = selected_name(&app);
    press(&mut app, "_");
    assert_eq!(selected_name(&app), chosen);
    press(&mut app, "<bs><bs><bs><bs><bs><bs><bs><bs>");
    assert_eq!(app.query.text(), "P");
    assert_eq!(selected_name(&app), chosen, "still matches 'P'");
}

#[test]
fn scrolling_ranks_every_match_it_reaches() {
    // `pyb`: a few dozen prefix matches, then fuzzy ones left unscored;
    // `p`: over 2,000 prefix matches, of which a screenful is ordered.
    for q in ["pyb", "p"] {
        let mut app = app();
        press(&mut app, q);
        let full = abiscope::search::Searcher::default().search(&app.catalog, &abiscope::search::Query::parse(q));
        assert_eq!(app.hits().len(), full.len(), "{q}: the count is exact before ranking");
        // Past the first screenfuls, then to the end (End in the search
        // line would move the cursor).
        press(&mut app, "<tab><tab>");
        press(&mut app, &"<pagedown>".repeat(8));
        let at = app.selected;
        assert!(at >= 64, "{q}: {at}");
        assert_eq!(app.hits()[..=at], full[..=at], "{q}: ordered up to the selection");
        press(&mut app, "<end>");
        assert_eq!(app.hits(), &full[..], "{q}");
        assert_eq!(app.selected, full.len() - 1);
    }
}

#[test]
fn escape_leaves_the_pane_then_clears_then_quits() {
    let mut app = app();
    press(&mut app, "abc<tab>");
    assert_eq!(app.focus, Focus::Tree);
    assert!(press(&mut app, "<esc>").is_empty());
    assert_eq!(app.focus, Focus::Search);
    assert_eq!(app.query.text(), "abc", "the query stays");
    assert!(press(&mut app, "<esc>").is_empty());
    assert_eq!(app.query.text(), "");
    assert_eq!(press(&mut app, "<esc>"), [Effect::Quit]);
    // From the detail, Esc goes back to where Enter came from.
    press(&mut app, "PyList_New<tab><tab><enter>");
    assert_eq!(app.focus, Focus::Detail);
    press(&mut app, "<esc>");
    assert_eq!(app.focus, Focus::Results);
    press(&mut app, "<S-tab><S-tab><enter><esc>");
    assert_eq!(app.focus, Focus::Search);
    assert_eq!(app.query.text(), "PyList_New");
}

#[test]
fn q_types_in_the_search_and_quits_elsewhere() {
    let mut app = app();
    assert!(press(&mut app, "q").is_empty());
    assert_eq!(app.query.text(), "q");
    assert_eq!(press(&mut app, "<tab><tab>q"), [Effect::Quit]);
    assert_eq!(press(&mut app, "<C-c>"), [Effect::Quit]);
}

#[test]
fn enter_shows_the_detail_and_links_can_be_followed_and_undone() {
    let mut app = app();
    press(&mut app, "PyList_GET_ITEM<enter>");
    assert_eq!(app.focus, Focus::Detail);
    let item = app.detail_item().expect("an item");
    assert_eq!(item.name(), "PyList_GET_ITEM");
    let first_link = item.see_also().first().expect("a see-also link");
    press(&mut app, "<enter>");
    assert_eq!(app.detail_item().map(Item::name), Some(first_link));
    press(&mut app, "<bs>");
    assert_eq!(app.detail_item().map(Item::name), Some("PyList_GET_ITEM"));
}

#[test]
fn a_tree_section_scopes_the_results_and_the_root_shows_everything() {
    let mut app = app();
    let all = app.hits().len();
    assert_eq!(all, app.catalog.items().len());
    press(&mut app, "<tab>");
    // Down to "Abstract Objects Layer", then into it and down to "Buffer Protocol".
    let rows: Vec<String> = app
        .tree_view
        .rows()
        .iter()
        .map(|r| app.tree.node(r.node).title.to_string())
        .collect();
    let abstract_row = rows
        .iter()
        .position(|t| t == "Abstract Objects Layer")
        .expect("a top section");
    for _ in 0..abstract_row {
        press(&mut app, "<down>");
    }
    let in_layer = app.hits().len();
    assert!(in_layer < all && in_layer > 100, "{in_layer}");
    press(&mut app, "<enter>");
    while app.tree.node(app.tree_view.selected()).title != "Buffer Protocol" {
        press(&mut app, "<down>");
    }
    assert!(app.hits().iter().all(|h| {
        let item = &app.catalog.items()[h.index];
        item.section()
            .is_some_and(|s| s.starts_with("Abstract Objects Layer > Buffer Protocol"))
    }));
    press(&mut app, "<S-tab>Fill");
    let scoped: Vec<usize> = app.hits().iter().map(|h| h.index).collect();
    assert!(!scoped.is_empty(), "the query applies within the section");
    press(&mut app, "<tab><home>");
    assert_eq!(app.tree_view.selected(), abiscope::tree::Tree::ROOT);
    let mut everywhere = App::new(Catalog::embedded(), Keymap::default(), "Fill", Target::default());
    assert_eq!(app.hits().len(), everywhere.hits().len());
    assert!(app.hits().len() > scoped.len());
    press(&mut everywhere, "<down>");
}

#[test]
fn the_copy_menu_copies_the_link_snippet_and_define() {
    let mut app = app();
    press(&mut app, "PyBuffer_FillInfo<tab><tab>c");
    assert_eq!(app.overlay, Overlay::Copy(0));
    let link = press(&mut app, "l");
    assert_eq!(
        link,
        [Effect::Copy {
            what: CopyWhat::Link,
            text: "https://docs.python.org/3/c-api/buffer.html#c.PyBuffer_FillInfo".into()
        }]
    );
    let define = press(&mut app, "c<down><down><down><down><enter>");
    assert_eq!(
        define,
        [Effect::Copy {
            what: CopyWhat::Define,
            text: "#define Py_LIMITED_API 0x030B0000".into()
        }]
    );
    assert_eq!(press(&mut app, "<A-s>").len(), 1);
}

#[test]
fn hostile_input_neither_panics_nor_garbles() {
    let mut app = app();
    let long = "x".repeat(10_000);
    app.update(abiscope::app::Msg::Paste(long));
    assert!(app.hits().is_empty());
    app.update(abiscope::app::Msg::Paste("é😀\u{1b}[31m\u{0}\t\n".into()));
    assert!(!app.query.text().chars().any(char::is_control));
    for (w, h) in [(1, 1), (2, 1), (1, 3), (5, 5), (20, 4), (80, 24), (300, 80)] {
        let shown = screen(&mut app, w, h);
        assert!(!shown.contains('\u{1b}'), "{w}x{h}");
    }
    press(
        &mut app,
        "<C-u>PyObject<enter><down><down><pagedown><pageup><end><home>",
    );
    for (w, h) in [(1, 1), (10, 3), (40, 12), (80, 24)] {
        screen(&mut app, w, h);
    }
}

#[test]
fn snapshot_start_wide() {
    insta::assert_snapshot!(screen(&mut app(), 200, 50));
}

#[test]
fn snapshot_start_80x24() {
    insta::assert_snapshot!(screen(&mut app(), 80, 24));
}

#[test]
fn snapshot_prefix_typed() {
    let mut app = app();
    press(&mut app, "PyBuffer_");
    insta::assert_snapshot!(screen(&mut app, 200, 50));
}

#[test]
fn snapshot_tree_section_selected() {
    let mut app = app();
    press(&mut app, "<tab><down><enter><down><down><down>");
    insta::assert_snapshot!(screen(&mut app, 160, 40));
}

#[test]
fn snapshot_struct_members_in_the_detail() {
    let mut app = app();
    press(&mut app, "PyObject");
    insta::assert_snapshot!(screen(&mut app, 160, 40));
}

#[test]
fn snapshot_help_overlay() {
    let mut app = app();
    press(&mut app, "<f1>");
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}

#[test]
fn snapshot_no_results() {
    let mut app = app();
    press(&mut app, "zzqqxx");
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn snapshot_narrow() {
    let mut app = app();
    press(&mut app, "PyList_Get");
    insta::assert_snapshot!("narrow_results", screen(&mut app, 40, 12));
    press(&mut app, "<enter>");
    insta::assert_snapshot!("narrow_detail", screen(&mut app, 40, 12));
}

#[test]
fn snapshot_styles_of_a_result_row() {
    let mut app = app();
    press(&mut app, "pybuf");
    let mut terminal = Terminal::new(TestBackend::new(60, 6)).expect("a test terminal");
    terminal
        .draw(|f| ui::render(f, &mut app, &Theme::default(), LayoutMode::Auto))
        .expect("drawn");
    insta::assert_debug_snapshot!(terminal.backend().buffer());
}

#[test]
fn no_color_draws_without_colours() {
    let mut app = app();
    press(&mut app, "pybuf");
    let mut terminal = Terminal::new(TestBackend::new(160, 40)).expect("a test terminal");
    let mono = Theme::new(abiscope::ui::theme::Palette::default(), false);
    terminal
        .draw(|f| ui::render(f, &mut app, &mono, LayoutMode::Auto))
        .expect("drawn");
    let buffer = terminal.backend().buffer();
    let reset = ratatui::style::Color::Reset;
    let coloured = buffer
        .content()
        .iter()
        .filter(|c| c.fg != reset || c.bg != reset)
        .count();
    assert_eq!(coloured, 0, "no cell has a colour");
    // The selection is still visible, by reverse video.
    let reversed = buffer
        .content()
        .iter()
        .any(|c| c.modifier.contains(ratatui::style::Modifier::REVERSED));
    assert!(reversed);
}

#[test]
fn the_mouse_selects_and_scrolls_the_pane_under_it() {
    let mut app = app();
    press(&mut app, "PyList_");
    screen(&mut app, 200, 50);
    let results = app.areas.results.expect("a results pane");
    // The third row of the results (row 0 is the border).
    app.update(abiscope::app::Msg::Click {
        x: results.x + 2,
        y: results.y + 3,
    });
    assert_eq!(app.focus, Focus::Results);
    assert_eq!(app.selected, 2);
    app.update(abiscope::app::Msg::Scroll {
        x: results.x + 2,
        y: results.y + 3,
        down: true,
    });
    assert_eq!(app.selected, 5);
    let tree = app.areas.tree.expect("a tree pane");
    app.update(abiscope::app::Msg::Click {
        x: tree.x + 2,
        y: tree.y + 2,
    });
    assert_eq!(app.focus, Focus::Tree);
    assert_eq!(app.tree.node(app.tree_view.selected()).title, "Introduction");
    let detail = app.areas.detail.expect("a detail pane");
    app.update(abiscope::app::Msg::Scroll {
        x: detail.x + 2,
        y: detail.y + 2,
        down: true,
    });
    assert_eq!(app.detail.scroll, 3);
}

#[test]
fn the_detail_scrolls_with_page_keys() {
    let mut app = app();
    press(&mut app, "PyTypeObject<enter>");
    screen(&mut app, 100, 20);
    press(&mut app, "<pagedown>");
    let shown = screen(&mut app, 100, 20);
    assert!(app.detail.scroll > 0, "scrolled");
    assert!(!shown.contains("Signature"), "the top facts scrolled away:\n{shown}");
}

#[test]
fn the_picker_sets_the_target() {
    let mut app = app();
    // `t` opens the picker (not while typing: Tab first); Right picks abi3 3.2.
    press(&mut app, "<tab>t");
    assert!(matches!(app.overlay, Overlay::Target(_)));
    for _ in 0..8 {
        press(&mut app, "<right>");
    }
    press(&mut app, "<down><right><enter>");
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(app.target.to_string(), "abi3 3.9 + abi3t 3.15");
    assert!(app.verdict(0).is_some());
}

#[test]
fn under_a_target_usable_items_rank_first_and_h_hides_the_rest() {
    let mut app = targeted("abi3=3.9");
    press(&mut app, "PyList_G");
    let verdicts: Vec<bool> = app
        .hits()
        .iter()
        .map(|h| app.verdict(h.index).is_some_and(abiscope::target::Verdict::is_usable))
        .collect();
    let first_unusable = verdicts.iter().position(|u| !u).expect("some unusable hit");
    assert!(
        verdicts[first_unusable..].iter().all(|u| !u),
        "usable hits first: {verdicts:?}"
    );
    let all = app.hits().len();
    press(&mut app, "<tab>h");
    assert!(app.hide_unusable);
    assert_eq!(app.hits().len(), first_unusable);
    assert!(app.hits().len() < all);
}

#[test]
fn filter_words_restrict_and_errors_show() {
    let mut app = app();
    press(&mut app, "PyList k:fn since:<=3.2");
    assert!(!app.hits().is_empty());
    for h in app.hits() {
        let item = &app.catalog.items()[h.index];
        assert_eq!(item.kind, abiscope::catalog::Kind::Function);
        assert!(
            item.stable_since
                .is_some_and(|v| v <= abiscope::catalog::Version::new(3, 2))
        );
    }
    press(&mut app, " kind:funtion");
    let (message, kind) = app.status.clone().expect("an error in the status line");
    assert_eq!(kind, abiscope::app::StatusKind::Error);
    assert!(
        message.contains("funtion") && message.contains("function or fn"),
        "{message}"
    );
}

#[test]
fn the_detail_lists_alternatives_and_follows_them() {
    let mut app = targeted("abi3=3.9");
    press(&mut app, "PyList_GET_ITEM<enter>");
    let shown = screen(&mut app, 160, 40);
    assert!(shown.contains("not-limited"), "{shown}");
    assert!(shown.contains("PyList_GetItem"), "{shown}");
    press(&mut app, "<enter>");
    assert_eq!(app.detail_item().map(Item::name), Some("PyList_GetItem"));
}

#[test]
fn snapshot_target_dimmed() {
    let mut app = targeted("abi3=3.9,abi3t=3.15");
    press(&mut app, "PyList_");
    insta::assert_snapshot!(screen(&mut app, 160, 30));
}

#[test]
fn snapshot_target_hidden() {
    let mut app = targeted("abi3=3.9");
    press(&mut app, "PyList_<tab>h");
    insta::assert_snapshot!(screen(&mut app, 160, 30));
}

#[test]
fn snapshot_target_picker() {
    let mut app = targeted("abi3=3.9");
    press(&mut app, "<tab>t<down>");
    insta::assert_snapshot!(screen(&mut app, 120, 30));
}

#[test]
fn snapshot_verdicts_at_120x40() {
    let mut app = targeted("abi3=3.9");
    press(&mut app, "PyList_");
    let shown = screen(&mut app, 120, 40);
    assert!(shown.contains("usable") && shown.contains("3.2"), "{shown}");
    insta::assert_snapshot!(shown);
}

#[test]
fn snapshot_since_versions_at_132x43() {
    let mut app = app();
    press(&mut app, "PyBuffer_");
    let shown = screen(&mut app, 132, 43);
    assert!(shown.contains("limited") && shown.contains("3.11"), "{shown}");
    insta::assert_snapshot!(shown);
}

#[test]
fn snapshot_verdicts_at_80x24() {
    let mut app = targeted("abi3=3.9,abi3t=3.15");
    press(&mut app, "PyList_G");
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("not-limited") || shown.contains("usable"), "{shown}");
    insta::assert_snapshot!(shown);
}

#[test]
fn snapshot_detail_at_60x20_says_how_to_go_back() {
    let mut app = app();
    press(&mut app, "PyList_New<enter>");
    let shown = screen(&mut app, 60, 20);
    assert!(
        shown.lines().last().unwrap_or_default().contains("<esc> back"),
        "{shown}"
    );
    insta::assert_snapshot!(shown);
    press(&mut app, "<esc>");
    assert_eq!(app.focus, Focus::Search);
}

#[test]
fn snapshot_help_scrolls_at_80x24() {
    let mut app = app();
    press(&mut app, "<f1>");
    let top = screen(&mut app, 80, 24);
    assert!(top.contains("Keys: 1–"), "{top}");
    insta::assert_snapshot!("help_80x24_top", top);
    press(&mut app, "<end>");
    let bottom = screen(&mut app, 80, 24);
    assert!(
        bottom.contains("returns:borrowed") || bottom.contains("Filter words"),
        "{bottom}"
    );
    insta::assert_snapshot!("help_80x24_bottom", bottom);
    assert_eq!(app.overlay, Overlay::Help, "scrolling keeps it open");
}

#[test]
fn hidden_matches_are_counted_and_opaque_structs_stay() {
    let mut app = targeted("abi3t=3.15");
    press(&mut app, "PyObject<tab>h");
    assert!(
        app.hits()
            .iter()
            .any(|h| app.catalog.items()[h.index].name() == "PyObject"),
        "PyObject is named through pointers under abi3t"
    );
    let mut app = targeted("abi3=3.9");
    press(&mut app, "PyList_GET_ITEM<tab>h");
    assert!(app.hidden() > 0);
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("hidden"), "{shown}");
    insta::assert_snapshot!(shown);
}

#[test]
fn snapshot_a_section_shows_in_the_search_line() {
    let mut app = app();
    press(&mut app, "<tab><down><down><S-tab>zzzz");
    let shown = screen(&mut app, 120, 40);
    let first = shown.lines().next().unwrap_or_default();
    assert!(first.contains("0 / ") && first.contains(" in "), "{first}");
    insta::assert_snapshot!(shown);
}

#[test]
fn a_removed_name_is_found_dimmed_with_its_removal() {
    let mut app = app();
    press(&mut app, "PyUnicode_AS_");
    assert_eq!(selected_name(&app), "PyUnicode_AS_DATA");
    let mut terminal = Terminal::new(TestBackend::new(120, 12)).expect("a test terminal");
    let theme = Theme::default();
    terminal
        .draw(|f| ui::render(f, &mut app, &theme, LayoutMode::Auto))
        .expect("drawn");
    let buffer = terminal.backend().buffer();
    let cells = |y: u16| -> Vec<&str> { (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect() };
    // The second row, not selected: PyUnicode_AS_UNICODE.
    let (row, x) = (0..buffer.area.height)
        .find_map(|y| {
            let line = cells(y).concat();
            let at = line.find("│PyUnicode_AS_UNICODE ")?;
            Some((y, line[..at].chars().count() + 1))
        })
        .expect("the row is drawn");
    assert!(cells(row).concat().contains("removed 3.12"), "{}", cells(row).concat());
    // Past the matched prefix, the name's own style: dimmed.
    let dim = theme.dim();
    let cell = &buffer[(u16::try_from(x + 16).expect("narrow"), row)];
    assert_eq!(cell.symbol(), "C");
    assert!(
        dim.fg.is_none_or(|c| cell.fg == c) && cell.modifier.contains(dim.add_modifier),
        "{cell:?} is not dimmed like {dim:?}"
    );
    press(&mut app, "UNICODE");
    // The detail says when it went and what to use instead.
    let text = screen(&mut app, 160, 40);
    assert!(
        text.contains("removed 3.12") && text.contains("PyUnicode_AsWideCharString"),
        "{text}"
    );
}

#[test]
fn a_check_report_lists_what_blocks_then_what_exceeds_then_the_rest() {
    use abiscope::app::ReportView;
    use abiscope::target::Verdict;
    let catalog = Catalog::embedded();
    let n = catalog.items().len();
    let mut view = ReportView {
        locations: vec![Vec::new(); n],
        verdicts: vec![None; n],
        rank: vec![u8::MAX; n],
    };
    for (name, rank, verdict) in [
        ("PyList_GetItem", 2, Verdict::Usable),
        ("PyList_GetItemRef", 1, Verdict::TooNew),
        ("PyList_GET_ITEM", 0, Verdict::NotLimited),
    ] {
        let i = catalog.index_of(name).expect("a catalog name");
        view.locations[i] = vec!["x.c:1:1".to_string()];
        view.rank[i] = rank;
        view.verdicts[i] = Some(verdict);
    }
    let mut app = App::new(catalog, Keymap::default(), "", Target::default());
    let target: Target = "abi3=3.9".parse().expect("a target");
    app.show_report(view, target, "check".to_string());
    let names: Vec<&str> = app.hits().iter().map(|h| app.catalog.items()[h.index].name()).collect();
    assert_eq!(names, ["PyList_GET_ITEM", "PyList_GetItemRef", "PyList_GetItem"]);
}

#[test]
fn frames_drawn_with_the_cache_are_the_frames_drawn_without() {
    let mut app = app();
    let theme = Theme::default();
    let mut cached = Terminal::new(TestBackend::new(160, 40)).expect("a test terminal");
    let mut cache = ui::Cache::default();
    let mut compare = |app: &mut App, step: &str, cached: &mut Terminal<TestBackend>| {
        cached
            .draw(|f| ui::render_cached(f, app, &theme, LayoutMode::Auto, &mut cache))
            .expect("drawn");
        let area = cached.backend().buffer().area;
        let mut fresh = Terminal::new(TestBackend::new(area.width, area.height)).expect("a test terminal");
        fresh
            .draw(|f| ui::render(f, app, &theme, LayoutMode::Auto))
            .expect("drawn");
        assert_eq!(cached.backend().buffer(), fresh.backend().buffer(), "after {step}");
    };
    compare(&mut app, "the start", &mut cached);
    let sections = app.tree_view.rows().len();
    // Typing, moving and opening sections in the tree, scrolling it with
    // the mouse, focus going round, and the terminal resized.
    for step in [
        "p",
        "yb",
        "<bs>",
        "<tab>",
        "<down>",
        "<down><down>",
        "<right>",
        "<down>",
        "<left>",
        "<up>",
        "<tab>",
        "<tab><tab>",
        "uf",
        "<c-u>",
        "list",
    ] {
        press(&mut app, step);
        compare(&mut app, step, &mut cached);
    }
    assert!(app.tree_view.rows().len() > sections, "a section was opened");
    let tree = app.areas.tree.expect("a tree pane");
    app.update(abiscope::app::Msg::Scroll {
        x: tree.x + 2,
        y: tree.y + 2,
        down: true,
    });
    compare(&mut app, "a scroll in the tree", &mut cached);
    for (width, height) in [(120, 30), (200, 60), (160, 40)] {
        cached.backend_mut().resize(width, height);
        compare(&mut app, &format!("a resize to {width}x{height}"), &mut cached);
    }
}
