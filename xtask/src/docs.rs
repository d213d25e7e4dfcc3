//! The C API reference as built HTML: every `<dl class="c ...">` entry with
//! its signature and annotations, the reference's table of contents, and
//! the "Contents of Limited API" list at the end of `stable.html`.
//!
//! Only facts are read: versions, reference kinds, thread-safety levels,
//! links between entries, titles of sections. The prose stays upstream.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result, bail};
use scraper::{ElementRef, Html, Selector};

use crate::cdecl;
use crate::notes::{self, NoteKind, Removal, SectionNotes, collapse, versions_in};
use crate::schema::{Returns, SectionRecord, ThreadSafety, Version};

/// One documented C entry (a `<dt id="c.NAME">` and its shared `<dd>`).
#[derive(Debug, Clone, Default)]
pub struct DocEntry {
    /// The anchor name, dotted for nested entries (`PyObject.ob_type`).
    pub name: String,
    /// `function`, `macro`, `type`, `struct`, `var`, `member`, `enumerator`.
    pub role: String,
    /// The page, e.g. `c-api/buffer.html`.
    pub page: String,
    /// The declaration as one normalised line, when it is one.
    pub signature: Option<String>,
    pub stable: Option<StableNote>,
    pub returns: Option<Returns>,
    pub thread_safety: Option<ThreadSafety>,
    /// The entry's own "Added in" notes, in document order.
    pub added: Vec<Version>,
    /// The innermost section note "Added in" that covers the entry.
    pub section_added: Option<Version>,
    pub changed_in: Vec<Version>,
    pub deprecated_in: Option<Version>,
    pub soft_deprecated_in: Option<Version>,
    /// "Removed in version Y", or "will be removed in version Y".
    pub removal: Option<Removal>,
    /// `c.` anchors its deprecation notes recommend instead.
    pub replacements: Vec<String>,
    /// Marked as Unstable API.
    pub unstable: bool,
    /// What the entry's own paragraphs say of the returned reference
    /// ("Return a new strong reference"), when they say one thing only.
    pub prose_returns: Option<Returns>,
    /// `c.` anchors the entry's own text links to, in order, self excluded.
    pub links: Vec<String>,
    /// The path of the innermost section holding the entry.
    pub section: Option<String>,
}

/// The "Part of the Stable ABI ..." annotation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StableNote {
    pub since: Option<Version>,
    /// "This macro is available when compiling for the Stable ABI".
    pub available_macro: bool,
    /// "(including all members)".
    pub all_members: bool,
    /// "(as an opaque struct)".
    pub opaque: bool,
    /// "on Windows", "on platforms with `fork()`".
    pub platform: Option<String>,
}

#[derive(Debug, Default)]
pub struct Docs {
    pub entries: BTreeMap<String, DocEntry>,
    /// Names listed under "Contents of Limited API", members dotted.
    pub limited_list: Vec<String>,
    /// The table of contents in document order.
    pub sections: Vec<SectionRecord>,
    /// Section paths of `c.` anchors that are no entry of their own (names
    /// documented in prose or tables, such as `Py_nb_add`), by anchor name.
    pub anchor_sections: BTreeMap<String, String>,
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("bad selector {s}: {e}"))
}

impl Docs {
    pub fn load(html_root: &Path) -> Result<Self> {
        let capi = html_root.join("c-api");
        let mut pages: BTreeMap<String, Html> = BTreeMap::new();
        for entry in std::fs::read_dir(&capi).with_context(|| format!("reading {}", capi.display()))? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "html") {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
                pages.insert(name, Html::parse_document(&text));
            }
        }
        if !pages.contains_key("index.html") || !pages.contains_key("stable.html") {
            bail!("{} lacks index.html or stable.html", capi.display());
        }
        let outlines: BTreeMap<&str, Outline> = pages.iter().map(|(n, h)| (n.as_str(), Outline::read(h))).collect();
        let mut walk = TocWalk {
            outlines: &outlines,
            sections: Vec::new(),
            paths: BTreeMap::new(),
            seen: BTreeSet::new(),
        };
        let roots: Vec<(String, Option<String>)> = outlines["index.html"]
            .tops
            .iter()
            .flat_map(SectionNode::toctree_children)
            .collect();
        for (page, anchor) in roots {
            walk.page(&page, anchor.as_deref(), "");
        }
        let mut docs = Docs {
            sections: walk.sections,
            ..Docs::default()
        };
        for (page, html) in &pages {
            read_entries(page, html, &walk.paths, &mut docs.entries);
            read_anchors(page, html, &walk.paths, &mut docs.anchor_sections);
        }
        docs.limited_list = limited_list(&pages["stable.html"])?;
        Ok(docs)
    }
}

