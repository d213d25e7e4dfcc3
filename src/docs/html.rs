//! Just enough HTML for Sphinx's output: a tokenizer (tags, attributes,
//! text with entities decoded) and the extraction of one entry, the
//! `<dt id="c.NAME">` signature with its `<dd>` body, or a section.

use std::borrow::Cow;

/// One piece of HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    Start {
        name: &'a str,
        attrs: Vec<(&'a str, Cow<'a, str>)>,
        closed: bool,
    },
    End(&'a str),
    Text(Cow<'a, str>),
}

impl Token<'_> {
    /// The value of an attribute of a start tag.
    pub fn attr(&self, key: &str) -> Option<&str> {
        match self {
            Token::Start { attrs, .. } => attrs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_ref()),
            _ => None,
        }
    }

    /// Whether a start tag's `class` holds `class`.
    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_whitespace().any(|c| c == class))
    }
}

/// Elements that never have an end tag.
const VOID: [&str; 8] = ["br", "hr", "img", "input", "meta", "link", "wbr", "col"];

/// Tokenizes HTML; comments, doctypes and the contents of `<script>` and
/// `<style>` are dropped.
pub fn tokenize(html: &str) -> Vec<Token<'_>> {
    Tokens { rest: html }.collect()
}

/// The tokens of HTML text, lazily: an entry stops reading at its end
/// rather than tokenizing the rest of a long page.
struct Tokens<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            let rest = self.rest;
            if rest.is_empty() {
                return None;
            }
            let Some(lt) = rest.find('<') else {
                self.rest = "";
                return Some(Token::Text(decode(rest)));
            };
            if lt > 0 {
                self.rest = &rest[lt..];
                return Some(Token::Text(decode(&rest[..lt])));
            }
            if let Some(after) = rest.strip_prefix("<!--") {
                self.rest = after.find("-->").map_or("", |e| &after[e + 3..]);
                continue;
            }
            if rest.starts_with("<!") || rest.starts_with("<?") {
                self.rest = rest.find('>').map_or("", |e| &rest[e + 1..]);
                continue;
            }
            let Some(gt) = tag_end(rest) else {
                self.rest = "";
                return Some(Token::Text(decode(rest)));
            };
            let tag = &rest[1..gt];
            self.rest = &rest[gt + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                return Some(Token::End(name.trim()));
            }
            let (name, attrs, closed) = parse_tag(tag);
            if name.is_empty() {
                return Some(Token::Text(Cow::Borrowed("<")));
            }
            if name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style") {
                let close = format!("</{name}");
                let end = self.rest.find(&close).unwrap_or(self.rest.len());
                self.rest = &self.rest[end..];
            }
            return Some(Token::Start {
                name,
                attrs,
                closed: closed || VOID.contains(&name),
            });
        }
    }
}

/// The index of the `>` ending the tag at the start of `s`, quotes skipped.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

fn parse_tag(tag: &str) -> (&str, Vec<(&str, Cow<'_, str>)>, bool) {
    let closed = tag.ends_with('/');
    let tag = tag.trim_end_matches('/');
    let name_end = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
    let name = &tag[..name_end];
    let mut attrs = Vec::new();
    let mut rest = tag[name_end..].trim_start();
    while !rest.is_empty() {
        let key_end = rest.find(|c: char| c.is_whitespace() || c == '=').unwrap_or(rest.len());
        let key = &rest[..key_end];
        rest = rest[key_end..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, next) = if let Some(q @ ('"' | '\'')) = after.chars().next() {
                let body = &after[1..];
                let end = body.find(q).unwrap_or(body.len());
                (&body[..end], body.get(end + 1..).unwrap_or(""))
            } else {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            };
            rest = next.trim_start();
            decode(value)
        } else {
            Cow::Borrowed("")
        };
        if key.is_empty() {
            // A stray character: skip it.
            rest = rest.get(1..).unwrap_or("");
            continue;
        }
        attrs.push((key, value));
    }
    (name, attrs, closed)
}

/// Decodes character references: `&amp;`, `&#8212;`, `&#x2014;` and the
/// named ones Sphinx writes.
pub fn decode(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let entity = &after[..e];
            let c = if let Some(num) = entity.strip_prefix("#x").or_else(|| entity.strip_prefix("#X")) {
                u32::from_str_radix(num, 16).ok().and_then(char::from_u32)
            } else if let Some(num) = entity.strip_prefix('#') {
                num.parse().ok().and_then(char::from_u32)
            } else {
                named(entity)
            };
            c.map(|c| (c, e))
        });
        if let Some((c, e)) = decoded {
            out.push(c);
            rest = &after[e + 1..];
        } else {
            out.push('&');
            rest = after;
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn named(entity: &str) -> Option<char> {
    Some(match entity {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "para" => '¶',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "copy" => '©',
        "rsquo" => '’',
        "lsquo" => '‘',
        "rdquo" => '”',
        "ldquo" => '“',
        _ => return None,
    })
}

/// The tokens of one entry: the `<dt>` carrying `id="{anchor}"` (and the
/// signatures grouped with it) with its `<dd>`, or the element carrying the
/// id (a `<section>`, up to its end). `None` when the page has no such id.
pub fn entry<'a>(page: &'a str, anchor: &str) -> Option<Vec<Token<'a>>> {
    let needle = format!("id=\"{anchor}\"");
    let at = page.find(&needle)?;
    let start = page[..at].rfind('<')?;
    let mut tokens = Tokens { rest: &page[start..] }.peekable();
    let dt = matches!(tokens.peek(), Some(Token::Start { name: "dt", .. }));
    Some(if dt { definition(tokens) } else { element(tokens) })
}

