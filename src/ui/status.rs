//! The search line (query, cursor, `N / TOTAL`) and the status line (key
//! hints generated from the keymap, or the last message).

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use super::{fit, styled, thousands};
use crate::app::{App, Focus, StatusKind};
use crate::keymap::Action;

pub fn search_line(frame: &mut Frame<'_>, app: &App, theme: &Theme, area: Rect) {
    if area.is_empty() {
        return;
    }
    let count = format!(" {} / {}", thousands(app.hits().len()), thousands(app.scope_len()));
    let prompt = "› ";
    let width = usize::from(area.width);
    let count_shown = if width >= prompt.len() + count.len() + 4 {
        count.as_str()
    } else {
        ""
    };
    let room = width.saturating_sub(2 + count_shown.len());
    let (text, cursor) = app.query.window(room);
    let focused = app.focus == Focus::Search;
    let used = 2 + unicode_width::UnicodeWidthStr::width(text.as_str());
    let line = Line::from(vec![
        styled(prompt, theme.border(focused)),
        Span::raw(text),
        Span::raw(" ".repeat(width.saturating_sub(used + count_shown.len()))),
        styled(count_shown, theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
    if focused && app.overlay == crate::app::Overlay::None && area.width > 2 {
        let x = area.x + u16::try_from(2 + cursor).unwrap_or(u16::MAX).min(area.width - 1);
        frame.set_cursor_position(Position { x, y: area.y });
    }
}

/// The hints shown when there is no message, most useful first.
const HINTS: &[(Action, &str)] = &[
    (Action::Help, "help"),
    (Action::FocusNext, "focus"),
    (Action::Confirm, "open"),
    (Action::CopyName, "copy name"),
    (Action::CopyMenu, "copy…"),
    (Action::Target, "target"),
    (Action::OpenDocs, "docs"),
    (Action::Quit, "quit"),
];

pub fn status_line(frame: &mut Frame<'_>, app: &App, theme: &Theme, area: Rect) {
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
        frame.render_widget(Paragraph::new(Line::from(styled(target, theme.selected()))), right);
        Rect {
            width: area.width - w,
            ..area
        }
    } else {
        area
    };
    let width = usize::from(area.width);
    let line = if let Some((text, kind)) = &app.status {
        let style = if *kind == StatusKind::Error {
            theme.error()
        } else {
            theme.label()
        };
        Line::from(styled(fit(text, width), style))
    } else {
        let mut spans = Vec::new();
        let mut used = 0;
        for (action, label) in HINTS {
            let Some(key) = app.keymap.hint(*action) else { continue };
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
    frame.render_widget(Paragraph::new(line), area);
}