/// A page's top-level sections as trees (most pages have one; a few, such
/// as `sys.html`, have several that toctrees list as `page.html#anchor`).
struct Outline {
    tops: Vec<SectionNode>,
}

#[derive(Default)]
struct SectionNode {
    id: String,
    title: String,
    /// Toctree entries directly in this section: a page, and the top-level
    /// section it points at when the link has an anchor.
    pages: Vec<(String, Option<String>)>,
    children: Vec<SectionNode>,
}

impl SectionNode {
    fn toctree_children(&self) -> Vec<(String, Option<String>)> {
        let mut out = self.pages.clone();
        for c in &self.children {
            out.extend(c.toctree_children());
        }
        out
    }
}

impl Outline {
    fn read(html: &Html) -> Outline {
        let tops = html
            .select(&sel("div.body"))
            .next()
            .map(|body| {
                body.select(&sel("section"))
                    .filter(|s| {
                        !s.ancestors()
                            .filter_map(ElementRef::wrap)
                            .any(|a| a.value().name() == "section")
                    })
                    .map(read_section)
                    .collect()
            })
            .unwrap_or_default();
        Outline { tops }
    }
}

fn read_section(section: ElementRef<'_>) -> SectionNode {
    let mut node = SectionNode {
        id: section.value().id().unwrap_or_default().to_string(),
        ..Default::default()
    };
    for child in section.children().filter_map(ElementRef::wrap) {
        let tag = child.value().name();
        if matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6") && node.title.is_empty() {
            node.title = heading_text(child);
        } else if tag == "section" {
            node.children.push(read_section(child));
        } else {
            let wrapper = sel("div.toctree-wrapper");
            let wrappers = std::iter::once(child)
                .filter(|c| c.value().classes().any(|k| k == "toctree-wrapper"))
                .chain(child.select(&wrapper));
            let link = sel("li.toctree-l1 > a");
            for w in wrappers {
                for a in w.select(&link) {
                    if let Some(href) = a.value().attr("href") {
                        let (page, anchor) = match href.split_once('#') {
                            Some((p, a)) => (p, Some(a.to_string())),
                            None => (href, None),
                        };
                        node.pages.push((page.to_string(), anchor));
                    }
                }
            }
        }
    }
    node
}

fn heading_text(h: ElementRef<'_>) -> String {
    let mut s = String::new();
    for node in h.descendants() {
        if let Some(text) = node.value().as_text() {
            let inside_headerlink = node
                .ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| a.value().classes().any(|c| c == "headerlink"));
            if !inside_headerlink {
                s.push_str(text);
            }
        }
    }
    collapse(&s)
}

/// Walks the table of contents from `index.html` down, emitting each page's
/// sections (and the pages its toctrees list, where they are listed) in
/// document order and recording each section's path.
struct TocWalk<'a> {
    outlines: &'a BTreeMap<&'a str, Outline>,
    sections: Vec<SectionRecord>,
    paths: BTreeMap<(String, String), String>,
    seen: BTreeSet<String>,
}

impl TocWalk<'_> {
    /// Walks the top-level section a toctree entry points at.
    fn page(&mut self, page: &str, anchor: Option<&str>, parent: &str) {
        let outlines = self.outlines;
        let Some(outline) = outlines.get(page) else {
            return;
        };
        let top = match anchor {
            None => outline.tops.first(),
            Some(a) => outline.tops.iter().find(|t| t.id == a),
        };
        let Some(top) = top else { return };
        if self.seen.insert(format!("{page}#{}", top.id)) {
            let first = outline.tops.first().is_some_and(|f| f.id == top.id);
            self.section(page, top, parent, first);
        }
    }

    fn section(&mut self, page: &str, node: &SectionNode, parent: &str, page_top: bool) {
        let path = if parent.is_empty() {
            node.title.clone()
        } else {
            format!("{parent} > {}", node.title)
        };
        let url = if page_top {
            format!("c-api/{page}")
        } else {
            format!("c-api/{page}#{}", node.id)
        };
        self.sections.push(SectionRecord {
            path: path.clone(),
            url: Some(url),
        });
        self.paths.insert((page.to_string(), node.id.clone()), path.clone());
        for (child_page, anchor) in &node.pages {
            self.page(child_page, anchor.as_deref(), &path);
        }
        for child in &node.children {
            self.section(page, child, &path, false);
        }
    }
}

