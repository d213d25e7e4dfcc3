//! The detail pane: every fact of the item from the shared detail model,
//! signatures in C colours, see-also names selectable.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use super::wrap::wrap;
use super::{draw_lines, pane, styled};
use crate::app::{App, Focus};
use crate::detail::{self, Value};
use crate::highlight;

pub fn render(frame: &mut Frame<'_>, app: &mut App, theme: &Theme, area: Rect) {
    let focused = app.focus == Focus::Detail;
    let Some(item) = app.detail_item() else {
        let block = pane(" Detail ", focused, theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        frame.render_widget(Paragraph::new(styled("Nothing selected.", theme.dim())), inner);
        return;
    };
    let mut title = vec![Span::raw(" "), styled(item.name, theme.title()), Span::raw(" ")];
    if !app.detail.trail.is_empty() {
        title.push(styled("(Backspace: back) ", theme.dim()));
    }
    let block = pane(Line::from(title), focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    if width == 0 || inner.height == 0 {
        return;
    }
    let fields = detail::fields(item);
    let label_width = fields.iter().map(|f| f.label.len()).max().unwrap_or(0) + 2;
    // Narrow panes put each label on its own line.
    let inline = width >= label_width + 24;
    let indent = if inline { label_width } else { 2 };
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut link_line = None;
    for field in &fields {
        let label = styled(format!("{:label_width$}", field.label), theme.label());
        let mut first: Vec<Span<'static>> = if inline {
            vec![label]
        } else {
            lines.push(Line::from(label));
            vec![Span::raw("  ")]
        };
        let values: Vec<Vec<Span<'static>>> = match &field.value {
            Value::Text(t) => vec![vec![Span::raw(t.clone())]],
            Value::Url(u) => vec![vec![styled(u.clone(), theme.link())]],
            Value::Code(c) => vec![
                highlight::classify(c, item.name)
                    .into_iter()
                    .map(|(class, t)| styled(t.to_string(), theme.code(class)))
                    .collect(),
            ],
            Value::Lines(ls) => ls.iter().map(|l| vec![Span::raw(l.clone())]).collect(),
            Value::Members(members) => {
                let w = members.iter().map(|m| m.name.len()).max().unwrap_or(0);
                members
                    .iter()
                    .map(|m| {
                        let mut spans = vec![
                            Span::raw(format!("{:w$}  ", m.name)),
                            styled(m.ctype.unwrap_or("?").to_string(), theme.kind()),
                        ];
                        if m.stable {
                            spans.push(styled("  stable", theme.tier(crate::catalog::Tier::Limited)));
                        }
                        spans
                    })
                    .collect()
            }
            Value::Names(names) => names
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let selected = focused && i == app.detail.link;
                    if selected {
                        link_line = Some(lines.len() + i);
                    }
                    let style = if selected {
                        theme.selected().patch(theme.link())
                    } else {
                        theme.link()
                    };
                    vec![styled(format!("{} {n}", if selected { "▸" } else { " " }), style)]
                })
                .collect(),
        };
        for (n, value) in values.into_iter().enumerate() {
            let mut spans = if n == 0 {
                std::mem::take(&mut first)
            } else {
                vec![Span::raw(" ".repeat(indent))]
            };
            spans.extend(value);
            lines.extend(wrap(&spans, width, indent));
        }
    }
    let height = usize::from(inner.height);
    let max_scroll = lines.len().saturating_sub(height);
    let mut scroll = usize::from(app.detail.scroll).min(max_scroll);
    if let Some(l) = link_line.filter(|_| app.detail.link_moved) {
        scroll = super::scroll_into_view(scroll, l.min(lines.len().saturating_sub(1)), height);
    }
    app.detail.scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    draw_lines(frame, inner, lines.into_iter().skip(scroll));
}
