//! A small C front end, just enough for `CPython`'s preprocessed headers and
//! for the signatures printed in its documentation.
//!
//! The input is `gcc -E -dD` output: line markers tell which header each
//! token comes from, `#define` lines survive. We split the token stream into
//! top-level declarations (`;` at depth 0, or a function body) and read each
//! declaration's declarators. This is not a C parser: it relies on the
//! headers being well-formed C that a compiler has just accepted, and it only
//! needs names, kinds, struct members and a normalised one-line rendering.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    Ident,
    Number,
    Literal,
    Punct,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokKind,
    pub text: String,
}

impl Token {
    fn is(&self, s: &str) -> bool {
        self.text == s
    }

    fn is_word(&self) -> bool {
        matches!(self.kind, TokKind::Ident | TokKind::Number | TokKind::Literal)
    }
}

const PUNCTS: &[&str] = &[
    "...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "*=", "/=", "%=", "+=",
    "-=", "&=", "^=", "|=", "##",
];

/// Splits C source text into tokens. Comments are dropped; the input is
/// expected to be preprocessed or a single signature line.
pub fn tokenize(src: &str) -> Vec<Token> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut pos = 0;
    let ident_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    while pos < bytes.len() {
        let ch = bytes[pos];
        let start = pos;
        let kind = if ch.is_ascii_whitespace() {
            pos += 1;
            continue;
        } else if src[pos..].starts_with("/*") {
            pos = src[pos + 2..].find("*/").map_or(bytes.len(), |e| pos + 2 + e + 2);
            continue;
        } else if src[pos..].starts_with("//") {
            pos = src[pos..].find('\n').map_or(bytes.len(), |e| pos + e);
            continue;
        } else if ch.is_ascii_alphabetic() || ch == b'_' {
            while pos < bytes.len() && ident_byte(bytes[pos]) {
                pos += 1;
            }
            TokKind::Ident
        } else if ch.is_ascii_digit() || (ch == b'.' && bytes.get(pos + 1).is_some_and(u8::is_ascii_digit)) {
            // A pp-number: digits, letters, dots, and signs after an exponent.
            while pos < bytes.len() {
                let exponent_sign =
                    matches!(bytes[pos], b'+' | b'-') && matches!(bytes[pos - 1], b'e' | b'E' | b'p' | b'P');
                if !(ident_byte(bytes[pos]) || bytes[pos] == b'.' || exponent_sign) {
                    break;
                }
                pos += 1;
            }
            TokKind::Number
        } else if ch == b'"' || ch == b'\'' {
            pos += 1;
            while pos < bytes.len() && bytes[pos] != ch {
                pos += if bytes[pos] == b'\\' { 2 } else { 1 };
            }
            pos = (pos + 1).min(bytes.len());
            TokKind::Literal
        } else {
            let rest = &src[pos..];
            pos += PUNCTS
                .iter()
                .find(|p| rest.starts_with(**p))
                .map_or_else(|| rest.chars().next().map_or(1, char::len_utf8), |p| p.len());
            TokKind::Punct
        };
        out.push(Token {
            kind,
            text: src[start..pos.min(bytes.len())].to_string(),
        });
    }
    out
}

/// A `#define` seen in the preprocessed output.
#[derive(Debug, Clone)]
pub struct MacroDef {
    pub name: String,
    /// `Some` for function-like macros (parameter names, `...` included).
    pub params: Option<Vec<String>>,
    pub body: String,
    pub file: String,
}

/// The preprocessed headers: tokens with the file each came from, and macros.
#[derive(Debug, Default)]
pub struct Preprocessed {
    pub tokens: Vec<Token>,
    /// Index into `files` for every token.
    pub token_file: Vec<usize>,
    pub files: Vec<String>,
    /// Macros defined at the end of the translation unit, by name.
    pub macros: BTreeMap<String, MacroDef>,
}