fn read_entries(
    page: &str,
    html: &Html,
    section_paths: &BTreeMap<(String, String), String>,
    entries: &mut BTreeMap<String, DocEntry>,
) {
    let section_notes = SectionNotes::read(html);
    for dl in html.select(&sel("dl.c")) {
        let Some(role) = dl.value().classes().find(|c| *c != "c").map(str::to_string) else {
            continue;
        };
        let dts: Vec<ElementRef<'_>> = dl
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|e| e.value().name() == "dt")
            .collect();
        let Some(dd) = dl
            .children()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().name() == "dd")
        else {
            continue;
        };
        let mut shared = read_dd(dl, dd);
        shared.role = role;
        shared.page = format!("c-api/{page}");
        shared.section = section_of(dl, page, section_paths);
        let group: Vec<String> = dts
            .iter()
            .filter_map(|dt| dt.value().id()?.strip_prefix("c.").map(str::to_string))
            .collect();
        let version_notes = notes::entry_notes(dl, dd);
        for dt in dts {
            let Some(name) = dt.value().id().and_then(|id| id.strip_prefix("c.")) else {
                continue;
            };
            let mut entry = shared.clone();
            entry.name = name.to_string();
            entry.signature = signature_of(dt, &entry.role);
            for note in version_notes.iter().filter(|n| n.dates(name, &group)) {
                apply_note(&mut entry, note);
            }
            entry.changed_in.sort();
            entry.changed_in.dedup();
            entry.section_added = section_notes.added_for(dl, name);
            let own = name.to_string();
            entry.links.retain(|l| *l != own);
            entry.replacements.retain(|l| *l != own);
            entries.entry(own).or_insert(entry);
        }
    }
}

fn apply_note(e: &mut DocEntry, note: &notes::VersionNote) {
    match note.kind {
        NoteKind::Added => e.added.extend(note.version),
        NoteKind::Changed => e.changed_in.extend(note.version),
        NoteKind::Deprecated => {
            e.deprecated_in = e.deprecated_in.or(note.version);
            e.removal = e.removal.or(note.removal);
        }
        NoteKind::SoftDeprecated => e.soft_deprecated_in = e.soft_deprecated_in.or(note.version),
    }
    if matches!(note.kind, NoteKind::Deprecated | NoteKind::SoftDeprecated) {
        for r in &note.replacements {
            if !e.replacements.contains(r) {
                e.replacements.push(r.clone());
            }
        }
    }
}

/// The path of the innermost section holding `el`.
fn section_of(el: ElementRef<'_>, page: &str, section_paths: &BTreeMap<(String, String), String>) -> Option<String> {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "section")
        .and_then(|s| s.value().id())
        .and_then(|id| section_paths.get(&(page.to_string(), id.to_string())).cloned())
}

fn read_anchors(
    page: &str,
    html: &Html,
    section_paths: &BTreeMap<(String, String), String>,
    anchors: &mut BTreeMap<String, String>,
) {
    for el in html.select(&sel("[id^=\"c.\"]")).filter(|e| e.value().name() != "dt") {
        let Some(name) = el.value().id().and_then(|id| id.strip_prefix("c.")) else {
            continue;
        };
        if let Some(path) = section_of(el, page, section_paths) {
            anchors.entry(name.to_string()).or_insert(path);
        }
    }
}

/// The `dl.c` an element belongs to: its nearest `dl.c` ancestor.
fn owner(el: ElementRef<'_>) -> Option<ElementRef<'_>> {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "dl" && a.value().classes().any(|c| c == "c"))
}

