//! The category tree pane: the reference's sections with their item
//! counts; the selected section scopes the results.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use super::{fit, pane, scroll_into_view, styled};
use crate::app::{App, Focus};

pub fn render(frame: &mut Frame<'_>, app: &mut App, theme: &Theme, area: Rect) {
    let block = pane(" Sections ", app.focus == Focus::Tree, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = usize::from(inner.height);
    let selected_row = app.tree_view.selected_row();
    app.tree_scroll = scroll_into_view(app.tree_scroll, selected_row, height);
    let width = usize::from(inner.width);
    let lines: Vec<Line<'_>> = app
        .tree_view
        .rows()
        .iter()
        .enumerate()
        .skip(app.tree_scroll)
        .take(height)
        .map(|(row, r)| {
            let node = app.tree.node(r.node);
            let marker = if node.children.is_empty() {
                "  "
            } else if app.tree_view.is_expanded(r.node) {
                "▾ "
            } else {
                "▸ "
            };
            let text = format!("{}{marker}{} ", "  ".repeat(r.depth), node.title);
            let count = node.total.to_string();
            let text = fit(&text, width.saturating_sub(count.len()));
            let pad = width.saturating_sub(unicode_width::UnicodeWidthStr::width(text.as_str()) + count.len());
            let style = if r.depth <= 1 {
                theme.title()
            } else {
                ratatui::style::Style::new()
            };
            let line = Line::from(vec![
                styled(text, style),
                " ".repeat(pad).into(),
                styled(count, theme.dim()),
            ]);
            if row == selected_row {
                line.style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
