//! Rendering: the screen is drawn from the app's state, one small function
//! per pane, with one theme. `render` takes `&mut App` only to record where
//! the panes went (for the mouse and page sizes) and to keep the selected
//! rows scrolled into view.

mod detail;
mod overlay;
mod results;
mod status;
pub mod theme;
mod tree;
mod wrap;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Widget};

use crate::app::{App, Areas, Focus, Overlay};
use crate::config::LayoutMode;
use theme::Theme;

/// How the screen is shared this frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    pub search: Rect,
    pub tree: Option<Rect>,
    pub results: Option<Rect>,
    pub detail: Option<Rect>,
    pub status: Rect,
}

/// Chooses the panes for a screen size, a layout preference and the focus.
pub fn panes(area: Rect, mode: LayoutMode, focus: Focus) -> Panes {
    let (search, body, status) = if area.height < 2 {
        (area, Rect::default(), Rect::default())
    } else {
        let row = |y| Rect { y, height: 1, ..area };
        let body = Rect {
            y: area.y + 1,
            height: area.height - 2,
            ..area
        };
        (row(area.y), body, row(area.bottom() - 1))
    };
    let mut panes = Panes {
        search,
        tree: None,
        results: None,
        detail: None,
        status,
    };
    if body.height < 3 || body.width < 8 {
        return panes;
    }
    let wide = body.width >= 120;
    let medium = body.width >= 80;
    let tall = body.height >= 20;
    let columns = match mode {
        LayoutMode::Columns => body.width >= 60,
        LayoutMode::Auto => wide,
        LayoutMode::Stacked => false,
    };
    if columns {
        // Below 160 columns the tree gives up room, so the results keep
        // their verdict and version columns.
        let (tree, results) = if body.width >= 160 { (24, 34) } else { (20, 36) };
        let [t, r, d] = columns_at(body, [tree, tree + results]);
        (panes.tree, panes.results, panes.detail) = (Some(t), Some(r), Some(d));
        return panes;
    }
    // The list column shows the tree while the tree has focus.
    let list_is_tree = focus == Focus::Tree;
    let side_by_side = mode == LayoutMode::Auto && medium;
    let stacked = !side_by_side && (mode == LayoutMode::Stacked || tall);
    let (list, detail) = if side_by_side {
        let [l, d] = columns_at(body, [45]);
        (l, Some(d))
    } else if stacked {
        let top = Rect {
            height: percent(body.height, 45),
            ..body
        };
        let bottom = Rect {
            y: top.bottom(),
            height: body.height - top.height,
            ..body
        };
        (top, Some(bottom))
    } else if focus == Focus::Detail {
        // Small screens: one pane at a time; Enter brings the detail.
        (Rect::default(), Some(body))
    } else {
        (body, None)
    };
    panes.detail = detail;
    if !list.is_empty() {
        if list_is_tree {
            panes.tree = Some(list);
        } else {
            panes.results = Some(list);
        }
    }
    panes
}

/// `length * percentage / 100`, rounded to the nearest cell (as
/// ratatui's layout rounds).
fn percent(length: u16, percentage: u16) -> u16 {
    let cells = (u32::from(length) * u32::from(percentage) + 50) / 100;
    u16::try_from(cells).unwrap_or(length)
}

/// `area` cut into columns at percentages of its width (ascending), the
/// last column taking the rest. The panes are simple enough for
/// arithmetic: a layout solver took 0.1 ms of the first frame.
fn columns_at<const N: usize, const M: usize>(area: Rect, cuts: [u16; N]) -> [Rect; M] {
    let mut edges = [area.x; M];
    for (edge, cut) in edges.iter_mut().skip(1).zip(cuts) {
        *edge = area.x + percent(area.width, cut);
    }
    std::array::from_fn(|i| {
        let end = edges.get(i + 1).copied().unwrap_or(area.right());
        Rect {
            x: edges[i],
            width: end - edges[i],
            ..area
        }
    })
}

/// What a frame keeps of the frames before it: the explorer draws every
/// frame with one, and with one theme.
#[derive(Debug, Default)]
pub struct Cache {
    tree: tree::TreePane,
}

/// Draws one frame.
pub fn render(frame: &mut Frame<'_>, app: &mut App, theme: &Theme, mode: LayoutMode) {
    on_frame(frame, |canvas| draw(canvas, app, theme, mode, None));
}

