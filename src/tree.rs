//! The category tree: the C API reference's table of contents with every
//! documented item under its section; "By version", the items that entered
//! the Stable ABI in each version (and what abi3t has); and the
//! undocumented items under "Undocumented", grouped by header.
//!
//! A plain data structure (no rendering, no selection state): the CLI
//! prints it, the explorer's tree pane keeps its own view state over it.

use std::collections::BTreeMap;

use crate::catalog::{Abi3t, Catalog, Version};

/// The title of the branch holding items the docs do not describe.
pub const UNDOCUMENTED: &str = "Undocumented";
/// The title of the branch listing items by the version they entered the Stable ABI.
pub const BY_VERSION: &str = "By version";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub title: String,
    /// Titles from the root down, joined by `" > "` (empty for the root).
    pub path: String,
    /// The section's page under the docs base, when it is one.
    pub url: Option<&'static str>,
    pub children: Vec<usize>,
    /// Indices of the items filed directly under this node, by name.
    pub items: Vec<usize>,
    /// Items in this node and all below it.
    pub total: usize,
}

#[derive(Debug, Clone)]
pub struct Tree {
    nodes: Vec<Node>,
}

impl Tree {
    pub const ROOT: usize = 0;

    pub fn build(catalog: &Catalog) -> Tree {
        let mut nodes = vec![Node {
            title: "C API".to_string(),
            path: String::new(),
            url: Some("c-api/index.html"),
            children: Vec::new(),
            items: Vec::new(),
            total: 0,
        }];
        let mut by_path: BTreeMap<String, usize> = BTreeMap::new();
        for section in catalog.sections() {
            let (parent, title) = section.path.rsplit_once(" > ").unwrap_or(("", section.path));
            let parent = if parent.is_empty() {
                Self::ROOT
            } else {
                by_path.get(parent).copied().unwrap_or(Self::ROOT)
            };
            let id = push(&mut nodes, parent, title, section.path.to_string(), section.url);
            by_path.insert(section.path.to_string(), id);
        }
        let mut undocumented: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (index, item) in catalog.items().iter().enumerate() {
            match item.section.and_then(|s| by_path.get(s)) {
                Some(&node) => nodes[node].items.push(index),
                None => undocumented
                    .entry(item.header.unwrap_or("no header"))
                    .or_default()
                    .push(index),
            }
        }
        // By version: what entered the Stable ABI in each version, and what
        // the free-threaded Stable ABI (from 3.15) has.
        let mut by_version: BTreeMap<Version, Vec<usize>> = BTreeMap::new();
        for (index, item) in catalog.items().iter().enumerate() {
            if let Some(v) = item.stable_since {
                by_version.entry(v).or_default().push(index);
            }
        }
        let branch = push(&mut nodes, Self::ROOT, BY_VERSION, BY_VERSION.to_string(), None);
        for (v, items) in by_version {
            let node = push(&mut nodes, branch, &v.to_string(), format!("{BY_VERSION} > {v}"), None);
            nodes[node].items = items;
        }
        let abi3t: Vec<usize> = catalog
            .items()
            .iter()
            .enumerate()
            .filter(|(_, i)| i.is_stable_abi() && matches!(i.abi3t, Some(Abi3t::Available | Abi3t::Opaque)))
            .map(|(n, _)| n)
            .collect();
        let title = format!("abi3t {}", crate::target::ABI3T_FIRST);
        let node = push(&mut nodes, branch, &title, format!("{BY_VERSION} > {title}"), None);
        nodes[node].items = abi3t;
        if !undocumented.is_empty() {
            let branch = push(&mut nodes, Self::ROOT, UNDOCUMENTED, UNDOCUMENTED.to_string(), None);
            for (header, items) in undocumented {
                let node = push(&mut nodes, branch, header, format!("{UNDOCUMENTED} > {header}"), None);
                nodes[node].items = items;
            }
        }
        let mut tree = Tree { nodes };
        tree.count(Self::ROOT);
        // Items appear under their section and under "By version": the root
        // counts each once.
        tree.nodes[Self::ROOT].total = catalog.items().len();
        tree
    }

