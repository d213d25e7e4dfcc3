//! The detail pane: every fact of the item from the shared detail model,
//! signatures in C colours, see-also names selectable.

use super::Canvas;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::{UnicodeWidthChar as _, UnicodeWidthStr as _};

use super::theme::Theme;
use super::wrap::wrap;
use super::{draw_lines, pane, styled};
use crate::app::{App, DocView, Focus};
use crate::detail::{self, Value};
use crate::docs::render::{self, Class};
use crate::highlight;
use crate::target::Verdict;

pub fn verdict_style(v: Verdict, theme: &Theme) -> ratatui::style::Style {
    if v.is_usable() {
        theme.tier(crate::catalog::Tier::Limited)
    } else {
        theme.error()
    }
}

/// The selectable names met so far while laying out the pane, and the
/// line of the highlighted one.
struct Links {
    selected: Option<usize>,
    count: usize,
    line: Option<usize>,
}

impl Links {
    /// Whether the doc link numbered `k` (after the facts' links) is the
    /// highlighted one; records its line.
    fn doc_link(&mut self, k: usize, line: usize) -> bool {
        let selected = self.selected == Some(self.count + k);
        if selected {
            self.line = Some(line);
        }
        selected
    }

    /// A name's spans; `at` is the number of lines laid out before it.
    fn next(&mut self, name: &str, note: &str, at: usize, theme: &Theme) -> Vec<Span<'static>> {
        let selected = self.selected == Some(self.count);
        if selected {
            self.line = Some(at + self.count);
        }
        self.count += 1;
        let style = if selected {
            theme.selected().patch(theme.link())
        } else {
            theme.link()
        };
        let mut spans = vec![styled(format!("{} {name}", if selected { "▸" } else { " " }), style)];
        if !note.is_empty() {
            spans.push(styled(format!("  {note}"), theme.dim()));
        }
        spans
    }
}

/// The lines of one field's value, before wrapping.
fn value_spans(value: &Value, name: &str, theme: &Theme, links: &mut Links, at: usize) -> Vec<Vec<Span<'static>>> {
    match value {
        Value::Text(t) => vec![vec![Span::raw(t.clone())]],
        Value::Url(u) => vec![vec![styled(u.clone(), theme.link())]],
        Value::Code(c) => vec![
            highlight::classify(c, name)
                .into_iter()
                .map(|(class, t)| styled(t.to_string(), theme.code(class)))
                .collect(),
        ],
        Value::Lines(ls) => ls.iter().map(|l| vec![Span::raw(l.clone())]).collect(),
        Value::Members(members) => {
            let w = members.iter().map(|m| m.name().len()).max().unwrap_or(0);
            members
                .iter()
                .map(|m| {
                    let mut spans = vec![
                        Span::raw(format!("{:w$}  ", m.name())),
                        styled(m.ctype().unwrap_or("?").to_string(), theme.kind()),
                    ];
                    if m.stable {
                        spans.push(styled("  stable", theme.tier(crate::catalog::Tier::Limited)));
                    }
                    spans
                })
                .collect()
        }
        Value::Verdict(v, reason) => {
            vec![vec![
                styled(v.as_str().to_string(), verdict_style(*v, theme)),
                Span::raw(format!(": {reason}")),
            ]]
        }
        Value::Names(names) => names.iter().map(|n| links.next(n, "", at, theme)).collect(),
        Value::Alternatives(alts) => alts.iter().map(|(n, note)| links.next(n, note, at, theme)).collect(),
    }
}

