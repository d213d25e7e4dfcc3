//! The C and C++ scanner: every identifier the caller wants, outside
//! comments, string and character literals and `#include` lines, with its
//! line, column and the builds that compile it (from the conditional
//! groups around it).
//!
//! It reads what the compiler would see, minus macro expansion: a use
//! inside a macro body counts where the body is written. Configuration
//! macros the code defines or tests are settings, not uses.

use std::collections::{HashMap, HashSet};

use super::build::Builds;
use super::cond::{self, Macros, Stack};
use crate::catalog::Catalog;

/// The configuration macros: set by the code or its build, never uses.
pub const SETTINGS: [&str; 4] = [
    "Py_LIMITED_API",
    "Py_TARGET_ABI3T",
    "PY_SSIZE_T_CLEAN",
    "Py_GIL_DISABLED",
];

/// One identifier the caller wanted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence<'a> {
    pub name: &'a str,
    pub line: u32,
    pub column: u32,
    /// The builds that compile it.
    pub builds: Builds,
    /// Followed by `*`: a pointer to the named type.
    pub pointer: bool,
    /// The macro whose body holds it: it counts only where that macro is
    /// expanded.
    pub in_macro: Option<&'a str>,
}

/// A configuration macro the code defines (with its value) or tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingSite {
    pub name: &'static str,
    /// The defined value; `None` when the code only tests the macro.
    pub value: Option<String>,
    pub defined: bool,
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Default)]
pub struct Scan<'a> {
    pub occurrences: Vec<Occurrence<'a>>,
    pub settings: Vec<SettingSite>,
    /// Every identifier in compiled code outside directives: the macros
    /// that are expanded (and other names).
    pub expanded: HashSet<&'a str>,
    /// Each macro defined, with the identifiers of its body.
    pub bodies: HashMap<&'a str, Vec<&'a str>>,
    /// Wanted identifiers in code that no Stable ABI build compiles.
    pub left_out: usize,
}

struct Scanner<'a, F> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    line: u32,
    line_start: usize,
    wanted: F,
    stack: Stack,
    macros: Macros,
    /// The macro whose body is being scanned.
    defining: Option<&'a str>,
    /// Per open conditional group, the name its first branch tests as
    /// undefined (`#ifndef CO_OPTIMIZED`): in that branch the name is the
    /// file's own fallback, not the C API's.
    fallbacks: Vec<Option<String>>,
    out: Scan<'a>,
}

