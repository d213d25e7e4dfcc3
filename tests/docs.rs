//! The full documentation text from local Python docs. The tests write a
//! small docs tree with the same HTML structure as Sphinx's output for the
//! C API reference (their own sentences, not copied), then read it as a
//! directory, as a `.zip` and as a `.tar.bz2`, through the command line and
//! through the explorer.

mod common;

use common::screen;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use abiscope::app::{App, DocsState};
use abiscope::catalog::{Catalog, Item};
use abiscope::docs::{self, Docs};
use abiscope::keymap::{Keymap, parse_sequence};
use abiscope::target::Target;

const BIN: &str = env!("CARGO_BIN_EXE_abiscope");

fn page(title: &str, version: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\" />\n\
         <title>{title} &#8212; Python {version} documentation</title>\n\
         <script>var x = \"<dt id='c.PyBuffer_FillInfo'>\";</script></head>\n\
         <body><div class=\"body\" role=\"main\"><section id=\"s\"><h1>{title}</h1>\n{body}\n</section></div></body></html>\n"
    )
}

const FILL_INFO: &str = r##"<dl class="c function">
<dt class="sig sig-object c" id="c.PyBuffer_FillInfo">
<span class="kt"><span class="pre">int</span></span><span class="w"> </span><span class="sig-name descname"><span class="n"><span class="pre">PyBuffer_FillInfo</span></span></span><span class="sig-paren">(</span><a class="reference internal" href="#c.Py_buffer" title="Py_buffer"><span class="n"><span class="pre">Py_buffer</span></span></a><span class="w"> </span><span class="p"><span class="pre">*</span></span><span class="n"><span class="pre">view</span></span><span class="sig-paren">)</span><a class="headerlink" href="#c.PyBuffer_FillInfo" title="Link to this definition">¶</a><br /></dt>
<dd><em class="stableabi"> Part of the <a class="reference internal" href="stable.html#stable"><span class="std std-ref">Stable ABI</span></a> since version 3.11.</em><p>Fills <em>view</em> for an exporter that shares
<em>len</em> bytes at <em>buf</em>.</p>
<p>On success <code class="docutils literal notranslate"><span class="pre">view-&gt;obj</span></code> holds a new reference; give the view back with <a class="reference internal" href="#c.PyBuffer_Release" title="PyBuffer_Release"><code class="xref c c-func docutils literal notranslate"><span class="pre">PyBuffer_Release()</span></code></a>.</p>
<div class="highlight-c notranslate"><div class="highlight"><pre><span></span><span class="n">Py_buffer</span><span class="w"> </span><span class="n">view</span><span class="p">;</span>
<span class="k">if</span><span class="w"> </span><span class="p">(</span><span class="n">PyBuffer_FillInfo</span><span class="p">(</span><span class="o">&amp;</span><span class="n">view</span><span class="p">,</span><span class="w"> </span><span class="nb">NULL</span><span class="p">,</span><span class="w"> </span><span class="n">buf</span><span class="p">,</span><span class="w"> </span><span class="n">len</span><span class="p">,</span><span class="w"> </span><span class="mi">1</span><span class="p">,</span><span class="w"> </span><span class="mi">0</span><span class="p">)</span><span class="w"> </span><span class="o">&lt;</span><span class="w"> </span><span class="mi">0</span><span class="p">)</span><span class="w"> </span><span class="p">{</span>
<span class="w">    </span><span class="k">return</span><span class="w"> </span><span class="nb">NULL</span><span class="p">;</span>
<span class="p">}</span>
</pre></div></div>
<ul class="simple">
<li><p><em>readonly</em> is 0 or 1;</p></li>
<li><p><em>flags</em> combines <code class="docutils literal notranslate"><span class="pre">PyBUF_*</span></code> values.</p></li>
</ul>
<div class="admonition note">
<p class="admonition-title">Note</p>
<p>Keep the exporter alive while the view is in use.</p>
</div>
<div class="versionchanged">
<p><span class="versionmodified changed">Changed in version 3.12: </span>The <em>exporter</em> may be <code class="docutils literal notranslate"><span class="pre">NULL</span></code>.</p>
</div>
</dd></dl>
"##;

