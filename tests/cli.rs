//! The built binary as a user runs it: outputs (golden snapshots), exit
//! codes, JSON validity, error messages, pipes.

use std::io::{BufRead, BufReader};
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;
use predicates::prelude::*;

fn abiscope() -> Command {
    let mut cmd = Command::cargo_bin("abiscope").expect("the binary is built");
    cmd.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    cmd
}

fn stdout_of(args: &[&str]) -> String {
    let out = abiscope().args(args).assert().success().get_output().stdout.clone();
    String::from_utf8(out).expect("UTF-8 output")
}

fn json_of(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout_of(args)).expect("valid JSON")
}

const ITEM_KEYS: &[&str] = &[
    "name",
    "kind",
    "tier",
    "stable_since",
    "exposed",
    "ifdef",
    "abi3t",
    "struct_kind",
    "members",
    "signature",
    "returns",
    "returns_inferred",
    "thread_safety",
    "header",
    "first_seen",
    "last_seen",
    "added_in",
    "changed_in",
    "deprecated_in",
    "soft_deprecated_in",
    "removal_announced",
    "removed_in",
    "replacements",
    "section",
    "doc_url",
    "see_also",
    "notes",
];

fn assert_item_shape(item: &serde_json::Value) {
    let mut keys: Vec<&str> = item
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut expected = ITEM_KEYS.to_vec();
    expected.sort_unstable();
    assert_eq!(keys, expected);
    assert!(item["exposed"]["abi3t"].is_boolean());
}

#[test]
fn search_lists_the_family_for_a_prefix() {
    insta::assert_snapshot!(stdout_of(&["search", "PyBuffer_", "--limit", "10"]));
}

#[test]
fn search_all_terms_must_match() {
    let out = stdout_of(&["search", "list", "item", "-n", "3"]);
    insta::assert_snapshot!(out);
}

#[test]
fn search_without_a_match_exits_1() {
    abiscope().args(["search", "zzqqxxjj"]).assert().code(1).stdout("");
    abiscope()
        .args(["search", "zzqqxxjj", "--json"])
        .assert()
        .code(1)
        .stdout("[]\n");
}

#[test]
fn search_json_is_an_array_of_items() {
    let v = json_of(&["search", "PyBuffer_", "--json", "--limit", "3"]);
    let items = v.as_array().expect("an array");
    assert_eq!(items.len(), 3);
    for item in items {
        assert_item_shape(item);
        assert!(item["name"].as_str().is_some_and(|n| n.starts_with("PyBuffer_")));
    }
}

#[test]
fn show_prints_every_fact() {
    insta::assert_snapshot!(stdout_of(&["show", "PyBuffer_FillInfo"]));
    insta::assert_snapshot!(stdout_of(&["show", "PyObject"]));
}

#[test]
fn show_takes_the_exact_name_and_offers_the_closest_for_others() {
    // Names that differ only in case are different items.
    let get = stdout_of(&["show", "PyThreadState_GET"]);
    assert!(get.starts_with("PyThreadState_GET\n") && get.contains("macro"), "{get}");
    let func = stdout_of(&["show", "PyThreadState_Get"]);
    assert!(
        func.starts_with("PyThreadState_Get\n") && func.contains("function"),
        "{func}"
    );
    abiscope()
        .args(["show", "pybuffer_fillinfo"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "no item named 'pybuffer_fillinfo'; closest: PyBuffer_FillInfo",
        ));
}

#[test]
fn show_json_carries_the_notes_and_the_history() {
    let v = json_of(&["show", "Py_DebugFlag", "--json"]);
    assert_item_shape(&v);
    assert_eq!(v["deprecated_in"], "3.12");
    assert_eq!(v["removal_announced"], "3.15");
    assert_eq!(v["removed_in"], serde_json::Value::Null);
    let notes = v["notes"].as_array().expect("notes is an array");
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().is_some_and(|n| n.contains("still declare it"))),
        "{notes:?}"
    );
    let gone = json_of(&["show", "PyUnicode_AS_UNICODE", "--json"]);
    assert_eq!(gone["removed_in"], "3.12");
    assert_eq!(
        (gone["first_seen"].as_str(), gone["last_seen"].as_str()),
        (Some("3.9"), Some("3.11"))
    );
}