/// Scans C or C++ source text for the identifiers `wanted` accepts.
pub fn scan(text: &str, wanted: impl Fn(&str) -> bool) -> Scan<'_> {
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        at: 0,
        line: 1,
        line_start: 0,
        wanted,
        stack: Stack::default(),
        macros: Macros::with_headers(Catalog::embedded()),
        defining: None,
        fallbacks: Vec::new(),
        out: Scan::default(),
    };
    scanner.run();
    scanner.out
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'a, F: Fn(&str) -> bool> Scanner<'a, F> {
    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.at + ahead).copied().unwrap_or(0)
    }

    fn newline(&mut self) {
        self.line += 1;
        self.line_start = self.at + 1;
    }

    fn column(&self, at: usize) -> u32 {
        let chars = self.text.get(self.line_start..at).map_or(0, |s| s.chars().count());
        u32::try_from(chars + 1).unwrap_or(u32::MAX)
    }

    fn run(&mut self) {
        let mut line_has_code = false;
        while self.at < self.bytes.len() {
            let b = self.bytes[self.at];
            match b {
                b'\n' => {
                    self.newline();
                    line_has_code = false;
                    self.at += 1;
                }
                b'#' if !line_has_code => {
                    self.directive();
                }
                b'/' if self.peek(1) == b'/' => self.line_comment(),
                b'/' if self.peek(1) == b'*' => self.block_comment(),
                b'"' => {
                    line_has_code = true;
                    self.string(b'"');
                }
                b'\'' => {
                    line_has_code = true;
                    self.string(b'\'');
                }
                b'0'..=b'9' => {
                    line_has_code = true;
                    self.number();
                }
                _ if is_ident_start(b) => {
                    line_has_code = true;
                    self.identifier(false);
                }
                _ => {
                    line_has_code |= !b.is_ascii_whitespace();
                    self.at += 1;
                }
            }
        }
    }

    fn line_comment(&mut self) {
        while self.at < self.bytes.len() && self.bytes[self.at] != b'\n' {
            // A backslash at the end of the line continues the comment.
            if self.bytes[self.at] == b'\\' && self.peek(1) == b'\n' {
                self.at += 1;
                self.newline();
            }
            self.at += 1;
        }
    }

    fn block_comment(&mut self) {
        self.at += 2;
        while self.at < self.bytes.len() && !(self.bytes[self.at] == b'*' && self.peek(1) == b'/') {
            if self.bytes[self.at] == b'\n' {
                self.newline();
            }
            self.at += 1;
        }
        self.at = (self.at + 2).min(self.bytes.len());
    }

    /// A string or character literal; an unterminated one ends at the line.
    fn string(&mut self, quote: u8) {
        self.at += 1;
        while self.at < self.bytes.len() {
            match self.bytes[self.at] {
                b'\\' if self.peek(1) == b'\n' => {
                    self.at += 1;
                    self.newline();
                }
                b'\\' => self.at += 1,
                b'\n' => return,
                b if b == quote => {
                    self.at += 1;
                    return;
                }
                _ => {}
            }
            self.at += 1;
        }
        // A backslash as the last byte steps past the end.
        self.at = self.bytes.len();
    }

    /// A C++11 raw string `R"delim( ... )delim"`, the `R"` already seen.
    fn raw_string(&mut self) {
        let open = self.at + 1;
        let Some(paren) = self.bytes[open..].iter().take(17).position(|b| *b == b'(') else {
            self.string(b'"');
            return;
        };
        let Some(delim) = self.text.get(open..open + paren) else {
            self.string(b'"');
            return;
        };
        let close = format!("){delim}\"");
        let body = open + paren + 1;
        let end = self.text[body..]
            .find(&close)
            .map_or(self.bytes.len(), |i| body + i + close.len());
        while self.at < end {
            if self.bytes[self.at] == b'\n' {
                self.newline();
            }
            self.at += 1;
        }
    }

    /// A preprocessing number: `0x1F`, `1e+5`, `1'000'000`.
    fn number(&mut self) {
        while self.at < self.bytes.len() {
            let b = self.bytes[self.at];
            if matches!(b, b'e' | b'E' | b'p' | b'P') && matches!(self.peek(1), b'+' | b'-') {
                self.at += 2;
            } else if is_ident(b) || b == b'.' || (b == b'\'' && is_ident(self.peek(1))) {
                self.at += 1;
            } else {
                break;
            }
        }
    }

    fn identifier(&mut self, in_directive: bool) {
        let start = self.at;
        while self.at < self.bytes.len() && is_ident(self.bytes[self.at]) {
            self.at += 1;
        }
        let name = &self.text[start..self.at];
        if self.peek(0) == b'"' && matches!(name, "R" | "LR" | "uR" | "UR" | "u8R") {
            self.raw_string();
            return;
        }
        let builds = self.stack.active();
        match self.defining {
            Some(defining) => self.out.bodies.entry(defining).or_default().push(name),
            None if !builds.is_empty() => {
                self.out.expanded.insert(name);
            }
            None => {}
        }
        if SETTINGS.contains(&name) || !(self.wanted)(name) || self.fallbacks.iter().flatten().any(|f| f == name) {
            return;
        }
        if builds.is_empty() {
            self.out.left_out += 1;
            return;
        }
        let pointer = self.followed_by_star(in_directive);
        let column = self.column(start);
        self.out.occurrences.push(Occurrence {
            name,
            line: self.line,
            column,
            builds,
            pointer,
            in_macro: self.defining,
        });
    }

    /// Whether the next token (past blanks, comments and qualifiers) is `*`.
    fn followed_by_star(&self, in_directive: bool) -> bool {
        let mut i = self.at;
        while i < self.bytes.len() {
            match self.bytes[i] {
                b'*' => return true,
                b'\n' if in_directive => return false,
                b' ' | b'\t' | b'\r' | b'\n' | b'\\' => i += 1,
                b'/' if self.bytes.get(i + 1) == Some(&b'*') => {
                    i = self.text[i + 2..].find("*/").map_or(self.bytes.len(), |e| i + 4 + e);
                }
                b if is_ident_start(b) => {
                    let end = self.bytes[i..]
                        .iter()
                        .position(|b| !is_ident(*b))
                        .map_or(self.bytes.len(), |e| i + e);
                    if !matches!(&self.text[i..end], "const" | "volatile" | "restrict") {
                        return false;
                    }
                    i = end;
                }
                _ => return false,
            }
        }
        false
    }

    /// The rest of a logical line (joined at backslash-newlines), comments
    /// removed; the scanner moves past it.
    fn logical_line(&mut self) -> String {
        let mut text = String::new();
        while self.at < self.bytes.len() {
            if self.continuation() {
                text.push(' ');
                continue;
            }
            match self.bytes[self.at] {
                b'\n' => break,
                b'/' if self.peek(1) == b'*' => {
                    self.block_comment();
                    text.push(' ');
                }
                b'/' if self.peek(1) == b'/' => self.line_comment(),
                _ => {
                    let len = utf8_len(self.bytes[self.at]);
                    text.push_str(self.text.get(self.at..self.at + len).unwrap_or(" "));
                    self.at += len;
                }
            }
        }
        text
    }

    /// Leaves the first branch of a group: a fallback name is the C API's again.
    fn end_fallback(&mut self) {
        if let Some(last) = self.fallbacks.last_mut() {
            *last = None;
        }
    }

    /// The identifier after blanks on the same line (empty when none).
    fn next_word(&mut self) -> &'a str {
        while matches!(self.peek(0), b' ' | b'\t') {
            self.at += 1;
        }
        let start = self.at;
        while self.at < self.bytes.len() && is_ident(self.bytes[self.at]) {
            self.at += 1;
        }
        &self.text[start..self.at]
    }

    /// Moves past a backslash-newline (`\\\n` or `\\\r\n`) if one is here.
    fn continuation(&mut self) -> bool {
        let len = match (self.peek(0), self.peek(1), self.peek(2)) {
            (b'\\', b'\n', _) => 1,
            (b'\\', b'\r', b'\n') => 2,
            _ => return false,
        };
        self.at += len;
        self.newline();
        self.at += 1;
        true
    }

    fn directive(&mut self) {
        let hash = self.at;
        self.at += 1;
        let word = self.next_word();
        let column = self.column(hash);
        let line = self.line;
        match word {
            "if" | "elif" => {
                let expr = self.logical_line();
                self.note_tests(&expr, line, column);
                let truth = cond::evaluate(&expr, &self.macros);
                if word == "if" {
                    self.stack.open(truth);
                    self.fallbacks.push(undefined_test(&expr).map(String::from));
                } else {
                    self.stack.branch(truth);
                    self.end_fallback();
                }
            }
            "ifdef" | "ifndef" | "elifdef" | "elifndef" => {
                let expr = self.logical_line();
                self.note_tests(&expr, line, column);
                let name = expr.split_whitespace().next().unwrap_or("");
                let truth = cond::defined(name, word.ends_with("ndef"), &self.macros);
                if word.starts_with("if") {
                    self.stack.open(truth);
                    self.fallbacks.push((word == "ifndef").then(|| name.to_string()));
                } else {
                    self.stack.branch(truth);
                    self.end_fallback();
                }
            }
            "else" => {
                self.logical_line();
                self.stack.otherwise();
                self.end_fallback();
            }
            "endif" => {
                self.logical_line();
                self.stack.close();
                self.fallbacks.pop();
            }
            "define" => self.define(line, column),
            "error" => {
                self.logical_line();
                self.stack.error();
            }
            "undef" => {
                let name = self.next_word();
                self.macros.undefine(name, self.stack.here());
                self.logical_line();
            }
            // `#include`, `#undef`, `#pragma`, `#error`, `#line` and the
            // rest: nothing here is a use.
            _ => {
                self.logical_line();
            }
        }
    }

    /// `#define NAME ...`: a setting when NAME is a configuration macro,
    /// else its body is scanned like code.
    fn define(&mut self, line: u32, column: u32) {
        let name = self.next_word();
        if let Some(setting) = SETTINGS.iter().find(|s| **s == name) {
            let value = self.logical_line().trim().to_string();
            self.out.settings.push(SettingSite {
                name: setting,
                value: (!value.is_empty()).then_some(value),
                defined: true,
                line,
                column,
            });
            return;
        }
        let function_like = self.peek(0) == b'(';
        let body_start = self.at;
        if !self.stack.active().is_empty() {
            self.out.bodies.entry(name).or_default();
            self.defining = Some(name);
        }
        self.macro_body();
        self.defining = None;
        let body = (!function_like).then(|| without_comments(&self.text[body_start..self.at]));
        self.macros.define(name, body.as_deref(), self.stack.here());
    }

    /// A macro body, up to the end of the logical line, scanned like code.
    fn macro_body(&mut self) {
        while self.at < self.bytes.len() {
            if self.continuation() {
                continue;
            }
            let b = self.bytes[self.at];
            match b {
                b'\n' => return,
                b'/' if self.peek(1) == b'/' => self.line_comment(),
                b'/' if self.peek(1) == b'*' => self.block_comment(),
                b'"' => self.string(b'"'),
                b'\'' => self.string(b'\''),
                b'0'..=b'9' => self.number(),
                _ if is_ident_start(b) => self.identifier(true),
                _ => self.at += 1,
            }
        }
    }

    /// Records the configuration macros a condition tests, once per name.
    fn note_tests(&mut self, expr: &str, line: u32, column: u32) {
        for setting in SETTINGS {
            let tested = expr.match_indices(setting).any(|(i, _)| {
                !expr[..i].ends_with(is_ident_char) && !expr[i + setting.len()..].starts_with(is_ident_char)
            });
            if tested && !self.out.settings.iter().any(|s| s.name == setting && !s.defined) {
                self.out.settings.push(SettingSite {
                    name: setting,
                    value: None,
                    defined: false,
                    line,
                    column,
                });
            }
        }
    }
}

