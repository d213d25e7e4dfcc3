//! Word wrapping of styled lines, done here rather than by the paragraph
//! widget so that the detail pane knows which screen line holds what (to
//! keep the selected link in view).

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// Wraps `spans` to `width` columns; continuation lines start with
/// `indent` spaces. Breaks after spaces, after the `(` of a call and after
/// the `/` of a URL when it can, inside words only when a word is longer
/// than a line. A space at a break is dropped, never carried to the next
/// line.
pub fn wrap(spans: &[Span<'_>], width: usize, indent: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let indent = indent.min(width.saturating_sub(1));
    // Words: runs of characters ending after a break, with their styles.
    let mut words: Vec<Vec<(char, Style)>> = vec![Vec::new()];
    for span in spans {
        let url = span.content.contains("://");
        let mut previous = ' ';
        for c in span.content.chars() {
            if let Some(w) = words.last_mut() {
                w.push((c, span.style));
            }
            let call = c == '(' && (previous.is_alphanumeric() || previous == '_');
            if c == ' ' || call || (url && c == '/') {
                words.push(Vec::new());
            }
            previous = c;
        }
    }
    let mut lines: Vec<Vec<(char, Style)>> = vec![Vec::new()];
    let mut used = 0;
    let cw = |c: char| c.width().unwrap_or(0);
    for word in words.into_iter().filter(|w| !w.is_empty()) {
        let word_width: usize = word.iter().map(|(c, _)| cw(*c)).sum();
        let trimmed_width = word_width - usize::from(word.last().is_some_and(|(c, _)| *c == ' '));
        if used > indent && used + trimmed_width > width {
            lines.push(vec![(' ', Style::new()); indent]);
            used = indent;
        }
        let last = word.len() - 1;
        for (n, (c, style)) in word.into_iter().enumerate() {
            if n == last && c == ' ' && used + 1 > width {
                continue;
            }
            if used + cw(c) > width {
                lines.push(vec![(' ', Style::new()); indent]);
                used = indent;
            }
            used += cw(c);
            if let Some(l) = lines.last_mut() {
                l.push((c, style));
            }
        }
    }
    lines.into_iter().map(|cells| Line::from(merge(&cells))).collect()
}

/// Joins runs of equally styled characters back into spans.
fn merge(cells: &[(char, Style)]) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    for (c, style) in cells {
        match spans.last_mut() {
            Some(last) if last.style == *style => last.content.to_mut().push(*c),
            _ => spans.push(Span::styled(c.to_string(), *style)),
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect::<String>())
            .collect()
    }

    #[test]
    fn wraps_at_spaces_and_indents() {
        let spans = [Span::raw("int PyBuffer_FillInfo(Py_buffer *view, PyObject *exporter)")];
        assert_eq!(
            text(&wrap(&spans, 30, 2)),
            ["int PyBuffer_FillInfo(", "  Py_buffer *view, PyObject ", "  *exporter)"]
        );
    }

    #[test]
    fn no_line_starts_with_the_space_of_a_break() {
        let spans = [Span::raw("since 3.2 (Py_LIMITED_API 0x03020000)")];
        assert_eq!(text(&wrap(&spans, 25, 0)), ["since 3.2 (Py_LIMITED_API", "0x03020000)"]);
        let spans = [Span::raw("abi3 from 3.2; abi3t (3.15) yes")];
        assert_eq!(text(&wrap(&spans, 23, 0)), ["abi3 from 3.2; abi3t ", "(3.15) yes"]);
    }

    #[test]
    fn urls_break_only_at_slashes() {
        let spans = [Span::raw(
            "https://docs.python.org/3/c-api/buffer.html#c.PyBuffer_FillInfo",
        )];
        assert_eq!(
            text(&wrap(&spans, 40, 2)),
            ["https://docs.python.org/3/c-api/", "  buffer.html#c.PyBuffer_FillInfo"]
        );
    }

    #[test]
    fn breaks_long_words_and_survives_tiny_widths() {
        assert_eq!(text(&wrap(&[Span::raw("abcdefgh")], 3, 0)), ["abc", "def", "gh"]);
        assert_eq!(text(&wrap(&[Span::raw("ab cd")], 1, 4)), ["a", "b", "c", "d"]);
        assert_eq!(text(&wrap(&[Span::raw("😀😀")], 1, 0)).len(), 3);
        assert_eq!(text(&wrap(&[], 10, 0)), [""]);
    }
}
