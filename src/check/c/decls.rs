//! What the file declares itself: a name the file defines (a function with
//! a body, a variable that is not `extern`, a struct tag with a body, a
//! typedef, an enumerator) is the project's, not a use of the C API, even
//! when CPython has a name like it (`static int CO_OPTIMIZED;` where the
//! Limited API lacks it, a `PyList_GetItemRef` shim for old versions).
//!
//! A small state machine over the tokens of code (not directives, not
//! macro bodies) tells a declarator from a use: the statement so far must
//! look like a declaration (types, qualifiers, `*`), the name must follow a
//! type or a `*` after a type, and the next token must end a declarator
//! (`;`, `=`, `,`, `[`, or the `(` of a definition). It errs towards
//! "a use": `n * PyLong_SHIFT;` follows no type and stays a use.

use std::collections::HashMap;

use crate::check::build::Builds;

/// The last significant token of code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    Ident(&'a str),
    Punct(u8),
    /// A number, string or character literal.
    Literal,
}

/// Keywords that start or continue something other than a declaration.
const NOT_DECLARATION: &[&str] = &[
    "return",
    "case",
    "goto",
    "sizeof",
    "if",
    "while",
    "for",
    "switch",
    "else",
    "do",
    "break",
    "continue",
    "default",
    "alignof",
    "_Alignof",
    "offsetof",
    "throw",
    "new",
    "delete",
    "co_return",
];

/// Keywords after which a name is a tag.
const TAG_KEYWORDS: &[&str] = &["struct", "union", "enum", "class"];

/// What a brace after a tag keyword opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Body {
    Enumerators,
    Members,
}

/// Why a statement declares without defining.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DeclaresOnly {
    Extern,
    ApiMacro,
}

/// How an identifier is declared, if it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declared {
    /// A use, not a declaration.
    No,
    /// Declared for the whole file.
    File,
    /// Declared in a block: until the block ends.
    Local,
    /// Declared, not defined (a prototype, an `extern` variable): the C
    /// API's own function or variable, which the file declares itself so
    /// the headers need not (Cython declares `PyMem_Calloc` where the
    /// Limited API headers before 3.10 do not). Its symbol is still
    /// needed.
    Prototype,
}

#[derive(Debug, Default)]
pub struct Decls<'a> {
    /// Brace depth.
    depth: usize,
    /// Parenthesis depth within the statement.
    parens: usize,
    prev: Option<Tok<'a>>,
    prev2: Option<Tok<'a>>,
    /// The statement may still be a declaration.
    declaring: bool,
    /// The statement declares without defining: `extern`, or CPython's
    /// `PyAPI_FUNC(...)` / `PyAPI_DATA(...)` (after whose `)` a declarator
    /// follows).
    declares_only: Option<DeclaresOnly>,
    /// The brace depth of a `typedef` statement.
    typedef_at: Option<usize>,
    /// `enum` (or `struct`, `union`, `class`) seen: the next `{` opens an
    /// enumerator list (or a member list).
    body_next: Option<Body>,
    /// The enumerator and member lists open, with their brace depths.
    bodies: Vec<(usize, Body)>,
    /// The last `}` closed such a list: declarators of that type follow.
    after_body: bool,
    /// Names declared in blocks, with their depth and builds.
    locals: Vec<(usize, &'a str, Builds)>,
    local_count: HashMap<&'a str, usize>,
    /// Names declared for the whole file, with the builds that declare
    /// them.
    pub owned: HashMap<&'a str, Builds>,
    /// Names the file declares without defining them, with the builds.
    pub prototypes: HashMap<&'a str, Builds>,
}