/// `!defined(NAME)` or `!defined NAME`, alone: the name tested as undefined.
fn undefined_test(expr: &str) -> Option<&str> {
    let rest = expr
        .trim()
        .strip_prefix('!')?
        .trim_start()
        .strip_prefix("defined")?
        .trim();
    let name = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(rest)
        .trim();
    name.bytes().all(is_ident).then_some(name).filter(|n| !n.is_empty())
}

/// Text with its C comments replaced by spaces (for a macro's value).
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('/') {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        if let Some(body) = after.strip_prefix("/*") {
            rest = body.find("*/").map_or("", |end| &body[end + 2..]);
            out.push(' ');
        } else if after.starts_with("//") {
            rest = after.find('\n').map_or("", |end| &after[end..]);
        } else {
            out.push('/');
            rest = &after[1..];
        }
    }
    out.push_str(rest);
    out
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Version;
    use crate::check::build::{Build, Family};

    fn names(text: &str) -> Vec<(String, u32, u32)> {
        scan(text, |n| n.starts_with("Py"))
            .occurrences
            .into_iter()
            .map(|o| (o.name.to_string(), o.line, o.column))
            .collect()
    }

    #[test]
    fn comments_strings_and_includes_are_not_uses() {
        let text = r#"#include "Python.h"  /* PyList_New */
// PyList_Append here is prose
static const char *doc = "PyTuple_New in a string";
static char c = 'P';
static const char *raw = R"x(PyDict_New )" PyList_New)x";
PyObject *f(void) { return PyLong_FromLong(1L); } /* PyFloat
   PyBool */ int PyX;
