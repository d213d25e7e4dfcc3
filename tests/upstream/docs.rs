//! The catalog's documentation links against the shipped HTML of each
//! release: every anchor exists, every entry renders through the docs
//! reader.

use std::collections::{BTreeMap, BTreeSet};

use abiscope::catalog::{Catalog, Version};
use libtest_mimic::Failed;

use crate::common::{self, Upstream};
use crate::verdict;

/// Every link, against the HTML of the release it names: the 3.15 docs
/// for `https://docs.python.org/3/`, the older release's for names only
/// its docs describe (`https://docs.python.org/3.11/...`).
pub fn doc_url_anchors_exist(up: &Upstream) -> Result<(), Failed> {
    let catalog = Catalog::embedded();
    let base = abiscope::catalog::DOCS_BASE;
    let mut inventories: BTreeMap<Option<Version>, BTreeSet<String>> = BTreeMap::new();
    let mut pages: BTreeMap<(Option<Version>, String), Option<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut elsewhere = 0;
    let urls = catalog
        .items()
        .iter()
        .filter_map(|i| i.doc_url().map(|u| (i.name(), u.to_string())))
        .chain(
            catalog
                .sections()
                .iter()
                .filter_map(|s| s.url().map(|u| (s.path(), format!("{base}{u}")))),
        );
    for (owner, url) in urls {
        let Some((version, rel)) = abiscope::catalog::doc_path(&url) else {
            problems.push(format!("{owner}: {url} is not a docs.python.org URL"));
            continue;
        };
        let html = if let Some(v) = version {
            if let Some(dir) = up.release(&v.to_string()) {
                dir.join("doc-html")
            } else {
                problems.push(format!("{owner}: {url} names release {v}, which is not read"));
                continue;
            }
        } else {
            up.html()
        };
        let (page, anchor) = rel.split_once('#').unwrap_or((rel, ""));
        let text = pages
            .entry((version, page.to_string()))
            .or_insert_with(|| std::fs::read_to_string(html.join(page)).ok());
        if let Some(text) = text {
            checked += 1;
            if !anchor.is_empty() && !text.contains(&format!("id=\"{anchor}\"")) {
                problems.push(format!("{owner}: no anchor #{anchor} in {page}"));
            }
        } else {
            // Pages outside the shipped C API reference (howto/, using/):
            // the URL must at least be the one objects.inv gives.
            elsewhere += 1;
            let inventory = inventories
                .entry(version)
                .or_insert_with(|| common::inventory(&html).into_iter().map(|(_, _, uri)| uri).collect());
            let known = if anchor.is_empty() {
                inventory.iter().any(|uri| uri.starts_with(page))
            } else {
                inventory.contains(rel)
            };
            if !known {
                problems.push(format!("{owner}: {rel} is neither shipped nor in objects.inv"));
            }
        }
    }
    println!(
        "{checked} links checked against the HTML of their release, {elsewhere} outside the shipped pages checked against objects.inv"
    );
    verdict("broken documentation links", &problems)
}

/// Every catalog item with a documentation URL, through the docs reader:
/// its entry is found and renders to text, at a narrow and a wide width.
/// Pages the shipped HTML lacks (outside the C API reference) are counted
/// and must all be outside `c-api/`.
pub fn every_entry_renders(up: &Upstream) -> Result<(), Failed> {
    use abiscope::docs::{Docs, Missing, render};
    let catalog = Catalog::embedded();
    // The docs of each release, opened when a link first names it.
    let mut opened: BTreeMap<Option<Version>, Docs> = BTreeMap::new();
    let mut problems = Vec::new();
    let (mut rendered, mut outside) = (0, 0);
    for item in catalog.items().iter().filter(|i| i.doc_url().is_some()) {
        let version = item
            .doc_url()
            .and_then(abiscope::catalog::doc_path)
            .and_then(|(v, _)| v);
        let docs = match opened.entry(version) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => {
                let html = match version {
                    None => up.html(),
                    Some(v) => up
                        .release(&v.to_string())
                        .ok_or("a release the catalog names")?
                        .join("doc-html"),
                };
                e.insert(Docs::open(&html).map_err(|err| format!("opening {}: {err}", html.display()))?)
            }
        };
        match docs.entry(&catalog, item) {
            Ok(Ok(blocks)) => {
                let narrow = render::render(&blocks, 30);
                let wide = render::render(&blocks, 120);
                let text: String = wide.lines.iter().map(render::Rendered::plain).collect();
                if text.trim().is_empty() || narrow.lines.is_empty() {
                    problems.push(format!("{}: empty text", item.name()));
                }
                if narrow.links != wide.links {
                    problems.push(format!("{}: links depend on the width", item.name()));
                }
                rendered += 1;
            }
            Ok(Err(Missing::NotInDocs(why))) if why.contains("have no page") && !why.contains("c-api/") => outside += 1,
            Ok(Err(missing)) => problems.push(format!("{}: {missing}", item.name())),
            Err(e) => problems.push(format!("{}: {e}", item.name())),
        }
    }
    println!("{rendered} entries rendered; {outside} items documented on pages outside c-api/ (not shipped)");
    verdict("entries that do not render", &problems)
}
