//! The category tree pane: the reference's sections with their item
//! counts; the selected section scopes the results.

use super::Canvas;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::theme::Theme;
use super::{draw_row, fit, pane, scroll_into_view, styled};
use crate::app::{App, Focus, tree_view::Row};

/// The pane as last drawn, and what it was drawn from: while the user
/// types, only the results and the detail change, and the tree's cells are
/// copied instead of drawn again. One cache serves one theme.
#[derive(Debug, Default)]
pub struct TreePane {
    drawn: Option<(Drawn, Buffer)>,
}

/// Everything the pane's cells depend on, besides the theme and the
/// catalog's tree, which stay the same for an explorer's run.
#[derive(Debug)]
struct Drawn {
    view: View,
    rows: Vec<Row>,
}

/// Where the pane is and what of it is selected and scrolled to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct View {
    area: Rect,
    focused: bool,
    scroll: usize,
    selected_row: usize,
}

pub fn render(canvas: &mut Canvas<'_>, app: &mut App, theme: &Theme, area: Rect, cache: Option<&mut TreePane>) {
    let focused = app.focus == Focus::Tree;
    let block = pane(" Sections ", focused, theme);
    let inner = block.inner(area);
    let height = usize::from(inner.height);
    let selected_row = app.tree_view.selected_row();
    app.tree_scroll = scroll_into_view(app.tree_scroll, selected_row, height);
    let Some(cache) = cache else {
        canvas.render_widget(block, area);
        draw(canvas, app, theme, inner, selected_row);
        return;
    };
    // The cells the frame has of the pane; the cache holds as many.
    let area = area.intersection(canvas.area());
    let view = View {
        area,
        focused,
        scroll: app.tree_scroll,
        selected_row,
    };
    match &cache.drawn {
        Some((drawn, cells)) if drawn.view == view && drawn.rows == app.tree_view.rows() => {
            copy(cells, canvas.buffer_mut(), area);
        }
        _ => {
            canvas.render_widget(block, area);
            draw(canvas, app, theme, inner, selected_row);
            let mut cells = Buffer::empty(area);
            copy(canvas.buffer_mut(), &mut cells, area);
            let rows = app.tree_view.rows().to_vec();
            cache.drawn = Some((Drawn { view, rows }, cells));
        }
    }
}

/// The cells of `area` (inside both buffers) from one buffer to the other,
/// a row at a time.
fn copy(from: &Buffer, to: &mut Buffer, area: Rect) {
    if area.is_empty() {
        return;
    }
    let width = usize::from(area.width);
    for y in area.top()..area.bottom() {
        let (src, dst) = (from.index_of(area.x, y), to.index_of(area.x, y));
        to.content[dst..dst + width].clone_from_slice(&from.content[src..src + width]);
    }
}

fn draw(canvas: &mut Canvas<'_>, app: &App, theme: &Theme, inner: Rect, selected_row: usize) {
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
            canvas,
            rect,
            &Line::from(styled(text, style)),
            &Line::from(styled(count, theme.dim())),
            selected,
        );
    }
}
