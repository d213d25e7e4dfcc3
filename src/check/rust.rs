//! The Rust scanner, for code that calls the C API through `pyo3-ffi`:
//! a name counts after an `ffi::` path (`ffi::PyList_GetItem`,
//! `pyo3::ffi::Py_None`, `pyo3_ffi::PyObject`), or anywhere once the file
//! imports it from an `ffi` module (`use pyo3::ffi::{PyObject, Py_None};`,
//! `use pyo3_ffi::*;`). Comments and literals are skipped, and `#[cfg]`
//! attributes that name `Py_LIMITED_API`, `Py_GIL_DISABLED` or `Py_3_N`
//! restrict the builds that compile what they are attached to.

use std::collections::HashSet;

use super::build::{Build, Builds, Family};
use super::c::Occurrence;
use super::cond::Truth;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok<'a> {
    Ident(&'a str),
    Str(&'a str),
    Punct(u8),
}

#[derive(Debug, Clone)]
struct Token<'a> {
    tok: Tok<'a>,

    line: u32,
    column: u32,
}

#[derive(Debug, Default)]
pub struct Scan<'a> {
    pub occurrences: Vec<Occurrence<'a>>,
    pub left_out: usize,
}

/// Scans Rust source text for the `ffi` names `wanted` accepts.
pub fn scan(text: &str, wanted: impl Fn(&str) -> bool) -> Scan<'_> {
    let tokens = tokenize(text);
    let builds = cfg_builds(&tokens);
    let (imported, glob, in_use) = imports(&tokens);
    let mut out = Scan::default();
    for (i, token) in tokens.iter().enumerate() {
        let Tok::Ident(name) = token.tok else { continue };
        if in_use[i] || !wanted(name) {
            continue;
        }
        let after_ffi = i >= 3
            && tokens[i - 1].tok == Tok::Punct(b':')
            && tokens[i - 2].tok == Tok::Punct(b':')
            && matches!(tokens[i - 3].tok, Tok::Ident("ffi" | "pyo3_ffi"));
        if !(after_ffi || glob || imported.contains(name)) {
            continue;
        }
        if builds[i].is_empty() {
            out.left_out += 1;
            continue;
        }
        out.occurrences.push(Occurrence {
            name,
            line: token.line,
            column: token.column,
            builds: builds[i],
            pointer: behind_pointer(&tokens, i),
            in_macro: None,
        });
    }
    out
}

/// `*mut ffi::PyObject`, `*const PyObject`, `&ffi::PyObject`,
/// `NonNull<ffi::PyObject>`: the path before `i` is skipped, then the
/// tokens before it tell.
fn behind_pointer(tokens: &[Token<'_>], i: usize) -> bool {
    let mut start = i;
    while start >= 3 && tokens[start - 1].tok == Tok::Punct(b':') && tokens[start - 2].tok == Tok::Punct(b':') {
        start -= 3;
    }
    let before = |n: usize| start.checked_sub(n).map(|j| &tokens[j].tok);
    matches!(before(1), Some(Tok::Punct(b'&')))
        || (matches!(before(1), Some(Tok::Ident("mut" | "const")))
            && matches!(before(2), Some(Tok::Punct(b'*' | b'&'))))
        || (matches!(before(1), Some(Tok::Punct(b'<'))) && matches!(before(2), Some(Tok::Ident("NonNull"))))
}

/// The names a file imports from an `ffi` module, whether it imports all
/// of them, and which tokens belong to `use` items.
fn imports<'a>(tokens: &[Token<'a>]) -> (HashSet<&'a str>, bool, Vec<bool>) {
    let mut names = HashSet::new();
    let mut glob = false;
    let mut in_use = vec![false; tokens.len()];
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i].tok != Tok::Ident("use") {
            i += 1;
            continue;
        }
        let end = tokens[i..]
            .iter()
            .position(|t| t.tok == Tok::Punct(b';'))
            .map_or(tokens.len(), |e| i + e);
        let items = &tokens[i..end];
        if let Some(ffi) = items
            .iter()
            .position(|t| matches!(t.tok, Tok::Ident("ffi" | "pyo3_ffi")))
        {
            let mut after_as = false;
            for t in &items[ffi + 1..] {
                match t.tok {
                    Tok::Punct(b'*') => glob = true,
                    Tok::Ident("as") => after_as = true,
                    Tok::Ident(name) if !after_as && name != "self" => {
                        names.insert(name);
                    }
                    Tok::Punct(b',' | b'}') => after_as = false,
                    _ => {}
                }
            }
        }
        in_use[i..end].iter_mut().for_each(|u| *u = true);
        i = end + 1;
    }
    (names, glob, in_use)
}

