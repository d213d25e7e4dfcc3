//! The results pane: one row per hit with the matched characters
//! highlighted, a kind badge, the tier and the Stable ABI version (for a
//! removed name, dimmed, "removed" and the release that removed it).

use super::Canvas;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use super::{draw_row, fit, pane, scroll_into_view, styled};
use crate::app::{App, Focus};
use crate::catalog::Kind;
use crate::tree::Tree;

/// The status of a removed name, beside the release that removed it.
const REMOVED: &str = "removed";

/// The kind in a column of `width` (7, or 3 when the pane is narrow).
fn kind_badge(kind: Kind, width: usize) -> &'static str {
    let (full, short) = match kind {
        Kind::Function => ("fn", "fn"),
        Kind::Variable => ("var", "var"),
        Kind::Macro => ("macro", "mac"),
        Kind::Constant => ("const", "con"),
        Kind::Type => ("type", "typ"),
        Kind::Struct => ("struct", "st"),
        Kind::Enumerator => ("enum", "enu"),
        Kind::FeatureMacro => ("feature", "ftm"),
    };
    if width >= 7 { full } else { short }
}

/// The columns after the name: the kind (dropped first, then abbreviated
/// rather than losing the rest), the tier or the verdict (the CLI's words),
/// and the Stable ABI version. From an 80-column terminal on, the verdict
/// and the version always show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Columns {
    kind: usize,
    status: usize,
}

impl Columns {
    /// The full kind shows when the name keeps this many columns, the
    /// abbreviated one down to `NAME_SHORT`.
    const NAME: usize = 24;
    const NAME_SHORT: usize = 14;

    /// `status`: the longest tier or verdict among the rows shown.
    fn for_width(width: usize, status: usize) -> Option<Columns> {
        let fixed = 1 + status + 5;
        for (kind, name) in [(7, Self::NAME), (3, Self::NAME_SHORT)] {
            if width >= name + fixed + 1 + kind {
                return Some(Columns { kind, status });
            }
        }
        (width >= 10 + fixed).then_some(Columns { kind: 0, status })
    }

    fn width(self) -> usize {
        let kind = if self.kind > 0 { self.kind + 1 } else { 0 };
        kind + 1 + self.status + 5
    }
}

pub fn render(canvas: &mut Canvas<'_>, app: &mut App, theme: &Theme, area: Rect) {
    let node = app.tree_view.selected();
    let title = if node == Tree::ROOT {
        " Results ".to_string()
    } else {
        format!(" Results in {} ", app.tree.node(node).title)
    };
    let block = pane(title, app.focus == Focus::Results, theme);
    let inner = block.inner(area);
    canvas.render_widget(block, area);
    let height = usize::from(inner.height);
    app.results_scroll = scroll_into_view(app.results_scroll, app.selected, height);
    app.rank_to(app.results_scroll + height);
    if app.hits().is_empty() {
        let msg = if app.hidden() > 0 {
            let key = app.keymap.hint(crate::keymap::Action::ToggleUnusable, app.typing());
            format!(
                "No usable match: {} hidden ({} shows them).",
                app.hidden(),
                key.unwrap_or_else(|| "toggle_unusable".into())
            )
        } else if app.query.text().is_empty() {
            "Nothing in this section.".to_string()
        } else {
            "No match.".to_string()
        };
        canvas.render_widget(Paragraph::new(styled(msg, theme.dim())), inner);
        return;
    }
    let width = usize::from(inner.width);
    // Kind, tier or verdict and version in fixed columns; panes too narrow
    // for them (below 80 columns) keep the kind only.
    let height_shown = app.hits().len().saturating_sub(app.results_scroll).min(height);
    let status_width = app.hits()[app.results_scroll..app.results_scroll + height_shown]
        .iter()
        .map(|h| match app.verdict(h.index) {
            _ if app.catalog.items()[h.index].is_removed() => REMOVED.len(),
            Some(v) => v.as_str().len(),
            None => app.catalog.items()[h.index].tier.as_str().len(),
        })
        .max()
        .unwrap_or(0);
    let columns = Columns::for_width(width, status_width);
    let badge_width = columns.map_or(8, Columns::width);
    let name_width = width.saturating_sub(badge_width + 1);
    let rows = (inner.y..inner.bottom()).map(|y| Rect { y, height: 1, ..inner });
    for (rect, (row, hit)) in rows.zip(app.hits().iter().enumerate().skip(app.results_scroll)) {
        let item = &app.catalog.items()[hit.index];
        let positions = app.searcher().positions(item.name(), app.query());
        let name = fit(item.name(), name_width);
        let verdict = app.verdict(hit.index);
        // What the target cannot use, and what is gone, is dimmed (or
        // hidden, with `h`).
        let unusable = verdict.is_some_and(|v| !v.is_usable()) || item.is_removed();
        let name_style = if unusable { theme.dim() } else { theme.tier(item.tier) };
        // Runs of matched and unmatched characters, one span each.
        let mut spans: Vec<Span<'_>> = Vec::new();
        let mut run = String::new();
        let mut run_matched = false;
        for (i, c) in name.chars().enumerate() {
            let matched = positions.binary_search(&i).is_ok();
            if matched != run_matched && !run.is_empty() {
                let style = if run_matched {
                    name_style.patch(theme.matched())
                } else {
                    name_style
                };
                spans.push(styled(std::mem::take(&mut run), style));
            }
            run_matched = matched;
            run.push(c);
        }
        let style = if run_matched {
            name_style.patch(theme.matched())
        } else {
            name_style
        };
        spans.push(styled(run, style));
        let mut badge = Vec::new();
        match columns {
            None => badge.push(styled(format!(" {:<7}", kind_badge(item.kind, 7)), theme.kind())),
            Some(c) => {
                if c.kind > 0 {
                    let kind = kind_badge(item.kind, c.kind);
                    badge.push(styled(format!(" {kind:<w$}", w = c.kind), theme.kind()));
                }
                // A removed name reads "removed 3.12" in these columns.
                let (status, style) = match verdict {
                    _ if item.is_removed() => (REMOVED, theme.dim()),
                    Some(v) => (v.as_str(), super::detail::verdict_style(v, theme)),
                    None => (item.tier.as_str(), theme.tier(item.tier)),
                };
                badge.push(styled(format!(" {status:<w$}", w = c.status), style));
                let since = item
                    .removed_in
                    .or(item.stable_since)
                    .map(|v| v.to_string())
                    .unwrap_or_default();
                badge.push(styled(format!(" {since:>4}"), theme.dim()));
            }
        }
        let selected = (row == app.selected).then(|| theme.selected());
        draw_row(canvas, rect, &Line::from(spans), &Line::from(badge), selected);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_and_version_fit_from_80_columns() {
        // The results pane's inner width at 80 columns (side by side) and
        // at 120 (three columns).
        // "abi3t-unusable" is the longest verdict, "abi-only" the longest tier.
        for (width, status) in [(34, 14), (34, 8), (43, 14), (43, 8)] {
            let c = Columns::for_width(width, status).expect("columns");
            assert!(width - c.width() >= 12, "{width}: {c:?}");
        }
        assert_eq!(Columns::for_width(60, 8).map(|c| c.kind), Some(7));
        assert_eq!(Columns::for_width(41, 7).map(|c| c.kind), Some(3));
        assert_eq!(Columns::for_width(43, 14).map(|c| c.kind), Some(3));
        assert_eq!(Columns::for_width(20, 14), None);
    }
}
