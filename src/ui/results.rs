//! The results pane: one row per hit with the matched characters
//! highlighted, a kind badge, the tier and the Stable ABI version.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use super::{fit, pane, scroll_into_view, styled};
use crate::app::{App, Focus};
use crate::catalog::Kind;
use crate::tree::Tree;

/// A short kind badge that fits a fixed column.
fn kind_badge(kind: Kind) -> &'static str {
    match kind {
        Kind::Function => "fn",
        Kind::Variable => "var",
        Kind::Macro => "macro",
        Kind::Constant => "const",
        Kind::Type => "type",
        Kind::Struct => "struct",
        Kind::Enumerator => "enum",
        Kind::FeatureMacro => "feature",
    }
}

pub fn render(frame: &mut Frame<'_>, app: &mut App, theme: &Theme, area: Rect) {
    let node = app.tree_view.selected();
    let title = if node == Tree::ROOT {
        " Results ".to_string()
    } else {
        format!(" Results in {} ", app.tree.node(node).title)
    };
    let block = pane(title, app.focus == Focus::Results, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = usize::from(inner.height);
    app.results_scroll = scroll_into_view(app.results_scroll, app.selected, height);
    if app.hits().is_empty() {
        let msg = if app.query.text().is_empty() {
            "Nothing in this section."
        } else {
            "No match."
        };
        frame.render_widget(Paragraph::new(styled(msg, theme.dim())), inner);
        return;
    }
    let width = usize::from(inner.width);
    // Kind, tier and version in fixed columns; narrow panes keep the kind only.
    let full_badges = width >= 44;
    let badge_width = if full_badges { 22 } else { 8 };
    let name_width = width.saturating_sub(badge_width + 1);
    let mut lines = Vec::with_capacity(height);
    for (row, hit) in app.hits().iter().enumerate().skip(app.results_scroll).take(height) {
        let item = &app.catalog.items()[hit.index];
        let positions = app.searcher().positions(item.name, app.query());
        let name = fit(item.name, name_width);
        let name_style = theme.tier(item.tier);
        let mut spans: Vec<Span<'_>> = name
            .chars()
            .enumerate()
            .map(|(i, c)| {
                let style = if positions.contains(&i) {
                    name_style.patch(theme.matched())
                } else {
                    name_style
                };
                styled(c.to_string(), style)
            })
            .collect();
        let used: usize = unicode_width::UnicodeWidthStr::width(name.as_str());
        spans.push(Span::raw(" ".repeat(width.saturating_sub(used + badge_width).max(1))));
        spans.push(styled(format!("{:<7}", kind_badge(item.kind)), theme.kind()));
        if full_badges {
            let since = item.stable_since.map(|v| v.to_string()).unwrap_or_default();
            spans.push(styled(format!(" {:<8}", item.tier.as_str()), theme.tier(item.tier)));
            spans.push(styled(format!(" {since:>5}"), theme.dim()));
        }
        let mut line = Line::from(spans);
        if row == app.selected {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
