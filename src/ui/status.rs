//! The search line (query, cursor, `N / TOTAL`) and the status line (key
//! hints generated from the keymap, or the last message).

use std::fmt::Write as _;

use super::Canvas;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use super::{fit, styled, thousands};
use crate::app::{App, Focus, SearchIn, StatusKind};
use crate::keymap::Action;

pub fn search_line(canvas: &mut Canvas<'_>, app: &App, theme: &Theme, area: Rect) {
    if area.is_empty() {
        return;
    }
    // The count says what it counts within: a section chosen in the tree,
    // matches hidden with `h`.
    let mut count = format!(" {} / {}", thousands(app.hits().len()), thousands(app.scope_len()));
    if app.hidden() > 0 {
        let _ = write!(count, " ({} hidden)", thousands(app.hidden()));
    }
    let node = app.tree_view.selected();
    if node != crate::tree::Tree::ROOT {
        let room = usize::from(area.width)
            .saturating_sub(count.chars().count() + 24)
            .min(40);
        if room >= 8 {
            let _ = write!(count, " in {}", fit(&app.tree.node(node).title, room));
        }
    }
    let prompt = if app.searching == SearchIn::Text {
        "text› "
    } else {
        "› "
    };
    let width = usize::from(area.width);
    let count_shown = if width >= prompt.len() + count.chars().count() + 4 {
        count.as_str()
    } else {
        ""
    };
    let count_width = unicode_width::UnicodeWidthStr::width(count_shown);
    let prompt_width = unicode_width::UnicodeWidthStr::width(prompt);
    let room = width.saturating_sub(prompt_width + count_width);
    let (text, cursor) = app.query.window(room);
    let focused = app.focus == Focus::Search;
    let used = prompt_width + unicode_width::UnicodeWidthStr::width(text.as_str());
    let line = Line::from(vec![
        styled(prompt, theme.border(focused)),
        Span::raw(text),
        Span::raw(" ".repeat(width.saturating_sub(used + count_width))),
        styled(count_shown, theme.dim()),
    ]);
    canvas.render_widget(Paragraph::new(line), area);
    if focused && app.overlay == crate::app::Overlay::None && area.width > 2 {
        let x = area.x
            + u16::try_from(prompt_width + cursor)
                .unwrap_or(u16::MAX)
                .min(area.width - 1);
        canvas.set_cursor_position(Position { x, y: area.y });
    }
}

/// The hints for the pane that has focus, most useful first; each shows
/// the key that acts there (Ctrl or Alt chords while typing).
fn hints(app: &App) -> &'static [(Action, &'static str)] {
    match app.focus {
        Focus::Search => &[
            (Action::Help, "help"),
            (Action::Confirm, "open"),
            (Action::CopyName, "copy name"),
            (Action::CopyMenu, "copy…"),
            (Action::Target, "target"),
            (Action::OpenDocs, "docs"),
            (Action::Quit, "quit"),
            (Action::TextMode, "search text"),
            (Action::FocusNext, "panes"),
        ],
        Focus::Results => &[
            (Action::Help, "help"),
            (Action::Confirm, "open"),
            (Action::CopyMenu, "copy…"),
            (Action::Target, "target"),
            (Action::OpenDocs, "docs"),
            (Action::ToggleUnusable, "hide"),
            (Action::Cancel, "search"),
            (Action::Quit, "quit"),
        ],
        Focus::Tree => &[
            (Action::Help, "help"),
            (Action::Confirm, "expand"),
            (Action::Cancel, "search"),
            (Action::Target, "target"),
            (Action::Quit, "quit"),
        ],
        Focus::Detail => &[
            (Action::Cancel, "back"),
            (Action::Confirm, "follow link"),
            (Action::Find, "find"),
            (Action::CopyMenu, "copy…"),
            (Action::OpenDocs, "docs"),
            (Action::Help, "help"),
            (Action::Quit, "quit"),
        ],
    }
}

pub fn status_line(canvas: &mut Canvas<'_>, app: &App, theme: &Theme, area: Rect) {
    if area.is_empty() {
        return;
    }
    // The target at the right, when one is set and there is room.
    let target = if app.target.is_set() {
        let hidden = if app.hide_unusable { ", unusable hidden" } else { "" };
        format!(" {}{hidden} ", app.target)
    } else {
        String::new()
    };
    let target_width = target.chars().count();
    let area = if target_width > 0 && usize::from(area.width) > target_width + 20 {
        let w = u16::try_from(target_width).unwrap_or(area.width);
        let right = Rect {
            x: area.right() - w,
            width: w,
            ..area
        };
        canvas.render_widget(Paragraph::new(Line::from(styled(target, theme.selected()))), right);
        Rect {
            width: area.width - w,
            ..area
        }
    } else {
        area
    };
    let width = usize::from(area.width);
    let line = if let Some(find) = app.find.as_ref().filter(|_| app.focus == Focus::Detail) {
        // The find prompt, with its cursor.
        let (text, cursor) = find.input.window(width.saturating_sub(40).max(1));
        let found = if find.input.text().is_empty() {
            String::new()
        } else if find.count == 0 {
            "  no match".to_string()
        } else {
            format!("  {}/{}", find.current % find.count + 1, find.count)
        };
        if app.overlay == crate::app::Overlay::None {
            let x = area.x
                + u16::try_from(6 + cursor)
                    .unwrap_or(u16::MAX)
                    .min(area.width.saturating_sub(1));
            canvas.set_cursor_position(Position { x, y: area.y });
        }
        Line::from(vec![
            styled("find: ", theme.label()),
            Span::raw(text),
            styled(found, theme.dim()),
            styled("  Enter next  Up previous  Esc close", theme.dim()),
        ])
    } else if let Some((text, kind)) = &app.status {
        let style = if *kind == StatusKind::Error {
            theme.error()
        } else {
            theme.label()
        };
        Line::from(styled(fit(text, width), style))
    } else {
        let mut spans = Vec::new();
        let mut used = 0;
        let typing = app.typing();
        for (action, label) in hints(app) {
            let Some(key) = app.keymap.hint(*action, typing) else {
                continue;
            };
            // In picker mode Enter prints the item.
            let label = if *action == Action::Confirm && app.pick.is_some() && app.focus != Focus::Detail {
                "print"
            } else {
                label
            };
            let len = key.chars().count() + label.chars().count() + 3;
            if used + len > width {
                break;
            }
            used += len;
            spans.push(styled(key, theme.label()));
            spans.push(Span::raw(format!(" {label}   ")));
        }
        Line::from(spans)
    };
    canvas.render_widget(Paragraph::new(line), area);
}