/// Reads `gcc -E -dD` output.
pub fn read_preprocessed(text: &str) -> Preprocessed {
    let mut pp = Preprocessed::default();
    let mut file_ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut current = usize::MAX;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(directive) = trimmed.strip_prefix('#') {
            let directive = directive.trim_start();
            if directive.starts_with(|c: char| c.is_ascii_digit()) {
                // `# 12 "file" flags`: a line marker.
                if let Some(start) = directive.find('"') {
                    let name = &directive[start + 1..];
                    let name = &name[..name.find('"').unwrap_or(name.len())];
                    let next = file_ids.len();
                    current = *file_ids.entry(name.to_string()).or_insert(next);
                    if current == pp.files.len() {
                        pp.files.push(name.to_string());
                    }
                }
            } else if let Some(def) = directive.strip_prefix("define ") {
                let file = pp.files.get(current).cloned().unwrap_or_default();
                if let Some(m) = parse_define(def, file) {
                    pp.macros.insert(m.name.clone(), m);
                }
            } else if let Some(name) = directive.strip_prefix("undef ") {
                pp.macros.remove(name.trim());
            }
            continue;
        }
        for tok in tokenize(line) {
            pp.tokens.push(tok);
            pp.token_file.push(current);
        }
    }
    pp
}

fn parse_define(def: &str, file: String) -> Option<MacroDef> {
    let def = def.trim_start();
    let end = def
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(def.len());
    let name = def[..end].to_string();
    if name.is_empty() {
        return None;
    }
    let rest = &def[end..];
    let (params, body) = if let Some(after) = rest.strip_prefix('(') {
        let close = after.find(')')?;
        let params = after[..close]
            .split(',')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        (Some(params), after[close + 1..].trim())
    } else {
        (None, rest.trim())
    };
    Some(MacroDef {
        name,
        params,
        body: body.split_whitespace().collect::<Vec<_>>().join(" "),
        file,
    })
}

