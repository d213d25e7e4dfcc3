//! The C and C++ scanner: every identifier the caller wants, outside
//! comments, string and character literals and `#include` lines, with its
//! place and the builds that compile it (from the conditional groups
//! around it, evaluated per build over the file's macros).
//!
//! It reads what the compiler would see, minus macro expansion: a use
//! inside a macro body counts where the macro is expanded (the caller
//! follows that across files). What the file defines itself is not a use:
//! a name while the file's own `#define` of it holds (a fallback such as
//! `#ifndef PyBUF_READ` / `#define PyBUF_READ 0x100`, or a macro shadowing
//! an API name), and names the file declares (see [`decls`]).
//! Configuration macros the code defines or tests are settings, not uses.
//! A branch holding `#error` that a build surely reaches means the file
//! refuses that build.

mod decls;
mod directives;
mod text;

use std::collections::{HashMap, HashSet};

use super::build::Builds;
use super::cond::{Stack, Value};
use super::macros::{Env, Macros};
use super::occur::{Occurrence, Occurrences, Site};
use decls::{Declared, Decls};
use text::{definition_follows, is_ident_char, next_significant, relevant_names, utf8_len, without_comments};

/// The configuration macros: set by the code or its build, never uses.
pub const SETTINGS: [&str; 4] = [
    "Py_LIMITED_API",
    "Py_TARGET_ABI3T",
    "PY_SSIZE_T_CLEAN",
    "Py_GIL_DISABLED",
];

/// A configuration macro the code defines (with its value) or tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingSite {
    pub name: &'static str,
    /// The defined value; `None` when the code only tests the macro.
    pub value: Option<String>,
    pub defined: bool,
    pub site: Site,
}

/// A branch with `#error` that some builds surely reach: the file does not
/// compile for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub site: Site,
    pub builds: Builds,
    /// The `#error` text, cut short.
    pub message: String,
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
    /// C API names the file declares, or defines as macros, with the
    /// builds where they are its own (at the end of the file).
    pub owned: HashMap<String, Builds>,
    /// Macros tested in conditions that nothing defines, taken as
    /// undefined, each with the first place.
    pub assumed: Vec<(String, Site)>,
    pub refusals: Vec<Refusal>,
    /// Conditions nested too deep to evaluate (unknown).
    pub too_deep: Vec<Site>,
    /// For [`Occurrence::reason`]: the macros whose unknown values left
    /// code compiled only maybe.
    pub reasons: Vec<Vec<String>>,
}

/// How far ahead the scanner looks for the body of a function definition.
const DEFINITION_LOOKAHEAD: usize = 4096;
/// How much of an `#error` message a refusal keeps.
const MESSAGE_LENGTH: usize = 160;

struct Scanner<'a, 'e, F> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    line: u32,
    line_start: usize,
    /// The last column computed on this line, and where.
    column_at: usize,
    column: u32,
    wanted: F,
    stack: Stack,
    /// Per open group: the undecided macros of its conditions so far (and
    /// of the groups around it), as an index into `out.reasons`.
    reasons: Vec<Option<u32>>,
    reason_ids: HashMap<Vec<String>, u32>,
    /// Per open group: the brace depth at its `#if` and after its first
    /// branch, so that alternative branches do not both count.
    depths: Vec<(usize, Option<usize>)>,
    macros: Macros<'e>,
    /// The identifiers in the file's conditions and macro bodies.
    relevant: HashSet<&'a str>,
    decls: Decls<'a>,
    /// The macro whose body is being scanned.
    defining: Option<&'a str>,
    found: Occurrences<'a>,
    assumed: HashSet<String>,
    out: Scan<'a>,
}

