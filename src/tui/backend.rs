//! The explorer's terminal backend: crossterm's, with a frame's cells
//! written as bytes instead of one formatted command each, and with no
//! flush until the frame is complete.
//!
//! A frame at 200x60 is up to 12,000 cells; crossterm's `Print` and
//! `MoveTo` go through `fmt` for every one of them, which cost more than
//! comparing the two frames. The bytes written are the same as crossterm's:
//! colours and modifiers still go through crossterm (they change a few
//! times a row), and the cursor commands are queued where crossterm flushes
//! each one. A frame leaves in one write once its cursor is placed or
//! hidden, ratatui's last step before it clears the other buffer (12,000
//! cells at 200x60) and flushes: the terminal need not wait for that.
//! The size is asked of the terminal once, and again only after the loop
//! says it changed (SIGWINCH) or the explorer was stopped and continued.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::crossterm::cursor::{Hide, MoveTo, Show};
use ratatui::crossterm::queue;
use ratatui::crossterm::style::{Attribute, Color as CrosstermColor, Colors, SetAttribute, SetColors};
use ratatui::crossterm::style::{SetBackgroundColor, SetForegroundColor, SetUnderlineColor};
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};

pub struct TtyBackend<W: Write> {
    inner: CrosstermBackend<W>,
    size: std::cell::Cell<Option<Size>>,
}

impl<W: Write> TtyBackend<W> {
    pub fn new(writer: W) -> TtyBackend<W> {
        TtyBackend {
            inner: CrosstermBackend::new(writer),
            size: std::cell::Cell::new(None),
        }
    }

    /// The terminal's size may have changed: the next frame asks it again.
    pub fn forget_size(&mut self) {
        self.size.set(None);
    }

    /// The size the next frames take, without asking the terminal.
    #[cfg(test)]
    pub fn set_size(&mut self, size: Size) {
        self.size.set(Some(size));
    }
}

impl<W: Write> Write for TtyBackend<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Write::flush(&mut self.inner)
    }
}

/// `CSI row ; column H` for the 0-based cell (`x`, `y`), as crossterm's
/// `MoveTo` writes it.
fn move_to(out: &mut impl Write, x: u16, y: u16) -> io::Result<()> {
    let mut bytes = [0u8; 16];
    bytes[..2].copy_from_slice(b"\x1b[");
    let mut at = 2;
    for (n, end) in [(u32::from(y) + 1, b';'), (u32::from(x) + 1, b'H')] {
        let digits = decimal(n);
        let digits = &digits[digits.iter().position(|&d| d != b'0').unwrap_or(4)..];
        bytes[at..at + digits.len()].copy_from_slice(digits);
        at += digits.len();
        bytes[at] = end;
        at += 1;
    }
    out.write_all(&bytes[..at])
}

/// The five decimal digits of `n` (at most 65,536), leading zeros included.
fn decimal(n: u32) -> [u8; 5] {
    let mut digits = [b'0'; 5];
    let mut n = n;
    for d in digits.iter_mut().rev() {
        *d = b'0' + (n % 10) as u8;
        n /= 10;
    }
    digits
}

fn crossterm_color(color: Color) -> CrosstermColor {
    use ratatui::backend::IntoCrossterm as _;
    color.into_crossterm()
}

impl<W: Write> Backend for TtyBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let out = &mut self.inner;
        let mut fg = Color::Reset;
        let mut bg = Color::Reset;
        let mut underline = Color::Reset;
        let mut modifier = Modifier::empty();
        let mut last: Option<Position> = None;
        for (x, y, cell) in content {
            if !matches!(last, Some(p) if x == p.x + 1 && y == p.y) {
                move_to(out, x, y)?;
            }
            last = Some(Position { x, y });
            if cell.modifier != modifier {
                set_modifier(out, modifier, cell.modifier)?;
                modifier = cell.modifier;
            }
            if cell.fg != fg || cell.bg != bg {
                queue!(
                    out,
                    SetColors(Colors::new(crossterm_color(cell.fg), crossterm_color(cell.bg)))
                )?;
                fg = cell.fg;
                bg = cell.bg;
            }
            if cell.underline_color != underline {
                queue!(out, SetUnderlineColor(crossterm_color(cell.underline_color)))?;
                underline = cell.underline_color;
            }
            out.write_all(cell.symbol().as_bytes())?;
        }
        queue!(
            out,
            SetForegroundColor(CrosstermColor::Reset),
            SetBackgroundColor(CrosstermColor::Reset),
            SetUnderlineColor(CrosstermColor::Reset),
            SetAttribute(Attribute::Reset),
        )
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        queue!(self.inner, Hide)?;
        Backend::flush(&mut self.inner)
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        queue!(self.inner, Show)
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let Position { x, y } = position.into();
        queue!(self.inner, MoveTo(x, y))?;
        Backend::flush(&mut self.inner)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        if let Some(size) = self.size.get() {
            return Ok(size);
        }
        let size = self.inner.size()?;
        self.size.set(Some(size));
        Ok(size)
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

