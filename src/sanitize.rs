//! Text read from files and arguments is data, never terminal commands.
//!
//! A symbol name, a wheel member, a `Py_LIMITED_API` value or a docs page
//! can hold an escape sequence (OSC 52 sets the clipboard, OSC 8 plants a
//! link, CSI clears the screen), a newline that forges a report line, or a
//! bidirectional override that shows text reordered. [`is_control`] is the
//! one definition of such a character; [`escape`] writes each one visibly
//! (`\x1b`, `\n`, `\u{202e}`) for text output, in a terminal and in a pipe
//! alike. JSON output needs none of this: its strings are escaped by serde
//! and keep the exact text.
//!
//! A backslash is left as it is: an escaped control reads the same as the
//! same characters typed, which is harmless, while doubling backslashes
//! would garble every Windows path in a wheel.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

/// Whether `c` must not reach a terminal as it is: C0 controls (newline and
/// tab included), DEL, C1 controls, the bidirectional formatting characters
/// (embeddings, overrides, isolates and marks) and the Unicode line and
/// paragraph separators.
pub fn is_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
        )
}

/// `text` with every [`is_control`] character written visibly; borrowed
/// when there is none.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    // Writing to a String cannot fail.
    let _ = write_escaped(&mut out, text);
    Cow::Owned(out)
}

fn write_escaped(out: &mut impl fmt::Write, text: &str) -> fmt::Result {
    let mut rest = text;
    while let Some((at, c)) = rest.char_indices().find(|(_, c)| is_control(*c)) {
        out.write_str(&rest[..at])?;
        match c {
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            '\t' => out.write_str("\\t")?,
            c if u32::from(c) < 0x80 => write!(out, "\\x{:02x}", u32::from(c))?,
            c => write!(out, "\\u{{{:x}}}", u32::from(c))?,
        }
        rest = &rest[at + c.len_utf8()..];
    }
    out.write_str(rest)
}

/// Displays a value with its controls escaped: `Escaped(&error)` in a
/// format string.
pub struct Escaped<T>(pub T);

impl<T: fmt::Display> fmt::Display for Escaped<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Out<'a, 'b>(&'a mut fmt::Formatter<'b>);
        impl fmt::Write for Out<'_, '_> {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                write_escaped(self.0, s)
            }
        }
        write!(Out(f), "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_written_visibly() {
        assert_eq!(escape("PyList_New"), Cow::Borrowed("PyList_New"));
        assert_eq!(
            escape("a\x1b]52;c;aGk=\x07b\nc\td\re\x7f\u{9b}"),
            "a\\x1b]52;c;aGk=\\x07b\\nc\\td\\re\\x7f\\u{9b}"
        );
        assert_eq!(
            escape("abc\u{202e}fed\u{2066}x\u{2069}"),
            "abc\\u{202e}fed\\u{2066}x\\u{2069}"
        );
        assert_eq!(escape("\u{2028}\u{200f}\u{61c}"), "\\u{2028}\\u{200f}\\u{61c}");
        assert_eq!(escape("C:\\x.pyd é 😀 —"), "C:\\x.pyd é 😀 —");
    }

    #[test]
    fn every_control_is_caught() {
        let all: String = (0..=0x10_ffff).filter_map(char::from_u32).collect();
        let escaped = escape(&all);
        assert!(!escaped.chars().any(is_control));
        for c in [
            '\0', '\x1b', '\x7f', '\u{85}', '\u{9f}', '\u{202a}', '\u{202d}', '\u{2067}',
        ] {
            assert!(is_control(c), "{c:?}");
        }
        for c in [' ', 'a', '\u{a0}', '\u{200b}', '\u{200d}', 'é'] {
            assert!(!is_control(c), "{c:?}");
        }
    }

    #[test]
    fn the_display_adapter_escapes_the_whole_value() {
        let e = std::io::Error::other("bad\x1b[2Jname\n");
        assert_eq!(Escaped(&e).to_string(), "bad\\x1b[2Jname\\n");
        assert_eq!(format!("{}", Escaped("plain")), "plain");
    }
}