/// The builds compiling each token, from the `#[cfg(...)]` attributes.
fn cfg_builds(tokens: &[Token<'_>]) -> Vec<Builds> {
    let mut out = vec![Builds::ALL; tokens.len()];
    let mut i = 0;
    while i + 2 < tokens.len() {
        let inner = tokens[i + 1].tok == Tok::Punct(b'!');
        let open = i + 1 + usize::from(inner);
        let is_cfg = tokens[i].tok == Tok::Punct(b'#')
            && tokens.get(open).is_some_and(|t| t.tok == Tok::Punct(b'['))
            && tokens.get(open + 1).is_some_and(|t| t.tok == Tok::Ident("cfg"))
            && tokens.get(open + 2).is_some_and(|t| t.tok == Tok::Punct(b'('));
        if !is_cfg {
            i += 1;
            continue;
        }
        let Some(close) = matching(tokens, open) else { break };
        let mut parser = CfgParser {
            tokens: &tokens[open + 3..close - 1],
            at: 0,
        };
        let predicate = parser.predicate();
        let truth = Truth {
            maybe: Builds::filter(|b| predicate.as_ref().is_none_or(|p| p.eval(b) != Some(false))),
            surely: Builds::filter(|b| predicate.as_ref().is_some_and(|p| p.eval(b) == Some(true))),
        };
        let (from, to) = if inner {
            (close + 1, enclosing_end(tokens, i))
        } else {
            let from = skip_attributes(tokens, close + 1);
            (from, item_end(tokens, from))
        };
        for b in &mut out[from.min(tokens.len())..to.min(tokens.len())] {
            *b = b.and(truth.maybe);
        }
        i = close + 1;
    }
    out
}

/// The index after the bracket that closes the one at `open`.
fn matching(tokens: &[Token<'_>], open: usize) -> Option<usize> {
    let mut depth = 0_usize;
    for (j, t) in tokens.iter().enumerate().skip(open) {
        match t.tok {
            Tok::Punct(b'(' | b'[' | b'{') => depth += 1,
            Tok::Punct(b')' | b']' | b'}') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(j + 1);
                }
            }
            _ => {}
        }
    }
    None
}

