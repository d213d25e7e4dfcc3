//! The query line: a string with a cursor counted in characters, so
//! editing never splits a multibyte character.

use unicode_width::UnicodeWidthChar;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    /// Cursor position in characters, `0..=len`.
    cursor: usize,
}

impl TextInput {
    pub fn new(text: &str) -> TextInput {
        let mut input = TextInput::default();
        input.insert_str(text);
        input
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text.char_indices().nth(chars).map_or(self.text.len(), |(b, _)| b)
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    /// Inserts typed or pasted text at the cursor. Control characters
    /// ([`crate::sanitize::is_control`]: bidirectional overrides too) are
    /// dropped, line breaks and tabs become spaces.
    pub fn insert_str(&mut self, s: &str) {
        let clean: String = s
            .chars()
            .filter_map(|c| match c {
                '\n' | '\r' | '\t' => Some(' '),
                c if crate::sanitize::is_control(c) => None,
                c => Some(c),
            })
            .collect();
        let at = self.byte_at(self.cursor);
        self.text.insert_str(at, &clean);
        self.cursor += clean.chars().count();
    }

    pub fn insert(&mut self, c: char) {
        let mut buf = [0; 4];
        self.insert_str(c.encode_utf8(&mut buf));
    }

    /// Deletes the character before the cursor; false when there is none.
    pub fn backspace(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        let start = self.byte_at(self.cursor - 1);
        let end = self.byte_at(self.cursor);
        self.text.replace_range(start..end, "");
        self.cursor -= 1;
        true
    }

    /// Deletes the word before the cursor (and the spaces after it).
    pub fn delete_word(&mut self) {
        let chars: Vec<char> = self.text.chars().collect();
        let mut start = self.cursor;
        while start > 0 && chars[start - 1].is_whitespace() {
            start -= 1;
        }
        while start > 0 && !chars[start - 1].is_whitespace() {
            start -= 1;
        }
        let (from, to) = (self.byte_at(start), self.byte_at(self.cursor));
        self.text.replace_range(from..to, "");
        self.cursor = start;
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.len());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.len();
    }

    /// The part of the text to show in `width` columns so that the cursor
    /// stays visible, and the cursor's column within it.
    pub fn window(&self, width: usize) -> (String, usize) {
        if width == 0 {
            return (String::new(), 0);
        }
        let chars: Vec<char> = self.text.chars().collect();
        let w = |c: &char| c.width().unwrap_or(0);
        // Start far enough right that the cursor (one cell) fits.
        let mut start = self.cursor;
        let mut used = 1;
        while start > 0 && used + w(&chars[start - 1]) <= width {
            start -= 1;
            used += w(&chars[start]);
        }
        let cursor_col: usize = chars[start..self.cursor].iter().map(w).sum();
        let mut shown = String::new();
        let mut cols = 0;
        for c in &chars[start..] {
            if cols + w(c) > width {
                break;
            }
            cols += w(c);
            shown.push(*c);
        }
        (shown, cursor_col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_multibyte_text_by_characters() {
        let mut t = TextInput::new("é😀x");
        t.left();
        assert!(t.backspace());
        assert_eq!(t.text(), "éx");
        t.insert('ß');
        assert_eq!(t.text(), "éßx");
        t.home();
        assert!(!t.backspace());
        t.right();
        t.insert_str("a\nb\u{7}c");
        assert_eq!(t.text(), "éa bcßx");
    }

    #[test]
    fn deletes_words_and_clears() {
        let mut t = TextInput::new("list  item ");
        t.delete_word();
        assert_eq!(t.text(), "list  ");
        t.delete_word();
        assert_eq!(t.text(), "");
        t.insert_str("abc");
        t.clear();
        assert_eq!((t.text(), t.cursor()), ("", 0));
    }

    #[test]
    fn the_window_keeps_the_cursor_visible() {
        let long = "x".repeat(10_000);
        let t = TextInput::new(&long);
        let (shown, col) = t.window(20);
        assert_eq!(shown.len(), 19);
        assert_eq!(col, 19);
        let mut t = TextInput::new("😀😀😀😀");
        t.home();
        let (shown, col) = t.window(5);
        assert_eq!((shown.as_str(), col), ("😀😀", 0));
        assert_eq!(TextInput::new("abc").window(0), (String::new(), 0));
    }
}