/// One declared name found in a declaration.
#[derive(Debug, Clone, PartialEq)]
pub enum Declared {
    /// A function prototype or definition (`inline` when it has a body).
    Function {
        name: String,
        signature: String,
        inline: bool,
    },
    /// An object declaration (`extern` data or a file-scope variable).
    Variable { name: String, signature: String },
    /// A typedef; `target` says what it names.
    Typedef {
        name: String,
        signature: String,
        target: TypedefTarget,
    },
    /// A struct or union with a body (`tag` is `None` when anonymous).
    Record {
        tag: Option<String>,
        union: bool,
        members: Vec<Member>,
    },
    /// An enumeration constant.
    Enumerator { name: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypedefTarget {
    /// `typedef struct tag name` or `typedef struct { ... } name`.
    Record {
        tag: Option<String>,
    },
    Enum,
    Other,
}

/// A struct member with its type rendered without its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub ctype: String,
}

/// Splits a token stream into top-level declarations, returning index ranges.
pub fn split_declarations(tokens: &[Token]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        match t.text.as_str() {
            "{" if depth == 0 && is_function_body(&tokens[start..i]) => {
                let close = matching(tokens, i);
                out.push(start..close + 1);
                i = close + 1;
                start = i;
                continue;
            }
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => depth = depth.saturating_sub(1),
            ";" if depth == 0 => {
                out.push(start..i + 1);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Index of the bracket closing the one at `open`.
fn matching(tokens: &[Token], open: usize) -> usize {
    let mut depth = 0usize;
    for (k, t) in tokens.iter().enumerate().skip(open) {
        match t.text.as_str() {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    tokens.len() - 1
}

/// Whether a `{` after these tokens opens a function body: the declaration
/// so far ends with a parameter list (attributes aside) and is no initializer.
fn is_function_body(before: &[Token]) -> bool {
    let cleaned = strip_noise(before);
    if cleaned.iter().any(|t| t.is("=") || t.is("typedef")) {
        return false;
    }
    cleaned.last().is_some_and(|t| t.is(")"))
}

const NOISE_WORDS: &[&str] = &[
    "__extension__",
    "__restrict",
    "__restrict__",
    "restrict",
    "__inline",
    "__inline__",
    "_Noreturn",
    "__thread",
    "_Thread_local",
    "__volatile__",
];
const NOISE_CALLS: &[&str] = &[
    "__attribute__",
    "__attribute",
    "__asm__",
    "__asm",
    "asm",
    "__declspec",
    "_Alignas",
    "__typeof__",
];

/// Removes attributes, asm labels and GNU keywords that carry no type
/// information; `__inline` becomes `inline`.
pub fn strip_noise(tokens: &[Token]) -> Vec<Token> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if NOISE_CALLS.contains(&t.text.as_str()) && tokens.get(i + 1).is_some_and(|n| n.is("(")) {
            i = matching(tokens, i + 1) + 1;
            continue;
        }
        if t.is("__inline") || t.is("__inline__") {
            out.push(Token {
                kind: TokKind::Ident,
                text: "inline".into(),
            });
        } else if !NOISE_WORDS.contains(&t.text.as_str()) {
            out.push(t.clone());
        }
        i += 1;
    }
    out
}

const SPECIFIER_WORDS: &[&str] = &[
    "typedef", "extern", "static", "inline", "const", "volatile", "signed", "unsigned", "short", "long", "int", "char",
    "float", "double", "void", "_Bool", "struct", "union", "enum", "register", "auto", "_Complex", "_Atomic",
];

fn is_keyword(t: &Token) -> bool {
    t.kind == TokKind::Ident && SPECIFIER_WORDS.contains(&t.text.as_str())
}

/// Reads one top-level declaration.
pub fn analyze(decl: &[Token]) -> Vec<Declared> {
    let mut found = Vec::new();
    let mut toks = strip_noise(decl);
    while toks.last().is_some_and(|t| t.is(";")) {
        toks.pop();
    }
    // A function definition: keep the head, note the body.
    let mut inline = false;
    if toks.last().is_some_and(|t| t.is("}"))
        && let Some(open) = first_depth0(&toks, "{").filter(|&open| is_function_body(&toks[..open]))
    {
        toks.truncate(open);
        inline = true;
    }
    let toks = lift_records(&toks, &mut found);
    if toks.is_empty() {
        return found;
    }
    let is_typedef = toks.iter().any(|t| t.is("typedef"));
    let chunks: Vec<Vec<Token>> = split_depth0(&toks, ",").iter().map(|c| cut_initializer(c)).collect();
    let Some(first) = chunks.first() else {
        return found;
    };
    let Some(first_name) = declarator_name(first) else {
        return found;
    };
    let spec_end = declarator_start(first, first_name);
    let specifiers: Vec<Token> = first[..spec_end].to_vec();
    for (n, chunk) in chunks.iter().enumerate() {
        let full: Vec<Token> = if n == 0 {
            chunk.clone()
        } else {
            specifiers.iter().chain(chunk.iter()).cloned().collect()
        };
        let Some(name_at) = declarator_name(&full) else {
            continue;
        };
        let name = full[name_at].text.clone();
        let is_fn = full.get(name_at + 1).is_some_and(|t| t.is("("));
        let rendered_src: Vec<Token> = full
            .iter()
            .filter(|t| !(t.is("extern") || t.is("typedef") || t.is("static") || t.is("inline")))
            .cloned()
            .collect();
        if is_typedef {
            let target = typedef_target(&specifiers);
            let signature = format!("typedef {}", render(&rendered_src));
            found.push(Declared::Typedef {
                name,
                signature,
                target,
            });
        } else if is_fn {
            found.push(Declared::Function {
                name,
                signature: render(&rendered_src),
                inline,
            });
        } else {
            found.push(Declared::Variable {
                name,
                signature: render(&rendered_src),
            });
        }
    }
    found
}

fn typedef_target(specifiers: &[Token]) -> TypedefTarget {
    let words: Vec<&Token> = specifiers
        .iter()
        .filter(|t| !t.is("typedef") && !t.is("const"))
        .collect();
    match words.as_slice() {
        [kw, rest @ ..] if kw.is("struct") || kw.is("union") => TypedefTarget::Record {
            tag: rest
                .first()
                .filter(|t| t.kind == TokKind::Ident)
                .map(|t| t.text.clone()),
        },
        [kw, ..] if kw.is("enum") => TypedefTarget::Enum,
        _ => TypedefTarget::Other,
    }
}

/// Replaces every `struct/union/enum [tag] { ... }` by `struct/union/enum
/// tag` (or the bare keyword), recording records and enumerators.
fn lift_records(toks: &[Token], found: &mut Vec<Declared>) -> Vec<Token> {
    let mut out = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let is_record = t.is("struct") || t.is("union");
        if is_record || t.is("enum") {
            let tag = toks.get(i + 1).filter(|n| n.kind == TokKind::Ident && !is_keyword(n));
            let open = i + 1 + usize::from(tag.is_some());
            if toks.get(open).is_some_and(|n| n.is("{")) {
                let close = matching(toks, open);
                let body = &toks[open + 1..close];
                if is_record {
                    found.push(Declared::Record {
                        tag: tag.map(|t| t.text.clone()),
                        union: t.is("union"),
                        members: members(body),
                    });
                } else {
                    for e in split_depth0(body, ",") {
                        if let Some(n) = e.first().filter(|n| n.kind == TokKind::Ident) {
                            found.push(Declared::Enumerator { name: n.text.clone() });
                        }
                    }
                }
                out.push(t.clone());
                out.push(tag.cloned().unwrap_or_else(|| Token {
                    kind: TokKind::Punct,
                    text: "{...}".into(),
                }));
                i = close + 1;
                continue;
            }
        }
        out.push(t.clone());
        i += 1;
    }
    out
}

/// The members of a struct or union body; anonymous inner records are
/// flattened, as C makes their members accessible directly.
fn members(body: &[Token]) -> Vec<Member> {
    let mut out = Vec::new();
    for decl in split_depth0(body, ";") {
        if decl.is_empty() {
            continue;
        }
        let mut inner = Vec::new();
        let lifted = lift_records(&decl, &mut inner);
        let anonymous_record =
            matches!(lifted.as_slice(), [kw, body] if (kw.is("struct") || kw.is("union")) && body.is("{...}"));
        if anonymous_record {
            for d in inner {
                if let Declared::Record { members, .. } = d {
                    out.extend(members);
                }
            }
            continue;
        }
        let chunks = split_depth0(&lifted, ",");
        let Some(first) = chunks.first() else {
            continue;
        };
        let Some(first_name) = declarator_name(first) else {
            continue;
        };
        let specifiers = &first[..declarator_start(first, first_name)];
        for (n, chunk) in chunks.iter().enumerate() {
            let full: Vec<Token> = if n == 0 {
                chunk.clone()
            } else {
                specifiers.iter().chain(chunk.iter()).cloned().collect()
            };
            let full = cut_bitfield(&full);
            let Some(at) = declarator_name(&full) else {
                continue;
            };
            let mut without: Vec<Token> = full.clone();
            without.remove(at);
            out.push(Member {
                name: full[at].text.clone(),
                ctype: render(&without),
            });
        }
    }
    out
}

fn cut_bitfield(toks: &[Token]) -> Vec<Token> {
    match first_depth0(toks, ":") {
        Some(k) => toks[..k].to_vec(),
        None => toks.to_vec(),
    }
}

fn cut_initializer(toks: &[Token]) -> Vec<Token> {
    match first_depth0(toks, "=") {
        Some(k) => toks[..k].to_vec(),
        None => toks.to_vec(),
    }
}

fn first_depth0(toks: &[Token], what: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (k, t) in toks.iter().enumerate() {
        if depth == 0 && t.is(what) {
            return Some(k);
        }
        match t.text.as_str() {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Splits at a separator that is outside every bracket.
pub fn split_depth0(toks: &[Token], sep: &str) -> Vec<Vec<Token>> {
    let mut out = vec![Vec::new()];
    let mut depth = 0usize;
    for t in toks {
        if depth == 0 && t.is(sep) {
            out.push(Vec::new());
            continue;
        }
        match t.text.as_str() {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => depth = depth.saturating_sub(1),
            _ => {}
        }
        if let Some(last) = out.last_mut() {
            last.push(t.clone());
        }
    }
    if out.last().is_some_and(Vec::is_empty) {
        out.pop();
    }
    out
}

/// The index of the identifier a declarator declares, if any.
pub fn declarator_name(toks: &[Token]) -> Option<usize> {
    // `struct tag` alone declares only the tag.
    if let [kw, tag] = toks
        && (kw.is("struct") || kw.is("union") || kw.is("enum"))
        && tag.kind == TokKind::Ident
    {
        return None;
    }
    if let Some(open) = first_depth0(toks, "(") {
        if toks.get(open + 1).is_some_and(|t| t.is("*") || t.is("^")) {
            // `(*name)(...)` or `(*name)[...]`: the name is inside.
            let close = matching(toks, open);
            if let Some(inner) = declarator_name(&toks[open + 1..close]) {
                return Some(open + 1 + inner);
            }
            return (open + 1..close)
                .rev()
                .find(|&k| toks[k].kind == TokKind::Ident && !is_keyword(&toks[k]));
        }
        return (open > 0 && toks[open - 1].kind == TokKind::Ident && !is_keyword(&toks[open - 1])).then(|| open - 1);
    }
    let end = first_depth0(toks, "[").unwrap_or(toks.len());
    let k = (0..end).rev().find(|&k| toks[k].kind == TokKind::Ident)?;
    if is_keyword(&toks[k]) {
        return None;
    }
    // A lone identifier with no type before it is a type name, not a declarator.
    let typed_before = toks[..k].iter().any(|t| t.kind == TokKind::Ident || t.is("*"));
    typed_before.then_some(k)
}

/// Where the declarator holding the name at `name_at` begins: after the
/// specifiers, before pointer stars and grouping parentheses.
fn declarator_start(toks: &[Token], name_at: usize) -> usize {
    let mut k = name_at;
    while k > 0 && (toks[k - 1].is("*") || toks[k - 1].is("(") || toks[k - 1].is("const")) {
        k -= 1;
    }
    // `const` right after the specifiers belongs to them (`const char *p`).
    while k < name_at && toks[k].is("const") && (k == 0 || !toks[k - 1].is("*")) {
        k += 1;
    }
    k
}

/// Renders tokens as one normalised line: `PyObject *name(Py_ssize_t len)`.
pub fn render(toks: &[Token]) -> String {
    let mut out = String::new();
    for (k, t) in toks.iter().enumerate() {
        let prev = k.checked_sub(1).map(|p| &toks[p]);
        if let Some(p) = prev
            && space_between(p, t, toks.get(k + 1), k.checked_sub(2).map(|q| &toks[q]))
        {
            out.push(' ');
        }
        out.push_str(&t.text);
    }
    out
}

fn space_between(p: &Token, t: &Token, next: Option<&Token>, before_p: Option<&Token>) -> bool {
    if matches!(t.text.as_str(), "," | ")" | "]" | ";") || p.is("(") || p.is("[") {
        return false;
    }
    if p.is(",") {
        return true;
    }
    if t.is("(") {
        return (p.is_word() || p.is("*")) && next.is_some_and(|n| n.is("*") || n.is("^")) && !p.is("*");
    }
    if t.is("[") {
        return false;
    }
    if t.is("*") {
        return p.is_word() || p.is(")");
    }
    if p.is("*") {
        return false;
    }
    if p.is_word() && t.is_word() {
        return true;
    }
    // A unary sign directly after an opening bracket, comma or operator.
    let unary = matches!(p.text.as_str(), "-" | "+" | "~" | "!")
        && before_p.is_none_or(|b| b.kind == TokKind::Punct && !b.is(")"));
    if unary {
        return false;
    }
    p.kind == TokKind::Punct && !p.is(")") || t.kind == TokKind::Punct || p.is(")") && t.is_word()
}

/// Renders a signature from source text (as the docs print it).
pub fn normalise(text: &str) -> String {
    render(&tokenize(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared(src: &str) -> Vec<Declared> {
        let toks = tokenize(src);
        split_declarations(&toks)
            .into_iter()
            .flat_map(|r| analyze(&toks[r]))
            .collect()
    }

    #[test]
    fn renders_like_the_docs() {
        assert_eq!(
            normalise("int  PyBuffer_FillInfo( Py_buffer* view,PyObject *exporter , void *buf)"),
            "int PyBuffer_FillInfo(Py_buffer *view, PyObject *exporter, void *buf)"
        );
        assert_eq!(
            normalise("typedef int (*visitproc)(PyObject*, void*)"),
            "typedef int (*visitproc)(PyObject *, void *)"
        );
        assert_eq!(normalise("char *const *argv"), "char *const *argv");
        assert_eq!(
            normalise("PyObject *PyObject_CallFunction(PyObject *c, const char *f, ...)"),
            "PyObject *PyObject_CallFunction(PyObject *c, const char *f, ...)"
        );
        assert_eq!(normalise("Py_ssize_t shape[ ]"), "Py_ssize_t shape[]");
    }

    #[test]
    fn reads_functions_variables_and_inline_definitions() {
        let d = declared(
            "__attribute__((visibility(\"default\"))) PyObject * PyList_New(Py_ssize_t len);\n\
             extern __attribute__((visibility(\"default\"))) PyTypeObject PyList_Type;\n\
             static inline __attribute__((always_inline)) void Py_INCREF(PyObject *op) { op->x++; }\n\
             extern int (*PyOS_InputHook)(void);",
        );
        assert_eq!(
            d,
            vec![
                Declared::Function {
                    name: "PyList_New".into(),
                    signature: "PyObject *PyList_New(Py_ssize_t len)".into(),
                    inline: false
                },
                Declared::Variable {
                    name: "PyList_Type".into(),
                    signature: "PyTypeObject PyList_Type".into()
                },
                Declared::Function {
                    name: "Py_INCREF".into(),
                    signature: "void Py_INCREF(PyObject *op)".into(),
                    inline: true
                },
                Declared::Variable {
                    name: "PyOS_InputHook".into(),
                    signature: "int (*PyOS_InputHook)(void)".into()
                },
            ]
        );
    }

    #[test]
    fn reads_typedefs_records_and_enums() {
        let d = declared(
            "typedef struct _object PyObject;\n\
             struct _object { union { Py_ssize_t ob_refcnt; uint32_t split[2]; }; PyTypeObject *ob_type; };\n\
             typedef int (*visitproc)(PyObject *, void *);\n\
             typedef enum { PyGILState_LOCKED, PyGILState_UNLOCKED = 1 } PyGILState_STATE;\n\
             struct _ts;",
        );
        assert_eq!(
            d[0],
            Declared::Typedef {
                name: "PyObject".into(),
                signature: "typedef struct _object PyObject".into(),
                target: TypedefTarget::Record {
                    tag: Some("_object".into())
                }
            }
        );
        let Declared::Record { tag, members, .. } = &d[1] else {
            panic!("{d:?}")
        };
        assert_eq!(tag.as_deref(), Some("_object"));
        let names: Vec<_> = members.iter().map(|m| (m.name.as_str(), m.ctype.as_str())).collect();
        assert_eq!(
            names,
            [
                ("ob_refcnt", "Py_ssize_t"),
                ("split", "uint32_t[2]"),
                ("ob_type", "PyTypeObject *")
            ]
        );
        assert!(matches!(&d[2], Declared::Typedef { name, target: TypedefTarget::Other, .. } if name == "visitproc"));
        assert_eq!(
            d[3],
            Declared::Enumerator {
                name: "PyGILState_LOCKED".into()
            }
        );
        assert_eq!(
            d[4],
            Declared::Enumerator {
                name: "PyGILState_UNLOCKED".into()
            }
        );
        assert!(
            matches!(&d[5], Declared::Typedef { name, target: TypedefTarget::Enum, .. } if name == "PyGILState_STATE")
        );
        assert_eq!(d.len(), 6, "a forward declaration declares no name: {d:?}");
    }

    #[test]
    fn reads_function_pointer_members() {
        let d = declared(
            "typedef struct PyMethodDef { const char *ml_name; PyObject *(*ml_meth)(PyObject *, PyObject *); int ml_flags : 3; } PyMethodDef;",
        );
        let Declared::Record { members, .. } = &d[0] else {
            panic!("{d:?}")
        };
        let names: Vec<_> = members.iter().map(|m| (m.name.as_str(), m.ctype.as_str())).collect();
        assert_eq!(
            names,
            [
                ("ml_name", "const char *"),
                ("ml_meth", "PyObject *(*)(PyObject *, PyObject *)"),
                ("ml_flags", "int")
            ]
        );
    }

    #[test]
    fn reads_defines() {
        let pp = read_preprocessed(
            "# 1 \"./listobject.h\" 1\n#define PyList_GET_ITEM(op,index) (x[(index)])\n#define METH_O 0x0008\n#define GONE 1\n#undef GONE\n",
        );
        assert_eq!(
            pp.macros["PyList_GET_ITEM"].params.as_deref(),
            Some(&["op".to_string(), "index".to_string()][..])
        );
        assert_eq!(pp.macros["METH_O"].body, "0x0008");
        assert_eq!(pp.macros["METH_O"].file, "./listobject.h");
        assert!(!pp.macros.contains_key("GONE"));
    }
}
