//! The Rust scanner, for code that calls the C API through `pyo3-ffi`:
//! a name counts after an `ffi::` path (`ffi::PyList_GetItem`,
//! `pyo3::ffi::Py_None`, `pyo3_ffi::PyObject`), or anywhere once the file
//! imports it from an `ffi` module (`use pyo3::ffi::{PyObject, Py_None};`,
//! `use pyo3_ffi::*;`). Comments and literals are skipped.
//!
//! What is compiled for which build comes from `#[cfg(...)]` and
//! `#![cfg(...)]` on `Py_LIMITED_API`, `Py_GIL_DISABLED` and `Py_3_N`, from
//! the branches of `cfg_if!` (`if #[cfg(...)] { } else { }`) and of
//! `if cfg!(...) { } else { }`. Every step is linear in the tokens: brackets
//! are matched once, an item's end found by jumping over its blocks, and the
//! ranges the conditions cover applied in one sweep.

use std::collections::HashSet;

use super::build::Builds;
use super::occur::{Occurrence, Occurrences, Site};

mod cfg;
mod lex;
use cfg::{Cfg, CfgParser};
use lex::tokenize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ident,
    Str,
    Punct,
}

/// A token: its kind, its text's place, and for punctuation the byte.
#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    byte: u8,
    at: u32,
    len: u32,
}

#[derive(Debug, Default)]
pub struct Scan<'a> {
    pub occurrences: Vec<Occurrence<'a>>,
    pub left_out: usize,
    /// `cfg` predicates nested too deep to evaluate (unknown).
    pub too_deep: Vec<Site>,
}

struct Tokens<'a> {
    text: &'a str,
    list: Vec<Token>,
}

impl<'a> Tokens<'a> {
    fn text(&self, i: usize) -> &'a str {
        let t = self.list[i];
        let start = t.at as usize;
        self.text.get(start..start + t.len as usize).unwrap_or("")
    }

    fn ident(&self, i: usize) -> Option<&'a str> {
        (self.list.get(i)?.kind == Kind::Ident).then(|| self.text(i))
    }

    fn is_ident(&self, i: usize, word: &str) -> bool {
        self.ident(i) == Some(word)
    }

    fn is(&self, i: usize, byte: u8) -> bool {
        self.list
            .get(i)
            .is_some_and(|t| t.kind == Kind::Punct && t.byte == byte)
    }

    fn len(&self) -> usize {
        self.list.len()
    }
}

/// Scans Rust source text for the `ffi` names `wanted` accepts.
pub fn scan(text: &str, wanted: impl Fn(&str) -> bool) -> Scan<'_> {
    let tokens = Tokens {
        text,
        list: tokenize(text),
    };
    let brackets = Brackets::match_all(&tokens);
    let mut out = Scan::default();
    let mut deep = Vec::new();
    let (ranges, quiet) = cfg_ranges(&tokens, &brackets, &mut deep);
    let mut quiet = quiet.into_iter().peekable();
    let (imported, glob, in_use) = imports(&tokens);
    let mut found = Occurrences::default();
    let mut sweep = Sweep::new(ranges);
    let mut position = Position::default();
    for (i, in_use) in in_use.iter().enumerate() {
        let builds = sweep.at(i);
        let Some(name) = tokens.ident(i) else { continue };
        // Inside an attribute or `cfg!(...)`: configuration, not code.
        while quiet.next_if(|(_, to)| *to <= i).is_some() {}
        let in_attribute = quiet.peek().is_some_and(|(from, _)| *from <= i);
        if *in_use || in_attribute || !wanted(name) {
            continue;
        }
        let after_ffi = i >= 3
            && tokens.is(i - 1, b':')
            && tokens.is(i - 2, b':')
            && matches!(tokens.ident(i - 3), Some("ffi" | "pyo3_ffi"));
        if !(after_ffi || glob || imported.contains(name)) {
            continue;
        }
        if builds.is_empty() {
            out.left_out += 1;
            continue;
        }
        let site = position.site(text, tokens.list[i].at as usize);
        found.at(name, site, builds, behind_pointer(&tokens, i), None, None);
    }
    deep.sort_unstable();
    let mut position = Position::default();
    out.too_deep = deep.into_iter().map(|at| position.site(text, at as usize)).collect();
    out.occurrences = found.into_vec();
    out
}