/// For an entry documented in a table cell (its `<dd>` empty, its meaning
/// in the next cells): the rest of its table row.
pub fn row_rest<'a>(page: &'a str, anchor: &str) -> Option<Vec<Token<'a>>> {
    let needle = format!("id=\"{anchor}\"");
    let at = page.find(&needle)?;
    let row_start = page[..at].rfind("<tr")?;
    let cell_start = page[..at].rfind("<td")?;
    if cell_start < row_start {
        return None;
    }
    let row = element(Tokens {
        rest: &page[row_start..],
    });
    // Drop the cell holding the entry itself.
    let cell_offset = Tokens {
        rest: &page[row_start..cell_start],
    }
    .count();
    // (Malformed HTML can end the row before the cell.)
    let cell = row.get(cell_offset..)?;
    let cell_len = element(cell.iter().cloned()).len();
    let mut rest = row[..cell_offset].to_vec();
    rest.extend_from_slice(row.get(cell_offset + cell_len..).unwrap_or_default());
    Some(rest)
}

/// For an anchor on an empty element (`<span id="c.X"></span>` at the
/// start of a paragraph, or before the `<dt>` it names): that paragraph,
/// or the entry that follows.
pub fn around<'a>(page: &'a str, anchor: &str) -> Option<Vec<Token<'a>>> {
    let needle = format!("id=\"{anchor}\"");
    let at = page.find(&needle)?;
    let start = page[..at].rfind('<')?;
    let mut tokens = Tokens { rest: &page[start..] };
    let own = element(tokens.by_ref()).len();
    let mut next = tokens.skip_while(is_blank).peekable();
    if own > 0 && matches!(next.peek(), Some(Token::Start { name: "dt", .. })) {
        return Some(definition(next));
    }
    let p = page[..start].rfind("<p")?;
    // Only if the anchor is inside that paragraph.
    let end = page[p..].find("</p>")? + p;
    (end > at).then(|| element(Tokens { rest: &page[p..] }))
}

/// For an entry whose `<dd>` is empty and whose meaning follows it (the
/// signature of a hook, then paragraphs about it): what follows the entry's
/// `</dl>`, up to the next entry, heading or section.
pub fn after<'a>(page: &'a str, anchor: &str) -> Option<Vec<Token<'a>>> {
    let needle = format!("id=\"{anchor}\"");
    let at = page.find(&needle)?;
    let end = at + page[at..].find("</dl>")? + "</dl>".len();
    let tokens = Tokens { rest: &page[end..] };
    let mut depth = 0_usize;
    let mut out = Vec::new();
    for t in tokens {
        match &t {
            Token::Start { name, closed, .. } => {
                if depth == 0 && matches!(*name, "dl" | "section" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
                    break;
                }
                if !closed {
                    depth += 1;
                }
            }
            Token::End(_) => {
                let Some(d) = depth.checked_sub(1) else { break };
                depth = d;
            }
            Token::Text(_) => {}
        }
        out.push(t);
    }
    Some(out)
}

fn is_blank(t: &Token<'_>) -> bool {
    matches!(t, Token::Text(s) if s.trim().is_empty())
}

/// From a `<dt>`: the signatures up to and including the `<dd>` they share.
fn definition<'a>(tokens: impl IntoIterator<Item = Token<'a>>) -> Vec<Token<'a>> {
    let mut out = Vec::new();
    let mut depth = 0_usize;
    let mut in_dd = false;
    for t in tokens {
        match &t {
            Token::Start {
                name, closed: false, ..
            } => {
                if depth == 0 && *name == "dd" {
                    in_dd = true;
                }
                depth += 1;
            }
            Token::End(name) => {
                // The `</dl>` around the entry: stop before it.
                let Some(d) = depth.checked_sub(1) else { break };
                depth = d;
                if depth == 0 && in_dd && *name == "dd" {
                    out.push(t);
                    break;
                }
            }
            _ => {}
        }
        out.push(t);
    }
    out
}

