//! The category tree: the C API reference's table of contents with every
//! documented item under its section, and the undocumented items under
//! "Undocumented", grouped by header.
//!
//! A plain data structure (no rendering, no selection state): the CLI
//! prints it, the explorer's tree pane keeps its own view state over it.

use std::collections::BTreeMap;

use crate::catalog::Catalog;

/// The title of the branch holding items the docs do not describe.
pub const UNDOCUMENTED: &str = "Undocumented";

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
        if !undocumented.is_empty() {
            let branch = push(&mut nodes, Self::ROOT, UNDOCUMENTED, UNDOCUMENTED.to_string(), None);
            for (header, items) in undocumented {
                let node = push(&mut nodes, branch, header, format!("{UNDOCUMENTED} > {header}"), None);
                nodes[node].items = items;
            }
        }
        let mut tree = Tree { nodes };
        tree.count(Self::ROOT);
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

    /// Every item index in the subtree of `id`.
    pub fn items_under(&self, id: usize) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.nodes[id].total);
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            out.extend(&self.nodes[n].items);
            stack.extend(self.nodes[n].children.iter().rev());
        }
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
    fn every_item_is_filed_once_and_the_root_counts_them_all() {
        let catalog = Catalog::embedded();
        let tree = Tree::build(&catalog);
        let mut all = tree.items_under(Tree::ROOT);
        assert_eq!(all.len(), catalog.items().len());
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), catalog.items().len());
        assert_eq!(tree.node(Tree::ROOT).total, catalog.items().len());
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
