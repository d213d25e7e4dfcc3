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
//! build only when its condition is certainly false there.

use super::build::{Build, Builds, Family};

/// What a build defines a macro to: a known number, unknown, or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Macro {
    Value(i64),
    Undefined,
    Unknown,
}

/// The configuration macros a Stable ABI build defines (after `pyabi.h`
/// has run: abi3t implies `Py_LIMITED_API` and `Py_GIL_DISABLED`), and the
/// ones Cython derives from them.
fn config_macro(name: &str, build: Build) -> Macro {
    let abi3t = build.family == Family::Abi3t;
    let defined_if = |yes: bool| if yes { Macro::Value(1) } else { Macro::Undefined };
    match name {
        "Py_LIMITED_API" => Macro::Value(i64::from(build.version.hex())),
        "Py_TARGET_ABI3T" if abi3t => Macro::Value(i64::from(build.version.hex())),
        "Py_TARGET_ABI3T" => Macro::Undefined,
        "Py_GIL_DISABLED" | "_Py_OPAQUE_PYOBJECT" => defined_if(abi3t),
        "CYTHON_LIMITED_API" | "CYTHON_COMPILING_IN_LIMITED_API" => Macro::Value(1),
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
    const UNKNOWN: Truth = Truth {
        maybe: Builds::ALL,
        surely: Builds::NONE,
    };
}

/// Evaluates an `#if` / `#elif` expression for every build.
pub fn evaluate(expr: &str) -> Truth {
    let tokens = tokenize(expr);
    let mut parser = Parser { tokens: &tokens, at: 0 };
    match parser.ternary() {
        Some(ast) if parser.at == tokens.len() => truth(&ast),
        _ => Truth::UNKNOWN,
    }
}

/// The value of a constant expression (`0x030B0000`,
/// `Py_PACK_VERSION(3, 11)`), if it has one.
pub fn value_of(expr: &str) -> Option<i64> {
    let tokens = tokenize(expr);
    let mut parser = Parser { tokens: &tokens, at: 0 };
    let ast = parser.ternary().filter(|_| parser.at == tokens.len())?;
    let mut values = Build::all().map(|b| ast.eval(b));
    let first = values.next()??;
    values.all(|v| v == Some(first)).then_some(first)
}

/// `#ifdef NAME` (or, negated, `#ifndef NAME`).
pub fn defined(name: &str, negate: bool) -> Truth {
    let expr = Expr::Defined(name.to_string());
    truth(&if negate { Expr::Unary('!', Box::new(expr)) } else { expr })
}

fn truth(expr: &Expr) -> Truth {
    Truth {
        maybe: Builds::filter(|b| expr.eval(b) != Some(0)),
        surely: Builds::filter(|b| expr.eval(b).is_some_and(|v| v != 0)),
    }
}

/// The nesting of conditional groups in one file.
#[derive(Debug, Default)]
pub struct Stack {
    frames: Vec<Frame>,
}

#[derive(Debug)]
struct Frame {
    /// Builds compiling the code around the group.
    outer: Builds,
    /// Builds where an earlier branch may have been taken.
    maybe_taken: Builds,
    /// Builds where an earlier branch surely was.
    surely_taken: Builds,
    /// Builds compiling the current branch.
    active: Builds,
}

impl Stack {
    /// Builds compiling the code at this point.
    pub fn active(&self) -> Builds {
        self.frames.last().map_or(Builds::ALL, |f| f.active)
    }

    /// `#if`, `#ifdef`, `#ifndef`.
    pub fn open(&mut self, cond: Truth) {
        let outer = self.active();
        let mut frame = Frame {
            outer,
            maybe_taken: Builds::NONE,
            surely_taken: Builds::NONE,
            active: Builds::NONE,
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
}

impl Frame {
    fn branch(&mut self, cond: Truth) {
        self.active = self.outer.and(cond.maybe).minus(self.surely_taken);
        // Surely taken: every earlier branch surely skipped, this one surely true.
        self.surely_taken = self.surely_taken.or(cond.surely.minus(self.maybe_taken));
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
    fn eval(&self, build: Build) -> Option<i64> {
        match self {
            Expr::Number(n) => *n,
            Expr::Ident(name) => match config_macro(name, build) {
                Macro::Value(v) => Some(v),
                // An undefined macro in `#if` is 0.
                Macro::Undefined => Some(0),
                Macro::Unknown => None,
            },
            Expr::Defined(name) => match config_macro(name, build) {
                Macro::Value(_) => Some(1),
                Macro::Undefined => Some(0),
                Macro::Unknown => None,
            },
            Expr::Unary(op, e) => {
                let v = e.eval(build)?;
                Some(match op {
                    '!' => i64::from(v == 0),
                    '~' => !v,
                    '-' => v.wrapping_neg(),
                    _ => v,
                })
            }
            Expr::Binary("&&", a, b) => match (a.eval(build), b.eval(build)) {
                (Some(0), _) | (_, Some(0)) => Some(0),
                (Some(_), Some(_)) => Some(1),
                _ => None,
            },
            Expr::Binary("||", a, b) => match (a.eval(build), b.eval(build)) {
                (Some(x), _) | (_, Some(x)) if x != 0 => Some(1),
                (Some(_), Some(_)) => Some(0),
                _ => None,
            },
            Expr::Binary(op, a, b) => binary(op, a.eval(build)?, b.eval(build)?),
            Expr::Ternary(c, a, b) => match c.eval(build) {
                Some(0) => b.eval(build),
                Some(_) => a.eval(build),
                None => a.eval(build).filter(|x| Some(*x) == b.eval(build)),
            },
        }
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
        let t = evaluate(expr);
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
        assert_eq!(holds("PY_VERSION_HEX >= 0x030C0000", b), None);
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
        let mut stack = Stack::default();
        stack.open(defined("Py_GIL_DISABLED", false));
        assert!(stack.active().contains(t) && !stack.active().contains(b9));
        stack.otherwise();
        assert!(!stack.active().contains(t) && stack.active().contains(b9));
        stack.open(evaluate("FOO"));
        assert!(
            stack.active().contains(b9),
            "unknown inner condition keeps the outer builds"
        );
        stack.otherwise();
        assert!(stack.active().contains(b9));
        stack.close();
        stack.close();
        assert_eq!(stack.active(), Builds::ALL);

        stack.open(evaluate("!defined(Py_LIMITED_API)"));
        assert!(stack.active().is_empty());
        stack.branch(evaluate("Py_LIMITED_API+0 >= 0x030B0000"));
        assert!(!stack.active().contains(b9) && stack.active().contains(t));
        stack.otherwise();
        assert!(stack.active().contains(b9) && !stack.active().contains(t));
    }
}
