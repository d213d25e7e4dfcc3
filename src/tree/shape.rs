//! How the category tree is built from the catalog's facts: shared by
//! `build.rs`, which builds the embedded catalog's tree once into a static
//! table (so the explorer's first frame does not wait for it), and by
//! [`super::Tree::build`], which builds it at run time to check that table.
//! Both see the schema's types as `super::schema`.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::schema::{ABI3T_FIRST, Abi3t, Tier, Version};

/// The title of the branch holding items the docs do not describe.
pub const UNDOCUMENTED: &str = "Undocumented";
/// The title of the branch listing items by the version they entered the Stable ABI.
pub const BY_VERSION: &str = "By version";
/// The docs' section listing the Limited API, which holds every Limited item.
pub const LIMITED_CONTENTS: &str = "Contents of Limited API";
/// The title prefix of the per-release branches of removed names.
pub const REMOVED_IN: &str = "Removed in";

/// The root's index.
pub const ROOT: usize = 0;

/// A section of the C API reference's table of contents, in document order.
pub struct SectionFacts<'a> {
    pub path: &'a str,
    pub url: Option<&'a str>,
    /// The index of the section it is under, listed before it.
    pub parent: Option<usize>,
}

/// What the tree files an item by.
pub struct ItemFacts<'a> {
    /// The index of its section.
    pub section: Option<usize>,
    pub header: Option<&'a str>,
    pub tier: Tier,
    pub stable_since: Option<Version>,
    pub abi3t: Option<Abi3t>,
    pub removed_in: Option<Version>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Node<'a> {
    pub title: Cow<'a, str>,
    /// Titles from the root down, joined by `" > "` (empty for the root).
    pub path: Cow<'a, str>,
    /// The section's page under the docs base, when it is one.
    pub url: Option<&'a str>,
    pub children: Vec<usize>,
    /// Indices of the items filed directly under this node, by name.
    pub items: Vec<usize>,
    /// Items in this node and all below it.
    pub total: usize,
}

/// The tree's nodes, the root first, each node before its children.
pub fn build<'a>(sections: &[SectionFacts<'a>], items: &[ItemFacts<'a>]) -> Vec<Node<'a>> {
    let mut nodes = vec![Node {
        title: Cow::Borrowed("C API"),
        path: Cow::Borrowed(""),
        url: Some("c-api/index.html"),
        ..Node::default()
    }];
    // Section n is node n + 1; a section's parent comes before it.
    let node_of = |section: usize| section + 1;
    for section in sections {
        let title = section.path.rsplit_once(" > ").map_or(section.path, |(_, title)| title);
        let parent = section.parent.map_or(ROOT, node_of);
        push(&mut nodes, parent, title, section.path, section.url);
    }
    let mut undocumented: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut removed: BTreeMap<Version, Vec<usize>> = BTreeMap::new();
    let mut by_version: BTreeMap<Version, Vec<usize>> = BTreeMap::new();
    let mut limited = Vec::new();
    let mut abi3t = Vec::new();
    for (index, item) in items.iter().enumerate() {
        if item.tier == Tier::Limited {
            limited.push(index);
        }
        if let Some(v) = item.stable_since {
            by_version.entry(v).or_default().push(index);
        }
        let stable = matches!(item.tier, Tier::Limited | Tier::AbiOnly);
        if stable && matches!(item.abi3t, Some(Abi3t::Available | Abi3t::Opaque)) {
            abi3t.push(index);
        }
        if let Some(v) = item.removed_in {
            removed.entry(v).or_default().push(index);
            continue;
        }
        match item.section {
            Some(section) => nodes[node_of(section)].items.push(index),
            None => undocumented
                .entry(item.header.unwrap_or("no header"))
                .or_default()
                .push(index),
        }
    }
    // The docs' "Contents of Limited API" is a list, not entries: the
    // node holds what the list holds, the Limited API.
    if let Some(node) = nodes.iter().position(|n| n.title == LIMITED_CONTENTS) {
        nodes[node].items = limited;
    }
    // By version: what entered the Stable ABI in each version, what the
    // free-threaded Stable ABI (from 3.15) has, what each release removed.
    let branch = push(&mut nodes, ROOT, BY_VERSION, BY_VERSION, None);
    for (v, items) in by_version {
        let node = push(&mut nodes, branch, v.to_string(), format!("{BY_VERSION} > {v}"), None);
        nodes[node].items = items;
    }
    let title = format!("abi3t {ABI3T_FIRST}");
    let path = format!("{BY_VERSION} > {title}");
    let node = push(&mut nodes, branch, title, path, None);
    nodes[node].items = abi3t;
    for (v, items) in removed {
        let title = format!("{REMOVED_IN} {v}");
        let path = format!("{BY_VERSION} > {title}");
        let node = push(&mut nodes, branch, title, path, None);
        nodes[node].items = items;
    }
    if !undocumented.is_empty() {
        let branch = push(&mut nodes, ROOT, UNDOCUMENTED, UNDOCUMENTED, None);
        for (header, items) in undocumented {
            let node = push(&mut nodes, branch, header, format!("{UNDOCUMENTED} > {header}"), None);
            nodes[node].items = items;
        }
    }
    count(&mut nodes);
    let mut nodes = prune(nodes);
    // Items appear under their section and under "By version" (Limited
    // ones under "Contents of Limited API" too): the root counts each once.
    nodes[ROOT].total = items.len();
    nodes
}

/// Sets every node's total. Children come after their parent, so going
/// backwards counts each child before its parent.
fn count(nodes: &mut [Node<'_>]) {
    for id in (0..nodes.len()).rev() {
        let below: usize = nodes[id].children.iter().map(|&c| nodes[c].total).sum();
        nodes[id].total = nodes[id].items.len() + below;
    }
}

/// Drops the sections left without items (pages of prose, such as
/// "Language version compatibility"), renumbering the rest.
fn prune(mut old: Vec<Node<'_>>) -> Vec<Node<'_>> {
    let mut nodes = Vec::with_capacity(old.len());
    let mut stack = vec![(ROOT, None::<usize>)];
    while let Some((id, parent)) = stack.pop() {
        // Each node is reached once, from its parent.
        let mut node = std::mem::take(&mut old[id]);
        let children = std::mem::take(&mut node.children);
        let new_id = nodes.len();
        nodes.push(node);
        if let Some(p) = parent {
            nodes[p].children.push(new_id);
        }
        for &c in children.iter().rev().filter(|&&c| old[c].total > 0) {
            stack.push((c, Some(new_id)));
        }
    }
    nodes
}

fn push<'a>(
    nodes: &mut Vec<Node<'a>>,
    parent: usize,
    title: impl Into<Cow<'a, str>>,
    path: impl Into<Cow<'a, str>>,
    url: Option<&'a str>,
) -> usize {
    let id = nodes.len();
    nodes.push(Node {
        title: title.into(),
        path: path.into(),
        url,
        ..Node::default()
    });
    nodes[parent].children.push(id);
    id
}
