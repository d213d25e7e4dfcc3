//! The scanner's preprocessor directives: conditions opened, branched and
//! closed (with what left each undecided), `#define` and `#undef` for the
//! macros that matter, `#error` refusals, and the settings a condition tests.

use super::{MESSAGE_LENGTH, Refusal, SETTINGS, Scanner, SettingSite, is_ident_char, is_ident_start, without_comments};
use crate::check::cond::{self, Truth};
use crate::check::occur::Site;

impl<F: Fn(&str) -> bool> Scanner<'_, '_, F> {
    pub(super) fn directive(&mut self) {
        let hash = self.at;
        self.at += 1;
        let word = self.next_word();
        let site = self.site(hash);
        match word {
            "if" | "elif" | "ifdef" | "ifndef" | "elifdef" | "elifndef" => {
                let expr = self.logical_line();
                self.note_tests(&expr, site);
                let evaluation = if word.ends_with("def") {
                    let name = expr.split_whitespace().next().unwrap_or("");
                    cond::defined(name, word.ends_with("ndef"), &self.macros)
                } else {
                    cond::evaluate(&expr, &self.macros)
                };
                self.evaluated(&evaluation, site);
                if word.starts_with("if") {
                    self.open(evaluation.truth, &evaluation.unknown);
                } else {
                    self.branch(evaluation.truth, &evaluation.unknown);
                }
            }
            "else" => {
                self.logical_line();
                self.branch(Truth::ALWAYS, &[]);
            }
            "endif" => {
                self.logical_line();
                self.stack.close();
                self.reasons.pop();
                if let Some((_, first)) = self.depths.pop()
                    && let Some(depth) = first
                {
                    self.decls.set_depth(depth);
                }
            }
            "define" => self.define(site),
            "error" => {
                let message = self.logical_line();
                let builds = self.stack.error();
                if !builds.is_empty() {
                    let message: String = message.trim().chars().take(MESSAGE_LENGTH).collect();
                    self.out.refusals.push(Refusal { site, builds, message });
                }
            }
            "undef" => {
                let name = self.next_word();
                if self.tracked(name) {
                    self.macros.undefine(name, self.stack.here());
                }
                self.logical_line();
            }
            // `#include`, `#pragma`, `#line` and the rest: nothing here is
            // a use.
            _ => {
                self.logical_line();
            }
        }
    }

    fn open(&mut self, truth: Truth, unknown: &[String]) {
        let outer = self.reasons.last().copied().flatten();
        self.stack.open(truth);
        let reason = self.reason(outer, unknown);
        self.reasons.push(reason);
        self.depths.push((self.decls.depth(), None));
    }

    /// `#elif`, `#else`: the code of the new branch starts at the brace
    /// depth of the `#if`.
    fn branch(&mut self, truth: Truth, unknown: &[String]) {
        self.stack.branch(truth);
        let current = self.reasons.last().copied().flatten();
        let reason = self.reason(current, unknown);
        if let Some(last) = self.reasons.last_mut() {
            *last = reason;
        }
        if let Some((at_if, first)) = self.depths.last_mut() {
            first.get_or_insert(self.decls.depth());
            let depth = *at_if;
            self.decls.set_depth(depth);
        }
    }

    /// The undecided macros of `base` and `unknown` together, interned.
    fn reason(&mut self, base: Option<u32>, unknown: &[String]) -> Option<u32> {
        if unknown.is_empty() {
            return base;
        }
        let mut names: Vec<String> = base
            .and_then(|i| self.out.reasons.get(i as usize))
            .cloned()
            .unwrap_or_default();
        names.extend(unknown.iter().cloned());
        names.sort();
        names.dedup();
        if let Some(&id) = self.reason_ids.get(&names) {
            return Some(id);
        }
        let id = u32::try_from(self.out.reasons.len()).ok()?;
        self.reason_ids.insert(names.clone(), id);
        self.out.reasons.push(names);
        Some(id)
    }

    /// Records what evaluating a condition assumed or could not do.
    fn evaluated(&mut self, evaluation: &cond::Evaluation, site: Site) {
        if evaluation.too_deep {
            self.out.too_deep.push(site);
        }
        for name in &evaluation.assumed {
            if self.assumed.insert(name.clone()) {
                self.out.assumed.push((name.clone(), site));
            }
        }
    }

    /// `#define NAME ...`: a setting when NAME is a configuration macro,
    /// else its body is scanned like code.
    fn define(&mut self, site: Site) {
        let name = self.next_word();
        if let Some(setting) = SETTINGS.iter().find(|s| **s == name) {
            let value = self.logical_line().trim().to_string();
            self.out.settings.push(SettingSite {
                name: setting,
                value: (!value.is_empty()).then_some(value),
                defined: true,
                site,
            });
            return;
        }
        let function_like = self.peek(0) == b'(';
        let body_start = self.at;
        if !self.stack.active().is_empty() {
            self.defining = Some(name);
        }
        self.macro_body();
        self.defining = None;
        let body = (!function_like).then(|| without_comments(&self.text[body_start..self.at]));
        if self.tracked(name) {
            self.macros.define(name, body.as_deref(), self.stack.here());
        }
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

    /// Whether a macro's definitions are worth keeping: a condition or a
    /// macro body names it, or it shadows a C API name. A million
    /// `#define`s nothing tests cost nothing.
    fn tracked(&self, name: &str) -> bool {
        self.relevant.contains(name) || (self.wanted)(name)
    }

    /// Records the configuration macros a condition tests, once per name.
    fn note_tests(&mut self, expr: &str, site: Site) {
        for setting in SETTINGS {
            let tested = expr.match_indices(setting).any(|(i, _)| {
                !expr[..i].ends_with(is_ident_char) && !expr[i + setting.len()..].starts_with(is_ident_char)
            });
            if tested && !self.out.settings.iter().any(|s| s.name == setting && !s.defined) {
                self.out.settings.push(SettingSite {
                    name: setting,
                    value: None,
                    defined: false,
                    site,
                });
            }
        }
    }
}
