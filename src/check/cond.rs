//! Which Stable ABI builds compile a stretch of C: `#if` expressions (and
//! `#ifdef`, `#ifndef`, `#elif`, `#else`) evaluated per build, with the
//! configuration macros each build defines and every other macro unknown.
//!
//! ```c
//! #ifdef Py_LIMITED_API
//!     item = PyList_GetItem(list, i);   // every Stable ABI build
//! #else
//!     item = PyList_GET_ITEM(list, i);  // none: not a use
//! #endif
//! ```
//!
//! Unknown values propagate (three-valued logic): code is left out of a
//! build only when its condition is certainly false there. Object-like
//! macros the file itself defines (`#define CYTHON_USE_TYPE_SLOTS 0` in the
//! Limited API branch of Cython's preamble) are tracked per build, so the
//! conditions that test them are decided too.

use std::collections::HashMap;

use super::build::{Build, Builds, Family};
use crate::catalog::{Catalog, Kind};

/// What a build defines a macro to: a known number, unknown, or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Macro {
    Value(i64),
    /// Defined, to something that is not a known number.
    Defined,
    Undefined,
    Unknown,
}

/// The macros a file defines, per build, over what the builds define and,
/// with a catalog, what the headers define at each build.
#[derive(Debug, Default)]
pub struct Macros {
    defined: HashMap<String, Vec<Macro>>,
    headers: Option<Catalog>,
}

impl Macros {
    /// Knows, for the catalog's macros and constants, whether the headers
    /// define them at each build (`#ifndef METH_FASTCALL` before 3.10).
    pub fn with_headers(catalog: Catalog) -> Macros {
        Macros {
            defined: HashMap::new(),
            headers: Some(catalog),
        }
    }

    fn get(&self, name: &str, build: Build) -> Macro {
        if let Some(states) = self.defined.get(name) {
            return states[build.index()];
        }
        match config_macro(name, build) {
            Macro::Unknown => self.in_headers(name, build),
            known => known,
        }
    }

    fn in_headers(&self, name: &str, build: Build) -> Macro {
        let Some(item) = self.headers.and_then(|c| c.get(name)) else {
            return Macro::Unknown;
        };
        if !matches!(item.kind, Kind::Macro | Kind::Constant) {
            return Macro::Unknown;
        }
        let declared = match build.family {
            Family::Abi3 => item.exposed.abi3.is_some_and(|v| v <= build.version),
            Family::Abi3t => item.exposed.abi3t,
        };
        if declared { Macro::Defined } else { Macro::Undefined }
    }

    /// `#define NAME BODY` where `at` holds (`body` is `None` for a
    /// function-like macro). The configuration macros keep each build's
    /// value: the builds are the hypotheses being weighed.
    pub fn define(&mut self, name: &str, body: Option<&str>, at: Truth) {
        if config_macro(name, Build::all().next().unwrap_or(FIRST_BUILD)) != Macro::Unknown {
            return;
        }
        let ast = body.and_then(|b| {
            let tokens = tokenize(b);
            let mut parser = Parser { tokens: &tokens, at: 0 };
            parser.ternary().filter(|_| parser.at == tokens.len())
        });
        let values: Vec<Macro> = Build::all()
            .map(|b| match ast.as_ref().map(|e| e.eval(b, self)) {
                Some(Some(v)) => Macro::Value(v),
                _ => Macro::Defined,
            })
            .collect();
        self.set(name, at, |b| values[b.index()]);
    }

    /// `#undef NAME` where `at` holds.
    pub fn undefine(&mut self, name: &str, at: Truth) {
        if config_macro(name, Build::all().next().unwrap_or(FIRST_BUILD)) != Macro::Unknown {
            return;
        }
        self.set(name, at, |_| Macro::Undefined);
    }

    /// Where `at` surely holds the macro becomes `new`; where it may, the
    /// macro stays what it was only if that is the same.
    fn set(&mut self, name: &str, at: Truth, new: impl Fn(Build) -> Macro) {
        let before: Vec<Macro> = Build::all().map(|b| self.get(name, b)).collect();
        let states = self.defined.entry(name.to_string()).or_insert_with(|| before.clone());
        for b in Build::all() {
            let i = b.index();
            if at.surely.contains(b) {
                states[i] = new(b);
            } else if at.maybe.contains(b) && before[i] != new(b) {
                states[i] = Macro::Unknown;
            }
        }
    }
}

const FIRST_BUILD: Build = Build {
    family: Family::Abi3,
    version: crate::catalog::FIRST_STABLE,
};