const RELEASE: &str = r##"<dl class="c function">
<dt class="sig sig-object c" id="c.PyBuffer_Release">
<span class="kt"><span class="pre">void</span></span><span class="w"> </span><span class="sig-name descname"><span class="n"><span class="pre">PyBuffer_Release</span></span></span><span class="sig-paren">(</span><span class="sig-paren">)</span><a class="headerlink" href="#c.PyBuffer_Release" title="Link to this definition">¶</a><br /></dt>
<dd><p>Gives the view back and drops its reference to the exporter; see <a class="reference internal" href="#c.Py_buffer" title="Py_buffer"><code class="xref c c-type docutils literal notranslate"><span class="pre">Py_buffer</span></code></a>.</p>
</dd></dl>
<dl class="c struct">
<dt class="sig sig-object c" id="c.Py_buffer">
<span class="k"><span class="pre">type</span></span><span class="w"> </span><span class="sig-name descname"><span class="n"><span class="pre">Py_buffer</span></span></span><a class="headerlink" href="#c.Py_buffer" title="Link to this definition">¶</a><br /></dt>
<dd><p>A view of an exporter's memory.</p>
<dl class="c member">
<dt class="sig sig-object c" id="c.Py_buffer.buf">
<span class="kt"><span class="pre">void</span></span><span class="w"> </span><span class="p"><span class="pre">*</span></span><span class="sig-name descname"><span class="n"><span class="pre">buf</span></span></span><a class="headerlink" href="#c.Py_buffer.buf" title="Link to this definition">¶</a><br /></dt>
<dd><p>Where the shared memory starts.</p>
</dd></dl>
</dd></dl>
"##;

const LIST_OLD: &str = r#"<dl class="c function">
<dt class="sig sig-object c" id="c.PyList_GetItem">
<span class="sig-name descname"><span class="n"><span class="pre">PyList_GetItem</span></span></span><br /></dt>
<dd><p>The item at <em>index</em>, borrowed.</p></dd></dl>
"#;

/// Writes a docs tree for `version` under `dir` (the directory holding
/// `c-api/`); the 3.12 tree lacks `PyList_GetItemRef` (added in 3.13).
fn write_tree(dir: &Path, version: &str) -> PathBuf {
    let c_api = dir.join("c-api");
    std::fs::create_dir_all(&c_api).expect("docs dir");
    let write = |name: &str, text: String| std::fs::write(c_api.join(name), text).expect("page");
    write("index.html", page("Python/C API reference manual", version, ""));
    write(
        "buffer.html",
        page("Buffer Protocol", version, &format!("{FILL_INFO}{RELEASE}")),
    );
    write("list.html", page("List Objects", version, LIST_OLD));
    dir.to_path_buf()
}