/// Under the facts: the entry's full text from the local docs, where they
/// come from, or why there is none.
fn documentation(app: &mut App, theme: &Theme, width: usize, names: &mut Links, lines: &mut Vec<Line<'static>>) {
    let hscroll = app.detail.hscroll;
    if app.docs_deferred() {
        return;
    }
    let Some(view) = app.doc_view() else { return };
    lines.push(Line::default());
    let heading = |source: &str| {
        wrap(
            &[
                styled("Documentation ", theme.label()),
                styled(format!("({source})"), theme.dim()),
            ],
            width,
            2,
        )
    };
    match view {
        DocView::Hint(hint) => lines.extend(wrap(&[styled(*hint, theme.dim())], width, 0)),
        DocView::Error(why) => lines.extend(wrap(&[styled(format!("Docs: {why}"), theme.error())], width, 0)),
        DocView::Missing { source, why } => {
            lines.extend(heading(source));
            lines.extend(wrap(&[styled(why.clone(), theme.dim())], width, 0));
        }
        DocView::Text { source, blocks } => {
            lines.extend(heading(source));
            let rendered = render::render(blocks, width);
            for doc_line in &rendered.lines {
                let at = lines.len();
                let mut spans: Vec<Span<'static>> = doc_line
                    .iter()
                    .map(|piece| {
                        let mut style = theme.doc(piece.class);
                        if piece.link.is_some_and(|k| names.doc_link(k, at)) {
                            style = theme.selected().patch(style);
                        }
                        let text = if piece.class == Class::CodeBlock {
                            skip_columns(&piece.text, usize::from(hscroll))
                        } else {
                            piece.text.clone()
                        };
                        styled(text, style)
                    })
                    .collect();
                cut_code(&mut spans, doc_line, width, hscroll > 0, theme);
                lines.push(Line::from(spans));
            }
            names.count += rendered.links.len();
        }
    }
}

/// `text` without its first `n` columns.
fn skip_columns(text: &str, n: usize) -> String {
    let mut skipped = 0;
    text.chars()
        .skip_while(|c| {
            let skip = skipped < n;
            skipped += c.width().unwrap_or(0);
            skip
        })
        .collect()
}

/// A code line wider than the pane is cut at its edge with `→` (and
/// starts with `←` when scrolled sideways): never wrapped, so copied code
/// stays whole.
fn cut_code(spans: &mut Vec<Span<'static>>, line: &render::DocLine, width: usize, scrolled: bool, theme: &Theme) {
    let Some(code) = line.iter().position(|p| p.class == Class::CodeBlock) else {
        return;
    };
    if scrolled && let Some(span) = spans.get_mut(code) {
        let rest = skip_columns(&span.content, 1);
        *span = styled(format!("←{rest}"), theme.dim());
    }
    let total: usize = spans.iter().map(|s| s.content.width()).sum();
    if total <= width {
        return;
    }
    let mut used = 0;
    let mut kept = Vec::new();
    for span in spans.drain(..) {
        let w = span.content.width();
        if used + w < width {
            used += w;
            kept.push(span);
            continue;
        }
        let mut text = String::new();
        for c in span.content.chars() {
            let cw = c.width().unwrap_or(0);
            if used + cw + 1 > width {
                break;
            }
            used += cw;
            text.push(c);
        }
        kept.push(Span::styled(text, span.style));
        break;
    }
    kept.push(styled("→", theme.dim()));
    *spans = kept;
}

