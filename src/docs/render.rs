//! Laying the document model out as lines of styled pieces, wrapped to a
//! width: what the detail pane draws and what `show --doc` prints. Links
//! are numbered in reading order so that the explorer can select them.

use unicode_width::UnicodeWidthStr;

use super::text::{Block, Inline};

/// How a piece of text looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Text,
    Code,
    Emph,
    Strong,
    Link,
    Heading,
    /// A note's title and its left rule.
    Note,
    /// A line of a code block.
    CodeBlock,
    /// A version note.
    Version,
    /// List markers and indentation rules.
    Marker,
}

/// A run of text in one class; `link` numbers a link to a catalog item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub class: Class,
    pub link: Option<usize>,
}

pub type DocLine = Vec<Piece>;

/// The laid-out text and the link targets, by number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub lines: Vec<DocLine>,
    pub links: Vec<String>,
}

impl Rendered {
    /// A line as plain text.
    pub fn plain(line: &DocLine) -> String {
        line.iter()
            .map(|p| p.text.as_str())
            .collect::<String>()
            .trim_end()
            .to_string()
    }
}

/// Lays `blocks` out at `width` columns (at least 10).
pub fn render(blocks: &[Block], width: usize) -> Rendered {
    let mut out = Rendered::default();
    let width = width.max(10);
    lay_blocks(blocks, &[], width, None, &mut out);
    // No blank line at the end.
    while out.lines.last().is_some_and(|l| Rendered::plain(l).is_empty()) {
        out.lines.pop();
    }
    out
}

fn piece(text: impl Into<String>, class: Class) -> Piece {
    Piece {
        text: text.into(),
        class,
        link: None,
    }
}

fn lay_blocks(blocks: &[Block], prefix: &[Piece], width: usize, class: Option<Class>, out: &mut Rendered) {
    // A blank line between blocks keeps a note's rule, not indentation.
    let blank: DocLine = if prefix.iter().all(|p| p.text.trim().is_empty()) {
        Vec::new()
    } else {
        prefix.to_vec()
    };
    for (n, block) in blocks.iter().enumerate() {
        if n > 0 {
            out.lines.push(blank.clone());
        }
        lay_block(block, prefix, width, class, out);
    }
}

fn lay_block(block: &Block, prefix: &[Piece], width: usize, class: Option<Class>, out: &mut Rendered) {
    match block {
        Block::Para(inlines) => wrap(inlines, prefix, prefix, width, class, out),
        Block::Heading(inlines) => wrap(inlines, prefix, prefix, width, Some(Class::Heading), out),
        // Code is never wrapped: a line wider than the width stays whole,
        // so that what is copied from it compiles; the explorer cuts it
        // at the pane's edge with a mark and scrolls it sideways.
        Block::Code(code) => {
            let mut inner = prefix.to_vec();
            inner.push(piece("    ", Class::Marker));
            for line in code.lines() {
                let mut l = inner.clone();
                l.push(piece(line, Class::CodeBlock));
                out.lines.push(l);
            }
        }
        Block::List { ordered, items } => {
            for (n, item) in items.iter().enumerate() {
                let marker = if *ordered {
                    format!("{}. ", n + 1)
                } else {
                    "• ".to_string()
                };
                let mut first = prefix.to_vec();
                first.push(piece(marker.clone(), Class::Marker));
                let mut rest = prefix.to_vec();
                rest.push(piece(" ".repeat(marker.chars().count()), Class::Marker));
                let start = out.lines.len();
                lay_blocks(item, &rest, width, class, out);
                // The first line of the item gets the marker.
                if let Some(line) = out.lines.get_mut(start) {
                    line.splice(..rest.len(), first);
                }
            }
        }
        Block::Note { title, body } => {
            let mut rule = prefix.to_vec();
            rule.push(piece("│ ", Class::Note));
            let mut head = rule.clone();
            head.push(piece(title.clone(), Class::Note));
            out.lines.push(head);
            lay_blocks(body, &rule, width, class, out);
        }
        Block::Version(body) => lay_blocks(body, prefix, width, Some(Class::Version), out),
        Block::Definition { term, body } => {
            for line in term.split(|i| matches!(i, Inline::Text(t) if t == "\n")) {
                let code: Vec<Inline> = line.iter().map(|i| Inline::Code(i.text().to_string())).collect();
                wrap(&code, prefix, prefix, width, None, out);
            }
            let mut inner = prefix.to_vec();
            inner.push(piece("    ", Class::Marker));
            lay_blocks(body, &inner, width, class, out);
        }
        Block::Table(rows) => {
            for row in rows {
                let mut inlines = Vec::new();
                for (n, cell) in row.iter().enumerate() {
                    if n > 0 {
                        inlines.push(Inline::Text(" · ".to_string()));
                    }
                    inlines.extend(cell.iter().cloned());
                }
                wrap(&inlines, prefix, prefix, width, class, out);
            }
        }
    }
}