fn abiscope(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .env_remove("ABISCOPE_CONFIG")
        .env("XDG_CONFIG_HOME", dir.join("no-config"))
        .env("NO_COLOR", "1")
        .output()
        .expect("abiscope runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The part of `show --doc` after the facts.
fn doc_part(out: &Output) -> String {
    let text = stdout(out);
    let at = text.find("  Documentation").expect("a documentation part");
    text[at..].to_string()
}

#[test]
fn show_doc_prints_the_entry() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write_tree(&tmp.path().join("python-docs"), "3.14.1");
    let out = abiscope(
        tmp.path(),
        &["show", "PyBuffer_FillInfo", "--doc", "--docs", "python-docs"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    insta::assert_snapshot!(doc_part(&out));

    let out = abiscope(
        tmp.path(),
        &["show", "Py_buffer", "--doc", "--docs", "python-docs", "--json"],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["doc"]["source"], "Python 3.14.1 docs, python-docs");
    let text = json["doc"]["text"].as_str().expect("text");
    assert!(
        text.starts_with("A view of an exporter's memory.\n\nvoid *buf\n    Where the shared memory starts."),
        "{text}"
    );
    assert!(json["doc"]["missing"].is_null());
}

#[test]
fn archives_are_read_in_place_with_the_same_text() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let tree = write_tree(&tmp.path().join("python-3.14.1-docs-html"), "3.14.1");
    let from_dir = doc_part(&abiscope(
        tmp.path(),
        &[
            "show",
            "PyBuffer_FillInfo",
            "--doc",
            "--docs",
            "python-3.14.1-docs-html",
        ],
    ));

    // The download's layout: everything under python-X.Y.Z-docs-html/.
    let files: Vec<(String, Vec<u8>)> = ["index.html", "buffer.html", "list.html"]
        .iter()
        .map(|name| {
            let data = std::fs::read(tree.join("c-api").join(name)).expect("page");
            (format!("python-3.14.1-docs-html/c-api/{name}"), data)
        })
        .collect();
    let zip_path = tmp.path().join("python-3.14.1-docs-html.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).expect("zip"));
    for (name, data) in &files {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .expect("member");
        zip.write_all(data).expect("write");
    }
    zip.finish().expect("zip done");
    // A name without a version: it comes from the pages' titles.
    std::fs::copy(&zip_path, tmp.path().join("docs.zip")).expect("copy");

    let tar_path = tmp.path().join("python-3.14.1-docs-html.tar.bz2");
    let encoder = bzip2::write::BzEncoder::new(
        std::fs::File::create(&tar_path).expect("tar"),
        bzip2::Compression::fast(),
    );
    let mut tar = tar::Builder::new(encoder);
    for (name, data) in &files {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, name, data.as_slice()).expect("tar member");
    }
    tar.into_inner().expect("tar done").finish().expect("bz2 done");

    let strip = |s: &str| s.lines().skip(1).collect::<Vec<_>>().join("\n");
    for archive in [
        "python-3.14.1-docs-html.zip",
        "docs.zip",
        "python-3.14.1-docs-html.tar.bz2",
    ] {
        let out = abiscope(tmp.path(), &["show", "PyBuffer_FillInfo", "--doc", "--docs", archive]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{archive}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = doc_part(&out);
        assert!(
            text.starts_with(&format!("  Documentation (Python 3.14.1 docs, {archive})")),
            "{text}"
        );
        assert_eq!(strip(&text), strip(&from_dir), "{archive}");
    }
    let out = abiscope(tmp.path(), &["docs", "--docs", "python-3.14.1-docs-html.tar.bz2"]);
    assert_eq!(
        stdout(&out).lines().next(),
        Some("* 3.14.1   tar.bz2   python-3.14.1-docs-html.tar.bz2  (given)")
    );
}

#[test]
fn the_newest_docs_are_chosen_and_older_ones_say_what_they_lack() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let old = write_tree(&tmp.path().join("python3.12").join("html"), "3.12.9");
    let new = write_tree(&tmp.path().join("python3.14").join("html"), "3.14.1");
    let not_docs = tmp.path().join("python3-other");
    std::fs::create_dir_all(&not_docs).expect("dir");
    let places = vec![old.clone(), not_docs, new.clone(), new.clone()];
    let found = docs::discover(&places);
    let versions: Vec<String> = found
        .iter()
        .map(|f| f.version.as_ref().map(ToString::to_string).unwrap_or_default())
        .collect();
    assert_eq!(
        versions,
        vec!["3.14.1", "3.12.9"],
        "newest first, each once, non-docs skipped"
    );
    let chosen = docs::locate(None, &places).expect("readable").expect("found");
    assert_eq!(chosen.path, new);
    assert!(docs::locate(None, &[]).expect("nothing to read").is_none());

    let catalog = Catalog::embedded();
    let mut older = Docs::open(&old).expect("opens");
    let item = catalog.get("PyList_GetItemRef").expect("catalog item");
    let missing = older
        .entry(&catalog, item)
        .expect("readable")
        .expect_err("not in 3.12 docs");
    assert_eq!(
        missing.to_string(),
        "The Python 3.12.9 docs predate PyList_GetItemRef (added in 3.13): the catalog describes Python 3.15.2."
    );
    let page_missing = older
        .entry(&catalog, catalog.get("PyDict_New").expect("item"))
        .expect("readable");
    assert!(
        page_missing
            .expect_err("no dict page")
            .to_string()
            .ends_with("have no page c-api/dict.html.")
    );
    let undocumented = catalog
        .items()
        .iter()
        .find(|i| i.doc_url().is_none())
        .expect("an undocumented item");
    assert_eq!(
        older.entry(&catalog, undocumented).expect("readable"),
        Err(docs::Missing::Undocumented)
    );
}

#[test]
fn a_bad_docs_path_is_a_clear_error() {
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::write(tmp.path().join("notes.txt"), "hello").expect("file");
    std::fs::create_dir_all(tmp.path().join("empty")).expect("dir");
    std::fs::write(tmp.path().join("broken.zip"), "PK not really").expect("file");
    for (path, says) in [
        ("missing", "missing: no such file or directory"),
        ("notes.txt", "notes.txt: not Python's HTML documentation"),
        ("empty", "empty: no c-api/ directory here"),
        ("broken.zip", "broken.zip: not a zip archive"),
    ] {
        let out = abiscope(tmp.path(), &["show", "PyList_New", "--doc", "--docs", path]);
        assert_eq!(out.status.code(), Some(2), "{path}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{path}: {err}");
    }
}

fn press(app: &mut App, keys: &str) {
    for key in parse_sequence(keys).expect("valid keys") {
        let _ = app.key(key);
    }
}

#[test]
fn the_detail_pane_shows_the_text_and_follows_its_links() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let tree = write_tree(&tmp.path().join("docs"), "3.14.1");
    let mut app = App::new(
        Catalog::embedded(),
        Keymap::default(),
        "PyBuffer_FillInfo",
        Target::default(),
    );
    app.set_docs(DocsState::Ready(Box::new(Docs::open(&tree).expect("opens"))));
    // The detail pane alone, at a width where the docs' path (a temporary
    // directory) stays on one line.
    let shown = screen(&mut app, 200, 60);
    let left = shown
        .lines()
        .nth(1)
        .and_then(|l| l.char_indices().find(|(_, c)| *c == '┌').map(|_| l))
        .and_then(|l| l.rfind("┌ PyBuffer_FillInfo"))
        .map(|byte| shown.lines().nth(1).unwrap_or_default()[..byte].chars().count())
        .expect("the detail pane");
    let pane: Vec<String> = shown
        .lines()
        .map(|l| {
            let text: String = l.chars().skip(left).collect();
            text.trim_end_matches(['│', '┐', '┘', ' ']).trim_end().to_string()
        })
        .collect();
    insta::assert_snapshot!(pane.join("\n").replace(&tree.display().to_string(), "DOCS"));

    // The detail pane's links: the facts' (see also PyBUF_WRITABLE), then
    // the text's (PyBuffer_Release).
    press(&mut app, "<Enter><Down><Enter>");
    assert_eq!(app.detail_item().map(Item::name), Some("PyBuffer_Release"));
    assert!(screen(&mut app, 140, 60).contains("Gives the view back and drops its reference"));
    // There: see also PyObject_GetBuffer, then Py_buffer in the text.
    press(&mut app, "<Down><Enter>");
    assert_eq!(
        app.detail_item().map(Item::name),
        Some("Py_buffer"),
        "a link inside the text"
    );
    press(&mut app, "<BS><BS>");
    assert_eq!(app.detail_item().map(Item::name), Some("PyBuffer_FillInfo"));
}

#[test]
fn without_docs_the_pane_says_how_to_get_them() {
    let mut app = App::new(Catalog::embedded(), Keymap::default(), "PyList_New", Target::default());
    app.set_docs(DocsState::Absent);
    let shown = screen(&mut app, 140, 40);
    assert!(shown.contains("Full text offline: apt install python3-doc"), "{shown}");
    app.set_docs(DocsState::Broken("nowhere: no such file or directory".to_string()));
    assert!(screen(&mut app, 140, 40).contains("Docs: nowhere: no such file or directory"));
}

#[test]
fn debian_python3_doc_is_found_where_it_installs() {
    let installed = docs::usual_places()
        .iter()
        .any(|p| p.starts_with("/usr/share/doc") && p.join("c-api").is_dir());
    if !installed {
        let msg = "skipped: no python3-doc under /usr/share/doc (apt-get install python3-doc)";
        assert!(std::env::var_os("ABISCOPE_REQUIRE_TOOLS").is_none(), "{msg}");
        eprintln!("{msg}");
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let listed = stdout(&abiscope(tmp.path(), &["docs"]));
    let first = listed.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("* 3.") && first.contains("directory /usr/share/doc/python3"),
        "{listed}"
    );
    let out = abiscope(tmp.path(), &["show", "PyList_GetItem", "--doc"]);
    let text = doc_part(&out);
    assert!(text.starts_with("  Documentation (Python 3."), "{text}");
    assert!(text.contains("index"), "the entry's text:\n{text}");
    assert!(text.lines().count() > 3, "{text}");
}

/// With Debian's own (older) docs, no item is said to be newer than the
/// docs unless it was added after their version, and entries under plain
/// anchors (`METH_VARARGS`, the `Py_TPFLAGS_*` flags) are found.
#[test]
fn older_real_docs_say_predate_only_for_newer_items() {
    let Some(place) = docs::usual_places()
        .into_iter()
        .find(|p| p.starts_with("/usr/share/doc") && p.join("c-api").is_dir())
    else {
        let msg = "skipped: no python3-doc under /usr/share/doc (apt-get install python3-doc)";
        assert!(std::env::var_os("ABISCOPE_REQUIRE_TOOLS").is_none(), "{msg}");
        eprintln!("{msg}");
        return;
    };
    let catalog = Catalog::embedded();
    let mut found = Docs::open(&place).expect("the Debian docs open");
    let version = found.version.clone().expect("a version");
    let (major, minor) = version.minor();
    let (mut text, mut predate, mut absent, mut no_page) = (0, 0, 0, 0);
    for item in catalog.items() {
        match found.entry(&catalog, item).expect("readable") {
            Ok(_) => text += 1,
            Err(missing) => {
                let why = missing.to_string();
                if why.contains("predate") {
                    predate += 1;
                    let added = item.added_in.expect("a predate message names the version");
                    assert!(
                        (u32::from(added.major), u32::from(added.minor)) > (major, minor),
                        "{}: {why}",
                        item.name()
                    );
                } else if why.contains("have no page") {
                    no_page += 1;
                } else {
                    absent += 1;
                }
            }
        }
    }
    eprintln!(
        "{version}: {text} entries with text, {predate} newer than the docs, {no_page} on pages these docs lack, \
         {absent} without an entry"
    );
    for name in ["METH_VARARGS", "Py_TPFLAGS_HEAPTYPE", "Py_TPFLAGS_BASETYPE"] {
        let item = catalog.get(name).expect("in the catalog");
        assert!(found.entry(&catalog, item).expect("readable").is_ok(), "{name}");
    }
}

fn app_with_docs(tree: &Path, query: &str) -> App {
    let mut app = App::new(Catalog::embedded(), Keymap::default(), query, Target::default());
    app.set_docs(DocsState::Ready(Box::new(Docs::open(tree).expect("opens"))));
    app
}

fn effects(app: &mut App, keys: &str) -> Vec<abiscope::app::Effect> {
    parse_sequence(keys)
        .expect("valid keys")
        .into_iter()
        .filter_map(|k| app.key(k))
        .collect()
}

#[test]
fn code_examples_are_never_wrapped_and_are_copied_whole() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let tree = write_tree(&tmp.path().join("docs"), "3.15.2");
    let mut app = app_with_docs(&tree, "PyBuffer_FillInfo");
    press(&mut app, "<enter>");
    let shown = screen(&mut app, 60, 80);
    let cut = shown
        .lines()
        .find(|l| l.contains("if (PyBuffer_FillInfo("))
        .unwrap_or_else(|| panic!("the code line:\n{shown}"));
    assert!(cut.contains('→'), "cut with a mark, not wrapped:\n{shown}");
    assert!(
        !shown.contains("\n│&view") && !shown.contains("len, 1, 0) < 0"),
        "{shown}"
    );
    insta::assert_snapshot!(shown.replace(&tree.display().to_string(), "DOCS"));
    // Right scrolls the code sideways.
    press(&mut app, "<right><right><right>");
    let scrolled = screen(&mut app, 60, 80);
    assert!(scrolled.contains("len, 1, 0) < 0)"), "{scrolled}");
    assert!(scrolled.contains('←'), "{scrolled}");
    // The copy menu lists the example; its key copies all of it.
    press(&mut app, "c");
    assert!(screen(&mut app, 60, 80).contains("code example 1: Py_buffer view;"));
    let copied = effects(&mut app, "1");
    assert_eq!(
        copied,
        [abiscope::app::Effect::Copy {
            what: abiscope::snippets::CopyWhat::Code,
            text: "Py_buffer view;\nif (PyBuffer_FillInfo(&view, NULL, buf, len, 1, 0) < 0) {\n    return NULL;\n}"
                .into()
        }]
    );
}