/// The configuration macros a Stable ABI build defines (after `pyabi.h`
/// has run: abi3t implies `Py_LIMITED_API` and `Py_GIL_DISABLED`), and the
/// ones Cython derives from them.
fn config_macro(name: &str, build: Build) -> Macro {
    let abi3t = build.family == Family::Abi3t;
    let defined_if = |yes: bool| if yes { Macro::Value(1) } else { Macro::Undefined };
    match name {
        "Py_LIMITED_API" => Macro::Value(i64::from(build.version.hex())),
        "Py_TARGET_ABI3T" if abi3t => Macro::Value(i64::from(build.version.hex())),
        "Py_GIL_DISABLED" | "_Py_OPAQUE_PYOBJECT" => defined_if(abi3t),
        "CYTHON_LIMITED_API" | "CYTHON_COMPILING_IN_LIMITED_API" => Macro::Value(1),
        // abi3 builds do not target abi3t; all these builds are CPython's.
        "Py_TARGET_ABI3T" | "PYPY_VERSION" | "GRAALVM_PYTHON" => Macro::Undefined,
        _ => Macro::Unknown,
    }
}

/// The builds where a condition may hold, and those where it surely does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Truth {
    pub maybe: Builds,
    pub surely: Builds,
}

impl Truth {
    const ALWAYS: Truth = Truth {
        maybe: Builds::ALL,
        surely: Builds::ALL,
    };
    const NEVER: Truth = Truth {
        maybe: Builds::NONE,
        surely: Builds::NONE,
    };
    const UNKNOWN: Truth = Truth {
        maybe: Builds::ALL,
        surely: Builds::NONE,
    };
}

/// Evaluates an `#if` / `#elif` expression for every build.
pub fn evaluate(expr: &str, macros: &Macros) -> Truth {
    let tokens = tokenize(expr);
    let mut parser = Parser { tokens: &tokens, at: 0 };
    match parser.ternary() {
        Some(ast) if parser.at == tokens.len() => truth(&ast, macros),
        _ => Truth::UNKNOWN,
    }
}

/// The value of a constant expression (`0x030B0000`,
/// `Py_PACK_VERSION(3, 11)`), if it has one.
pub fn value_of(expr: &str) -> Option<i64> {
    let tokens = tokenize(expr);
    let mut parser = Parser { tokens: &tokens, at: 0 };
    let ast = parser.ternary().filter(|_| parser.at == tokens.len())?;
    let macros = Macros::default();
    let mut values = Build::all().map(|b| ast.eval(b, &macros));
    let first = values.next()??;
    values.all(|v| v == Some(first)).then_some(first)
}

/// `#ifdef NAME` (or, negated, `#ifndef NAME`).
pub fn defined(name: &str, negate: bool, macros: &Macros) -> Truth {
    let expr = Expr::Defined(name.to_string());
    truth(&if negate { Expr::Unary('!', Box::new(expr)) } else { expr }, macros)
}

fn truth(expr: &Expr, macros: &Macros) -> Truth {
    Truth {
        maybe: Builds::filter(|b| expr.eval(b, macros) != Some(0)),
        surely: Builds::filter(|b| expr.eval(b, macros).is_some_and(|v| v != 0)),
    }
}

/// The nesting of conditional groups in one file.
#[derive(Debug, Default)]
pub struct Stack {
    frames: Vec<Frame>,
}

#[derive(Debug)]
struct Frame {
    /// Builds that may and that surely compile the code around the group.
    outer: Truth,
    /// Builds where an earlier branch may have been taken.
    maybe_taken: Builds,
    /// Builds where an earlier branch surely was.
    surely_taken: Builds,
    /// Both, before the current branch.
    taken_before: (Builds, Builds),
    /// Builds that may and that surely compile the current branch.
    active: Truth,
}

impl Stack {
    /// Builds that may compile the code at this point.
    pub fn active(&self) -> Builds {
        self.here().maybe
    }

    /// Builds that may and that surely compile the code at this point.
    pub fn here(&self) -> Truth {
        self.frames.last().map_or(Truth::ALWAYS, |f| f.active)
    }

    /// `#if`, `#ifdef`, `#ifndef`.
    pub fn open(&mut self, cond: Truth) {
        let outer = self.here();
        let mut frame = Frame {
            outer,
            maybe_taken: Builds::NONE,
            surely_taken: Builds::NONE,
            taken_before: (Builds::NONE, Builds::NONE),
            active: Truth::NEVER,
        };
        frame.branch(cond);
        self.frames.push(frame);
    }

