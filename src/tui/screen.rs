//! The explorer's screen: ratatui's double buffering, without ratatui's
//! `Terminal`, so that the first frame needs one buffer, not two.
//!
//! A frame is drawn on a [`Canvas`] over a buffer of cells and written as
//! its differences from the frame the terminal shows (ratatui's own
//! `Buffer::diff`). Before the first frame, and after a resize or a
//! clear, the terminal shows a blank screen: the frame's cells that are
//! not blank are written, with no buffer of blanks to compare them with.
//! The buffer the next frame is drawn on is made once this frame is out:
//! at 200x60 a buffer is 12,000 cells, and making one (every page of it
//! new to the process) took a fifth of the way to the first frame.

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
        match &self.shown {
            Some(shown) => self.backend.draw(shown.diff(&self.next).into_iter())?,
            None => self.backend.draw(not_blank(&self.next))?,
        }
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

/// The cells of `frame` to write on a blank screen, as ratatui's diff
/// against a buffer of blanks gives them: those that are not blank and
/// not marked to be skipped, and none that a wide symbol before it covers.
fn not_blank(frame: &Buffer) -> impl Iterator<Item = (u16, u16, &Cell)> {
    let width = usize::from(frame.area.width.max(1));
    let mut covered = 0;
    frame.content.iter().enumerate().filter_map(move |(i, cell)| {
        if covered > 0 {
            covered -= 1;
            return None;
        }
        #[allow(deprecated)] // ratatui's diff still honours the old flag
        let skipped = cell.skip || cell.diff_option == CellDiffOption::Skip;
        if skipped {
            return None;
        }
        covered = match cell.diff_option {
            CellDiffOption::ForcedWidth(w) => usize::from(w.get()) - 1,
            _ => usize::from(cell.cell_width()).saturating_sub(1),
        };
        if *cell == Cell::EMPTY && cell.diff_option != CellDiffOption::AlwaysUpdate {
            return None;
        }
        let x = frame.area.x + u16::try_from(i % width).unwrap_or(u16::MAX);
        let y = frame.area.y + u16::try_from(i / width).unwrap_or(u16::MAX);
        Some((x, y, cell))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Size;
    use ratatui::style::{Color, Modifier, Style};
    use ratatui::text::{Line, Span};
    use std::cell::RefCell;
    use std::rc::Rc;

    /// What the screen wrote, readable while it writes.
    #[derive(Clone, Default)]
    struct Written(Rc<RefCell<Vec<u8>>>);

    impl Write for Written {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

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

    #[test]
    fn the_terminal_shows_each_frame_drawn() {
        let written = Written::default();
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
            terminal.process(&written.0.take());
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