/// Scans C or C++ source text for the identifiers `wanted` accepts, in the
/// environment `env` with the file's own command-line macros `own`.
pub fn scan<'a, S: std::hash::BuildHasher>(
    text: &'a str,
    wanted: impl Fn(&str) -> bool,
    env: &Env,
    own: HashMap<String, Value, S>,
) -> Scan<'a> {
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        at: 0,
        line: 1,
        line_start: 0,
        column_at: 0,
        column: 0,
        wanted,
        stack: Stack::default(),
        reasons: Vec::new(),
        reason_ids: HashMap::new(),
        depths: Vec::new(),
        macros: Macros::new(env, own.into_iter().collect()),
        relevant: relevant_names(text),
        decls: Decls::new(),
        defining: None,
        found: Occurrences::default(),
        assumed: HashSet::new(),
        out: Scan::default(),
    };
    scanner.run();
    scanner.finish()
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'a, F: Fn(&str) -> bool> Scanner<'a, '_, F> {
    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.at + ahead).copied().unwrap_or(0)
    }

    fn newline(&mut self) {
        self.line += 1;
        self.line_start = self.at + 1;
        self.column_at = self.line_start;
        self.column = 0;
    }

    fn site(&mut self, at: usize) -> Site {
        Site {
            line: self.line,
            column: self.column(at),
        }
    }

    /// The column of `at` on the current line, in characters, counted on
    /// from the last one asked: linear on long lines.
    fn column(&mut self, at: usize) -> u32 {
        if at < self.column_at || self.column_at < self.line_start {
            self.column_at = self.line_start;
            self.column = 0;
        }
        let end = at.min(self.bytes.len());
        let chars = self.bytes[self.column_at.min(end)..end]
            .iter()
            .filter(|b| (**b & 0xC0) != 0x80)
            .count();
        self.column = self.column.saturating_add(u32::try_from(chars).unwrap_or(u32::MAX));
        self.column_at = end;
        self.column.saturating_add(1)
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
                b'#' if !line_has_code => self.directive(),
                b'/' if self.peek(1) == b'/' => self.line_comment(),
                b'/' if self.peek(1) == b'*' => self.block_comment(),
                b'"' | b'\'' => {
                    line_has_code = true;
                    self.string(b);
                    self.code_literal();
                }
                b'0'..=b'9' => {
                    line_has_code = true;
                    self.number();
                    self.code_literal();
                }
                _ if is_ident_start(b) => {
                    line_has_code = true;
                    self.identifier(false);
                }
                _ => {
                    if !b.is_ascii_whitespace() {
                        line_has_code = true;
                        if !self.stack.active().is_empty() {
                            self.decls.punct(b);
                        }
                    }
                    self.at += 1;
                }
            }
        }
    }

    fn code_literal(&mut self) {
        if !self.stack.active().is_empty() {
            self.decls.literal();
        }
    }

    fn finish(mut self) -> Scan<'a> {
        let owned = std::mem::take(&mut self.decls.owned);
        let prototypes = std::mem::take(&mut self.decls.prototypes);
        let found = std::mem::take(&mut self.found);
        // A macro the file defines itself was not an assumption that
        // matters: its `#ifndef` only supplies a default.
        self.out.assumed.retain(|(name, _)| {
            !self.macros.touched(name) && !self.macros.is_tree(name) && !SETTINGS.contains(&name.as_str())
        });
        // A name the file declares is its own wherever the declaration is
        // compiled, before it too (a struct tag named ahead of its body);
        // never an entry point, which the extension defines for CPython.
        self.out.occurrences = found
            .settle(
                |name| {
                    if super::is_entry(name) {
                        Builds::NONE
                    } else {
                        owned.get(name).copied().unwrap_or(Builds::NONE)
                    }
                },
                |name| prototypes.get(name).copied().unwrap_or(Builds::NONE),
            )
            .into_vec();
        // For the other files of the tree: the names that matter there.
        let mut exported: HashMap<String, Builds> = owned
            .into_iter()
            .filter(|(name, _)| (self.wanted)(name))
            .map(|(name, b)| (name.to_string(), b))
            .collect();
        for (name, builds) in self.macros.defined_by_file() {
            if (self.wanted)(name) {
                let b = exported.entry(name.to_string()).or_insert(Builds::NONE);
                *b = b.or(builds);
            }
        }
        self.out.owned = exported;
        self.out
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
            self.code_literal();
            return;
        }
        let here = self.stack.here();
        let mut declared = Declared::No;
        match self.defining {
            Some(defining) => self.out.bodies.entry(defining).or_default().push(name),
            None if !here.maybe.is_empty() => {
                self.out.expanded.insert(name);
                if !in_directive {
                    let next = next_significant(self.bytes, self.at);
                    let (bytes, at) = (self.bytes, self.at);
                    declared = self
                        .decls
                        .ident(name, next, here.surely, || definition_follows(bytes, at));
                }
            }
            None => {}
        }
        // A declaration is not a use, but an entry point's definition is.
        let declaration = declared != Declared::No && !super::is_entry(name);
        if declaration || SETTINGS.contains(&name) || !(self.wanted)(name) {
            return;
        }
        if here.maybe.is_empty() {
            self.out.left_out += 1;
            return;
        }
        let builds = here.maybe.minus(self.macros.owned(name)).minus(self.decls.local(name));
        if builds.is_empty() {
            return;
        }
        let pointer = self.followed_by_star(in_directive);
        let site = self.site(start);
        let reason = if here.is_uncertain() {
            self.reasons.last().copied().flatten()
        } else {
            None
        };
        self.found.at(name, site, builds, pointer, self.defining, reason);
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
}

#[cfg(test)]
mod tests;