fn skip_attributes(tokens: &[Token<'_>], mut i: usize) -> usize {
    while tokens.get(i).is_some_and(|t| t.tok == Tok::Punct(b'#'))
        && tokens.get(i + 1).is_some_and(|t| t.tok == Tok::Punct(b'['))
    {
        match matching(tokens, i + 1) {
            Some(next) => i = next,
            None => break,
        }
    }
    i
}

/// The end of the item, statement, field or arm starting at `from`: past
/// a `;` or `,` at its own depth, or its first block at that depth, or
/// before a bracket that closes an enclosing one.
fn item_end(tokens: &[Token<'_>], from: usize) -> usize {
    let mut depth = 0_usize;
    for (j, t) in tokens.iter().enumerate().skip(from) {
        match t.tok {
            Tok::Punct(b';' | b',') if depth == 0 => return j + 1,
            Tok::Punct(b'(' | b'[' | b'{') => depth += 1,
            Tok::Punct(b')' | b']' | b'}') => {
                let Some(d) = depth.checked_sub(1) else { return j };
                depth = d;
                if depth == 0 && t.tok == Tok::Punct(b'}') {
                    return j + 1;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// The end of the block enclosing `at` (an inner attribute's scope).
fn enclosing_end(tokens: &[Token<'_>], at: usize) -> usize {
    let mut depth = 0_usize;
    for (j, t) in tokens.iter().enumerate().skip(at) {
        match t.tok {
            Tok::Punct(b'(' | b'[' | b'{') => depth += 1,
            Tok::Punct(b')' | b']' | b'}') => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return j,
            },
            _ => {}
        }
    }
    tokens.len()
}

/// A `cfg` predicate.
#[derive(Debug)]
enum Cfg {
    Name(String),
    /// `key = "value"`: never about the Stable ABI build.
    KeyValue,
    All(Vec<Cfg>),
    Any(Vec<Cfg>),
    Not(Box<Cfg>),
}

impl Cfg {
    /// What a build sets: pyo3's `Py_LIMITED_API`, `Py_GIL_DISABLED` (abi3t),
    /// `Py_3_N` (the minimum version is at least 3.N), never `PyPy`.
    fn eval(&self, build: Build) -> Option<bool> {
        match self {
            Cfg::Name(name) => match name.as_str() {
                "Py_LIMITED_API" => Some(true),
                "Py_GIL_DISABLED" => Some(build.family == Family::Abi3t),
                "PyPy" | "GraalPy" => Some(false),
                _ => name
                    .strip_prefix("Py_3_")
                    .and_then(|minor| minor.parse::<u8>().ok())
                    .map(|minor| build.version.minor >= minor),
            },
            Cfg::KeyValue => None,
            Cfg::All(items) => combine(items, build, false),
            Cfg::Any(items) => combine(items, build, true),
            Cfg::Not(p) => p.eval(build).map(|v| !v),
        }
    }
}

/// `all(...)` (absorbed by `false`) or `any(...)` (absorbed by `true`) in
/// three-valued logic: the absorbing value wins, else unknown if any is.
fn combine(items: &[Cfg], build: Build, absorbing: bool) -> Option<bool> {
    let mut unknown = false;
    for item in items {
        match item.eval(build) {
            Some(v) if v == absorbing => return Some(absorbing),
            None => unknown = true,
            Some(_) => {}
        }
    }
    (!unknown).then_some(!absorbing)
}

struct CfgParser<'t, 'a> {
    tokens: &'t [Token<'a>],
    at: usize,
}

impl<'a> CfgParser<'_, 'a> {
    fn next(&mut self) -> Option<Tok<'a>> {
        let t = self.tokens.get(self.at).map(|t| t.tok.clone());
        self.at += 1;
        t
    }

    fn predicate(&mut self) -> Option<Cfg> {
        let Some(Tok::Ident(name)) = self.next() else {
            return None;
        };
        match self.tokens.get(self.at).map(|t| &t.tok) {
            Some(Tok::Punct(b'(')) => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    match self.tokens.get(self.at).map(|t| &t.tok) {
                        Some(Tok::Punct(b')')) => {
                            self.at += 1;
                            break;
                        }
                        Some(Tok::Punct(b',')) => self.at += 1,
                        Some(_) => items.push(self.predicate()?),
                        None => return None,
                    }
                }
                match name {
                    "all" => Some(Cfg::All(items)),
                    "any" => Some(Cfg::Any(items)),
                    "not" if items.len() == 1 => items.pop().map(|p| Cfg::Not(Box::new(p))),
                    _ => None,
                }
            }
            Some(Tok::Punct(b'=')) => {
                self.at += 1;
                matches!(self.next(), Some(Tok::Str(_))).then_some(Cfg::KeyValue)
            }
            _ => Some(Cfg::Name(name.to_string())),
        }
    }
}

fn tokenize(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1_u32;
    let mut line_start = 0;
    let column = |line_start: usize, at: usize| {
        u32::try_from(text.get(line_start..at).map_or(0, |s| s.chars().count()) + 1).unwrap_or(u32::MAX)
    };
    // Moves `i` to `end`, counting the newlines passed.
    let advance = |i: &mut usize, end: usize, line: &mut u32, line_start: &mut usize| {
        let end = end.min(bytes.len());
        for (k, byte) in bytes[*i..end].iter().enumerate() {
            if *byte == b'\n' {
                *line += 1;
                *line_start = *i + k + 1;
            }
        }
        *i = end;
    };
    while i < bytes.len() {
        let byte = bytes[i];
        let rest = &text[i..];
        if byte.is_ascii_whitespace() {
            let to = i + 1;
            advance(&mut i, to, &mut line, &mut line_start);
        } else if rest.starts_with("//") {
            let end = rest.find('\n').map_or(bytes.len(), |e| i + e);
            let to = end;
            advance(&mut i, to, &mut line, &mut line_start);
        } else if rest.starts_with("/*") {
            let to = block_comment_end(bytes, i);
            advance(&mut i, to, &mut line, &mut line_start);
        } else if let Some(len) = raw_string_len(rest) {
            let to = i + len;
            advance(&mut i, to, &mut line, &mut line_start);
        } else if byte == b'"' || (byte == b'b' && rest[1..].starts_with('"')) {
            let open = i + usize::from(byte == b'b');
            let mut end_at = open + 1;
            while end_at < bytes.len() && bytes[end_at] != b'"' {
                end_at += if bytes[end_at] == b'\\' { 2 } else { 1 };
            }
            let (l, c) = (line, column(line_start, i));
            let content = text.get(open + 1..end_at.min(bytes.len())).unwrap_or("");
            let to = end_at + 1;
            advance(&mut i, to, &mut line, &mut line_start);
            out.push(Token {
                tok: Tok::Str(content),
                line: l,
                column: c,
            });
        } else if byte == b'\'' || (byte == b'b' && rest[1..].starts_with('\'')) {
            // A character literal ('x', '\n', '\u{1F600}') or a lifetime ('a).
            let open = i + usize::from(byte == b'b');
            let len = char_literal_len(&text[open + 1..]);
            let to = open + len.unwrap_or(1);
            advance(&mut i, to, &mut line, &mut line_start);
        } else if byte.is_ascii_alphabetic() || byte == b'_' || !byte.is_ascii() {
            let len = rest
                .char_indices()
                .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
                .map_or(rest.len(), |(e, _)| e)
                .max(1);
            let len = if rest.is_char_boundary(len) {
                len
            } else {
                rest.chars().next().map_or(1, char::len_utf8)
            };
            out.push(Token {
                tok: Tok::Ident(&rest[..len]),
                line,
                column: column(line_start, i),
            });
            i += len;
        } else if byte.is_ascii_digit() {
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                .unwrap_or(rest.len());
            i += len.max(1);
        } else {
            out.push(Token {
                tok: Tok::Punct(byte),
                line,
                column: column(line_start, i),
            });
            i += 1;
        }
    }
    out
}

/// Where the block comment starting at `from` ends (they nest in Rust).
fn block_comment_end(bytes: &[u8], from: usize) -> usize {
    let mut depth = 0_usize;
    let mut at = from;
    while at < bytes.len() {
        if bytes[at..].starts_with(b"/*") {
            depth += 1;
            at += 2;
        } else if bytes[at..].starts_with(b"*/") {
            depth -= 1;
            at += 2;
            if depth == 0 {
                break;
            }
        } else {
            at += 1;
        }
    }
    at
}

/// The length of a character literal whose text after the opening quote
/// is `after`; `None` for a lifetime.
fn char_literal_len(after: &str) -> Option<usize> {
    if let Some(escaped) = after.strip_prefix('\\') {
        escaped.get(1..).and_then(|e| e.find('\'')).map(|e| e + 4)
    } else {
        let mut chars = after.chars();
        let first = chars.next().map_or(0, char::len_utf8);
        (chars.next() == Some('\'')).then_some(first + 2)
    }
}

/// The length of a raw string literal (`r"..."`, `r#"..."#`, `br##"..."##`)
/// at the start of `rest`, if there is one.
fn raw_string_len(rest: &str) -> Option<usize> {
    let after_r = rest.strip_prefix("br").or_else(|| rest.strip_prefix('r'))?;
    let hashes = after_r.bytes().take_while(|b| *b == b'#').count();
    let body = after_r[hashes..].strip_prefix('"')?;
    let close = format!("\"{}", "#".repeat(hashes));
    let prefix = rest.len() - body.len();
    Some(body.find(&close).map_or(rest.len(), |e| prefix + e + close.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Version;

    fn found(text: &str) -> Vec<(&str, u32, u32, bool)> {
        scan(text, |n| n.starts_with("Py"))
            .occurrences
            .into_iter()
            .map(|o| (o.name, o.line, o.column, o.pointer))
            .collect()
    }

    #[test]
    fn names_count_after_ffi_paths_only() {
        let text = r##"
use pyo3::prelude::*;
fn f(obj: *mut ffi::PyObject) -> isize {
    // ffi::PyList_GET_ITEM in a comment
    let s = "ffi::PyTuple_New in a string";
    let r = r#"ffi::PyDict_New"#;
    let PyFloat_AsDouble = 1; // a local, not an ffi name
    unsafe { pyo3::ffi::PyList_Size(obj) }
}
"##;
        assert_eq!(
            found(text),
            vec![("PyObject", 3, 21, true), ("PyList_Size", 8, 25, false)]
        );
    }

    #[test]
    fn imported_names_count_everywhere_and_globs_import_all() {
        let text =
            "use pyo3_ffi::{PyObject, PyLong_FromLong as long};\nfn f() { PyLong_FromLong(1); PyObject_Str(x); }\n";
        assert_eq!(found(text), vec![("PyLong_FromLong", 2, 10, false)]);
        let glob = "use pyo3::ffi::*;\nfn f(o: NonNull<PyObject>) { PyObject_Str(o); }\n";
        assert_eq!(
            found(glob),
            vec![("PyObject", 2, 17, true), ("PyObject_Str", 2, 30, false)]
        );
    }

    #[test]
    fn cfg_attributes_select_builds() {
        let text = "#[cfg(not(Py_LIMITED_API))]\nfn fast() { ffi::PyList_GET_ITEM(l, 0); }\n#[cfg(all(Py_LIMITED_API, not(Py_3_13)))]\nfn slow() { ffi::PyList_GetItem(l, 0); }\n#[cfg(Py_GIL_DISABLED)]\nlet x = ffi::PyList_GetItemRef(l, 0);\nffi::Py_None();\n";
        let scan = scan(text, |n| n.starts_with("Py"));
        assert_eq!(scan.left_out, 1);
        let names: Vec<_> = scan.occurrences.iter().map(|o| o.name).collect();
        assert_eq!(names, vec!["PyList_GetItem", "PyList_GetItemRef", "Py_None"]);
        let abi3 = |minor| Build {
            family: Family::Abi3,
            version: Version::new(3, minor),
        };
        let abi3t = Build {
            family: Family::Abi3t,
            version: Version::new(3, 15),
        };
        assert!(scan.occurrences[0].builds.contains(abi3(12)));
        assert!(!scan.occurrences[0].builds.contains(abi3(13)));
        assert!(!scan.occurrences[1].builds.contains(abi3(13)) && scan.occurrences[1].builds.contains(abi3t));
        assert_eq!(scan.occurrences[2].builds, Builds::ALL);
    }

    #[test]
    fn lifetimes_chars_and_odd_input_do_not_derail() {
        let text = "fn f<'a>(c: char) -> &'a str { if c == '\\'' || c == 'x' { ffi::PyA } else { ffi::PyB } }\nr##\"unterminated";
        let names: Vec<_> = found(text).into_iter().map(|f| f.0).collect();
        assert_eq!(names, vec!["PyA", "PyB"]);
        for bad in [
            "'",
            "b'",
            "r#",
            "\"",
            "/* /* */",
            "#[cfg(",
            "#[cfg(all(x, \"y\"))] a",
            "é",
            "1.0e5",
        ] {
            let _ = scan(bad, |_| true);
        }
    }
}