fn read_dd(dl: ElementRef<'_>, dd: ElementRef<'_>) -> DocEntry {
    let mine = |el: &ElementRef<'_>| owner(*el).is_some_and(|o| o.id() == dl.id());
    let mut e = DocEntry::default();
    for em in dd
        .children()
        .filter_map(ElementRef::wrap)
        .filter(|c| c.value().name() == "em")
    {
        let classes: Vec<&str> = em.value().classes().collect();
        let text = collapse(&em.text().collect::<String>());
        if classes.contains(&"stableabi") {
            e.stable = Some(parse_stable(&text));
        } else if classes.contains(&"refcount") {
            e.returns = if classes.contains(&"return_new_ref") {
                Some(Returns::New)
            } else if classes.contains(&"return_borrowed_ref") {
                Some(Returns::Borrowed)
            } else if classes.contains(&"return_null") {
                Some(Returns::Null)
            } else {
                None
            };
        } else if classes.contains(&"threadsafety") {
            e.thread_safety = classes
                .iter()
                .find_map(|c| c.strip_prefix("threadsafety-"))
                .and_then(|level| level.parse().ok());
        }
    }
    e.unstable = dd
        .children()
        .filter_map(ElementRef::wrap)
        .any(|c| c.value().classes().any(|k| k == "unstable-c-api"));
    e.prose_returns = prose_returns(dd);
    for a in dd.select(&sel("a.reference.internal")).filter(|a| mine(a)) {
        let Some(href) = a.value().attr("href") else {
            continue;
        };
        let Some((_, frag)) = href.split_once('#') else {
            continue;
        };
        if let Some(name) = frag.strip_prefix("c.")
            && !e.links.iter().any(|l| l == name)
        {
            e.links.push(name.to_string());
        }
    }
    e
}

/// "new reference" / "strong reference" against "borrowed reference" in
/// the `<dd>`'s own paragraphs; `None` when they say both or neither
/// ("like X, but returns a strong reference instead of a borrowed one").
fn prose_returns(dd: ElementRef<'_>) -> Option<Returns> {
    let text: String = dd
        .children()
        .filter_map(ElementRef::wrap)
        .filter(|c| c.value().name() == "p")
        .map(|p| p.text().collect::<String>().to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    let text = collapse(&text);
    let new = text.contains("new reference") || text.contains("strong reference");
    let borrowed = text.contains("borrowed reference");
    match (new, borrowed) {
        (true, false) => Some(Returns::New),
        (false, true) => Some(Returns::Borrowed),
        _ => None,
    }
}

fn parse_stable(text: &str) -> StableNote {
    let platform = [
        "on Windows",
        "on platforms with fork()",
        "on platforms with native thread IDs",
    ]
    .into_iter()
    .find(|p| text.contains(p))
    .map(str::to_string);
    StableNote {
        since: text
            .split("since version ")
            .nth(1)
            .and_then(|v| versions_in(v).first().copied()),
        available_macro: text.contains("available when compiling for the"),
        all_members: text.contains("including all members"),
        opaque: text.contains("as an opaque struct"),
        platform,
    }
}

/// The entry's declaration, or `None` where the docs print only a role
/// word and the name (`type PyObject`, `enumerator X`).
fn signature_of(dt: ElementRef<'_>, role: &str) -> Option<String> {
    let mut text = String::new();
    for node in dt.descendants() {
        if let Some(t) = node.value().as_text() {
            let in_headerlink = node
                .ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| a.value().classes().any(|c| c == "headerlink"));
            if !in_headerlink {
                text.push_str(t);
            }
        }
    }
    let mut sig = cdecl::normalise(&text);
    // `f()` in the docs is `f(void)` in the headers, and in C before C23.
    if role == "function" && sig.ends_with("()") {
        sig.insert_str(sig.len() - 1, "void");
    }
    let words: Vec<&str> = sig.split(' ').collect();
    let role_word_only = words.len() == 2 && matches!(words[0], "type" | "struct" | "union" | "enumerator" | "enum");
    let bare_name = words.len() == 1 && role != "macro";
    (!sig.is_empty() && !role_word_only && !bare_name).then_some(sig)
}

/// The names listed under "Contents of Limited API" (none before 3.10).
fn limited_list(stable: &Html) -> Result<Vec<String>> {
    // The list exists from the 3.10 docs on.
    let Some(section) = stable.select(&sel("section#contents-of-limited-api")).next() else {
        return Ok(Vec::new());
    };
    let names: Vec<String> = section
        .select(&sel("li"))
        .filter_map(|li| li.select(&sel("code")).next())
        .map(|code| {
            collapse(&code.text().collect::<String>())
                .trim_end_matches("()")
                .to_string()
        })
        .collect();
    if names.is_empty() {
        bail!("the 'Contents of Limited API' list is empty");
    }
    Ok(names)
}
