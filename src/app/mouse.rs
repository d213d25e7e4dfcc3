//! The mouse: a click selects the row under it, the wheel scrolls the
//! pane under the pointer.

use super::{App, Focus};

impl App {
    pub(super) fn click(&mut self, x: u16, y: u16) {
        let pos = ratatui::layout::Position { x, y };
        let row_in = |r: Option<ratatui::layout::Rect>| {
            r.filter(|r| r.contains(pos) && y > r.y)
                .map(|r| usize::from(y - r.y - 1))
        };
        if let Some(row) = row_in(self.areas.results) {
            self.focus = Focus::Results;
            if self.results_scroll + row < self.hits.len() {
                self.select(self.results_scroll + row);
            }
        } else if let Some(row) = row_in(self.areas.tree) {
            self.focus = Focus::Tree;
            let target = self.tree_scroll + row;
            self.tree_changed(|view, _| view.select_row(target));
        } else if row_in(self.areas.detail).is_some() {
            self.focus = Focus::Detail;
        } else if y == 0 {
            self.focus = Focus::Search;
        }
    }

    pub(super) fn wheel(&mut self, x: u16, y: u16, down: bool) {
        let pos = ratatui::layout::Position { x, y };
        let delta = if down { 3 } else { -3 };
        let inside = |r: Option<ratatui::layout::Rect>| r.is_some_and(|r| r.contains(pos));
        if inside(self.areas.results) {
            self.select(self.selected.saturating_add_signed(delta));
        } else if inside(self.areas.tree) {
            self.tree_changed(|view, _| view.move_by(delta));
        } else if inside(self.areas.detail) {
            let scroll = i32::from(self.detail.scroll) + i32::try_from(delta).unwrap_or(0);
            self.detail.scroll = u16::try_from(scroll.max(0)).unwrap_or(0);
        }
    }
}