impl<'a> Decls<'a> {
    pub fn new() -> Decls<'a> {
        Decls {
            declaring: true,
            ..Decls::default()
        }
    }

    fn push(&mut self, tok: Tok<'a>) {
        self.prev2 = self.prev;
        self.prev = Some(tok);
        self.after_body = false;
    }

    fn statement(&mut self) {
        self.declaring = true;
        self.declares_only = None;
        self.parens = 0;
    }

    /// A punctuation byte of code.
    pub fn punct(&mut self, b: u8) {
        match b {
            b';' => {
                if self.typedef_at == Some(self.depth) {
                    self.typedef_at = None;
                }
                self.statement();
            }
            b'{' => {
                self.depth += 1;
                if let Some(body) = self.body_next.take() {
                    self.bodies.push((self.depth, body));
                }
                self.statement();
            }
            b'}' => {
                self.pop_locals(self.depth);
                let closes_body = self.bodies.last().is_some_and(|(d, _)| *d == self.depth);
                self.depth = self.depth.saturating_sub(1);
                if closes_body {
                    // `} PyMine;`: the declaration goes on after the body.
                    self.bodies.pop();
                    self.push(Tok::Punct(b'}'));
                    self.after_body = true;
                    return;
                }
                self.statement();
            }
            b'(' => self.parens += 1,
            b')' => self.parens = self.parens.saturating_sub(1),
            b',' | b':' if self.parens == 0 => self.declaring = true,
            b'*' | b',' | b'&' if self.parens > 0 => {}
            b'*' | b'&' => {}
            _ => self.declaring = false,
        }
        if b != b'{' {
            self.body_next = None;
        }
        self.push(Tok::Punct(b));
    }

    /// A literal of code.
    pub fn literal(&mut self) {
        // `extern "C"` goes on declaring.
        if !matches!(self.prev, Some(Tok::Ident("extern"))) {
            self.declaring = false;
        }
        self.push(Tok::Literal);
    }

    /// Whether a token can be the type part of a declaration.
    fn is_type(tok: Option<Tok<'_>>) -> bool {
        matches!(tok, Some(Tok::Ident(word)) if !NOT_DECLARATION.contains(&word) && !matches!(word, "typedef" | "extern" | "static" | "inline"))
    }

    /// Whether `name`, next to these tokens, is in a declarator's place.
    fn declarator(&self) -> bool {
        let after_type = Self::is_type(self.prev)
            || self.after_body
            || (self.declares_only == Some(DeclaresOnly::ApiMacro) && matches!(self.prev, Some(Tok::Punct(b')'))));
        let after_pointer = matches!(self.prev, Some(Tok::Punct(b'*' | b'&')))
            && (Self::is_type(self.prev2) || matches!(self.prev2, Some(Tok::Punct(b'*' | b','))));
        after_type || after_pointer
    }

    /// An identifier of code. `next` is the next significant byte after
    /// it; `definition` tells whether the `(` after it opens a function
    /// with a body (asked only when it matters: it looks ahead). Keywords
    /// update the state; a declared name is recorded for `builds`.
    pub fn ident(&mut self, name: &'a str, next: u8, builds: Builds, definition: impl FnOnce() -> bool) -> Declared {
        let declared = self.classify(next, definition);
        match declared {
            Declared::File => {
                let b = self.owned.entry(name).or_insert(Builds::NONE);
                *b = b.or(builds);
            }
            Declared::Local => {
                self.locals.push((self.depth, name, builds));
                *self.local_count.entry(name).or_default() += 1;
            }
            Declared::Prototype => {
                let b = self.prototypes.entry(name).or_insert(Builds::NONE);
                *b = b.or(builds);
            }
            Declared::No => {}
        }
        let after_tag = matches!(self.prev, Some(Tok::Ident(k)) if TAG_KEYWORDS.contains(&k));
        match name {
            "typedef" => self.typedef_at = Some(self.depth),
            "PyAPI_FUNC" | "PyAPI_DATA" if self.declaring && self.parens == 0 => {
                self.declares_only = Some(DeclaresOnly::ApiMacro);
            }
            "extern" => self.declares_only = Some(DeclaresOnly::Extern),
            "enum" => self.body_next = Some(Body::Enumerators),
            "struct" | "union" | "class" => self.body_next = Some(Body::Members),
            w if NOT_DECLARATION.contains(&w) => self.declaring = false,
            // `enum Name {`: the tag keeps the list coming.
            _ if after_tag => {}
            _ => self.body_next = None,
        }
        self.push(Tok::Ident(name));
        declared
    }

    /// The scope of a declaration at brace depth `depth`.
    fn scope(&self, depth: usize) -> Declared {
        if depth == 0 || self.typedef_at.is_some() {
            Declared::File
        } else {
            Declared::Local
        }
    }

    fn classify(&self, next: u8, definition: impl FnOnce() -> bool) -> Declared {
        let body = self.bodies.last().filter(|(d, _)| *d == self.depth).map(|(_, b)| *b);
        // `struct _PyMine { ... }`: a tag with a body.
        if next == b'{' && matches!(self.prev, Some(Tok::Ident(k)) if TAG_KEYWORDS.contains(&k)) {
            return self.scope(self.depth);
        }
        match body {
            // `enum { Py_X = 1, Py_Y }`: enumerators, in the enclosing scope.
            Some(Body::Enumerators) => {
                let listed = matches!(self.prev, Some(Tok::Punct(b'{' | b','))) && matches!(next, b'=' | b',' | b'}');
                return if listed {
                    self.scope(self.depth - 1)
                } else {
                    Declared::No
                };
            }
            // Members are not names of the file's scope.
            Some(Body::Members) => return Declared::No,
            None => {}
        }
        if !self.declaring
            || TAG_KEYWORDS
                .iter()
                .any(|k| matches!(self.prev, Some(Tok::Ident(p)) if p == *k))
        {
            return Declared::No;
        }
        let in_typedef = self.typedef_at == Some(self.depth);
        // `typedef int (*Py_x)(void);`
        if in_typedef && self.parens == 1 && next == b')' && matches!(self.prev, Some(Tok::Punct(b'*'))) {
            return Declared::File;
        }
        if self.parens > 0 || !self.declarator() {
            return Declared::No;
        }
        match next {
            b';' | b'=' | b',' | b'[' if in_typedef => Declared::File,
            b';' | b',' | b'[' if self.declares_only.is_some() => Declared::Prototype,
            b';' | b'=' | b',' | b'[' => self.scope(self.depth),
            b'(' if self.depth == 0 && !in_typedef && definition() => Declared::File,
            b'(' if self.depth == 0 && !in_typedef && self.declares_only.is_some() => Declared::Prototype,
            _ => Declared::No,
        }
    }

    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Back to a brace depth (an `#else` branch starts where its `#if`
    /// did): the blocks deeper than it are gone.
    pub fn set_depth(&mut self, depth: usize) {
        self.pop_locals(depth + 1);
        self.bodies.retain(|(d, _)| *d <= depth);
        self.depth = depth;
        self.statement();
    }

    /// Forgets the names declared in blocks at `depth` or deeper.
    fn pop_locals(&mut self, depth: usize) {
        while self.locals.last().is_some_and(|(d, _, _)| *d >= depth) {
            if let Some((_, name, _)) = self.locals.pop()
                && let Some(n) = self.local_count.get_mut(name)
            {
                *n -= 1;
                if *n == 0 {
                    self.local_count.remove(name);
                }
            }
        }
    }

    /// The builds where a block declares `name` at this point.
    pub fn local(&self, name: &str) -> Builds {
        if !self.local_count.contains_key(name) {
            return Builds::NONE;
        }
        self.locals
            .iter()
            .filter(|(_, n, _)| *n == name)
            .fold(Builds::NONE, |all, (_, _, b)| all.or(*b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds a line of C, one token at a time, and returns how each name
    /// starting with `Py` or `_Py` (or `CO_`) was declared.
    fn declared(code: &str) -> Vec<(&str, Declared)> {
        let mut d = Decls::new();
        let mut out = Vec::new();
        let bytes = code.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_alphabetic() || b == b'_' {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                let name = &code[start..i];
                let rest = code[i..].trim_start();
                let next = rest.bytes().next().unwrap_or(0);
                let definition = || rest.contains(") {");
                let how = d.ident(name, next, Builds::ALL, definition);
                if name.starts_with("Py") || name.starts_with("_Py") || name.starts_with("CO_") {
                    out.push((name, how));
                }
            } else if b == b'"' {
                d.literal();
                i += 1 + code[i + 1..].find('"').map_or(code.len(), |e| e + 1);
            } else if b.is_ascii_digit() {
                d.literal();
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                }
            } else {
                if !b.is_ascii_whitespace() {
                    d.punct(b);
                }
                i += 1;
            }
        }
        out
    }

    #[test]
    fn definitions_are_the_files_and_uses_are_not() {
        use Declared::{File, Local, No, Prototype};
        assert_eq!(declared("static int CO_OPTIMIZED;"), vec![("CO_OPTIMIZED", File)]);
        assert_eq!(
            declared("typedef struct _PyMine { int x; } PyMine;"),
            vec![("_PyMine", File), ("PyMine", File)]
        );
        assert_eq!(
            declared("static PyObject *PyList_GetItemRef(PyObject *l, Py_ssize_t i) { return PyList_GetItem(l, i); }"),
            vec![
                ("PyObject", No),
                ("PyList_GetItemRef", File),
                ("PyObject", No),
                ("Py_ssize_t", No),
                ("PyList_GetItem", No)
            ]
        );
        assert_eq!(
            declared("PyAPI_FUNC(PyObject *) PyList_New(Py_ssize_t);"),
            vec![
                ("PyAPI_FUNC", No),
                ("PyObject", No),
                ("PyList_New", Prototype),
                ("Py_ssize_t", No)
            ],
            "a prototype declares the C API's function, it does not define one"
        );
        assert_eq!(
            declared("extern PyObject *PyExc_Mine;"),
            vec![("PyObject", No), ("PyExc_Mine", Prototype)]
        );
        assert_eq!(
            declared("extern \"C\" PyAPI_FUNC(void *) PyMem_Calloc(size_t nelem, size_t elsize);"),
            vec![("PyAPI_FUNC", No), ("PyMem_Calloc", Prototype)]
        );
        assert_eq!(
            declared("enum { Py_X = 1, Py_Y };"),
            vec![("Py_X", File), ("Py_Y", File)]
        );
        assert_eq!(
            declared("void f(void) { int n = x * PyLong_SHIFT; PyObject *Py_tmp = Py_None; return n * PyLong_SHIFT; }"),
            vec![
                ("PyLong_SHIFT", No),
                ("PyObject", No),
                ("Py_tmp", Local),
                ("Py_None", No),
                ("PyLong_SHIFT", No)
            ]
        );
        assert_eq!(
            declared("typedef int (*Py_cb)(PyObject *o);"),
            vec![("Py_cb", File), ("PyObject", No)]
        );
    }

    #[test]
    fn locals_end_with_their_block() {
        let mut d = Decls::new();
        for b in b"void f(void) {"
            .iter()
            .filter(|b| !b.is_ascii_whitespace() && !b.is_ascii_alphabetic())
        {
            d.punct(*b);
        }
        d.ident("int", b'g', Builds::ALL, || false);
        assert_eq!(d.ident("getter", b'=', Builds::ALL, || false), Declared::Local);
        assert_eq!(d.local("getter"), Builds::ALL);
        d.punct(b';');
        d.punct(b'}');
        assert_eq!(d.local("getter"), Builds::NONE);
    }
}