#[test]
fn show_json_is_one_item() {
    let v = json_of(&["show", "PyBuffer_FillInfo", "--json"]);
    assert_item_shape(&v);
    assert_eq!(v["stable_since"], "3.11");
    assert_eq!(v["exposed"], serde_json::json!({"abi3": "3.11", "abi3t": true}));
    assert_eq!(
        v["signature"],
        "int PyBuffer_FillInfo(Py_buffer *view, PyObject *exporter, void *buf, Py_ssize_t len, int readonly, int flags)"
    );
    let fork = json_of(&["show", "PyOS_AfterFork_Child", "--json"]);
    assert_eq!(
        fork["ifdef"],
        serde_json::json!({"macro": "HAVE_FORK", "note": "on platforms with fork()"})
    );
}

#[test]
fn show_unknown_name_suggests_the_closest() {
    abiscope()
        .args(["show", "PyBufer_FillInfo"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            predicate::str::contains("no item named 'PyBufer_FillInfo'")
                .and(predicate::str::contains("PyBuffer_FillInfo")),
        );
}

#[test]
fn list_filters_by_kind_tier_and_version() {
    let v = json_of(&["list", "--kind", "struct", "--tier", "limited", "--json"]);
    let items = v.as_array().expect("an array");
    assert!(items.len() >= 30, "{} limited structs", items.len());
    assert!(items.iter().all(|i| i["kind"] == "struct" && i["tier"] == "limited"));
    let v = json_of(&["list", "--since", "3.16", "--json"]);
    let names: Vec<&str> = v
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|i| i["name"].as_str())
        .collect();
    assert_eq!(names, ["Py_HashBuffer"]);
}