/// Lines and columns of increasing byte offsets, counted on from the last
/// one: linear however long the lines.
#[derive(Debug, Default)]
struct Position {
    at: usize,
    line: u32,
    line_start: usize,
    column: u32,
}

impl Position {
    fn site(&mut self, text: &str, at: usize) -> Site {
        let bytes = text.as_bytes();
        let at = at.min(bytes.len());
        if self.line == 0 || at < self.at {
            *self = Position {
                at: 0,
                line: 1,
                line_start: 0,
                column: 0,
            };
        }
        for (k, b) in bytes[self.at..at].iter().enumerate() {
            if *b == b'\n' {
                self.line += 1;
                self.line_start = self.at + k + 1;
                self.column = 0;
            } else if (b & 0xC0) != 0x80 {
                self.column += 1;
            }
        }
        self.at = at;
        Site {
            line: self.line,
            column: self.column + 1,
        }
    }
}

/// `*mut ffi::PyObject`, `*const PyObject`, `&ffi::PyObject`,
/// `NonNull<ffi::PyObject>`: the path before `i` is skipped, then the
/// tokens before it tell.
fn behind_pointer(tokens: &Tokens<'_>, i: usize) -> bool {
    let mut start = i;
    while start >= 3 && tokens.is(start - 1, b':') && tokens.is(start - 2, b':') {
        start -= 3;
    }
    let before = |n: usize| start.checked_sub(n);
    before(1).is_some_and(|j| tokens.is(j, b'&'))
        || (before(1).is_some_and(|j| matches!(tokens.ident(j), Some("mut" | "const")))
            && before(2).is_some_and(|j| tokens.is(j, b'*') || tokens.is(j, b'&')))
        || (before(1).is_some_and(|j| tokens.is(j, b'<')) && before(2).is_some_and(|j| tokens.is_ident(j, "NonNull")))
}

/// The names a file imports from an `ffi` module, whether it imports all
/// of them, and which tokens belong to `use` items.
fn imports<'a>(tokens: &Tokens<'a>) -> (HashSet<&'a str>, bool, Vec<bool>) {
    let mut names = HashSet::new();
    let mut glob = false;
    let mut in_use = vec![false; tokens.len()];
    let mut i = 0;
    while i < tokens.len() {
        if !tokens.is_ident(i, "use") {
            i += 1;
            continue;
        }
        let end = (i..tokens.len()).find(|j| tokens.is(*j, b';')).unwrap_or(tokens.len());
        if let Some(ffi) = (i..end).find(|j| matches!(tokens.ident(*j), Some("ffi" | "pyo3_ffi"))) {
            let mut after_as = false;
            for j in ffi + 1..end {
                match tokens.ident(j) {
                    Some("as") => after_as = true,
                    Some(name) if !after_as && name != "self" => {
                        names.insert(name);
                    }
                    None if tokens.is(j, b'*') => glob = true,
                    None if tokens.is(j, b',') || tokens.is(j, b'}') => after_as = false,
                    Some(_) | None => {}
                }
            }
        }
        in_use[i..end].iter_mut().for_each(|u| *u = true);
        i = end + 1;
    }
    (names, glob, in_use)
}

/// For each bracket token, the index of its partner (`NONE` for other
/// tokens); for each inner attribute (`#![...]`), the closing bracket of
/// the pair around it.
struct Brackets {
    partner: Vec<u32>,
    enclosing: std::collections::HashMap<usize, usize>,
}

const NONE: u32 = u32::MAX;

impl Brackets {
    fn match_all(tokens: &Tokens<'_>) -> Brackets {
        let n = tokens.len();
        let mut partner = vec![NONE; n];
        let mut open: Vec<usize> = Vec::new();
        for (i, t) in tokens.list.iter().enumerate() {
            if t.kind != Kind::Punct {
                continue;
            }
            match t.byte {
                b'(' | b'[' | b'{' => open.push(i),
                b')' | b']' | b'}' => {
                    if let Some(o) = open.pop() {
                        partner[o] = u32::try_from(i).unwrap_or(NONE);
                        partner[i] = u32::try_from(o).unwrap_or(NONE);
                    }
                }
                _ => {}
            }
        }
        // The pair around each inner attribute: the innermost opening
        // before it whose partner is after it, found with a second pass.
        let mut enclosing = std::collections::HashMap::new();
        let mut stack: Vec<u32> = Vec::new();
        for (i, (t, &other)) in tokens.list.iter().zip(&partner).enumerate() {
            if t.kind == Kind::Punct && matches!(t.byte, b')' | b']' | b'}') && other != NONE {
                stack.pop();
            }
            if tokens.is(i, b'#') && tokens.is(i + 1, b'!') {
                enclosing.insert(i, stack.last().map_or(n, |c| *c as usize));
            }
            if t.kind == Kind::Punct && matches!(t.byte, b'(' | b'[' | b'{') && other != NONE {
                stack.push(other);
            }
        }
        Brackets { partner, enclosing }
    }