    /// `#elif` (and `#else`, with [`Truth`] always true). A stray one,
    /// without its `#if`, is ignored.
    pub fn branch(&mut self, cond: Truth) {
        if let Some(frame) = self.frames.last_mut() {
            frame.branch(cond);
        }
    }

    pub fn otherwise(&mut self) {
        self.branch(Truth::ALWAYS);
    }

    /// `#endif`.
    pub fn close(&mut self) {
        self.frames.pop();
    }

    /// `#error`: a build that compiles does not take the current branch.
    pub fn error(&mut self) {
        if let Some(frame) = self.frames.last_mut() {
            (frame.maybe_taken, frame.surely_taken) = frame.taken_before;
            frame.active = Truth::NEVER;
        }
    }
}

impl Frame {
    fn branch(&mut self, cond: Truth) {
        self.taken_before = (self.maybe_taken, self.surely_taken);
        self.active = Truth {
            maybe: self.outer.maybe.and(cond.maybe).minus(self.surely_taken),
            surely: self.outer.surely.and(cond.surely).minus(self.maybe_taken),
        };
        // Once a condition surely holds, this branch or an earlier one is
        // taken: the later branches are surely skipped.
        self.surely_taken = self.surely_taken.or(cond.surely);
        self.maybe_taken = self.maybe_taken.or(cond.maybe);
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    Number(Option<i64>),
    Op(&'static str),
}

const OPS: [&str; 25] = [
    "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "(", ")", "!", "~", "-", "+", "*", "/", "%", "<", ">", "&", "^",
    "|", "?", ":", ",",
];

fn tokenize(expr: &str) -> Vec<Token> {
    let bytes = expr.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() || b == b'\\' {
            i += 1;
        } else if b.is_ascii_alphabetic() || b == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push(Token::Ident(expr[start..i].to_string()));
        } else if b.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.') {
                i += 1;
            }
            out.push(Token::Number(parse_number(&expr[start..i])));
        } else if b == b'\'' {
            // A character constant: its value is not worth computing here.
            i += 1;
            while i < bytes.len() && bytes[i] != b'\'' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push(Token::Number(None));
        } else if let Some(op) = OPS.iter().find(|op| bytes[i..].starts_with(op.as_bytes())) {
            out.push(Token::Op(op));
            i += op.len();
        } else {
            // Anything else (`#`, `"`, `<header>` in __has_include): unknown.
            out.push(Token::Number(None));
            i += 1;
        }
    }
    out
}

fn parse_number(text: &str) -> Option<i64> {
    let digits = text.trim_end_matches(['u', 'U', 'l', 'L']);
    if let Some(hex) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        i64::from_str_radix(hex, 16).ok()
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8).ok()
    } else {
        digits.parse().ok()
    }
}