#[test]
fn list_by_section_includes_subsections() {
    let out = stdout_of(&["list", "--section", "Abstract Objects Layer > Buffer Protocol"]);
    assert!(out.lines().any(|l| l.starts_with("PyBuffer_FillInfo ")), "{out}");
    assert!(out.lines().any(|l| l.starts_with("Py_buffer ")), "{out}");
    abiscope()
        .args(["list", "--section", "No Such Section"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no section"));
}

#[test]
fn invalid_values_name_the_valid_ones() {
    abiscope()
        .args(["list", "--kind", "funtion"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("funtion").and(predicate::str::contains("function, variable, macro")));
    abiscope()
        .args(["list", "--since", "3.x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("valid: 3.2 to 3.16"));
    abiscope()
        .args(["list", "--tier", "stable"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("abi-only"));
}

#[test]
fn tree_shows_the_reference_sections() {
    let out = stdout_of(&["tree"]);
    let head: String = out.lines().take(12).collect::<Vec<_>>().join("\n");
    insta::assert_snapshot!(head);
    assert!(out.contains("\n  Abstract Objects Layer ("));
    assert!(out.contains("\n    Buffer Protocol ("));
    assert!(out.contains("\n  Undocumented ("));
    let v = json_of(&["tree", "--json"]);
    let total = v["count"].as_u64().expect("a count");
    let all = json_of(&["list", "--json"]);
    assert_eq!(total, all.as_array().map_or(0, |a| a.len() as u64));
}

#[test]
fn completions_and_manual() {
    let bash = stdout_of(&["completions", "bash"]);
    assert!(bash.contains("abiscope") && bash.contains("search"));
    let man = stdout_of(&["man"]);
    assert!(
        man.starts_with(".ie") || man.contains(".TH abiscope"),
        "{}",
        &man[..man.len().min(200)]
    );
}

#[test]
fn no_escape_sequences_into_a_pipe() {
    for args in [&["search", "PyBuffer_"][..], &["show", "PyObject"], &["tree"]] {
        assert!(!stdout_of(args).contains('\x1b'), "{args:?}");
    }
}

#[test]
fn colours_when_forced_and_never_with_no_color() {
    let forced = abiscope()
        .args(["show", "PyObject"])
        .env("CLICOLOR_FORCE", "1")
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&forced.get_output().stdout).contains('\x1b'));
    let plain = abiscope()
        .args(["show", "PyObject"])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .assert()
        .success();
    assert!(!String::from_utf8_lossy(&plain.get_output().stdout).contains('\x1b'));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    // `abiscope list | head -1`: the reader goes away after one line.
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("abiscope"))
        .arg("list")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn abiscope");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut first = String::new();
    BufReader::new(stdout).read_line(&mut first).expect("one line");
    // The reader is dropped here, closing the pipe.
    let out = child.wait_with_output().expect("abiscope exits");
    assert!(!first.is_empty());
    assert!(
        out.status.success(),
        "exit {:?}, stderr {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn without_a_terminal_no_arguments_print_a_short_usage() {
    let out = stdout_of(&[]);
    assert!(out.starts_with("Usage: abiscope"), "{out}");
    assert!(out.contains("--help") && !out.contains('\x1b'));
}

#[test]
fn without_a_terminal_a_query_prints_the_search() {
    assert_eq!(stdout_of(&["PyBuffer_"]), stdout_of(&["search", "PyBuffer_"]));
}

#[test]
fn config_default_and_path() {
    let default = stdout_of(&["config", "--default"]);
    assert!(default.contains("[keys]") && default.contains("quit = "));
    let path = abiscope()
        .args(["config", "--path"])
        .env("ABISCOPE_CONFIG", "/tmp/x.toml")
        .assert()
        .success();
    assert_eq!(String::from_utf8_lossy(&path.get_output().stdout), "/tmp/x.toml\n");
    let xdg = abiscope()
        .args(["config", "--path"])
        .env_remove("ABISCOPE_CONFIG")
        .env("XDG_CONFIG_HOME", "/cfg")
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&xdg.get_output().stdout),
        "/cfg/abiscope/config.toml\n"
    );
    abiscope().args(["config"]).assert().code(2);
}

#[test]
fn a_target_adds_verdict_reason_and_alternatives() {
    let v = json_of(&["show", "PyList_GET_ITEM", "--json", "--target", "abi3=3.9"]);
    assert_eq!(v["verdict"], "not-limited");
    assert!(v["reason"].as_str().is_some_and(|r| r.contains("Limited API")));
    assert_eq!(
        v["alternatives"],
        serde_json::json!(["PyList_GetItem", "PyList_GetItemRef"])
    );
    // Without a target the keys are absent.
    let plain = json_of(&["show", "PyList_GET_ITEM", "--json"]);
    assert!(plain.get("verdict").is_none() && plain.get("alternatives").is_none());
    insta::assert_snapshot!(stdout_of(&["show", "Py_TYPE", "--target", "abi3=3.9,abi3t=3.15"]));
}

#[test]
fn search_ranks_usable_items_first_under_a_target() {
    let v = json_of(&["search", "PyList_G", "--json", "--target", "abi3=3.9", "-n", "50"]);
    let verdicts: Vec<&str> = v
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|i| i["verdict"].as_str())
        .collect();
    let first_other = verdicts.iter().position(|v| *v != "usable").expect("some unusable hit");
    assert!(verdicts[first_other..].iter().all(|v| *v != "usable"), "{verdicts:?}");
}

#[test]
fn list_usable_needs_a_target_and_lists_what_it_allows() {
    abiscope()
        .args(["list", "--usable"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs a target"));
    let v = json_of(&[
        "list", "--usable", "--kind", "function", "--target", "abi3=3.2", "--json",
    ]);
    let items = v.as_array().expect("an array");
    assert!(items.len() > 500);
    assert!(
        items
            .iter()
            .all(|i| i["verdict"] == "usable" || i["verdict"] == "platform-only")
    );
    assert!(!items.iter().any(|i| i["name"] == "PyBuffer_FillInfo"));
}

#[test]
fn bad_targets_are_refused() {
    abiscope()
        .args(["search", "x", "--target", "abi3t=3.12"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("abi3t starts at 3.15"));
    abiscope()
        .args(["search", "x", "--target", "abi3=3.x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("3.2 to 3.16"));
}

#[test]
fn search_filter_words() {
    let out = stdout_of(&["search", "^PyList", "k:fn", "since:<=3.2"]);
    assert!(out.lines().count() > 5);
    assert!(
        out.lines()
            .all(|l| l.starts_with("PyList") && l.contains("function") && l.contains("since 3.2")),
        "{out}"
    );
    abiscope()
        .args(["search", "kind:funtion"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("'kind:funtion': unknown kind"));
}

#[test]
fn diff_lists_what_changed() {
    insta::assert_snapshot!(stdout_of(&["diff", "3.14", "3.16", "--json"]));
    let text = stdout_of(&["diff", "3.12", "3.13"]);
    assert!(text.contains("Entered the Limited API: ") && text.contains("PyList_GetItemRef"));
    abiscope()
        .args(["diff", "3.13", "3.12"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("older version first"));
}

#[test]
fn every_command_has_its_manual_page() {
    let main = stdout_of(&["man"]);
    assert!(main.contains("abiscope\\-check(1)"), "{main}");
    for command in ["search", "show", "list", "diff", "tree", "check", "config", "docs"] {
        let page = stdout_of(&["man", command]);
        assert!(page.contains(&format!(".TH abiscope-{command} 1")), "{page}");
        assert!(page.contains(&format!("abiscope {command}")), "{page}");
    }
}

/// Removed names in a source and on standard input: `check` reports them
/// with the release that removed them and what to use instead.
#[test]
fn check_reports_removed_names_with_their_removal_and_alternatives() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let source = dir.path().join("old.c");
    std::fs::write(
        &source,
        "#include <Python.h>\n\
         static PyObject *f(PyObject *callable, PyObject *args, PyObject *s) {\n\
         \x20   const void *u = PyUnicode_AS_UNICODE(s);\n\
         \x20   (void)u;\n\
         \x20   return PyEval_CallObject(callable, args);\n\
         }\n",
    )
    .expect("write the source");
    let expect = |json: &serde_json::Value, how: &str| {
        let uses = json["uses"].as_array().expect("uses");
        for (name, removed, first) in [
            ("PyEval_CallObject", "Removed in 3.13", "PyObject_CallObject"),
            ("PyUnicode_AS_UNICODE", "Removed in 3.12", "PyUnicode_AsWideCharString"),
        ] {
            let u = uses
                .iter()
                .find(|u| u["name"] == name)
                .unwrap_or_else(|| panic!("{how}: {name} is not reported"));
            assert_eq!(u["verdict"], "not-limited", "{how}: {u}");
            assert!(u["reason"].as_str().is_some_and(|r| r.contains(removed)), "{how}: {u}");
            assert_eq!(u["alternatives"][0], first, "{how}: {u}");
        }
    };
    let out = abiscope()
        .args(["check", "--target", "abi3=3.9", "--json"])
        .arg(&source)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    expect(&serde_json::from_slice(&out).expect("JSON"), "source");
    let out = abiscope()
        .args(["check", "-", "--target", "abi3=3.9", "--json"])
        .write_stdin("PyEval_CallObject\nPyUnicode_AS_UNICODE\n")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    expect(&serde_json::from_slice(&out).expect("JSON"), "stdin");
    let text = String::from_utf8(
        abiscope()
            .args(["check", "-", "--target", "abi3=3.9"])
            .write_stdin("PyEval_CallObject\n")
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone(),
    )
    .expect("UTF-8");
    assert!(
        text.contains("Removed in 3.13") && text.contains("instead: PyObject_CallObject"),
        "{text}"
    );
}

/// `diff 3.11 3.13` lists what was really removed in 3.12 and 3.13, and
/// nothing the 3.15 headers still declare.
#[test]
fn diff_lists_only_what_was_really_removed() {
    let v = json_of(&["diff", "3.11", "3.13", "--json"]);
    let listed = |group: &str| -> Vec<String> {
        v[group]
            .as_object()
            .into_iter()
            .flat_map(|o| o.values())
            .flat_map(|names| names.as_array().into_iter().flatten())
            .filter_map(|n| n.as_str().map(str::to_string))
            .collect()
    };
    let removed: Vec<String> = listed("removed").into_iter().chain(listed("became_abi_only")).collect();
    for name in [
        "PyUnicode_AS_UNICODE",
        "PyEval_CallObject",
        "PyEval_CallObjectWithKeywords",
        "_PyObject_FastCall",
    ] {
        assert!(removed.iter().any(|n| n == name), "{name} missing from {removed:?}");
    }
    let catalog = abiscope::catalog::Catalog::embedded();
    for name in &removed {
        let item = catalog.get(name).expect("a catalog name");
        assert!(
            item.last_seen
                .is_some_and(|l| l < abiscope::catalog::Version::new(3, 15)),
            "{name} is listed as removed, but the 3.15 release has it"
        );
    }
    for still in ["Py_DebugFlag", "Py_UNICODE", "PySys_SetArgv", "Py_UTF8Mode"] {
        assert!(!removed.iter().any(|n| n == still), "{still} is listed as removed");
    }
}