    fn partner(&self, i: usize) -> Option<usize> {
        self.partner.get(i).copied().filter(|p| *p != NONE).map(|p| p as usize)
    }

    /// The end of the item, statement, field or arm starting at `from`:
    /// past a `;` or `,` at its own depth, or past its first block, or
    /// before a bracket that closes an enclosing one.
    fn item_end(&self, tokens: &Tokens<'_>, from: usize) -> usize {
        let mut j = from;
        while j < tokens.len() {
            let t = tokens.list[j];
            if t.kind == Kind::Punct {
                match t.byte {
                    b';' | b',' => return j + 1,
                    b'{' => return self.partner(j).map_or(tokens.len(), |c| c + 1),
                    b'(' | b'[' => {
                        j = self.partner(j).map_or(tokens.len(), |c| c + 1);
                        continue;
                    }
                    b')' | b']' | b'}' => return j,
                    _ => {}
                }
            }
            j += 1;
        }
        tokens.len()
    }
}

/// Builds applying to a range of tokens.
struct Range {
    from: usize,
    to: usize,
    builds: Builds,
}

/// The ranges the conditions cover, in order of their start, and the
/// spans of the conditions themselves (attributes, `cfg!(...)`).
fn cfg_ranges(tokens: &Tokens<'_>, brackets: &Brackets, too_deep: &mut Vec<u32>) -> (Vec<Range>, Vec<(usize, usize)>) {
    let mut ranges = Vec::new();
    let mut quiet = Vec::new();
    // The open `if` chain: the block it ends at, and what the conditions
    // before have excluded.
    let mut chain: Option<(usize, Vec<Cfg>)> = None;
    let mut i = 0;
    while i < tokens.len() {
        // `#![cfg(...)]`: the rest of the enclosing block.
        if tokens.is(i, b'#') && tokens.is(i + 1, b'!') && tokens.is(i + 2, b'[') {
            let Some(close) = brackets.partner(i + 2) else { break };
            quiet.push((i, close + 1));
            if let Some(p) = attribute_cfg(tokens, i + 3, close, tokens.list[i].at, too_deep) {
                let to = brackets.enclosing.get(&i).copied().unwrap_or(tokens.len());
                ranges.push(Range {
                    from: close + 1,
                    to,
                    builds: p.maybe(),
                });
            }
            i = close + 1;
            continue;
        }
        // `#[cfg(...)]`, alone or with others before one item.
        if tokens.is(i, b'#') && tokens.is(i + 1, b'[') {
            let if_branch = i > 0 && tokens.is_ident(i - 1, "if");
            let mut predicates = Vec::new();
            let mut j = i;
            while tokens.is(j, b'#') && tokens.is(j + 1, b'[') {
                let Some(close) = brackets.partner(j + 1) else { break };
                quiet.push((j, close + 1));
                if let Some(p) = attribute_cfg(tokens, j + 2, close, tokens.list[j].at, too_deep) {
                    predicates.push(p);
                }
                j = close + 1;
            }
            if j == i {
                break;
            }
            if if_branch && tokens.is(j, b'{') {
                // `cfg_if!`: `if #[cfg(P)] { ... } else ...`.
                chain_branch(
                    tokens,
                    brackets,
                    i - 1,
                    j,
                    Cfg::All(predicates),
                    &mut chain,
                    &mut ranges,
                );
            } else if !predicates.is_empty() {
                ranges.push(Range {
                    from: j,
                    to: brackets.item_end(tokens, j),
                    builds: Cfg::All(predicates).maybe(),
                });
            }
            i = j;
            continue;
        }
        // `if cfg!(P) { ... }`, `if !cfg!(P) { ... }`.
        if tokens.is_ident(i, "if") {
            let negated = tokens.is(i + 1, b'!');
            let c = i + 1 + usize::from(negated);
            if tokens.is_ident(c, "cfg")
                && tokens.is(c + 1, b'!')
                && tokens.is(c + 2, b'(')
                && let Some(close) = brackets.partner(c + 2)
                && tokens.is(close + 1, b'{')
            {
                quiet.push((c, close + 1));
                let p = parse_cfg(tokens, c + 3, close, tokens.list[i].at, too_deep);
                let p = p.map_or(Cfg::Unknown, |p| if negated { Cfg::Not(Box::new(p)) } else { p });
                chain_branch(tokens, brackets, i, close + 1, p, &mut chain, &mut ranges);
                i = close + 1;
                continue;
            }
        }
        // `else { ... }` closing a chain.
        if tokens.is_ident(i, "else")
            && tokens.is(i + 1, b'{')
            && let Some((_, excluded)) = chain.take().filter(|(end, _)| *end == i)
            && let Some(close) = brackets.partner(i + 1)
        {
            ranges.push(Range {
                from: i + 2,
                to: close,
                builds: Cfg::All(excluded).maybe(),
            });
        }
        i += 1;
    }
    ranges.sort_by_key(|r| r.from);
    quiet.sort_unstable();
    (ranges, quiet)
}

