//! An entry's documentation as a small document model: blocks (paragraphs,
//! code, lists, notes, version notes, member definitions, tables) made of
//! inline runs (text, inline code, emphasis, links to catalog items).

use super::html::Token;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Code(String),
    Emph(String),
    Strong(String),
    /// A link to a catalog item (`target`).
    Link {
        text: String,
        target: String,
    },
}

impl Inline {
    pub fn text(&self) -> &str {
        match self {
            Inline::Text(t) | Inline::Code(t) | Inline::Emph(t) | Inline::Strong(t) => t,
            Inline::Link { text, .. } => text,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Para(Vec<Inline>),
    Code(String),
    List {
        ordered: bool,
        items: Vec<Vec<Block>>,
    },
    /// A note, warning or "see also" box.
    Note {
        title: String,
        body: Vec<Block>,
    },
    /// "Added in version 3.11", "Changed in version 3.13: ...".
    Version(Vec<Block>),
    /// A nested definition (a struct member, a slot): its signature and body.
    Definition {
        term: Vec<Inline>,
        body: Vec<Block>,
    },
    Heading(Vec<Inline>),
    Table(Vec<Vec<Vec<Inline>>>),
}

impl Block {
    /// All the text, for tests and emptiness checks.
    pub fn plain(&self) -> String {
        let inlines = |v: &[Inline]| v.iter().map(Inline::text).collect::<String>();
        let blocks = |v: &[Block]| v.iter().map(Block::plain).collect::<Vec<_>>().join("\n");
        match self {
            Block::Para(v) | Block::Heading(v) => inlines(v),
            Block::Code(c) => c.clone(),
            Block::List { items, .. } => items.iter().map(|i| blocks(i)).collect::<Vec<_>>().join("\n"),
            Block::Note { title, body } => format!("{title}\n{}", blocks(body)),
            Block::Version(body) => blocks(body),
            Block::Definition { term, body } => format!("{}\n{}", inlines(term), blocks(body)),
            Block::Table(rows) => rows
                .iter()
                .map(|r| r.iter().map(|c| inlines(c)).collect::<Vec<_>>().join(" | "))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// The blocks of an entry's tokens (from [`super::html::entry`]). The
/// entry's own signature lines are left out (the facts show the
/// signature); links count only when `known` accepts their target.
pub fn blocks(tokens: &[Token<'_>], known: &dyn Fn(&str) -> bool) -> Vec<Block> {
    let mut builder = Builder {
        tokens,
        at: 0,
        known,
        depth: 0,
    };
    // Skip the leading signatures.
    while let Some(Token::Start { name: "dt", .. }) = builder.tokens.get(builder.at) {
        builder.skip_element();
        while let Some(Token::Text(t)) = builder.tokens.get(builder.at) {
            if !t.trim().is_empty() {
                break;
            }
            builder.at += 1;
        }
    }
    builder.blocks_until(None)
}

struct Builder<'t, 'a, 'k> {
    tokens: &'t [Token<'a>],
    at: usize,
    known: &'k dyn Fn(&str) -> bool,
    /// Nesting of the blocks being built.
    depth: usize,
}

/// Deeper nesting is read flat: hostile HTML cannot exhaust the stack.
const MAX_DEPTH: usize = 32;

/// Classes of `<div>` that hold version notes.
const VERSION_DIVS: [&str; 6] = [
    "versionadded",
    "versionchanged",
    "deprecated",
    "deprecated-removed",
    "versionremoved",
    "soft-deprecated",
];

impl<'t, 'a> Builder<'t, 'a, '_> {
    fn peek(&self) -> Option<&'t Token<'a>> {
        self.tokens.get(self.at)
    }

    /// Moves past the element starting here (a start tag) and its content.
    fn skip_element(&mut self) {
        let mut depth = 0_usize;
        while let Some(t) = self.tokens.get(self.at) {
            self.at += 1;
            match t {
                Token::Start { closed: false, .. } => depth += 1,
                Token::Start { closed: true, .. } if depth == 0 => return,
                Token::End(_) => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    /// Blocks up to the end tag `end` (consumed), or the end of the tokens.
    fn blocks_until(&mut self, end: Option<&str>) -> Vec<Block> {
        self.depth += 1;
        let out = self.blocks_until_inner(end);
        self.depth -= 1;
        out
    }

    fn blocks_until_inner(&mut self, end: Option<&str>) -> Vec<Block> {
        let mut out = Vec::new();
        let mut run: Vec<Inline> = Vec::new();
        let flush = |run: &mut Vec<Inline>, out: &mut Vec<Block>| {
            let para = tidy(std::mem::take(run));
            if !para.is_empty() {
                out.push(Block::Para(para));
            }
        };
        while let Some(token) = self.peek() {
            match token {
                Token::End(name) => {
                    self.at += 1;
                    if Some(*name) == end {
                        break;
                    }
                }
                Token::Text(_) => {
                    let inlines = self.inline_run();
                    run.extend(inlines);
                }
                Token::Start { name, .. } => {
                    let name = *name;
                    if is_inline(name) {
                        let inlines = self.inline_run();
                        run.extend(inlines);
                        continue;
                    }
                    flush(&mut run, &mut out);
                    self.block(name, token, &mut out);
                }
            }
        }
        flush(&mut run, &mut out);
        out
    }

    /// One block element starting here.
    fn block(&mut self, name: &str, token: &'t Token<'a>, out: &mut Vec<Block>) {
        let closed = matches!(token, Token::Start { closed: true, .. });
        self.at += 1;
        if closed || (self.depth >= MAX_DEPTH && !matches!(name, "p" | "pre")) {
            // Too deep: the content is read at this level.
            return;
        }
        match name {
            "p" if token.has_class("admonition-title") => {
                let title = tidy(self.inlines_until("p"));
                out.push(Block::Heading(title));
            }
            "p" => {
                let para = tidy(self.inlines_until("p"));
                if !para.is_empty() {
                    out.push(Block::Para(para));
                }
            }
            "pre" => {
                let code = self.text_until("pre");
                out.push(Block::Code(code.trim_end().to_string()));
            }
            "div" if token.has_class("admonition") => {
                let mut body = self.blocks_until(Some("div"));
                let title = match body.first() {
                    Some(Block::Heading(t)) => {
                        let t = t.iter().map(Inline::text).collect();
                        body.remove(0);
                        t
                    }
                    _ => "Note".to_string(),
                };
                out.push(Block::Note { title, body });
            }
            "div" if VERSION_DIVS.iter().any(|c| token.has_class(c)) => {
                let body = self.blocks_until(Some("div"));
                out.push(Block::Version(body));
            }
            "ul" | "ol" => {
                let ordered = name == "ol";
                let mut items = Vec::new();
                while let Some(t) = self.peek() {
                    match t {
                        Token::Start { name: "li", .. } => {
                            self.at += 1;
                            items.push(self.blocks_until(Some("li")));
                        }
                        Token::End(n) if *n == name => {
                            self.at += 1;
                            break;
                        }
                        _ => self.at += 1,
                    }
                }
                out.push(Block::List { ordered, items });
            }
            "dl" => self.definitions(out),
            "table" => {
                let mut rows = Vec::new();
                while let Some(t) = self.peek() {
                    match t {
                        Token::Start { name: "tr", .. } => {
                            self.at += 1;
                            rows.push(self.cells());
                        }
                        Token::End("table") => {
                            self.at += 1;
                            break;
                        }
                        _ => self.at += 1,
                    }
                }
                out.push(Block::Table(rows));
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let heading = tidy(self.inlines_until(name));
                out.push(Block::Heading(heading));
            }
            // Containers: their content.
            _ => out.extend(self.blocks_until(Some(name))),
        }
    }

    /// `<dt>` terms and their `<dd>` bodies, up to `</dl>`.
    fn definitions(&mut self, out: &mut Vec<Block>) {
        let mut term: Vec<Inline> = Vec::new();
        while let Some(t) = self.peek() {
            match t {
                Token::Start { name: "dt", .. } => {
                    self.at += 1;
                    if !term.is_empty() {
                        term.push(Inline::Text("\n".to_string()));
                    }
                    term.extend(self.inlines_until("dt"));
                }
                Token::Start { name: "dd", .. } => {
                    self.at += 1;
                    let body = self.blocks_until(Some("dd"));
                    out.push(Block::Definition {
                        term: tidy(std::mem::take(&mut term)),
                        body,
                    });
                }
                Token::End("dl") => {
                    self.at += 1;
                    break;
                }
                _ => self.at += 1,
            }
        }
    }

    /// A table row's cells.
    fn cells(&mut self) -> Vec<Vec<Inline>> {
        let mut cells = Vec::new();
        while let Some(t) = self.peek() {
            match t {
                Token::Start {
                    name: name @ ("td" | "th"),
                    ..
                } => {
                    self.at += 1;
                    cells.push(tidy(self.inlines_until(name)));
                }
                Token::End("tr") => {
                    self.at += 1;
                    break;
                }
                _ => self.at += 1,
            }
        }
        cells
    }

    /// Inline content starting here, up to the next block element or an
    /// end tag that is not an inline one.
    fn inline_run(&mut self) -> Vec<Inline> {
        self.inlines(None)
    }

    /// Inline content up to the end tag `end` (consumed), block tags inside
    /// read for their text.
    fn inlines_until(&mut self, end: &str) -> Vec<Inline> {
        self.inlines(Some(end))
    }

    fn inlines(&mut self, end: Option<&str>) -> Vec<Inline> {
        let mut out = Vec::new();
        let mut style = Style::default();
        let mut stack: Vec<&'a str> = Vec::new();
        let mut depth = 0_usize;
        while let Some(t) = self.peek() {
            match t {
                Token::Text(s) => {
                    style.push(&mut out, s);
                    self.at += 1;
                }
                Token::Start { name, .. } if is_inline(name) => {
                    self.inline_start(t, &mut style, &mut stack);
                }
                Token::End(name) if stack.last() == Some(name) => {
                    self.at += 1;
                    stack.pop();
                    style.end(name);
                }
                // A run stops at a block tag or an end tag of its container.
                _ if end.is_none() => break,
                Token::Start { name, closed, .. } => {
                    self.at += 1;
                    if !closed && Some(*name) == end {
                        depth += 1;
                    }
                }
                Token::End(name) => {
                    self.at += 1;
                    if Some(*name) == end {
                        if depth == 0 {
                            break;
                        }
                        depth -= 1;
                    }
                }
            }
        }
        out
    }

    fn inline_start(&mut self, t: &'t Token<'a>, style: &mut Style, stack: &mut Vec<&'a str>) {
        let Token::Start { name, closed, .. } = t else { return };
        if t.has_class("headerlink") {
            self.skip_element();
            return;
        }
        self.at += 1;
        if *closed {
            return;
        }
        stack.push(name);
        match *name {
            "code" | "tt" | "kbd" | "samp" => style.code += 1,
            "em" | "i" | "cite" | "var" => style.emph += 1,
            "strong" | "b" => style.strong += 1,
            "a" => {
                let target = t
                    .attr("href")
                    .and_then(|h| h.split_once('#'))
                    .and_then(|(_, anchor)| anchor.strip_prefix("c."))
                    .filter(|n| (self.known)(n))
                    .map(String::from);
                style.links.push(target);
            }
            _ => {}
        }
    }

    /// The raw text up to the end tag `end` (consumed), whitespace kept.
    fn text_until(&mut self, end: &str) -> String {
        let mut out = String::new();
        while let Some(t) = self.peek() {
            self.at += 1;
            match t {
                Token::Text(s) => out.push_str(s),
                Token::End(name) if *name == end => break,
                _ => {}
            }
        }
        out
    }
}

fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "span"
            | "em"
            | "i"
            | "strong"
            | "b"
            | "code"
            | "tt"
            | "kbd"
            | "samp"
            | "cite"
            | "var"
            | "br"
            | "abbr"
            | "sub"
            | "sup"
            | "small"
            | "img"
            | "wbr"
    )
}

/// The inline styles open at a point.
#[derive(Default)]
struct Style {
    code: usize,
    emph: usize,
    strong: usize,
    /// Open links, innermost last, with their catalog targets.
    links: Vec<Option<String>>,
}

impl Style {
    fn end(&mut self, name: &str) {
        match name {
            "code" | "tt" | "kbd" | "samp" => self.code = self.code.saturating_sub(1),
            "em" | "i" | "cite" | "var" => self.emph = self.emph.saturating_sub(1),
            "strong" | "b" => self.strong = self.strong.saturating_sub(1),
            "a" => {
                self.links.pop();
            }
            _ => {}
        }
    }

    fn push(&self, out: &mut Vec<Inline>, text: &str) {
        let text = if self.code > 0 {
            text.to_string()
        } else {
            collapse(text)
        };
        if text.is_empty() {
            return;
        }
        let inline = match self.links.last() {
            Some(Some(target)) => Inline::Link {
                text,
                target: target.clone(),
            },
            _ if self.code > 0 => Inline::Code(text),
            _ if self.strong > 0 => Inline::Strong(text),
            _ if self.emph > 0 => Inline::Emph(text),
            _ => Inline::Text(text),
        };
        // Runs of one kind (and one link) merge.
        match (out.last_mut(), &inline) {
            (Some(Inline::Text(a)), Inline::Text(b))
            | (Some(Inline::Code(a)), Inline::Code(b))
            | (Some(Inline::Emph(a)), Inline::Emph(b))
            | (Some(Inline::Strong(a)), Inline::Strong(b)) => a.push_str(b),
            (Some(Inline::Link { text: a, target: ta }), Inline::Link { text: b, target: tb }) if ta == tb => {
                a.push_str(b);
            }
            _ => out.push(inline),
        }
    }
}

/// Whitespace runs as single spaces, as HTML renders them.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

/// Trims a paragraph's ends and drops empty runs.
fn tidy(mut inlines: Vec<Inline>) -> Vec<Inline> {
    let trim = |i: &mut Inline, start: bool| {
        let s = match i {
            Inline::Text(t) | Inline::Emph(t) | Inline::Strong(t) => t,
            Inline::Code(_) | Inline::Link { .. } => return,
        };
        *s = if start {
            s.trim_start().to_string()
        } else {
            s.trim_end().to_string()
        };
    };
    if let Some(first) = inlines.first_mut() {
        trim(first, true);
    }
    if let Some(last) = inlines.last_mut() {
        trim(last, false);
    }
    inlines.retain(|i| !i.text().is_empty());
    inlines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::html;

    fn doc(html: &str) -> Vec<Block> {
        let tokens = html::tokenize(html);
        blocks(&tokens, &|n| n.starts_with("Py"))
    }

    #[test]
    fn paragraphs_inline_code_and_links() {
        let b = doc(
            r#"<dt id="c.X">int X()</dt><dd><em class="stableabi"> Part of the Stable ABI.</em><p>Fill
   <em>view</em>, see <a class="reference internal" href="buffer.html#c.PyBuffer_Release"><code class="xref"><span class="pre">PyBuffer_Release()</span></code></a> and <a href="other.html#x">this</a>; <code>NULL</code>.</p></dd>"#,
        );
        assert_eq!(
            b,
            vec![
                Block::Para(vec![Inline::Emph("Part of the Stable ABI.".into())]),
                Block::Para(vec![
                    Inline::Text("Fill ".into()),
                    Inline::Emph("view".into()),
                    Inline::Text(", see ".into()),
                    Inline::Link {
                        text: "PyBuffer_Release()".into(),
                        target: "PyBuffer_Release".into()
                    },
                    Inline::Text(" and this; ".into()),
                    Inline::Code("NULL".into()),
                    Inline::Text(".".into()),
                ])
            ]
        );
    }

    #[test]
    fn deep_nesting_is_read_flat() {
        let html = format!(
            "<dd>{}<p>deep</p>{}</dd>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        let b = doc(&html);
        assert_eq!(b.iter().map(Block::plain).collect::<String>(), "deep");
        let lists = format!("<dd>{}<p>x</p></dd>", "<ul><li>".repeat(50_000));
        let _ = crate::docs::render::render(&doc(&lists), 40);
    }

    #[test]
    fn code_notes_versions_lists_members_tables() {
        let b = doc(
            r##"<dd><div class="highlight-c notranslate"><div class="highlight"><pre><span class="kt">int</span> x;
  y();
</pre></div></div>
<div class="admonition note"><p class="admonition-title">Note</p><p>Careful.</p></div>
<div class="versionadded"><p><span class="versionmodified added">Added in version 3.11.</span></p></div>
<ul class="simple"><li><p>one</p></li><li><p>two</p></li></ul>
<dl class="c member"><dt id="c.S.m"><span>int m</span><a class="headerlink" href="#c.S.m">¶</a></dt><dd><p>A member.</p></dd></dl>
<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td><code>2</code></td></tr></table></dd>"##,
        );
        assert_eq!(b[0], Block::Code("int x;\n  y();".into()));
        assert_eq!(
            b[1],
            Block::Note {
                title: "Note".into(),
                body: vec![Block::Para(vec![Inline::Text("Careful.".into())])]
            }
        );
        assert_eq!(b[2].plain(), "Added in version 3.11.");
        assert!(matches!(&b[3], Block::List { ordered: false, items } if items.len() == 2));
        assert_eq!(b[4].plain(), "int m\nA member.");
        assert_eq!(b[5].plain(), "a | b\n1 | 2");
        assert_eq!(b.len(), 6);
    }
}
