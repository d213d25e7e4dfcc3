//! The category tree pane: the reference's sections with their item
//! counts; the selected section scopes the results.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::theme::Theme;
use super::{draw_row, fit, pane, scroll_into_view, styled};
use crate::app::{App, Focus};

pub fn render(frame: &mut Frame<'_>, app: &mut App, theme: &Theme, area: Rect) {
    let block = pane(" Sections ", app.focus == Focus::Tree, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = usize::from(inner.height);
    let selected_row = app.tree_view.selected_row();
    app.tree_scroll = scroll_into_view(app.tree_scroll, selected_row, height);
    let width = usize::from(inner.width);
    let rows = (inner.y..inner.bottom()).map(|y| Rect { y, height: 1, ..inner });
    for (rect, (row, r)) in rows.zip(app.tree_view.rows().iter().enumerate().skip(app.tree_scroll)) {
        let node = app.tree.node(r.node);
        let marker = if node.children.is_empty() {
            "  "
        } else if app.tree_view.is_expanded(r.node) {
            "▾ "
        } else {
            "▸ "
        };
        let count = format!(" {}", node.total);
        let text = fit(
            &format!("{}{marker}{}", "  ".repeat(r.depth), node.title),
            width.saturating_sub(count.len()),
        );
        let style = if r.depth <= 1 {
            theme.title()
        } else {
            ratatui::style::Style::new()
        };
        let selected = (row == selected_row).then(|| theme.selected());
        draw_row(
            frame,
            rect,
            Line::from(styled(text, style)),
            Line::from(styled(count, theme.dim())),
            selected,
        );
    }
}