/// The attributes that go from `from` to `to`, in the order and form of
/// crossterm's backend (a test compares the bytes).
fn set_modifier(out: &mut impl Write, from: Modifier, to: Modifier) -> io::Result<()> {
    let removed = from - to;
    if removed.contains(Modifier::REVERSED) {
        queue!(out, SetAttribute(Attribute::NoReverse))?;
    }
    // Bold and dim are both reset by one attribute; the one kept is set again.
    let reset_intensity = removed.intersects(Modifier::BOLD | Modifier::DIM);
    if reset_intensity {
        queue!(out, SetAttribute(Attribute::NormalIntensity))?;
        if to.contains(Modifier::DIM) {
            queue!(out, SetAttribute(Attribute::Dim))?;
        }
        if to.contains(Modifier::BOLD) {
            queue!(out, SetAttribute(Attribute::Bold))?;
        }
    }
    for (modifier, attribute) in [
        (Modifier::ITALIC, Attribute::NoItalic),
        (Modifier::UNDERLINED, Attribute::NoUnderline),
        (Modifier::CROSSED_OUT, Attribute::NotCrossedOut),
        (Modifier::HIDDEN, Attribute::NoHidden),
    ] {
        if removed.contains(modifier) {
            queue!(out, SetAttribute(attribute))?;
        }
    }
    if removed.intersects(Modifier::SLOW_BLINK | Modifier::RAPID_BLINK) {
        queue!(out, SetAttribute(Attribute::NoBlink))?;
    }
    let mut added = to - from;
    if reset_intensity {
        added.remove(Modifier::BOLD | Modifier::DIM);
    }
    for (modifier, attribute) in [
        (Modifier::REVERSED, Attribute::Reverse),
        (Modifier::BOLD, Attribute::Bold),
        (Modifier::ITALIC, Attribute::Italic),
        (Modifier::UNDERLINED, Attribute::Underlined),
        (Modifier::DIM, Attribute::Dim),
        (Modifier::CROSSED_OUT, Attribute::CrossedOut),
        (Modifier::HIDDEN, Attribute::Hidden),
        (Modifier::SLOW_BLINK, Attribute::SlowBlink),
        (Modifier::RAPID_BLINK, Attribute::RapidBlink),
    ] {
        if added.contains(modifier) {
            queue!(out, SetAttribute(attribute))?;
        }
    }
    Ok(())
}

#[cfg(test)]
pub(super) mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    use super::*;

    /// Cells of every modifier set and of each kind of colour, in runs and
    /// with gaps, the way frames differ.
    fn frames() -> (Buffer, Buffer) {
        let area = Rect::new(0, 0, 120, 24);
        let before = Buffer::empty(area);
        let mut after = Buffer::empty(area);
        let colors = [
            Color::Reset,
            Color::Red,
            Color::LightCyan,
            Color::DarkGray,
            Color::Indexed(208),
            Color::Rgb(1, 2, 3),
        ];
        let mut n: u32 = 0;
        for y in 0..area.height {
            for x in 0..area.width {
                n = n.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                if (n >> 16).is_multiple_of(5) {
                    continue;
                }
                let pick = |shift: u32| colors[((n >> shift) as usize) % colors.len()];
                let style = Style::default()
                    .fg(pick(3))
                    .bg(pick(7))
                    .underline_color(pick(11))
                    .add_modifier(Modifier::from_bits_truncate((n >> 20) as u16));
                let symbol = ["a", "─", "é", " ", "漢"][((n >> 14) % 5) as usize];
                after[(x, y)].set_symbol(symbol).set_style(style);
            }
        }
        (before, after)
    }

    /// Each write a backend made, in order, readable after the backend
    /// took the writer.
    #[derive(Clone, Default)]
    pub(in crate::tui) struct Writes(Rc<RefCell<Vec<Vec<u8>>>>);

    impl Writes {
        /// The writes made since the last call, one after the other.
        pub(in crate::tui) fn take(&self) -> Vec<Vec<u8>> {
            self.0.take()
        }

        /// The bytes written since the last call.
        pub(in crate::tui) fn bytes(&self) -> Vec<u8> {
            self.take().concat()
        }
    }

    impl Write for Writes {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().push(buf.to_vec());
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_frame_leaves_in_one_write_ending_with_its_cursor() {
        use ratatui::layout::Rect;
        use ratatui::{Terminal, TerminalOptions, Viewport};
        let writes = Writes::default();
        let backend = TtyBackend::new(io::BufWriter::new(writes.clone()));
        let viewport = Viewport::Fixed(Rect::new(0, 0, 20, 3));
        let mut terminal = Terminal::with_options(backend, TerminalOptions { viewport }).expect("a terminal");
        for (text, cursor) in [("query", Some((3, 1))), ("detail", None)] {
            terminal
                .draw(|frame| {
                    frame.render_widget(text, frame.area());
                    if let Some(at) = cursor {
                        frame.set_cursor_position(at);
                    }
                })
                .expect("drawn");
            let frame = writes.take();
            assert_eq!(frame.len(), 1, "{text}: {frame:?}");
            let frame = String::from_utf8_lossy(&frame[0]).into_owned();
            assert!(frame.contains(text), "{frame:?}");
            let end = if cursor.is_some() {
                "\x1b[?25h\x1b[2;4H"
            } else {
                "\x1b[?25l"
            };
            assert!(frame.ends_with(end), "{frame:?}");
        }
    }

    #[test]
    fn a_frame_is_written_as_crossterm_writes_it() {
        let (before, after) = frames();
        let (ours_written, theirs_written) = (Writes::default(), Writes::default());
        let mut ours = TtyBackend::new(ours_written.clone());
        let mut theirs = CrosstermBackend::new(theirs_written.clone());
        ours.draw(before.diff(&after).into_iter()).expect("draws");
        theirs.draw(before.diff(&after).into_iter()).expect("draws");
        // And back to empty: every attribute is removed somewhere.
        ours.draw(after.diff(&before).into_iter()).expect("draws");
        theirs.draw(after.diff(&before).into_iter()).expect("draws");
        let ours = String::from_utf8(ours_written.bytes()).expect("UTF-8");
        let theirs = String::from_utf8(theirs_written.bytes()).expect("UTF-8");
        assert!(ours.len() > 10_000, "{ours}");
        assert_eq!(ours, theirs);
    }
}