/// From a start tag: everything up to its matching end tag.
fn element<'a>(tokens: impl IntoIterator<Item = Token<'a>>) -> Vec<Token<'a>> {
    let mut out = Vec::new();
    let mut depth = 0_usize;
    for t in tokens {
        let end = match &t {
            Token::Start { closed: false, .. } => {
                depth += 1;
                false
            }
            Token::End(_) => {
                depth = depth.saturating_sub(1);
                depth == 0
            }
            _ => depth == 0,
        };
        out.push(t);
        if end {
            break;
        }
    }
    out
}

/// The page's `<title>`, e.g. `Buffer Protocol — Python 3.15.2 documentation`.
pub fn title(page: &str) -> Option<String> {
    let start = page.find("<title>")? + "<title>".len();
    let end = page[start..].find("</title>")?;
    Some(decode(&page[start..start + end]).trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of some tokens, tags dropped.
    fn text(tokens: &[Token<'_>]) -> String {
        tokens
            .iter()
            .filter_map(|t| match t {
                Token::Text(s) => Some(s.as_ref()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn tokens_attributes_and_entities() {
        let tokens = tokenize(
            r#"<p class="a b" id='x'>1 &lt; 2 &#8212; &amp;c &bogus; &#x41;<br/>end</p><!-- no --><script>if (a<b) {}</script>"#,
        );
        assert_eq!(tokens[0].attr("id"), Some("x"));
        assert!(tokens[0].has_class("b") && !tokens[0].has_class("c"));
        assert_eq!(tokens[1], Token::Text(Cow::Owned("1 < 2 — &c &bogus; A".to_string())));
        assert!(matches!(
            tokens[2],
            Token::Start {
                name: "br",
                closed: true,
                ..
            }
        ));
        assert_eq!(tokens[4], Token::End("p"));
        assert!(matches!(tokens[5], Token::Start { name: "script", .. }));
        assert_eq!(tokens[6], Token::End("script"));
        assert_eq!(tokens.len(), 7);
    }

    #[test]
    fn an_entry_is_its_signatures_and_body() {
        let page = r#"<dl class="c function"><dt id="c.A">int A()</dt><dt id="c.A2">int A2()</dt><dd><p>Body <dl><dt>m</dt><dd>inner</dd></dl></p></dd></dl><p>after</p>"#;
        assert_eq!(text(&entry(page, "c.A").expect("found")), "int A()int A2()Body minner");
        assert_eq!(entry(page, "c.Missing"), None);
        let section = r#"<section id="s"><h2>T</h2><p>x</p></section><p>y</p>"#;
        assert_eq!(entry(section, "s").map(|t| t.len()), Some(8));
    }

    #[test]
    fn entries_in_table_cells_take_the_rest_of_their_row() {
        let page = r#"<table><tr><td><dl><dt id="c.F">F</dt><dd></dd></dl></td><td><p>Meaning of F</p></td></tr><tr><td>other</td></tr></table>"#;
        assert_eq!(text(&row_rest(page, "c.F").expect("a row")), "Meaning of F");
        assert_eq!(row_rest("<p><dt id=\"c.G\">G</dt></p>", "c.G"), None);
    }

    #[test]
    fn anchors_on_empty_elements_and_empty_bodies() {
        let text = |tokens: Option<Vec<Token<'_>>>| text(&tokens.expect("found"));
        let para = r#"<p>x</p><p id="c.B"><span id="c.A"></span>Both A and B.</p><p>y</p>"#;
        assert_eq!(text(around(para, "c.A")), "Both A and B.");
        let before_dt = r#"<dl><span id="c.W"></span><dt id="c.F">F()</dt><dd><p>About F.</p></dd></dl>"#;
        assert_eq!(text(around(before_dt, "c.W")), "F()About F.");
        let hook = r#"<dl><dt id="c.H">H()</dt><dd></dd></dl><p>H is called first.</p><p>Then more.</p><dl><dt id="c.I">I</dt></dl>"#;
        assert_eq!(text(after(hook, "c.H")), "H is called first.Then more.");
    }

    #[test]
    fn broken_html_does_not_panic() {
        for html in [
            "<",
            "<p",
            "<p class=\"x>",
            "&#99999999;",
            "&",
            "</",
            "<a =b>",
            "<!--",
            "<dt id=\"c.X\">",
            "é<é>",
            // Found by cargo fuzz: a table row that ends before the cell
            // holding the entry.
            "<tr></tr>x<b></b><td><p id=\"c.X\">y</p></td>",
        ] {
            let _ = tokenize(html);
            let _ = entry(html, "c.X");
            let _ = row_rest(html, "c.X");
            let _ = around(html, "c.X");
            let _ = after(html, "c.X");
        }
    }

    #[test]
    fn titles() {
        assert_eq!(
            title("<title>Buffer Protocol &#8212; Python 3.15.2 documentation</title>").as_deref(),
            Some("Buffer Protocol — Python 3.15.2 documentation")
        );
    }
}