#[derive(Debug)]
enum Expr {
    Number(Option<i64>),
    /// A macro's value.
    Ident(String),
    Defined(String),
    Unary(char, Box<Expr>),
    Binary(&'static str, Box<Expr>, Box<Expr>),
    Ternary(Box<Expr>, Box<Expr>, Box<Expr>),
}

impl Expr {
    fn eval(&self, build: Build, macros: &Macros) -> Option<i64> {
        match self {
            Expr::Number(n) => *n,
            Expr::Ident(name) => match macros.get(name, build) {
                Macro::Value(v) => Some(v),
                // An undefined macro in `#if` is 0.
                Macro::Undefined => Some(0),
                Macro::Defined | Macro::Unknown => None,
            },
            Expr::Defined(name) => match macros.get(name, build) {
                Macro::Value(_) | Macro::Defined => Some(1),
                Macro::Undefined => Some(0),
                Macro::Unknown => None,
            },
            Expr::Unary(op, e) => {
                let v = e.eval(build, macros)?;
                Some(match op {
                    '!' => i64::from(v == 0),
                    '~' => !v,
                    '-' => v.wrapping_neg(),
                    _ => v,
                })
            }
            Expr::Binary("&&", a, b) => match (a.eval(build, macros), b.eval(build, macros)) {
                (Some(0), _) | (_, Some(0)) => Some(0),
                (Some(_), Some(_)) => Some(1),
                _ => None,
            },
            Expr::Binary("||", a, b) => match (a.eval(build, macros), b.eval(build, macros)) {
                (Some(x), _) | (_, Some(x)) if x != 0 => Some(1),
                (Some(_), Some(_)) => Some(0),
                _ => None,
            },
            Expr::Binary(op, a, b) => match version_bound(op, a, b, build) {
                Some(known) => Some(known),
                None => binary(op, a.eval(build, macros)?, b.eval(build, macros)?),
            },
            Expr::Ternary(c, a, b) => match c.eval(build, macros) {
                Some(0) => b.eval(build, macros),
                Some(_) => a.eval(build, macros),
                None => a.eval(build, macros).filter(|x| Some(*x) == b.eval(build, macros)),
            },
        }
    }
}

/// `PY_VERSION_HEX` compared with a constant, where the build decides it:
/// the headers that build for a Stable ABI version are at least that
/// version's, so `PY_VERSION_HEX < 0x030D0000` is false when building for
/// 3.13 or later (and unknown before).
fn version_bound(op: &str, a: &Expr, b: &Expr, build: Build) -> Option<i64> {
    let (op, constant) = match (a, b) {
        (Expr::Ident(name), Expr::Number(Some(c))) if name == "PY_VERSION_HEX" => (op, *c),
        (Expr::Number(Some(c)), Expr::Ident(name)) if name == "PY_VERSION_HEX" => (
            match op {
                "<" => ">",
                ">" => "<",
                "<=" => ">=",
                ">=" => "<=",
                other => other,
            },
            *c,
        ),
        _ => return None,
    };
    let lowest = i64::from(build.version.hex());
    match op {
        "<" if constant <= lowest => Some(0),
        "<=" if constant < lowest => Some(0),
        ">=" if constant <= lowest => Some(1),
        ">" if constant < lowest => Some(1),
        _ => None,
    }
}

fn binary(op: &str, a: i64, b: i64) -> Option<i64> {
    Some(match op {
        "*" => a.wrapping_mul(b),
        "/" => a.checked_div(b)?,
        "%" => a.checked_rem(b)?,
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "<<" => a.checked_shl(u32::try_from(b).ok()?)?,
        ">>" => a.checked_shr(u32::try_from(b).ok()?)?,
        "<" => i64::from(a < b),
        ">" => i64::from(a > b),
        "<=" => i64::from(a <= b),
        ">=" => i64::from(a >= b),
        "==" => i64::from(a == b),
        "!=" => i64::from(a != b),
        "&" => a & b,
        "^" => a ^ b,
        "|" => a | b,
        _ => return None,
    })
}

/// Binary operators from loosest to tightest.
const LEVELS: [&[&str]; 9] = [
    &["||"],
    &["&&"],
    &["|"],
    &["^"],
    &["&"],
    &["==", "!="],
    &["<", ">", "<=", ">="],
    &["<<", ">>"],
    &["+", "-"],
];
const PRODUCT: &[&str] = &["*", "/", "%"];

struct Parser<'t> {
    tokens: &'t [Token],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn eat(&mut self, op: &str) -> bool {
        let hit = matches!(self.peek(), Some(Token::Op(o)) if *o == op);
        self.at += usize::from(hit);
        hit
    }

    fn ternary(&mut self) -> Option<Expr> {
        let cond = self.level(0)?;
        if !self.eat("?") {
            return Some(cond);
        }
        let then = self.ternary()?;
        if !self.eat(":") {
            return None;
        }
        let otherwise = self.ternary()?;
        Some(Expr::Ternary(Box::new(cond), Box::new(then), Box::new(otherwise)))
    }

    fn level(&mut self, level: usize) -> Option<Expr> {
        let ops = LEVELS.get(level).copied().unwrap_or(PRODUCT);
        let operand = |p: &mut Self| {
            if level < LEVELS.len() {
                p.level(level + 1)
            } else {
                p.unary()
            }
        };
        let mut left = operand(self)?;
        while let Some(Token::Op(op)) = self.peek() {
            let Some(op) = ops.iter().find(|o| *o == op) else { break };
            self.at += 1;
            let right = operand(self)?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Some(left)
    }

    fn unary(&mut self) -> Option<Expr> {
        for op in ['!', '~', '-', '+'] {
            if self.eat(op.encode_utf8(&mut [0; 4])) {
                return Some(Expr::Unary(op, Box::new(self.unary()?)));
            }
        }
        self.primary()
    }

    fn primary(&mut self) -> Option<Expr> {
        let token = self.peek()?.clone();
        self.at += 1;
        match token {
            Token::Number(n) => Some(Expr::Number(n)),
            Token::Op("(") => {
                let e = self.ternary()?;
                self.eat(")").then_some(e)
            }
            Token::Op(_) => None,
            Token::Ident(name) if name == "defined" => {
                let paren = self.eat("(");
                let Some(Token::Ident(macro_name)) = self.peek().cloned() else {
                    return None;
                };
                self.at += 1;
                (!paren || self.eat(")")).then_some(Expr::Defined(macro_name))
            }
            Token::Ident(name) if self.eat("(") => {
                let args = self.arguments()?;
                // `Py_PACK_VERSION(3, 11)`, the version macro of 3.14's headers.
                Some(match (name.as_str(), args.as_slice()) {
                    ("Py_PACK_VERSION", [Some(major), Some(minor)]) => Expr::Number(Some(major << 24 | minor << 16)),
                    _ => Expr::Number(None),
                })
            }
            Token::Ident(name) => Some(Expr::Ident(name)),
        }
    }

    /// A function-like macro's arguments, each a number if it is one.
    fn arguments(&mut self) -> Option<Vec<Option<i64>>> {
        let mut args = Vec::new();
        let mut piece: Vec<&Token> = Vec::new();
        let mut depth = 0_usize;
        loop {
            let token = self.tokens.get(self.at)?;
            self.at += 1;
            match token {
                Token::Op(")") if depth == 0 => break,
                Token::Op(",") if depth == 0 => {
                    args.push(single_number(&piece));
                    piece.clear();
                    continue;
                }
                Token::Op("(") => depth += 1,
                Token::Op(")") => depth -= 1,
                _ => {}
            }
            piece.push(token);
        }
        args.push(single_number(&piece));
        Some(args)
    }
}