#[test]
fn find_in_the_entry_highlights_and_steps_through_matches() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let tree = write_tree(&tmp.path().join("docs"), "3.15.2");
    let mut app = app_with_docs(&tree, "PyBuffer_FillInfo");
    press(&mut app, "<C-f>exporter");
    assert_eq!(app.query.text(), "PyBuffer_FillInfo", "the find has its own text");
    let shown = screen(&mut app, 100, 40);
    let count = app.find.as_ref().map_or(0, |f| f.count);
    assert!(count >= 3, "{count}:\n{shown}");
    assert!(shown.contains(&format!("find: exporter  1/{count}")), "{shown}");
    press(&mut app, "<enter>");
    assert!(screen(&mut app, 100, 40).contains(&format!("find: exporter  2/{count}")));
    press(&mut app, "<esc>");
    assert!(app.find.is_none());
    insta::assert_snapshot!(shown.replace(&tree.display().to_string(), "DOCS"));
}

#[test]
fn the_text_mode_searches_every_entry() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let tree = write_tree(&tmp.path().join("docs"), "3.15.2");
    let mut app = app_with_docs(&tree, "");
    press(&mut app, "<A-f>drops its REFERENCE");
    assert_eq!(app.searching, abiscope::app::SearchIn::Text);
    let names: Vec<&str> = app.hits().iter().map(|h| app.catalog.items()[h.index].name()).collect();
    assert_eq!(names, ["PyBuffer_Release"]);
    let shown = screen(&mut app, 120, 30);
    assert!(shown.starts_with("text› drops its REFERENCE"), "{shown}");
    press(&mut app, "<A-f>");
    assert_eq!(app.searching, abiscope::app::SearchIn::Names);
    // Without docs it says how to get them.
    let mut bare = App::new(Catalog::embedded(), Keymap::default(), "", Target::default());
    bare.set_docs(DocsState::Absent);
    press(&mut bare, "<A-f>");
    assert_eq!(bare.searching, abiscope::app::SearchIn::Names);
    let (message, _) = bare.status.clone().expect("a message");
    assert!(message.contains("needs the docs"), "{message}");
}