fn columns(pieces: &[Piece]) -> usize {
    pieces.iter().map(|p| p.text.width()).sum()
}

/// The longest head of `text` within `room` columns (at least one
/// character), and the rest. A URL (`url`) is cut after a `/` when one
/// fits.
fn split_at_columns(text: &str, room: usize, url: bool) -> (&str, &str) {
    let mut used = 0;
    let mut slash = None;
    for (i, c) in text.char_indices() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > room && i > 0 {
            let at = slash.filter(|_| url).unwrap_or(i);
            return text.split_at(at);
        }
        used += w;
        if c == '/' && i + 1 < text.len() {
            slash = Some(i + 1);
        }
    }
    (text, "")
}

/// A run of one class within a word.
struct Run<'t> {
    text: &'t str,
    class: Class,
    link: Option<usize>,
}

/// Greedy word wrap of inline runs after a prefix. A word may span runs
/// (`(` then a link then `)`), and stays whole unless longer than a line.
fn wrap(inlines: &[Inline], first: &[Piece], rest: &[Piece], width: usize, class: Option<Class>, out: &mut Rendered) {
    // Words as runs, and whether a space precedes each.
    let mut words: Vec<(bool, Vec<Run<'_>>)> = Vec::new();
    let mut space = false;
    for inline in inlines {
        let (base, link) = match inline {
            Inline::Text(_) => (Class::Text, None),
            Inline::Code(_) => (Class::Code, None),
            Inline::Emph(_) => (Class::Emph, None),
            Inline::Strong(_) => (Class::Strong, None),
            Inline::Link { target, .. } => {
                out.links.push(target.clone());
                (Class::Link, Some(out.links.len() - 1))
            }
        };
        let class = match (class, base) {
            (Some(over), Class::Text | Class::Emph) => over,
            _ => base,
        };
        for part in split_spaces(inline.text()) {
            if part.starts_with(' ') {
                space = true;
                continue;
            }
            let run = Run {
                text: part,
                class,
                link,
            };
            match words.last_mut() {
                Some((_, runs)) if !space => runs.push(run),
                _ => words.push((space, vec![run])),
            }
            space = false;
        }
    }
    let mut line = first.to_vec();
    let mut used = columns(first);
    let mut empty = true;
    for (spaced, runs) in words {
        let w: usize = runs.iter().map(|r| r.text.width()).sum();
        let gap = usize::from(spaced && !empty);
        if !empty && used + gap + w > width {
            out.lines.push(std::mem::replace(&mut line, rest.to_vec()));
            used = columns(rest);
        } else if gap == 1 {
            push_piece(&mut line, " ".to_string(), runs[0].class, None);
            used += 1;
        }
        for run in runs {
            // A word longer than the line is cut, each character measured
            // once (a 1 MB word is laid out in linear time).
            let mut remaining = run.text;
            let url = run.text.contains("://");
            loop {
                let room = width.saturating_sub(used).max(1);
                let (head, tail) = split_at_columns(remaining, room, url);
                used += head.width();
                push_piece(&mut line, head.to_string(), run.class, run.link);
                if tail.is_empty() {
                    break;
                }
                out.lines.push(std::mem::replace(&mut line, rest.to_vec()));
                used = columns(rest);
                remaining = tail;
            }
        }
        empty = false;
    }
    if !empty {
        out.lines.push(line);
    }
}

/// Text split into runs of spaces and runs of other characters.
fn split_spaces(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in text.char_indices() {
        let space = c == ' ';
        if in_space.is_some_and(|s| s != space) {
            out.push(&text[start..i]);
            start = i;
        }
        in_space = Some(space);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

fn push_piece(pieces: &mut DocLine, text: String, class: Class, link: Option<usize>) {
    match pieces.last_mut() {
        Some(last) if last.class == class && last.link == link => last.text.push_str(&text),
        _ => pieces.push(Piece { text, class, link }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(r: &Rendered) -> Vec<String> {
        r.lines.iter().map(Rendered::plain).collect()
    }

    #[test]
    fn paragraphs_wrap_and_links_are_numbered() {
        let blocks = vec![Block::Para(vec![
            Inline::Text("Release the buffer with ".into()),
            Inline::Link {
                text: "PyBuffer_Release()".into(),
                target: "PyBuffer_Release".into(),
            },
            Inline::Text(" when done with it, always.".into()),
        ])];
        let r = render(&blocks, 30);
        assert_eq!(
            plain(&r),
            vec![
                "Release the buffer with",
                "PyBuffer_Release() when done",
                "with it, always."
            ]
        );
        assert_eq!(r.links, vec!["PyBuffer_Release"]);
        assert_eq!(r.lines[1][0].link, Some(0));
        assert!(r.lines.iter().flatten().all(|p| p.text.width() <= 30));
    }

    #[test]
    fn lists_notes_code_and_definitions_are_indented() {
        let blocks = vec![
            Block::List {
                ordered: false,
                items: vec![vec![Block::Para(vec![Inline::Text("one two three four".into())])]],
            },
            Block::Note {
                title: "Note".into(),
                body: vec![Block::Para(vec![Inline::Text("careful".into())])],
            },
            Block::Code("int x;".into()),
            Block::Definition {
                term: vec![Inline::Text("int m".into())],
                body: vec![Block::Para(vec![Inline::Text("a member".into())])],
            },
        ];
        assert_eq!(
            plain(&render(&blocks, 14)),
            vec![
                "• one two",
                "  three four",
                "",
                "│ Note",
                "│ careful",
                "",
                "    int x;",
                "",
                "int m",
                "    a member"
            ]
        );
    }

    #[test]
    fn code_is_never_wrapped_and_urls_break_at_slashes() {
        let long = "PyObject *result = PyObject_CallMethodObjArgs(self, name, arg, NULL);";
        let r = render(&[Block::Code(long.into())], 30);
        assert_eq!(plain(&r), vec![format!("    {long}")]);
        let url = "https://peps.python.org/pep-0803/#abi3t-and-the-limited-api";
        let r = render(&[Block::Para(vec![Inline::Text(url.into())])], 30);
        assert_eq!(
            plain(&r),
            vec!["https://peps.python.org/", "pep-0803/", "#abi3t-and-the-limited-api"]
        );
    }

    #[test]
    fn a_word_spanning_runs_stays_whole() {
        let blocks = vec![Block::Para(vec![
            Inline::Text("for free-threaded builds (".into()),
            Inline::Emph("abi3t".into()),
            Inline::Text("), this".into()),
        ])];
        assert_eq!(
            plain(&render(&blocks, 28)),
            vec!["for free-threaded builds", "(abi3t), this"]
        );
    }

    #[test]
    fn long_words_and_tiny_widths_do_not_overflow() {
        let blocks = vec![Block::Para(vec![Inline::Code(
            "PyUnstable_Object_EnableDeferredRefcount".into(),
        )])];
        for width in [1, 10, 12, 40] {
            let r = render(&blocks, width);
            assert!(
                r.lines.iter().all(|l| columns(l) <= width.max(10)),
                "{width}: {:?}",
                plain(&r)
            );
            assert_eq!(plain(&r).concat(), "PyUnstable_Object_EnableDeferredRefcount");
        }
    }
}