/// Draws one frame, copying what has not changed since the last one drawn
/// with `cache`.
pub fn render_cached(frame: &mut Frame<'_>, app: &mut App, theme: &Theme, mode: LayoutMode, cache: &mut Cache) {
    on_frame(frame, |canvas| draw(canvas, app, theme, mode, Some(cache)));
}

/// Draws on a ratatui frame through a canvas over its buffer.
fn on_frame(frame: &mut Frame<'_>, draw: impl FnOnce(&mut Canvas<'_>)) {
    let mut canvas = Canvas::new(frame.buffer_mut());
    draw(&mut canvas);
    if let Some(at) = canvas.cursor() {
        frame.set_cursor_position(at);
    }
}

/// What a frame is drawn on: a buffer of cells, and where the cursor goes
/// (hidden unless set). The explorer's screen draws through one, and so
/// does a ratatui `Frame` ([`render`]).
pub struct Canvas<'a> {
    buffer: &'a mut Buffer,
    cursor: Option<Position>,
}

impl<'a> Canvas<'a> {
    pub fn new(buffer: &'a mut Buffer) -> Canvas<'a> {
        Canvas { buffer, cursor: None }
    }

    pub fn area(&self) -> Rect {
        self.buffer.area
    }

    pub fn render_widget(&mut self, widget: impl Widget, area: Rect) {
        widget.render(area, self.buffer);
    }

    pub fn buffer_mut(&mut self) -> &mut Buffer {
        self.buffer
    }

    pub fn set_cursor_position(&mut self, at: impl Into<Position>) {
        self.cursor = Some(at.into());
    }

    pub fn cursor(&self) -> Option<Position> {
        self.cursor
    }
}

/// Draws one frame on `canvas`, copying from `cache` what has not changed
/// since the last frame drawn with it.
pub fn draw(canvas: &mut Canvas<'_>, app: &mut App, theme: &Theme, mode: LayoutMode, cache: Option<&mut Cache>) {
    app.settle();
    let panes = panes(canvas.area(), mode, app.focus);
    app.areas = Areas {
        tree: panes.tree,
        results: panes.results,
        detail: panes.detail,
    };
    status::search_line(canvas, app, theme, panes.search);
    if let Some(area) = panes.tree {
        tree::render(canvas, app, theme, area, cache.map(|c| &mut c.tree));
    }
    if let Some(area) = panes.results {
        results::render(canvas, app, theme, area);
    }
    if let Some(area) = panes.detail {
        detail::render(canvas, app, theme, area);
    }
    status::status_line(canvas, app, theme, panes.status);
    match app.overlay {
        Overlay::None => {}
        Overlay::Help => overlay::help(canvas, app, theme),
        Overlay::Copy(at) => overlay::copy_menu(canvas, app, at, theme),
        Overlay::Target(picker) => overlay::target_picker(canvas, picker, theme),
    }
}

/// A bordered pane with a title, highlighted when focused.
fn pane<'a>(title: impl Into<Line<'a>>, focused: bool, theme: &Theme) -> Block<'a> {
    Block::bordered()
        .border_type(if focused { BorderType::Thick } else { BorderType::Plain })
        .border_style(theme.border(focused))
        .title(title.into().style(theme.title()))
}

/// Keeps `selected` within a window of `height` rows starting at `scroll`.
fn scroll_into_view(scroll: usize, selected: usize, height: usize) -> usize {
    if height == 0 {
        return 0;
    }
    if selected < scroll {
        selected
    } else if selected >= scroll + height {
        selected + 1 - height
    } else {
        scroll
    }
}

/// `1,234`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A span cut to `width` columns, with an ellipsis when cut.
fn fit(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// Draws lines top down, one per row, clipped to `area`: cheaper than a
/// paragraph, which reflows, for lists that are already laid out.
fn draw_lines<'a>(canvas: &mut Canvas<'_>, area: Rect, lines: impl IntoIterator<Item = Line<'a>>) {
    for (y, line) in (area.y..area.bottom()).zip(lines) {
        draw_line(canvas.buffer_mut(), &line, Rect { y, height: 1, ..area });
    }
}

