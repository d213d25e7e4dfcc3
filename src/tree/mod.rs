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

mod shape;

use std::borrow::Cow;

use crate::catalog::{Catalog, Span, Text};
// `shape` reaches the schema as `super::schema`, as it does in build.rs.
use crate::catalog::schema;
pub use shape::{BY_VERSION, LIMITED_CONTENTS, REMOVED_IN, UNDOCUMENTED};
use shape::{ItemFacts, SectionFacts};

/// A node of the tree.
pub type Node = shape::Node<'static>;

/// A node of the table `build.rs` generates (`shape::build`'s output), its
/// texts in the catalog's text and its children and items in `INDICES`.
struct StaticNode {
    title: Text,
    path: Text,
    url: Option<Text>,
    children: Span,
    items: Span,
    total: usize,
}

#[allow(clippy::unreadable_literal)] // generated places in the text and lists
mod data {
    use super::{Span, StaticNode, Text};
    include!(concat!(env!("OUT_DIR"), "/tree_data.rs"));
}

#[derive(Debug, Clone)]
pub struct Tree {
    nodes: Vec<Node>,
}

impl Tree {
    pub const ROOT: usize = shape::ROOT;

    /// The embedded catalog's tree, as `build.rs` built it.
    pub fn embedded() -> Tree {
        let indices = |v: Span| v.of(&data::INDICES).iter().map(|&n| usize::from(n)).collect();
        let nodes = data::NODES
            .iter()
            .map(|n| Node {
                title: Cow::Borrowed(n.title.get()),
                path: Cow::Borrowed(n.path.get()),
                url: n.url.map(Text::get),
                children: indices(n.children),
                items: indices(n.items),
                total: n.total,
            })
            .collect();
        Tree { nodes }
    }

    /// Builds the tree of a catalog's items, as `build.rs` does for the
    /// embedded catalog ([`Tree::embedded`]).
    pub fn build(catalog: &Catalog) -> Tree {
        let sections: Vec<SectionFacts<'_>> = catalog
            .sections()
            .iter()
            .map(|s| SectionFacts {
                path: s.path(),
                url: s.url(),
                parent: s.parent.map(usize::from),
            })
            .collect();
        let items: Vec<ItemFacts<'_>> = catalog
            .items()
            .iter()
            .enumerate()
            .map(|(n, item)| ItemFacts {
                section: catalog.section_of(n),
                header: item.header(),
                tier: item.tier,
                stable_since: item.stable_since,
                abi3t: item.abi3t,
                removed_in: item.removed_in,
            })
            .collect();
        Tree {
            nodes: shape::build(&sections, &items),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Tier, Version};

    #[test]
    fn the_table_build_rs_made_is_the_tree_of_the_items() {
        let built = Tree::build(&Catalog::embedded());
        assert!(built.nodes.len() > 300, "{} nodes", built.nodes.len());
        assert_eq!(Tree::embedded().nodes, built.nodes);
    }

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
            assert_eq!(filed[i], expected, "{} is filed {} times", item.name(), filed[i]);
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
            .map(|&i| catalog.items()[i].name())
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
            .map(|&i| catalog.items()[i].name())
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
        assert!(items.iter().any(|&i| catalog.items()[i].name() == "PyBuffer_FillInfo"));
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
                assert!(item.section().is_none());
                assert_eq!(item.header().unwrap_or("no header"), node.title);
            }
        }
    }
}
