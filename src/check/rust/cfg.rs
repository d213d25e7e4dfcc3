//! `cfg` predicates: parsed with a bounded depth, evaluated per build in
//! three-valued logic.

use super::{Kind, Tokens};
use crate::check::build::{Build, Builds, Family};
use crate::check::cond::MAX_DEPTH;

/// A `cfg` predicate (its depth is bounded by the parser, so copies and
/// evaluation stay shallow).
#[derive(Debug, Clone)]
pub(super) enum Cfg {
    Name(String),
    /// `key = "value"`, or anything not understood: never decided here.
    Unknown,
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
            Cfg::Unknown => None,
            Cfg::All(items) => combine(items, build, false),
            Cfg::Any(items) => combine(items, build, true),
            Cfg::Not(p) => p.eval(build).map(|v| !v),
        }
    }

    /// The builds where it may hold.
    pub(super) fn maybe(&self) -> Builds {
        Builds::filter(|b| self.eval(b) != Some(false))
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

pub(super) struct CfgParser<'t, 'a> {
    pub(super) tokens: &'t Tokens<'a>,
    pub(super) at: usize,
    pub(super) end: usize,
    pub(super) depth: usize,
    pub(super) too_deep: bool,
}

impl CfgParser<'_, '_> {
    pub(super) fn predicate(&mut self) -> Option<Cfg> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.too_deep = true;
            return None;
        }
        let p = self.predicate_inner();
        self.depth -= 1;
        p
    }

    fn predicate_inner(&mut self) -> Option<Cfg> {
        if self.at >= self.end {
            return None;
        }
        let name = self.tokens.ident(self.at)?;
        self.at += 1;
        if self.tokens.is(self.at, b'(') {
            self.at += 1;
            let mut items = Vec::new();
            loop {
                if self.at > self.end || self.at >= self.tokens.len() {
                    return None;
                }
                if self.tokens.is(self.at, b')') {
                    self.at += 1;
                    break;
                }
                if self.tokens.is(self.at, b',') {
                    self.at += 1;
                    continue;
                }
                items.push(self.predicate()?);
            }
            match name {
                "all" => Some(Cfg::All(items)),
                "any" => Some(Cfg::Any(items)),
                "not" if items.len() == 1 => items.pop().map(|p| Cfg::Not(Box::new(p))),
                _ => None,
            }
        } else if self.tokens.is(self.at, b'=') {
            self.at += 1;
            let string = self.tokens.list.get(self.at).is_some_and(|t| t.kind == Kind::Str);
            self.at += 1;
            string.then_some(Cfg::Unknown)
        } else {
            Some(Cfg::Name(name.to_string()))
        }
    }
}