/// Draws `line` in `area` as ratatui's `Line` widget does (a test compares
/// the cells), but its spans of printable ASCII, as most are, a byte per
/// cell: the widget splits every span into graphemes and measures each,
/// which cost more than the rest of a frame's rendering.
fn draw_line(buf: &mut Buffer, line: &Line<'_>, area: Rect) {
    let printable = |s: &Span<'_>| s.content.bytes().all(|b| matches!(b, b' '..=b'~'));
    let span_width = |s: &Span<'_>| if printable(s) { s.content.len() } else { s.width() };
    let area = area.intersection(buf.area);
    let width: usize = line.spans.iter().map(span_width).sum();
    if area.is_empty() || width == 0 {
        return;
    }
    let area = Rect { height: 1, ..area };
    let room = usize::from(area.width);
    if width > room && matches!(line.alignment, Some(Alignment::Center | Alignment::Right)) {
        // Cut at the start: left to the widget.
        line.render(area, buf);
        return;
    }
    let indent = match line.alignment {
        _ if width > room => 0,
        Some(Alignment::Center) => (room - width) / 2,
        Some(Alignment::Right) => room - width,
        Some(Alignment::Left) | None => 0,
    };
    // A style that changes nothing need not visit every cell.
    if line.style != Style::default() {
        buf.set_style(area, line.style);
    }
    let mut x = area.x + u16::try_from(indent).unwrap_or(area.width);
    for span in &line.spans {
        if x >= area.right() {
            return;
        }
        if printable(span) {
            for &byte in span.content.as_bytes() {
                if x >= area.right() {
                    return;
                }
                buf[(x, area.y)].set_char(char::from(byte)).set_style(span.style);
                x += 1;
            }
        } else {
            // As the widget does: a span of no width is not drawn at all.
            let advance = u16::try_from(span.width()).unwrap_or(u16::MAX);
            if advance > 0 {
                span.render(
                    Rect {
                        x,
                        width: area.right() - x,
                        ..area
                    },
                    buf,
                );
                x = x.saturating_add(advance).min(area.right());
            }
        }
    }
}

/// One list row: `left` from the start, `right` against the end, on a
/// background `style` across the whole row. Nothing pads the gap, so no
/// cell is written twice.
fn draw_row(
    canvas: &mut Canvas<'_>,
    row: Rect,
    left: &Line<'_>,
    right: &Line<'_>,
    style: Option<ratatui::style::Style>,
) {
    if let Some(style) = style {
        canvas.buffer_mut().set_style(row, style);
    }
    let right_width = u16::try_from(right.width()).unwrap_or(u16::MAX).min(row.width);
    let left_area = Rect {
        width: row.width - right_width,
        ..row
    };
    let buf = canvas.buffer_mut();
    draw_line(buf, left, left_area);
    draw_line(
        buf,
        right,
        Rect {
            x: row.right() - right_width,
            width: right_width,
            ..row
        },
    );
}

