//! The explorer's screen: ratatui's double buffering, without ratatui's
//! `Terminal`, so that the first frame needs one buffer, not two.
//!
//! A frame is drawn on a [`Canvas`] over a buffer of cells and written as
//! its differences from the frame the terminal shows, as ratatui's
//! `Buffer::diff` gives them ([`changes`]). Before the first frame, and
//! after a resize or a clear, the terminal is blank and the frame is
//! compared with blank cells. The buffer the next frame is drawn on is
//! made once this frame is out: at 200x60 a buffer is 12,000 cells, and
//! making one (every page of it new to the process) took a fifth of the
//! way to the first frame.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType};
use ratatui::buffer::{Buffer, Cell, CellDiffOption, CellWidth as _};
use ratatui::layout::{Position, Rect};

use super::backend::TtyBackend;
use crate::ui::Canvas;

pub struct Screen<W: Write> {
    backend: TtyBackend<W>,
    /// The buffer the next frame is drawn on, blank.
    next: Buffer,
    /// What the terminal shows, cell by cell; `None` while it is blank
    /// (before the first frame, after a resize or a clear).
    shown: Option<Buffer>,
}

impl<W: Write> Screen<W> {
    pub fn new(backend: TtyBackend<W>) -> io::Result<Screen<W>> {
        let area = Rect::from((Position::ORIGIN, backend.size()?));
        Ok(Screen {
            backend,
            next: Buffer::empty(area),
            shown: None,
        })
    }

    pub fn backend_mut(&mut self) -> &mut TtyBackend<W> {
        &mut self.backend
    }

    /// Blanks the terminal; the next frame is written whole.
    pub fn clear(&mut self) -> io::Result<()> {
        self.backend.clear_region(ClearType::All)?;
        self.shown = None;
        Ok(())
    }

    /// Draws a frame with `render` and writes what changed, in one write
    /// (the backend flushes once the cursor is placed).
    pub fn draw(&mut self, render: impl FnOnce(&mut Canvas<'_>)) -> io::Result<()> {
        let area = Rect::from((Position::ORIGIN, self.backend.size()?));
        if area != self.next.area {
            self.next = Buffer::empty(area);
            self.clear()?;
        }
        let mut canvas = Canvas::new(&mut self.next);
        render(&mut canvas);
        let cursor = canvas.cursor();
        self.backend.draw(changes(self.shown.as_ref(), &self.next))?;
        match cursor {
            None => self.backend.hide_cursor()?,
            Some(at) => {
                self.backend.show_cursor()?;
                self.backend.set_cursor_position(at)?;
            }
        }
        Backend::flush(&mut self.backend)?;
        // The frame is out: it is what the terminal shows, and the next
        // one is drawn on the buffer of the one before (or a new one).
        let blank = match self.shown.take() {
            Some(mut before) => {
                before.reset();
                before
            }
            None => Buffer::empty(area),
        };
        self.shown = Some(std::mem::replace(&mut self.next, blank));
        Ok(())
    }
}

/// The cells of `next` to write over `shown` (a blank screen if `None`):
/// ratatui's `Buffer::diff`, by a shorter way when every cell of both is
/// one column wide with no diffing option (the explorer's cells, but for
/// wide text in the docs): then the diff is the cells that differ, in
/// order, found with no measuring of every symbol's width and no call to
/// compare two cells' symbols (the diff was a sixth of a keystroke at
/// 200x60), and written as they are found.
fn changes<'a>(shown: Option<&'a Buffer>, next: &'a Buffer) -> Changes<'a, impl Iterator<Item = Change<'a>>> {
    let before = move |i: usize| shown.and_then(|s| s.content.get(i)).unwrap_or(&BLANK);
    let all_narrow = next
        .content
        .iter()
        .enumerate()
        .all(|(i, after)| narrow(before(i)) && narrow(after));
    if !all_narrow {
        let diff = match shown {
            Some(shown) => shown.diff(next),
            None => Buffer::empty(next.area).diff(next),
        };
        return Changes::Diff(diff.into_iter());
    }
    let width = usize::from(next.area.width.max(1));
    Changes::Narrow(next.content.iter().enumerate().filter_map(move |(i, after)| {
        if same(before(i), after) {
            return None;
        }
        let x = next.area.x + u16::try_from(i % width).unwrap_or(u16::MAX);
        let y = next.area.y + u16::try_from(i / width).unwrap_or(u16::MAX);
        Some((x, y, after))
    }))
}