    fn count(&mut self, node: usize) -> usize {
        let children = self.nodes[node].children.clone();
        let total = self.nodes[node].items.len() + children.into_iter().map(|c| self.count(c)).sum::<usize>();
        self.nodes[node].total = total;
        total
    }

    pub fn node(&self, id: usize) -> &Node {
        &self.nodes[id]
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Every item index in the subtree of `id`, sorted, each once.
    pub fn items_under(&self, id: usize) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.nodes[id].total);
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            out.extend(&self.nodes[n].items);
            stack.extend(self.nodes[n].children.iter().rev());
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The node whose path is `path`, ignoring ASCII case, or the only node
    /// whose title is `path`.
    pub fn find(&self, path: &str) -> Option<usize> {
        let by_path = self.nodes.iter().position(|n| n.path.eq_ignore_ascii_case(path));
        by_path.or_else(|| {
            let mut titled = self
                .nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.title.eq_ignore_ascii_case(path));
            let (first, _) = titled.next()?;
            titled.next().is_none().then_some(first)
        })
    }
}

fn push(nodes: &mut Vec<Node>, parent: usize, title: &str, path: String, url: Option<&'static str>) -> usize {
    let id = nodes.len();
    nodes.push(Node {
        title: title.to_string(),
        path,
        url,
        children: Vec::new(),
        items: Vec::new(),
        total: 0,
    });
    nodes[parent].children.push(id);
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_is_filed_and_the_root_counts_each_once() {
        let catalog = Catalog::embedded();
        let tree = Tree::build(&catalog);
        assert_eq!(tree.items_under(Tree::ROOT).len(), catalog.items().len());
        assert_eq!(tree.node(Tree::ROOT).total, catalog.items().len());
        // Outside "By version", each item sits in exactly one place.
        let by_version = tree.find(BY_VERSION).expect("a By version branch");
        let filed: usize = tree
            .node(Tree::ROOT)
            .children
            .iter()
            .filter(|&&c| c != by_version)
            .map(|&c| tree.node(c).total)
            .sum();
        assert_eq!(filed, catalog.items().len());
    }

    #[test]
    fn by_version_lists_what_entered_the_stable_abi_then() {
        let catalog = Catalog::embedded();
        let tree = Tree::build(&catalog);
        let node = tree.find("By version > 3.13").expect("a 3.13 node");
        let names: Vec<&str> = tree
            .items_under(node)
            .iter()
            .map(|&i| catalog.items()[i].name)
            .collect();
        assert!(names.contains(&"PyList_GetItemRef"));
        assert!(
            tree.items_under(node)
                .iter()
                .all(|&i| catalog.items()[i].stable_since == Some(Version::new(3, 13)))
        );
        let abi3t = tree.find("By version > abi3t 3.15").expect("an abi3t node");
        assert!(
            tree.items_under(abi3t)
                .iter()
                .all(|&i| catalog.items()[i].abi3t.is_some())
        );
    }

    #[test]
    fn sections_nest_under_their_parents() {
        let tree = Tree::build(&Catalog::embedded());
        let buffer = tree
            .find("Abstract Objects Layer > Buffer Protocol")
            .expect("the buffer protocol section");
        let items = tree.items_under(buffer);
        let catalog = Catalog::embedded();
        assert!(items.iter().any(|&i| catalog.items()[i].name == "PyBuffer_FillInfo"));
        let abstract_layer = tree.find("Abstract Objects Layer").expect("a top-level section");
        assert!(tree.node(abstract_layer).children.contains(&buffer));
    }

    #[test]
    fn undocumented_items_are_grouped_by_header() {
        let catalog = Catalog::embedded();
        let tree = Tree::build(&catalog);
        let branch = tree.find(UNDOCUMENTED).expect("an Undocumented branch");
        for &child in &tree.node(branch).children {
            let node = tree.node(child);
            for &i in &node.items {
                let item = &catalog.items()[i];
                assert!(item.section.is_none());
                assert_eq!(item.header.unwrap_or("no header"), node.title);
            }
        }
    }
}