fn single_number(piece: &[&Token]) -> Option<i64> {
    match piece {
        [Token::Number(n)] => *n,
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Version;

    fn build(family: Family, minor: u8) -> Build {
        Build {
            family,
            version: Version::new(3, minor),
        }
    }

    fn holds(expr: &str, b: Build) -> Option<bool> {
        let t = evaluate(expr, &Macros::default());
        match (t.surely.contains(b), t.maybe.contains(b)) {
            (true, _) => Some(true),
            (false, true) => None,
            (false, false) => Some(false),
        }
    }

    #[test]
    fn configuration_macros_have_their_build_values() {
        let abi3_9 = build(Family::Abi3, 9);
        let abi3t = build(Family::Abi3t, 15);
        assert_eq!(holds("defined(Py_LIMITED_API)", abi3_9), Some(true));
        assert_eq!(holds("!defined(Py_LIMITED_API)", abi3t), Some(false));
        assert_eq!(holds("defined Py_GIL_DISABLED", abi3_9), Some(false));
        assert_eq!(holds("defined(Py_GIL_DISABLED)", abi3t), Some(true));
        assert_eq!(holds("Py_LIMITED_API+0 >= 0x030A0000", abi3_9), Some(false));
        assert_eq!(
            holds("Py_LIMITED_API+0 >= 0x030A0000", build(Family::Abi3, 10)),
            Some(true)
        );
        assert_eq!(holds("Py_LIMITED_API >= Py_PACK_VERSION(3, 14)", abi3t), Some(true));
        assert_eq!(holds("Py_LIMITED_API >= Py_PACK_VERSION(3, 14)", abi3_9), Some(false));
        assert_eq!(holds("CYTHON_COMPILING_IN_LIMITED_API", abi3_9), Some(true));
    }

    #[test]
    fn unknown_macros_stay_unknown_unless_logic_decides() {
        let b = build(Family::Abi3, 12);
        assert_eq!(
            holds("PY_VERSION_HEX >= 0x030C0000", b),
            Some(true),
            "headers at least 3.12"
        );
        assert_eq!(holds("PY_VERSION_HEX < 0x030D0000", b), None);
        assert_eq!(holds("0x030B0000 > PY_VERSION_HEX", b), Some(false));
        assert_eq!(
            holds("defined(Py_LIMITED_API) || PY_VERSION_HEX < 0x03080000", b),
            Some(true)
        );
        assert_eq!(holds("!defined(Py_LIMITED_API) && defined(FOO)", b), Some(false));
        assert_eq!(holds("defined(FOO) ? 1 : 1", b), Some(true));
        assert_eq!(holds("__has_include(<stdatomic.h>)", b), None);
        assert_eq!(holds("0", b), Some(false));
        assert_eq!(holds("1 / 0", b), None);
        assert_eq!(holds("(((", b), None, "a malformed expression is unknown");
    }

    #[test]
    fn branches_exclude_what_earlier_branches_surely_took() {
        let b9 = build(Family::Abi3, 9);
        let t = build(Family::Abi3t, 15);
        let none = Macros::default();
        let mut stack = Stack::default();
        stack.open(defined("Py_GIL_DISABLED", false, &none));
        assert!(stack.active().contains(t) && !stack.active().contains(b9));
        stack.otherwise();
        assert!(!stack.active().contains(t) && stack.active().contains(b9));
        stack.open(evaluate("FOO", &none));
        assert!(
            stack.active().contains(b9),
            "unknown inner condition keeps the outer builds"
        );
        stack.otherwise();
        assert!(stack.active().contains(b9));
        stack.close();
        stack.close();
        assert_eq!(stack.active(), Builds::ALL);

        stack.open(evaluate("!defined(Py_LIMITED_API)", &none));
        assert!(stack.active().is_empty());
        stack.branch(evaluate("Py_LIMITED_API+0 >= 0x030B0000", &none));
        assert!(!stack.active().contains(b9) && stack.active().contains(t));
        stack.otherwise();
        assert!(stack.active().contains(b9) && !stack.active().contains(t));
    }
}

#[cfg(test)]
mod macro_tests {
    use super::*;
    use crate::catalog::Version;

    #[test]
    fn file_macros_decide_conditions_per_build() {
        let b9 = Build {
            family: Family::Abi3,
            version: Version::new(3, 9),
        };
        let b12 = Build {
            family: Family::Abi3,
            version: Version::new(3, 12),
        };
        let mut macros = Macros::default();
        let mut stack = Stack::default();
        // Cython's preamble, shortened: the checks that stop the build, then
        // the configuration for the Limited API.
        stack.open(evaluate("!defined(Py_PYTHON_H)", &macros));
        stack.error();
        stack.branch(evaluate("PY_VERSION_HEX < 0x03090000", &macros));
        stack.error();
        stack.otherwise();
        assert_eq!(stack.here(), Truth::ALWAYS, "only a working build gets here");
        stack.open(evaluate("defined(PYPY_VERSION)", &macros));
        macros.define("USE_SLOTS", Some("1"), stack.here());
        stack.branch(evaluate("defined(Py_LIMITED_API)", &macros));
        macros.define("USE_SLOTS", Some("0"), stack.here());
        macros.define("HEX", Some("Py_LIMITED_API"), stack.here());
        macros.define("VECTORCALL", Some("(HEX >= 0x030C0000)"), stack.here());
        stack.close();
        stack.close();
        let slots = evaluate("USE_SLOTS", &macros);
        assert!(slots.maybe.is_empty(), "surely 0 in every build");
        let vectorcall = evaluate("VECTORCALL", &macros);
        assert!(!vectorcall.maybe.contains(b9) && vectorcall.surely.contains(b12));
        // A definition under an unknown condition makes the value unknown.
        stack.open(evaluate("defined(FOO)", &macros));
        macros.define("USE_SLOTS", Some("1"), stack.here());
        stack.close();
        let slots = evaluate("USE_SLOTS", &macros);
        assert!(slots.maybe.contains(b9) && !slots.surely.contains(b9));
        // `#undef` surely undefines; configuration macros cannot be redefined.
        macros.undefine("HEX", Truth::ALWAYS);
        assert!(evaluate("defined(HEX)", &macros).maybe.is_empty());
        macros.define("Py_LIMITED_API", Some("0x03020000"), Truth::ALWAYS);
        assert!(evaluate("Py_LIMITED_API >= 0x030C0000", &macros).surely.contains(b12));
    }
}

#[cfg(test)]
mod header_tests {
    use super::*;
    use crate::catalog::Version;

    #[test]
    fn catalog_macros_are_defined_where_the_headers_define_them() {
        let macros = Macros::with_headers(Catalog::embedded());
        let at = |minor| Build {
            family: Family::Abi3,
            version: Version::new(3, minor),
        };
        let fastcall = evaluate("defined(METH_FASTCALL)", &macros);
        assert!(!fastcall.maybe.contains(at(9)) && fastcall.surely.contains(at(10)));
        let optimized = evaluate("!defined(CO_OPTIMIZED)", &macros);
        assert!(optimized.surely.contains(at(12)), "not in the Limited API headers");
        assert_eq!(evaluate("defined(SOMETHING_ELSE)", &macros), Truth::UNKNOWN);
    }
}
