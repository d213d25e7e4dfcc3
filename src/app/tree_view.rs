//! The tree pane's state over the category tree: which sections are
//! expanded, which row is selected, and the rows that are visible.

use std::collections::BTreeSet;

use crate::tree::Tree;

/// One visible row: a node and its depth (the root has depth 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub node: usize,
    pub depth: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeView {
    expanded: BTreeSet<usize>,
    selected: usize,
    rows: Vec<Row>,
}

impl TreeView {
    /// The root selected and expanded, so the top sections show.
    pub fn new(tree: &Tree) -> TreeView {
        let mut view = TreeView {
            expanded: BTreeSet::from([Tree::ROOT]),
            selected: Tree::ROOT,
            rows: Vec::new(),
        };
        view.refresh(tree);
        view
    }

    fn refresh(&mut self, tree: &Tree) {
        self.rows.clear();
        let mut stack = vec![Row {
            node: Tree::ROOT,
            depth: 0,
        }];
        while let Some(row) = stack.pop() {
            self.rows.push(row);
            if self.expanded.contains(&row.node) {
                let children = &tree.node(row.node).children;
                stack.extend(children.iter().rev().map(|&node| Row {
                    node,
                    depth: row.depth + 1,
                }));
            }
        }
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The selected row's position among the visible rows.
    pub fn selected_row(&self) -> usize {
        self.rows.iter().position(|r| r.node == self.selected).unwrap_or(0)
    }

    pub fn is_expanded(&self, node: usize) -> bool {
        self.expanded.contains(&node)
    }

    /// Moves the selection by `delta` rows, clamped to the visible rows.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.rows.len().saturating_sub(1);
        let row = self.selected_row().saturating_add_signed(delta).min(last);
        self.selected = self.rows.get(row).map_or(Tree::ROOT, |r| r.node);
    }

    pub fn first(&mut self) {
        self.selected = Tree::ROOT;
    }

    pub fn last(&mut self) {
        self.selected = self.rows.last().map_or(Tree::ROOT, |r| r.node);
    }

    /// Selects a node by id (from a click).
    pub fn select_row(&mut self, row: usize) {
        if let Some(r) = self.rows.get(row) {
            self.selected = r.node;
        }
    }

    /// Expands the selected section; on an expanded one, goes to its first child.
    pub fn expand(&mut self, tree: &Tree) {
        let node = tree.node(self.selected);
        if node.children.is_empty() {
            return;
        }
        if self.expanded.insert(self.selected) {
            self.refresh(tree);
        } else {
            self.selected = node.children[0];
        }
    }

    /// Collapses the selected section; on a collapsed one, goes to its parent.
    pub fn collapse(&mut self, tree: &Tree) {
        if self.selected != Tree::ROOT && self.expanded.remove(&self.selected) {
            self.refresh(tree);
            return;
        }
        let row = self.selected_row();
        let depth = self.rows.get(row).map_or(0, |r| r.depth);
        if let Some(parent) = self.rows[..row].iter().rev().find(|r| r.depth + 1 == depth) {
            self.selected = parent.node;
        }
    }

    pub fn toggle(&mut self, tree: &Tree) {
        if self.expanded.contains(&self.selected) && self.selected != Tree::ROOT {
            self.collapse(tree);
        } else {
            self.expand(tree);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    fn title(tree: &Tree, view: &TreeView) -> String {
        tree.node(view.selected()).title.to_string()
    }

    #[test]
    fn moves_expands_and_collapses() {
        let tree = Tree::build(&Catalog::embedded());
        let mut view = TreeView::new(&tree);
        let top = tree.node(Tree::ROOT).children.len();
        assert_eq!(view.rows().len(), 1 + top);
        view.move_by(1);
        assert_eq!(title(&tree, &view), "Introduction");
        view.expand(&tree);
        assert!(view.rows().len() > 1 + top);
        view.expand(&tree);
        assert_eq!(title(&tree, &view), "Useful macros");
        view.collapse(&tree);
        assert_eq!(title(&tree, &view), "Introduction");
        view.collapse(&tree);
        assert_eq!(view.rows().len(), 1 + top);
        view.collapse(&tree);
        assert_eq!(view.selected(), Tree::ROOT);
    }

    #[test]
    fn moves_stay_in_bounds() {
        let tree = Tree::build(&Catalog::embedded());
        let mut view = TreeView::new(&tree);
        view.move_by(-5);
        assert_eq!(view.selected(), Tree::ROOT);
        view.move_by(10_000);
        assert_eq!(view.selected_row(), view.rows().len() - 1);
        view.last();
        view.first();
        assert_eq!(view.selected(), Tree::ROOT);
        view.toggle(&tree);
        assert_eq!(
            view.rows().len(),
            1 + tree.node(Tree::ROOT).children.len(),
            "the root stays open"
        );
    }
}
