//! The explorer's keys without a terminal, in the config's notation: the
//! chords that work while typing, Ctrl-C, bursts of input handled as one
//! batch (one search), the history, picker mode and the `#define` copied
//! per target.

mod common;

use abiscope::app::{App, Effect, Focus, Overlay};
use abiscope::catalog::Catalog;
use abiscope::keymap::{Keymap, parse_sequence};
use abiscope::snippets::CopyWhat;
use abiscope::target::Target;
use common::{app, press, screen, targeted};

#[test]
fn f1_opens_help_while_typing_and_question_mark_elsewhere() {
    let mut app = app();
    press(&mut app, "?");
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(app.query.text(), "?");
    press(&mut app, "<f1>");
    assert_eq!(app.overlay, Overlay::Help);
    press(&mut app, "x");
    assert_eq!(app.overlay, Overlay::None);
    press(&mut app, "<tab>?");
    assert_eq!(app.overlay, Overlay::Help);
}

#[test]
fn every_action_on_the_first_screen_has_a_chord_that_works_while_typing() {
    let mut app = app();
    press(&mut app, "PyBuffer_FillInfo");
    assert_eq!(app.focus, Focus::Search);
    press(&mut app, "<A-c>");
    assert_eq!(app.overlay, Overlay::Copy(0));
    press(&mut app, "<esc><C-t>");
    assert!(matches!(app.overlay, Overlay::Target(_)));
    press(&mut app, "<esc>");
    assert_eq!(
        press(&mut app, "<C-o>"),
        [Effect::Open(
            "https://docs.python.org/3/c-api/buffer.html#c.PyBuffer_FillInfo".into()
        )]
    );
    assert_eq!(press(&mut app, "<C-z>"), [Effect::Suspend]);
    assert_eq!(
        app.query.text(),
        "PyBuffer_FillInfo",
        "nothing was typed into the query"
    );
}

#[test]
fn the_hints_show_the_keys_that_work_in_the_focused_pane() {
    let mut app = app();
    let shown = screen(&mut app, 120, 24);
    let hints = shown.lines().last().unwrap_or_default();
    assert!(hints.contains("<f1> help") && hints.contains("<A-c> copy…"), "{hints}");
    assert!(!hints.contains("? help"), "{hints}");
    press(&mut app, "<tab><tab>");
    let shown = screen(&mut app, 120, 24);
    let hints = shown.lines().last().unwrap_or_default();
    assert!(hints.contains("? help") && hints.contains("c copy…"), "{hints}");
}

#[test]
fn ctrl_c_quits_whatever_the_keymap_says() {
    let mut keymap = Keymap::default();
    let ctrl_c = "<C-c>".parse().expect("a key");
    keymap.rebind(abiscope::keymap::Action::CopyName, &[ctrl_c]);
    keymap.rebind(abiscope::keymap::Action::Quit, &[]);
    let mut app = App::new(Catalog::embedded(), keymap, "PyList", Target::default());
    assert_eq!(press(&mut app, "<C-c>"), [Effect::Quit]);
    press(&mut app, "<tab>t");
    assert_eq!(press(&mut app, "<C-c>"), [Effect::Quit], "in the target picker too");
}

#[test]
fn typing_behind_the_target_picker_leaves_the_query_alone() {
    let mut app = app();
    press(&mut app, "PyList<C-t>abc");
    assert_eq!(app.query.text(), "PyList");
}

/// Messages for typed text, as a terminal delivers a burst.
fn typed(text: &str) -> Vec<abiscope::app::Msg> {
    text.chars()
        .map(|c| {
            abiscope::app::Msg::Key(abiscope::keymap::Chord::new(
                ratatui::crossterm::event::KeyCode::Char(c),
                ratatui::crossterm::event::KeyModifiers::NONE,
            ))
        })
        .collect()
}

#[test]
fn a_burst_of_typing_is_one_search_with_the_same_result() {
    let mut burst = app();
    assert!(burst.handle(typed("list item")).is_empty());
    let mut one_by_one = app();
    press(&mut one_by_one, "list item");
    assert_eq!(burst.hits(), one_by_one.hits());
    assert_eq!(burst.query.text(), "list item");
    // Keys after the edits in the same burst see the new results.
    let mut msgs = typed("PyList_");
    msgs.extend(
        parse_sequence("<down><C-y>")
            .expect("keys")
            .into_iter()
            .map(abiscope::app::Msg::Key),
    );
    let effects = app().handle(msgs);
    assert_eq!(effects.len(), 1);
    let mut expected = app();
    let copied = press(&mut expected, "PyList_<down><C-y>");
    assert_eq!(effects, copied);
}

#[test]
fn ctrl_c_after_a_flood_quits_before_searching() {
    let mut app = app();
    let mut msgs = typed(&"py ".repeat(400));
    msgs.extend(typed("x"));
    msgs.push(abiscope::app::Msg::Key("<C-c>".parse().expect("a key")));
    assert_eq!(app.handle(msgs), [Effect::Quit]);
    assert_eq!(app.hits().len(), app.catalog.items().len(), "no search ran");
}

#[test]
fn a_long_many_word_query_searches_once() {
    let mut app = app();
    app.handle(typed(&"py ".repeat(500)));
    assert!(!app.hits().is_empty());
    assert_eq!(app.query.text().len(), 1500);
}

#[test]
fn the_copied_define_is_the_one_pep_803_prescribes_for_the_target() {
    let define = |target: &str| {
        let mut app = targeted(target);
        press(&mut app, "PyBuffer_FillInfo<A-c>d")
    };
    let copy = |text: &str| {
        vec![Effect::Copy {
            what: CopyWhat::Define,
            text: text.to_string(),
        }]
    };
    assert_eq!(define("abi3t=3.15"), copy("#define Py_TARGET_ABI3T 0x030F0000"));
    assert_eq!(define("abi3=3.9"), copy("#define Py_LIMITED_API 0x030B0000"));
    assert_eq!(
        define("abi3=3.12,abi3t=3.15"),
        copy("#define Py_LIMITED_API 0x030C0000\n#define Py_TARGET_ABI3T 0x030F0000")
    );
}

#[test]
fn the_history_walks_back_from_the_first_result_and_with_ctrl_p() {
    let mut app = app();
    app.history = abiscope::app::history::History::new(vec!["PyList_New".into(), "PyDict_New".into()]);
    press(&mut app, "abc");
    press(&mut app, "<C-p>");
    assert_eq!(app.query.text(), "PyDict_New");
    press(&mut app, "<up>");
    assert_eq!(app.query.text(), "PyList_New", "Up on the first result walks back");
    press(&mut app, "<C-n><C-n>");
    assert_eq!(app.query.text(), "abc", "past the newest, the draft again");
    // Opening an item records its query.
    press(&mut app, "<C-u>PyList_Append<enter>");
    assert_eq!(app.history.entries().last().map(String::as_str), Some("PyList_Append"));
}

#[test]
fn picker_mode_prints_the_chosen_item_on_enter() {
    let mut app = app();
    app.pick = Some(CopyWhat::Signature);
    assert_eq!(
        press(&mut app, "PyList_New<enter>"),
        [Effect::Print("PyObject *PyList_New(Py_ssize_t len)".into())]
    );
    assert_eq!(press(&mut app, "<esc><esc>"), [Effect::Quit]);
}
