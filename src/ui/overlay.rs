//! Overlays drawn over the panes: the key help (generated from the keymap)
//! and the copy menu.

use super::Canvas;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::theme::Theme;
use super::{fit, pane, styled};
use crate::app::{App, Picker};
use crate::keymap::Action;

/// A box of at most `w` x `h` centred in the frame.
fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(h.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(w.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

pub fn help(canvas: &mut Canvas<'_>, app: &mut App, theme: &Theme) {
    let rows: Vec<(String, &str)> = Action::ALL
        .iter()
        .map(|a| {
            let keys: Vec<String> = app.keymap.keys(*a).iter().map(ToString::to_string).collect();
            (keys.join(" "), a.help())
        })
        .collect();
    let key_width = rows.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
    let mut lines: Vec<Line<'_>> = rows
        .iter()
        .map(|(k, h)| Line::from(vec![styled(format!(" {k:key_width$}  "), theme.label()), Span::raw(*h)]))
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::from(styled(" Filter words in the query:", theme.title())));
    let filter_width = crate::filter::HELP
        .iter()
        .map(|(w, _)| w.chars().count())
        .max()
        .unwrap_or(0);
    for (words, what) in crate::filter::HELP {
        lines.push(Line::from(vec![
            styled(format!(" {words:filter_width$}  "), theme.label()),
            Span::raw(*what),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(styled(
        " Typing edits the query; the mouse selects and scrolls.",
        theme.dim(),
    )));
    lines.push(Line::from(styled(
        " Up/Down, PgUp/PgDn scroll this; any other key closes it.",
        theme.dim(),
    )));
    let area = centred(canvas.area(), 90, u16::try_from(lines.len() + 2).unwrap_or(u16::MAX));
    canvas.render_widget(Clear, area);
    // Taller than the screen: it scrolls, and the title says where.
    let rows = usize::from(area.height.saturating_sub(2));
    let last = lines.len().saturating_sub(rows);
    let scroll = usize::from(app.help_scroll).min(last);
    app.help_scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    let title = if last > 0 {
        format!(
            " Keys: {}–{} of {} (↑↓ scroll) ",
            scroll + 1,
            (scroll + rows).min(lines.len()),
            lines.len()
        )
    } else {
        " Keys ".to_string()
    };
    let block = pane(title, true, theme);
    let inner = block.inner(area);
    canvas.render_widget(block, area);
    let lines: Vec<Line<'_>> = lines.into_iter().skip(scroll).collect();
    let width = usize::from(inner.width);
    let lines: Vec<Line<'_>> = lines
        .into_iter()
        .map(|l| {
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            if text.chars().count() <= width {
                l
            } else {
                Line::raw(fit(&text, width))
            }
        })
        .collect();
    canvas.render_widget(Paragraph::new(lines), inner);
}

pub fn copy_menu(canvas: &mut Canvas<'_>, app: &mut App, selected: usize, theme: &Theme) {
    let entries = app.copy_entries();
    let label_width = usize::from(canvas.area().width.saturating_sub(10)).clamp(10, 60);
    let lines: Vec<Line<'_>> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let line = Line::from(vec![
                styled(format!(" {} ", e.key), theme.label()),
                Span::raw(format!(" {} ", fit(&e.label, label_width))),
            ]);
            if i == selected {
                line.style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    let width = lines.iter().map(Line::width).max().unwrap_or(0) + 2;
    let area = centred(
        canvas.area(),
        u16::try_from(width.max(30)).unwrap_or(u16::MAX),
        u16::try_from(lines.len() + 2).unwrap_or(u16::MAX),
    );
    canvas.render_widget(Clear, area);
    let block = pane(" Copy ", true, theme);
    let inner = block.inner(area);
    canvas.render_widget(block, area);
    canvas.render_widget(Paragraph::new(lines), inner);
}

pub fn target_picker(canvas: &mut Canvas<'_>, picker: Picker, theme: &Theme) {
    let rows = [
        ("abi3 ", picker.target.abi3, "non-free-threaded CPython"),
        ("abi3t", picker.target.abi3t, "free-threaded CPython"),
    ];
    let mut lines: Vec<Line<'_>> = rows
        .iter()
        .enumerate()
        .map(|(row, (abi, value, what))| {
            let label = value.map_or_else(|| "off".to_string(), |v| v.to_string());
            let focused = row == picker.row;
            let value_style = if focused { theme.selected() } else { theme.title() };
            Line::from(vec![
                styled(format!(" {abi}  "), if focused { theme.label() } else { theme.title() }),
                styled(format!("‹ {label:^4} ›"), value_style),
                styled(format!("  {what}"), theme.dim()),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::from(styled(
        " Up/Down: ABI  Left/Right: version  Enter: apply  Esc: cancel",
        theme.dim(),
    )));
    let width = lines.iter().map(Line::width).max().unwrap_or(0) + 3;
    let area = centred(canvas.area(), u16::try_from(width).unwrap_or(u16::MAX), 6);
    canvas.render_widget(Clear, area);
    let block = pane(format!(" Target: {} ", picker.target), true, theme);
    let inner = block.inner(area);
    canvas.render_widget(block, area);
    canvas.render_widget(Paragraph::new(lines), inner);
}