pub fn render(canvas: &mut Canvas<'_>, app: &mut App, theme: &Theme, area: Rect) {
    let focused = app.focus == Focus::Detail;
    let mut names = Links {
        selected: focused.then_some(app.detail.link),
        count: 0,
        line: None,
    };
    let trail = !app.detail.trail.is_empty();
    let catalog = app.catalog;
    let Some((item, advice)) = app.detail_advice() else {
        let block = pane(" Detail ", focused, theme);
        let inner = block.inner(area);
        canvas.render_widget(block, area);
        canvas.render_widget(Paragraph::new(styled("Nothing selected.", theme.dim())), inner);
        return;
    };
    let mut title = vec![Span::raw(" "), styled(item.name(), theme.title()), Span::raw(" ")];
    if trail {
        title.push(styled("(Backspace: back) ", theme.dim()));
    }
    let block = pane(Line::from(title), focused, theme);
    let inner = block.inner(area);
    canvas.render_widget(block, area);
    let width = usize::from(inner.width);
    if width == 0 || inner.height == 0 {
        return;
    }
    let mut fields = detail::fields(&catalog, item, advice);
    if let Some(used) = app.report_locations(item.name()) {
        // Where the checked code uses it, right after the verdict.
        let at = fields
            .iter()
            .rposition(|f| matches!(f.label, "Verdict" | "Instead"))
            .map_or(0, |i| i + 1);
        fields.insert(
            at,
            detail::Field {
                label: "Used at",
                value: detail::Value::Lines(used),
            },
        );
    }
    let label_width = fields.iter().map(|f| f.label.len()).max().unwrap_or(0) + 2;
    // Narrow panes put each label on its own line.
    let inline = width >= label_width + 24;
    let indent = if inline { label_width } else { 2 };
    let mut lines: Vec<Line<'static>> = Vec::new();
    for field in &fields {
        let label = styled(format!("{:label_width$}", field.label), theme.label());
        let mut first: Vec<Span<'static>> = if inline {
            vec![label]
        } else {
            lines.push(Line::from(label));
            vec![Span::raw("  ")]
        };
        let at = lines.len();
        for (n, value) in value_spans(&field.value, item.name(), theme, &mut names, at)
            .into_iter()
            .enumerate()
        {
            let mut spans = if n == 0 {
                std::mem::take(&mut first)
            } else {
                vec![Span::raw(" ".repeat(indent))]
            };
            spans.extend(value);
            lines.extend(wrap(&spans, width, indent));
        }
    }
    documentation(app, theme, width, &mut names, &mut lines);
    let height = usize::from(inner.height);
    let max_scroll = lines.len().saturating_sub(height);
    let mut scroll = usize::from(app.detail.scroll).min(max_scroll);
    if let Some(l) = names.line.filter(|_| app.detail.link_moved) {
        scroll = super::scroll_into_view(scroll, l.min(lines.len().saturating_sub(1)), height);
    }
    if let Some(needle) = app.highlight() {
        let matched = mark_matches(&mut lines, &needle, theme);
        if let Some(find) = app.find.as_mut() {
            find.count = matched.len();
            if !matched.is_empty() {
                find.current %= matched.len();
                // The current match a third of the way down the pane.
                let line = matched[find.current];
                if line < scroll || line >= scroll + height {
                    scroll = line.saturating_sub(height / 3).min(max_scroll);
                }
            }
        }
    }
    app.detail.scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    draw_lines(canvas, inner, lines.into_iter().skip(scroll));
}

/// Highlights every occurrence of `needle` (ASCII case ignored) in each
/// line; returns the lines that hold one.
fn mark_matches(lines: &mut [Line<'static>], needle: &str, theme: &Theme) -> Vec<usize> {
    let needle = needle.trim().to_ascii_lowercase();
    let mut matched = Vec::new();
    for (n, line) in lines.iter_mut().enumerate() {
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        let lower = text.to_ascii_lowercase();
        let ranges: Vec<(usize, usize)> = lower.match_indices(&needle).map(|(at, m)| (at, at + m.len())).collect();
        if ranges.is_empty() {
            continue;
        }
        matched.push(n);
        // Split the spans at the ranges' edges, then style what is inside.
        let mut spans = Vec::new();
        let mut offset = 0;
        for span in std::mem::take(&mut line.spans) {
            let (start, end) = (offset, offset + span.content.len());
            offset = end;
            let mut cuts = vec![start, end];
            for &(a, b) in &ranges {
                cuts.extend([a, b].into_iter().filter(|c| *c > start && *c < end));
            }
            cuts.sort_unstable();
            cuts.dedup();
            for pair in cuts.windows(2) {
                let piece = &span.content[pair[0] - start..pair[1] - start];
                let inside = ranges.iter().any(|&(a, b)| pair[0] >= a && pair[1] <= b);
                let style = if inside {
                    span.style.patch(theme.found())
                } else {
                    span.style
                };
                spans.push(Span::styled(piece.to_string(), style));
            }
        }
        line.spans = spans;
    }
    matched
}
