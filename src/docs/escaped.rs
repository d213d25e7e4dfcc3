//! The documentation text as a terminal may show it.
//!
//! A page's text can hold any character (`&#27;` decodes to ESC), so what
//! `show --doc` prints and the detail pane draws is the document model
//! with its controls escaped by [`crate::sanitize::escape`], before layout
//! so that widths stay right; `show --doc --json` keeps the exact text.
//! Code blocks keep their line breaks and definition terms their line
//! separators; inline code keeps the HTML source's whitespace, which a
//! browser shows as spaces, and so does this.

use super::text::{Block, Inline};
use crate::sanitize::escape;

/// The blocks with every control character in their text written visibly.
pub fn blocks(model: &[Block]) -> Vec<Block> {
    model.iter().map(block).collect()
}

fn block(block: &Block) -> Block {
    let all = |v: &[Block]| blocks(v);
    match block {
        Block::Para(v) => Block::Para(inlines(v)),
        Block::Heading(v) => Block::Heading(inlines(v)),
        Block::Code(code) => Block::Code(
            code.lines()
                .map(|l| escape(l).into_owned())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        Block::List { ordered, items } => Block::List {
            ordered: *ordered,
            items: items.iter().map(|i| all(i)).collect(),
        },
        Block::Note { title, body } => Block::Note {
            title: escape(title).into_owned(),
            body: all(body),
        },
        Block::Version(body) => Block::Version(all(body)),
        Block::Definition { term, body } => Block::Definition {
            term: inlines(term),
            body: all(body),
        },
        Block::Table(rows) => Block::Table(
            rows.iter()
                .map(|row| row.iter().map(|cell| inlines(cell)).collect())
                .collect(),
        ),
    }
}

fn inlines(inlines: &[Inline]) -> Vec<Inline> {
    let clean = |t: &str| {
        if t == "\n" {
            return t.to_string();
        }
        let spaced: String = t
            .chars()
            .map(|c| {
                if matches!(c, '\t' | '\n' | '\r' | '\x0c') {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        escape(&spaced).into_owned()
    };
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text(t) => Inline::Text(clean(t)),
            Inline::Code(t) => Inline::Code(clean(t)),
            Inline::Emph(t) => Inline::Emph(clean(t)),
            Inline::Strong(t) => Inline::Strong(clean(t)),
            Inline::Link { text, target } => Inline::Link {
                text: clean(text),
                target: target.clone(),
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_structure_kept() {
        let raw = vec![
            Block::Para(vec![
                Inline::Text("a\x1b]52;c;aGk=\x07 b".into()),
                Inline::Code("x\ny".into()),
            ]),
            Block::Code("int a;\n/* \u{202e} */\r\nint b;".into()),
            Block::Definition {
                term: vec![
                    Inline::Code("int m".into()),
                    Inline::Text("\n".into()),
                    Inline::Code("int n".into()),
                ],
                body: vec![Block::Note {
                    title: "N\x1bote".into(),
                    body: Vec::new(),
                }],
            },
        ];
        let shown = blocks(&raw);
        assert_eq!(
            shown[0],
            Block::Para(vec![
                Inline::Text("a\\x1b]52;c;aGk=\\x07 b".into()),
                Inline::Code("x y".into())
            ])
        );
        assert_eq!(shown[1], Block::Code("int a;\n/* \\u{202e} */\nint b;".into()));
        let Block::Definition { term, body } = &shown[2] else {
            panic!("a definition")
        };
        assert_eq!(term[1], Inline::Text("\n".into()));
        assert_eq!(body[0].plain(), "N\\x1bote\n");
    }
}