"#;
        assert_eq!(
            names(text),
            vec![
                ("PyObject".to_string(), 6, 1),
                ("PyLong_FromLong".to_string(), 6, 28),
                ("PyX".to_string(), 7, 18)
            ]
        );
    }

    #[test]
    fn macro_bodies_count_and_settings_do_not() {
        let text = "#define PY_SSIZE_T_CLEAN\n#define Py_LIMITED_API 0x03090000\n#define GET(o, i) \\\n    PyList_GET_ITEM(o, i)\n#if defined(Py_GIL_DISABLED)\n#endif\n";
        let scan = scan(text, |n| n.starts_with("Py") || n.starts_with("PY"));
        let got: Vec<_> = scan.occurrences.iter().map(|o| (o.name, o.line, o.column)).collect();
        assert_eq!(got, vec![("PyList_GET_ITEM", 4, 5)]);
        let settings: Vec<_> = scan
            .settings
            .iter()
            .map(|s| (s.name, s.value.as_deref(), s.defined, s.line))
            .collect();
        assert_eq!(
            settings,
            vec![
                ("PY_SSIZE_T_CLEAN", None, true, 1),
                ("Py_LIMITED_API", Some("0x03090000"), true, 2),
                ("Py_GIL_DISABLED", None, false, 5)
            ]
        );
    }

    #[test]
    fn code_outside_stable_abi_builds_is_left_out() {
        let text = "#ifdef Py_LIMITED_API\nPyList_GetItem(l, 0);\n#else\nPyList_GET_ITEM(l, 0);\n#endif\n#if Py_LIMITED_API+0 >= 0x030D0000\nPyList_GetItemRef(l, 0);\n#endif\n";
        let scan = scan(text, |n| n.starts_with("Py"));
        let got: Vec<_> = scan.occurrences.iter().map(|o| o.name).collect();
        assert_eq!(got, vec!["PyList_GetItem", "PyList_GetItemRef"]);
        assert_eq!(scan.left_out, 1);
        let at = |minor| Build {
            family: Family::Abi3,
            version: Version::new(3, minor),
        };
        assert!(!scan.occurrences[1].builds.contains(at(12)));
        assert!(scan.occurrences[1].builds.contains(at(13)));
    }

    #[test]
    fn fallbacks_for_missing_names_are_the_files_own() {
        let text = "#ifndef CO_OPTIMIZED\nstatic int CO_OPTIMIZED;\n#else\nint x = CO_OPTIMIZED;\n#endif\n#if !defined(PyX)\n#define PyX 1\n#endif\nPyX;\n";
        let scan = scan(text, |n| n.starts_with("CO_") || n == "PyX");
        let got: Vec<_> = scan.occurrences.iter().map(|o| (o.name, o.line)).collect();
        assert_eq!(got, vec![("PyX", 9)]);
        // The headers never define CO_OPTIMIZED for the Stable ABI: the
        // `#else` branch is compiled by none of its builds.
        assert_eq!(scan.left_out, 1);
        assert_eq!(undefined_test(" ! defined ( Py_X ) "), Some("Py_X"));
        assert_eq!(undefined_test("!defined(A) && B"), None);
    }

    #[test]
    fn text_ending_inside_a_literal_or_comment() {
        // Found by cargo fuzz: a backslash as the last byte of a string in
        // a macro body stepped past the end of the text.
        for text in [
            "#define X \"a\\",
            "#define X 'a\\",
            "\"\\",
            "/* PyX",
            "#define X /* PyX",
            "R\"x(PyX",
        ] {
            let _ = scan(text, |_| true);
        }
        // And a raw string whose delimiter ends inside a multibyte character.
        let _ = scan("R\"\u{b1}\u{20ac}(x)\u{b1}\"", |_| true);
    }

    #[test]
    fn pointers_are_told_from_values() {
        let scan = scan(
            "PyObject *a; PyObject* b; PyObject const *c; PyObject d; sizeof(PyObject);",
            |n| n == "PyObject",
        );
        let got: Vec<bool> = scan.occurrences.iter().map(|o| o.pointer).collect();
        assert_eq!(got, vec![true, true, true, false, false]);
    }

    #[test]
    fn columns_count_characters_and_lines_survive_continuations() {
        let text = "/* é */ PyA;\n#define X \\\n  1\nPyB; \"a\\\nb\" PyC;";
        assert_eq!(
            names(text),
            vec![
                ("PyA".to_string(), 1, 9),
                ("PyB".to_string(), 4, 1),
                ("PyC".to_string(), 5, 4)
            ]
        );
    }
}
