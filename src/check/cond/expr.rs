//! `#if` expressions: tokens, a parser bounded in depth, and evaluation
//! over intervals of numbers.

use super::MAX_DEPTH;
use super::{Lookup, Value};
use crate::check::build::Build;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
    Ident(String),
    Number(Option<i64>),
    Op(&'static str),
}

const OPS: [&str; 25] = [
    "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "(", ")", "!", "~", "-", "+", "*", "/", "%", "<", ">", "&", "^",
    "|", "?", ":", ",",
];

pub(super) fn tokenize(expr: &str) -> Vec<Token> {
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

/// A value in an expression: an interval of numbers, or unknown (`None`).
pub(super) type Val = Option<(i64, i64)>;

pub(super) fn exact((lo, hi): (i64, i64)) -> Option<i64> {
    (lo == hi).then_some(lo)
}

pub(super) fn truthy((lo, hi): (i64, i64)) -> Option<bool> {
    if lo == 0 && hi == 0 {
        Some(false)
    } else if lo > 0 || hi < 0 {
        Some(true)
    } else {
        None
    }
}

fn boolean(b: bool) -> (i64, i64) {
    let v = i64::from(b);
    (v, v)
}

#[derive(Debug)]
pub(super) enum Expr {
    Number(Option<i64>),
    /// A macro's value.
    Ident(String),
    Defined(String),
    Unary(char, Box<Expr>),
    Binary(&'static str, Box<Expr>, Box<Expr>),
    Ternary(Box<Expr>, Box<Expr>, Box<Expr>),
}

impl Expr {
    pub(super) fn eval(&self, build: Build, env: &impl Lookup) -> Val {
        match self {
            Expr::Number(n) => n.map(|v| (v, v)),
            Expr::Ident(name) => match env.value(name, build) {
                Value::Number(v) => Some((v, v)),
                Value::Range(lo, hi) => Some((lo, hi)),
                // An undefined macro in `#if` is 0.
                Value::Undefined => Some((0, 0)),
                Value::Defined | Value::Unknown => None,
            },
            Expr::Defined(name) => match env.value(name, build) {
                Value::Number(_) | Value::Range(..) | Value::Defined => Some((1, 1)),
                Value::Undefined => Some((0, 0)),
                Value::Unknown => None,
            },
            Expr::Unary(op, e) => {
                let (lo, hi) = e.eval(build, env)?;
                match op {
                    '!' => truthy((lo, hi)).map(|t| (i64::from(!t), i64::from(!t))),
                    '~' => Some((!hi, !lo)),
                    '-' => Some((hi.checked_neg()?, lo.checked_neg()?)),
                    _ => Some((lo, hi)),
                }
            }
            Expr::Binary("&&", a, b) => {
                match (a.eval(build, env).and_then(truthy), b.eval(build, env).and_then(truthy)) {
                    (Some(false), _) | (_, Some(false)) => Some(boolean(false)),
                    (Some(true), Some(true)) => Some(boolean(true)),
                    _ => None,
                }
            }
            Expr::Binary("||", a, b) => {
                match (a.eval(build, env).and_then(truthy), b.eval(build, env).and_then(truthy)) {
                    (Some(true), _) | (_, Some(true)) => Some(boolean(true)),
                    (Some(false), Some(false)) => Some(boolean(false)),
                    _ => None,
                }
            }
            Expr::Binary(op, a, b) => binary(op, a.eval(build, env)?, b.eval(build, env)?),
            Expr::Ternary(c, a, b) => match c.eval(build, env).and_then(truthy) {
                Some(false) => b.eval(build, env),
                Some(true) => a.eval(build, env),
                None => a.eval(build, env).filter(|x| Some(*x) == b.eval(build, env)),
            },
        }
    }
}

/// A binary operator over intervals: exact where both sides are numbers,
/// decided where the intervals alone decide it (comparisons that do not
/// overlap, a mask that only keeps bits the interval does not vary in, a
/// constant offset), else unknown.
fn binary(op: &str, a: (i64, i64), b: (i64, i64)) -> Val {
    if let (Some(x), Some(y)) = (exact(a), exact(b)) {
        return exact_binary(op, x, y).map(|v| (v, v));
    }
    let less = |a: (i64, i64), b: (i64, i64)| {
        if a.1 < b.0 {
            Some(true)
        } else if a.0 >= b.1 {
            Some(false)
        } else {
            None
        }
    };
    let less_eq = |a: (i64, i64), b: (i64, i64)| less(b, a).map(|x| !x);
    let decided = match op {
        "<" => less(a, b),
        ">" => less(b, a),
        "<=" => less_eq(a, b),
        ">=" => less_eq(b, a),
        "==" | "!=" => (a.1 < b.0 || b.1 < a.0).then_some(op == "!="),
        "&" => return mask(a, b).or_else(|| mask(b, a)),
        "+" => return Some((a.0.checked_add(b.0)?, a.1.checked_add(b.1)?)),
        "-" => return Some((a.0.checked_sub(b.1)?, a.1.checked_sub(b.0)?)),
        _ => None,
    };
    decided.map(|t| (i64::from(t), i64::from(t)))
}

/// `x & m` for every `x` in `range`, when that is one number: `m` keeps
/// only bits that every number in the range shares.
fn mask(range: (i64, i64), m: (i64, i64)) -> Val {
    let m = exact(m)?;
    let (lo, hi) = range;
    if lo < 0 || hi < lo {
        return None;
    }
    let varying = 64 - (lo ^ hi).leading_zeros();
    let low_bits = if varying >= 63 {
        i64::MAX
    } else {
        (1_i64 << varying) - 1
    };
    (m & low_bits == 0).then_some((lo & m, lo & m))
}

fn exact_binary(op: &str, a: i64, b: i64) -> Option<i64> {
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
const LEVELS: [&[&str]; 10] = [
    &["||"],
    &["&&"],
    &["|"],
    &["^"],
    &["&"],
    &["==", "!="],
    &["<", ">", "<=", ">="],
    &["<<", ">>"],
    &["+", "-"],
    &["*", "/", "%"],
];

/// Why an expression was not parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fail {
    Malformed,
    TooDeep,
}

pub(super) fn parse(tokens: &[Token]) -> Result<Expr, Fail> {
    let mut parser = Parser {
        tokens,
        at: 0,
        depth: 0,
    };
    let (ast, _) = parser.ternary()?;
    if parser.at == tokens.len() {
        Ok(ast)
    } else {
        Err(Fail::Malformed)
    }
}

struct Parser<'t> {
    tokens: &'t [Token],
    at: usize,
    /// Nesting of the parser's own recursion.
    depth: usize,
}

/// An expression and the depth of its tree.
type Parsed = (Expr, usize);

fn node(depth: usize) -> Result<usize, Fail> {
    if depth > MAX_DEPTH {
        Err(Fail::TooDeep)
    } else {
        Ok(depth)
    }
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

    /// Enters one level of the parser's recursion.
    fn enter(&mut self) -> Result<(), Fail> {
        self.depth += 1;
        node(self.depth).map(|_| ())
    }

    fn ternary(&mut self) -> Result<Parsed, Fail> {
        self.enter()?;
        let (cond, d) = self.level(0)?;
        let result = if self.eat("?") {
            let (then, d1) = self.ternary()?;
            if !self.eat(":") {
                return Err(Fail::Malformed);
            }
            let (otherwise, d2) = self.ternary()?;
            let depth = node(d.max(d1).max(d2) + 1)?;
            (
                Expr::Ternary(Box::new(cond), Box::new(then), Box::new(otherwise)),
                depth,
            )
        } else {
            (cond, d)
        };
        self.depth -= 1;
        Ok(result)
    }

    /// A chain of operators of one level, left-associative: iterative, so
    /// only the tree's depth is bounded.
    fn level(&mut self, level: usize) -> Result<Parsed, Fail> {
        let (mut left, mut depth) = self.operand(level)?;
        while let Some(Token::Op(op)) = self.peek() {
            let Some(op) = LEVELS[level].iter().find(|o| *o == op) else {
                break;
            };
            self.at += 1;
            let (right, d) = self.operand(level)?;
            depth = node(depth.max(d) + 1)?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok((left, depth))
    }

    fn operand(&mut self, level: usize) -> Result<Parsed, Fail> {
        if level + 1 < LEVELS.len() {
            self.level(level + 1)
        } else {
            self.unary()
        }
    }

    fn unary(&mut self) -> Result<Parsed, Fail> {
        for op in ['!', '~', '-', '+'] {
            if self.eat(op.encode_utf8(&mut [0; 4])) {
                self.enter()?;
                let (e, d) = self.unary()?;
                self.depth -= 1;
                return Ok((Expr::Unary(op, Box::new(e)), node(d + 1)?));
            }
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Parsed, Fail> {
        let token = self.peek().ok_or(Fail::Malformed)?.clone();
        self.at += 1;
        match token {
            Token::Number(n) => Ok((Expr::Number(n), 1)),
            Token::Op("(") => {
                let (e, d) = self.ternary()?;
                if self.eat(")") {
                    Ok((e, d))
                } else {
                    Err(Fail::Malformed)
                }
            }
            Token::Op(_) => Err(Fail::Malformed),
            Token::Ident(name) if name == "defined" => {
                let paren = self.eat("(");
                let Some(Token::Ident(macro_name)) = self.peek().cloned() else {
                    return Err(Fail::Malformed);
                };
                self.at += 1;
                if paren && !self.eat(")") {
                    return Err(Fail::Malformed);
                }
                Ok((Expr::Defined(macro_name), 1))
            }
            Token::Ident(name) if self.eat("(") => {
                let args = self.arguments()?;
                // `Py_PACK_VERSION(3, 11)`, the version macro of 3.14's headers.
                let value = match (name.as_str(), args.as_slice()) {
                    ("Py_PACK_VERSION" | "_Py_PACK_VERSION", [Some(major), Some(minor)]) => {
                        Some(major << 24 | minor << 16)
                    }
                    _ => None,
                };
                Ok((Expr::Number(value), 1))
            }
            Token::Ident(name) => Ok((Expr::Ident(name), 1)),
        }
    }

    /// A function-like macro's arguments, each a number if it is one.
    fn arguments(&mut self) -> Result<Vec<Option<i64>>, Fail> {
        let mut args = Vec::new();
        let mut piece: Vec<&Token> = Vec::new();
        let mut depth = 0_usize;
        loop {
            let token = self.tokens.get(self.at).ok_or(Fail::Malformed)?;
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
        Ok(args)
    }
}

fn single_number(piece: &[&Token]) -> Option<i64> {
    match piece {
        [Token::Number(n)] => *n,
        _ => None,
    }
}
