//! The category tree: the C API reference's table of contents with every
//! documented item under its section, and "Contents of Limited API"
//! holding the whole Limited API as the docs' list does; "By version",
//! the items that entered the Stable ABI in each version (and what abi3t
//! has), and a "Removed in 3.X" branch per release for the names gone
//! from the C API (filed there only); and the undocumented items under
//! "Undocumented", grouped by header. Sections left without items are
//! not shown.
//!
//! A plain data structure (no rendering, no selection state): the CLI
//! prints it, the explorer's tree pane keeps its own view state over it.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::catalog::{Abi3t, Catalog, Tier, Version};

/// The title of the branch holding items the docs do not describe.
pub const UNDOCUMENTED: &str = "Undocumented";
/// The title of the branch listing items by the version they entered the Stable ABI.
pub const BY_VERSION: &str = "By version";
/// The docs' section listing the Limited API, which holds every Limited item.
pub const LIMITED_CONTENTS: &str = "Contents of Limited API";
/// The title prefix of the per-release branches of removed names.
pub const REMOVED_IN: &str = "Removed in";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Node {
    pub title: Cow<'static, str>,
    /// Titles from the root down, joined by `" > "` (empty for the root).
    pub path: Cow<'static, str>,
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
            title: Cow::Borrowed("C API"),
            path: Cow::Borrowed(""),
            url: Some("c-api/index.html"),
            children: Vec::new(),
            items: Vec::new(),
            total: 0,
        }];
        // Section n is node n + 1; a section's parent comes before it.
        let node_of = |section: usize| section + 1;
        for section in catalog.sections() {
            let title = section.path.rsplit_once(" > ").map_or(section.path, |(_, title)| title);
            let parent = section.parent.map_or(Self::ROOT, |p| node_of(p.into()));
            push(&mut nodes, parent, title, section.path, section.url);
        }
        let mut undocumented: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut removed: BTreeMap<Version, Vec<usize>> = BTreeMap::new();
        let mut by_version: BTreeMap<Version, Vec<usize>> = BTreeMap::new();
        let mut limited = Vec::new();
        let mut abi3t = Vec::new();
        // Room for each section's items, allocated once.
        let mut filed = vec![0; catalog.sections().len()];
        for index in 0..catalog.items().len() {
            if let Some(section) = catalog.section_of(index) {
                filed[section] += 1;
            }
        }
        for (section, n) in filed.into_iter().enumerate() {
            nodes[node_of(section)].items.reserve_exact(n);
        }
        // One pass over the items files each wherever it goes.
        for (index, item) in catalog.items().iter().enumerate() {
            if item.tier == Tier::Limited {
                limited.push(index);
            }
            if let Some(v) = item.stable_since {
                by_version.entry(v).or_default().push(index);
            }
            if item.is_stable_abi() && matches!(item.abi3t, Some(Abi3t::Available | Abi3t::Opaque)) {
                abi3t.push(index);
            }
            if let Some(v) = item.removed_in {
                removed.entry(v).or_default().push(index);
                continue;
            }
            match catalog.section_of(index) {
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
        let branch = push(&mut nodes, Self::ROOT, BY_VERSION, BY_VERSION, None);
        for (v, items) in by_version {
            let node = push(&mut nodes, branch, v.to_string(), format!("{BY_VERSION} > {v}"), None);
            nodes[node].items = items;
        }
        let title = format!("abi3t {}", crate::target::ABI3T_FIRST);
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
            let branch = push(&mut nodes, Self::ROOT, UNDOCUMENTED, UNDOCUMENTED, None);
            for (header, items) in undocumented {
                let node = push(&mut nodes, branch, header, format!("{UNDOCUMENTED} > {header}"), None);
                nodes[node].items = items;
            }
        }
        let mut tree = Tree { nodes };
        tree.count();
        tree.prune();
        // Items appear under their section and under "By version" (Limited
        // ones under "Contents of Limited API" too): the root counts each once.
        tree.nodes[Self::ROOT].total = catalog.items().len();
        tree
    }

    /// Drops the sections left without items (pages of prose, such as
    /// "Language version compatibility"), renumbering the rest.
    fn prune(&mut self) {
        let mut old = std::mem::take(&mut self.nodes);
        let mut stack = vec![(Self::ROOT, None::<usize>)];
        while let Some((id, parent)) = stack.pop() {
            // Each node is reached once, from its parent.
            let mut node = std::mem::take(&mut old[id]);
            let children = std::mem::take(&mut node.children);
            let new_id = self.nodes.len();
            self.nodes.push(node);
            if let Some(p) = parent {
                self.nodes[p].children.push(new_id);
            }
            for &c in children.iter().rev().filter(|&&c| old[c].total > 0) {
                stack.push((c, Some(new_id)));
            }
        }
    }

    /// Sets every node's total. Children come after their parent, so
    /// going backwards counts each child before its parent.
    fn count(&mut self) {
        for id in (0..self.nodes.len()).rev() {
            let below: usize = self.nodes[id].children.iter().map(|&c| self.nodes[c].total).sum();
            self.nodes[id].total = self.nodes[id].items.len() + below;
        }
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

fn push(
    nodes: &mut Vec<Node>,
    parent: usize,
    title: impl Into<Cow<'static, str>>,
    path: impl Into<Cow<'static, str>>,
    url: Option<&'static str>,
) -> usize {
    let id = nodes.len();
    nodes.push(Node {
        title: title.into(),
        path: path.into(),
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
        // Outside "By version" and the Limited API list, each item that is
        // not removed sits in exactly one place; removed ones only under
        // "By version > Removed in ...".
        let by_version = tree.find(BY_VERSION).expect("a By version branch");
        let contents = tree
            .nodes()
            .iter()
            .position(|n| n.title == LIMITED_CONTENTS)
            .expect("the Limited API list");
        let mut filed = vec![0_u32; catalog.items().len()];
        let mut stack: Vec<usize> = tree
            .node(Tree::ROOT)
            .children
            .iter()
            .copied()
            .filter(|&c| c != by_version)
            .collect();
        while let Some(n) = stack.pop() {
            if n != contents {
                for &i in &tree.node(n).items {
                    filed[i] += 1;
                }
            }
            stack.extend(&tree.node(n).children);
        }
        for (i, item) in catalog.items().iter().enumerate() {
            let expected = u32::from(!item.is_removed());
            assert_eq!(filed[i], expected, "{} is filed {} times", item.name, filed[i]);
        }
    }

    #[test]
    fn contents_of_limited_api_holds_the_limited_api() {
        let catalog = Catalog::embedded();
        let tree = Tree::build(&catalog);
        let node = tree
            .find("C API and ABI Stability > Contents of Limited API")
            .expect("the section");
        let limited = catalog.items().iter().filter(|i| i.tier == Tier::Limited).count();
        assert_eq!(tree.node(node).total, limited);
        // The docs' list names 1,179; nine of those the manifest made ABI-only.
        assert_eq!(limited, 1_170);
    }

    #[test]
    fn removed_names_have_a_branch_per_release_and_no_section_is_empty() {
        let catalog = Catalog::embedded();
        let tree = Tree::build(&catalog);
        let node = tree
            .find("By version > Removed in 3.12")
            .expect("a 3.12 removal branch");
        let names: Vec<&str> = tree
            .items_under(node)
            .iter()
            .map(|&i| catalog.items()[i].name)
            .collect();
        assert!(names.contains(&"PyUnicode_AS_UNICODE"), "{names:?}");
        assert!(
            tree.items_under(node)
                .iter()
                .all(|&i| catalog.items()[i].removed_in == Some(Version::new(3, 12)))
        );
        let empty: Vec<&str> = tree
            .nodes()
            .iter()
            .filter(|n| n.total == 0)
            .map(|n| n.path.as_ref())
            .collect();
        assert!(empty.is_empty(), "empty sections shown: {empty:?}");
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