#[test]
fn search_text_lists_the_entries_with_the_phrase() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let tree = write_tree(&tmp.path().join("docs"), "3.15.2");
    let docs = tree.display().to_string();
    let out = abiscope(tmp.path(), &["--docs", &docs, "search", "--text", "new reference"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.starts_with("PyBuffer_FillInfo") && text.contains("  1  "),
        "{text}"
    );
    assert!(text.contains("holds a new reference"), "{text}");
    let json = abiscope(
        tmp.path(),
        &["--docs", &docs, "search", "--text", "the exporter", "--json"],
    );
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(rows[0]["name"], "PyBuffer_FillInfo");
    let none = abiscope(tmp.path(), &["--docs", &docs, "search", "--text", "no such words"]);
    assert_eq!(none.status.code(), Some(1));
}

#[test]
fn open_docs_opens_the_local_page() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let tree = write_tree(&tmp.path().join("docs"), "3.15.2");
    let mut app = app_with_docs(&tree, "PyBuffer_FillInfo");
    let page = tree.canonicalize().expect("a path").join("c-api/buffer.html");
    assert_eq!(
        effects(&mut app, "<C-o>"),
        [abiscope::app::Effect::Open(format!(
            "file://{}#c.PyBuffer_FillInfo",
            page.display()
        ))]
    );
}