/// One branch of an `if` chain on `cfg` conditions: its block at `block`
/// gets `p` and the negation of the earlier conditions; the chain goes on
/// if an `else` follows.
fn chain_branch(
    tokens: &Tokens<'_>,
    brackets: &Brackets,
    if_at: usize,
    block: usize,
    p: Cfg,
    chain: &mut Option<(usize, Vec<Cfg>)>,
    ranges: &mut Vec<Range>,
) {
    let continues = if_at >= 1 && tokens.is_ident(if_at - 1, "else");
    let mut excluded = match chain.take() {
        Some((end, excluded)) if continues && end + 1 == if_at => excluded,
        _ => Vec::new(),
    };
    let Some(close) = brackets.partner(block) else { return };
    let mut all = excluded.clone();
    all.push(p.clone());
    ranges.push(Range {
        from: block + 1,
        to: close,
        builds: Cfg::All(all).maybe(),
    });
    excluded.push(Cfg::Not(Box::new(p)));
    *chain = Some((close + 1, excluded));
}

/// The predicate of `cfg(...)` between `from` and the attribute's `]` at
/// `close`, if the attribute is a `cfg`.
fn attribute_cfg(tokens: &Tokens<'_>, from: usize, close: usize, at: u32, too_deep: &mut Vec<u32>) -> Option<Cfg> {
    if !(tokens.is_ident(from, "cfg") && tokens.is(from + 1, b'(')) {
        return None;
    }
    Some(parse_cfg(tokens, from + 2, close.saturating_sub(1), at, too_deep).unwrap_or(Cfg::Unknown))
}

/// Parses a predicate from `from` up to `end` (the closing parenthesis).
fn parse_cfg(tokens: &Tokens<'_>, from: usize, end: usize, at: u32, too_deep: &mut Vec<u32>) -> Option<Cfg> {
    let mut parser = CfgParser {
        tokens,
        at: from,
        end,
        depth: 0,
        too_deep: false,
    };
    let p = parser.predicate();
    if parser.too_deep {
        too_deep.push(at);
        return Some(Cfg::Unknown);
    }
    p
}

/// Applies ranges to tokens in order: the builds of the innermost range
/// around each token, each range already narrowed by those around it.
struct Sweep {
    ranges: std::iter::Peekable<std::vec::IntoIter<Range>>,
    open: Vec<(usize, Builds)>,
}

impl Sweep {
    fn new(ranges: Vec<Range>) -> Sweep {
        Sweep {
            ranges: ranges.into_iter().peekable(),
            open: Vec::new(),
        }
    }

    fn at(&mut self, i: usize) -> Builds {
        while self.open.last().is_some_and(|(to, _)| *to <= i) {
            self.open.pop();
        }
        while let Some(r) = self.ranges.next_if(|r| r.from <= i) {
            let (outer_to, outer) = self.open.last().copied().unwrap_or((usize::MAX, Builds::ALL));
            if r.to > i {
                self.open.push((r.to.min(outer_to), outer.and(r.builds)));
            }
        }
        self.open.last().map_or(Builds::ALL, |(_, b)| *b)
    }
}

#[cfg(test)]
mod tests;
