//! Which Stable ABI builds compile a stretch of C: `#if` expressions (and
//! `#ifdef`, `#ifndef`, `#elif`, `#else`) evaluated per build, and the
//! stack of conditional groups.
//!
//! ```c
//! #ifdef Py_LIMITED_API
//!     item = PyList_GetItem(list, i);   // every Stable ABI build
//! #else
//!     item = PyList_GET_ITEM(list, i);  // none: not a use
//! #endif
//! ```
//!
//! Values are intervals, so that `PY_VERSION_HEX`, known only to lie in the
//! range of the headers' release, still decides `PY_VERSION_HEX >=
//! 0x030D0000` and `(PY_VERSION_HEX & 0xFFFF0000) < X`. What is not known
//! stays unknown (three-valued logic): code is left out of a build only
//! when its condition is certainly false there. Expressions nested deeper
//! than [`MAX_DEPTH`] are not evaluated (unknown, and said so): no input
//! can exhaust the stack.

use super::build::{Build, Builds};

mod expr;
use expr::{Expr, Fail, Token, Val, exact, parse, tokenize, truthy};

/// How deep an expression may nest (parentheses, operators, ternaries)
/// before it is treated as unknown.
pub const MAX_DEPTH: usize = 64;

/// What a build's environment makes of a name in a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// Defined to this number.
    Number(i64),
    /// Defined to a number somewhere in this range (`PY_VERSION_HEX`).
    Range(i64, i64),
    /// Defined, to something that is not a known number.
    Defined,
    Undefined,
    Unknown,
}

/// The macro environment conditions are evaluated in.
pub trait Lookup {
    fn value(&self, name: &str, build: Build) -> Value;

    /// Whether the name is undefined only because nothing defines it.
    fn assumed(&self, _name: &str) -> bool {
        false
    }
}

/// Nothing known about any macro.
pub struct Nothing;

impl Lookup for Nothing {
    fn value(&self, _: &str, _: Build) -> Value {
        Value::Unknown
    }
}

/// The builds where a condition may hold, and those where it surely does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Truth {
    pub maybe: Builds,
    pub surely: Builds,
}

impl Truth {
    pub const ALWAYS: Truth = Truth {
        maybe: Builds::ALL,
        surely: Builds::ALL,
    };
    pub const NEVER: Truth = Truth {
        maybe: Builds::NONE,
        surely: Builds::NONE,
    };
    pub const UNKNOWN: Truth = Truth {
        maybe: Builds::ALL,
        surely: Builds::NONE,
    };

    /// Holds in some builds without surely holding there.
    pub fn is_uncertain(self) -> bool {
        self.maybe != self.surely
    }
}

/// An evaluated condition, with what decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub truth: Truth,
    /// Nested deeper than [`MAX_DEPTH`]: not evaluated.
    pub too_deep: bool,
    /// Names whose value is unknown in a build where that left the
    /// condition undecided.
    pub unknown: Vec<String>,
    /// Names taken as undefined because nothing defines them.
    pub assumed: Vec<String>,
}

/// Evaluates an `#if` / `#elif` expression for every build.
pub fn evaluate(expr: &str, env: &impl Lookup) -> Evaluation {
    let tokens = tokenize(expr);
    let parsed = parse(&tokens);
    let (truth, too_deep) = match &parsed {
        Ok(ast) => (truth(ast, env), false),
        Err(fail) => (Truth::UNKNOWN, *fail == Fail::TooDeep),
    };
    let mut names = tested_names(&tokens);
    names.sort_unstable();
    names.dedup();
    let unknown = if truth.is_uncertain() && !too_deep {
        names
            .iter()
            .filter(|n| Build::all().any(|b| truth.maybe.contains(b) && env.value(n, b) == Value::Unknown))
            .map(|n| (*n).to_string())
            .collect()
    } else {
        Vec::new()
    };
    let assumed = names
        .iter()
        .filter(|n| env.assumed(n))
        .map(|n| (*n).to_string())
        .collect();
    Evaluation {
        truth,
        too_deep,
        unknown,
        assumed,
    }
}

/// The macros an expression tests: its identifiers, but not the
/// arguments of a function-like macro (`__has_attribute(fallthrough)`).
fn tested_names(tokens: &[Token]) -> Vec<&str> {
    let mut names = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Token::Ident(name) = &tokens[i] {
            let call = name != "defined" && tokens.get(i + 1) == Some(&Token::Op("("));
            if call {
                let mut depth = 0_usize;
                for (j, t) in tokens.iter().enumerate().skip(i + 1) {
                    match t {
                        Token::Op("(") => depth += 1,
                        Token::Op(")") => {
                            depth -= 1;
                            if depth == 0 {
                                i = j;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i = j;
                }
            }
            if name != "defined" {
                names.push(name.as_str());
            }
        }
        i += 1;
    }
    names
}

/// `#ifdef NAME` (or, negated, `#ifndef NAME`).
pub fn defined(name: &str, negate: bool, env: &impl Lookup) -> Evaluation {
    let expr = format!("{}defined({name})", if negate { "!" } else { "" });
    evaluate(&expr, env)
}

/// The value of a constant expression (`0x030B0000`,
/// `Py_PACK_VERSION(3, 11)`), if it has one.
pub fn value_of(expr: &str) -> Option<i64> {
    let ast = parse(&tokenize(expr)).ok()?;
    let mut values = Build::all().map(|b| ast.eval(b, &Nothing));
    let first = exact(values.next()??)?;
    values.all(|v| v.and_then(exact) == Some(first)).then_some(first)
}

/// Parses and evaluates an object-like macro's body for every build: a
/// number, a range, or defined to something else.
pub fn body_values(body: &str, env: &impl Lookup) -> Vec<Value> {
    let value = |v: Val| match v {
        Some((lo, hi)) if lo == hi => Value::Number(lo),
        Some((lo, hi)) => Value::Range(lo, hi),
        None => Value::Defined,
    };
    match parse(&tokenize(body)) {
        Ok(ast) => Build::all().map(|b| value(ast.eval(b, env))).collect(),
        Err(_) => vec![Value::Defined; Build::COUNT],
    }
}

fn truth(expr: &Expr, env: &impl Lookup) -> Truth {
    let mut t = Truth::NEVER;
    for b in Build::all() {
        match expr.eval(b, env).and_then(truthy) {
            Some(true) => {
                t.maybe = t.maybe.with(b);
                t.surely = t.surely.with(b);
            }
            Some(false) => {}
            None => t.maybe = t.maybe.with(b),
        }
    }
    t
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

    pub fn depth(&self) -> usize {
        self.frames.len()
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

    /// `#error` in the current branch: the builds that surely take it do
    /// not compile at all. Returns them; the builds that may take it are
    /// assumed not to (a working build does not), so later branches stay
    /// open to them.
    pub fn error(&mut self) -> Builds {
        let here = self.here();
        if let Some(frame) = self.frames.last_mut() {
            (frame.maybe_taken, frame.surely_taken) = frame.taken_before;
            frame.maybe_taken = frame.maybe_taken.or(here.surely);
            frame.surely_taken = frame.surely_taken.or(here.surely);
            frame.active = Truth::NEVER;
        }
        here.surely
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

#[cfg(test)]
mod tests;