/// A cell to write, at its column and row.
type Change<'a> = (u16, u16, &'a Cell);

/// What a blank screen shows in every cell.
static BLANK: Cell = Cell::EMPTY;

/// The changes of a frame, found one way or the other.
enum Changes<'a, I> {
    Narrow(I),
    Diff(std::vec::IntoIter<Change<'a>>),
}

impl<'a, I: Iterator<Item = Change<'a>>> Iterator for Changes<'a, I> {
    type Item = Change<'a>;

    fn next(&mut self) -> Option<Change<'a>> {
        match self {
            Changes::Narrow(found) => found.next(),
            Changes::Diff(diff) => diff.next(),
        }
    }
}

/// One column wide, diffed as any other cell.
fn narrow(cell: &Cell) -> bool {
    #[allow(deprecated)] // ratatui's diff still honours the old flag
    let plain = cell.diff_option == CellDiffOption::None && !cell.skip;
    plain
        && match cell.symbol().as_bytes() {
            [byte] => matches!(byte, b' '..=b'~'),
            _ => cell.cell_width() == 1,
        }
}

/// `a == b` for narrow cells, the symbols compared last.
fn same(a: &Cell, b: &Cell) -> bool {
    a.fg == b.fg
        && a.bg == b.bg
        && a.modifier == b.modifier
        && a.underline_color == b.underline_color
        && match (a.symbol().as_bytes(), b.symbol().as_bytes()) {
            ([x], [y]) => x == y,
            (x, y) => x == y,
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::backend::tests::Writes;
    use ratatui::layout::Size;
    use ratatui::style::{Color, Modifier, Style};
    use ratatui::text::{Line, Span};

    /// A frame of text lines in a few styles, wide symbols and all.
    fn frame(seed: u32, canvas: &mut Canvas<'_>) {
        let words = ["PyBuffer_FillInfo", "漢字", "é", " ", "abi3t", "▸ ", "…", "3.11"];
        let styles = [
            Style::default(),
            Style::default().fg(Color::Indexed(6)).add_modifier(Modifier::BOLD),
            Style::default().bg(Color::Indexed(8)),
            Style::default().add_modifier(Modifier::REVERSED),
        ];
        let area = canvas.area();
        let mut n = seed;
        for y in area.top()..area.bottom() {
            let mut spans = Vec::new();
            for _ in 0..6 {
                n = n.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                let pick = (n >> 16) as usize;
                spans.push(Span::styled(
                    words[pick % words.len()],
                    styles[(pick / 8) % styles.len()],
                ));
            }
            let x = u16::try_from((n >> 8) % 5).unwrap_or(0);
            canvas.render_widget(
                Line::from(spans),
                Rect::new(area.x + x, y, area.width.saturating_sub(x), 1),
            );
        }
        if !seed.is_multiple_of(3) {
            canvas.set_cursor_position((1, 0));
        }
    }

    proptest::proptest! {
        #[test]
        fn what_is_written_is_ratatuis_diff(
            cells in proptest::collection::vec((0..12_usize, 0..5_usize, 0..12_usize, 0..5_usize, 0..40_u8), 21),
            narrow_only in proptest::bool::ANY,
        ) {
            let symbols = ["a", " ", "─", "…", "漢", "👍\u{FE0F}", "\u{301}", "e\u{301}", "ab"];
            let styles = [
                Style::default(),
                Style::default().fg(Color::Red),
                Style::default().bg(Color::Indexed(8)).add_modifier(Modifier::REVERSED),
                Style::default().add_modifier(Modifier::BOLD),
                Style::default().underline_color(Color::Blue),
            ];
            let area = Rect::new(2, 1, 7, 3);
            let (mut shown, mut next) = (Buffer::empty(area), Buffer::empty(area));
            for (i, &(a, sa, b, sb, option)) in cells.iter().enumerate() {
                // Mostly plain cells, some with a symbol of another width
                // or a diffing option.
                for (buffer, symbol, style) in [(&mut shown, a, sa), (&mut next, b, sb)] {
                    let cell = &mut buffer.content[i];
                    // Half the cases: narrow cells only, as most frames.
                    let symbol = if narrow_only { symbol % 4 } else { symbol };
                    if symbol < symbols.len() {
                        cell.set_symbol(symbols[symbol]).set_style(styles[style]);
                    }
                }
                let option = if narrow_only { 4 } else { option };
                next.content[i].diff_option = match option {
                    0 => CellDiffOption::Skip,
                    1 => CellDiffOption::AlwaysUpdate,
                    2 => CellDiffOption::ForcedWidth(std::num::NonZero::new(2).expect("two")),
                    _ => CellDiffOption::None,
                };
                #[allow(deprecated)]
                {
                    shown.content[i].skip = option == 3;
                }
            }
            // ratatui's diff reads past the end after a wide last cell.
            let last = shown.content.len() - 1;
            shown.content[last].set_symbol("a");
            proptest::prop_assert_eq!(changes(Some(&shown), &next).collect::<Vec<_>>(), shown.diff(&next));
            // On a blank screen.
            proptest::prop_assert_eq!(changes(None, &next).collect::<Vec<_>>(), Buffer::empty(area).diff(&next));
        }
    }

    #[test]
    fn the_terminal_shows_each_frame_drawn() {
        let written = Writes::default();
        let mut backend = TtyBackend::new(written.clone());
        let size = Size::new(24, 6);
        backend.set_size(size);
        let mut screen = Screen::new(backend).expect("a screen");
        let nonzero = |n: u16| std::num::NonZero::new(n).expect("a size");
        let mut terminal = vt100::Parser::new(nonzero(size.height), nonzero(size.width), 0);
        // Frames in a row, then a new size, then a clear (as after `fg`).
        for seed in 0..12 {
            if seed == 6 {
                let size = Size::new(30, 8);
                screen.backend_mut().set_size(size);
                terminal.set_size(nonzero(size.height), nonzero(size.width));
            }
            if seed == 9 {
                screen.clear().expect("cleared");
            }
            screen.draw(|canvas| frame(seed, canvas)).expect("drawn");
            terminal.process(&written.bytes());
            // The frame as drawn on a buffer of its own.
            let mut drawn = Buffer::empty(Rect::from((
                Position::ORIGIN,
                screen.backend_mut().size().expect("a size"),
            )));
            frame(seed, &mut Canvas::new(&mut drawn));
            let shown = terminal.screen();
            for y in 0..drawn.area.height {
                for x in 0..drawn.area.width {
                    let cell = &drawn[(x, y)];
                    let on_screen = shown.cell(y, x).expect("a cell");
                    if on_screen.is_wide_continuation() {
                        continue;
                    }
                    let symbol = if on_screen.has_contents() {
                        on_screen.contents()
                    } else {
                        " "
                    };
                    assert_eq!(symbol, cell.symbol(), "frame {seed}, cell {x},{y}");
                    assert_eq!(
                        on_screen.bold(),
                        cell.modifier.contains(Modifier::BOLD),
                        "frame {seed}, {x},{y}"
                    );
                    assert_eq!(
                        on_screen.inverse(),
                        cell.modifier.contains(Modifier::REVERSED),
                        "frame {seed}, {x},{y}"
                    );
                    let bg = match cell.bg {
                        Color::Indexed(i) => vt100::Color::Idx(i),
                        _ => vt100::Color::Default,
                    };
                    assert_eq!(on_screen.bgcolor(), bg, "frame {seed}, {x},{y}");
                }
            }
            assert_eq!(shown.hide_cursor(), seed.is_multiple_of(3), "frame {seed}");
        }
    }
}