fn styled<'a>(text: impl Into<std::borrow::Cow<'a, str>>, style: ratatui::style::Style) -> Span<'a> {
    Span::styled(text, style)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(2350), "2,350");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn scrolling_follows_the_selection() {
        assert_eq!(scroll_into_view(0, 5, 10), 0);
        assert_eq!(scroll_into_view(0, 12, 10), 3);
        assert_eq!(scroll_into_view(8, 2, 10), 2);
        assert_eq!(scroll_into_view(3, 3, 0), 0);
    }

    #[test]
    fn fitting_cuts_with_an_ellipsis() {
        assert_eq!(fit("PyBuffer_FillInfo", 8), "PyBuffe…");
        assert_eq!(fit("short", 8), "short");
        assert_eq!(fit("😀😀😀", 4), "😀…");
        assert_eq!(fit("abc", 0), "");
    }

    proptest::proptest! {
        #[test]
        fn lines_are_drawn_as_ratatui_draws_them(
            spans in proptest::collection::vec(("[ -~]{0,12}|[ -~é漢\u{301}\t]{0,6}", 0..6_u8, 0..4_u8), 0..5),
            line_style in 0..6_u8,
            alignment in 0..4_u8,
            (x, width) in (0..12_u16, 0..40_u16),
        ) {
            use ratatui::style::{Color, Modifier, Style};
            let style = |n: u8| match n {
                0 => Style::default(),
                1 => Style::default().fg(Color::Red),
                2 => Style::default().bg(Color::Indexed(8)).add_modifier(Modifier::BOLD),
                3 => Style::default().remove_modifier(Modifier::BOLD).fg(Color::Reset),
                4 => Style::default().add_modifier(Modifier::REVERSED | Modifier::ITALIC),
                _ => Style::default().underline_color(Color::Blue).bg(Color::Rgb(1, 2, 3)),
            };
            let mut line = Line::from(
                spans.iter().map(|(text, s, _)| Span::styled(text.clone(), style(*s))).collect::<Vec<_>>(),
            )
            .style(style(line_style));
            line.alignment = [None, Some(Alignment::Left), Some(Alignment::Center), Some(Alignment::Right)]
                [usize::from(alignment)];
            // A buffer already drawn on, as a frame's is.
            let mut theirs = Buffer::empty(Rect::new(0, 0, 30, 3));
            for (n, cell) in (0_u8..).zip(theirs.content.iter_mut()) {
                cell.set_char(if n % 3 == 0 { 'x' } else { ' ' }).set_style(style(n % 6));
            }
            let mut ours = theirs.clone();
            let area = Rect::new(x, 1, width, 2);
            (&line).render(area, &mut theirs);
            draw_line(&mut ours, &line, area);
            proptest::prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn panes_are_where_ratatuis_layout_puts_them() {
        use ratatui::layout::{Constraint, Layout};
        for height in 0..=100 {
            let area = Rect::new(3, 2, 70, height);
            let p = panes(area, LayoutMode::Stacked, Focus::Search);
            if height < 2 {
                assert_eq!((p.search, p.status), (area, Rect::default()));
                continue;
            }
            let [search, body, status] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(0), Constraint::Length(1)]).areas(area);
            assert_eq!((p.search, p.status), (search, status), "height {height}");
            if let (Some(list), Some(detail)) = (p.results, p.detail) {
                let expected: [Rect; 2] =
                    Layout::vertical([Constraint::Percentage(45), Constraint::Fill(1)]).areas(body);
                assert_eq!([list, detail], expected, "height {height}");
            }
        }
        for width in 0..=400 {
            let body = Rect::new(3, 3, width, 30);
            for (a, b) in [(24, 34), (20, 36)] {
                let expected: [Rect; 3] = Layout::horizontal([
                    Constraint::Percentage(a),
                    Constraint::Percentage(b),
                    Constraint::Fill(1),
                ])
                .areas(body);
                assert_eq!(columns_at(body, [a, a + b]), expected, "width {width}: {a}/{b}");
            }
            let expected: [Rect; 2] = Layout::horizontal([Constraint::Percentage(45), Constraint::Fill(1)]).areas(body);
            assert_eq!(columns_at(body, [45]), expected, "width {width}");
        }
    }

    #[test]
    fn layouts_adapt_to_the_size() {
        let wide = panes(Rect::new(0, 0, 200, 50), LayoutMode::Auto, Focus::Search);
        assert!(wide.tree.is_some() && wide.results.is_some() && wide.detail.is_some());
        let medium = panes(Rect::new(0, 0, 80, 24), LayoutMode::Auto, Focus::Search);
        assert!(medium.tree.is_none() && medium.results.is_some() && medium.detail.is_some());
        let tree_focused = panes(Rect::new(0, 0, 80, 24), LayoutMode::Auto, Focus::Tree);
        assert!(tree_focused.tree.is_some() && tree_focused.results.is_none());
        let narrow = panes(Rect::new(0, 0, 40, 12), LayoutMode::Auto, Focus::Search);
        assert!(narrow.results.is_some() && narrow.detail.is_none());
        let narrow_detail = panes(Rect::new(0, 0, 40, 12), LayoutMode::Auto, Focus::Detail);
        assert!(narrow_detail.detail.is_some() && narrow_detail.results.is_none());
        for (w, h) in [(1, 1), (0, 0), (3, 2), (10, 4)] {
            let p = panes(Rect::new(0, 0, w, h), LayoutMode::Auto, Focus::Search);
            assert!(p.tree.is_none() && p.results.is_none() && p.detail.is_none(), "{w}x{h}");
        }
    }
}
