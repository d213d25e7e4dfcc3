//! The results pane: one row per hit with the matched characters
//! highlighted, a kind badge, the tier and the Stable ABI version.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use super::{draw_row, fit, pane, scroll_into_view, styled};
use crate::app::{App, Focus};
use crate::catalog::Kind;
use crate::target::Verdict;
use crate::tree::Tree;

/// A short verdict badge that fits the tier's column.
fn verdict_badge(v: Verdict) -> &'static str {
    match v {
        Verdict::Usable => "usable",
        Verdict::PlatformOnly => "platform",
        Verdict::TooNew => "too new",
        Verdict::Abi3tUnusable => "!abi3t",
        Verdict::AbiOnly => "abi-only",
        Verdict::NotLimited => "!limited",
    }
}

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
    app.rank_to(app.results_scroll + height);
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
    let badge_width = if full_badges { 23 } else { 8 };
    let name_width = width.saturating_sub(badge_width + 1);
    let rows = (inner.y..inner.bottom()).map(|y| Rect { y, height: 1, ..inner });
    for (rect, (row, hit)) in rows.zip(app.hits().iter().enumerate().skip(app.results_scroll)) {
        let item = &app.catalog.items()[hit.index];
        let positions = app.searcher().positions(item.name, app.query());
        let name = fit(item.name, name_width);
        let verdict = app.verdict(hit.index);
        // What the target cannot use is dimmed (or hidden, with `h`).
        let unusable = verdict.is_some_and(|v| !v.is_usable());
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
        let mut badge = vec![styled(format!(" {:<7}", kind_badge(item.kind)), theme.kind())];
        if full_badges {
            let since = item.stable_since.map(|v| v.to_string()).unwrap_or_default();
            match verdict {
                Some(v) => {
                    let style = if v.is_usable() {
                        theme.tier(crate::catalog::Tier::Limited)
                    } else {
                        theme.error()
                    };
                    badge.push(styled(format!(" {:<8}", verdict_badge(v)), style));
                }
                None => badge.push(styled(format!(" {:<8}", item.tier.as_str()), theme.tier(item.tier))),
            }
            badge.push(styled(format!(" {since:>5}"), theme.dim()));
        }
        let selected = (row == app.selected).then(|| theme.selected());
        draw_row(frame, rect, Line::from(spans), Line::from(badge), selected);
    }
}
